"""The Morris-Lecar neuron: a calcium and a potassium conductance, two variables.

.. math::

    C \\frac{dV}{dt} = -g_{Ca} M_\\infty (V - V_{Ca}) - g_K W (V - V_K) - g_{leak} (V - V_{leak}) + I,
    \\qquad \\frac{dW}{dt} = \\phi \\cosh\\frac{V - V_3}{2 V_4} (W_\\infty - W)

with :math:`M_\\infty = (1 + \\tanh((V - V_1) / V_2)) / 2` and
:math:`W_\\infty = (1 + \\tanh((V - V_3) / V_4)) / 2`; a spike when ``V`` crosses ``V_th`` upwards.
Reference: Morris, C. & Lecar, H. (1981). Biophys. J. 35(1), 193-213.

    >>> import neurodyn as bp, neurodyn.math as bm
    >>> n = bp.dyn.MorrisLecar(1, V_initializer=bp.init.Constant(-60.))
    >>> int(bm.for_loop(lambda i: n.step_run(i, 100.), bm.arange(3000)).sum()) > 0
    True
"""
from __future__ import annotations

from typing import Any, Sequence

import jax
import jax.numpy as jnp

import neurodyn.math as bm
from neurodyn.core import share
from neurodyn.init import OneInit, Uniform
from neurodyn.math._integrate import check_method, ode_step
from neurodyn.neurons._base import NeuGroup

__all__ = ["MorrisLecar"]


class MorrisLecar(NeuGroup):
    """Morris-Lecar neuron group (BrainPy's parameters and defaults).

    Args:
        V_Ca, g_Ca, V_K, g_K, V_leak, g_leak: reversal potentials (mV) and conductances.
        C: capacitance. V1, V2, V3, V4: the gating curves (mV). phi: the ``W`` rate.
        V_th: spike threshold (mV). W_initializer, V_initializer: initial values.
        ltc: evaluate the projections' inputs inside the derivative (``MorrisLecarLTC``).
        size, keep_size, method, name, mode: as every neuron group.
    """

    def __init__(self, size: int | Sequence[int], keep_size: bool = False, mode: bm.Mode | None = None,
                 name: str | None = None, method: str = "exp_auto", V_Ca: Any = 130., g_Ca: Any = 4.4,
                 V_K: Any = -84., g_K: Any = 8., V_leak: Any = -60., g_leak: Any = 2., C: Any = 20.,
                 V1: Any = -1.2, V2: Any = 18., V3: Any = 2., V4: Any = 30., phi: Any = 0.04, V_th: Any = 10.,
                 W_initializer: Any = OneInit(0.02), V_initializer: Any = Uniform(-70., -60.),
                 ltc: bool = False, sharding: Any = None, init_var: bool = True):
        super().__init__(size, keep_size=keep_size, name=name, mode=mode)
        values = dict(V_Ca=V_Ca, g_Ca=g_Ca, V_K=V_K, g_K=g_K, V_leak=V_leak, g_leak=g_leak, V1=V1, V3=V3,
                      V_th=V_th)
        for key, value in values.items():
            setattr(self, key, self._param(value, key))
        for key, value in dict(C=C, V2=V2, V4=V4, phi=phi).items():
            setattr(self, key, self._param(value, key, positive=True))
        self.method, self.ltc = check_method(method, self.describe()), bool(ltc)
        self._V_initializer, self._W_initializer = V_initializer, W_initializer
        self.reset_state(self.mode.batch_size)

    def reset_state(self, batch_size: int | None = None) -> None:
        self._state("V", self._V_initializer, batch_size)
        self._state("W", self._W_initializer, batch_size)
        self._state("input", self._zeros(), batch_size)
        dtype = bm.get_float() if self.training else jnp.bool_
        self._state("spike", self._zeros(dtype), batch_size, dtype)

    def derivative(self, V: jax.Array, W: jax.Array, I: jax.Array) -> tuple:
        M_inf = 0.5 * (1 + jnp.tanh((V - self.V1) / self.V2))
        dV = (-self.g_Ca * M_inf * (V - self.V_Ca) - self.g_K * W * (V - self.V_K)
              - self.g_leak * (V - self.V_leak) + I) / self.C
        W_inf = 0.5 * (1 + jnp.tanh((V - self.V3) / self.V4))
        return dV, (W_inf - W) * self.phi * jnp.cosh((V - self.V3) / (2 * self.V4))

    def update(self, x: Any = None) -> jax.Array:
        V_old = self.V.value
        current = self._drive(x)
        V, W = ode_step(lambda v, w: self.derivative(v, w, current(v)), (V_old, self.W.value),
                        share.load("dt"), self.method)
        V = self._jump(V)
        self.spike.value = jnp.logical_and(V_old < self.V_th, V >= self.V_th).astype(self.spike.dtype)
        self.V.value, self.W.value = V, W
        return self.spike.value

    def return_info(self) -> bm.Variable:
        return self.spike
