"""The seed's deep LSTM network (``DeepRNN``) trained by back-propagation through time on a
sequence-regression task generated on the fly.

Run: ``python examples/deep_rnn.py`` (one to three minutes on 2 CPU cores). Prints the training and
test loss (mean squared error per step) every epoch, falling from about 1 (what predicting
zeros scores) towards 0, and the final test loss; ``--quick`` trains a small network for a few
epochs (used by the tests).

The task: the inputs are ``num_in`` channels of white noise; the ``num_out`` targets are the
first ``num_out`` channels, delayed by ``DELAY`` steps and low-pass filtered (an exponential
moving average), scaled to unit variance. The other channels are distractors. A network must
remember the last few inputs and integrate them to predict each step's target.

``DeepRNN`` is the seed notebook's class (``build_training_models.ipynb``) with one fix: its
``update`` sends the input through ``self.l2`` first (``x >> self.l2 >> self.d1``), a typo
that leaves ``l1`` unused and fails on the input width; here ``l1`` comes first. Note that
``Dropout(0.2)`` keeps 20% of the activations while fitting (BrainPy's convention: ``prob``
is the probability to keep), and is the identity when testing.
"""
from __future__ import annotations

import argparse
import time

import numpy as np

import neurodyn as bp
import neurodyn.math as bm

DELAY = 3          # steps between an input and the target it drives
SMOOTHING = 0.7    # the low-pass filter: y(t) = a y(t-1) + (1 - a) x(t - DELAY)


class DeepRNN(bp.DynamicalSystemNS):
    """The seed's DeepRNN: 4 stacked LSTM cells with dropout, then a Dense readout (l1 first)."""

    def __init__(self, num_in, num_recs, num_out):
        super(DeepRNN, self).__init__()

        self.l1 = bp.layers.LSTMCell(num_in, num_recs[0])
        self.d1 = bp.layers.Dropout(0.2)
        self.l2 = bp.layers.LSTMCell(num_recs[0], num_recs[1])
        self.d2 = bp.layers.Dropout(0.2)
        self.l3 = bp.layers.LSTMCell(num_recs[1], num_recs[2])
        self.d3 = bp.layers.Dropout(0.2)
        self.l4 = bp.layers.LSTMCell(num_recs[2], num_recs[3])
        self.d4 = bp.layers.Dropout(0.2)
        self.lout = bp.layers.Dense(num_recs[3], num_out)

    def update(self, x):
        x = x >> self.l1 >> self.d1          # the seed has self.l2 here (a typo)
        x = x >> self.l2 >> self.d2
        x = x >> self.l3 >> self.d3
        x = x >> self.l4 >> self.d4
        return self.lout(x)


def delayed_filtered_task(num_samples: int, num_steps: int, num_in: int, num_out: int,
                          seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Inputs ``(num_samples, num_steps, num_in)`` and targets ``(num_samples, num_steps, num_out)``."""
    rng = np.random.RandomState(seed)
    x = rng.standard_normal((num_samples, num_steps, num_in)).astype(np.float32)
    source = np.zeros((num_samples, num_steps, num_out), np.float32)
    source[:, DELAY:] = x[:, :num_steps - DELAY, :num_out]
    y = np.zeros_like(source)
    for t in range(num_steps):
        y[:, t] = SMOOTHING * (y[:, t - 1] if t else 0.) + (1 - SMOOTHING) * source[:, t]
    # the stationary variance of the filtered noise is (1 - a) / (1 + a): scale it to 1
    y /= np.sqrt((1 - SMOOTHING) / (1 + SMOOTHING))
    return x, y


def main(quick: bool = False, seed: int = 0, epochs: int | None = None, lr: float = 3e-3) -> dict:
    """Train and return the loss histories and the final test loss."""
    bm.random.seed(seed)
    if quick:
        num_in, recs, num_out, num_steps, num_train, batch = 8, [32, 32, 32, 16], 4, 20, 128, 32
        epochs = 3 if epochs is None else epochs
    else:
        num_in, recs, num_out, num_steps, num_train, batch = 100, [200, 200, 200, 100], 10, 50, 512, 64
        epochs = 10 if epochs is None else epochs
    x_train, y_train = delayed_filtered_task(num_train, num_steps, num_in, num_out, seed)
    x_test, y_test = delayed_filtered_task(num_train // 4, num_steps, num_in, num_out, seed + 1)

    with bm.training_environment():
        model = DeepRNN(num_in, recs, num_out)
    trainer = bp.BPTT(model, loss_fun=bp.losses.mean_squared_error, optimizer=bp.optim.Adam(lr=lr),
                      seed=seed, progress_bar=not quick)
    start = time.perf_counter()
    before = trainer.test((x_test, y_test), batch_size=batch)["loss"]
    trainer.fit((x_train, y_train), test_data=(x_test, y_test), num_epoch=epochs, batch_size=batch)
    seconds = time.perf_counter() - start
    print(f"DeepRNN {num_in} -> LSTM {recs} -> {num_out}, {num_steps} steps, delay {DELAY}")
    print("test loss per epoch: " + " ".join(f"{v:.3f}" for v in [before] + trainer.test_losses))
    print(f"test loss {before:.3f} before training -> {trainer.test_losses[-1]:.3f} after {epochs} "
          f"epochs ({trainer.step} steps, {seconds:.1f} s)")
    return {"initial_test_loss": before, "test_loss": trainer.test_losses[-1],
            "train_losses": trainer.train_losses, "test_losses": trainer.test_losses, "seconds": seconds}


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a small network for a few epochs")
    parser.add_argument("--epochs", type=int, default=None, help="number of epochs")
    args = parser.parse_args()
    main(quick=args.quick, epochs=args.epochs)
