"""Faults and untrusted files: a save killed at any moment loses nothing, corruption is detected,
a checkpoint is never unpickled, and a training run killed between epochs resumes bit-identically.

Processes are real: children run with ``sys.executable`` and are stopped with ``SIGKILL``
(no cleanup, no ``finally``), as a crash or an out-of-memory kill would.
(Related in-process tests: tests/train/test_checkpoint.py.)
"""
from __future__ import annotations

import os
import pathlib
import random
import signal
import subprocess
import sys
import time

import jax.numpy as jnp
import numpy as np
import optax
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import neurodyn as bp
import neurodyn.math as bm
from neurodyn.errors import CheckpointError
from neurodyn.train import checkpoint

TESTS = os.path.dirname(os.path.abspath(__file__))
pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs POSIX SIGKILL")


def child_env():
    env = dict(os.environ, JAX_PLATFORMS="cpu", PYTHONPATH=os.pathsep.join([TESTS, os.path.dirname(TESTS)]))
    cache = os.environ.get("NEURODYN_JAX_CACHE", os.path.expanduser("~/.cache/neurodyn/jax"))
    env.setdefault("JAX_COMPILATION_CACHE_DIR", cache)
    return env


def spawn(*args):
    """A child running ``child_main(*args)`` of this module; its stdout is a pipe of lines."""
    code = "import sys, test_faults; test_faults.child_main(*sys.argv[1:])"
    return subprocess.Popen([sys.executable, "-c", code, *map(str, args)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=child_env())


def read_line(proc, timeout=120.):
    """The child's next stdout line (fails with its stderr if it died first)."""
    import selectors
    sel = selectors.DefaultSelector()
    sel.register(proc.stdout, selectors.EVENT_READ)
    if not sel.select(timeout):
        proc.kill()
        pytest.fail(f"child silent for {timeout} s")
    line = proc.stdout.readline()
    if not line:
        proc.wait()
        pytest.fail(f"child exited ({proc.returncode}) before reporting: {proc.stderr.read()[-2000:]}")
    return line.strip()


def kill(proc):
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(30)
    assert proc.returncode == -signal.SIGKILL
    proc.stdout.close()
    proc.stderr.close()


# -- the models -------------------------------------------------------------------------------

class Big(bp.DynamicalSystem):
    """Enough floats that a save takes a while (hashing, writing, fsync)."""

    def __init__(self, n=2_000_000):
        super().__init__(mode=bm.TrainingMode())
        self.w = bm.TrainVar(jnp.zeros(n, jnp.float32))
        self.b = bm.TrainVar(jnp.zeros(7, jnp.float32))

    def fill(self, k):
        self.w.value = jnp.full(self.w.shape, float(k), jnp.float32)
        self.b.value = jnp.full(7, -float(k), jnp.float32)

    def update(self, x):
        return x


class Net(bp.DynamicalSystem):
    """RNN cell -> dropout (its own RandomState) -> readout."""

    def __init__(self):
        super().__init__(mode=bm.TrainingMode())
        self.cell = bp.layers.RNNCell(2, 6, activation="tanh", mode=bm.TrainingMode())
        self.drop = bp.layers.Dropout(0.8, seed=3, mode=bm.TrainingMode())
        self.out = bp.layers.Dense(6, 1, mode=bm.TrainingMode())

    def update(self, x):
        return self.out(self.drop(self.cell(x)))


def train_data():
    rng = np.random.default_rng(7)
    X = rng.normal(size=(12, 5, 2)).astype(np.float32)
    return X, np.sin(X.sum(-1, keepdims=True))


def new_trainer(seed=11):
    bm.random.seed(seed)
    return BPTTFor(Net(), seed)


def BPTTFor(model, seed):
    return bp.BPTT(model, bp.losses.mean_squared_error, optimizer=optax.adam(1e-2), seed=seed,
                   progress_bar=False)


def params(model):
    return {k: np.asarray(v.value) for k, v in model.vars().items()}


# -- what the children do -----------------------------------------------------------------------

def child_main(task, directory, *rest):
    if task == "save_loop":                 # save versions 0, 1, 2, ... until killed
        model, path = Big(), os.path.join(directory, "big.safetensors")
        k = 0
        while True:
            model.fill(k)
            checkpoint.save(path, model, step=k)
            print(k, flush=True)
            k += 1
    elif task == "hang_mid_write":          # save epoch 1, then stop half-way through epoch 2
        model = Big(1000)
        model.fill(1)
        checkpoint.save(checkpoint.checkpoint_path(directory, 1), model, step=1)

        def half_then_hang(f, data):
            f.write(data[: len(data) // 2])
            f.flush()
            print("mid", flush=True)
            time.sleep(600)

        checkpoint._write_payload = half_then_hang
        model.fill(2)
        checkpoint.save(checkpoint.checkpoint_path(directory, 2), model, step=2)
    elif task == "train":                   # train slowly, a checkpoint per epoch, until killed
        X, Y = train_data()
        trainer = new_trainer()
        batches = [(X[i:i + 4], Y[i:i + 4]) for i in range(0, 12, 4)]

        def slow_batches():
            time.sleep(0.05)                # lets the parent kill between (or during) epochs
            return batches
        print("start", flush=True)
        trainer.fit(slow_batches, num_epoch=int(rest[0]), checkpoint_dir=directory)
        print("done", flush=True)


# -- killed while saving ------------------------------------------------------------------------

def test_sigkill_during_save_leaves_a_loadable_checkpoint(tmp_path):
    """Two savers killed at random moments of their save loops, and one killed half-way through
    writing a file: each directory still holds a complete, checksummed version."""
    rnd = random.Random(0)
    dirs = [tmp_path / name for name in ("random0", "random1", "mid")]
    for d in dirs:
        d.mkdir()
    procs = [spawn("save_loop", dirs[0]), spawn("save_loop", dirs[1]), spawn("hang_mid_write", dirs[2])]

    for proc, d in zip(procs[:2], dirs[:2]):
        first = int(read_line(proc))                            # version 0 is on disk
        time.sleep(rnd.uniform(0., 0.4))
        kill(proc)
        fresh = Big()
        meta = checkpoint.load(d / "big.safetensors", fresh)    # never raises
        k = meta["step"]
        assert k >= first
        assert np.all(np.asarray(fresh.w.value) == k) and np.all(np.asarray(fresh.b.value) == -k)

    assert read_line(procs[2]) == "mid"
    kill(procs[2])
    left = sorted(os.listdir(dirs[2]))
    assert "ckpt-epoch000001.safetensors" in left and "ckpt-epoch000002.safetensors" not in left
    assert any(name.endswith(".tmp") for name in left)        # the half-written temporary file
    latest = checkpoint.latest(dirs[2])
    assert latest.endswith("ckpt-epoch000001.safetensors")      # temporaries are never picked
    fresh = Big(1000)
    assert checkpoint.load(latest, fresh)["step"] == 1
    assert np.all(np.asarray(fresh.w.value) == 1.)


def test_training_killed_between_epochs_resumes_bit_identically(tmp_path):
    end = 40
    proc = spawn("train", tmp_path, end)
    assert read_line(proc) == "start"
    deadline = time.time() + 180
    while not (tmp_path / "ckpt-epoch000002.safetensors").exists():
        assert proc.poll() is None and time.time() < deadline, proc.stderr.read()[-2000:]
        time.sleep(0.005)
    time.sleep(random.Random(1).uniform(0., 0.3))
    kill(proc)
    reached = int(os.path.basename(checkpoint.latest(tmp_path))[len("ckpt-epoch"):][:6])
    assert 2 <= reached < end, reached                          # killed part-way through

    X, Y = train_data()
    batches = [(X[i:i + 4], Y[i:i + 4]) for i in range(0, 12, 4)]
    full = new_trainer()
    full.fit(batches, num_epoch=end)

    bm.random.seed(999)                                         # the restored file sets everything
    resumed = BPTTFor(Net(), seed=0)
    resumed.fit(batches, num_epoch=end, checkpoint_dir=tmp_path, resume=True)
    assert resumed.epoch == end and resumed.step == full.step
    for key, value in params(full.target).items():
        np.testing.assert_array_equal(params(resumed.target)[key], value, err_msg=key)
    assert resumed.train_losses == full.train_losses


# -- corrupt and truncated files ------------------------------------------------------------------

class Small(bp.DynamicalSystem):
    def __init__(self, seed):
        super().__init__(mode=bm.TrainingMode())
        rng = np.random.default_rng(seed)
        self.w = bm.TrainVar(jnp.asarray(rng.normal(size=(5, 3)), jnp.float32))
        self.h = bm.Variable(jnp.asarray(rng.normal(size=(2, 3)), jnp.float32), batch_axis=0)

    def update(self, x):
        return x


@pytest.fixture(scope="module")
def saved(tmp_path_factory):
    d = tmp_path_factory.mktemp("corrupt")
    return {s: pathlib.Path(checkpoint.save(d / f"m{s}", Small(1), step=4)).read_bytes()
            for s in (".safetensors", ".npz")}


CORRUPT = settings(max_examples=60, deadline=None, derandomize=True,
                   suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


def load_bytes(tmp_path, suffix, data):
    path = tmp_path / f"x{suffix}"
    path.write_bytes(data)
    target = Small(2)
    return target, (lambda: checkpoint.load(path, target))


@CORRUPT
@given(suffix=st.sampled_from([".safetensors", ".npz"]), cut=st.floats(0., 1., exclude_max=True))
def test_any_truncation_is_detected(tmp_path, saved, suffix, cut):
    data = saved[suffix]
    target, load = load_bytes(tmp_path, suffix, data[: int(cut * len(data))])
    before = params(target)
    with pytest.raises(CheckpointError, match="truncated or corrupt|checksum"):
        load()
    for k, v in before.items():                                 # nothing was written
        np.testing.assert_array_equal(params(target)[k], v)


@CORRUPT
@given(suffix=st.sampled_from([".safetensors", ".npz"]), where=st.floats(0., 1., exclude_max=True),
       flip=st.integers(1, 255))
def test_a_flipped_byte_is_detected_or_harmless(tmp_path, saved, suffix, where, flip):
    """A changed byte gives CheckpointError, or (padding, unused zip fields) the exact original
    values — never other values, never another exception."""
    data = bytearray(saved[suffix])
    data[int(where * len(data))] ^= flip
    target, load = load_bytes(tmp_path, suffix, bytes(data))
    try:
        load()
    except CheckpointError:
        return
    for k, v in params(Small(1)).items():
        np.testing.assert_array_equal(params(target)[k], v)


# -- untrusted files --------------------------------------------------------------------------------

class Exploit:
    """Unpickling this runs ``open(marker, 'w')``: it creates the marker file."""

    def __init__(self, marker):
        self.marker = str(marker)

    def __reduce__(self):
        return (open, (self.marker, "w"))


def crafted_npz(path, marker):
    """A file shaped like a neurodyn .npz checkpoint whose 'w' entry is a pickled Exploit."""
    good = Small(1)
    real = pathlib.Path(checkpoint.save(path.with_name("real.npz"), good))
    with np.load(real, allow_pickle=False) as z:
        arrays = {k: z[k] for k in z.files}
    arrays["w"] = np.array([Exploit(marker)], dtype=object)
    np.savez(path, **arrays)


def test_crafted_pickles_are_refused_without_running_code(tmp_path):
    import pickle
    control = tmp_path / "control_marker"
    crafted_npz(tmp_path / "control.npz", control)
    with np.load(tmp_path / "control.npz", allow_pickle=True) as z:   # the exploit is live...
        z["w"][0].close()
    assert control.exists()

    marker = tmp_path / "marker"
    crafted_npz(tmp_path / "evil.npz", marker)
    raw = pickle.dumps({"w": Exploit(marker)})
    (tmp_path / "evil_pickle.npz").write_bytes(raw)                   # a bare pickle, renamed
    (tmp_path / "evil.safetensors").write_bytes(raw)
    (tmp_path / "evil.pkl").write_bytes(raw)
    for name in ("evil.npz", "evil_pickle.npz", "evil.safetensors", "evil.pkl"):
        target = Small(2)
        with pytest.raises(CheckpointError):
            checkpoint.load(tmp_path / name, target)                  # ...but never run here
        assert not marker.exists(), name
    np.testing.assert_array_equal(np.asarray(target.w.value), np.asarray(Small(2).w.value))


def test_no_pickle_anywhere_in_the_library():
    """Loading never unpickles: no pickle module, no allow_pickle=True, no torch.load."""
    root = pathlib.Path(bp.__file__).parent
    banned = ("import pickle", "from pickle", "cloudpickle", "import dill", "allow_pickle=True",
              "torch.load", "joblib", "pickle.load", "marshal.load", "shelve")
    for path in root.rglob("*.py"):
        text = path.read_text()
        for word in banned:
            assert word not in text, f"{path.relative_to(root)} uses {word!r}"
    assert "allow_pickle=False" in (root / "train" / "checkpoint.py").read_text()
