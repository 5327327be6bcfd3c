"""Neuron groups (``bp.neurons``): spiking and non-spiking point-neuron models.

    >>> import neurodyn as bp
    >>> bp.neurons.LIF(4, tau_ref=2.).V.shape
    (4,)
"""
from neurodyn.neurons._base import NeuGroup as NeuGroup
from neurodyn.neurons._base import SpikingGroup as SpikingGroup
from neurodyn.neurons._input import InputGroup as InputGroup
from neurodyn.neurons._input import PoissonGroup as PoissonGroup
from neurodyn.neurons._input import SpikeTimeGroupTimesFirst as SpikeTimeGroup
from neurodyn.neurons._input import InputVar as InputVar
from neurodyn.neurons._lif import LIF as LIF
from neurodyn.neurons._leaky_integrator import LeakyIntegrator as LeakyIntegrator
from neurodyn.neurons._leaky_integrator import Integrator as Integrator
from neurodyn.neurons._leaky_integrator import Leaky as Leaky
from neurodyn.neurons._alif import ALIF as ALIF
from neurodyn.neurons._exp_if import ExpIF as ExpIF
from neurodyn.neurons._exp_if import AdExIF as AdExIF
from neurodyn.neurons._exp_if import AdEx as AdEx
from neurodyn.neurons._izhikevich import Izhikevich as Izhikevich
from neurodyn.neurons._fhn_neuron import FHN as FHN
from neurodyn.neurons._fractional import FractionalFHR, FractionalIzhikevich, FractionalNeuron
from neurodyn.neurons._hh import HH as HH
from neurodyn.neurons._quadratic_if import QuaIF as QuaIF
from neurodyn.neurons._morris_lecar import MorrisLecar as MorrisLecar
from neurodyn.neurons._wang_buzsaki import WangBuzsakiHH as WangBuzsakiHH
from neurodyn.neurons._quadratic_if import AdQuaIF as AdQuaIF
from neurodyn.neurons._conductance import CondNeuGroup as CondNeuGroup
from neurodyn.neurons._gif import Gif as Gif

GIF = Gif    # BrainPy's old-API name

__all__ = ["NeuGroup", "SpikingGroup", "InputGroup", "PoissonGroup", "SpikeTimeGroup", "InputVar", "LIF", "LeakyIntegrator", "Integrator", "Leaky", "ALIF", "ExpIF",
           "AdExIF", "AdEx", "Izhikevich", "FHN", "FractionalFHR", "FractionalIzhikevich", "FractionalNeuron", "HH", "CondNeuGroup", "QuaIF", "AdQuaIF", "MorrisLecar", "WangBuzsakiHH", "Gif", "GIF"]
