"""``parameter`` turns what a user gave (Initializer, callable, array, scalar, None) into an array;
``variable_`` makes a state Variable with the batch axis its mode asks for.

    >>> import neurodyn as bp, neurodyn.math as bm
    >>> bp.init.parameter(bp.init.Normal(scale=0.01), (10, 50)).shape
    (10, 50)
    >>> bp.init.parameter(None, (3,)) is None
    True
    >>> bp.init.variable_(bm.zeros, 4, bm.BatchingMode(2)).shape
    (2, 4)
"""
from __future__ import annotations

import math
import numbers
from typing import Any, Sequence

import jax
import jax.numpy as jnp
import numpy as np

import neurodyn.math as bm
from neurodyn.check import real_dtype
from neurodyn.errors import DtypeError, InitializerError, ShapeError, describe
from neurodyn.init._initializers import Initializer

__all__ = ["parameter", "variable_", "as_shape"]


def _as_jax(x: Any) -> jax.Array:
    # jnp.asarray of a JAX array still pays for its dtype checks; resets call this per Variable
    return x if isinstance(x, jax.Array) else jnp.asarray(x)


def as_shape(sizes: int | Sequence[int]) -> tuple[int, ...]:
    """``sizes`` as a tuple of ints."""
    if isinstance(sizes, (numbers.Integral,)) and not isinstance(sizes, bool):
        return (int(sizes),)
    return tuple(int(s) for s in sizes)


def parameter(param: Any, sizes: int | Sequence[int], allow_none: bool = True,
              allow_scalar: bool = True, who: str = "parameter") -> jax.Array | None:
    """Build a parameter array of shape ``sizes`` from an Initializer, a callable of the shape,
    an array (shape checked), a scalar (kept a scalar when ``allow_scalar``), or None.

    Raises:
        InitializerError: ``param`` is none of these, or None where it is not allowed.
        ShapeError: an array of another shape (one that would not broadcast to ``sizes``).
    """
    shape = as_shape(sizes)
    if param is None:
        if allow_none:
            return None
        raise InitializerError(describe(who, "an Initializer, a callable, an array or a scalar",
                                        "None", "this parameter is required"))
    if isinstance(param, bm.Variable):
        param = param.value
    if isinstance(param, numbers.Number) and not isinstance(param, bool):
        if not isinstance(param, numbers.Real):
            raise DtypeError(describe(who, "a real scalar", f"{type(param).__name__} {param!r}"))
        if math.isfinite(param) and abs(param) > float(np.finfo(np.float32).max):
            raise ValueError(describe(who, "a value within the float32 range (|x| < 3.4e38)", repr(param)))
        if allow_scalar:
            return jnp.asarray(param, dtype=bm.get_float() if isinstance(param, float) else None)
        return bm.filled(shape, param, bm.get_float())
    if isinstance(param, (jax.Array, np.ndarray)):
        real_dtype(who, param, "an array")
        arr = _as_jax(param)
        if arr.ndim == 0 and allow_scalar:
            return arr
        if arr.shape != shape:
            raise ShapeError(describe(who, f"an array of shape {shape}", f"shape {tuple(arr.shape)}",
                                      f"pass an array of shape {shape} or an Initializer"))
        return arr
    if isinstance(param, Initializer) or callable(param):
        out = param(shape)
        real_dtype(who, out, "the initializer to return an array")
        arr = _as_jax(out)
        if arr.shape != shape:
            raise ShapeError(describe(who, f"the initializer to return shape {shape}",
                                      f"shape {tuple(arr.shape)} from {param!r}"))
        return arr
    raise InitializerError(describe(who, "an Initializer, a callable of the shape, an array, a "
                                    "scalar or None", f"{type(param).__name__} {param!r}"))


def variable_(init: Any, sizes: int | Sequence[int], batch_or_mode: Any = None,
              batch_axis: int = 0, who: str = "variable_") -> bm.Variable:
    """A state Variable of shape ``sizes``, with a batch axis when ``batch_or_mode`` is a batching
    mode (its ``batch_size``) or an int batch size; ``None``/non-batching mode: no batch axis.

    ``init`` is an Initializer, a callable of the shape (``bm.zeros``), an array of ``sizes`` (or
    of the full batched shape), or a real scalar (filled in). ``who`` names the owner in errors.

    Raises:
        InitializerError: ``init`` is none of these. ShapeError: an array or a callable's result
            of another shape. DtypeError: complex or non-numeric values.
    """
    shape = as_shape(sizes)
    if isinstance(batch_or_mode, bm.Mode):
        batch = batch_or_mode.batch_size if batch_or_mode.batching else None
    else:
        batch = batch_or_mode
    full = shape if batch is None else shape[:batch_axis] + (int(batch),) + shape[batch_axis:]
    init = bm.unwrap(init)
    if callable(init) and not isinstance(init, (jax.Array, np.ndarray)):
        out = init(full)
        real_dtype(who, out, "the initializer to return an array")
        value = _as_jax(out)
        if value.shape != full:
            raise ShapeError(describe(who, f"the initializer to return shape {full}",
                                      f"shape {tuple(value.shape)} from {init!r}"))
    elif isinstance(init, (jax.Array, np.ndarray)) or (isinstance(init, numbers.Real)
                                                         and not isinstance(init, bool)):
        real_dtype(who, init, "an initial value")
        value = _as_jax(init)
        if value.ndim == 0:
            value = jnp.full(full, value)
        elif value.shape == shape and batch is not None:
            value = jnp.broadcast_to(jnp.expand_dims(value, batch_axis), full)
        elif value.shape != full:
            raise ShapeError(describe(who, f"an initial value of shape {shape}",
                                      f"shape {tuple(value.shape)}",
                                      f"pass an array of shape {shape} or an Initializer"))
    else:
        raise InitializerError(describe(who, "an Initializer, a callable of the shape, an array or "
                                        "a real scalar", f"{type(init).__name__} {init!r}"))
    return bm.Variable(value, batch_axis=None if batch is None else batch_axis)
