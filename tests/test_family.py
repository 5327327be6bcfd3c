"""Every model, in every mode it supports, through the same invariants.

A new model gets these checks by being listed once in ``MODELS``:
reset shapes follow the mode, jit == eager, float32 is kept, TrainVars exist only in
TrainingMode, and gradients through a few steps are finite.
"""
from __future__ import annotations

import jax
import numpy as np
import pytest

import neurodyn as bp
import neurodyn.math as bm

B, STEPS, N = 3, 4, 5
ALL = (bm.NonBatchingMode, bm.BatchingMode, bm.TrainingMode)
NO_TRAIN = (bm.NonBatchingMode, bm.BatchingMode)


class Projection(bp.DynamicalSystem):
    """pre -> synapse -> post, stepped like the seed's SNN (synapse, then neurons)."""

    def __init__(self, synapse_cls, mode, **kw):
        super().__init__(mode=mode)
        self.pre = bp.neurons.InputGroup(N, mode=mode)
        self.post = bp.neurons.LIF(N, V_th=1., V_reset=0., tau=5., mode=mode)
        self.syn = synapse_cls(self.pre, self.post, bp.conn.All2All(), mode=mode, **kw)

    def update(self, spikes):
        self.syn(spikes)
        self.post()
        return self.post.V.value


class NewProjection(bp.DynamicalSystem):
    """pre -> a bp.dyn projection -> post, stepped as BrainPy 2.4+ does (projections first)."""

    def __init__(self, make, mode):
        super().__init__(mode=mode)
        self.pre = bp.neurons.InputGroup(N, mode=mode)
        self.post = bp.dyn.LifRef(N, V_th=1., V_reset=0., tau=5., mode=mode)
        self.proj = make(self.pre, self.post, mode)

    def update(self, spikes):
        self.proj()
        self.pre(spikes)
        self.post()
        return self.post.V.value


class IonCell(bp.dyn.CondNeuGroupLTC):
    """A neuron of ions: a dynamical calcium with its channels, fixed potassium, and a channel of both."""

    def __init__(self, mode):
        super().__init__(N, V_initializer=bp.init.Uniform(-70., -60.), mode=mode)
        self.INa = bp.dyn.INa_Ba2002(N, mode=mode)
        self.Ca = bp.dyn.CalciumDetailed(N, mode=mode)
        self.Ca.add_elem(bp.dyn.ICaT_HM1992(N, mode=mode), bp.dyn.ICaN_IS2008(N, mode=mode))
        self.K = bp.dyn.PotassiumFixed(N, IKDR=bp.dyn.IKDR_Ba2002v2(N, mode=mode), mode=mode)
        self.KCa = bp.dyn.MixIons(self.K, self.Ca, IAHP=bp.dyn.IAHP_De1994v2(N, mode=mode))


class GapNet(bp.DynamicalSystem):
    """Two LIF groups coupled by gap junctions."""

    def __init__(self, mode):
        super().__init__(mode=mode)
        self.a = bp.neurons.LIF(N, V_th=1., V_reset=0., tau=5., mode=mode)
        self.b = bp.neurons.LIF(N, V_th=1., V_reset=0., tau=5., mode=mode)
        self.gj = bp.synapses.GapJunction(self.a, self.b, bp.conn.All2All(), g_max=0.3, mode=mode)

    def update(self, x):
        self.gj()
        self.a(x)
        self.b()
        return self.b.V.value


def _csr(pre, post):
    return bp.conn.FixedProb(0.6, seed=1, pre=pre.num, post=post.num)


NEW_PROJS = {
    "FullProjAlignPostMg": lambda pre, post, m: bp.dyn.FullProjAlignPostMg(
        pre, None, bp.dnn.EventCSRLinear(_csr(pre, post), 2., mode=m), bp.dyn.Expon.desc(N, tau=5., mode=m),
        bp.dyn.COBA.desc(E=5.), post, mode=m),
    "FullProjAlignPost-delay": lambda pre, post, m: bp.dyn.FullProjAlignPost(
        pre, 0.2, bp.dnn.AllToAll(N, N, bp.init.Normal(1., 0.5), mode=m), bp.dyn.DualExpon(N, mode=m),
        bp.dyn.CUBA(), post, mode=m),
    "FullProjAlignPreSDMg": lambda pre, post, m: bp.dyn.FullProjAlignPreSDMg(
        pre, bp.dyn.AMPA.desc(N, mode=m), 0.2, bp.dnn.CSRLinear(_csr(pre, post), 2., mode=m), bp.dyn.MgBlock(E=5.),
        post, mode=m),
    "FullProjAlignPreDSMg": lambda pre, post, m: bp.dyn.FullProjAlignPreDSMg(
        pre, None, bp.dyn.STP.desc(N, mode=m), bp.dnn.JitFPHomoLinear(N, N, 0.5, 3., seed=1, mode=m),
        bp.dyn.CUBA(), post, mode=m),
}

# name -> (factory(mode), input features, modes it supports, has parameters)
MODELS = {
    "Dense": (lambda m: bp.layers.Dense(N, 4, mode=m), N, ALL, True),
    "Dropout": (lambda m: bp.layers.Dropout(0.5, mode=m), N, ALL, False),
    "RNNCell": (lambda m: bp.layers.RNNCell(N, 4, mode=m), N, ALL, True),
    "GRUCell": (lambda m: bp.layers.GRUCell(N, 4, mode=m), N, ALL, True),
    "LSTMCell": (lambda m: bp.layers.LSTMCell(N, 4, mode=m), N, ALL, True),
    "NVAR": (lambda m: bp.layers.NVAR(N, delay=2, order=2, mode=m), N, NO_TRAIN, False),
    "Reservoir": (lambda m: bp.layers.Reservoir(N, 8, mode=m), N, ALL, False),
    "LayerNorm": (lambda m: bp.layers.LayerNorm(N, mode=m), N, ALL, True),
    "LIF": (lambda m: bp.neurons.LIF(N, V_th=0.5, tau_ref=1., mode=m), N, ALL, False),
    "LeakyIntegrator": (lambda m: bp.neurons.LeakyIntegrator(N, mode=m), N, ALL, False),
    "ALIF": (lambda m: bp.neurons.ALIF(N, mode=m), N, ALL, False),
    "ExpIF": (lambda m: bp.neurons.ExpIF(N, mode=m), N, ALL, False),
    "AdEx": (lambda m: bp.neurons.AdEx(N, mode=m), N, ALL, False),
    "Izhikevich": (lambda m: bp.neurons.Izhikevich(N, mode=m), N, ALL, False),
    "HH": (lambda m: bp.neurons.HH(N, mode=m), N, ALL, False),
    "Exponential": (lambda m: Projection(bp.synapses.Exponential, m, g_max=2.), N, ALL, True),
    "Alpha": (lambda m: Projection(bp.synapses.Alpha, m, g_max=2.), N, ALL, True),
    "DualExponential": (lambda m: Projection(bp.synapses.DualExponential, m, g_max=2.), N, ALL, True),
    "Delta": (lambda m: Projection(bp.synapses.Delta, m, g_max=2.), N, ALL, True),
    "AMPA(old API)": (lambda m: Projection(bp.synapses.AMPA, m, g_max=2., output=bp.synouts.CUBA()), N, ALL, True),
    "GapJunction": (lambda m: GapNet(m), N, ALL, True),
    "LifRefLTC": (lambda m: bp.dyn.LifRefLTC(N, V_th=0.5, tau_ref=1., mode=m), N, ALL, False),
    "CondNeuGroup": (lambda m: bp.dyn.CondNeuGroup(N, mode=m, INa=bp.channels.INa_HH1952(N, mode=m),
                                                   IK=bp.channels.IK_HH1952(N, mode=m), IL=bp.channels.IL(N, mode=m)),
                     N, ALL, False),
    "IonCell": (lambda m: IonCell(m), N, ALL, False),
    "GifRefLTC": (lambda m: bp.dyn.GifRefLTC(N, tau_ref=1., A1=2., V_initializer=bp.init.Uniform(-60., -45.), mode=m),
                  N, ALL, False),
    "QuaIF": (lambda m: bp.dyn.QuaIF(N, V_initializer=bp.init.Constant(-60.), mode=m), N, ALL, False),
    "AdQuaIFRefLTC": (lambda m: bp.dyn.AdQuaIFRefLTC(N, tau_ref=1., mode=m), N, ALL, False),
    "MorrisLecar": (lambda m: bp.dyn.MorrisLecar(N, mode=m), N, ALL, False),
    "WangBuzsakiHH": (lambda m: bp.dyn.WangBuzsakiHH(N, mode=m), N, ALL, False),
    "Expon": (lambda m: bp.dyn.Expon(N, mode=m), N, ALL, False),
    "NMDA": (lambda m: bp.dyn.NMDA(N, mode=m), N, ALL, False),
    "STP": (lambda m: bp.dyn.STP(N, mode=m), N, ALL, False),
    "JitFPNormalLinear": (lambda m: bp.dnn.JitFPNormalLinear(N, 4, 0.5, 1., 0.3, seed=0, mode=m), N, ALL, True),
    **{name: (lambda m, make=make: NewProjection(make, m), N, ALL, True)
       for name, make in NEW_PROJS.items()},
}

CASES = [(name, mode_cls) for name, (_, _, modes, _) in MODELS.items() for mode_cls in ALL]


def _mode(mode_cls):
    return mode_cls() if mode_cls is bm.NonBatchingMode else mode_cls(B)


def _inputs(features, mode):
    shape = (STEPS, features) if not mode.batching else (STEPS, B, features)
    return (bm.random.uniform(size=shape) < 0.5).astype(bm.float32) * 3.


@pytest.mark.parametrize("name, mode_cls", CASES, ids=[f"{n}-{m.__name__}" for n, m in CASES])
def test_model_invariants(name, mode_cls):
    factory, features, modes, has_params = MODELS[name]
    mode = _mode(mode_cls)
    if mode_cls not in modes:
        with pytest.raises(bp.errors.ModeError, match=name):
            factory(mode)
        return
    model = factory(mode)
    model.reset(B if mode.batching else None)

    # reset shapes follow the mode
    for path, var in model.vars().items():
        if mode.batching and var.batch_axis is not None:
            assert var.shape[var.batch_axis] == B, path
        if not mode.batching:
            assert var.batch_axis is None, path

    # TrainVars only in TrainingMode (and there, for models with parameters)
    train_vars = model.train_vars()
    if mode_cls is bm.TrainingMode:
        assert bool(train_vars) == has_params, list(train_vars)
    else:
        assert not train_vars, list(train_vars)

    # jit == eager, from the same state
    xs = _inputs(features, mode)
    start = {k: v.value for k, v in model.vars().items()}
    eager = np.stack([np.asarray(model(x)) for x in xs])
    after_eager = {k: np.asarray(v.value) for k, v in model.vars().items()}
    for k, v in model.vars().items():
        v.value = start[k]
    compiled = np.asarray(bm.jit(lambda x: bm.for_loop(model, x))(xs))
    np.testing.assert_allclose(compiled, eager, rtol=1e-4, atol=1e-5)
    for k, v in model.vars().items():
        np.testing.assert_allclose(np.asarray(v.value), after_eager[k], rtol=1e-4, atol=1e-5,
                                   err_msg=k)

    # float32 kept
    for path, var in model.vars().items():
        if np.issubdtype(var.dtype, np.floating):
            assert var.dtype == np.float32, path
    assert compiled.dtype in (np.float32, np.bool_)

    # finite, non-trivial gradients in TrainingMode
    if mode_cls is bm.TrainingMode and has_params:
        def loss():
            model.reset(B)
            with bp.share.context(fit=True):
                return (bm.for_loop(model, xs) ** 2).mean()
        grads = bm.grad(loss, grad_vars=train_vars)()
        leaves = jax.tree_util.tree_leaves(grads)
        assert leaves and all(np.isfinite(np.asarray(g)).all() for g in leaves)
        assert any(np.abs(np.asarray(g)).sum() > 0 for g in leaves)
