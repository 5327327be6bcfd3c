"""Conv1d/Conv2d against a numpy convolution and jax.lax; shapes, modes, errors, grads."""
import jax
import jax.numpy as jnp
import numpy as np
import pytest

import neurodyn.math as bm
from neurodyn.errors import ShapeError
from neurodyn.layers import Conv1d, Conv1D, Conv2d


def np_conv1d(x, w, b, pad):
    """(B, L, C) x (K, C, O), stride 1, zero padding (lo, hi): a direct sum."""
    xp = np.pad(x, ((0, 0), pad, (0, 0)))
    k = w.shape[0]
    out = np.stack([np.einsum("bkc,kco->bo", xp[:, t:t + k], w) for t in range(xp.shape[1] - k + 1)], 1)
    return out + b


def test_conv1d_same_and_valid_match_numpy():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(2, 7, 3)).astype(np.float32)
    w = rng.normal(size=(3, 3, 4)).astype(np.float32)
    b = rng.normal(size=4).astype(np.float32)
    same = Conv1d(3, 4, 3, w_initializer=w, b_initializer=b)(x)
    np.testing.assert_allclose(same, np_conv1d(x, w, b, (1, 1)), rtol=1e-5, atol=1e-5)
    valid = Conv1d(3, 4, 3, padding="VALID", w_initializer=w, b_initializer=b)(x)
    np.testing.assert_allclose(valid, np_conv1d(x, w, b, (0, 0)), rtol=1e-5, atol=1e-5)
    padded = Conv1d(3, 4, 3, padding=(2, 0), w_initializer=w, b_initializer=None)(x)
    np.testing.assert_allclose(padded, np_conv1d(x, w, 0., (2, 0)), rtol=1e-5, atol=1e-5)


def test_conv2d_matches_lax_with_stride_dilation_groups():
    rng = np.random.default_rng(1)
    x = rng.normal(size=(2, 9, 8, 4)).astype(np.float32)
    layer = Conv2d(4, 6, kernel_size=(3, 2), stride=(2, 1), padding=1, rhs_dilation=(1, 2), groups=2)
    assert layer.w.shape == (3, 2, 2, 6) and layer.b.shape == (6,)
    expected = jax.lax.conv_general_dilated(x, layer.w.value, (2, 1), ((1, 1), (1, 1)), rhs_dilation=(1, 2),
                                            feature_group_count=2, dimension_numbers=("NHWC", "HWIO", "NHWC"))
    np.testing.assert_allclose(layer(x), expected + layer.b, rtol=1e-5, atol=1e-5)


def test_unbatched_input_and_output_shapes():
    layer = Conv2d(1, 4, kernel_size=3, stride=2, padding="SAME")
    x = bm.random.normal(size=(2, 9, 9, 1))
    assert layer(x).shape == (2, 5, 5, 4)
    np.testing.assert_allclose(layer(x[1]), layer(x)[1], rtol=1e-5, atol=1e-6)
    assert Conv1d(2, 3, 4, lhs_dilation=2, padding="VALID")(bm.ones((5, 2))).shape == (6, 3)
    assert Conv1d(2, 3, 4, lhs_dilation=2)(bm.ones((5, 2))).shape == (9, 3)   # SAME on the dilated input


def test_parameters_by_mode_and_alias():
    assert Conv1D is Conv1d
    assert sorted(Conv1d(2, 3, 3, mode=bm.TrainingMode()).train_vars()) == ["b", "w"]
    assert not Conv1d(2, 3, 3, mode=bm.BatchingMode()).train_vars()


def test_grad_matches_pure_jax():
    layer = Conv1d(2, 3, 3, mode=bm.TrainingMode(2))
    x = bm.random.normal(size=(2, 6, 2))
    grads = bm.grad(lambda: (layer(x) ** 2).sum(), grad_vars=layer.train_vars())()

    def ref(w, b):
        y = jax.lax.conv_general_dilated(x, w, (1,), "SAME", dimension_numbers=("NHC", "HIO", "NHC"))
        return ((y + b) ** 2).sum()

    gw, gb = jax.grad(ref, (0, 1))(layer.w.value, layer.b.value)
    np.testing.assert_allclose(grads["w"], gw, rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(grads["b"], gb, rtol=1e-4, atol=1e-5)
    assert jnp.isfinite(grads["w"]).all()


@pytest.mark.parametrize("kwargs, err, msg", [
    (dict(in_channels=3, out_channels=4, kernel_size=3, groups=2), ValueError, "divisible by groups"),
    (dict(in_channels=2, out_channels=4, kernel_size=(3, 3)), ValueError, "kernel_size with 1 entries"),
    (dict(in_channels=2, out_channels=4, kernel_size=0), ValueError, "kernel_size >= 1"),
    (dict(in_channels=2, out_channels=4, kernel_size=3, padding="FULL"), ValueError, "padding 'SAME'"),
    (dict(in_channels=0, out_channels=4, kernel_size=3), ValueError, "in_channels >= 1"),
])
def test_bad_arguments(kwargs, err, msg):
    with pytest.raises(err, match=msg):
        Conv1d(**kwargs)


def test_wrong_channels_names_the_layer():
    with pytest.raises(ShapeError, match=r"Conv2d\(name=\w+\): expected input of shape \(batch, 2 spatial "
                                         r"axes, 3\).*got shape \(1, 8, 8, 1\).*channels-last"):
        Conv2d(3, 4, 3)(bm.ones((1, 8, 8, 1)))
