"""Spike functions with surrogate gradients (``bm.surrogate``).

Every surrogate is the Heaviside step forward (1.0 where ``x >= 0``, else 0.0, in ``x``'s
floating dtype) and a smooth derivative backward, through ``jax.custom_jvp``, so it works
under ``jax.grad``, ``jax.jit``, ``jax.vmap``, ``jax.lax.scan`` and ``jax.jacfwd``. Each is a
class (``Sigmoid(alpha=4.0)``, an immutable callable) and a function (``sigmoid(x, alpha=4.0)``,
which is the class's call). :func:`get` resolves a name, class or instance.

    >>> import jax, jax.numpy as jnp
    >>> import neurodyn.math.surrogate as surrogate
    >>> f = surrogate.Sigmoid(alpha=4.0)
    >>> f(jnp.array([-1.0, 0.0, 1.0]))
    Array([0., 1., 1.], dtype=float32)
    >>> float(jax.grad(f)(0.0))  # alpha / 4 at x = 0
    1.0
    >>> surrogate.get("superspike")
    FastSigmoid(beta=10.0)
"""
from __future__ import annotations

import math
from typing import Any

import jax
import jax.numpy as jnp

from neurodyn.math._surrogate_base import Surrogate, as_function, lookup, names_table

__all__ = [
    "Surrogate", "get",
    "Sigmoid", "FastSigmoid", "SuperSpike", "Arctan", "ATan", "ERF", "PiecewiseQuadratic",
    "PiecewiseLinear", "Triangle", "GaussianGrad", "MultiGaussianGrad", "SoftSign", "LeakyRelu",
    "InvSquareGrad", "PiecewiseExp", "NonzeroSignLog", "SlayerGrad", "ReluGrad",
    "sigmoid", "fast_sigmoid", "arctan", "erf", "piecewise_quadratic", "piecewise_linear",
    "gaussian_grad", "multi_gaussian_grad", "soft_sign", "leaky_relu", "inv_square_grad",
    "piecewise_exp", "nonzero_sign_log", "slayer_grad", "relu_grad",
]

_SQRT_PI = math.sqrt(math.pi)
_SQRT_2PI = math.sqrt(2.0 * math.pi)


def _inverse_square(x: jax.Array, k: float) -> jax.Array:
    return 1.0 / (1.0 + k * jnp.abs(x)) ** 2


def _triangle(x: jax.Array, half_width: float) -> jax.Array:
    """Unit-area triangle on ``[-half_width, half_width]``."""
    return jnp.maximum(0.0, 1.0 - jnp.abs(x) / half_width) / half_width


def _gauss(x: jax.Array, mu: float, sigma: float) -> jax.Array:
    return jnp.exp(-((x - mu) ** 2) / (2.0 * sigma ** 2)) / (_SQRT_2PI * sigma)


class Sigmoid(Surrogate):
    r"""Derivative of a sigmoid of slope ``alpha``: :math:`g'(x) = \alpha s(\alpha x)(1 - s(\alpha x))`.

    >>> float(Sigmoid(alpha=4.0).derivative(0.0))
    1.0
    """

    def __init__(self, alpha: float = 4.0) -> None:
        super().__init__(alpha=alpha)

    def derivative(self, x: jax.Array) -> jax.Array:
        z = self.alpha * x  # s(z)(1 - s(z)) written as s(z)s(-z): no cancellation for large z
        return self.alpha * jax.nn.sigmoid(z) * jax.nn.sigmoid(-z)


class FastSigmoid(Surrogate):
    r"""SuperSpike (Zenke & Ganguli 2018): :math:`g'(x) = 1 / (1 + \beta |x|)^2`.

    >>> float(FastSigmoid(beta=10.0).derivative(0.1))
    0.25
    """

    def __init__(self, beta: float = 10.0) -> None:
        super().__init__(beta=beta)

    def derivative(self, x: jax.Array) -> jax.Array:
        return _inverse_square(x, self.beta)


class Arctan(Surrogate):
    r"""Derivative of an arctan: :math:`g'(x) = \frac{\alpha}{2(1 + (\frac{\pi}{2}\alpha x)^2)}`.

    >>> float(Arctan(alpha=1.0).derivative(0.0))
    0.5
    """

    def __init__(self, alpha: float = 1.0) -> None:
        super().__init__(alpha=alpha)

    def derivative(self, x: jax.Array) -> jax.Array:
        return self.alpha / (2.0 * (1.0 + (0.5 * math.pi * self.alpha * x) ** 2))


class ERF(Surrogate):
    r"""Derivative of :math:`\frac{1}{2}\mathrm{erfc}(-\alpha x)`: :math:`g'(x) = \frac{\alpha}{\sqrt\pi} e^{-\alpha^2 x^2}`.

    >>> round(float(ERF(alpha=1.0).derivative(0.0)), 4)
    0.5642
    """

    def __init__(self, alpha: float = 1.0) -> None:
        super().__init__(alpha=alpha)

    def derivative(self, x: jax.Array) -> jax.Array:
        return self.alpha / _SQRT_PI * jnp.exp(-(self.alpha * x) ** 2)


class PiecewiseQuadratic(Surrogate):
    r"""Derivative of a piecewise quadratic: :math:`g'(x) = \max(0, \alpha - \alpha^2 |x|)`.

    Zero for :math:`|x| > 1/\alpha` (Esser et al. 2016; Bellec et al. 2018).

    >>> float(PiecewiseQuadratic(alpha=1.0).derivative(0.5))
    0.5
    """

    def __init__(self, alpha: float = 1.0) -> None:
        super().__init__(alpha=alpha)

    def derivative(self, x: jax.Array) -> jax.Array:
        return _triangle(x, 1.0 / self.alpha)


class PiecewiseLinear(Surrogate):
    r"""Unit-area triangle of half-width ``width``: :math:`g'(x) = \max(0, 1 - |x|/w) / w`.

    >>> float(PiecewiseLinear(width=1.0).derivative(0.5))
    0.5
    """

    def __init__(self, width: float = 1.0) -> None:
        super().__init__(width=width)

    def derivative(self, x: jax.Array) -> jax.Array:
        return _triangle(x, self.width)


class GaussianGrad(Surrogate):
    r"""Scaled Gaussian density: :math:`g'(x) = \alpha\, \mathcal{N}(x; 0, \sigma^2)` (Yin et al. 2021).

    >>> round(float(GaussianGrad(sigma=0.5, alpha=0.5).derivative(0.0)), 4)
    0.3989
    """

    def __init__(self, sigma: float = 0.5, alpha: float = 0.5) -> None:
        super().__init__(sigma=sigma, alpha=alpha)

    def derivative(self, x: jax.Array) -> jax.Array:
        return self.alpha * _gauss(x, 0.0, self.sigma)


class MultiGaussianGrad(Surrogate):
    r"""Mexican-hat of Gaussians (Yin et al. 2021):

    :math:`g'(x) = c\,[(1+h)\mathcal{N}(x; 0, \sigma^2) - h\mathcal{N}(x; \sigma, (s\sigma)^2)
    - h\mathcal{N}(x; -\sigma, (s\sigma)^2)]`, with ``c = scale`` (``h >= 0``).

    >>> round(float(MultiGaussianGrad().derivative(0.0)), 4)
    0.4391
    """

    non_negative = ("h",)

    def __init__(self, h: float = 0.15, s: float = 6.0, sigma: float = 0.5, scale: float = 0.5) -> None:
        super().__init__(h=h, s=s, sigma=sigma, scale=scale)

    def derivative(self, x: jax.Array) -> jax.Array:
        wide = self.s * self.sigma
        side = _gauss(x, self.sigma, wide) + _gauss(x, -self.sigma, wide)
        return self.scale * ((1.0 + self.h) * _gauss(x, 0.0, self.sigma) - self.h * side)


class SoftSign(Surrogate):
    r"""Derivative of a soft sign: :math:`g'(x) = \frac{\alpha}{2(1 + \alpha |x|)^2}`.

    >>> float(SoftSign(alpha=1.0).derivative(0.0))
    0.5
    """

    def __init__(self, alpha: float = 1.0) -> None:
        super().__init__(alpha=alpha)

    def derivative(self, x: jax.Array) -> jax.Array:
        return 0.5 * self.alpha * _inverse_square(x, self.alpha)


class LeakyRelu(Surrogate):
    r"""Two constant slopes: :math:`g'(x) = \alpha` for :math:`x < 0`, :math:`\beta` for :math:`x \ge 0`.

    Both may be zero.

    >>> LeakyRelu(alpha=0.5, beta=1.0).derivative(jnp.array([-1.0, 0.0])).tolist()
    [0.5, 1.0]
    """

    non_negative = ("alpha", "beta")

    def __init__(self, alpha: float = 0.1, beta: float = 1.0) -> None:
        super().__init__(alpha=alpha, beta=beta)

    def derivative(self, x: jax.Array) -> jax.Array:
        return jnp.where(x < 0, self.alpha, self.beta)


class InvSquareGrad(Surrogate):
    r"""Inverse square: :math:`g'(x) = 1 / (\alpha |x| + 1)^2` (the SuperSpike shape, steeper default).

    >>> float(InvSquareGrad(alpha=100.0).derivative(0.01))
    0.25
    """

    def __init__(self, alpha: float = 100.0) -> None:
        super().__init__(alpha=alpha)

    def derivative(self, x: jax.Array) -> jax.Array:
        return _inverse_square(x, self.alpha)


class PiecewiseExp(Surrogate):
    r"""Laplace shape: :math:`g'(x) = \frac{\alpha}{2} e^{-\alpha |x|}`.

    >>> float(PiecewiseExp(alpha=1.0).derivative(0.0))
    0.5
    """

    def __init__(self, alpha: float = 1.0) -> None:
        super().__init__(alpha=alpha)

    def derivative(self, x: jax.Array) -> jax.Array:
        return 0.5 * self.alpha * jnp.exp(-self.alpha * jnp.abs(x))


class NonzeroSignLog(Surrogate):
    r"""Derivative of :math:`\mathrm{sign}(x)\log(1 + \alpha|x|)`: :math:`g'(x) = \frac{1}{1/\alpha + |x|}`.

    >>> float(NonzeroSignLog(alpha=1.0).derivative(1.0))
    0.5
    """

    def __init__(self, alpha: float = 1.0) -> None:
        super().__init__(alpha=alpha)

    def derivative(self, x: jax.Array) -> jax.Array:
        return 1.0 / (1.0 / self.alpha + jnp.abs(x))


class SlayerGrad(Surrogate):
    r"""SLAYER (Shrestha & Orchard 2018): :math:`g'(x) = e^{-\alpha |x|}`.

    >>> float(SlayerGrad(alpha=1.0).derivative(0.0))
    1.0
    """

    def __init__(self, alpha: float = 1.0) -> None:
        super().__init__(alpha=alpha)

    def derivative(self, x: jax.Array) -> jax.Array:
        return jnp.exp(-self.alpha * jnp.abs(x))


class ReluGrad(Surrogate):
    r"""Rectified triangle (Neftci et al. 2019): :math:`g'(x) = \max(0, \alpha(w - |x|))`, ``w = width``.

    >>> round(float(ReluGrad(alpha=0.3, width=1.0).derivative(0.0)), 4)
    0.3
    """

    def __init__(self, alpha: float = 0.3, width: float = 1.0) -> None:
        super().__init__(alpha=alpha, width=width)

    def derivative(self, x: jax.Array) -> jax.Array:
        return jnp.maximum(0.0, self.alpha * (self.width - jnp.abs(x)))


SuperSpike = FastSigmoid
ATan = Arctan
Triangle = PiecewiseLinear

sigmoid = as_function(Sigmoid, "sigmoid")
fast_sigmoid = as_function(FastSigmoid, "fast_sigmoid")
arctan = as_function(Arctan, "arctan")
erf = as_function(ERF, "erf")
piecewise_quadratic = as_function(PiecewiseQuadratic, "piecewise_quadratic")
piecewise_linear = as_function(PiecewiseLinear, "piecewise_linear")
gaussian_grad = as_function(GaussianGrad, "gaussian_grad")
multi_gaussian_grad = as_function(MultiGaussianGrad, "multi_gaussian_grad")
soft_sign = as_function(SoftSign, "soft_sign")
leaky_relu = as_function(LeakyRelu, "leaky_relu")
inv_square_grad = as_function(InvSquareGrad, "inv_square_grad")
piecewise_exp = as_function(PiecewiseExp, "piecewise_exp")
nonzero_sign_log = as_function(NonzeroSignLog, "nonzero_sign_log")
slayer_grad = as_function(SlayerGrad, "slayer_grad")
relu_grad = as_function(ReluGrad, "relu_grad")

_FUNCTIONS = (sigmoid, fast_sigmoid, arctan, erf, piecewise_quadratic, piecewise_linear,
              gaussian_grad, multi_gaussian_grad, soft_sign, leaky_relu, inv_square_grad,
              piecewise_exp, nonzero_sign_log, slayer_grad, relu_grad)
_ALIASES = {"superspike": FastSigmoid, "atan": Arctan, "triangle": PiecewiseLinear}
_VALID_NAMES = tuple(f.__name__ for f in _FUNCTIONS) + tuple(_ALIASES)
_TABLE = names_table((Sigmoid, FastSigmoid, Arctan, ERF, PiecewiseQuadratic, PiecewiseLinear,
                      GaussianGrad, MultiGaussianGrad, SoftSign, LeakyRelu, InvSquareGrad,
                      PiecewiseExp, NonzeroSignLog, SlayerGrad, ReluGrad), _ALIASES)


def get(spec: Any, who: str = "surrogate.get") -> Surrogate:
    """Resolve a surrogate from an instance (returned as is), a class (built with its defaults) or a name.

    Names are case-insensitive and ignore underscores: ``'fast_sigmoid'``, ``'FastSigmoid'``,
    ``'superspike'``, ``'relu_grad'``, ...

    Raises (naming ``who``, e.g. the neuron group that asked):
        ValueError: an unknown name (the message lists the valid ones).
        TypeError: anything else.

    >>> get("fast_sigmoid"), get(ReluGrad), get(Sigmoid(alpha=2.0))
    (FastSigmoid(beta=10.0), ReluGrad(alpha=0.3, width=1.0), Sigmoid(alpha=2.0))
    """
    return lookup(spec, _TABLE, _VALID_NAMES, who)
