"""Conductance-based neurons built from ion channels (BrainPy's ``bp.dyn.CondNeuGroup``,
``IonChannel`` and ``JointType``): ``C dV/dt = sum_channels current(V) + I``.

A channel is a child of its *master*, named by its ``master_type``: a neuron
(``HHTypedNeuron``, called as ``current(V)``), an ion (``bp.dyn.Calcium``, ...; called as
``current(V, C, E)`` with the ion's concentration and reversal potential) or several ions
(``JointType[Calcium, Potassium]``; called with one ``dict(C=, E=)`` per ion, in that order).
The group integrates ``V`` with every child's ``current(V)``, then each child advances its
gates at the step's starting ``V`` (``update(V)``); ``reset_state(V, batch_size=)`` puts gates
at their steady state for ``V``. Gates follow first-order kinetics,
``dp/dt = phi (alpha(V) (1 - p) - beta(V) p) = phi (p_inf(V) - p) / tau(V)``, integrated exactly
for the step's ``V``. Reference: Hodgkin, A. L. & Huxley, A. F. (1952). J. Physiol. 117(4), 500-544.

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

__all__ = ["IonChannel", "GatedChannel", "HHTypedNeuron", "CondNeuGroup", "JointType", "exprel"]


def exprel(x: jax.Array) -> jax.Array:
    """``(exp(x) - 1) / x``, finite at 0 (rates of the form ``a x / (1 - exp(-x))``)."""
    small = jnp.abs(x) < 1e-6
    return jnp.where(small, 1. + x / 2., jnp.expm1(jnp.where(small, 1., x)) / jnp.where(small, 1., x))


class JointType:
    """``JointType[Calcium, Potassium]``: the master type of a channel that needs several ions
    (it is added to a ``bp.dyn.MixIons`` of them)."""

    def __init__(self, *types: type):
        self.__args__ = types

    def __class_getitem__(cls, types: Any) -> "JointType":
        return cls(*(types if isinstance(types, tuple) else (types,)))

    def __eq__(self, other: Any) -> bool:
        return isinstance(other, JointType) and other.__args__ == self.__args__

    def __hash__(self) -> int:
        return hash(self.__args__)

    def __repr__(self) -> str:
        return f"JointType[{', '.join(t.__name__ for t in self.__args__)}]"


def _type_name(master_type: Any) -> str:
    return repr(master_type) if isinstance(master_type, JointType) else master_type.__name__


class IonChannel(Dynamic):
    """Base of ion channels (BrainPy's ``IonChannel``/``IonChaDyn``): ``current(V, ...)`` (inward
    positive, uA/cm2), ``update(V, ...)`` advances the gates, ``reset_state(V, ..., batch_size=)``
    puts them at their steady state. ``master_type`` says what the channel is added to and so
    which arguments follow ``V`` (see the module docstring)."""

    supported_modes = (bm.NonBatchingMode, bm.BatchingMode)
    master_type: Any = None      # HHTypedNeuron, set below
    reset_by_master = True

    def __init__(self, size: int | Sequence[int], keep_size: bool = False, name: str | None = None,
                 mode: bm.Mode | None = None, method: str = "exp_auto"):
        super().__init__(size, keep_size=keep_size, name=name, mode=mode,
                         method=check_method(method or "exp_auto", "channel"))

    def _p(self, value: Any) -> jax.Array | None:
        return None if value is None else jnp.asarray(bm.unwrap(self.init_param(value)), bm.get_float())

    def _fill(self, attr: str, value: Any, batch_size: int | None) -> None:
        """Set the state ``self.<attr>`` to ``value`` broadcast to the (batch) shape."""
        shape = self.get_batch_shape(batch_size if self.mode.batching and isinstance(batch_size, int)
                                     else (self.mode.batch_size if self.mode.batching else None))
        value = jnp.broadcast_to(jnp.asarray(bm.unwrap(value), bm.get_float()), shape)
        old = self.__dict__.get(attr)
        if isinstance(old, bm.Variable) and old.shape == value.shape:
            old.value = value
        else:
            setattr(self, attr, bm.Variable(value, batch_axis=0 if self.mode.batching else None))

    def check_master(self, master: Any) -> None:
        """Raise a clear error when this channel is added to a master it cannot work in."""
        wanted = type(self).master_type
        if isinstance(wanted, JointType):
            ions = getattr(master, "ions", None)
            ok = ions is not None and all(any(isinstance(i, t) for i in ions) for t in wanted.__args__)
        else:
            ok = wanted is None or isinstance(master, wanted)
        if not ok:
            where = {True: "a bp.dyn.MixIons of those ions (self.KCa = bp.dyn.MixIons(self.K, self.Ca); "
                           "self.KCa.add_elem(channel))",
                     False: f"a {_type_name(wanted)} (e.g. self.Ca.add_elem(channel))"}[isinstance(wanted, JointType)]
            raise TypeError(describe(self.describe(), f"a master of type {_type_name(wanted)}",
                                     f"{type(master).__name__} {master.describe()}", f"add it to {where}"))

    def current(self, V: jax.Array, *ion_info: Any) -> jax.Array:
        raise TypeError(f"{self.describe()} does not define current(V)")

    def update(self, V: jax.Array, *ion_info: Any) -> None:
        """Leak channels have no gates."""

    def reset_state(self, V: Any = None, *ion_info: Any, batch_size: int | None = None) -> None:
        """Leak channels have no gates."""


class GatedChannel(IonChannel):
    """A channel of ``g_max prod_gates x^power (E - V)``. ``gates`` lists ``(name, power)``; each
    gate ``x`` has rates ``f_x_alpha(V)``/``f_x_beta(V)`` or ``f_x_inf(V)``/``f_x_tau(V)`` and a
    temperature factor ``phi_x`` (default ``phi``). ``E=None``: the reversal potential of the
    channel's ion (BrainPy's ``...v2`` channels).

    Args:
        E: reversal potential (mV). g_max: maximal conductance (mS/cm2). phi: temperature factor.
    """

    gates: tuple[tuple[str, int], ...] = (("p", 1),)

    def __init__(self, size: int | Sequence[int], keep_size: bool = False, E: Any = 50., g_max: Any = 1.,
                 phi: Any = 1., method: str = "exp_auto", name: str | None = None, mode: bm.Mode | None = None):
        super().__init__(size, keep_size, name, mode, method)
        self.E, self.g_max, self.phi = self._p(E), self._p(g_max), self._p(phi)
        for gate, _ in self.gates:        # closed until reset_state(V) (BrainPy starts them at 0)
            self._fill(gate, 0., None)

    def rates(self, gate: str, V: jax.Array, C: Any = None) -> tuple[jax.Array, jax.Array]:
        """``(alpha, beta)`` of ``gate`` at ``V`` (and the ion concentration ``C``)."""
        if hasattr(self, f"f_{gate}_alpha"):
            return getattr(self, f"f_{gate}_alpha")(V), getattr(self, f"f_{gate}_beta")(V)
        inf, tau = getattr(self, f"f_{gate}_inf")(V), getattr(self, f"f_{gate}_tau")(V)
        return inf / tau, (1. - inf) / tau

    def conductance(self, C: Any = None) -> jax.Array:
        g = self.g_max
        for gate, power in self.gates:
            g = g * getattr(self, gate).value ** power
        return g

    def _reversal(self, E: Any) -> Any:
        if self.E is not None:
            return self.E
        if E is None:
            raise TypeError(describe(self.describe(), "the reversal potential of its ion",
                                     "a call without one", f"add it to a {_type_name(type(self).master_type)}"))
        return E

    def reset_state(self, V: Any = None, C: Any = None, E: Any = None, batch_size: int | None = None) -> None:
        if V is None or isinstance(V, int):     # a tree-wide reset(batch_size): the master passes V
            return
        for gate, _ in self.gates:
            alpha, beta = self.rates(gate, bm.as_jax(V), C)
            self._fill(gate, alpha / (alpha + beta), batch_size)

    def update(self, V: jax.Array, C: Any = None, E: Any = None) -> None:
        names = [g for g, _ in self.gates]
        ab = [self.rates(g, V, C) for g in names]
        phis = [getattr(self, f"phi_{g}", None) for g in names]
        phis = [self.phi if p is None else p for p in phis]
        f = lambda *x: tuple(ph * (a * (1. - xi) - b * xi) for xi, ph, (a, b) in zip(x, phis, ab))
        lin = lambda *x: tuple(-ph * (a + b) for ph, (a, b) in zip(phis, ab))
        new = ode_step(f, tuple(getattr(self, g).value for g in names), share.load("dt"), self.method, linear=lin)
        for gate, value in zip(names, new):
            getattr(self, gate).value = value

    def current(self, V: jax.Array, C: Any = None, E: Any = None) -> jax.Array:
        return self.conductance(C) * (self._reversal(E) - V)


class HHTypedNeuron(NeuGroup):
    """The master type of channels that a neuron holds directly (BrainPy's ``HHTypedNeuron``)."""


class CondNeuGroup(HHTypedNeuron):
    """A neuron of ion channels: ``C dV/dt = sum_ch current(V) + I``; spikes when ``V`` crosses
    ``V_th`` upwards.

    Args:
        size, keep_size, name, mode: see ``NeuGroup``. C: membrane capacitance (uF/cm2).
        A: membrane area (cm2); the external current is scaled by ``1e-3 / A``.
        V_th: the spike threshold (mV). V_initializer: initial ``V``. method: for ``V``.
        ltc: the projections' inputs are evaluated inside the derivative (``CondNeuGroupLTC``).
        **channels: channels and ions by name (or set them as attributes after construction).
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
        """The group's channels and ions by attribute name (each checked against its master type)."""
        found = {k: v for k, v in self._children().items() if isinstance(v, IonChannel)}
        for channel in found.values():
            channel.check_master(self)
        return found

    def reset_state(self, batch_size: int | None = None) -> None:
        self._state("V", self._V_initializer, batch_size)
        self._state("input", self._zeros(), batch_size)
        dtype = bm.get_float() if self.training else jnp.bool_
        self._state("spike", self._zeros(dtype), batch_size, dtype)
        for channel in self.channels().values():
            channel.reset_state(self.V.value, batch_size=self.state_batch_size(batch_size))

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


IonChannel.master_type = HHTypedNeuron
