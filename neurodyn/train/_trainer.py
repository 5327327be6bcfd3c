"""The protocol every trainer implements, and what they share.

A trainer takes a model (its ``target``) and data laid out ``(batch, time, ...)``
(``data_first_axis='B'``) or ``(time, batch, ...)`` (``'T'``). It offers ``fit`` (change the
model's parameters from data), ``predict`` (run the model, ``fit=False``) and ``test`` (mean
loss over data), keeps per-batch histories (BrainPy's ``get_hist_metric``) and checkpoints
itself through :meth:`Trainer.checkpoint_entries`. BPTT, the offline (ridge) and the online
(RLS/FORCE) trainers implement it; a new trainer is one file that subclasses it and fills in
its step.

    >>> import numpy as np
    >>> import neurodyn as bp, neurodyn.math as bm
    >>> class MeanReadout(Trainer):
    ...     '''Sets a bias-only readout to the targets' mean.'''
    ...     def fit(self, train_data, reset_state=True, shared_args=None):
    ...         _, ys = train_data
    ...         self.target.b.value = bm.asarray(np.mean(ys, axis=(0, 1)))
    ...         self.history.add("fit", {"loss": float(np.var(ys))})
    ...     def predict(self, inputs, reset_state=True, shared_args=None):
    ...         return np.broadcast_to(np.asarray(self.target.b.value), np.shape(inputs)[:2] + (1,))
    >>> readout = bp.layers.Dense(2, 1, mode=bm.training_mode)
    >>> trainer = MeanReadout(readout, progress_bar=False)
    >>> X, Y = np.zeros((4, 3, 2)), np.full((4, 3, 1), 2.)
    >>> trainer.fit((X, Y)); trainer.test((X, Y))
    {'loss': 0.0}
    >>> trainer.get_hist_metric('fit', which='detailed').tolist(), trainer.get_hist_metric('test').tolist()
    ([0.0], [0.0])
"""
from __future__ import annotations

import contextlib
import os
from typing import Any, Iterator, Mapping

import numpy as np

import neurodyn.math as bm
from neurodyn.check import is_positive
from neurodyn.core import DynamicalSystem
from neurodyn.errors import CheckpointError, describe
from neurodyn.train._history import History
from neurodyn.train._step import check_shared_args, is_shared_dict

__all__ = ["Trainer"]


class Trainer:
    """Base of every trainer: the model, the data layout, ``dt``, the progress bar, histories,
    shared arguments and checkpoint entries. Subclasses implement :meth:`fit` and :meth:`predict`.

    Args:
        target: the model trained.
        data_first_axis: ``'B'`` (data ``(batch, time, ...)``) or ``'T'`` (``(time, batch, ...)``).
        dt: the time step of every step (default: ``bm.get_dt()`` when the trainer is built).
        progress_bar: show tqdm bars and per-epoch lines.
    """

    def __init__(self, target: DynamicalSystem, data_first_axis: str = "B", dt: float | None = None,
                 progress_bar: bool = True):
        who = type(self).__name__
        if not isinstance(target, DynamicalSystem):
            raise TypeError(describe(who, "target to be a bp.DynamicalSystem", type(target).__name__,
                                     "pass the model object, e.g. bp.BPTT(model, ...)"))
        if data_first_axis not in ("B", "T"):
            raise ValueError(describe(who, "data_first_axis 'B' (batch, time, ...) or 'T' (time, batch, ...)",
                                      repr(data_first_axis)))
        self.target = target
        self.data_first_axis = data_first_axis
        self.dt = float(bm.get_dt() if dt is None else is_positive(dt, "dt", who))
        self.progress_bar = bool(progress_bar)
        self.history = History()

    def __repr__(self) -> str:
        return f"{type(self).__name__}(target={self.target.describe()})"

    # -- the protocol ----------------------------------------------------------------------------
    def fit(self, train_data: Any, *args: Any, **kwargs: Any) -> Any:
        """Change the model's parameters from ``train_data`` (``(X, Y)``)."""
        raise NotImplementedError(f"{type(self).__name__} must implement fit(train_data, ...)")

    def predict(self, inputs: Any, reset_state: bool = True, shared_args: Mapping | None = None) -> Any:
        """Run the model over ``inputs`` with ``fit=False``; return its outputs laid out like them."""
        raise NotImplementedError(f"{type(self).__name__} must implement predict(inputs, ...)")

    def test(self, test_data: Any, reset_state: bool = True, shared_args: Mapping | None = None) -> dict:
        """``{'loss': mean squared error}`` of :meth:`predict` on ``X`` against ``Y`` (recorded in
        the ``'test'`` history). Trainers with their own loss (BPTT) override it."""
        who = f"{type(self).__name__}.test"
        xs, ys = self._pair(test_data, who)
        outs = np.asarray(bm.unwrap(self.predict(xs, reset_state=reset_state, shared_args=shared_args)))
        ys = np.asarray(bm.unwrap(ys))
        if outs.shape != ys.shape:
            raise ValueError(describe(who, f"targets Y shaped like the model's outputs {outs.shape}",
                                      f"shape {ys.shape}", "lay Y out like the inputs (same leading axes)"))
        values = {"loss": float(np.mean((outs.astype(np.float64) - ys) ** 2))}
        self.history.add("test", values)
        self.history.report_now("test")
        return values

    def get_hist_metric(self, phase: str = "fit", metric: str = "loss", which: str = "report") -> Any:
        """BrainPy's history: ``which='report'`` one mean per report (every ``num_report`` batches
        of ``fit``, else per epoch or call), ``'detailed'`` every batch; ``phase`` 'fit' or 'test'."""
        return self.history.get(phase, metric, which)

    # -- shared pieces -----------------------------------------------------------------------------
    @property
    def _batch_axis(self) -> int:
        return 0 if self.data_first_axis == "B" else 1

    def _pair(self, data: Any, who: str) -> tuple[Any, Any]:
        """``data`` as ``(X, Y)``."""
        if not isinstance(data, (list, tuple)) or len(data) != 2:
            got = (f"a {type(data).__name__} of length {len(data)}" if isinstance(data, (list, tuple))
                   else type(data).__name__)
            raise ValueError(describe(who, "data as a pair (X, Y)", got))
        return data[0], data[1]

    def _shared(self, shared_args: Mapping | None, allow_fit: bool = False) -> dict:
        """``shared_args`` checked (hashable; ``t``/``i``/``dt`` are the trainer's, ``fit`` too
        unless ``allow_fit``)."""
        return check_shared_args(shared_args, type(self).__name__, allow_fit)

    @staticmethod
    def _legacy_predict_args(inputs: Any, reset_state: Any, shared_args: Mapping | None,
                             default_reset: bool) -> tuple[Any, bool, Mapping | None]:
        """Older BrainPy code calls ``predict({}, xs)``: the shared dict first, the data second."""
        if is_shared_dict(inputs) and not isinstance(reset_state, bool):
            return reset_state, default_reset, {**inputs, **(shared_args or {})}
        return inputs, reset_state, shared_args

    @contextlib.contextmanager
    def _bar(self, total: int | None, desc: str, leave: bool = True) -> Iterator[Any]:
        """A tqdm bar while the block runs (None without ``progress_bar``)."""
        if not self.progress_bar:
            yield None
            return
        from tqdm.auto import tqdm
        bar = tqdm(total=total, desc=desc, leave=leave)
        try:
            yield bar
        finally:
            bar.close()

    # -- checkpoints -----------------------------------------------------------------------------
    def checkpoint_entries(self) -> tuple[dict[str, Any], dict]:
        """(name -> Variable or array, JSON metadata) that a checkpoint of this trainer stores:
        the model's Variables (``model/<path>``), the global random key, and the histories.
        Subclasses add their own state (an optimizer's, RLS's ``P``)."""
        entries: dict[str, Any] = {f"model/{p}": v for p, v in self.target.vars().unique().items()}
        entries["rng/default"] = bm.random.DEFAULT
        meta = {"history": {"detailed": self.history.detailed, "reports": self.history.reports}}
        return entries, meta

    def checkpoint_restore(self, arrays: Mapping[str, Any], meta: Mapping) -> None:
        """Take back what :meth:`checkpoint_entries` stored (``arrays`` already checked against it)."""
        for path, var in self.target.vars().unique().items():
            var.value = arrays[f"model/{path}"]
        bm.random.DEFAULT.value = arrays["rng/default"]
        if "history" in meta:
            self.history.detailed = {k: {m: list(v) for m, v in d.items()} for k, d in meta["history"]["detailed"].items()}
            self.history.reports = {k: {m: list(v) for m, v in d.items()} for k, d in meta["history"]["reports"].items()}

    def save(self, path: str, step: int | None = None) -> str:
        """Write a checkpoint of this trainer to ``path`` (atomically); return the path."""
        from neurodyn.train import checkpoint
        return checkpoint.save(path, self, step=step)

    def restore(self, checkpoint: str) -> dict:
        """Load a checkpoint file, or the latest in a directory; return its metadata."""
        from neurodyn.train import checkpoint as ckpt
        path = checkpoint if os.path.isfile(checkpoint) else ckpt.latest(checkpoint)
        if path is None:
            raise CheckpointError(describe(type(self).__name__, "a checkpoint file or a directory holding one",
                                           f"nothing in {checkpoint!r}"))
        return ckpt.load(path, self)
