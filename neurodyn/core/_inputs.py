"""How systems feed one another (BrainPy 2.4+'s protocol): input functions and update hooks.

A projection registers an *input function* with its postsynaptic group
(``post.add_inp_fun(key, out)``); the group evaluates them where its equation needs the input,
``sum_current_inputs(V)`` (at the current ``V``, or inside the derivative for the ``ltc``
neurons) and ``sum_delta_inputs()`` (jumps added to ``V``). *Hooks* run around ``update``:
``before_updates`` (a merged synapse that must step before the group reads it) and
``after_updates`` (a delay line that records what ``update`` returned).

    >>> import neurodyn as bp, neurodyn.math as bm
    >>> lif = bp.dyn.Lif(2)
    >>> lif.add_inp_fun("drive", lambda V: 2. - 0. * V)
    >>> lif.sum_current_inputs(lif.V.value, init=1.).tolist()
    [3.0, 3.0]
"""
from __future__ import annotations

from typing import Any, Callable

from neurodyn.errors import describe

__all__ = ["InputHooks"]


class InputHooks:
    """Mixed into ``DynamicalSystem``: input functions (``add_inp_fun``, ``sum_current_inputs``,
    ``sum_delta_inputs``) and update hooks (``add_bef_update``, ``add_aft_update``)."""

    def _registry(self, attr: str) -> dict:
        table = self.__dict__.get(attr)
        if table is None:
            table = {}
            object.__setattr__(self, attr, table)
        return table

    @property
    def current_inputs(self) -> dict:
        """Input functions summed into the current: ``{key: fun(*args)}``."""
        return self._registry("_current_inputs")

    cur_inputs = current_inputs

    @property
    def delta_inputs(self) -> dict:
        """Input functions whose values jump the state directly: ``{key: fun(*args)}``."""
        return self._registry("_delta_inputs")

    @property
    def before_updates(self) -> dict:
        """Called (without arguments) before ``update`` each step."""
        return self._registry("_before_updates")

    @property
    def after_updates(self) -> dict:
        """Called with ``update``'s return value after each step."""
        return self._registry("_after_updates")

    # -- input functions -------------------------------------------------------------------
    def add_inp_fun(self, key: str, fun: Callable, label: str | None = None,
                    category: str = "current") -> None:
        """Register ``fun`` under ``key`` (``'label // key'`` with a label) as a ``'current'``
        or ``'delta'`` input."""
        who = self.describe()
        if not callable(fun):
            raise TypeError(describe(who, "add_inp_fun(key, fun) with a callable fun", repr(fun)))
        if category not in ("current", "delta"):
            raise ValueError(describe(who, "category 'current' or 'delta'", repr(category)))
        key = key if label is None else f"{label} // {key}"
        table = self.current_inputs if category == "current" else self.delta_inputs
        if key in table:
            raise ValueError(describe(who, f"a new input key, not {key!r}", "a key already used",
                                      "give each projection a unique name"))
        table[key] = fun

    def get_inp_fun(self, key: str) -> Callable:
        """The input function registered under ``key``."""
        for table in (self.current_inputs, self.delta_inputs):
            if key in table:
                return table[key]
        raise KeyError(describe(self.describe(), f"one of the input keys {sorted(self.current_inputs)}"
                                f" + {sorted(self.delta_inputs)}", repr(key)))

    @staticmethod
    def _summed(table: dict, args: tuple, kwargs: dict, init: Any, label: str | None) -> Any:
        start = None if label is None else f"{label} // "
        for key, fun in table.items():
            if start is None or key.startswith(start):
                init = init + fun(*args, **kwargs)
        return init

    def sum_current_inputs(self, *args: Any, init: Any = 0., label: str | None = None, **kwargs: Any) -> Any:
        """``init`` plus every current input function evaluated at ``*args`` (e.g. ``V``);
        with ``label``, only those registered under it."""
        return self._summed(self.__dict__.get("_current_inputs") or {}, args, kwargs, init, label)

    sum_inputs = sum_current_inputs

    def sum_delta_inputs(self, *args: Any, init: Any = 0., label: str | None = None, **kwargs: Any) -> Any:
        """``init`` plus every delta input function evaluated at ``*args``."""
        return self._summed(self.__dict__.get("_delta_inputs") or {}, args, kwargs, init, label)

    # -- hooks -----------------------------------------------------------------------------
    def _add_hook(self, table: dict, kind: str, key: Any, fun: Callable) -> None:
        if key in table:
            raise KeyError(describe(self.describe(), f"a new {kind} key", f"{key!r}, already registered"))
        table[key] = fun

    def add_bef_update(self, key: Any, fun: Callable) -> None:
        """Run ``fun()`` before each ``update``."""
        self._add_hook(self.before_updates, "before-update", key, fun)

    def add_aft_update(self, key: Any, fun: Callable) -> None:
        """Run ``fun(returned value)`` after each ``update``."""
        self._add_hook(self.after_updates, "after-update", key, fun)

    def get_bef_update(self, key: Any) -> Callable:
        return self.before_updates[key]

    def get_aft_update(self, key: Any) -> Callable:
        return self.after_updates[key]

    def has_bef_update(self, key: Any) -> bool:
        return key in self.before_updates

    def has_aft_update(self, key: Any) -> bool:
        return key in self.after_updates

    def _with_hooks(self, step: Callable, args: tuple, kwargs: dict) -> Any:
        for hook in (self.__dict__.get("_before_updates") or {}).values():
            hook()
        out = step(*args, **kwargs)
        for hook in (self.__dict__.get("_after_updates") or {}).values():
            hook(out)
        return out
