"""What a runner reads and writes in a model: monitors and static inputs, named by paths.

A path is one of ``target.vars()`` (``'r.V'``) or a node path plus an attribute
(``'E.spike'``); an unknown path fails with the list of valid ones.

    >>> import neurodyn as bp, neurodyn.math as bm
    >>> class Pop(bp.DynamicalSystem):
    ...     def __init__(self):
    ...         super().__init__()
    ...         self.V = bm.Variable(bm.zeros(3))
    >>> p = Pop()
    >>> find_variable(p, 'V', 'DSRunner') is p.V
    True
"""
from __future__ import annotations

import difflib
import inspect
from typing import Any, Callable

import jax.numpy as jnp
import numpy as np

import neurodyn.math as bm
from neurodyn.core import DynamicalSystem, share
from neurodyn.errors import MonitorError, ShapeError, describe

__all__ = ["find_variable", "parse_monitors", "parse_inputs", "call_with_shared",
           "MonitorSpec", "InputSpec"]

_KINDS = ("fix", "iter", "func")
_OPS = ("=", "+", "-", "*", "/")


def _wants_shared(fn: Callable) -> bool:
    try:
        params = inspect.signature(fn).parameters.values()
    except (TypeError, ValueError):
        return False
    return any(p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD, p.VAR_POSITIONAL)
               for p in params)


def call_with_shared(fn: Callable) -> Any:
    """``fn(shared)`` if ``fn`` takes a positional argument, else ``fn()``."""
    return fn(share.get_shargs()) if _wants_shared(fn) else fn()


def _path_list(target: DynamicalSystem, ref: str) -> str:
    paths = list(target.vars())
    close = difflib.get_close_matches(ref, paths, n=3)
    shown = ", ".join(repr(p) for p in paths[:40]) + (f", ... ({len(paths) - 40} more)" if len(paths) > 40 else "")
    hint = f" Did you mean {', '.join(repr(c) for c in close)}?" if close else ""
    return f"one of the Variable paths [{shown}]" + hint


def find_variable(target: DynamicalSystem, ref: Any, who: str, error: type = MonitorError) -> bm.Variable:
    """The Variable that ``ref`` (a path or a Variable) names in ``target``."""
    if isinstance(ref, bm.Variable):
        return ref
    if not isinstance(ref, str):
        raise TypeError(describe(who, "a Variable path (str) or a bm.Variable", f"{type(ref).__name__} {ref!r}"))
    variables = target.vars()
    if ref in variables:
        return variables[ref]
    node_path, _, attr = ref.rpartition(".")
    node = target.nodes().get(node_path)
    value = getattr(node, attr, None) if node is not None and attr else None
    if isinstance(value, bm.Variable):
        return value
    if value is not None and not isinstance(value, DynamicalSystem) and not callable(value):
        raise error(describe(who, f"{ref!r} to name a bm.Variable of {target.describe()}",
                             f"a {type(value).__name__} (a constant cannot be monitored or driven)",
                             f"use {_path_list(target, ref)}"))
    raise error(describe(who, f"a path of {target.describe()}: {_path_list(target, ref)}", repr(ref),
                         "paths are those of target.vars(), or a node path plus an attribute"))


class MonitorSpec:
    """One recorded quantity: ``var.value`` (optionally ``[index]``) or ``fn()``."""

    def __init__(self, var: bm.Variable | None = None, index: Any = None, fn: Callable | None = None):
        self.var, self.fn = var, fn
        self.index = None if index is None else (index if isinstance(index, (int, slice)) else jnp.asarray(index))

    def read(self) -> Any:
        if self.fn is not None:
            return call_with_shared(self.fn)
        value = self.var.value
        return value if self.index is None else value[self.index]

    def batch_first(self, stacked: Any) -> Any:
        """Recorded values ``(time, ...)`` with the batch axis moved first, where there is one: a
        whole Variable's own batch axis (none: unchanged); a callable's or an indexed value's
        axis 1 when it has two or more axes."""
        xp = np if isinstance(stacked, np.ndarray) else jnp
        if self.var is not None and self.index is None:
            axis = self.var.batch_axis
            return stacked if axis is None else xp.moveaxis(stacked, axis + 1, 0)
        return xp.swapaxes(stacked, 0, 1) if xp.ndim(stacked) >= 2 else stacked


def _monitor(target: DynamicalSystem, spec: Any, who: str) -> MonitorSpec:
    if callable(spec) and not isinstance(spec, bm.Variable):
        return MonitorSpec(fn=spec)
    if isinstance(spec, tuple) and len(spec) == 2:
        return MonitorSpec(find_variable(target, spec[0], who), index=spec[1])
    return MonitorSpec(find_variable(target, spec, who))


def parse_monitors(target: DynamicalSystem, monitors: Any, who: str) -> dict[str, MonitorSpec]:
    """``monitors`` (list of paths / (path, index), or dict name -> path / Variable / callable) as specs."""
    if monitors is None:
        return {}
    out: dict[str, MonitorSpec] = {}
    if isinstance(monitors, dict):
        items = list(monitors.items())
    elif isinstance(monitors, (list, tuple)):
        items = []
        for spec in monitors:
            ref = spec[0] if isinstance(spec, tuple) else spec
            name = ref if isinstance(ref, str) else (target.path_of(ref) if isinstance(ref, bm.Variable) else None)
            if name is None:
                raise MonitorError(describe(who, "list monitors given as paths (or Variables of the target)",
                                            repr(spec), "use a dict name -> Variable/callable for others"))
            items.append((name, spec))
    else:
        raise TypeError(describe(who, "monitors as a list of paths or a dict name -> path/Variable/callable",
                                 f"{type(monitors).__name__} {monitors!r}", "wrap one path in a list: ['r.V']"))
    for name, spec in items:
        if not isinstance(name, str) or name == "ts":
            raise ValueError(describe(who, "monitor names that are strings other than 'ts' (reserved for "
                                      "the step times)", repr(name)))
        out[name] = _monitor(target, spec, who)
    return out


class InputSpec:
    """One static input: ``op`` applies ``value`` (fixed, per-step slice, or ``f()``) to ``var``."""

    def __init__(self, label: str, var: bm.Variable, value: Any, kind: str, op: str):
        self.label, self.var, self.kind, self.op = label, var, kind, op
        self.value = value if kind == "func" else jnp.asarray(bm.unwrap(value))

    def window(self, i0: int, n: int, who: str) -> Any:
        """The steps ``i0 .. i0+n`` of an 'iter' input."""
        if self.value.shape[0] < i0 + n:
            raise ShapeError(describe(who, f"the 'iter' input for {self.label!r} to cover steps {i0}..{i0 + n - 1}",
                                      f"{self.value.shape[0]} steps",
                                      "give a longer array, or run(..., reset_state=True) to start at step 0"))
        return self.value[i0:i0 + n]

    def apply(self, data: Any = None) -> None:
        """Apply the input for this step (``data``: the step's slice of an 'iter' input)."""
        if self.kind == "fix":
            data = self.value
        elif self.kind == "func":
            data = call_with_shared(self.value)
        current = self.var.value
        data = jnp.asarray(bm.unwrap(data))
        try:
            fits = jnp.broadcast_shapes(current.shape, data.shape) == current.shape
        except ValueError:
            fits = False
        if not fits:
            raise ShapeError(describe(f"input for {self.label!r}", f"a value broadcastable to the Variable's "
                                      f"shape {tuple(current.shape)}", f"shape {tuple(data.shape)}"))
        data = data.astype(current.dtype)
        if self.op == "=":
            new = jnp.broadcast_to(data, current.shape)
        elif self.op == "+":
            new = current + data
        elif self.op == "-":
            new = current - data
        elif self.op == "*":
            new = current * data
        else:
            new = current / data
        self.var.value = new.astype(current.dtype)


def parse_inputs(target: DynamicalSystem, inputs: Any, who: str) -> list[InputSpec]:
    """BrainPy-style ``[(path_or_var, value, type='fix', op='+'), ...]`` as specs."""
    if inputs is None:
        return []
    if not isinstance(inputs, (list, tuple)):
        raise TypeError(describe(who, "inputs as a list of (path, value[, type[, op]]) or a callable",
                                 f"{type(inputs).__name__} {inputs!r}"))
    if inputs and isinstance(inputs[0], (str, bm.Variable)):
        inputs = [inputs]
    specs = []
    for item in inputs:
        if not isinstance(item, (list, tuple)) or not 2 <= len(item) <= 4:
            raise ValueError(describe(who, "each input as (path, value[, type[, op]])", repr(item)))
        ref, value = item[0], item[1]
        kind = item[2] if len(item) >= 3 else "fix"
        op = item[3] if len(item) == 4 else "+"
        if kind not in _KINDS:
            raise ValueError(describe(who, f"input type in {_KINDS}", repr(kind)))
        if op not in _OPS:
            raise ValueError(describe(who, f"input operation in {_OPS}", repr(op)))
        if kind == "func" and not callable(value):
            raise TypeError(describe(who, "a callable value for a 'func' input", type(value).__name__))
        if kind == "iter" and jnp.ndim(bm.unwrap(value)) < 1:
            raise ShapeError(describe(who, "an array with a leading time axis for an 'iter' input",
                                      f"shape {jnp.shape(bm.unwrap(value))}"))
        var = find_variable(target, ref, who, error=ValueError)
        label = ref if isinstance(ref, str) else (target.path_of(ref) or repr(ref))
        specs.append(InputSpec(label, var, value, kind, op))
    return specs
