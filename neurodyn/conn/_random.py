"""Random connectors: FixedProb, FixedPreNum, FixedPostNum.

Each draws from ``numpy.random.Generator(seed)``. The seed is fixed when the connector is
built: a given ``seed`` makes every build with the same sizes identical; ``seed=None`` draws
a fresh seed from neurodyn's global generator at each build, so ``bm.random.seed(s)`` makes
the whole model reproducible. All layouts of one build (matrix, CSR, ...) agree.

    >>> from neurodyn.conn import FixedProb
    >>> conn = FixedProb(0.5, seed=0)(100, 100)
    >>> 0.4 < conn.build_mat().mean() < 0.6
    np.True_
"""
from __future__ import annotations

from typing import Any, Callable

import numpy as np

from neurodyn.check import is_probability
from neurodyn.conn._base import Connector, check_include_self, check_num, check_seed
from neurodyn.conn._formats import IDX_DTYPE
from neurodyn.math import random as bmr

__all__ = ["FixedProb", "FixedPreNum", "FixedPostNum"]

_CHUNK = 1 << 20  # random numbers drawn per vectorised block


class _RandomConnector(Connector):
    """Shared seeding and ``include_self`` handling of the random connectors."""

    def __init__(self, include_self: bool, seed: int | None) -> None:
        super().__init__()
        self.include_self = check_include_self(include_self, type(self).__name__)
        self.seed = check_seed(seed, type(self).__name__)
        self._build_seed: int | None = None

    def _on_build(self) -> None:
        self._build_seed = bmr.make_seed() if self.seed is None else self.seed

    def _check_sizes(self) -> None:
        if not self.include_self:
            self._require_square("include_self=False removes i == j")

    def _rng(self) -> np.random.Generator:
        return np.random.default_rng(self._build_seed)

    def _row_blocks(self, rows: int, cols: int) -> Any:
        """Yield ``(start, stop)`` blocks of rows so that each block draws about ``_CHUNK`` numbers."""
        step = max(1, _CHUNK // max(cols, 1))
        for start in range(0, rows, step):
            yield start, min(rows, start + step)


def _choose_per_row(rng: np.random.Generator, rows: int, cols: int, count: int, include_self: bool,
                    blocks: Callable[[int, int], Any]) -> np.ndarray:
    """For each of ``rows`` rows pick ``count`` distinct columns uniformly (sorted), shape (rows, count).

    Uniform random subsets via the ``count`` smallest of i.i.d. uniform keys; with
    ``include_self=False`` column ``i`` is never picked for row ``i``.
    """
    out = np.empty((rows, count), dtype=np.int64)
    if count == 0:
        return out
    for start, stop in blocks(rows, cols):
        keys = rng.random((stop - start, cols))
        if not include_self:
            r = np.arange(start, stop)
            keys[r - start, r] = 2.0  # larger than any uniform draw: never among the smallest
        picked = np.argpartition(keys, count - 1, axis=1)[:, :count] if count < cols else \
            np.broadcast_to(np.arange(cols), (stop - start, cols))
        out[start:stop] = np.sort(picked, axis=1)
    return out


class FixedProb(_RandomConnector):
    """Each pair ``(i, j)`` is connected independently with probability ``prob``.

    Args:
        prob: connection probability in [0, 1].
        include_self: keep ``i == j`` pairs; ``False`` needs ``pre_num == post_num``.
        seed: integer seed, or ``None`` for a fresh seed from neurodyn's global generator.

    >>> FixedProb(1.0, include_self=False, seed=1)(3, 3).build_mat().sum()
    np.int64(6)
    """

    natural = "csr"

    def __init__(self, prob: float, include_self: bool = True, seed: int | None = None,
                 pre: Any = None, post: Any = None) -> None:
        super().__init__(include_self, seed)
        self.prob = float(is_probability(prob, "prob", "FixedProb"))
        self._maybe_build(pre, post)

    def _params(self) -> dict[str, Any]:
        return {"prob": self.prob, "include_self": self.include_self, "seed": self.seed}

    def _compute(self) -> tuple[np.ndarray, np.ndarray]:
        rng = self._rng()
        counts = np.zeros(self.pre_num, dtype=np.int64)
        parts = []
        for start, stop in self._row_blocks(self.pre_num, self.post_num):
            hit = rng.random((stop - start, self.post_num)) < self.prob
            if not self.include_self:
                r = np.arange(start, stop)
                hit[r - start, r] = False
            counts[start:stop] = np.count_nonzero(hit, axis=1)
            parts.append(np.nonzero(hit)[1])  # row-major: targets sorted within each row
        indptr = np.zeros(self.pre_num + 1, dtype=np.int64)
        np.cumsum(counts, out=indptr[1:])
        return np.concatenate(parts).astype(IDX_DTYPE), indptr.astype(IDX_DTYPE)


class FixedPreNum(_RandomConnector):
    """Each postsynaptic neuron receives exactly ``num`` distinct presynaptic neurons.

    Args:
        num: an int count, or a float fraction in (0, 1] of ``pre_num`` (``int(num * pre_num)``).
        include_self: allow ``i == j``; ``False`` needs ``pre_num == post_num``.
        seed: integer seed, or ``None`` for a fresh seed from neurodyn's global generator.

    >>> FixedPreNum(2, seed=0)(5, 4).build_mat().sum(axis=0).tolist()
    [2, 2, 2, 2]
    """

    natural = "coo"

    def __init__(self, num: int | float, include_self: bool = True, seed: int | None = None,
                 pre: Any = None, post: Any = None) -> None:
        super().__init__(include_self, seed)
        self.num = check_num(num, "FixedPreNum")
        self._maybe_build(pre, post)

    def _params(self) -> dict[str, Any]:
        return {"num": self.num, "include_self": self.include_self, "seed": self.seed}

    def _check_sizes(self) -> None:
        super()._check_sizes()
        self._pre_count()

    def _pre_count(self) -> int:
        return self._count(self.num, self.pre_num, self.pre_num - (not self.include_self), "presynaptic")

    def _compute(self) -> tuple[np.ndarray, np.ndarray]:
        count = self._pre_count()
        pre = _choose_per_row(self._rng(), self.post_num, self.pre_num, count, self.include_self, self._row_blocks)
        post = np.repeat(np.arange(self.post_num), count)
        return pre.reshape(-1), post


class FixedPostNum(_RandomConnector):
    """Each presynaptic neuron projects to exactly ``num`` distinct postsynaptic neurons.

    Args:
        num: an int count, or a float fraction in (0, 1] of ``post_num`` (``int(num * post_num)``).
        include_self: allow ``i == j``; ``False`` needs ``pre_num == post_num``.
        seed: integer seed, or ``None`` for a fresh seed from neurodyn's global generator.

    >>> FixedPostNum(0.5, seed=0)(3, 4).build_mat().sum(axis=1).tolist()
    [2, 2, 2]
    """

    natural = "csr"

    def __init__(self, num: int | float, include_self: bool = True, seed: int | None = None,
                 pre: Any = None, post: Any = None) -> None:
        super().__init__(include_self, seed)
        self.num = check_num(num, "FixedPostNum")
        self._maybe_build(pre, post)

    def _params(self) -> dict[str, Any]:
        return {"num": self.num, "include_self": self.include_self, "seed": self.seed}

    def _check_sizes(self) -> None:
        super()._check_sizes()
        self._post_count()

    def _post_count(self) -> int:
        return self._count(self.num, self.post_num, self.post_num - (not self.include_self), "postsynaptic")

    def _compute(self) -> tuple[np.ndarray, np.ndarray]:
        count = self._post_count()
        post = _choose_per_row(self._rng(), self.pre_num, self.post_num, count, self.include_self, self._row_blocks)
        indptr = np.arange(self.pre_num + 1, dtype=np.int64) * count
        return post.reshape(-1).astype(IDX_DTYPE), indptr.astype(IDX_DTYPE)
