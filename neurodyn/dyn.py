"""``bp.dyn``: the newer BrainPy namespace — the same classes as ``bp.layers``, ``bp.neurons``
and ``bp.synapses`` under one roof (names only, never copies), with BrainPy 2.4+'s synapse
dynamics (``Expon``), outputs (``CUBA``, ``COBA``) and align-post projections."""
from neurodyn.core import DynamicalSystem, DynamicalSystemNS, Network, Sequential
from neurodyn.layers import (Dense, Dropout, GRUCell, LSTMCell, NVAR, Reservoir, RNNCell)
from neurodyn.neurons import (ALIF, HH, AdEx, ExpIF, InputGroup, Integrator, Izhikevich, Leaky,
                              LeakyIntegrator, LIF, PoissonGroup)
from neurodyn.neurons._rates import (FHN, QIF, FeedbackFHN, StuartLandauOscillator, ThresholdLinearModel,
                                     WilsonCowanModel)
from neurodyn.synapses import Alpha, Delta, DualExponential, Exponential
from neurodyn.synapses._dynamics import Expon
from neurodyn.synapses._projections import (FullProjAlignPost, FullProjAlignPostMg, HalfProjAlignPost,
                                            HalfProjAlignPostMg, Projection)
from neurodyn.synapses.synouts import COBA, CUBA

Lif = LIF
LifRef = LIF          # refractoriness is the tau_ref option of the one LIF class

__all__ = ["DynamicalSystem", "DynamicalSystemNS", "Network", "Sequential", "Dense", "Dropout",
           "RNNCell", "GRUCell", "LSTMCell", "NVAR", "Reservoir", "InputGroup", "LIF", "Lif",
           "LifRef", "LeakyIntegrator", "Integrator", "Leaky", "FHN", "FeedbackFHN", "QIF",
           "StuartLandauOscillator", "WilsonCowanModel", "ThresholdLinearModel", "ALIF", "ExpIF", "AdEx",
           "Izhikevich", "HH", "Exponential", "Expon", "Alpha", "DualExponential", "Delta", "CUBA",
           "COBA", "PoissonGroup", "Projection", "HalfProjAlignPost", "HalfProjAlignPostMg", "FullProjAlignPost",
           "FullProjAlignPostMg"]
