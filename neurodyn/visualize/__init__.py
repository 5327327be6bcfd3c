"""Plotting (``bp.visualize``): raster plots, line plots, training curves.

Every function returns a ``matplotlib.figure.Figure`` built without pyplot (no global state,
no windows) and writes it to ``save=path`` when given.

    >>> import numpy as np
    >>> import neurodyn.visualize as vis
    >>> type(vis.line_plot(np.arange(3), np.arange(3.))).__name__
    'Figure'
"""
from neurodyn.visualize._curves import training_curves as training_curves
from neurodyn.visualize._lines import line_plot as line_plot
from neurodyn.visualize._raster import raster_plot as raster_plot

__all__ = ["raster_plot", "line_plot", "training_curves"]
