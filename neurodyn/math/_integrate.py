"""One explicit ODE step for the models' state equations: exponential Euler and BrainPy's
explicit Runge-Kutta family (Euler, midpoint, Heun, Ralston, RK2, RK3, SSPRK3, RK4, 3/8 rule),
each given by its Butcher tableau.

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

__all__ = ["METHODS", "EXP_METHODS", "TABLEAUX", "EMBEDDED", "check_method", "ode_step",
           "adaptive_step", "phi1"]

# Butcher tableaux (A rows, B weights); C is derived as the row sums of A. 'rk2' is BrainPy's
# generic second-order method with beta = 2/3 (Ralston's).
TABLEAUX: dict[str, tuple[tuple[tuple[float, ...], ...], tuple[float, ...]]] = {
    "euler": ((), (1.,)),
    "midpoint": (((0.5,),), (0., 1.)),
    "heun2": (((1.,),), (0.5, 0.5)),
    "ralston2": (((2 / 3,),), (0.25, 0.75)),
    "rk2": (((2 / 3,),), (0.25, 0.75)),
    "rk3": (((0.5,), (-1., 2.)), (1 / 6, 2 / 3, 1 / 6)),
    "heun3": (((1 / 3,), (0., 2 / 3)), (0.25, 0., 0.75)),
    "ralston3": (((0.5,), (0., 0.75)), (2 / 9, 1 / 3, 4 / 9)),
    "ssprk3": (((1.,), (0.25, 0.25)), (1 / 6, 1 / 6, 2 / 3)),
    "rk4": (((0.5,), (0., 0.5), (0., 0., 1.)), (1 / 6, 1 / 3, 1 / 3, 1 / 6)),
    "ralston4": (((.4,), (.29697761, .15875964), (.21810040, -3.05096516, 3.83286476)),
                 (.17476028, -.55148066, 1.20553560, .17118478)),
    "rk4_38rule": (((1 / 3,), (-1 / 3, 1.), (1., -1., 1.)), (1 / 8, 3 / 8, 3 / 8, 1 / 8)),
}
# embedded pairs (A rows, B of the returned solution, B of the error estimate) for adaptive steps
EMBEDDED: dict[str, tuple[tuple[tuple[float, ...], ...], tuple[float, ...], tuple[float, ...]]] = {
    "rkf12": (((1 / 2,), (1 / 256, 255 / 256)), (1 / 512, 255 / 256, 1 / 512), (1 / 256, 255 / 256, 0.)),
    "heun_euler": (((1.,),), (0.5, 0.5), (1., 0.)),
    "bs": (((1 / 2,), (0., 3 / 4), (2 / 9, 1 / 3, 4 / 9)), (2 / 9, 1 / 3, 4 / 9, 0.),
           (7 / 24, 1 / 4, 1 / 3, 1 / 8)),
    "rkf45": (((1 / 4,), (3 / 32, 9 / 32), (1932 / 2197, -7200 / 2197, 7296 / 2197),
               (439 / 216, -8., 3680 / 513, -845 / 4104), (-8 / 27, 2., -3544 / 2565, 1859 / 4104, -11 / 40)),
              (16 / 135, 0., 6656 / 12825, 28561 / 56430, -9 / 50, 2 / 55),
              (25 / 216, 0., 1408 / 2565, 2197 / 4104, -1 / 5, 0.)),
    "ck": (((1 / 5,), (3 / 40, 9 / 40), (3 / 10, -9 / 10, 6 / 5), (-11 / 54, 5 / 2, -70 / 27, 35 / 27),
            (1631 / 55296, 175 / 512, 575 / 13824, 44275 / 110592, 253 / 4096)),
           (37 / 378, 0., 250 / 621, 125 / 594, 0., 512 / 1771),
           (2825 / 27648, 0., 18575 / 48384, 13525 / 55296, 277 / 14336, 1 / 4)),
    "rkdp": (((1 / 5,), (3 / 40, 9 / 40), (44 / 45, -56 / 15, 32 / 9),
              (19372 / 6561, -25360 / 2187, 64448 / 6561, -212 / 729),
              (9017 / 3168, -355 / 33, 46732 / 5247, 49 / 176, -5103 / 18656),
              (35 / 384, 0., 500 / 1113, 125 / 192, -2187 / 6784, 11 / 84)),
             (35 / 384, 0., 500 / 1113, 125 / 192, -2187 / 6784, 11 / 84, 0.),
             (5179 / 57600, 0., 7571 / 16695, 393 / 640, -92097 / 339200, 187 / 2100, 1 / 40)),
}
EXP_METHODS = ("exp_auto", "exp_euler", "exponential_euler", "exp_euler_auto")
METHODS = EXP_METHODS + tuple(TABLEAUX) + tuple(EMBEDDED)


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
        method: ``'exp_auto'``/``'exp_euler'`` or a name of :data:`TABLEAUX` (``'euler'``,
            ``'rk2'`` = Ralston's, ``'midpoint'``, ``'heun2'``, ``'rk3'``, ``'rk4'``, ...) or of
            :data:`EMBEDDED` (the higher-order solution of the pair).
        linear: optional ``linear(*states) -> (df_i/dx_i, ...)`` for exponential Euler, when the
            model knows its linear parts (saves the ``jax.jvp`` per state).

    Returns:
        The new states, a tuple in the same order.
    """
    states = tuple(states)
    if method in EXP_METHODS:
        return _exp_euler(f, states, dt, linear)
    if method not in TABLEAUX and method not in EMBEDDED:
        raise ValueError(describe("ode_step", f"method= one of {METHODS}", repr(method)))
    rows, weights = TABLEAUX[method] if method in TABLEAUX else EMBEDDED[method][:2]
    return _combine(states, _stages(f, states, dt, rows), weights, dt)


def _stages(f: Callable, states: tuple, dt: Any, rows: Sequence[Sequence[float]]) -> list:
    """The derivatives ``k_1, k_2, ...`` of an explicit Runge-Kutta method."""
    ks = [f(*states)]
    for row in rows:
        stage = states
        for a, k in zip(row, ks):
            if a:
                stage = _axpy(stage, k, a * dt)
        ks.append(f(*stage))
    return ks


def _combine(states: tuple, ks: list, weights: Sequence[float], dt: Any) -> tuple:
    out = states
    for b, k in zip(weights, ks):
        if b:
            out = _axpy(out, k, b * dt)
    return out


def adaptive_step(f: Callable, states: Sequence[jax.Array], dt: Any, method: str, tol: float) -> tuple:
    """One step of an embedded pair (``'rkf45'``, ``'rkdp'``, ...): ``(new states, new dt)``.

    The error is ``sum |dt sum_i (b_i - b*_i) k_i|`` over all variables, and the next step is
    ``dt * clip(0.9 (tol / error)^(1/5), 0.2, 5)`` (BrainPy's controller; the step is taken).
    """
    rows, high, low = EMBEDDED[method]
    states = tuple(states)
    ks = _stages(f, states, dt, rows)
    err = 0.
    for i in range(len(states)):
        diff = sum((b1 - b2) * k[i] for b1, b2, k in zip(high, low, ks) if b1 != b2)
        err = err + jnp.sum(jnp.abs(diff * dt))
    factor = jnp.clip(0.9 * (tol / (err + 1e-12)) ** 0.2, 0.2, 5.0)
    return _combine(states, ks, high, dt), dt * factor
