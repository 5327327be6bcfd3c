"""``bp.tools``: small helpers BrainPy programs use."""
from __future__ import annotations

import math
from typing import Any, Sequence

__all__ = ["size2num", "to_size"]


def to_size(size: Any) -> tuple[int, ...] | None:
    """``size`` (an int or a sequence of ints) as a tuple; None stays None."""
    if size is None:
        return None
    if isinstance(size, int):
        return (size,)
    return tuple(int(s) for s in size)


def size2num(size: int | Sequence[int]) -> int:
    """The number of elements of a population of ``size``: ``size2num((10, 10)) == 100``."""
    return math.prod(to_size(size))
