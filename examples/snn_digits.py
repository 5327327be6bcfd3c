"""The seed's spiking network (Neftci, Mostafa & Zenke 2019) trained by BPTT with surrogate
gradients on Poisson-encoded handwritten digits (scikit-learn's 8x8 digits).

Run: ``python examples/snn_digits.py`` (about a minute on 2 CPU cores). Prints the loss and
accuracy per epoch, the final test accuracy, and saves the training curves to
``out/snn_digits_curves.png``. ``--quick`` trains a smaller network for fewer epochs (used by
the tests; ~0.7 test accuracy, the full run reaches ~0.96).
"""
from __future__ import annotations

import argparse
import pathlib
import time

import jax
import numpy as np

import neurodyn as bp
import neurodyn.math as bm
from neurodyn.datasets import PoissonEncoder, digits


class SNN(bp.Network):
    """The seed notebook's SNN, unchanged: input -> Exponential -> LIF -> Exponential -> LI."""

    def __init__(self, num_in, num_rec, num_out):
        super(SNN, self).__init__()

        # neuron groups
        self.i = bp.neurons.InputGroup(num_in)
        self.r = bp.neurons.LIF(num_rec, tau=10, V_reset=0, V_rest=0, V_th=1.)
        self.o = bp.neurons.LeakyIntegrator(num_out, tau=5)

        # synapse: i->r
        self.i2r = bp.synapses.Exponential(self.i, self.r, bp.conn.All2All(),
                                           output=bp.synouts.CUBA(), tau=10.,
                                           g_max=bp.init.KaimingNormal(scale=20.))
        # synapse: r->o
        self.r2o = bp.synapses.Exponential(self.r, self.o, bp.conn.All2All(),
                                           output=bp.synouts.CUBA(), tau=10.,
                                           g_max=bp.init.KaimingNormal(scale=20.))

    def update(self, tdi, spike):
        self.i2r(tdi, spike)
        self.r2o(tdi)
        self.r(tdi)
        self.o(tdi)
        return self.o.V.value


def encode(images: np.ndarray, num_steps: int, max_prob: float, seed: int) -> np.ndarray:
    """Poisson spike trains (batch, time, 64): pixel intensity -> spike probability per step."""
    spikes = PoissonEncoder()(images * max_prob, num_steps=num_steps, seed=seed)   # (T, N, 64)
    return np.asarray(spikes).transpose(1, 0, 2)


def max_membrane_loss(outputs, labels):
    """Cross-entropy of the readout's maximal membrane potential over time."""
    return bp.losses.cross_entropy_loss(outputs.max(axis=1), labels)


def accuracy(outputs, labels):
    return bp.metrics.accuracy(outputs.max(axis=1), labels)


def main(quick: bool = False, out_dir: str = "out", seed: int = 0) -> dict:
    bm.random.seed(seed)
    num_steps, num_hidden, epochs = (20, 64, 10) if quick else (25, 128, 30)
    X_train, y_train, X_test, y_test = digits(seed=seed)
    x_train = encode(X_train, num_steps, 0.5, seed)
    x_test = encode(X_test, num_steps, 0.5, seed + 1)

    dt = 0.1   # ms (the library's default step); 25 steps of Poisson input per digit
    with bm.training_environment(dt=dt):
        net = SNN(64, num_hidden, 10)
    trainer = bp.BPTT(net, loss_fun=max_membrane_loss, optimizer=bp.optim.Adam(lr=1e-2),
                      metrics={"acc": accuracy}, seed=seed, progress_bar=not quick, dt=dt)
    start = time.perf_counter()
    trainer.fit((x_train, y_train), test_data=(x_test, y_test), num_epoch=epochs, batch_size=64)
    result = trainer.test((x_test, y_test))
    seconds = time.perf_counter() - start
    print(f"test accuracy {result['acc']:.3f} (loss {result['loss']:.3f}) after {epochs} epochs "
          f"in {seconds:.1f} s on {jax.device_count()} {jax.default_backend()} device(s)")
    history = {"train_loss": trainer.train_losses, "test_loss": trainer.test_losses,
               "train_acc": trainer.train_metrics["acc"], "test_acc": trainer.test_metrics["acc"]}
    path = pathlib.Path(out_dir) / "snn_digits_curves.png"
    bp.visualize.training_curves(history, save=path)
    print(f"training curves saved to {path}")
    return {"final_test_acc": float(result["acc"]), "seconds": seconds, "history": history}


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a small network for a few epochs")
    parser.add_argument("--out", default="out", help="folder for the training-curve plot")
    args = parser.parse_args()
    main(quick=args.quick, out_dir=args.out)
