"""Connectivity the user gives: a matrix (``MatConn``), pairs of indices (``IJConn``) or a SciPy
sparse matrix (``SparseMatConn``), BrainPy's names.

    >>> import numpy as np
    >>> from neurodyn.conn import MatConn, IJConn
    >>> MatConn(np.array([[1, 0], [1, 1]])).require('pre_ids', 'post_ids')
    (array([0, 1, 1], dtype=int32), array([0, 0, 1], dtype=int32))
    >>> IJConn(i=[0, 2], j=[1, 1])(3, 2).require('conn_mat').astype(int).tolist()
    [[0, 1], [0, 0], [0, 1]]
"""
from __future__ import annotations

from typing import Any

import numpy as np

from neurodyn.conn._base import Connector
from neurodyn.errors import ShapeError, describe

__all__ = ["MatConn", "IJConn", "SparseMatConn"]


class MatConn(Connector):
    """The nonzero entries of ``conn_mat`` ``(pre_num, post_num)``; built at construction for its shape."""

    natural = "mat"

    def __init__(self, conn_mat: Any):
        super().__init__()
        mat = np.asarray(conn_mat)
        if mat.ndim != 2:
            raise ShapeError(describe("MatConn", "a 2-D matrix (pre_num, post_num)", f"shape {mat.shape}"))
        self.conn_mat = mat.astype(bool)
        self.build(mat.shape[0], mat.shape[1])

    def _params(self) -> dict[str, Any]:
        return {"shape": self.conn_mat.shape}

    def _check_sizes(self) -> None:
        if (self.pre_num, self.post_num) != self.conn_mat.shape:
            raise ShapeError(describe(repr(self), f"sizes {self.conn_mat.shape} (the matrix's)",
                                      f"pre_num={self.pre_num}, post_num={self.post_num}"))

    def _compute(self) -> np.ndarray:
        return self.conn_mat


class IJConn(Connector):
    """Connections ``i[k] -> j[k]`` (presynaptic, postsynaptic indices); build it for the sizes."""

    natural = "coo"

    def __init__(self, i: Any, j: Any):
        super().__init__()
        self.i, self.j = np.asarray(i, dtype=np.int64).ravel(), np.asarray(j, dtype=np.int64).ravel()
        if self.i.shape != self.j.shape:
            raise ShapeError(describe("IJConn", "i and j of one length", f"{self.i.size} and {self.j.size}"))

    def _params(self) -> dict[str, Any]:
        return {"num": int(self.i.size)}

    def _check_sizes(self) -> None:
        if self.i.size and (self.i.max() >= self.pre_num or self.j.max() >= self.post_num or
                            min(self.i.min(), self.j.min()) < 0):
            raise ValueError(describe(repr(self), f"indices within pre_num={self.pre_num} and "
                                      f"post_num={self.post_num}", f"i in [{self.i.min()}, {self.i.max()}], "
                                      f"j in [{self.j.min()}, {self.j.max()}]"))

    def _compute(self) -> tuple[np.ndarray, np.ndarray]:
        return self.i, self.j


class SparseMatConn(MatConn):
    """The nonzero entries of a SciPy sparse matrix ``(pre_num, post_num)``."""

    def __init__(self, csr_mat: Any):
        super().__init__(csr_mat.toarray() if hasattr(csr_mat, "toarray") else csr_mat)
