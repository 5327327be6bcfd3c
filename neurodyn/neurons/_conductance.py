"""Conductance-based neurons built from ion channels (BrainPy's ``bp.dyn.CondNeuGroup`` and
``bp.channels``): ``C dV/dt = sum_channels g (E - V) + I``, each channel with its own gates.

A channel is a child of the group (an attribute, or a keyword of the constructor); the group
integrates ``V`` with every channel's ``current(V)``, then each channel advances its gates at
the step's starting ``V`` (``update(V)``). Gates follow first-order kinetics,
``dp/dt = phi (alpha(V) (1 - p) - beta(V) p)``, integrated exactly for the step's ``V``.
Reference: Hodgkin, A. L. & Huxley, A. F. (1952). J. Physiol. 117(4), 500-544.

    >>> import neurodyn as bp, neurodyn.math as bm
    >>> class HH(bp.dyn.CondNeuGroup):
    ...     def __init__(self, size):
    ...         super().__init__(size, V_initializer=bp.init.Constant(-65.))
    ...         self.INa = bp.channels.INa_HH1952(size)
    ...         self.IK = bp.channels.IK_HH1952(size)
    ...         self.IL = bp.channels.IL(size, E=-54.387, g_max=0.03)
    >>> hh = HH(1); hh.reset()
    >>> spikes = bm.for_loop(lambda i: hh.step_run(i, 10.), bm.arange(1000))    # 100 ms at 10 uA/cm2
    >>> int(spikes.sum()) > 3
    True
"""
from __future__ import annotations

from typing import Any, Sequence

import jax
import jax.numpy as jnp

import neurodyn.math as bm
from neurodyn.core import share
from neurodyn.errors import describe
from neurodyn.init import Uniform
from neurodyn.math._integrate import check_method, ode_step
from neurodyn.neurons._base import Dynamic, NeuGroup

__all__ = ["IonChannel", "GatedChannel", "INa_HH1952", "IK_HH1952", "IL", "CondNeuGroup"]


def _exprel(x: jax.Array) -> jax.Array:
    """``(exp(x) - 1) / x``, finite at 0."""
    small = jnp.abs(x) < 1e-6
    return jnp.where(small, 1. + x / 2., jnp.expm1(jnp.where(small, 1., x)) / jnp.where(small, 1., x))


class IonChannel(Dynamic):
    """Base of ion channels: ``current(V)`` (inward positive), ``update(V)`` advances the gates,
    ``reset_state(V, batch_size)`` puts them at their steady state for ``V``."""

    supported_modes = (bm.NonBatchingMode, bm.BatchingMode)

    def __init__(self, size: int | Sequence[int], keep_size: bool = False, name: str | None = None,
                 mode: bm.Mode | None = None, method: str = "exp_auto"):
        super().__init__(size, keep_size=keep_size, name=name, mode=mode, method=check_method(method, "channel"))

    def _p(self, value: Any) -> jax.Array:
        return jnp.asarray(bm.unwrap(self.init_param(value)), bm.get_float())

    def current(self, V: jax.Array) -> jax.Array:
        raise TypeError(f"{self.describe()} does not define current(V)")

    def update(self, V: jax.Array) -> None:
        """Leak channels have no gates."""

    def reset_state(self, V: Any = None, batch_size: int | None = None) -> None:
        """Leak channels have no gates."""


class GatedChannel(IonChannel):
    """A channel of ``g_max p^p_power q^q_power (E - V)`` with first-order gates ``p`` (and
    ``q`` when ``q_power``); subclasses give the rates ``f_p_alpha/f_p_beta`` (``f_q_...``).

    Args:
        E: reversal potential (mV). g_max: maximal conductance (mS/cm2). phi: temperature factor.
    """

    p_power, q_power = 1, 0

    def __init__(self, size: int | Sequence[int], keep_size: bool = False, E: Any = 50., g_max: Any = 1.,
                 phi: Any = 1., method: str = "exp_auto", name: str | None = None, mode: bm.Mode | None = None):
        super().__init__(size, keep_size, name, mode, method)
        self.E, self.g_max, self.phi = self._p(E), self._p(g_max), self._p(phi)
        self._gates = ("p", "q") if self.q_power else ("p",)
        shape = self.get_batch_shape(self.mode.batch_size if self.mode.batching else None)
        for gate in self._gates:       # closed until reset_state(V) (BrainPy starts them at 0)
            setattr(self, gate, bm.Variable(jnp.zeros(shape, bm.get_float()),
                                            batch_axis=0 if self.mode.batching else None))

    def _rates(self, gate: str, V: jax.Array) -> tuple[jax.Array, jax.Array]:
        return getattr(self, f"f_{gate}_alpha")(V), getattr(self, f"f_{gate}_beta")(V)

    def reset_state(self, V: Any = None, batch_size: int | None = None) -> None:
        if V is None or isinstance(V, int):     # a tree-wide reset(batch_size): the group passes V
            return
        for gate in self._gates:
            alpha, beta = self._rates(gate, bm.as_jax(V))
            getattr(self, gate).value = jnp.broadcast_to(alpha / (alpha + beta), getattr(self, gate).shape)

    def update(self, V: jax.Array) -> None:
        def f(*gates: jax.Array) -> tuple:
            return tuple(self.phi * (a * (1. - x) - b * x) for x, (a, b) in
                         zip(gates, (self._rates(g, V) for g in self._gates)))
        new = ode_step(f, tuple(getattr(self, g).value for g in self._gates), share.load("dt"), self.method)
        for gate, value in zip(self._gates, new):
            getattr(self, gate).value = value

    def current(self, V: jax.Array) -> jax.Array:
        g = self.g_max * self.p.value ** self.p_power
        if self.q_power:
            g = g * self.q.value ** self.q_power
        return g * (self.E - V)


class INa_HH1952(GatedChannel):
    """Hodgkin-Huxley sodium channel, ``g_max m^3 h (E - V)``, voltages shifted by ``V_sh``."""

    p_power, q_power = 3, 1

    def __init__(self, size: int | Sequence[int], keep_size: bool = False, E: Any = 50., g_max: Any = 120.,
                 phi: Any = 1., V_sh: Any = -45., method: str = "exp_auto", name: str | None = None,
                 mode: bm.Mode | None = None):
        super().__init__(size, keep_size, E, g_max, phi, method, name, mode)
        self.V_sh = self._p(V_sh)

    def f_p_alpha(self, V):
        return 1. / _exprel(-(V - self.V_sh - 5.) / 10.)

    def f_p_beta(self, V):
        return 4. * jnp.exp(-(V - self.V_sh + 20.) / 18.)

    def f_q_alpha(self, V):
        return 0.07 * jnp.exp(-(V - self.V_sh + 20.) / 20.)

    def f_q_beta(self, V):
        return 1. / (1. + jnp.exp(-(V - self.V_sh - 10.) / 10.))


class IK_HH1952(GatedChannel):
    """Hodgkin-Huxley potassium channel, ``g_max n^4 (E - V)``."""

    p_power = 4

    def __init__(self, size: int | Sequence[int], keep_size: bool = False, E: Any = -90., g_max: Any = 10.,
                 phi: Any = 1., V_sh: Any = -45., method: str = "exp_auto", name: str | None = None,
                 mode: bm.Mode | None = None):
        super().__init__(size, keep_size, E, g_max, phi, method, name, mode)
        self.V_sh = self._p(V_sh)

    def f_p_alpha(self, V):
        return 0.1 / _exprel(-(V - self.V_sh + 10.) / 10.)

    def f_p_beta(self, V):
        return 0.125 * jnp.exp(-(V - self.V_sh + 20.) / 80.)


class IL(IonChannel):
    """Leak channel, ``g_max (E - V)``."""

    def __init__(self, size: int | Sequence[int], keep_size: bool = False, g_max: Any = 0.1, E: Any = -70.,
                 method: str | None = None, name: str | None = None, mode: bm.Mode | None = None):
        super().__init__(size, keep_size, name, mode)
        self.E, self.g_max = self._p(E), self._p(g_max)

    def current(self, V: jax.Array) -> jax.Array:
        return self.g_max * (self.E - V)


class CondNeuGroup(NeuGroup):
    """A neuron of ion channels: ``C dV/dt = sum_ch current(V) + I``; spikes when ``V`` crosses
    ``V_th`` upwards.

    Args:
        size, keep_size, name, mode: see ``NeuGroup``. C: membrane capacitance (uF/cm2).
        A: membrane area (cm2); the external current is scaled by ``1e-3 / A``.
        V_th: the spike threshold (mV). V_initializer: initial ``V``. method: for ``V``.
        ltc: the projections' inputs are evaluated inside the derivative (``CondNeuGroupLTC``).
        **channels: channels by name (or set them as attributes after construction).
    """

    def __init__(self, size: int | Sequence[int], keep_size: bool = False, C: Any = 1., A: Any = 1e-3,
                 V_th: Any = 0., V_initializer: Any = Uniform(-70., -60.), noise: Any = None,
                 method: str = "exp_auto", name: str | None = None, mode: bm.Mode | None = None,
                 init_var: bool = True, input_var: bool = True, spk_type: Any = None, ltc: bool = False,
                 **channels: IonChannel):
        super().__init__(size, keep_size=keep_size, name=name, mode=mode)
        if noise is not None:
            raise ValueError(describe(self.describe(), "noise=None", repr(noise), "add noise as an input current"))
        self.C, self.A, self.V_th = self._param(C, "C", positive=True), self._param(A, "A", positive=True), \
            self._param(V_th, "V_th")
        self.method, self.ltc, self._V_initializer = check_method(method, self.describe()), bool(ltc), V_initializer
        for key, channel in channels.items():
            setattr(self, key, channel)
        self.reset_state(self.mode.batch_size)

    def channels(self) -> dict[str, IonChannel]:
        """The group's channels by attribute name."""
        return {k: v for k, v in self._children().items() if isinstance(v, IonChannel)}

    def reset_state(self, batch_size: int | None = None) -> None:
        self._state("V", self._V_initializer, batch_size)
        self._state("input", self._zeros(), batch_size)
        dtype = bm.get_float() if self.training else jnp.bool_
        self._state("spike", self._zeros(dtype), batch_size, dtype)
        for channel in self.channels().values():
            channel.reset_state(self.V.value, batch_size)

    def update(self, x: Any = None) -> jax.Array:
        V_old = self.V.value
        I = self._current(x, projected=False) * (1e-3 / self.A)     # the external current, scaled
        if not self.ltc and self.__dict__.get("_current_inputs"):
            I = self.sum_current_inputs(V_old, init=I)                # synapses at the starting V
        chans = tuple(self.channels().values())

        def dV(V: jax.Array) -> tuple:
            total = I + sum((ch.current(V) for ch in chans), jnp.zeros_like(V))
            if self.ltc:
                total = self.sum_current_inputs(V, init=total)
            return (total / self.C,)

        (V,) = ode_step(dV, (V_old,), share.load("dt"), self.method)
        if self.__dict__.get("_delta_inputs"):
            V = V + self.sum_delta_inputs()
        for ch in chans:
            ch.update(V_old)
        fired = jnp.logical_and(V >= self.V_th, V_old < self.V_th)
        self.spike.value = fired.astype(self.spike.dtype)
        self.V.value = V
        return self.spike.value

    def return_info(self) -> bm.Variable:
        return self.spike
