"""BPTT: back-propagation through time; one training step is one compiled program.

The step — scan the model over time, the loss, ``jax.value_and_grad`` w.r.t.
the TrainVars, optional clipping, the optax update, the NaN guard — is traced once per input
shapes and reused for every batch. Parameters and state go in and come out as arrays; the
optimizer state is an optax pytree held by the trainer (and donated to the step).

    >>> import numpy as np
    >>> import neurodyn as bp, neurodyn.math as bm
    >>> class Readout(bp.DynamicalSystem):
    ...     def __init__(self):
    ...         super().__init__(mode=bm.TrainingMode())
    ...         self.w = bm.TrainVar(bm.zeros((2, 1)))
    ...     def update(self, x):
    ...         return x @ self.w
    >>> X = np.ones((8, 3, 2), np.float32)                  # (batch, time, features)
    >>> Y = np.ones((8, 3, 1), np.float32)
    >>> from neurodyn.train.optim import SGD
    >>> trainer = BPTT(Readout(), 'mse', SGD(0.1), progress_bar=False, seed=0)
    >>> trainer.fit((X, Y), num_epoch=3, batch_size=4)
    >>> len(trainer.train_losses), trainer.train_losses[-1] < trainer.train_losses[0]
    (3, True)
"""
from __future__ import annotations

import contextlib
import functools
import time
from typing import Any, Callable, Mapping

import jax
import jax.numpy as jnp
import numpy as np
import optax

import neurodyn.math as bm
from neurodyn.check import is_integer, is_positive
from neurodyn.core import DynamicalSystem, share
from neurodyn.distributed import Placement
from neurodyn.errors import ShapeError, TrainingError, describe
from neurodyn.train import checkpoint as _ckpt
from neurodyn.train import losses as _losses
from neurodyn.train._data import (ArrayBatches, WeightedMeans, batch_size_of, make_batches, staged_ahead,
                                  staged_batch)
from neurodyn.train._modes import check_child_modes
from neurodyn.train._reset import ResetCache
from neurodyn.train._step import Program, localize, swap_time_batch
from neurodyn.train._trainer import Trainer
from neurodyn.train.optim import Optimizer, make_optimizer

__all__ = ["BPTT", "BPFF"]

_WHO = "BPTT"


def _loss_function(loss_fun: Any) -> Callable:
    if isinstance(loss_fun, str):
        if loss_fun not in _losses.__all__:
            raise ValueError(describe(_WHO, f"a loss name from bp.losses ({', '.join(_losses.__all__)})",
                                      repr(loss_fun)))
        return getattr(_losses, loss_fun)
    if not callable(loss_fun):
        raise TypeError(describe(_WHO, "loss_fun as a callable (outputs, targets) -> loss or a name "
                                 "from bp.losses", type(loss_fun).__name__))
    return loss_fun


def _fresh(tree: Any) -> Any:
    """Copies of every leaf, so donating them never frees a buffer someone else holds."""
    return jax.tree_util.tree_map(lambda a: jnp.array(a, copy=True), tree)


def _all_finite(tree: Any) -> jax.Array:
    leaves = [jnp.all(jnp.isfinite(a)) for a in jax.tree_util.tree_leaves(tree)
              if jnp.issubdtype(jnp.result_type(a), jnp.inexact)]
    return jnp.all(jnp.stack(leaves)) if leaves else jnp.asarray(True)


class BPTT(Trainer):
    """Train a model's TrainVars by back-propagation through time.

    Args:
        target: the model; its ``bm.TrainVar`` s are optimised.
        loss_fun: ``loss_fun(outputs, targets) -> scalar`` (outputs stacked over time:
            ``(batch, time, ...)`` for ``data_first_axis='B'``, else ``(time, batch, ...)``;
            targets as given, batch-first), or a name from ``bp.losses``.
        optimizer: a ``bp.optim`` optimizer, an optax transformation, or None (Adam(1e-3)).
        metrics: dict name -> ``fn(outputs, targets) -> scalar``, computed inside the step.
        shuffle_data: shuffle ``(X, Y)`` data every epoch (the order depends on seed and epoch).
        seed: the shuffling seed (None: drawn from ``bm.random``).
        progress_bar: a tqdm bar per epoch and a summary line.
        data_first_axis: ``'B'`` (inputs ``(batch, time, ...)``) or ``'T'`` (``(time, batch, ...)``).
        loss_has_aux: ``loss_fun`` returns ``(loss, aux)``, aux a dict of scalars (reported).
        loss_auto_run: ``False``: ``loss_fun(inputs, targets)`` runs the model itself.
        truncation: ``k``: truncated BPTT, the gradient through the carried state is cut every
            ``k`` steps.
        grad_clip_norm: clip the gradients' global norm to this first.
        remat: gradient checkpointing of the time loop (``bm.for_loop(remat=True)``: ~sqrt(T)
            chunks are stored and recomputed), to fit long sequences.
        nan_policy: on a non-finite loss or update, ``'raise'`` a TrainingError (keeping the
            parameters of the last good step) or ``'skip'`` the batch.
        dt: the time step of every training/prediction step (default: ``bm.get_dt()`` when the
            trainer is built).
        mesh: a ``jax.sharding.Mesh`` (``bp.distributed.mesh()``): data-parallel training. Each
            batch is split over the mesh's ``batch`` axis (in a multi-process run each process
            reads only its rows of the data), parameters are replicated and XLA reduces the
            gradients; batch sizes must divide over the ``batch`` devices.

    ``reset_state`` (``fit``/``predict``) resets the model to each batch's size before it runs
    (on the host, as BrainPy does; a reset that always gives the same values is learnt once per
    batch size and then assigned, see ``train/_reset.py``); the new state goes into the compiled
    step as its input.
    """

    def __init__(self, target: DynamicalSystem, loss_fun: Any, optimizer: Any = None,
                 metrics: Mapping[str, Callable] | None = None, shuffle_data: bool = True,
                 seed: int | None = None, progress_bar: bool = True, data_first_axis: str = "B",
                 loss_has_aux: bool = False, loss_auto_run: bool = True, truncation: int | None = None,
                 grad_clip_norm: float | None = None, remat: bool = False, nan_policy: str = "raise",
                 dt: float | None = None, mesh: Any = None):
        super().__init__(target, data_first_axis=data_first_axis, dt=dt, progress_bar=progress_bar)
        if nan_policy not in ("raise", "skip"):
            raise ValueError(describe(_WHO, "nan_policy 'raise' or 'skip'", repr(nan_policy)))
        self.metrics = dict(metrics or {})
        for name, fn in self.metrics.items():
            if not isinstance(name, str) or name == "loss" or not callable(fn):
                raise TypeError(describe(_WHO, "metrics as a dict name (not 'loss') -> fn(outputs, targets)",
                                         f"{name!r}: {type(fn).__name__}"))
        if self.metrics and not loss_auto_run:
            raise ValueError(describe(_WHO, "metrics only with loss_auto_run=True (they need the outputs)",
                                      "loss_auto_run=False", "return them as aux with loss_has_aux=True"))
        self.loss_fun = _loss_function(loss_fun)
        self.truncation = None if truncation is None else is_integer(truncation, "truncation", _WHO, min_value=1)
        self.remat, self.loss_has_aux, self.loss_auto_run = bool(remat), bool(loss_has_aux), bool(loss_auto_run)
        self.shuffle_data, self.nan_policy = bool(shuffle_data), nan_policy
        self.optimizer = optimizer
        self.tx = make_optimizer(optimizer)
        if grad_clip_norm is not None:
            self.tx = optax.chain(optax.clip_by_global_norm(is_positive(grad_clip_norm, "grad_clip_norm", _WHO)),
                                  self.tx)
        check_child_modes(target, _WHO)
        variables = target.vars().unique()
        self._train_paths = [p for p, v in variables.items() if isinstance(v, bm.TrainVar)]
        if not self._train_paths:
            raise ValueError(describe(_WHO, f"{target.describe()} to have bm.TrainVar parameters", "none",
                                      "build the model in bm.TrainingMode() (e.g. inside "
                                      "bm.training_environment())"))
        others = [v for v in variables.values() if not isinstance(v, bm.TrainVar)]
        self._variables = [variables[p] for p in self._train_paths] + others
        self._carried = [v for v in others if jnp.issubdtype(v.dtype, jnp.inexact) and not isinstance(v, bm.Parameter)]
        self.opt_state = _fresh(self.tx.init({p: variables[p].value for p in self._train_paths}))
        self.seed = bm.random.make_seed() if seed is None else is_integer(seed, "seed", _WHO)
        self.placement = None if mesh is None else Placement(mesh, _WHO)
        if seed is None and self.placement is not None and self.placement.multi:   # one shuffling order
            self.seed = int(self.placement.broadcast(np.array([self.seed % 2 ** 31], np.int32))[0])
        self.epoch, self.step, self.skipped_steps = 0, 0, 0
        self._seen_batches = 0
        self.train_losses: list[float] = []
        self.test_losses: list[float] = []
        self._num_report = -1
        self.train_metrics: dict[str, list[float]] = {}
        self.test_metrics: dict[str, list[float]] = {}
        self._fit_begin = 0
        self._halted = self._running = None      # a device False, made once (no copy per fit call)
        self._programs: dict[Any, Program] = {}
        self._reset = ResetCache(target)

    def __repr__(self) -> str:
        return f"BPTT(target={self.target.describe()}, epoch={self.epoch}, step={self.step})"

    # -- the stateful forward pass (run inside a Functional) ------------------------------------
    time_loop = True     # False (BPFF): one call of the model per batch, no time axis

    def _scan(self, xs: Any) -> Any:
        length = jax.tree_util.tree_leaves(xs)[0].shape[0]
        cut_every = self.truncation

        def body(k, x):
            if cut_every is not None:
                cut = (k > 0) & (k % cut_every == 0)
                for var in self._carried:
                    value = var.value
                    var.value = jnp.where(cut, jax.lax.stop_gradient(value), value)
            with share.context(t=k * self.dt, i=k):
                return self.target(*x) if isinstance(x, (tuple, list)) else self.target(x)

        return bm.for_loop(body, (jnp.arange(length), xs), remat=self.remat)

    def _forward(self, xs: Any, ys: Any, with_loss: bool, time_major: bool = False) -> Any:
        # time_major: the inputs were staged (T, B, ...) on the host (_stage_rule), whatever the layout
        outs = None
        if (self.loss_auto_run or not with_loss) and not self.time_loop:
            with share.context(t=0., i=0):
                outs = self.target(*xs) if isinstance(xs, (tuple, list)) else self.target(xs)
            if not with_loss:
                return outs
        elif self.loss_auto_run or not with_loss:
            batch_first = self.data_first_axis == "B"
            outs = self._scan(swap_time_batch(xs) if batch_first and not time_major else xs)
            outs = swap_time_batch(outs) if batch_first else outs
            if not with_loss:
                return outs
        result = self.loss_fun(outs, ys) if self.loss_auto_run else self.loss_fun(xs, ys)
        loss, aux = result if self.loss_has_aux else (result, {})
        if jnp.ndim(loss) != 0:
            raise ShapeError(describe(_WHO, "loss_fun to return a scalar", f"shape {jnp.shape(loss)}",
                                      "reduce it, e.g. .mean()"))
        if not isinstance(aux, Mapping):
            raise TypeError(describe(_WHO, "the aux of a loss with loss_has_aux=True to be a dict name -> "
                                     "scalar", type(aux).__name__))
        extras = dict(aux)
        for name, fn in self.metrics.items():
            extras[name] = fn(jax.lax.stop_gradient(outs), ys)
        for name, value in extras.items():
            if jnp.ndim(value) != 0:
                raise ShapeError(describe(_WHO, f"metric/aux {name!r} to be a scalar", f"shape {jnp.shape(value)}"))
        return loss, extras

    # -- compiled programs -----------------------------------------------------------------------
    def _train_program(self, func, values, opt_state, halted, xs, ys, shared):
        n = len(self._train_paths)

        def loss_of(train, rest):
            with share.context(**shared, fit=True, dt=self.dt):
                new, (loss, extras) = func(list(train) + list(rest), xs, ys, True)
            return loss, (new[n:], extras)

        (loss, (rest, extras)), grads = jax.value_and_grad(loss_of, has_aux=True)(values[:n], values[n:])
        params = dict(zip(self._train_paths, values[:n]))
        updates, new_opt = self.tx.update(dict(zip(self._train_paths, grads)), opt_state, params)
        new_params = optax.apply_updates(params, updates)
        finite = jnp.isfinite(loss) & _all_finite(new_params)
        ok = finite & ~halted

        # keep the last good state on a non-finite step; one conditional costs less than an
        # element-wise select over every parameter and optimizer buffer (~5% of a W1 step)
        new_values, new_opt = jax.lax.cond(
            ok, lambda: ([new_params[p] for p in self._train_paths] + list(rest), new_opt),
            lambda: (list(values), opt_state))
        halted = halted | ~finite if self.nan_policy == "raise" else halted
        return new_values, new_opt, halted, finite, loss, extras

    def _eval_program(self, func, values, xs, ys, shared):
        with share.context(**shared, fit=False, dt=self.dt):
            new, (loss, extras) = func(values, xs, ys, True)
        return new, loss, extras

    def _predict_program(self, func, values, xs, shared):
        with share.context(**shared, fit=False, dt=self.dt):
            return func(values, xs, None, False)

    def _program(self, kind: str, shared: dict, time_major: bool = False) -> Program:
        # an epoch-based scheduler turns the update count into epochs: the step count per epoch
        # is part of the compiled train program
        per_epoch = self._epoch_scheduler()
        key = (kind, tuple(sorted(shared.items())), per_epoch and self.optimizer.steps_per_epoch, time_major)
        if key not in self._programs:
            func = bm.Functional(functools.partial(self._forward, time_major=time_major), self._variables)
            if kind == "train":
                def fn(values, opt_state, halted, xs, ys):
                    return self._train_program(func, values, opt_state, halted, xs, ys, shared)
            elif kind == "eval":
                def fn(values, xs, ys):
                    return self._eval_program(func, values, xs, ys, shared)
            else:
                def fn(values, xs):
                    return self._predict_program(func, values, xs, shared)
            self._programs[key] = Program(func, fn, donate_argnums=(1,) if kind == "train" else (),
                                          placement=self.placement)
        return self._programs[key]

    def _epoch_scheduler(self) -> bool:
        return isinstance(self.optimizer, Optimizer) and self.optimizer.lr.per_epoch

    def _stage_rule(self) -> Any:
        """How batches are staged on one process (``staged_batch``): time-major for the
        batch-first inputs the trainer scans; None on a mesh (the placement moves them)."""
        if self.placement is not None:
            return None
        time_major = self.data_first_axis == "B" and self.loss_auto_run and self.time_loop
        return functools.partial(staged_batch, time_major=time_major)

    def _prepare(self, x: Any, reset: bool, scanned: bool) -> int:
        """Check the inputs' layout (when the trainer scans them); reset the model to their batch size."""
        x = bm.unwrap_tree(x)
        if scanned:
            shapes = [tuple(np.shape(a)) for a in jax.tree_util.tree_leaves(x)]
            if not shapes or any(len(s) < 2 for s in shapes):
                layout = "(batch, time, ...)" if self.data_first_axis == "B" else "(time, batch, ...)"
                raise ShapeError(describe(_WHO, f"inputs of layout {layout}", f"shapes {shapes}"))
        batch = batch_size_of(x, self._batch_axis, _WHO)
        if reset:
            self._reset(batch)
        return batch

    # -- public API ------------------------------------------------------------------------------
    def predict(self, inputs: Any, reset_state: bool = True, shared_args: Mapping | None = None) -> Any:
        """Run the model over ``inputs`` (``fit=False``); return the outputs (``(batch, time, ...)`` for 'B')."""
        inputs, reset_state, shared_args = self._legacy_predict_args(inputs, reset_state, shared_args, True)
        inputs = bm.unwrap_tree(inputs)
        place = self.placement
        if place is not None:
            rows = place.rows(batch_size_of(inputs, self._batch_axis, _WHO))
            inputs = place.batch(jax.tree_util.tree_map(lambda a: a[(slice(None),) * self._batch_axis + (rows,)],
                                                        inputs), self._batch_axis)
        self._prepare(inputs, reset_state, scanned=True)
        program = self._program("predict", self._shared(shared_args))
        with self._guard("predict"):
            new, outs = program(inputs)
            program.commit(new)
            if place is not None:
                outs = place.to_host(outs)
                self._localize()
        return outs

    def test(self, test_data: Any, batch_size: int | None = None, reset_state: bool = True,
             shared_args: Mapping | None = None) -> dict[str, float]:
        """The mean loss (and metrics) over ``test_data`` with ``fit=False``: ``{'loss': ..., ...}``."""
        data = make_batches(test_data, batch_size, self._batch_axis, False, self.seed, _WHO)
        return self._evaluate(data, bool(reset_state), self._shared(shared_args))

    def _evaluate(self, data: Any, reset: bool, shared: dict) -> dict[str, float]:
        results = []
        with self._guard("test"):
            for x, y, staged in staged_ahead(self._batches(data, 0), self._stage_rule()):
                size = self._prepare(x, reset, self.loss_auto_run)
                xs, ys, time_major = (x, y, False) if staged is None else staged
                program = self._program("eval", shared, time_major)
                new, loss, extras = program(xs, ys)
                program.commit(new)
                results.append((size, loss, extras))
            self._localize()
        means = WeightedMeans()
        for size, loss, extras in results:
            values = {"loss": loss, **extras}
            means.add(values, size)
            self.history.add("test", values)
        self.history.report_now("test")
        return means.result()

    def fit(self, train_data: Any, test_data: Any = None, num_epoch: int = 100, batch_size: int | None = None,
            reset_state: bool = True, shared_args: Mapping | None = None, checkpoint_dir: str | None = None,
            checkpoint_every: int | None = None, resume: bool = False, num_report: int = -1,
            fun_after_report: Callable | None = None) -> None:
        """Train for ``num_epoch`` epochs.

        Args:
            train_data: ``(X, Y)`` arrays (X an array or dict of arrays, batched along the batch
                axis; Y batch-first), or a callable returning an iterable of ``(x, y)`` batches
                (or a re-iterable such as a list).
            test_data: the same, evaluated after every epoch (histories ``test_losses``,
                ``test_metrics``).
            num_epoch: epochs to run (with ``resume``, counted from the start of the run the
                checkpoint belongs to).
            batch_size: for ``(X, Y)`` arrays (None: the whole set).
            reset_state: reset the model to each batch's size before running it.
            shared_args: extra ``bp.share`` values (hashable; each distinct dict compiles once).
            checkpoint_dir: write a checkpoint there every ``checkpoint_every`` epochs (default 1)
                and at the end.
            resume: first restore the latest checkpoint in ``checkpoint_dir`` (if any).
            num_report: report (print, and record in ``get_hist_metric``) the mean training
                values every ``num_report`` batches; ``-1``: once per epoch.
            fun_after_report: ``f(index, values, phase)`` called after each report.
        """
        num_epoch = is_integer(num_epoch, "num_epoch", _WHO, min_value=0)
        self._num_report = is_integer(num_report, "num_report", _WHO, min_value=-1)
        self._after_report = fun_after_report
        shared = self._shared(shared_args)
        reset = bool(reset_state)
        if (checkpoint_every is not None or resume) and checkpoint_dir is None:
            raise ValueError(describe(_WHO, "checkpoint_dir= with checkpoint_every/resume", "no directory"))
        every = 1 if checkpoint_every is None else is_integer(checkpoint_every, "checkpoint_every", _WHO, min_value=1)
        begin = self.epoch
        if resume and _ckpt.latest(checkpoint_dir) is not None:
            begin = self.restore(checkpoint_dir)["fit_begin"]      # also restores the shuffling seed
        train = make_batches(train_data, batch_size, self._batch_axis, self.shuffle_data, self.seed, _WHO)
        test = None if test_data is None else make_batches(test_data, batch_size, self._batch_axis, False,
                                                           self.seed, _WHO)
        self._fit_begin, end = begin, begin + num_epoch
        if self._running is None or self.placement is not None:
            self._running = jnp.zeros((), bool)
        self._halted = self._running
        if self.placement is not None and self.placement.multi:       # every process starts from process 0's
            variables = list(self.target.vars().unique().values()) + [bm.random.DEFAULT]
            with self._guard("the start of fit"):
                bm.Functional.assign(variables, self.placement.broadcast([jnp.asarray(v.value) for v in variables]))
        while self.epoch < end:
            start = time.time()
            stats = self._train_epoch(train, self.epoch, end, reset, shared)
            if self._num_report <= 0:
                self._report("fit", self.epoch + 1)
            self.train_losses.append(stats.pop("loss", float("nan")))
            for name, value in stats.items():
                self.train_metrics.setdefault(name, []).append(value)
            line = f"Epoch {self.epoch + 1}/{end}: train loss {self.train_losses[-1]:.4g}"
            line += "".join(f", {k} {v:.4g}" for k, v in stats.items())
            if test is not None:
                tstats = self._evaluate(test, reset, shared)
                self.test_losses.append(tstats.pop("loss"))
                for name, value in tstats.items():
                    self.test_metrics.setdefault(name, []).append(value)
                line += f"; test loss {self.test_losses[-1]:.4g}" + "".join(f", {k} {v:.4g}" for k, v in tstats.items())
            self.epoch += 1
            if self.progress_bar:
                print(line + f" ({time.time() - start:.2f} s)", flush=True)
            if (checkpoint_dir is not None and ((self.epoch - begin) % every == 0 or self.epoch == end)
                    and jax.process_index() == 0):
                _ckpt.save(_ckpt.checkpoint_path(checkpoint_dir, self.epoch), self)

    def _train_epoch(self, data: Any, epoch: int, end: int, reset: bool, shared: dict) -> dict[str, float]:
        means, pending = WeightedMeans(), None
        if self._epoch_scheduler():      # unknown length (a generator): learnt from the first epoch
            self.optimizer.steps_per_epoch = data.num_batches or self._seen_batches or 2 ** 30
        with self._bar(data.num_batches, f"Epoch {epoch + 1}/{end}", leave=False) as bar:
            for k, (x, y, staged) in enumerate(staged_ahead(self._batches(data, epoch), self._stage_rule())):
                size = self._prepare(x, reset, self.loss_auto_run)
                xs, ys, time_major = (x, y, False) if staged is None else staged
                program = self._program("train", shared, time_major)
                if self.placement is not None:
                    self.opt_state, self._halted = self.placement.replicate((self.opt_state, self._halted))
                with self._guard(f"training step {self.step} (epoch {epoch}, batch {k})"):
                    new, self.opt_state, self._halted, finite, loss, extras = program(
                        self.opt_state, self._halted, xs, ys)
                program.commit(new)
                self.step += 1
                if pending is not None:       # read the previous step while this one runs
                    self._resolve(pending, means, bar)
                pending = (epoch, k, self.step - 1, finite, loss, extras, size)
                if bar is not None:
                    bar.update(1)
            if pending is not None:
                with self._guard(f"training step {self.step - 1}"):
                    self._resolve(pending, means, bar)
            if self._epoch_scheduler():
                self._seen_batches = k + 1 if pending is not None else 0
                self.optimizer.lr.step_epoch()          # BrainPy's counter: opt.lr() is the current rate
        with self._guard(f"the end of epoch {epoch}"):
            self._localize()
        return means.result()

    # -- data-parallel runs (mesh=) ----------------------------------------------------------------
    def _batches(self, data: Any, epoch: int) -> Any:
        """The batches of an epoch; on a mesh, this process's rows of each, placed on it."""
        place = self.placement
        if place is None:
            yield from data.epoch(epoch)
            return
        extra = {} if isinstance(data, ArrayBatches) else {"batch_axis": self._batch_axis}
        for x, y in data.epoch(epoch, place.rows, **extra):
            yield place.batch(x, self._batch_axis), place.batch(y, 0)

    def _guard(self, where: str) -> Any:
        return contextlib.nullcontext() if self.placement is None else self.placement.guard(where)

    def _localize(self) -> None:
        localize(self.placement, self._programs.values())

    def _resolve(self, pending: tuple, means: WeightedMeans, bar: Any) -> None:
        epoch, k, step, finite, loss, extras, size = pending
        finite, loss, extras = jax.device_get((finite, loss, extras))     # one wait, one copy
        if not bool(finite):
            if self.nan_policy == "raise":
                self.step = step   # later steps were halted on the device: nothing changed
                raise TrainingError(describe(
                    _WHO, "a finite loss and finite updated parameters",
                    f"loss {float(loss)} at epoch {epoch} (from 0), batch {k} of the epoch (training step "
                    f"{step}); the parameters of the last good step were kept",
                    "lower the learning rate, set grad_clip_norm=..., check the data, or nan_policy='skip'"))
            self.skipped_steps += 1
            return
        values = {"loss": float(loss), **{n: float(v) for n, v in extras.items()}}
        means.add(values, size)
        self.history.add("fit", values)
        if self._num_report > 0 and (step + 1) % self._num_report == 0:
            means_now = self._report("fit", step + 1)
            if self.progress_bar:
                print(f"Train {step + 1} steps, " + ", ".join(f"{k} {v:.4g}" for k, v in means_now.items()),
                      flush=True)
        if bar is not None:
            bar.set_postfix(loss=f"{values['loss']:.4g}")

    def _report(self, phase: str, index: int) -> dict[str, float]:
        means = self.history.report_now(phase)
        if getattr(self, "_after_report", None) is not None:
            self._after_report(index, means, phase)
        return means

    # -- checkpoints -----------------------------------------------------------------------------
    def checkpoint_entries(self) -> tuple[dict, dict]:
        """The trainer's entries (model, random key, histories), the optimizer state
        (``opt/<leaf>``) and the position in the run."""
        entries, meta = super().checkpoint_entries()
        for i, leaf in enumerate(jax.tree_util.tree_leaves(self.opt_state)):
            entries[f"opt/{i:05d}"] = leaf
        meta.update(epoch=self.epoch, step=self.step, fit_begin=self._fit_begin, seed=self.seed,
                    skipped_steps=self.skipped_steps, train_losses=self.train_losses,
                    test_losses=self.test_losses, train_metrics=self.train_metrics,
                    test_metrics=self.test_metrics)
        return entries, meta

    def checkpoint_restore(self, arrays: Mapping[str, Any], meta: Mapping) -> None:
        super().checkpoint_restore(arrays, meta)
        treedef = jax.tree_util.tree_structure(self.opt_state)
        self.opt_state = jax.tree_util.tree_unflatten(
            treedef, [arrays[f"opt/{i:05d}"] for i in range(treedef.num_leaves)])
        self.epoch, self.step, self._fit_begin = meta["epoch"], meta["step"], meta["fit_begin"]
        self.seed, self.skipped_steps = meta["seed"], meta["skipped_steps"]
        self.train_losses, self.test_losses = list(meta["train_losses"]), list(meta["test_losses"])
        self.train_metrics = {k: list(v) for k, v in meta["train_metrics"].items()}
        self.test_metrics = {k: list(v) for k, v in meta["test_metrics"].items()}


class BPFF(BPTT):
    """Back-propagation for feedforward models (BrainPy's ``bp.BPFF``): each batch ``(batch, ...)``
    goes through the model in one call, with no time axis; otherwise :class:`BPTT`."""

    time_loop = False
