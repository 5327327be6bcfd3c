"""Helpers shared by the plotting functions: figure creation, saving, array checks.

Without ``ax``, a plot goes where a BrainPy program expects it: on pyplot's current axes when
pyplot already has a figure open (``bp.visualize.get_figure`` / ``plt.subplot`` then
``line_plot``), or when ``show=True``; otherwise on a new ``Figure`` made without pyplot (no
global state, no window; it displays inline when returned in a notebook). ``show=True`` calls
``plt.show()``, which does nothing under a non-interactive backend such as Agg.
"""
from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING, Any

import numpy as np

from neurodyn.errors import ShapeError, describe

if TYPE_CHECKING:                    # matplotlib is imported when a plot is drawn
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure


def _pyplot_open() -> Any:
    """pyplot, if the program imported it and has a figure open; else None."""
    plt = sys.modules.get("matplotlib.pyplot")
    return plt if plt is not None and plt.get_fignums() else None


def new_axes(ax: Axes | None, owner: str, figsize: tuple[float, float] = (6.0, 4.0),
             show: bool = False) -> tuple[Figure, Axes]:
    """Return ``(figure, axes)``: the given axes and its figure, pyplot's current axes (a figure
    is open, or ``show``), or a fresh pyplot-free figure."""
    if ax is None:
        plt = _pyplot_open()
        if plt is None and show:
            import matplotlib.pyplot as plt
        if plt is not None:
            ax = plt.gca()
            return ax.figure, ax
        from matplotlib.figure import Figure
        fig = Figure(figsize=figsize)
        return fig, fig.add_subplot(1, 1, 1)
    from matplotlib.axes import Axes
    if not isinstance(ax, Axes):
        raise TypeError(describe(owner, "ax to be a matplotlib Axes or None", f"{type(ax).__name__}"))
    return ax.figure, ax


def finish(fig: Figure, owner: str, show: bool, save: str | os.PathLike | None) -> Figure:
    """Save ``fig`` when asked (creating parent folders), show it (``plt.show()``) when asked,
    and return it."""
    if save is not None:
        path = os.fspath(save)
        parent = os.path.dirname(os.path.abspath(path))
        os.makedirs(parent, exist_ok=True)
        fig.savefig(path)
    if show:
        import matplotlib.pyplot as plt
        plt.show()
    return fig


def get_figure(row_num: int, col_num: int, row_len: float = 3, col_len: float = 6) -> tuple[Any, Any]:
    """BrainPy's ``get_figure``: a pyplot figure of ``row_num x col_num`` panels, each
    ``row_len`` high and ``col_len`` wide, and its ``GridSpec`` (``fig.add_subplot(gs[0, 0])``)."""
    import matplotlib.pyplot as plt
    from matplotlib.gridspec import GridSpec
    fig = plt.figure(figsize=(col_num * col_len, row_num * row_len), constrained_layout=True)
    return fig, GridSpec(row_num, col_num, figure=fig)


def as_times(ts: Any, owner: str) -> np.ndarray:
    ts = np.asarray(ts)
    if ts.ndim != 1:
        raise ShapeError(describe(owner, "ts of shape (T,)", f"shape {ts.shape}"))
    return ts


def check_rows(ts: np.ndarray, values: np.ndarray, name: str, owner: str) -> None:
    if values.shape[0] != ts.shape[0]:
        raise ShapeError(describe(owner, f"{name} with as many rows as ts has times ({ts.shape[0]})",
                                  f"{name} of shape {values.shape}",
                                  f"pass {name} of shape (T, ...) sampled at ts"))


def set_labels(ax: Axes, xlabel: str | None, ylabel: str | None, title: str | None) -> None:
    if xlabel:
        ax.set_xlabel(xlabel)
    if ylabel:
        ax.set_ylabel(ylabel)
    if title:
        ax.set_title(title)
