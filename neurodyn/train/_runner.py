"""DSRunner: simulate a model over time — inputs, monitors, progress — as one compiled scan.

    >>> import neurodyn as bp, neurodyn.math as bm
    >>> class Leaky(bp.DynamicalSystem):
    ...     def __init__(self):
    ...         super().__init__()
    ...         self.V = bm.Variable(bm.zeros(2))
    ...         self.input = bm.Variable(bm.zeros(2))
    ...     def update(self):
    ...         self.V.value = self.V + (self.input - self.V) * 0.5
    ...         self.input.value = bm.zeros(2)
    >>> runner = DSRunner(Leaky(), monitors=['V'], inputs=[('input', 2.)], dt=1., progress_bar=False)
    >>> runner.run(3.)
    >>> runner.mon['V'][:, 0].tolist(), runner.mon.ts.tolist()
    ([1.0, 1.5, 1.75], [0.0, 1.0, 2.0])
"""
from __future__ import annotations

import numbers
import time
from typing import Any, Callable

import jax
import jax.numpy as jnp
import numpy as np

import neurodyn.math as bm
from neurodyn.core import DynamicalSystem, share
from neurodyn.distributed import Placement
from neurodyn.errors import ShapeError, describe
from neurodyn.math import Functional
from neurodyn.train._step import (Program, check_shared_args, concat_time, is_shared_dict, localize,
                                  swap_time_batch)
from neurodyn.train._targets import call_with_shared, parse_inputs, parse_monitors

__all__ = ["DSRunner", "MonitorDict"]

_WHO = "DSRunner"


class MonitorDict(dict):
    """The recorded values: ``runner.mon['r.spike']`` or ``runner.mon.ts``."""

    def __getattr__(self, name: str) -> Any:
        try:
            return self[name]
        except KeyError:
            raise AttributeError(f"runner.mon has no {name!r}; recorded: {sorted(self)}") from None


def _num_steps(duration: Any, dt: float) -> int:
    if isinstance(duration, bool) or not isinstance(duration, numbers.Real) or not duration > 0:
        raise ValueError(describe(_WHO, "duration > 0 (in the units of dt)", repr(duration)))
    exact = duration / dt
    steps = round(exact)
    if abs(exact - steps) > 1e-6 * max(1., exact):
        steps = int(np.floor(exact))
    if steps < 1:
        raise ValueError(describe(_WHO, f"duration >= dt = {dt}", repr(duration)))
    return steps


class DSRunner:
    """Run a :class:`DynamicalSystem` step by step inside one compiled ``jax.lax.scan``.

    Args:
        target: the model.
        monitors: what to record each step: a list of paths (``'r.spike'``; ``(path, index)``
            records ``var[index]``), or a dict name -> path / Variable / ``(path, index)`` /
            callable (``f()`` or ``f(shared)``). Paths are those of ``target.vars()`` or a node
            path plus an attribute. Results are in ``runner.mon`` with ``'ts'``, the step times.
        inputs: static inputs ``[(path_or_var, value, type='fix', op='+')]`` applied before each
            update: ``type`` 'fix' (a constant), 'iter' (an array over time, indexed by the
            step) or 'func' (``f()``/``f(shared)`` per step); ``op`` one of ``= + - * /``. A
            callable ``inputs(shared)`` is called before each update instead.
        fun_inputs: a callable ``f(shared)`` called before each update (after ``inputs``).
        dt: the step (defaults to ``bm.get_dt()``); ``t = t0 + i * dt`` at step ``i``.
        t0: the time of step 0.
        jit: ``False`` runs a Python loop (for debugging with prints).
        progress_bar: show a tqdm bar, updated from inside the compiled loop.
        data_first_axis: ``'T'`` (inputs ``(time, ...)``) or ``'B'`` (batched ``(batch, time,
            ...)``, outputs and monitors too); default ``'B'`` for a batching model, else ``'T'``.
        numpy_mon_after_run: monitors as numpy arrays (else JAX arrays).
        memory_efficient: run in chunks of 1000 steps (or this many, if an int), moving
            monitors to the host after each chunk.
        mesh: a ``jax.sharding.Mesh`` with a ``neuron`` axis (``bp.distributed.mesh(neuron=4)``):
            the state of large populations is split along its last (neuron) axis over the
            mesh's devices (and along its batch axis over a ``batch`` axis), XLA moves what
            the synapses need between them; monitors are gathered to the host.

    Each step runs inside ``bp.share.context(t=t, i=i, dt=dt, fit=False)``; after the update,
    every node with a ``clear_input()`` method is cleared. Time continues across runs
    (``run(..., reset_state=True)`` or :meth:`reset_state` starts again at ``t0``).
    """

    def __init__(self, target: DynamicalSystem, monitors: Any = None, inputs: Any = (),
                 fun_inputs: Callable | None = None, dt: float | None = None, t0: float = 0.,
                 jit: bool = True, progress_bar: bool = True, data_first_axis: str | None = None,
                 numpy_mon_after_run: bool = True, memory_efficient: bool | int = False, mesh: Any = None):
        if not isinstance(target, DynamicalSystem):
            raise TypeError(describe(_WHO, "target to be a bp.DynamicalSystem", type(target).__name__))
        self.target = target
        self.dt = bm.get_dt() if dt is None else dt
        if isinstance(self.dt, bool) or not isinstance(self.dt, numbers.Real) or not self.dt > 0:
            raise ValueError(describe(_WHO, "dt > 0", repr(dt)))
        self.dt = float(self.dt)
        if isinstance(t0, bool) or not isinstance(t0, numbers.Real):
            raise TypeError(describe(_WHO, "t0 to be a real number", repr(t0)))
        self.t0 = float(t0)
        self.i0 = 0
        if data_first_axis is None:
            data_first_axis = "B" if target.mode.batching else "T"
        if data_first_axis not in ("B", "T"):
            raise ValueError(describe(_WHO, "data_first_axis 'B' or 'T'", repr(data_first_axis)))
        self.data_first_axis = data_first_axis
        self.jit, self.progress_bar = bool(jit), bool(progress_bar)
        self.numpy_mon_after_run = bool(numpy_mon_after_run)
        if memory_efficient is True:
            memory_efficient = 1000
        if memory_efficient is not False and (isinstance(memory_efficient, bool)
                                              or not isinstance(memory_efficient, int) or memory_efficient < 1):
            raise ValueError(describe(_WHO, "memory_efficient True/False or a chunk length >= 1",
                                      repr(memory_efficient)))
        self.memory_efficient = memory_efficient or None
        self._monitors = parse_monitors(target, monitors, _WHO)
        self._inputs_fn = inputs if callable(inputs) else None
        self._inputs = [] if callable(inputs) else parse_inputs(target, inputs, _WHO)
        if fun_inputs is not None and not callable(fun_inputs):
            raise TypeError(describe(_WHO, "fun_inputs to be a callable f(shared)", type(fun_inputs).__name__))
        self._fun_inputs = fun_inputs
        self._clearers = [n.clear_input for n in target.nodes().values()
                          if callable(getattr(n, "clear_input", None))]
        self._variables = list(target.vars().unique().values())
        self.placement = None if mesh is None else Placement(mesh, _WHO)
        self._programs: dict[Any, Program] = {}
        self._bar = None
        self.mon = MonitorDict()

    def __repr__(self) -> str:
        return (f"DSRunner(target={self.target.describe()}, dt={self.dt}, "
                f"monitors={list(self._monitors)}, data_first_axis={self.data_first_axis!r})")

    # -- one step ------------------------------------------------------------------------------
    def _step(self, i: Any, x: tuple, iters: tuple, shared: dict) -> tuple:
        with share.context(**shared, t=self.t0 + i * self.dt, i=i, dt=self.dt, fit=False):
            if self._inputs_fn is not None:
                call_with_shared(self._inputs_fn)
            data = iter(iters)
            for spec in self._inputs:
                spec.apply(next(data) if spec.kind == "iter" else None)
            if self._fun_inputs is not None:
                self._fun_inputs(share.get_shargs())
            out = self.target(*x)
            mons = {name: m.read() for name, m in self._monitors.items()}
            for clear in self._clearers:
                clear()
        return out, mons

    def _run_steps(self, i0: Any, ks: Any, xs: tuple, iters: tuple, shared: dict, every: int) -> Any:
        # batch-first data is swapped to time-major and the outputs back inside the compiled
        # program; monitors leave it time-major (each is laid out by _store_monitors)
        batch_first = self._batch_first()
        xs = swap_time_batch(xs) if batch_first else xs

        def body(k, x, it):
            return self._step(i0 + k, x, it, shared)
        outs, mons = bm.for_loop(body, (ks, xs, iters), progress_bar=self._report if every else False,
                                 progress_every=every or None)
        return (swap_time_batch(outs) if batch_first else outs), mons

    def _batch_first(self) -> bool:
        return self.data_first_axis == "B" and self.target.mode.batching

    def _report(self, n: Any) -> None:
        if self._bar is not None:
            self._bar.update(int(n))

    def _program(self, shared: dict, every: int) -> Program:
        key = (tuple(sorted(shared.items())), every)
        if key not in self._programs:
            func = Functional(self._run_steps, self._variables)
            self._programs[key] = Program(
                func, lambda values, i0, ks, xs, iters: func(values, i0, ks, xs, iters, shared, every),
                placement=self.placement)
        return self._programs[key]

    # -- running -------------------------------------------------------------------------------
    def _chunk(self, i0: int, n: int, xs: tuple, iters: tuple, shared: dict) -> tuple:
        """Run steps ``i0 .. i0+n`` (``xs`` in the data's layout, ``iters`` already sliced)."""
        every = max(1, n // 100) if self._bar is not None else 0
        if not self.jit:
            outs = []
            t_axis = 1 if self._batch_first() else 0
            for k in range(n):
                x_k = jax.tree_util.tree_map(lambda a: jnp.take(a, k, axis=t_axis), xs)
                it_k = jax.tree_util.tree_map(lambda a: a[k], iters)
                outs.append(self._step(i0 + k, x_k, it_k, shared))
                self._report(1)
            out, mons = jax.tree_util.tree_map(lambda *a: jnp.stack(a), *outs)
            return (swap_time_batch(out) if t_axis else out), mons
        program = self._program(shared, every)
        args = (np.int32(i0), np.arange(n, dtype=np.int32), xs, iters)
        if self.placement is None:
            new, out = program(*args)
            program.commit(new)
            return out
        with self.placement.guard("a run"):
            new, out = program(*self.placement.replicate(args))
            program.commit(new)
            return self.placement.to_host(out)

    def run(self, duration: Any = None, inputs: Any = None, reset_state: bool = False,
            shared_args: dict | None = None, eval_time: bool = False) -> Any:
        """Run for ``duration`` (``duration / dt`` steps) or over ``inputs``; return the stacked outputs.

        Args:
            duration: the simulated time; a non-scalar first argument is taken as ``inputs``.
            inputs: data for ``target(x_t)``: an array (or dict) with a time axis, or a tuple of
                them for several arguments; ``(time, ...)`` or, with ``data_first_axis='B'``,
                ``(batch, time, ...)``.
            reset_state: reset the model (to the inputs' batch size) and the clock first.
            shared_args: extra values for ``bp.share`` (Python scalars/strings: each distinct
                dict compiles once).
            eval_time: also return the wall time of the run: ``(seconds, outputs)``.
        """
        if is_shared_dict(duration) and inputs is not None:      # run({}, inputs), older BrainPy
            shared_args, duration = {**duration, **(shared_args or {})}, None
        if inputs is None and duration is not None and not isinstance(duration, numbers.Real):
            duration, inputs = None, duration
        if (duration is None) == (inputs is None):
            raise ValueError(describe(_WHO, "exactly one of duration= or inputs=",
                                      "both" if inputs is not None else "neither"))
        shared = check_shared_args(shared_args, _WHO)
        xs, n, batch = self._prepare_inputs(inputs) if inputs is not None else ((), None, None)
        if n is None:
            n = _num_steps(duration, self.dt)
        if reset_state:
            self.target.reset(batch)
            self.reset_state()
        iters = tuple(spec.window(self.i0, n, _WHO) for spec in self._inputs if spec.kind == "iter")
        start = time.time()
        self._bar = self._make_bar(n)
        try:
            chunk = min(self.memory_efficient or n, n)
            t_axis = 1 if self._batch_first() else 0
            pieces = []
            for s in range(0, n, chunk):
                m = min(chunk, n - s)
                part, part_iters = xs, iters
                if m != n:      # slice only when there are several chunks
                    part = jax.tree_util.tree_map(lambda a: jax.lax.slice_in_dim(a, s, s + m, axis=t_axis), xs)
                    part_iters = jax.tree_util.tree_map(lambda a: a[s:s + m], iters)
                piece = self._chunk(self.i0 + s, m, part, part_iters, shared)
                pieces.append(jax.tree_util.tree_map(np.asarray, piece) if self.memory_efficient else piece)
            outs = concat_time([p[0] for p in pieces], bool(t_axis))
            mons = concat_time([p[1] for p in pieces], False)
            jax.block_until_ready((outs, mons))
            localize(self.placement, self._programs.values())
        finally:
            self._close_bar(n)
        elapsed = time.time() - start
        self._store_monitors(mons, n)
        self.i0 += n
        return (elapsed, outs) if eval_time else outs

    def predict(self, duration: Any = None, inputs: Any = None, reset_state: bool = False,
                shared_args: dict | None = None, eval_time: bool = False) -> Any:
        """Same as :meth:`run` (BrainPy's name)."""
        return self.run(duration, inputs, reset_state, shared_args, eval_time)

    __call__ = run

    def reset_state(self) -> None:
        """Start the clock again at ``t0`` (the model's state is untouched)."""
        self.i0 = 0

    # -- helpers -------------------------------------------------------------------------------
    def _prepare_inputs(self, inputs: Any) -> tuple[tuple, int, int | None]:
        """The inputs as a tuple of arguments (arrays kept as given: the compiled program takes
        NumPy and JAX arrays alike), their time length and batch size."""
        xs = tuple(inputs) if isinstance(inputs, (tuple, list)) else (inputs,)
        xs = jax.tree_util.tree_map(lambda a: a if isinstance(a, (jax.Array, np.ndarray)) else np.asarray(a),
                                    bm.unwrap_tree(xs))
        leaves = jax.tree_util.tree_leaves(xs)
        if not leaves:
            raise ValueError(describe(_WHO, "inputs with at least one array", repr(inputs)))
        batched = self.target.mode.batching
        batch_first = self.data_first_axis == "B"
        if batch_first and not batched:
            raise ValueError(describe(_WHO, "data_first_axis='T' for a non-batching model",
                                      "data_first_axis='B'", "inputs of such a model are (time, ...)"))
        t_axis = 1 if batch_first else 0
        need = 2 if batched else 1
        shapes = [tuple(a.shape) for a in leaves]
        if any(len(s) < need for s in shapes):
            layout = ("(batch, time, ...)" if batch_first else "(time, batch, ...)") if batched else "(time, ...)"
            raise ShapeError(describe(_WHO, f"inputs of layout {layout}", f"shapes {shapes}"))
        steps = {s[t_axis] for s in shapes}
        if len(steps) != 1:
            raise ShapeError(describe(_WHO, "inputs sharing one time length", f"shapes {shapes}"))
        batch = None
        if batched:
            sizes = {s[1 - t_axis] for s in shapes}
            if len(sizes) != 1:
                raise ShapeError(describe(_WHO, "inputs sharing one batch size", f"shapes {shapes}"))
            batch = sizes.pop()
        return xs, steps.pop(), batch

    def _store_monitors(self, mons: dict, n: int) -> None:
        self.mon = MonitorDict()
        for name, value in mons.items():
            value = np.asarray(value) if self.numpy_mon_after_run else value
            self.mon[name] = self._monitors[name].batch_first(value) if self._batch_first() else value
        ts = self.t0 + (self.i0 + np.arange(n)) * self.dt
        self.mon["ts"] = ts if self.numpy_mon_after_run else jnp.asarray(ts)

    def _make_bar(self, n: int):
        if not self.progress_bar:
            return None
        from tqdm.auto import tqdm
        return tqdm(total=n, desc=f"Running {n} steps")

    def _close_bar(self, n: int) -> None:
        if self._bar is None:
            return
        jax.effects_barrier()
        self._bar.update(n - self._bar.n)
        self._bar.close()
        self._bar = None

