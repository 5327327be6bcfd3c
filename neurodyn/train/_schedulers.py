"""Learning-rate schedulers (``bp.optim``), BrainPy's names, arguments and counters.

A scheduler is a callable: ``sched(i)`` is the learning rate at index ``i``, and ``sched()``
the current one. The index counts optimizer updates for the call-based schedulers
(``ExponentialDecayLR``, ``InverseTimeDecayLR``, ``PolynomialDecayLR``, ``PiecewiseConstantLR``)
and epochs for the epoch-based ones (``StepLR``, ``MultiStepLR``, ``CosineAnnealingLR``,
``ExponentialLR``), as BrainPy documents them: ``bp.BPTT`` advances epochs itself; in a
hand-written loop call ``opt.lr.step_epoch()`` at the end of each epoch. ``last_epoch`` and
``last_call`` are the counters (``bm.Variable``s, -1 before the first step).

    >>> from neurodyn.train import optim
    >>> float(optim.StepLR(1.0, step_size=10, gamma=0.5)(25))
    0.25
    >>> sched = optim.MultiStepLR(1.0, milestones=[1], gamma=0.1)
    >>> float(sched()), sched.step_epoch(), round(float(sched()), 6)
    (1.0, None, 0.1)
"""
from __future__ import annotations

from typing import Any, Callable, Sequence

import jax
import jax.numpy as jnp

import neurodyn.math as bm
from neurodyn.check import is_integer, is_non_negative, is_positive
from neurodyn.errors import describe

__all__ = [
    "Scheduler", "Constant", "ExponentialDecayLR", "ExponentialDecay", "InverseTimeDecayLR",
    "InverseTimeDecay", "PolynomialDecayLR", "PolynomialDecay", "PiecewiseConstantLR",
    "PiecewiseConstant", "StepLR", "MultiStepLR", "CosineAnnealingLR", "CosineAnnealing",
    "ExponentialLR",
]


def _increasing_ints(seq: Any, name: str, who: str) -> tuple:
    items = tuple(is_integer(v, name, who, min_value=0) for v in seq)
    if any(b <= a for a, b in zip(items, items[1:])):
        raise ValueError(describe(who, f"{name} strictly increasing", repr(list(items))))
    return items


class Scheduler:
    """Base class: define ``value(i)``, the learning rate at index ``i`` (may be traced)."""

    per_epoch = False      # whether the index counts epochs (True) or optimizer updates

    def __init__(self, lr: float, last_epoch: int = -1, last_call: int = -1):
        self.lr = lr
        self.last_epoch = bm.Variable(jnp.asarray(is_integer(last_epoch, "last_epoch", type(self).__name__,
                                                             min_value=-1)))
        self.last_call = bm.Variable(jnp.asarray(is_integer(last_call, "last_call", type(self).__name__,
                                                            min_value=-1)))

    def value(self, i: Any) -> Any:
        raise TypeError(describe(type(self).__name__, "a value(i) method giving the rate at index i",
                                 "none", "subclass bp.optim.Scheduler and define value(self, i)"))

    def __call__(self, i: Any = None) -> jax.Array:
        if i is None:
            i = (self.last_epoch if self.per_epoch else self.last_call).value + 1
        return jnp.asarray(self.value(bm.as_jax(i)), dtype=bm.get_float())

    def step_epoch(self) -> None:
        self.last_epoch.value = self.last_epoch.value + 1

    def step_call(self) -> None:
        self.last_call.value = self.last_call.value + 1

    def set_value(self, lr: float) -> None:
        self.lr = lr

    def schedule(self, steps_per_epoch: int | None) -> Callable[[Any], jax.Array]:
        """The optax schedule of the update count. Epoch-based schedulers turn the count into an
        epoch with ``steps_per_epoch`` (a trainer knows it), or, when None, follow ``last_epoch``."""
        if not self.per_epoch:
            return self
        if steps_per_epoch is None:
            return lambda count: self()
        return lambda count: self(count // steps_per_epoch)

    def __repr__(self) -> str:
        return f"{type(self).__name__}(lr={self.lr})"


class Constant(Scheduler):
    """``lr`` at every step (``opt.lr.lr = x`` or ``opt.lr.set_value(x)`` changes it)."""

    def __init__(self, lr: float, last_epoch: int = -1, last_call: int = -1):
        super().__init__(is_positive(lr, "lr", "Constant"), last_epoch, last_call)

    def value(self, i):
        return self.lr + 0. * i


class ExponentialDecayLR(Scheduler):
    """``lr * decay_rate ** (i / decay_steps)`` over optimizer updates (floored when ``staircase``)."""

    def __init__(self, lr: float, decay_steps: int, decay_rate: float, last_epoch: int = -1,
                 last_call: int = -1, staircase: bool = False):
        who = type(self).__name__
        super().__init__(is_positive(lr, "lr", who), last_epoch, last_call)
        self.decay_steps = is_integer(decay_steps, "decay_steps", who, min_value=1)
        self.decay_rate = is_positive(decay_rate, "decay_rate", who)
        self.staircase = staircase

    def value(self, i):
        p = i / self.decay_steps
        return self.lr * self.decay_rate ** (jnp.floor(p) if self.staircase else p)


class InverseTimeDecayLR(Scheduler):
    """``lr / (1 + decay_rate * i / decay_steps)`` over updates (the ratio floored when ``staircase``)."""

    def __init__(self, lr: float, decay_steps: int, decay_rate: float, staircase: bool = False,
                 last_epoch: int = -1, last_call: int = -1):
        who = type(self).__name__
        super().__init__(is_positive(lr, "lr", who), last_epoch, last_call)
        self.decay_steps = is_integer(decay_steps, "decay_steps", who, min_value=1)
        self.decay_rate = is_non_negative(decay_rate, "decay_rate", who)
        self.staircase = staircase

    def value(self, i):
        p = i / self.decay_steps
        return self.lr / (1.0 + self.decay_rate * (jnp.floor(p) if self.staircase else p))


class PolynomialDecayLR(Scheduler):
    """``(lr - final_lr) * (1 - min(i, decay_steps) / decay_steps) ** power + final_lr`` over updates."""

    def __init__(self, lr: float, decay_steps: int, final_lr: float, power: float = 1.0,
                 last_epoch: int = -1, last_call: int = -1):
        who = type(self).__name__
        super().__init__(is_positive(lr, "lr", who), last_epoch, last_call)
        self.decay_steps = is_integer(decay_steps, "decay_steps", who, min_value=1)
        self.final_lr = is_non_negative(final_lr, "final_lr", who)
        self.power = is_positive(power, "power", who)

    def value(self, i):
        frac = 1. - jnp.minimum(i, self.decay_steps) / self.decay_steps
        return (self.lr - self.final_lr) * frac ** self.power + self.final_lr


class PiecewiseConstantLR(Scheduler):
    """``values[k]`` where ``k`` is the number of ``boundaries`` strictly below the update index."""

    def __init__(self, boundaries: Sequence[int], values: Sequence[float], last_epoch: int = -1,
                 last_call: int = -1):
        who = type(self).__name__
        self.boundaries = _increasing_ints(boundaries, "boundaries", who)
        self.values = tuple(is_non_negative(v, "values", who) for v in values)
        if len(self.values) != len(self.boundaries) + 1:
            raise ValueError(describe(who, "len(values) == len(boundaries) + 1 = "
                                      f"{len(self.boundaries) + 1}", f"{len(self.values)} values"))
        super().__init__(self.values[0], last_epoch, last_call)

    def value(self, i):
        k = jnp.sum(jnp.asarray(i)[..., None] > jnp.asarray(self.boundaries, jnp.int32), axis=-1)
        return jnp.asarray(self.values)[k]


class StepLR(Scheduler):
    """``lr * gamma ** floor(epoch / step_size)``."""

    per_epoch = True

    def __init__(self, lr: float, step_size: int, gamma: float = 0.1, last_epoch: int = -1):
        who = type(self).__name__
        super().__init__(is_positive(lr, "lr", who), last_epoch)
        self.step_size = is_integer(step_size, "step_size", who, min_value=1)
        self.gamma = is_positive(gamma, "gamma", who)

    def value(self, i):
        return self.lr * self.gamma ** jnp.floor(i / self.step_size)


class MultiStepLR(Scheduler):
    """``lr * gamma ** (number of milestones <= epoch)``."""

    per_epoch = True

    def __init__(self, lr: float, milestones: Sequence[int], gamma: float = 0.1, last_epoch: int = -1):
        who = type(self).__name__
        super().__init__(is_positive(lr, "lr", who), last_epoch)
        self.gamma = is_positive(gamma, "gamma", who)
        self.milestones = _increasing_ints(milestones, "milestones", who)

    def value(self, i):
        n = jnp.sum(jnp.asarray(i)[..., None] >= jnp.asarray(self.milestones, jnp.int32), axis=-1)
        return self.lr * self.gamma ** n


class CosineAnnealingLR(Scheduler):
    """``eta_min + (lr - eta_min) * (1 + cos(pi * epoch / T_max)) / 2`` (periodic, as BrainPy's)."""

    per_epoch = True

    def __init__(self, lr: float, T_max: int, eta_min: float = 0., last_epoch: int = -1):
        who = type(self).__name__
        super().__init__(is_positive(lr, "lr", who), last_epoch)
        self.T_max = is_integer(T_max, "T_max", who, min_value=1)
        self.eta_min = is_non_negative(eta_min, "eta_min", who)

    def value(self, i):
        return self.eta_min + (self.lr - self.eta_min) * (1. + jnp.cos(jnp.pi * i / self.T_max)) / 2.


class ExponentialLR(Scheduler):
    """``lr * gamma ** epoch``."""

    per_epoch = True

    def __init__(self, lr: float, gamma: float, last_epoch: int = -1):
        super().__init__(is_positive(lr, "lr", "ExponentialLR"), last_epoch)
        self.gamma = is_positive(gamma, "gamma", "ExponentialLR")

    def value(self, i):
        return self.lr * self.gamma ** i


ExponentialDecay = ExponentialDecayLR      # BrainPy's older names
InverseTimeDecay = InverseTimeDecayLR
PolynomialDecay = PolynomialDecayLR
PiecewiseConstant = PiecewiseConstantLR
CosineAnnealing = CosineAnnealingLR
