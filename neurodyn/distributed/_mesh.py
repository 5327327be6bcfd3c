"""A named device mesh over every process's devices.

    >>> from neurodyn.distributed import mesh
    >>> m = mesh()                   # every device on the batch axis
    >>> m.axis_names, m.devices.size == len(__import__('jax').devices())
    (('batch',), True)
"""
from __future__ import annotations

import math

import jax
import numpy as np
from jax.sharding import Mesh

from neurodyn.errors import DistributedError, describe

__all__ = ["mesh"]


def mesh(**axes: int) -> Mesh:
    """A ``jax.sharding.Mesh`` with the named axes and sizes: ``mesh(batch=4)``,
    ``mesh(batch=2, neuron=2)``; one size may be ``-1`` (the devices left over). ``mesh()`` puts
    every device on ``batch``. Devices are taken in ``jax.devices()`` order (process by process),
    so a process holds contiguous rows of a batch.
    """
    devices = jax.devices()
    axes = dict(axes) or {"batch": -1}
    names, sizes = list(axes), list(axes.values())
    who = f"bp.distributed.mesh({', '.join(f'{k}={v}' for k, v in axes.items())})"
    if any(not isinstance(s, int) or isinstance(s, bool) or (s < 1 and s != -1) for s in sizes) or sizes.count(-1) > 1:
        raise DistributedError(describe(who, "axis sizes as positive integers (at most one -1)", repr(axes)))
    if -1 in sizes:
        known = math.prod(s for s in sizes if s != -1)
        sizes[sizes.index(-1)] = max(1, len(devices) // known)
    total = math.prod(sizes)
    if total > len(devices) or (jax.process_count() > 1 and total != len(devices)):
        need = "all" if jax.process_count() > 1 else "at most the"
        raise DistributedError(describe(
            who, f"{need} {len(devices)} devices of the run ({jax.process_count()} process(es))",
            f"{total} devices", "choose sizes whose product is the device count; on one CPU host, set "
            "XLA_FLAGS=--xla_force_host_platform_device_count=N before JAX starts"))
    return Mesh(np.asarray(devices[:total]).reshape(sizes), tuple(names))
