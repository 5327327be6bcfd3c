"""Vectorised root finding for the analysers: sign changes on a grid refined by bisection, and
Newton's method in the plane.

    >>> import jax.numpy as jnp, numpy as np
    >>> xs = np.linspace(-2., 2., 9)
    >>> np.round(np.sort(grid_roots(lambda x: x ** 3 - x, xs)), 5).tolist()
    [-1.0, 0.0, 1.0]
"""
from __future__ import annotations

import functools
from typing import Any, Callable

import jax
import jax.numpy as jnp
import numpy as np

__all__ = ["bisect", "along", "sign_changes", "grid_roots", "newton_2d", "unique_rows"]


def bisect(fun: Callable, lo: jax.Array, hi: jax.Array, iters: int = 60) -> jax.Array:
    """A zero of ``fun`` (element-wise) in each bracket ``[lo, hi]`` whose ends differ in sign."""
    dtype = jnp.result_type(float)            # float64 under bm.enable_x64()
    lo, hi = jnp.asarray(lo, dtype), jnp.asarray(hi, dtype)
    f_lo = fun(lo)

    def body(_, state):
        lo, hi, f_lo = state
        mid = 0.5 * (lo + hi)
        f_mid = fun(mid)
        left = jnp.sign(f_mid) == jnp.sign(f_lo)
        return jnp.where(left, mid, lo), jnp.where(left, hi, mid), jnp.where(left, f_mid, f_lo)

    lo0, hi0 = lo, hi
    lo, hi, _ = jax.lax.fori_loop(0, iters, body, (lo, hi, f_lo))
    # a grid point that is itself the zero may carry a rounding-sized value of the wrong sign
    # (no sign change left in its bracket): keep whichever of the three is closest to zero
    options = jnp.stack([0.5 * (lo + hi), lo0, hi0])
    best = jnp.argmin(jnp.abs(jnp.stack([fun(o) for o in options])), axis=0)
    return jnp.take_along_axis(options, best[None], axis=0)[0]


def sign_changes(values: np.ndarray) -> tuple[np.ndarray, ...]:
    """Indices ``(..., i)`` where ``values`` changes sign (or is zero) between ``i`` and ``i+1``
    along the last axis."""
    v = np.asarray(values)
    s = np.sign(v)
    change = (s[..., :-1] * s[..., 1:] < 0) | (s[..., :-1] == 0)
    return np.nonzero(change & np.isfinite(v[..., :-1]) & np.isfinite(v[..., 1:]))


def _padded(fn: Callable, *arrays: Any) -> Any:
    """``fn(*arrays)`` with the arrays' common first axis padded to a power of two (by repeating
    the last row), so a compiled ``fn`` is reused across sizes; the padding is cut off again."""
    n = len(arrays[0])
    size = 1 << max(n - 1, 0).bit_length()
    padded = [np.concatenate([np.asarray(a), np.repeat(np.asarray(a)[-1:], size - n, 0)]) for a in arrays]
    return jax.tree_util.tree_map(lambda r: np.asarray(r)[:n], fn(*padded))


@functools.lru_cache(maxsize=128)
def along(fun: Callable, which: int, coords: int) -> Callable:
    """Compiled ``(fixed, lo, hi, *pars) -> zero``: bisection of ``fun`` in coordinate ``which``
    (of ``coords``, 1 or 2) with the other coordinate at ``fixed``."""
    def solve(fixed, lo, hi, *pars):
        if coords == 1:
            return bisect(lambda s: fun(s, *pars), lo, hi)
        return bisect(lambda s: fun(*((s, fixed) if which == 0 else (fixed, s)), *pars), lo, hi)
    return jax.jit(solve)


def grid_roots(fun: Callable, grid: np.ndarray) -> np.ndarray:
    """Every zero of the scalar function ``fun`` on the grid's range that the grid brackets."""
    grid = np.asarray(grid)
    (i,) = sign_changes(np.asarray(fun(jnp.asarray(grid))))
    if not len(i):
        return np.zeros(0, np.float32)
    return _padded(along(fun, 0, 1), np.zeros(len(i), np.float32), grid[i], grid[i + 1])


@functools.lru_cache(maxsize=64)
def _newton(F: Callable, n_pars: int, iters: int) -> Callable:
    def vec(xy, *p):
        fx, fy = F(xy[0], xy[1], *p)
        return jnp.stack([fx, fy])
    jac = jax.jacfwd(vec)

    def one(x0, y0, *p):
        def body(_, xy):
            step = jnp.linalg.solve(jac(xy, *p) + 1e-12 * jnp.eye(2), vec(xy, *p))
            return (xy - jnp.where(jnp.all(jnp.isfinite(step)), step, 0.)).astype(xy.dtype)
        xy = jax.lax.fori_loop(0, iters, body, jnp.stack([x0, y0]).astype(jnp.result_type(float)))
        return xy[0], xy[1], jnp.linalg.norm(vec(xy, *p))
    return jax.jit(jax.vmap(one))


def newton_2d(F: Callable, x: Any, y: Any, *pars: Any, iters: int = 40) -> tuple:
    """Newton's method on ``F(x, y, *pars) -> (fx, fy)`` from each start; returns the end points
    and the residual norm there."""
    return _padded(_newton(F, len(pars), iters), x, y, *pars)


def unique_rows(points: np.ndarray, tol: float) -> np.ndarray:
    """The rows of ``points`` with each cluster closer than ``tol`` (max norm) kept once."""
    kept: list[np.ndarray] = []
    for p in np.asarray(points):
        if all(np.max(np.abs(p - q)) > tol for q in kept):
            kept.append(p)
    return np.asarray(kept).reshape(-1, np.shape(points)[1] if np.ndim(points) == 2 else 1)
