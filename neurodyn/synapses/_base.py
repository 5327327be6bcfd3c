"""What every synapse shares: its two groups, connectivity and weights, delay, output.

A synapse is stepped before the neurons (``update_order = 0``): it reads the presynaptic
spikes (``pre.spike``, i.e. those of the previous step, or spikes passed to ``update``),
optionally delayed by ``delay_step`` steps, weights them through its connectivity, updates its
own state, and adds the resulting current to the postsynaptic group's ``input`` (or to another
Variable named by the output's ``target_var``).

    >>> import neurodyn as bp, neurodyn.math as bm
    >>> pre, post = bp.neurons.InputGroup(3), bp.neurons.LeakyIntegrator(2)
    >>> syn = bp.synapses.Exponential(pre, post, bp.conn.All2All(), g_max=0.5, delay_step=2)
    >>> [float(syn(bm.array([1., 1., 0.])).sum()) for _ in range(3)]   # arrives 2 steps later
    [0.0, 0.0, 2.0]
"""
from __future__ import annotations

from typing import Any

import jax
import jax.numpy as jnp

import neurodyn.math as bm
from neurodyn.check import is_integer, real_input
from neurodyn.core import DynamicalSystem
from neurodyn.errors import ModeError, ShapeError, describe
from neurodyn.init import parameter
from neurodyn.conn import Connector
from neurodyn.layers import _comm
from neurodyn.neurons._view import NeuGroupView
from neurodyn.synapses.synouts import CUBA, SynOut

__all__ = ["TwoEndConn", "WeightedConn"]


def _check_group(group: Any, role: str, attrs: tuple[str, ...], who: str) -> Any:
    if not isinstance(group, (DynamicalSystem, NeuGroupView)) or any(not hasattr(group, a) for a in attrs):
        raise TypeError(describe(who, f"{role}= a neuron group (with {', '.join(attrs)})",
                                 f"{type(group).__name__} {group!r}"))
    return group


class TwoEndConn(DynamicalSystem):
    """Base of synapses between two groups, for the models users write (BrainPy's ``TwoEndConn``
    / ``SynConn``): ``pre``, ``post`` and ``conn`` (built for ``pre.num x post.num``, so
    ``self.conn.require('pre2post')`` works), stepped before the neurons.

    Args:
        pre, post: the presynaptic and postsynaptic groups. conn: a ``bp.conn`` connector, a bool
            matrix, or None. name, mode: as for every system.

        >>> import neurodyn as bp, neurodyn.math as bm
        >>> class Jump(bp.TwoEndConn):
        ...     def __init__(self, pre, post, conn):
        ...         super().__init__(pre, post, conn)
        ...         self.w = bm.asarray(self.conn.require('conn_mat'), float)
        ...     def update(self):
        ...         self.post.input += self.pre.spike @ self.w
        >>> pre, post = bp.neurons.InputGroup(2), bp.neurons.LIF(3)
        >>> _ = pre(bm.array([1., 1.])); Jump(pre, post, bp.conn.All2All())(); post.input.tolist()
        [2.0, 2.0, 2.0]
    """

    update_order = 0
    supported_modes = (bm.NonBatchingMode, bm.BatchingMode)

    def __init__(self, pre: Any, post: Any, conn: Any = None, name: str | None = None,
                 mode: bm.Mode | None = None):
        super().__init__(name=name, mode=mode)
        who = self.describe()
        self.pre = _check_group(pre, "pre", ("num",), who)
        self.post = _check_group(post, "post", ("num",), who)
        for role, group in (("pre", pre), ("post", post)):
            if group.mode.batching != self.mode.batching:
                raise ModeError(describe(who, f"{role} group in a mode with the same batching as "
                                         f"the synapse ({self.mode!r})", f"{group.describe()} in "
                                         f"{group.mode!r}", "build groups and synapses in one "
                                         "bm.environment(mode=...)"))
        if isinstance(conn, Connector) and conn.pre_num is None:
            conn = conn(pre.num, post.num)
        self.conn = conn

    @property
    def training(self) -> bool:
        """Whether this synapse was built in ``TrainingMode`` (weights are TrainVars)."""
        return isinstance(self.mode, bm.TrainingMode)

    def check_pre_attrs(self, *attrs: str) -> None:
        """Raise, naming what is missing, unless ``pre`` has every attribute in ``attrs``."""
        _check_group(self.pre, "pre", attrs, self.describe())

    def check_post_attrs(self, *attrs: str) -> None:
        """Raise, naming what is missing, unless ``post`` has every attribute in ``attrs``."""
        _check_group(self.post, "post", attrs, self.describe())


class WeightedConn(TwoEndConn):
    """Base of neurodyn's two-ended synapses: connectivity and weights, delay, output.

    Args:
        pre: the presynaptic group (has ``num`` and a ``spike`` Variable).
        post: the postsynaptic group (has ``num`` and the output's target Variable).
        conn: a ``bp.conn`` connector (built here for ``pre.num x post.num``) or a bool matrix.
        output: a ``bp.synouts`` output (``CUBA()``, ``COBA(E)``); bound to ``post`` here.
        g_max: the weights: a scalar, an array of shape ``(post.num,)`` or ``(pre.num, post.num)``,
            or an Initializer of the ``(pre.num, post.num)`` matrix (``(num,)`` for ``One2One``).
            Unconnected entries are masked out. Stored as ``g_max``: a ``bm.TrainVar`` in
            ``TrainingMode``, a plain ``bm.Variable`` otherwise.
        delay_step: a transmission delay in steps (None or 0: none).
        comp_method: ``'dense'`` (matmul), ``'sparse'`` (event-driven), or None/``'auto'``:
            sparse for random/structured connectivity of density <= 0.5 in ``NonBatchingMode``.
        stop_spike_gradient: do not backpropagate through the presynaptic spikes.
        name, mode: as for every system.
    """

    def __init__(self, pre: Any, post: Any, conn: Any, output: SynOut | None = None, g_max: Any = 1.,
                 delay_step: int | None = None, comp_method: str | None = None,
                 stop_spike_gradient: bool = False, name: str | None = None,
                 mode: bm.Mode | None = None):
        super().__init__(pre, post, conn, name=name, mode=mode)
        who = self.describe()
        self.check_pre_attrs("spike")
        self._layout, weights = _comm.build(conn, pre.num, post.num, g_max, comp_method,
                                            self.mode.batching, who)
        self.comp_method = self._layout.kind
        # a Variable in every mode: compiled programs take it as an argument (a large weight
        # matrix baked in as a constant makes compilation slow); a TrainVar only when training
        self.g_max = bm.TrainVar(weights) if self.training else bm.Variable(weights)
        output = CUBA() if output is None else output
        if not isinstance(output, SynOut):
            raise TypeError(describe(who, "output= a bp.synouts output (CUBA(), COBA(E=...))",
                                     f"{type(output).__name__} {output!r}"))
        self.output = output.bind(post, who)
        self.delay_step = None if delay_step is None else (is_integer(delay_step, "delay_step", who, 0) or None)
        if not isinstance(stop_spike_gradient, bool):
            raise TypeError(describe(who, "stop_spike_gradient to be a bool", repr(stop_spike_gradient)))
        self.stop_spike_gradient = stop_spike_gradient

    # -- helpers -------------------------------------------------------------------------
    def _param(self, value: Any, name: str) -> jax.Array:
        """A synaptic parameter: a scalar or one value per postsynaptic neuron."""
        p = parameter(value, (self.post.num,), allow_none=False, who=f"{self.describe()} {name}")
        p = jnp.asarray(p, bm.get_float())
        if not bool(jnp.all(p > 0)):   # (NaN fails too)
            raise ValueError(describe(self.describe(), f"{name} > 0", repr(value)))
        return p

    def _set(self, attr: str, value: jax.Array, batch_axis: int | None) -> None:
        old = getattr(self, attr, None)
        if isinstance(old, bm.Variable):
            old.value = value
        else:
            setattr(self, attr, bm.Variable(value, batch_axis=batch_axis))

    def _state(self, attr: str, batch_size: int | None) -> None:
        """A zero float32 state of ``(batch?, post.num)``: create it or refill it."""
        batch = self.state_batch_size(batch_size)
        shape = (self.post.num,) if batch is None else (batch, self.post.num)
        self._set(attr, bm.filled(shape, 0, bm.get_float()), None if batch is None else 0)

    def _reset_delay(self, batch_size: int | None) -> None:
        """The delay line of the presynaptic spikes (a ``bm.LengthDelay``), refilled with zeros."""
        if self.delay_step is None:
            return
        batch = self.state_batch_size(batch_size)
        shape = (() if batch is None else (batch,)) + tuple(self.pre.varshape)
        zeros = bm.filled(shape, 0, self.pre.spike.dtype)
        if isinstance(getattr(self, "delay", None), bm.LengthDelay):
            self.delay.reset(zeros, self.delay_step)
        else:
            self.delay = bm.LengthDelay(zeros, self.delay_step, batch_axis=None if batch is None else 0)

    def reset_state(self, batch_size: int | None = None) -> None:
        self._reset_delay(batch_size)

    # -- per step --------------------------------------------------------------------------
    def _pre_spike(self, pre_spike: Any) -> jax.Array:
        """This step's presynaptic spikes, delayed if asked, flattened to ``(..., pre.num)``."""
        spike_var = self.pre.spike
        if pre_spike is None:
            s = spike_var.value
        else:
            s = real_input(self.describe(), bm.unwrap(pre_spike), "presynaptic spikes")
            if s.shape != tuple(spike_var.shape):
                raise ShapeError(describe(self.describe(), f"presynaptic spikes of shape "
                                          f"{tuple(spike_var.shape)}", f"shape {tuple(s.shape)}"))
        if self.delay_step is not None:        # arrives delay_step steps after it is given
            self.delay.update(s)
            s = self.delay.retrieve(self.delay_step)
        if self.stop_spike_gradient:
            s = jax.lax.stop_gradient(s)
        nd = len(self.pre.varshape)
        return s.reshape(s.shape[:s.ndim - nd] + (self.pre.num,))

    def _propagate(self, spike: jax.Array, events: bool = True) -> jax.Array:
        """The weighted presynaptic input of shape ``(..., post.num)`` (``events``: mostly zeros)."""
        return _comm.propagate(self._layout, self.g_max, spike, differentiable=self.training, events=events)

    def _deliver(self, g: jax.Array) -> jax.Array:
        """Turn ``g`` into a current with the output and add it to the postsynaptic target."""
        current = self.output.current(g)
        target = self.output.target()
        target.value = target.value + current.reshape(target.shape).astype(target.dtype)
        return current

    def weight_matrix(self) -> jax.Array:
        """The effective ``(pre.num, post.num)`` weights (0 where not connected)."""
        return _comm.weight_matrix(self._layout, self.g_max)

    def __repr__(self) -> str:
        return (f"{type(self).__name__}(name={self.name}, pre={self.pre.name}, post={self.post.name}, "
                f"comp_method={self.comp_method!r}, mode={self.mode!r})")
