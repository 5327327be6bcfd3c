"""Synapse dynamics on their own (BrainPy 2.4+'s ``bp.dyn.Expon``): a conductance ``g`` that decays
and takes its input, for projections to place on the post side (or the pre side).

``exp_decay`` is the one implementation of the exponential decay step: the two-ended
``bp.synapses.Exponential`` and ``Expon`` both use it. ``Expon.desc(...)`` is BrainPy's lazy
description: projections build the synapse from it.

    >>> import neurodyn as bp, neurodyn.math as bm
    >>> syn = bp.dyn.Expon(2, tau=5.)
    >>> [round(float(syn(x)[0]), 4) for x in (bm.ones(2), bm.zeros(2))]   # 1, then e^-0.02
    [1.0, 0.9802]
"""
from __future__ import annotations

import math
from typing import Any, Sequence

import jax
import jax.numpy as jnp

import neurodyn.math as bm
from neurodyn.check import is_sequence_of_ints
from neurodyn.core import DynamicalSystem, share
from neurodyn.init import parameter
from neurodyn.math._integrate import check_method, ode_step

__all__ = ["Desc", "exp_decay", "Expon"]


def exp_decay(g: jax.Array, tau: Any, dt: Any, method: str) -> jax.Array:
    """``g`` one step of ``dg/dt = -g / tau`` later (exact for ``'exp_auto'``)."""
    if method in ("exp_auto", "exp_euler"):
        return g * jnp.exp(-dt / tau)
    (g,) = ode_step(lambda x: (-x / tau,), (g,), dt, method)
    return g


class Desc:
    """A lazy description ``cls(*args, **kwargs)`` (BrainPy's ``.desc``); calling it builds one.
    Equal descriptions have equal ``identifier`` s (what merging projections compare)."""

    def __init__(self, cls: type, args: tuple, kwargs: dict):
        self.cls, self.args, self.kwargs = cls, args, kwargs
        self.identifier = (cls, repr(args), repr(sorted(kwargs.items())))

    def __call__(self, **overrides: Any) -> Any:
        return self.cls(*self.args, **{**self.kwargs, **overrides})

    def __repr__(self) -> str:
        return f"{self.cls.__name__}.desc(*{self.args}, **{self.kwargs})"


class Expon(DynamicalSystem):
    """Exponential synapse dynamics: ``g <- g exp(-dt / tau) + x`` each step (``x`` the input).

    Args:
        size: the number of synapses' targets (an int or a shape).
        keep_size: keep ``size`` as the state shape (else flatten).
        method: ``'exp_auto'`` (exact) or another ``bp.odeint`` method.
        tau: the decay time constant (ms), a scalar or one per target.
    """

    def __init__(self, size: int | Sequence[int], keep_size: bool = False, sharding: Any = None,
                 method: str = "exp_auto", name: str | None = None, mode: bm.Mode | None = None,
                 tau: Any = 8.0):
        super().__init__(name=name, mode=mode)
        self.size = is_sequence_of_ints(size, "size", self.describe(), min_value=1)
        self.num = math.prod(self.size)
        self.varshape = tuple(self.size) if keep_size else (self.num,)
        self.tau = jnp.asarray(parameter(tau, self.varshape, allow_none=False, who=f"{self.describe()} tau"),
                               bm.get_float())
        self.method = check_method(method, self.describe())
        self.reset_state(self.mode.batch_size if self.mode.batching else None)

    @classmethod
    def desc(cls, *args: Any, **kwargs: Any) -> Desc:
        return Desc(cls, args, kwargs)

    def reset_state(self, batch_size: int | None = None) -> None:
        batch = self.state_batch_size(batch_size)
        shape = self.varshape if batch is None else (batch,) + self.varshape
        value = bm.filled(shape, 0, bm.get_float())
        if isinstance(getattr(self, "g", None), bm.Variable):
            self.g.value = value
        else:
            self.g = bm.Variable(value, batch_axis=None if batch is None else 0)

    def update(self, x: Any = None) -> jax.Array:
        g = exp_decay(self.g.value, self.tau, share.load("dt"), self.method)
        self.g.value = g if x is None else g + jnp.reshape(bm.as_jax(x), g.shape[-1:] if g.ndim == 1 else g.shape)
        return self.g.value
