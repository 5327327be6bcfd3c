"""InputGroup: a population whose spikes are given from outside (the source of a network).

    >>> import neurodyn as bp, neurodyn.math as bm
    >>> inp = bp.neurons.InputGroup(3)
    >>> inp(bm.array([1., 0., 1.])).tolist(), inp.spike.dtype
    ([True, False, True], dtype('bool'))
"""
from __future__ import annotations

from typing import Any, Sequence

import jax
import jax.numpy as jnp

import neurodyn.math as bm
from neurodyn.check import real_input
from neurodyn.core import share
from neurodyn.errors import ShapeError, describe
from neurodyn.neurons._base import NeuGroup

__all__ = ["InputGroup", "PoissonGroup"]


class InputGroup(NeuGroup):
    """A neuron group that emits the spikes it is given: ``update(x)`` stores ``x`` as ``spike``.

    ``spike`` is float32 in ``TrainingMode`` (gradients flow through it) and bool otherwise
    (any nonzero ``x`` is a spike).

    Args:
        size: number of neurons (int) or shape (tuple). keep_size, name, mode: see ``NeuGroup``.

    Variables: ``spike``.
    """

    def __init__(self, size: int | Sequence[int], keep_size: bool = False, name: str | None = None,
                 mode: bm.Mode | None = None):
        super().__init__(size, keep_size=keep_size, name=name, mode=mode)
        self.reset_state(self.mode.batch_size)

    @property
    def _dtype(self) -> Any:
        return bm.get_float() if self.training else jnp.bool_

    def reset_state(self, batch_size: int | None = None) -> None:
        self._state("spike", self._zeros(self._dtype), batch_size, self._dtype)

    def update(self, x: Any = None) -> jax.Array:
        """Store ``x`` (of the ``spike`` shape) as this step's spikes and return them; with no
        ``x`` (stepped by a ``Network``) keep the spikes already written to ``spike``."""
        if x is None:
            return self.spike.value
        x = real_input(self.describe(), bm.unwrap(x), "spikes")
        if x.shape != tuple(self.spike.shape):
            raise ShapeError(describe(self.describe(), f"spikes of shape {tuple(self.spike.shape)}",
                                      f"shape {tuple(x.shape)}"))
        self.spike.value = x.astype(self._dtype) if self.training else x != 0
        return self.spike.value


class PoissonGroup(InputGroup):
    """Independent Poisson spike trains: each step a neuron fires with probability
    ``freqs * dt / 1000`` (``freqs`` in Hz, ``dt`` in ms), BrainPy's ``PoissonGroup``.

    ``freqs`` is a scalar, one value per neuron, or a ``bm.Variable`` (read each step, so a
    program may change the rates while it runs). Spikes come from ``bm.random``, or from a
    generator of the group's own when ``seed`` is given.

        >>> import neurodyn as bp, neurodyn.math as bm
        >>> bm.random.seed(0)
        >>> group = bp.dyn.PoissonGroup(10000, freqs=100.)
        >>> rate = float(bm.for_loop(lambda i: group().mean(), bm.arange(100)).mean()) * 1e4
        >>> abs(rate - 100.) < 5.
        True
    """

    def __init__(self, size: int | Sequence[int], freqs: Any, seed: int | None = None, keep_size: bool = False,
                 sharding: Any = None, spk_type: Any = None, name: str | None = None, mode: bm.Mode | None = None):
        super().__init__(size, keep_size=keep_size, name=name, mode=mode)
        self.freqs = freqs if isinstance(freqs, bm.Variable) else self._param(freqs, "freqs", non_negative=True)
        self.rng = None if seed is None else bm.random.RandomState(seed)   # else bm.random's default

    def update(self, x: Any = None) -> jax.Array:
        p = bm.unwrap(self.freqs) * share.load("dt") / 1000.
        fired = (bm.random if self.rng is None else self.rng).rand(*self.spike.shape) <= p
        self.spike.value = fired.astype(self._dtype)
        return self.spike.value
