"""``VarDelay``: a Variable's recent history, read by named entries (BrainPy 2.4+'s delays).

A projection registers an entry with its delay time (``register_entry(name, 0.5)``) and reads
it each step (``at(name)``); the delay records its target after the owner's update. A spike
emitted at step ``j`` is read by an entry of ``d = ceil(time / dt)`` steps at step
``j + max(d, 1)``: no delay (``None``, ``0``) gives the newest value, which projections, stepped
before the neurons, see one step later. (BrainPy 2.8.2 delivers ``d >= 2`` one step earlier,
at ``j + d - 1``; we follow the documented delay time.) Built on :class:`bm.LengthDelay`.

    >>> import neurodyn as bp, neurodyn.math as bm
    >>> x = bm.Variable(bm.zeros(1))
    >>> delay = bp.VarDelay(x, entries={"now": None, "later": 0.2})   # dt = 0.1 ms: 2 steps
    >>> seen = []
    >>> for v in (1., 2., 3.):
    ...     x.value = bm.ones(1) * v
    ...     delay.update()
    ...     seen.append((float(delay.at("now")[0]), float(delay.at("later")[0])))
    >>> seen
    [(1.0, 0.0), (2.0, 1.0), (3.0, 2.0)]
"""
from __future__ import annotations

import math
from typing import Any

import neurodyn.math as bm
from neurodyn.core._system import DynamicalSystem
from neurodyn.errors import describe

__all__ = ["VarDelay", "delay_steps", "register_delay_by_return", "return_variable"]

delay_identifier = "_delay_of_output"


def delay_steps(delay_time: Any, delay_step: Any, who: str) -> int:
    """The whole number of steps of a delay given in ms (rounded up) or in steps."""
    if delay_time is not None and delay_step is not None:
        raise ValueError(describe(who, "delay_time or delay_step, not both", f"{delay_time!r}, {delay_step!r}"))
    if delay_step is not None:
        if not isinstance(delay_step, int) or delay_step < 0:
            raise ValueError(describe(who, "delay_step an integer >= 0", repr(delay_step)))
        return delay_step
    if delay_time is None:
        return 0
    time = float(bm.unwrap(delay_time))
    if not time >= 0:
        raise ValueError(describe(who, "a delay time >= 0 (ms)", repr(delay_time)))
    return math.ceil(time / bm.get_dt() - 1e-6)


def return_variable(system: Any, who: str) -> tuple[bm.Variable, bool]:
    """What ``system`` outputs for a delay: ``(Variable, owned)`` — its ``return_info()`` Variable,
    else its ``spike``; ``owned`` when a fresh Variable holds a derived value (STP's ``u * x``)."""
    info = system.return_info() if hasattr(system, "return_info") else getattr(system, "spike", None)
    if isinstance(info, bm.Variable):
        return info, False
    if callable(info):       # a function of the state: its value is recorded each step
        value = bm.unwrap(info())
        return bm.Variable(value, batch_axis=0 if system.mode.batching and value.ndim > 1 else None), True
    raise TypeError(describe(who, "a presynaptic system whose output can be delayed (a `spike` Variable "
                             "or return_info())", f"{type(system).__name__} {system!r}"))


class VarDelay(DynamicalSystem):
    """The history of ``target`` for entries with different delays.

    Args:
        target: the Variable to delay.
        time: the longest delay to keep (ms); entries extend it as needed.
        init: the values before the start (number, array or callable); default 0.
        entries: ``{name: delay time in ms or None}`` to register now.
    """

    def __init__(self, target: bm.Variable, time: Any = None, init: Any = None, entries: dict | None = None,
                 method: str | None = None, name: str | None = None, mode: bm.Mode | None = None,
                 owns_target: bool = False):
        super().__init__(name=name, mode=mode)
        if not isinstance(target, bm.Variable):
            raise TypeError(describe(self.describe(), "target= a bm.Variable", f"{type(target).__name__}"))
        self.target, self._init, self._owns_target = target, init, owns_target
        self._readers: dict[str, int] = {}
        self.max_length = 0
        self.line: bm.LengthDelay | None = None
        self._grow(delay_steps(time, None, self.describe()))
        for entry, delay_time in (entries or {}).items():
            self.register_entry(entry, delay_time)

    def _grow(self, steps: int) -> None:
        if steps > 1 and steps > self.max_length:
            self.line = bm.LengthDelay(self.target, steps - 1, self._init)
        self.max_length = max(self.max_length, steps)

    def register_entry(self, entry: str, delay_time: Any = None, delay_step: int | None = None) -> "VarDelay":
        """Add an entry read with ``at(entry)``, ``delay_time`` ms (or ``delay_step`` steps) late."""
        if entry in self._readers:
            raise KeyError(describe(self.describe(), "a new entry name", f"{entry!r}, already registered"))
        steps = delay_steps(delay_time, delay_step, f"{self.describe()} entry {entry!r}")
        self._readers[entry] = steps
        self._grow(steps)
        return self

    def at(self, entry: str, *indices: Any) -> Any:
        """The target as the entry ``entry`` sees it this step."""
        if entry not in self._readers:
            raise KeyError(describe(self.describe(), f"one of the entries {sorted(self._readers)}", repr(entry)))
        return self.retrieve(self._readers[entry], *indices)

    def retrieve(self, delay_step: int, *indices: Any) -> Any:
        """The target ``delay_step`` steps late (0 or 1: its newest value)."""
        if delay_step <= 1:
            value = self.target.value
            return value[indices] if indices else value
        return self.line.retrieve(delay_step - 1, *indices)

    def update(self, latest_value: Any = None) -> None:
        """Record the target's newest value (or ``latest_value`` for a derived output)."""
        if self._owns_target and latest_value is not None:
            self.target.value = latest_value
        if self.line is not None:
            self.line.update(self.target.value)

    def reset_state(self, batch_size: int | None = None) -> None:
        if self.line is not None:
            self.line.reset(self.target.value, self.max_length - 1, self._init)

    def __repr__(self) -> str:
        return f"VarDelay(name={self.name}, steps={self.max_length}, shape={tuple(self.target.shape)})"


def register_delay_by_return(system: DynamicalSystem) -> VarDelay:
    """The delay of ``system``'s output, created on first use and recorded after each update."""
    if not system.has_aft_update(delay_identifier):
        target, owned = return_variable(system, system.describe())
        system.add_aft_update(delay_identifier, VarDelay(target, mode=system.mode, owns_target=owned))
    return system.get_aft_update(delay_identifier)
