"""Weight initializers: callables ``init(shape, dtype=None) -> array``, with BrainPy's names,
positional orders and defaults (``Normal(mean=0., scale=1.)``, ``TruncatedNormal(loc, scale,
lower, upper)``, ``KaimingNormal(scale=2., mode='fan_in', distribution='truncated_normal')``...).

Samples are drawn with numpy: from ``seed`` when one is given (each initializer then keeps its
own generator, so repeated calls differ but a program is reproducible), otherwise from a seed
taken from the default ``bm.random`` generator (``bm.random.seed(s)`` fixes them). No JAX program
is compiled per weight shape, so building a large model is fast. Arrays come in the configured
float dtype (``bm.float_``: float32, or float64 after ``bm.enable_x64()``).

    >>> import neurodyn as bp, neurodyn.math as bm
    >>> w = bp.init.Normal(0.5, 0.01)((20, 30))            # mean 0.5, standard deviation 0.01
    >>> w.shape, round(float(w.mean()), 1)
    ((20, 30), 0.5)
    >>> bp.init.Constant(2.)((2,)).tolist()
    [2.0, 2.0]
"""
from __future__ import annotations

import math
from typing import Any, Sequence

import jax
import jax.numpy as jnp
import numpy as np

import neurodyn.math as bm
from neurodyn.check import is_non_negative, is_positive
from neurodyn.errors import ShapeError, describe

__all__ = ["Initializer", "ZeroInit", "OneInit", "Constant", "Normal", "Uniform", "TruncatedNormal",
           "Gamma", "Exponential", "VarianceScaling", "KaimingNormal", "KaimingUniform", "XavierNormal", "XavierUniform",
           "LecunNormal", "LecunUniform", "Orthogonal", "DeltaOrthogonal", "Identity"]


def _shape(shape: Any) -> tuple[int, ...]:
    return (int(shape),) if isinstance(shape, (int, np.integer)) else tuple(int(s) for s in shape)


class Initializer:
    """Base class: ``__call__(shape, dtype=None)`` returns a new array of that shape."""

    random = True   # whether ``sample`` draws from ``rng`` (constant initializers do not)
    _rng: np.random.Generator | None = None   # set by ``seed=``: this initializer's own generator

    def __call__(self, shape: int | Sequence[int], dtype: Any = None) -> jax.Array:
        shape = _shape(shape)
        rng = None
        if self.random:
            rng = self._rng or np.random.default_rng(bm.random.make_seed())
        return jnp.asarray(self.sample(shape, rng), dtype=dtype or bm.get_float())

    def _seed(self, seed: int | None) -> None:
        """Draw from a generator of this initializer's own when ``seed`` is given."""
        self._rng = None if seed is None else np.random.default_rng(seed)

    def sample(self, shape: tuple[int, ...], rng: np.random.Generator) -> np.ndarray:
        """Draw an array of ``shape`` with ``rng``; subclasses define it."""
        raise TypeError(f"{type(self).__name__} does not define sample(shape)")

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in vars(self).items() if not k.startswith("_"))
        return f"{type(self).__name__}({args})"


class Constant(Initializer):
    """Every entry equals ``value`` (default 1, as BrainPy's)."""

    def __init__(self, value: float = 1.):
        self.value = value

    def __call__(self, shape: int | Sequence[int], dtype: Any = None) -> jax.Array:
        # no random draw, and traceable (state may be reset inside a compiled step)
        return bm.filled(_shape(shape), self.value, dtype or bm.get_float())


class ZeroInit(Constant):
    """All zeros."""

    def __init__(self):
        super().__init__(0.)


class OneInit(Constant):
    """All ``value`` (default 1)."""

    def __init__(self, value: float = 1.):
        super().__init__(value)


class Normal(Initializer):
    """Normal samples of mean ``mean`` and standard deviation ``scale`` (BrainPy's order)."""

    def __init__(self, mean: float = 0., scale: float = 1., seed: int | None = None):
        self.mean = mean
        self.scale = is_non_negative(scale, "scale", "Normal")
        self._seed(seed)

    def sample(self, shape, rng):
        return rng.normal(self.mean, self.scale, size=shape)


class Uniform(Initializer):
    """Uniform samples in ``[min_val, max_val)``."""

    def __init__(self, min_val: float = 0., max_val: float = 1., seed: int | None = None):
        if not max_val > min_val:
            raise ValueError(describe("Uniform", "max_val > min_val", f"min_val={min_val}, max_val={max_val}"))
        self.min_val, self.max_val = min_val, max_val
        self._seed(seed)

    def sample(self, shape, rng):
        return rng.uniform(self.min_val, self.max_val, size=shape)


class TruncatedNormal(Initializer):
    """Normal(``loc``, ``scale``) samples kept inside ``[lower, upper]`` (absolute bounds, as
    BrainPy's; ``None`` is unbounded on that side)."""

    def __init__(self, loc: float = 0., scale: float = 1., lower: float | None = -2.,
                 upper: float | None = 2., seed: int | None = None):
        self.loc = loc
        self.scale = is_positive(scale, "scale", "TruncatedNormal")
        self.lower = -np.inf if lower is None else lower
        self.upper = np.inf if upper is None else upper
        if not self.upper > self.lower:
            raise ValueError(describe("TruncatedNormal", "upper > lower", f"lower={lower}, upper={upper}"))
        self._seed(seed)

    def sample(self, shape, rng):
        lo, hi = (self.lower - self.loc) / self.scale, (self.upper - self.loc) / self.scale
        return _truncated_normal(rng, lo, hi, shape) * self.scale + self.loc


class Gamma(Initializer):
    """Gamma samples with shape parameter ``shape`` and scale ``scale`` (default 1)."""

    def __init__(self, shape: float, scale: float | None = None, seed: int | None = None):
        self.shape = is_positive(shape, "shape", "Gamma")
        self.scale = 1. if scale is None else is_positive(scale, "scale", "Gamma")
        self._seed(seed)

    def sample(self, shape, rng):
        return rng.gamma(self.shape, self.scale, size=shape)


class Exponential(Initializer):
    """Exponential samples of mean ``scale`` (default 1)."""

    def __init__(self, scale: float | None = None, seed: int | None = None):
        self.scale = 1. if scale is None else is_positive(scale, "scale", "Exponential")
        self._seed(seed)

    def sample(self, shape, rng):
        return rng.exponential(self.scale, size=shape)


def _truncated_normal(rng: np.random.Generator, lower: float, upper: float, shape) -> np.ndarray:
    """Standard normal samples truncated to [lower, upper] (inverse-CDF sampling)."""
    from scipy.special import ndtr, ndtri
    lo, hi = ndtr(lower), ndtr(upper)
    return ndtri(rng.uniform(lo, hi, size=shape))


def _fans(shape: tuple[int, ...], in_axis: int = -2, out_axis: int = -1) -> tuple[float, float]:
    if len(shape) < 2:            # a scalar or a vector (a bias): fan_in = fan_out = its size
        return (float(shape[0]),) * 2 if shape else (1., 1.)
    receptive = math.prod(shape) / (shape[in_axis] * shape[out_axis])
    return shape[in_axis] * receptive, shape[out_axis] * receptive


class VarianceScaling(Initializer):
    """Samples with variance ``scale / fan`` (fan = fan_in, fan_out or their average)."""

    def __init__(self, scale: float, mode: str, distribution: str, in_axis: int = -2, out_axis: int = -1,
                 seed: int | None = None):
        if mode not in ("fan_in", "fan_out", "fan_avg"):
            raise ValueError(describe(type(self).__name__, "mode in fan_in/fan_out/fan_avg", repr(mode)))
        if distribution not in ("normal", "truncated_normal", "uniform"):
            raise ValueError(describe(type(self).__name__, "distribution normal/truncated_normal/uniform",
                                      repr(distribution)))
        self.scale = is_positive(scale, "scale", type(self).__name__)
        self.mode, self.distribution, self.in_axis, self.out_axis = mode, distribution, in_axis, out_axis
        self._seed(seed)

    def sample(self, shape, rng):
        fan_in, fan_out = _fans(shape, self.in_axis, self.out_axis)
        fan = {"fan_in": fan_in, "fan_out": fan_out, "fan_avg": (fan_in + fan_out) / 2}[self.mode]
        var = self.scale / fan
        if self.distribution == "uniform":
            lim = math.sqrt(3 * var)
            return rng.uniform(-lim, lim, size=shape)
        if self.distribution == "truncated_normal":
            std = math.sqrt(var) / 0.87962566103423978   # std of N(0,1) truncated to [-2, 2]
            return _truncated_normal(rng, -2., 2., shape) * std
        return rng.normal(0., math.sqrt(var), size=shape)


def _scaling(name: str, base_scale: float, mode: str, distribution: str, doc: str):
    def __init__(self, scale: float = base_scale, mode: str = mode, distribution: str = distribution,
                 in_axis: int = -2, out_axis: int = -1, seed: int | None = None):
        VarianceScaling.__init__(self, scale, mode, distribution, in_axis, out_axis, seed)
    return type(name, (VarianceScaling,), {"__init__": __init__, "__doc__": doc})


KaimingNormal = _scaling("KaimingNormal", 2.0, "fan_in", "truncated_normal", "He et al. 2015: variance 2/fan_in (truncated normal).")
KaimingUniform = _scaling("KaimingUniform", 2.0, "fan_in", "uniform", "He et al. 2015: variance 2/fan_in (uniform).")
XavierNormal = _scaling("XavierNormal", 1.0, "fan_avg", "truncated_normal", "Glorot & Bengio 2010: variance 2/(fan_in+fan_out) (truncated normal).")
XavierUniform = _scaling("XavierUniform", 1.0, "fan_avg", "uniform", "Glorot & Bengio 2010 (uniform).")
LecunNormal = _scaling("LecunNormal", 1.0, "fan_in", "truncated_normal", "LeCun: variance 1/fan_in (truncated normal).")
LecunUniform = _scaling("LecunUniform", 1.0, "fan_in", "uniform", "LeCun: variance 1/fan_in (uniform).")


class Orthogonal(Initializer):
    """A (semi-)orthogonal matrix times ``scale`` (QR of a Gaussian, sign-corrected)."""

    def __init__(self, scale: float = 1., axis: int = -1, seed: int | None = None):
        self.scale = is_positive(scale, "scale", "Orthogonal")
        self.axis = axis
        self._seed(seed)

    def sample(self, shape, rng):
        if len(shape) < 2:
            raise ShapeError(describe("Orthogonal", "a shape with >= 2 axes", f"shape {shape}"))
        n_rows, n_cols = math.prod(shape) // shape[self.axis], shape[self.axis]
        a = rng.normal(size=(max(n_rows, n_cols), min(n_rows, n_cols)))
        q, r = np.linalg.qr(a)
        q = q * np.sign(np.diag(r))
        q = q.T if n_rows < n_cols else q
        q = np.moveaxis(q.reshape(tuple(np.delete(shape, self.axis % len(shape))) + (n_cols,)),
                        -1, self.axis)
        return self.scale * q


class DeltaOrthogonal(Initializer):
    """Delta-orthogonal convolution kernels (Xiao et al. 2018, arXiv:1806.05393): zero except an
    orthogonal ``(in, out)`` matrix at the spatial centre. Shapes ``(*kernel, in, out)``, 3-D to 5-D,
    with ``in <= out``."""

    def __init__(self, scale: float = 1., axis: int = -1, seed: int | None = None):
        self.scale = is_positive(scale, "scale", "DeltaOrthogonal")
        self.axis = axis
        self._seed(seed)

    def sample(self, shape, rng):
        if len(shape) not in (3, 4, 5) or shape[-1] < shape[-2]:
            raise ShapeError(describe("DeltaOrthogonal", "a 3-D to 5-D kernel shape (*kernel, in, out) "
                                      "with in <= out", f"shape {shape}"))
        w = np.zeros(shape)
        w[tuple((k - 1) // 2 for k in shape[:-2])] = Orthogonal(self.scale, self.axis).sample(shape[-2:], rng)
        return w


class Identity(Initializer):
    """``value`` times the identity matrix; rectangular shapes get ones on the main diagonal, and
    a 1-D shape ``(n,)`` gives the ``n x n`` identity (as BrainPy's)."""

    random = False

    def __init__(self, value: float = 1.):
        self.value = value

    def __call__(self, shape: int | Sequence[int], dtype: Any = None) -> jax.Array:
        shape = _shape(shape)
        if len(shape) == 1:
            shape = shape * 2
        return super().__call__(shape, dtype)

    def sample(self, shape, rng):
        if len(shape) != 2:
            raise ShapeError(describe("Identity", "a 1-D or 2-D shape", f"shape {shape}"))
        return self.value * np.eye(*shape)
