"""``bp.dyn``: BrainPy 2.4+'s namespace — populations, synapse dynamics, outputs and projections,
with the same classes as ``bp.layers``, ``bp.neurons`` and ``bp.synapses`` (names only, never
copies). BrainPy's model variants are options of one class: ``LifRef`` is ``LIF`` (``tau_ref``),
``LifRefLTC`` is ``LIF`` with ``ltc=True``."""
from neurodyn.core import DynamicalSystem, DynamicalSystemNS, Network, Sequential, VarDelay
from neurodyn.layers import (Dense, Dropout, GRUCell, LSTMCell, NVAR, Reservoir, RNNCell)
from neurodyn.neurons import (ALIF, HH, AdEx, AdExIF, ExpIF, InputGroup, Integrator, Izhikevich, Leaky,
                              LeakyIntegrator, LIF, PoissonGroup, InputVar)
from neurodyn.neurons._input import SpikeTimeGroup
from neurodyn.neurons._base import Dynamic, NeuGroup, with_defaults
from neurodyn.neurons._quadratic_if import AdQuaIF, QuaIF
from neurodyn.neurons._morris_lecar import MorrisLecar
from neurodyn.neurons._wang_buzsaki import WangBuzsakiHH
from neurodyn.neurons._gif import Gif
from neurodyn.neurons._conductance import CondNeuGroup, HHTypedNeuron, IonChannel
from neurodyn.channels import *  # noqa: F401,F403  (ions and channels)
from neurodyn.channels import __all__ as _channel_names
from neurodyn.neurons._rates import (FHN, QIF, FeedbackFHN, StuartLandauOscillator, ThresholdLinearModel,
                                     WilsonCowanModel)
from neurodyn.synapses import AdditiveCoupling, DelayCoupling, Delta, DiffusiveCoupling, DualExponential, Exponential
from neurodyn.synapses._dynamics import SynDyn, Expon, DualExpon, DualExponV2, Alpha, NMDA
from neurodyn.synapses._kinetic import AMPA, GABAa, BioNMDA, STD, STP
from neurodyn.synapses._projections import (FullProjAlignPost, FullProjAlignPostMg, FullProjDelta,
                                            HalfProjAlignPost, HalfProjAlignPostMg, HalfProjDelta, Projection,
                                            VanillaProj)
from neurodyn.synapses._align_pre import (FullProjAlignPreDS, FullProjAlignPreDSMg, FullProjAlignPreSD,
                                          FullProjAlignPreSDMg)
from neurodyn.synapses.synouts import COBA, CUBA, MgBlock, SynOut
from neurodyn.synapses._plasticity import STDP_Song2000
from neurodyn.synapses._base import TwoEndConn

Lif = LifRef = LIF          # refractoriness is the tau_ref option of the one LIF class
LifLTC = LifRefLTC = with_defaults(LIF, "LifRefLTC", ltc=True)
ExpIFRef = ExpIF
ExpIFLTC = ExpIFRefLTC = with_defaults(ExpIF, "ExpIFRefLTC", ltc=True)
AdExIFRef = AdExIF
AdExIFLTC = AdExIFRefLTC = with_defaults(AdExIF, "AdExIFRefLTC", ltc=True)
IzhikevichRef = Izhikevich
GifRef = Gif
GifLTC = GifRefLTC = with_defaults(Gif, "GifRefLTC", ltc=True)
MorrisLecarLTC = with_defaults(MorrisLecar, "MorrisLecarLTC", ltc=True)
WangBuzsakiHHLTC = with_defaults(WangBuzsakiHH, "WangBuzsakiHHLTC", ltc=True)
QuaIFRef = QuaIF
QuaIFLTC = QuaIFRefLTC = with_defaults(QuaIF, "QuaIFRefLTC", ltc=True)
AdQuaIFRef = AdQuaIF
AdQuaIFLTC = AdQuaIFRefLTC = with_defaults(AdQuaIF, "AdQuaIFRefLTC", ltc=True)
IzhikevichLTC = IzhikevichRefLTC = with_defaults(Izhikevich, "IzhikevichRefLTC", ltc=True)
NeuDyn = NeuGroup
CondNeuGroupLTC = with_defaults(CondNeuGroup, "CondNeuGroupLTC", ltc=True)
IonChaDyn = IonChannel
SynConn = TwoEndConn
ProjAlignPostMg1, ProjAlignPostMg2 = HalfProjAlignPostMg, FullProjAlignPostMg
ProjAlignPreMg1, ProjAlignPreMg2 = FullProjAlignPreDSMg, FullProjAlignPreSDMg
ProjAlignPost1, ProjAlignPost2 = HalfProjAlignPost, FullProjAlignPost

__all__ = ["DelayCoupling", "DiffusiveCoupling", "AdditiveCoupling", "DynamicalSystem", "DynamicalSystemNS", "Network", "Sequential", "VarDelay", "Dense", "Dropout",
           "RNNCell", "GRUCell", "LSTMCell", "NVAR", "Reservoir", "Dynamic", "NeuGroup", "NeuDyn", "SynDyn", "SynConn", "CondNeuGroup", "CondNeuGroupLTC", "IonChannel", "IonChaDyn", "HHTypedNeuron",
           *_channel_names, "TwoEndConn",
           "InputGroup", "PoissonGroup", "SpikeTimeGroup", "InputVar", "LIF", "Lif", "LifRef", "LifLTC", "LifRefLTC", "LeakyIntegrator",
           "Integrator", "Leaky", "FHN", "FeedbackFHN", "QIF", "StuartLandauOscillator", "WilsonCowanModel",
           "ThresholdLinearModel", "ALIF", "ExpIF", "ExpIFRef", "ExpIFLTC", "ExpIFRefLTC", "AdEx", "AdExIF", "AdExIFRef", "AdExIFLTC",
           "AdExIFRefLTC", "IzhikevichRef", "IzhikevichLTC", "IzhikevichRefLTC", "Gif", "GifRef", "GifLTC", "GifRefLTC", "MorrisLecar", "MorrisLecarLTC", "WangBuzsakiHH", "WangBuzsakiHHLTC", "QuaIF", "QuaIFRef", "QuaIFLTC",
           "QuaIFRefLTC", "AdQuaIF", "AdQuaIFRef", "AdQuaIFLTC", "AdQuaIFRefLTC", "Izhikevich", "HH", "Exponential",
           "DualExponential", "Delta", "Expon", "DualExpon", "DualExponV2", "Alpha", "NMDA", "AMPA", "GABAa",
           "BioNMDA", "STD", "STP", "SynOut", "CUBA", "COBA", "MgBlock", "Projection", "HalfProjAlignPost",
           "HalfProjAlignPostMg", "FullProjAlignPost", "FullProjAlignPostMg", "FullProjAlignPreSD",
           "FullProjAlignPreSDMg", "FullProjAlignPreDS", "FullProjAlignPreDSMg", "VanillaProj",
           "HalfProjDelta", "FullProjDelta", "STDP_Song2000", "ProjAlignPostMg1", "ProjAlignPostMg2", "ProjAlignPreMg1",
           "ProjAlignPreMg2", "ProjAlignPost1", "ProjAlignPost2"]
