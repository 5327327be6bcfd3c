"""The surrogate-gradient machinery: one spike primitive, one base class, one function factory.

A surrogate spike function is the Heaviside step on the way forward and a smooth
derivative on the way back. :class:`Surrogate` owns the forward pass, the
``jax.custom_jvp`` rule, validation, ``repr``, equality and hashing; a subclass only
declares its parameters in ``__init__`` and gives :meth:`Surrogate.derivative`.

    >>> import jax.numpy as jnp
    >>> class Box(Surrogate):
    ...     def __init__(self, width: float = 1.0):
    ...         super().__init__(width=width)
    ...     def derivative(self, x):
    ...         return jnp.where(jnp.abs(x) <= self.width, 0.5 / self.width, 0.0)
    >>> Box(2.0)
    Box(width=2.0)
    >>> Box()(jnp.array([-1.0, 0.0, 1.0]))
    Array([0., 1., 1.], dtype=float32)
"""
from __future__ import annotations

import functools
import inspect
import math
from typing import Any, Callable, Iterable

import jax
import jax.numpy as jnp

from neurodyn.check import is_non_negative, is_positive
from neurodyn.errors import DtypeError, describe
from neurodyn.math._variable import unwrap

__all__ = ["Surrogate", "as_function", "names_table", "lookup"]


def _as_float_array(x: Any, who: str) -> jax.Array:
    """``x`` as a JAX array of a real floating dtype (ints and bools become the default float)."""
    x = jnp.asarray(x)
    if jnp.issubdtype(x.dtype, jnp.complexfloating):
        raise DtypeError(describe(who, "a real-valued input", f"dtype {x.dtype}",
                                  "pass the real part, e.g. jnp.real(x)"))
    if not jnp.issubdtype(x.dtype, jnp.floating):
        x = x.astype(jax.dtypes.canonicalize_dtype(jnp.float64))
    return x


def _step(x: jax.Array) -> jax.Array:
    return (x >= 0).astype(x.dtype)


@functools.partial(jax.custom_jvp, nondiff_argnums=(0,))
def _spike(surrogate: "Surrogate", x: jax.Array) -> jax.Array:
    return _step(x)


@_spike.defjvp
def _spike_jvp(surrogate: "Surrogate", primals: tuple, tangents: tuple) -> tuple:
    (x,), (x_dot,) = primals, tangents
    slope = jnp.asarray(surrogate.derivative(x)).astype(x.dtype)
    return _step(x), slope * x_dot


class Surrogate:
    """Base class of spike functions with a surrogate gradient.

    ``f(x)`` is the Heaviside step of ``x`` (1.0 where ``x >= 0``, else 0.0, in ``x``'s
    floating dtype; integer input gives float32); its derivative under ``jax.grad``,
    ``jax.jvp``, ``jax.jacfwd``, ... is :meth:`derivative`. Instances are immutable,
    compare equal when their class and parameters match, and are hashable.

    Subclasses call ``super().__init__(name=value, ...)`` with their parameters (all
    must be positive, except those listed in the class attribute ``non_negative``)
    and implement :meth:`derivative`.
    """

    non_negative: tuple[str, ...] = ()

    def __init__(self, **params: float) -> None:
        who = type(self).__name__
        checked = {}
        for name, value in params.items():
            check = is_non_negative if name in self.non_negative else is_positive
            check(value, name, who)
            if not math.isfinite(value):
                raise ValueError(describe(who, f"{name} to be finite", repr(value)))
            checked[name] = float(value)
        object.__setattr__(self, "_params", checked)

    def __getattr__(self, name: str) -> float:
        params = self.__dict__.get("_params", {})
        if name in params:
            return params[name]
        raise AttributeError(f"{type(self).__name__} has no attribute {name!r}")

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(describe(type(self).__name__, "no attribute assignment (surrogates "
                                      "are immutable)", f"{name} = {value!r}",
                                      f"build a new one, e.g. {type(self).__name__}({name}=...)"))

    @property
    def params(self) -> dict[str, float]:
        """The parameters, by name, in declaration order."""
        return dict(self._params)

    def derivative(self, x: jax.Array) -> jax.Array:
        """The surrogate derivative ``d spike / d x`` evaluated at ``x`` (elementwise)."""
        raise TypeError(f"{type(self).__name__} must define derivative(x), the surrogate d spike/d x")

    def __call__(self, x: Any) -> jax.Array:
        """Spike (Heaviside) of ``x``, differentiable through :meth:`derivative`."""
        return _spike(self, _as_float_array(unwrap(x), repr(self)))

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in self._params.items())
        return f"{type(self).__name__}({args})"

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and other._params == self._params

    def __hash__(self) -> int:
        return hash((type(self), tuple(self._params.items())))

    def __reduce__(self) -> tuple:
        return (type(self), tuple(self._params.values()))


def as_function(cls: type[Surrogate], name: str) -> Callable[..., jax.Array]:
    """The functional form of ``cls``: ``name(x, **params)`` is ``cls(**params)(x)``.

    The returned function has the signature ``(x, <cls's parameters with defaults>)``.
    """
    params = list(inspect.signature(cls).parameters.values())
    x_param = inspect.Parameter("x", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation="ArrayLike")

    def spike(x: Any, *args: float, **kwargs: float) -> jax.Array:
        return cls(*args, **kwargs)(x)

    spike.__name__ = spike.__qualname__ = name
    spike.__module__ = cls.__module__
    spike.__signature__ = inspect.Signature([x_param, *params], return_annotation="jax.Array")
    defaults = ", ".join(f"{p.name}={p.default!r}" for p in params)
    spike.__doc__ = (f"Heaviside spike of ``x`` with the :class:`{cls.__name__}` surrogate gradient.\n\n"
                     f"``{name}(x, {defaults})`` is ``{cls.__name__}({defaults})(x)``; see "
                     f":class:`{cls.__name__}` for the derivative formula.")
    return spike


def names_table(classes: Iterable[type[Surrogate]], aliases: dict[str, type[Surrogate]]) -> dict:
    """Map normalised names (lower case, no ``_``/``-``) of ``classes`` and ``aliases`` to classes."""
    table = {_normalise(c.__name__): c for c in classes}
    table.update({_normalise(k): v for k, v in aliases.items()})
    return table


def _normalise(name: str) -> str:
    return name.lower().replace("_", "").replace("-", "").replace(" ", "")


def lookup(spec: Any, table: dict, valid_names: Iterable[str], who: str = "surrogate.get") -> Surrogate:
    """Resolve ``spec`` (instance, class or name) to a :class:`Surrogate` instance; errors name ``who``."""
    if isinstance(spec, Surrogate):
        return spec
    if isinstance(spec, type) and issubclass(spec, Surrogate):
        if spec is Surrogate:
            raise TypeError(describe(who, "a concrete surrogate (e.g. Sigmoid)",
                                     "the abstract base class Surrogate"))
        return spec()
    if isinstance(spec, str):
        cls = table.get(_normalise(spec))
        if cls is None:
            raise ValueError(describe(who, "one of the surrogate names "
                                      f"({', '.join(valid_names)})", repr(spec)))
        return cls()
    got = f"class {spec.__name__}" if isinstance(spec, type) else f"{type(spec).__name__} {spec!r}"
    raise TypeError(describe(who, "a Surrogate instance, a Surrogate class or a name",
                             got, "pass e.g. 'sigmoid', bm.surrogate.Sigmoid or Sigmoid(alpha=4.0)"))
