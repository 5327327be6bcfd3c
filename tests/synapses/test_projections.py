"""BrainPy 2.4+'s projections against a hand-written NumPy reference of the COBA E/I network
(float64, so the spikes can be compared one by one), and against the two-ended synapses they
decompose."""
import numpy as np
import pytest

import neurodyn as bp
import neurodyn.math as bm

NE, NI, STEPS, DT = 400, 100, 1000, 0.1
PARS = dict(V_rest=-60., V_th=-50., V_reset=-60., tau=20., tau_ref=5.)
# (pre, post, seed, weight, tau, E)
PROJS = [("E", "E", 1, 0.6, 5., 0.), ("E", "I", 2, 0.6, 5., 0.), ("I", "E", 3, 6.7, 10., -80.),
         ("I", "I", 4, 6.7, 10., -80.)]
SIZES = {"E": NE, "I": NI}


def _conn(pre, post, seed):
    return bp.conn.FixedProb(0.05, seed=seed, pre=SIZES[pre], post=SIZES[post])


def reference(merged: bool, ltc: bool):
    """The network by hand: LIF with refractoriness, exponential conductances, COBA outputs.
    ``merged``: BrainPy's Mg order (input added, then decayed); ``ltc``: the conductances are
    inside the membrane equation, integrated by exponential Euler (exact for this linear ODE)."""
    V = {k: np.full(n, -55.) for k, n in SIZES.items()}
    last = {k: np.full(n, -1e7) for k, n in SIZES.items()}
    spike = {k: np.zeros(n, bool) for k, n in SIZES.items()}
    W = [_conn(a, b, s).require("conn_mat") * w for a, b, s, w, _, _ in PROJS]
    g = [np.zeros(SIZES[b]) for _, b, *_ in PROJS]
    out = {k: [] for k in SIZES}
    for i in range(STEPS):
        t = i * DT
        for k, (a, b, _, _, tau, _) in enumerate(PROJS):
            x = spike[a] @ W[k]
            g[k] = (g[k] + x) * np.exp(-DT / tau) if merged else g[k] * np.exp(-DT / tau) + x
        new = {}
        for n in SIZES:
            G = sum(g[k] for k, p in enumerate(PROJS) if p[1] == n)
            GE = sum(g[k] * p[5] for k, p in enumerate(PROJS) if p[1] == n)
            I0 = 20. + (0. if ltc else GE - G * V[n])
            lin = -(1 + (G if ltc else 0.)) / 20.
            f = (-V[n] - 60. + I0 + ((GE - G * V[n]) if ltc else 0.)) / 20.
            Vn = V[n] + np.expm1(lin * DT) / lin * f
            Vn = np.where(t - last[n] <= 5., V[n], Vn)
            fired = Vn >= -50.
            V[n] = np.where(fired, -60., Vn)
            last[n] = np.where(fired, t, last[n])
            new[n] = fired
            out[n].append(fired)
        spike = new
    return {k: np.array(v) for k, v in out.items()}


class Net(bp.DynSysGroup):
    def __init__(self, kind, ltc=False):
        super().__init__()
        neuron = bp.dyn.LifRefLTC if ltc else bp.dyn.LifRef
        self.E = neuron(NE, **PARS, V_initializer=bp.init.Constant(-55.))
        self.I = neuron(NI, **PARS, V_initializer=bp.init.Constant(-55.))
        groups = {"E": self.E, "I": self.I}
        for a, b, seed, w, tau, E in PROJS:
            pre, post = groups[a], groups[b]
            if kind == "post":
                proj = bp.dyn.FullProjAlignPost(pre=pre, delay=None, comm=bp.dnn.EventCSRLinear(_conn(a, b, seed), w),
                                                syn=bp.dyn.Expon(post.num, tau=tau), out=bp.dyn.COBA(E=E), post=post)
            elif kind == "post_mg":
                proj = bp.dyn.FullProjAlignPostMg(pre=pre, delay=None, comm=bp.dnn.EventCSRLinear(_conn(a, b, seed), w),
                                                  syn=bp.dyn.Expon.desc(post.num, tau=tau), out=bp.dyn.COBA.desc(E=E),
                                                  post=post)
            else:
                proj = bp.dyn.FullProjAlignPreSDMg(pre=pre, syn=bp.dyn.Expon.desc(pre.num, tau=tau), delay=None,
                                                   comm=bp.dnn.CSRLinear(_conn(a, b, seed), w), out=bp.dyn.COBA(E=E),
                                                   post=post)
            setattr(self, a + "2" + b, proj)

    def update(self):
        self.E2E(), self.E2I(), self.I2E(), self.I2I()
        self.E(20.), self.I(20.)


class OldAPI(bp.Network):
    def __init__(self):
        super().__init__()
        self.E = bp.neurons.LIF(NE, **PARS, V_initializer=bp.init.Constant(-55.))
        self.I = bp.neurons.LIF(NI, **PARS, V_initializer=bp.init.Constant(-55.))
        groups = {"E": self.E, "I": self.I}
        for a, b, seed, w, tau, E in PROJS:
            conn = bp.conn.FixedProb(0.05, seed=seed)
            setattr(self, a + "2" + b, bp.synapses.Exponential(groups[a], groups[b], conn, g_max=w, tau=tau,
                                                               output=bp.synouts.COBA(E=E)))

    def update(self):
        self.E2E(), self.E2I(), self.I2E(), self.I2I()
        self.E(20.), self.I(20.)


def _spikes(net):
    runner = bp.DSRunner(net, monitors=["E.spike", "I.spike"], progress_bar=False)
    runner.run(STEPS * DT)
    return {"E": np.asarray(runner.mon["E.spike"]), "I": np.asarray(runner.mon["I.spike"])}


@pytest.mark.parametrize("kind, merged, ltc", [("post", False, False), ("post_mg", True, False),
                                               ("post_mg", True, True), ("pre_sd_mg", False, False)])
def test_coba_network_equals_the_hand_written_reference(kind, merged, ltc):
    with bm.environment(x64=True):
        got, want = _spikes(Net(kind, ltc)), reference(merged, ltc)
    assert want["E"].sum() > 200                               # the network is active
    for group in ("E", "I"):
        mismatch = np.argwhere(got[group] != want[group])
        assert not len(mismatch), f"{group}: first differing (step, neuron) {mismatch[:3].tolist()}"


def test_old_api_and_align_post_projection_spike_identically():
    old, new = _spikes(OldAPI()), _spikes(Net("post"))
    assert old["E"].sum() > 100
    np.testing.assert_array_equal(old["E"], new["E"])
    np.testing.assert_array_equal(old["I"], new["I"])


def test_merged_projections_share_one_synapse_per_parameter_set():
    net = Net("post_mg")
    merged = [k for k in net.E.before_updates]
    assert len(merged) == 2                                   # tau 5 (from E) and tau 10 (from I)
    assert net.E2E.syn is not net.I2E.syn and net.E2E.syn is bp.dyn.FullProjAlignPostMg(
        pre=net.E, delay=None, comm=bp.dnn.OneToOne(NE, 1.), syn=bp.dyn.Expon.desc(NE, tau=5.),
        out=bp.dyn.COBA.desc(E=0.), post=net.E).syn


class OneSpike(bp.dyn.NeuDyn):
    """A user-written group: one spike at step 3."""

    def __init__(self):
        super().__init__(1)
        self.spike = bm.Variable(bm.zeros(1, dtype=bool))

    def update(self):
        self.spike.value = bm.asarray([bp.share.load("i") == 3])
        return self.spike.value


@pytest.mark.parametrize("delay, arrival", [(None, 4), (0., 4), (0.1, 4), (0.2, 5), (0.5, 8)])
def test_projection_delay_arrives_after_the_delay_time(delay, arrival):
    class Net1(bp.DynSysGroup):
        def __init__(self):
            super().__init__()
            self.pre, self.post = OneSpike(), bp.dyn.Lif(1, tau=1e9)
            self.syn = bp.dyn.Expon(1, tau=1e9)
            self.proj = bp.dyn.FullProjAlignPost(pre=self.pre, delay=delay, comm=bp.dnn.OneToOne(1, 1.), syn=self.syn,
                                                 out=bp.dyn.CUBA(), post=self.post)

        def update(self):
            self.proj(), self.pre(), self.post()
            return self.syn.g.value

    g = np.asarray(bm.for_loop(Net1().step_run, np.arange(12)))[:, 0]
    assert int(np.argmax(g > 0)) == arrival


def test_half_projections_closed_form_and_errors():
    post = bp.dyn.Lif(2, tau=1e9)
    proj = bp.dyn.HalfProjAlignPost(comm=bp.dnn.OneToOne(2, 2.), syn=bp.dyn.Expon(2, tau=4.),
                                    out=bp.dyn.CUBA(), post=post)
    g = [post.sum_current_inputs(post.V.value)[0] for x in ([1., 0.], [0., 0.], [0., 0.]) if proj(bm.array(x)) is not None]
    np.testing.assert_allclose(np.asarray(g), 2 * np.exp(-0.1 / 4 * np.arange(3)), rtol=1e-6)
    delta = bp.dyn.HalfProjDelta(comm=bp.dnn.OneToOne(2, 3.), post=post)
    V0 = np.asarray(post.V.value)
    delta(bm.array([1., 0.])), proj(bm.zeros(2)), post()
    np.testing.assert_allclose(np.asarray(post.V.value) - V0, [3., 0.], atol=1e-4)   # the jump, V[0] only
    with pytest.raises(TypeError, match="out="):
        bp.dyn.HalfProjAlignPost(comm=bp.dnn.OneToOne(2, 1.), syn=bp.dyn.Expon(2), out="COBA", post=post)
    with pytest.raises(TypeError, match="description"):
        bp.dyn.HalfProjAlignPostMg(comm=bp.dnn.OneToOne(2, 1.), syn=bp.dyn.Expon(2), out=bp.dyn.CUBA.desc(),
                                   post=post)
    with pytest.raises(TypeError, match="add_current"):
        bp.dyn.HalfProjAlignPostMg(comm=bp.dnn.OneToOne(2, 1.), syn=bp.dyn.AMPA.desc(2), out=bp.dyn.CUBA.desc(),
                                   post=post)


def test_state_paths_are_the_same_in_every_build():
    """Merged and pre-side synapses live in hooks; their state keys do not depend on global names."""
    def build():
        E, I = bp.dyn.LifRef(10), bp.dyn.LifRef(5)
        mg = bp.dyn.FullProjAlignPostMg(E, None, bp.dnn.AllToAll(10, 5, 1.), bp.dyn.Expon.desc(5),
                                        bp.dyn.COBA.desc(E=0.), I)
        sd = bp.dyn.FullProjAlignPreSD(E, bp.dyn.Expon.desc(10), 0.3, bp.dnn.AllToAll(10, 5, 1.), bp.dyn.COBA(E=0.), I)
        return bp.DynSysGroup(E=E, I=I, mg=mg, sd=sd)
    a, b = build(), build()
    assert sorted(a.state_dict()) == sorted(b.state_dict())
    a.sd.syn.g.value = a.sd.syn.g.value + 1.
    b.load_state_dict(a.state_dict())
    np.testing.assert_array_equal(np.asarray(b.sd.syn.g.value), np.ones(10))
