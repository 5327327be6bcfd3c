"""``BrainPyObject``: an object that owns Variables and other objects, found by walking its
attributes (also inside lists, tuples and dicts), with ``vars()``, ``nodes()``, ``train_vars()``
and ``state_dict()`` keyed by relative paths. It is BrainPy's ``bm.BrainPyObject``; the
``DynamicalSystem`` of ``neurodyn.core`` adds modes and ``update``.
"""
from __future__ import annotations

from collections import deque
from typing import Any, Iterator, Mapping, NamedTuple

import jax
import jax.numpy as jnp
import numpy as np

from neurodyn.errors import DtypeError, ShapeError, describe
from neurodyn.math import _naming
from neurodyn.math._variable import TrainVar, VarDict, Variable, unwrap

__all__ = ["BrainPyObject", "Collector", "StateDictKeys"]


def _items(obj: Any, prefix: str) -> Iterator[tuple[str, Any]]:
    """(path, value) for every entry of a list/tuple/dict attribute, recursively."""
    if isinstance(obj, dict):
        entries = ((str(k), v) for k, v in obj.items())
    elif isinstance(obj, (list, tuple)):
        entries = ((str(i), v) for i, v in enumerate(obj))
    else:
        yield prefix, obj
        return
    for key, value in entries:
        yield from _items(value, f"{prefix}.{key}")


def _check_method(method: str) -> str:
    if method not in ("relative", "absolute"):
        raise ValueError(describe("nodes()/vars()", "method='relative' or 'absolute'", repr(method)))
    return method


def _within(path: str, level: int) -> bool:
    return level < 0 or path.count(".") < level


class Collector(dict):
    """A dict of objects by key with BrainPy's filters: ``subset(type)``, ``not_subset(type)``,
    ``unique()``, ``include(*names)``, ``exclude(*names)``."""

    def subset(self, kind: type) -> "Collector":
        return Collector({k: v for k, v in self.items() if isinstance(v, kind)})

    def not_subset(self, kind: type) -> "Collector":
        return Collector({k: v for k, v in self.items() if not isinstance(v, kind)})

    def unique(self) -> "Collector":
        seen: set = set()
        return Collector({k: v for k, v in self.items() if not (id(v) in seen or seen.add(id(v)))})

    def include(self, *names: str) -> "Collector":
        return Collector({k: v for k, v in self.items() if any(n in k for n in names)})

    def exclude(self, *names: str) -> "Collector":
        return Collector({k: v for k, v in self.items() if not any(n in k for n in names)})


class StateDictKeys(NamedTuple):
    """What :meth:`BrainPyObject.load_state_dict` could not match."""
    missing_keys: list
    unexpected_keys: list


class BrainPyObject:
    """An object that owns Variables and other objects, found by walking its attributes (also
    inside lists, tuples and dicts): ``vars()``, ``nodes()``, ``train_vars()`` keyed by paths.

    BrainPy's base class for anything stateful that is not stepped in time (a trainer, an
    optimizer written by hand); :class:`DynamicalSystem` adds modes and ``update``. Assigning
    an array to an attribute that holds a Variable sets the Variable's value (checked shape and
    dtype), as in BrainPy.

        >>> import neurodyn.math as bm
        >>> class Counter(BrainPyObject):
        ...     def __init__(self):
        ...         super().__init__()
        ...         self.n = Variable(bm.zeros(()))
        >>> list(Counter().vars())
        ['n']
    """

    def __init__(self, name: str | None = None):
        self.name = _naming.register(self, name)

    def __setattr__(self, key: str, value: Any) -> None:
        # ``self.V = new_v`` with ``self.V`` a Variable sets its value (BrainPy's rule), so a
        # state update written as a plain assignment is still seen by jit, scans and trainers.
        old = self.__dict__.get(key)
        if isinstance(old, Variable) and not isinstance(value, Variable):
            try:
                old.value = value
            except (ShapeError, DtypeError) as err:
                raise type(err)(f"{self.describe()}.{key}: {err}") from None
        else:
            object.__setattr__(self, key, value)

    # -- discovery -------------------------------------------------------------------------
    def _entries(self) -> Iterator[tuple[str, Any]]:
        for attr, value in vars(self).items():
            if attr in ("mode", "name"):
                continue
            yield from _items(value, attr)

    def _children(self) -> dict[str, "BrainPyObject"]:
        return {p: v for p, v in self._entries() if isinstance(v, BrainPyObject)}

    def _walk(self) -> Iterator[tuple[str, Any]]:
        """(path, node or Variable) breadth first, each object once under its shortest path."""
        seen = {id(self)}
        queue = deque([("", self)])
        while queue:
            prefix, node = queue.popleft()
            for path, value in node._entries():
                if not isinstance(value, (BrainPyObject, Variable)) or id(value) in seen:
                    continue
                seen.add(id(value))
                full = f"{prefix}{path}"
                yield full, value
                if isinstance(value, BrainPyObject):
                    queue.append((full + ".", value))

    def nodes(self, method: str = "relative", level: int = -1, include_self: bool = True) -> "Collector":
        """Every object in the tree by path (``'r'``, ``'i2r'``), the root under ``''``; with
        ``method='absolute'``, by unique name (BrainPy's default keys); ``level`` limits the depth."""
        found = {p: v for p, v in self._walk() if isinstance(v, BrainPyObject) and _within(p, level)}
        found = {"": self, **found} if include_self else found
        if _check_method(method) == "absolute":
            return Collector({v.name: v for v in found.values()})
        return Collector(found)

    def vars(self, method: str = "relative", level: int = -1, include_self: bool = True) -> VarDict:
        """Every Variable in the tree by path (``'r.V'``), each once; ``method='absolute'`` keys
        them by their owner's unique name (``'LIF3.V'``)."""
        found = VarDict({p: v for p, v in self._walk() if isinstance(v, Variable) and _within(p, level if level < 0 else level + 1)})
        if _check_method(method) == "relative":
            return found
        owners = {p: n for p, n in self.nodes().items()}
        out = VarDict()
        for path, var in found.items():
            owner, _, attr = path.rpartition(".")
            node = owners.get(owner)
            out[f"{node.name}.{attr}" if node is not None else path] = var
        return out

    def train_vars(self) -> VarDict:
        """The ``TrainVar`` s (parameters the trainers optimise) by path."""
        return self.vars().subset(TrainVar)

    def path_of(self, target: Any) -> str | None:
        """The path of a Variable or object in this tree (``None`` if absent)."""
        if target is self:
            return ""
        return next((p for p, v in self._walk() if v is target), None)

    # -- saving ----------------------------------------------------------------------------
    def state_dict(self) -> dict[str, jax.Array]:
        """Every Variable's value by its relative path (``'l1.W'``, ``'r.V'``)."""
        return {p: v.value for p, v in self.vars().unique().items()}

    def load_state_dict(self, state_dict: Mapping[str, Any], strict: bool = True) -> StateDictKeys:
        """Set the Variables from ``state_dict`` (keyed by relative paths, as :meth:`state_dict`).

        A value may differ from its Variable only along the Variable's batch axis (state saved
        at another batch size is then skipped and keeps its current value). With ``strict``,
        a missing, unexpected or mis-shaped key is a ``ValueError`` naming every such key;
        otherwise they are skipped and returned as ``(missing_keys, unexpected_keys)``.
        """
        own = self.vars().unique()
        missing = sorted(set(own) - set(state_dict))
        unexpected = sorted(set(state_dict) - set(own))
        bad = []
        for key in set(own) & set(state_dict):
            var, value = own[key], unwrap(state_dict[key])
            shape, got = tuple(var.shape), tuple(np.shape(value))
            if got == shape:
                var.value = jnp.asarray(value, dtype=var.dtype)
            elif not (var.batch_axis is not None and len(got) == len(shape) and all(
                    a == b for i, (a, b) in enumerate(zip(got, shape)) if i != var.batch_axis)):
                bad.append(f"{key}: expected shape {shape}, got {got}")
        if strict and (missing or unexpected or bad):
            raise ValueError(describe(f"{self.describe()}.load_state_dict", "exactly this object's "
                                      "Variable paths with their shapes",
                                      f"missing {missing}, unexpected {unexpected}, mis-shaped {bad}",
                                      "load a state saved from the same model, or pass strict=False"))
        return StateDictKeys(missing, unexpected)

    def save_state(self) -> dict[str, jax.Array]:
        """BrainPy's name of :meth:`state_dict`."""
        return self.state_dict()

    def load_state(self, state_dict: Mapping[str, Any], strict: bool = True) -> StateDictKeys:
        """BrainPy's name of :meth:`load_state_dict`."""
        return self.load_state_dict(state_dict, strict=strict)

    def describe(self) -> str:
        """``ClassName(name=...)``: how errors name this object."""
        return f"{type(self).__name__}(name={getattr(self, 'name', '?')})"

    def __repr__(self) -> str:
        return f"{type(self).__name__}(name={getattr(self, 'name', '?')})"
