"""numpy-like functions: ``jax.numpy`` (and ``jax.nn``) names that also accept Variables.

One generic wrapper, applied to every public function of ``jax.numpy`` at import — not a
hand-written copy per function. Dtypes, classes and constants are re-exported unchanged.

    >>> import neurodyn.math as bm
    >>> v = bm.Variable(bm.ones((2, 2)))
    >>> bm.dot(v, v).tolist()
    [[2.0, 2.0], [2.0, 2.0]]
"""
from __future__ import annotations

import functools
import numbers
from typing import Any, Callable

import jax
import jax.numpy as jnp
import numpy as np

from neurodyn.errors import describe
from neurodyn.math._variable import unwrap_tree

__all__: list[str] = []


def accept_variables(fn: Callable) -> Callable:
    """Wrap ``fn`` so that Variables among its arguments are replaced by their values."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        return fn(*unwrap_tree(args), **unwrap_tree(kwargs))
    return wrapper


def _creation(fn: Callable, name: str) -> Callable:
    """zeros/ones/empty: catch ``bm.zeros(1, 3)`` (a size where the dtype goes)."""

    @functools.wraps(fn)
    def wrapper(shape, dtype=None, *args, **kwargs):
        if isinstance(dtype, numbers.Integral) and not isinstance(dtype, bool):
            raise TypeError(describe(f"bm.{name}(shape, dtype)", "a dtype as the second argument",
                                     f"the int {dtype}",
                                     f"pass the shape as one tuple: bm.{name}(({shape}, {dtype}))"))
        return fn(unwrap_tree(shape), dtype, *args, **kwargs)
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


_export(globals(), jnp, [n for n in dir(jnp) if not n.startswith("_")
                         and not isinstance(getattr(jnp, n), type(jnp))])
_export(globals(), jax.nn, ["relu", "relu6", "sigmoid", "softmax", "log_softmax", "softplus", "gelu",
                            "silu", "swish", "elu", "selu", "celu", "leaky_relu", "hard_tanh",
                            "log_sigmoid", "one_hot", "logsumexp", "standardize", "glu",
                            "hard_sigmoid", "hard_swish", "soft_sign", "sparse_plus"])
linalg = jnp.linalg
fft = jnp.fft
Array = jax.Array
__all__ += ["linalg", "fft", "Array", "as_jax", "as_numpy", "ndarray"]
ndarray = jax.Array


def as_jax(x: Any, dtype: Any = None) -> jax.Array:
    """The value as a JAX array (Variables unwrapped)."""
    return jnp.asarray(unwrap_tree(x), dtype=dtype)


def as_numpy(x: Any) -> np.ndarray:
    """The value as a numpy array (Variables unwrapped)."""
    return np.asarray(unwrap_tree(x))
