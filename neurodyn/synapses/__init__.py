"""Synapses (``bp.synapses``): projections from a presynaptic to a postsynaptic neuron group.

``bp.synouts`` (CUBA, COBA, MgBlock) lives in :mod:`neurodyn.synapses.synouts`; the parts of
BrainPy 2.4+'s projection API (synapse dynamics, projections) are re-exported by ``bp.dyn``.

    >>> import neurodyn as bp
    >>> pre, post = bp.neurons.LIF(4), bp.neurons.LIF(3)
    >>> bp.synapses.Exponential(pre, post, bp.conn.All2All(), tau=5.).g.shape
    (3,)
"""
from neurodyn.synapses import synouts as synouts
from neurodyn.synapses._base import TwoEndConn as TwoEndConn
from neurodyn.synapses._exponential import Exponential as Exponential
from neurodyn.synapses._dual_exp import DualExponential as DualExponential
from neurodyn.synapses._dual_exp import Alpha as Alpha
from neurodyn.synapses._delta import Delta as Delta
from neurodyn.synapses._couplings import AdditiveCoupling, DelayCoupling, DiffusiveCoupling
from neurodyn.synapses._gap_junction import GapJunction
from neurodyn.synapses._kinetic_conn import AMPA, GABAa, NMDA, BioNMDA, AlignPreConn

__all__ = ["synouts", "TwoEndConn", "Exponential", "DualExponential", "Alpha", "Delta", "AMPA", "GABAa", "NMDA",
           "BioNMDA", "AlignPreConn", "GapJunction",
           "DelayCoupling", "DiffusiveCoupling", "AdditiveCoupling"]
