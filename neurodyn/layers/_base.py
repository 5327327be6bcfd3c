"""Helpers every layer uses: parameters (``TrainVar`` s in TrainingMode, ``Parameter`` s otherwise), argument
checks that name the layer, and tuples of per-axis sizes."""
from __future__ import annotations

import numbers
from typing import Any, Sequence

import jax
import jax.numpy as jnp

import neurodyn.math as bm
from neurodyn.check import is_integer, real_input
from neurodyn.errors import describe
from neurodyn.init import parameter

__all__ = ["make_param", "trainable", "check_bool", "ntuple", "as_array"]


def as_array(x: Any, owner: str = "layer") -> jax.Array:
    """``x`` as a JAX array (a Variable's value; lists and numpy arrays converted) of a real dtype:
    bools and integers become float32; complex or non-numeric data raise ``DtypeError`` naming
    ``owner`` (the layer's ``describe()``)."""
    return real_input(owner, bm.unwrap(x))


def trainable(mode: bm.Mode) -> bool:
    """Whether a layer built in ``mode`` keeps its parameters as ``TrainVar`` s."""
    return isinstance(mode, bm.TrainingMode)


def make_param(owner: Any, init: Any, shape: Sequence[int], name: str,
               allow_none: bool = False) -> bm.Parameter | bm.TrainVar | None:
    """Build parameter ``name`` of ``shape`` from ``init`` (Initializer, callable, array or None).

    Returns a ``bm.TrainVar`` (optimised by trainers) when ``owner`` is in TrainingMode, else a
    ``bm.Parameter`` (seen by ``vars()``/``params()``/``state_dict()``, so a trained model's
    weights load into it); ``None`` when ``init`` is None and ``allow_none``. Integer arrays
    become float32.
    """
    arr = parameter(init, tuple(shape), allow_none=allow_none, allow_scalar=False,
                    who=f"{owner.describe()} {name}")
    if arr is None:
        return None
    if not jnp.issubdtype(arr.dtype, jnp.floating):
        arr = arr.astype(bm.get_float())
    return bm.TrainVar(arr) if trainable(owner.mode) else bm.Parameter(arr)


def check_bool(value: Any, name: str, owner: str) -> bool:
    """Return ``value`` if it is a bool, else raise ``TypeError`` naming ``owner``."""
    if not isinstance(value, bool):
        raise TypeError(describe(owner, f"{name} to be True or False", f"{type(value).__name__} {value!r}"))
    return value


def ntuple(value: Any, n: int, name: str, owner: str, min_value: int = 1) -> tuple[int, ...]:
    """``value`` (an int, or a sequence of ``n`` ints) as an ``n``-tuple of ints >= ``min_value``."""
    if isinstance(value, numbers.Integral) and not isinstance(value, bool):
        value = (value,) * n
    try:
        items = tuple(value)
    except TypeError:
        raise TypeError(describe(owner, f"{name} to be an int or a sequence of {n} ints",
                                 f"{type(value).__name__} {value!r}")) from None
    if len(items) != n:
        raise ValueError(describe(owner, f"{name} with {n} entries (one per spatial axis)", repr(value)))
    return tuple(is_integer(v, name, owner, min_value) for v in items)
