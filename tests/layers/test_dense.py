"""Dense: repr, the four ways to give parameters, modes, the map itself, errors, transforms."""
import jax
import jax.numpy as jnp
import numpy as np
import pytest

import neurodyn as bp
import neurodyn.math as bm
from neurodyn.errors import InitializerError, ShapeError
from neurodyn.layers import Dense, Linear


def test_repr_matches_the_seed_notebook():
    assert repr(Dense(128, 100, name="hidden_layer")) == \
        "Dense(name=hidden_layer, num_in=128, num_out=100, mode=NonBatchingMode)"


def test_linear_is_an_alias():
    assert Linear is Dense


@pytest.mark.parametrize("mode, trained", [(bm.NonBatchingMode(), False), (bm.BatchingMode(2), False),
                                           (bm.TrainingMode(2), True)])
def test_parameters_are_trainvars_only_in_training_mode(mode, trained):
    layer = Dense(3, 4, mode=mode)
    assert isinstance(layer.W, bm.TrainVar) == trained
    assert isinstance(layer.b, bm.TrainVar) == trained
    assert layer.W.shape == (3, 4) and layer.b.shape == (4,)
    assert layer.W.dtype == jnp.float32
    assert sorted(layer.train_vars()) == (["W", "b"] if trained else [])


def test_four_ways_to_give_a_parameter():
    w = bm.random.normal(0, 0.01, size=(10, 50))
    assert np.array_equal(Dense(10, 50, W_initializer=w).W, w)
    assert Dense(20, 30, W_initializer=lambda shape: bm.random.random(shape)).W.shape == (20, 30)
    layer = Dense(20, 30, W_initializer=bp.init.Normal(scale=0.01))
    assert layer.W.shape == (20, 30) and float(jnp.std(layer.W)) < 0.02
    assert Dense(20, 100, b_initializer=None).b is None
    assert list(Dense(2, 3, b_initializer=None, mode=bm.TrainingMode()).train_vars()) == ["W"]


def test_integer_arrays_become_float32():
    layer = Dense(2, 2, W_initializer=np.eye(2, dtype=np.int32))
    assert layer.W.dtype == jnp.float32


def test_update_is_x_at_w_plus_b_over_the_last_axis():
    w = np.arange(12, dtype=np.float32).reshape(3, 4) / 10
    b = np.array([1., -1., 0.5, 0.], np.float32)
    layer = Dense(3, 4, W_initializer=w, b_initializer=b)
    x = np.random.default_rng(0).normal(size=(2, 5, 3)).astype(np.float32)
    y = layer(x)
    assert y.shape == (2, 5, 4) and y.dtype == jnp.float32
    np.testing.assert_allclose(y, x @ w + b, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(Dense(3, 4, W_initializer=w, b_initializer=None)(x[0, 0]), x[0, 0] @ w,
                               rtol=1e-5)
    np.testing.assert_allclose((bm.Variable(x) >> layer), y, rtol=1e-6)


def test_wrong_input_width_names_the_layer():
    layer = Dense(3, 4, name="fc_width")
    with pytest.raises(ShapeError, match=r"Dense\(name=fc_width\): expected input of shape \(\.\.\., 3\), "
                                         r"got shape \(2, 4\)"):
        layer(bm.ones((2, 4)))


@pytest.mark.parametrize("kwargs, err, msg", [
    (dict(num_in=0, num_out=3), ValueError, "num_in >= 1"),
    (dict(num_in=2.5, num_out=3), TypeError, "num_in to be an integer"),
    (dict(num_in=2, num_out=-1), ValueError, "num_out >= 1"),
    (dict(num_in=2, num_out=3, W_initializer=np.ones((3, 2))), ShapeError, r"shape \(2, 3\)"),
    (dict(num_in=2, num_out=3, W_initializer="xavier"), InitializerError, "W_initializer"),
    (dict(num_in=2, num_out=3, W_initializer=None), InitializerError, "required"),
])
def test_bad_arguments(kwargs, err, msg):
    with pytest.raises(err, match=msg):
        Dense(**kwargs)


def test_jit_and_for_loop_match_eager():
    layer = Dense(3, 2, mode=bm.TrainingMode(4))
    xs = bm.random.normal(size=(6, 4, 3))
    eager = jnp.stack([layer(x) for x in xs])
    np.testing.assert_allclose(bm.jit(layer)(xs[0]), eager[0], rtol=1e-6)
    np.testing.assert_allclose(bm.for_loop(layer, xs), eager, rtol=1e-6)


def test_grad_matches_pure_jax():
    layer = Dense(3, 2, mode=bm.TrainingMode(4))
    x = bm.random.normal(size=(4, 3))
    target = bm.random.normal(size=(4, 2))

    def loss():
        return ((layer(x) - target) ** 2).mean()

    grads = bm.grad(loss, grad_vars=layer.train_vars())()

    def ref(w, b):
        return ((x @ w + b - target) ** 2).mean()

    gw, gb = jax.grad(ref, argnums=(0, 1))(layer.W.value, layer.b.value)
    np.testing.assert_allclose(grads["W"], gw, rtol=1e-5, atol=1e-7)
    np.testing.assert_allclose(grads["b"], gb, rtol=1e-5, atol=1e-7)
    # and a finite difference on one weight
    eps = 1e-2
    w0 = layer.W.value
    layer.W.value = w0.at[1, 0].add(eps)
    up = loss()
    layer.W.value = w0.at[1, 0].add(-eps)
    down = loss()
    layer.W.value = w0
    np.testing.assert_allclose((up - down) / (2 * eps), grads["W"][1, 0], rtol=1e-2, atol=1e-4)
