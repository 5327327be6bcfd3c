"""Fixed and slow points of high-dimensional systems by optimisation (BrainPy's ``SlowPointFinder``;
Sussillo & Barak 2013): minimise the speed ``|F(x)|^2`` (a derivative function, ``f_type=
'continuous'``) or ``|f(x) - x|^2`` (an update map, ``'discrete'``, e.g. one step of a
DynamicalSystem) from many candidates, then keep the slow ones, their Jacobians and eigenvalues.

    >>> import jax.numpy as jnp, numpy as np
    >>> finder = SlowPointFinder(lambda x: x - x ** 3, f_type='continuous', verbose=False)
    >>> finder.find_fps_with_opt_solver(np.array([[-2.], [-0.1], [0.3], [0.8]], np.float32))
    >>> finder.filter_loss(1e-8); finder.keep_unique()
    >>> (np.round(np.sort(finder.fixed_points.ravel()), 4) + 0.).tolist()
    [-1.0, 0.0, 1.0]
"""
from __future__ import annotations

import time
from typing import Any, Callable, Mapping, Sequence

import jax
import jax.numpy as jnp
import numpy as np
import optax

import neurodyn.math as bm
from neurodyn.core import DynamicalSystem, share
from neurodyn.errors import ShapeError, describe
from neurodyn.math import Functional
from neurodyn.train._targets import parse_inputs
from neurodyn.train._schedulers import ExponentialDecay
from neurodyn.train.optim import Adam, make_optimizer

__all__ = ["SlowPointFinder"]

_WHO = "bp.analysis.SlowPointFinder"


class SlowPointFinder:
    """Find the fixed points (zero speed) and slow points of ``f_cell``.

    Args:
        f_cell: a function of the state vector(s) — the derivative (``f_type='continuous'``,
            the default for functions) or the next state (``'discrete'``) — or a
            DynamicalSystem, whose one ``update`` is the discrete map.
        f_type: ``'continuous'`` or ``'discrete'``.
        f_loss: ``f_loss(x, f(x))`` for discrete, ``f_loss(F(x))`` for continuous maps, per
            candidate (default: the mean square).
        args: extra arguments of ``f_cell`` (or of the system's ``update``).
        inputs: for a system, BrainPy runner inputs ``(var or path, value[, type, op])`` applied
            before each update.
        t, dt: the shared time and step of the system's update.
        target_vars: ``{name: Variable}`` of the system whose values are the state (default all
            of them, minus ``excluded_vars``); the others keep their current values.
    """

    def __init__(self, f_cell: Callable | DynamicalSystem, f_type: str | None = None, f_loss: Callable | None = None,
                 verbose: bool = True, args: tuple = (), inputs: Any = None, t: float | None = None,
                 dt: float | None = None, target_vars: Mapping[str, bm.Variable] | None = None,
                 excluded_vars: Any = None, f_loss_batch: Any = None, fun_inputs: Any = None):
        if not isinstance(args, tuple):
            raise TypeError(describe(_WHO, "args as a tuple", type(args).__name__))
        self.verbose, self.args = bool(verbose), args
        self._system = isinstance(f_cell, DynamicalSystem)
        if self._system:
            if f_type not in (None, "discrete"):
                raise ValueError(describe(_WHO, "f_type 'discrete' for a DynamicalSystem (one update is the map)",
                                          repr(f_type)))
            f_type = "discrete"
            self._step = self._system_map(f_cell, inputs, t, dt, target_vars, excluded_vars)
        else:
            if not callable(f_cell):
                raise TypeError(describe(_WHO, "f_cell: a function or a DynamicalSystem", type(f_cell).__name__))
            if any(a is not None for a in (inputs, t, dt, target_vars, excluded_vars)):
                raise ValueError(describe(_WHO, "inputs, t, dt, target_vars and excluded_vars only with a "
                                          "DynamicalSystem", "one of them with a function"))
            f_type = "continuous" if f_type is None else f_type
            self.target_vars, self._shapes = None, None
            self._step = (lambda x: f_cell(x, *args)) if args else f_cell
        if f_type not in ("continuous", "discrete"):
            raise ValueError(describe(_WHO, "f_type 'continuous' or 'discrete'", repr(f_type)))
        self.f_type = f_type
        if f_loss is None:
            f_loss = ((lambda x, fx: jnp.mean((fx - x) ** 2)) if f_type == "discrete" else
                      (lambda fx: jnp.mean(fx ** 2)))
        self.f_loss = f_loss
        self._points: np.ndarray | None = None      # flat (n, dim); fixed_points gives them per variable
        self._losses: np.ndarray | None = None
        self._selected_ids: np.ndarray | None = None
        self.opt_losses: np.ndarray | None = None

    # -- the map, as a function of one flat state vector ----------------------------------------
    def _system_map(self, target: DynamicalSystem, inputs: Any, t: Any, dt: Any, target_vars: Any,
                    excluded_vars: Any) -> Callable:
        everything = target.vars().unique()
        if target_vars is None:
            excluded = excluded_vars.values() if isinstance(excluded_vars, Mapping) else (excluded_vars or ())
            ids = {id(v) for v in excluded}
            target_vars = {k: v for k, v in everything.items() if id(v) not in ids
                           and jnp.issubdtype(v.dtype, jnp.inexact)}
        elif excluded_vars:
            raise ValueError(describe(_WHO, "target_vars or excluded_vars", "both"))
        if not isinstance(target_vars, Mapping) or not all(isinstance(v, bm.Variable) for v in target_vars.values()):
            raise TypeError(describe(_WHO, "target_vars as a dict name -> bm.Variable", repr(target_vars)))
        for name, var in target_vars.items():
            if var.batch_axis is not None and var.shape[var.batch_axis] != 1:
                raise ShapeError(describe(_WHO, f"batched Variables with a batch of one ({name!r})",
                                          f"batch {var.shape[var.batch_axis]}", "call reset_state(1) first"))
        self.target_vars = dict(target_vars)
        self._shapes = {k: tuple(s for i, s in enumerate(v.shape) if i != v.batch_axis)
                        for k, v in self.target_vars.items()}
        specs = [] if inputs is None or callable(inputs) else parse_inputs(target, inputs, _WHO)
        t = 0. if t is None else t
        dt = bm.get_dt() if dt is None else dt

        def update(state: dict):
            for k, v in self.target_vars.items():
                value = state[k] if v.batch_axis is None else jnp.expand_dims(state[k], v.batch_axis)
                v.value = value.astype(v.dtype)
            with share.context(t=t, i=0, dt=dt, fit=False):
                for spec in specs:
                    spec.apply(None)
                if callable(inputs):
                    inputs()
                target(*self.args)
            return {k: v.value if v.batch_axis is None else jnp.squeeze(v.value, v.batch_axis)
                    for k, v in self.target_vars.items()}
        functional = Functional(update, list(everything.values()))
        base = functional.values()         # every Variable as it is now: the map never changes them

        def step(x):
            new = functional(base, self._unflatten(x))[1]
            return jnp.concatenate([jnp.ravel(new[k]) for k in self.target_vars])
        return step

    def _unflatten(self, x: jax.Array) -> dict:
        out, start = {}, 0
        for k, shape in self._shapes.items():
            n = int(np.prod(shape))
            out[k] = x[start:start + n].reshape(shape)
            start += n
        return out

    def _flatten(self, candidates: Any) -> np.ndarray:
        if self.target_vars is None:
            arr = np.asarray(bm.unwrap(candidates))
            return arr.reshape(len(arr), -1) if arr.ndim != 2 else arr
        if not isinstance(candidates, Mapping) or sorted(candidates) != sorted(self.target_vars):
            raise ValueError(describe(_WHO, f"candidates as a dict with the target variables {sorted(self.target_vars)}",
                                      repr(sorted(candidates) if isinstance(candidates, Mapping) else type(candidates))))
        parts = []
        for k, shape in self._shapes.items():
            c = np.asarray(bm.unwrap(candidates[k]))
            if c.shape[1:] != shape:
                raise ShapeError(describe(_WHO, f"candidates[{k!r}] of shape (n, {', '.join(map(str, shape))})",
                                          f"shape {c.shape}"))
            parts.append(c.reshape(len(c), -1))
        return np.concatenate(parts, 1)

    def _loss(self, x: jax.Array) -> jax.Array:
        fx = self._step(x)
        return self.f_loss(x, fx) if self.f_type == "discrete" else self.f_loss(fx)

    def _say(self, message: str) -> None:
        if self.verbose:
            print(message, flush=True)

    # -- optimisation ---------------------------------------------------------------------------
    def find_fps_with_gd_method(self, candidates: Any, tolerance: float = 1e-5, num_batch: int = 100,
                                num_opt: int = 10000, optimizer: Any = None) -> None:
        """Gradient descent on every candidate's loss (Adam by default), ``num_batch`` steps per
        compiled call, until the mean loss is under ``tolerance`` or after ``num_opt`` steps."""
        x = jnp.asarray(self._flatten(candidates), jnp.result_type(float))
        tx = make_optimizer(optimizer if optimizer is not None else Adam(lr=ExponentialDecay(0.2, 1, 0.9999)))
        per_point = jax.vmap(self._loss)
        opt_state = tx.init(x)

        @jax.jit
        def batch(x, opt_state):
            def one(carry, _):
                x, s = carry
                loss, grads = jax.value_and_grad(lambda x: per_point(x).mean())(x)
                updates, s = tx.update(grads, s, x)
                return (optax.apply_updates(x, updates), s), loss
            (x, opt_state), losses = jax.lax.scan(one, (x, opt_state), None, length=num_batch)
            return x, opt_state, losses
        self._say(f"Optimizing with {type(optimizer).__name__ if optimizer is not None else 'Adam'} to find fixed points:")
        history = []
        for start in range(0, num_opt, num_batch):
            begin = time.time()
            x, opt_state, losses = batch(x, opt_state)
            history.append(np.asarray(losses))
            self._say(f"    Batches {start + 1}-{start + num_batch} in {time.time() - begin:0.2f} sec, "
                      f"Training loss {float(losses[-1]):0.10f}")
            if float(losses[-1]) < tolerance:
                self._say(f"    Stop optimization as mean training loss {float(losses[-1]):0.10f} is below "
                          f"tolerance {tolerance:0.10f}.")
                break
        self.opt_losses = np.concatenate(history)
        self._set(np.asarray(x), np.asarray(jax.jit(per_point)(x)), np.arange(len(x)))

    def find_fps_with_opt_solver(self, candidates: Any, opt_solver: str = "BFGS") -> None:
        """``jax.scipy.optimize.minimize`` (BFGS) on each candidate's loss."""
        from jax.scipy.optimize import minimize
        x = jnp.asarray(self._flatten(candidates), jnp.result_type(float))
        self._say(f"Optimizing with {opt_solver} to find fixed points:")
        result = jax.jit(jax.vmap(lambda x0: minimize(self._loss, x0, method=opt_solver)))(x)
        ok = np.asarray(jnp.isfinite(result.fun))
        self._say(f"    Found {int(ok.sum())} fixed points from {len(x)} initial points.")
        self._set(np.asarray(result.x)[ok], np.asarray(result.fun)[ok], np.nonzero(ok)[0])

    def _set(self, points: np.ndarray, losses: np.ndarray, ids: np.ndarray) -> None:
        self._points, self._losses, self._selected_ids = points, losses, ids

    def _need(self) -> None:
        if self._points is None:
            raise ValueError(describe(_WHO, "candidates optimised first", "none",
                                      "call find_fps_with_gd_method or find_fps_with_opt_solver"))

    def _keep(self, keep: np.ndarray) -> None:
        self._set(self._points[keep], self._losses[keep], self._selected_ids[keep])

    # -- selection ------------------------------------------------------------------------------
    def filter_loss(self, tolerance: float = 1e-5) -> None:
        """Keep the points whose loss (squared speed) is under ``tolerance``."""
        self._need()
        self._say(f"Excluding fixed points with squared speed above tolerance {tolerance}:")
        n = len(self._losses)
        self._keep(np.nonzero(self._losses < tolerance)[0])
        self._say(f"    Kept {len(self._losses)}/{n} fixed points with tolerance under {tolerance}.")

    def keep_unique(self, tolerance: float = 2.5e-2) -> None:
        """Drop every point within ``tolerance`` (Euclidean) of an earlier point, dropped or not
        (BrainPy's rule: a chain of close points keeps only its first)."""
        self._need()
        self._say("Excluding non-unique fixed points:")
        points = self._points.reshape(len(self._points), -1)
        n = len(points)
        if tolerance <= 0 or n <= 1:
            kept = list(range(n))
        else:
            d = np.sqrt(((points[:, None] - points[None]) ** 2).sum(-1))
            later_close = np.triu(d <= tolerance, k=1)          # [i, j]: j > i within tolerance of i
            kept = np.nonzero(~later_close.any(axis=0))[0].tolist()
        self._keep(np.asarray(kept, int))
        self._say(f"    Kept {len(kept)}/{n} unique fixed points with uniqueness tolerance {tolerance}.")

    def exclude_outliers(self, tolerance: float = 1e0) -> None:
        """Drop points farther than ``tolerance`` from every other point."""
        self._need()
        self._say("Excluding outliers:")
        points = self._points
        if len(points) <= 1:
            return
        d = np.linalg.norm(points[:, None] - points[None], axis=-1)
        np.fill_diagonal(d, np.inf)
        n = len(points)
        self._keep(np.nonzero(d.min(1) <= tolerance)[0])
        self._say(f"    Kept {len(self._points)}/{n} fixed points with within outlier tolerance {tolerance}.")

    # -- results --------------------------------------------------------------------------------
    @property
    def fixed_points(self) -> np.ndarray | dict:
        """The points kept: an array ``(n, dim)``, or a dict per target variable for a system."""
        self._need()
        if self.target_vars is None:
            return self._points
        parts = jax.vmap(self._unflatten)(jnp.asarray(self._points))
        return {k: np.asarray(v) for k, v in parts.items()}

    @property
    def _fixed_points(self) -> np.ndarray | dict:      # BrainPy's programs read this name
        return self.fixed_points

    @property
    def losses(self) -> np.ndarray:
        self._need()
        return self._losses

    @property
    def selected_ids(self) -> np.ndarray:
        """The indices, among the candidates, of the points kept."""
        self._need()
        return self._selected_ids

    @property
    def num_fps(self) -> int:
        return 0 if self._points is None else len(self._points)

    def compute_jacobians(self, points: Any, stack_dict_var: bool = True, plot: bool = False, num_col: int = 4,
                          len_col: int = 3, len_row: int = 2) -> np.ndarray:
        """The Jacobian of the map (or derivative) at each point: ``(n, dim, dim)``; ``plot``
        draws each one's eigenvalues in the complex plane."""
        x = jnp.asarray(self._flatten(points), jnp.result_type(float))
        jac = np.asarray(jax.jit(jax.vmap(jax.jacfwd(self._step)))(x))
        if plot:
            import matplotlib.pyplot as plt
            rows = -(-len(jac) // num_col)
            fig, axes = plt.subplots(rows, min(num_col, len(jac)), figsize=(len_col * num_col, len_row * rows),
                                     squeeze=False)
            for i, J in enumerate(jac):
                ax = axes[i // num_col][i % num_col]
                eig = np.linalg.eigvals(J)
                ax.scatter(eig.real, eig.imag)
                ax.axvline(1. if self.f_type == "discrete" else 0., color="gray", linestyle="--")
                ax.set_title(f"FP {i}")
        return jac

    @staticmethod
    def decompose_eigenvalues(matrices: Any, sort_by: str = "magnitude", do_compute_lefts: bool = False) -> list[dict]:
        """Eigenvalues (sorted by ``'magnitude'`` or ``'real'``, largest first) and right (and
        left) eigenvectors of each matrix."""
        if sort_by not in ("magnitude", "real"):
            raise ValueError(describe(_WHO, "sort_by 'magnitude' or 'real'", repr(sort_by)))
        out = []
        for M in np.asarray(matrices):
            values, R = np.linalg.eig(M)
            order = np.argsort(np.abs(values) if sort_by == "magnitude" else values.real)[::-1]
            values, R = values[order], R[:, order]
            entry = {"eig_values": values, "R": R}
            if do_compute_lefts:
                entry["L"] = np.linalg.pinv(R).T
            out.append(entry)
        return out
