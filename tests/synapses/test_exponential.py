"""Exponential synapse: decay and jumps, outputs, delays, weights, modes, errors."""
import math

import jax.numpy as jnp
import numpy as np
import pytest

import neurodyn as bp
import neurodyn.math as bm
from neurodyn.conn import All2All, FixedProb, One2One
from neurodyn.errors import InitializerError, ModeError, ShapeError
from neurodyn.neurons import LIF, InputGroup, LeakyIntegrator
from neurodyn.synapses import Exponential
from neurodyn.synapses.synouts import COBA

DT = 0.1


def drive(syn, spikes):
    """Feed ``spikes`` (T, pre) one step at a time; returns g over time."""
    def step(s):
        syn(s)
        return syn.g.value
    return bm.for_loop(step, jnp.asarray(spikes))


def test_g_jumps_by_the_weight_and_decays_exponentially():
    pre, post = InputGroup(1), LeakyIntegrator(1)
    syn = Exponential(pre, post, All2All(), g_max=0.7, tau=4.)
    spikes = np.zeros((60, 1), np.float32)
    spikes[0] = spikes[30] = 1.
    g = np.asarray(drive(syn, spikes))[:, 0]
    k = np.arange(60)
    expected = 0.7 * np.exp(-k * DT / 4.) + 0.7 * np.exp(-(k - 30) * DT / 4.) * (k >= 30)
    np.testing.assert_allclose(g, expected, rtol=1e-5)


def test_cuba_current_reaches_post_input_and_is_consumed_by_the_neuron():
    pre, post = InputGroup(2), LIF(3, V_th=1e9)
    syn = Exponential(pre, post, All2All(), g_max=jnp.arange(6.).reshape(2, 3), tau=5.)
    current = syn(jnp.array([1., 1.]))
    np.testing.assert_allclose(current, [3., 5., 7.])
    np.testing.assert_allclose(post.input.value, [3., 5., 7.])
    post.update()
    np.testing.assert_allclose(post.V.value, np.array([3., 5., 7.]) * (1 - math.exp(-DT / 10.)),
                               rtol=1e-5)
    assert post.input.value.tolist() == [0., 0., 0.]


def test_coba_current_is_g_times_driving_force():
    pre = InputGroup(1)
    post = LIF(2, V_initializer=bp.init.Constant(-60.))
    syn = Exponential(pre, post, All2All(), g_max=0.5, output=COBA(E=jnp.array([0., -80.])))
    syn(jnp.array([1.]))
    np.testing.assert_allclose(post.input.value, [0.5 * 60., 0.5 * -20.])


def test_reads_pre_spike_of_the_previous_step_and_delays():
    pre, post = LIF(1, V_th=1., V_reset=0.), LeakyIntegrator(1)
    now = Exponential(pre, post, All2All(), g_max=1., tau=1e6)
    later = Exponential(pre, post, All2All(), g_max=1., tau=1e6, delay_step=5)
    net = bp.Network(pre=pre, now=now, later=later, post=post)

    def step(i):
        pre.input.value = jnp.full((1,), 50.)
        net()
        return pre.spike.value[0], now.g.value[0], later.g.value[0]
    spikes, g_now, g_later = bm.for_loop(step, jnp.arange(40))
    s = int(np.nonzero(np.asarray(spikes))[0][0])
    assert float(g_now[s]) == 0. and float(g_now[s + 1]) == 1.
    assert float(g_later[s + 5]) == 0. and float(g_later[s + 6]) == 1.


@pytest.mark.parametrize("method", ["euler", "rk2", "rk4"])
def test_other_methods_approximate_the_exact_decay(method):
    exact = Exponential(InputGroup(1), LeakyIntegrator(1), All2All(), tau=5.)
    other = Exponential(InputGroup(1), LeakyIntegrator(1), All2All(), tau=5., method=method)
    spikes = np.zeros((50, 1), np.float32)
    spikes[0] = 1.
    tol = {"euler": 5e-3, "rk2": 1e-4, "rk4": 1e-6}[method]   # first, second, fourth order
    np.testing.assert_allclose(drive(other, spikes), drive(exact, spikes), atol=tol)


def test_weight_forms_and_training_mode():
    with bm.training_environment(batch_size=2):
        pre, post = InputGroup(5), LIF(4)
        syn = Exponential(pre, post, All2All(), g_max=bp.init.KaimingNormal(scale=20.))
        vec = Exponential(pre, post, All2All(), g_max=jnp.arange(4.))
    assert isinstance(syn.g_max, bm.TrainVar) and syn.g_max.shape == (5, 4)
    assert list(syn.train_vars()) == ["g_max"] and syn.g.shape == (2, 4)
    np.testing.assert_allclose(vec(jnp.ones((2, 5))), np.tile(5. * np.arange(4.), (2, 1)))
    plain = Exponential(InputGroup(5), LIF(4), All2All(), g_max=0.5)
    assert not isinstance(plain.g_max, bm.TrainVar) and plain.g_max.shape == ()
    assert len(plain.train_vars()) == 0
    one = Exponential(InputGroup(3), LIF(3), One2One(), g_max=jnp.array([1., 2., 3.]))
    np.testing.assert_allclose(one(jnp.array([1., 0., 1.])), [1., 0., 3.])


def test_bad_arguments_are_named():
    pre, post = InputGroup(3), LIF(2)
    with pytest.raises(ShapeError, match=r"g_max"):
        Exponential(pre, post, All2All(), g_max=jnp.ones((2, 3)))
    with pytest.raises(InitializerError, match="g_max"):
        Exponential(pre, post, All2All(), g_max="big")
    with pytest.raises(TypeError, match="conn="):
        Exponential(pre, post, "all2all")
    with pytest.raises(ShapeError, match="built for 4 -> 4"):
        Exponential(pre, post, FixedProb(0.5)(4, 4))
    with pytest.raises(ValueError, match="tau > 0"):
        Exponential(pre, post, All2All(), tau=0.)
    with pytest.raises(ValueError, match="comp_method"):
        Exponential(pre, post, All2All(), comp_method="fast")
    with pytest.raises(ValueError, match="delay_step >= 0"):
        Exponential(pre, post, All2All(), delay_step=-1)
    with pytest.raises(TypeError, match="output="):
        Exponential(pre, post, All2All(), output="CUBA")
    with pytest.raises(TypeError, match="pre= a neuron group"):
        Exponential(jnp.ones(3), post, All2All())
    with pytest.raises(ModeError, match="same batching"):
        Exponential(pre, post, All2All(), mode=bm.BatchingMode(2))
    with pytest.raises(ShapeError, match="presynaptic spikes"):
        Exponential(pre, post, All2All())(jnp.ones(4))


def test_repr_and_network_order():
    pre, post = InputGroup(2, name="src"), LIF(2, name="dst")
    syn = Exponential(pre, post, All2All(), name="s")
    assert repr(syn) == "Exponential(name=s, pre=src, post=dst, comp_method='all2all', mode=NonBatchingMode)"
    assert syn.update_order < post.update_order
    assert set(syn.vars()) >= {"g", "pre.spike", "post.V"}
