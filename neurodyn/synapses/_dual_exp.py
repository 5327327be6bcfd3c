"""Dual-exponential and alpha synapses: a conductance with a rise and a decay.

.. math::

    \\frac{dg}{dt} = -\\frac{g}{\\tau_{decay}} + h, \\qquad
    \\frac{dh}{dt} = -\\frac{h}{\\tau_{rise}} + \\sum_{i, k} w_{ij} \\delta(t - t_i^k)

A spike of weight ``w`` gives
``g(t) = w tau_d tau_r / (tau_d - tau_r) (exp(-t / tau_d) - exp(-t / tau_r))``;
``Alpha`` is the limit ``tau_rise = tau_decay = tau``: ``g(t) = w t exp(-t / tau)``.
Per step (BrainPy's order): advance ``(g, h)`` by ``dt`` — exactly, with ``method='exp_auto'`` —
then add this step's weighted spikes to ``h``; the output uses the new ``g``.
Reference: Roth, A. & van Rossum, M. C. W. (2009). Modeling synapses. In Computational
Modeling Methods for Neuroscientists, MIT Press.

    >>> import neurodyn as bp, neurodyn.math as bm
    >>> pre, post = bp.neurons.InputGroup(1), bp.neurons.LeakyIntegrator(1)
    >>> syn = bp.synapses.Alpha(pre, post, bp.conn.All2All(), tau_decay=2.)
    >>> spikes = bm.zeros((41, 1)).at[0].set(1.)
    >>> g = bm.for_loop(lambda s: syn(s), spikes)[:, 0]
    >>> int(g.argmax()), round(float(g.max()), 4)   # the peak: t = tau = 2 ms, g = tau / e
    (20, 0.7358)
"""
from __future__ import annotations

from typing import Any

import jax
import jax.numpy as jnp

import neurodyn.math as bm
from neurodyn.core import share
from neurodyn.math._integrate import check_method, ode_step
from neurodyn.synapses._base import WeightedConn
from neurodyn.synapses.synouts import SynOut

__all__ = ["DualExponential", "Alpha"]


def _coupling(dt: Any, tau_decay: jax.Array, tau_rise: jax.Array) -> jax.Array:
    """``int_0^dt e^{-(dt-s)/tau_d} e^{-s/tau_r} ds``: how much ``h`` feeds ``g`` in one exact step."""
    a, b = dt / tau_decay, dt / tau_rise
    close = jnp.abs(b - a) < 1e-4
    safe = jnp.where(close, 1.0, b - a)
    general = dt * (jnp.exp(-a) - jnp.exp(-b)) / safe
    return jnp.where(close, dt * jnp.exp(-(a + b) / 2), general)


class DualExponential(WeightedConn):
    """Dual-exponential synaptic conductance (rise ``tau_rise``, decay ``tau_decay``).

    Args:
        pre, post, conn, output, g_max, delay_step, comp_method, stop_spike_gradient, name, mode:
            see ``WeightedConn`` (``output`` defaults to ``CUBA()``).
        tau_decay, tau_rise: time constants (ms), scalars or one per postsynaptic neuron.
        method: ``'exp_auto'`` (the exact linear propagator), ``'euler'``, ``'rk2'``, ``'rk4'``.

    Variables: ``g`` and ``h`` of shape ``(batch?, post.num)``; ``update`` returns the current.
    """

    def __init__(self, pre: Any, post: Any, conn: Any, output: SynOut | None = None,
                 comp_method: str | None = None, g_max: Any = 1., tau_decay: Any = 10.0,
                 tau_rise: Any = 1., delay_step: int | None = None, method: str = "exp_auto",
                 stop_spike_gradient: bool = False, name: str | None = None, mode: bm.Mode | None = None):
        super().__init__(pre, post, conn, output=output, g_max=g_max, delay_step=delay_step,
                         comp_method=comp_method, stop_spike_gradient=stop_spike_gradient,
                         name=name, mode=mode)
        self.tau_decay = self._param(tau_decay, "tau_decay")
        self.tau_rise = self._param(tau_rise, "tau_rise")
        self.method = check_method(method, self.describe())
        self.reset_state(self.mode.batch_size)

    def reset_state(self, batch_size: int | None = None) -> None:
        self._state("g", batch_size)
        self._state("h", batch_size)
        self._reset_delay(batch_size)

    def derivative(self, g: jax.Array, h: jax.Array) -> tuple[jax.Array, jax.Array]:
        """``(dg/dt, dh/dt)`` between spikes."""
        return -g / self.tau_decay + h, -h / self.tau_rise

    def update(self, pre_spike: Any = None) -> jax.Array:
        """One step: advance ``(g, h)``, add the weighted spikes to ``h``, deliver ``output(g)``."""
        dt = share.load("dt")
        weighted = self._propagate(self._pre_spike(pre_spike))
        g, h = self.g.value, self.h.value
        if self.method in ("exp_auto", "exp_euler"):
            g, h = (g * jnp.exp(-dt / self.tau_decay) + h * _coupling(dt, self.tau_decay, self.tau_rise),
                    h * jnp.exp(-dt / self.tau_rise))
        else:
            g, h = ode_step(self.derivative, (g, h), dt, self.method)
        self.g.value = g
        self.h.value = h + weighted
        return self._deliver(g)


class Alpha(DualExponential):
    """Alpha synapse: ``DualExponential`` with ``tau_rise = tau_decay``.

    Args:
        tau_decay: the time constant (ms) of both phases; the rest as in ``DualExponential``.
    """

    def __init__(self, pre: Any, post: Any, conn: Any, output: SynOut | None = None,
                 comp_method: str | None = None, g_max: Any = 1., tau_decay: Any = 10.0,
                 delay_step: int | None = None, method: str = "exp_auto",
                 stop_spike_gradient: bool = False, name: str | None = None, mode: bm.Mode | None = None):
        super().__init__(pre, post, conn, output=output, comp_method=comp_method, g_max=g_max,
                         tau_decay=tau_decay, tau_rise=tau_decay, delay_step=delay_step,
                         method=method, stop_spike_gradient=stop_spike_gradient, name=name, mode=mode)
