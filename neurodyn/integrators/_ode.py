"""``bp.odeint``: numerical integrators for ODEs written as derivative functions, BrainPy style.

A derivative function names its variables first, then ``t``, then any parameters, and returns
one derivative per variable. ``odeint`` turns it into a function with the same arguments (plus
``dt=``) that returns the variables one step later::

    >>> import neurodyn as bp
    >>> @bp.odeint(method='rk4', dt=0.1)
    ... def integral(V, w, t, Iext):
    ...     return V - V ** 3 / 3 - w + Iext, (V + 0.7 - 0.8 * w) / 12.5
    >>> V, w = integral(0., 0., 0., 0.5)
    >>> round(float(V), 4), round(float(w), 4)
    (0.0523, 0.0058)

The step is the method's Butcher tableau (``'euler'`` by default, as BrainPy; ``'rk2'`` is
Ralston's, ``'rk4'``, ``'midpoint'``, ``'heun2'``, ...) or exponential Euler (``'exp_auto'``),
which advances each variable with its own linear part (exact for linear equations). The time
argument is advanced inside the stages of a Runge-Kutta step; it works inside ``bm.jit`` and
``bm.for_loop`` like any JAX function.
"""
from __future__ import annotations

import inspect
from typing import Any, Callable, Mapping

import jax.numpy as jnp

import neurodyn.math as bm
from neurodyn.errors import describe
from neurodyn.integrators._delays import checked_delays, record
from neurodyn.math._integrate import EMBEDDED, EXP_METHODS, METHODS, adaptive_step, ode_step

__all__ = ["odeint", "ODEIntegrator", "derivative_arguments", "set_default_odeint",
           "get_default_odeint", "Euler", "MidPoint", "Heun2", "Ralston2", "RK2", "RK3", "Heun3",
           "Ralston3", "SSPRK3", "RK4", "Ralston4", "RK4Rule38", "ExponentialEuler"]

_DEFAULT = {"ode": "euler"}


def derivative_arguments(f: Callable, who: str) -> tuple[list[str], list[str]]:
    """The variable names (before ``t``) and the parameter names (after it) of ``f``."""
    try:
        params = list(inspect.signature(f).parameters.values())
    except (TypeError, ValueError):
        raise TypeError(describe(who, "a Python function f(var1, ..., t, par1, ...)", repr(f)))
    names = []
    for p in params:
        if p.kind not in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY):
            raise TypeError(describe(who, "plain named arguments (no *args, **kwargs or /)",
                                     f"{p} in {getattr(f, '__name__', f)}"))
        names.append(p.name)
    if "t" not in names:
        raise ValueError(describe(who, "a time argument named 't' after the variables",
                                  f"arguments {names} of {getattr(f, '__name__', f)}",
                                  "write the derivative as f(V, t, ...)"))
    i = names.index("t")
    if i == 0:
        raise ValueError(describe(who, "at least one variable before 't'", f"arguments {names}"))
    return names[:i], names[i + 1:]


class ODEIntegrator:
    """The integrator ``odeint`` returns: ``integral(*variables, t, *parameters, dt=None)``."""

    def __init__(self, f: Callable, method: str, dt: float | None = None, name: str | None = None,
                 adaptive: bool = False, tol: float = 0.1, state_delays: Mapping[str, Any] | None = None,
                 neutral_delays: Mapping[str, Any] | None = None):
        who = f"bp.odeint({getattr(f, '__name__', 'f')})"
        if method not in METHODS:
            raise ValueError(describe(who, f"method= one of {METHODS}", repr(method),
                                      "adaptive-step methods (rkf45, ...) are not provided"))
        self.f, self.method, self.dt, self.name = f, method, dt, name or getattr(f, "__name__", "f")
        if adaptive and method not in EMBEDDED:
            raise ValueError(describe(who, f"an embedded method for adaptive=True ({tuple(EMBEDDED)})",
                                      repr(method)))
        self.adaptive, self.tol = bool(adaptive), float(tol)
        self.variables, self.parameters = derivative_arguments(f, who)
        self.arguments = self.variables + ["t"] + self.parameters
        self._signature = inspect.signature(f)
        self._who = who
        self.state_delays = checked_delays(state_delays, self.variables, "state_delays", who)
        self.neutral_delays = checked_delays(neutral_delays, self.variables, "neutral_delays", who)

    def _bind(self, args: tuple, kwargs: dict) -> dict:
        try:
            bound = self._signature.bind(*args, **kwargs)
        except TypeError as e:
            raise TypeError(describe(self._who, f"arguments {self.arguments} (and dt=)",
                                     f"{len(args)} positional and {sorted(kwargs)} ({e})"))
        bound.apply_defaults()
        return dict(bound.arguments)

    def __call__(self, *args: Any, dt: float | None = None, **kwargs: Any) -> Any:
        if dt is None and len(args) == len(self.arguments) + 1:    # BrainPy: dt may follow positionally
            args, dt = args[:-1], args[-1]
        vals = self._bind(args, kwargs)
        dt = dt if dt is not None else self.dt if self.dt is not None else bm.get_dt()
        states = tuple(bm.as_jax(vals[v]) for v in self.variables)
        t = vals["t"]
        params = {p: bm.unwrap_tree(vals[p]) for p in self.parameters}
        n = len(states)

        def deriv(*xs_t):
            xs, tt = xs_t[:n], xs_t[n]
            out = self.f(*xs, tt, **params)
            out = tuple(out) if isinstance(out, (tuple, list)) else (out,)
            if len(out) != n:
                raise ValueError(describe(self._who, f"{n} derivative(s), one per variable "
                                          f"{self.variables}", f"{len(out)}"))
            return out + (jnp.ones_like(tt),)

        t_state = (jnp.asarray(t, dtype=bm.get_float()),)
        if self.method in EXP_METHODS:
            t_arr = bm.as_jax(t)
            new = ode_step(lambda *xs: deriv(*xs, t_arr)[:n], states, dt, self.method)
        elif self.adaptive:     # returns the variables and the next dt, as BrainPy's
            # time is a state here too (its error term cancels: both weight rows sum to 1)
            new, dt_new = adaptive_step(deriv, states + t_state, dt, self.method, self.tol)
            return list(new[:n]) + [dt_new]
        else:   # time is one more state with dt/dt = 1: the stages see t + c_i dt
            new = ode_step(deriv, states + t_state, dt, self.method)[:n]
        if self.neutral_delays:     # record the derivatives at the new state (a neutral equation)
            slopes = deriv(*new, bm.as_jax(t) + dt)
            record(self.neutral_delays, self.variables, slopes)
        record(self.state_delays, self.variables, new)
        return new[0] if n == 1 else list(new)

    def __repr__(self) -> str:
        return f"ODEIntegrator({self.name}, method={self.method!r}, variables={self.variables})"


def odeint(f: Callable | None = None, method: str | None = None, var_type: Any = None,
           dt: float | None = None, name: str | None = None, show_code: bool = False,
           **kwargs: Any) -> Any:
    """Integrate ``f`` numerically: ``bp.odeint(f, method=...)`` or ``@bp.odeint(method=...)``.

    Args:
        f: ``f(var1, ..., t, par1, ...) -> (dvar1, ...)`` (one derivative per variable).
        method: a name of ``bm``'s tableaux or ``'exp_auto'``; default ``'euler'`` (BrainPy's,
            see :func:`set_default_odeint`).
        dt: the step; default ``bm.get_dt()`` when called.
        var_type, show_code: accepted for BrainPy compatibility (no effect).
        state_delays (keyword): ``{variable: bm.TimeDelay or bm.LengthDelay}``, a delay
            differential equation: ``f`` reads the delay (``xdelay(t - 1)``), and each step
            records the variable's new value in it.
        neutral_delays (keyword): the same for the variables' derivatives (a neutral equation).
        adaptive, tol (keywords): with an embedded method (``'rkf45'``, ``'rkdp'``, ``'ck'``,
            ``'bs'``, ``'heun_euler'``, ``'rkf12'``), also return the next step size
            ``dt_new`` after the variables (pass it back as ``dt=``).
    """
    method = _DEFAULT["ode"] if method is None else method
    adaptive, tol = bool(kwargs.get("adaptive", False)), kwargs.get("tol", 0.1)
    delays = {"state_delays": kwargs.get("state_delays"), "neutral_delays": kwargs.get("neutral_delays")}
    def make(fun: Callable) -> ODEIntegrator:
        cls = _BY_METHOD.get(method)
        if cls is None:
            return ODEIntegrator(fun, method, dt, name, adaptive, tol, **delays)
        return cls(fun, dt=dt, name=name, adaptive=adaptive, tol=tol, **delays)
    return make if f is None else make(f)


def _named(method: str, cls_name: str) -> type:
    """BrainPy's ``bp.ode.<Name>``: the integrator class of one method (``odeint`` returns it,
    so ``isinstance(integral, bp.ode.ExponentialEuler)`` works); called without ``f`` it is a
    decorator."""
    def __new__(cls, f: Callable | None = None, *args: Any, **kwargs: Any):
        if f is None:
            return lambda fun: cls(fun, *args, **kwargs)
        return object.__new__(cls)

    def __init__(self, f: Callable, dt: float | None = None, name: str | None = None, var_type: Any = None,
                 show_code: bool = False, adaptive: bool = False, tol: float = 0.1,
                 state_delays: Mapping[str, Any] | None = None, neutral_delays: Mapping[str, Any] | None = None,
                 **kwargs: Any):
        ODEIntegrator.__init__(self, f, method, dt, name, adaptive, tol, state_delays, neutral_delays)

    doc = f"``bp.odeint(f, method={method!r})`` as a class (BrainPy's ``bp.ode.{cls_name}``); also a decorator."
    return type(cls_name, (ODEIntegrator,), {"__new__": __new__, "__init__": __init__, "__doc__": doc,
                                            "__module__": __name__})


_NAMED = [("euler", "Euler"), ("midpoint", "MidPoint"), ("heun2", "Heun2"), ("ralston2", "Ralston2"),
          ("rk2", "RK2"), ("rk3", "RK3"), ("heun3", "Heun3"), ("ralston3", "Ralston3"), ("ssprk3", "SSPRK3"),
          ("rk4", "RK4"), ("ralston4", "Ralston4"), ("rk4_38rule", "RK4Rule38"), ("exp_auto", "ExponentialEuler")]
_BY_METHOD = {m: _named(m, n) for m, n in _NAMED}
Euler, MidPoint, Heun2, Ralston2, RK2, RK3, Heun3, Ralston3, SSPRK3, RK4, Ralston4, RK4Rule38, \
    ExponentialEuler = _BY_METHOD.values()


def set_default_odeint(method: str) -> None:
    """The method ``bp.odeint`` uses when none is given."""
    if method not in METHODS:
        raise ValueError(describe("set_default_odeint", f"one of {METHODS}", repr(method)))
    _DEFAULT["ode"] = method


def get_default_odeint() -> str:
    return _DEFAULT["ode"]
