"""ExpIF, AdExIF, Izhikevich, HH against analytic periods and high-accuracy scipy references."""
import math

import jax
import jax.numpy as jnp
import numpy as np
import pytest
from scipy.integrate import quad, solve_ivp

import neurodyn as bp
import neurodyn.math as bm
from neurodyn.neurons import HH, AdEx, AdExIF, ExpIF, Izhikevich
from neurodyn.neurons._hh import rates


def spike_times(group, I, T, dt):
    """Times (ms) at which ``group`` spikes under constant current ``I``; a spike in step k
    (from t = k dt to (k + 1) dt) is dated (k + 1) dt."""
    def step(i):
        with bp.share.context(dt=dt, t=i * dt):
            return group(I)
    spikes = bm.for_loop(step, jnp.arange(int(round(T / dt))))
    return (np.nonzero(np.asarray(spikes[:, 0]))[0] + 1) * dt


def reference_with_reset(f, y0, T, V_th, reset):
    """Spike times of an integrate-and-fire ODE solved by LSODA (tight tolerances) with resets."""
    t0, y, times = 0., list(y0), []
    event = lambda t, y: y[0] - V_th
    event.terminal, event.direction = True, 1
    while t0 < T:
        sol = solve_ivp(f, (t0, T), y, rtol=1e-10, atol=1e-10, events=event, method="LSODA")
        if sol.status != 1:
            break
        t0 = sol.t_events[0][0]
        times.append(t0)
        y = reset(sol.y_events[0][0])
    return np.array(times)


V_REST, V_RESET, V_TH, V_T, DELTA_T, TAU = -65., -68., -55., -59.9, 3.48, 10.


def test_expif_period_matches_the_quadrature_of_its_ode():
    I = 20.
    period = quad(lambda V: TAU / (-(V - V_REST) + DELTA_T * math.exp((V - V_T) / DELTA_T) + I),
                  V_RESET, V_TH)[0]
    t = spike_times(ExpIF(1, V_initializer=bp.init.OneInit(V_RESET)), I, 60., 0.01)
    assert len(t) >= 5
    np.testing.assert_allclose(np.diff(t), period, atol=0.011)
    np.testing.assert_allclose(t[0], period, atol=0.011)


def test_adex_spike_times_match_reference():
    f = lambda t, y: [(-(y[0] - V_REST) + DELTA_T * math.exp((y[0] - V_T) / DELTA_T) - y[1] + 10.) / TAU,
                      (1. * (y[0] - V_REST) - y[1]) / 30.]
    ref = reference_with_reset(f, [-65., 0.], 200., V_TH, lambda y: [V_RESET, y[1] + 1.])
    ours = spike_times(AdExIF(1, a=1., b=1., tau_w=30.), 10., 200., 0.05)
    assert len(ours) == len(ref) >= 8
    np.testing.assert_allclose(ours, ref, atol=0.06)
    isi = np.diff(ours)
    assert isi[-1] > isi[0] * 1.4                    # spike-frequency adaptation
    assert AdEx is AdExIF


def test_izhikevich_regular_spiking_matches_reference():
    a, b, c, d = 0.02, 0.2, -65., 8.
    f = lambda t, y: [0.04 * y[0] ** 2 + 5 * y[0] + 140 - y[1] + 10., a * (b * y[0] - y[1])]
    ref = reference_with_reset(f, [-65., b * -65.], 300., 30., lambda y: [c, y[1] + d])
    ours = spike_times(Izhikevich(1, a=a, b=b, c=c, d=d), 10., 300., 0.05)
    assert len(ours) == len(ref) == 8
    np.testing.assert_allclose(ours, ref, atol=0.1)
    isi = np.diff(ours)
    # regular spiking: a short first interval, then a slower tonic rhythm (~22 Hz)
    assert isi[0] < 0.6 * isi[1] and np.ptp(isi[2:]) < 0.5
    np.testing.assert_allclose(1000. / isi[-1], 22.3, atol=0.5)


def np_rates(V):
    """The HH rate functions, written again with numpy for the reference solution."""
    return (0.1 * (V + 40) / (1 - np.exp(-(V + 40) / 10)), 4 * np.exp(-(V + 65) / 18),
            0.07 * np.exp(-(V + 65) / 20), 1 / (1 + np.exp(-(V + 35) / 10)),
            0.01 * (V + 55) / (1 - np.exp(-(V + 55) / 10)), 0.125 * np.exp(-(V + 65) / 80))


def _hh_reference(I, T):
    def f(t, y):
        V, m, h, n = y
        am, bm_, ah, bh, an, bn = np_rates(V)
        return [I - 120 * m ** 3 * h * (V - 50) - 36 * n ** 4 * (V + 77) - 0.3 * (V + 54.387),
                am * (1 - m) - bm_ * m, ah * (1 - h) - bh * h, an * (1 - n) - bn * n]
    am, bm_, ah, bh, an, bn = np_rates(-65.)
    event = lambda t, y: y[0] - 20.
    event.direction = 1
    sol = solve_ivp(f, (0, T), [-65., am / (am + bm_), ah / (ah + bh), an / (an + bn)],
                    rtol=1e-9, atol=1e-9, events=event, method="LSODA")
    return sol.t_events[0]


def test_hh_spike_train_at_10uA_matches_reference_and_known_rate():
    ref = _hh_reference(10., 100.)
    rate = 1000. / np.diff(ref).mean()
    assert 66. < rate < 70.                          # the classic ~68 Hz of HH at 10 uA/cm^2
    np.testing.assert_allclose(HH(1).gL, 0.03)           # BrainPy's default (its code and its docs)
    rk4 = spike_times(HH(1, method="rk4", gL=0.3), 10., 100., 0.01)    # Hodgkin & Huxley's own leak
    np.testing.assert_allclose(rk4, ref, atol=0.015)
    exp = spike_times(HH(1, gL=0.3), 10., 100., 0.01)    # exponential Euler: first order in dt
    assert len(exp) == len(ref)
    np.testing.assert_allclose(1000. / np.diff(exp).mean(), rate, rtol=0.01)


def test_hh_is_silent_below_rheobase_and_gates_start_at_steady_state():
    hh = HH(2)
    am, bm_, *_ = np_rates(-65.)
    np.testing.assert_allclose(hh.m.value, am / (am + bm_), rtol=1e-5)
    V = np.array([-42., -53., -20.])
    np.testing.assert_allclose(np.stack(rates(jnp.asarray(V))), np.stack(np_rates(V)), rtol=1e-5)
    assert spike_times(HH(1), 1., 50., 0.05).size == 0


@pytest.mark.parametrize("model", [ExpIF, AdExIF, Izhikevich, HH])
def test_training_mode_spikes_are_float_and_differentiable(model):
    group = model(3, mode=bm.TrainingMode(2), method="euler")   # euler: the cheapest to compile
    assert group.spike.dtype == jnp.float32

    def total(I):
        with bp.share.context(dt=0.02):          # explicit Euler on HH needs a small step
            return bm.for_loop(lambda i: group(I), jnp.arange(100)).sum()
    g = bm.jit(bm.grad(total, argnums=0))(jnp.full((2, 3), 12.))
    assert bool(jnp.all(jnp.isfinite(g)))


def test_hh_linear_parts_are_the_jacobian_diagonal():
    hh = HH(4)
    states = (jnp.array([-70., -50., 0., 30.]), jnp.full(4, 0.3), jnp.full(4, 0.5), jnp.full(4, 0.4))
    for i, slope in enumerate(hh.linear(*states)):
        f_i = lambda x: hh.derivative(*states[:i], x, *states[i + 1:], 0.)[i]
        _, expected = jax.jvp(f_i, (states[i],), (jnp.ones(4),))
        np.testing.assert_allclose(slope, expected, rtol=1e-5)
