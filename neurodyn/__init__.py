"""neurodyn: brain-dynamics models on JAX, simulated and trained (``import neurodyn as bp``)."""
__version__ = "0.1.0"

from neurodyn import errors, check, math
from neurodyn.core import DynamicalSystem, DynamicalSystemNS, Sequential, Network, share
from neurodyn import init, conn
from neurodyn import layers, neurons, synapses
from neurodyn.synapses import synouts
from neurodyn import train
from neurodyn.train import (DSRunner, BPTT, OfflineTrainer, RidgeTrainer, OnlineTrainer,
                            ForceTrainer, checkpoint, losses, metrics, optim)
from neurodyn.train import checkpoint as checkpoints
from neurodyn.train import metrics as measure
from neurodyn import dyn, datasets, visualize, integrators, inputs, algorithms
from neurodyn.integrators import JointEq, odeint, sdeint

dnn = layers          # BrainPy's other name for the ANN layers
BPTrainer = BPTT

__all__ = ["__version__", "errors", "check", "math", "DynamicalSystem", "DynamicalSystemNS",
           "Sequential", "Network", "share", "init", "conn", "layers", "dnn", "neurons", "synapses",
           "synouts", "train", "DSRunner", "BPTT", "BPTrainer", "OfflineTrainer", "RidgeTrainer",
           "OnlineTrainer", "ForceTrainer", "checkpoint", "checkpoints", "losses", "metrics",
           "measure", "optim", "algorithms", "dyn", "datasets", "visualize", "integrators", "inputs",
           "odeint", "sdeint", "JointEq"]
