"""Pooling against numpy window reductions; padding, channel axis, errors."""
import numpy as np
import pytest

import neurodyn.math as bm
from neurodyn.errors import ShapeError
from neurodyn.layers import AvgPool, AvgPool1d, AvgPool2d, MaxPool, MaxPool1d, MaxPool2d, MinPool


def np_pool2d(x, k, s, fn):
    """(B, H, W, C) valid pooling with window k and stride s."""
    B, H, W, C = x.shape
    oh, ow = (H - k[0]) // s[0] + 1, (W - k[1]) // s[1] + 1
    out = np.empty((B, oh, ow, C), x.dtype)
    for i in range(oh):
        for j in range(ow):
            out[:, i, j] = fn(x[:, i * s[0]:i * s[0] + k[0], j * s[1]:j * s[1] + k[1]], axis=(1, 2))
    return out


X = np.random.default_rng(0).normal(size=(2, 7, 6, 3)).astype(np.float32)


@pytest.mark.parametrize("layer, fn", [(MaxPool2d(2), np.max), (AvgPool2d(2), np.mean),
                                       (MaxPool((3, 2), stride=(2, 1)), np.max),
                                       (AvgPool2d((3, 2), stride=(2, 1)), np.mean),
                                       (MinPool((2, 2), stride=1), np.min)],
                         ids=["max2", "avg2", "max32", "avg32", "min2"])
def test_matches_numpy(layer, fn):
    np.testing.assert_allclose(layer(X), np_pool2d(X, layer.kernel_size, layer.stride, fn), rtol=1e-5, atol=1e-6)


def test_stride_defaults_to_the_window():
    assert MaxPool2d(2).stride == (2, 2) and MaxPool1d(3, stride=1).stride == (1,)
    assert MaxPool2d(2)(X).shape == (2, 3, 3, 3)
    assert MaxPool2d(2)(X[0]).shape == (3, 3, 3)          # no batch axis: fine too


def test_same_padding_avg_counts_only_real_entries():
    x = np.arange(1., 6.).reshape(5, 1).astype(np.float32)   # (length, channels)
    y = AvgPool1d(2, padding="SAME")(x)
    # windows [1,2], [3,4], [5, pad] -> the last averages one real entry
    np.testing.assert_allclose(y[:, 0], [1.5, 3.5, 5.])
    m = MaxPool1d(2, padding=(1, 0))(-x)
    np.testing.assert_allclose(m[:, 0], [-1., -2., -4.])


def test_channel_axis_none_pools_the_last_axes():
    x = np.arange(16.).reshape(4, 4).astype(np.float32)
    np.testing.assert_allclose(MaxPool2d(2, channel_axis=None)(x), [[5., 7.], [13., 15.]])
    y = AvgPool((2,), channel_axis=0)(np.ones((3, 4, 6), np.float32))
    assert y.shape == (3, 4, 3)


def test_errors():
    with pytest.raises(TypeError, match="MaxPool2d\\(2\\)"):
        MaxPool(2)
    with pytest.raises(ValueError, match="kernel_size with 2 entries"):
        MaxPool2d((2, 2, 2))
    with pytest.raises(ValueError, match="stride >= 1"):
        AvgPool1d(2, stride=0)
    with pytest.raises(ShapeError, match=r"MaxPool2d\(name=\w+\): expected an input with 2 pooled axes"):
        MaxPool2d(2)(bm.ones((4, 3)))


def test_jit_and_grad():
    pool = AvgPool2d(2)
    x = bm.array(X)
    np.testing.assert_allclose(bm.jit(pool)(x), pool(x), rtol=1e-6)
    g = bm.grad(lambda v: pool(v).sum(), argnums=0)(x)
    # each entry inside a complete 2x2 window gets 1/4; the odd last row gets 0
    assert np.allclose(g[:, :6], 0.25) and np.allclose(g[:, 6], 0.)
