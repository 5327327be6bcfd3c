"""``target.reset(batch)`` before every batch, as BrainPy's trainers do, at the cost of a few
assignments when the reset is a constant.

Most resets fill the state with constants (zeros, a resting potential). The first reset at a
batch size is run twice while recording what it reads and writes: when it reads no Variable it
does not write, creates no new model Variable and gives the same values both times, its values
are kept and later resets at that size assign them. A reset that draws random numbers or reads
parameters is run in full every time. The nodes' attributes, which the reset may read
(``lif.V_rest = -70.``), are watched by identity: when one is replaced, the reset runs again
and its new values are kept.

    >>> import neurodyn as bp, neurodyn.math as bm
    >>> with bm.environment(mode=bm.BatchingMode(2)):
    ...     lif = bp.neurons.LIF(3)
    >>> reset = ResetCache(lif)
    >>> reset(2); lif.V.value = lif.V.value + 1.; reset(2)
    >>> lif.V.value.tolist() == [[0.] * 3] * 2, reset.constant(2)
    (True, True)
"""
from __future__ import annotations

from itertools import chain
from typing import Any

import numpy as np

import neurodyn.math as bm
from neurodyn.core import DynamicalSystem

__all__ = ["ResetCache"]


class ResetCache:
    """``cache(batch)`` resets ``target`` to ``batch`` (see the module docstring)."""

    def __init__(self, target: DynamicalSystem):
        self.target = target
        self._kept: dict[Any, tuple[list, list, tuple] | None] = {}
        self._nodes = list(target.nodes().values())

    def __call__(self, batch: int | None) -> None:
        if batch not in self._kept:
            self._kept[batch] = self._learn(batch)
            return
        kept = self._kept[batch]
        if kept is None:
            self.target.reset(batch)
        elif self._fingerprint() == kept[2]:
            bm.Functional.assign(kept[0], kept[1])
        else:                      # an attribute was replaced: run the reset and keep what it gives now
            self.target.reset(batch)
            self._kept[batch] = (kept[0], [v._value for v in kept[0]], self._fingerprint())

    def _fingerprint(self) -> tuple:
        """The identities of every node's attributes (a replaced parameter, Variable or child
        changes it); built in C, it costs a few microseconds per fit call."""
        return tuple(map(id, chain.from_iterable(map(dict.values, map(vars, self._nodes)))))

    def constant(self, batch: int | None) -> bool:
        """Whether the reset at ``batch`` was found to be a constant (and is kept)."""
        return self._kept.get(batch) is not None

    def _learn(self, batch: int | None) -> tuple[list, list, tuple] | None:
        before = [id(v) for v in self.target.vars().unique().values()]
        _, reads, writes = bm.Functional.record(lambda: self.target.reset(batch))
        first = [v._value for v in writes]
        self.target.reset(batch)
        if reads or [id(v) for v in self.target.vars().unique().values()] != before:
            return None
        for a, var in zip(first, writes):
            a, b = np.asarray(a), np.asarray(var._value)
            if a.shape != b.shape or a.dtype != b.dtype or not np.array_equal(a, b, equal_nan=True):
                return None
        return writes, [v._value for v in writes], self._fingerprint()
