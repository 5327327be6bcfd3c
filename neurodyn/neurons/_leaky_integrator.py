"""Leaky integrator: a membrane without a threshold (the readout of spiking networks).

.. math::

    \\tau \\frac{dV}{dt} = -(V - V_{rest}) + R I(t)

Each step is exact for that step's current (``method='exp_auto'``).

    >>> import neurodyn as bp
    >>> li = bp.neurons.LeakyIntegrator(1, tau=10.)
    >>> round(float(li(1.)[0]), 5)   # 1 - exp(-0.1 / 10) after one step of 0.1 ms
    0.00995
"""
from __future__ import annotations

from typing import Any, Sequence

import jax
import jax.numpy as jnp

import neurodyn.math as bm
from neurodyn.core import share
from neurodyn.init import ZeroInit
from neurodyn.neurons._base import NeuGroup
from neurodyn.math._integrate import check_method, ode_step

__all__ = ["LeakyIntegrator"]


class LeakyIntegrator(NeuGroup):
    """Leaky integrator neuron group (no spikes); ``update`` returns ``V``.

    Args:
        size: number of neurons (int) or shape (tuple).
        V_rest: resting potential. tau: time constant (ms). R: resistance.
        V_initializer: initial ``V``. noise: additive white-noise amplitude, or None.
        method: ``'exp_auto'`` (exact per step), ``'euler'``, ``'rk2'``, ``'rk4'``.
        keep_size, name, mode: see ``NeuGroup``.

    Variables: ``V``, ``input``.
    """

    def __init__(self, size: int | Sequence[int], V_rest: Any = 0., tau: Any = 10., R: Any = 1.,
                 V_initializer: Any = ZeroInit(), noise: Any = None, method: str = "exp_auto",
                 keep_size: bool = False, name: str | None = None, mode: bm.Mode | None = None):
        super().__init__(size, keep_size=keep_size, name=name, mode=mode)
        self.V_rest = self._param(V_rest, "V_rest")
        self.tau = self._param(tau, "tau", positive=True)
        self.R = self._param(R, "R")
        self.noise = self._param(noise, "noise", allow_none=True, non_negative=True)
        self.method = check_method(method, self.describe())
        self._V_initializer = V_initializer
        self.reset_state(self.mode.batch_size)

    def reset_state(self, batch_size: int | None = None) -> None:
        self._state("V", self._V_initializer, batch_size)
        self._state("input", self._zeros(), batch_size)

    def derivative(self, V: jax.Array, I: jax.Array) -> tuple[jax.Array]:
        """``dV/dt`` for the current ``I``."""
        return ((-V + self.V_rest + self.R * I) / self.tau,)

    def update(self, x: Any = None) -> jax.Array:
        """One step driven by ``input + x``; returns the new ``V``."""
        dt = share.load("dt")
        I = self._current(x)
        if self.method in ("exp_auto", "exp_euler"):
            V_inf = self.V_rest + self.R * I
            V = V_inf + (self.V.value - V_inf) * jnp.exp(-dt / self.tau)
        else:
            (V,) = ode_step(lambda v: self.derivative(v, I), (self.V.value,), dt, self.method)
        self.V.value = self._add_noise(V, dt)
        return self.V.value
