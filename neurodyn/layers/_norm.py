"""Normalisation layers: ``BatchNorm1d``/``BatchNorm2d`` (statistics over the batch and spatial
axes, per channel) and ``LayerNorm`` (statistics over each example's last axes).

    >>> import neurodyn as bp, neurodyn.math as bm
    >>> from neurodyn.layers import BatchNorm1d, LayerNorm
    >>> bn = BatchNorm1d(3, mode=bm.BatchingMode(4))
    >>> x = bm.random.normal(2., 3., (4, 3))
    >>> with bp.share.context(fit=True):
    ...     y = bn(x)
    >>> bool(abs(y.mean(0)).max() < 1e-5), bn.running_mean.shape
    (True, (3,))
    >>> LayerNorm(3)(x).std(-1).round(2).tolist()
    [1.0, 1.0, 1.0, 1.0]
"""
from __future__ import annotations

import numbers
from typing import Any, Sequence

import jax
import jax.numpy as jnp

import neurodyn.math as bm
from neurodyn.check import is_integer, is_positive, is_probability
from neurodyn.core import DynamicalSystem, share
from neurodyn.errors import ShapeError, describe
from neurodyn.init import OneInit, ZeroInit
from neurodyn.layers._base import as_array, check_bool, make_param

__all__ = ["BatchNorm1d", "BatchNorm2d", "BatchNorm1D", "BatchNorm2D", "LayerNorm"]


class _BatchNorm(DynamicalSystem):
    """Batch normalisation (Ioffe & Szegedy 2015) of channels-last inputs::

        y = (x - mean) / sqrt(var + epsilon) * scale + bias        (per channel)

    While fitting (``bp.share.load('fit')`` True) ``mean``/``var`` are the batch statistics
    (over every axis but the last), and the running statistics move towards them:
    ``running = momentum * running + (1 - momentum) * batch``. Otherwise the running statistics
    are used and nothing changes. The running statistics are learned, not per-trajectory
    state: ``reset()`` keeps them.

    Args:
        num_features: channels ``C`` (the last axis of the input).
        epsilon: added to the variance (> 0).
        momentum: weight of the old running statistics, in [0, 1].
        affine: learn ``scale`` and ``bias`` (``TrainVar`` s in TrainingMode).
        bias_initializer, scale_initializer: their initial values (shape ``(C,)``).
        mode: a batching or training mode (statistics need a batch); name: a unique name.
    """

    supported_modes = (bm.BatchingMode,)
    repr_fields = ("num_features", "momentum", "epsilon", "affine")
    input_ndims: tuple[int, ...] = ()
    layout = ""

    def __init__(self, num_features: int, epsilon: float = 1e-5, momentum: float = 0.99,
                 affine: bool = True, bias_initializer: Any = ZeroInit(),
                 scale_initializer: Any = OneInit(), mode: bm.Mode | None = None,
                 name: str | None = None):
        super().__init__(name=name, mode=mode)
        who = self.describe()
        self.num_features = is_integer(num_features, "num_features", who, 1)
        self.epsilon = float(is_positive(epsilon, "epsilon", who))
        self.momentum = float(is_probability(momentum, "momentum", who))
        self.affine = check_bool(affine, "affine", who)
        self.running_mean = bm.Variable(jnp.zeros(self.num_features, bm.get_float()))
        self.running_var = bm.Variable(jnp.ones(self.num_features, bm.get_float()))
        if self.affine:
            self.bias = make_param(self, bias_initializer, (self.num_features,), "bias_initializer")
            self.scale = make_param(self, scale_initializer, (self.num_features,), "scale_initializer")

    def update(self, x: Any) -> jax.Array:
        x = as_array(x, self.describe())
        if x.ndim not in self.input_ndims or x.shape[-1] != self.num_features:
            raise ShapeError(describe(self.describe(), f"input of shape {self.layout} with "
                                      f"C={self.num_features}", f"shape {tuple(x.shape)}"))
        if share.load("fit"):
            axes = tuple(range(x.ndim - 1))
            mean = x.mean(axes)
            var = jnp.maximum(0., (x * x).mean(axes) - mean * mean)
            m = self.momentum
            self.running_mean.value = m * self.running_mean.value + (1. - m) * mean
            self.running_var.value = m * self.running_var.value + (1. - m) * var
        else:
            mean, var = self.running_mean.value, self.running_var.value
        mul = jax.lax.rsqrt(var + self.epsilon)
        if self.affine:
            mul = mul * bm.unwrap(self.scale)
        y = (x - mean) * mul
        return y + bm.unwrap(self.bias) if self.affine else y


class BatchNorm1d(_BatchNorm):
    __doc__ = (_BatchNorm.__doc__ or "") + "\n    Input: ``(B, C)`` or ``(B, L, C)``.\n"
    input_ndims = (2, 3)
    layout = "(B, C) or (B, L, C)"


class BatchNorm2d(_BatchNorm):
    __doc__ = (_BatchNorm.__doc__ or "") + "\n    Input: ``(B, H, W, C)``.\n"
    input_ndims = (4,)
    layout = "(B, H, W, C)"


BatchNorm1D = BatchNorm1d
BatchNorm2D = BatchNorm2d


class LayerNorm(DynamicalSystem):
    """Layer normalisation (Ba et al. 2016): normalise each example over its last axes::

        y = (x - mean) / sqrt(var + epsilon) * scale + bias

    with ``mean``/``var`` over the last ``len(normalized_shape)`` axes and elementwise
    ``scale``/``bias`` of shape ``normalized_shape``. Works in every mode.

    Args:
        normalized_shape: the trailing shape to normalise (an int for the last axis).
        epsilon: added to the variance (> 0).
        bias_initializer, scale_initializer: initial ``bias`` (zeros) and ``scale`` (ones).
        elementwise_affine: learn ``scale`` and ``bias`` (``TrainVar`` s in TrainingMode).
        mode: the computing mode; name: a unique name.
    """

    repr_fields = ("normalized_shape", "epsilon", "elementwise_affine")

    def __init__(self, normalized_shape: int | Sequence[int], epsilon: float = 1e-5,
                 bias_initializer: Any = ZeroInit(), scale_initializer: Any = OneInit(),
                 elementwise_affine: bool = True, mode: bm.Mode | None = None,
                 name: str | None = None):
        super().__init__(name=name, mode=mode)
        who = self.describe()
        if isinstance(normalized_shape, numbers.Integral):
            normalized_shape = (normalized_shape,)
        try:
            shape = tuple(normalized_shape)
        except TypeError:
            raise TypeError(describe(who, "normalized_shape: an int or a tuple of ints",
                                     f"{type(normalized_shape).__name__} {normalized_shape!r}")) from None
        self.normalized_shape = tuple(is_integer(s, "normalized_shape", who, 1) for s in shape)
        if not self.normalized_shape:
            raise ValueError(describe(who, "a non-empty normalized_shape", "()"))
        self.epsilon = float(is_positive(epsilon, "epsilon", who))
        self.elementwise_affine = check_bool(elementwise_affine, "elementwise_affine", who)
        if self.elementwise_affine:
            self.bias = make_param(self, bias_initializer, self.normalized_shape, "bias_initializer")
            self.scale = make_param(self, scale_initializer, self.normalized_shape, "scale_initializer")

    def update(self, x: Any) -> jax.Array:
        x = as_array(x, self.describe())
        k = len(self.normalized_shape)
        if x.shape[x.ndim - k:] != self.normalized_shape or x.ndim < k:
            raise ShapeError(describe(self.describe(), f"input of shape (..., "
                                      f"{', '.join(map(str, self.normalized_shape))})",
                                      f"shape {tuple(x.shape)}"))
        axes = tuple(range(x.ndim - k, x.ndim))
        mean = x.mean(axes, keepdims=True)
        var = x.var(axes, keepdims=True)
        y = (x - mean) * jax.lax.rsqrt(var + self.epsilon)
        if self.elementwise_affine:
            y = y * bm.unwrap(self.scale) + bm.unwrap(self.bias)
        return y
