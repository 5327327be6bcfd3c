"""Spike raster plots.

    >>> import numpy as np
    >>> from neurodyn.visualize import raster_plot
    >>> spikes = np.zeros((5, 3), bool); spikes[1, 0] = spikes[3, 2] = True
    >>> fig = raster_plot(np.arange(5) * 0.1, spikes)
    >>> len(fig.axes[0].lines[0].get_xdata())
    2
"""
from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

import numpy as np

from neurodyn.errors import ShapeError, describe
from neurodyn.visualize._common import as_times, check_rows, finish, new_axes, set_labels

if TYPE_CHECKING:                    # matplotlib is imported when a plot is drawn
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = ["raster_plot"]


def raster_plot(ts: Any, spikes: Any, ax: Axes | None = None, markersize: float = 2, marker: str = ".",
                color: str = "k", xlabel: str | None = "Time (ms)", ylabel: str | None = "Neuron index",
                title: str | None = None, xlim: tuple[float, float] | None = None,
                ylim: tuple[float, float] | None = None, show: bool = False,
                save: str | os.PathLike | None = None, **kwargs: Any) -> Figure:
    """Draw one dot per spike: time on x, neuron index on y.

    Args:
        ts: times of shape ``(T,)``.
        spikes: spikes of shape ``(T, N)``; any value > 0 counts as a spike (bool or float).
        ax: axes to draw into; a new figure is made when ``None``.
        markersize, marker, color: dot style.
        xlabel, ylabel, title, xlim, ylim: axes decoration.
        show: call ``plt.show()`` after drawing (on pyplot's current axes).
        save: a file path to write the figure to (parent folders are created).
        **kwargs: passed to matplotlib's ``plot`` (``label=``, ``alpha=``, ...), as in BrainPy.

    Returns:
        The matplotlib ``Figure`` holding the plot; its single line has one point per spike.
    """
    owner = "raster_plot"
    ts = as_times(ts, owner)
    spikes = np.asarray(spikes)
    if spikes.ndim != 2:
        raise ShapeError(describe(owner, "spikes of shape (T, N)", f"shape {spikes.shape}",
                                  "reshape to (time, neurons); for a batch pick one sample"))
    check_rows(ts, spikes, "spikes", owner)
    fig, ax = new_axes(ax, owner, show=show)
    t_idx, n_idx = np.nonzero(spikes > 0)
    style = {"linestyle": "none", "marker": marker, "markersize": markersize, **({"color": color} if color else {})}
    ax.plot(ts[t_idx], n_idx, **{**style, **kwargs})           # color='' takes the next color, as in BrainPy
    ax.set_xlim(xlim if xlim is not None else (ts[0], ts[-1]) if ts.size > 1 else None)
    ax.set_ylim(ylim if ylim is not None else (-0.5, spikes.shape[1] - 0.5))
    set_labels(ax, xlabel, ylabel, title)
    return finish(fig, owner, show, save)
