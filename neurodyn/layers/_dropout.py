"""Dropout: while fitting, keep each input with probability ``prob`` (scaled by ``1/prob``).

    >>> import neurodyn as bp, neurodyn.math as bm
    >>> from neurodyn.layers import Dropout
    >>> d = Dropout(0.5, seed=0)
    >>> d(bm.ones(4)).tolist()                        # not fitting: identity
    [1.0, 1.0, 1.0, 1.0]
    >>> with bp.share.context(fit=True):
    ...     y = d(bm.ones(1000))
    >>> sorted(set(y.tolist()))                       # kept entries are scaled by 1/prob
    [0.0, 2.0]
"""
from __future__ import annotations

from typing import Any

import jax
import jax.numpy as jnp

import neurodyn.math as bm
from neurodyn.check import is_probability
from neurodyn.core import DynamicalSystem, share
from neurodyn.layers._base import as_array

__all__ = ["Dropout"]


class Dropout(DynamicalSystem):
    """Randomly zero inputs while fitting (Srivastava et al. 2014, inverted dropout).

    .. warning::
        **``prob`` is the probability to KEEP an input, not to drop it** (as in BrainPy).
        PyTorch/Keras users expect a drop rate: ``Dropout(0.2)`` here keeps only 20% of the
        inputs (and scales them by 5); for "drop 20%" write ``Dropout(0.8)``.

    When ``bp.share.load('fit')`` is True (trainers set it), each entry is kept with probability
    ``prob`` and scaled by ``1 / prob`` so the expected output equals the input; otherwise the
    layer is the identity. ``prob=1`` never drops.

    Args:
        prob: probability to keep each entry, in (0, 1].
        seed: seed of this layer's generator ``self.rng`` (a ``bm.random.RandomState``, so its
            key is state that advances inside compiled loops); None draws one from
            ``bm.random``'s default generator.
        mode: the computing mode; name: a unique name.
    """

    repr_fields = ("prob",)

    def __init__(self, prob: float, seed: int | None = None, mode: bm.Mode | None = None,
                 name: str | None = None):
        super().__init__(name=name, mode=mode)
        self.prob = float(is_probability(prob, "prob (the probability to KEEP an input)",
                                         self.describe(), allow_zero=False))
        self.rng = bm.random.RandomState(seed)

    def update(self, x: Any) -> jax.Array:
        x = as_array(x, self.describe())
        if not share.load("fit") or self.prob == 1.0:
            return x
        keep = self.rng.bernoulli(self.prob, x.shape)
        return jnp.where(keep, x / self.prob, jnp.zeros((), x.dtype))
