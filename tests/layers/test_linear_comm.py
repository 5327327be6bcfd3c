"""bp.dnn communication layers against a dense matmul of the same weights, in every mode."""
import jax
import numpy as np
import pytest

import neurodyn as bp
import neurodyn.math as bm

rng = np.random.default_rng(0)
SPIKES = (rng.random((3, 40)) < 0.2).astype("float32")
RATES = rng.random((3, 40)).astype("float32")


def _dense(conn, weight):
    mat = conn.require("conn_mat").astype("float32")
    return mat * (weight if np.ndim(weight) == 0 else np.asarray(weight))


@pytest.mark.parametrize("cls", ["MaskedLinear", "CSRLinear", "EventCSRLinear"])
@pytest.mark.parametrize("weight", [0.6, "matrix"])
def test_connectivity_layers_equal_a_masked_matmul(cls, weight):
    conn = bp.conn.FixedProb(0.1, seed=3, pre=40, post=30)
    w = rng.normal(size=(40, 30)).astype("float32") if weight == "matrix" else weight
    layer = getattr(bp.dnn, cls)(conn, w)
    for x in (SPIKES[0], RATES[0], RATES):      # one sample, and a batch of rates
        np.testing.assert_allclose(layer(x), x @ _dense(conn, w), rtol=1e-5, atol=1e-5)


def test_all_to_all_and_one_to_one():
    W = rng.normal(size=(40, 30)).astype("float32")
    np.testing.assert_allclose(bp.dnn.AllToAll(40, 30, W)(RATES[0]), RATES[0] @ W, rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(bp.dnn.AllToAll(40, 30, 0.5)(RATES[0]), 0.5 * RATES[0].sum() * np.ones(30),
                               rtol=1e-5)
    no_self = bp.dnn.AllToAll(40, 40, 1., include_self=False)(RATES[0])
    np.testing.assert_allclose(no_self, RATES[0].sum() - RATES[0], rtol=1e-5)
    np.testing.assert_allclose(bp.dnn.OneToOne(40, 2.)(RATES[0]), 2 * RATES[0])


def test_batched_and_trainable_in_training_mode():
    conn = bp.conn.FixedProb(0.2, seed=1, pre=40, post=30)
    with bm.training_environment():
        layer = bp.dnn.EventCSRLinear(conn, bp.init.Normal(scale=0.5))
    assert list(layer.train_vars()) == ["weight"]
    dense = np.asarray(bp.layers._comm.weight_matrix(layer._layout, layer.weight))
    np.testing.assert_allclose(layer(SPIKES), SPIKES @ dense, rtol=1e-5, atol=1e-5)

    def loss():
        return (layer(SPIKES) ** 2).sum()
    grads = bm.grad(loss, grad_vars={"w": layer.weight})()["w"]
    assert np.isfinite(np.asarray(grads)).all() and np.abs(np.asarray(grads)).sum() > 0


def test_unbuilt_connector_is_a_clear_error():
    with pytest.raises(ValueError, match="built for its sizes"):
        bp.dnn.CSRLinear(bp.conn.FixedProb(0.1), 1.)
