"""Projections (BrainPy 2.4+): ``comm`` (a ``bp.dnn`` layer from presynaptic activity to
postsynaptic input) -> ``syn`` (synapse dynamics, here on the post side) -> ``out`` (``CUBA``,
``COBA``) -> the postsynaptic group's ``input``.

``syn`` and ``out`` may be given built or as ``.desc(...)`` descriptions. The ``Mg`` variants
merge, in BrainPy, the synapses of projections with equal descriptions onto one post-side
state; for these linear synapses the merged and separate forms give the same numbers, and here
each projection keeps its own state (merging is a memory/speed optimisation still to come).

    >>> import neurodyn as bp, neurodyn.math as bm
    >>> pre, post = bp.neurons.InputGroup(3), bp.neurons.LeakyIntegrator(2)
    >>> proj = bp.dyn.HalfProjAlignPost(comm=bp.dnn.AllToAll(3, 2, 0.5), syn=bp.dyn.Expon.desc(2, tau=5.),
    ...                                 out=bp.dyn.CUBA(), post=post)
    >>> proj(bm.array([1., 1., 0.])).tolist()       # the current added to post.input
    [1.0, 1.0]
"""
from __future__ import annotations

from typing import Any

import jax

import neurodyn.math as bm
from neurodyn.core import DynamicalSystem
from neurodyn.errors import describe
from neurodyn.synapses._dynamics import Desc
from neurodyn.synapses.synouts import SynOut

__all__ = ["Projection", "HalfProjAlignPost", "FullProjAlignPost", "HalfProjAlignPostMg",
           "FullProjAlignPostMg"]


class Projection(DynamicalSystem):
    """Base of projections: stepped before the neurons in a ``Network`` (``update_order = 0``).
    Its default ``update`` steps the projections it holds (a user's class wrapping one)."""

    update_order = 0

    def update(self, *args: Any, **kwargs: Any) -> None:
        children = {id(c): c for c in self._children().values() if isinstance(c, Projection)}
        if not children:
            raise TypeError(describe(self.describe(), "an update() of its own, or projections as "
                                     "attributes to step", "neither"))
        for child in children.values():
            child(*args, **kwargs)


def _built(part: Any, kind: type, name: str, who: str) -> Any:
    part = part() if isinstance(part, Desc) else part
    if not isinstance(part, kind):
        raise TypeError(describe(who, f"{name}= a {kind.__name__} (or its .desc(...))",
                                 f"{type(part).__name__} {part!r}"))
    return part


class HalfProjAlignPost(Projection):
    """``update(x)``: ``post.input += out(syn(comm(x)))`` for presynaptic activity ``x``."""

    def __init__(self, comm: Any, syn: Any, out: Any, post: Any, out_label: str | None = None,
                 name: str | None = None, mode: bm.Mode | None = None):
        super().__init__(name=name, mode=mode)
        who = self.describe()
        if not callable(comm):
            raise TypeError(describe(who, "comm= a bp.dnn layer (callable)", type(comm).__name__))
        self.comm, self.post = comm, post
        self.syn = _built(syn, DynamicalSystem, "syn", who)
        self.out = _built(out, SynOut, "out", who).bind(post, who)

    def update(self, x: Any) -> jax.Array:
        current = self.out(self.syn(self.comm(x)))
        target = self.out.target()
        target.value = target.value + current.reshape(target.shape).astype(target.dtype)
        return current


class FullProjAlignPost(HalfProjAlignPost):
    """:class:`HalfProjAlignPost` driven by the presynaptic group's spikes (``pre.spike`` of the
    previous step, as the projection is stepped before the neurons); ``delay`` None or 0."""

    def __init__(self, pre: Any, delay: Any, comm: Any, syn: Any, out: Any, post: Any,
                 out_label: str | None = None, name: str | None = None, mode: bm.Mode | None = None):
        super().__init__(comm, syn, out, post, out_label, name, mode)
        if delay not in (None, 0, 0.):
            raise ValueError(describe(self.describe(), "delay=None or 0", repr(delay),
                                      "transmission delays are available on the two-ended synapses "
                                      "(bp.synapses.Exponential(..., delay_step=k)) for now"))
        self.pre = pre

    def update(self) -> jax.Array:
        return super().update(self.pre.spike.value)


HalfProjAlignPostMg = HalfProjAlignPost    # equal numbers; see the module's note on merging
FullProjAlignPostMg = FullProjAlignPost
