"""One explicit ODE step for the models' state equations: exponential Euler, Euler, RK2, RK4.

A model gives its right-hand side ``f(*states) -> tuple of derivatives`` (one per state, each
elementwise in its own state) and gets the states one step ``dt`` later.

``exp_auto`` (alias ``exp_euler``) is the exponential Euler method: each state ``x_i`` is
advanced with its own linear part ``A_i = df_i/dx_i`` (found with ``jax.jvp``, the other states
held at their old values) as ``x_i + dt * phi1(A_i dt) * f_i(x)``, ``phi1(z) = (e^z - 1)/z``.
It is exact for a linear equation with constant input (LIF membrane, HH gates at fixed ``V``).

    >>> import jax.numpy as jnp
    >>> (v,) = ode_step(lambda v: (-v / 10.,), (jnp.array(1.0),), 1.0, "exp_auto")
    >>> round(float(v), 6) == round(float(jnp.exp(-0.1)), 6)
    True
"""
from __future__ import annotations

from typing import Any, Callable, Sequence

import jax
import jax.numpy as jnp

from neurodyn.errors import describe

__all__ = ["METHODS", "check_method", "ode_step", "phi1"]

METHODS = ("exp_auto", "exp_euler", "euler", "rk2", "rk4")


def check_method(method: Any, who: str) -> str:
    """Return ``method`` if it names a supported integrator, else raise ``ValueError``."""
    if not isinstance(method, str) or method not in METHODS:
        raise ValueError(describe(who, f"method= one of {METHODS}", repr(method)))
    return method


def phi1(z: jax.Array) -> jax.Array:
    """``(exp(z) - 1) / z`` with the removable singularity at 0 filled (and a finite gradient)."""
    small = jnp.abs(z) < 1e-4
    safe = jnp.where(small, 1.0, z)
    return jnp.where(small, 1.0 + z / 2.0 + z * z / 6.0, jnp.expm1(safe) / safe)


def _axpy(states: Sequence[jax.Array], derivs: Sequence[jax.Array], h: Any) -> tuple:
    return tuple(x + h * d for x, d in zip(states, derivs))


def _exp_euler(f: Callable, states: tuple, dt: Any, linear: Callable | None) -> tuple:
    if linear is not None:
        derivs, slopes = f(*states), linear(*states)
        return tuple(x + dt * phi1(a * dt) * d for x, d, a in zip(states, derivs, slopes))
    out = []
    for i, x in enumerate(states):
        def fi(xi, i=i):
            return f(*states[:i], xi, *states[i + 1:])[i]
        fx, slope = jax.jvp(fi, (x,), (jnp.ones_like(x),))
        out.append(x + dt * phi1(slope * dt) * fx)
    return tuple(out)


def ode_step(f: Callable[..., Sequence[jax.Array]], states: Sequence[jax.Array], dt: Any,
             method: str = "exp_auto", linear: Callable | None = None) -> tuple:
    """Advance ``states`` by ``dt`` under ``d states / dt = f(*states)`` with ``method``.

    Args:
        f: the right-hand side; returns one derivative per state, in order.
        states: the current values (arrays of matching shapes per state).
        dt: the step (a Python float or a traced scalar).
        method: ``'exp_auto'``/``'exp_euler'``, ``'euler'``, ``'rk2'`` (midpoint) or ``'rk4'``.
        linear: optional ``linear(*states) -> (df_i/dx_i, ...)`` for exponential Euler, when the
            model knows its linear parts (saves the ``jax.jvp`` per state).

    Returns:
        The new states, a tuple in the same order.
    """
    states = tuple(states)
    if method in ("exp_auto", "exp_euler"):
        return _exp_euler(f, states, dt, linear)
    if method == "euler":
        return _axpy(states, f(*states), dt)
    if method == "rk2":
        k1 = f(*states)
        return _axpy(states, f(*_axpy(states, k1, dt / 2)), dt)
    if method == "rk4":
        k1 = f(*states)
        k2 = f(*_axpy(states, k1, dt / 2))
        k3 = f(*_axpy(states, k2, dt / 2))
        k4 = f(*_axpy(states, k3, dt))
        total = tuple(a + 2 * b + 2 * c + d for a, b, c, d in zip(k1, k2, k3, k4))
        return _axpy(states, total, dt / 6)
    raise ValueError(describe("ode_step", f"method= one of {METHODS}", repr(method)))
