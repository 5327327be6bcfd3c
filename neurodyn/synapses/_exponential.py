"""Exponential synapse: a conductance that jumps at each presynaptic spike and decays.

.. math::

    \\frac{dg}{dt} = -\\frac{g}{\\tau} + \\sum_{i, k} w_{ij} \\delta(t - t_i^k), \\qquad
    I_{syn} = \\text{output}(g)

Per step (BrainPy's order): ``g <- g * exp(-dt / tau) + sum_i spike_i w_ij`` — decay first,
then add this step's weighted spikes — and the output (``CUBA``: ``g``; ``COBA``: ``g (E - V)``)
is added to the postsynaptic ``input``. A single spike of weight ``w`` therefore gives
``g = w exp(-k dt / tau)`` ``k`` steps later.
Reference: Sterratt, D. et al. (2011). Principles of Computational Modelling in Neuroscience,
ch. 7 (The synapse). Cambridge University Press.

    >>> import neurodyn as bp, neurodyn.math as bm
    >>> pre, post = bp.neurons.InputGroup(2), bp.neurons.LeakyIntegrator(1)
    >>> syn = bp.synapses.Exponential(pre, post, bp.conn.All2All(), g_max=2., tau=5.)
    >>> g = bm.for_loop(lambda s: syn(s), bm.array([[1., 0.], [0., 0.], [0., 0.]]))
    >>> [round(float(v), 4) for v in g[:, 0]]   # 2, 2 e^-0.02, 2 e^-0.04
    [2.0, 1.9604, 1.9216]
"""
from __future__ import annotations

from typing import Any

import jax

import neurodyn.math as bm
from neurodyn.core import share
from neurodyn.math._integrate import check_method
from neurodyn.synapses._base import WeightedConn
from neurodyn.synapses._dynamics import exp_decay
from neurodyn.synapses.synouts import SynOut

__all__ = ["Exponential"]


class Exponential(WeightedConn):
    """Exponentially decaying synaptic conductance.

    Args:
        pre, post, conn, output, g_max, delay_step, comp_method, stop_spike_gradient, name, mode:
            see ``WeightedConn`` (``output`` defaults to ``CUBA()``).
        tau: the decay time constant (ms): a scalar or one per postsynaptic neuron.
        method: ``'exp_auto'`` (exact decay), ``'euler'``, ``'rk2'`` or ``'rk4'``.

    Variables: ``g`` of shape ``(batch?, post.num)``; ``update`` returns the current.
    """

    def __init__(self, pre: Any, post: Any, conn: Any, output: SynOut | None = None,
                 comp_method: str | None = None, g_max: Any = 1., delay_step: int | None = None,
                 tau: Any = 8.0, method: str = "exp_auto", stop_spike_gradient: bool = False,
                 name: str | None = None, mode: bm.Mode | None = None):
        super().__init__(pre, post, conn, output=output, g_max=g_max, delay_step=delay_step,
                         comp_method=comp_method, stop_spike_gradient=stop_spike_gradient,
                         name=name, mode=mode)
        self.tau = self._param(tau, "tau")
        self.method = check_method(method, self.describe())
        self.reset_state(self.mode.batch_size)

    def reset_state(self, batch_size: int | None = None) -> None:
        self._state("g", batch_size)
        self._reset_delay(batch_size)

    def update(self, pre_spike: Any = None) -> jax.Array:
        """One step: decay ``g``, add the weighted spikes, deliver the output current."""
        dt = share.load("dt")
        weighted = self._propagate(self._pre_spike(pre_spike))
        self.g.value = exp_decay(self.g.value, self.tau, dt, self.method) + weighted
        return self._deliver(self.g.value)
