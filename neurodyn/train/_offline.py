"""Offline training of readouts: run the model once over the data, then solve each readout.

The model runs in one compiled ``jax.lax.scan`` (in chunks of ``chunk_size`` steps) with
``bp.share.load('fit') == True``; the input of every trainable readout (a ``Dense`` in
TrainingMode) is collected, and its ``W`` (and ``b``, through an appended constant column) is
solved in closed form. Ridge regression accumulates ``X^T X`` and ``X^T Y`` chunk by chunk and
solves in float64 (NG-RC and reservoir features are badly conditioned), so long runs are never
held in memory whole.

    >>> import numpy as np, neurodyn.math as bm
    >>> from neurodyn.layers import Dense
    >>> readout = Dense(2, 1, mode=bm.training_mode)
    >>> X = np.random.RandomState(0).rand(1, 50, 2).astype('float32')
    >>> Y = X @ np.array([[1.], [-2.]], 'float32') + 0.5
    >>> _ = RidgeTrainer(readout, alpha=1e-8, progress_bar=False).fit([X, Y])
    >>> np.round(np.asarray(readout.W).ravel(), 3).tolist(), round(float(readout.b[0]), 3)
    ([1.0, -2.0], 0.5)
"""
from __future__ import annotations

import functools
from typing import Any, Callable

import jax
import numpy as np

import neurodyn.math as bm
from neurodyn.check import is_integer
from neurodyn.core import DynamicalSystem
from neurodyn.errors import ShapeError, TrainingError, describe
from neurodyn.layers import Dense
from neurodyn.distributed import Placement
from neurodyn.train._readout import ReadoutTrainer, _check_layout, capturing, one_call
from neurodyn.train._step import concat_time, localize
from neurodyn.train import _regression as _reg
from neurodyn.train.solvers import RidgeRegression, RidgeState, ridge_accumulate, ridge_solve_numpy

__all__ = ["OfflineTrainer", "RidgeTrainer"]

_NAMES: dict[str, Callable[..., Any]] = {
    "ridge": RidgeRegression, "linear": _reg.LinearRegression, "lstsq": _reg.LinearRegression,
    "lasso": _reg.LassoRegression, "logistic": _reg.LogisticRegression,
    "polynomial": _reg.PolynomialRegression, "polynomial_ridge": _reg.PolynomialRidgeRegression,
    "elastic_net": _reg.ElasticNetRegression,
}


def _fit_method(spec: Any, who: str) -> Any:
    """A RidgeRegression or a callable ``f(targets, inputs, outputs) -> W`` from the user's spec."""
    if spec is None:
        return RidgeRegression(alpha=1e-7)
    kwargs: dict = {}
    if isinstance(spec, dict):
        kwargs = dict(spec)
        spec = kwargs.pop("name", None)
        if not isinstance(spec, str):
            raise ValueError(describe(who, "fit_method as a dict with a 'name' (e.g. {'name': 'ridge', "
                                      "'alpha': 1e-6})", repr(spec)))
    if isinstance(spec, str):
        if spec.lower() not in _NAMES:
            raise ValueError(describe(who, f"fit_method one of {sorted(_NAMES)}", repr(spec)))
        try:
            return _NAMES[spec.lower()](**kwargs)
        except TypeError as err:
            raise TypeError(describe(who, f"arguments accepted by the {spec!r} fit method",
                                     f"{sorted(kwargs)} ({err})")) from None
    if callable(spec):
        return spec
    raise TypeError(describe(who, "fit_method: a RidgeRegression, a name ('ridge'), a dict "
                             "{'name': ..., **options} or a callable f(targets, inputs, outputs) -> W",
                             f"{type(spec).__name__} {spec!r}"))


class _Collected:
    """Per readout: running ridge sums, or every row (for a general fit method)."""

    def __init__(self, method: Any):
        self.method = method
        self.ridge = isinstance(method, RidgeRegression) and not method.gradient_descent
        self.sums: dict[str, Any] = {}
        self.rows: dict[str, list] = {}

    def add(self, path: str, node: Dense, x: Any, target: np.ndarray, output: Any) -> None:
        x = np.asarray(x, np.float64).reshape(-1, node.num_in)
        if node.b is not None:
            x = np.concatenate([x, np.ones((x.shape[0], 1))], axis=1)
        target = target.reshape(-1, node.num_out)
        if self.ridge:
            self.sums[path] = ridge_accumulate(self.sums.get(path), x, target)
        else:
            out = np.asarray(output, np.float64).reshape(-1, node.num_out)
            self.rows.setdefault(path, []).append((x, target, out))

    def add_up(self, place: Placement) -> None:
        """Sum every process's ridge statistics (exact: they are sums over samples)."""
        for path, (xtx, xty, count) in self.sums.items():
            self.sums[path] = RidgeState(place.total(xtx), place.total(xty), int(place.total(count)[0]))

    def solve(self, path: str, node: Dense, who: str) -> np.ndarray:
        if self.ridge:
            sums = self.sums[path]
            if not (np.isfinite(sums.xtx).all() and np.isfinite(sums.xty).all()):
                raise TrainingError(describe(who, f"finite inputs to readout {path or node.name!r} "
                                             "during the run", "NaN or inf (the model diverged); no "
                                             "readout was changed", "lower the input or recurrent "
                                             "gains, e.g. a smaller spectral_radius"))
            return ridge_solve_numpy(sums, self.method.alpha)
        x, t, y = (np.concatenate(parts) for parts in zip(*self.rows[path]))
        w = np.asarray(self.method(t, x, y))
        want = (node.num_in + (node.b is not None), node.num_out)
        if w.shape != want:
            raise ShapeError(describe(who, f"the fit method to return W of shape {want} for readout "
                                      f"{path or node.name!r} (num_in{' + 1 bias row' if node.b is not None else ''}"
                                      ", num_out)", f"shape {w.shape}"))
        return w


class OfflineTrainer(ReadoutTrainer):
    """Fit a model's readouts offline: collect their inputs in one run, then solve.

    Args:
        target: the model; its readouts are the ``bp.layers.Dense`` built in TrainingMode.
        fit_method: ``RidgeRegression(alpha)`` (default ``alpha=1e-7``), a name (``'ridge'``,
            ``'linear'``/``'lstsq'`` = ridge with ``alpha=0``), a dict ``{'name': 'ridge',
            'alpha': 1e-6}``, or a callable ``f(targets, inputs, outputs) -> W`` given float64
            NumPy arrays ``(samples, num_in [+ 1 bias column, last])``, ``(samples, num_out)``.
        data_first_axis: ``'B'`` (data ``(batch, time, ...)``, the default for a batching model)
            or ``'T'``.
        dt: the step of ``bp.share``'s ``t``; default ``bm.get_dt()``.
        progress_bar: show a tqdm bar.
        jit: ``False`` runs without ``jax.jit``.
        chunk_size: steps run per compiled chunk; the features of one chunk are in memory at
            once. Default: as many steps as keep the readouts' collected inputs under 64 MiB
            (at least 1000).
        mesh: a ``jax.sharding.Mesh`` (``bp.distributed.mesh()``), for a batching model with
            batch-first data: each process runs only its rows of the batch, split over its
            devices, and the ridge statistics ``X^T X``, ``X^T Y`` of all processes are summed
            before the solve (exact). Other fit methods need all rows in one process.

    Raises:
        ValueError: the target has no trainable readout.
    """

    def __init__(self, target: DynamicalSystem, fit_method: Any = None, data_first_axis: str | None = None,
                 dt: float | None = None, progress_bar: bool = True, jit: bool = True,
                 chunk_size: int | None = None, mesh: Any = None):
        super().__init__(target, data_first_axis=data_first_axis, dt=dt, progress_bar=progress_bar, jit=jit)
        who = type(self).__name__
        self.fit_method = _fit_method(fit_method, who)
        self.mesh = None if mesh is None else Placement(mesh, who)
        if self.mesh is not None:
            if not (self._batch_first() and target.mode.batching):
                raise ValueError(describe(who, "mesh= with a batching model and batch-first data "
                                          "(data_first_axis='B')", f"mode {target.mode}, data_first_axis="
                                          f"{self.data_first_axis!r}", "build the model in a batching mode"))
            if self.mesh.multi and not _Collected(self.fit_method).ridge:
                raise ValueError(describe(who, "ridge regression in a multi-process run (its statistics "
                                          "add up over the processes)", repr(self.fit_method),
                                          "use fit_method='ridge', or fit in one process"))
            self.placement = self.mesh.local()
        self.chunk_size = None if chunk_size is None else is_integer(chunk_size, "chunk_size", who, 1)
        self._readout_outputs: dict[Any, dict] = {}    # per program: the readout that is the output

    def fit(self, train_data: Any, reset_state: bool = False, shared_args: dict | None = None) -> Any:
        """Run the model over ``X`` (``fit=True``), then solve every readout for ``Y``.

        Args:
            train_data: ``[X, Y]``. ``X``: an array ``(batch, time, features)`` (``(time, batch,
                ...)`` with ``data_first_axis='T'``; ``(time, ...)`` for a non-batching model), a
                dict of them, or a tuple of them for several arguments of ``update``. ``Y``: the
                targets of the readout ``(batch, time, num_out)`` — or ``(batch, num_out)`` to fit
                the last step only — or a dict readout path/name -> targets.
            reset_state: reset the model to the data's batch size first (otherwise the state
                continues, e.g. after a warm-up ``predict``).
            shared_args: extra ``bp.share`` values (hashable); ``fit`` may be overridden.

        Returns:
            The model's outputs during the run (before the readouts were solved).

        Raises:
            ShapeError: ``X`` and ``Y`` disagree on batch or time, or ``Y`` does not match a
                readout's output.
            ValueError: ``X`` or ``Y`` holds NaN or inf (checked before anything is changed).
            TrainingError: a readout's inputs became NaN/inf during the run (no readout changed).
        """
        who = f"{type(self).__name__}.fit"
        X, Y = self._pair(train_data, f"{type(self).__name__}.fit")
        if self.mesh is not None:         # this process's rows of the batch
            rows = self.mesh.rows(_check_layout(bm.unwrap_tree(X), True, True, who, "inputs X")[1])
            X, Y = jax.tree_util.tree_map(lambda a: a[rows], bm.unwrap_tree((X, Y)))
        shared = self._shared(shared_args, allow_fit=True)
        xs, n, batch = self._inputs(X)
        ys = self._targets(Y, n, batch, np.float64, allow_last=True)
        self._prepare_state(batch, reset_state)
        expect = {p: (y.shape[1:] if timed else y.shape) for p, (y, timed) in ys.items()}
        collected = _Collected(self.fit_method)
        key = ("offline", tuple(sorted(shared.items())), tuple(sorted(expect.items())), not collected.ridge)
        found = self._readout_outputs.setdefault(key, {})
        step = functools.partial(self._step, shared=shared, expect=expect, outputs=not collected.ridge,
                                 found=found)
        i0, outs = self.runner.i0, []
        with self._progress(n, "Fitting") as every:
            after = functools.partial(self._readout_outputs_after, found)
            program = self._program(step, key, every, after=after)
            chunk = self.chunk_size or self._auto_chunk(batch)
            for s in range(0, n, chunk):
                m = min(chunk, n - s)
                part = xs if m == n else self._time_slice(xs, s, s + m)
                _, (out, seen) = self._run(program, i0 + s, m, part, (), ())
                outs.append(out)
                for path, (x, y) in seen.items():
                    target, timed = ys[path]
                    if timed:
                        collected.add(path, self.readouts[path], x, target[s:s + m], y)
                    elif s + m == n:
                        collected.add(path, self.readouts[path], x[-1], target, None if y is None else y[-1])
        self.runner.i0 += n
        if self.mesh is not None:
            localize(self.placement, self._programs.values())
            collected.add_up(self.mesh)
        solved = {path: collected.solve(path, node, who) for path, node in self.readouts.items()}
        for path, node in self.readouts.items():
            w = solved[path]
            node.W.value = w[:node.num_in].astype(node.W.dtype)
            if node.b is not None:
                node.b.value = w[node.num_in].astype(node.b.dtype)
        return concat_time(outs, self._batch_first())

    def _step(self, i: Any, x: tuple, extra: tuple, carry: Any, shared: dict, expect: dict,
              outputs: bool, found: dict) -> tuple:
        """One step: run the model, return (carry, (output, {readout: (input, output or None)})).

        When the model's output is the readout's output itself (``x >> reservoir >> readout``),
        the step returns no output: the program computes the outputs after the scan as
        ``inputs @ W + b``, one matmul (:meth:`_readout_outputs_after`). Stacking each step's
        features *and* feeding them to a matmul inside the scan costs XLA:CPU ~1.4 us a step,
        ten times the rest of an NG-RC step.
        """
        who = f"{type(self).__name__}.fit"
        with self._step_context(i, shared):
            with capturing(self.readouts) as calls:
                out = self.target(*x)
            self._clear_inputs()
        seen = {}
        for path, node in self.readouts.items():
            xin, y = one_call(calls, path, node, who)
            self._check_output(y, expect[path], path, node, who)
            seen[path] = (xin, y if outputs else None)
            if out is y and not outputs:
                found["path"], out = path, None      # decided while tracing, kept with the program
        return carry, (out, seen)

    def _auto_chunk(self, batch: int | None) -> int:
        """Steps per chunk keeping the collected readout inputs (float32) under 64 MiB."""
        per_step = 4 * (batch or 1) * sum(node.num_in + node.num_out for node in self.readouts.values())
        return max(1000, (64 << 20) // per_step)

    def _readout_outputs_after(self, found: dict, func: Any, values: list, outs: Any, collected: dict) -> Any:
        """Inside the program, after the scan: the model's outputs when they are the readout's
        (``found['path']``, set while the step was traced), from its stacked inputs and its
        weights before the fit; otherwise ``outs`` as they are."""
        path = found.get("path")
        if path is None:
            return outs
        node = self.readouts[path]
        position = {id(v): k for k, v in enumerate(func.variables)}
        y = collected[path][0] @ values[position[id(node.W)]]
        return y if node.b is None else y + values[position[id(node.b)]]


class RidgeTrainer(OfflineTrainer):
    """An :class:`OfflineTrainer` solving ridge regression ``(X^T X + alpha I) W = X^T Y`` in float64.

    Args:
        target: the model.
        alpha: the ridge coefficient (>= 0).
        **kwargs: the other arguments of :class:`OfflineTrainer`.
    """

    def __init__(self, target: DynamicalSystem, alpha: float = 1e-7, **kwargs: Any):
        super().__init__(target, fit_method=RidgeRegression(alpha=alpha), **kwargs)
