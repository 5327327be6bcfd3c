"""The connector protocol: configure, build for two population sizes, then ask for a layout.

A connector is configured once (``FixedProb(0.1, seed=0)``), then built for the sizes of a
pre- and a postsynaptic population (``conn(pre_size, post_size)`` or ``conn.build(...)``).
Each concrete connector computes the layout that is natural to it (a dense matrix or CSR)
and every other layout is derived from that one result, so all layouts of one build agree.

    >>> from neurodyn.conn import One2One
    >>> conn = One2One()(3, 3)
    >>> conn.pre_num, conn.post_num
    (3, 3)
    >>> conn.require('pre_ids', 'post_ids')
    (array([0, 1, 2], dtype=int32), array([0, 1, 2], dtype=int32))
"""
from __future__ import annotations

import math
import numbers
from typing import Any

import numpy as np

from neurodyn.check import is_integer, is_sequence_of_ints
from neurodyn.errors import describe
from neurodyn.conn._formats import IDX_DTYPE, coo2csr, csr2coo, csr2csc, csr2mat, mat2csr

__all__ = ["Connector", "SUPPORTED_STRUCTURES"]

SUPPORTED_STRUCTURES = ("conn_mat", "csr", "pre2post", "csc", "post2pre", "coo", "pre_ids",
                        "post_ids", "pre2syn", "post2syn")


class Connector:
    """Base class of all connectors.

    Subclasses set ``natural`` to ``"mat"``, ``"csr"`` or ``"coo"`` and implement
    ``_compute()`` returning that layout for the current ``pre_num``/``post_num``; they may
    override ``_check_sizes()`` to reject sizes they cannot connect.

    Attributes:
        pre_size, post_size: the built sizes as tuples (``None`` before the first build).
        pre_num, post_num: the numbers of neurons (products of the sizes).
    """

    natural: str = "csr"

    def __init__(self) -> None:
        self.pre_size: tuple[int, ...] | None = None
        self.post_size: tuple[int, ...] | None = None
        self.pre_num: int | None = None
        self.post_num: int | None = None
        self._cache: Any = None

    # ------------------------------------------------------------------ configuration
    def _params(self) -> dict[str, Any]:
        return {}

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in self._params().items())
        return f"{type(self).__name__}({args})"

    def __call__(self, pre_size: int | tuple[int, ...], post_size: int | tuple[int, ...] | None = None) -> "Connector":
        """Build for ``pre_size`` and ``post_size`` (default: same as ``pre_size``); returns ``self``."""
        return self.build(pre_size, post_size)

    def build(self, pre_size: int | tuple[int, ...], post_size: int | tuple[int, ...] | None = None) -> "Connector":
        """Build for ``pre_size`` and ``post_size`` (default: same as ``pre_size``); returns ``self``.

        Building again (with the same or other sizes) replaces the previous connectivity.
        """
        pre = is_sequence_of_ints(pre_size, "pre_size", repr(self), min_value=1)
        post = pre if post_size is None else is_sequence_of_ints(post_size, "post_size", repr(self), min_value=1)
        if not pre or not post:
            raise ValueError(describe(repr(self), "non-empty sizes", f"pre_size={pre_size!r}, post_size={post_size!r}"))
        self.pre_size, self.post_size = pre, post
        self.pre_num, self.post_num = math.prod(pre), math.prod(post)
        self._cache = None
        self._check_sizes()
        self._on_build()
        return self

    def _maybe_build(self, pre: Any, post: Any) -> None:
        """BrainPy's ``Connector(..., pre=n_pre, post=n_post)``: build at construction when given."""
        if pre is not None:
            self.build(pre, post)

    def _check_sizes(self) -> None:
        """Hook: raise if the built sizes cannot be connected by this connector."""

    def _on_build(self) -> None:
        """Hook: per-build preparation (random connectors fix their seed here)."""

    def _compute(self) -> Any:
        raise NotImplementedError(f"{type(self).__name__} must implement _compute()")

    # ------------------------------------------------------------------ shared checks
    def _require_square(self, reason: str) -> None:
        if self.pre_num != self.post_num:
            raise ValueError(describe(repr(self), f"pre_num == post_num ({reason})",
                                      f"pre_num={self.pre_num}, post_num={self.post_num}",
                                      "build it with equal sizes" + (", or use include_self=True"
                                                                     if "include_self" in reason else "")))

    def _count(self, num: int | float, population: int, available: int, side: str) -> int:
        """Turn ``num`` (an int, or a fraction of ``population``) into a count that fits ``available``."""
        count = int(num * population) if isinstance(num, float) else int(num)
        if count > available:
            extra = "" if available == population else " (minus itself, include_self=False)"
            raise ValueError(describe(repr(self), f"num <= the {side} population{extra}: {available}",
                                      f"num={num!r} ({count} connections per neuron)",
                                      "lower num or enlarge the population"))
        return count

    # ------------------------------------------------------------------ layouts
    def _natural(self) -> Any:
        if self.pre_num is None:
            raise ValueError(describe(repr(self), "a connector built for population sizes",
                                      "an unbuilt connector", "call conn(pre_size, post_size) or "
                                      "conn.build(pre_size, post_size) first"))
        if self._cache is None:
            self._cache = self._compute()
        return self._cache

    def build_mat(self) -> np.ndarray:
        """The dense ``bool`` connection matrix of shape ``(pre_num, post_num)``."""
        data = self._natural()
        if self.natural == "mat":
            return np.array(data, dtype=bool)
        return csr2mat(*self.build_csr(), self.post_num)

    def build_csr(self) -> tuple[np.ndarray, np.ndarray]:
        """CSR over presynaptic rows: ``(indices, indptr)``, both ``int32``, targets sorted per row."""
        data = self._natural()
        if self.natural == "mat":
            return mat2csr(data)
        if self.natural == "coo":
            return coo2csr(data[0], data[1], self.pre_num)
        return data[0].astype(IDX_DTYPE, copy=True), data[1].astype(IDX_DTYPE, copy=True)

    def build_coo(self) -> tuple[np.ndarray, np.ndarray]:
        """COO ``(pre_ids, post_ids)`` in row-major order (sorted by pre, then post)."""
        return csr2coo(*self.build_csr())

    def require(self, *structures: Any) -> Any:
        """Return one layout, or a tuple of layouts, by name (BrainPy's ``require``).

        Leading non-string arguments are sizes: ``conn.require(10, 20, 'conn_mat')`` builds
        first. Names: ``'conn_mat'``; ``'csr'``/``'pre2post'`` -> ``(post indices, indptr)``;
        ``'csc'``/``'post2pre'`` -> ``(pre indices, indptr over post)``; ``'coo'`` ->
        ``(pre_ids, post_ids)``; ``'pre_ids'``; ``'post_ids'``; ``'pre2syn'`` ->
        ``(synapse ids, indptr)``; ``'post2syn'`` -> ``(synapse ids, indptr over post)``.
        Synapse ids are positions in the COO/CSR order.
        """
        sizes = []
        while structures and not isinstance(structures[0], str) and len(sizes) < 2:
            sizes.append(structures[0])
            structures = structures[1:]
        if sizes:
            self.build(*sizes)
        if not structures:
            raise ValueError(describe(repr(self), f"at least one structure name out of {SUPPORTED_STRUCTURES}",
                                      "none"))
        for name in structures:
            if not isinstance(name, str) or name not in SUPPORTED_STRUCTURES:
                raise ValueError(describe(repr(self), f"a structure name out of {SUPPORTED_STRUCTURES}", repr(name)))
        self._natural()  # raises if unbuilt
        computed: dict[str, Any] = {}
        out = tuple(self._structure(name, computed) for name in structures)
        return out[0] if len(out) == 1 else out

    requires = require       # BrainPy's newer name

    def _structure(self, name: str, memo: dict[str, Any]) -> Any:
        if name == "conn_mat":
            return self.build_mat()
        if "csr" not in memo:
            memo["csr"] = self.build_csr()
        indices, indptr = memo["csr"]
        if name in ("csr", "pre2post"):
            return indices.copy(), indptr.copy()
        if name in ("coo", "pre_ids"):
            coo = csr2coo(indices, indptr)
            return coo if name == "coo" else coo[0]
        if name == "post_ids":
            return indices.copy()
        if name == "pre2syn":
            return np.arange(indices.size, dtype=IDX_DTYPE), indptr.copy()
        if "csc" not in memo:
            memo["csc"] = csr2csc(indices, indptr, self.post_num)
        pre_ids, indptr_post, syn_ids = memo["csc"]
        if name in ("csc", "post2pre"):
            return pre_ids.copy(), indptr_post.copy()
        return syn_ids.copy(), indptr_post.copy()  # post2syn


def check_include_self(value: Any, owner: str) -> bool:
    """Validate an ``include_self`` flag."""
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(describe(owner, "include_self to be a bool", f"{type(value).__name__} {value!r}"))
    return bool(value)


def check_seed(seed: Any, owner: str) -> int | None:
    """Validate a seed: ``None`` or an integer >= 0."""
    return None if seed is None else is_integer(seed, "seed", owner, min_value=0)


def check_num(num: Any, owner: str) -> int | float:
    """Validate a connection count: an int >= 0 or a fraction (float) in (0, 1]."""
    if isinstance(num, (bool, np.bool_)) or not isinstance(num, numbers.Real):
        raise TypeError(describe(owner, "num to be an int >= 0 or a float fraction in (0, 1]",
                                 f"{type(num).__name__} {num!r}"))
    if isinstance(num, numbers.Integral):
        if num < 0:
            raise ValueError(describe(owner, "num >= 0", repr(num)))
        return int(num)
    if not 0 < num <= 1:
        raise ValueError(describe(owner, "a float num to be a fraction in (0, 1]", repr(num),
                                  "pass an int for an absolute count"))
    return float(num)
