"""bm.enable_x64 / bm.set(x64=...) / environment(x64=...): a model built under x64 computes in
float64 end to end (state, parameters, gradients, runner and trainer outputs)."""
import jax
import jax.numpy as jnp
import numpy as np
import pytest

import neurodyn as bp
import neurodyn.math as bm


@pytest.fixture
def x64():
    bm.enable_x64()
    try:
        yield
    finally:
        bm.disable_x64()


class SNN(bp.Network):
    def __init__(self):
        super().__init__()
        self.i = bp.neurons.InputGroup(4)
        self.r = bp.neurons.LIF(6, tau=10, V_reset=0, V_rest=0, V_th=1.)
        self.o = bp.neurons.LeakyIntegrator(2, tau=5)
        self.i2r = bp.synapses.Exponential(self.i, self.r, bp.conn.All2All(), output=bp.synouts.CUBA(),
                                           tau=10., g_max=bp.init.KaimingNormal(scale=20.))
        self.r2o = bp.synapses.Exponential(self.r, self.o, bp.conn.All2All(), output=bp.synouts.CUBA(),
                                           tau=10., g_max=bp.init.KaimingNormal(scale=20.))

    def update(self, spike):
        self.i2r(spike)
        self.r2o()
        self.r()
        self.o()
        return self.o.V.value


def test_model_built_under_x64_trains_and_runs_in_float64(x64):
    assert bm.float_ == jnp.float64 and bm.get_int() == jnp.int64 and jax.config.read("jax_enable_x64")
    with bm.training_environment():
        snn = SNN()
    assert {str(v.dtype) for v in snn.vars().values()} == {"float64"}
    trainer = bp.BPTT(snn, loss_fun=lambda out, y: bp.losses.cross_entropy_loss(out.max(axis=1), y),
                      optimizer=bp.optim.Adam(lr=1e-3), progress_bar=False)
    X = (np.random.default_rng(0).random((3, 8, 4)) < 0.5).astype(float)
    trainer.fit([(X, np.array([0, 1, 0]))], num_epoch=1)
    assert {str(v.dtype) for v in snn.vars().values()} == {"float64"}
    assert trainer.predict(X).dtype == jnp.float64
    runner = bp.DSRunner(bp.neurons.LIF(3), monitors=["V"], progress_bar=False)
    runner.run(1.)
    assert runner.mon.V.dtype == jnp.float64
    # float64 resolves what float32 cannot
    v = bm.Variable(bm.ones(1))
    v.value = v.value + 1e-12
    assert float(v.value[0]) - 1. == pytest.approx(1e-12)


def test_the_ways_brainpy_users_turn_it_on_and_off():
    for turn_on in (lambda: bm.set(x64=True), lambda: bm.set_environment(x64=True), bm.enable_x64):
        try:
            turn_on()
            assert bm.float_ == jnp.float64 and bm.zeros(2).dtype == jnp.float64
        finally:
            bm.disable_x64()
        assert bm.float_ == jnp.float32 and not jax.config.read("jax_enable_x64")
    with bm.environment(x64=True):
        assert bp.layers.Dense(2, 2).W.dtype == jnp.float64
    assert bp.layers.Dense(2, 2).W.dtype == jnp.float32
    with pytest.raises(TypeError, match="floating"):
        bm.set(float_=jnp.int32)
