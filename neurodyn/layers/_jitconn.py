"""Procedural connectivity (BrainPy's ``bp.dnn.JitFP*Linear``): a random sparse ``(num_in, num_out)``
matrix regenerated from its seed inside every step and never stored, so a network's synapses
need no memory at all.

Row ``i`` of the matrix (the targets of input ``i``) is drawn from a key derived from
``(seed, i)``: the gaps between successive targets are geometric, so each entry is connected
with probability ``prob``, independently; weights are one value (``Homo``), uniform
(``Uniform``) or normal (``Normal``), drawn from the same row key. A row holds at most
``capacity`` targets (``num_out * prob`` plus 6 standard deviations of the binomial count; a
row with more, probability < 1e-9, keeps the first ``capacity``). The cost per step is
``num_in * capacity`` random draws, whatever ``x`` is; ``Event*`` names are the same layers
given spikes.

    >>> import numpy as np, neurodyn as bp, neurodyn.math as bm
    >>> layer = bp.dnn.JitFPHomoLinear(200, 100, prob=0.1, weight=0.5, seed=3)
    >>> M = layer.get_conn_matrix()                       # materialised only on request
    >>> x = bm.random.rand(200)
    >>> bool(np.allclose(layer(x), x @ M, atol=1e-5)), round(float((M > 0).mean()), 1)
    (True, 0.1)
"""
from __future__ import annotations

import math
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np

import neurodyn.math as bm
from neurodyn.check import is_integer
from neurodyn.core import DynamicalSystem
from neurodyn.errors import describe

__all__ = ["JitFPHomoLinear", "JitFPUniformLinear", "JitFPNormalLinear", "EventJitFPHomoLinear",
           "EventJitFPUniformLinear", "EventJitFPNormalLinear"]


class _JitFPLinear(DynamicalSystem):
    """A procedural random linear map; ``dist`` is ``'homo'``, ``'uniform'`` or ``'normal'`` with
    ``params`` ``(weight,)``, ``(w_low, w_high)`` or ``(w_mu, w_sigma)``; trainable in TrainingMode."""

    def __init__(self, num_in: int, num_out: int, prob: float, dist: str, params: tuple, seed: int | None,
                 name: str | None, mode: bm.Mode | None, sharding: Any = None, transpose: bool = False,
                 atomic: bool = False):
        super().__init__(name=name, mode=mode)
        who = self.describe()
        self.num_in, self.num_out = is_integer(num_in, "num_in", who, 1), is_integer(num_out, "num_out", who, 1)
        if not 0. < float(prob) <= 1.:
            raise ValueError(describe(who, "prob in (0, 1]", repr(prob)))
        self.prob, self.dist = float(prob), dist
        self.seed = int(np.random.randint(0, 100000)) if seed is None else is_integer(seed, "seed", who, 0)
        self.sharding, self.transpose, self.atomic = sharding, transpose, atomic
        mean = self.num_out * self.prob
        self.capacity = min(self.num_out, int(math.ceil(mean + 6 * math.sqrt(mean * (1 - self.prob)) + 8)))
        training = isinstance(self.mode, bm.TrainingMode)
        for key, value in zip(self._PARAMS[dist], params):
            value = jnp.asarray(bm.unwrap(value), bm.get_float())
            setattr(self, key, bm.TrainVar(value) if training else value)

    _PARAMS = {"homo": ("weight",), "uniform": ("w_low", "w_high"), "normal": ("w_mu", "w_sigma")}

    def _rows(self) -> tuple[jax.Array, jax.Array]:
        """``(targets, weights)`` of shape ``(num_in, capacity)``; invalid targets are ``num_out``."""
        keys = jax.vmap(lambda i: jax.random.fold_in(jax.random.PRNGKey(self.seed), i))(jnp.arange(self.num_in))

        def row(key: jax.Array) -> tuple[jax.Array, jax.Array]:
            k_gap, k_w = jax.random.split(key)
            if self.prob >= 1.:
                cols = jnp.arange(self.capacity)
            else:
                u = jax.random.uniform(k_gap, (self.capacity,), minval=jnp.finfo(jnp.float32).tiny)
                gaps = jnp.floor(jnp.log(u) / math.log1p(-self.prob)).astype(jnp.int32) + 1
                cols = jnp.cumsum(gaps) - 1
            cols = jnp.where(cols < self.num_out, cols, self.num_out)
            return cols, self._weights(k_w)

        return jax.vmap(row)(keys)

    def _weights(self, key: jax.Array) -> jax.Array:
        shape = (self.capacity,)
        if self.dist == "homo":
            return jnp.broadcast_to(bm.unwrap(self.weight), shape)
        if self.dist == "uniform":
            u = jax.random.uniform(key, shape, bm.get_float())
            return bm.unwrap(self.w_low) + (bm.unwrap(self.w_high) - bm.unwrap(self.w_low)) * u
        return bm.unwrap(self.w_mu) + bm.unwrap(self.w_sigma) * jax.random.normal(key, shape, bm.get_float())

    def update(self, x: Any) -> jax.Array:
        x = bm.as_jax(x)
        if x.shape[-1] != self.num_in:
            raise ValueError(describe(self.describe(), f"inputs of shape (..., {self.num_in})", f"{x.shape}"))
        x = x.astype(bm.get_float())
        cols, w = self._rows()
        batch = x.shape[:-1]
        flat = x.reshape((-1, self.num_in))                                     # (B, num_in)
        data = (flat.T[:, None, :] * w[:, :, None]).reshape(-1, flat.shape[0])   # (num_in * capacity, B)
        y = jax.ops.segment_sum(data, cols.reshape(-1), num_segments=self.num_out + 1)[:-1]
        return y.T.reshape(batch + (self.num_out,))

    def get_conn_matrix(self) -> jax.Array:
        """The ``(num_in, num_out)`` weights, materialised (for inspection and tests)."""
        return self.update(jnp.eye(self.num_in, dtype=bm.get_float()))


class JitFPHomoLinear(_JitFPLinear):
    """Each ``(in, out)`` pair connected with probability ``prob``, all with weight ``weight``."""

    def __init__(self, num_in: int, num_out: int, prob: float, weight: Any, seed: int | None = None,
                 sharding: Any = None, mode: bm.Mode | None = None, name: str | None = None,
                 transpose: bool = False, atomic: bool = False):
        super().__init__(num_in, num_out, prob, "homo", (weight,), seed, name, mode, sharding, transpose, atomic)


class JitFPUniformLinear(_JitFPLinear):
    """Each pair connected with probability ``prob``, weights uniform in ``[w_low, w_high)``."""

    def __init__(self, num_in: int, num_out: int, prob: float, w_low: Any, w_high: Any, seed: int | None = None,
                 sharding: Any = None, mode: bm.Mode | None = None, name: str | None = None,
                 transpose: bool = False, atomic: bool = False):
        super().__init__(num_in, num_out, prob, "uniform", (w_low, w_high), seed, name, mode, sharding,
                         transpose, atomic)


class JitFPNormalLinear(_JitFPLinear):
    """Each pair connected with probability ``prob``, weights normal ``(w_mu, w_sigma)``."""

    def __init__(self, num_in: int, num_out: int, prob: float, w_mu: Any, w_sigma: Any, seed: int | None = None,
                 sharding: Any = None, mode: bm.Mode | None = None, name: str | None = None,
                 transpose: bool = False, atomic: bool = False):
        super().__init__(num_in, num_out, prob, "normal", (w_mu, w_sigma), seed, name, mode, sharding,
                         transpose, atomic)


EventJitFPHomoLinear = JitFPHomoLinear          # spikes in, the same map
EventJitFPUniformLinear = JitFPUniformLinear
EventJitFPNormalLinear = JitFPNormalLinear
