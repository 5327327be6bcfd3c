"""Argument checks shared across the package; each raises a named error from :mod:`neurodyn.errors`.

    >>> import neurodyn as bp, neurodyn.math as bm
    >>> bp.check.is_subclass(bm.TrainingMode(), (bm.BatchingMode,))
    >>> bp.check.is_positive(0.5, "tau")
    0.5
"""
from __future__ import annotations

import inspect
import numbers
from typing import Any, Sequence

from neurodyn.errors import ModeError, describe

__all__ = [
    "is_subclass", "is_positive", "is_non_negative", "is_probability", "is_integer",
    "is_sequence_of_ints", "caller_name", "who", "input_shape", "real_dtype", "real_input", "all_finite",
    "turn_on", "turn_off", "is_checking",
]

_CHECKING = [True]


def turn_off() -> None:
    """Skip the data checks that cost a pass over the data (``all_finite``), as BrainPy's
    ``bp.check.turn_off()``; argument checks at construction always run."""
    _CHECKING[0] = False


def turn_on() -> None:
    """Run the data checks again (the default)."""
    _CHECKING[0] = True


def is_checking() -> bool:
    """Whether the data checks run."""
    return _CHECKING[0]


def who(obj: Any) -> str:
    """A short readable description of ``obj`` for error messages, e.g. ``Dense(name=fc)``."""
    name = getattr(obj, "name", None)
    cls = type(obj).__name__
    return f"{cls}(name={name})" if name else cls


def caller_name(depth: int = 2) -> str:
    """Describe the object whose method called the check (``self`` of that frame), if any."""
    frame = inspect.currentframe()
    try:
        for _ in range(depth):
            frame = frame.f_back if frame is not None else None
        obj = frame.f_locals.get("self") if frame is not None else None
        return who(obj) if obj is not None else "argument check"
    finally:
        del frame


def is_subclass(instance: Any, supported_types: type | Sequence[type], name: str | None = None) -> None:
    """Raise :class:`ModeError` unless ``instance`` is an instance (or subclass) of one of ``supported_types``.

    Used as ``bp.check.is_subclass(self.mode, (bm.TrainingMode, bm.BatchingMode))`` in a
    model's ``__init__``; the message names the model, the mode it got and the modes it supports.
    """
    types = tuple(supported_types) if isinstance(supported_types, (tuple, list)) else (supported_types,)
    ok = issubclass(instance, types) if isinstance(instance, type) else isinstance(instance, types)
    if not ok:
        owner = name or caller_name()
        supported = ", ".join(t.__name__ for t in types)
        got = instance.__name__ if isinstance(instance, type) else repr(instance)
        raise ModeError(describe(owner, f"one of the modes ({supported})", got,
                                 f"build it with mode= one of {supported}, or inside the matching "
                                 f"bm.environment(mode=...)"))


def _number(value: Any, name: str, owner: str | None) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(describe(owner or caller_name(3), f"{name} to be a real number",
                                 f"{type(value).__name__} {value!r}"))
    return value


def is_positive(value: Any, name: str, owner: str | None = None) -> Any:
    """Return ``value`` if it is a real number > 0, else raise ``ValueError``/``TypeError``."""
    _number(value, name, owner)
    if not value > 0:
        raise ValueError(describe(owner or caller_name(), f"{name} > 0", repr(value)))
    return value


def is_non_negative(value: Any, name: str, owner: str | None = None) -> Any:
    """Return ``value`` if it is a real number >= 0, else raise."""
    _number(value, name, owner)
    if not value >= 0:
        raise ValueError(describe(owner or caller_name(), f"{name} >= 0", repr(value)))
    return value


def is_probability(value: Any, name: str, owner: str | None = None, allow_zero: bool = True) -> Any:
    """Return ``value`` if it lies in [0, 1] (or (0, 1] when ``allow_zero=False``), else raise."""
    _number(value, name, owner)
    lo_ok = value >= 0 if allow_zero else value > 0
    if not (lo_ok and value <= 1):
        rng = "[0, 1]" if allow_zero else "(0, 1]"
        raise ValueError(describe(owner or caller_name(), f"{name} in {rng}", repr(value)))
    return value


def is_integer(value: Any, name: str, owner: str | None = None, min_value: int | None = None) -> int:
    """Return ``value`` as int if it is an integer (>= ``min_value`` when given), else raise."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(describe(owner or caller_name(), f"{name} to be an integer",
                                 f"{type(value).__name__} {value!r}"))
    if min_value is not None and value < min_value:
        raise ValueError(describe(owner or caller_name(), f"{name} >= {min_value}", repr(value)))
    return int(value)


def is_sequence_of_ints(value: Any, name: str, owner: str | None = None, min_value: int = 1) -> tuple:
    """Return ``value`` as a tuple of ints each >= ``min_value`` (an int is a 1-tuple), else raise."""
    seq = (value,) if isinstance(value, numbers.Integral) and not isinstance(value, bool) else value
    try:
        items = tuple(seq)
    except TypeError:
        raise TypeError(describe(owner or caller_name(), f"{name} to be an int or a tuple of ints",
                                 f"{type(value).__name__} {value!r}")) from None
    for v in items:
        is_integer(v, name, owner or caller_name(), min_value)
    return items


def input_shape(owner: str, x: Any, feature_shape: Sequence[int], batch_size: int | None = None,
                batching: bool | None = None) -> None:
    """Raise ``ShapeError`` unless ``x`` is ``(*feature_shape)`` (``batching=False``),
    ``(batch, *feature_shape)`` (``batching=True``; ``batch == batch_size`` when given) or, with
    ``batching=None``, any leading axes followed by ``feature_shape``.

        >>> import numpy as np
        >>> input_shape("Dense(name=fc)", np.ones((2, 3)), (3,))
    """
    from neurodyn.errors import ShapeError  # (errors is this module's only dependency)
    shape = tuple(getattr(x, "shape", ()))
    feat = tuple(feature_shape)
    n = len(feat)
    ok = shape[len(shape) - n:] == feat if len(shape) >= n else False
    if batching is True:
        ok = ok and len(shape) == n + 1 and (batch_size is None or shape[0] == batch_size)
        want = f"shape ({batch_size if batch_size is not None else 'batch'}, {', '.join(map(str, feat))})"
        fix = ("call reset(batch_size) with this batch size first" if ok is False and len(shape) == n + 1
               and shape[1:] == feat else f"pass inputs with {feat[-1] if feat else 0} features")
    elif batching is False:
        ok = ok and len(shape) == n
        want = f"shape {feat} (non-batching mode: no batch axis)"
        fix = "drop the batch axis, or build the model in a batching/training mode"
    else:
        want = f"shape (..., {', '.join(map(str, feat))})"
        fix = f"pass inputs whose last axes are {feat}"
    if not ok:
        raise ShapeError(describe(owner, f"input of {want}", f"shape {shape}", fix))


def real_dtype(owner: str, x: Any, what: str = "input") -> Any:
    """The dtype of ``x`` (an array, a tracer, a scalar or a list) if it is real (float, int or
    bool); complex, string and object data raise :class:`~neurodyn.errors.DtypeError`.

        >>> real_dtype("Dense(name=fc)", 3)
        dtype('int64')
    """
    import numpy as np

    from neurodyn.errors import DtypeError
    dtype = getattr(x, "dtype", None)
    if dtype is None:                     # Python scalars, lists: look before JAX converts them
        try:
            dtype = np.asarray(x).dtype
        except (TypeError, ValueError) as err:
            raise DtypeError(describe(owner, f"{what} of a real dtype (float, int or bool)",
                                      f"{type(x).__name__} that is not an array ({err})")) from None
    kind = np.dtype(dtype).kind
    if kind not in "biuf":
        raise DtypeError(describe(owner, f"{what} of a real dtype (float, int or bool)", f"dtype {dtype}",
                                  "pass real values, e.g. x.real or abs(x)" if kind == "c" else
                                  "pass a numeric array"))
    return np.dtype(dtype)


def real_input(owner: str, x: Any, what: str = "input") -> Any:
    """``x`` as a JAX array of a real dtype: floats are kept, bools and integers become the
    default float (float32, float64 under x64);
    complex, string and object data raise :class:`~neurodyn.errors.DtypeError` naming ``owner``.

        >>> real_input("Dense(name=fc)", [1, 2]).dtype
        dtype('float32')
        >>> real_input("Dense(name=fc)", [1j])
        Traceback (most recent call last):
        ...
        neurodyn.errors.DtypeError: Dense(name=fc): expected input of a real dtype (float, int or bool), got dtype complex128. Fix: pass real values, e.g. x.real or abs(x).
    """
    import jax
    import jax.numpy as jnp
    kind = real_dtype(owner, x, what).kind
    arr = jnp.asarray(x)
    return arr if kind == "f" else arr.astype(jax.dtypes.canonicalize_dtype(jnp.float64))


def all_finite(owner: str, tree: Any, what: str) -> None:
    """Raise ``ValueError`` naming ``owner`` if an array in ``tree`` (an array, or a tuple/list/dict
    of them) holds NaN or inf. Meant for data given to a trainer, checked once on the host.

        >>> import numpy as np
        >>> all_finite("RidgeTrainer.fit", {"a": np.ones(3)}, "inputs X")
    """
    if not _CHECKING[0]:
        return
    import numpy as np
    if isinstance(tree, dict):
        items = list(tree.items())
    elif isinstance(tree, (list, tuple)):
        items = list(enumerate(tree))
    else:
        items = [(None, tree)]
    for key, value in items:
        if isinstance(value, (dict, list, tuple)):
            all_finite(owner, value, what if key is None else f"{what}[{key!r}]")
            continue
        arr = np.asarray(getattr(value, "value", value))
        if arr.dtype.kind not in "fc":
            continue
        bad = ~np.isfinite(arr)
        if bad.any():
            where = tuple(int(i) for i in np.argwhere(bad)[0])
            label = what if key is None else f"{what}[{key!r}]"
            raise ValueError(describe(owner, f"finite {label} (no NaN or inf)",
                                      f"{int(bad.sum())} non-finite value(s), the first {arr[where]} at "
                                      f"index {where}", "clean the data, or mask/impute the missing values"))
