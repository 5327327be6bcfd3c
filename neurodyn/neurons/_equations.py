"""A neuron group's equations as BrainPy's integrators, for ``bp.analysis`` and for users who
call ``group.integral`` as in BrainPy.

A group's ``derivative(*state, I)`` gives every state variable's time derivative; here each
becomes one equation ``d<var>(var, t, *other state, I=0.)`` (BrainPy's argument order:
the variable, ``t``, the others, then parameters), joined in a ``JointEq``.

    >>> import neurodyn as bp
    >>> lif = bp.neurons.LIF(1, V_rest=0., tau=10., R=1.)
    >>> integral = equations_of(lif)
    >>> integral.variables, integral.parameters
    (['V'], ['I'])
    >>> float(lif.integral.f(0., 0., I=5.))            # dV/dt = (-V + V_rest + R I) / tau
    0.5
"""
from __future__ import annotations

import inspect
from typing import Any

from neurodyn.errors import describe
from neurodyn.integrators import JointEq, odeint
from neurodyn.integrators._ode import ODEIntegrator

__all__ = ["equations_of"]


def _equation(group: Any, state: list[str], k: int):
    var = state[k]
    names = [var, "t"] + [s for s in state if s != var] + ["I"]
    kind = inspect.Parameter.POSITIONAL_OR_KEYWORD

    def equation(*args: Any, **kwargs: Any) -> Any:
        a = {"I": 0., **dict(zip(names, args)), **kwargs}
        return group.derivative(*[a[s] for s in state], a["I"])[k]

    equation.__signature__ = inspect.Signature(
        [inspect.Parameter(n, kind, default=0. if n == "I" else inspect.Parameter.empty) for n in names])
    equation.__name__ = f"d{var}"
    return equation


def equations_of(group: Any) -> ODEIntegrator:
    """``group.derivative(*state, I)`` as an integrator of its state variables with parameter ``I``."""
    derivative = getattr(group, "derivative", None)
    names = list(inspect.signature(derivative).parameters) if callable(derivative) else []
    if len(names) < 2 or names[-1] != "I":
        raise AttributeError(describe(f"{group.describe()}.integral", "a derivative(*state, I) method to build "
                                      "the integrator from", f"{type(group).__name__} without one",
                                      "set self.integral = bp.odeint(...) in __init__"))
    state = names[:-1]
    eqs = [_equation(group, state, k) for k in range(len(state))]
    method = getattr(group, "method", "exp_auto")
    return odeint(JointEq(*eqs) if len(eqs) > 1 else eqs[0], method=method)
