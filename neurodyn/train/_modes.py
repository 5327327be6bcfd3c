"""Checks of a model's modes before a trainer takes it."""
from __future__ import annotations

import neurodyn.math as bm
from neurodyn.core import DynamicalSystem
from neurodyn.errors import describe

__all__ = ["check_child_modes"]


def check_child_modes(target: DynamicalSystem, who: str) -> None:
    """A child with parameters built outside TrainingMode (``mode=`` forgotten) would silently stay
    untrained: name it."""
    if not isinstance(target.mode, bm.TrainingMode):
        return
    stray = {path: sorted(f"{path}.{p}" for p in node.params()) for path, node in target.nodes().items()
             if isinstance(node, DynamicalSystem) and not isinstance(node.mode, bm.TrainingMode)
             and any(isinstance(v, bm.Parameter) for v in node.vars(level=1).values())}
    if stray:
        path, params = next(iter(stray.items()))
        raise ValueError(describe(who, f"every child of the TrainingMode model {target.describe()} with "
                                  "parameters built in TrainingMode too",
                                  f"{', '.join(repr(p) for p in stray)} built in "
                                  f"{target.nodes()[path].mode!r}, so {params} would stay untrained",
                                  "pass the parent's mode to the child (mode=mode), or build the whole "
                                  "model inside bm.training_environment()"))
