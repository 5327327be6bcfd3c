"""Delta synapse: each presynaptic spike makes an instantaneous jump.

.. math::

    I_{syn}(t) = \\sum_{i, k} w_{ij} \\delta(t - t_i^k - D)

By default (BrainPy's ``Delta``) the jump goes straight into the postsynaptic membrane
potential (``output=CUBA(target_var='V')``): ``V_j += sum_i spike_i w_ij`` before the neuron's
own step; with ``CUBA()`` it is added to ``input`` for one step instead.

    >>> import neurodyn as bp, neurodyn.math as bm
    >>> pre, post = bp.neurons.InputGroup(2), bp.neurons.LIF(1)
    >>> syn = bp.synapses.Delta(pre, post, bp.conn.All2All(), g_max=1.5)
    >>> _ = syn(bm.array([1., 1.]))
    >>> post.V.value.tolist()
    [3.0]
"""
from __future__ import annotations

from typing import Any

import jax

import neurodyn.math as bm
from neurodyn.errors import describe
from neurodyn.synapses._base import WeightedConn
from neurodyn.synapses.synouts import CUBA, SynOut

__all__ = ["Delta"]


class Delta(WeightedConn):
    """Instantaneous synapse: the weighted spikes are added to the target at once.

    Args:
        pre, post, conn, g_max, delay_step, comp_method, stop_spike_gradient, name, mode:
            see ``WeightedConn``.
        output: default ``CUBA(target_var='V')`` (a voltage jump).
        post_ref_key: the name of a boolean state of ``post`` (``'refractory'``): neurons where
            it is true receive nothing this step (BrainPy's ``post_ref_key``).

    ``update`` returns the delivered jump/current of shape ``(batch?, post.num)``.
    """

    def __init__(self, pre: Any, post: Any, conn: Any, output: SynOut | None = None,
                 comp_method: str | None = None, g_max: Any = 1., delay_step: int | None = None,
                 stop_spike_gradient: bool = False, name: str | None = None, mode: bm.Mode | None = None,
                 post_ref_key: str | None = None):
        super().__init__(pre, post, conn, output=CUBA(target_var="V") if output is None else output,
                         g_max=g_max, delay_step=delay_step, comp_method=comp_method,
                         stop_spike_gradient=stop_spike_gradient, name=name, mode=mode)
        if post_ref_key is not None and not isinstance(getattr(post, post_ref_key, None), bm.Variable):
            raise ValueError(describe(self.describe(), f"post_ref_key naming a state Variable of the "
                                      f"postsynaptic group {post.describe()}", repr(post_ref_key),
                                      "use 'refractory' with a group that has a refractory period (tau_ref > 0)"))
        self.post_ref_key = post_ref_key
        self.reset_state(self.mode.batch_size)

    def update(self, pre_spike: Any = None) -> jax.Array:
        """One step: deliver ``sum_i spike_i w_ij`` to the target (not to refractory neurons
        with ``post_ref_key``)."""
        jump = self._propagate(self._pre_spike(pre_spike))
        if self.post_ref_key is not None:
            jump = jump * (1. - getattr(self.post, self.post_ref_key).value.astype(jump.dtype))
        return self._deliver(jump)
