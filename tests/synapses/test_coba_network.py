"""The COBA E/I network (Vogels & Abbott 2005; Brette et al. 2007; BrainPy's EINet example) at
1/5 of the standard size: it runs, fires at a plausible rate, and sparse == dense exactly.

The reduced network keeps what sets the dynamics: every neuron still receives 64 excitatory and
16 inhibitory synapses of the standard weights (0.6, 6.7), so the connection probability is
0.02 / scale. (At full size, 4000 neurons, 1 s, our simulation gives 20.7 Hz for both groups.)"""
import jax.numpy as jnp
import numpy as np

import neurodyn as bp
import neurodyn.math as bm
from neurodyn.conn import FixedProb
from neurodyn.neurons import LIF
from neurodyn.synapses import Exponential
from neurodyn.synapses.synouts import COBA

DT = 0.1


class EINet(bp.Network):
    def __init__(self, scale, comp_method):
        n_exc, n_inh = int(3200 * scale), int(800 * scale)
        pars = dict(V_rest=-60., V_th=-50., V_reset=-60., tau=20., tau_ref=5.,
                    V_initializer=bp.init.Normal(scale=2., mean=-55.))
        E, I = LIF(n_exc, **pars), LIF(n_inh, **pars)
        we, wi, prob = 0.6, 6.7, 0.02 / scale     # the same in-degree as the full network
        proj = lambda pre, post, w, tau, E_rev, seed: Exponential(
            pre, post, FixedProb(prob, seed=seed), g_max=w, tau=tau, output=COBA(E=E_rev),
            comp_method=comp_method)
        super().__init__(E2E=proj(E, E, we, 5., 0., 1), E2I=proj(E, I, we, 5., 0., 2),
                         I2E=proj(I, E, wi, 10., -80., 3), I2I=proj(I, I, wi, 10., -80., 4),
                         E=E, I=I)


def simulate(comp_method, duration=200.):
    bm.random.seed(42)
    net = EINet(0.2, comp_method)

    def step(i):
        with bp.share.context(t=i * DT, dt=DT, i=i):
            net.E.input += 20.
            net.I.input += 20.
            net()
        return net.E.spike.value, net.I.spike.value
    return net, bm.jit(lambda: bm.for_loop(step, jnp.arange(int(duration / DT))))()


def test_coba_network_fires_at_a_plausible_rate_and_sparse_equals_dense():
    net, (exc, inh) = simulate("sparse")
    assert net.E2E.comp_method == "sparse" and net.I2E.comp_method == "sparse"
    _, (exc_d, inh_d) = simulate("dense")
    np.testing.assert_array_equal(np.asarray(exc), np.asarray(exc_d))
    np.testing.assert_array_equal(np.asarray(inh), np.asarray(inh_d))
    late = slice(1000, None)                         # after the initial synchronous volley
    rate_e = float(exc[late].mean()) / DT * 1000.
    rate_i = float(inh[late].mean()) / DT * 1000.
    # input alone (no synapses) would drive every cell at 1000 / (5 + 20 ln 2) = 53 Hz;
    # the balanced recurrent inhibition brings the network well below that
    assert 5. < rate_e < 45. and 5. < rate_i < 45., (rate_e, rate_i)
    assert float(exc[late].sum(1).std()) > 0.        # asynchronous, not frozen
