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
from neurodyn.math._variable import Array, Parameter, TrainVar, VarDict, Variable, unwrap

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


class LoadPlan(NamedTuple):
    """What loading a path -> array mapping into an object would do (see ``plan_load``):
    ``assign`` the entries of equal shape; ``resized`` the state saved at another batch size."""
    assign: dict
    resized: dict
    missing: list
    unexpected: list
    missing_params: list
    unknown: list
    bad: list


def _batch_only(var: Variable, got: tuple) -> bool:
    """Whether ``got`` is ``var``'s shape up to the batch axis: another batch size, or one state
    saved with a batch axis (axis 0) loading into a model without one, or the reverse."""
    shape, axis = tuple(var.shape), var.batch_axis
    if axis is None:
        return len(got) == len(shape) + 1 and got[1:] == shape
    rest = shape[:axis] + shape[axis + 1:]
    return (len(got) == len(shape) and got[:axis] + got[axis + 1:] == rest) or got == rest


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
        state = isinstance(old, Variable) and not isinstance(old, Array)
        if state and (not isinstance(value, Variable) or isinstance(value, Array)):
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
                if (not isinstance(value, (BrainPyObject, Variable)) or isinstance(value, Array)
                        or id(value) in seen):      # a bm.Array is a mutable array, not state
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

    def params(self) -> VarDict:
        """The parameters by path, in every mode: ``TrainVar`` s (TrainingMode) and ``Parameter`` s."""
        return self.vars().subset((TrainVar, Parameter))

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

        Parameters (``params()``) must all be there with their shapes. State may come from another
        mode or batch size: a state entry whose shape differs only by the batch axis (or by having
        one) or whose kind of dtype differs (bool spikes, float ones), a missing state entry, and an entry a node keeps only in another mode (a path under
        an existing node) are skipped: that state keeps its freshly reset value. With ``strict``,
        a missing or mis-shaped parameter and an entry under no node of this model are a
        ``ValueError`` naming every such key; otherwise they are skipped. Returns
        ``(missing_keys, unexpected_keys)``.
        """
        plan = self.plan_load(state_dict)
        if strict and (plan.missing_params or plan.unknown or plan.bad):
            raise ValueError(describe(f"{self.describe()}.load_state_dict", "this object's parameters "
                                      "with their shapes, and only paths of its nodes",
                                      f"missing {plan.missing_params}, unexpected {plan.unknown}, "
                                      f"mis-shaped {plan.bad}",
                                      "load a state saved from the same model class, or pass strict=False"))
        for key, var in plan.assign.items():
            var.value = jnp.asarray(unwrap(state_dict[key]), dtype=var.dtype)
        return StateDictKeys(plan.missing, plan.unexpected)

    def plan_load(self, mapping: Mapping[str, Any], source_params: Any = None) -> "LoadPlan":
        """What loading ``mapping`` (path -> array) would do; see :meth:`load_state_dict`.

        ``source_params``: the paths that were parameters where ``mapping`` was saved, if known
        (checkpoints store them); an unexpected one of them is then an error too.
        """
        own = self.vars().unique()
        params = {k for k, v in own.items() if isinstance(v, (TrainVar, Parameter))}
        missing = sorted(set(own) - set(mapping))
        unexpected = sorted(set(mapping) - set(own))
        nodes = set(self.nodes().keys())
        unknown = [k for k in unexpected if k.rpartition(".")[0] not in nodes
                   or (source_params is not None and k in source_params)]
        assign, resized, bad = {}, {}, []
        for key in sorted(set(own) & set(mapping)):
            var, value = own[key], unwrap(mapping[key])
            got = tuple(np.shape(value))
            if key not in params and np.dtype(getattr(value, "dtype", var.dtype)).kind != np.dtype(var.dtype).kind:
                continue                    # state of another mode (bool spikes vs float ones): reset value
            if got == tuple(var.shape):
                assign[key] = var
            elif key in params or not _batch_only(var, got):
                bad.append(f"{key}: expected shape {tuple(var.shape)}, got {got}")
            elif len(got) == var.ndim:
                resized[key] = var
        return LoadPlan(assign, resized, missing, unexpected, [k for k in missing if k in params], unknown, bad)

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
