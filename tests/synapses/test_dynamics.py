"""Synapse dynamics: BrainPy 2.8.2's printed trajectories (its kinetic/phenomenological synapse
tutorials: one presynaptic neuron spiking at 10, 30, 50, 70 ms onto a LifRef through an
align-pre projection), and closed forms."""
import numpy as np
import pytest

import neurodyn as bp
import neurodyn.math as bm

# every 10 ms from t = 0 (steps 0, 100, ..., 900): conductance and post V, printed by BrainPy 2.8.2
BRAINPY = {
    "AMPA": ([0.0, 0.0474, 0.037, 0.0532, 0.0378, 0.0533, 0.0378, 0.0533, 0.0378, 0.0062],
             [-60.0, -59.9858, -57.83, -58.3095, -56.8179, -57.6934, -56.462, -57.4794, -56.3386, -57.4187]),
    "GABAa": ([0.0, 0.0512, 0.0738, 0.0627, 0.0749, 0.0629, 0.075, 0.0629, 0.075, 0.0124],
              [-60.0, -60.0051, -61.3566, -61.0599, -61.9599, -61.4232, -62.1601, -61.5426, -62.2258, -61.5771]),
    "NMDA": ([0.0, 0.0, 0.5923, 0.5386, 0.7684, 0.6968, 0.8201, 0.7433, 0.8353, 0.7569],
             [-60.0, -60.0, -59.1253, -58.5293, -57.7974, -57.3857, -56.9334, -56.7355, -56.4716, -56.4077]),
    "DualExpon": ([0.0, 0.0, 0.2658, 0.036, 0.2707, 0.0366, 0.2707, 0.0367, 0.2707, 0.0367],
                  [-60.0, -60.0, -59.8398, -57.4912, -58.7604, -56.8304, -58.3612, -56.6012, -58.3612, -56.6012]),
}
SYN = {
    "AMPA": (lambda n: bp.dyn.AMPA.desc(n, alpha=0.98, beta=0.18, T=0.5, T_dur=0.5), bp.dyn.COBA(E=0.)),
    "GABAa": (lambda n: bp.dyn.GABAa.desc(n, alpha=0.53, beta=0.18, T=1.0, T_dur=1.0), bp.dyn.COBA(E=-80.)),
    "NMDA": (lambda n: bp.dyn.NMDA.desc(n, a=0.5, tau_decay=100., tau_rise=2.), bp.dyn.MgBlock(E=0.)),
    "DualExpon": (lambda n: bp.dyn.DualExpon.desc(n, tau_decay=5., tau_rise=1.), bp.dyn.COBA(E=0.)),
}


class SimpleNet(bp.DynSysGroup):
    def __init__(self, kind):
        super().__init__()
        self.pre = bp.dyn.SpikeTimeGroup(1, indices=(0, 0, 0, 0), times=(10., 30., 50., 70.))
        self.post = bp.dyn.LifRef(1, V_rest=-60., V_th=-50., V_reset=-60., tau=20., tau_ref=5.,
                                  V_initializer=bp.init.Constant(-60.))
        syn, out = SYN[kind]
        self.proj = bp.dyn.ProjAlignPreMg2(pre=self.pre, delay=None, syn=syn(1), out=out, post=self.post,
                                           comm=bp.dnn.CSRLinear(bp.conn.FixedProb(1., pre=1, post=1), 1.))

    def update(self):
        self.pre(), self.proj(), self.post()
        return self.proj.syn.g.value, self.post.V.value


@pytest.mark.parametrize("kind", sorted(BRAINPY))
def test_align_pre_synapses_print_what_brainpy_prints(kind):
    g, V = bm.for_loop(SimpleNet(kind).step_run, np.arange(1000))
    np.testing.assert_allclose(np.asarray(g)[::100, 0], BRAINPY[kind][0], atol=1.5e-4)
    np.testing.assert_allclose(np.asarray(V)[::100, 0], BRAINPY[kind][1], atol=1.5e-4)


def _drive(syn, spikes):
    return np.asarray(bm.for_loop(lambda s: syn(s), bm.asarray(spikes)))


def test_dual_exponential_peak_is_normalised_and_v2_is_the_exact_kernel():
    spikes = np.zeros((600, 1))
    spikes[0] = 1.
    with bm.environment(dt=0.01):
        g1 = _drive(bp.dyn.DualExpon(1, tau_decay=5., tau_rise=1.), spikes)[:, 0]
        g2 = _drive(bp.dyn.DualExponV2(1, tau_decay=5., tau_rise=1.), spikes)
    t_peak = 5. * 1. / (5. - 1.) * np.log(5. / 1.)   # the peak time; exponential Euler is first order: 0.5% at dt 0.01
    assert abs(g1.max() - 1.) < 1e-2 and abs(np.argmax(g1) * 0.01 - t_peak) < 0.02
    k = np.arange(600) * 0.01                                  # V2 is the exact difference of decays
    kernel = (np.exp(-k / 5.) - np.exp(-k / 1.)) / (np.exp(-t_peak / 5.) - np.exp(-t_peak / 1.))
    np.testing.assert_allclose(g2.reshape(-1), kernel, atol=2e-5)


def test_short_term_plasticity_closed_forms():
    U, tau = 0.2, 100.
    std = bp.dyn.STD(1, tau=tau, U=U)
    x = _drive(std, [[1.], [0.], [0.]])[:, 0]
    np.testing.assert_allclose(x[0], 1 - U, rtol=1e-6)                      # one spike uses U
    np.testing.assert_allclose(x[2], 1 - U * np.exp(-0.2 / tau), rtol=1e-6)  # recovery, exact
    stp = bp.dyn.STP(1, U=U, tau_f=1000., tau_d=100.)
    eff = _drive(stp, [[1.]])[0, 0]
    u = U * np.exp(-0.1 / 1000.)
    u = u + U * (1 - u)                                                       # facilitation
    np.testing.assert_allclose(eff, u * (1 - u), rtol=1e-6)                   # u x after the spike


def test_alpha_peaks_at_tau():
    spikes = np.zeros((3000, 1))
    spikes[0] = 1.
    with bm.environment(dt=0.01):
        g = _drive(bp.dyn.Alpha(1, tau_decay=4.), spikes)[:, 0]
    assert abs(np.argmax(g) * 0.01 - 4.) < 0.05
    np.testing.assert_allclose(g.max(), np.exp(-1.), rtol=5e-3)              # h/tau convolved: e^-1 at tau


@pytest.mark.parametrize("kind", ["AMPA", "GABAa", "NMDA"])
def test_old_api_kinetic_synapses_equal_the_align_pre_projection(kind):
    """``bp.synapses.AMPA(pre, post, conn)`` is the align-pre composition: same spikes, same V."""
    class Old(bp.Network):
        def __init__(self):
            super().__init__()
            self.pre = bp.neurons.SpikeTimeGroup(1, [10., 30., 50., 70.], [0, 0, 0, 0])
            self.post = bp.neurons.LIF(1, V_rest=-60., V_th=-50., V_reset=-60., tau=20., tau_ref=5.,
                                       V_initializer=bp.init.Constant(-60.))
            self.syn = getattr(bp.synapses, kind)(self.pre, self.post, bp.conn.All2All(), g_max=1.,
                                                  output=SYN[kind][1])

        def update(self):              # the tutorial's order: pre, synapse, post
            self.pre(), self.syn(), self.post()
    old = Old()
    runner = bp.DSRunner(old, monitors=["post.V"], progress_bar=False)
    runner.run(100.)
    np.testing.assert_allclose(np.asarray(runner.mon["post.V"])[::100, 0], BRAINPY[kind][1], atol=1.5e-4)


def test_old_api_short_term_depression_scales_the_spikes():
    pre, post = bp.neurons.InputGroup(1), bp.neurons.LIF(1)
    plain = bp.synapses.NMDA(pre, post, bp.conn.All2All(), g_max=1.)
    std = bp.synapses.NMDA(pre, post, bp.conn.All2All(), g_max=1., stp=bp.synplast.STD(tau=700., U=0.3))
    for syn in (plain, std):
        bm.for_loop(lambda s: syn(s), bm.asarray([[1.]] * 3))
    # three spikes in a row: resources 0.7, 0.49, 0.343 (times a tiny recovery) scale the transmitter
    x = np.asarray(std.stp.x.value)[0]
    np.testing.assert_allclose(x, 0.7 ** 3, rtol=1e-3)
    assert float(std.syn.g[0]) < float(plain.syn.g[0])


def test_gap_junction_equals_the_coupling_by_hand():
    rng = np.random.default_rng(2)
    pre = bp.neurons.LIF(4, V_initializer=bp.init.Uniform(-70., -50.))
    post = bp.neurons.LIF(3, V_initializer=bp.init.Uniform(-70., -50.))
    W = rng.uniform(0.1, 1., (4, 3)).astype(np.float32)
    conn = bp.conn.FixedProb(0.6, seed=4)
    gj = bp.synapses.GapJunction(pre, post, conn, g_max=W)
    mask = conn.require("conn_mat")
    Vp, Vq = np.asarray(pre.V.value), np.asarray(post.V.value)
    gj()
    diff = (Vp[:, None] - Vq[None, :]) * W * mask
    np.testing.assert_allclose(np.asarray(post.input.value), diff.sum(0), rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(np.asarray(pre.input.value), -diff.sum(1), rtol=1e-5, atol=1e-5)
    with pytest.raises(bp.errors.ShapeError, match="one per connection"):
        bp.synapses.GapJunction(pre, post, bp.conn.All2All(), g_max=np.ones(5))
