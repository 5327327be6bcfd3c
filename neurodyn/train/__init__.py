"""``bp.train``: the runner, the trainers, and their building blocks (optimisers, losses,
metrics, solvers, checkpoints)."""
from neurodyn.train._runner import DSRunner
from neurodyn.train._integrator_runner import IntegratorRunner
from neurodyn.train._bptt import BPTT, BPFF
from neurodyn.train._offline import OfflineTrainer, RidgeTrainer
from neurodyn.train._online import OnlineTrainer, ForceTrainer
from neurodyn.train import checkpoint, losses, metrics, optim, solvers
from neurodyn.train.solvers import RidgeRegression, RLS, LMS

__all__ = ["DSRunner", "IntegratorRunner", "BPTT", "BPFF", "OfflineTrainer", "RidgeTrainer", "OnlineTrainer", "ForceTrainer",
           "checkpoint", "losses", "metrics", "optim", "solvers", "RidgeRegression", "RLS", "LMS"]
