"""BrainPy's older two-ended kinetic synapses (``bp.synapses.AMPA``, ``GABAa``, ``NMDA``,
``BioNMDA``): the align-pre composition of the new parts. The receptor dynamics (``bp.dyn.AMPA``,
...) run on the presynaptic side, one state per presynaptic neuron, on the (delayed) spikes,
optionally scaled by short-term plasticity (``stp=bp.synplast.STD(...)``); the connectivity and
weights map them to the postsynaptic conductance; the output makes the current.

    >>> import neurodyn as bp, neurodyn.math as bm
    >>> pre, post = bp.neurons.InputGroup(2), bp.neurons.LIF(1, V_initializer=bp.init.OneInit(-65.))
    >>> syn = bp.synapses.AMPA(pre, post, bp.conn.All2All(), g_max=1.)
    >>> current = syn(bm.array([1., 1.]))     # g = 2 x one AMPA step after a spike, at E - V = 65
    >>> round(float(current[0]) / 65., 5) == round(2 * float(syn.syn.g[0]), 5)
    True
"""
from __future__ import annotations

from typing import Any

import jax

import neurodyn.math as bm
from neurodyn.core._desc import Desc
from neurodyn.errors import describe
from neurodyn.synapses._base import WeightedConn
from neurodyn.synapses._kinetic import AMPA as AMPADyn
from neurodyn.synapses._kinetic import BioNMDA as BioNMDADyn
from neurodyn.synapses._kinetic import GABAa as GABAaDyn
from neurodyn.synapses._dynamics import NMDA as NMDADyn
from neurodyn.synapses.synouts import COBA, MgBlock, SynOut

__all__ = ["AlignPreConn", "AMPA", "GABAa", "NMDA", "BioNMDA"]


class AlignPreConn(WeightedConn):
    """A two-ended synapse whose dynamics ``syn`` (a ``.desc`` of presynaptic size) run on the
    presynaptic side; ``update(pre_spike=None)`` returns the current delivered to ``post``.

    Args:
        syn: the synapse dynamics description, built here for ``pre.num``.
        stp: short-term plasticity (``bp.synplast.STD(...)``/``STP(...)``): the spikes are scaled by
            its efficacy after its update. Others: see ``WeightedConn``.
    """

    def __init__(self, pre: Any, post: Any, conn: Any, syn: Desc, output: SynOut | None = None, stp: Any = None,
                 comp_method: str | None = "dense", g_max: Any = 1., delay_step: int | None = None,
                 stop_spike_gradient: bool = False, name: str | None = None, mode: bm.Mode | None = None):
        super().__init__(pre, post, conn, output=output, g_max=g_max, delay_step=delay_step,
                         comp_method=comp_method, stop_spike_gradient=stop_spike_gradient, name=name, mode=mode)
        self.syn = syn(size=pre.num, mode=self.mode)
        if stp is not None and not isinstance(stp, Desc):
            raise TypeError(describe(self.describe(), "stp= bp.synplast.STD(...) or STP(...)", repr(stp)))
        self.stp = None if stp is None else stp(size=pre.num, mode=self.mode)
        self.reset_state(self.mode.batch_size)

    def reset_state(self, batch_size: int | None = None) -> None:
        self._reset_delay(batch_size)

    def update(self, pre_spike: Any = None) -> jax.Array:
        s = self._pre_spike(pre_spike).astype(bm.get_float())
        if self.stp is not None:
            s = s * self.stp(s)
        return self._deliver(self._propagate(self.syn(s), events=False))


class AMPA(AlignPreConn):
    """AMPA receptor synapse (``bp.dyn.AMPA`` kinetics; BrainPy's defaults ``g_max=0.42``, COBA E=0)."""

    def __init__(self, pre: Any, post: Any, conn: Any, output: SynOut | None = None, stp: Any = None,
                 comp_method: str = "dense", g_max: Any = 0.42, delay_step: int | None = None, alpha: Any = 0.98,
                 beta: Any = 0.18, T: Any = 0.5, T_duration: Any = 0.5, method: str = "exp_auto",
                 name: str | None = None, mode: bm.Mode | None = None, stop_spike_gradient: bool = False):
        syn = Desc(AMPADyn, (), dict(alpha=alpha, beta=beta, T=T, T_dur=T_duration, method=method))
        super().__init__(pre, post, conn, syn, COBA(E=0.) if output is None else output, stp, comp_method,
                         g_max, delay_step, stop_spike_gradient, name, mode)


class GABAa(AlignPreConn):
    """GABA_A receptor synapse (BrainPy's defaults ``g_max=0.04``, COBA E=-80)."""

    def __init__(self, pre: Any, post: Any, conn: Any, output: SynOut | None = None, stp: Any = None,
                 comp_method: str = "dense", g_max: Any = 0.04, delay_step: int | None = None, alpha: Any = 0.53,
                 beta: Any = 0.18, T: Any = 1.0, T_duration: Any = 1.0, method: str = "exp_auto",
                 name: str | None = None, mode: bm.Mode | None = None, stop_spike_gradient: bool = False):
        syn = Desc(GABAaDyn, (), dict(alpha=alpha, beta=beta, T=T, T_dur=T_duration, method=method))
        super().__init__(pre, post, conn, syn, COBA(E=-80.) if output is None else output, stp, comp_method,
                         g_max, delay_step, stop_spike_gradient, name, mode)


class NMDA(AlignPreConn):
    """NMDA receptor synapse (``bp.dyn.NMDA`` kinetics, ``MgBlock`` output; ``g_max=0.15``)."""

    def __init__(self, pre: Any, post: Any, conn: Any, output: SynOut | None = None, stp: Any = None,
                 comp_method: str = "dense", g_max: Any = 0.15, delay_step: int | None = None,
                 tau_decay: Any = 100., a: Any = 0.5, tau_rise: Any = 2., method: str = "exp_auto",
                 name: str | None = None, mode: bm.Mode | None = None, stop_spike_gradient: bool = False):
        syn = Desc(NMDADyn, (), dict(a=a, tau_decay=tau_decay, tau_rise=tau_rise, method=method))
        out = MgBlock(E=0., alpha=0.062, beta=3.57, cc_Mg=1.2) if output is None else output
        super().__init__(pre, post, conn, syn, out, stp, comp_method, g_max, delay_step, stop_spike_gradient,
                         name, mode)


class BioNMDA(AlignPreConn):
    """Second-order NMDA receptor synapse (``bp.dyn.BioNMDA`` kinetics, ``MgBlock`` output)."""

    def __init__(self, pre: Any, post: Any, conn: Any, output: SynOut | None = None, stp: Any = None,
                 comp_method: str = "dense", g_max: Any = 0.15, delay_step: int | None = None, alpha1: Any = 2.,
                 beta1: Any = 0.01, alpha2: Any = 1., beta2: Any = 0.5, T_0: Any = 1., T_dur: Any = 0.5,
                 method: str = "exp_auto", mode: bm.Mode | None = None, name: str | None = None,
                 stop_spike_gradient: bool = False):
        syn = Desc(BioNMDADyn, (), dict(alpha1=alpha1, beta1=beta1, alpha2=alpha2, beta2=beta2, T=T_0,
                                        T_dur=T_dur, method=method))
        out = MgBlock(E=0.) if output is None else output
        super().__init__(pre, post, conn, syn, out, stp, comp_method, g_max, delay_step, stop_spike_gradient,
                         name, mode)
