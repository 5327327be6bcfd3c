"""Leaky integrator: a membrane without a threshold (the readout of spiking networks).

.. math::

    \\tau \\frac{dV}{dt} = -(V - V_{rest}) + R I(t)

Each step is exact for that step's current (``method='exp_auto'``). BrainPy's ``bp.dyn.Integrator``
is this model with ``V_rest = 0``, ``R = 1`` and its state named ``x``; ``bp.dyn.Leaky`` is the
decaying trace ``x <- x exp(-dt / tau) + I`` (the input added, not integrated).

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


class Integrator(LeakyIntegrator):
    """BrainPy's ``bp.dyn.Integrator``: ``tau dx/dt = -x + I``, a :class:`LeakyIntegrator` whose
    state is also reachable as ``x``."""

    def __init__(self, size: int | Sequence[int], keep_size: bool = False, sharding: Any = None,
                 name: str | None = None, mode: bm.Mode | None = None, tau: Any = 10.,
                 x_initializer: Any = ZeroInit(), method: str = "exp_auto", init_var: bool = True):
        super().__init__(size, V_rest=0., tau=tau, R=1., V_initializer=x_initializer, method=method,
                         keep_size=keep_size, name=name, mode=mode)
        self.x = self.V

    def update(self, x: Any = None) -> jax.Array:
        return super().update(x)


class Leaky(NeuGroup):
    """BrainPy's ``bp.dyn.Leaky``: a trace that decays, ``x <- x exp(-dt / tau)``, then takes the
    step's input (``update(inp)`` plus what projections wrote into ``input``) added directly.

    >>> import neurodyn as bp
    >>> trace = bp.dyn.Leaky(1, tau=10.)
    >>> float(trace(1.)[0]), round(float(trace()[0]), 5)
    (1.0, 0.99005)
    """

    def __init__(self, size: int | Sequence[int], sharding: Any = None, keep_size: bool = False,
                 mode: bm.Mode | None = None, name: str | None = None, tau: Any = 10.,
                 method: str = "exp_auto", init_var: bool = True):
        super().__init__(size, keep_size=keep_size, name=name, mode=mode)
        self.tau = self._param(tau, "tau", positive=True)
        self.method = check_method(method, self.describe())
        self.reset_state(self.mode.batch_size)

    def reset_state(self, batch_size: int | None = None) -> None:
        self._state("x", self._zeros(), batch_size)
        self._state("input", self._zeros(), batch_size)

    def update(self, inp: Any = None) -> jax.Array:
        dt = share.load("dt")
        self.x.value = self.x.value * jnp.exp(-dt / self.tau) + self._current(inp)
        return self.x.value
