"""``STDP_Song2000``: an align-post (or align-pre) projection whose weights follow pair-based
spike-timing-dependent plasticity (Song, Miller & Abbott, 2000, Nat. Neurosci. 3, 919-926).

Each step, before transmitting: every presynaptic spike depresses its weights by
``A2 * trace_post`` and every postsynaptic spike potentiates its weights by
``A1 * trace_pre``; the traces are exponential synapses (``tau_s``, ``tau_t``) of each side's
spikes; weights stay in ``[W_min, W_max]``.

    >>> import numpy as np, neurodyn as bp, neurodyn.math as bm
    >>> pre, post = bp.dyn.SpikeTimeGroup(1, [0], [1.]), bp.dyn.SpikeTimeGroup(1, [0], [2.])
    >>> proj = bp.dyn.STDP_Song2000(pre, None, bp.dyn.Expon.desc(1, tau=5.), bp.dnn.AllToAll(1, 1, np.ones((1, 1))),
    ...                             bp.dyn.CUBA.desc(), post, tau_s=20., tau_t=20., A1=0.1, A2=0.1)
    >>> for i in range(40):
    ...     _ = proj.step_run(i), pre.step_run(i), post.step_run(i)
    >>> w = float(proj.comm.weight[0, 0])      # pre 1 ms before post: potentiated by 0.1 e^{-1/20}
    >>> round(w, 4), round(1 + 0.1 * float(np.exp(-1.0 / 20.)), 4)
    (1.0951, 1.0951)
"""
from __future__ import annotations

from typing import Any

import jax
import jax.numpy as jnp

import neurodyn.math as bm
from neurodyn.core import DynamicalSystem, register_delay_by_return
from neurodyn.core._desc import Desc
from neurodyn.errors import describe
from neurodyn.synapses._align_pre import _DelayThenSyn, _value
from neurodyn.synapses._dynamics import Expon
from neurodyn.synapses._projections import (Projection, built, check_desc, check_post, delay_entry, hook_key,
                                            merged_post_syn, register_out, shared_part)

__all__ = ["STDP_Song2000"]


def _trace(group: Any, delay: Any, tau: Any, who: str) -> Any:
    """An exponential trace of ``group``'s (delayed) spikes, shared per (group, delay, tau)."""
    line = register_delay_by_return(group)
    desc = Expon.desc(group.num, tau=tau, mode=group.mode)     # batched like the group

    def make() -> _DelayThenSyn:
        entry = f"trace_{len(line._readers)}"
        line.register_entry(entry, delay)
        return _DelayThenSyn(line, entry, built(desc, Expon, "trace", who))

    return shared_part(group, ("trace", delay, desc.identifier), "trace", make, after=True).syn


class STDP_Song2000(Projection):
    """A plastic projection ``pre -> comm -> syn -> out -> post`` (BrainPy's signature).

    Args:
        pre, delay, syn (a ``.desc``), comm (a dense ``bp.dnn`` layer), out (a ``.desc``), post:
            as the align-post projections (``syn`` with ``add_current``) or align-pre ones.
        tau_s, tau_t: the pre and post trace time constants (ms). A1, A2: potentiation and
            depression amplitudes. W_max, W_min: bounds of the weights (None: unbounded).
    """

    def __init__(self, pre: Any, delay: Any, syn: Any, comm: Any, out: Any, post: Any, tau_s: Any = 16.8,
                 tau_t: Any = 33.7, A1: Any = 0.96, A2: Any = 0.53, W_max: Any = None, W_min: Any = None,
                 out_label: str | None = None, name: str | None = None, mode: bm.Mode | None = None):
        super().__init__(name=name, mode=mode)
        who = self.describe()
        if not hasattr(comm, "stdp_update"):
            raise TypeError(describe(who, "comm= a bp.dnn layer with plastic weights (AllToAll, MaskedLinear)",
                                     type(comm).__name__))
        comm.make_plastic()                  # the weights become state before any program is traced
        self.comm, self.pre, self.post = comm, pre, check_post(post, who)
        self.delay = delay_entry(self, pre, delay)
        self._align_post = hasattr(check_desc(syn, "syn", who).cls, "add_current")
        if self._align_post:
            merged = merged_post_syn(self, syn, out, post, out_label)
            self.syn, self.out = merged.syn, merged.out
        else:
            self.syn = self._pre_syn(pre, delay, syn, who)
            self.out = register_out(self, out, post, out_label)
        self.pre_trace = _trace(pre, delay, tau_s, who)
        self.post_trace = _trace(post, None, tau_t, who)
        self.A1, self.A2, self.W_max, self.W_min = A1, A2, W_max, W_min
        self.refs = {"pre": pre, "post": post, "syn": self.syn, "out": self.out, "comm": comm, "delay": self.delay}

    def _pre_syn(self, pre: Any, delay: Any, syn: Desc, who: str) -> Any:
        """Align pre: the synapse steps after ``pre`` on the delayed spikes."""
        line = self.delay
        entry = f"{self.name}_syn"
        line.register_entry(entry, delay)
        chain = _DelayThenSyn(line, entry, built(syn, DynamicalSystem, "syn", who))
        pre.add_aft_update(hook_key(pre, "stdp_syn"), chain)
        return chain.syn

    def update(self) -> jax.Array:
        pre_spike = self.delay.at(self.name)
        post_spike = self.post.spike.value
        w_min = None if self.W_min is None else jnp.asarray(self.W_min)
        w_max = None if self.W_max is None else jnp.asarray(self.W_max)
        self.comm.stdp_update(on_pre={"spike": pre_spike, "trace": -self.post_trace.g.value * self.A2},
                              w_min=w_min, w_max=w_max)
        self.comm.stdp_update(on_post={"spike": post_spike, "trace": self.pre_trace.g.value * self.A1},
                              w_min=w_min, w_max=w_max)
        if self._align_post:
            current = self.comm(pre_spike)
            self.syn.add_current(current)
        else:
            current = self.comm(_value(self.syn.return_info()))
            self.out.bind_cond(current)
        return current
