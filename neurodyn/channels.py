"""``bp.channels``: ion channels and ions for ``bp.dyn.CondNeuGroup`` (see
:mod:`neurodyn.neurons._conductance`, :mod:`neurodyn.neurons._ions`, :mod:`neurodyn.neurons._channels`).

    >>> import neurodyn as bp
    >>> bp.channels.IL(3, E=-54.4, g_max=0.03).current(bp.math.zeros(3)).tolist()
    [-1.6319999694824219, -1.6319999694824219, -1.6319999694824219]
"""
from neurodyn.neurons._conductance import GatedChannel, IonChannel
from neurodyn.neurons._channels import *  # noqa: F401,F403  (the channel classes)
from neurodyn.neurons._channels import __all__ as _channel_names
from neurodyn.neurons._ions import *  # noqa: F401,F403  (the ions)
from neurodyn.neurons._ions import __all__ as _ion_names

IonChaDyn = IonChannel
CalciumFixed, PotassiumFixed, SodiumFixed = Calcium, Potassium, Sodium  # noqa: F405

__all__ = ["IonChannel", "IonChaDyn", "GatedChannel", "CalciumFixed", "PotassiumFixed", "SodiumFixed",
           *_channel_names, *_ion_names]
