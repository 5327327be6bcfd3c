"""Training data as batches: ``(X, Y)`` arrays cut (and shuffled per epoch), or user-made batches.

The shuffling order of epoch ``e`` depends only on ``(seed, e)``, so a run resumed from a
checkpoint sees the same batches as an uninterrupted one.

    >>> import numpy as np
    >>> data = make_batches((np.arange(10.).reshape(5, 2, 1), np.arange(5)), batch_size=2,
    ...                     batch_axis=0, shuffle=False, seed=0, who='BPTT')
    >>> data.num_batches, [y.tolist() for _, y in data.epoch(0)]
    (3, [[0, 1], [2, 3], [4]])
"""
from __future__ import annotations

import functools
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Callable, Iterable, Iterator, Mapping

import jax
import jax.numpy as jnp
import numpy as np

import neurodyn.math as bm
from neurodyn.check import is_integer
from neurodyn.errors import ShapeError, describe

__all__ = ["make_batches", "ArrayBatches", "UserBatches", "batch_size_of", "WeightedMeans"]

Part = Callable[[int], slice]    # batch size -> the rows this process reads (a multi-process run)


def _is_array(x: Any) -> bool:
    return isinstance(x, (np.ndarray, jax.Array, bm.Variable))


def _take(a: Any, index: Any, axis: int) -> Any:
    if isinstance(index, slice) or isinstance(a, np.ndarray):
        return a[(slice(None),) * axis + (index,)]
    return jnp.take(a, jnp.asarray(index), axis=axis)


def batch_size_of(x: Any, axis: int, who: str) -> int:
    """The common length of axis ``axis`` of every leaf of ``x``."""
    shapes = [tuple(np.shape(a)) for a in jax.tree_util.tree_leaves(x)]
    if not shapes or any(len(s) <= axis for s in shapes):
        raise ShapeError(describe(who, f"arrays with a batch axis (axis {axis})", f"shapes {shapes}"))
    sizes = {s[axis] for s in shapes}
    if len(sizes) != 1:
        raise ShapeError(describe(who, f"arrays sharing one batch size (axis {axis})", f"shapes {shapes}"))
    return sizes.pop()


class ArrayBatches:
    """``(X, Y)`` cut into batches of ``batch_size`` along the batch axis (the last may be smaller)."""

    def __init__(self, X: Any, Y: Any, batch_size: int | None, batch_axis: int, shuffle: bool,
                 seed: int, who: str):
        self.X, self.Y = bm.unwrap_tree(X), bm.unwrap_tree(Y)
        self.axis, self.shuffle, self.seed = batch_axis, shuffle, seed
        self.n = batch_size_of(self.X, batch_axis, f"{who} inputs X")
        n_y = batch_size_of(self.Y, 0, f"{who} targets Y")
        if n_y != self.n:
            raise ShapeError(describe(who, f"as many targets as inputs ({self.n} samples along the "
                                      "inputs' batch axis; targets are batch-first)", f"{n_y} targets"))
        self.batch_size = self.n if batch_size is None else is_integer(batch_size, "batch_size", who, min_value=1)
        self.num_batches = -(-self.n // self.batch_size)

    def epoch(self, e: int, part: Part | None = None) -> Iterator[tuple[Any, Any]]:
        """The batches of epoch ``e`` (only the rows ``part(batch size)`` of each, when given)."""
        order = np.random.default_rng([self.seed, e]).permutation(self.n) if self.shuffle else None
        for start in range(0, self.n, self.batch_size):
            stop = min(start + self.batch_size, self.n)
            if part is not None:
                rows = part(stop - start)
                start, stop = start + rows.start, start + rows.stop
            if order is None and start == 0 and stop == self.n:     # the whole set: no copy
                yield self.X, self.Y
                continue
            index = slice(start, stop) if order is None else order[start:stop]
            x = jax.tree_util.tree_map(lambda a: _take(a, index, self.axis), self.X)
            y = jax.tree_util.tree_map(lambda a: _take(a, index, 0), self.Y)
            yield x, y


class UserBatches:
    """Batches made by the user: ``data()`` returns an iterable of ``(x, y)`` each epoch (or ``data`` is one)."""

    def __init__(self, data: Any, who: str):
        if not callable(data) and iter(data) is data:
            raise TypeError(describe(who, "a re-iterable of (x, y) batches (a list) or a function "
                                     "returning one", f"a one-shot iterator ({type(data).__name__})",
                                     "pass the generator function itself, e.g. train_data=make_batches"))
        self.data, self.who = data, who
        self.num_batches = len(data) if hasattr(data, "__len__") else None

    def epoch(self, e: int, part: Part | None = None, batch_axis: int = 0) -> Iterator[tuple[Any, Any]]:
        """The user's batches (only the rows ``part(batch size)`` of each, when given)."""
        for item in (self.data() if callable(self.data) else self.data):
            if not isinstance(item, (tuple, list)) or len(item) != 2:
                raise TypeError(describe(self.who, "batches as (x, y) pairs",
                                         f"{type(item).__name__} {item!r:.80}"))
            x, y = bm.unwrap_tree(item[0]), bm.unwrap_tree(item[1])
            if part is not None:
                rows = part(batch_size_of(x, batch_axis, self.who))
                x = jax.tree_util.tree_map(lambda a: _take(a, rows, batch_axis), x)
                y = jax.tree_util.tree_map(lambda a: _take(a, rows, 0), y)
            yield x, y


def make_batches(data: Any, batch_size: int | None, batch_axis: int, shuffle: bool, seed: int,
                 who: str) -> ArrayBatches | UserBatches:
    """``(X, Y)`` arrays (X an array or a dict of arrays) or a callable/iterable of batches."""
    if isinstance(data, (tuple, list)) and len(data) == 2 and (_is_array(data[0]) or isinstance(data[0], dict)):
        return ArrayBatches(data[0], data[1], batch_size, batch_axis, shuffle, seed, who)
    if batch_size is not None:
        raise ValueError(describe(who, "batch_size only with (X, Y) arrays", f"batch_size={batch_size!r} "
                                  f"with {type(data).__name__} data", "make batches of that size yourself"))
    if callable(data) or hasattr(data, "__iter__"):
        return UserBatches(data, who)
    raise TypeError(describe(who, "data as (X, Y) arrays or a callable/iterable of (x, y) batches",
                             f"{type(data).__name__}"))



class WeightedMeans:
    """Running means of named scalars, each batch weighted by its size."""

    def __init__(self) -> None:
        self.sums: dict[str, float] = {}
        self.weight = 0

    def add(self, values: Mapping[str, Any], weight: int) -> None:
        for k, v in values.items():
            self.sums[k] = self.sums.get(k, 0.) + float(v) * weight
        self.weight += weight

    def result(self) -> dict[str, float]:
        return {k: s / self.weight for k, s in self.sums.items()} if self.weight else {}


def aligned_copy(a: np.ndarray, swap: bool = False) -> np.ndarray:
    """A copy of ``a`` in 64-byte-aligned memory, its first two axes swapped with ``swap``.

        >>> x = np.arange(6.).reshape(2, 3)
        >>> t = aligned_copy(x, swap=True); t.shape, t.ctypes.data % 64, bool((t == x.T).all())
        ((3, 2), 0, True)
    """
    shape = (a.shape[1], a.shape[0]) + a.shape[2:] if swap else a.shape
    size = int(np.prod(shape)) * a.dtype.itemsize
    buf = np.empty(size + 64, np.uint8)
    start = -buf.ctypes.data % 64
    out = buf[start:start + size].view(a.dtype).reshape(shape)
    np.copyto(out, np.swapaxes(a, 0, 1) if swap else a)
    return out


def staged_batch(x: Any, y: Any, time_major: bool) -> tuple[Any, Any, bool] | None:
    """``(x, y, time_major)`` with every leaf copied into 64-byte-aligned memory, ``x``'s leaves
    ``(batch, time, ...) -> (time, batch, ...)`` with ``time_major``; None when a leaf is not a
    NumPy array (or, with ``time_major``, an ``x`` leaf has fewer than two axes).

    JAX on CPU uses an aligned NumPy array in place, so the batch reaches the compiled program
    without a copy, and a time-major one needs no transpose there: for W1's 36 MB batches ~12 ms
    on the host instead of ~30 ms to copy the unaligned slice in and ~30 ms to transpose it in
    the program.
    """
    xs, ys = jax.tree_util.tree_leaves(x), jax.tree_util.tree_leaves(y)
    if not xs or not all(isinstance(a, np.ndarray) for a in xs + ys):
        return None
    if time_major and any(a.ndim < 2 for a in xs):
        return None
    return (jax.tree_util.tree_map(lambda a: aligned_copy(a, time_major), x),
            jax.tree_util.tree_map(aligned_copy, y), time_major)


@functools.lru_cache(maxsize=None)
def _stage_pool() -> ThreadPoolExecutor:
    """The one helper thread that stages the next batch while a step trains."""
    return ThreadPoolExecutor(1, thread_name_prefix="neurodyn-stage")


def staged_ahead(batches: Iterable, stage: Callable | None, min_bytes: int = 1 << 20) -> Iterator[tuple]:
    """``(x, y, stage(x, y))`` for each batch whose inputs hold ``min_bytes`` or more, staged on a
    helper thread while the caller trains on the previous batch (NumPy copies release the GIL);
    ``(x, y, None)`` for smaller batches (staging them costs more than it saves: 0.9 vs 0.78 ms
    a step at W1's ``--quick`` size) and when ``stage`` is None.

        >>> [s for _, _, s in staged_ahead([(1, 0), (2, 0)], lambda x, y: 10 * x, min_bytes=0)]
        [10, 20]
    """
    def start(batch: tuple | None) -> Any:     # a big batch's staging, begun on the helper thread
        if (stage is None or batch is None
                or sum(getattr(a, "nbytes", 0) for a in jax.tree_util.tree_leaves(batch[0])) < min_bytes):
            return None
        return _stage_pool().submit(stage, *batch)

    batches = iter(batches)
    ahead = next(batches, None)
    pending = start(ahead)
    while ahead is not None:
        (x, y), begun = ahead, pending
        ahead = next(batches, None)
        pending = start(ahead)                   # staged while the caller trains on this batch
        yield x, y, None if begun is None else begun.result()
