"""Chaotic time series for reservoir and NG-RC tasks: Lorenz-63 and Mackey-Glass.

Both return a dict of 1-D ``float64`` numpy arrays sampled every ``dt`` from ``t = 0`` to
``t = duration`` inclusive (``round(duration / dt) + 1`` samples): ``'ts'`` and the state
variables (``'x'``, ``'y'``, ``'z'`` for Lorenz-63; ``'x'`` for Mackey-Glass). Cast with
``bm.asarray`` (float32) when feeding a model.

    >>> from neurodyn.datasets import lorenz63, mackey_glass
    >>> data = lorenz63(1.0)
    >>> sorted(data), data['x'].shape, float(data['ts'][-1])
    (['ts', 'x', 'y', 'z'], (41,), 1.0)
    >>> [round(v, 6) for v in mackey_glass(10.0, dt=1.0)['x'][:2].tolist()]
    [1.2, 1.117562]
"""
from __future__ import annotations

import numbers
from typing import Sequence

import numpy as np

from neurodyn.check import is_integer, is_positive
from neurodyn.errors import describe

__all__ = ["lorenz63", "mackey_glass"]

LORENZ63_X0 = (17.67715816276679, 12.931379185960404, 43.91404334248268)


def _num_samples(duration: float, dt: float, owner: str) -> int:
    is_positive(duration, "duration", owner)
    is_positive(dt, "dt", owner)
    steps = round(duration / dt)
    if steps < 1 or abs(steps * dt - duration) > 1e-9 * max(1.0, abs(duration)):
        raise ValueError(describe(owner, "duration to be a positive multiple of dt",
                                  f"duration={duration!r}, dt={dt!r}", "pick duration = k * dt"))
    return steps


def lorenz63(duration: float, dt: float = 0.025, x0: Sequence[float] = LORENZ63_X0, sigma: float = 10.0,
             rho: float = 28.0, beta: float = 8.0 / 3.0, method: str = "RK23") -> dict[str, np.ndarray]:
    """Integrate the Lorenz-63 system with ``scipy.integrate.solve_ivp`` sampled every ``dt``.

    ``dx/dt = sigma (y - x)``, ``dy/dt = x (rho - z) - y``, ``dz/dt = x y - beta z``.
    The defaults (initial state, ``dt = 0.025``, ``RK23`` with scipy's default tolerances,
    samples via ``t_eval``) are the setting of Gauthier et al., "Next generation reservoir
    computing", Nat. Commun. 12, 5564 (2021).

    Args:
        duration: total time (a multiple of ``dt``).
        dt: sampling interval.
        x0: initial ``(x, y, z)``.
        sigma, rho, beta: system parameters.
        method: a ``solve_ivp`` method name.

    Returns:
        ``{'ts', 'x', 'y', 'z'}``, each of shape ``(round(duration / dt) + 1,)``.

    >>> out = lorenz63(0.05)
    >>> out['ts'].tolist(), round(float(out['x'][0]), 4)
    ([0.0, 0.025, 0.05], 17.6772)
    """
    owner = "lorenz63"
    steps = _num_samples(duration, dt, owner)
    x0 = np.asarray(x0, dtype=np.float64)
    if x0.shape != (3,) or not np.isfinite(x0).all():
        raise ValueError(describe(owner, "x0 of 3 finite numbers (x, y, z)", f"{x0.tolist()!r}"))
    for name, v in (("sigma", sigma), ("rho", rho), ("beta", beta)):
        if isinstance(v, bool) or not isinstance(v, numbers.Real):
            raise TypeError(describe(owner, f"{name} to be a real number", f"{type(v).__name__} {v!r}"))

    def rhs(t: float, s: np.ndarray) -> list[float]:
        x, y, z = s
        return [sigma * (y - x), x * (rho - z) - y, x * y - beta * z]

    t_end = steps * dt
    ts = np.linspace(0.0, t_end, steps + 1)
    from scipy.integrate import solve_ivp      # scipy is imported when first needed
    sol = solve_ivp(rhs, (0.0, t_end), x0, t_eval=ts, method=method)
    if not sol.success:
        raise RuntimeError(f"lorenz63: solve_ivp failed: {sol.message}")
    return {"ts": ts, "x": sol.y[0], "y": sol.y[1], "z": sol.y[2]}


def mackey_glass(duration: float, dt: float, tau: float = 17.0, beta: float = 0.2, gamma: float = 0.1,
                 n: float = 10.0, x0: float = 1.2, substeps: int = 10) -> dict[str, np.ndarray]:
    """Integrate the Mackey-Glass delay equation with fixed-step RK4 and a history buffer.

    ``dx/dt = beta x(t - tau) / (1 + x(t - tau)^n) - gamma x(t)``, with the constant history
    ``x(t) = x0`` for ``t <= 0``. The internal step is ``h = dt / substeps`` and must divide
    ``tau``; delayed values at RK4 half steps are the mean of the two neighbouring grid values.

    Args:
        duration: total time (a multiple of ``dt``).
        dt: sampling interval.
        tau, beta, gamma, n: equation parameters (``tau = 17`` is the classic chaotic regime).
        x0: initial value and constant history.
        substeps: RK4 steps per sample.

    Returns:
        ``{'ts', 'x'}``, each of shape ``(round(duration / dt) + 1,)``.

    >>> out = mackey_glass(3.0, dt=1.0, tau=1.0, x0=1.0)  # x = 1 is a fixed point
    >>> [round(v, 6) for v in out['x'].tolist()]
    [1.0, 1.0, 1.0, 1.0]
    """
    owner = "mackey_glass"
    samples = _num_samples(duration, dt, owner)
    substeps = is_integer(substeps, "substeps", owner, min_value=1)
    for name, v in (("tau", tau), ("beta", beta), ("gamma", gamma), ("n", n), ("x0", x0)):
        if isinstance(v, bool) or not isinstance(v, numbers.Real) or not np.isfinite(v):
            raise TypeError(describe(owner, f"{name} to be a finite real number", f"{type(v).__name__} {v!r}"))
    is_positive(tau, "tau", owner)
    h = dt / substeps
    delay = round(tau / h)
    if delay < 1 or abs(delay * h - tau) > 1e-9 * max(1.0, tau):
        raise ValueError(describe(owner, "the step dt / substeps to divide tau",
                                  f"tau={tau!r}, dt={dt!r}, substeps={substeps}",
                                  "choose dt and substeps so that tau * substeps / dt is an integer"))
    beta, gamma, n, x0 = float(beta), float(gamma), float(n), float(x0)

    def f(x: float, xd: float) -> float:
        return beta * xd / (1.0 + xd ** n) - gamma * x

    # buf[i] holds x at time (i - delay) * h; the first delay + 1 entries are the history
    buf = [x0] * (delay + 1)
    half = 0.5 * h
    for k in range(samples * substeps):
        x, xd0, xd1 = buf[k + delay], buf[k], buf[k + 1]
        xdm = 0.5 * (xd0 + xd1)
        k1 = f(x, xd0)
        k2 = f(x + half * k1, xdm)
        k3 = f(x + half * k2, xdm)
        k4 = f(x + h * k3, xd1)
        buf.append(x + h / 6.0 * (k1 + 2.0 * k2 + 2.0 * k3 + k4))
    xs = np.asarray(buf[delay::substeps], dtype=np.float64)
    return {"ts": np.arange(samples + 1, dtype=np.float64) * dt, "x": xs}
