"""Adaptive leaky integrate-and-fire neurons (an adaptive threshold; Bellec et al. 2020).

.. math::

    \\tau \\frac{dV}{dt} = -(V - V_{rest}) + R I(t), \\qquad
    \\tau_a \\frac{da}{dt} = -a, \\qquad A = V_{th} + \\beta a,

    V \\ge A \\Rightarrow \\text{spike}, V \\leftarrow V_{reset}, a \\leftarrow a + 1.

Each spike raises the threshold ``A`` by ``beta``; the raise decays with ``tau_a``, which
gives spike-frequency adaptation. Steps are exact for the step's current (``'exp_auto'``).
Reference: Bellec, G. et al. (2020). A solution to the learning dilemma for recurrent
networks of spiking neurons. Nature Communications 11, 3625.

    >>> import neurodyn as bp, neurodyn.math as bm
    >>> n = bp.neurons.ALIF(1, tau_a=200., beta=0.5)
    >>> sp = bm.for_loop(lambda i: n(2.), bm.arange(2000))
    >>> isi = bm.diff(bm.where(sp[:, 0])[0])
    >>> bool(isi[-1] > isi[0])   # the inter-spike interval grows
    True
"""
from __future__ import annotations

from typing import Any, Sequence

import jax
import jax.numpy as jnp

import neurodyn.math as bm
from neurodyn.core import share
from neurodyn.init import ZeroInit
from neurodyn.neurons._base import SpikingGroup, current_time
from neurodyn.math._integrate import check_method, ode_step

__all__ = ["ALIF"]


class ALIF(SpikingGroup):
    """LIF with an adaptive threshold ``V_th + beta * a``.

    Args:
        size: number of neurons (int) or shape (tuple).
        V_rest, V_reset, V_th: resting, reset and baseline threshold potentials.
        R: resistance. tau: membrane time constant (ms).
        tau_a: time constant of the threshold adaptation ``a`` (ms). beta: adaptation strength.
        tau_ref: refractory period (ms).
        V_initializer, a_initializer: initial ``V`` and ``a``.
        noise, spike_fun, detach_spk, spk_reset, method, keep_size, name, mode: as in ``LIF``;
        in ``TrainingMode`` the soft reset subtracts ``A - V_reset``.

    Variables: ``V``, ``a``, ``input``, ``spike``, ``t_last_spike``, ``refractory``
    (the last two not in TrainingMode with ``tau_ref=0``).
    """

    def __init__(self, size: int | Sequence[int], V_rest: Any = 0., V_reset: Any = 0., V_th: Any = 1.,
                 R: Any = 1., tau: Any = 20., tau_a: Any = 2000., beta: Any = 1.6, tau_ref: Any = 0.,
                 V_initializer: Any = ZeroInit(), a_initializer: Any = ZeroInit(), noise: Any = None,
                 spike_fun: Any = None, spk_fun: Any = None, detach_spk: bool = False, spk_reset: str = "soft",
                 method: str = "exp_auto", keep_size: bool = False, name: str | None = None,
                 mode: bm.Mode | None = None):
        super().__init__(size, tau_ref=tau_ref, spike_fun=spike_fun if spk_fun is None else spk_fun, detach_spk=detach_spk,
                         spk_reset=spk_reset, keep_size=keep_size, name=name, mode=mode)
        self.V_rest = self._param(V_rest, "V_rest")
        self.V_reset = self._param(V_reset, "V_reset")
        self.V_th = self._param(V_th, "V_th")
        self.R = self._param(R, "R")
        self.tau = self._param(tau, "tau", positive=True)
        self.tau_a = self._param(tau_a, "tau_a", positive=True)
        self.beta = self._param(beta, "beta")
        self.noise = self._param(noise, "noise", allow_none=True, non_negative=True)
        self.method = check_method(method, self.describe())
        self._V_initializer, self._a_initializer = V_initializer, a_initializer
        self.reset_state(self.mode.batch_size)

    def reset_state(self, batch_size: int | None = None) -> None:
        self._state("V", self._V_initializer, batch_size)
        self._state("a", self._a_initializer, batch_size)
        self._state("input", self._zeros(), batch_size)
        self._reset_spiking(batch_size)

    def derivative(self, V: jax.Array, a: jax.Array, I: jax.Array) -> tuple[jax.Array, jax.Array]:
        """``(dV/dt, da/dt)`` for the current ``I``."""
        return (-V + self.V_rest + self.R * I) / self.tau, -a / self.tau_a

    def update(self, x: Any = None) -> jax.Array:
        """One step: integrate, hold refractory neurons, spike against ``V_th + beta a``, adapt."""
        dt, t = share.load("dt"), current_time()
        I = self._current(x)
        V_old, a_old = self.V.value, self.a.value
        if self.method in ("exp_auto", "exp_euler"):
            V_inf = self.V_rest + self.R * I
            V = V_inf + (V_old - V_inf) * jnp.exp(-dt / self.tau)
            a = a_old * jnp.exp(-dt / self.tau_a)
        else:
            V, a = ode_step(lambda v, b: self.derivative(v, b, I), (V_old, a_old), dt, self.method)
        V = self._add_noise(V, dt)
        V, refractory = self._hold(V, V_old, t)
        spike, V, fired = self._fire(V, self.V_th + self.beta * a_old, self.V_reset)
        self.V.value = V
        self.a.value = a + (spike if self.training else fired.astype(bm.get_float()))
        self._record(spike, fired, refractory, t)
        return spike
