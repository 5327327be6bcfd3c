"""Spike encoders: Poisson (rate) coding and latency (time-to-first-spike) coding.

Both map values to ``float32`` spike trains with JAX. Inputs are expected in [0, 1]; give
``min_val``/``max_val`` to rescale them first, ``(x - min_val) / (max_val - min_val)``.

    >>> import jax.numpy as jnp
    >>> from neurodyn.datasets import PoissonEncoder, LatencyEncoder
    >>> PoissonEncoder()(jnp.array([0., 1.]), num_steps=3, seed=0).tolist()
    [[0.0, 1.0], [0.0, 1.0], [0.0, 1.0]]
    >>> LatencyEncoder(normalize=True, linear=True)(jnp.array([1., 0.5]), num_steps=3).tolist()
    [[1.0, 0.0], [0.0, 1.0], [0.0, 0.0]]
"""
from __future__ import annotations

import numbers
from typing import Any

import jax
import jax.numpy as jnp

import neurodyn.math as bm
from neurodyn.check import is_integer, is_non_negative, is_positive
from neurodyn.errors import describe
from neurodyn.math import random as bmr

__all__ = ["PoissonEncoder", "LatencyEncoder", "DiffEncoder", "WeightedPhaseEncoder"]


def _check_range(min_val: Any, max_val: Any, owner: str) -> tuple[float | None, float | None]:
    if (min_val is None) != (max_val is None):
        raise ValueError(describe(owner, "min_val and max_val both given or both None",
                                  f"min_val={min_val!r}, max_val={max_val!r}"))
    if min_val is None:
        return None, None
    for name, v in (("min_val", min_val), ("max_val", max_val)):
        if isinstance(v, bool) or not isinstance(v, numbers.Real):
            raise TypeError(describe(owner, f"{name} to be a real number", f"{type(v).__name__} {v!r}"))
    if not max_val > min_val:
        raise ValueError(describe(owner, "max_val > min_val", f"min_val={min_val!r}, max_val={max_val!r}"))
    return float(min_val), float(max_val)


def _resolve_key(key: Any, seed: Any, owner: str) -> jax.Array:
    if key is not None and seed is not None:
        raise ValueError(describe(owner, "either key= or seed=, not both", f"key={key!r}, seed={seed!r}"))
    if key is not None:
        return key
    if seed is None:
        seed = bmr.make_seed()
    return jax.random.PRNGKey(is_integer(seed, "seed", owner, min_value=0))


def _check_steps(num_steps: Any, owner: str) -> int:
    return is_integer(num_steps, "num_steps", owner, min_value=1)


class _Encoder:
    def __init__(self, min_val: float | None, max_val: float | None) -> None:
        self.min_val, self.max_val = _check_range(min_val, max_val, type(self).__name__)

    def _normalise(self, x: Any) -> jax.Array:
        x = jnp.asarray(x, dtype=bm.get_float())
        if self.min_val is not None:
            x = (x - self.min_val) / (self.max_val - self.min_val)
        return jnp.clip(x, 0.0, 1.0)


class PoissonEncoder(_Encoder):
    """Rate coding: at each step an input spikes with probability equal to its value.

    Values are rescaled by ``min_val``/``max_val`` when given and then clipped to [0, 1].

    Args:
        min_val, max_val: optional input range mapped to [0, 1].

    Call:
        ``enc(x, num_steps=None, *, key=None, seed=None)`` returns ``float32`` spikes of shape
        ``x.shape`` (one step), or ``(num_steps, *x.shape)``. Randomness comes from ``key``
        (a JAX PRNG key; use this under ``jit``), else ``seed`` (an int), else a seed drawn
        from neurodyn's global generator (``bm.random.seed`` makes it reproducible).

    >>> import jax.numpy as jnp
    >>> enc = PoissonEncoder(min_val=0., max_val=255.)
    >>> enc(jnp.full((4,), 255.), seed=1).tolist()
    [1.0, 1.0, 1.0, 1.0]
    """

    def __init__(self, min_val: float | None = None, max_val: float | None = None, gain: float = 1.0,
                 offset: float = 0.0, first_spk_time: float = 0.) -> None:
        super().__init__(min_val, max_val)
        self.gain, self.offset = float(gain), float(offset)
        self.first_spk_time = float(is_non_negative(first_spk_time, "first_spk_time", "PoissonEncoder"))

    def _prob(self, x: Any) -> jax.Array:
        x = jnp.asarray(x, dtype=bm.get_float())
        if self.min_val is not None:
            x = (x - self.min_val) / (self.max_val - self.min_val)
        return jnp.clip(x * self.gain + self.offset, 0.0, 1.0)

    def __call__(self, x: Any, num_steps: int | None = None, *, key: Any = None, seed: int | None = None) -> jax.Array:
        key = _resolve_key(key, seed, "PoissonEncoder")
        prob = self._prob(x)
        shape = prob.shape if num_steps is None else (_check_steps(num_steps, "PoissonEncoder"), *prob.shape)
        return (jax.random.uniform(key, shape, dtype=bm.get_float()) < prob).astype(bm.get_float())

    def single_step(self, x: Any, i_step: Any = None) -> jax.Array:
        """BrainPy's form: one step of spikes drawn from ``bm.random`` (works inside ``bm.jit`` /
        ``bm.for_loop``); none before ``first_spk_time`` when the step ``i_step`` is given."""
        prob = self._prob(x)
        spikes = (bmr.random(prob.shape) < prob).astype(bm.get_float())
        if i_step is None:
            return spikes
        return jnp.where(jnp.asarray(i_step) < int(self.first_spk_time / bm.get_dt()), 0., spikes)

    def multi_steps(self, x: Any, n_time: float | None) -> jax.Array:
        """BrainPy's form: spikes for ``n_time`` ms (``int(n_time / dt)`` steps; the first
        ``first_spk_time`` ms silent), shape ``(steps, *x.shape)``; ``None``: one step."""
        if n_time is None:
            return self.single_step(x)
        prob = self._prob(x)
        n, first = int(n_time / bm.get_dt()), int(self.first_spk_time / bm.get_dt())
        spikes = (bmr.random((n - first,) + prob.shape) < prob).astype(bm.get_float())
        return jnp.concatenate([jnp.zeros((first,) + prob.shape, spikes.dtype), spikes])


class LatencyEncoder(_Encoder):
    """Latency coding: one spike per input, earlier for larger values (time-to-first-spike).

    The spike time (in steps) of a value ``x`` in [0, 1] is, as in snnTorch's latency code:

    * ``linear=False`` (an RC neuron charging to ``threshold``):
      ``t = tau * log(x / (x - threshold))`` with ``x`` raised to at least
      ``threshold + epsilon``; with ``normalize=True`` times are rescaled so that the slowest
      value (``threshold + epsilon``) lands on the last step.
    * ``linear=True``: ``t = tau * (1 - x)``; with ``normalize=True``,
      ``tau = num_steps - 1 - first_spike_time``.

    ``first_spike_time`` is added, the time is rounded to the nearest step, and a spike whose
    step falls outside ``[0, num_steps)`` is dropped. Values below ``threshold`` spike at their
    (late) saturating time, or never when ``clip=True``.

    Args:
        tau: time constant in steps (> 0).
        threshold: firing threshold in (0, 1).
        normalize: stretch times to fill the window ``num_steps``.
        linear: linear instead of logarithmic times.
        clip: drop the spikes of values below ``threshold``.
        first_spike_time: earliest step (>= 0).
        epsilon: guard against division by zero in the log code.
        min_val, max_val: optional input range mapped to [0, 1].

    >>> import jax.numpy as jnp
    >>> enc = LatencyEncoder(normalize=True, linear=True)
    >>> [round(t, 2) for t in enc.spike_times(jnp.array([0.02, 0.5, 1.]), num_steps=5).tolist()]
    [3.92, 2.0, 0.0]
    """

    def __init__(self, tau: float = 1.0, threshold: float = 0.01, normalize: bool = False, linear: bool = False,
                 clip: bool = False, first_spike_time: int = 0, epsilon: float = 1e-7,
                 min_val: float | None = None, max_val: float | None = None) -> None:
        super().__init__(min_val, max_val)
        owner = "LatencyEncoder"
        self.tau = float(is_positive(tau, "tau", owner))
        self.threshold = float(is_positive(threshold, "threshold", owner))
        if self.threshold >= 1:
            raise ValueError(describe(owner, "threshold in (0, 1)", repr(threshold)))
        self.epsilon = float(is_positive(epsilon, "epsilon", owner))
        self.first_spike_time = float(is_non_negative(first_spike_time, "first_spike_time", owner))
        for name, flag in (("normalize", normalize), ("linear", linear), ("clip", clip)):
            if not isinstance(flag, bool):
                raise TypeError(describe(owner, f"{name} to be a bool", f"{type(flag).__name__} {flag!r}"))
        self.normalize, self.linear, self.clip = normalize, linear, clip

    def spike_times(self, x: Any, num_steps: int) -> jax.Array:
        """The un-rounded spike time (in steps) of every input, shape ``x.shape``."""
        num_steps = _check_steps(num_steps, "LatencyEncoder")
        x = self._normalise(x)
        span = num_steps - 1 - self.first_spike_time
        if self.normalize and span < 0:
            raise ValueError(describe("LatencyEncoder", "num_steps > first_spike_time",
                                      f"num_steps={num_steps}, first_spike_time={self.first_spike_time}"))
        if self.linear:
            tau = span if self.normalize else self.tau
            t = tau * (1.0 - x)
        else:
            floor = bm.get_float()(self.threshold + self.epsilon)
            xc = jnp.maximum(x, floor)
            t = self.tau * jnp.log(xc / (xc - self.threshold))
            if self.normalize:  # the same float32 ops at the floor, so the slowest lands exactly on span
                t_max = self.tau * jnp.log(floor / (floor - self.threshold))
                t = t * (span / t_max)
        return t + self.first_spike_time

    def __call__(self, x: Any, num_steps: int) -> jax.Array:
        """Spike trains of shape ``(num_steps, *x.shape)``, ``float32``, at most one spike per input."""
        t = self.spike_times(x, num_steps)
        step = jnp.round(t).astype(jnp.int32)
        fires = step < num_steps
        if self.clip:
            fires = fires & (self._normalise(x) >= self.threshold)
        steps = jnp.arange(num_steps, dtype=jnp.int32).reshape((num_steps,) + (1,) * t.ndim)
        return ((steps == step) & fires).astype(bm.get_float())

    def multi_steps(self, data: Any, n_time: float | None = None) -> jax.Array:
        """BrainPy's form: ``n_time`` in ms (``int(n_time / dt)`` steps, default ``tau``)."""
        n_time = self.tau * bm.get_dt() if n_time is None else n_time
        return self(data, int(n_time / bm.get_dt()))


class DiffEncoder:
    """Delta coding: a spike where the input rises by at least ``threshold`` between two steps
    (``off_spike``: -1 where it falls by as much). ``padding=True`` compares the first step
    with itself (no spike), otherwise with zero.

    >>> import jax.numpy as jnp
    >>> DiffEncoder(threshold=1, off_spike=True).multi_steps(jnp.array([1., 2., 0., 2., 2.9])).tolist()
    [1.0, 1.0, -1.0, 1.0, 0.0]
    """

    def __init__(self, threshold: float = 0.1, padding: bool = False, off_spike: bool = False):
        self.threshold, self.padding, self.off_spike = threshold, bool(padding), bool(off_spike)

    def multi_steps(self, x: Any) -> jax.Array:
        """``x`` of shape ``(num_steps, ...)`` -> spikes of the same shape."""
        x = jnp.asarray(x, dtype=bm.get_float())
        first = x[:1] if self.padding else jnp.zeros_like(x[:1])
        diff = jnp.diff(x, axis=0, prepend=first)
        on = (diff >= self.threshold).astype(x.dtype)
        return on - (diff <= -self.threshold).astype(x.dtype) if self.off_spike else on

    __call__ = multi_steps


class WeightedPhaseEncoder:
    """Weighted-phase coding (Kim et al. 2018): phase ``i`` of each period of ``num_phase`` steps
    carries weight ``weight_fun(i)`` (default ``2 ** -(i % num_phase + 1)``); an input, scaled
    from ``[min_val, max_val]`` to ``[0, 1 - 2 ** -num_phase]``, spikes at the phases whose
    weights add up to it (its binary expansion), the remainder carried over.

    >>> import jax.numpy as jnp
    >>> WeightedPhaseEncoder(0., 1., num_phase=3)(jnp.array([1., 4 / 7]), 3).T.tolist()
    [[1.0, 1.0, 1.0], [1.0, 0.0, 0.0]]
    """

    def __init__(self, min_val: float, max_val: float, num_phase: int, weight_fun: Any = None):
        self.min_val, self.max_val = float(min_val), float(max_val)
        self.num_phase = is_integer(num_phase, "num_phase", "WeightedPhaseEncoder", min_value=1)
        self.weight_fun = (lambda i: 2.0 ** (-(i % num_phase + 1))) if weight_fun is None else weight_fun
        self.scale = (1 - self.weight_fun(self.num_phase - 1)) / (self.max_val - self.min_val)

    def __call__(self, x: Any, num_step: int) -> jax.Array:
        x = (jnp.asarray(x, dtype=bm.get_float()) - self.min_val) * self.scale

        def step(rest, i):
            w = self.weight_fun(i)
            spike = rest >= w
            return rest - w * spike, spike.astype(rest.dtype)

        return jax.lax.scan(step, x, jnp.arange(num_step))[1]
