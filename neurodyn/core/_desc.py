"""``Desc``: BrainPy's lazy description of a model, ``cls.desc(*args, **kwargs)``.

Projections take descriptions so they can build the part themselves, once per set of equal
parameters (the ``Mg`` projections share one synapse among projections with equal ``identifier``).

    >>> import neurodyn as bp
    >>> d = bp.dyn.Expon.desc(10, tau=5.)
    >>> d.identifier == bp.dyn.Expon.desc(10, tau=5.).identifier, type(d()).__name__
    (True, 'Expon')
"""
from __future__ import annotations

from typing import Any

__all__ = ["Desc"]


class Desc:
    """A lazy description ``cls(*args, **kwargs)``; calling it builds one.
    Equal descriptions have equal ``identifier`` s (what merging projections compare)."""

    def __init__(self, cls: type, args: tuple, kwargs: dict):
        self.cls, self.args, self.kwargs = cls, args, kwargs
        self.identifier = (cls, repr(args), repr(sorted(kwargs.items())))

    def __call__(self, **overrides: Any) -> Any:
        return self.cls(*self.args, **{**self.kwargs, **overrides})

    def __repr__(self) -> str:
        return f"{self.cls.__name__}.desc(*{self.args}, **{self.kwargs})"
