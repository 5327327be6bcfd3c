"""Synaptic outputs (``bp.synouts``, ``bp.dyn.CUBA/COBA/MgBlock``): how a conductance ``g`` becomes
a current at the postsynaptic potential ``V``: ``update(g, V)``.

Two ways to use one output class:

- **projections** (BrainPy 2.4+): a projection registers the output as an input function of its
  postsynaptic group and binds each step's conductance (``bind_cond(g)``); the group calls
  ``out(V)`` where its equation needs the current (at the integrated ``V`` for ``ltc`` neurons);
- **two-ended synapses** (``bp.synapses.Exponential(..., output=COBA(E=0.))``): the synapse
  *binds* the output to its postsynaptic group (``bind(post, who)``) and adds ``current(g)`` to
  the group's ``target_var`` (``'input'``) when it steps, before the neurons.

    >>> import neurodyn as bp, neurodyn.math as bm
    >>> out = bp.dyn.COBA(E=0.)
    >>> out.bind_cond(bm.array([1., 2.]))
    >>> out(bm.array([-60., -60.])).tolist()
    [60.0, 120.0]
"""
from __future__ import annotations

import copy
from typing import Any

import jax
import jax.numpy as jnp

import neurodyn.math as bm
from neurodyn.core._desc import Desc
from neurodyn.errors import describe

__all__ = ["SynOut", "CUBA", "COBA", "MgBlock"]


def _param(value: Any) -> jax.Array:
    return jnp.asarray(bm.unwrap(value), bm.get_float())


class SynOut(bm.BrainPyObject):
    """Base class of synaptic outputs: subclasses define ``update(conductance, potential)``.

    Args:
        target_var: for two-ended synapses, the postsynaptic Variable the current is added to
            (``'input'``; ``'V'`` for a direct voltage jump).
        membrane_var: the name of the postsynaptic membrane potential (``'V'``).
        name: a unique name. ``sharding``, ``scaling``: BrainPy's, accepted as None only.
    """

    uses_potential = True

    def __init__(self, target_var: str = "input", membrane_var: str = "V", name: str | None = None,
                 sharding: Any = None, scaling: Any = None):
        super().__init__(name)
        if not isinstance(target_var, str):
            raise TypeError(describe(self.describe(), "target_var to be the name of a postsynaptic "
                                     "Variable, e.g. 'input'", repr(target_var)))
        if scaling is not None:
            raise ValueError(describe(self.describe(), "scaling=None", repr(scaling),
                                      "membrane scaling is not provided; give potentials in mV"))
        self.target_var, self.membrane_var, self.sharding = target_var, membrane_var, sharding
        self.post: Any = None
        self._conductance: Any = None

    @classmethod
    def desc(cls, *args: Any, **kwargs: Any) -> Any:
        """BrainPy's lazy description of an output (``bp.dyn.COBA.desc(E=0.)``)."""
        return Desc(cls, args, kwargs)

    def update(self, conductance: jax.Array, potential: Any = None) -> jax.Array:
        """The current for ``conductance`` at ``potential``."""
        raise TypeError(f"{type(self).__name__} does not define update(conductance, potential)")

    # -- projections: bound conductance, called at the postsynaptic potential ------------------
    def bind_cond(self, conductance: Any) -> None:
        """Hold this step's conductance for the next ``out(V)``."""
        self._conductance = conductance

    def unbind_cond(self) -> None:
        self._conductance = None

    def __call__(self, *args: Any, **kwargs: Any) -> jax.Array:
        if self._conductance is None:
            raise ValueError(describe(self.describe(), "a conductance bound this step (bind_cond(g))",
                                      "none", "step the projection that owns this output before its "
                                      "postsynaptic group"))
        return self.update(self._conductance, *args, **kwargs)

    def reset_state(self, *args: Any, **kwargs: Any) -> None:
        """Outputs keep no state."""

    # -- two-ended synapses: bound to the postsynaptic group ------------------------------------
    def bind(self, post: Any, who: str) -> "SynOut":
        """A copy of this output attached to ``post`` (checks that its Variables exist there)."""
        target = getattr(post, self.target_var, None)
        if not isinstance(target, bm.Variable):
            raise ValueError(describe(who, f"a postsynaptic group with a Variable "
                                      f"{self.target_var!r} for {type(self).__name__}",
                                      f"{type(post).__name__} without it",
                                      "pick target_var= among the group's Variables"))
        if self.uses_potential and not isinstance(getattr(post, self.membrane_var, None), bm.Variable):
            raise ValueError(describe(who, f"a postsynaptic group with a membrane Variable "
                                      f"{self.membrane_var!r} for {type(self).__name__}",
                                      f"{type(post).__name__}"))
        bound = copy.copy(self)
        bound.post = post
        return bound

    def target(self) -> bm.Variable:
        """The postsynaptic Variable the current goes to."""
        return getattr(self.post, self.target_var)

    def current(self, g: jax.Array) -> jax.Array:
        """The current for ``g`` at the bound group's potential (shape of ``g``)."""
        if not self.uses_potential:
            return self.update(g)
        V = getattr(self.post, self.membrane_var).value
        return self.update(g, V.reshape(g.shape))

    def __repr__(self) -> str:
        return f"{type(self).__name__}(target_var={self.target_var!r})"


class CUBA(SynOut):
    """Current-based output: :math:`I_{syn} = g`.

    Args:
        target_var: the postsynaptic Variable the current is added to (default ``'input'``).
    """

    uses_potential = False

    def update(self, conductance: jax.Array, potential: Any = None) -> jax.Array:
        return conductance


class COBA(SynOut):
    """Conductance-based output: :math:`I_{syn} = g (E - V)`, ``V`` the postsynaptic membrane.

    Args:
        E: the reversal potential (mV): a scalar or one value per postsynaptic neuron.
        target_var, membrane_var, name: see :class:`SynOut`.
    """

    def __init__(self, E: Any = 0., target_var: str = "input", membrane_var: str = "V",
                 name: str | None = None, sharding: Any = None, scaling: Any = None):
        super().__init__(target_var, membrane_var, name, sharding, scaling)
        self.E = _param(E)

    def update(self, conductance: jax.Array, potential: Any = None) -> jax.Array:
        return conductance * (self.E - potential)

    def __repr__(self) -> str:
        E = self.E.tolist() if self.E.ndim == 0 else self.E
        return f"COBA(E={E!r}, target_var={self.target_var!r})"


class MgBlock(SynOut):
    """Conductance-based output with the voltage-dependent magnesium block of NMDA receptors:
    :math:`I = g (E - V) / (1 + [Mg]/\\beta \\, e^{\\alpha (V_{offset} - V)})` (Jahr & Stevens, 1990).

    Args:
        E: reversal potential (mV). cc_Mg: the Mg2+ concentration (mM).
        alpha (1/mV), beta (mM), V_offset (mV): the block's voltage dependence.
        target_var, membrane_var, name: see :class:`SynOut`.
    """

    def __init__(self, E: Any = 0., cc_Mg: Any = 1.2, alpha: Any = 0.062, beta: Any = 3.57,
                 V_offset: Any = 0., target_var: str = "input", membrane_var: str = "V",
                 name: str | None = None, sharding: Any = None, scaling: Any = None):
        super().__init__(target_var, membrane_var, name, sharding, scaling)
        self.E, self.cc_Mg, self.alpha = _param(E), _param(cc_Mg), _param(alpha)
        self.beta, self.V_offset = _param(beta), _param(V_offset)

    def update(self, conductance: jax.Array, potential: Any = None) -> jax.Array:
        block = 1. + self.cc_Mg / self.beta * jnp.exp(self.alpha * (self.V_offset - potential))
        return conductance * (self.E - potential) / block
