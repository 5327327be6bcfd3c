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

from typing import Any

import jax
import jax.numpy as jnp
import numpy as np

import neurodyn.math as bm
from neurodyn.check import is_integer
from neurodyn.core import DynamicalSystem
from neurodyn.errors import describe
from neurodyn.math._procedural import apply_rows, capacity

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
        self.capacity = capacity(self.num_out, self.prob)
        training = isinstance(self.mode, bm.TrainingMode)
        for key, value in zip(self._PARAMS[dist], params):
            value = jnp.asarray(bm.unwrap(value), bm.get_float())
            setattr(self, key, bm.TrainVar(value) if training else value)

    _PARAMS = {"homo": ("weight",), "uniform": ("w_low", "w_high"), "normal": ("w_mu", "w_sigma")}

    def _apply(self, flat: jax.Array, rows: jax.Array) -> jax.Array:
        """``flat[:, rows] @ M[rows]`` for a ``(B, len(rows))`` slice of the input."""
        params = tuple(bm.unwrap(getattr(self, key)) for key in self._PARAMS[self.dist])
        return apply_rows(flat, rows, self.seed, self.prob, self.num_out, self.dist, params)

    def update(self, x: Any) -> jax.Array:
        x = bm.as_jax(x)
        if x.shape[-1] != self.num_in:
            raise ValueError(describe(self.describe(), f"inputs of shape (..., {self.num_in})", f"{x.shape}"))
        spikes = x.dtype == jnp.bool_ and x.ndim == 1
        x = x.astype(bm.get_float())
        batch = x.shape[:-1]
        flat = x.reshape((-1, self.num_in))
        every = jnp.arange(self.num_in)
        if not spikes:
            return self._apply(flat, every).reshape(batch + (self.num_out,))
        # events: visit only the rows of the inputs that spiked, while they are few
        x, n = flat[0], jnp.count_nonzero(flat[0])

        def few(cap: int):
            def apply(x: jax.Array) -> jax.Array:
                (rows,) = jnp.nonzero(x, size=cap, fill_value=0)
                active = x[rows] * (jnp.arange(cap) < n)
                return self._apply(active[None], rows)[0]
            return apply

        small, large = max(4, self.num_in // 128), max(8, self.num_in // 8)
        dense = lambda x: self._apply(x[None], every)[0]        # noqa: E731
        return jax.lax.cond(n <= small, few(small),
                            lambda x: jax.lax.cond(n <= large, few(large), dense, x), x)

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
