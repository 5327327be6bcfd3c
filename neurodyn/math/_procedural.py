"""Procedural random matrices: row ``i`` of a ``(num_in, num_out)`` matrix (its targets and
weights) drawn from a stateless hash of ``(seed, i)``, so any row is regenerated on demand and
the matrix is never stored. The gaps between successive targets are geometric, so each entry is
connected with probability ``prob``, independently; weights are one value (``'homo'``), uniform
(``'uniform'``) or normal (``'normal'``). A row holds at most ``capacity(num_out, prob)`` targets
(the mean plus 6 standard deviations; a row with more, probability < 1e-9, keeps the first).
Used by ``bp.dnn.JitFP*Linear`` and ``bm.jitconn``.
"""
from __future__ import annotations

import math
from typing import Any, Sequence

import jax
import jax.numpy as jnp

__all__ = ["capacity", "rows", "apply_rows"]


def _uniform(seed: jax.Array, row: jax.Array, k: jax.Array, stream: int) -> jax.Array:
    """Uniform numbers in (0, 1) hashed from ``(seed, row, k, stream)`` (a murmur3 finaliser:
    cheap, stateless, so any row can be regenerated alone)."""
    h = seed ^ (row * jnp.uint32(0x9E3779B1)) ^ (k * jnp.uint32(0x85EBCA77)) ^ jnp.uint32(0x27D4EB2F * (stream + 1))
    for mult in (0x7FEB352D, 0x846CA68B, 0x7FEB352D):
        h = (h ^ (h >> 16)) * jnp.uint32(mult)
    h = h ^ (h >> 15)
    return ((h >> 8).astype(jnp.float32) + 0.5) / jnp.float32(1 << 24)


def capacity(num_out: int, prob: float) -> int:
    """The most targets a row keeps."""
    mean = num_out * prob
    return min(num_out, int(math.ceil(mean + 6 * math.sqrt(mean * (1 - prob)) + 8)))


def rows(seed: int, row_ids: jax.Array, prob: float, num_out: int, dist: str,
         params: Sequence[Any]) -> tuple[jax.Array, jax.Array]:
    """``(targets, weights)`` of the rows ``row_ids``, each ``(len(row_ids), capacity)``; targets
    past the end are ``num_out``. ``params``: ``(weight,)``, ``(w_low, w_high)`` or ``(w_mu, w_sigma)``."""
    cap = capacity(num_out, prob)
    k = jnp.arange(cap, dtype=jnp.uint32)
    s = jax.lax.optimization_barrier(jnp.uint32(seed))    # regenerated, never folded
    r = row_ids.astype(jnp.uint32)[:, None]
    if prob >= 1.:
        cols = jnp.broadcast_to(k.astype(jnp.int32), (row_ids.shape[0], cap))
    else:
        gaps = jnp.floor(jnp.log(_uniform(s, r, k, 0)) / math.log1p(-prob)).astype(jnp.int32) + 1
        cols = jnp.cumsum(gaps, axis=1) - 1
    cols = jnp.where((cols < num_out) & (cols >= 0), cols, num_out)
    shape = (row_ids.shape[0], cap)
    if dist == "homo":
        return cols, jnp.broadcast_to(params[0], shape)
    u = _uniform(s, r, k, 1)
    if dist == "uniform":
        return cols, params[0] + (params[1] - params[0]) * u
    normal = jnp.sqrt(-2. * jnp.log(u)) * jnp.cos(2. * jnp.pi * _uniform(s, r, k, 2))   # Box-Muller
    return cols, params[0] + params[1] * normal


def apply_rows(flat: jax.Array, row_ids: jax.Array, seed: int, prob: float, num_out: int, dist: str,
               params: Sequence[Any]) -> jax.Array:
    """``flat[:, row_ids] @ M[row_ids]`` for a ``(B, len(row_ids))`` slice of the input: ``(B, num_out)``."""
    cols, w = rows(seed, row_ids, prob, num_out, dist, params)
    data = (flat.T[:, None, :] * w[:, :, None]).reshape(-1, flat.shape[0])   # (rows * capacity, B)
    return jax.ops.segment_sum(data, cols.reshape(-1), num_segments=num_out + 1)[:-1].T
