"""Computing modes: whether state has a batch axis and whether parameters are trained.

    >>> import neurodyn.math as bm
    >>> bm.TrainingMode()
    TrainingMode(batch_size=1)
    >>> bm.nonbatching_mode
    NonBatchingMode
    >>> bm.training_mode.is_one_of(bm.BatchingMode)
    True
"""
from __future__ import annotations

from neurodyn.check import is_integer

__all__ = ["Mode", "NonBatchingMode", "BatchingMode", "TrainingMode",
           "nonbatching_mode", "batching_mode", "training_mode"]


class Mode:
    """Base class of the computing modes."""

    def __repr__(self) -> str:
        return type(self).__name__

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and vars(self) == vars(other)

    def __hash__(self) -> int:
        return hash((type(self), tuple(sorted(vars(self).items()))))

    def is_one_of(self, *modes: type) -> bool:
        """Whether this mode is an instance of one of ``modes``."""
        flat = [m for group in modes for m in (group if isinstance(group, (tuple, list)) else (group,))]
        return isinstance(self, tuple(flat))

    def is_a(self, mode: type) -> bool:
        """Whether this mode is exactly of class ``mode``."""
        return type(self) is mode

    @property
    def batching(self) -> bool:
        return isinstance(self, BatchingMode)


class NonBatchingMode(Mode):
    """One trajectory, no batch axis: the mode of simulation."""

    batch_size = None


class BatchingMode(Mode):
    """State has a leading batch axis of ``batch_size`` rows; parameters are constants."""

    def __init__(self, batch_size: int = 1):
        self.batch_size = is_integer(batch_size, "batch_size", type(self).__name__, 1)

    def __repr__(self) -> str:
        return f"{type(self).__name__}(batch_size={self.batch_size})"


class TrainingMode(BatchingMode):
    """Batching, and parameters are ``TrainVar``s that trainers optimise."""


nonbatching_mode = NonBatchingMode()
batching_mode = BatchingMode()
training_mode = TrainingMode()
