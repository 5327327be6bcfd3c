"""The one trainer protocol: every trainer is a bp.train Trainer with fit/predict/test, histories
and checkpoint entries; readouts are found through the trainer, not written into Dense."""
import numpy as np
import pytest

import neurodyn as bp
import neurodyn.math as bm
from neurodyn.errors import CheckpointError
from neurodyn.train._trainer import Trainer


def _reservoir_and_readout():
    return bp.Sequential(bp.layers.Dense(2, 8, mode=bm.batching_mode),
                         bp.layers.Dense(8, 1, mode=bm.training_mode))


def _data(seed=0):
    rng = np.random.RandomState(seed)
    X = rng.randn(2, 40, 2).astype("float32")
    Y = (X @ np.array([[0.5], [-1.]], "float32") + 0.25).astype("float32")
    return X, Y


@pytest.mark.parametrize("cls", [bp.BPTT, bp.BPFF, bp.OfflineTrainer, bp.RidgeTrainer, bp.OnlineTrainer,
                                 bp.ForceTrainer])
def test_every_trainer_implements_the_protocol(cls):
    assert issubclass(cls, Trainer)
    for name in ("fit", "predict", "test", "get_hist_metric", "checkpoint_entries", "checkpoint_restore",
                 "restore", "save"):
        assert callable(getattr(cls, name))
    assert cls.fit is not Trainer.fit and cls.predict is not Trainer.predict


def test_a_readout_trainer_tests_with_the_mean_squared_error_of_its_predictions():
    model = _reservoir_and_readout()
    trainer = bp.RidgeTrainer(model, alpha=1e-6, progress_bar=False)
    X, Y = _data()
    trainer.fit([X, Y], reset_state=True)
    Xt, Yt = _data(1)
    expected = float(np.mean((np.asarray(trainer.predict(Xt, reset_state=True)) - Yt) ** 2))
    got = trainer.test([Xt, Yt], reset_state=True)
    assert got["loss"] == pytest.approx(expected, rel=1e-6) and got["loss"] < 1e-6
    assert trainer.get_hist_metric("test").tolist() == pytest.approx([expected], rel=1e-6)
    with pytest.raises(ValueError, match="shaped like the model's outputs"):
        trainer.test([Xt, Yt[..., :0]])


def test_an_online_trainer_checkpoint_carries_rls_state_and_resumes_exactly(tmp_path):
    X, Y = _data()
    bm.random.seed(3)
    a = bp.ForceTrainer(_reservoir_and_readout(), alpha=1., progress_bar=False)
    a.fit([X[:, :20], Y[:, :20]], reset_state=True)
    path = a.save(str(tmp_path / "force.safetensors"))
    P_saved = np.asarray(a.P["layers.1"])
    a.fit([X[:, 20:], Y[:, 20:]])

    bm.random.seed(4)                                   # other weights, other P until restored
    b = bp.ForceTrainer(_reservoir_and_readout(), alpha=1., progress_bar=False)
    b.restore(path)
    np.testing.assert_array_equal(np.asarray(b.P["layers.1"]), P_saved)
    b.fit([X[:, 20:], Y[:, 20:]])
    np.testing.assert_allclose(np.asarray(b.target.layers[1].W), np.asarray(a.target.layers[1].W), rtol=1e-5)
    np.testing.assert_allclose(np.asarray(b.P["layers.1"]), np.asarray(a.P["layers.1"]), rtol=1e-5)

    offline = bp.RidgeTrainer(_reservoir_and_readout(), progress_bar=False)
    with pytest.raises(CheckpointError):                # an offline trainer has no P to take
        offline.restore(path)


def test_readouts_are_the_trainers_and_not_written_into_the_layer():
    model = _reservoir_and_readout()
    trainer = bp.OnlineTrainer(model, fit_method="lms", progress_bar=False)
    assert trainer.train_nodes == (model.layers[1],)
    assert not any(k.endswith("fit_by") for k in vars(model.layers[1]))
