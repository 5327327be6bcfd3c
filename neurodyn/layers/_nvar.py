"""NVAR: the feature map of next-generation reservoir computing (Gauthier et al. 2021).

    >>> import neurodyn.math as bm
    >>> from neurodyn.layers import NVAR
    >>> nvar = NVAR(3, delay=2, order=2, constant=True)
    >>> nvar.num_out                          # 1 + 3*2 + C(6+1, 2)
    28
    >>> nvar(bm.ones(3)).shape
    (28,)
"""
from __future__ import annotations

import itertools
import math
import numbers
from typing import Any, Sequence

import jax
import jax.numpy as jnp
import numpy as np

import neurodyn.math as bm
from neurodyn.check import input_shape, is_integer
from neurodyn.core import DynamicalSystem
from neurodyn.errors import ModeError, describe
from neurodyn.layers._base import as_array, check_bool

__all__ = ["NVAR"]


class NVAR(DynamicalSystem):
    """Nonlinear vector autoregression: a fixed polynomial feature map of delayed inputs.

    At each step the input ``x_t`` (``num_in`` features) is pushed into a buffer of the last
    ``(delay - 1) * stride + 1`` inputs (zeros before the buffer has filled). The output is::

        [1]                                    if constant
        + linear = [x_t, x_{t-s}, ..., x_{t-(delay-1)s}]      (num_in * delay values)
        + for each p in order: every monomial of degree p of ``linear``

    Monomials of degree ``p`` are ``prod(linear[i1] ... linear[ip])`` for ``i1 <= ... <= ip``, in
    the lexicographic order of ``itertools.combinations_with_replacement``; there are
    ``C(d + p - 1, p)`` of them for ``d = num_in * delay``. ``get_feature_names()`` lists them.

    Args:
        num_in: input features (> 0).
        delay: number of delayed inputs in the linear part (>= 1).
        order: the degrees of the nonlinear part: an int >= 2, a sequence of them, or None
            (linear features only).
        stride: steps between two delayed inputs (>= 1).
        constant: prepend a constant feature 1.
        mode: NonBatchingMode or BatchingMode. NVAR has no trainable parameters, so it is not
            built in TrainingMode: train a readout (e.g. ``Dense`` in TrainingMode) on its output.
        name: a unique name.

    Raises:
        ModeError: built in TrainingMode.
        ShapeError: input of the wrong width or batch.
    """

    supported_modes = (bm.NonBatchingMode, bm.BatchingMode)
    repr_fields = ("num_in", "delay", "order", "stride", "constant")

    def __init__(self, num_in: int, delay: int, order: int | Sequence[int] | None = None,
                 stride: int = 1, constant: bool = False, mode: bm.Mode | None = None,
                 name: str | None = None):
        super().__init__(name=name, mode=mode)
        who = self.describe()
        if isinstance(self.mode, bm.TrainingMode):
            raise ModeError(describe(who, "NonBatchingMode or BatchingMode (NVAR has no trainable "
                                     "parameters)", repr(self.mode),
                                     "build it with mode=bm.batching_mode (or bm.BatchingMode(n)) "
                                     "and train a readout, e.g. a Dense in TrainingMode"))
        self.num_in = is_integer(num_in, "num_in", who, 1)
        self.delay = is_integer(delay, "delay", who, 1)
        self.stride = is_integer(stride, "stride", who, 1)
        self.constant = check_bool(constant, "constant", who)
        if order is None:
            order = ()
        elif isinstance(order, numbers.Integral) and not isinstance(order, bool):
            order = (order,)
        if not isinstance(order, (tuple, list)):
            raise TypeError(describe(who, "order to be an int >= 2, a sequence of them, or None",
                                     f"{type(order).__name__} {order!r}"))
        self.order = tuple(is_integer(o, "order", who, 2) for o in order)
        self.num_delay = (self.delay - 1) * self.stride + 1
        self.linear_dim = self.num_in * self.delay
        # index arrays of the monomials, one (num_monomials, p) array per order, built once
        self.comb_ids = [np.array(list(itertools.combinations_with_replacement(range(self.linear_dim), p)),
                                  dtype=np.int32).reshape(-1, p) for p in self.order]
        self.nonlinear_dim = sum(math.comb(self.linear_dim + p - 1, p) for p in self.order)
        self.num_out = int(self.constant) + self.linear_dim + self.nonlinear_dim
        self.store = bm.Variable(self._zeros(self.mode.batch_size),
                                 batch_axis=0 if self.mode.batching else None)

    def _zeros(self, batch_size: int | None) -> jax.Array:
        shape = (self.num_delay, self.num_in)
        return bm.filled(shape if batch_size is None else (batch_size,) + shape, 0, bm.get_float())

    def reset_state(self, batch_size: int | None = None) -> None:
        """Empty the delay buffer (zeros)."""
        self.store.value = self._zeros(self.state_batch_size(batch_size))

    def update(self, x: Any) -> jax.Array:
        x = as_array(x, self.describe())
        who = self.describe()
        input_shape(who, x, (self.num_in,))
        if self.mode.batching:
            input_shape(who, x, (self.num_in,), batch_size=self.store.shape[0], batching=True)
        else:
            input_shape(who, x, (self.num_in,), batching=False)
        store = self.store.value
        # newest input first: store[..., k, :] is x_{t-k}
        store = jnp.concatenate([x[..., None, :].astype(store.dtype), store[..., :-1, :]], axis=-2)
        self.store.value = store
        linear = store[..., ::self.stride, :].reshape(store.shape[:-2] + (self.linear_dim,))
        parts = [jnp.ones(linear.shape[:-1] + (1,), linear.dtype)] if self.constant else []
        parts.append(linear)
        for ids in self.comb_ids:
            parts.append(jnp.prod(linear[..., ids], axis=-1))
        return jnp.concatenate(parts, axis=-1)

    def get_feature_names(self) -> list[str]:
        """Readable names of the output features, e.g. ``['1', 'x0(t)', 'x0(t-1)', 'x0(t)^2', ...]``."""
        linear = [f"x{i}(t)" if k == 0 else f"x{i}(t-{k * self.stride})"
                  for k in range(self.delay) for i in range(self.num_in)]
        names = ["1"] if self.constant else []
        names += linear
        for ids in self.comb_ids:
            for row in ids:
                uniq, counts = np.unique(row, return_counts=True)
                names.append(" ".join(linear[u] if c == 1 else f"{linear[u]}^{c}"
                                      for u, c in zip(uniq, counts)))
        return names
