"""Leaky integrate-and-fire neurons.

.. math::

    \\tau \\frac{dV}{dt} = -(V - V_{rest}) + R I(t), \\qquad
    V \\ge V_{th} \\Rightarrow \\text{spike}, V \\leftarrow V_{reset},
    \\text{ held for } \\tau_{ref} \\text{ ms}.

With the default ``method='exp_auto'`` a step is exact for the current of that step:
``V <- V_inf + (V - V_inf) exp(-dt / tau)``, ``V_inf = V_rest + R I``.
Reference: Abbott, L. F. (1999). Lapicque's introduction of the integrate-and-fire model
neuron (1907). Brain Research Bulletin 50(5-6), 303-304.

    >>> import neurodyn as bp, neurodyn.math as bm
    >>> lif = bp.neurons.LIF(2, V_rest=0., V_reset=0., V_th=1., tau=10.)
    >>> spikes = bm.for_loop(lambda i: lif(2.), bm.arange(100))   # 10 ms at dt = 0.1 ms
    >>> int(spikes.sum(0)[0])   # period 10 ln 2 = 6.93 ms
    1
"""
from __future__ import annotations

from typing import Any, Sequence

import jax
import jax.numpy as jnp

import neurodyn.math as bm
from neurodyn.core import share
from neurodyn.errors import describe
from neurodyn.init import ZeroInit
from neurodyn.neurons._base import SpikingGroup, current_time
from neurodyn.math._integrate import check_method, ode_step

__all__ = ["LIF"]


class LIF(SpikingGroup):
    """Leaky integrate-and-fire neuron group (with an optional refractory period).

    Args:
        size: number of neurons (int) or shape (tuple).
        V_rest, V_reset, V_th: resting, reset and threshold potentials (mV).
        R: membrane resistance. tau: membrane time constant (ms).
        tau_ref: refractory period (ms); 0 disables it.
        V_initializer: initial ``V`` (Initializer, callable of the shape, or array).
        noise: standard deviation of additive white noise on ``V`` (per sqrt(ms)), or None.
        spike_fun, detach_spk, spk_reset: spiking in ``TrainingMode`` (see ``SpikingGroup``).
        method: ``'exp_auto'`` (exact for each step's current), ``'euler'``, ``'rk2'``, ``'rk4'``.
        ltc: evaluate the projections' input functions inside the derivative, at the ``V`` being
            integrated (BrainPy's ``*LTC`` models; with ``COBA`` the step is then exact for the
            conductance, a shorter effective ``tau``); default: at the step's starting ``V``.
        keep_size, name, mode, sharding: see ``NeuGroup``. ``ref_var``, ``spk_dtype``,
            ``init_var`` and ``scaling`` are accepted for BrainPy's signature: the refractory
            state is always recorded outside TrainingMode, spikes are bool (float when
            training), state is always initialised and no membrane scaling is applied.

    Variables: ``V``, ``input``, ``spike``, ``t_last_spike``, ``refractory`` (the last two not in
    TrainingMode with ``tau_ref=0``).
    """

    def __init__(self, size: int | Sequence[int], V_rest: Any = 0., V_reset: Any = -5., V_th: Any = 20.,
                 R: Any = 1., tau: Any = 10., tau_ref: Any = 0., V_initializer: Any = ZeroInit(),
                 noise: Any = None, spike_fun: Any = None, spk_fun: Any = None, detach_spk: bool = False,
                 spk_reset: str = "soft", method: str = "exp_auto", keep_size: bool = False,
                 name: str | None = None, mode: bm.Mode | None = None, ltc: bool = False,
                 sharding: Any = None, ref_var: bool = False, spk_dtype: Any = None, init_var: bool = True,
                 scaling: Any = None):
        super().__init__(size, tau_ref=tau_ref, spike_fun=spike_fun if spk_fun is None else spk_fun, detach_spk=detach_spk,
                         spk_reset=spk_reset, keep_size=keep_size, name=name, mode=mode)
        if scaling is not None:
            raise ValueError(describe(self.describe(), "scaling=None", repr(scaling),
                                      "membrane scaling is not provided; give potentials in mV"))
        self.ltc = bool(ltc)
        self.sharding = sharding
        self.V_rest = self._param(V_rest, "V_rest")
        self.V_reset = self._param(V_reset, "V_reset")
        self.V_th = self._param(V_th, "V_th")
        self.R = self._param(R, "R")
        self.tau = self._param(tau, "tau", positive=True)
        self.noise = self._param(noise, "noise", allow_none=True, non_negative=True)
        self.method = check_method(method, self.describe())
        self._V_initializer = V_initializer
        self.reset_state(self.mode.batch_size)

    def reset_state(self, batch_size: int | None = None) -> None:
        self._state("V", self._V_initializer, batch_size)
        self._state("input", self._zeros(), batch_size)
        self._reset_spiking(batch_size)

    def derivative(self, V: jax.Array, I: jax.Array) -> tuple[jax.Array]:
        """``dV/dt`` for the current ``I``."""
        return ((-V + self.V_rest + self.R * I) / self.tau,)

    def update(self, x: Any = None) -> jax.Array:
        """One step: integrate ``input + x``, hold refractory neurons, spike and reset."""
        dt, t = share.load("dt"), current_time()
        V_old = self.V.value
        inside = self.ltc and bool(self.__dict__.get("_current_inputs"))
        I = self._drive(x)
        if inside:       # the input functions see the V being integrated
            (V,) = ode_step(lambda v: self.derivative(v, I(v)), (V_old,), dt, self.method)
        elif self.method in ("exp_auto", "exp_euler"):
            V_inf = self.V_rest + self.R * I(V_old)
            V = V_inf + (V_old - V_inf) * jnp.exp(-dt / self.tau)
        else:
            (V,) = ode_step(lambda v: self.derivative(v, I(v)), (V_old,), dt, self.method)
        V = self._jump(V)
        V = self._add_noise(V, dt)
        V, refractory = self._hold(V, V_old, t)
        spike, V, fired = self._fire(V, self.V_th, self.V_reset)
        self.V.value = V
        self._record(spike, fired, refractory, t)
        return spike
