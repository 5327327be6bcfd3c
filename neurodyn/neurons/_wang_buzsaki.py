"""The Wang-Buzsaki model of a fast-spiking interneuron: a Hodgkin-Huxley neuron whose sodium
activation is instantaneous, with gates ``h`` and ``n`` sped up by ``phi``.

.. math::

    C \\frac{dV}{dt} = -g_{Na} m_\\infty^3 h (V - E_{Na}) - g_K n^4 (V - E_K) - g_L (V - E_L) + I

Reference: Wang, X.-J. & Buzsaki, G. (1996). J. Neurosci. 16(20), 6402-6413.

    >>> import neurodyn as bp, neurodyn.math as bm
    >>> n = bp.dyn.WangBuzsakiHH(1)
    >>> V = bm.for_loop(lambda i: n.step_run(i, 10.) * 0. + n.V.value, bm.arange(3000))
    >>> round(float(V[0, 0]), 3), round(float(V[-1, 0]), 3)      # as BrainPy 2.8.2 prints
    (-64.236, -65.507)
"""
from __future__ import annotations

from typing import Any, Sequence

import jax
import jax.numpy as jnp

import neurodyn.math as bm
from neurodyn.core import share
from neurodyn.init import OneInit
from neurodyn.math._integrate import check_method, ode_step
from neurodyn.neurons._base import NeuGroup
from neurodyn.neurons._conductance import exprel

__all__ = ["WangBuzsakiHH"]


class WangBuzsakiHH(NeuGroup):
    """Wang-Buzsaki neuron group (BrainPy's parameters and defaults).

    Args:
        ENa, gNa, EK, gK, EL, gL: reversal potentials (mV) and conductances (mS/cm2).
        V_th: spike threshold (mV, crossed upwards). phi: the gates' speed-up. C: capacitance.
        V_initializer, h_initializer, n_initializer: initial values.
        ltc: evaluate the projections' inputs inside the derivative (``WangBuzsakiHHLTC``).
        size, keep_size, method, name, mode: as every neuron group.
    """

    def __init__(self, size: int | Sequence[int], keep_size: bool = False, mode: bm.Mode | None = None,
                 name: str | None = None, method: str = "exp_auto", ENa: Any = 55., gNa: Any = 35., EK: Any = -90.,
                 gK: Any = 9., EL: Any = -65., gL: Any = 0.1, V_th: Any = 20., phi: Any = 5., C: Any = 1.,
                 V_initializer: Any = OneInit(-65.), h_initializer: Any = OneInit(0.6),
                 n_initializer: Any = OneInit(0.32), ltc: bool = False, sharding: Any = None, init_var: bool = True):
        super().__init__(size, keep_size=keep_size, name=name, mode=mode)
        for key, value in dict(ENa=ENa, gNa=gNa, EK=EK, gK=gK, EL=EL, gL=gL, V_th=V_th).items():
            setattr(self, key, self._param(value, key))
        self.phi, self.C = self._param(phi, "phi", positive=True), self._param(C, "C", positive=True)
        self.method, self.ltc = check_method(method, self.describe()), bool(ltc)
        self._inits = dict(V=V_initializer, h=h_initializer, n=n_initializer)
        self.reset_state(self.mode.batch_size)

    def reset_state(self, batch_size: int | None = None) -> None:
        for key, init in self._inits.items():
            self._state(key, init, batch_size)
        self._state("input", self._zeros(), batch_size)
        dtype = bm.get_float() if self.training else jnp.bool_
        self._state("spike", self._zeros(dtype), batch_size, dtype)

    def derivative(self, V: jax.Array, h: jax.Array, n: jax.Array, I: jax.Array) -> tuple:
        m_a, m_b = 1. / exprel(-0.1 * (V + 35.)), 4. * jnp.exp(-(V + 60.) / 18.)
        h_a, h_b = 0.07 * jnp.exp(-(V + 58.) / 20.), 1. / (jnp.exp(-0.1 * (V + 28.)) + 1.)
        n_a, n_b = 1. / exprel(-0.1 * (V + 34.)), 0.125 * jnp.exp(-(V + 44.) / 80.)
        I_Na = self.gNa * (m_a / (m_a + m_b)) ** 3 * h * (V - self.ENa)
        dV = (-I_Na - self.gK * n ** 4 * (V - self.EK) - self.gL * (V - self.EL) + I) / self.C
        return dV, self.phi * (h_a * (1 - h) - h_b * h), self.phi * (n_a * (1 - n) - n_b * n)

    def update(self, x: Any = None) -> jax.Array:
        V_old = self.V.value
        current = self._drive(x)
        V, h, n = ode_step(lambda v, h, n: self.derivative(v, h, n, current(v)),
                           (V_old, self.h.value, self.n.value), share.load("dt"), self.method)
        V = self._jump(V)
        self.spike.value = jnp.logical_and(V_old < self.V_th, V >= self.V_th).astype(self.spike.dtype)
        self.V.value, self.h.value, self.n.value = V, h, n
        return self.spike.value

    def return_info(self) -> bm.Variable:
        return self.spike
