"""``LoopOverTime``: a model stepped over a whole sequence in one call (BrainPy's wrapper).

    >>> import neurodyn as bp, neurodyn.math as bm
    >>> class Acc(bp.DynamicalSystem):
    ...     def __init__(self):
    ...         super().__init__()
    ...         self.s = bm.Variable(bm.zeros(1))
    ...     def update(self, x):
    ...         self.s.value = self.s.value + x
    ...         return self.s.value
    >>> bp.LoopOverTime(Acc())(bm.ones((3, 1))).ravel().tolist()
    [1.0, 2.0, 3.0]
"""
from __future__ import annotations

from typing import Any

import jax
import jax.numpy as jnp

import neurodyn.math as bm
from neurodyn.core import share
from neurodyn.core._system import DynamicalSystem
from neurodyn.errors import describe

__all__ = ["LoopOverTime"]


def _swap(tree: Any) -> Any:
    return jax.tree_util.tree_map(lambda a: jnp.swapaxes(a, 0, 1), tree)


class LoopOverTime(DynamicalSystem):
    """Call ``target`` once per step of the inputs' time axis, inside one ``bm.for_loop``.

    Args:
        target: the model stepped.
        out_vars: Variables (or a pytree of them) also recorded at each step; then a call
            returns ``(outputs, recorded)``.
        no_state: the target keeps no state: time and batch are merged and it is called once.
        t0, i0, dt: the clock given to ``bp.share`` (``t``, ``i``); it continues across calls.
        data_first_axis: ``'T'`` (inputs ``(time, batch, ...)``) or ``'B'`` (``(batch, time, ...)``).
        remat: checkpoint the loop for the backward pass (see ``bm.for_loop``).
    """

    def __init__(self, target: DynamicalSystem, out_vars: Any = None, no_state: bool = False,
                 t0: float = 0., i0: int = 0, dt: float | None = None, shared_arg: dict | None = None,
                 data_first_axis: str = "T", name: str | None = None, remat: bool = False):
        if not isinstance(target, DynamicalSystem):
            raise TypeError(describe("LoopOverTime", "a bp.DynamicalSystem target", type(target).__name__))
        if data_first_axis not in ("T", "B"):
            raise ValueError(describe("LoopOverTime", "data_first_axis 'T' or 'B'", repr(data_first_axis)))
        super().__init__(name=name, mode=target.mode)
        self.target, self.out_vars, self.no_state = target, out_vars, bool(no_state)
        self.dt = bm.get_dt() if dt is None else dt
        self.shared_arg = dict(shared_arg or {})
        self.data_first_axis, self.remat = data_first_axis, remat
        self.t0 = bm.Variable(jnp.asarray(t0, dtype=bm.get_float()))
        self.i0 = bm.Variable(jnp.asarray(i0, dtype=bm.get_int()))

    def reset_state(self, batch_size: int | None = None) -> None:
        self.target.reset(batch_size)

    def update(self, *xs: Any) -> Any:
        xs = bm.unwrap_tree(xs)
        first_b = self.data_first_axis == "B"
        if self.no_state:
            leaf = jax.tree_util.tree_leaves(xs)[0]
            lead = leaf.shape[:2]
            flat = jax.tree_util.tree_map(lambda a: a.reshape((-1,) + a.shape[2:]), xs)
            out = self.target(*flat)
            return jax.tree_util.tree_map(lambda a: a.reshape(lead + a.shape[1:]), out)
        if first_b:
            xs = _swap(xs)
        length = jax.tree_util.tree_leaves(xs)[0].shape[0]
        t0, i0 = self.t0.value, self.i0.value

        def body(k, *x):
            with share.context(t=t0 + k * self.dt, i=i0 + k, dt=self.dt, **self.shared_arg):
                out = self.target(*x)
            if self.out_vars is None:
                return out
            return out, jax.tree_util.tree_map(lambda v: v.value, self.out_vars,
                                               is_leaf=lambda v: isinstance(v, bm.Variable))

        outs = bm.for_loop(body, (jnp.arange(length),) + tuple(xs), remat=self.remat)
        self.t0.value = t0 + length * self.dt
        self.i0.value = i0 + length
        return _swap(outs) if first_b else outs
