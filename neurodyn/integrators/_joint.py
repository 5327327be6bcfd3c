"""``bp.JointEq``: several derivative functions integrated together as one system.

Each function names its own variables before ``t``; after ``t`` it may name the other
functions' variables (filled from the current state) and parameters. The joint function takes
all variables (in the order of the functions), ``t``, then the parameters that are not
variables, in order of first appearance::

    >>> import neurodyn as bp
    >>> dV = lambda V, t, w, I: -V - w + I
    >>> dw = lambda w, t, V: (V - w) / 10.
    >>> eq = bp.JointEq(dV, dw)
    >>> eq.variables, eq.parameters
    (['V', 'w'], ['I'])
    >>> [float(d) for d in eq(1., 0., 0., 2.)]
    [1.0, 0.1]
"""
from __future__ import annotations

import inspect
from typing import Any, Callable

from neurodyn.errors import describe
from neurodyn.integrators._ode import derivative_arguments

__all__ = ["JointEq"]


class JointEq:
    """Join derivative functions ``f(own_vars..., t, others...)`` into one ``F(vars..., t, params...)``."""

    def __init__(self, *eqs: Callable):
        if len(eqs) == 1 and isinstance(eqs[0], (list, tuple)):
            eqs = tuple(eqs[0])
        if not eqs:
            raise ValueError(describe("bp.JointEq", "one or more derivative functions", "none"))
        self.eqs = eqs
        self._args = [derivative_arguments(f, "bp.JointEq") for f in eqs]
        self.variables = []
        for own, _ in self._args:
            for v in own:
                if v in self.variables:
                    raise ValueError(describe("bp.JointEq", "each variable defined by one function",
                                              f"{v!r} in two of them"))
                self.variables.append(v)
        self.parameters = []
        for _, rest in self._args:
            self.parameters += [p for p in rest if p not in self.variables and p not in self.parameters]
        kind = inspect.Parameter.POSITIONAL_OR_KEYWORD
        self.__signature__ = inspect.Signature(
            [inspect.Parameter(n, kind) for n in self.variables + ["t"] + self.parameters])
        self.__name__ = "JointEq"

    def __call__(self, *args: Any, **kwargs: Any) -> list:
        values = self.__signature__.bind(*args, **kwargs).arguments
        out = []
        for f, (own, rest) in zip(self.eqs, self._args):
            d = f(*(values[v] for v in own), values["t"], **{p: values[p] for p in rest})
            d = list(d) if isinstance(d, (tuple, list)) else [d]
            if len(d) != len(own):
                raise ValueError(describe(f"bp.JointEq({getattr(f, '__name__', f)})",
                                          f"{len(own)} derivative(s) for {own}", f"{len(d)}"))
            out += d
        return out

    def __repr__(self) -> str:
        return f"JointEq(variables={self.variables}, parameters={self.parameters})"
