import jax
import jax.numpy as jnp
import numpy as np
import pytest

import neurodyn.math as bm
from neurodyn.errors import ShapeError
from neurodyn.train import metrics


def test_accuracy_with_labels_onehot_and_leading_axes():
    p = np.array([[0.1, 0.9, 0.0], [0.8, 0.1, 0.1], [0.2, 0.3, 0.5], [0.0, 1.0, 0.0]], np.float32)
    labels = np.array([1, 0, 0, 1])
    assert float(metrics.accuracy(p, labels)) == 0.75
    assert float(metrics.accuracy(p, np.eye(3)[labels])) == 0.75
    assert float(metrics.accuracy(p.reshape(2, 2, 3), labels.reshape(2, 2))) == 0.75
    assert float(jax.jit(metrics.accuracy)(p, labels)) == 0.75
    with pytest.raises(ShapeError):
        metrics.accuracy(p, labels[:, None])


def test_firing_rate_matches_brainpy_definition():
    rng = np.random.default_rng(0)
    s = (rng.random((50, 8)) < 0.2).astype(np.float32)
    width, dt = 3.0, 0.5
    n = int(width / 2 / dt) * 2 + 1
    ref = np.convolve(s.mean(1), np.ones(n) * 1000 / width, mode="same")
    np.testing.assert_allclose(metrics.firing_rate(s, width, dt), ref, rtol=1e-5)
    with bm.environment(dt=dt):
        np.testing.assert_allclose(metrics.firing_rate(s, width), ref, rtol=1e-5)
    with pytest.raises(ValueError, match="width > 0"):
        metrics.firing_rate(s, 0.0, dt)
    with pytest.raises(ShapeError, match=r"\(num_time, num_neurons\)"):
        metrics.firing_rate(s[:, 0], width, dt)


def test_mean_firing_rate_and_spike_count():
    s = np.zeros((20, 3), np.float32)
    s[::4, 0] = 1   # 5 spikes in 20 steps
    s[:, 2] = 1
    np.testing.assert_allclose(metrics.mean_firing_rate(s, dt=0.1), [2500.0, 0.0, 10000.0], rtol=1e-6)
    np.testing.assert_allclose(metrics.mean_firing_rate(s.T, dt=0.1, time_axis=1), [2500.0, 0.0, 10000.0],
                               rtol=1e-6)
    np.testing.assert_array_equal(metrics.spike_count(s), [5, 0, 20])
    np.testing.assert_array_equal(metrics.spike_count(s, axis=1), s.sum(1))


def test_nrmse_definition_is_gauthier_2021():
    rng = np.random.default_rng(1)
    y = rng.normal(size=(100, 3)) * np.array([1.0, 2.0, 5.0])
    p = y + rng.normal(scale=0.1, size=y.shape)
    ref = np.sqrt(np.mean((p - y) ** 2) / (y[:, 0].var() + y[:, 1].var() + y[:, 2].var()))
    np.testing.assert_allclose(metrics.nrmse(p.astype(np.float32), y.astype(np.float32)), ref, rtol=1e-4)
    full = np.concatenate([y, 3 * y])
    ref_full = np.sqrt(np.mean((p - y) ** 2) / full.var(0).sum())
    np.testing.assert_allclose(metrics.nrmse(p, y, reference=full), ref_full, rtol=1e-4)
    with pytest.raises(ShapeError):
        metrics.nrmse(p, y[:, :2])
    with pytest.raises(ShapeError, match="reference"):
        metrics.nrmse(p, y, reference=full[:, :2])


def test_cross_correlation_against_pairwise_formula():
    rng = np.random.default_rng(2)
    s = (rng.random((40, 4)) < 0.3).astype(np.float32)
    x = (s.reshape(10, 4, 4).sum(1) > 0).astype(float)  # bins of 4 steps
    kappas = []
    for i in range(4):
        for j in range(4):
            if i != j:
                d = np.sqrt(x[:, i].sum() * x[:, j].sum())
                kappas.append((x[:, i] * x[:, j]).sum() / d if d > 0 else 0.0)
    np.testing.assert_allclose(metrics.cross_correlation(s, bin=2.0, dt=0.5), np.mean(kappas), rtol=1e-5)
    s[:, 0] = 0  # a silent neuron contributes 0, not NaN
    assert np.isfinite(float(metrics.cross_correlation(s, bin=2.0, dt=0.5)))


def test_voltage_fluctuation():
    t = np.linspace(0, 10, 200)
    sync = np.stack([np.sin(t)] * 5, axis=1)
    np.testing.assert_allclose(metrics.voltage_fluctuation(sync), 1.0, rtol=1e-4)
    phases = np.linspace(0, 2 * np.pi, 8, endpoint=False)
    asyn = np.sin(t[:, None] * 2 * np.pi + phases[None, :])
    assert float(metrics.voltage_fluctuation(asyn)) < 0.05
    assert float(metrics.voltage_fluctuation(np.ones((5, 3)))) == 1.0
