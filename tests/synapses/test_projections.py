"""BrainPy 2.4+'s align-post projections against the two-ended synapses they decompose: the COBA
E/I network written both ways gives the same spikes."""
import numpy as np
import pytest

import neurodyn as bp
import neurodyn.math as bm

NE, NI = 400, 100
PARS = dict(V_rest=-60., V_th=-50., V_reset=-60., tau=20., tau_ref=5.)


class OldAPI(bp.Network):
    def __init__(self):
        super().__init__()
        self.E = bp.neurons.LIF(NE, **PARS, V_initializer=bp.init.Constant(-55.))
        self.I = bp.neurons.LIF(NI, **PARS, V_initializer=bp.init.Constant(-55.))
        syn = bp.synapses.Exponential
        self.E2E = syn(self.E, self.E, bp.conn.FixedProb(0.05, seed=1), output=bp.synouts.COBA(E=0.), g_max=0.6, tau=5.)
        self.E2I = syn(self.E, self.I, bp.conn.FixedProb(0.05, seed=2), output=bp.synouts.COBA(E=0.), g_max=0.6, tau=5.)
        self.I2E = syn(self.I, self.E, bp.conn.FixedProb(0.05, seed=3), output=bp.synouts.COBA(E=-80.), g_max=6.7, tau=10.)
        self.I2I = syn(self.I, self.I, bp.conn.FixedProb(0.05, seed=4), output=bp.synouts.COBA(E=-80.), g_max=6.7, tau=10.)

    def update(self):
        self.E2E(), self.E2I(), self.I2E(), self.I2I()
        self.E(20.), self.I(20.)


class NewAPI(bp.DynSysGroup):
    def __init__(self):
        super().__init__()
        self.E = bp.dyn.LifRef(NE, **PARS, V_initializer=bp.init.Constant(-55.))
        self.I = bp.dyn.LifRef(NI, **PARS, V_initializer=bp.init.Constant(-55.))

        def proj(pre, post, seed, w, tau, E):
            return bp.dyn.FullProjAlignPostMg(
                pre=pre, delay=None,
                comm=bp.dnn.EventCSRLinear(bp.conn.FixedProb(0.05, seed=seed, pre=pre.num, post=post.num), w),
                syn=bp.dyn.Expon.desc(post.varshape, tau=tau), out=bp.dyn.COBA.desc(E=E), post=post)
        self.E2E = proj(self.E, self.E, 1, 0.6, 5., 0.)
        self.E2I = proj(self.E, self.I, 2, 0.6, 5., 0.)
        self.I2E = proj(self.I, self.E, 3, 6.7, 10., -80.)
        self.I2I = proj(self.I, self.I, 4, 6.7, 10., -80.)

    def update(self):
        self.E2E(), self.E2I(), self.I2E(), self.I2I()
        self.E(20.), self.I(20.)


def _spikes(net):
    runner = bp.DSRunner(net, monitors=["E.spike", "I.spike"], progress_bar=False)
    runner.run(100.)
    return np.asarray(runner.mon["E.spike"]), np.asarray(runner.mon["I.spike"])


def test_coba_network_old_and_new_api_spike_identically():
    old, new = _spikes(OldAPI()), _spikes(NewAPI())
    assert old[0].sum() > 100                               # the network is active
    np.testing.assert_array_equal(old[0], new[0])
    np.testing.assert_array_equal(old[1], new[1])


def test_half_projection_expon_closed_form_and_errors():
    post = bp.neurons.LeakyIntegrator(2)
    proj = bp.dyn.HalfProjAlignPost(comm=bp.dnn.OneToOne(2, 2.), syn=bp.dyn.Expon(2, tau=4.),
                                    out=bp.dyn.CUBA(), post=post)
    out = bm.for_loop(lambda x: proj(x), bm.array([[1., 0.], [0., 0.], [0., 0.]]))
    np.testing.assert_allclose(np.asarray(out)[:, 0], 2 * np.exp(-0.1 / 4 * np.arange(3)), rtol=1e-6)
    pre = bp.neurons.LIF(2)
    with pytest.raises(ValueError, match="delay"):
        bp.dyn.FullProjAlignPost(pre=pre, delay=1., comm=bp.dnn.OneToOne(2, 1.), syn=bp.dyn.Expon.desc(2),
                                 out=bp.dyn.CUBA.desc(), post=post)
    with pytest.raises(TypeError, match="out="):
        bp.dyn.HalfProjAlignPost(comm=bp.dnn.OneToOne(2, 1.), syn=bp.dyn.Expon(2), out="COBA", post=post)
