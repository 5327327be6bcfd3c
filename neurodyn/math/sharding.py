"""``bm.sharding``: BrainPy's axis names and ``partition``, on one device a no-op.

Placement over devices is issue-tracked work (``jax.sharding``); until then a program that names
axes or partitions arrays runs unchanged on one device.

    >>> import neurodyn.math as bm
    >>> bm.sharding.partition(bm.ones(3)).tolist(), bm.sharding.NEU_AXIS
    ([1.0, 1.0, 1.0], 'neuron')
"""
from __future__ import annotations

from typing import Any

__all__ = ["BATCH_AXIS", "NEU_AXIS", "PRE_AXIS", "POST_AXIS", "SYN_AXIS", "TIME_AXIS", "partition",
           "get_sharding"]

BATCH_AXIS, NEU_AXIS, PRE_AXIS, POST_AXIS, SYN_AXIS, TIME_AXIS = "batch", "neuron", "pre", "post", "synapse", "time"


def partition(x: Any, sharding: Any = None) -> Any:
    """``x`` placed by ``sharding``; on one device, ``x`` itself."""
    return x


def get_sharding(axis_names: Any) -> None:
    """The sharding for ``axis_names``; None on one device."""
    return None
