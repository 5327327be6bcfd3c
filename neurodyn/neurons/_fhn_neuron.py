"""The FitzHugh-Nagumo neuron (BrainPy's ``bp.neurons.FHN``): an excitable cubic membrane with a
slow linear recovery, spiking when ``V`` crosses ``Vth`` upwards (no reset).

.. math::

    \\frac{dV}{dt} = V - \\frac{V^3}{3} - w + I_{ext}, \\qquad \\tau \\frac{dw}{dt} = V + a - b w.

Reference: FitzHugh, R. (1961). Impulses and physiological states in theoretical models of
nerve membrane. Biophys. J. 1(6), 445-466. (The rate model of the same equations, with the
whole-brain couplings' inputs, is ``bp.dyn.FHN``.)

    >>> import neurodyn as bp
    >>> fhn = bp.neurons.FHN(1)
    >>> runner = bp.DSRunner(fhn, monitors=['spike'], inputs=('input', 1.), progress_bar=False)
    >>> _ = runner.run(200.)                       # a relaxation oscillator: 6 spikes, as BrainPy
    >>> int(runner.mon['spike'].sum())
    6
"""
from __future__ import annotations

from typing import Any, Sequence

import jax
import jax.numpy as jnp

import neurodyn.math as bm
from neurodyn.core import share
from neurodyn.init import ZeroInit
from neurodyn.integrators import JointEq, odeint
from neurodyn.math._integrate import check_method
from neurodyn.neurons._base import NeuGroup

__all__ = ["FHN"]


class FHN(NeuGroup):
    """FitzHugh-Nagumo neuron group.

    Args:
        size: number of neurons (int) or shape (tuple).
        a, b: the recovery's constants. tau: the recovery's time constant (ms).
        Vth: the spike threshold, crossed upwards.
        V_initializer, w_initializer: initial ``V`` and ``w`` (default 0).
        noise: white-noise intensity added to ``V`` and ``w`` (Euler-Maruyama), or None.
        method: ``'exp_auto'`` (exponential Euler), ``'euler'``, ``'rk2'``, ``'rk4'``.
        keep_size, name, mode: as in every group. input_var: keep an ``input`` Variable that
            ``update`` adds to its argument (BrainPy's default ``True``).

    Variables: ``V``, ``w``, ``input`` (with ``input_var``), ``spike``. ``integral`` is the
    joint integrator of ``dV(V, t, w, I_ext)`` and ``dw(w, t, V)`` (for ``bp.analysis``).
    """

    def __init__(self, size: int | Sequence[int], a: Any = 0.7, b: Any = 0.8, tau: Any = 12.5, Vth: Any = 1.8,
                 V_initializer: Any = ZeroInit(), w_initializer: Any = ZeroInit(), noise: Any = None,
                 method: str = "exp_auto", keep_size: bool = False, input_var: bool = True,
                 name: str | None = None, mode: bm.Mode | None = None):
        super().__init__(size, keep_size=keep_size, name=name, mode=mode)
        self.a, self.b = self._param(a, "a"), self._param(b, "b")
        self.tau = self._param(tau, "tau", positive=True)
        self.Vth = self._param(Vth, "Vth")
        self.noise = self._param(noise, "noise", allow_none=True, non_negative=True)
        self.method = check_method(method, self.describe())
        self.input_var = bool(input_var)
        self._V_initializer, self._w_initializer = V_initializer, w_initializer
        self.reset_state(self.mode.batch_size)
        self.integral = odeint(JointEq(self.dV, self.dw), method=self.method)

    def reset_state(self, batch_size: int | None = None) -> None:
        self._state("V", self._V_initializer, batch_size)
        self._state("w", self._w_initializer, batch_size)
        if self.input_var:
            self._state("input", self._zeros(), batch_size)
        self._state("spike", self._zeros(jnp.bool_), batch_size, jnp.bool_)

    def dV(self, V: Any, t: Any, w: Any, I_ext: Any) -> jax.Array:
        return V - V * V * V / 3 - w + I_ext

    def dw(self, w: Any, t: Any, V: Any) -> jax.Array:
        return (V + self.a - self.b * w) / self.tau

    def update(self, x: Any = None) -> jax.Array:
        """One step: integrate ``V`` and ``w``; spike where ``V`` crossed ``Vth`` upwards."""
        t, dt = share.load("t"), share.load("dt")
        I = self._current(x) if self.input_var else (0. if x is None else bm.unwrap(x))
        V_old = self.V.value
        V, w = self.integral(V_old, self.w.value, t, I, dt=dt)
        if self.noise is not None:
            V = V + self.noise * jnp.sqrt(dt) * bm.random.normal(0., 1., V.shape)
            w = w + self.noise * jnp.sqrt(dt) * bm.random.normal(0., 1., w.shape)
        self.spike.value = jnp.logical_and(V >= self.Vth, V_old < self.Vth)
        self.V.value, self.w.value = V, w
        return self.spike.value
