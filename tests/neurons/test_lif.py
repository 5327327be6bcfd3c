"""LIF: analytic firing rate, refractoriness, resets, input semantics, modes, errors."""
import math

import jax.numpy as jnp
import numpy as np
import pytest

import neurodyn as bp
import neurodyn.math as bm
from neurodyn.errors import ModeError, ShapeError
from neurodyn.neurons import LIF

DT = 0.1


def run(group, n_steps, x, dt=DT, monitor=("V",)):
    """Step ``group`` n_steps times with current ``x``; returns spikes and monitored Variables."""
    def step(i):
        with bp.share.context(t=i * dt, dt=dt):
            spike = group(x)
        return (spike,) + tuple(getattr(group, m).value for m in monitor)
    return bm.for_loop(step, jnp.arange(n_steps))


def spike_steps(spikes):
    return np.nonzero(np.asarray(spikes))[0]


@pytest.mark.parametrize("tau_ref,V_reset", [(0., 0.), (2., 0.), (5., -5.)])
def test_constant_current_fires_at_the_analytic_rate(tau_ref, V_reset):
    I, tau, V_th, V_rest = 30., 10., 20., 0.
    lif = LIF(1, V_rest=V_rest, V_reset=V_reset, V_th=V_th, tau=tau, tau_ref=tau_ref)
    spikes, _ = run(lif, 2000, I)
    isi = np.diff(spike_steps(spikes[:, 0])) * DT
    V_inf = V_rest + I
    period = tau_ref + tau * math.log((V_inf - V_reset) / (V_inf - V_th))
    assert len(isi) >= 10
    assert np.all(np.abs(isi - period) <= DT + 1e-4), (isi, period)


def test_first_spike_time_matches_charging_formula():
    lif = LIF(1, V_rest=0., V_reset=0., V_th=20., tau=10.)
    spikes, V = run(lif, 200, 30.)
    first = spike_steps(spikes[:, 0])[0]
    # V after k steps of exact integration: 30 (1 - exp(-k dt / tau)); first k with V >= 20
    k = math.ceil(10. * math.log(3.) / DT)
    assert first + 1 == k
    np.testing.assert_allclose(V[first - 1, 0], 30. * (1 - math.exp(-first * DT / 10.)), rtol=1e-5)


def test_refractory_period_holds_V_at_reset():
    lif = LIF(1, V_rest=0., V_reset=-5., V_th=20., tau=10., tau_ref=3.)
    spikes, V, refractory = run(lif, 400, 50., monitor=("V", "refractory"))
    s = spike_steps(spikes[:, 0])[0]
    held = np.asarray(V[s:s + 30, 0])
    assert np.all(held == -5.)                 # reset and held for tau_ref = 30 steps
    assert V[s + 31, 0] > -5.                   # integration restarts afterwards
    assert bool(refractory[s + 10, 0]) and not bool(refractory[s + 35, 0])
    np.testing.assert_allclose(float(lif.t_last_spike.value[0]), spike_steps(spikes[:, 0])[-1] * DT,
                               rtol=1e-5)


def test_input_variable_is_summed_with_x_and_cleared():
    lif = LIF(2, tau=10., V_th=100.)
    lif.input.value = jnp.array([1., 2.])
    lif.update(jnp.array([3., 0.]))
    decay = math.exp(-DT / 10.)
    np.testing.assert_allclose(lif.V.value, np.array([4., 2.]) * (1 - decay), rtol=1e-6)
    assert lif.input.value.tolist() == [0., 0.]


@pytest.mark.parametrize("method", ["euler", "rk2", "rk4"])
def test_other_methods_agree_with_exact_integration(method):
    exact, other = LIF(1, V_th=1e9), LIF(1, V_th=1e9, method=method)
    _, V1 = run(exact, 100, 10.)
    _, V2 = run(other, 100, 10.)
    tol = {"euler": 5e-2, "rk2": 1e-3, "rk4": 1e-4}[method]
    np.testing.assert_allclose(V2, V1, atol=tol)


def test_noise_perturbs_V_reproducibly():
    def noisy_run():
        bm.random.seed(3)
        return run(LIF(5, noise=1., V_th=1e9), 20, 0.)[1]
    V1, V2 = noisy_run(), noisy_run()
    np.testing.assert_array_equal(V1, V2)
    # pure noise from 0: V_k is a sum of k decayed N(0, dt) terms; std near sqrt(k dt) = 1.4
    assert 0.3 < float(jnp.std(V1[-1])) < 4.


def test_batching_mode_shapes_and_reset():
    lif = LIF((2, 3), mode=bm.BatchingMode(4))
    assert lif.num == 6 and lif.V.shape == (4, 6) and lif.spike.dtype == jnp.bool_
    V_before = lif.V
    lif.reset_state(7)
    assert lif.V is V_before and lif.V.shape == (7, 6) and lif.t_last_spike.shape == (7, 6)
    kept = LIF((2, 3), keep_size=True, mode=bm.BatchingMode(2))
    assert kept.V.shape == (2, 2, 3)
    with pytest.raises(ModeError, match="NonBatchingMode"):
        LIF(3).reset_state(2)


def test_training_mode_spikes_are_float_with_soft_reset_and_surrogate_gradient():
    lif = LIF(3, V_rest=0., V_reset=0., V_th=1., tau=10., mode=bm.TrainingMode(2))
    assert lif.spike.dtype == jnp.float32
    lif.V.value = jnp.array([[0.5, 1.5, 2.5], [0., 0., 0.]])
    spike = lif.update()
    decay = math.exp(-DT / 10.)
    V_int = np.array([0.5, 1.5, 2.5]) * decay
    np.testing.assert_allclose(spike[0], (V_int >= 1.).astype(np.float32))
    np.testing.assert_allclose(lif.V.value[0], V_int - (V_int >= 1.), rtol=1e-6)

    def f(v0):
        lif.V.value = v0
        return lif.update().sum()
    g = bm.grad(f, argnums=0)(jnp.full((2, 3), 0.95))
    slope = bp.math.surrogate.InvSquareGrad()
    expected = float(slope.derivative(jnp.float32(0.95 * decay - 1.))) * decay
    np.testing.assert_allclose(g, np.full((2, 3), expected), rtol=1e-5)


def test_hard_reset_and_detached_spike():
    hard = LIF(1, V_rest=0., V_reset=0., V_th=1., spk_reset="hard", mode=bm.TrainingMode(1))
    hard.V.value = jnp.array([[3.]])
    hard.update()
    assert float(hard.V.value[0, 0]) == 0.
    det = LIF(1, V_th=1., V_reset=0., detach_spk=True, mode=bm.TrainingMode(1))

    def f(v0):
        det.V.value = v0
        det.update()
        return det.V.value.sum()
    g = bm.grad(f, argnums=0)(jnp.array([[1.05]]))
    np.testing.assert_allclose(g, [[math.exp(-DT / 10.)]], rtol=1e-6)


def test_bad_arguments_are_named():
    with pytest.raises(ValueError, match="method"):
        LIF(2, method="rk78")
    with pytest.raises(ValueError, match="spk_reset"):
        LIF(2, spk_reset="medium")
    with pytest.raises(ValueError, match="tau_ref >= 0"):
        LIF(2, tau_ref=-1.)
    with pytest.raises(ShapeError, match="LIF"):
        LIF(2).update(jnp.ones(3))
    with pytest.raises(ShapeError, match="tau"):
        LIF(2, tau=jnp.ones(3))
    with pytest.raises(ValueError, match="size"):
        LIF(0)


def test_repr_and_vars():
    lif = LIF(3, name="exc")
    assert repr(lif) == "LIF(name=exc, size=(3,), mode=NonBatchingMode)"
    assert sorted(lif.vars()) == ["V", "input", "refractory", "spike", "t_last_spike"]


def test_training_mode_without_refractory_period_keeps_no_spike_times():
    lif = bp.neurons.LIF(3, mode=bm.TrainingMode(2))
    assert sorted(lif.vars()) == ["V", "input", "spike"]
    with pytest.raises(AttributeError, match=r"LIF.*t_last_spike.*TrainingMode with tau_ref=0.*tau_ref > 0"):
        lif.t_last_spike
    with pytest.raises(bp.errors.MonitorError, match="t_last_spike"):
        bp.DSRunner(lif, monitors=["t_last_spike"], progress_bar=False)
    # with a refractory period, or outside TrainingMode, they are kept and updated
    lif = bp.neurons.LIF(3, tau_ref=2., mode=bm.TrainingMode(2))
    assert sorted(lif.vars()) == ["V", "input", "refractory", "spike", "t_last_spike"]
    with bm.environment(dt=0.1):
        lif = bp.neurons.LIF(1, V_th=0.5, V_rest=0., V_reset=0., tau=5.)
        spikes = bp.DSRunner(lif, monitors=["spike"], inputs=[("input", 10.)], progress_bar=False).run(2.)
    assert float(lif.t_last_spike.value[0]) >= 0.
    with pytest.raises(AttributeError, match="no attribute 'nothing'"):
        lif.nothing
