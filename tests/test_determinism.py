"""Determinism: the same seed gives bit-identical parameters after training, across processes.

Two fresh Python processes each build a small model (RNN cell, dropout, readout) from a seed
and train it with BPTT (shuffled batches, dropout, Adam) on CPU; their parameters must agree
bit for bit, and another seed must give other parameters.
"""
from __future__ import annotations

import os
import subprocess
import sys

import numpy as np
import optax

import neurodyn as bp
import neurodyn.math as bm

TESTS = os.path.dirname(os.path.abspath(__file__))
SEEDS = (3, 4)


class Net(bp.DynamicalSystem):
    def __init__(self):
        super().__init__(mode=bm.TrainingMode())
        self.cell = bp.layers.RNNCell(3, 8, activation="tanh", mode=bm.TrainingMode())
        self.drop = bp.layers.Dropout(0.7, mode=bm.TrainingMode())    # seeded from bm.random
        self.out = bp.layers.Dense(8, 2, mode=bm.TrainingMode())

    def update(self, x):
        return self.out(self.drop(self.cell(x)))


def train(seed: int) -> dict[str, np.ndarray]:
    """Everything random follows ``seed``: weights, dropout keys, data order."""
    bm.random.seed(seed)
    rng = np.random.default_rng(0)
    X = rng.normal(size=(20, 6, 3)).astype(np.float32)
    Y = np.tanh(X[..., :2] + X[..., 1:]).astype(np.float32)     # 20 samples: 2 batches of 10
    model = Net()
    trainer = bp.BPTT(model, bp.losses.mean_squared_error, optimizer=optax.adam(1e-2), seed=seed,
                      progress_bar=False)
    trainer.fit((X, Y), num_epoch=3, batch_size=10)
    return {k: np.asarray(v.value) for k, v in model.vars().items()}


def child_main(out_dir: str) -> None:
    for seed in SEEDS:
        np.savez(os.path.join(out_dir, f"seed{seed}.npz"), **train(seed))


def bits(a: np.ndarray) -> np.ndarray:
    return np.ascontiguousarray(a).view(np.uint8)


def test_same_seed_bit_identical_across_processes(tmp_path):
    env = dict(os.environ, JAX_PLATFORMS="cpu", PYTHONPATH=os.pathsep.join([TESTS, os.path.dirname(TESTS)]))
    env.setdefault("JAX_COMPILATION_CACHE_DIR",            # the suite's cache (see conftest.py)
                   os.environ.get("NEURODYN_JAX_CACHE", os.path.expanduser("~/.cache/neurodyn/jax")))
    dirs = [tmp_path / "a", tmp_path / "b"]
    procs = []
    for d in dirs:
        d.mkdir()
        code = "import sys, test_determinism; test_determinism.child_main(sys.argv[1])"
        procs.append(subprocess.Popen([sys.executable, "-c", code, str(d)], env=env,
                                      stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True))
    for proc in procs:
        out, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, err[-3000:]

    def read(d, seed):
        with np.load(d / f"seed{seed}.npz", allow_pickle=False) as z:
            return {k: z[k] for k in z.files}

    for seed in SEEDS:
        a, b = read(dirs[0], seed), read(dirs[1], seed)
        assert a.keys() == b.keys() == {"cell.Wi", "cell.Wh", "cell.b", "cell.state", "drop.rng", "out.W", "out.b"}
        for key in a:
            assert a[key].dtype == b[key].dtype
            np.testing.assert_array_equal(bits(a[key]), bits(b[key]), err_msg=f"seed {seed}: {key}")
    one, other = read(dirs[0], SEEDS[0]), read(dirs[0], SEEDS[1])
    assert not np.array_equal(one["cell.Wi"], other["cell.Wi"])
    assert not np.array_equal(one["out.W"], other["out.W"])
    assert not np.array_equal(one["drop.rng"], other["drop.rng"])
