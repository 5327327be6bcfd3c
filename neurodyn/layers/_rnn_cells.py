"""Recurrent cells — ``RNNCell``, ``GRUCell``, ``LSTMCell`` — advancing one time step per call.

A cell keeps its hidden state in the Variable ``self.state`` (shape ``(batch, num_out)`` in
batching/training modes, ``(num_out,)`` otherwise). The LSTM keeps two Variables, ``h`` and ``c``;
its ``state`` reads and writes them as ``[h, c]`` side by side (``2 * num_out`` wide, BrainPy's
layout). Runners and trainers loop over time; each gate block is one fused matmul per operand.

    >>> import neurodyn as bp, neurodyn.math as bm
    >>> rnn = bp.layers.RNNCell(1, 3, train_state=True, mode=bm.training_mode)
    >>> rnn.state2train.shape
    (3,)
    >>> rnn.reset(batch_size=5)
    >>> rnn.state.shape
    (5, 3)
    >>> lstm = bp.layers.LSTMCell(2, 4, mode=bm.BatchingMode(3))
    >>> lstm(bm.ones((3, 2))).shape, lstm.c.shape
    ((3, 4), (3, 4))
"""
from __future__ import annotations

from typing import Any, Callable

import jax
import jax.numpy as jnp
import numpy as np

import neurodyn.math as bm
from neurodyn.check import input_shape, is_integer
from neurodyn.core import DynamicalSystem
from neurodyn.errors import ShapeError, describe
from neurodyn.init import Orthogonal, XavierNormal, ZeroInit, parameter
from neurodyn.layers._activations import get_activation
from neurodyn.layers._base import as_array, check_bool, make_param
from neurodyn.math._lstm import lstm_step

__all__ = ["RNNCell", "GRUCell", "LSTMCell"]


class _Cell(DynamicalSystem):
    """What the three cells share: weights ``Wi (num_in, k*num_out)``, ``Wh (num_out, k*num_out)``,
    bias ``b (k*num_out,)`` (``k`` gate blocks), the state, ``train_state`` and input checks."""

    repr_fields = ("num_in", "num_out")
    num_blocks = 1      # gate blocks fused in one matmul
    state_factor = 1    # state width / num_out

    def _build(self, num_in: int, num_out: int, state_initializer: Any, Wi_initializer: Any,
               Wh_initializer: Any, b_initializer: Any, activation: str | Callable,
               train_state: bool) -> None:
        who = self.describe()
        self.num_in = is_integer(num_in, "num_in", who, 1)
        self.num_out = is_integer(num_out, "num_out", who, 1)
        self.train_state = check_bool(train_state, "train_state", who)
        self.activation = get_activation(activation, who)
        self._state_initializer = state_initializer
        width = self.num_blocks * self.num_out
        self.Wi = make_param(self, Wi_initializer, (self.num_in, width), "Wi_initializer")
        self.Wh = make_param(self, Wh_initializer, (self.num_out, width), "Wh_initializer")
        self.b = make_param(self, b_initializer, (width,), "b_initializer", allow_none=True)
        if self.train_state:
            # TrainVar in TrainingMode (trained like a weight), a constant array otherwise
            self.state2train = make_param(self, state_initializer, (self.state_size,), "state_initializer")
        self._create_state(self._initial_state(self.mode.batch_size))

    def _create_state(self, value: jax.Array) -> None:
        self.state = bm.Variable(value, batch_axis=0 if self.mode.batching else None)

    def _batch_rows(self) -> int:
        return self.state.shape[0]

    @property
    def state_size(self) -> int:
        """Width of the state (``num_out``; ``2 * num_out`` for the LSTM's ``[h, c]``)."""
        return self.state_factor * self.num_out

    def _initial_state(self, batch_size: int | None) -> jax.Array:
        shape = (self.state_size,) if batch_size is None else (batch_size, self.state_size)
        if self.train_state:
            return jnp.broadcast_to(bm.unwrap(self.state2train), shape)
        init = bm.unwrap(self._state_initializer)
        if isinstance(init, (jax.Array, np.ndarray)) and init.shape == (self.state_size,):
            return jnp.broadcast_to(jnp.asarray(init, bm.get_float()), shape)
        value = parameter(init, shape, allow_none=False, allow_scalar=False,
                          who=f"{self.describe()} state_initializer")
        return value.astype(bm.get_float())

    def reset_state(self, batch_size: int | None = None) -> None:
        """Reset the state to its initial value (rows of ``state2train`` when ``train_state``)."""
        self._assign_state(self._initial_state(self.state_batch_size(batch_size)))

    def _assign_state(self, value: jax.Array) -> None:
        self.state.value = value

    def _check_input(self, x: jax.Array) -> None:
        who = self.describe()
        input_shape(who, x, (self.num_in,))
        if self.mode.batching:
            input_shape(who, x, (self.num_in,), batch_size=self._batch_rows(), batching=True)
        else:
            input_shape(who, x, (self.num_in,), batching=False)

    def _gates(self, x: jax.Array, h: jax.Array) -> tuple[jax.Array, jax.Array]:
        """``x @ Wi (+ b)`` and ``Wh`` as arrays."""
        gx = x @ bm.unwrap(self.Wi)
        if self.b is not None:
            gx = gx + bm.unwrap(self.b)
        return gx, bm.unwrap(self.Wh)


class RNNCell(_Cell):
    """Vanilla (Elman) recurrent cell: ``h_t = f(x_t Wi + h_{t-1} Wh + b)``; output ``h_t``.

    Args:
        num_in: input features; num_out: hidden units (both > 0).
        state_initializer: initial state (Initializer, callable, or array of ``(num_out,)``).
        Wi_initializer, Wh_initializer, b_initializer: weights ``(num_in, num_out)``,
            ``(num_out, num_out)`` and bias ``(num_out,)`` (``None``: no bias).
        activation: ``f``, a name (``'relu'``, the BrainPy default, ``'tanh'``, ...) or a callable.
        mode: TrainingMode makes the weights ``TrainVar`` s; batching modes add a batch axis.
        train_state: learn the initial state: ``state2train`` (shape ``(num_out,)``, no batch
            axis; a ``TrainVar`` in TrainingMode) fills every row of ``state`` on reset.
        name: a unique name.

    Raises:
        ShapeError: input width is not ``num_in``, or its batch differs from the state's (call
            ``reset(batch_size)``).
    """

    def __init__(self, num_in: int, num_out: int, state_initializer: Any = ZeroInit(),
                 Wi_initializer: Any = XavierNormal(), Wh_initializer: Any = XavierNormal(),
                 b_initializer: Any = ZeroInit(), activation: str | Callable = "relu",
                 mode: bm.Mode | None = None, train_state: bool = False, name: str | None = None):
        super().__init__(name=name, mode=mode)
        self._build(num_in, num_out, state_initializer, Wi_initializer, Wh_initializer,
                    b_initializer, activation, train_state)

    def update(self, x: Any) -> jax.Array:
        x = as_array(x, self.describe())
        self._check_input(x)
        h = self.state.value
        gx, wh = self._gates(x, h)
        h = self.activation(gx + h @ wh)
        self.state.value = h
        return h


class GRUCell(_Cell):
    """Gated recurrent unit (Chung et al. 2014), the gate order of BrainPy::

        z, r = sigmoid(x Wi[:, :2n] + h Wh[:, :2n] + b[:2n])      (update, reset gates)
        a    = f(x Wi[:, 2n:] + (r * h) Wh[:, 2n:] + b[2n:])        (candidate)
        h'   = (1 - z) * h + z * a

    Arguments as :class:`RNNCell` (weights ``3 * num_out`` wide, default ``Orthogonal``,
    activation ``'tanh'``). Output ``h'``.
    """

    num_blocks = 3

    def __init__(self, num_in: int, num_out: int, Wi_initializer: Any = Orthogonal(),
                 Wh_initializer: Any = Orthogonal(), b_initializer: Any = ZeroInit(),
                 state_initializer: Any = ZeroInit(), activation: str | Callable = "tanh",
                 mode: bm.Mode | None = None, train_state: bool = False, name: str | None = None):
        super().__init__(name=name, mode=mode)
        self._build(num_in, num_out, state_initializer, Wi_initializer, Wh_initializer,
                    b_initializer, activation, train_state)

    def update(self, x: Any) -> jax.Array:
        x = as_array(x, self.describe())
        self._check_input(x)
        n, h = self.num_out, self.state.value
        gx, wh = self._gates(x, h)
        zr = jax.nn.sigmoid(gx[..., :2 * n] + h @ wh[:, :2 * n])
        z, r = jnp.split(zr, 2, axis=-1)
        a = self.activation(gx[..., 2 * n:] + (r * h) @ wh[:, 2 * n:])
        h = (1. - z) * h + z * a
        self.state.value = h
        return h


class LSTMCell(_Cell):
    """Long short-term memory cell (Zaremba et al. 2014), the gate order of BrainPy::

        i, g, f, o = split(x Wi + h Wh + b, 4)
        c' = sigmoid(f + 1) * c + sigmoid(i) * f_act(g)     (+1: forget bias, Jozefowicz 2015)
        h' = sigmoid(o) * f_act(c')

    Arguments as :class:`RNNCell` (weights ``4 * num_out`` wide, activation ``'tanh'``).
    The Variables ``h`` and ``c`` hold the state; ``state`` reads or assigns both as ``[h, c]``
    (``2 * num_out`` wide, as ``state2train``). Output ``h'``.
    """

    num_blocks = 4
    state_factor = 2

    def __init__(self, num_in: int, num_out: int, Wi_initializer: Any = XavierNormal(),
                 Wh_initializer: Any = XavierNormal(), b_initializer: Any = ZeroInit(),
                 state_initializer: Any = ZeroInit(), activation: str | Callable = "tanh",
                 mode: bm.Mode | None = None, train_state: bool = False, name: str | None = None):
        super().__init__(name=name, mode=mode)
        self._build(num_in, num_out, state_initializer, Wi_initializer, Wh_initializer,
                    b_initializer, activation, train_state)

    def _create_state(self, value: jax.Array) -> None:
        axis = 0 if self.mode.batching else None
        h, c = jnp.split(value, 2, axis=-1)
        self.h = bm.Variable(h, batch_axis=axis)
        self.c = bm.Variable(c, batch_axis=axis)

    def _batch_rows(self) -> int:
        return self.h.shape[0]

    def _assign_state(self, value: jax.Array) -> None:
        self.state = value

    def update(self, x: Any) -> jax.Array:
        x = as_array(x, self.describe())
        self._check_input(x)
        h, c = self.h.value, self.c.value
        gx, wh = self._gates(x, h)
        if self.activation is jnp.tanh:
            h, c = lstm_step(gx, h, c, wh)
        else:
            i, g, f, o = jnp.split(gx + h @ wh, 4, axis=-1)   # one split: its gradient is one concatenate
            c = jax.nn.sigmoid(f + 1.) * c + jax.nn.sigmoid(i) * self.activation(g)
            h = jax.nn.sigmoid(o) * self.activation(c)
        self.h.value = h
        self.c.value = c
        return h

    @property
    def state(self) -> jax.Array:
        """``[h, c]`` side by side (a new array; assigning one sets both halves)."""
        return jnp.concatenate([self.h.value, self.c.value], axis=-1)

    @state.setter
    def state(self, value: Any) -> None:
        value = as_array(value, self.describe())
        if value.ndim != self.h.ndim or value.shape[-1] != self.state_size:
            want = self.h.shape[:-1] + (self.state_size,)
            raise ShapeError(describe(self.describe(), f"state [h, c] of shape {want}", f"shape {value.shape}"))
        h, c = jnp.split(value.astype(self.h.dtype), 2, axis=-1)
        self.h.value = h
        self.c.value = c
