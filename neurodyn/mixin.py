"""``bp.mixin``: BrainPy's marker classes, for models users write that name them as bases
(``class Exponen(bp.dyn.SynDyn, bp.mixin.AlignPost)``). neurodyn finds the capabilities they
mark by the methods a model has (``add_current``, ``return_info``, ``bind_cond``), so these
classes add nothing but the names.

    >>> import neurodyn as bp
    >>> class Syn(bp.dyn.SynDyn, bp.mixin.AlignPost):
    ...     pass
    >>> issubclass(Syn, bp.mixin.AlignPost)
    True
"""
from neurodyn.core._desc import Desc
from neurodyn.neurons._conductance import JointType

__all__ = ["MixIn", "ParamDesc", "ParamDescriber", "AlignPost", "BindCondData", "Container", "TreeNode",
           "SupportAutoDelay", "SupportReturnInfo", "SupportInputProj", "SupportOnline", "SupportOffline",
           "SupportSTDP", "JointType"]


class MixIn:
    """Base of the markers."""


class ParamDesc(MixIn):
    """Has ``.desc(...)`` (every neurodyn model does)."""


class AlignPost(MixIn):
    """A synapse whose input can be added (``add_current``), for merged align-post projections."""


class BindCondData(MixIn):
    """An output that holds a bound conductance (``bind_cond``)."""


class Container(MixIn):
    """Holds children."""


class TreeNode(MixIn):
    """A node of a model tree."""


class SupportReturnInfo(MixIn):
    """Says what a delay should record of it (``return_info()``)."""


class SupportAutoDelay(SupportReturnInfo):
    """Can be delayed by projections."""


class SupportInputProj(MixIn):
    """Receives input functions (every neurodyn system does)."""


class SupportOnline(MixIn):
    """Trainable by an online algorithm."""


class SupportOffline(MixIn):
    """Trainable by an offline algorithm."""


class SupportSTDP(MixIn):
    """Has weights that spike-timing-dependent plasticity updates."""


ParamDescriber = Desc
