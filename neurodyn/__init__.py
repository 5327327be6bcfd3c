"""neurodyn: brain-dynamics models on JAX, simulated and trained (``import neurodyn as bp``)."""
from typing import Any

__version__ = "0.1.0"

from neurodyn import errors, check, math, distributed
from neurodyn.core import (BrainPyObject, DynamicalSystem, DynamicalSystemNS, Sequential, Network,
                           LoopOverTime, VarDelay, share)
from neurodyn import init, conn
initialize = init          # BrainPy's other name for bp.init
Base = BrainPyObject       # BrainPy 2.3's name of the base object
Collector = math.Collector
from neurodyn import layers, neurons, synapses
from neurodyn.synapses import synouts
from neurodyn import train
from neurodyn.train import (DSRunner, IntegratorRunner, BPTT, BPFF, OfflineTrainer, RidgeTrainer, OnlineTrainer,
                            ForceTrainer, checkpoint, losses, metrics, optim)
from neurodyn.train import checkpoint as checkpoints
from neurodyn.train import metrics as measure
from neurodyn import dyn, datasets, visualize, integrators, inputs, algorithms
from neurodyn.integrators import JointEq, odeint, sdeint
from neurodyn import fde
from neurodyn.fde import fdeint

from neurodyn import tools, encoding, rates, mixin, synplast, channels, running, analysis

dnn = layers          # BrainPy's other name for the ANN layers
connect = conn        # BrainPy's older name of the connectivity module
ode = sde = integrators
BPTrainer = BPTT
DSTrainer = DSRunner  # BrainPy's base of the trainers, used as a runner with predict()
DynSysGroup = Network  # BrainPy 2.4+'s name of a group of systems stepped together
from neurodyn.synapses._projections import Projection  # noqa: E402
from neurodyn.neurons._base import Dynamic, NeuGroup  # noqa: E402
from neurodyn.synapses._base import TwoEndConn  # noqa: E402
NeuGroupNS = NeuGroup
SynConn = TwoEndConn


def reset_state(target: DynamicalSystem, *args: Any, **kwargs: Any) -> None:
    """Reset every node of ``target`` (``target.reset(batch_size)``)."""
    target.reset(*args, **kwargs)


def save_state(target: BrainPyObject) -> dict:
    """``target.state_dict()``: every Variable's value by relative path."""
    return target.state_dict()


def load_state(target: BrainPyObject, state_dict: dict, strict: bool = True) -> Any:
    """``target.load_state_dict(state_dict, strict)``."""
    return target.load_state_dict(state_dict, strict=strict)

__all__ = ["__version__", "errors", "check", "math", "BrainPyObject", "DynamicalSystem",
           "DynamicalSystemNS", "LoopOverTime", "DynSysGroup", "Projection", "VarDelay", "Dynamic", "NeuGroup",
           "NeuGroupNS", "TwoEndConn", "SynConn", "IntegratorRunner", "connect", "ode", "sde", "BPFF", "DSTrainer", "reset_state", "save_state",
           "load_state", "tools", "encoding", "rates", "mixin", "synplast", "channels", "running",
           "Sequential", "Network", "share", "init", "initialize", "Base", "Collector", "conn", "layers", "dnn", "neurons", "synapses",
           "synouts", "train", "DSRunner", "BPTT", "BPTrainer", "OfflineTrainer", "RidgeTrainer",
           "OnlineTrainer", "ForceTrainer", "checkpoint", "checkpoints", "losses", "metrics",
           "measure", "optim", "algorithms", "dyn", "datasets", "visualize", "integrators", "inputs",
           "odeint", "sdeint", "fdeint", "fde", "JointEq", "distributed", "analysis"]
