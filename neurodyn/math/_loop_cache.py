"""What ``bm.for_loop`` remembers between calls: the Variables a loop body wrote.

Without it every call of ``for_loop`` traces its body twice: once to find the Variables it
writes, once more to carry them. The Variables are remembered per body function (a function,
a bound method, or a closure's code and the objects it closed over) and per operand shapes, as
weak references, so a remembered entry never keeps a model alive. A wrong guess costs nothing
but a carried Variable the body leaves unchanged: the body is traced on every call, and a
Variable found there that was not remembered still triggers the second trace.

    >>> import jax.numpy as jnp
    >>> import neurodyn.math as bm
    >>> v = bm.Variable(jnp.zeros(()))
    >>> def body(x):
    ...     v.value = v.value + x
    >>> _ = bm.for_loop(body, jnp.ones(3))
    >>> [w is v for w in loop_functional(body, jnp.ones(3)).variables]
    [True]
"""
from __future__ import annotations

import inspect
import types
import weakref
from collections import OrderedDict
from typing import Any, Callable

import jax
import numpy as np

from neurodyn.math._functional import Functional

__all__ = ["loop_functional"]

_LIMIT = 256
_memory: OrderedDict = OrderedDict()


def _is_data(x: Any) -> bool:
    return isinstance(x, (jax.Array, np.ndarray, np.generic, jax.core.Tracer))


def _identity(fn: Callable) -> tuple[tuple, list] | None:
    """(hashable identity of ``fn``, the objects it stands for) or None when it has none."""
    if inspect.ismethod(fn):
        return (fn.__func__,), [fn.__self__]
    if isinstance(fn, types.FunctionType):
        if not fn.__closure__:
            return (fn,), []
        held = []
        for cell in fn.__closure__:
            try:
                held.append(cell.cell_contents)
            except ValueError:            # an empty cell (a name not yet bound)
                held.append(None)
        return (fn.__code__,), [x for x in held if not _is_data(x)]
    return None


def _ref(obj: Any) -> Callable[[], Any]:
    try:
        return weakref.ref(obj)
    except TypeError:                     # ints, dicts, tuples: small, held as they are
        return lambda: obj


def _key(fn: Callable, operands: Any) -> tuple | None:
    identity = _identity(fn)
    if identity is None:
        return None
    ident, held = identity
    leaves, treedef = jax.tree_util.tree_flatten(operands)
    shapes = tuple((np.shape(x), str(getattr(x, "dtype", type(x).__name__))) for x in leaves)
    return ident + tuple(id(x) for x in held) + (treedef, shapes), held


def loop_functional(fn: Callable, operands: Any) -> Functional:
    """A Functional for the loop body ``fn`` (which reads Variables as constants), seeded with the
    Variables it wrote when it last ran over operands of these shapes; it remembers the ones
    it writes this time once the loop has been traced."""
    found = _key(fn, operands)
    seed: list = []
    if found is not None:
        key, held = found
        entry = _memory.get(key)
        if entry is not None:
            guards, refs = entry
            variables = [r() for r in refs]
            if all(g() is x for g, x in zip(guards, held)) and all(v is not None for v in variables):
                _memory.move_to_end(key)
                seed = variables
            else:
                del _memory[key]
    f = _RememberingFunctional(seed, found)
    return f


class _RememberingFunctional(Functional):
    """A loop's Functional that stores what it found when :meth:`settle` completes."""

    def __init__(self, seed: list, found: tuple | None):
        super().__init__(None, variables=seed, carry_reads=False)
        self._found = found

    def settle(self, attempt: Callable[[], Any]) -> Any:
        out = super().settle(attempt)
        if self._found is not None:
            key, held = self._found
            _memory[key] = ([_ref(x) for x in held], [weakref.ref(v) for v in self.written])
            _memory.move_to_end(key)
            while len(_memory) > _LIMIT:
                _memory.popitem(last=False)
        return out
