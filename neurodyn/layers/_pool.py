"""Pooling over windows of the spatial axes, via ``jax.lax.reduce_window``.

The pooled axes are the last ``len(kernel_size)`` axes that are not ``channel_axis`` (default
-1: channels-last); leading axes (batch) are untouched. ``stride`` defaults to the window
(non-overlapping windows).

    >>> import neurodyn.math as bm
    >>> from neurodyn.layers import MaxPool2d, AvgPool1d
    >>> x = bm.arange(16.).reshape(1, 4, 4, 1)
    >>> MaxPool2d(2)(x)[0, :, :, 0].tolist()
    [[5.0, 7.0], [13.0, 15.0]]
    >>> AvgPool1d(2)(bm.array([[1.], [3.], [5.], [7.]]))[:, 0].tolist()
    [2.0, 6.0]
"""
from __future__ import annotations

import math
import numbers
from typing import Any, Sequence

import jax
import jax.numpy as jnp

import neurodyn.math as bm
from neurodyn.check import is_integer
from neurodyn.core import DynamicalSystem
from neurodyn.errors import ShapeError, describe
from neurodyn.layers._base import as_array, ntuple
from neurodyn.layers._conv import Padding, conv_padding

__all__ = ["MaxPool", "MinPool", "AvgPool", "MaxPool1d", "MaxPool2d", "AvgPool1d", "AvgPool2d"]


class _Pool(DynamicalSystem):
    """Reduce windows of the pooled axes; subclasses define ``reduce`` (and may fix the dims)."""

    num_spatial_dims: int | None = None      # None: len(kernel_size)
    repr_fields = ("kernel_size", "stride", "padding", "channel_axis")

    def __init__(self, kernel_size: int | Sequence[int], stride: int | Sequence[int] | None = None,
                 padding: Padding = "VALID", channel_axis: int | None = -1,
                 mode: bm.Mode | None = None, name: str | None = None):
        super().__init__(name=name, mode=mode)
        who = self.describe()
        n = self.num_spatial_dims
        if n is None:
            if isinstance(kernel_size, numbers.Integral):
                raise TypeError(describe(who, "kernel_size as a tuple with one window per pooled axis",
                                         repr(kernel_size), f"write {type(self).__name__}((k, k)), or "
                                         f"use the 1d/2d classes, e.g. {type(self).__name__}2d({kernel_size})"))
            n = len(tuple(kernel_size))
        self.pool_dims = n
        self.kernel_size = ntuple(kernel_size, n, "kernel_size", who)
        self.stride = self.kernel_size if stride is None else ntuple(stride, n, "stride", who)
        self.padding = conv_padding(padding, n, who)
        self.channel_axis = None if channel_axis is None else is_integer(channel_axis, "channel_axis", who)

    def _window(self, x: jax.Array) -> tuple[tuple, tuple, str | tuple]:
        nd, who = x.ndim, self.describe()
        axes = list(range(nd))
        if self.channel_axis is not None:
            if not -nd <= self.channel_axis < nd:
                raise ShapeError(describe(who, f"an input with a channel axis {self.channel_axis}",
                                          f"shape {tuple(x.shape)}"))
            axes.remove(self.channel_axis % nd)
        if len(axes) < self.pool_dims:
            raise ShapeError(describe(who, f"an input with {self.pool_dims} pooled axes"
                                      + ("" if self.channel_axis is None else " besides the channel axis"),
                                      f"shape {tuple(x.shape)}"))
        window, strides, pads = [1] * nd, [1] * nd, [(0, 0)] * nd
        for i, axis in enumerate(axes[-self.pool_dims:]):
            window[axis], strides[axis] = self.kernel_size[i], self.stride[i]
            if not isinstance(self.padding, str):
                pads[axis] = self.padding[i]
        return tuple(window), tuple(strides), self.padding if isinstance(self.padding, str) else tuple(pads)

    def reduce(self, x: jax.Array, window: tuple, strides: tuple, padding: Any) -> jax.Array:
        """Pool ``x``; subclasses define it."""
        raise TypeError(f"{type(self).__name__} defines no reduction")

    def update(self, x: Any) -> jax.Array:
        x = as_array(x, self.describe())
        if not jnp.issubdtype(x.dtype, jnp.floating):
            x = x.astype(bm.get_float())
        return self.reduce(x, *self._window(x))


class MaxPool(_Pool):
    """Maximum over each window.

    Args:
        kernel_size: window sizes, one per pooled axis (a tuple; the 1d/2d classes take an int).
        stride: steps between windows (default: ``kernel_size``).
        padding: ``'VALID'`` (default), ``'SAME'``, an int, or ``(low, high)`` pairs; padded
            entries never win the max.
        channel_axis: the axis not pooled (default -1); None when there is none.
        mode: the computing mode; name: a unique name.
    """

    def reduce(self, x, window, strides, padding):
        return jax.lax.reduce_window(x, -jnp.inf, jax.lax.max, window, strides, padding)


class MinPool(_Pool):
    """Minimum over each window (arguments as :class:`MaxPool`)."""

    def reduce(self, x, window, strides, padding):
        return jax.lax.reduce_window(x, jnp.inf, jax.lax.min, window, strides, padding)


class AvgPool(_Pool):
    """Mean over each window (arguments as :class:`MaxPool`); padded entries are not counted."""

    def reduce(self, x, window, strides, padding):
        total = jax.lax.reduce_window(x, 0., jax.lax.add, window, strides, padding)
        if padding == "VALID" or (not isinstance(padding, str) and not any(map(any, padding))):
            return total / math.prod(window)
        count = jax.lax.reduce_window(jnp.ones_like(x), 0., jax.lax.add, window, strides, padding)
        return total / count


class MaxPool1d(MaxPool):
    """:class:`MaxPool` over one axis (``(batch, length, channels)`` inputs); ``kernel_size`` an int."""

    num_spatial_dims = 1


class MaxPool2d(MaxPool):
    """:class:`MaxPool` over two axes (``(batch, height, width, channels)``); ints or 2-tuples."""

    num_spatial_dims = 2


class AvgPool1d(AvgPool):
    """:class:`AvgPool` over one axis (``(batch, length, channels)`` inputs); ``kernel_size`` an int."""

    num_spatial_dims = 1


class AvgPool2d(AvgPool):
    """:class:`AvgPool` over two axes (``(batch, height, width, channels)``); ints or 2-tuples."""

    num_spatial_dims = 2
