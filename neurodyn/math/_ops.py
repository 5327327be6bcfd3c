"""numpy-like functions: ``jax.numpy`` (and ``jax.nn``) names that also accept Variables.

One generic wrapper, applied to every public function of ``jax.numpy`` at import — not a
hand-written copy per function. Dtypes, classes and constants are re-exported unchanged.

    >>> import neurodyn.math as bm
    >>> v = bm.Variable(bm.ones((2, 2)))
    >>> bm.dot(v, v).tolist()
    [[2.0, 2.0], [2.0, 2.0]]
"""
from __future__ import annotations

import builtins
import functools
import numbers
from typing import Any, Callable

import jax
import jax.numpy as jnp
import numpy as np

from neurodyn.errors import describe
from neurodyn.math._variable import unwrap_tree

__all__: list[str] = ["filled"]


def accept_variables(fn: Callable) -> Callable:
    """Wrap ``fn`` so that Variables among its arguments are replaced by their values."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        return fn(*unwrap_tree(args), **unwrap_tree(kwargs))
    return wrapper


class _Key:
    """A constant as a cache key: equal only to the same type and representation (so -0.0 is
    not 0.0, and True is not 1)."""

    __slots__ = ("value", "_id")

    def __init__(self, value: Any):
        self.value, self._id = value, (type(value), repr(value))

    def __eq__(self, other: Any) -> bool:
        return isinstance(other, _Key) and self._id == other._id

    def __hash__(self) -> int:
        return hash(self._id)


@functools.lru_cache(maxsize=1024)
def _constructor(shape: tuple[int, ...], dtype: np.dtype, key: _Key) -> Callable[[], jax.Array]:
    value = key.value
    return jax.jit(lambda: jnp.full(shape, value, dtype))


try:
    from jax._src.core import trace_state_clean as _trace_state_clean
except ImportError:              # pragma: no cover - a JAX without it: always the plain path
    _trace_state_clean = None


def _tracing() -> bool:
    return _trace_state_clean is None or not _trace_state_clean()


def filled(shape: Any, value: Any, dtype: Any = None) -> jax.Array:
    """``jnp.full(shape, value, dtype)``, fast outside a trace.

    Resetting a model's state fills many arrays with constants; an eager ``jnp.zeros`` costs
    ~0.1-0.3 ms of dispatch on a CPU, a compiled constructor (cached per shape, dtype and value)
    ~10 us. Each call returns a new array. Inside a trace, or for a non-scalar or NaN
    ``value``, it is ``jnp.full``.

    >>> filled((2, 3), 0.5).tolist()
    [[0.5, 0.5, 0.5], [0.5, 0.5, 0.5]]
    """
    scalar = isinstance(value, (bool, int, float))
    if dtype is None and scalar:   # the default dtype of the scalar's kind, never weakly typed
        dtype = np.bool_ if isinstance(value, bool) else type(value)
    if dtype is not None:
        dtype = jax.dtypes.canonicalize_dtype(dtype)
    dims = (shape,) if isinstance(shape, numbers.Integral) else shape
    static = (isinstance(dims, (tuple, list)) and builtins.all(isinstance(d, numbers.Integral) for d in dims)
              and scalar and value == value)
    if not static or _tracing():
        return jnp.full(shape, value, dtype)
    return _constructor(tuple(int(d) for d in dims), dtype, _Key(value))()


def _creation(fn: Callable, name: str) -> Callable:
    """zeros/ones/empty: catch ``bm.zeros(1, 3)`` (a size where the dtype goes); fast outside a
    trace (:func:`filled`)."""
    fill = 1.0 if name == "ones" else 0.0

    @functools.wraps(fn)
    def wrapper(shape, dtype=None, *args, **kwargs):
        if isinstance(dtype, numbers.Integral) and not isinstance(dtype, bool):
            raise TypeError(describe(f"bm.{name}(shape, dtype)", "a dtype as the second argument",
                                     f"the int {dtype}",
                                     f"pass the shape as one tuple: bm.{name}(({shape}, {dtype}))"))
        shape = unwrap_tree(shape)
        if args or kwargs:
            return fn(shape, dtype, *args, **kwargs)
        return filled(shape, fill, dtype)      # dtype None: the default float, as jnp.zeros
    return wrapper


def _export(namespace: dict, source: Any, names: list[str]) -> None:
    for name in names:
        obj = getattr(source, name)
        if isinstance(obj, type) or not callable(obj):
            namespace[name] = obj                      # dtypes, classes, constants
        elif name in ("zeros", "ones", "empty"):
            namespace[name] = _creation(obj, name)
        else:
            namespace[name] = accept_variables(obj)
        __all__.append(name)


# float_/int_/complex_ follow the configured precision (``bm.float_``, see math/__init__)
_export(globals(), jnp, [n for n in dir(jnp) if not n.startswith("_")
                         and not isinstance(getattr(jnp, n), type(jnp))
                         and n not in ("float_", "int_", "complex_")])
_export(globals(), jax.nn, ["relu", "relu6", "sigmoid", "softmax", "log_softmax", "softplus", "gelu",
                            "silu", "swish", "elu", "selu", "celu", "leaky_relu", "hard_tanh",
                            "log_sigmoid", "one_hot", "logsumexp", "standardize", "glu",
                            "hard_sigmoid", "hard_swish", "soft_sign", "sparse_plus"])
linalg = jnp.linalg
fft = jnp.fft
__all__ += ["linalg", "fft", "as_jax", "as_numpy", "ndarray"]
ndarray = jax.Array        # ``bm.Array`` (BrainPy's mutable array) is the Variable box: see math/__init__


def as_jax(x: Any, dtype: Any = None) -> jax.Array:
    """The value as a JAX array (Variables unwrapped)."""
    return jnp.asarray(unwrap_tree(x), dtype=dtype)


def as_numpy(x: Any) -> np.ndarray:
    """The value as a numpy array (Variables unwrapped)."""
    return np.asarray(unwrap_tree(x))
