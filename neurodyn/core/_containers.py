"""Containers: ``Sequential`` (a chain) and ``Network`` (a population of systems stepped together).

    >>> import neurodyn as bp, neurodyn.math as bm
    >>> class AddOne(bp.DynamicalSystem):
    ...     def update(self, x):
    ...         return x + 1
    >>> seq = bp.Sequential(AddOne(), AddOne())
    >>> seq(bm.zeros(2)).tolist(), len(seq)
    ([2.0, 2.0], 2)
"""
from __future__ import annotations

from typing import Any

import neurodyn.math as bm
from neurodyn.core._system import DynamicalSystem
from neurodyn.errors import describe

__all__ = ["Sequential", "Network"]


def _check_system(obj: Any, owner: str) -> DynamicalSystem:
    if not isinstance(obj, DynamicalSystem):
        raise TypeError(describe(owner, "DynamicalSystem children", f"{type(obj).__name__} {obj!r}"))
    return obj


def _check_callable(obj: Any, owner: str) -> Any:
    if not callable(obj):
        raise TypeError(describe(owner, "systems or functions to chain (callables)",
                                 f"{type(obj).__name__} {obj!r}"))
    return obj


class Sequential(DynamicalSystem):
    """Apply the given systems one after another: ``update(x) = ...l2(l1(x))``.

    Children are given positionally (paths ``'layers.0'``, ...) or by keyword (paths are the keywords).
    Besides systems, any callable may be a link (``bm.relu``, an object with ``__call__``); extra
    ``update`` arguments go to the systems only.
    """

    def __init__(self, *modules: DynamicalSystem, name: str | None = None, mode: bm.Mode | None = None,
                 **named: DynamicalSystem):
        super().__init__(name=name, mode=mode)
        self.layers = [_check_callable(m, self.describe()) for m in modules]
        for key, module in named.items():
            setattr(self, key, _check_callable(module, self.describe()))
        self._order = list(self.layers) + [getattr(self, k) for k in named]

    def update(self, x: Any, *args, **kwargs) -> Any:
        for module in self._order:
            x = module(x, *args, **kwargs) if isinstance(module, DynamicalSystem) else module(x)
        return x

    def __getitem__(self, index: int) -> DynamicalSystem:
        return self._order[index]

    def __len__(self) -> int:
        return len(self._order)

    def __repr__(self) -> str:
        inner = ", ".join(repr(m) for m in self._order)
        return f"Sequential(name={self.name}, [{inner}])"


class Network(DynamicalSystem):
    """A group of systems stepped together, synapses (``update_order=0``) before neurons.

    Children are attributes (set in a subclass's ``__init__``), positional arguments (kept under
    their names) or keyword arguments. Override ``update`` to choose the order yourself.
    """

    def __init__(self, *systems: DynamicalSystem, name: str | None = None, mode: bm.Mode | None = None,
                 **named: DynamicalSystem):
        super().__init__(name=name, mode=mode)
        for system in systems:
            setattr(self, _check_system(system, self.describe()).name, system)
        for key, system in named.items():
            setattr(self, key, _check_system(system, self.describe()))

    def update(self, *args, **kwargs) -> None:
        if args or kwargs:
            raise TypeError(describe(self.describe(), "update() without inputs (a Network steps "
                                     "its children with the shared t/dt)", f"{len(args)} inputs",
                                     "give external input through a neuron group's `input` (e.g. "
                                     "DSRunner inputs=[('E.input', 20.)]) or override update()"))
        unique = {id(c): c for c in self._children().values()}.values()
        for child in sorted(unique, key=lambda c: c.update_order):
            child()
