"""PoissonEncoder and LatencyEncoder: rates, shapes, seeding, spike timing against the formulas."""
import jax
import jax.numpy as jnp
import numpy as np
import pytest

from neurodyn.datasets import LatencyEncoder, PoissonEncoder


def test_poisson_rates_match_probabilities():
    probs = jnp.array([0.0, 0.1, 0.5, 0.9, 1.0])
    spikes = PoissonEncoder()(probs, num_steps=4000, seed=0)
    assert spikes.shape == (4000, 5) and spikes.dtype == jnp.float32
    assert set(np.unique(np.asarray(spikes)).tolist()) <= {0.0, 1.0}
    rates = np.asarray(spikes.mean(axis=0))
    sd = np.sqrt(np.asarray(probs) * (1 - np.asarray(probs)) / 4000)
    assert (np.abs(rates - np.asarray(probs)) <= 5 * sd + 1e-9).all(), rates


def test_poisson_single_step_shape_and_normalisation():
    x = jnp.array([[0.0, 127.5], [255.0, 300.0]])
    enc = PoissonEncoder(min_val=0.0, max_val=255.0)
    out = enc(x, seed=3)
    assert out.shape == (2, 2)
    many = enc(x, num_steps=3000, seed=4).mean(axis=0)
    np.testing.assert_allclose(np.asarray(many), [[0.0, 0.5], [1.0, 1.0]], atol=0.05)
    assert float(many[0, 0]) == 0.0 and float(many[1, 1]) == 1.0  # clipped to [0, 1]


def test_poisson_key_seed_and_global_seed():
    x = jnp.full((50,), 0.5)
    enc = PoissonEncoder()
    a = enc(x, 10, seed=1)
    np.testing.assert_array_equal(a, enc(x, 10, seed=1))
    assert (a != enc(x, 10, seed=2)).any()
    np.testing.assert_array_equal(enc(x, 10, key=jax.random.PRNGKey(1)), a)
    import neurodyn.math as bm

    bm.random.seed(11)
    b = enc(x, 10)
    bm.random.seed(11)
    np.testing.assert_array_equal(b, enc(x, 10))


def test_poisson_under_jit_with_key():
    enc = PoissonEncoder()
    f = jax.jit(lambda k, x: enc(x, 5, key=k))
    out = f(jax.random.PRNGKey(0), jnp.full((3,), 1.0))
    np.testing.assert_array_equal(out, np.ones((5, 3), np.float32))


def test_poisson_errors():
    with pytest.raises(ValueError, match="either key= or seed=, not both"):
        PoissonEncoder()(jnp.ones(2), key=jax.random.PRNGKey(0), seed=0)
    with pytest.raises(ValueError, match=r"PoissonEncoder: expected num_steps >= 1, got 0"):
        PoissonEncoder()(jnp.ones(2), 0, seed=0)
    with pytest.raises(ValueError, match="max_val > min_val"):
        PoissonEncoder(min_val=1.0, max_val=1.0)
    with pytest.raises(ValueError, match="both given or both None"):
        PoissonEncoder(min_val=0.0)


def _log_time(x, tau, thr, eps=1e-7):
    x = max(x, thr + eps)
    return tau * np.log(x / (x - thr))


def test_latency_log_times_match_formula():
    x = np.array([1.0, 0.5, 0.2, 0.05, 0.011])
    enc = LatencyEncoder(tau=5.0, threshold=0.01)
    t = np.asarray(enc.spike_times(jnp.asarray(x), num_steps=100))
    np.testing.assert_allclose(t, [_log_time(v, 5.0, 0.01) for v in x], rtol=1e-5)
    spikes = np.asarray(enc(jnp.asarray(x), num_steps=100))
    assert spikes.shape == (100, 5) and spikes.dtype == np.float32
    np.testing.assert_array_equal(spikes.sum(axis=0), 1.0)
    np.testing.assert_array_equal(spikes.argmax(axis=0), np.round(t).astype(int))


def test_latency_larger_values_fire_earlier():
    x = jnp.linspace(0.05, 1.0, 12)
    for enc in (LatencyEncoder(normalize=True), LatencyEncoder(normalize=True, linear=True)):
        first = np.asarray(enc(x, num_steps=50)).argmax(axis=0)
        assert (np.diff(first) <= 0).all() and first[0] > first[-1]


def test_latency_normalized_fills_window_and_linear_reference():
    enc = LatencyEncoder(normalize=True)
    t = np.asarray(enc.spike_times(jnp.array([0.0, 1.0]), num_steps=20))
    np.testing.assert_allclose(t[0], 19.0, rtol=1e-5)
    assert t[1] < 1.0
    lin = LatencyEncoder(normalize=True, linear=True)
    np.testing.assert_allclose(np.asarray(lin.spike_times(jnp.array([0.02, 0.5, 1.0]), 5)), [3.92, 2.0, 0.0], atol=1e-5)
    spikes = np.asarray(lin(jnp.array([0.02, 0.5, 1.0]), 5))
    np.testing.assert_array_equal(spikes.argmax(axis=0), [4, 2, 0])
    shifted = LatencyEncoder(linear=True, tau=2.0, first_spike_time=3)
    np.testing.assert_allclose(np.asarray(shifted.spike_times(jnp.array([1.0, 0.0]), 10)), [3.0, 5.0])


def test_latency_clip_and_out_of_window():
    x = jnp.array([0.005, 0.5])
    assert np.asarray(LatencyEncoder(normalize=True)(x, 10))[:, 0].sum() == 1.0  # saturates at the end
    clipped = np.asarray(LatencyEncoder(normalize=True, clip=True)(x, 10))
    np.testing.assert_array_equal(clipped.sum(axis=0), [0.0, 1.0])
    late = np.asarray(LatencyEncoder(tau=10.0)(jnp.array([0.005, 0.02]), 5))  # times ~115 and ~6.9: dropped
    assert late.sum() == 0.0


def test_latency_batch_shape_and_errors():
    out = LatencyEncoder(normalize=True)(jnp.ones((2, 3, 4)) * 0.5, num_steps=7)
    assert out.shape == (7, 2, 3, 4)
    with pytest.raises(ValueError, match=r"LatencyEncoder: expected threshold in \(0, 1\)"):
        LatencyEncoder(threshold=1.5)
    with pytest.raises(ValueError, match="tau > 0"):
        LatencyEncoder(tau=0.0)
    with pytest.raises(TypeError, match="normalize to be a bool"):
        LatencyEncoder(normalize=1)
    with pytest.raises(ValueError, match="num_steps > first_spike_time"):
        LatencyEncoder(normalize=True, first_spike_time=5).spike_times(jnp.ones(2), 3)
