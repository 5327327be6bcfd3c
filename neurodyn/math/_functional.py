"""The one functional core: stateful code as a pure function of its Variables' values.

A model keeps its state in Variables and changes it in place; JAX wants pure functions.
:class:`Functional` bridges the two (the split/merge idea of Flax NNX): ``f(values, *args)``
runs the stateful function with the traced ``values`` swapped into its Variables and returns
``(new values, output)``, leaving every Variable as it was. Variables the function touches but
``f`` did not know yet are found while it runs (:meth:`Functional.settle` traces again with
them). ``bm.jit``, ``bm.grad``, ``bm.for_loop``, ``bm.vmap``, ``bm.cond``, the runner and every
trainer are built on it.

    >>> import jax
    >>> import jax.numpy as jnp
    >>> import neurodyn.math as bm
    >>> count = bm.Variable(jnp.zeros(2))
    >>> def add(y):
    ...     count.value = count.value + y
    ...     return count.value.sum()
    >>> f = bm.Functional(add)
    >>> step = jax.jit(lambda values, y: f(values, y))
    >>> new, out = f.settle(lambda: step(f.values(), jnp.ones(2)))   # finds `count`, traces again
    >>> [a.tolist() for a in new], float(out), count.value.tolist()   # `count` is untouched ...
    ([[1.0, 1.0]], 2.0, [0.0, 0.0])
    >>> f.commit(new); count.value.tolist()                           # ... until committed
    [1.0, 1.0]
"""
from __future__ import annotations

from typing import Any, Callable, Sequence

from neurodyn.math._trace import Discovered, Recorder, commit, discovering, pure_call, recording

__all__ = ["Functional"]


class Functional:
    """``fn``, which reads and writes Variables, as ``(values, *args) -> (new values, output)``.

    Args:
        fn: the stateful function (``None``: only :meth:`apply` is used, e.g. for branches
            that share one set of Variables).
        variables: Variables known in advance (a model's ``vars()``), in a fixed order; every
            other Variable ``fn`` touches is appended when it is found.
        written: which of ``variables`` count as written from the start (``None``: all of
            them, so a first trace is not repeated to learn that ``fn`` writes them).
        carry_reads: whether Variables that are only read become inputs too (``jit``, ``vmap``,
            programs compiled once and fed fresh values), or stay constants of the trace
            (``grad``, loops and branches, which run inside the caller's trace).
    """

    def __init__(self, fn: Callable | None = None, variables: Sequence[Any] = (),
                 written: Sequence[Any] | None = None, carry_reads: bool = True):
        self.fn = fn
        self._state = Discovered(fixed=list(variables), need_reads=carry_reads)
        known = Recorder()
        for var in (variables if written is None else written):
            known.touched[id(var)] = known.written[id(var)] = var
        self._state.absorb(known)
        self._positions: dict[int, int] = {}

    @property
    def variables(self) -> list:
        """Every Variable the pure function takes, in the order of its ``values``."""
        return self._state.vars

    @property
    def written(self) -> list:
        """The Variables whose new values the function returns (a subset of :attr:`variables`)."""
        return self._state.written

    @property
    def version(self) -> int:
        """Changes whenever Variables are found: a program compiled for an older version is stale."""
        return len(self._state.vars) * 100003 + len(self._state.written)

    def values(self) -> list:
        """The current values of :attr:`variables` (call outside the trace)."""
        return [v.value for v in self._state.vars]

    def __call__(self, values: Sequence[Any], *args: Any, **kwargs: Any) -> tuple[list, Any]:
        """Run ``fn(*args, **kwargs)`` on ``values``; return (new values of :attr:`variables`, output)."""
        return self.apply(self.fn, values, *args, **kwargs)

    def apply(self, fn: Callable, values: Sequence[Any], *args: Any, **kwargs: Any) -> tuple[list, Any]:
        """:meth:`__call__` for another function over the same Variables (a branch, a condition)."""
        new, out = pure_call(self._state, fn, list(values), args, kwargs)
        full = list(values)
        for pos, value in zip(self._written_positions(), new):
            full[pos] = value
        return full, out

    def written_values(self, new: Sequence[Any]) -> list:
        """The entries of ``new`` (aligned with :attr:`variables`) that belong to :attr:`written`."""
        return [new[pos] for pos in self._written_positions()]

    def _written_positions(self) -> list[int]:
        if len(self._positions) != len(self._state.vars):
            self._positions = {id(v): k for k, v in enumerate(self._state.vars)}
        return [self._positions[id(v)] for v in self._state.written]

    def settle(self, attempt: Callable[[], Any]) -> Any:
        """Call ``attempt()`` (which traces this Functional) again until no new Variable is found."""
        return discovering(attempt)

    def commit(self, new: Sequence[Any], only_written: bool = False) -> None:
        """Write the new values back into the written Variables (``new`` aligned with
        :attr:`variables`, or with :attr:`written` when ``only_written``)."""
        commit(self._state.written, list(new) if only_written else self.written_values(new))

    @staticmethod
    def assign(variables: Sequence[Any], values: Sequence[Any]) -> None:
        """Write ``values`` into ``variables`` as a transform's results (no shape checks)."""
        commit(list(variables), list(values))

    @staticmethod
    def record(fn: Callable[[], Any]) -> tuple[Any, list, list]:
        """Run ``fn()`` eagerly, keeping its effects; return ``(result, Variables only read,
        Variables written)`` (Variables it created are in neither)."""
        return recording(fn)
