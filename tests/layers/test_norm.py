"""BatchNorm (batch vs running statistics, the fit switch) and LayerNorm against numpy."""
import jax
import numpy as np
import pytest

import neurodyn as bp
import neurodyn.math as bm
from neurodyn.errors import ModeError, ShapeError
from neurodyn.layers import BatchNorm1d, BatchNorm2d, LayerNorm


def test_batchnorm_fit_uses_batch_statistics_and_updates_running_ones():
    x = np.random.default_rng(0).normal(3., 2., size=(8, 5, 4)).astype(np.float32)
    bn = BatchNorm1d(4, momentum=0.9, mode=bm.BatchingMode(8))
    with bp.share.context(fit=True):
        y = bn(x)
    mean, var = x.mean((0, 1)), x.var((0, 1))
    np.testing.assert_allclose(y, (x - mean) / np.sqrt(var + 1e-5), rtol=1e-4, atol=1e-4)
    np.testing.assert_allclose(bn.running_mean.value, 0.1 * mean, rtol=1e-5)
    np.testing.assert_allclose(bn.running_var.value, 0.9 + 0.1 * var, rtol=1e-5)


def test_batchnorm_predict_uses_running_statistics_and_changes_nothing():
    bn = BatchNorm2d(3, mode=bm.BatchingMode(2))
    bn.running_mean.value = bm.array([1., 2., 3.])
    bn.running_var.value = bm.array([4., 1., 0.25])
    x = np.random.default_rng(1).normal(size=(2, 3, 3, 3)).astype(np.float32)
    y = bn(x)
    np.testing.assert_allclose(y, (x - [1., 2., 3.]) / np.sqrt(np.array([4., 1., .25]) + 1e-5), rtol=1e-5)
    np.testing.assert_allclose(bn.running_mean.value, [1., 2., 3.])
    bn.reset(batch_size=4)                       # running statistics survive a state reset
    np.testing.assert_allclose(bn.running_var.value, [4., 1., 0.25])


def test_batchnorm_affine_parameters():
    bn = BatchNorm1d(2, bias_initializer=np.array([1., -1.], np.float32),
                     scale_initializer=np.array([2., 3.], np.float32), mode=bm.TrainingMode(4))
    assert sorted(bn.train_vars()) == ["bias", "scale"]
    x = np.random.default_rng(2).normal(size=(4, 2)).astype(np.float32)
    with bp.share.context(fit=True):
        y = bn(x)
    norm = (x - x.mean(0)) / np.sqrt(x.var(0) + 1e-5)
    np.testing.assert_allclose(y, norm * [2., 3.] + [1., -1.], rtol=1e-4, atol=1e-5)
    assert not BatchNorm1d(2, mode=bm.BatchingMode()).train_vars()
    assert not hasattr(BatchNorm1d(2, affine=False, mode=bm.BatchingMode()), "scale")


def test_batchnorm_grad_through_fit():
    bn = BatchNorm1d(3, mode=bm.TrainingMode(5))
    x = bm.random.normal(size=(5, 3))

    def loss():
        with bp.share.context(fit=True):
            return (bn(x) * bm.arange(3.)).sum()

    grads = bm.grad(loss, grad_vars=bn.train_vars())()
    np.testing.assert_allclose(grads["bias"], 5 * np.arange(3.), rtol=1e-5)
    assert np.isfinite(grads["scale"]).all()
    assert float(abs(bn.running_mean.value).sum()) > 0       # the write inside grad was kept


def test_batchnorm_errors():
    with pytest.raises(ModeError, match="BatchingMode"):
        BatchNorm1d(3)
    bn = BatchNorm2d(3, mode=bm.BatchingMode())
    with pytest.raises(ShapeError, match=r"BatchNorm2d\(name=\w+\): expected input of shape \(B, H, W, C\) with C=3"):
        bn(bm.ones((2, 4, 3)))
    with pytest.raises(ValueError, match="momentum in"):
        BatchNorm1d(3, momentum=1.5, mode=bm.BatchingMode())
    with pytest.raises(ValueError, match="epsilon > 0"):
        BatchNorm1d(3, epsilon=0., mode=bm.BatchingMode())


def test_layernorm_normalises_each_example_over_its_last_axes():
    x = np.random.default_rng(3).normal(1., 3., size=(4, 2, 5)).astype(np.float32)
    ln = LayerNorm((2, 5))
    m = x.mean((1, 2), keepdims=True)
    v = x.var((1, 2), keepdims=True)
    np.testing.assert_allclose(ln(x), (x - m) / np.sqrt(v + 1e-5), rtol=1e-4, atol=1e-5)
    ln1 = LayerNorm(5, elementwise_affine=False)
    np.testing.assert_allclose(ln1(x[0, 0]), (x[0, 0] - x[0, 0].mean()) / np.sqrt(x[0, 0].var() + 1e-5),
                               rtol=1e-4, atol=1e-5)
    assert not hasattr(ln1, "scale")


def test_layernorm_modes_and_grad():
    ln = LayerNorm(3, mode=bm.TrainingMode())
    assert sorted(ln.train_vars()) == ["bias", "scale"] and ln.scale.shape == (3,)
    x = bm.random.normal(size=(2, 3))
    grads = bm.grad(lambda: (ln(x) * bm.array([1., 2., 3.])).sum(), grad_vars=ln.train_vars())()
    np.testing.assert_allclose(grads["bias"], [2., 4., 6.], rtol=1e-6)

    def ref(scale):
        xn = (x - x.mean(-1, keepdims=True)) * jax.lax.rsqrt(x.var(-1, keepdims=True) + 1e-5)
        return (xn * scale * bm.array([1., 2., 3.])).sum()

    np.testing.assert_allclose(grads["scale"], jax.grad(ref)(ln.scale.value), rtol=1e-5, atol=1e-6)


def test_layernorm_errors():
    with pytest.raises(ShapeError, match=r"LayerNorm\(name=\w+\): expected input of shape \(\.\.\., 2, 5\)"):
        LayerNorm((2, 5))(bm.ones((5, 2)))
    with pytest.raises(ValueError, match="normalized_shape >= 1"):
        LayerNorm((0,))
    with pytest.raises(TypeError, match="elementwise_affine to be True or False"):
        LayerNorm(3, elementwise_affine="yes")
