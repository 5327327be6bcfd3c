"""``bp.running``: parameter sweeps — run a function that builds and simulates a model over many
parameter sets, vectorised on one device (``jax_vectorize_map``) or split over the local
devices (``jax_parallelize_map``). Results come back in the order of the arguments.

The function is traced once per chunk of ``num_parallel`` parameter sets; build the runner with
``progress_bar=False`` and ``numpy_mon_after_run=False`` so it stays inside the trace.

    >>> import neurodyn as bp, neurodyn.math as bm
    >>> def rate(current):
    ...     lif = bp.neurons.LIF(1, V_rest=0., V_reset=0., V_th=1., tau=10.)
    ...     runner = bp.DSRunner(lif, monitors=['spike'], inputs=['input', current],
    ...                          progress_bar=False, numpy_mon_after_run=False)
    ...     runner.run(50.)
    ...     return runner.mon['spike'].sum()
    >>> bp.running.jax_vectorize_map(rate, [bm.asarray([0.5, 2., 4.])], num_parallel=2).tolist()
    [0, 7, 17]
"""
from __future__ import annotations

from typing import Any, Callable, Sequence

import jax
import jax.numpy as jnp
import numpy as np

import neurodyn.math as bm
from neurodyn.errors import describe

__all__ = ["jax_vectorize_map", "jax_parallelize_map"]


def _chunks(arguments: Any, size: int, who: str) -> tuple[list, int]:
    """The arguments split along their first axis into chunks of ``size`` (the last may be shorter)."""
    leaves = jax.tree_util.tree_leaves(arguments)
    if not leaves:
        raise ValueError(describe(who, "arguments: a list (or dict) of arrays, one row per parameter set", "none"))
    n = {int(jnp.shape(x)[0]) for x in leaves}
    if len(n) != 1:
        raise ValueError(describe(who, "arguments with one common length (the number of parameter sets)",
                                  f"lengths {sorted(n)}"))
    total = n.pop()
    if not isinstance(size, int) or size < 1:
        raise ValueError(describe(who, "num_parallel an integer >= 1", repr(size)))
    arguments = jax.tree_util.tree_map(lambda x: jnp.asarray(bm.unwrap(x)), arguments)
    return [jax.tree_util.tree_map(lambda x: x[i:i + size], arguments) for i in range(0, total, size)], total


def _call(func: Callable, args: Any) -> Any:
    return func(**args) if isinstance(args, dict) else func(*args)


def _concat(results: list) -> Any:
    return jax.tree_util.tree_map(lambda *xs: jnp.concatenate(xs), *results)


def jax_vectorize_map(func: Callable, arguments: Sequence | dict, num_parallel: int,
                      clear_buffer: bool = False) -> Any:
    """``func`` over every parameter set: ``arguments`` holds one array per positional argument
    (or a dict per keyword), with one row per set; ``num_parallel`` sets run together (``vmap``)."""
    chunks, _ = _chunks(arguments, num_parallel, "jax_vectorize_map")
    results = []
    for chunk in chunks:
        results.append(jax.vmap(lambda a: _call(func, a))(chunk))
        if clear_buffer:
            jax.block_until_ready(results[-1])
            bm.clear_buffer_memory()
    return _concat(results)


def jax_parallelize_map(func: Callable, arguments: Sequence | dict, num_parallel: int,
                        clear_buffer: bool = False) -> Any:
    """As :func:`jax_vectorize_map`, one parameter set per local device (``pmap``), ``num_parallel``
    devices at a time. In a multi-process run (``bp.distributed.initialize``) the parameter sets
    are first split over the processes; every process gets all the results, in order."""
    devices = jax.local_device_count()
    if num_parallel > devices:
        raise ValueError(describe("jax_parallelize_map", f"num_parallel <= the {devices} local device(s)",
                                  repr(num_parallel), "use jax_vectorize_map on one device, or expose host "
                                  "devices with bm.set_host_device_count(n) before importing JAX"))
    chunks, total = _chunks(arguments, num_parallel, "jax_parallelize_map")
    processes = jax.process_count()
    if processes > 1:      # this process's share of the sets (the last share padded with its last set)
        share = -(-total // processes)
        mine = np.minimum(np.arange(share) + jax.process_index() * share, total - 1)
        everything = jax.tree_util.tree_map(lambda *xs: jnp.concatenate(xs), *chunks)
        chunks, _ = _chunks(jax.tree_util.tree_map(lambda x: x[mine], everything), num_parallel,
                            "jax_parallelize_map")
    results = []
    for chunk in chunks:
        n = int(jax.tree_util.tree_leaves(chunk)[0].shape[0])
        results.append(jax.pmap(lambda a: _call(func, a), devices=jax.local_devices()[:n])(chunk))
        if clear_buffer:
            jax.block_until_ready(results[-1])
            bm.clear_buffer_memory()
    results = _concat(results)
    if processes > 1:
        from jax.experimental import multihost_utils
        gathered = multihost_utils.process_allgather(results, tiled=True)
        results = jax.tree_util.tree_map(lambda x: jnp.asarray(x[:total]), gathered)
    return results
