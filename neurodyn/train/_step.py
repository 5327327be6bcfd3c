"""The compiled programs every trainer and the runner drive: values in, values out.

A model's state is its Variables; :class:`neurodyn.math.Functional` turns a function that reads
and writes them into a pure function ``(values, *args) -> (new values, output)``. A
:class:`Program` compiles a function of those values with ``jax.jit`` once per input shapes and
rebuilds it only when the set of Variables grows.

    >>> import jax.numpy as jnp
    >>> import neurodyn.math as bm
    >>> x = bm.Variable(jnp.zeros(2))
    >>> def add(y):
    ...     x.value = x.value + y
    ...     return x.value.sum()
    >>> f = bm.Functional(add, [x])
    >>> prog = Program(f, lambda values, y: f(values, y))
    >>> new, out = prog(jnp.ones(2))
    >>> [a.tolist() for a in new], float(out), x.value.tolist()   # x itself is untouched
    ([[1.0, 1.0]], 2.0, [0.0, 0.0])
"""
from __future__ import annotations

from typing import Any, Callable, Iterable, Mapping, Sequence

import jax
import jax.numpy as jnp
import numpy as np

from neurodyn.errors import describe
from neurodyn.math import Functional

__all__ = ["Program", "localize", "swap_time_batch", "concat_time", "check_shared_args", "is_shared_dict"]


class Program:
    """``program(values, *args)`` compiled with ``jax.jit``, fed with a Functional's current values.

    The compiled function is cached by the shapes of its inputs (``jax.jit``'s cache) and
    rebuilt only when the Functional discovers new Variables (its first call may trace twice).
    The result is returned as is; the caller writes what it wants back with :meth:`commit`.

    Args:
        functional: whose ``values()`` are the first argument.
        program: a pure function ``(values, *args) -> anything``.
        donate_argnums: positions in ``(values, *args)`` whose buffers the caller owns and
            never reads again (e.g. an optimizer state), donated to the computation.
        jit: ``False`` runs ``program`` eagerly (for debugging).
        placement: a ``bp.distributed.Placement``: the values are put on its mesh before the
            call (the caller places the other arguments).
    """

    def __init__(self, functional: Functional, program: Callable, donate_argnums: Sequence[int] = (),
                 jit: bool = True, placement: Any = None):
        self.functional = functional
        self.placement = placement
        self.program = program
        self.donate_argnums = tuple(donate_argnums)
        self.jit = jit
        self._compiled: Callable | None = None
        self._compiled_for = -1

    def _get(self) -> Callable:
        if self._compiled_for != self.functional.version:
            self._compiled = (jax.jit(self.program, donate_argnums=self.donate_argnums)
                              if self.jit else self.program)
            self._compiled_for = self.functional.version
        return self._compiled

    def values(self) -> list:
        """The Functional's current values, placed on the mesh when there is one."""
        values = self.functional.values()
        if self.placement is not None:
            values = self.placement.variables(self.functional.variables, values)
        return values

    def __call__(self, *args: Any) -> Any:
        return self.functional.settle(lambda: self._get()(self.values(), *args))

    def commit(self, new: Sequence[Any]) -> None:
        """Write the new values (aligned with the Functional's Variables) back into the model."""
        self.functional.commit(new)


def localize(placement: Any, programs: Iterable[Program]) -> None:
    """After a run on a mesh, every Variable the programs touched back as an ordinary array on
    this process (gathered from the other processes where split), so the model is usable
    anywhere; a no-op without a placement."""
    if placement is None:
        return
    variables = list({id(v): v for p in programs for v in p.functional.variables}.values())
    with placement.guard("gathering the state after a run"):
        Functional.assign(variables, placement.to_host([v.value for v in variables]))


def swap_time_batch(tree: Any) -> Any:
    """Swap the first two axes of every leaf with at least two (``(B, T, ...) <-> (T, B, ...)``)."""
    return jax.tree_util.tree_map(lambda a: jnp.swapaxes(a, 0, 1) if jnp.ndim(a) >= 2 else a, tree)


def concat_time(pieces: Sequence[Any], batch_first: bool) -> Any:
    """Join chunks of stacked step results along time: axis 1 of the leaves that
    :func:`swap_time_batch` put batch-first, axis 0 of the others (NumPy and JAX alike)."""
    def join(*parts):
        axis = 1 if batch_first and np.ndim(parts[0]) >= 2 else 0
        return np.concatenate(parts, axis) if isinstance(parts[0], np.ndarray) else jnp.concatenate(parts, axis)
    return pieces[0] if len(pieces) == 1 else jax.tree_util.tree_map(join, *pieces)


def is_shared_dict(x: Any) -> bool:
    """Whether ``x`` is a dict of shared arguments (empty, or plain scalars/strings), the leading
    ``{}`` older BrainPy code passes before the data: ``runner.predict({}, xs)``."""
    return isinstance(x, dict) and all(isinstance(v, (bool, int, float, str)) for v in x.values())


def check_shared_args(shared_args: Mapping | None, who: str, allow_fit: bool = False) -> dict:
    """``shared_args`` as a dict of hashable values (each distinct dict is compiled once).

    ``t``, ``i`` and ``dt`` are set by the runner or trainer itself and may not be given; nor
    may ``fit`` unless ``allow_fit`` (the readout trainers let it be overridden).
    """
    shared = dict(shared_args or {})
    own = ("t", "i", "dt") if allow_fit else ("t", "i", "dt", "fit")
    reserved = sorted(set(shared) & set(own))
    if reserved:
        fix = "choose the step with dt=" + ("" if allow_fit else "; fit is True while training, False otherwise")
        raise ValueError(describe(who, f"shared_args without {', '.join(own[:-1])} or {own[-1]} (the runner/trainer sets "
                                  "them each step)", f"{reserved}", fix))
    for key, value in shared.items():
        try:
            hash(value)
        except TypeError:
            raise TypeError(describe(who, f"shared_args[{key!r}] hashable (a Python scalar or string)",
                                     type(value).__name__)) from None
    return shared
