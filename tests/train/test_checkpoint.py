"""Checkpoints: round trips, mismatches, atomic writes, corruption, trainer resume."""
import os
from pathlib import Path

import jax.numpy as jnp
import numpy as np
import optax
import pytest

import neurodyn as bp
import neurodyn.math as bm
from neurodyn.errors import CheckpointError
from neurodyn.train import checkpoint
from neurodyn.train._bptt import BPTT


class Cell(bp.DynamicalSystem):
    """A TrainVar, a batched state, a RandomState used as dropout when fit=True."""

    def __init__(self, n_in=3, n=4, extra=False, dtype=jnp.float32):
        super().__init__(mode=bm.TrainingMode())
        self.n = n
        self.w = bm.TrainVar(bm.random.normal(0., 0.5, (n_in, n)).astype(dtype))
        self.h = bm.Variable(jnp.zeros((1, n)), batch_axis=0)
        self.rng = bm.random.RandomState(11)
        if extra:
            self.b = bm.TrainVar(jnp.zeros(n))

    def reset_state(self, batch_size=1):
        self.h.value = jnp.zeros((batch_size, self.n))

    def update(self, x):
        if bp.share.load('fit'):
            x = jnp.where(self.rng.bernoulli(0.8, x.shape), x / 0.8, 0.)
        self.h.value = jnp.tanh(x @ self.w + 0.5 * self.h)
        return self.h.value


def values(model):
    return {k: np.asarray(v.value) for k, v in model.vars().items()}


@pytest.mark.parametrize('suffix', ['.safetensors', '.npz'])
def test_model_round_trip(tmp_path, suffix):
    a, b = Cell(), Cell()
    a.h.value = jnp.ones((5, 4))
    a.rng.split_key()
    path = checkpoint.save(tmp_path / f'm{suffix}', a, step=3)
    assert checkpoint.load(path, b) == {'step': 3}
    for k, v in values(a).items():
        np.testing.assert_array_equal(values(b)[k], v)
        assert values(b)[k].dtype == v.dtype
    assert b.h.shape == (5, 4)                                   # the batch axis may differ


def test_mismatches_name_the_path_and_shapes(tmp_path):
    path = checkpoint.save(tmp_path / 'm.safetensors', Cell())
    with pytest.raises(CheckpointError, match=r"missing in the file: \['b'\]"):
        checkpoint.load(path, Cell(extra=True))
    with pytest.raises(CheckpointError, match=r"'w' of shape \(3, 6\).*shape \(3, 4\)"):
        checkpoint.load(path, Cell(n=6))
    with pytest.raises(CheckpointError, match=r"'w' of dtype float16.*float32"):
        checkpoint.load(path, Cell(dtype=jnp.float16))
    path2 = checkpoint.save(tmp_path / 'm2.safetensors', Cell(extra=True))
    with pytest.raises(CheckpointError, match=r"not in the object: \['b'\]"):
        checkpoint.load(path2, Cell())
    model = Cell(n=6)
    before = values(model)
    with pytest.raises(CheckpointError):
        checkpoint.load(path, model)
    for k, v in before.items():                                  # nothing was written
        np.testing.assert_array_equal(values(model)[k], v)
    with pytest.raises(CheckpointError, match="readable file"):
        checkpoint.load(tmp_path / 'nope.safetensors', Cell())
    with pytest.raises(TypeError, match="DynamicalSystem or a trainer"):
        checkpoint.save(tmp_path / 'x.safetensors', object())


@pytest.mark.parametrize('suffix', ['.safetensors', '.npz'])
def test_failed_write_leaves_previous_file_intact(tmp_path, monkeypatch, suffix):
    path = tmp_path / f'm{suffix}'
    old = Cell()
    checkpoint.save(path, old)

    def half_then_fail(f, data):
        f.write(data[: len(data) // 2])
        raise OSError("disk full")

    monkeypatch.setattr(checkpoint, '_write_payload', half_then_fail)
    with pytest.raises(OSError, match="disk full"):
        checkpoint.save(path, Cell())
    assert os.listdir(tmp_path) == [path.name]                   # no temporary file left behind
    monkeypatch.undo()
    fresh = Cell()
    checkpoint.load(path, fresh)
    np.testing.assert_array_equal(values(fresh)['w'], values(old)['w'])


@pytest.mark.parametrize('suffix', ['.safetensors', '.npz'])
def test_corrupted_or_truncated_file_detected(tmp_path, suffix):
    path = checkpoint.save(tmp_path / f'm{suffix}', Cell())
    data = bytearray(Path(path).read_bytes())
    if suffix == '.safetensors':
        data[-3] ^= 0xFF                                         # flip bits in the last tensor
    else:
        data[len(data) // 2] ^= 0xFF
    bad = tmp_path / f'bad{suffix}'
    bad.write_bytes(bytes(data))
    with pytest.raises(CheckpointError, match="checksum|corrupt"):
        checkpoint.load(bad, Cell())
    short = tmp_path / f'short{suffix}'
    short.write_bytes(Path(path).read_bytes()[:-40])
    with pytest.raises(CheckpointError, match="truncated or corrupt"):
        checkpoint.load(short, Cell())


def test_npz_with_pickles_is_refused(tmp_path):
    path = tmp_path / 'evil.npz'
    np.savez(path, w=np.array([object()], dtype=object))
    with pytest.raises(CheckpointError, match="truncated or corrupt"):
        checkpoint.load(path, Cell())


def data(n=12, t=5, seed=2):
    rng = np.random.default_rng(seed)
    return rng.normal(size=(n, t, 3)).astype(np.float32), rng.normal(size=(n, t, 4)).astype(np.float32)


def mse(out, y):
    return jnp.mean((out - y) ** 2)


def trainer_for(model):
    return BPTT(model, mse, optimizer=optax.adam(1e-2), seed=5, progress_bar=False)


def test_resume_is_bit_identical(tmp_path):
    X, Y = data(10)
    bm.random.seed(1)
    full = Cell()
    t_full = trainer_for(full)
    t_full.fit((X, Y), test_data=(X[:5], Y[:5]), num_epoch=4, batch_size=5)
    key_full = np.asarray(bm.random.DEFAULT.value)

    bm.random.seed(1)
    part = Cell()
    trainer_for(part).fit((X, Y), test_data=(X[:5], Y[:5]), num_epoch=2, batch_size=5,
                          checkpoint_dir=tmp_path)                # "interrupted" after 2 epochs
    assert sorted(os.listdir(tmp_path)) == ['ckpt-epoch000001.safetensors', 'ckpt-epoch000002.safetensors']

    bm.random.seed(99)                                           # a new process: other init, other RNG
    resumed = Cell()
    t_res = BPTT(resumed, mse, optimizer=optax.adam(1e-2), progress_bar=False)   # seed from the file
    t_res.fit((X, Y), test_data=(X[:5], Y[:5]), num_epoch=4, batch_size=5, checkpoint_dir=tmp_path,
              resume=True)
    for k, v in values(full).items():
        np.testing.assert_array_equal(values(resumed)[k], v, err_msg=k)
    assert t_res.epoch == 4 and t_res.step == t_full.step
    assert t_res.train_losses == t_full.train_losses and t_res.test_losses == t_full.test_losses
    np.testing.assert_array_equal(np.asarray(bm.random.DEFAULT.value), key_full)
    assert checkpoint.latest(tmp_path).endswith('ckpt-epoch000004.safetensors')


def test_trainer_round_trip_and_weights_into_a_model(tmp_path):
    X, Y = data()
    model = Cell()
    trainer = trainer_for(model)
    trainer.fit((X, Y), num_epoch=1, batch_size=6)
    path = checkpoint.save(tmp_path / 't.safetensors', trainer)
    other = trainer_for(Cell())
    meta = checkpoint.load(path, other)
    assert meta['epoch'] == 1 and meta['step'] == 2 and other.step == 2
    for a, b in zip(jax_leaves(trainer.opt_state), jax_leaves(other.opt_state)):
        np.testing.assert_array_equal(np.asarray(a), np.asarray(b))
    fresh = Cell()
    checkpoint.load(path, fresh)                                 # only the model's Variables
    np.testing.assert_array_equal(values(fresh)['w'], values(model)['w'])
    with pytest.raises(CheckpointError, match="checkpoint of a BPTT"):
        checkpoint.load(checkpoint.save(tmp_path / 'm.safetensors', model), other)
    with pytest.raises(CheckpointError, match="holding one"):
        other.restore(str(tmp_path / 'empty'))


def jax_leaves(tree):
    import jax
    return jax.tree_util.tree_leaves(tree)
