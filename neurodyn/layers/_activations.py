"""Activation layers (``ReLU()``, ``Softmax(dim=-1)``, ...), ``Identity`` and ``Flatten``.

Every elementwise activation is one generic class, :class:`Activation`, specialised by a
function and its parameters (one line each below) — not a hand-written class per function.

    >>> import neurodyn.math as bm
    >>> from neurodyn.layers import ReLU, LeakyReLU, Softmax, Flatten
    >>> ReLU()(bm.array([-1., 2.])).tolist()
    [0.0, 2.0]
    >>> LeakyReLU(0.1)(bm.array([-1., 2.])).tolist()
    [-0.10000000149011612, 2.0]
    >>> Softmax(dim=-1)(bm.zeros((2, 4))).sum(-1).tolist()
    [1.0, 1.0]
    >>> Flatten(mode=bm.BatchingMode(2))(bm.ones((2, 3, 4))).shape
    (2, 12)
"""
from __future__ import annotations

import numbers
from typing import Any, Callable

import jax
import jax.numpy as jnp

import neurodyn.math as bm
from neurodyn.check import is_integer
from neurodyn.core import DynamicalSystem
from neurodyn.errors import ShapeError, describe
from neurodyn.layers._base import as_array

__all__ = ["Activation", "ReLU", "Tanh", "Sigmoid", "GELU", "SiLU", "ELU", "LeakyReLU", "Softmax",
           "LogSoftmax", "Softplus", "Identity", "Flatten", "get_activation"]


# -- parameter validators ------------------------------------------------------------------------
def _real(name: str, value: Any, owner: str) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(describe(owner, f"{name} to be a real number", f"{type(value).__name__} {value!r}"))
    return value


def _positive(name: str, value: Any, owner: str) -> float:
    if not _real(name, value, owner) > 0:
        raise ValueError(describe(owner, f"{name} > 0", repr(value)))
    return value


def _axis(name: str, value: Any, owner: str) -> int:
    return is_integer(value, name, owner)


def _approximate(name: str, value: Any, owner: str) -> str:
    if value not in ("none", "tanh"):
        raise ValueError(describe(owner, f"{name} 'none' (exact erf) or 'tanh'", repr(value)))
    return value


# -- the generic elementwise layer ---------------------------------------------------------------
class Activation(DynamicalSystem):
    """Apply a fixed function to the input; subclasses choose the function and its parameters.

    Parameters are given positionally (in the documented order) or by keyword, plus ``mode`` and
    ``name``. The layer has no state and no trainable parameters.
    """

    params: dict[str, tuple[Any, Callable]] = {}   # name -> (default, validator)

    def __init__(self, *args: Any, mode: bm.Mode | None = None, name: str | None = None, **kwargs: Any):
        super().__init__(name=name, mode=mode)
        names = list(self.params)
        if len(args) > len(names):
            raise TypeError(describe(self.describe(), f"at most {len(names)} positional arguments "
                                     f"({', '.join(names) or 'none'})", f"{len(args)}"))
        values = dict(zip(names, args))
        for key, value in kwargs.items():
            if key not in self.params or key in values:
                why = "a duplicate" if key in values else "an unknown"
                raise TypeError(describe(self.describe(), f"arguments among ({', '.join(names)})",
                                         f"{why} argument {key!r}"))
            values[key] = value
        for key, (default, validate) in self.params.items():
            setattr(self, key, validate(key, values.get(key, default), self.describe()))

    def function(self, x: jax.Array, **params: Any) -> jax.Array:
        """The function applied by ``update``; subclasses define it."""
        raise TypeError(f"{type(self).__name__} defines no function")

    def update(self, x: Any) -> jax.Array:
        x = as_array(x, self.describe())
        if "dim" in self.params and not -x.ndim <= self.dim < max(x.ndim, 1):
            raise ShapeError(describe(self.describe(), f"an input with axis dim={self.dim}",
                                      f"shape {tuple(x.shape)}"))
        return self.function(x, **{k: getattr(self, k) for k in self.params})


def _activation(name: str, fn: Callable, doc: str, **params: tuple[Any, Callable]) -> type:
    return type(name, (Activation,), {"function": lambda self, x, **kw: fn(x, **kw),
                                      "params": params, "repr_fields": tuple(params), "__doc__": doc,
                                      "__module__": __name__})


def _softplus(x, beta, threshold):
    bx = beta * x
    return jnp.where(bx > threshold, x, jax.nn.softplus(bx) / beta)


ReLU = _activation("ReLU", lambda x: jax.nn.relu(x), "``max(x, 0)``.")
Tanh = _activation("Tanh", lambda x: jnp.tanh(x), "``tanh(x)``.")
Sigmoid = _activation("Sigmoid", lambda x: jax.nn.sigmoid(x), "``1 / (1 + exp(-x))``.")
SiLU = _activation("SiLU", lambda x: jax.nn.silu(x), "``x * sigmoid(x)`` (swish).")
GELU = _activation("GELU", lambda x, approximate: jax.nn.gelu(x, approximate=approximate == "tanh"),
                   "Gaussian error linear unit; ``approximate='none'`` (exact, erf) or ``'tanh'``.",
                   approximate=("none", _approximate))
ELU = _activation("ELU", lambda x, alpha: jax.nn.elu(x, alpha),
                  "``x`` if ``x > 0`` else ``alpha * (exp(x) - 1)``.", alpha=(1.0, _real))
LeakyReLU = _activation("LeakyReLU", lambda x, negative_slope: jax.nn.leaky_relu(x, negative_slope),
                        "``x`` if ``x >= 0`` else ``negative_slope * x``.",
                        negative_slope=(0.01, _real))
Softmax = _activation("Softmax", lambda x, dim: jax.nn.softmax(x, axis=dim),
                      "``exp(x) / sum(exp(x))`` along axis ``dim`` (default the last).",
                      dim=(-1, _axis))
LogSoftmax = _activation("LogSoftmax", lambda x, dim: jax.nn.log_softmax(x, axis=dim),
                         "``log(softmax(x))`` along axis ``dim``, computed stably.", dim=(-1, _axis))
Softplus = _activation("Softplus", _softplus,
                       "``log(1 + exp(beta * x)) / beta``; linear where ``beta * x > threshold``.",
                       beta=(1.0, _positive), threshold=(20.0, _real))
Identity = _activation("Identity", lambda x: x, "Return the input unchanged (a placeholder layer).")


class Flatten(DynamicalSystem):
    """Merge the axes ``start_dim`` .. ``end_dim`` (inclusive) into one.

    Args:
        start_dim: first axis to merge; default 1 in batching/training modes (keep the batch
            axis) and 0 in non-batching mode.
        end_dim: last axis to merge (default -1, the last).
        mode: the computing mode; name: a unique name.

        >>> import neurodyn.math as bm
        >>> from neurodyn.layers import Flatten
        >>> Flatten()(bm.ones((3, 4))).shape
        (12,)
    """

    repr_fields = ("start_dim", "end_dim")

    def __init__(self, start_dim: int | None = None, end_dim: int = -1, mode: bm.Mode | None = None,
                 name: str | None = None):
        super().__init__(name=name, mode=mode)
        if start_dim is None:
            start_dim = 1 if self.mode.batching else 0
        self.start_dim = is_integer(start_dim, "start_dim", self.describe())
        self.end_dim = is_integer(end_dim, "end_dim", self.describe())

    def update(self, x: Any) -> jax.Array:
        x = as_array(x, self.describe())
        n = x.ndim
        start, end = self.start_dim, self.end_dim
        if not (-n <= start < n and -n <= end < n) or start % n > end % n:
            raise ShapeError(describe(self.describe(), f"an input where axes start_dim={start} .. "
                                      f"end_dim={end} exist and are in order", f"shape {tuple(x.shape)}"))
        start, end = start % n, end % n
        return x.reshape(x.shape[:start] + (-1,) + x.shape[end + 1:])


# -- activation functions by name (for the ``activation=`` argument of cells and reservoirs) ------
_FUNCTIONS: dict[str, Callable] = {
    "tanh": jnp.tanh, "relu": jax.nn.relu, "sigmoid": jax.nn.sigmoid, "gelu": jax.nn.gelu,
    "silu": jax.nn.silu, "swish": jax.nn.silu, "elu": jax.nn.elu, "selu": jax.nn.selu,
    "leaky_relu": jax.nn.leaky_relu, "softplus": jax.nn.softplus, "relu6": jax.nn.relu6,
    "hard_tanh": jax.nn.hard_tanh, "log_sigmoid": jax.nn.log_sigmoid, "soft_sign": jax.nn.soft_sign,
    "identity": lambda x: x, "linear": lambda x: x,
}


def get_activation(spec: str | Callable, owner: str = "activation") -> Callable:
    """The function named ``spec`` (``'tanh'``, ``'relu'``, ...), or ``spec`` itself if callable.

        >>> get_activation('relu')(-1.).item()
        0.0
    """
    if isinstance(spec, str):
        if spec not in _FUNCTIONS:
            raise ValueError(describe(owner, f"activation one of {sorted(_FUNCTIONS)} or a callable",
                                      repr(spec)))
        return _FUNCTIONS[spec]
    if callable(spec):
        return spec
    raise TypeError(describe(owner, "activation given as a name or a callable",
                             f"{type(spec).__name__} {spec!r}"))
