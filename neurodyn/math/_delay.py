"""``bm.LengthDelay``: the one ring buffer behind every transmission delay.

``update(x)`` records ``x`` as the newest entry; ``retrieve(k)`` gives the entry recorded ``k``
updates before the newest (``k = 0``: the newest). The buffer keeps ``delay_len + 1`` entries in
a Variable and writes one slot per step (no shifting of the whole buffer).

    >>> import neurodyn.math as bm
    >>> d = bm.LengthDelay(bm.zeros(2), delay_len=2)
    >>> for v in (1., 2., 3.):
    ...     d.update(bm.ones(2) * v)
    >>> d.retrieve(0).tolist(), d.retrieve(2).tolist()
    ([3.0, 3.0], [1.0, 1.0])
"""
from __future__ import annotations

import math
from typing import Any

import jax
import jax.numpy as jnp

from neurodyn.check import is_integer
from neurodyn.errors import ShapeError, describe
from neurodyn.math._object import BrainPyObject
from neurodyn.math._variable import Variable, unwrap

__all__ = ["LengthDelay", "TimeDelay", "NeuTimeDelay", "NeuLenDelay"]


class LengthDelay(BrainPyObject):
    """A delay line of ``delay_len`` steps for values shaped like ``delay_target``.

    Args:
        delay_target: an array (or Variable) with the shape and dtype of what is delayed; it is
            the newest entry at the start.
        delay_len: the longest delay asked of ``retrieve`` (steps, >= 0).
        initial_delay_data: the older entries at the start: a number, an array of
            ``(delay_len,) + shape`` (oldest first) or a callable of that shape and dtype;
            default 0.
        batch_axis: the batch axis of ``delay_target`` (its Variable's, by default).
    """

    def __init__(self, delay_target: Any, delay_len: int, initial_delay_data: Any = None,
                 name: str | None = None, batch_axis: int | None = None):
        super().__init__(name)
        if batch_axis is None and isinstance(delay_target, Variable):
            batch_axis = delay_target.batch_axis
        self.batch_axis = batch_axis
        self.reset(delay_target, delay_len, initial_delay_data)

    def reset(self, delay_target: Any, delay_len: int | None = None, initial_delay_data: Any = None) -> None:
        """Refill the buffer: ``delay_target`` newest, ``initial_delay_data`` before it."""
        who = self.describe()
        if delay_len is None:
            delay_len = self.num_delay_step - 1
        delay_len = is_integer(delay_len, "delay_len", who, 0)
        target = jnp.asarray(unwrap(delay_target))
        old_shape = (delay_len,) + target.shape
        if initial_delay_data is None:
            old = jnp.zeros(old_shape, target.dtype)
        elif callable(initial_delay_data):
            old = jnp.asarray(initial_delay_data(old_shape, target.dtype))
        else:
            old = jnp.broadcast_to(jnp.asarray(unwrap(initial_delay_data), target.dtype), old_shape)
        if old.shape != old_shape:
            raise ShapeError(describe(who, f"initial_delay_data of shape {old_shape}", f"{old.shape}"))
        # slot i holds the entry recorded (idx - i) mod L updates ago; the newest is at idx = delay_len
        data = jnp.concatenate([old.astype(target.dtype), target[None]], axis=0)
        axis = None if self.batch_axis is None else self.batch_axis + 1
        if isinstance(getattr(self, "data", None), Variable) and self.data.shape == data.shape:
            self.data.value = data
            self.idx.value = jnp.asarray(delay_len, jnp.int32)
        else:
            object.__setattr__(self, "data", Variable(data, batch_axis=axis))
            object.__setattr__(self, "idx", Variable(jnp.asarray(delay_len, jnp.int32)))

    @property
    def num_delay_step(self) -> int:
        """The number of entries kept (``delay_len + 1``)."""
        return int(self.data.shape[0])

    def retrieve(self, delay_len: Any, *indices: Any) -> jax.Array:
        """The entry recorded ``delay_len`` updates before the newest (optionally indexed)."""
        if isinstance(delay_len, int) and not 0 <= delay_len < self.num_delay_step:
            raise ValueError(describe(self.describe(), f"a delay of 0..{self.num_delay_step - 1} steps",
                                      repr(delay_len), "build it with a larger delay_len"))
        slot = (self.idx.value - jnp.asarray(delay_len, jnp.int32)) % self.num_delay_step
        value = self.data.value[jax.lax.stop_gradient(slot)]
        return value[indices] if indices else value

    __call__ = retrieve

    def update(self, value: Any) -> None:
        """Record ``value`` as the newest entry."""
        slot = (self.idx.value + 1) % self.num_delay_step
        value = jnp.asarray(unwrap(value))
        buffer = self.data.value
        self.data.value = buffer.at[slot].set(value.astype(buffer.dtype).reshape(buffer.shape[1:]))
        self.idx.value = slot


class TimeDelay(LengthDelay):
    """A delay read by time (ms): ``delay(t - d)`` interpolates linearly between the recorded steps
    (``interp_method='round'``: the nearest one); ``update(x)`` records ``x`` and advances the
    clock by ``dt``.

        >>> import neurodyn.math as bm
        >>> d = bm.TimeDelay(bm.zeros(1), delay_len=1.0, t0=0., dt=0.5)
        >>> for v in (1., 2.):
        ...     d.update(bm.ones(1) * v)
        >>> d(1.0).tolist(), d(0.75).tolist(), d(0.).tolist()
        ([2.0], [1.5], [0.0])
    """

    def __init__(self, delay_target: Any, delay_len: float, before_t0: Any = None, t0: float = 0.,
                 dt: float | None = None, name: str | None = None, interp_method: str = "linear_interp"):
        from neurodyn.math._environment import get_dt
        self.dt = float(get_dt() if dt is None else dt)
        if interp_method not in ("linear_interp", "round"):
            raise ValueError(describe("TimeDelay", "interp_method 'linear_interp' or 'round'", repr(interp_method)))
        self.interp_method = interp_method
        self.t0 = float(t0)
        self.delay_len = float(delay_len)
        # a function of time is evaluated at the times asked before t0 (BrainPy's behaviour); the
        # buffer then starts with that function's values at the steps before t0
        self._before_fn = before_t0 if callable(before_t0) else None
        steps = int(math.ceil(float(delay_len) / self.dt - 1e-6))
        if self._before_fn is not None:
            target = jnp.asarray(unwrap(delay_target))
            before_t0 = jnp.stack([jnp.broadcast_to(jnp.asarray(self._before_fn(self.t0 - (steps - k) * self.dt)),
                                                    target.shape) for k in range(steps)]) if steps else None
        super().__init__(delay_target, steps, before_t0, name)
        self.current_time = Variable(jnp.asarray(t0, jnp.float32))

    def retrieve_time(self, time: Any, *indices: Any) -> jax.Array:
        """The value at ``time`` (ms), between ``t - delay_len`` and the current time ``t``; with a
        function ``before_t0``, its value at ``time`` when ``time < t0``."""
        if self._before_fn is None:
            return self._recorded(time, *indices)
        time = jnp.asarray(unwrap(time), jnp.float32)
        shape = self.data.shape[1:]
        before = lambda t: jnp.broadcast_to(jnp.asarray(self._before_fn(t), self.data.dtype), shape)  # noqa: E731
        value = jax.lax.cond(time < self.t0, before, lambda t: self._recorded(t), time)
        return value[indices] if indices else value

    def _recorded(self, time: Any, *indices: Any) -> jax.Array:
        back = jnp.clip((self.current_time.value - time) / self.dt, 0, self.num_delay_step - 1)
        if self.interp_method == "round":
            return self.retrieve(jnp.round(back).astype(jnp.int32), *indices)
        lo = jnp.floor(back).astype(jnp.int32)
        frac = back - lo
        hi = jnp.minimum(lo + 1, self.num_delay_step - 1)
        return (1 - frac) * self.retrieve(lo, *indices) + frac * self.retrieve(hi, *indices)

    __call__ = retrieve_time

    def update(self, value: Any) -> None:
        super().update(value)
        self.current_time.value = self.current_time.value + self.dt


NeuTimeDelay = TimeDelay      # BrainPy's names for the delays of derivatives (neutral equations)
NeuLenDelay = LengthDelay
