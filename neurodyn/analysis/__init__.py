"""``bp.analysis``: phase planes and bifurcations of low-dimensional models (BrainPy's names).

    >>> import neurodyn as bp
    >>> sorted(n for n in bp.analysis.__all__ if n[0].isupper() and n[-1] == "D")
    ['Bifurcation1D', 'Bifurcation2D', 'FastSlow1D', 'FastSlow2D', 'PhasePlane1D', 'PhasePlane2D']
"""
from neurodyn.analysis import constants, plotstyle, stability
from neurodyn.analysis import constants as C
from neurodyn.analysis._bifurcation import Bifurcation1D, Bifurcation2D, FastSlow1D, FastSlow2D
from neurodyn.analysis._field import VectorField
from neurodyn.analysis._lowdim import LowDimAnalyzer
from neurodyn.analysis._phase_plane import PhasePlane1D, PhasePlane2D
from neurodyn.analysis._slow_points import SlowPointFinder

__all__ = ["PhasePlane1D", "PhasePlane2D", "SlowPointFinder", "Bifurcation1D", "Bifurcation2D", "FastSlow1D", "FastSlow2D",
           "LowDimAnalyzer", "VectorField", "stability", "plotstyle", "constants", "C"]
