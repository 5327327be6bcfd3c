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
import numpy as np

import neurodyn.math as bm
from neurodyn.check import real_input
from neurodyn.core import share
from neurodyn.errors import ShapeError, describe
from neurodyn.neurons._base import NeuGroup, current_time

__all__ = ["InputGroup", "PoissonGroup", "SpikeTimeGroup", "SpikeTimeGroupTimesFirst", "InputVar"]


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


class SpikeTimeGroup(InputGroup):
    """Spikes at given times: neuron ``indices[k]`` fires at the first step with ``t >= times[k]``
    (BrainPy's ``SpikeTimeGroup``).

        >>> import neurodyn as bp, neurodyn.math as bm
        >>> g = bp.dyn.SpikeTimeGroup(2, indices=[0, 1, 0], times=[0.2, 0.2, 0.5])
        >>> spikes = bm.for_loop(lambda i: g.step_run(i), bm.arange(7))
        >>> [tuple(map(int, s)) for s in bm.as_numpy(spikes)]
        [(0, 0), (0, 0), (1, 1), (0, 0), (0, 0), (1, 0), (0, 0)]
    """

    def __init__(self, size: int | Sequence[int], indices: Any, times: Any, spk_type: Any = None,
                 name: str | None = None, sharding: Any = None, keep_size: bool = False,
                 mode: bm.Mode | None = None, need_sort: bool = True):
        super().__init__(size, keep_size=keep_size, name=name, mode=mode)
        indices = np.asarray(bm.as_numpy(indices), dtype=np.int64).reshape(-1)
        times = np.asarray(bm.as_numpy(times), dtype=np.float64).reshape(-1)
        if indices.shape != times.shape:
            raise ValueError(describe(self.describe(), "indices and times of the same length",
                                      f"{indices.size} indices and {times.size} times"))
        if indices.size and not (0 <= indices.min() and indices.max() < self.num):
            raise ValueError(describe(self.describe(), f"indices in 0..{self.num - 1}", f"{indices.min()}..{indices.max()}"))
        self.indices, self.times = jnp.asarray(indices), jnp.asarray(times, bm.get_float())
        self.num_times = int(indices.size)
        self._steps = jnp.asarray(np.ceil(times / bm.get_dt() - 1e-6), jnp.int32)   # the firing step of each

    def update(self, x: Any = None) -> jax.Array:
        step = jnp.round(current_time() / share.load("dt")).astype(jnp.int32)
        fired = jnp.zeros(self.num, bool).at[self.indices].max(self._steps == step)
        fired = jnp.broadcast_to(fired.reshape(self.varshape), self.spike.shape)
        self.spike.value = fired.astype(self._dtype)
        return self.spike.value


class InputVar(NeuGroup):
    """An input of a group's shape, given by a runner or a program and summed into the group that
    registers it (``post.add_inp_fun('drive', input_var)``); cleared after each runner step.

        >>> import neurodyn as bp
        >>> lif, drive = bp.dyn.Lif(2), bp.dyn.InputVar(2)
        >>> lif.add_inp_fun('drive', drive)
        >>> drive.input.value = drive.input.value + 3.
        >>> lif.sum_current_inputs(lif.V.value).tolist()
        [3.0, 3.0]
    """

    def __init__(self, size: int | Sequence[int], keep_size: bool = False, sharding: Any = None,
                 name: str | None = None, mode: bm.Mode | None = None, method: str = "exp_auto"):
        super().__init__(size, keep_size=keep_size, name=name, mode=mode)
        self.reset_state(self.mode.batch_size)

    def reset_state(self, batch_size: int | None = None) -> None:
        self._state("input", self._zeros(), batch_size)

    def update(self, *args: Any, **kwargs: Any) -> jax.Array:
        return self.input.value

    def return_info(self) -> bm.Variable:
        return self.input

    def clear_input(self, *args: Any, **kwargs: Any) -> None:
        self.input.value = jnp.zeros_like(self.input.value)


class SpikeTimeGroupTimesFirst(SpikeTimeGroup):
    """``bp.neurons.SpikeTimeGroup``: BrainPy's older API takes ``(size, times, indices)``; the
    same group as :class:`SpikeTimeGroup` (``bp.dyn``'s, ``(size, indices, times)``)."""

    def __init__(self, size: int | Sequence[int], times: Any, indices: Any, need_sort: bool = True,
                 keep_size: bool = False, name: str | None = None, mode: bm.Mode | None = None):
        super().__init__(size, indices, times, name=name, keep_size=keep_size, mode=mode, need_sort=need_sort)
