"""DualExponential / Alpha against their closed forms; Delta's instantaneous jump; synouts."""
import jax.numpy as jnp
import numpy as np
import pytest

import neurodyn as bp
import neurodyn.math as bm
from neurodyn.conn import All2All
from neurodyn.neurons import LIF, InputGroup, LeakyIntegrator
from neurodyn.synapses import Alpha, Delta, DualExponential
from neurodyn.synapses.synouts import COBA, CUBA

DT = 0.1


def response(syn, T=300):
    spikes = jnp.zeros((T, syn.pre.num)).at[0].set(1.)
    return np.asarray(bm.for_loop(lambda s: syn(s), spikes))[:, 0]


def test_dual_exponential_matches_the_difference_of_exponentials():
    syn = DualExponential(InputGroup(1), LeakyIntegrator(1), All2All(), g_max=2., tau_decay=8.,
                          tau_rise=2.)
    g = response(syn)
    t = np.arange(300) * DT           # the spike is added to h at step 0; g follows from step 1
    expected = 2. * 8. * 2. / (8. - 2.) * (np.exp(-t / 8.) - np.exp(-t / 2.))
    np.testing.assert_allclose(g, expected, rtol=1e-4, atol=1e-6)


def test_alpha_matches_t_exp_minus_t_over_tau():
    syn = Alpha(InputGroup(1), LeakyIntegrator(1), All2All(), g_max=1.5, tau_decay=3.)
    g = response(syn)
    t = np.arange(300) * DT
    np.testing.assert_allclose(g, 1.5 * t * np.exp(-t / 3.), rtol=1e-4, atol=1e-6)
    assert float(syn.tau_rise) == float(syn.tau_decay) == 3.


@pytest.mark.parametrize("method", ["euler", "rk4"])
def test_dual_exponential_other_methods_converge_to_the_exact_propagator(method):
    make = lambda m: DualExponential(InputGroup(1), LeakyIntegrator(1), All2All(), method=m)
    tol = {"euler": 3e-2, "rk4": 1e-6}[method]   # first / fourth order at dt = 0.1 ms
    np.testing.assert_allclose(response(make(method)), response(make("exp_auto")), atol=tol)


def test_delta_jumps_the_membrane_and_cuba_option_feeds_input():
    pre, post = InputGroup(2), LIF(2, V_th=1e9)
    jump = Delta(pre, post, All2All(), g_max=jnp.array([[1., 2.], [3., 4.]]))
    jump(jnp.array([1., 1.]))
    np.testing.assert_allclose(post.V.value, [4., 6.])
    np.testing.assert_allclose(post.input.value, [0., 0.])
    via_input = Delta(pre, post, All2All(), g_max=1., output=CUBA())
    via_input(jnp.array([1., 0.]))
    np.testing.assert_allclose(post.input.value, [1., 1.])


def test_delta_in_training_mode_is_differentiable_in_its_weights():
    with bm.training_environment(batch_size=2):
        pre, post = InputGroup(3), LIF(2, V_th=1e9)
        syn = Delta(pre, post, All2All(), g_max=bp.init.Normal(scale=1.))
    x = jnp.ones((2, 3))

    def loss():
        syn(x)
        return post.V.value.sum()
    g = bm.grad(loss, grad_vars={"w": syn.g_max})()["w"]
    np.testing.assert_allclose(g, np.full((3, 2), 2.))


def test_outputs_bind_to_their_post_group():
    pre = InputGroup(1)
    with pytest.raises(ValueError, match="Variable 'input'"):
        DualExponential(pre, InputGroup(1), All2All())
    with pytest.raises(ValueError, match="membrane Variable 'V'"):
        DualExponential(pre, InputGroup(1), All2All(), output=COBA(target_var="spike"))
    with pytest.raises(TypeError, match="target_var"):
        CUBA(target_var=3)
    shared = COBA(E=-80.)
    a = DualExponential(pre, LIF(2), All2All(), output=shared)
    b = DualExponential(pre, LIF(3), All2All(), output=shared)
    assert a.output.post is a.post and b.output.post is b.post and shared.post is None
    assert repr(a.output) == "COBA(E=-80.0, target_var='input')"


def test_delta_post_ref_key_skips_refractory_neurons():
    import neurodyn as bp
    import neurodyn.math as bm
    pre, post = bp.neurons.InputGroup(1), bp.neurons.LIF(2, tau_ref=5.)
    syn = bp.synapses.Delta(pre, post, bp.conn.All2All(), g_max=2., post_ref_key="refractory")
    post.refractory.value = bm.asarray([True, False])
    V0 = post.V.value
    syn(bm.asarray([1.]))
    assert (post.V.value - V0).tolist() == [0., 2.]
    with pytest.raises(ValueError, match="post_ref_key"):
        bp.synapses.Delta(pre, bp.neurons.LIF(2), bp.conn.All2All(), post_ref_key="refractory_mask")
