"""Helpers shared by the plotting functions: figure creation, saving, array checks.

Figures are ``matplotlib.figure.Figure`` objects made without pyplot, so plotting never
touches pyplot's global state or an interactive backend; they render with Agg and display
inline when returned in a notebook.
"""
from __future__ import annotations

import os
from typing import Any

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from neurodyn.errors import ShapeError, describe


def new_axes(ax: Axes | None, owner: str, figsize: tuple[float, float] = (6.0, 4.0)) -> tuple[Figure, Axes]:
    """Return ``(figure, axes)``: the given axes and its figure, or a fresh pyplot-free figure."""
    if ax is None:
        fig = Figure(figsize=figsize)
        return fig, fig.add_subplot(1, 1, 1)
    if not isinstance(ax, Axes):
        raise TypeError(describe(owner, "ax to be a matplotlib Axes or None", f"{type(ax).__name__}"))
    return ax.figure, ax


def finish(fig: Figure, owner: str, show: bool, save: str | os.PathLike | None) -> Figure:
    """Save ``fig`` when asked (creating parent folders) and return it."""
    if show:
        raise ValueError(describe(owner, "show=False", "show=True",
                                  "neurodyn never opens windows; display the returned Figure "
                                  "(notebooks render it) or pass save='plot.png'"))
    if save is not None:
        path = os.fspath(save)
        parent = os.path.dirname(os.path.abspath(path))
        os.makedirs(parent, exist_ok=True)
        fig.savefig(path)
    return fig


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
