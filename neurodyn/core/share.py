"""Per-step values every node may read: ``t``, ``i``, ``dt``, ``fit`` (and any you save).

Runners and trainers set them for each step; outside them the defaults are ``t=0``, ``i=0``,
``dt=bm.get_dt()`` and ``fit=False``. ``fit`` must be a Python bool (training and prediction
compile to separate programs); ``t`` and ``i`` may be traced arrays.

    >>> import neurodyn as bp
    >>> with bp.share.context(fit=True, t=1.5):
    ...     bp.share.load('fit'), bp.share.load('t')
    (True, 1.5)
    >>> bp.share.load('fit')
    False
"""
from __future__ import annotations

import contextlib
import contextvars
import sys
import types
from typing import Any, Iterator

import neurodyn.math as bm

__all__ = ["save", "load", "clear", "context", "get_shargs", "SharedArgs"]

_values: contextvars.ContextVar[dict] = contextvars.ContextVar("neurodyn_share", default={})
_MISSING = object()


class SharedArgs(dict):
    """The shared values handed to a legacy ``update(self, tdi, ...)``: a dict with attribute access."""

    def __getattr__(self, name: str) -> Any:
        try:
            return self[name]
        except KeyError:
            raise AttributeError(f"shared arguments have no {name!r}; present: {sorted(self)}") from None


def _defaults() -> dict:
    return {"t": 0., "i": 0, "dt": bm.get_dt(), "fit": False}


def save(**values: Any) -> None:
    """Set shared values for the rest of the current context."""
    _values.set({**_values.get(), **values})


def load(name: str, default: Any = _MISSING) -> Any:
    """The shared value ``name`` (``t``, ``i``, ``dt`` and ``fit`` always have a default)."""
    values = _values.get()
    if name in values:
        return values[name]
    if default is not _MISSING:
        return default
    defaults = _defaults()
    if name in defaults:
        return defaults[name]
    raise KeyError(f"bp.share.load({name!r}): no shared value of that name; saved: "
                   f"{sorted(values)}, always present: {sorted(defaults)}. Set it with "
                   f"bp.share.save({name}=...) or pass it in shared_args= to a runner/trainer.")


def clear() -> None:
    """Forget every saved value (defaults remain)."""
    _values.set({})


@contextlib.contextmanager
def context(**values: Any) -> Iterator[None]:
    """Set shared values inside a ``with`` block and restore the previous ones afterwards."""
    token = _values.set({**_values.get(), **values})
    try:
        yield
    finally:
        _values.reset(token)


def get_shargs() -> SharedArgs:
    """All current shared values (defaults included) as a :class:`SharedArgs`."""
    return SharedArgs({**_defaults(), **_values.get()})


class _ShareModule(types.ModuleType):
    """``bp.share['t']`` reads like ``bp.share.load('t')`` (BrainPy allows both)."""

    def __getitem__(self, name: str) -> Any:
        return load(name)


sys.modules[__name__].__class__ = _ShareModule
