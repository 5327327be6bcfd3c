"""Named exceptions and the one formatter every error message goes through.

A message says who failed (class, name or path), what was expected, what came,
and how to fix it::

    >>> from neurodyn.errors import ShapeError, describe
    >>> str(ShapeError(describe("Dense(name=fc)", "input with 3 features", "shape (2, 4)",
    ...                         "pass x of shape (..., 3)")))
    'Dense(name=fc): expected input with 3 features, got shape (2, 4). Fix: pass x of shape (..., 3).'
"""
from __future__ import annotations

__all__ = [
    "NeurodynError", "ModeError", "ShapeError", "DtypeError", "InitializerError",
    "CheckpointError", "MonitorError", "TrainingError", "DistributedError", "describe",
]


def describe(who: str, expected: str, got: str, fix: str | None = None) -> str:
    """Format an error message: ``who: expected X, got Y. Fix: Z.``"""
    msg = f"{who}: expected {expected}, got {got}."
    if fix:
        msg += f" Fix: {fix.rstrip('.')}."
    return msg


class NeurodynError(Exception):
    """Base class of every error neurodyn raises on purpose."""


class ModeError(NeurodynError, ValueError):
    """A system was built or used in a mode it does not support."""


class ShapeError(NeurodynError, ValueError):
    """An array has the wrong shape (input width, rank, batch size, parameter shape)."""


class DtypeError(NeurodynError, TypeError):
    """An array has the wrong dtype (e.g. ints or float64 where float32 state lives)."""


class InitializerError(NeurodynError, TypeError):
    """A parameter was given as something that is not an array, callable, Initializer, scalar or None."""


class CheckpointError(NeurodynError, ValueError):
    """A checkpoint file is corrupt, truncated, unsafe, or does not fit the model."""


class MonitorError(NeurodynError, KeyError, ValueError):
    """A runner monitor (or input target) names nothing in the model; also a ``KeyError``."""

    def __str__(self) -> str:  # KeyError quotes its message; we want it plain
        return str(self.args[0]) if self.args else ""


class TrainingError(NeurodynError, FloatingPointError):
    """Training went bad (non-finite loss) and was stopped with the last good parameters kept."""


class DistributedError(NeurodynError, RuntimeError):
    """A multi-device or multi-process run cannot start or lost one of its processes."""


class UniqueNameError(NeurodynError, ValueError):
    """Two live objects were given the same name."""
