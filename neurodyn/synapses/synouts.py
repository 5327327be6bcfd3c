"""Synaptic outputs (``bp.synouts``): how a synapse's conductance ``g`` becomes a current.

``CUBA()`` passes ``g`` on as a current; ``COBA(E)`` drives the membrane towards the reversal
potential ``E``: ``I = g (E - V)``. A synapse *binds* its output to its postsynaptic group when
it is built (so one ``CUBA()`` object may be given to many synapses); the current is then added
to the group's ``target_var`` (``'input'`` by default).

    >>> import neurodyn as bp, neurodyn.math as bm
    >>> post = bp.neurons.LIF(2, V_initializer=bp.init.OneInit(-60.))
    >>> out = bp.synapses.synouts.COBA(E=0.).bind(post, "demo")
    >>> out(bm.array([1., 2.])).tolist()
    [60.0, 120.0]
"""
from __future__ import annotations

import copy
from typing import Any

import jax
import jax.numpy as jnp

import neurodyn.math as bm
from neurodyn.errors import describe
from neurodyn.init import parameter

__all__ = ["SynOut", "CUBA", "COBA"]


class SynOut:
    """Base class of synaptic outputs.

    Args:
        target_var: the name of the postsynaptic Variable the current is added to
            (``'input'``; ``'V'`` for a direct voltage jump).
    """

    def __init__(self, target_var: str = "input"):
        if not isinstance(target_var, str):
            raise TypeError(describe(type(self).__name__, "target_var to be the name of a "
                                     "postsynaptic Variable, e.g. 'input'", repr(target_var)))
        self.target_var = target_var
        self.post: Any = None

    @classmethod
    def desc(cls, *args: Any, **kwargs: Any) -> Any:
        """BrainPy's lazy description of an output (``bp.dyn.COBA.desc(E=0.)``)."""
        from neurodyn.synapses._dynamics import Desc
        return Desc(cls, args, kwargs)

    def bind(self, post: Any, who: str) -> "SynOut":
        """A copy of this output attached to ``post`` (checks that ``target_var`` exists there)."""
        target = getattr(post, self.target_var, None)
        if not isinstance(target, bm.Variable):
            raise ValueError(describe(who, f"a postsynaptic group with a Variable "
                                      f"{self.target_var!r} for {type(self).__name__}",
                                      f"{type(post).__name__} without it",
                                      "pick target_var= among the group's Variables"))
        bound = copy.copy(self)
        bound.post = post
        bound._check_post(who)
        return bound

    def _check_post(self, who: str) -> None:
        """Hook: further checks once ``self.post`` is set."""

    def target(self) -> bm.Variable:
        """The postsynaptic Variable the current goes to."""
        return getattr(self.post, self.target_var)

    def __call__(self, g: jax.Array) -> jax.Array:
        """The current for conductance ``g`` (shape ``(..., post.num)``)."""
        raise TypeError(f"{type(self).__name__} does not define __call__(g)")

    def __repr__(self) -> str:
        return f"{type(self).__name__}(target_var={self.target_var!r})"


class CUBA(SynOut):
    """Current-based output: :math:`I_{syn} = g`.

    Args:
        target_var: the postsynaptic Variable the current is added to (default ``'input'``).
    """

    def __call__(self, g: jax.Array) -> jax.Array:
        return g


class COBA(SynOut):
    """Conductance-based output: :math:`I_{syn} = g (E - V)`, ``V`` the postsynaptic membrane.

    Args:
        E: the reversal potential (mV): a scalar or one value per postsynaptic neuron.
        target_var: the postsynaptic Variable the current is added to (default ``'input'``).
        membrane_var: the name of the postsynaptic membrane potential (default ``'V'``).
    """

    def __init__(self, E: Any = 0., target_var: str = "input", membrane_var: str = "V"):
        super().__init__(target_var)
        self.E = E
        self.membrane_var = membrane_var

    def _check_post(self, who: str) -> None:
        if not isinstance(getattr(self.post, self.membrane_var, None), bm.Variable):
            raise ValueError(describe(who, f"a postsynaptic group with a membrane Variable "
                                      f"{self.membrane_var!r} for COBA", f"{type(self.post).__name__}"))
        E = parameter(self.E, (self.post.num,), allow_none=False, who=f"{who} COBA E")
        self.E = jnp.asarray(E, bm.get_float())

    def __call__(self, g: jax.Array) -> jax.Array:
        V = getattr(self.post, self.membrane_var).value
        return g * (self.E - V.reshape(g.shape))

    def __repr__(self) -> str:
        E = self.E.tolist() if isinstance(self.E, jax.Array) and self.E.ndim == 0 else self.E
        return f"COBA(E={E!r}, target_var={self.target_var!r})"
