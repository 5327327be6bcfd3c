"""Unique, readable names for systems: given names must be unique among live objects;
missing names become ``ClassName<k>``."""
from __future__ import annotations

import itertools
import weakref
from collections import defaultdict
from typing import Any

from neurodyn.errors import UniqueNameError, describe

_live: "weakref.WeakValueDictionary[str, Any]" = weakref.WeakValueDictionary()
_counters: dict[str, itertools.count] = defaultdict(itertools.count)


def register(obj: Any, name: str | None) -> str:
    """Return ``name`` (checked unique) or a fresh ``ClassName<k>`` and remember ``obj`` under it."""
    cls = type(obj).__name__
    if name is None:
        name = f"{cls}{next(_counters[cls])}"
        while name in _live:
            name = f"{cls}{next(_counters[cls])}"
    elif not isinstance(name, str) or not name.isidentifier():
        raise ValueError(describe(cls, "name to be a Python identifier string", repr(name)))
    elif name in _live and _live[name] is not obj:
        other = _live[name]
        raise UniqueNameError(describe(cls, f"a unique name, but {name!r} is used by a live "
                                  f"{type(other).__name__}", repr(name),
                                  "choose another name, or leave name=None for an automatic one"))
    _live[name] = obj
    return name
