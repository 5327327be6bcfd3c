"""Adaptive pooling: pool the spatial axes down to a given output size, whatever the input's.

Output position ``i`` of an axis of length ``n`` pooled to ``t`` covers the input
``[floor(i n / t), ceil((i + 1) n / t))`` (PyTorch's and BrainPy's rule); the spatial axes are
the last ones that are not ``channel_axis`` (default -1, channels last).

    >>> import neurodyn.math as bm
    >>> from neurodyn.layers import AdaptiveAvgPool1d
    >>> AdaptiveAvgPool1d(2)(bm.array([[1.], [3.], [5.], [7.], [9.]]))[:, 0].tolist()
    [3.0, 7.0]
"""
from __future__ import annotations

import math
from typing import Any, Sequence

import jax
import jax.numpy as jnp

import neurodyn.math as bm
from neurodyn.core import DynamicalSystem
from neurodyn.errors import ShapeError, describe
from neurodyn.layers._base import as_array, ntuple

__all__ = ["AdaptiveAvgPool1d", "AdaptiveAvgPool2d", "AdaptiveAvgPool3d", "AdaptiveMaxPool1d",
           "AdaptiveMaxPool2d", "AdaptiveMaxPool3d"]


def _pool_axis(x: jax.Array, axis: int, size: int, reduce: Any) -> jax.Array:
    n = x.shape[axis]
    parts = [reduce(jax.lax.slice_in_dim(x, (i * n) // size, math.ceil((i + 1) * n / size), axis=axis),
                    axis=axis, keepdims=True) for i in range(size)]
    return jnp.concatenate(parts, axis=axis)


class _AdaptivePool(DynamicalSystem):
    num_spatial_dims = 1
    reduce: Any = None
    repr_fields = ("target_shape", "channel_axis")

    def __init__(self, target_shape: int | Sequence[int], channel_axis: int | None = -1,
                 mode: bm.Mode | None = None, name: str | None = None):
        super().__init__(name=name, mode=mode)
        self.target_shape = ntuple(target_shape, self.num_spatial_dims, "target_shape", self.describe())
        self.channel_axis = channel_axis

    def update(self, x: Any) -> jax.Array:
        x = as_array(x, self.describe())
        if not jnp.issubdtype(x.dtype, jnp.floating):
            x = x.astype(bm.get_float())
        axes = list(range(x.ndim))
        if self.channel_axis is not None:
            axes.remove(self.channel_axis % x.ndim)
        if len(axes) < self.num_spatial_dims:
            raise ShapeError(describe(self.describe(), f"an input with {self.num_spatial_dims} spatial axes",
                                      f"shape {tuple(x.shape)}"))
        for axis, size in zip(axes[-self.num_spatial_dims:], self.target_shape):
            x = _pool_axis(x, axis, size, type(self).reduce)
        return x


def _kind(name: str, dims: int, op: Any, doc: str) -> type:
    return type(name, (_AdaptivePool,), {"num_spatial_dims": dims, "reduce": staticmethod(op), "__doc__": doc})


AdaptiveAvgPool1d = _kind("AdaptiveAvgPool1d", 1, jnp.mean, "Mean-pool one spatial axis to ``target_shape``.")
AdaptiveAvgPool2d = _kind("AdaptiveAvgPool2d", 2, jnp.mean, "Mean-pool two spatial axes to ``target_shape``.")
AdaptiveAvgPool3d = _kind("AdaptiveAvgPool3d", 3, jnp.mean, "Mean-pool three spatial axes to ``target_shape``.")
AdaptiveMaxPool1d = _kind("AdaptiveMaxPool1d", 1, jnp.max, "Max-pool one spatial axis to ``target_shape``.")
AdaptiveMaxPool2d = _kind("AdaptiveMaxPool2d", 2, jnp.max, "Max-pool two spatial axes to ``target_shape``.")
AdaptiveMaxPool3d = _kind("AdaptiveMaxPool3d", 3, jnp.max, "Max-pool three spatial axes to ``target_shape``.")
