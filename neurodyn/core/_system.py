"""DynamicalSystem: an object that owns Variables and child systems and advances one step.

    >>> import neurodyn as bp, neurodyn.math as bm
    >>> class Leaky(bp.DynamicalSystem):
    ...     def __init__(self, n, tau=10.):
    ...         super().__init__()
    ...         self.n, self.tau = n, tau
    ...         self.x = bm.Variable(bm.zeros(n))
    ...     def reset_state(self, batch_size=None):
    ...         self.x.value = bm.zeros(self.n)
    ...     def update(self, inp):
    ...         self.x.value = self.x + (inp - self.x) / self.tau
    ...         return self.x.value
    >>> m = Leaky(2)
    >>> (bm.ones(2) >> m).tolist(), list(m.vars())
    ([0.10000000149011612, 0.10000000149011612], ['x'])
"""
from __future__ import annotations

import functools
import inspect
from collections import deque
from typing import Any, Iterator, Mapping, NamedTuple

import jax
import jax.numpy as jnp
import numpy as np

import neurodyn.math as bm
from neurodyn.check import is_integer, is_subclass
from neurodyn.core import _naming, share
from neurodyn.errors import DtypeError, ModeError, ShapeError, describe

__all__ = ["BrainPyObject", "DynamicalSystem", "DynamicalSystemNS", "StateDictKeys"]

_LEGACY_FIRST = ("tdi", "sha", "shared", "shargs")


@functools.lru_cache(maxsize=None)
def _takes_shared(update: Any) -> bool:
    """Whether an ``update`` function's first parameter (after self) is the legacy shared dict."""
    params = list(inspect.signature(update).parameters)
    return len(params) > 1 and params[1] in _LEGACY_FIRST


@functools.lru_cache(maxsize=None)
def _reset_arity(reset: Any) -> int:
    params = [p for p in inspect.signature(reset).parameters.values()
              if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD, p.VAR_POSITIONAL)]
    return len(params) - 1


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
        ...         self.n = bm.Variable(bm.zeros(()))
        >>> list(Counter().vars())
        ['n']
    """

    def __init__(self, name: str | None = None):
        self.name = _naming.register(self, name)

    def __setattr__(self, key: str, value: Any) -> None:
        # ``self.V = new_v`` with ``self.V`` a Variable sets its value (BrainPy's rule), so a
        # state update written as a plain assignment is still seen by jit, scans and trainers.
        old = self.__dict__.get(key)
        if isinstance(old, bm.Variable) and not isinstance(value, bm.Variable):
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
                if not isinstance(value, (BrainPyObject, bm.Variable)) or id(value) in seen:
                    continue
                seen.add(id(value))
                full = f"{prefix}{path}"
                yield full, value
                if isinstance(value, BrainPyObject):
                    queue.append((full + ".", value))

    def nodes(self, include_self: bool = True) -> dict[str, "BrainPyObject"]:
        """Every object in the tree by path (``'r'``, ``'i2r'``); the root itself under ``''``."""
        found = {p: v for p, v in self._walk() if isinstance(v, BrainPyObject)}
        return {"": self, **found} if include_self else found

    def vars(self) -> bm.VarDict:
        """Every Variable in the tree by path (``'r.V'``), each once."""
        return bm.VarDict({p: v for p, v in self._walk() if isinstance(v, bm.Variable)})

    def train_vars(self) -> bm.VarDict:
        """The ``TrainVar`` s (parameters the trainers optimise) by path."""
        return self.vars().subset(bm.TrainVar)

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
            var, value = own[key], bm.unwrap(state_dict[key])
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


class DynamicalSystem(BrainPyObject):
    """Base class of every model: owns Variables and child systems; ``update`` advances one step.

    Args:
        name: a unique name; ``None`` gives ``ClassName<k>``.
        mode: a ``bm.Mode``; ``None`` takes the mode of the current ``bm.environment``.

    Subclasses set ``supported_modes`` to the mode classes they work in (checked at
    construction), ``repr_fields`` to the attributes their repr shows, and ``update_order``
    (0 for synapses) to be stepped first by a ``Network``. Assigning an array to an attribute
    that holds a Variable sets the Variable's value (checked shape and dtype), as in BrainPy.
    """

    supported_modes: tuple[type, ...] | None = None
    repr_fields: tuple[str, ...] = ()
    update_order: int = 1
    __array_ufunc__ = None  # numpy arrays defer ``x >> system`` to us

    def __init__(self, name: str | None = None, mode: bm.Mode | None = None):
        if mode is None:
            mode = bm.get_mode()
        elif isinstance(mode, type) and issubclass(mode, bm.Mode):
            mode = mode()
        if not isinstance(mode, bm.Mode):
            raise TypeError(describe(type(self).__name__, "mode= a bm.Mode such as bm.TrainingMode()",
                                     f"{type(mode).__name__} {mode!r}"))
        self.mode = mode
        super().__init__(name)
        if self.supported_modes is not None:
            is_subclass(self.mode, self.supported_modes, name=self.describe())

    # -- stepping --------------------------------------------------------------------------
    def update(self, *args, **kwargs):
        """Advance one time step. Subclasses define it."""
        raise TypeError(f"{self.describe()} has no update(); subclasses of DynamicalSystem "
                        "define update(self, *inputs) to advance one time step.")

    def __call__(self, *args, **kwargs):
        update = type(self).update
        if _takes_shared(update):
            if not (args and isinstance(args[0], dict)):
                args = (share.get_shargs(),) + args
        elif args and isinstance(args[0], share.SharedArgs):
            args = args[1:]          # a legacy caller hands its tdi to a modern update
        elif len(args) > 1 and isinstance(args[0], dict) and all(
                isinstance(v, (bool, int, float, str)) for v in args[0].values()):
            # ``net({}, x)`` / ``net({'fit': True}, x)``: older BrainPy code's shared arguments
            with share.context(**args[0]):
                return self.update(*args[1:], **kwargs)
        return self.update(*args, **kwargs)

    def __rrshift__(self, other: Any) -> Any:
        """``x >> system`` is ``system(x)``."""
        return self(other)

    # -- state -----------------------------------------------------------------------------
    def reset_state(self, batch_size: int | None = None) -> None:
        """Reset this system's own state; by default, reset the direct children."""
        for child in self._children().values():
            child.reset_state(batch_size)

    def state_batch_size(self, batch_size: int | None = None) -> int | None:
        """The batch size this system's state should get from ``reset_state(batch_size)``.

        Batching modes: ``batch_size`` (checked) or ``mode.batch_size`` when None.
        Non-batching mode: None; asking for a batch there raises ``ModeError``.
        """
        if not self.mode.batching:
            if batch_size is not None:
                raise ModeError(describe(self.describe(), "reset_state(None) in NonBatchingMode "
                                         "(its state has no batch axis)", f"batch_size={batch_size!r}",
                                         "build it with mode=bm.BatchingMode() or bm.TrainingMode() "
                                         "to run batches"))
            return None
        return self.mode.batch_size if batch_size is None else \
            is_integer(batch_size, "batch_size", self.describe(), 1)

    def reset(self, batch_size: int | None = None) -> None:
        """Reset the whole tree: every node's own ``reset_state`` exactly once.

        ``batch_size=None`` keeps each batching node's ``mode.batch_size``; non-batching nodes
        always get ``None``.
        """
        if batch_size is not None:
            batch_size = is_integer(batch_size, "batch_size", self.describe(), 1)
        for node in self.nodes().values():
            if not isinstance(node, DynamicalSystem):
                continue
            reset = type(node).reset_state
            if reset is DynamicalSystem.reset_state:
                continue
            size = None
            if node.mode.batching:
                size = node.mode.batch_size if batch_size is None else batch_size
            node.reset_state(size) if _reset_arity(reset) else node.reset_state()

    def _children(self) -> dict[str, "DynamicalSystem"]:
        return {p: v for p, v in self._entries() if isinstance(v, DynamicalSystem)}

    # -- display ---------------------------------------------------------------------------
    def __repr__(self) -> str:
        fields = "".join(f", {f}={getattr(self, f)!r}" for f in self.repr_fields)
        return f"{type(self).__name__}(name={self.name}{fields}, mode={self.mode!r})"


DynamicalSystemNS = DynamicalSystem
