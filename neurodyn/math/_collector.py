"""``bp.Collector``: BrainPy's named collection of a model's parts."""
from __future__ import annotations

from typing import Any

from neurodyn.errors import describe

__all__ = ["Collector"]


class Collector(dict):
    """BrainPy's ``Collector``: objects (groups, synapses, Variables) by name, e.g. a network's
    populations; a model holding one finds the nodes inside it. A name given to two different
    objects is an error (``replace`` changes one on purpose).

        >>> c = Collector(a=1)
        >>> c["b"] = 2; sorted(c + Collector(c=3))
        ['a', 'b', 'c']
    """

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__()
        self.update(*args, **kwargs)

    def __setitem__(self, key: Any, value: Any) -> None:
        if key in self and self[key] is not value:
            raise ValueError(describe("Collector", f"one object per name ({key!r})",
                                      f"{key!r} given to {self[key]!r} and to {value!r}",
                                      "use another name, or collector.replace(name, value)"))
        super().__setitem__(key, value)

    def update(self, *args: Any, **kwargs: Any) -> None:
        for key, value in dict(*args, **kwargs).items():
            self[key] = value

    def replace(self, key: Any, value: Any) -> None:
        """Set ``key`` to ``value`` even if it names another object."""
        super().__setitem__(key, value)

    def subset(self, var_type: type) -> "Collector":
        """The entries that are instances of ``var_type``."""
        return Collector({k: v for k, v in self.items() if isinstance(v, var_type)})

    def not_subset(self, var_type: type) -> "Collector":
        """The entries that are not instances of ``var_type``."""
        return Collector({k: v for k, v in self.items() if not isinstance(v, var_type)})

    def include(self, *types: type) -> "Collector":
        return Collector({k: v for k, v in self.items() if isinstance(v, types)})

    def exclude(self, *types: type) -> "Collector":
        return Collector({k: v for k, v in self.items() if not isinstance(v, types)})

    def unique(self) -> "Collector":
        """Without objects reachable under two names (the first name kept)."""
        seen, out = set(), Collector()
        for k, v in self.items():
            if id(v) not in seen:
                seen.add(id(v))
                out[k] = v
        return out

    def __add__(self, other: dict) -> "Collector":
        out = Collector(self)
        out.update(other)
        return out

    def __sub__(self, other: Any) -> "Collector":
        """Without the names (or the objects) of ``other``."""
        drop_ids = {id(v) for v in other.values()} if isinstance(other, dict) else {id(v) for v in other}
        names = set(other) if isinstance(other, dict) else set()
        return Collector({k: v for k, v in self.items() if k not in names and id(v) not in drop_ids})
