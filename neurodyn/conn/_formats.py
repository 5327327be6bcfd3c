"""Conversions between the three layouts of a binary connectivity (dense matrix, CSR, COO).

All helpers work on numpy arrays and return ``int32`` indices and ``bool`` matrices. CSR is
over presynaptic rows: ``indices[indptr[i]:indptr[i + 1]]`` are the (sorted) postsynaptic
targets of presynaptic neuron ``i``.

    >>> import numpy as np
    >>> from neurodyn.conn import mat2csr, csr2mat
    >>> mat = np.array([[0, 1, 1], [0, 0, 0], [1, 0, 0]], dtype=bool)
    >>> indices, indptr = mat2csr(mat)
    >>> indices.tolist(), indptr.tolist()
    ([1, 2, 0], [0, 2, 2, 3])
    >>> bool((csr2mat(indices, indptr, 3) == mat).all())
    True
"""
from __future__ import annotations

import numpy as np

__all__ = ["mat2csr", "csr2mat", "coo2csr", "csr2coo", "csr2csc"]

IDX_DTYPE = np.int32


def _indptr_from_counts(counts: np.ndarray) -> np.ndarray:
    indptr = np.zeros(counts.size + 1, dtype=np.int64)
    np.cumsum(counts, out=indptr[1:])
    if indptr[-1] > np.iinfo(IDX_DTYPE).max:
        raise ValueError(f"connectivity has {indptr[-1]} connections, more than int32 indices can address")
    return indptr.astype(IDX_DTYPE)


def mat2csr(mat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Dense ``(pre_num, post_num)`` matrix -> CSR ``(indices, indptr)`` over presynaptic rows."""
    mat = np.asarray(mat, dtype=bool)
    _, cols = np.nonzero(mat)  # row-major order: rows ascending, columns sorted within a row
    return cols.astype(IDX_DTYPE), _indptr_from_counts(np.count_nonzero(mat, axis=1))


def csr2mat(indices: np.ndarray, indptr: np.ndarray, post_num: int) -> np.ndarray:
    """CSR ``(indices, indptr)`` -> dense ``bool`` matrix of shape ``(len(indptr) - 1, post_num)``."""
    indptr = np.asarray(indptr)
    pre_num = indptr.size - 1
    mat = np.zeros((pre_num, post_num), dtype=bool)
    rows = np.repeat(np.arange(pre_num), np.diff(indptr))
    mat[rows, np.asarray(indices)] = True
    return mat


def csr2coo(indices: np.ndarray, indptr: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """CSR -> COO ``(pre_ids, post_ids)`` in row-major order."""
    indptr = np.asarray(indptr)
    pre_ids = np.repeat(np.arange(indptr.size - 1, dtype=IDX_DTYPE), np.diff(indptr))
    return pre_ids, np.asarray(indices, dtype=IDX_DTYPE)


def coo2csr(pre_ids: np.ndarray, post_ids: np.ndarray, pre_num: int) -> tuple[np.ndarray, np.ndarray]:
    """COO pairs (any order, no duplicates) -> CSR with sorted targets per row."""
    pre_ids = np.asarray(pre_ids)
    post_ids = np.asarray(post_ids)
    order = np.lexsort((post_ids, pre_ids))
    counts = np.bincount(pre_ids, minlength=pre_num) if pre_ids.size else np.zeros(pre_num, np.int64)
    return post_ids[order].astype(IDX_DTYPE), _indptr_from_counts(counts)


def csr2csc(indices: np.ndarray, indptr: np.ndarray, post_num: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """CSR over pre rows -> CSC over post columns.

    Returns:
        ``(pre_ids, indptr_post, syn_ids)``: for post neuron ``j`` the sources are
        ``pre_ids[indptr_post[j]:indptr_post[j + 1]]`` (sorted) and ``syn_ids`` gives the
        position of each of those connections in the CSR arrays.
    """
    pre_ids, post_ids = csr2coo(indices, indptr)
    order = np.argsort(post_ids, kind="stable")  # stable: pre ids stay ascending per column
    counts = np.bincount(post_ids, minlength=post_num) if post_ids.size else np.zeros(post_num, np.int64)
    return pre_ids[order], _indptr_from_counts(counts), order.astype(IDX_DTYPE)
