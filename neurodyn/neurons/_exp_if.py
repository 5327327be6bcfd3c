"""Exponential integrate-and-fire neurons, without (``ExpIF``) and with (``AdExIF``) adaptation.

.. math::

    \\tau \\frac{dV}{dt} = -(V - V_{rest}) + \\Delta_T e^{(V - V_T)/\\Delta_T} - R w + R I(t),
    \\qquad \\tau_w \\frac{dw}{dt} = a (V - V_{rest}) - w,

    V \\ge V_{th} \\Rightarrow \\text{spike}, V \\leftarrow V_{reset}, w \\leftarrow w + b

(``ExpIF`` has no ``w``). The default ``method='exp_auto'`` is exponential Euler.
References: Fourcaud-Trocme, N. et al. (2003). How spike generation mechanisms determine the
neuronal response to fluctuating inputs. J. Neurosci. 23(37), 11628-11640. Brette, R. &
Gerstner, W. (2005). Adaptive exponential integrate-and-fire model as an effective description
of neuronal activity. J. Neurophysiol. 94(5), 3637-3642.

    >>> import neurodyn as bp, neurodyn.math as bm
    >>> n = bp.neurons.AdExIF(1)
    >>> sp = bm.for_loop(lambda i: n(10.), bm.arange(3000))
    >>> isi = bm.diff(bm.where(sp[:, 0])[0])
    >>> bool(isi[-1] > isi[0])   # adaptation lengthens the intervals
    True
"""
from __future__ import annotations

from typing import Any, Sequence

import jax
import jax.numpy as jnp

import neurodyn.math as bm
from neurodyn.core import share
from neurodyn.init import OneInit, ZeroInit
from neurodyn.neurons._base import SpikingGroup, current_time
from neurodyn.math._integrate import check_method, ode_step

__all__ = ["ExpIF", "AdExIF", "AdEx"]


class _ExpBase(SpikingGroup):
    """The membrane shared by ``ExpIF`` and ``AdExIF`` (parameters and the exponential drive)."""

    def __init__(self, size, V_rest, V_reset, V_th, V_T, delta_T, R, tau, tau_ref, V_initializer,
                 noise, spike_fun, detach_spk, spk_reset, method, keep_size, name, mode, ltc=False):
        super().__init__(size, tau_ref=tau_ref, spike_fun=spike_fun, detach_spk=detach_spk,
                         spk_reset=spk_reset, keep_size=keep_size, name=name, mode=mode)
        self.ltc = bool(ltc)
        self.V_rest = self._param(V_rest, "V_rest")
        self.V_reset = self._param(V_reset, "V_reset")
        self.V_th = self._param(V_th, "V_th")
        self.V_T = self._param(V_T, "V_T")
        self.delta_T = self._param(delta_T, "delta_T", positive=True)
        self.R = self._param(R, "R")
        self.tau = self._param(tau, "tau", positive=True)
        self.noise = self._param(noise, "noise", allow_none=True, non_negative=True)
        self.method = check_method(method, self.describe())
        self._V_initializer = V_initializer

    def _reset_membrane(self, batch_size: int | None) -> None:
        self._state("V", self._V_initializer, batch_size)
        self._state("input", self._zeros(), batch_size)
        self._reset_spiking(batch_size)

    def _dV(self, V: jax.Array, I: jax.Array) -> jax.Array:
        upswing = self.delta_T * jnp.exp((V - self.V_T) / self.delta_T)
        return (-(V - self.V_rest) + upswing + self.R * I) / self.tau


class ExpIF(_ExpBase):
    """Exponential integrate-and-fire neuron group.

    Args:
        size: number of neurons (int) or shape (tuple).
        V_rest, V_reset, V_th: resting, reset and numerical spike-cut potentials (mV).
        V_T: threshold of the exponential upswing (mV). delta_T: spike slope factor (mV).
        R: resistance. tau: membrane time constant (ms). tau_ref: refractory period (ms).
        V_initializer: initial ``V`` (default -65 mV, the resting potential).
        noise, spike_fun, detach_spk, spk_reset, keep_size, name, mode: as in ``LIF``.
        method: ``'exp_auto'`` (exponential Euler), ``'euler'``, ``'rk2'``, ``'rk4'``.

    Variables: ``V``, ``input``, ``spike``, ``t_last_spike``, ``refractory``
    (the last two not in TrainingMode with ``tau_ref=0``).
    """

    def __init__(self, size: int | Sequence[int], V_rest: Any = -65., V_reset: Any = -68.,
                 V_th: Any = -55., V_T: Any = -59.9, delta_T: Any = 3.48, R: Any = 1., tau: Any = 10.,
                 tau_ref: Any = 0., V_initializer: Any = OneInit(-65.), noise: Any = None,
                 spike_fun: Any = None, spk_fun: Any = None, detach_spk: bool = False, spk_reset: str = "soft",
                 method: str = "exp_auto", keep_size: bool = False, name: str | None = None,
                 mode: bm.Mode | None = None, ltc: bool = False):
        super().__init__(size, V_rest, V_reset, V_th, V_T, delta_T, R, tau, tau_ref, V_initializer,
                         noise, spike_fun if spk_fun is None else spk_fun, detach_spk, spk_reset, method,
                         keep_size, name, mode, ltc)
        self.reset_state(self.mode.batch_size)

    def reset_state(self, batch_size: int | None = None) -> None:
        self._reset_membrane(batch_size)

    def derivative(self, V: jax.Array, I: jax.Array) -> tuple[jax.Array]:
        """``dV/dt`` for the current ``I``."""
        return (self._dV(V, I),)

    def update(self, x: Any = None) -> jax.Array:
        """One step: integrate, hold refractory neurons, spike at ``V_th`` and reset."""
        dt, t = share.load("dt"), current_time()
        I = self._drive(x)
        V_old = self.V.value
        (V,) = ode_step(lambda v: self.derivative(v, I(v)), (V_old,), dt, self.method)
        V = self._add_noise(self._jump(V), dt)
        V, refractory = self._hold(V, V_old, t)
        spike, V, fired = self._fire(V, self.V_th, self.V_reset)
        self.V.value = V
        self._record(spike, fired, refractory, t)
        return spike


class AdExIF(_ExpBase):
    """Adaptive exponential integrate-and-fire neuron group (``ExpIF`` plus an adaptation current).

    Args (besides ``ExpIF``'s):
        a: subthreshold coupling of ``w`` to ``V``. b: jump of ``w`` at each spike.
        tau_w: time constant of ``w`` (ms). w_initializer: initial ``w``.

    Variables: ``V``, ``w``, ``input``, ``spike``, ``t_last_spike``, ``refractory``
    (the last two not in TrainingMode with ``tau_ref=0``).
    """

    def __init__(self, size: int | Sequence[int], V_rest: Any = -65., V_reset: Any = -68.,
                 V_th: Any = -55., V_T: Any = -59.9, delta_T: Any = 3.48, a: Any = 1., b: Any = 1.,
                 tau: Any = 10., tau_w: Any = 30., R: Any = 1., tau_ref: Any = 0.,
                 V_initializer: Any = OneInit(-65.), w_initializer: Any = ZeroInit(),
                 noise: Any = None, spike_fun: Any = None, spk_fun: Any = None, detach_spk: bool = False,
                 spk_reset: str = "soft", method: str = "exp_auto", keep_size: bool = False,
                 name: str | None = None, mode: bm.Mode | None = None, ltc: bool = False):
        super().__init__(size, V_rest, V_reset, V_th, V_T, delta_T, R, tau, tau_ref, V_initializer,
                         noise, spike_fun if spk_fun is None else spk_fun, detach_spk, spk_reset, method,
                         keep_size, name, mode, ltc)
        self.a = self._param(a, "a")
        self.b = self._param(b, "b")
        self.tau_w = self._param(tau_w, "tau_w", positive=True)
        self._w_initializer = w_initializer
        self.reset_state(self.mode.batch_size)

    def reset_state(self, batch_size: int | None = None) -> None:
        self._reset_membrane(batch_size)
        self._state("w", self._w_initializer, batch_size)

    def derivative(self, V: jax.Array, w: jax.Array, I: jax.Array) -> tuple[jax.Array, jax.Array]:
        """``(dV/dt, dw/dt)`` for the current ``I``."""
        return self._dV(V, I - w), (self.a * (V - self.V_rest) - w) / self.tau_w

    def update(self, x: Any = None) -> jax.Array:
        """One step: integrate ``V`` and ``w``, spike at ``V_th``, reset ``V``, raise ``w`` by ``b``."""
        dt, t = share.load("dt"), current_time()
        I = self._drive(x)
        V_old = self.V.value
        V, w = ode_step(lambda v, u: self.derivative(v, u, I(v)), (V_old, self.w.value), dt, self.method)
        V = self._add_noise(self._jump(V), dt)
        V, refractory = self._hold(V, V_old, t)
        spike, V, fired = self._fire(V, self.V_th, self.V_reset)
        self.V.value = V
        self.w.value = w + self.b * (spike if self.training else fired.astype(bm.get_float()))
        self._record(spike, fired, refractory, t)
        return spike


AdEx = AdExIF
