"""JAX transformations over stateful code: jit, grad, value_and_grad, for_loop, vmap (the control
flow, ``cond``/``ifelse``/``while_loop``, is in ``_control``).

Each is a JAX transformation of a :class:`~neurodyn.math.Functional`: the Variables its function
reads and writes are found while it is traced, go through the transformation as plain arrays,
and the results are written back afterwards.

    >>> import neurodyn.math as bm
    >>> count = bm.Variable(bm.zeros(()))
    >>> def step(x):
    ...     count.value = count.value + x
    ...     return count.value
    >>> bm.for_loop(step, bm.ones(3)).tolist(), count.value.item()
    ([1.0, 2.0, 3.0], 3.0)
"""
from __future__ import annotations

import functools
import weakref
from typing import Any, Callable, Sequence

import jax
import jax.numpy as jnp

from neurodyn.errors import ShapeError, describe
from neurodyn.math._functional import Functional
from neurodyn.math._loop_cache import loop_functional
from neurodyn.math._variable import Variable, unwrap_tree

__all__ = ["jit", "cls_jit", "grad", "value_and_grad", "for_loop", "vmap", "JitFunction"]

# BrainPy arguments of older versions that name state explicitly; Variables are found by tracing
_IGNORED_JIT_ARGS = ("dyn_vars", "child_objs", "inline", "keep_unused", "abstracted_axes")


def _is_var(x: Any) -> bool:
    return isinstance(x, Variable)


def _values_out(fn: Callable) -> Callable:
    """``fn`` returning the values of any Variables in its output (a transform returns arrays)."""
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        return unwrap_tree(fn(*args, **kwargs))
    return wrapper


class JitFunction:
    """A function compiled with ``jax.jit``; the Variables it touches are inputs and outputs.

    Compiled programs are cached by the shapes of the arguments, as ``jax.jit`` does: calling
    again with the same shapes neither traces nor compiles.
    """

    def __init__(self, fn: Callable, static_argnums: int | Sequence[int] = (),
                 static_argnames: str | Sequence[str] = (), donate_state: bool = False, **jit_kwargs):
        self.fn = fn
        functools.update_wrapper(self, fn, updated=())
        self._static_argnums = (static_argnums,) if isinstance(static_argnums, int) else tuple(static_argnums)
        self._static_argnames = static_argnames
        self._donate = donate_state
        self._jit_kwargs = jit_kwargs
        self._functional = Functional(_values_out(fn))
        self._compiled = None
        self._compiled_for = -1
        self._bound: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()

    def _pure(self, values, *args, **kwargs):
        new, out = self._functional(values, *args, **kwargs)
        return self._functional.written_values(new), out

    def _compile(self):
        if self._compiled_for != self._functional.version:
            self._compiled = jax.jit(self._pure,
                                     static_argnums=tuple(i + 1 for i in self._static_argnums),
                                     static_argnames=self._static_argnames,
                                     donate_argnums=(0,) if self._donate else (),
                                     **self._jit_kwargs)
            self._compiled_for = self._functional.version
        return self._compiled

    def __call__(self, *args, **kwargs):
        args, kwargs = unwrap_tree(args), unwrap_tree(kwargs)
        f = self._functional
        new, out = f.settle(lambda: self._compile()(f.values(), *args, **kwargs))
        f.commit(new, only_written=True)
        return out

    def __get__(self, instance, owner=None):
        # ``@bm.jit`` on a method: one compiled function per instance
        if instance is None:
            return self
        bound = self._bound.get(instance)
        if bound is None:
            bound = JitFunction(self.fn.__get__(instance, owner), self._static_argnums,
                                self._static_argnames, self._donate, **self._jit_kwargs)
            self._bound[instance] = bound
        return bound


def jit(fn: Callable | None = None, static_argnums: int | Sequence[int] | None = (),
        static_argnames: str | Sequence[str] | None = (), **jit_kwargs) -> Any:
    """Compile ``fn`` with ``jax.jit``, carrying the Variables it reads and writes.

        >>> import neurodyn.math as bm
        >>> w = bm.Variable(bm.ones(2))
        >>> @bm.jit
        ... def double():
        ...     w.value = w.value * 2
        >>> double(); w.value.tolist()
        [2.0, 2.0]
    """
    for name in _IGNORED_JIT_ARGS:
        jit_kwargs.pop(name, None)
    static_argnums = () if static_argnums is None else static_argnums
    static_argnames = () if static_argnames is None else static_argnames
    if fn is None:
        return lambda f: JitFunction(f, static_argnums, static_argnames, **jit_kwargs)
    return JitFunction(fn, static_argnums, static_argnames, **jit_kwargs)


def cls_jit(func: Callable | None = None, static_argnums: int | Sequence[int] = (),
            static_argnames: str | Sequence[str] = (), **jit_kwargs) -> Any:
    """``bm.jit`` for methods (BrainPy's ``bm.cls_jit``): one compiled function per instance;
    ``static_argnums`` count the arguments after ``self``."""
    return jit(func, static_argnums=static_argnums, static_argnames=static_argnames, **jit_kwargs)


def _plain(tree: Any) -> Any:
    """VarDict/VarList (dict/list subclasses JAX does not flatten) as plain dicts/lists."""
    if isinstance(tree, dict) and not isinstance(tree, Variable):
        return {k: _plain(v) for k, v in tree.items()}
    if isinstance(tree, list):
        return [_plain(v) for v in tree]
    if isinstance(tree, tuple):
        return tuple(_plain(v) for v in tree)
    return tree


def _flatten_vars(grad_vars: Any, who: str):
    leaves, treedef = jax.tree_util.tree_flatten(_plain(grad_vars), is_leaf=_is_var)
    for leaf in leaves:
        if not isinstance(leaf, Variable):
            raise TypeError(describe(who, "grad_vars made of bm.Variable/TrainVar (a Variable, or a "
                                     "dict/list/tuple of them, e.g. model.train_vars())",
                                     f"a leaf of type {type(leaf).__name__}"))
    return leaves, treedef


def _grad_transform(func: Callable, grad_vars: Any, argnums: int | Sequence[int] | None,
                    has_aux: bool, who: str):
    """Shared core of grad/value_and_grad: returns f(*args) -> (value, aux, var_grads, arg_grads)."""
    if grad_vars is None and argnums is None:
        argnums = 0
    var_leaves, var_tree = _flatten_vars(grad_vars, who) if grad_vars is not None else ([], None)
    if grad_vars is not None and not var_leaves and argnums is None:
        raise ValueError(describe(who, "grad_vars holding at least one Variable", "no Variables (an empty "
                                  f"{type(grad_vars).__name__})", "layers keep their weights as TrainVars only "
                                  "when built in bm.TrainingMode: build the model with mode=bm.TrainingMode() "
                                  "(model.train_vars() is empty otherwise), or pass model.params()"))
    single_arg = isinstance(argnums, int)
    arg_ids = () if argnums is None else ((argnums,) if single_arg else tuple(argnums))
    f = Functional(func, variables=var_leaves, written=(), carry_reads=False)
    n_fixed = len(var_leaves)

    def run(*args, **kwargs):
        args, kwargs = unwrap_tree(args), unwrap_tree(kwargs)

        def loss(var_values, other_values, diff_args):
            full = list(args)
            for i, a in zip(arg_ids, diff_args):
                full[i] = a
            new, out = f(list(var_values) + list(other_values), *full, **kwargs)
            value, aux = out if has_aux else (out, None)
            if jnp.ndim(value) != 0:
                raise ShapeError(describe(who, "the function to return a scalar loss",
                                          f"shape {jnp.shape(value)}", "reduce it, e.g. loss.mean()"))
            return value, (f.written_values(new), value, aux)

        def attempt():
            other = [v.value for v in f.variables[n_fixed:]]
            diff_args = tuple(args[i] for i in arg_ids)
            fn = jax.grad(loss, argnums=(0, 2), has_aux=True)
            return fn([v.value for v in var_leaves], other, diff_args)

        (var_grads, arg_grads), (new, value, aux) = f.settle(attempt)
        f.commit(new, only_written=True)
        vg = None if var_tree is None else jax.tree_util.tree_unflatten(var_tree, var_grads)
        ag = None if argnums is None else (arg_grads[0] if single_arg else tuple(arg_grads))
        return value, aux, vg, ag

    return run


def _grads_of(vg, ag):
    if vg is None:
        return ag
    return vg if ag is None else (vg, ag)


def grad(func: Callable | None = None, grad_vars: Any = None, argnums: int | Sequence[int] | None = None,
         has_aux: bool = False, return_value: bool = False) -> Callable:
    """Gradient of a scalar function w.r.t. Variables (``grad_vars``) and/or arguments (``argnums``).

    Returns grads shaped like ``grad_vars`` (or like the arguments; ``(var_grads, arg_grads)``
    when both are asked); with ``return_value`` also the value, with ``has_aux`` also the
    auxiliary output: ``grads``, ``(grads, value)``, ``(grads, aux)`` or ``(grads, value, aux)``.

        >>> import neurodyn.math as bm
        >>> w = bm.TrainVar(bm.array([1., 2.]))
        >>> g = bm.grad(lambda x: (w * x).sum(), grad_vars={'w': w})
        >>> g(bm.array([3., 4.]))['w'].tolist()
        [3.0, 4.0]
    """
    if func is None:
        return functools.partial(grad, grad_vars=grad_vars, argnums=argnums, has_aux=has_aux,
                                 return_value=return_value)
    run = _grad_transform(func, grad_vars, argnums, has_aux, "bm.grad")

    def grad_fn(*args, **kwargs):
        value, aux, vg, ag = run(*args, **kwargs)
        grads = _grads_of(vg, ag)
        if return_value:
            return (grads, value, aux) if has_aux else (grads, value)
        return (grads, aux) if has_aux else grads

    return grad_fn


def value_and_grad(func: Callable | None = None, grad_vars: Any = None,
                   argnums: int | Sequence[int] | None = None, has_aux: bool = False) -> Callable:
    """Like ``jax.value_and_grad``: returns ``(value, grads)``, or ``((value, aux), grads)``."""
    if func is None:
        return functools.partial(value_and_grad, grad_vars=grad_vars, argnums=argnums, has_aux=has_aux)
    run = _grad_transform(func, grad_vars, argnums, has_aux, "bm.value_and_grad")

    def vg_fn(*args, **kwargs):
        value, aux, vg, ag = run(*args, **kwargs)
        grads = _grads_of(vg, ag)
        return ((value, aux), grads) if has_aux else (value, grads)

    return vg_fn


def _call_unpacked(body: Callable, x: Any):
    return body(*x) if isinstance(x, (tuple, list)) else body(x)


def for_loop(body_fun: Callable, operands: Any, reverse: bool = False, unroll: int = 1,
             remat: bool = False, progress_bar: bool | Callable = False,
             progress_every: int | None = None, jit: bool | None = None) -> Any:
    """Run ``body_fun`` over the leading (time) axis of ``operands`` with ``jax.lax.scan``.

    ``operands`` is an array or a tuple/list of arrays (passed unpacked: ``body_fun(*x_t)``).
    Variables written by ``body_fun`` are carried; the outputs of every step are stacked.
    ``remat=True`` checkpoints the loop for the backward pass: only the carried state at the
    start of each of ~sqrt(T) chunks is stored, and each chunk is recomputed when its gradient is
    needed (memory ~sqrt(T) steps instead of T, for one more forward pass). ``progress_bar=True`` shows a tqdm bar updated
    from inside the compiled loop every ``progress_every`` steps (default: 1% of the length);
    a callable ``(steps_done) -> None`` is called instead of a bar. ``jit`` is accepted for
    BrainPy compatibility (the loop is always compiled).
    """
    operands = unwrap_tree(operands)
    leaves = jax.tree_util.tree_leaves(operands)
    if not leaves:
        raise ValueError(describe("bm.for_loop", "operands with a leading time axis", "no arrays"))
    lengths = {jnp.shape(x)[0] if jnp.ndim(x) else None for x in leaves}
    if len(lengths) != 1 or None in lengths:
        raise ShapeError(describe("bm.for_loop", "operands sharing one leading (time) axis",
                                  f"shapes {[jnp.shape(x) for x in leaves]}"))
    length = lengths.pop()
    f = loop_functional(body_fun, operands)

    def step(carry, x):
        return f.apply(_values_out(_call_unpacked), carry, body_fun, x)

    bar, report = _progress(progress_bar, length)
    every = progress_every or max(1, length // 100)

    def reporting_step(carry, xi):
        i, x = xi
        jax.lax.cond((i + 1) % every == 0, lambda: jax.debug.callback(report, every), lambda: None)
        return step(carry, x)

    def attempt():
        if report is None:
            return _scan(step, f.values(), operands, length, reverse, unroll, remat)
        return _scan(reporting_step, f.values(), (jnp.arange(length), operands), length, reverse,
                     unroll, remat)

    try:
        final, ys = f.settle(attempt)
    finally:
        if bar is not None:
            jax.effects_barrier()
            bar.close()
    f.commit(final)
    return ys


def _scan(step: Callable, carry: Any, xs: Any, length: int, reverse: bool, unroll: int,
          remat: bool) -> Any:
    """``lax.scan``; with ``remat``, a scan over ~sqrt(T) checkpointed chunks of steps."""
    chunk = max((k for k in range(1, int(length ** 0.5) + 1) if length % k == 0), default=1)
    if not remat or chunk == 1:
        step = jax.checkpoint(step) if remat else step
        return jax.lax.scan(step, carry, xs, reverse=reverse, unroll=unroll)

    @jax.checkpoint
    def run_chunk(c, chunk_xs):
        return jax.lax.scan(step, c, chunk_xs, reverse=reverse, unroll=unroll)

    split = jax.tree_util.tree_map(lambda x: x.reshape((length // chunk, chunk) + x.shape[1:]), xs)
    carry, ys = jax.lax.scan(run_chunk, carry, split, reverse=reverse)
    return carry, jax.tree_util.tree_map(lambda y: y.reshape((length,) + y.shape[2:]), ys)


def _progress(progress_bar: bool | Callable, total: int):
    """(bar to close or None, host callback taking a step count or None)."""
    if callable(progress_bar):
        return None, progress_bar
    if not progress_bar:
        return None, None
    from tqdm.auto import tqdm
    bar = tqdm(total=total)
    return bar, lambda n: bar.update(int(n))


def vmap(fn: Callable, in_axes: Any = 0, out_axes: Any = 0) -> Callable:
    """Vectorise ``fn`` over a batch of inputs; Variables with a ``batch_axis`` are mapped along it.

    Variables without a batch axis (parameters) are shared by every example and may not be
    written inside.
    """
    f = Functional(fn)

    def mapped(*args):
        args = unwrap_tree(args)

        def attempt():
            var_axes = [v.batch_axis for v in f.variables]
            for v in f.written:
                if v.batch_axis is None:
                    raise ShapeError(describe("bm.vmap", "Variables written inside vmap to have a "
                                              "batch_axis", f"a {type(v).__name__} of shape "
                                              f"{tuple(v.shape)} without one", "give it batch_axis=0"))
            w_axes = [v.batch_axis for v in f.written]

            def pure(values, *a):
                new, out = f(values, *a)
                return f.written_values(new), out

            mapped_fn = jax.vmap(pure, in_axes=(var_axes,) + (in_axes if isinstance(in_axes, tuple)
                                                              else (in_axes,) * len(args)),
                                 out_axes=(w_axes, out_axes))
            return mapped_fn(f.values(), *args)

        new, out = f.settle(attempt)
        f.commit(new, only_written=True)
        return out

    return mapped
