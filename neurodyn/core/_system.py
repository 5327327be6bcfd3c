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
from typing import Any

import neurodyn.math as bm
from neurodyn.check import is_integer, is_subclass
from neurodyn.core import share
from neurodyn.core._desc import Desc
from neurodyn.core._inputs import InputHooks
from neurodyn.errors import ModeError, describe
from neurodyn.math._object import BrainPyObject, StateDictKeys

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


class DynamicalSystem(InputHooks, BrainPyObject):
    """Base class of every model: owns Variables and child systems; ``update`` advances one step.

    Args:
        name: a unique name; ``None`` gives ``ClassName<k>``.
        mode: a ``bm.Mode``; ``None`` takes the mode of the current ``bm.environment``.

    Subclasses set ``supported_modes`` to the mode classes they work in (checked at
    construction), ``repr_fields`` to the attributes their repr shows, and ``update_order``
    (0 for synapses) to be stepped first by a ``Network``. Other systems feed it through input
    functions and hooks run around ``update`` (:class:`~neurodyn.core._inputs.InputHooks`). Assigning an array to an attribute
    that holds a Variable sets the Variable's value (checked shape and dtype), as in BrainPy.
    """

    supported_modes: tuple[type, ...] | None = None
    repr_fields: tuple[str, ...] = ()
    reset_by_master: bool = False     # ion channels: their master resets them with its V
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
        if self.__dict__.get("_before_updates") or self.__dict__.get("_after_updates"):
            return self._with_hooks(self._call_update, args, kwargs)
        return self._call_update(*args, **kwargs)

    def _call_update(self, *args, **kwargs):
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

    @classmethod
    def desc(cls, *args: Any, **kwargs: Any) -> "Desc":
        """A lazy description ``cls(*args, **kwargs)`` that projections build (BrainPy's ``.desc``)."""
        return Desc(cls, args, kwargs)

    def step_run(self, i: Any, *args: Any, **kwargs: Any) -> Any:
        """One step at index ``i`` (``t = i * dt``), as BrainPy's ``step_run``; for ``bm.for_loop``
        over step indices."""
        with share.context(i=i, t=i * share.load("dt")):
            return self(*args, **kwargs)

    def jit_step_run(self, i: Any, *args: Any, **kwargs: Any) -> Any:
        """:meth:`step_run` compiled once (``bm.jit``) and reused, for a Python loop over steps."""
        compiled = self.__dict__.get("_jit_step_run")
        if compiled is None:
            compiled = bm.jit(self.step_run)
            object.__setattr__(self, "_jit_step_run", compiled)
        return compiled(i, *args, **kwargs)

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
        always get ``None``. Nodes with ``reset_by_master`` (ion channels) are reset by their
        master, which knows the ``V`` they start at.
        """
        if batch_size is not None:
            batch_size = is_integer(batch_size, "batch_size", self.describe(), 1)
        for node in self.nodes().values():
            if not isinstance(node, DynamicalSystem):
                continue
            reset = type(node).reset_state
            if reset is DynamicalSystem.reset_state or (node.reset_by_master and node is not self):
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
