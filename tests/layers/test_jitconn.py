"""Procedural (JitFP) layers: the map equals a matmul by the materialised matrix; the matrix has
the asked density and weight distribution; it is a function of the seed; weights train."""
import jax
import numpy as np
import pytest

import neurodyn as bp
import neurodyn.math as bm

LAYERS = {
    "homo": lambda **kw: bp.dnn.JitFPHomoLinear(300, 200, 0.1, 0.5, **kw),
    "uniform": lambda **kw: bp.dnn.JitFPUniformLinear(300, 200, 0.1, -1., 2., **kw),
    "normal": lambda **kw: bp.dnn.EventJitFPNormalLinear(300, 200, 0.1, 1., 0.5, **kw),
}


@pytest.mark.parametrize("kind", sorted(LAYERS))
def test_equals_a_matmul_by_its_matrix_and_has_the_density(kind):
    layer = LAYERS[kind](seed=7)
    M = np.asarray(layer.get_conn_matrix())
    x = np.random.default_rng(0).random((4, 300)).astype(np.float32)
    np.testing.assert_allclose(np.asarray(layer(x)), x @ M, rtol=1e-4, atol=1e-4)       # batched
    np.testing.assert_allclose(np.asarray(layer(x[0])), x[0] @ M, rtol=1e-4, atol=1e-4)  # one sample
    connected = M != 0
    n, p = M.size, 0.1
    assert abs(connected.mean() - p) < 4 * np.sqrt(p * (1 - p) / n)
    w = M[connected]
    if kind == "homo":
        np.testing.assert_allclose(w, 0.5)
    elif kind == "uniform":
        assert w.min() >= -1. and w.max() < 2. and abs(w.mean() - 0.5) < 0.1
    else:
        assert abs(w.mean() - 1.) < 0.05 and abs(w.std() - 0.5) < 0.05
    np.testing.assert_array_equal(M, np.asarray(LAYERS[kind](seed=7).get_conn_matrix()))   # the seed fixes it
    assert (np.asarray(LAYERS[kind](seed=8).get_conn_matrix()) != M).any()


def test_spikes_and_the_weight_gradient_in_training_mode():
    layer = bp.dnn.EventJitFPHomoLinear(50, 40, 0.2, 0.3, seed=1, mode=bm.TrainingMode())
    assert isinstance(layer.weight, bm.TrainVar)
    spikes = np.random.default_rng(1).random(50) < 0.3
    mask = np.asarray(layer.get_conn_matrix()) / 0.3
    np.testing.assert_allclose(np.asarray(layer(spikes)), spikes @ (0.3 * mask), rtol=1e-5, atol=1e-6)
    grad = bm.grad(lambda x: layer(x).sum(), grad_vars={"w": layer.weight})(bm.asarray(spikes, float))
    np.testing.assert_allclose(float(grad["w"]), (spikes @ mask).sum(), rtol=1e-5)


def test_bad_input_is_named():
    with pytest.raises(ValueError, match="prob"):
        bp.dnn.JitFPHomoLinear(3, 3, 1.5, 1.)
    with pytest.raises(ValueError, match=r"\(\.\.\., 3\)"):
        bp.dnn.JitFPHomoLinear(3, 2, 0.5, 1., seed=0)(np.ones(4))


@pytest.mark.parametrize("n_spikes", [0, 3, 20, 200])      # each event path: few, some, many rows
def test_event_paths_equal_the_matmul(n_spikes):
    layer = bp.dnn.EventJitFPUniformLinear(512, 64, 0.1, 0.5, 1., seed=2)
    spikes = np.zeros(512, bool)
    spikes[np.random.default_rng(n_spikes).choice(512, n_spikes, replace=False)] = True
    M = np.asarray(layer.get_conn_matrix())
    np.testing.assert_allclose(np.asarray(layer(spikes)), spikes @ M, rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(np.asarray(jax.jit(layer.update)(spikes)), spikes @ M, rtol=1e-5, atol=1e-5)
