"""Align-pre projections (BrainPy 2.4+): the synapse state lives on the presynaptic side, one
value per presynaptic neuron, and ``comm`` maps it to the postsynaptic input each step. Any
synapse dynamics works here (``AMPA``, ``NMDA``, ``STP``, ...), not only those whose input adds.

- ``FullProjAlignPreSD`` (synapse, then delay): ``pre``'s spikes step ``syn`` right after ``pre``
  updates; the synapse's output is delayed; ``comm`` maps the delayed output.
- ``FullProjAlignPreDS`` (delay, then synapse): ``pre``'s spikes are delayed, then step ``syn``.

The ``Mg`` forms share one synapse (and one delay line) among projections from the same ``pre``
with equal ``syn`` descriptions (and, for ``DS``, equal delays).

    >>> import neurodyn as bp, neurodyn.math as bm
    >>> pre, post = bp.neurons.InputGroup(2), bp.dyn.Lif(1)
    >>> proj = bp.dyn.FullProjAlignPreSDMg(pre=pre, syn=bp.dyn.Expon.desc(2, tau=5.), delay=None,
    ...                                    comm=bp.dnn.AllToAll(2, 1, 1.), out=bp.dyn.CUBA(), post=post)
    >>> _ = pre(bm.array([1., 1.]))            # the synapse steps after pre: g = [1, 1]
    >>> proj().tolist()                         # the next step, comm sums them
    [2.0]
"""
from __future__ import annotations

from typing import Any

import jax

import neurodyn.math as bm
from neurodyn.core import DynamicalSystem, VarDelay, register_delay_by_return
from neurodyn.core._delay import return_variable
from neurodyn.synapses._projections import (Projection, built, check_comm, check_desc, check_post,
                                            delay_entry, hook_key, register_out, shared_part)

__all__ = ["FullProjAlignPreSD", "FullProjAlignPreSDMg", "FullProjAlignPreDS", "FullProjAlignPreDSMg"]


def _value(info: Any) -> jax.Array:
    return info.value if isinstance(info, bm.Variable) else info()


class _SynThenDelay(DynamicalSystem):
    """After ``pre`` updates: step ``syn`` with ``pre``'s output, then record it in ``delay``."""

    def __init__(self, pre: Any, syn: DynamicalSystem):
        super().__init__(mode=syn.mode)
        self.pre, self.syn = pre, syn
        target, owned = return_variable(syn, syn.describe())
        self.delay = VarDelay(target, mode=syn.mode, owns_target=owned)

    def update(self, spike: Any = None) -> None:
        spike = self.pre.spike.value if spike is None else spike
        self.delay.update(self.syn(spike))

    def reset_state(self, *args: Any, **kwargs: Any) -> None:
        """The synapse and the delay are reset as nodes of their own."""


class _DelayThenSyn(DynamicalSystem):
    """After ``pre``'s delay records: step ``syn`` with one delay entry's spikes."""

    def __init__(self, line: VarDelay, entry: str, syn: DynamicalSystem):
        super().__init__(mode=syn.mode)
        self.line, self.entry, self.syn = line, entry, syn

    def update(self, _: Any = None) -> None:
        self.syn(self.line.at(self.entry))

    def reset_state(self, *args: Any, **kwargs: Any) -> None:
        """The synapse is reset as a node of its own."""


class FullProjAlignPreSDMg(Projection):
    """Align pre, synapse then delay, the synapse shared per (``pre``, ``syn`` description).

    Args:
        pre: the presynaptic group. syn: synapse dynamics of ``pre``'s size, as ``.desc(...)``.
        delay: delay of the synapse's output (ms, None: none). comm: a ``bp.dnn`` layer.
        out: a ``bp.dyn`` output. post: the postsynaptic group. out_label: see align post.
    """

    def __init__(self, pre: Any, syn: Any, delay: Any, comm: Any, out: Any, post: Any,
                 out_label: str | None = None, name: str | None = None, mode: bm.Mode | None = None):
        super().__init__(name=name, mode=mode)
        who = self.describe()
        self.comm, self.pre, self.post = check_comm(comm, who), pre, check_post(post, who)
        chain = shared_part(pre, ("syn_then_delay", check_desc(syn, "syn", who).identifier), "syn_then_delay",
                            lambda: _SynThenDelay(pre, built(syn, DynamicalSystem, "syn", who)), after=True)
        self._init_parts(chain, delay, out, post, out_label)

    def _init_parts(self, chain: _SynThenDelay, delay: Any, out: Any, post: Any, label: str | None) -> None:
        self.syn, self.delay = chain.syn, chain.delay
        self.delay.register_entry(self.name, delay)
        self.out = register_out(self, out, post, label)
        self.refs = {"pre": self.pre, "post": post, "syn": self.syn, "delay": self.delay, "out": self.out,
                     "comm": self.comm}

    def update(self, x: Any = None) -> jax.Array:
        current = self.comm(self.delay.at(self.name) if x is None else x)
        self.out.bind_cond(current)
        return current


class FullProjAlignPreSD(FullProjAlignPreSDMg):
    """Align pre, synapse then delay, with a synapse of this projection's own (built or ``.desc``)."""

    def __init__(self, pre: Any, syn: Any, delay: Any, comm: Any, out: Any, post: Any,
                 out_label: str | None = None, name: str | None = None, mode: bm.Mode | None = None):
        Projection.__init__(self, name=name, mode=mode)
        who = self.describe()
        self.comm, self.pre, self.post = check_comm(comm, who), pre, check_post(post, who)
        chain = _SynThenDelay(pre, built(syn, DynamicalSystem, "syn", who))
        pre.add_aft_update(hook_key(pre, "syn_then_delay"), chain)
        self._init_parts(chain, delay, out, post, out_label)


class FullProjAlignPreDSMg(Projection):
    """Align pre, delay then synapse, the synapse shared per (``pre``, ``delay``, ``syn``).

    Args:
        pre, delay, syn (a ``.desc``), comm, out, post, out_label: see :class:`FullProjAlignPreSDMg`.
    """

    def __init__(self, pre: Any, delay: Any, syn: Any, comm: Any, out: Any, post: Any,
                 out_label: str | None = None, name: str | None = None, mode: bm.Mode | None = None):
        super().__init__(name=name, mode=mode)
        who = self.describe()
        self.comm, self.pre, self.post = check_comm(comm, who), pre, check_post(post, who)
        line = register_delay_by_return(pre)     # recorded first, so the synapse reads this step's

        def make() -> _DelayThenSyn:
            entry = f"{self.name}_shared"
            line.register_entry(entry, delay)
            return _DelayThenSyn(line, entry, built(syn, DynamicalSystem, "syn", who))

        chain = shared_part(pre, ("delay_then_syn", delay, check_desc(syn, "syn", who).identifier),
                            "delay_then_syn", make, after=True)
        self.syn = chain.syn
        self.out = register_out(self, out, post, out_label)
        self.refs = {"pre": pre, "post": post, "syn": self.syn, "out": self.out, "comm": comm}

    def update(self) -> jax.Array:
        current = self.comm(_value(self.syn.return_info()))
        self.out.bind_cond(current)
        return current


class FullProjAlignPreDS(Projection):
    """Align pre, delay then synapse, with a synapse of this projection's own; the synapse steps
    inside the projection on the delayed spikes."""

    def __init__(self, pre: Any, delay: Any, syn: Any, comm: Any, out: Any, post: Any,
                 out_label: str | None = None, name: str | None = None, mode: bm.Mode | None = None):
        super().__init__(name=name, mode=mode)
        who = self.describe()
        self.comm, self.pre, self.post = check_comm(comm, who), pre, check_post(post, who)
        self.syn = built(syn, DynamicalSystem, "syn", who)
        self.delay = delay_entry(self, pre, delay)
        self.out = register_out(self, out, post, out_label)
        self.refs = {"pre": pre, "post": post, "syn": self.syn, "delay": self.delay, "out": self.out,
                     "comm": comm}

    def update(self) -> jax.Array:
        g = self.comm(self.syn(self.delay.at(self.name)))
        self.out.bind_cond(g)
        return g
