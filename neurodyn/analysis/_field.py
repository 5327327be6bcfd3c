"""A low-dimensional model as a vector field: its variables, parameters and derivatives.

The model is what BrainPy's analysers take: a derivative function, an integrator made by
``bp.odeint`` (of a ``bp.JointEq`` too), a list or dict of them, or a DynamicalSystem holding
integrators as attributes. Each derivative ``f(own_vars..., t, others...)`` is evaluated at
``t = 0`` (autonomous systems); ``others`` are other variables or parameters.

    >>> import neurodyn as bp
    >>> field = VectorField(bp.odeint(lambda x, t, a: a - x ** 2), "example")
    >>> field.variables, field.parameters, float(field({"x": 1., "a": 2.})["x"])
    (['x'], ['a'], 1.0)
"""
from __future__ import annotations

import inspect
from typing import Any, Callable, Mapping

import jax
import jax.numpy as jnp

from neurodyn.core import DynamicalSystem
from neurodyn.errors import describe
from neurodyn.integrators import JointEq, odeint
from neurodyn.integrators._ode import ODEIntegrator

__all__ = ["VectorField"]


def _integrators(model: Any, who: str) -> list[ODEIntegrator]:
    if isinstance(model, DynamicalSystem):
        found = {}
        for node in model.nodes().values():
            for value in vars(node).values():
                if isinstance(value, ODEIntegrator):
                    found[id(value)] = value
            if not found and isinstance(getattr(type(node), "integral", None), property):
                try:                  # a neuron group's equations, built from its derivative()
                    value = node.integral
                except AttributeError:
                    continue
                if isinstance(value, ODEIntegrator):
                    found[id(value)] = value
        model = list(found.values())
    if isinstance(model, Mapping):
        model = list(model.values())
    if not isinstance(model, (list, tuple)):
        model = [model]
    out = []
    for item in model:
        if not isinstance(item, ODEIntegrator):
            if not callable(item):
                raise TypeError(describe(who, "a model of derivative functions or bp.odeint integrators (or a "
                                         "DynamicalSystem holding integrators)", type(item).__name__))
            item = odeint(item)
        if isinstance(item.f, JointEq):      # one integrator per equation of a JointEq
            out += [ODEIntegrator(eq, item.method, item.dt) for eq in item.f.eqs]
        else:
            out.append(item)
    if not out:
        raise ValueError(describe(who, "a model with at least one integrator", f"none in {type(model).__name__}"))
    return out


class VectorField:
    """``field(values) -> {variable: derivative}``, with ``values`` holding every variable and
    parameter by name (arrays broadcast together)."""

    def __init__(self, model: Any, who: str):
        self.who = who
        self.integrators = _integrators(model, who)
        self.variables: list[str] = []
        for it in self.integrators:
            for v in it.variables:
                if v in self.variables:
                    raise ValueError(describe(who, "each variable defined by one derivative", f"{v!r} twice"))
                self.variables.append(v)
        self.parameters = []
        self.defaults: dict[str, Any] = {}
        for it in self.integrators:
            for name in it.parameters:
                if name not in self.variables and name not in self.parameters:
                    self.parameters.append(name)
                default = inspect.signature(it.f).parameters[name].default
                if default is not inspect.Parameter.empty:
                    self.defaults.setdefault(name, default)

    def __repr__(self) -> str:
        return f"VectorField(variables={self.variables}, parameters={self.parameters})"

    def __call__(self, values: Mapping[str, Any]) -> dict[str, jax.Array]:
        out = {}
        for it in self.integrators:
            d = it.f(*(values[v] for v in it.variables), 0., **{p: values[p] for p in it.parameters})
            d = d if isinstance(d, (tuple, list)) else (d,)
            out.update({v: jnp.asarray(x) for v, x in zip(it.variables, d)})
        return out

    def function_of(self, names: list[str], fixed: Mapping[str, Any], targets: list[str] | None = None) -> Callable:
        """``f(*arrays) -> (derivative of each target variable)`` with ``names`` the arguments
        (target variables first, then target parameters) and everything else from ``fixed``;
        ``targets``: the variables whose derivatives are returned (default: the variables among
        ``names``; a fast-slow analysis passes only the fast ones, its slow variables being
        parameters)."""
        missing = [n for n in self.variables + self.parameters if n not in names and n not in fixed
                   and n not in self.defaults]
        if missing:
            raise ValueError(describe(self.who, "a value for every variable and parameter of the model",
                                      f"none for {missing}", "give variables in target_vars/fixed_vars and "
                                      "parameters in pars_update/target_pars"))
        base = {**self.defaults, **fixed}
        targets = [n for n in names if n in self.variables] if targets is None else list(targets)

        def f(*arrays):
            values = {**base, **dict(zip(names, arrays))}
            d = self(values)
            return tuple(jnp.broadcast_to(d[v], jnp.broadcast_shapes(*(jnp.shape(a) for a in arrays)))
                         for v in targets)
        return f

    def stepper(self, fixed: Mapping[str, Any], dt: float) -> Callable:
        """``step(values) -> values`` one ``dt`` later, each integrator with its own method."""
        base = {**self.defaults, **fixed}

        def step(values: dict, t: Any) -> dict:
            everything = {**base, **values}
            new = dict(values)
            for it in self.integrators:
                out = it(**{v: everything[v] for v in it.variables}, t=t,
                         **{p: everything[p] for p in it.parameters}, dt=dt)
                out = out if isinstance(out, (list, tuple)) else [out]
                new.update({v: x for v, x in zip(it.variables, out) if v in values})
            return new
        return step
