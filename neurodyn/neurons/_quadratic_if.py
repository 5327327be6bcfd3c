"""Quadratic integrate-and-fire neurons (BrainPy's ``QuaIF``/``AdQuaIF``).

.. math::

    \\tau \\frac{dV}{dt} = c (V - V_{rest}) (V - V_c) - w + R I, \\qquad
    \\tau_w \\frac{dw}{dt} = a (V - V_{rest}) - w

``QuaIF`` has no adaptation (``w = 0``); at ``V >= V_th``: spike, ``V <- V_reset``,
``w <- w + b``. Reference: Latham, P. E. et al. (2000). J. Neurophysiol. 83, 808-827;
Izhikevich, E. M. (2004). IEEE Trans. Neural Netw. 15, 1063-1070.

    >>> import neurodyn as bp, neurodyn.math as bm
    >>> n = bp.dyn.QuaIF(1, V_initializer=bp.init.Constant(-65.))
    >>> int(bm.for_loop(lambda i: n.step_run(i, 20.), bm.arange(1000)).sum()) > 0   # 20 units drive it
    True
"""
from __future__ import annotations

from typing import Any, Sequence

import jax

import neurodyn.math as bm
from neurodyn.core import share
from neurodyn.init import ZeroInit
from neurodyn.math._integrate import check_method, ode_step
from neurodyn.neurons._base import SpikingGroup, current_time

__all__ = ["QuaIF", "AdQuaIF"]


class AdQuaIF(SpikingGroup):
    """Adaptive quadratic integrate-and-fire neuron group (BrainPy's defaults, ``V`` starting at 0
    as BrainPy's ``ZeroInit``).

    Args:
        V_rest, V_reset, V_th, V_c: resting, reset, spike-cut and critical potentials (mV).
        a: coupling of ``w`` to ``V``. b: jump of ``w`` at a spike. c: the quadratic coefficient.
        R: resistance. tau, tau_w: time constants (ms). tau_ref, V_initializer, w_initializer,
        spike_fun, detach_spk, spk_reset, method, ltc, keep_size, name, mode: as in ``LIF``.
    """

    adaptive = True

    def __init__(self, size: int | Sequence[int], V_rest: Any = -65., V_reset: Any = -68., V_th: Any = -30.,
                 V_c: Any = -50., a: Any = 1., b: Any = .1, c: Any = .07, R: Any = 1., tau: Any = 10.,
                 tau_w: Any = 10., tau_ref: Any = 0., V_initializer: Any = ZeroInit(),
                 w_initializer: Any = ZeroInit(), spike_fun: Any = None, spk_fun: Any = None,
                 detach_spk: bool = False, spk_reset: str = "soft", method: str = "exp_auto", ltc: bool = False,
                 keep_size: bool = False, name: str | None = None, mode: bm.Mode | None = None,
                 sharding: Any = None):
        super().__init__(size, tau_ref=tau_ref, spike_fun=spike_fun if spk_fun is None else spk_fun,
                         detach_spk=detach_spk, spk_reset=spk_reset, keep_size=keep_size, name=name, mode=mode)
        self.ltc = bool(ltc)
        for key, value in dict(V_rest=V_rest, V_reset=V_reset, V_th=V_th, V_c=V_c, a=a, b=b, c=c, R=R).items():
            setattr(self, key, self._param(value, key))
        self.tau = self._param(tau, "tau", positive=True)
        self.tau_w = self._param(tau_w, "tau_w", positive=True)
        self.method = check_method(method, self.describe())
        self._V_initializer, self._w_initializer = V_initializer, w_initializer
        self.reset_state(self.mode.batch_size)

    def reset_state(self, batch_size: int | None = None) -> None:
        self._state("V", self._V_initializer, batch_size)
        if self.adaptive:
            self._state("w", self._w_initializer, batch_size)
        self._state("input", self._zeros(), batch_size)
        self._reset_spiking(batch_size)

    def derivative(self, V: jax.Array, w: Any, I: jax.Array) -> tuple:
        dV = (self.c * (V - self.V_rest) * (V - self.V_c) - w + self.R * I) / self.tau
        return dV, (self.a * (V - self.V_rest) - w) / self.tau_w

    def update(self, x: Any = None) -> jax.Array:
        dt, t = share.load("dt"), current_time()
        I = self._drive(x)
        V_old = self.V.value
        if self.adaptive:
            V, w = ode_step(lambda v, u: self.derivative(v, u, I(v)), (V_old, self.w.value), dt, self.method)
        else:
            (V,) = ode_step(lambda v: self.derivative(v, 0., I(v))[:1], (V_old,), dt, self.method)
        V, refractory = self._hold(self._jump(V), V_old, t)
        spike, V, fired = self._fire(V, self.V_th, self.V_reset)
        self.V.value = V
        if self.adaptive:
            self.w.value = w + self.b * (spike if self.training else fired.astype(bm.get_float()))
        self._record(spike, fired, refractory, t)
        return spike


class QuaIF(AdQuaIF):
    """Quadratic integrate-and-fire neuron group: :class:`AdQuaIF` without adaptation (no ``w``)."""

    adaptive = False

    def __init__(self, size: int | Sequence[int], V_rest: Any = -65., V_reset: Any = -68., V_th: Any = -30.,
                 V_c: Any = -50., c: Any = .07, R: Any = 1., tau: Any = 10., tau_ref: Any = 0.,
                 V_initializer: Any = ZeroInit(), spike_fun: Any = None, spk_fun: Any = None,
                 detach_spk: bool = False, spk_reset: str = "soft", method: str = "exp_auto", ltc: bool = False,
                 keep_size: bool = False, name: str | None = None, mode: bm.Mode | None = None,
                 sharding: Any = None):
        super().__init__(size, V_rest, V_reset, V_th, V_c, 0., 0., c, R, tau, 10., tau_ref, V_initializer,
                         ZeroInit(), spike_fun, spk_fun, detach_spk, spk_reset, method, ltc, keep_size, name,
                         mode)
