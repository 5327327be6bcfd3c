"""Line plots of monitored values over time.

    >>> import numpy as np
    >>> from neurodyn.visualize import line_plot
    >>> fig = line_plot(np.arange(4), np.ones((4, 3)), plot_ids=[0, 2], legend='V')
    >>> [line.get_label() for line in fig.axes[0].lines]
    ['V-0', 'V-2']
"""
from __future__ import annotations

import numbers
import os
from typing import TYPE_CHECKING, Any, Sequence

import numpy as np

from neurodyn.errors import ShapeError, describe
from neurodyn.visualize._common import as_times, check_rows, finish, new_axes, set_labels

if TYPE_CHECKING:                    # matplotlib is imported when a plot is drawn
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = ["line_plot"]


def _labels(legend: str | Sequence[str] | None, ids: list[int], owner: str) -> list[str | None]:
    if legend is None:
        return [None] * len(ids)
    if isinstance(legend, str):
        return [f"{legend}-{i}" for i in ids]
    labels = list(legend)
    if len(labels) != len(ids) or not all(isinstance(s, str) for s in labels):
        raise ValueError(describe(owner, f"legend as a str or {len(ids)} strs (one per plotted column)",
                                  repr(legend)))
    return labels


def line_plot(ts: Any, values: Any, plot_ids: Sequence[int] | int | None = None, ax: Axes | None = None,
              legend: str | Sequence[str] | None = None, xlabel: str | None = "Time (ms)",
              ylabel: str | None = None, title: str | None = None, xlim: tuple[float, float] | None = None,
              ylim: tuple[float, float] | None = None, linewidth: float = 1.0, show: bool = False,
              save: str | os.PathLike | None = None, **kwargs: Any) -> Figure:
    """Plot columns of ``values`` against ``ts``.

    Args:
        ts: times of shape ``(T,)``.
        values: shape ``(T,)`` (one line) or ``(T, N)``.
        plot_ids: columns to draw (an int or a sequence); ``None`` draws every column.
        ax: axes to draw into; a new figure is made when ``None``.
        legend: a prefix (labels ``f"{legend}-{id}"``) or one label per plotted column; the
            legend box is shown only when given.
        xlabel, ylabel, title, xlim, ylim, linewidth: decoration.
        show: call ``plt.show()`` after drawing (on pyplot's current axes).
        save: a file path to write the figure to (parent folders are created).
        **kwargs: passed to matplotlib's ``plot`` for every line (``linestyle=``, ``color=``, ...).

    Returns:
        The matplotlib ``Figure``.
    """
    owner = "line_plot"
    ts = as_times(ts, owner)
    values = np.asarray(values)
    if values.ndim == 1:
        values = values[:, None]
    elif values.ndim > 2:                 # (T, ...) state such as a (pre, post) matrix: one line each
        values = values.reshape(values.shape[0], -1)
    if values.ndim != 2:
        raise ShapeError(describe(owner, "values of shape (T,) or (T, ...)", f"shape {values.shape}"))
    check_rows(ts, values, "values", owner)
    num = values.shape[1]
    if plot_ids is None:
        ids = list(range(num))
    else:
        ids = [plot_ids] if isinstance(plot_ids, numbers.Integral) else list(plot_ids)
        bad = [i for i in ids if isinstance(i, bool) or not isinstance(i, numbers.Integral) or not 0 <= i < num]
        if bad or not ids:
            raise ValueError(describe(owner, f"plot_ids as column indices in [0, {num})", repr(plot_ids)))
    fig, ax = new_axes(ax, owner, show=show)
    for i, label in zip(ids, _labels(legend, ids, owner)):
        ax.plot(ts, values[:, i], **{"linewidth": linewidth, "label": label, **kwargs})
    if legend is not None:
        ax.legend()
    if xlim is not None:
        ax.set_xlim(xlim)
    if ylim is not None:
        ax.set_ylim(ylim)
    set_labels(ax, xlabel, ylabel, title)
    return finish(fig, owner, show, save)
