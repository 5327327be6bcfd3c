"""Izhikevich neurons: a quadratic membrane with a recovery variable.

.. math::

    \\frac{dV}{dt} = 0.04 V^2 + 5 V + 140 - u + I(t), \\qquad \\frac{du}{dt} = a (b V - u),

    V \\ge V_{th} \\Rightarrow \\text{spike}, V \\leftarrow c, u \\leftarrow u + d.

``(a, b, c, d) = (0.02, 0.2, -65, 8)`` is the regular-spiking cortical cell; ``(0.02, 0.2, -50,
2)`` chattering; ``(0.1, 0.2, -65, 2)`` fast spiking. Reference: Izhikevich, E. M. (2003).
Simple model of spiking neurons. IEEE Trans. Neural Networks 14(6), 1569-1572.

    >>> import neurodyn as bp, neurodyn.math as bm
    >>> n = bp.neurons.Izhikevich(1)
    >>> sp = bm.for_loop(lambda i: n(10.), bm.arange(5000))   # 500 ms, regular spiking
    >>> 5 < int(sp.sum()) < 20
    True
"""
from __future__ import annotations

from typing import Any, Sequence

import jax
import jax.numpy as jnp

import neurodyn.math as bm
from neurodyn.core import share
from neurodyn.init import OneInit
from neurodyn.neurons._base import SpikingGroup, current_time
from neurodyn.math._integrate import check_method, ode_step

__all__ = ["Izhikevich"]


class Izhikevich(SpikingGroup):
    """Izhikevich neuron group.

    Args:
        size: number of neurons (int) or shape (tuple).
        a: time scale of ``u``. b: sensitivity of ``u`` to ``V``.
        c: reset potential (mV). d: jump of ``u`` at each spike.
        V_th: spike cut-off (mV). tau_ref: refractory period (ms).
        V_initializer: initial ``V``. u_initializer: initial ``u`` (None: ``b * V``).
        noise, spike_fun, detach_spk, spk_reset, keep_size, name, mode: as in ``LIF``.
        method: ``'exp_auto'`` (exponential Euler), ``'euler'``, ``'rk2'``, ``'rk4'``.

    Variables: ``V``, ``u``, ``input``, ``spike``, ``t_last_spike``, ``refractory``
    (the last two not in TrainingMode with ``tau_ref=0``).
    """

    def __init__(self, size: int | Sequence[int], a: Any = 0.02, b: Any = 0.2, c: Any = -65., d: Any = 8.,
                 V_th: Any = 30., tau_ref: Any = 0., V_initializer: Any = OneInit(-65.),
                 u_initializer: Any = None, noise: Any = None, spike_fun: Any = None, spk_fun: Any = None,
                 detach_spk: bool = False, spk_reset: str = "soft", method: str = "exp_auto",
                 keep_size: bool = False, name: str | None = None, mode: bm.Mode | None = None,
                 ltc: bool = False):
        self.ltc = bool(ltc)
        super().__init__(size, tau_ref=tau_ref, spike_fun=spike_fun if spk_fun is None else spk_fun, detach_spk=detach_spk,
                         spk_reset=spk_reset, keep_size=keep_size, name=name, mode=mode)
        self.a = self._param(a, "a")
        self.b = self._param(b, "b")
        self.c = self._param(c, "c")
        self.d = self._param(d, "d")
        self.V_th = self._param(V_th, "V_th")
        self.noise = self._param(noise, "noise", allow_none=True, non_negative=True)
        self.method = check_method(method, self.describe())
        self._V_initializer, self._u_initializer = V_initializer, u_initializer
        self.reset_state(self.mode.batch_size)

    def reset_state(self, batch_size: int | None = None) -> None:
        self._state("V", self._V_initializer, batch_size)
        u_init = self._u_initializer
        if u_init is None:
            u_init = self.b * self.V.value
            self._state("u", lambda shape: jnp.broadcast_to(u_init, shape), batch_size)
        else:
            self._state("u", u_init, batch_size)
        self._state("input", self._zeros(), batch_size)
        self._reset_spiking(batch_size)

    def derivative(self, V: jax.Array, u: jax.Array, I: jax.Array) -> tuple[jax.Array, jax.Array]:
        """``(dV/dt, du/dt)`` for the current ``I``."""
        return 0.04 * V * V + 5. * V + 140. - u + I, self.a * (self.b * V - u)

    def update(self, x: Any = None) -> jax.Array:
        """One step: integrate ``V`` and ``u``, spike at ``V_th``, ``V <- c``, ``u <- u + d``."""
        dt, t = share.load("dt"), current_time()
        I = self._drive(x)
        V_old = self.V.value
        V, u = ode_step(lambda v, w: self.derivative(v, w, I(v)), (V_old, self.u.value), dt, self.method)
        V = self._add_noise(self._jump(V), dt)
        V, refractory = self._hold(V, V_old, t)
        spike, V, fired = self._fire(V, self.V_th, self.c)
        self.V.value = V
        self.u.value = u + self.d * (spike if self.training else fired.astype(bm.get_float()))
        self._record(spike, fired, refractory, t)
        return spike
