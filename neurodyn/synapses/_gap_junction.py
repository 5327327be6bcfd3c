"""Electrical synapses (``bp.synapses.GapJunction``): each connection passes the current
``g (V_pre - V_post)`` to the postsynaptic neuron and its opposite to the presynaptic one.

    >>> import neurodyn as bp, neurodyn.math as bm
    >>> a = bp.neurons.LIF(2, V_initializer=bp.init.Constant(1.))
    >>> b = bp.neurons.LIF(2)
    >>> gj = bp.synapses.GapJunction(a, b, bp.conn.One2One(), g_max=0.5)
    >>> _ = gj(); b.input.tolist(), a.input.tolist()
    ([0.5, 0.5], [-0.5, -0.5])
"""
from __future__ import annotations

from typing import Any

import jax
import jax.numpy as jnp
import numpy as np

import neurodyn.math as bm
from neurodyn.errors import ShapeError, describe
from neurodyn.synapses._base import TwoEndConn

__all__ = ["GapJunction"]


class GapJunction(TwoEndConn):
    """Gap junctions between ``pre`` and ``post`` (both with ``V`` and ``input``).

    Args:
        pre, post, conn, name, mode: see ``TwoEndConn``.
        comp_method: accepted for BrainPy's signature; the connections are always kept as a list.
        g_max: the coupling conductance: a scalar, a ``(pre.num, post.num)`` matrix (read at the
            connections) or one value per connection. A ``TrainVar`` in TrainingMode.
    """

    def __init__(self, pre: Any, post: Any, conn: Any, comp_method: str = "dense", g_max: Any = 1.,
                 name: str | None = None, mode: bm.Mode | None = None):
        super().__init__(pre, post, conn, name=name, mode=mode)
        self.check_pre_attrs("V", "input")
        self.check_post_attrs("V", "input")
        if isinstance(self.conn, np.ndarray) or isinstance(self.conn, jax.Array):
            pre_ids, post_ids = np.nonzero(np.asarray(self.conn))
        else:
            pre_ids, post_ids = (np.asarray(a) for a in self.conn.require("pre_ids", "post_ids"))
        self.pre_ids, self.post_ids = jnp.asarray(pre_ids), jnp.asarray(post_ids)
        g = np.asarray(bm.as_numpy(g_max), np.float32)
        if g.shape == (pre.num, post.num):
            g = g[pre_ids, post_ids]
        elif g.ndim and g.shape != pre_ids.shape:
            raise ShapeError(describe(self.describe(), f"g_max a scalar, a {(pre.num, post.num)} matrix or "
                                      f"{pre_ids.size} values (one per connection)", f"shape {g.shape}"))
        g = jnp.asarray(g, bm.get_float())
        self.weights = bm.TrainVar(g) if self.training else g
        self.comp_method = comp_method

    def update(self) -> jax.Array:
        V_pre, V_post = self.pre.V.value, self.post.V.value
        diff = (V_pre[..., self.pre_ids] - V_post[..., self.post_ids]) * bm.unwrap(self.weights)
        into_post = jnp.zeros_like(V_post).at[..., self.post_ids].add(diff)
        self.post.input.value = self.post.input.value + into_post
        self.pre.input.value = self.pre.input.value + jnp.zeros_like(V_pre).at[..., self.pre_ids].add(-diff)
        return into_post
