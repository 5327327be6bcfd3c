"""Projections (BrainPy 2.4+): ``comm`` (a ``bp.dnn`` layer from presynaptic activity to
postsynaptic input) -> ``syn`` (synapse dynamics) -> ``out`` (``CUBA``, ``COBA``, ``MgBlock``) ->
the postsynaptic group, which sums its outputs at its own potential (``sum_current_inputs(V)``).

*Align post* projections keep the synapse state on the post side (one value per postsynaptic
neuron: ``comm`` first, then ``syn``). The ``Mg`` forms share one synapse among all projections
onto the same group whose ``syn``/``out`` descriptions (and ``out_label``) are equal: each adds
its input to the shared synapse (``add_current``), which the group steps before its own update.
Projections are stepped before the neurons, so they read the presynaptic output of the previous
step; ``delay`` (ms) reads it later still (see :class:`~neurodyn.core.VarDelay`).

    >>> import neurodyn as bp, neurodyn.math as bm
    >>> pre, post = bp.neurons.InputGroup(3), bp.dyn.Lif(2)
    >>> proj = bp.dyn.HalfProjAlignPost(comm=bp.dnn.AllToAll(3, 2, 0.5), syn=bp.dyn.Expon.desc(2, tau=5.),
    ...                                 out=bp.dyn.CUBA(), post=post)
    >>> proj(bm.array([1., 1., 0.])).tolist(), post.sum_current_inputs(post.V.value).tolist()
    ([1.0, 1.0], [1.0, 1.0])
"""
from __future__ import annotations

import copy
from typing import Any

import jax

import neurodyn.math as bm
from neurodyn.core import DynamicalSystem, register_delay_by_return
from neurodyn.core._desc import Desc
from neurodyn.errors import describe
from neurodyn.synapses.synouts import SynOut

__all__ = ["Projection", "HalfProjAlignPost", "FullProjAlignPost", "HalfProjAlignPostMg",
           "FullProjAlignPostMg", "VanillaProj", "HalfProjDelta", "FullProjDelta", "built", "check_comm",
           "check_post", "check_desc", "delay_entry", "register_out", "shared_part", "hook_key"]


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

    def reset_state(self, *args: Any, **kwargs: Any) -> None:
        """A projection's state lives in its parts, reset with them."""


# -- the parts ------------------------------------------------------------------------------
def built(part: Any, kind: type, name: str, who: str) -> Any:
    """``part`` built from its ``.desc(...)`` if it is one, checked to be a ``kind``."""
    part = part() if isinstance(part, Desc) else part
    if not isinstance(part, kind):
        raise TypeError(describe(who, f"{name}= a {kind.__name__} (or its .desc(...))",
                                 f"{type(part).__name__} {part!r}"))
    return part


def check_comm(comm: Any, who: str) -> Any:
    if not callable(comm):
        raise TypeError(describe(who, "comm= a bp.dnn layer (callable)", type(comm).__name__))
    return comm


def check_post(post: Any, who: str) -> Any:
    if not isinstance(post, DynamicalSystem):
        raise TypeError(describe(who, "post= a neuron group (a DynamicalSystem)", f"{type(post).__name__}"))
    return post


def register_out(proj: DynamicalSystem, out: Any, post: Any, label: str | None, category: str = "current") -> Any:
    """Register ``out`` as an input function of ``post`` under the projection's name; returns it
    (a copy when this output object already feeds another projection)."""
    out = built(out, SynOut, "out", proj.describe())
    if getattr(out, "_registered", False):
        out = copy.copy(out)
    out._registered = True
    post.add_inp_fun(proj.name, out, label=label, category=category)
    return out


def delay_entry(proj: DynamicalSystem, pre: Any, delay: Any) -> Any:
    """Register the projection as a reader of ``pre``'s output delayed by ``delay`` ms."""
    if not isinstance(pre, DynamicalSystem):
        raise TypeError(describe(proj.describe(), "pre= a neuron group (a DynamicalSystem)",
                                 f"{type(pre).__name__}"))
    line = register_delay_by_return(pre)
    line.register_entry(proj.name, delay)
    return line


def attach_pre(proj: DynamicalSystem, pre: Any, delay: Any) -> None:
    """Make ``proj`` read ``pre``'s output ``delay`` ms late: ``proj.pre``, ``proj.delay``."""
    proj.pre, proj.delay = pre, delay_entry(proj, pre, delay)
    proj.refs.update(pre=pre, delay=proj.delay)


class _MergedSyn(DynamicalSystem):
    """The synapse shared by ``Mg`` projections, stepped by its group before the group's update."""

    def __init__(self, syn: DynamicalSystem, out: SynOut):
        super().__init__(mode=syn.mode)
        self.syn, self.out = syn, out

    def update(self) -> None:
        self.out.bind_cond(self.syn())

    def reset_state(self, *args: Any, **kwargs: Any) -> None:
        """The synapse is reset as a node of its own."""


def hook_key(owner: Any, prefix: str) -> str:
    """A new hook key on ``owner``: ``'<prefix><k>'``, numbered in construction order, so the
    state paths through it are the same in every build of the model."""
    taken = set(owner.before_updates) | set(owner.after_updates)
    return next(f"{prefix}{k}" for k in range(len(taken) + 1) if f"{prefix}{k}" not in taken)


def shared_part(owner: Any, identity: Any, prefix: str, make: Any, after: bool = False) -> Any:
    """The hook of ``owner`` for ``identity`` (run before, or ``after``, its update), made by
    ``make()`` on first use."""
    keys = owner.__dict__.setdefault("_merged_keys", {})
    identity = repr(identity)
    if identity not in keys:
        part = make()
        keys[identity] = hook_key(owner, prefix)
        (owner.add_aft_update if after else owner.add_bef_update)(keys[identity], part)
    return (owner.get_aft_update if after else owner.get_bef_update)(keys[identity])


def check_desc(part: Any, name: str, who: str) -> Desc:
    if not isinstance(part, Desc):
        fix = (f"write it as its .desc(...), e.g. bp.dyn.{type(part).__name__}.desc(...)" if "Mg" not in who else
               "the Mg projections build and share the part; use the projection without Mg to pass a built one")
        raise TypeError(describe(who, f"{name}= a description, e.g. bp.dyn.Expon.desc(n, tau=5.)",
                                 f"{type(part).__name__}", fix))
    return part


def merged_post_syn(proj: DynamicalSystem, syn: Any, out: Any, post: Any, label: str | None) -> _MergedSyn:
    """The synapse shared on ``post`` for these descriptions, created by the first projection."""
    who = proj.describe()
    check_desc(syn, "syn", who), check_desc(out, "out", who)

    def make() -> _MergedSyn:
        merged = _MergedSyn(built(syn, DynamicalSystem, "syn", who), register_out(proj, out, post, label))
        if not hasattr(merged.syn, "add_current"):
            raise TypeError(describe(who, "syn= a synapse that takes added input (add_current: Expon, "
                                     "DualExponV2)", type(merged.syn).__name__,
                                     "use an align-pre projection (FullProjAlignPreSDMg) for this synapse"))
        return merged

    return shared_part(post, (label, syn.identifier, out.identifier), "merged", make)


# -- align post -----------------------------------------------------------------------------
class HalfProjAlignPost(Projection):
    """``update(x)``: ``syn(comm(x))`` becomes ``post``'s input through ``out``; returns ``comm(x)``.

    Args:
        comm: a ``bp.dnn`` layer. syn: synapse dynamics of ``post``'s size (built or ``.desc``).
        out: a ``bp.dyn`` output (built or ``.desc``). post: the postsynaptic group.
        out_label: a label for the post's input (``sum_current_inputs(V, label=...)``).
    """

    def __init__(self, comm: Any, syn: Any, out: Any, post: Any, out_label: str | None = None,
                 name: str | None = None, mode: bm.Mode | None = None):
        super().__init__(name=name, mode=mode)
        who = self.describe()
        self.comm, self.post = check_comm(comm, who), check_post(post, who)
        self.syn = built(syn, DynamicalSystem, "syn", who)
        self.out = register_out(self, out, post, out_label)
        self.refs = {"post": post, "syn": self.syn, "out": self.out, "comm": comm}

    def update(self, x: Any) -> jax.Array:
        current = self.comm(x)
        self.out.bind_cond(self.syn(current))
        return current


class FullProjAlignPost(HalfProjAlignPost):
    """:class:`HalfProjAlignPost` driven by ``pre``'s output, ``delay`` ms late (None: none)."""

    def __init__(self, pre: Any, delay: Any, comm: Any, syn: Any, out: Any, post: Any,
                 out_label: str | None = None, name: str | None = None, mode: bm.Mode | None = None):
        super().__init__(comm, syn, out, post, out_label, name, mode)
        attach_pre(self, pre, delay)

    def update(self) -> jax.Array:
        g = self.syn(self.comm(self.delay.at(self.name)))
        self.out.bind_cond(g)
        return g


class HalfProjAlignPostMg(Projection):
    """``update(x)``: adds ``comm(x)`` to the synapse shared on ``post`` (see the module's note).

    Args: as :class:`HalfProjAlignPost`, with ``syn`` and ``out`` given as ``.desc(...)``.
    """

    def __init__(self, comm: Any, syn: Any, out: Any, post: Any, out_label: str | None = None,
                 name: str | None = None, mode: bm.Mode | None = None):
        super().__init__(name=name, mode=mode)
        who = self.describe()
        self.comm, self.post = check_comm(comm, who), check_post(post, who)
        merged = merged_post_syn(self, syn, out, post, out_label)
        self.refs = {"post": post, "syn": merged.syn, "out": merged.out, "comm": comm}

    syn = property(lambda self: self.refs["syn"])
    out = property(lambda self: self.refs["out"])

    def update(self, x: Any) -> jax.Array:
        current = self.comm(x)
        self.refs["syn"].add_current(current)
        return current


class FullProjAlignPostMg(HalfProjAlignPostMg):
    """:class:`HalfProjAlignPostMg` driven by ``pre``'s output, ``delay`` ms late (None: none)."""

    def __init__(self, pre: Any, delay: Any, comm: Any, syn: Any, out: Any, post: Any,
                 out_label: str | None = None, name: str | None = None, mode: bm.Mode | None = None):
        super().__init__(comm, syn, out, post, out_label, name, mode)
        attach_pre(self, pre, delay)

    def update(self) -> jax.Array:
        return super().update(self.delay.at(self.name))


# -- no synapse dynamics --------------------------------------------------------------------
class VanillaProj(Projection):
    """``update(x)``: ``comm(x)`` becomes ``post``'s input through ``out`` (no synapse dynamics)."""

    _category = "current"

    def __init__(self, comm: Any, out: Any, post: Any, name: str | None = None, mode: bm.Mode | None = None):
        super().__init__(name=name, mode=mode)
        who = self.describe()
        self.comm, self.post = check_comm(comm, who), check_post(post, who)
        self.out = register_out(self, out, post, None, category=self._category)
        self.refs = {"post": post, "out": self.out, "comm": comm}

    def update(self, x: Any) -> jax.Array:
        current = self.comm(x)
        self.out.bind_cond(current)
        return current


class _Jump(SynOut):
    """The bound value itself, added to the post's state directly (a delta input)."""

    uses_potential = False

    def update(self, conductance: jax.Array, potential: Any = None) -> jax.Array:
        return conductance


class HalfProjDelta(VanillaProj):
    """``update(x)``: ``comm(x)`` is added to ``post``'s potential this step (a delta synapse)."""

    _category = "delta"

    def __init__(self, comm: Any, post: Any, name: str | None = None, mode: bm.Mode | None = None):
        super().__init__(comm, _Jump(), post, name, mode)


class FullProjDelta(HalfProjDelta):
    """:class:`HalfProjDelta` driven by ``pre``'s output, ``delay`` ms late (None: none)."""

    def __init__(self, pre: Any, delay: Any, comm: Any, post: Any, name: str | None = None,
                 mode: bm.Mode | None = None):
        super().__init__(comm, post, name, mode)
        attach_pre(self, pre, delay)

    def update(self) -> jax.Array:
        return super().update(self.delay.at(self.name))
