"""Deterministic connectors: All2All, One2One, GridFour.

    >>> from neurodyn.conn import All2All, GridFour
    >>> All2All(include_self=False)(3, 3).build_mat().astype(int).tolist()
    [[0, 1, 1], [1, 0, 1], [1, 1, 0]]
    >>> GridFour()((2, 2)).build_csr()[0].tolist()
    [1, 2, 0, 3, 0, 3, 1, 2]
"""
from __future__ import annotations

from typing import Any

import numpy as np

from neurodyn.errors import describe
from neurodyn.conn._base import Connector, check_include_self
from neurodyn.conn._formats import IDX_DTYPE

__all__ = ["All2All", "One2One", "GridFour"]


class All2All(Connector):
    """Every presynaptic neuron connects to every postsynaptic neuron.

    Args:
        include_self: keep the ``i == j`` connections; ``False`` needs ``pre_num == post_num``.

    >>> All2All()(2, 3).build_mat().sum()
    np.int64(6)
    """

    natural = "mat"

    def __init__(self, include_self: bool = True, pre: Any = None, post: Any = None) -> None:
        super().__init__()
        self.include_self = check_include_self(include_self, "All2All")
        self._maybe_build(pre, post)

    def _params(self) -> dict[str, Any]:
        return {"include_self": self.include_self}

    def _check_sizes(self) -> None:
        if not self.include_self:
            self._require_square("include_self=False removes i == j")

    def _compute(self) -> np.ndarray:
        mat = np.ones((self.pre_num, self.post_num), dtype=bool)
        if not self.include_self:
            np.fill_diagonal(mat, False)
        return mat


class One2One(Connector):
    """Neuron ``i`` of the presynaptic population connects to neuron ``i`` of the postsynaptic one.

    Needs ``pre_num == post_num``.

    >>> One2One()(3).build_csr()
    (array([0, 1, 2], dtype=int32), array([0, 1, 2, 3], dtype=int32))
    """

    natural = "csr"

    def __init__(self, pre: Any = None, post: Any = None) -> None:
        super().__init__()
        self._maybe_build(pre, post)

    def _check_sizes(self) -> None:
        self._require_square("One2One pairs neuron i with neuron i")

    def _compute(self) -> tuple[np.ndarray, np.ndarray]:
        return np.arange(self.pre_num, dtype=IDX_DTYPE), np.arange(self.pre_num + 1, dtype=IDX_DTYPE)


class GridFour(Connector):
    """Four-neighbour (von Neumann) connectivity on a 2-D grid of neurons.

    Neuron ``(r, c)`` has the flat index ``r * cols + c`` and connects to ``(r +- 1, c)`` and
    ``(r, c +- 1)``. Pre- and postsynaptic sizes must be the same 2-D size ``(rows, cols)``.

    Args:
        include_self: also connect each neuron to itself.
        periodic_boundary: wrap around the edges (a torus); otherwise edge neurons have fewer
            neighbours.

    >>> GridFour(periodic_boundary=True)((3, 3)).build_mat().sum(axis=1).tolist()
    [4, 4, 4, 4, 4, 4, 4, 4, 4]
    """

    natural = "csr"

    def __init__(self, include_self: bool = False, periodic_boundary: bool = False, pre: Any = None,
                 post: Any = None) -> None:
        super().__init__()
        self.include_self = check_include_self(include_self, "GridFour")
        if not isinstance(periodic_boundary, (bool, np.bool_)):
            raise TypeError(describe("GridFour", "periodic_boundary to be a bool",
                                     f"{type(periodic_boundary).__name__} {periodic_boundary!r}"))
        self.periodic_boundary = bool(periodic_boundary)
        self._maybe_build(pre, post)

    def _params(self) -> dict[str, Any]:
        return {"include_self": self.include_self, "periodic_boundary": self.periodic_boundary}

    def _check_sizes(self) -> None:
        if len(self.pre_size) != 2 or self.pre_size != self.post_size:
            raise ValueError(describe(repr(self), "the same 2-D size (rows, cols) for pre and post",
                                      f"pre_size={self.pre_size}, post_size={self.post_size}",
                                      "build it with e.g. conn((10, 10), (10, 10))"))

    def _compute(self) -> tuple[np.ndarray, np.ndarray]:
        rows, cols = self.pre_size
        n = rows * cols
        ids = np.arange(n, dtype=np.int64)
        r, c = np.divmod(ids, cols)
        pre_parts, post_parts = [], []
        for dr, dc in ((-1, 0), (1, 0), (0, -1), (0, 1)):
            rr, cc = r + dr, c + dc
            if self.periodic_boundary:
                rr, cc = rr % rows, cc % cols
                valid = np.ones(n, dtype=bool)
            else:
                valid = (rr >= 0) & (rr < rows) & (cc >= 0) & (cc < cols)
            pre_parts.append(ids[valid])
            post_parts.append((rr * cols + cc)[valid])
        if self.include_self:
            pre_parts.append(ids)
            post_parts.append(ids)
        pre, post = np.concatenate(pre_parts), np.concatenate(post_parts)
        if not self.include_self:  # a wrapped dimension of length 1 points back at itself
            keep = pre != post
            pre, post = pre[keep], post[keep]
        # unique pairs (a wrapped dimension of length 2 reaches one neighbour twice), row-major
        keys = np.unique(pre * n + post)
        counts = np.bincount(keys // n, minlength=n)
        indptr = np.zeros(n + 1, dtype=np.int64)
        np.cumsum(counts, out=indptr[1:])
        return (keys % n).astype(IDX_DTYPE), indptr.astype(IDX_DTYPE)
