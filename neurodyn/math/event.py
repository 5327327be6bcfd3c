"""``bm.event``: event-driven products, ``csrmv(data, indices, indptr, events, shape=, transpose=)``
with boolean ``events`` (BrainPy's ``bm.event.csrmv``).

    >>> import neurodyn.math as bm
    >>> bm.event.csrmv(1.5, bm.asarray([0, 2, 1]), bm.asarray([0, 2, 3]), bm.asarray([True, False]),
    ...                shape=(2, 3), transpose=True).tolist()
    [1.5, 0.0, 1.5]
"""
from typing import Any

import jax

from neurodyn.math._syn_ops import csrmv as _csrmv

__all__ = ["csrmv"]


def csrmv(data: Any, indices: Any, indptr: Any, events: Any, *, shape: tuple[int, int],
          transpose: bool = False) -> jax.Array:
    """``events @ M`` (``transpose``) or ``M @ events`` for boolean ``events``; see ``bm.sparse.csrmv``."""
    return _csrmv(data, indices, indptr, events, shape=shape, transpose=transpose)
