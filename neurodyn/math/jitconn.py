"""``bm.jitconn``: products with a procedural random matrix ``M`` of ``shape`` (BrainPy's
``bm.jitconn.mv_prob_*``/``event_mv_prob_*``): each entry connected with probability
``conn_prob``, weights one value, uniform or normal, regenerated from ``seed`` inside the call
and never stored (see :mod:`neurodyn.math._procedural`; the same ``seed`` gives the same ``M``,
which is not BrainPy's realisation). ``transpose=True``: ``vector @ M``; else ``M @ vector``.

    >>> import numpy as np, neurodyn.math as bm
    >>> v = np.ones(1000, np.float32)
    >>> out = bm.jitconn.mv_prob_homo(v, 0.5, 0.1, seed=7, shape=(1000, 20), transpose=True)
    >>> out.shape, bool(40. < float(out.mean()) < 60.)      # ~1000 * 0.1 * 0.5 per target
    ((20,), True)
"""
from __future__ import annotations

import functools
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np

from neurodyn.math._procedural import apply_rows, rows
from neurodyn.math._variable import unwrap

__all__ = ["mv_prob_homo", "mv_prob_uniform", "mv_prob_normal", "event_mv_prob_homo", "event_mv_prob_uniform",
           "event_mv_prob_normal"]


@functools.partial(jax.jit, static_argnums=(1, 3, 4, 5, 6))
def _product(v: jax.Array, dist: str, params: tuple, conn_prob: float, seed: int, shape: tuple[int, int],
             transpose: bool, row_ids: jax.Array | None = None) -> jax.Array:
    n_rows, n_cols = shape
    if transpose:          # only the rows given (those of the events) contribute
        ids = jnp.arange(n_rows) if row_ids is None else row_ids
        return apply_rows(v[ids][None], ids, seed, conn_prob, n_cols, dist, params)[0]
    cols, w = rows(seed, jnp.arange(n_rows), conn_prob, n_cols, dist, params)
    return (w * jnp.concatenate([v, jnp.zeros(1, jnp.float32)])[cols]).sum(-1)


def _mv(vector: Any, dist: str, params: tuple, conn_prob: float, seed: int | None, shape: tuple[int, int],
        transpose: bool) -> jax.Array:
    v = jnp.asarray(unwrap(vector))
    row_ids = None
    if transpose and v.dtype == jnp.bool_ and not isinstance(v, jax.core.Tracer):
        row_ids = jnp.asarray(np.flatnonzero(np.asarray(v)), jnp.int32)   # events: visit the spiking rows only
    seed = int(np.random.randint(0, 100000)) if seed is None else int(seed)
    params = tuple(jnp.asarray(unwrap(p), jnp.float32) for p in params)
    return _product(v.astype(jnp.float32), dist, params, float(conn_prob), seed, (int(shape[0]), int(shape[1])),
                    bool(transpose), row_ids)


def mv_prob_homo(vector: Any, weight: Any, conn_prob: float, seed: int | None = None, *, shape: tuple[int, int],
                 transpose: bool = False, outdim_parallel: bool = True) -> jax.Array:
    """``M @ vector`` (``vector @ M`` with ``transpose``), every connection of weight ``weight``."""
    return _mv(vector, "homo", (weight,), conn_prob, seed, shape, transpose)


def mv_prob_uniform(vector: Any, w_low: Any, w_high: Any, conn_prob: float, seed: int | None = None, *,
                    shape: tuple[int, int], transpose: bool = False, outdim_parallel: bool = True) -> jax.Array:
    """As :func:`mv_prob_homo`, weights uniform in ``[w_low, w_high)``."""
    return _mv(vector, "uniform", (w_low, w_high), conn_prob, seed, shape, transpose)


def mv_prob_normal(vector: Any, w_mu: Any, w_sigma: Any, conn_prob: float, seed: int | None = None, *,
                   shape: tuple[int, int], transpose: bool = False, outdim_parallel: bool = True) -> jax.Array:
    """As :func:`mv_prob_homo`, weights normal ``(w_mu, w_sigma)``."""
    return _mv(vector, "normal", (w_mu, w_sigma), conn_prob, seed, shape, transpose)


event_mv_prob_homo = mv_prob_homo          # spikes in (a boolean vector), the same product
event_mv_prob_uniform = mv_prob_uniform
event_mv_prob_normal = mv_prob_normal
