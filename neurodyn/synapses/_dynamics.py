"""Synapse dynamics on their own (BrainPy 2.4+'s ``bp.dyn.Expon``, ``DualExpon``, ...): the state of
a synapse population, which a projection places on the post side (align post: ``Expon``,
``DualExponV2``, whose input can be added, ``add_current``) or on the pre side (align pre).

Each step integrates the ODE with the model's ``method`` (``'exp_auto'``: exponential Euler,
each variable linearised in itself, as BrainPy does) and then adds this step's input.
``exp_decay`` is the one implementation of the exponential decay step: the two-ended
``bp.synapses.Exponential`` and ``Expon`` both use it.

    >>> import neurodyn as bp, neurodyn.math as bm
    >>> syn = bp.dyn.Expon(2, tau=5.)
    >>> [round(float(syn(x)[0]), 4) for x in (bm.ones(2), bm.zeros(2))]   # 1, then e^-0.02
    [1.0, 0.9802]
"""
from __future__ import annotations

from typing import Any, Callable, Sequence

import jax
import jax.numpy as jnp

import neurodyn.math as bm
from neurodyn.core import share
from neurodyn.core._desc import Desc
from neurodyn.errors import describe
from neurodyn.math._integrate import check_method, ode_step
from neurodyn.neurons._base import Dynamic

__all__ = ["Desc", "SynDyn", "exp_decay", "Expon", "DualExpon", "DualExponV2", "Alpha", "NMDA"]


def exp_decay(g: jax.Array, tau: Any, dt: Any, method: str) -> jax.Array:
    """``g`` one step of ``dg/dt = -g / tau`` later (exact for ``'exp_auto'``)."""
    if method in ("exp_auto", "exp_euler"):
        return g * jnp.exp(-dt / tau)
    (g,) = ode_step(lambda x: (-x / tau,), (g,), dt, method)
    return g


class SynDyn(Dynamic):
    """Base of synapse dynamics (BrainPy's ``bp.dyn.SynDyn``): a sized population of synaptic
    state. Subclasses create their Variables in ``reset_state`` and advance them in ``update``.

    Args:
        size, keep_size, sharding, method, name, mode: see ``Dynamic``.
    """

    supported_modes = (bm.NonBatchingMode, bm.BatchingMode)

    def __init__(self, size: int | Sequence[int], keep_size: bool = False, sharding: Any = None,
                 method: str = "exp_auto", name: str | None = None, mode: bm.Mode | None = None):
        super().__init__(size, keep_size=keep_size, name=name, mode=mode, sharding=sharding, method=method)

    def _float(self, value: Any, name: str, positive: bool = True) -> jax.Array:
        p = jnp.asarray(bm.unwrap(self.init_param(value)), bm.get_float())
        if positive and not bool(jnp.all(p > 0)):
            raise ValueError(describe(self.describe(), f"{name} > 0", repr(value)))
        return p

    def _states(self, batch_or_mode: Any, **inits: Any) -> None:
        """Create (or refill) the named state Variables: ``name=fill value``."""
        if batch_or_mode is None and self.mode.batching:
            batch_or_mode = self.mode.batch_size
        elif isinstance(batch_or_mode, bm.Mode):
            batch_or_mode = batch_or_mode.batch_size if batch_or_mode.batching else None
        shape = self.get_batch_shape(batch_or_mode)
        for attr, fill in inits.items():
            value = bm.filled(shape, fill, bm.get_float())
            old = self.__dict__.get(attr)
            if isinstance(old, bm.Variable):
                old.value = value
            else:
                setattr(self, attr, bm.Variable(value, batch_axis=None if batch_or_mode is None else 0))

    def _step(self, f: Callable, *states: jax.Array) -> tuple:
        return ode_step(f, states, share.load("dt"), self.method)

    def _input(self, x: Any, like: jax.Array) -> jax.Array:
        x = bm.unwrap(x)
        return jnp.reshape(x, like.shape[-1:] if like.ndim == 1 else like.shape) if jnp.ndim(x) else x

    def return_info(self) -> bm.Variable:
        """What a delay records of this synapse: its conductance ``g``."""
        return self.g


class Expon(SynDyn):
    """Exponential synapse: ``dg/dt = -g / tau``; each step decays ``g`` and adds the input.

    Args:
        size, keep_size, sharding, method, name, mode: see ``SynDyn``.
        tau: the decay time constant (ms), a scalar or one per synapse.
    """

    def __init__(self, size: int | Sequence[int], keep_size: bool = False, sharding: Any = None,
                 method: str = "exp_auto", name: str | None = None, mode: bm.Mode | None = None,
                 tau: Any = 8.0):
        super().__init__(size, keep_size, sharding, method, name, mode)
        self.tau = self._float(tau, "tau")
        self.method = check_method(method, self.describe())
        self.reset_state(self.mode)

    def reset_state(self, batch_or_mode: Any = None, **kwargs: Any) -> None:
        self._states(batch_or_mode, g=0.)

    def update(self, x: Any = None) -> jax.Array:
        self.g.value = exp_decay(self.g.value, self.tau, share.load("dt"), self.method)
        if x is not None:
            self.add_current(x)
        return self.g.value

    def add_current(self, x: Any) -> None:
        """Add ``x`` to ``g`` (an align-post projection's input of this step)."""
        self.g.value = self.g.value + self._input(x, self.g.value)


def _dual_exp_peak(tau_rise: jax.Array, tau_decay: jax.Array, who: str) -> jax.Array:
    """The factor that makes the dual-exponential kernel's peak 1."""
    if bool(jnp.any(tau_rise == tau_decay)):
        raise ValueError(describe(who, "tau_rise != tau_decay for the peak normalisation", "equal values",
                                  "use bp.dyn.Alpha for one time constant, or give A="))
    return tau_decay / (tau_decay - tau_rise) * (tau_rise / tau_decay) ** (tau_rise / (tau_rise - tau_decay))


class DualExpon(SynDyn):
    """Dual-exponential synapse: ``dh/dt = -h / tau_rise``, ``dg/dt = -g / tau_decay + h``; each
    spike adds ``a`` to ``h``, with ``a`` from ``A`` (the kernel's peak; default 1).

    Args:
        tau_decay, tau_rise: time constants (ms). A: the peak of a single spike's ``g``
            (default: normalised to 1).
    """

    def __init__(self, size: int | Sequence[int], keep_size: bool = False, sharding: Any = None,
                 method: str = "exp_auto", name: str | None = None, mode: bm.Mode | None = None,
                 tau_decay: Any = 10.0, tau_rise: Any = 1.0, A: Any = None):
        super().__init__(size, keep_size, sharding, method, name, mode)
        self.tau_rise, self.tau_decay = self._float(tau_rise, "tau_rise"), self._float(tau_decay, "tau_decay")
        self.method = check_method(method, self.describe())
        if A is None:
            A = _dual_exp_peak(self.tau_rise, self.tau_decay, self.describe())
        # the spike increment of h that gives a peak of A
        self.a = (self.tau_decay - self.tau_rise) / self.tau_rise / self.tau_decay * self._float(A, "A", False)
        self.reset_state(self.mode)

    def reset_state(self, batch_or_mode: Any = None, **kwargs: Any) -> None:
        self._states(batch_or_mode, h=0., g=0.)

    def update(self, x: Any = None) -> jax.Array:
        g, h = self._step(lambda g, h: (-g / self.tau_decay + h, -h / self.tau_rise), self.g.value, self.h.value)
        self.g.value = g
        self.h.value = h if x is None else h + self.a * self._input(x, h)
        return self.g.value


class DualExponV2(SynDyn):
    """Dual-exponential synapse as a difference of two decays, ``g = a (g_decay - g_rise)``; its
    input adds to both (``add_current``), so align-post projections can merge it.

    Args:
        tau_decay, tau_rise: time constants (ms). A: the peak factor (default: peak 1).
    """

    def __init__(self, size: int | Sequence[int], keep_size: bool = False, sharding: Any = None,
                 method: str = "exp_auto", name: str | None = None, mode: bm.Mode | None = None,
                 tau_decay: Any = 10.0, tau_rise: Any = 1.0, A: Any = None):
        super().__init__(size, keep_size, sharding, method, name, mode)
        self.tau_rise, self.tau_decay = self._float(tau_rise, "tau_rise"), self._float(tau_decay, "tau_decay")
        self.method = check_method(method, self.describe())
        self.a = (_dual_exp_peak(self.tau_rise, self.tau_decay, self.describe()) if A is None
                  else self._float(A, "A", False))
        self.reset_state(self.mode)

    def reset_state(self, batch_or_mode: Any = None, **kwargs: Any) -> None:
        self._states(batch_or_mode, g_rise=0., g_decay=0.)

    def update(self, x: Any = None) -> jax.Array:
        dt = share.load("dt")
        self.g_rise.value = exp_decay(self.g_rise.value, self.tau_rise, dt, self.method)
        self.g_decay.value = exp_decay(self.g_decay.value, self.tau_decay, dt, self.method)
        if x is not None:
            self.add_current(x)
        return self.a * (self.g_decay.value - self.g_rise.value)

    def add_current(self, x: Any) -> None:
        x = self._input(x, self.g_rise.value)
        self.g_rise.value = self.g_rise.value + x
        self.g_decay.value = self.g_decay.value + x

    def return_info(self) -> Callable:
        return lambda: self.a * (self.g_decay.value - self.g_rise.value)


class Alpha(SynDyn):
    """Alpha synapse: ``dh/dt = -h / tau_decay``, ``dg/dt = (h - g) / tau_decay``; spikes add to ``h``.

    Args:
        tau_decay: the time constant (ms).
    """

    def __init__(self, size: int | Sequence[int], keep_size: bool = False, sharding: Any = None,
                 method: str = "exp_auto", name: str | None = None, mode: bm.Mode | None = None,
                 tau_decay: Any = 10.0):
        super().__init__(size, keep_size, sharding, method, name, mode)
        self.tau_decay = self._float(tau_decay, "tau_decay")
        self.method = check_method(method, self.describe())
        self.reset_state(self.mode)

    def reset_state(self, batch_or_mode: Any = None, **kwargs: Any) -> None:
        self._states(batch_or_mode, h=0., g=0.)

    def update(self, x: Any = None) -> jax.Array:
        tau = self.tau_decay
        g, h = self._step(lambda g, h: ((h - g) / tau, -h / tau), self.g.value, self.h.value)
        self.g.value = g
        self.h.value = h if x is None else h + self._input(x, h)
        return self.g.value


class NMDA(SynDyn):
    """NMDA receptor kinetics: ``dg/dt = -g / tau_decay + a x (1 - g)``, ``dx/dt = -x / tau_rise``;
    spikes add to ``x``. Pair it with ``bp.dyn.MgBlock`` for the magnesium block.

    Args:
        a: the binding rate (1/ms). tau_decay, tau_rise: time constants (ms).
    """

    def __init__(self, size: int | Sequence[int], keep_size: bool = False, sharding: Any = None,
                 method: str = "exp_auto", name: str | None = None, mode: bm.Mode | None = None,
                 a: Any = 0.5, tau_decay: Any = 100., tau_rise: Any = 2.):
        super().__init__(size, keep_size, sharding, method, name, mode)
        self.a = self._float(a, "a")
        self.tau_decay, self.tau_rise = self._float(tau_decay, "tau_decay"), self._float(tau_rise, "tau_rise")
        self.method = check_method(method, self.describe())
        self.reset_state(self.mode)

    def reset_state(self, batch_or_mode: Any = None, **kwargs: Any) -> None:
        self._states(batch_or_mode, g=0., x=0.)

    def update(self, pre_spike: Any = None) -> jax.Array:
        g, x = self._step(lambda g, x: (-g / self.tau_decay + self.a * x * (1 - g), -x / self.tau_rise),
                          self.g.value, self.x.value)
        self.g.value = g
        self.x.value = x if pre_spike is None else x + self._input(pre_spike, x)
        return self.g.value
