"""Activation layers against their formulas; parameters; Identity, Flatten, get_activation."""
import math

import jax.numpy as jnp
import numpy as np
import pytest

import neurodyn.math as bm
from neurodyn.errors import ShapeError
from neurodyn.layers import (ELU, GELU, Activation, Flatten, Identity, LeakyReLU, LogSoftmax, ReLU,
                             Sigmoid, SiLU, Softmax, Softplus, Tanh, get_activation)

X = np.array([[-3., -0.5, 0., 0.7, 4.]], np.float32)
_erf = np.vectorize(math.erf)


def _softmax(x, axis):
    e = np.exp(x - x.max(axis, keepdims=True))
    return e / e.sum(axis, keepdims=True)


@pytest.mark.parametrize("layer, ref", [
    (ReLU(), lambda x: np.maximum(x, 0)),
    (Tanh(), np.tanh),
    (Sigmoid(), lambda x: 1 / (1 + np.exp(-x))),
    (SiLU(), lambda x: x / (1 + np.exp(-x))),
    (GELU(), lambda x: 0.5 * x * (1 + _erf(x / np.sqrt(2)))),
    (GELU(approximate="tanh"), lambda x: 0.5 * x * (1 + np.tanh(np.sqrt(2 / np.pi) * (x + 0.044715 * x ** 3)))),
    (ELU(), lambda x: np.where(x > 0, x, np.exp(x) - 1)),
    (ELU(alpha=0.5), lambda x: np.where(x > 0, x, 0.5 * (np.exp(x) - 1))),
    (LeakyReLU(), lambda x: np.where(x >= 0, x, 0.01 * x)),
    (LeakyReLU(0.2), lambda x: np.where(x >= 0, x, 0.2 * x)),
    (Softplus(), lambda x: np.log1p(np.exp(x))),
    (Softplus(beta=2., threshold=1.), lambda x: np.where(2 * x > 1, x, np.log1p(np.exp(2 * x)) / 2)),
    (Softmax(), lambda x: _softmax(x, -1)),
    (Softmax(dim=0), lambda x: _softmax(x, 0)),
    (LogSoftmax(), lambda x: np.log(_softmax(x, -1))),
    (Identity(), lambda x: x),
], ids=lambda v: repr(v) if isinstance(v, Activation) else "")
def test_activation_matches_formula(layer, ref):
    y = layer(X)
    assert y.shape == X.shape and y.dtype == jnp.float32
    np.testing.assert_allclose(y, ref(X.astype(np.float64)), rtol=1e-5, atol=1e-6)


def test_one_generic_class():
    for cls in (ReLU, Tanh, Sigmoid, GELU, SiLU, ELU, LeakyReLU, Softmax, LogSoftmax, Softplus, Identity):
        assert issubclass(cls, Activation) and cls.update is Activation.update


def test_parameters_in_repr_and_validated():
    assert "negative_slope=0.3" in repr(LeakyReLU(negative_slope=0.3))
    with pytest.raises(TypeError, match="negative_slope to be a real number"):
        LeakyReLU("big")
    with pytest.raises(TypeError, match="at most 1 positional"):
        ELU(1., 2.)
    with pytest.raises(TypeError, match="unknown argument 'axis'"):
        Softmax(axis=0)
    with pytest.raises(ValueError, match="approximate 'none'"):
        GELU(approximate=True)
    with pytest.raises(ValueError, match="beta > 0"):
        Softplus(beta=0.)


def test_softmax_axis_out_of_range_names_the_layer():
    with pytest.raises(ShapeError, match=r"Softmax\(name=.*dim=2"):
        Softmax(dim=2)(bm.ones((2, 3)))


def test_flatten_keeps_the_batch_axis_in_batching_modes():
    x = bm.ones((2, 3, 4))
    assert Flatten()(x).shape == (24,)
    assert Flatten(mode=bm.BatchingMode(2))(x).shape == (2, 12)
    assert Flatten(mode=bm.TrainingMode(2))(x).shape == (2, 12)
    assert Flatten(0, 1)(x).shape == (6, 4)
    np.testing.assert_array_equal(Flatten()(bm.arange(6.).reshape(2, 3)), np.arange(6.))
    with pytest.raises(ShapeError, match="start_dim=3"):
        Flatten(3)(x)


def test_get_activation():
    assert get_activation("tanh") is jnp.tanh
    f = lambda x: x * 2  # noqa: E731
    assert get_activation(f) is f
    with pytest.raises(ValueError, match="activation one of"):
        get_activation("tanhh", "RNNCell(name=r)")
    with pytest.raises(TypeError, match="a name or a callable"):
        get_activation(3)


def test_works_under_jit_and_grad():
    layer = Tanh()
    x = bm.array([0.3, -0.2])
    np.testing.assert_allclose(bm.jit(layer)(x), np.tanh([0.3, -0.2]), rtol=1e-6)
    g = bm.grad(lambda v: layer(v).sum(), argnums=0)(x)
    np.testing.assert_allclose(g, 1 - np.tanh([0.3, -0.2]) ** 2, rtol=1e-5)
