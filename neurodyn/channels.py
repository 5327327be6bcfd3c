"""``bp.channels``: ion channels for ``bp.dyn.CondNeuGroup`` (see :mod:`neurodyn.neurons._conductance`).

    >>> import neurodyn as bp
    >>> bp.channels.IL(3, E=-54.4, g_max=0.03).current(bp.math.zeros(3)).tolist()
    [-1.6319999694824219, -1.6319999694824219, -1.6319999694824219]
"""
from neurodyn.neurons._conductance import IK_HH1952, IL, INa_HH1952, GatedChannel, IonChannel

IonChaDyn = IonChannel

__all__ = ["IonChannel", "IonChaDyn", "GatedChannel", "INa_HH1952", "IK_HH1952", "IL"]
