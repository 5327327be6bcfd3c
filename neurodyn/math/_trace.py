"""Where mutation meets JAX: record the Variables a function touches, and run it purely.

A transform (jit, grad, for_loop, cond, vmap) calls :func:`pure_call` inside its JAX trace.
That swaps the known Variables' values for the trace's inputs, runs the user's function,
collects the new values of the written Variables and restores everything. If the function
touched a Variable the transform did not know yet, :class:`Retrace` is raised and the
transform traces again with the larger set (:func:`discovering`) — so the first call of a
transform costs two traces, and later calls with the same shapes none.
"""
from __future__ import annotations

import threading
import weakref
from typing import Any, Callable, Sequence

import jax

__all__ = ["Recorder", "Discovered", "Retrace", "record_read", "record_write", "record_create", "record_ephemeral",
           "pure_call", "discovering", "commit", "recording"]

_local = threading.local()


def _stack() -> list:
    st = getattr(_local, "stack", None)
    if st is None:
        st = _local.stack = []
    return st


class Recorder:
    """Collects the Variables read and written while it is active, and their values before."""

    def __init__(self) -> None:
        self.touched: dict[int, Any] = {}
        self.written: dict[int, Any] = {}
        self.created: set[int] = set()
        self.created_refs: list = []
        self.originals: dict[int, Any] = {}

    def _touch(self, var) -> bool:
        key = id(var)
        if key in self.created:
            return False
        if key not in self.touched:
            self.touched[key] = var
            self.originals[key] = var._value
        return True

    def restore(self) -> None:
        for key, var in self.touched.items():
            var._value = self.originals[key]


# Only the innermost recorder listens; a finished pure_call hands what it saw to the next one
# out, once every Variable holds its outer value again.

def record_read(var) -> None:
    st = _stack()
    if st:
        st[-1]._touch(var)


def record_write(var) -> None:
    st = _stack()
    if st and st[-1]._touch(var):
        st[-1].written[id(var)] = var


def record_create(var) -> None:
    st = _stack()
    if st:
        st[-1].created.add(id(var))
        st[-1].created_refs.append(weakref.ref(var))


def record_ephemeral(var) -> None:
    """A Variable JAX rebuilt from its pytree inside a trace: reads and writes of it are not state."""
    st = _stack()
    if st:
        st[-1].created.add(id(var))


def _describe_var(var: Any) -> str:
    value = var._value
    return f"{type(var).__name__}(shape={tuple(getattr(value, 'shape', ()))}, dtype={getattr(value, 'dtype', '?')})"


def _owner(var: Any) -> str:
    """``Owner(name=...).attr`` for a Variable kept as an object's attribute (an error path only)."""
    import gc
    for ref in gc.get_referrers(var):
        if isinstance(ref, dict):
            for obj in gc.get_referrers(ref):
                if getattr(obj, "__dict__", None) is ref:
                    attr = next((k for k, v in ref.items() if v is var), "?")
                    who = obj.describe() if hasattr(obj, "describe") else type(obj).__name__
                    return f"{who}.{attr} = "
    return ""


def _check_escaped(rec: Recorder, fn: Callable, args: tuple = ()) -> None:
    """A Variable created during the trace that outlives the call holds a tracer: it would fail
    later, deep inside JAX. Say so now."""
    escaped = [v for v in (r() for r in rec.created_refs)
               if v is not None and isinstance(v._value, jax.core.Tracer)]
    if escaped:
        from neurodyn.errors import describe       # errors imports nothing of math
        user = next((a for a in args if callable(a)), fn) if getattr(fn, "__name__", "").startswith("_") else fn
        name = getattr(user, "__qualname__", None) or type(user).__name__
        raise RuntimeError(describe(f"{name} (run inside a compiled transform: bm.jit, bm.for_loop, "
                                    "DSRunner, a trainer)", "Variables created before the transform",
                                    f"{', '.join(_owner(v) + _describe_var(v) for v in escaped)} created during the "
                                    "trace and kept (it would hold a JAX tracer)",
                                    "create it once in __init__ or reset_state, e.g. "
                                    "self.x = bm.Variable(jnp.zeros(shape)), and assign x.value in update"))


class Retrace(Exception):
    """Raised inside a trace when the function touched Variables the transform did not know;
    ``args[0]`` describes them."""


class Discovered:
    """The Variables a transform carries: ``vars`` go in (swapped), ``written`` come out.

    ``need_reads``: whether Variables that are only read must become inputs too (jit, vmap),
    or may stay closed over as constants of the trace (grad, for_loop, cond).
    """

    def __init__(self, fixed: Sequence[Any] = (), need_reads: bool = True) -> None:
        self.vars: list = list(fixed)
        self.written: list = []
        self.need_reads = need_reads
        self._ids = {id(v) for v in self.vars}
        self._wids: set[int] = set()

    def absorb(self, rec: Recorder) -> list:
        """Add what ``rec`` saw; returns descriptions of the Variables that were new."""
        new = []
        for key, var in rec.touched.items():
            written = key in rec.written
            if key not in self._ids and (written or self.need_reads):
                self.vars.append(var)
                self._ids.add(key)
                new.append(_describe_var(var))
            if written and key not in self._wids:
                self.written.append(var)
                self._wids.add(key)
                new.append(_describe_var(var) + " (written)")
        return new


def pure_call(state: Discovered, fn: Callable, values: Sequence[Any], args: tuple = (),
              kwargs: dict | None = None) -> tuple[list, Any]:
    """Run ``fn(*args, **kwargs)`` with ``state.vars`` holding ``values``; return (new written values, out).

    Call it inside a JAX trace. Every Variable is left as it was before the call.
    """
    rec = Recorder()
    stack = _stack()
    stack.append(rec)
    old = [v._value for v in state.vars]
    try:
        for v, val in zip(state.vars, values):
            v._value = val
        out = fn(*args, **(kwargs or {}))
        new = [v._value for v in state.written]
    finally:
        stack.pop()
        rec.restore()
        for v, o in zip(state.vars, old):
            v._value = o
    _check_escaped(rec, fn, args)
    new_vars = state.absorb(rec)
    if new_vars:
        raise Retrace(new_vars)
    # what the function touched is part of what any enclosing transform touched
    if stack:
        stack[-1].created |= rec.created
    for var in rec.touched.values():
        record_read(var)
    for var in rec.written.values():
        record_write(var)
    return new, out


def discovering(attempt: Callable[[], Any], limit: int = 64) -> Any:
    """Call ``attempt()`` until it completes without :class:`Retrace`."""
    seen: list = []
    for _ in range(limit):
        try:
            return attempt()
        except Retrace as err:
            seen.append(err.args[0] if err.args else [])
            continue
    from neurodyn.errors import describe
    raise RuntimeError(describe("a compiled transform (bm.jit, bm.for_loop, DSRunner, a trainer)",
                                "a function that touches the same Variables on every trace",
                                f"new Variables on each of {limit} traces; the last ones: {seen[-1]}",
                                "do not create or pick Variables conditionally inside update: create "
                                "them in __init__/reset_state and select values with bm.where"))


def recording(fn: Callable[[], Any]) -> tuple[Any, list, list]:
    """Run ``fn()`` outside any transform, keeping its effects; return ``(its result, the
    Variables it only read, the Variables it wrote)`` (Variables it created are in neither)."""
    rec = Recorder()
    stack = _stack()
    stack.append(rec)
    try:
        out = fn()
    finally:
        stack.pop()
    reads = [v for key, v in rec.touched.items() if key not in rec.written]
    return out, reads, list(rec.written.values())


def commit(variables: Sequence[Any], values: Sequence[Any]) -> None:
    """Write the results of a transform back into its Variables (recorded as writes)."""
    if _stack():                          # inside a transform: the enclosing one must know
        for v in variables:
            record_write(v)
    for v, val in zip(variables, values):
        v._value = val
