"""Top-level BrainPy names: BrainPyObject, state_dict/save_state/load_state, save_pytree/load_pytree,
LoopOverTime, BPFF, DSTrainer, reset_state, tools, encoding."""
import numpy as np
import pytest

import neurodyn as bp
import neurodyn.math as bm
from neurodyn.errors import CheckpointError


class Acc(bp.DynamicalSystem):
    def __init__(self, n=2):
        super().__init__()
        self.n = n
        self.s = bm.Variable(bm.zeros(n))
        self.w = bm.Parameter(bm.ones(n))

    def reset_state(self, batch_size=None):
        self.s.value = bm.zeros(self.n)

    def update(self, x):
        self.s.value = self.s.value + x * bp.share.load("dt")
        return self.s.value


def test_brainpy_object_finds_variables_and_children():
    class Holder(bp.BrainPyObject):
        def __init__(self):
            super().__init__()
            self.model = Acc()
            self.count = bm.Variable(bm.zeros(()))
    h = Holder()
    assert set(h.vars()) == {"model.s", "model.w", "count"} and "model" in h.nodes()
    assert set(h.params()) == {"model.w"}


def test_state_dict_round_trip_and_errors(tmp_path):
    a, b = Acc(), Acc()
    a.s.value = bm.array([1., 2.])
    b.load_state_dict(a.state_dict())
    np.testing.assert_array_equal(b.s.value, [1., 2.])
    with pytest.raises(ValueError, match=r"missing \['w'\].*unexpected \['net.x'\]"):
        b.load_state_dict({"net.x": np.zeros(2)})
    with pytest.raises(ValueError, match=r"s: expected shape \(2,\), got \(3,\)"):
        b.load_state_dict({"s": np.zeros(3), "w": np.zeros(2)})
    keys = b.load_state_dict({"net.x": np.zeros(2)}, strict=False)
    assert keys.missing_keys == ["s", "w"] and keys.unexpected_keys == ["net.x"]
    # state another mode keeps (a path under an existing node) and missing state are not errors:
    # that state keeps its reset value; parameters must be there
    b.s.value = bm.array([5., 5.])
    keys = b.load_state_dict({"w": np.full(2, 3.), "refractory": np.zeros(2, bool)})
    assert keys == (["s"], ["refractory"])
    np.testing.assert_array_equal(b.w.value, [3., 3.])
    np.testing.assert_array_equal(b.s.value, [5., 5.])
    b.load_state_dict({"w": np.full(2, 3.), "s": np.ones((4, 2))})      # batch-shaped state: skipped
    np.testing.assert_array_equal(b.s.value, [5., 5.])
    state = bp.save_state(a)
    bp.load_state(b, state)
    path = tmp_path / "state.safetensors"
    bp.checkpoints.save_pytree(str(path), {"net": state, "epoch": 3, "hist": [np.ones(2), np.zeros(1)]})
    back = bp.checkpoints.load_pytree(str(path))
    np.testing.assert_array_equal(back["net"]["s"], [1., 2.])
    assert int(back["epoch"]) == 3 and len(back["hist"]) == 2
    np.testing.assert_array_equal(back["hist"][0], [1., 1.])
    with pytest.raises(CheckpointError, match="exists"):
        bp.checkpoints.save_pytree(str(path), {"a": np.ones(1)}, overwrite=False)
    raw = bytearray(path.read_bytes())
    raw[-1] ^= 1
    path.write_bytes(bytes(raw))
    with pytest.raises(CheckpointError):
        bp.checkpoints.load_pytree(str(path))


def test_loop_over_time_steps_the_clock_and_records_variables():
    model = Acc()
    loop = bp.LoopOverTime(model, out_vars=model.s, dt=0.5)
    outs, recorded = loop(bm.ones((4, 2)))
    np.testing.assert_allclose(np.asarray(outs)[:, 0], [0.5, 1., 1.5, 2.])
    np.testing.assert_allclose(recorded, outs)
    assert float(loop.t0.value) == 2. and int(loop.i0.value) == 4
    bp.reset_state(loop)
    np.testing.assert_array_equal(model.s.value, [0., 0.])
    batch_first = bp.LoopOverTime(Acc((2, 3)), data_first_axis="B", dt=1.)(bm.ones((2, 5, 3)))
    assert batch_first.shape == (2, 5, 3)  # (batch, time, ...) kept


def test_bpff_trains_a_feedforward_model_without_a_time_axis():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(64, 3)).astype("float32")
    Y = X @ np.array([[1.], [-1.], [2.]], "float32")
    with bm.training_environment():
        model = bp.layers.Dense(3, 1)
    trainer = bp.BPFF(model, loss_fun=bp.losses.mean_squared_error, optimizer=bp.optim.Adam(lr=0.05),
                      progress_bar=False)
    trainer.fit((X, Y), num_epoch=60, batch_size=32)
    assert trainer.train_losses[-1] < 1e-3 < trainer.train_losses[0]
    assert trainer.predict(X).shape == (64, 1)


def test_dstrainer_predicts_like_a_runner():
    runner = bp.DSTrainer(Acc(), progress_bar=False)
    out = runner.predict(np.ones((3, 2), "float32"))
    np.testing.assert_allclose(np.asarray(out)[:, 0], [0.1, 0.2, 0.3], rtol=1e-6)


def test_tools_and_encoders():
    assert bp.tools.size2num((10, 10)) == 100 and bp.tools.size2num(5) == 5
    a = bm.array([1., 2., 2.9, 3., 3.9])
    np.testing.assert_array_equal(bp.encoding.DiffEncoder(threshold=1).multi_steps(a), [1, 1, 0, 0, 0])
    np.testing.assert_array_equal(bp.encoding.DiffEncoder(threshold=1, padding=True).multi_steps(a), [0, 1, 0, 0, 0])
    b = bm.array([1., 2., 0., 2., 2.9])
    np.testing.assert_array_equal(bp.encoding.DiffEncoder(threshold=1, padding=True, off_spike=True).multi_steps(b),
                                  [0, 1, -1, 1, 0])
    enc = bp.encoding.PoissonEncoder(gain=0.5, first_spk_time=1.)
    spikes = np.asarray(enc.multi_steps(bm.ones(2000), n_time=5.))      # 50 steps of dt 0.1
    assert spikes.shape == (50, 2000) and not spikes[:10].any()
    assert abs(spikes[10:].mean() - 0.5) < 0.01
    assert enc.single_step(bm.ones(3), i_step=0).sum() == 0
    x = np.asarray(bp.encoding.WeightedPhaseEncoder(0., 1., 4)(bm.array([0.3]), 8))[:, 0]
    w = 2. ** -(np.arange(8) % 4 + 1)
    assert abs((x * w)[:4].sum() - 0.3 * (1 - 1 / 16)) < 1 / 16    # binary expansion of the scaled value


def test_a_leading_shared_args_dict_is_accepted():
    runner = bp.DSRunner(Acc(), progress_bar=False)
    out = runner.run({}, np.ones((3, 2), "float32"))
    np.testing.assert_allclose(np.asarray(out)[:, 0], [0.1, 0.2, 0.3], rtol=1e-6)
    with bm.training_environment():
        layer = bp.layers.Dense(2, 1)
    trainer = bp.BPTT(layer, loss_fun="mean_squared_error", progress_bar=False)
    X = np.ones((4, 3, 2), "float32")
    np.testing.assert_allclose(trainer.predict({}, X), trainer.predict(X))


def test_brainpy_aliases_and_measure_raster_plot():
    assert bp.initialize is bp.init and bp.Base is bp.BrainPyObject
    index, time = bp.measure.raster_plot(np.array([[0, 1], [1, 0]]), np.array([1., 2.]))
    assert index.tolist() == [1, 0] and time.tolist() == [1., 2.]
