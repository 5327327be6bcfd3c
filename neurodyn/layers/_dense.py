"""Dense (fully-connected) layer: ``y = x @ W + b`` over the last axis of ``x``.

    >>> import neurodyn as bp, neurodyn.math as bm
    >>> from neurodyn.layers import Dense
    >>> Dense(128, 100, name='hidden_layer')
    Dense(name=hidden_layer, num_in=128, num_out=100, mode=NonBatchingMode)
    >>> Dense(3, 4)(bm.ones((2, 3))).shape
    (2, 4)
"""
from __future__ import annotations

from typing import Any

import jax

import neurodyn.math as bm
from neurodyn.check import input_shape, is_integer
from neurodyn.core import DynamicalSystem
from neurodyn.init import XavierNormal, ZeroInit
from neurodyn.layers._base import as_array, make_param
from neurodyn.math._events import event_matmul

# wide inputs skip their zero entries while at most a fifth are nonzero (spikes fed to a Dense
# layer, as BrainPy's training tutorials do); other inputs pay one count of their nonzeros
EVENT_MIN_IN = 128

__all__ = ["Dense", "Linear"]


class Dense(DynamicalSystem):
    """A linear map of the last axis: ``y = x @ W + b``.

    Args:
        num_in: number of input features (> 0).
        num_out: number of output features (> 0).
        W_initializer: the weight ``W`` of shape ``(num_in, num_out)``: an Initializer, a callable
            of the shape, or an array of that shape.
        b_initializer: the bias ``b`` of shape ``(num_out,)`` (same kinds), or ``None`` for no bias.
        mode: ``bm.TrainingMode`` makes ``W``/``b`` ``bm.TrainVar`` s; other modes keep plain arrays.
        name: a unique name.

    Input of shape ``(..., num_in)`` gives output ``(..., num_out)``; with ``num_in >= 128`` the
    product skips the zero entries of a mostly-zero (spiking) input. Offline/online trainers fit
    ``W`` and ``b`` directly; the trainer holds its fit method (``trainer.fit_method``).

    Raises:
        ShapeError: the input's last axis is not ``num_in``.

        >>> import neurodyn as bp, neurodyn.math as bm
        >>> l = bp.layers.Dense(20, 100, b_initializer=None, mode=bm.TrainingMode())
        >>> l.b is None, list(l.train_vars())
        (True, ['W'])
    """

    repr_fields = ("num_in", "num_out")

    def __init__(self, num_in: int, num_out: int, W_initializer: Any = XavierNormal(),
                 b_initializer: Any = ZeroInit(), mode: bm.Mode | None = None,
                 name: str | None = None):
        super().__init__(name=name, mode=mode)
        self.num_in = is_integer(num_in, "num_in", self.describe(), 1)
        self.num_out = is_integer(num_out, "num_out", self.describe(), 1)
        self.W = make_param(self, W_initializer, (self.num_in, self.num_out), "W_initializer")
        self.b = make_param(self, b_initializer, (self.num_out,), "b_initializer", allow_none=True)

    def update(self, x: Any) -> jax.Array:
        x = as_array(x, self.describe())
        input_shape(self.describe(), x, (self.num_in,))
        W = bm.unwrap(self.W)
        y = event_matmul(x, W) if self.num_in >= EVENT_MIN_IN else x @ W
        return y if self.b is None else y + bm.unwrap(self.b)


Linear = Dense
