"""Reservoir: spectral radius, leaky update formula, sparsity, echo-state property, modes, errors."""
import numpy as np
import pytest

import neurodyn.math as bm
from neurodyn.errors import ShapeError
from neurodyn.layers import Reservoir

N = 40        # one reservoir size throughout: random draws compile once per shape


def _radius(w):
    return float(np.abs(np.linalg.eigvals(np.asarray(w, np.float64))).max())


@pytest.mark.parametrize("radius", [0.5, 0.95, 1.3])
def test_spectral_radius_is_the_requested_value(radius):
    r = Reservoir(2, N, spectral_radius=radius, rec_connectivity=0.2)
    assert r.Wrec.dtype == np.float32
    assert abs(_radius(r.Wrec) - radius) < 1e-4


def test_connectivity_masks():
    r = Reservoir(2, N, in_connectivity=0.5, rec_connectivity=0.1)
    assert abs(float((r.Win != 0).mean()) - 0.5) < 0.2
    assert abs(float((r.Wrec != 0).mean()) - 0.1) < 0.03
    full = Reservoir(2, N, in_connectivity=1., rec_connectivity=1.)
    assert bool((full.Win != 0).all()) and bool((full.Wrec != 0).all())


def _fixed(activation_type="internal", **kw):
    rng = np.random.default_rng(0)
    win = rng.normal(0, 0.5, (2, 5)).astype(np.float32)
    wrec = rng.normal(0, 0.3, (5, 5)).astype(np.float32)
    b = rng.normal(0, 0.1, 5).astype(np.float32)
    r = Reservoir(2, 5, leaky_rate=0.4, Win_initializer=win, Wrec_initializer=wrec, b_initializer=b,
                  in_connectivity=1., rec_connectivity=1., activation_type=activation_type, **kw)
    return r, win, wrec, b


@pytest.mark.parametrize("activation_type", ["internal", "external"])
def test_leaky_update_formula(activation_type):
    r, win, wrec, b = _fixed(activation_type)
    xs = np.random.default_rng(1).normal(size=(4, 2)).astype(np.float32)
    state = np.zeros(5)
    for x in xs:
        drive = x @ win + state @ wrec + b
        if activation_type == "internal":
            state = 0.6 * state + 0.4 * np.tanh(drive)
        else:
            state = np.tanh(0.6 * state + 0.4 * drive)
        np.testing.assert_allclose(r(x), state, rtol=1e-5, atol=1e-6)


def test_echo_state_property():
    r = Reservoir(2, N, leaky_rate=0.5, spectral_radius=0.8, rec_connectivity=0.2,
                  in_connectivity=1., mode=bm.BatchingMode(2))
    u = bm.random.uniform(-1, 1, (300, 2))
    r.state.value = bm.random.uniform(-1, 1, (2, N))       # two different initial states
    start = float(abs(r.state[0] - r.state[1]).max())
    out = bm.for_loop(r, bm.stack([u, u], axis=1))          # the same input to both
    end = float(abs(out[-1, 0] - out[-1, 1]).max())
    assert start > 0.5 and end < 1e-4 * start


def test_weights_are_constants_in_every_mode():
    r = Reservoir(2, N, mode=bm.TrainingMode(3))
    assert not r.train_vars() and not isinstance(r.Wrec, bm.Variable)
    assert r.state.shape == (3, N) and r.state.batch_axis == 0
    assert r(bm.ones((3, 2))).shape == (3, N)
    r.reset(batch_size=5)
    assert r.state.shape == (5, N)
    assert Reservoir(2, N).state.shape == (N,)
    assert Reservoir((None, 2), N).num_in == 2


def test_noise_uses_its_own_generator():
    quiet, *_ = _fixed()
    noisy, *_ = _fixed(noise_rec=0.1, noise_in=0.1, noise_type="uniform", seed=3)
    assert not hasattr(quiet, "rng") and isinstance(noisy.rng, bm.random.RandomState)
    x = bm.ones(2)
    assert not np.allclose(quiet(x), noisy(x))
    step = bm.jit(noisy)
    noisy.reset()
    a = step(x)
    noisy.reset()
    assert not np.allclose(a, step(x))       # the key advanced inside the compiled step


def test_seeded_construction_is_reproducible():
    bm.random.seed(5)
    a = Reservoir(2, N, spectral_radius=0.9).Wrec
    bm.random.seed(5)
    np.testing.assert_array_equal(a, Reservoir(2, N, spectral_radius=0.9).Wrec)


@pytest.mark.parametrize("kwargs, err, msg", [
    (dict(leaky_rate=0.), ValueError, r"leaky_rate in \(0, 1\]"),
    (dict(leaky_rate=1.5), ValueError, "leaky_rate"),
    (dict(rec_connectivity=1.2), ValueError, "rec_connectivity"),
    (dict(spectral_radius=-1.), ValueError, "spectral_radius >= 0"),
    (dict(activation_type="inside"), ValueError, "activation_type"),
    (dict(noise_type="pink"), ValueError, "noise_type"),
    (dict(activation="tanhh"), ValueError, "activation one of"),
    (dict(Wrec_initializer=np.zeros((N, N), np.float32), spectral_radius=0.9), ValueError,
     "nonzero eigenvalue"),
])
def test_bad_arguments(kwargs, err, msg):
    with pytest.raises(err, match=msg):
        Reservoir(2, N, **kwargs)


def test_bad_input_shape_argument_and_input():
    with pytest.raises(ValueError, match="input_shape"):
        Reservoir((3, 2), N)
    with pytest.raises(ShapeError, match=r"Reservoir\(name=\w+\): expected input of shape \(\.\.\., 2\)"):
        Reservoir(2, N)(bm.ones(3))
