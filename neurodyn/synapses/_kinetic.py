"""Kinetic receptor models and short-term plasticity (``bp.dyn.AMPA``, ``GABAa``, ``BioNMDA``,
``STD``, ``STP``): synapse dynamics driven by presynaptic spikes, for align-pre projections.

A spike releases transmitter of concentration ``T`` for ``T_dur`` ms; the open fraction ``g``
follows ``dg/dt = alpha T (1 - g) - beta g`` (Destexhe, Mainen & Sejnowski, 1994). Short-term
depression/facilitation follow Tsodyks & Markram (1997).

    >>> import neurodyn as bp, neurodyn.math as bm
    >>> ampa = bp.dyn.AMPA(1)
    >>> g = [float(ampa(bm.array([i == 0]))[0]) for i in range(3)]
    >>> g[0] > 0 and g[1] > g[0]     # rises while transmitter is present
    True
"""
from __future__ import annotations

from typing import Any, Callable, Sequence

import jax
import jax.numpy as jnp

import neurodyn.math as bm
from neurodyn.neurons._base import current_time
from neurodyn.math._integrate import check_method
from neurodyn.synapses._dynamics import SynDyn

__all__ = ["AMPA", "GABAa", "BioNMDA", "STD", "STP"]


class _Transmitter(SynDyn):
    """A spike-triggered transmitter pulse: ``T`` while ``t - t_spike < T_dur``."""

    def _pulse(self, pre_spike: Any) -> jax.Array:
        t = current_time()
        arrived = jnp.asarray(self._input(pre_spike, self.spike_arrival_time.value), bool)
        self.spike_arrival_time.value = jnp.where(arrived, t, self.spike_arrival_time.value)
        return ((t - self.spike_arrival_time.value) < self.T_duration) * self.T


class AMPA(_Transmitter):
    """AMPA receptor: ``dg/dt = alpha T (1 - g) - beta g`` with a transmitter pulse per spike.

    Args:
        alpha (1/(mM ms)), beta (1/ms): opening and closing rates. T (mM), T_dur (ms): the
            transmitter pulse.
    """

    def __init__(self, size: int | Sequence[int], keep_size: bool = False, sharding: Any = None,
                 method: str = "exp_auto", name: str | None = None, mode: bm.Mode | None = None,
                 alpha: Any = 0.98, beta: Any = 0.18, T: Any = 0.5, T_dur: Any = 0.5):
        super().__init__(size, keep_size, sharding, method, name, mode)
        self.alpha, self.beta = self._float(alpha, "alpha"), self._float(beta, "beta")
        self.T, self.T_duration = self._float(T, "T", False), self._float(T_dur, "T_dur", False)
        self.method = check_method(method, self.describe())
        self.reset_state(self.mode)

    def reset_state(self, batch_or_mode: Any = None, **kwargs: Any) -> None:
        self._states(batch_or_mode, g=0., spike_arrival_time=-1e7)

    def update(self, pre_spike: Any) -> jax.Array:
        TT = self._pulse(pre_spike)
        (self.g.value,) = self._step(lambda g: (self.alpha * TT * (1 - g) - self.beta * g,), self.g.value)
        return self.g.value


class GABAa(AMPA):
    """GABA_A receptor: :class:`AMPA`'s kinetics with ``alpha=0.53, beta=0.18, T=1, T_dur=1``."""

    def __init__(self, size: int | Sequence[int], keep_size: bool = False, sharding: Any = None,
                 method: str = "exp_auto", name: str | None = None, mode: bm.Mode | None = None,
                 alpha: Any = 0.53, beta: Any = 0.18, T: Any = 1.0, T_dur: Any = 1.0):
        super().__init__(size, keep_size, sharding, method, name, mode, alpha, beta, T, T_dur)


class BioNMDA(_Transmitter):
    """Second-order NMDA kinetics: ``dg/dt = alpha1 x (1 - g) - beta1 g``,
    ``dx/dt = alpha2 T (1 - x) - beta2 x`` with a transmitter pulse per spike.
    """

    def __init__(self, size: int | Sequence[int], keep_size: bool = False, sharding: Any = None,
                 method: str = "exp_auto", name: str | None = None, mode: bm.Mode | None = None,
                 alpha1: Any = 2., beta1: Any = 0.01, alpha2: Any = 1., beta2: Any = 0.5, T: Any = 1.,
                 T_dur: Any = 0.5):
        super().__init__(size, keep_size, sharding, method, name, mode)
        self.alpha1, self.beta1 = self._float(alpha1, "alpha1"), self._float(beta1, "beta1")
        self.alpha2, self.beta2 = self._float(alpha2, "alpha2"), self._float(beta2, "beta2")
        self.T, self.T_duration = self._float(T, "T", False), self._float(T_dur, "T_dur", False)
        self.method = check_method(method, self.describe())
        self.reset_state(self.mode)

    def reset_state(self, batch_or_mode: Any = None, **kwargs: Any) -> None:
        self._states(batch_or_mode, g=0., x=0., spike_arrival_time=-1e7)

    def update(self, pre_spike: Any) -> jax.Array:
        T = self._pulse(pre_spike)
        self.g.value, self.x.value = self._step(
            lambda g, x: (self.alpha1 * x * (1 - g) - self.beta1 * g, self.alpha2 * T * (1 - x) - self.beta2 * x),
            self.g.value, self.x.value)
        return self.g.value


class STD(SynDyn):
    """Short-term depression: resources ``x`` recover, ``dx/dt = (1 - x) / tau``, and each spike
    uses a fraction ``U`` of them; returns ``x``.
    """

    def __init__(self, size: int | Sequence[int], keep_size: bool = False, sharding: Any = None,
                 method: str = "exp_auto", name: str | None = None, mode: bm.Mode | None = None,
                 tau: Any = 200., U: Any = 0.07):
        super().__init__(size, keep_size, sharding, method, name, mode)
        self.tau, self.U = self._float(tau, "tau"), self._float(U, "U", False)
        self.method = check_method(method, self.describe())
        self.reset_state(self.mode)

    def reset_state(self, batch_or_mode: Any = None, **kwargs: Any) -> None:
        self._states(batch_or_mode, x=1.)

    def update(self, pre_spike: Any) -> jax.Array:
        (x,) = self._step(lambda x: ((1 - x) / self.tau,), self.x.value)
        self.x.value = x - self._input(pre_spike, x) * self.U * self.x.value
        return self.x.value

    def return_info(self) -> bm.Variable:
        return self.x


class STP(SynDyn):
    """Short-term plasticity (Tsodyks-Markram): utilisation ``u`` decays to 0 (``tau_f``), resources
    ``x`` recover to 1 (``tau_d``); a spike raises ``u`` by ``U (1 - u)`` then uses ``u x``.
    Returns the efficacy ``u x``.
    """

    def __init__(self, size: int | Sequence[int], keep_size: bool = False, sharding: Any = None,
                 method: str = "exp_auto", name: str | None = None, mode: bm.Mode | None = None,
                 U: Any = 0.15, tau_f: Any = 1500., tau_d: Any = 200.):
        super().__init__(size, keep_size, sharding, method, name, mode)
        self.U = self._float(U, "U", False)
        self.tau_f, self.tau_d = self._float(tau_f, "tau_f"), self._float(tau_d, "tau_d")
        self.method = check_method(method, self.describe())
        self.reset_state(self.mode)

    def reset_state(self, batch_or_mode: Any = None, **kwargs: Any) -> None:
        self._states(batch_or_mode, x=1., u=0.)
        self.u.value = self.u.value + self.U

    def update(self, pre_spike: Any) -> jax.Array:
        u, x = self._step(lambda u, x: (-u / self.tau_f, (1 - x) / self.tau_d), self.u.value, self.x.value)
        s = self._input(pre_spike, u)
        u = u + s * self.U * (1 - u)
        x = x - s * u * x
        self.u.value, self.x.value = u, x
        return u * x

    def return_info(self) -> Callable:
        return lambda: self.u.value * self.x.value
