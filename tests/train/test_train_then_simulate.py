"""One model, trained then simulated: a spiking network trained by BPTT in TrainingMode is saved,
loaded into the same class built in NonBatchingMode and BatchingMode(1), and simulated by
DSRunner; every route gives BPTT.predict's outputs."""
import numpy as np
import pytest

import neurodyn as bp
import neurodyn.math as bm
from neurodyn.errors import CheckpointError
from neurodyn.train import checkpoint


class SNN(bp.DynamicalSystem):
    def __init__(self, mode=None):
        super().__init__(mode=mode)
        self.i2r = bp.layers.Dense(10, 30, W_initializer=bp.init.KaimingNormal(scale=20.), b_initializer=None, mode=mode)
        self.r = bp.neurons.LIF(30, tau=10, V_reset=0, V_rest=0, V_th=1., mode=mode)
        self.r2o = bp.layers.Dense(30, 2, W_initializer=bp.init.KaimingNormal(), mode=mode)
        self.o = bp.neurons.LeakyIntegrator(2, tau=5, mode=mode)

    def update(self, x):
        return self.o(self.r2o(self.r(self.i2r(x))))


@pytest.fixture(scope="module")
def trained():
    bm.random.seed(3)
    net = SNN(bm.TrainingMode(4))
    X = (np.random.RandomState(0).rand(8, 40, 10) < 0.3).astype(np.float32)
    Y = np.random.RandomState(1).randint(0, 2, 8)
    before = np.asarray(net.r2o.W.value).copy()
    trainer = bp.BPTT(net, loss_fun=lambda p, y: bp.losses.cross_entropy_loss(p.mean(axis=1), y),
                      optimizer=bp.optim.Adam(lr=1e-2), progress_bar=False)
    trainer.fit([X, Y], num_epoch=3, batch_size=4)
    assert not np.allclose(np.asarray(net.r2o.W.value), before)       # it trained
    return net, trainer, X


def simulate(model, x):
    model.reset()
    runner = bp.DSRunner(model, monitors=["o.V", "r.spike"], progress_bar=False)
    out = runner.run(inputs=x)
    return np.asarray(out), np.asarray(runner.mon["r.spike"])


def test_checkpoint_of_a_trained_model_simulates_in_every_mode(trained, tmp_path):
    net, trainer, X = trained
    want = np.asarray(trainer.predict(X[:1]))[0]
    path = checkpoint.save(tmp_path / "trained.safetensors", net)
    sim = SNN(bm.NonBatchingMode())
    assert set(sim.params()) == {"i2r.W", "r2o.W", "r2o.b"} and not sim.train_vars()
    checkpoint.load(path, sim)
    np.testing.assert_array_equal(np.asarray(sim.r2o.W.value), np.asarray(net.r2o.W.value))
    out, spikes = simulate(sim, X[0])
    np.testing.assert_allclose(out, want, rtol=1e-5, atol=1e-6)
    assert spikes.dtype == bool and spikes.sum() > 0
    one = SNN(bm.BatchingMode(1))
    checkpoint.load(path, one)
    one.reset()
    batched = bp.DSRunner(one, monitors=["o.V"], progress_bar=False, data_first_axis="B").run(inputs=X[:1])
    np.testing.assert_allclose(np.asarray(batched)[0], want, rtol=1e-5, atol=1e-6)


def test_the_training_model_runs_in_dsrunner_and_state_dict_transfers(trained):
    net, trainer, X = trained
    want = np.asarray(trainer.predict(X[:2]))
    net.reset(2)
    got = bp.DSRunner(net, monitors=["o.V"], progress_bar=False, data_first_axis="B").run(inputs=X[:2])
    np.testing.assert_allclose(np.asarray(got), want, rtol=1e-5, atol=1e-6)
    sim = SNN(bm.NonBatchingMode())
    keys = sim.load_state_dict(net.state_dict())          # batch-shaped state is re-initialised
    assert "r.refractory" in keys.missing_keys
    out, _ = simulate(sim, X[1])
    np.testing.assert_allclose(out, want[1], rtol=1e-5, atol=1e-6)


def test_a_checkpoint_of_another_model_is_refused(trained, tmp_path):
    net, _, _ = trained
    path = checkpoint.save(tmp_path / "trained.safetensors", net)

    class Wider(SNN):
        def __init__(self, mode=None):
            super().__init__(mode)
            self.r2o = bp.layers.Dense(30, 3, mode=mode)

    with pytest.raises(CheckpointError, match=r"'r2o.W' of shape \(30, 3\).*'r2o.W' of shape \(30, 2\)"):
        checkpoint.load(path, Wider(bm.NonBatchingMode()))
    with pytest.raises(ValueError, match=r"missing \['r2o.b'\]"):
        SNN(bm.NonBatchingMode()).load_state_dict({k: v for k, v in net.state_dict().items() if k != "r2o.b"})
