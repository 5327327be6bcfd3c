"""Convolutions over channels-last inputs: ``Conv1d`` ``(batch, length, channels)`` and
``Conv2d`` ``(batch, height, width, channels)`` (the batch axis may be left out).

    >>> import neurodyn.math as bm
    >>> from neurodyn.layers import Conv1d, Conv2d
    >>> Conv1d(3, 8, kernel_size=5)(bm.ones((2, 20, 3))).shape
    (2, 20, 8)
    >>> Conv2d(1, 4, kernel_size=3, stride=2, padding='VALID')(bm.ones((2, 9, 9, 1))).shape
    (2, 4, 4, 4)
"""
from __future__ import annotations

import numbers
from typing import Any, Sequence

import jax
import jax.numpy as jnp

import neurodyn.math as bm
from neurodyn.check import is_integer
from neurodyn.core import DynamicalSystem
from neurodyn.errors import ShapeError, describe
from neurodyn.init import XavierNormal, ZeroInit
from neurodyn.layers._base import as_array, make_param, ntuple

__all__ = ["Conv1d", "Conv2d", "Conv1D", "Conv2D"]

Padding = str | int | Sequence[int] | Sequence[tuple[int, int]]


def conv_padding(padding: Any, n: int, owner: str) -> str | tuple[tuple[int, int], ...]:
    """``'SAME'``/``'VALID'``, or ``n`` (low, high) pairs from an int, ``n`` ints, or pairs."""
    if isinstance(padding, str):
        if padding.upper() not in ("SAME", "VALID"):
            raise ValueError(describe(owner, "padding 'SAME', 'VALID', an int or (low, high) pairs",
                                      repr(padding)))
        return padding.upper()
    if isinstance(padding, numbers.Integral) and not isinstance(padding, bool):
        padding = [padding] * n
    try:
        items = list(padding)
    except TypeError:
        raise TypeError(describe(owner, "padding 'SAME', 'VALID', an int or (low, high) pairs",
                                 f"{type(padding).__name__} {padding!r}")) from None
    if len(items) == 2 and all(isinstance(p, numbers.Integral) for p in items) and n == 1:
        items = [tuple(items)]           # one (low, high) pair for the single axis
    if len(items) != n:
        raise ValueError(describe(owner, f"padding for {n} spatial axes", repr(padding)))
    pairs = []
    for p in items:
        pair = (p, p) if isinstance(p, numbers.Integral) else tuple(p)
        if len(pair) != 2:
            raise ValueError(describe(owner, "padding pairs (low, high)", repr(padding)))
        pairs.append(tuple(is_integer(v, "padding", owner, 0) for v in pair))
    return tuple(pairs)


class _Conv(DynamicalSystem):
    """N-d convolution via ``jax.lax.conv_general_dilated``; ``num_spatial_dims`` set by subclasses."""

    num_spatial_dims = 0
    repr_fields = ("in_channels", "out_channels", "kernel_size", "stride", "padding", "groups")

    def __init__(self, in_channels: int, out_channels: int, kernel_size: int | Sequence[int],
                 stride: int | Sequence[int] = 1, padding: Padding = "SAME",
                 lhs_dilation: int | Sequence[int] = 1, rhs_dilation: int | Sequence[int] = 1,
                 groups: int = 1, w_initializer: Any = XavierNormal(), b_initializer: Any = ZeroInit(),
                 mode: bm.Mode | None = None, name: str | None = None, strides: Any = None):
        super().__init__(name=name, mode=mode)
        stride = stride if strides is None else strides        # BrainPy's older keyword
        who, n = self.describe(), self.num_spatial_dims
        self.in_channels = is_integer(in_channels, "in_channels", who, 1)
        self.out_channels = is_integer(out_channels, "out_channels", who, 1)
        self.kernel_size = ntuple(kernel_size, n, "kernel_size", who)
        self.stride = ntuple(stride, n, "stride", who)
        self.lhs_dilation = ntuple(lhs_dilation, n, "lhs_dilation", who)
        self.rhs_dilation = ntuple(rhs_dilation, n, "rhs_dilation", who)
        self.groups = is_integer(groups, "groups", who, 1)
        if self.in_channels % self.groups or self.out_channels % self.groups:
            raise ValueError(describe(who, "in_channels and out_channels divisible by groups",
                                      f"in_channels={in_channels}, out_channels={out_channels}, "
                                      f"groups={groups}"))
        self.padding = conv_padding(padding, n, who)
        kernel = self.kernel_size + (self.in_channels // self.groups, self.out_channels)
        self.w = make_param(self, w_initializer, kernel, "w_initializer")
        self.b = make_param(self, b_initializer, (self.out_channels,), "b_initializer", allow_none=True)
        spatial = "HWD"[:n]
        self._dims = ("N" + spatial + "C", spatial + "IO", "N" + spatial + "C")

    def update(self, x: Any) -> jax.Array:
        x = as_array(x, self.describe())
        n = self.num_spatial_dims
        if x.ndim not in (n + 1, n + 2) or x.shape[-1] != self.in_channels:
            raise ShapeError(describe(self.describe(), f"input of shape (batch, {n} spatial axes, "
                                      f"{self.in_channels}) or ({n} spatial axes, {self.in_channels})",
                                      f"shape {tuple(x.shape)}", "inputs are channels-last"))
        if not jnp.issubdtype(x.dtype, jnp.floating):
            x = x.astype(bm.get_float())
        unbatched = x.ndim == n + 1
        y = jax.lax.conv_general_dilated(
            x[None] if unbatched else x, bm.unwrap(self.w), window_strides=self.stride,
            padding=self._pads(x.shape[-n - 1:-1]), lhs_dilation=self.lhs_dilation, rhs_dilation=self.rhs_dilation,
            feature_group_count=self.groups, dimension_numbers=self._dims)
        if self.b is not None:
            y = y + bm.unwrap(self.b)
        return y[0] if unbatched else y


    def _pads(self, spatial: tuple[int, ...]) -> tuple[tuple[int, int], ...]:
        """Explicit (low, high) pads; 'SAME'/'VALID' resolved on the dilated input and kernel."""
        if not isinstance(self.padding, str):
            return self.padding
        if self.padding == "VALID":
            return ((0, 0),) * self.num_spatial_dims
        dilated = [(s - 1) * d + 1 for s, d in zip(spatial, self.lhs_dilation)]
        kernel = [(k - 1) * d + 1 for k, d in zip(self.kernel_size, self.rhs_dilation)]
        return tuple(jax.lax.padtype_to_pads(dilated, kernel, self.stride, "SAME"))


class Conv1d(_Conv):
    """1-D convolution of ``(batch, length, in_channels)`` (or ``(length, in_channels)``) inputs.

    Args:
        in_channels, out_channels: channel counts (> 0, divisible by ``groups``).
        kernel_size: window length (an int or a 1-tuple).
        stride: step between windows.
        padding: ``'SAME'`` (output length ``ceil(L / stride)``), ``'VALID'``, an int, or a
            ``(low, high)`` pair.
        lhs_dilation: input dilation (a transposed convolution with that stride).
        rhs_dilation: kernel dilation (atrous convolution).
        groups: split channels into this many independent groups.
        w_initializer: kernel of shape ``(kernel, in_channels // groups, out_channels)``.
        b_initializer: bias ``(out_channels,)`` or None.
        mode: TrainingMode makes ``w``/``b`` ``TrainVar`` s. name: a unique name.
    """

    num_spatial_dims = 1


class Conv2d(_Conv):
    """2-D convolution of ``(batch, height, width, in_channels)`` (or unbatched) inputs.

    Arguments as :class:`Conv1d`, with ints or 2-tuples for ``kernel_size``, ``stride`` and the
    dilations, and ``padding`` an int, ``'SAME'``/``'VALID'`` or two ``(low, high)`` pairs.
    The kernel has shape ``(kh, kw, in_channels // groups, out_channels)``.
    """

    num_spatial_dims = 2


Conv1D = Conv1d
Conv2D = Conv2d
