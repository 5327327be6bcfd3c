"""Training curves: one panel per metric, one line per split (train/test/...), over epochs.

    >>> from neurodyn.visualize import training_curves
    >>> fig = training_curves({'train_loss': [1.0, 0.5], 'test_loss': [1.1, 0.7], 'train_acc': [0.5, 0.8]})
    >>> [ax.get_ylabel() for ax in fig.axes], len(fig.axes[0].lines)
    (['loss', 'acc'], 2)
"""
from __future__ import annotations

import os
from typing import TYPE_CHECKING, Mapping, Sequence

import numpy as np

from neurodyn.errors import ShapeError, describe
from neurodyn.visualize._common import finish

if TYPE_CHECKING:                    # matplotlib is imported when a plot is drawn
    from matplotlib.figure import Figure

__all__ = ["training_curves"]

_SPLITS = ("train", "test", "val", "valid", "validation", "eval")


def _metric_of(key: str) -> str:
    """``'train_loss'`` -> ``'loss'``; keys without a split prefix are their own metric."""
    head, sep, tail = key.partition("_")
    return tail if sep and tail and head.lower() in _SPLITS else key


def training_curves(history: Mapping[str, Sequence[float]], save: str | os.PathLike | None = None,
                    xlabel: str = "Epoch", title: str | None = None,
                    panels: Sequence[Sequence[str]] | None = None, figsize: tuple[float, float] | None = None,
                    show: bool = False) -> Figure:
    """Plot per-epoch histories, e.g. ``{'train_loss': [...], 'test_loss': [...], 'test_acc': [...]}``.

    Keys are grouped into panels by metric: ``'<split>_<metric>'`` with split one of
    train/test/val/valid/validation/eval goes to the panel ``<metric>``; any other key gets
    its own panel. Epochs are numbered from 1.

    Args:
        history: name -> 1-D sequence of numbers (lengths may differ).
        save: a file path to write the figure to (parent folders are created).
        xlabel, title: decoration (``title`` goes on the figure).
        panels: explicit grouping, e.g. ``[['train_loss', 'test_loss'], ['test_acc']]``.
        figsize: figure size; by default 4.5 inches wide per panel.
        show: must stay ``False`` (neurodyn never opens windows; display the returned figure).

    Returns:
        The matplotlib ``Figure`` with one axes per panel.
    """
    owner = "training_curves"
    if not isinstance(history, Mapping) or not history:
        raise ValueError(describe(owner, "history as a non-empty dict of name -> per-epoch values",
                                  f"{type(history).__name__} {history!r}"[:200]))
    series: dict[str, np.ndarray] = {}
    for key, vals in history.items():
        try:
            arr = np.asarray(vals, dtype=np.float64)
        except (TypeError, ValueError):
            raise TypeError(describe(owner, "history values to be sequences of numbers",
                                     f"{key!r}: {vals!r}"[:200])) from None
        if not isinstance(key, str) or arr.ndim != 1 or arr.size == 0:
            raise ShapeError(describe(owner, "each history entry to be a str name with a non-empty 1-D "
                                      "sequence of numbers", f"{key!r}: shape {arr.shape}"))
        series[key] = arr
    if panels is None:
        groups: dict[str, list[str]] = {}
        for key in series:
            groups.setdefault(_metric_of(key), []).append(key)
        layout = list(groups.items())
    else:
        layout = []
        for keys in panels:
            keys = [keys] if isinstance(keys, str) else list(keys)
            missing = [k for k in keys if k not in series]
            if missing or not keys:
                raise ValueError(describe(owner, f"panels naming keys of history {sorted(series)}", repr(keys)))
            metrics = {_metric_of(k) for k in keys}
            layout.append((metrics.pop() if len(metrics) == 1 else "", keys))
    from matplotlib.figure import Figure
    fig = Figure(figsize=figsize or (4.5 * len(layout), 3.5))
    for i, (metric, keys) in enumerate(layout):
        ax = fig.add_subplot(1, len(layout), i + 1)
        for key in keys:
            vals = series[key]
            ax.plot(np.arange(1, vals.size + 1), vals, marker="o" if vals.size < 30 else None,
                    markersize=3, label=key)
        ax.set_xlabel(xlabel)
        ax.set_ylabel(metric)
        ax.legend()
    if title:
        fig.suptitle(title)
    fig.tight_layout()
    return finish(fig, owner, show, save)
