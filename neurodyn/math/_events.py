"""Event-driven propagation: inputs that are mostly zero (spikes) visit only their nonzero entries.

:func:`event_rows` propagates through padded connection rows: ``out[..., t]`` is the sum, over
the presynaptic neurons ``i`` that are active (``spikes[..., i] != 0``) and their slots ``l``
with ``rows[i, l] == t``, of ``spikes[..., i] * weights[i, l]``.

``rows`` is ``(n_pre + 1, L)`` int32, row ``i`` the targets of ``i`` padded with ``post_num``
(the last row all padding); ``weights`` is the same shape, or None for weight 1. Cost: the
active rows only. On CPU it runs as one native kernel (``_native``); elsewhere, or without a
compiler, as its pure-JAX twin: the active neurons found with ``jnp.nonzero(size=capacity)``
and their rows scatter-added (a step with more than ``capacity`` events scatters every row).
Both are differentiable in ``spikes`` and ``weights`` and give the same numbers.

    >>> import jax.numpy as jnp
    >>> rows = jnp.array([[0, 2], [1, 3], [3, 3]], jnp.int32)       # 0 -> {0, 2}, 1 -> {1}; 3 targets
    >>> event_rows(jnp.array([True, False]), rows, None, 3).tolist()
    [1.0, 0.0, 1.0]
    >>> event_rows(jnp.array([[0., 2.]]), rows, jnp.full((3, 2), 0.5), 3).tolist()
    [[0.0, 1.0, 0.0]]

:func:`event_matmul` is ``s @ w`` for a dense ``(K, N)`` weight matrix and spikes ``s (..., K)``:
with at most ``SPARSE`` of ``s`` nonzero it adds the rows of ``w`` that the nonzero entries
select (native kernel) and its weight gradient ``s^T @ g`` gathers the rows of ``g`` likewise;
denser inputs (and every platform without the kernel) take the matmul.

    >>> event_matmul(jnp.array([[0., 1., 0.], [2., 0., 1.]]), jnp.arange(6.).reshape(3, 2)).tolist()
    [[2.0, 3.0], [4.0, 7.0]]
"""
from __future__ import annotations

import functools
from typing import Any

import jax
import jax.numpy as jnp

from neurodyn.math import _native

__all__ = ["event_rows", "every_row", "event_matmul", "SPARSE"]

SPARSE = 0.2        # event_matmul's kernel is used up to this fraction of nonzero inputs


def event_rows(spikes: Any, rows: jax.Array, weights: jax.Array | None, post_num: int,
               capacity: int | None = None, dtype: Any = jnp.float32) -> jax.Array:
    """``(..., post_num)`` input of ``dtype`` from ``spikes (..., n_pre)``; ``capacity``: the
    pure-JAX path's number of events found per step (default ``n_pre // 50``, at least 32)."""
    spikes = jnp.asarray(spikes)
    n_pre = rows.shape[0] - 1
    capacity = int(min(n_pre, max(32, n_pre // 50))) if capacity is None else int(capacity)
    w = jnp.ones((1, 1), dtype) if weights is None else jnp.asarray(weights, dtype)
    if spikes.dtype not in (jnp.bool_, w.dtype):
        spikes = spikes.astype(w.dtype)
    if (w.dtype == jnp.float32 and rows.dtype == jnp.int32
            and _native.target("neurodyn_event_csr") is not None):
        return _native_rows(spikes, rows, w, post_num, capacity)
    return _jax_rows(spikes, rows, w, post_num, capacity)


def every_row(spikes: Any, rows: jax.Array, weights: jax.Array | None, post_num: int,
              dtype: Any = jnp.float32) -> jax.Array:
    """:func:`event_rows` computed over every row, each weighted by its value: the reverse-mode
    friendly form that training takes (differentiable in ``spikes`` and ``weights``)."""
    spikes = jnp.asarray(spikes)
    w = jnp.ones((1, 1), dtype) if weights is None else jnp.asarray(weights, dtype)
    ids = jnp.arange(rows.shape[0])

    def one(s):
        vals = jnp.concatenate([s.astype(dtype), jnp.zeros(1, dtype)])
        return _scatter(rows, w, ids, vals, post_num)
    for _ in range(spikes.ndim - 1):
        one = jax.vmap(one)
    return one(spikes)


# ------------------------------------------------------------------------------ pure JAX
def _scatter(rows: jax.Array, w: jax.Array, ids: jax.Array, vals: jax.Array, post_num: int) -> jax.Array:
    tgt = rows[ids]
    contrib = vals[:, None] * (w[ids] if w.size != 1 else jnp.ones((1, 1), w.dtype))
    out = jnp.zeros(post_num + 1, w.dtype)
    return out.at[tgt.ravel()].add(jnp.broadcast_to(contrib, tgt.shape).ravel())[:post_num]


def _jax_one(s: jax.Array, rows: jax.Array, w: jax.Array, post_num: int, capacity: int) -> jax.Array:
    n_pre = rows.shape[0] - 1
    vals = jnp.concatenate([s.astype(w.dtype), jnp.zeros(1, w.dtype)])
    active = s != 0

    def few(_):
        ids = jnp.nonzero(active, size=capacity, fill_value=n_pre)[0]
        return _scatter(rows, w, ids, vals[ids], post_num)

    def many(_):
        return _scatter(rows, w, jnp.arange(n_pre + 1), vals, post_num)

    return jax.lax.cond(active.sum() <= capacity, few, many, None)


def _jax_rows(s: jax.Array, rows: jax.Array, w: jax.Array, post_num: int, capacity: int) -> jax.Array:
    f = functools.partial(_jax_one, rows=rows, w=w, post_num=post_num, capacity=capacity)
    for _ in range(s.ndim - 1):
        f = jax.vmap(f)
    return f(s)


# ------------------------------------------------------------------------------ native
def _call(s: jax.Array, rows: jax.Array, w: jax.Array, post_num: int) -> jax.Array:
    flat = s.reshape((-1, s.shape[-1]))
    out = jax.ffi.ffi_call("neurodyn_event_csr", jax.ShapeDtypeStruct((flat.shape[0], post_num), jnp.float32),
                           vmap_method="sequential")(flat, rows, w)
    return out.reshape(s.shape[:-1] + (post_num,))


@functools.partial(jax.custom_jvp, nondiff_argnums=(3, 4))
def _native_rows(s: jax.Array, rows: jax.Array, w: jax.Array, post_num: int, capacity: int) -> jax.Array:
    return _call(s, rows, w, post_num)


@_native_rows.defjvp
def _native_rows_jvp(post_num: int, capacity: int, primals: tuple, tangents: tuple) -> tuple:
    # the derivative is the pure-JAX twin's (the same function); its primal part is not used
    _, tangent = jax.jvp(functools.partial(_jax_rows, post_num=post_num, capacity=capacity), primals, tangents)
    return _call(*primals, post_num), tangent


# ------------------------------------------------------------------------------ event matmul
def event_matmul(s: Any, w: jax.Array) -> jax.Array:
    """``s @ w`` for ``s (..., K)`` (bool or real) and ``w (K, N)``, event-driven where ``s`` is sparse."""
    s, w = jnp.asarray(s), jnp.asarray(w)
    if (w.ndim == 2 and s.ndim >= 1 and w.dtype == jnp.float32 and s.dtype in (jnp.bool_, jnp.float32)
            and _native.target("neurodyn_event_matmul") is not None):
        return _event_matmul(s, w)
    return s.astype(w.dtype) @ w


def _is_sparse(flat: jax.Array) -> jax.Array:
    return jnp.count_nonzero(flat) <= int(SPARSE * flat.size)


def _ffi(name: str, shape: tuple, *args: jax.Array) -> jax.Array:
    return jax.ffi.ffi_call(name, jax.ShapeDtypeStruct(shape, jnp.float32), vmap_method="sequential")(*args)


@jax.custom_vjp
def _event_matmul(s: jax.Array, w: jax.Array) -> jax.Array:
    flat = s.reshape((-1, s.shape[-1]))
    out = jax.lax.cond(_is_sparse(flat),
                       lambda: _ffi("neurodyn_event_matmul", (flat.shape[0], w.shape[1]), flat, w),
                       lambda: flat.astype(jnp.float32) @ w)
    return out.reshape(s.shape[:-1] + (w.shape[1],))


def _event_matmul_fwd(s: jax.Array, w: jax.Array) -> tuple:
    return _event_matmul(s, w), (s, w)


def _event_matmul_bwd(res: tuple, g: jax.Array) -> tuple:
    s, w = res
    flat, gflat = s.reshape((-1, s.shape[-1])), g.reshape((-1, g.shape[-1]))
    dw = jax.lax.cond(_is_sparse(flat),
                      lambda: _ffi("neurodyn_event_matmul_t", w.shape, flat, gflat),
                      lambda: flat.astype(jnp.float32).T @ gflat)
    ds = None if s.dtype == jnp.bool_ else g @ w.T      # unused for data inputs: the compiler drops it
    return ds, dw


_event_matmul.defvjp(_event_matmul_fwd, _event_matmul_bwd)
