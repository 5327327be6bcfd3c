"""The generalized integrate-and-fire neuron (BrainPy's ``Gif``/``GifRef``/``GifLTC``/``GifRefLTC``).

.. math::

    \\frac{dI_j}{dt} = -k_j I_j, \\qquad
    \\frac{dV_{th}}{dt} = a (V - V_{rest}) - b (V_{th} - V_{th\\infty}), \\qquad
    \\tau \\frac{dV}{dt} = -(V - V_{rest}) + R (I + I_1 + I_2)

At ``V >= V_th`` (the threshold before the step): spike, ``V <- V_reset``,
``I_j <- R_j I_j + A_j``, ``V_th <- max(V_th_reset, V_th)``. With its parameters it shows
tonic and phasic spiking, bursting, adaptation, rebound and threshold variability.
Reference: Mihalas, S. & Niebur, E. (2009). Neural Computation 21(3), 704-718.

    >>> import neurodyn as bp, neurodyn.math as bm
    >>> n = bp.dyn.Gif(1)
    >>> int(bm.for_loop(lambda i: n.step_run(i, 1.5), bm.arange(2000)).sum()) > 0
    True
"""
from __future__ import annotations

from typing import Any, Sequence

import jax
import jax.numpy as jnp

import neurodyn.math as bm
from neurodyn.core import share
from neurodyn.init import OneInit, ZeroInit
from neurodyn.math._integrate import check_method, ode_step
from neurodyn.neurons._base import SpikingGroup, current_time

__all__ = ["Gif"]


class Gif(SpikingGroup):
    """Generalized integrate-and-fire neuron group, with BrainPy's defaults.

    Args:
        V_rest, V_reset: resting and reset potentials (mV). V_th_inf: the threshold's resting
        value. V_th_reset: the floor of the threshold after a spike. R: resistance. tau: membrane
        time constant (ms). a, b: the threshold's coupling to ``V`` and its relaxation rate.
        k1, k2: decay rates of the spike-induced currents. R1, R2, A1, A2: their jump
        ``I_j <- R_j I_j + A_j`` at a spike. V_initializer, I1_initializer, I2_initializer,
        Vth_initializer: initial values. tau_ref, spk_fun, detach_spk, spk_reset, method, ltc,
        keep_size, name, mode: as in ``LIF``.
    """

    def __init__(self, size: int | Sequence[int], sharding: Any = None, keep_size: bool = False,
                 mode: bm.Mode | None = None, name: str | None = None, spk_fun: Any = None, spk_dtype: Any = None,
                 spk_reset: str = "soft", detach_spk: bool = False, method: str = "exp_auto",
                 init_var: bool = True, scaling: Any = None, V_rest: Any = -70., V_reset: Any = -70.,
                 V_th_inf: Any = -50., V_th_reset: Any = -60., R: Any = 20., tau: Any = 20., a: Any = 0.,
                 b: Any = 0.01, k1: Any = 0.2, k2: Any = 0.02, R1: Any = 0., R2: Any = 1., A1: Any = 0.,
                 A2: Any = 0., V_initializer: Any = OneInit(-70.), I1_initializer: Any = ZeroInit(),
                 I2_initializer: Any = ZeroInit(), Vth_initializer: Any = OneInit(-50.), tau_ref: Any = 0.,
                 ref_var: bool = False, noise: Any = None, ltc: bool = False, spike_fun: Any = None):
        super().__init__(size, tau_ref=tau_ref, spike_fun=spike_fun if spk_fun is None else spk_fun,
                         detach_spk=detach_spk, spk_reset=spk_reset, keep_size=keep_size, name=name, mode=mode)
        self.ltc, self.noise = bool(ltc), self._param(noise, "noise", allow_none=True, non_negative=True)
        params = dict(V_rest=V_rest, V_reset=V_reset, V_th_inf=V_th_inf, V_th_reset=V_th_reset, R=R, a=a, b=b,
                      k1=k1, k2=k2, R1=R1, R2=R2, A1=A1, A2=A2)
        for key, value in params.items():
            setattr(self, key, self._param(value, key))
        self.tau = self._param(tau, "tau", positive=True)
        self.method = check_method(method, self.describe())
        self._inits = dict(V=V_initializer, I1=I1_initializer, I2=I2_initializer, V_th=Vth_initializer)
        self.reset_state(self.mode.batch_size)

    def reset_state(self, batch_size: int | None = None) -> None:
        for key, init in self._inits.items():
            self._state(key, init, batch_size)
        self._state("input", self._zeros(), batch_size)
        self._reset_spiking(batch_size)

    def derivative(self, I1: jax.Array, I2: jax.Array, V_th: jax.Array, V: jax.Array, I: jax.Array) -> tuple:
        return (-self.k1 * I1, -self.k2 * I2, self.a * (V - self.V_rest) - self.b * (V_th - self.V_th_inf),
                (-(V - self.V_rest) + self.R * (I + I1 + I2)) / self.tau)

    def update(self, x: Any = None) -> jax.Array:
        dt, t = share.load("dt"), current_time()
        I = self._drive(x)
        V_old, V_th_old = self.V.value, self.V_th.value
        I1, I2, V_th, V = ode_step(lambda i1, i2, vt, v: self.derivative(i1, i2, vt, v, I(v)),
                                   (self.I1.value, self.I2.value, V_th_old, V_old), dt, self.method)
        V = self._add_noise(V, dt)
        V, refractory = self._hold(self._jump(V), V_old, t)
        spike, V, fired = self._fire(V, V_th_old, self.V_reset)
        if self.training:
            s = jax.lax.stop_gradient(spike) if self.detach_spk else spike
            I1 = I1 + s * (self.R1 * I1 + self.A1 - I1)
            I2 = I2 + s * (self.R2 * I2 + self.A2 - I2)
            V_th = V_th + (jnp.maximum(self.V_th_reset, V_th) - V_th) * s
        else:
            I1 = jnp.where(fired, self.R1 * I1 + self.A1, I1)
            I2 = jnp.where(fired, self.R2 * I2 + self.A2, I2)
            V_th = jnp.where(fired, jnp.maximum(self.V_th_reset, V_th), V_th)
        self.V.value, self.I1.value, self.I2.value, self.V_th.value = V, I1, I2, V_th
        self._record(spike, fired, refractory, t)
        return spike
