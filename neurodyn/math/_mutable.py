"""BrainPy's ``bm.*`` array functions return mutable ``bm.Array`` objects to the user.

A user's code (a module outside neurodyn) calling ``bm.zeros``, ``bm.linspace``, ``bm.exp``, ...
gets a :class:`~neurodyn.math.Array`, as BrainPy 2.8 gives, also inside a compiled transform,
where BrainPy's models fill such arrays by item assignment (``g = bm.zeros(n); g[:k] = v``).
Inside neurodyn itself the functions return plain JAX arrays (no wrapper cost).

    >>> import neurodyn.math as bm
    >>> type(bm.zeros(3)).__name__               # this doctest runs in neurodyn's namespace
    'ArrayImpl'
"""
from __future__ import annotations

import functools
import sys
from typing import Any, Callable

import jax

from neurodyn.math._variable import Array

__all__ = ["returning_arrays"]


def _from_user(depth: int) -> bool:
    name = sys._getframe(depth).f_globals.get("__name__", "")
    return not (name == "neurodyn" or name.startswith("neurodyn.") or name.startswith("jax"))


def returning_arrays(fn: Callable) -> Callable:
    """``fn`` whose single-array results reach a user's code as ``bm.Array``."""
    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        out = fn(*args, **kwargs)
        if isinstance(out, jax.Array) and _from_user(2):
            return Array(out)
        return out
    return wrapper
