"""LeakyIntegrator, InputGroup and ALIF: exact numbers against hand-written recurrences."""
import math

import jax.numpy as jnp
import numpy as np
import pytest

import neurodyn.math as bm
from neurodyn.errors import ShapeError
from neurodyn.neurons import ALIF, InputGroup, LeakyIntegrator

DT = 0.1


def test_leaky_integrator_relaxes_exactly_to_the_driven_value():
    li = LeakyIntegrator(2, V_rest=-1., tau=5., R=2.)
    V = bm.for_loop(lambda i: li(jnp.array([1., 3.])), jnp.arange(30))
    t = (np.arange(30) + 1) * DT
    V_inf = -1. + 2. * np.array([1., 3.])
    expected = V_inf + (0. - V_inf) * np.exp(-t / 5.)[:, None]
    np.testing.assert_allclose(V, expected, rtol=1e-5, atol=1e-5)
    assert li.input.value.tolist() == [0., 0.]


def test_leaky_integrator_integrates_synaptic_input_variable():
    li = LeakyIntegrator(1, tau=10., mode=bm.TrainingMode(3))
    li.input.value = jnp.ones((3, 1))
    V = li.update()
    np.testing.assert_allclose(V, np.full((3, 1), 1 - math.exp(-DT / 10.)), rtol=1e-6)
    assert not hasattr(li, "spike")


def test_input_group_stores_spikes_in_the_mode_dtype():
    inp = InputGroup(4)
    assert inp(jnp.array([0., 2., 0., 1.])).tolist() == [False, True, False, True]
    trained = InputGroup(4, mode=bm.TrainingMode(2))
    x = jnp.array([[0., 1., 0., 1.], [1., 1., 0., 0.]])
    np.testing.assert_array_equal(trained(x), x)
    assert trained.spike.dtype == jnp.float32
    with pytest.raises(ShapeError, match="InputGroup"):
        trained(jnp.ones(4))


def alif_reference(n, I, V_rest, V_reset, V_th, tau, tau_a, beta):
    V, a, spikes = 0., 0., []
    for _ in range(n):
        V_inf = V_rest + I
        V_new = V_inf + (V - V_inf) * math.exp(-DT / tau)
        a_new = a * math.exp(-DT / tau_a)
        fired = V_new >= V_th + beta * a
        V = V_reset if fired else V_new
        a = a_new + fired
        spikes.append(fired)
    return np.array(spikes), V, a


def test_alif_follows_its_adaptive_threshold_recurrence():
    pars = dict(V_rest=0., V_reset=0., V_th=1., tau=20., tau_a=100., beta=0.3)
    group = ALIF(1, **pars)
    spikes = bm.for_loop(lambda i: group(1.6), jnp.arange(3000))[:, 0]
    ref, V, a = alif_reference(3000, 1.6, **pars)
    np.testing.assert_array_equal(np.asarray(spikes), ref)
    np.testing.assert_allclose(float(group.a.value[0]), a, rtol=1e-4)
    isi = np.diff(np.nonzero(ref)[0])
    assert isi[-1] > isi[0]


def test_alif_training_mode_threshold_uses_adaptation():
    group = ALIF(2, V_th=1., beta=0.5, mode=bm.TrainingMode(1))
    group.a.value = jnp.array([[0., 2.]])
    group.V.value = jnp.array([[1.5, 1.5]])
    spike = group.update()
    np.testing.assert_array_equal(spike, [[1., 0.]])   # threshold 1 vs 2
    assert group.spike.dtype == jnp.float32


def test_poisson_group_rate_variable_rates_and_seed():
    import neurodyn as bp
    group = bp.dyn.PoissonGroup(20000, freqs=50., seed=3)
    spikes = np.asarray(bm.for_loop(lambda i: group(), bm.arange(200)))
    assert abs(spikes.mean() * 1e4 - 50.) < 1.5                 # p = 50 Hz * 0.1 ms
    again = bp.dyn.PoissonGroup(20000, freqs=50., seed=3)
    np.testing.assert_array_equal(np.asarray(again()), spikes[0])
    rates = bm.Variable(bm.zeros(1))
    driven = bp.dyn.PoissonGroup(1000, freqs=rates)
    assert not np.asarray(driven()).any()
    rates.value = bm.array([10000.])                             # p = 1 per step
    assert np.asarray(driven()).all()
