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
from typing import Any, Callable, Sequence

__all__ = ["Recorder", "Discovered", "Retrace", "record_read", "record_write", "record_create",
           "pure_call", "discovering", "commit"]

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


class Retrace(Exception):
    """Raised inside a trace when the function touched Variables the transform did not know."""


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

    def absorb(self, rec: Recorder) -> bool:
        changed = False
        for key, var in rec.touched.items():
            written = key in rec.written
            if key not in self._ids and (written or self.need_reads):
                self.vars.append(var)
                self._ids.add(key)
                changed = True
            if written and key not in self._wids:
                self.written.append(var)
                self._wids.add(key)
                changed = True
        return changed


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
    if state.absorb(rec):
        raise Retrace()
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
    for _ in range(limit):
        try:
            return attempt()
        except Retrace:
            continue
    raise RuntimeError("neurodyn: the set of Variables touched by a function kept changing "
                       f"over {limit} traces; does it create Variables conditionally?")


def commit(variables: Sequence[Any], values: Sequence[Any]) -> None:
    """Write the results of a transform back into its Variables (recorded as writes)."""
    for v, val in zip(variables, values):
        record_write(v)
        v._value = val
