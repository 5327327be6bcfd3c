"""BrainPy's synapse-indexing operators (``bm.pre2post_event_sum``, ``bm.pre2syn``, ``bm.syn2post``):
gather presynaptic values onto synapses and sum synaptic values onto postsynaptic neurons, for
the synapse models users write with ``conn.require('pre2post')`` or ``('pre_ids', 'post_ids')``.

    >>> import neurodyn.math as bm
    >>> indices, indptr = bm.asarray([0, 2, 1]), bm.asarray([0, 2, 3])   # 0 -> {0, 2}, 1 -> {1}
    >>> bm.pre2post_event_sum(bm.asarray([True, False]), (indices, indptr), 3, 0.5).tolist()
    [0.5, 0.0, 0.5]
    >>> bm.syn2post(bm.asarray([1., 2., 3.]), bm.asarray([0, 0, 2]), 3).tolist()
    [3.0, 0.0, 3.0]
"""
from __future__ import annotations

import functools
from typing import Any

import jax
import jax.numpy as jnp

from neurodyn.math._variable import unwrap

__all__ = ["pre2post_event_sum", "pre2post_sum", "pre2syn", "syn2post", "syn2post_sum", "syn2post_mean",
           "syn2post_max", "csrmv"]


def _rows(indptr: jax.Array, nnz: int) -> jax.Array:
    counts = jnp.diff(indptr)
    return jnp.repeat(jnp.arange(counts.shape[0]), counts, total_repeat_length=nnz)


def pre2post_event_sum(events: Any, pre2post: tuple, post_num: int, values: Any = 1.) -> jax.Array:
    """For each postsynaptic neuron, the sum of ``values`` over its synapses from spiking neurons;
    ``pre2post`` is the CSR ``(post indices, indptr)``; ``values`` a scalar or one per synapse."""
    indices, indptr = (jnp.asarray(unwrap(a)) for a in pre2post)
    rows = _rows(indptr, indices.shape[0])
    contrib = jnp.asarray(unwrap(events))[rows].astype(jnp.float32) * jnp.asarray(unwrap(values), jnp.float32)
    return jax.ops.segment_sum(jnp.broadcast_to(contrib, indices.shape), indices, num_segments=post_num)


def csrmv(data: Any, indices: Any, indptr: Any, vector: Any, *, shape: tuple[int, int],
          transpose: bool = False) -> jax.Array:
    """``M @ vector`` (``transpose``: ``vector @ M``) for the ``shape`` matrix ``M`` in CSR form
    (``data`` one value or one per entry, column ``indices``, row pointers ``indptr``), as
    BrainPy's ``bm.sparse.csrmv``; a boolean ``vector`` is events (``bm.event.csrmv``).

        >>> import neurodyn.math as bm
        >>> bm.sparse.csrmv(bm.asarray([1., 2., 3.]), bm.asarray([0, 2, 1]), bm.asarray([0, 2, 3]),
        ...                 bm.asarray([1., 10.]), shape=(2, 3), transpose=True).tolist()
        [1.0, 30.0, 2.0]
    """
    return _csrmv(jnp.asarray(unwrap(data), jnp.float32), jnp.asarray(unwrap(indices)), jnp.asarray(unwrap(indptr)),
                  jnp.asarray(unwrap(vector)).astype(jnp.float32), (int(shape[0]), int(shape[1])), bool(transpose))


@functools.partial(jax.jit, static_argnums=(4, 5))
def _csrmv(data: jax.Array, indices: jax.Array, indptr: jax.Array, v: jax.Array, shape: tuple[int, int],
           transpose: bool) -> jax.Array:
    rows = _rows(indptr, indices.shape[0])
    data = jnp.broadcast_to(data, indices.shape)
    if transpose:
        return jax.ops.segment_sum(data * v[rows], indices, num_segments=shape[1])
    return jax.ops.segment_sum(data * v[indices], rows, num_segments=shape[0])


def pre2post_sum(pre_values: Any, post_num: int, post_ids: Any, pre_ids: Any = None) -> jax.Array:
    """Each postsynaptic neuron's sum of its presynaptic values (synapses given as id lists)."""
    values = jnp.asarray(unwrap(pre_values))
    values = values if pre_ids is None else values[jnp.asarray(unwrap(pre_ids))]
    return jax.ops.segment_sum(values, jnp.asarray(unwrap(post_ids)), num_segments=post_num)


def pre2syn(pre_values: Any, pre_ids: Any) -> jax.Array:
    """The presynaptic value of each synapse."""
    return jnp.asarray(unwrap(pre_values))[jnp.asarray(unwrap(pre_ids))]


def syn2post_sum(syn_values: Any, post_ids: Any, post_num: int, indices_are_sorted: bool = False) -> jax.Array:
    """Each postsynaptic neuron's sum of its synapses' values."""
    return jax.ops.segment_sum(jnp.asarray(unwrap(syn_values)), jnp.asarray(unwrap(post_ids)),
                               num_segments=post_num, indices_are_sorted=indices_are_sorted)


syn2post = syn2post_sum


def syn2post_mean(syn_values: Any, post_ids: Any, post_num: int, indices_are_sorted: bool = False) -> jax.Array:
    """Each postsynaptic neuron's mean over its synapses (0 without synapses)."""
    total = syn2post_sum(syn_values, post_ids, post_num, indices_are_sorted)
    count = syn2post_sum(jnp.ones_like(jnp.asarray(unwrap(syn_values))), post_ids, post_num, indices_are_sorted)
    return jnp.where(count > 0, total / jnp.maximum(count, 1), 0.)


def syn2post_max(syn_values: Any, post_ids: Any, post_num: int, indices_are_sorted: bool = False) -> jax.Array:
    """Each postsynaptic neuron's maximum over its synapses."""
    return jax.ops.segment_max(jnp.asarray(unwrap(syn_values)), jnp.asarray(unwrap(post_ids)),
                               num_segments=post_num, indices_are_sorted=indices_are_sorted)
