"""``bp.synplast``: short-term plasticity for the two-ended synapses (``stp=`` of
``bp.synapses.AMPA`` and friends). Each returns the description of the ``bp.dyn`` model
(``STD``, ``STP``) that the synapse builds for its presynaptic group; the synapse's spikes are
scaled by the model's efficacy after each update.

    >>> import neurodyn as bp
    >>> pre, post = bp.neurons.InputGroup(3), bp.neurons.LIF(2)
    >>> syn = bp.synapses.AMPA(pre, post, bp.conn.All2All(), stp=bp.synplast.STD(tau=700., U=0.07))
    >>> type(syn.stp).__name__, syn.stp.x.shape
    ('STD', (3,))
"""
from typing import Any

from neurodyn.core._desc import Desc
from neurodyn.synapses._kinetic import STD as _STD
from neurodyn.synapses._kinetic import STP as _STP

__all__ = ["STD", "STP"]


def STD(tau: Any = 200., U: Any = 0.07, method: str = "exp_auto", name: str | None = None) -> Desc:
    """Short-term depression (``bp.dyn.STD``) with recovery ``tau`` (ms) and use ``U``."""
    return Desc(_STD, (), dict(tau=tau, U=U, method=method, name=name))


def STP(U: Any = 0.15, tau_f: Any = 1500., tau_d: Any = 200., method: str = "exp_auto",
        name: str | None = None) -> Desc:
    """Short-term facilitation and depression (``bp.dyn.STP``)."""
    return Desc(_STP, (), dict(U=U, tau_f=tau_f, tau_d=tau_d, method=method, name=name))
