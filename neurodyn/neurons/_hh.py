"""The Hodgkin-Huxley model of the squid giant axon (sodium, potassium and leak currents).

.. math::

    C \\frac{dV}{dt} = -\\bar g_{Na} m^3 h (V - E_{Na}) - \\bar g_K n^4 (V - E_K)
                       - g_L (V - E_L) + I(t),
    \\qquad \\frac{dx}{dt} = \\alpha_x(V)(1 - x) - \\beta_x(V) x, \\; x \\in \\{m, h, n\\},

with the rate functions of the modern convention (rest near -65 mV, in ms and mV):
``alpha_m = 0.1 (V + 40) / (1 - exp(-(V + 40) / 10))``, ``beta_m = 4 exp(-(V + 65) / 18)``,
``alpha_h = 0.07 exp(-(V + 65) / 20)``, ``beta_h = 1 / (1 + exp(-(V + 35) / 10))``,
``alpha_n = 0.01 (V + 55) / (1 - exp(-(V + 55) / 10))``, ``beta_n = 0.125 exp(-(V + 65) / 80)``.
Units: uF/cm^2, mS/cm^2, uA/cm^2. A spike is an upward crossing of ``V_th``. The default
``method='exp_auto'`` is exponential Euler (each gate is exact at fixed ``V``). The leak
conductance default is BrainPy's ``gL = 0.03`` (its code and its documentation; Hodgkin and
Huxley's own value is 0.3: pass ``gL=0.3`` for it).
Reference: Hodgkin, A. L. & Huxley, A. F. (1952). J. Physiol. 117(4), 500-544.

    >>> import neurodyn as bp, neurodyn.math as bm
    >>> hh = bp.neurons.HH(1)
    >>> sp = bm.for_loop(lambda i: hh(10.), bm.arange(2000))   # 200 ms at 10 uA/cm^2
    >>> 11 <= int(sp.sum()) <= 15    # about 68 Hz
    True
"""
from __future__ import annotations

from typing import Any, Sequence

import jax
import jax.numpy as jnp

import neurodyn.math as bm
from neurodyn.core import share
from neurodyn.init import OneInit
from neurodyn.neurons._base import NeuGroup, spike_function
from neurodyn.math._integrate import check_method, ode_step

__all__ = ["HH"]


def _vtrap(x: jax.Array, y: float) -> jax.Array:
    """``x / (1 - exp(-x / y))`` without the 0/0 at ``x = 0`` (the limit there is ``y``)."""
    small = jnp.abs(x / y) < 1e-6
    safe = jnp.where(small, 1.0, x)
    return jnp.where(small, y * (1 + x / (2 * y)), safe / -jnp.expm1(-safe / y))


@jax.jit
def rates(V: jax.Array) -> tuple:
    """``(alpha_m, beta_m, alpha_h, beta_h, alpha_n, beta_n)`` at ``V`` (ms^-1)."""
    return (0.1 * _vtrap(V + 40., 10.), 4.0 * jnp.exp(-(V + 65.) / 18.),
            0.07 * jnp.exp(-(V + 65.) / 20.), 1. / (1. + jnp.exp(-(V + 35.) / 10.)),
            0.01 * _vtrap(V + 55., 10.), 0.125 * jnp.exp(-(V + 65.) / 80.))


class HH(NeuGroup):
    """Hodgkin-Huxley neuron group.

    Args:
        size: number of neurons (int) or shape (tuple).
        ENa, EK, EL: reversal potentials (mV). gNa, gK, gL: maximal conductances (mS/cm^2).
        V_th: spike detection threshold (mV). C: membrane capacitance (uF/cm^2).
        V_initializer: initial ``V``. m_initializer, h_initializer, n_initializer: initial gates
            (None: the steady state at the initial ``V``).
        noise: additive white-noise amplitude on ``V``, or None.
        spike_fun: surrogate of ``TrainingMode``: ``spike = spike_fun(V - V_th)`` on an upward
            crossing (float32), default ``bm.surrogate.InvSquareGrad()``.
        method: ``'exp_auto'`` (exponential Euler), ``'euler'``, ``'rk2'``, ``'rk4'``.
        keep_size, name, mode: see ``NeuGroup``.

    Variables: ``V``, ``m``, ``h``, ``n``, ``input``, ``spike``.
    """

    def __init__(self, size: int | Sequence[int], ENa: Any = 50., gNa: Any = 120., EK: Any = -77.,
                 gK: Any = 36., EL: Any = -54.387, gL: Any = 0.03, V_th: Any = 20., C: Any = 1.0,
                 V_initializer: Any = OneInit(-65.), m_initializer: Any = None,
                 h_initializer: Any = None, n_initializer: Any = None, noise: Any = None,
                 spike_fun: Any = None, spk_fun: Any = None, method: str = "exp_auto", keep_size: bool = False,
                 name: str | None = None, mode: bm.Mode | None = None):
        super().__init__(size, keep_size=keep_size, name=name, mode=mode)
        self.ENa, self.gNa = self._param(ENa, "ENa"), self._param(gNa, "gNa")
        self.EK, self.gK = self._param(EK, "EK"), self._param(gK, "gK")
        self.EL, self.gL = self._param(EL, "EL"), self._param(gL, "gL")
        self.V_th, self.C = self._param(V_th, "V_th"), self._param(C, "C", positive=True)
        self.noise = self._param(noise, "noise", allow_none=True, non_negative=True)
        self.spike_fun = spike_function(spike_fun if spk_fun is None else spk_fun, f"{self.describe()} spike_fun")
        self.method = check_method(method, self.describe())
        self._inits = dict(V=V_initializer, m=m_initializer, h=h_initializer, n=n_initializer)
        self.reset_state(self.mode.batch_size)

    def reset_state(self, batch_size: int | None = None) -> None:
        self._state("V", self._inits["V"], batch_size)
        am, bm_, ah, bh, an, bn = rates(self.V.value)
        steady = dict(m=am / (am + bm_), h=ah / (ah + bh), n=an / (an + bn))
        for gate in ("m", "h", "n"):
            init = self._inits[gate]
            if init is None:
                init = (lambda value: lambda shape: jnp.broadcast_to(value, shape))(steady[gate])
            self._state(gate, init, batch_size)
        self._state("input", self._zeros(), batch_size)
        dtype = bm.get_float() if self.training else jnp.bool_
        self._state("spike", self._zeros(dtype), batch_size, dtype)

    def derivative(self, V, m, h, n, I) -> tuple:
        """``(dV/dt, dm/dt, dh/dt, dn/dt)`` for the current ``I``."""
        am, bm_, ah, bh, an, bn = rates(V)
        I_Na = self.gNa * m ** 3 * h * (V - self.ENa)
        I_K = self.gK * n ** 4 * (V - self.EK)
        I_L = self.gL * (V - self.EL)
        return ((I - I_Na - I_K - I_L) / self.C, am * (1 - m) - bm_ * m,
                ah * (1 - h) - bh * h, an * (1 - n) - bn * n)

    def linear(self, V, m, h, n) -> tuple:
        """The diagonal of the Jacobian, ``(d(dV/dt)/dV, d(dm/dt)/dm, ...)``: each equation is
        linear in its own variable, so exponential Euler is exact for it at fixed others."""
        am, bm_, ah, bh, an, bn = rates(V)
        g_total = self.gNa * m ** 3 * h + self.gK * n ** 4 + self.gL
        return -g_total / self.C, -(am + bm_), -(ah + bh), -(an + bn)

    def update(self, x: Any = None) -> jax.Array:
        """One step; ``spike`` marks an upward crossing of ``V_th``."""
        dt = share.load("dt")
        I = self._current(x)
        V_old = self.V.value
        V, m, h, n = ode_step(lambda *s: self.derivative(*s, I),
                              (V_old, self.m.value, self.h.value, self.n.value), dt, self.method,
                              linear=self.linear)
        V = self._add_noise(V, dt)
        below = V_old < self.V_th
        if self.training:
            spike = self.spike_fun(V - self.V_th) * jax.lax.stop_gradient(below.astype(bm.get_float()))
        else:
            spike = jnp.logical_and(below, V >= self.V_th)
        self.V.value, self.m.value, self.h.value, self.n.value = V, m, h, n
        self.spike.value = spike
        return spike
