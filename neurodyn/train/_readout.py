"""What the offline and online trainers share: a model's trainable readouts, the inputs they see
inside one compiled scan, and the ``(X, Y)`` data layout.

A readout is a :class:`~neurodyn.layers.Dense` built in TrainingMode (its ``W`` a ``TrainVar``).
While a step is traced, :func:`capturing` wraps each readout's ``update`` (an instance
attribute, removed afterwards) to record its input and output; the trainer returns them from
the scan, so they are values of the same trace.

    >>> import neurodyn as bp, neurodyn.math as bm
    >>> from neurodyn.layers import Dense
    >>> model = bp.Sequential(Dense(2, 3, mode=bm.batching_mode), Dense(3, 1, mode=bm.training_mode))
    >>> list(find_readouts(model, 'OfflineTrainer'))
    ['layers.1']
    >>> with capturing(find_readouts(model, 'OfflineTrainer')) as calls:
    ...     y = model(bm.ones((1, 2)))
    >>> [(x.shape, out.shape) for x, out in calls['layers.1']]
    [((1, 3), (1, 1))]
"""
from __future__ import annotations

import contextlib
import time
from typing import Any, Callable, Iterator

import jax
import jax.numpy as jnp
import numpy as np

import neurodyn.math as bm
from neurodyn.check import all_finite
from neurodyn.core import DynamicalSystem, share
from neurodyn.errors import ShapeError, describe
from neurodyn.layers import Dense
from neurodyn.train._runner import DSRunner
from neurodyn.math import Functional
from neurodyn.train._step import Program, swap_time_batch
from neurodyn.train._trainer import Trainer

__all__ = ["find_readouts", "capturing", "ReadoutTrainer"]


def find_readouts(target: DynamicalSystem, who: str) -> dict[str, Dense]:
    """The trainable readouts of ``target`` by path (``''`` when ``target`` is one)."""
    found = {path: node for path, node in target.nodes().items()
             if isinstance(node, Dense) and isinstance(node.W, bm.TrainVar)}
    if not found:
        raise ValueError(describe(who, "a model with a trainable readout: a bp.layers.Dense built in "
                                  "TrainingMode (its W a bm.TrainVar)", f"{target.describe()} without one",
                                  "build the readout with mode=bm.training_mode, e.g. "
                                  "bp.layers.Dense(num_in, num_out, mode=bm.training_mode)"))
    return found


def _label(path: str, node: Dense) -> str:
    return f"readout {path or node.name!r} ({node.describe()})"


@contextlib.contextmanager
def capturing(readouts: dict[str, Dense]) -> Iterator[dict[str, list]]:
    """Record ``(input, output)`` of every call of each readout while the block runs."""
    calls: dict[str, list] = {path: [] for path in readouts}
    saved: dict[str, Any] = {}

    def wrap(update: Callable, record: list) -> Callable:
        def recording(x, *args, **kwargs):
            y = update(x, *args, **kwargs)
            record.append((jnp.asarray(bm.unwrap(x)), y))
            return y
        return recording

    try:
        for path, node in readouts.items():
            saved[path] = vars(node).get("update")
            node.update = wrap(node.update, calls[path])
        yield calls
    finally:
        for path, old in saved.items():
            node = readouts[path]
            if old is None:
                del node.update
            else:
                node.update = old


def one_call(calls: dict[str, list], path: str, node: Dense, who: str) -> tuple[jax.Array, jax.Array]:
    """The single ``(input, output)`` a readout saw during a step."""
    seen = calls[path]
    if len(seen) != 1:
        raise ValueError(describe(who, f"{_label(path, node)} to be called exactly once per step",
                                  f"{len(seen)} calls", "a fitted readout must produce the model's "
                                  "output once per time step; call it once in update()"))
    return seen[0]


def _swap01(tree: Any) -> Any:
    """Swap the first two axes of every leaf (NumPy stays NumPy, JAX stays JAX)."""
    return jax.tree_util.tree_map(lambda a: a.swapaxes(0, 1), tree)


def _check_layout(tree: Any, batching: bool, batch_first: bool, who: str, what: str,
                  with_time: bool = True) -> tuple[int | None, int | None]:
    """``(num_time, batch)`` of the leaves of ``tree``, which must share both."""
    leaves = jax.tree_util.tree_leaves(tree)
    if not leaves:
        raise ValueError(describe(who, f"{what} with at least one array", repr(tree)))
    layout = (("(batch, time, ...)" if batch_first else "(time, batch, ...)") if batching
              else "(time, ...)") if with_time else ("(batch, ...)" if batching else "(...)")
    need = int(batching) + int(with_time)
    shapes = [tuple(jnp.shape(a)) for a in leaves]
    if any(len(s) < need + 1 for s in shapes):
        raise ShapeError(describe(who, f"{what} of layout {layout} with a feature axis", f"shapes {shapes}"))
    t_axis = (1 if batch_first else 0) if batching else 0
    b_axis = (0 if batch_first else 1) if with_time else 0
    steps = {s[t_axis] for s in shapes} if with_time else {None}
    sizes = {s[b_axis] for s in shapes} if batching else {None}
    if len(steps) != 1 or len(sizes) != 1:
        raise ShapeError(describe(who, f"{what} sharing one batch size and one time length "
                                  f"(layout {layout})", f"shapes {shapes}"))
    return steps.pop(), sizes.pop()


def _time_major(tree: Any, batching: bool, batch_first: bool, who: str, what: str,
                with_time: bool = True) -> tuple[Any, int | None, int | None]:
    """``tree`` with time first; returns (tree, num_time, batch). Leaves must share both."""
    steps, batch = _check_layout(tree, batching, batch_first, who, what, with_time)
    if with_time and batching and batch_first:
        tree = _swap01(tree)
    return tree, steps, batch


class ReadoutTrainer(Trainer):
    """Base of the offline and online trainers: readouts, data layout, the compiled scan, predict.

    Args:
        target: the model; its trainable readouts are found with :func:`find_readouts`.
        data_first_axis: ``'B'`` (data ``(batch, time, ...)``) or ``'T'`` (``(time, batch, ...)``);
            default ``'B'`` for a batching model, else ``'T'`` (data ``(time, ...)``).
        dt: the step of ``bp.share``'s ``t`` (default ``bm.get_dt()``).
        progress_bar: show a tqdm bar while fitting and predicting.
        jit: ``False`` runs without ``jax.jit`` (debugging).
    """

    def __init__(self, target: DynamicalSystem, data_first_axis: str | None = None,
                 dt: float | None = None, progress_bar: bool = True, jit: bool = True):
        if data_first_axis is None:
            batching = isinstance(target, DynamicalSystem) and target.mode.batching
            data_first_axis = "B" if batching else "T"
        super().__init__(target, data_first_axis=data_first_axis, dt=dt, progress_bar=progress_bar)
        self.readouts = find_readouts(target, type(self).__name__)
        self.runner = DSRunner(target, dt=self.dt, jit=jit, progress_bar=progress_bar,
                               data_first_axis=data_first_axis)
        self.jit = bool(jit)
        self._variables = list(target.vars().unique().values())
        self._clearers = [n.clear_input for n in target.nodes().values()
                          if callable(getattr(n, "clear_input", None))]
        self._programs: dict[Any, Program] = {}
        self._bar_now = None
        self.placement = None      # a bp.distributed Placement of the programs' inputs (OfflineTrainer)

    @property
    def train_nodes(self) -> tuple[Dense, ...]:
        """The readouts being fitted (BrainPy's name)."""
        return tuple(self.readouts.values())

    @property
    def mon(self) -> dict:
        """The runner's monitors of the last :meth:`predict`."""
        return self.runner.mon

    def __repr__(self) -> str:
        return f"{type(self).__name__}(target={self.target.describe()}, fit_method={self.fit_method!r})"

    def predict(self, inputs: Any, reset_state: bool = False, shared_args: dict | None = None,
                eval_time: bool = False) -> Any:
        """Run the model over ``inputs`` (``fit=False``); returns outputs laid out like the inputs."""
        inputs, reset_state, shared_args = self._legacy_predict_args(inputs, reset_state, shared_args, False)
        return self.runner.predict(inputs=inputs, reset_state=reset_state, shared_args=shared_args,
                                   eval_time=eval_time)

    def test(self, test_data: Any, reset_state: bool = False, shared_args: dict | None = None) -> dict:
        """``{'loss': mean squared error}`` of :meth:`predict` on ``X`` against ``Y``; the state
        continues from where it is unless ``reset_state``."""
        return super().test(test_data, reset_state=reset_state, shared_args=shared_args)

    def reset_state(self) -> None:
        """Start the clock again (the model's state is untouched)."""
        self.runner.reset_state()

    # -- data ------------------------------------------------------------------------------------
    def _inputs(self, X: Any) -> tuple[tuple, int, int | None]:
        """Inputs as a tuple of arguments in the data's layout, their time length and batch size.

        They are not moved or transposed here: the compiled program takes NumPy and JAX arrays
        alike and puts the time axis first itself (:meth:`_program`)."""
        who = f"{type(self).__name__}.fit"
        xs = tuple(X) if isinstance(X, (tuple, list)) else (X,)
        xs = jax.tree_util.tree_map(lambda a: a if isinstance(a, jax.Array) else np.asarray(a),
                                    bm.unwrap_tree(xs))
        batching = self.target.mode.batching
        if self.data_first_axis == "B" and not batching:
            raise ValueError(describe(who, "data_first_axis='T' for a non-batching model", "'B'"))
        n, batch = _check_layout(xs, batching, self.data_first_axis == "B", who, "inputs X")
        all_finite(who, xs if len(xs) > 1 else xs[0], "inputs X")
        return xs, n, batch

    def _batch_first(self) -> bool:
        return self.data_first_axis == "B" and self.target.mode.batching

    def _time_slice(self, xs: Any, start: int, stop: int) -> Any:
        """Steps ``start .. stop`` of inputs in the data's layout."""
        axis = 1 if self._batch_first() else 0
        return jax.tree_util.tree_map(lambda a: jax.lax.slice_in_dim(a, start, stop, axis=axis), xs)

    def _prepare_state(self, batch: int | None, reset_state: bool) -> None:
        """Reset the model to ``batch`` or check that its state has that batch size."""
        who = f"{type(self).__name__}.fit"
        if reset_state:
            self.target.reset(batch)
            self.runner.reset_state()
        elif self.target.mode.batching:
            for var in self._variables:
                if var.batch_axis is not None and var.batch_size != batch:
                    path = self.target.path_of(var)
                    raise ShapeError(describe(who, f"inputs with the model's batch size {var.batch_size} "
                                              f"(the batch axis of {path!r})", f"batch size {batch}",
                                              "pass reset_state=True to reset the model to the data's "
                                              "batch size"))

    def _targets(self, Y: Any, n: int, batch: int | None, dtype: Any,
                 allow_last: bool) -> dict[str, tuple[Any, bool]]:
        """Targets by readout path: (time-major array, whether it has a time axis)."""
        who = f"{type(self).__name__}.fit"
        if isinstance(Y, dict):
            names = {}
            for path, node in self.readouts.items():
                names[path] = names[node.name] = path
            unknown = [k for k in Y if k not in names]
            if unknown:
                raise KeyError(describe(who, f"targets keyed by readout path or name, one of "
                                        f"{sorted(names)}", f"unknown keys {unknown}"))
            given = {names[k]: v for k, v in Y.items()}
            if len(given) != len(Y):
                raise KeyError(describe(who, "one entry of Y per readout", f"keys {list(Y)} naming "
                                        "a readout twice (by path and by name)"))
        elif len(self.readouts) == 1:
            given = {next(iter(self.readouts)): Y}
        else:
            raise ValueError(describe(who, f"Y as a dict readout path -> targets for the "
                                      f"{len(self.readouts)} readouts {sorted(self.readouts)}",
                                      type(Y).__name__))
        missing = [p for p in self.readouts if p not in given]
        if missing:
            raise KeyError(describe(who, "targets for every readout", f"none for {missing}"))
        batching = self.target.mode.batching
        out = {}
        for path, value in given.items():
            y = np.asarray(bm.unwrap(value), dtype=dtype)
            all_finite(who, y, f"targets Y of {_label(path, self.readouts[path])}")
            with_time = y.ndim != int(batching) + 1 or not allow_last
            what = f"targets Y of {_label(path, self.readouts[path])}"
            y, steps, size = _time_major(y, batching, self.data_first_axis == "B", who, what, with_time)
            if (with_time and steps != n) or size != batch:
                raise ShapeError(describe(who, f"{what} with the inputs' batch size {batch} and time "
                                          f"length {n}", f"shape {np.shape(value)}",
                                          "give X and Y the same leading (batch, time) axes"))
            out[path] = (np.asarray(y), with_time)
        return out

    @staticmethod
    def _check_output(y: jax.Array, expected: tuple, path: str, node: Dense, who: str) -> None:
        if tuple(y.shape) != tuple(expected):
            raise ShapeError(describe(who, f"targets shaped like the output of {_label(path, node)} at "
                                      f"each step, {tuple(y.shape)}", f"targets of shape {tuple(expected)} "
                                      "per step", f"give Y with {node.num_out} outputs on its last axis"))

    # -- the compiled scan -----------------------------------------------------------------------
    def _step_context(self, i: Any, shared: dict):
        return share.context(**{"fit": True, **shared}, t=self.runner.t0 + i * self.dt, i=i, dt=self.dt)

    def _clear_inputs(self) -> None:
        for clear in self._clearers:
            clear()

    def _program(self, step: Callable, key: Any, every: int, after: Callable | None = None) -> Program:
        """A compiled scan of ``step(i, x, extra, carry) -> (carry, (out, collected))``.

        ``xs`` come in the data's layout (put time-first inside the program), ``extra``
        time-major; the model outputs ``out`` leave in the data's layout, ``collected``
        time-major. ``after(functional, values, outs, collected) -> outs``, if given, completes
        the stacked outputs inside the program (``values``: the Variables' values before the scan)."""
        key = (key, every)
        if key not in self._programs:
            func = Functional(step, self._variables)
            batch_first = self._batch_first()

            def program(values, i0, ks, xs, extra, carry):
                def body(state, inp):
                    k, x, e = inp
                    if every:
                        jax.lax.cond((k + 1) % every == 0, lambda: jax.debug.callback(self._report, every),
                                     lambda: None)
                    new, (c, out) = func(state[0], i0 + k, x, e, state[1])
                    return (new, c), out
                xs = _swap01(xs) if batch_first else xs
                (new, carry), (outs, collected) = jax.lax.scan(body, (values, carry), (ks, xs, extra))
                if after is not None:
                    outs = after(func, values, outs, collected)
                return (new, carry), (swap_time_batch(outs) if batch_first else outs, collected)

            self._programs[key] = Program(func, program, jit=self.jit, placement=self.placement)
        return self._programs[key]

    def _run(self, program: Program, i0: int, n: int, xs: Any, extra: Any, carry: Any) -> tuple[Any, Any]:
        """Run ``program`` for ``n`` steps from step ``i0``; commit the model's state."""
        args = (np.int32(i0), np.arange(n, dtype=np.int32), xs, extra, carry)
        if self.placement is not None:      # the batch split over the devices, the rest whole
            args = self.placement.replicate(args[:2]) + (self.placement.batch(xs, 0),
                                                         *self.placement.replicate(args[3:]))
        (new, carry), outs = program(*args)
        program.commit(new)
        return carry, outs

    def _report(self, n: Any) -> None:
        if self._bar_now is not None:
            self._bar_now.update(int(n))

    @contextlib.contextmanager
    def _progress(self, n: int, what: str) -> Iterator[int]:
        """A bar over ``n`` steps while the block runs; yields the steps between two reports."""
        with self._bar(n, f"{what} {n} steps") as bar:
            if bar is None:
                yield 0
                return
            self._bar_now, start = bar, time.time()
            try:
                yield max(1, n // 100)
            finally:
                jax.effects_barrier()
                bar.update(n - bar.n)
                bar.set_postfix_str(f"{time.time() - start:.2f} s")
                self._bar_now = None
