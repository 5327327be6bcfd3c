"""Plotting (``bp.visualize``): raster plots, line plots, training curves, animations.

Every function returns a ``matplotlib.figure.Figure`` and writes it to ``save=path`` when given;
it draws on pyplot's current axes when pyplot has a figure open (``get_figure``), else on a
new figure made without pyplot.

    >>> import numpy as np
    >>> import neurodyn.visualize as vis
    >>> type(vis.line_plot(np.arange(3), np.arange(3.))).__name__
    'Figure'
"""
from neurodyn.visualize._animation import animate_1D as animate_1D, animate_2D as animate_2D
from neurodyn.visualize._common import get_figure as get_figure
from neurodyn.visualize._curves import training_curves as training_curves
from neurodyn.visualize._lines import line_plot as line_plot
from neurodyn.visualize._raster import raster_plot as raster_plot

__all__ = ["raster_plot", "line_plot", "training_curves", "get_figure", "animate_1D", "animate_2D"]
