"""Input currents laid out in time: ``(num_steps,)`` (or ``(num_steps, n)``) arrays for
``DSRunner(inputs=...)`` or a model's ``update``, with BrainPy's names and arguments.

Times are in ms; ``dt`` defaults to ``bm.get_dt()``. A time ``t`` falls on step ``round(t / dt)``
(so ``t_start=100., dt=0.1`` is step 1000 whatever the float round-off), and windows
``[t_start, t_end)`` include their start and exclude their end.

    >>> import neurodyn as bp
    >>> bp.inputs.section_input([0., 1., 2.], [0.3, 0.2, 0.1], dt=0.1).tolist()
    [0.0, 0.0, 0.0, 1.0, 1.0, 2.0]
    >>> I, duration = bp.inputs.constant_input([(0., 0.2), (1., 0.1)], dt=0.1)
    >>> I.tolist(), duration
    ([0.0, 0.0, 1.0], 0.30000000000000004)
"""
from __future__ import annotations

import math
from typing import Any, Sequence

import jax
import jax.numpy as jnp
import numpy as np

import neurodyn.math as bm
from neurodyn.check import is_integer, is_non_negative, is_positive
from neurodyn.errors import ShapeError, describe

__all__ = ["section_input", "constant_input", "spike_input", "ramp_input", "wiener_process",
           "ou_process", "sinusoidal_input", "square_input", "constant_current", "spike_current",
           "ramp_current"]


def _dt(dt: Any) -> float:
    return float(bm.get_dt() if dt is None else is_positive(dt, "dt", "bp.inputs"))


def _steps(t: float, dt: float) -> int:
    """The step on which time ``t`` falls (half-way rounds up)."""
    return int(math.floor(t / dt + 0.5))


def _window(duration: float, t_start: float, t_end: float | None, dt: float, who: str) -> tuple[int, int, int]:
    """``(num_steps, first, stop)`` of the window ``[t_start, t_end)`` inside ``[0, duration)``."""
    is_positive(duration, "duration", who)
    n = _steps(duration, dt)
    t_end = duration if t_end is None else t_end
    if not 0 <= t_start <= t_end <= duration:
        raise ValueError(describe(who, "0 <= t_start <= t_end <= duration",
                                  f"t_start={t_start}, t_end={t_end}, duration={duration}"))
    return n, _steps(t_start, dt), min(_steps(t_end, dt), n)


def _out(x: np.ndarray) -> jax.Array:
    return jnp.asarray(x, dtype=bm.get_float())


def section_input(values: Sequence[Any], durations: Sequence[float], dt: float | None = None,
                  return_length: bool = False) -> Any:
    """``values[i]`` held for ``durations[i]`` ms, one after the other. Values may be arrays
    (broadcast to one shape): the result is then ``(num_steps, *shape)``. ``return_length`` also returns the
    total duration."""
    dt = _dt(dt)
    if len(values) != len(durations):
        raise ValueError(describe("section_input", "one duration per value",
                                  f"{len(values)} values and {len(durations)} durations"))
    vals = [np.asarray(bm.as_numpy(v), dtype=np.float64) for v in values]
    try:
        shape = np.broadcast_shapes(*(v.shape for v in vals))
    except ValueError:
        raise ShapeError(describe("section_input", "values that broadcast to one shape",
                                  f"shapes {[v.shape for v in vals]}")) from None
    vals = [np.broadcast_to(v, shape) for v in vals]
    parts = [np.broadcast_to(v, (_steps(is_non_negative(d, "duration", "section_input"), dt),) + v.shape)
             for v, d in zip(vals, durations)]
    current = _out(np.concatenate(parts) if parts else np.zeros(0))
    return (current, sum(durations)) if return_length else current


def constant_input(I_and_duration: Sequence[tuple[Any, float]], dt: float | None = None) -> tuple[jax.Array, float]:
    """``[(I1, duration1), (I2, duration2), ...]`` -> ``(current, total duration)``."""
    values, durations = zip(*I_and_duration) if I_and_duration else ((), ())
    return section_input(list(values), list(durations), dt, return_length=True)


def spike_input(sp_times: Sequence[float], sp_lens: float | Sequence[float], sp_sizes: float | Sequence[float],
                duration: float, dt: float | None = None) -> jax.Array:
    """Short pulses: at each time of ``sp_times``, ``sp_sizes`` for ``sp_lens`` ms (scalars or one per
    pulse); zero elsewhere over ``duration``."""
    dt = _dt(dt)
    n = _steps(is_positive(duration, "duration", "spike_input"), dt)
    k = len(sp_times)
    lens = np.broadcast_to(np.asarray(sp_lens, dtype=float), (k,))
    sizes = np.broadcast_to(np.asarray(sp_sizes, dtype=float), (k,))
    current = np.zeros(n)
    for t, length, size in zip(sp_times, lens, sizes):
        start = _steps(t, dt)
        current[start:start + max(_steps(length, dt), 1)] = size
    return _out(current)


def ramp_input(c_start: float, c_end: float, duration: float, t_start: float = 0, t_end: float | None = None,
               dt: float | None = None) -> jax.Array:
    """From ``c_start`` at ``t_start`` to ``c_end`` at the last step before ``t_end`` (linearly);
    zero outside the window."""
    dt = _dt(dt)
    n, a, b = _window(duration, t_start, t_end, dt, "ramp_input")
    current = np.zeros(n)
    current[a:b] = np.linspace(c_start, c_end, b - a)
    return _out(current)


def wiener_process(duration: float, dt: float | None = None, n: int = 1, t_start: float = 0.,
                   t_end: float | None = None, seed: int | None = None) -> jax.Array:
    """Wiener increments ``dW ~ N(0, dt)`` inside ``[t_start, t_end)``: ``(num_steps,)`` for ``n=1``,
    else ``(num_steps, n)``. ``seed`` fixes them (else drawn from ``bm.random``'s default seed)."""
    dt = _dt(dt)
    num, a, b = _window(duration, t_start, t_end, dt, "wiener_process")
    is_integer(n, "n", "wiener_process", min_value=1)
    rng = np.random.default_rng(bm.random.make_seed() if seed is None else seed)
    dW = np.zeros((num, n))
    dW[a:b] = rng.standard_normal((b - a, n)) * math.sqrt(dt)
    return _out(dW[:, 0] if n == 1 else dW)


def ou_process(mean: float, sigma: float, tau: float, duration: float, dt: float | None = None, n: int = 1,
               t_start: float = 0., t_end: float | None = None, seed: int | None = None) -> jax.Array:
    """Ornstein-Uhlenbeck noise ``dX = (mean - X) / tau dt + sigma dW`` from ``X = mean``, one
    Euler-Maruyama step per output step, inside ``[t_start, t_end)`` (zero outside)."""
    dt = _dt(dt)
    is_positive(tau, "tau", "ou_process")
    dW = np.asarray(wiener_process(duration, dt, n, t_start, t_end, seed), dtype=np.float64)
    num, a, b = _window(duration, t_start, t_end, dt, "ou_process")
    dW = dW.reshape(num, n)
    x = np.full(n, float(mean))
    out = np.zeros((num, n))
    for i in range(a, b):
        x = x + (mean - x) / tau * dt + sigma * dW[i]
        out[i] = x
    return _out(out[:, 0] if n == 1 else out)


def sinusoidal_input(amplitude: float, frequency: float, duration: float, dt: float | None = None,
                     t_start: float = 0., t_end: float | None = None, bias: bool = False) -> jax.Array:
    """``amplitude * sin(2 pi f (t - t_start))`` (``f`` in Hz, ``t`` in ms) inside the window;
    ``bias=True`` lifts it to ``amplitude * (sin + 1)`` (non-negative)."""
    dt = _dt(dt)
    n, a, b = _window(duration, t_start, t_end, dt, "sinusoidal_input")
    wave = np.sin(2 * np.pi * frequency * np.arange(b - a) * dt / 1000.)
    current = np.zeros(n)
    current[a:b] = amplitude * (wave + 1. if bias else wave)
    return _out(current)


def square_input(amplitude: float, frequency: float, duration: float, dt: float | None = None,
                 bias: bool = False, t_start: float = 0., t_end: float | None = None) -> jax.Array:
    """A square wave of ``frequency`` Hz: ``+amplitude`` for the first half of each period from
    ``t_start``, ``-amplitude`` for the second (``bias=True``: ``2 * amplitude`` and 0)."""
    dt = _dt(dt)
    n, a, b = _window(duration, t_start, t_end, dt, "square_input")
    phase = np.mod(frequency * np.arange(b - a) * dt / 1000., 1.)
    wave = np.where(phase < 0.5, 1., -1.)
    current = np.zeros(n)
    current[a:b] = amplitude * (wave + 1. if bias else wave)
    return _out(current)


constant_current = constant_input      # BrainPy's older names
spike_current = spike_input
ramp_current = ramp_input
