"""Delayed couplings between population variables for whole-brain models (BrainPy's
``DiffusiveCoupling`` and ``AdditiveCoupling``): each step, every target ``i`` receives

- diffusive: ``sum_j C[j, i] * (x_j(t - d_ji) - y_i(t))``;
- additive: ``sum_j C[j, i] * x_j(t - d_ji)``,

with ``C`` the structural connectivity ``(pre, post)`` and ``d`` the delays in steps (none, one
for all, or one per connection). The delayed values come from a ring buffer of ``x`` kept by the
coupling; before time 0 they are ``initial_delay_data`` (zeros by default).

    >>> import neurodyn as bp, neurodyn.math as bm, numpy as np
    >>> x, out = bm.Variable(bm.asarray([1., 2.])), bm.Variable(bm.zeros(2))
    >>> c = DiffusiveCoupling(x, x, out, conn_mat=np.array([[0., 1.], [1., 0.]]))
    >>> c(); out.value.tolist()          # node 0 pulled up by node 1, node 1 down by node 0
    [1.0, -1.0]
"""
from __future__ import annotations

from typing import Any, Sequence

import jax.numpy as jnp
import numpy as np

import neurodyn.math as bm
from neurodyn.errors import ShapeError, describe
from neurodyn.synapses._projections import Projection

__all__ = ["DelayCoupling", "DiffusiveCoupling", "AdditiveCoupling"]


class DelayCoupling(Projection):
    """What the couplings share: checks, the connectivity and the delay buffer of ``delay_var``
    (one value per node: non-batching mode)."""

    supported_modes = (bm.NonBatchingMode,)

    def __init__(self, delay_var: bm.Variable, var_to_output: bm.Variable | Sequence[bm.Variable], conn_mat: Any,
                 required_shape: tuple[int, int], delay_steps: Any = None, initial_delay_data: Any = None,
                 name: str | None = None, mode: bm.Mode | None = None):
        super().__init__(name=name, mode=mode)
        who = self.describe()
        if not isinstance(delay_var, bm.Variable) or isinstance(delay_var, bm.Array) or delay_var.ndim != 1:
            raise TypeError(describe(who, "the coupled variable as a 1-D bm.Variable (one value per node)",
                                     repr(delay_var)))
        outputs = [var_to_output] if isinstance(var_to_output, bm.Variable) else list(var_to_output)
        if not outputs or not all(isinstance(v, bm.Variable) for v in outputs):
            raise TypeError(describe(who, "var_to_output as a bm.Variable or a list of them", repr(var_to_output)))
        self.delay_var, self.output_var = delay_var, outputs
        self.conn_mat = jnp.asarray(bm.unwrap(conn_mat), bm.get_float())
        if self.conn_mat.shape != tuple(required_shape):
            raise ShapeError(describe(who, f"conn_mat of shape (pre.num, post.num) = {tuple(required_shape)}",
                                      f"shape {self.conn_mat.shape}"))
        if callable(delay_steps) and not isinstance(delay_steps, (int, np.integer)):
            delay_steps = delay_steps(tuple(required_shape))
        if delay_steps is None:
            self.delay_steps, longest = None, 0
        else:
            steps = np.asarray(bm.unwrap(delay_steps))
            if not np.issubdtype(steps.dtype, np.integer) or (steps < 0).any():
                raise TypeError(describe(who, "delay_steps as non-negative integers (steps, not ms)", repr(delay_steps)))
            if steps.ndim not in (0,) and steps.shape != tuple(required_shape):
                raise ShapeError(describe(who, f"delay_steps: one integer or a matrix {tuple(required_shape)}",
                                          f"shape {steps.shape}"))
            self.delay_steps, longest = jnp.asarray(steps, jnp.int32), int(steps.max())
        self.length = longest + 1
        self.initial = 0. if initial_delay_data is None else initial_delay_data
        self.reset_state()

    def reset_state(self, *args: Any, **kwargs: Any) -> None:
        n = self.delay_var.shape[0]
        past = jnp.broadcast_to(jnp.asarray(bm.unwrap(self.initial), self.delay_var.dtype), (self.length, n))
        if hasattr(self, "buffer"):
            self.buffer.value, self.newest.value = past, jnp.zeros((), jnp.int32)
        else:
            self.buffer, self.newest = bm.Variable(past), bm.Variable(jnp.zeros((), jnp.int32))

    def _delayed(self) -> jnp.ndarray:
        """Record ``x`` now; its values ``delay_steps`` steps ago: ``(pre,)`` or ``(pre, post)``."""
        newest = (self.newest.value + 1) % self.length
        self.buffer.value = self.buffer.value.at[newest].set(self.delay_var.value)
        self.newest.value = newest
        if self.delay_steps is None:
            return self.delay_var.value
        rows = (newest - self.delay_steps) % self.length
        if self.delay_steps.ndim == 0:
            return self.buffer.value[rows]
        return self.buffer.value[rows, jnp.arange(self.buffer.shape[1])[:, None]]     # (pre, post)

    def _emit(self, value: jnp.ndarray) -> None:
        for target in self.output_var:
            target.value = target.value + value


class DiffusiveCoupling(DelayCoupling):
    """``out_i += sum_j C[j, i] (x_j(t - d_ji) - y_i(t))`` (see the module docstring)."""

    def __init__(self, coupling_var1: bm.Variable, coupling_var2: bm.Variable,
                 var_to_output: bm.Variable | Sequence[bm.Variable], conn_mat: Any, delay_steps: Any = None,
                 initial_delay_data: Any = None, name: str | None = None, mode: bm.Mode | None = None):
        shape = (np.shape(coupling_var1)[-1:] or (0,))[0], (np.shape(coupling_var2)[-1:] or (0,))[0]
        super().__init__(coupling_var1, var_to_output, conn_mat, shape, delay_steps, initial_delay_data, name, mode)
        if (not isinstance(coupling_var2, bm.Variable) or isinstance(coupling_var2, bm.Array)
                or coupling_var2.ndim != 1):
            raise TypeError(describe(self.describe(), "coupling_var2 as a 1-D bm.Variable", repr(coupling_var2)))
        self.coupling_var1, self.coupling_var2 = coupling_var1, coupling_var2

    def update(self) -> None:
        x = self._delayed()
        x = x[:, None] if x.ndim == 1 else x
        self._emit((self.conn_mat * (x - self.coupling_var2.value[None, :])).sum(0))


class AdditiveCoupling(DelayCoupling):
    """``out_i += sum_j C[j, i] x_j(t - d_ji)`` (see the module docstring)."""

    def __init__(self, coupling_var: bm.Variable, var_to_output: bm.Variable | Sequence[bm.Variable], conn_mat: Any,
                 delay_steps: Any = None, initial_delay_data: Any = None, name: str | None = None,
                 mode: bm.Mode | None = None):
        n = (np.shape(coupling_var)[-1:] or (0,))[0]
        super().__init__(coupling_var, var_to_output, conn_mat, (n, n), delay_steps, initial_delay_data, name, mode)
        self.coupling_var = coupling_var

    def update(self) -> None:
        x = self._delayed()
        self._emit(x @ self.conn_mat if x.ndim == 1 else (self.conn_mat * x).sum(0))
