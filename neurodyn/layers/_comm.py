"""From presynaptic spikes to postsynaptic input: connectivity, weights, dense and sparse paths.

:func:`build` turns a connector and ``g_max`` into a :class:`Layout` (the static arrays) and the
initial weights; :func:`propagate` computes ``input[j] = sum_i spike[i] * w[i, j]`` over the
connections, for spikes of shape ``(..., pre_num)``.

Paths:
    * ``all2all`` / ``one2one``: sums or a matmul / an elementwise product.
    * ``dense``: a matmul with the masked ``(pre, post)`` weight matrix (or with the 0/1 mask,
      scaled by a homogeneous ``g_max``). With a full weight matrix and spikes (``events``) the
      matmul is event-driven while the spikes are sparse (``math/_events.event_matmul``).
    * ``sparse``: the connections are a padded ``(pre + 1, L)`` matrix of targets (row ``i``:
      the targets of ``i``, padded with the dummy target ``post_num``; row ``pre_num``: all
      dummies). Each step adds the rows of the neurons that spiked (``math/_events.py``: one
      native kernel on CPU, else ``jnp.nonzero(size=K)`` and a scatter-add): cost ~ events x L,
      not pre x post. ``TrainingMode`` scatters every row weighted by its spike.

    >>> import numpy as np, jax.numpy as jnp
    >>> from neurodyn.conn import FixedProb
    >>> lay, w = build(FixedProb(0.3, seed=1), 6, 5, 0.5, "sparse", False, "demo")
    >>> dense, _ = build(FixedProb(0.3, seed=1), 6, 5, 0.5, "dense", False, "demo")
    >>> s = jnp.array([1., 0., 1., 1., 0., 0.])
    >>> bool(jnp.allclose(propagate(lay, w, s, False), propagate(dense, _, s, False)))
    True
"""
from __future__ import annotations

import dataclasses
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np

import neurodyn.math as bm
from neurodyn.math._events import event_matmul, event_rows, every_row
from neurodyn.check import real_dtype
from neurodyn.conn import All2All, Connector, One2One
from neurodyn.errors import ShapeError, describe
from neurodyn.init import parameter

__all__ = ["Layout", "build", "propagate", "weight_matrix", "COMP_METHODS"]

COMP_METHODS = (None, "auto", "dense", "sparse")
# event-driven wins in simulation up to high densities: BrainPy's DSRunner tutorial (4000 LIF,
# FixedProb(0.1), COBA) runs 3.7x faster sparse (824 vs 225 steps/s) and still 1.9x at 0.5
_AUTO_SPARSE_DENSITY = 0.5


@dataclasses.dataclass(frozen=True, eq=False)
class Layout:
    """The connectivity of a projection (the weights live on the synapse).

    ``mask`` and ``rows`` are constant arrays kept in ``bm.Variable`` boxes (never written): a
    transform then passes them to the compiled program as arguments instead of baking them in
    as constants, which for a large matrix would make compilation slow and the program huge.
    They are not state, so they are not attributes of the synapse (not in ``vars()``).
    """
    kind: str                     # 'all2all', 'one2one', 'dense' or 'sparse'
    pre_num: int
    post_num: int
    wkind: str                    # 'scalar', 'post' (one per target), 'full' (one per connection)
    include_self: bool = True     # all2all only
    mask: Any = None              # dense: float32 (pre, post) 0/1; all2all without self: 1 - eye
    rows: Any = None              # sparse: int32 (pre + 1, L) padded targets
    events: int = 0               # sparse: at most this many events take the event path
    cols: Any = None              # sparse: int32 (post, M) slots of rows.ravel() per target (padded)


def _conn_matrix(conn: Any, pre_num: int, post_num: int, who: str) -> Connector | np.ndarray:
    """Build a connector for the sizes (or validate a 0/1 matrix)."""
    if isinstance(conn, Connector):
        if conn.pre_num is None:
            conn.build(pre_num, post_num)
        elif (conn.pre_num, conn.post_num) != (pre_num, post_num):
            raise ShapeError(describe(who, f"a connector for {pre_num} -> {post_num} neurons",
                                      f"{conn!r} built for {conn.pre_num} -> {conn.post_num}",
                                      "pass an unbuilt connector; the synapse builds it"))
        return conn
    if isinstance(conn, (np.ndarray, jax.Array)):
        mat = np.asarray(conn)
        if mat.shape != (pre_num, post_num):
            raise ShapeError(describe(who, f"a connection matrix of shape {(pre_num, post_num)}",
                                      f"shape {mat.shape}"))
        if mat.dtype != bool and not np.isin(mat, (0, 1)).all():
            raise ValueError(describe(who, "a 0/1 or bool connection matrix", "other values",
                                      "give weights through g_max= and the pattern through conn="))
        return mat.astype(bool)
    raise TypeError(describe(who, "conn= a bp.conn connector (All2All(), FixedProb(0.1), ...) or a "
                             "bool (pre, post) matrix", f"{type(conn).__name__} {conn!r}"))


def _weights(g_max: Any, lay_kind: str, pre_num: int, post_num: int, who: str) -> tuple[str, jax.Array]:
    """(wkind, array): a scalar, one weight per target, or a full matrix (per-neuron for one2one)."""
    if lay_kind == "one2one":
        w = parameter(g_max, (pre_num,), allow_none=False, who=f"{who} g_max")
        return ("scalar" if w.ndim == 0 else "post"), jnp.asarray(w, bm.get_float())
    if isinstance(g_max, (np.ndarray, jax.Array, bm.Variable)):
        real_dtype(f"{who} g_max", bm.unwrap(g_max), "an array")
        arr = jnp.asarray(bm.unwrap(g_max), bm.get_float())
        if arr.ndim == 0:
            return "scalar", arr
        if arr.shape == (post_num,):
            return "post", arr
        if arr.shape != (pre_num, post_num):
            raise ShapeError(describe(who, f"g_max as a scalar, shape ({post_num},) or "
                                      f"{(pre_num, post_num)}", f"shape {tuple(arr.shape)}"))
        return "full", arr
    w = parameter(g_max, (pre_num, post_num), allow_none=False, who=f"{who} g_max")
    w = jnp.asarray(w, bm.get_float())
    return ("scalar" if w.ndim == 0 else "full"), w


def _box(array: Any) -> bm.Variable | None:
    return None if array is None else bm.Variable(array)


def _padded_rows(indices: np.ndarray, indptr: np.ndarray, pre_num: int, post_num: int) -> np.ndarray:
    counts = np.diff(indptr)
    width = max(int(counts.max(initial=0)), 1)
    rows = np.full((pre_num + 1, width), post_num, dtype=np.int32)
    cols = np.arange(indices.size) - np.repeat(indptr[:-1], counts)
    rows[np.repeat(np.arange(pre_num), counts), cols] = indices
    return rows


def build(conn: Any, pre_num: int, post_num: int, g_max: Any, comp_method: str | None,
          batching: bool, who: str) -> tuple[Layout, jax.Array]:
    """The layout and the initial weights of a projection ``pre_num -> post_num``."""
    if comp_method not in COMP_METHODS:
        raise ValueError(describe(who, "comp_method= None/'auto', 'dense' or 'sparse'", repr(comp_method)))
    conn = _conn_matrix(conn, pre_num, post_num, who)
    if comp_method != "sparse" and isinstance(conn, One2One):
        wkind, w = _weights(g_max, "one2one", pre_num, post_num, who)
        return Layout("one2one", pre_num, post_num, wkind), w
    if comp_method != "sparse" and isinstance(conn, All2All):
        wkind, w = _weights(g_max, "all2all", pre_num, post_num, who)
        mask = None if conn.include_self else 1. - jnp.eye(pre_num, dtype=bm.get_float())
        if wkind == "full" and mask is not None:
            w = w * mask
        return Layout("all2all", pre_num, post_num, wkind, conn.include_self, _box(mask)), w
    if isinstance(conn, Connector):
        indices, indptr = conn.build_csr()
    else:
        rows_, indices = np.nonzero(conn)
        indptr = np.concatenate([[0], np.cumsum(np.bincount(rows_, minlength=pre_num))])
    density = indices.size / float(pre_num * post_num)
    if comp_method in (None, "auto"):
        comp_method = "sparse" if (density <= _AUTO_SPARSE_DENSITY and not batching) else "dense"
    wkind, w = _weights(g_max, "dense", pre_num, post_num, who)
    if comp_method == "dense":
        mat = conn.build_mat() if isinstance(conn, Connector) else conn
        mask = jnp.asarray(mat, bm.get_float())
        return Layout("dense", pre_num, post_num, wkind, mask=_box(mask)), (w * mask if wkind == "full" else w)
    rows = _padded_rows(np.asarray(indices), np.asarray(indptr), pre_num, post_num)
    if wkind == "full":
        padded = np.zeros(rows.shape, bm.get_float())
        valid = rows[:pre_num] < post_num
        src = np.nonzero(valid)[0]
        padded[:pre_num][valid] = np.asarray(w)[src, rows[:pre_num][valid]]
        w = jnp.asarray(padded)
    events = int(min(pre_num, max(32, pre_num // 50)))
    return Layout("sparse", pre_num, post_num, wkind, rows=_box(jnp.asarray(rows)), events=events,
                  cols=_box(jnp.asarray(_slots_by_target(rows, pre_num, post_num)))), w


def _slots_by_target(rows: np.ndarray, pre_num: int, post_num: int) -> np.ndarray:
    """For each target, the positions of its connections in ``rows.ravel()``, padded with a slot
    of the dummy row ``pre_num`` (whose value is always 0): a gather-and-sum matvec needs no scatter."""
    flat = rows.ravel()
    valid = np.nonzero(flat < post_num)[0]
    order = valid[np.argsort(flat[valid], kind="stable")]
    targets = flat[order]
    counts = np.bincount(targets, minlength=post_num)
    starts = np.concatenate([[0], np.cumsum(counts)[:-1]])
    cols = np.full((post_num, max(1, int(counts.max(initial=0)))), pre_num * rows.shape[1], np.int32)
    cols[targets, np.arange(order.size) - starts[targets]] = order
    return cols


def propagate(lay: Layout, w: Any, spike: jax.Array, differentiable: bool, events: bool = True) -> jax.Array:
    """``sum_i spike[..., i] * w[i, j]`` over the connections: shape ``(..., post_num)``, float32.

    ``differentiable`` (``TrainingMode``): re-apply the mask each step (weights stay zero where
    unconnected) and use the scatter-all sparse path (reverse-mode friendly). ``events=False``:
    the inputs are dense values (conductances), so the sparse path scatters every row at once
    instead of looking for the few active ones.
    """
    w = bm.unwrap(w)
    s = spike.astype(bm.get_float())
    mask = None if lay.mask is None else lay.mask.value
    if lay.kind == "one2one":
        return s * w
    if lay.kind == "all2all":
        if lay.wkind == "full":
            w = w * mask if (differentiable and mask is not None) else w
            return event_matmul(spike, w) if events else s @ w
        total = s.sum(-1, keepdims=True)
        out = w * (total if lay.include_self else total - s)
        return jnp.broadcast_to(out, s.shape[:-1] + (lay.post_num,))
    if lay.kind == "dense":
        if lay.wkind == "full":
            w = w * mask if differentiable else w
            return event_matmul(spike, w) if events else s @ w
        return w * (s @ mask)
    scale = None if lay.wkind == "full" else w
    if not differentiable and not events:      # dense values: gather each target's inputs and sum
        vals = jnp.concatenate([s, jnp.zeros(s.shape[:-1] + (1,), bm.get_float())], -1)
        per_slot = vals[..., :, None] * (w if lay.wkind == "full" else jnp.ones((1, 1), bm.get_float()))
        per_slot = jnp.broadcast_to(per_slot, s.shape[:-1] + lay.rows.value.shape)
        out = per_slot.reshape(s.shape[:-1] + (-1,))[..., lay.cols.value].sum(-1)
    elif differentiable:
        out = every_row(spike, lay.rows.value, w if lay.wkind == "full" else None, lay.post_num, bm.get_float())
    else:
        out = event_rows(spike, lay.rows.value, w if lay.wkind == "full" else None, lay.post_num, lay.events,
                         bm.get_float())
    return out if scale is None else out * scale


def weight_matrix(lay: Layout, w: Any) -> jax.Array:
    """The effective ``(pre_num, post_num)`` weights (0 where unconnected)."""
    w = jnp.asarray(bm.unwrap(w), bm.get_float())
    shape = (lay.pre_num, lay.post_num)
    if lay.kind == "one2one":
        return jnp.diag(jnp.broadcast_to(w, (lay.pre_num,)))
    if lay.kind == "sparse":
        rows = lay.rows.value
        ids = jnp.broadcast_to(jnp.arange(rows.shape[0])[:, None], rows.shape)
        vals = w if lay.wkind == "full" else jnp.broadcast_to(
            jnp.concatenate([jnp.broadcast_to(w, (lay.post_num,)), jnp.zeros(1)])[rows], rows.shape)
        dense = jnp.zeros((lay.pre_num + 1, lay.post_num + 1), bm.get_float()).at[ids, rows].add(vals)
        return dense[:lay.pre_num, :lay.post_num]
    mask = jnp.ones(shape, bm.get_float()) if lay.mask is None else lay.mask.value
    return jnp.broadcast_to(w, shape) * mask
