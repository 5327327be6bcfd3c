"""Metric histories of a trainer, laid out as BrainPy's ``get_hist_metric`` gives them.

``detailed`` keeps every batch's value; ``report`` one mean per report (every ``num_report``
batches, or per epoch).

    >>> h = History()
    >>> for loss in (1., 3., 5.):
    ...     h.add("fit", {"loss": loss})
    >>> h.report_now("fit")
    {'loss': 3.0}
    >>> h.get("fit", "loss", "detailed").tolist(), h.get("fit", "loss").tolist()
    ([1.0, 3.0, 5.0], [3.0])
"""
from __future__ import annotations

from typing import Any, Mapping

import numpy as np

from neurodyn.errors import describe

__all__ = ["History"]

_PHASES = {"fit": "fit", "train": "fit", "test": "test", "predict": "test"}


class History:
    def __init__(self) -> None:
        self.detailed: dict[str, dict[str, list]] = {"fit": {}, "test": {}}
        self.reports: dict[str, dict[str, list]] = {"fit": {}, "test": {}}
        self._pending: dict[str, dict[str, list]] = {"fit": {}, "test": {}}

    def add(self, phase: str, values: Mapping[str, float]) -> None:
        """Record one batch's values."""
        for k, v in values.items():
            self.detailed[phase].setdefault(k, []).append(float(v))
            self._pending[phase].setdefault(k, []).append(float(v))

    def report_now(self, phase: str) -> dict[str, float]:
        """Close a report: the mean of the batches since the last one (appended to ``reports``)."""
        means = {k: sum(v) / len(v) for k, v in self._pending[phase].items() if v}
        for k, m in means.items():
            self.reports[phase].setdefault(k, []).append(m)
        self._pending[phase] = {}
        return means

    def get(self, phase: str = "fit", metric: str = "loss", which: str = "report") -> Any:
        """BrainPy's ``get_hist_metric``: the values as an array (``None`` if never recorded)."""
        if phase not in _PHASES or which not in ("report", "detailed"):
            raise ValueError(describe("get_hist_metric", "phase in fit/train/test/predict and which in "
                                      "report/detailed", f"phase={phase!r}, which={which!r}"))
        table = self.reports if which == "report" else self.detailed
        values = table[_PHASES[phase]].get(metric)
        return None if values is None else np.asarray(values)
