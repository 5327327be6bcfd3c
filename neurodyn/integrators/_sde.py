"""``bp.sdeint``: stochastic differential equations ``dx = f(x, t) dt + g(x, t) dW``.

``f`` and ``g`` are written like ``bp.odeint``'s derivative functions (variables, ``t``,
parameters) and return the drift and the diffusion of each variable. The Wiener increments
are drawn from ``bm.random`` (``bm.random.seed`` fixes them; they work inside ``bm.jit`` and
``bm.for_loop``), one independent increment per element of each variable (BrainPy's scalar
Wiener type with diagonal noise).

    >>> import neurodyn as bp, neurodyn.math as bm
    >>> bm.random.seed(0)
    >>> ou = bp.sdeint(f=lambda x, t: -x, g=lambda x, t: 0.1, method='euler', dt=0.01)
    >>> ou(bm.ones(3), 0.).shape
    (3,)

Methods: ``'euler'`` (Euler-Maruyama), ``'milstein'`` (with the ``0.5 g g' (dW^2 - dt)``
correction of the Ito integral; ``intg_type='Stratonovich'`` drops the ``- dt``) and
``'exp_euler'`` (the drift advanced by exponential Euler, then ``g dW``). With
``wiener_type='vector'``, ``g`` returns ``(..., m)`` for ``m`` independent Wiener processes
(Euler-Maruyama).
"""
from __future__ import annotations

import inspect
from typing import Any, Callable, Mapping

import jax
import jax.numpy as jnp

import neurodyn.math as bm
from neurodyn.errors import describe
from neurodyn.integrators._delays import checked_delays, record
from neurodyn.integrators._ode import derivative_arguments
from neurodyn.math._integrate import phi1

__all__ = ["sdeint", "SDEIntegrator"]

SDE_METHODS = ("euler", "milstein", "exp_euler", "exponential_euler")


class SDEIntegrator:
    """The integrator ``sdeint`` returns: ``integral(*variables, t, *parameters, dt=None)``."""

    def __init__(self, f: Callable, g: Callable, method: str = "euler", dt: float | None = None,
                 intg_type: str = "Ito", wiener_type: str = "scalar", state_delays: Mapping[str, Any] | None = None):
        who = f"bp.sdeint({getattr(f, '__name__', 'f')})"
        if method not in SDE_METHODS:
            raise ValueError(describe(who, f"method= one of {SDE_METHODS}", repr(method)))
        if intg_type not in ("Ito", "Stratonovich"):
            raise ValueError(describe(who, "intg_type='Ito' or 'Stratonovich'", repr(intg_type)))
        if wiener_type not in ("scalar", "vector"):
            raise ValueError(describe(who, "wiener_type='scalar' or 'vector'", repr(wiener_type)))
        self.f, self.g, self.method, self.dt, self.intg_type = f, g, method, dt, intg_type
        self.wiener_type = wiener_type
        self.variables, self.parameters = derivative_arguments(f, who)
        self._signature, self._who = inspect.signature(f), who
        self.state_delays = checked_delays(state_delays, self.variables, "state_delays", who)

    def _tuple(self, out: Any, what: str) -> tuple:
        out = tuple(out) if isinstance(out, (tuple, list)) else (out,)
        if len(out) != len(self.variables):
            raise ValueError(describe(self._who, f"{what} returning one value per variable "
                                      f"{self.variables}", f"{len(out)} values"))
        return out

    def __call__(self, *args: Any, dt: float | None = None, **kwargs: Any) -> Any:
        if dt is None and len(args) == len(self.variables) + 1 + len(self.parameters) + 1:
            args, dt = args[:-1], args[-1]            # BrainPy: dt may follow positionally
        vals = dict(self._signature.bind(*args, **kwargs).arguments)
        dt = dt if dt is not None else self.dt if self.dt is not None else bm.get_dt()
        xs = tuple(bm.as_jax(vals[v]) for v in self.variables)
        t = vals["t"]
        params = {p: bm.unwrap_tree(vals[p]) for p in self.parameters if p in vals}
        n = len(xs)
        drift = self._tuple(self.f(*xs, t, **params), "f")
        diffusion = self._tuple(self.g(*xs, t, **params), "g")
        if self.wiener_type == "vector":
            new = self._vector_step(xs, drift, diffusion, dt)
            record(self.state_delays, self.variables, [new] if n == 1 else new)
            return new
        new = []
        for i, (x, a, b) in enumerate(zip(xs, drift, diffusion)):
            shape = jnp.broadcast_shapes(jnp.shape(x), jnp.shape(a), jnp.shape(b))
            dW = bm.as_jax(bm.random.normal(0., 1., shape)).astype(bm.get_float()) * jnp.sqrt(dt)
            if self.method in ("exp_euler", "exponential_euler"):   # the drift's linear part exactly
                def fi(xi, i=i):
                    return self._tuple(self.f(*xs[:i], xi, *xs[i + 1:], t, **params), "f")[i]
                _, slope = jax.jvp(fi, (x,), (jnp.ones_like(x),))
                step = x + dt * phi1(slope * dt) * a + b * dW
            else:
                step = x + a * dt + b * dW
            if self.method == "milstein":
                def gi(xi, i=i):
                    return jnp.broadcast_to(
                        self._tuple(self.g(*xs[:i], xi, *xs[i + 1:], t, **params), "g")[i], shape)
                _, db = jax.jvp(gi, (x,), (jnp.ones_like(x),))
                dW2 = dW * dW if self.intg_type == "Stratonovich" else dW * dW - dt
                step = step + 0.5 * b * db * dW2
            new.append(step)
        record(self.state_delays, self.variables, new)
        return new[0] if n == 1 else new


    def _vector_step(self, xs: tuple, drift: tuple, diffusion: tuple, dt: Any) -> Any:
        """``x + f dt + sum_j g[..., j] dW_j`` with ``m`` independent Wiener processes (``g``'s last axis)."""
        if self.method != "euler":
            raise ValueError(describe(self._who, "method='euler' with wiener_type='vector'",
                                      repr(self.method), "use the scalar Wiener type for Milstein"))
        new = []
        for x, a, b in zip(xs, drift, diffusion):
            b = jnp.asarray(b)
            dW = bm.as_jax(bm.random.normal(0., 1., b.shape[-1:])).astype(bm.get_float()) * jnp.sqrt(dt)
            new.append(x + a * dt + jnp.sum(b * dW, axis=-1))
        return new[0] if len(new) == 1 else new


def sdeint(f: Callable | None = None, g: Callable | None = None, method: str = "euler",
           dt: float | None = None, intg_type: str = "Ito", wiener_type: str = "scalar",
           var_type: Any = None, name: str | None = None, show_code: bool = False,
           state_delays: Mapping[str, Any] | None = None) -> Any:
    """Integrate ``dx = f dt + g dW``: ``bp.sdeint(f, g, method=...)`` or ``@bp.sdeint(g=g)``;
    ``state_delays`` as in ``bp.odeint`` (a stochastic delay equation)."""
    if g is None:
        raise ValueError(describe("bp.sdeint", "the diffusion function g=", "None"))
    if f is None:
        return lambda fun: SDEIntegrator(fun, g, method, dt, intg_type, wiener_type, state_delays)
    return SDEIntegrator(f, g, method, dt, intg_type, wiener_type, state_delays)
