"""The small models the distributed tests run, on one device and on many (imported by the
subprocess scripts of this folder)."""
import os
import sys

import numpy as np

import neurodyn as bp
import neurodyn.math as bm

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from test_running import spikes_of  # noqa: E402,F401  (the sweep's function, shared with that test)


def rnn():
    bm.random.seed(0)
    with bm.training_environment():
        return bp.Sequential(bp.layers.Dense(3, 8), bp.layers.GRUCell(8, 8), bp.layers.Dense(8, 2))


def data(n=16, t=4):
    rng = np.random.default_rng(0)
    return (rng.normal(size=(n, t, 3)).astype(np.float32), rng.normal(size=(n, t, 2)).astype(np.float32))


def train(mesh, num_epoch=2, batch_size=8):
    """Parameters (path -> NumPy) and losses after training the RNN on the data; ``mesh=None``:
    on one device."""
    model = rnn()
    trainer = bp.BPTT(model, "mean_squared_error", bp.optim.Adam(1e-2), progress_bar=False, seed=0, mesh=mesh)
    trainer.fit(data(), num_epoch=num_epoch, batch_size=batch_size)
    return {k: np.asarray(v) for k, v in model.state_dict().items()}, trainer.train_losses


def max_difference(a, b):
    assert a.keys() == b.keys()
    return max(float(np.abs(a[k] - b[k]).max()) for k in a)


def sweep_sets(n=8):
    return np.linspace(0.5, 5., n), np.linspace(5., 12., n)


def ridge(mesh):
    """The readout of an echo-state network fitted by ridge regression on the data."""
    bm.random.seed(0)
    model = bp.Sequential(bp.layers.Reservoir(3, 40, mode=bm.batching_mode),
                          bp.layers.Dense(40, 2, mode=bm.training_mode), mode=bm.batching_mode)
    trainer = bp.RidgeTrainer(model, alpha=1e-6, progress_bar=False, mesh=mesh)
    trainer.fit(list(data(16, 10)), reset_state=True)
    return {"W": np.asarray(model.layers[1].W.value), "b": np.asarray(model.layers[1].b.value)}
