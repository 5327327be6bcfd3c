"""Ions as masters of channels (BrainPy's ``bp.dyn.Ion``, ``Calcium``, ``Potassium``,
``Sodium``, ``CalciumDetailed``, ``CalciumFirstOrder`` and ``MixIons``).

An ion holds the channels that carry it and gives them its concentration ``C`` (mM) and
reversal potential ``E`` (mV): ``channel.current(V, C, E)``. A fixed ion keeps both constant; a
dynamical calcium integrates ``C`` from the inward current of its channels and recomputes ``E``
by the Nernst equation, ``E = R T / (2 F) log(C0 / C)``. ``MixIons(K, Ca)`` holds the channels
that need several ions (``master_type = JointType[Calcium, Potassium]``).

    >>> import neurodyn as bp, neurodyn.math as bm
    >>> class Cell(bp.dyn.CondNeuGroupLTC):
    ...     def __init__(self, size):
    ...         super().__init__(size, V_initializer=bp.init.Constant(-65.))
    ...         self.Ca = bp.dyn.CalciumDetailed(size, C_rest=5e-5, tau=10., d=0.5)
    ...         self.Ca.add_elem(bp.dyn.ICaT_HM1992(size, g_max=2.))
    ...         self.IL = bp.dyn.IL(size, g_max=0.05, E=-70.)
    >>> cell = Cell(1)
    >>> _ = bm.for_loop(lambda i: cell.step_run(i, 0.), bm.arange(100))
    >>> bool(cell.Ca.C.value[0] > 0)
    True
"""
from __future__ import annotations

from typing import Any, Sequence

import jax
import jax.numpy as jnp

import neurodyn.math as bm
from neurodyn.core import share
from neurodyn.errors import describe
from neurodyn.init import OneInit
from neurodyn.math._integrate import ode_step
from neurodyn.neurons._conductance import HHTypedNeuron, IonChannel, JointType

__all__ = ["Ion", "Calcium", "Potassium", "Sodium", "CalciumDyna", "CalciumDetailed", "CalciumFirstOrder",
           "MixIons", "mix_ions"]


def _free_key(owner: Any, elem: IonChannel) -> str:
    """An attribute name for a channel given without one: its class name, numbered if taken."""
    base, key, i = type(elem).__name__, type(elem).__name__, 1
    while key in owner.__dict__:
        key, i = f"{base}_{i}", i + 1
    return key


class _ChannelHolder(IonChannel):
    """Holds channels as attributes; ``add_elem`` checks each against its master type."""

    def add_elem(self, *elems: IonChannel, **named: IonChannel) -> None:
        """Add channels (positional ones are named after their class)."""
        for elem in elems:
            named[_free_key(self, elem)] = elem
        for key, elem in named.items():
            if not isinstance(elem, IonChannel):
                raise TypeError(describe(f"{self.describe()}.add_elem", "ion channels",
                                         f"{key}={type(elem).__name__}"))
            elem.check_master(self)
            setattr(self, key, elem)

    def channels(self) -> dict[str, IonChannel]:
        """The held channels by attribute name."""
        ions = tuple(getattr(self, "ions", ()))
        return {k: v for k, v in self._children().items()
                if isinstance(v, IonChannel) and not any(v is ion for ion in ions)}


class Ion(_ChannelHolder):
    """An ion of fixed reversal potential ``E`` (mV) and concentration ``C`` (mM), master of the
    channels that carry it (BrainPy's ``Ion`` and its ``*Fixed`` forms).

    Args:
        size, keep_size, name, mode: see ``NeuGroup``. E, C: reversal potential and concentration
        (the species' defaults when None). **channels: channels by name (or ``add_elem``).
    """

    default_E: float | None = None
    default_C: float | None = None

    def __init__(self, size: int | Sequence[int], keep_size: bool = False, E: Any = None, C: Any = None,
                 method: str = "exp_auto", name: str | None = None, mode: bm.Mode | None = None,
                 **channels: IonChannel):
        super().__init__(size, keep_size, name, mode, method)
        self.E = self._p(self.default_E if E is None else E)
        self.C = self._p(self.default_C if C is None else C)
        self.add_elem(**channels)

    def pack_info(self, C: Any = None, E: Any = None) -> dict[str, Any]:
        """``dict(C=, E=)``: what a channel of several ions receives for this one."""
        return dict(C=bm.unwrap(self.C) if C is None else C, E=bm.unwrap(self.E) if E is None else E)

    def _check_defined(self) -> None:
        if self.E is None or self.C is None:
            raise TypeError(describe(self.describe(), "an ion with E and C", "E=None or C=None",
                                     "use a species (bp.dyn.Calcium, Potassium, Sodium) or give E= and C="))

    def current(self, V: jax.Array, C: Any = None, E: Any = None, external: bool = False) -> jax.Array:
        """The summed current of the held channels at ``V``."""
        info = self.pack_info(C, E)
        return sum((ch.current(V, info["C"], info["E"]) for ch in self.channels().values()), jnp.zeros_like(V))

    def update(self, V: jax.Array) -> None:
        self._check_defined()
        info = self.pack_info()
        for ch in self.channels().values():
            ch.update(V, info["C"], info["E"])

    def reset_state(self, V: Any = None, C: Any = None, E: Any = None, batch_size: int | None = None) -> None:
        if V is None or isinstance(V, int):
            return
        self._check_defined()
        info = self.pack_info(C, E)
        for ch in self.channels().values():
            ch.reset_state(V, info["C"], info["E"], batch_size=batch_size)


class Calcium(Ion):
    """Calcium: fixed ``E = 120`` mV, ``C = 2.4e-4`` mM unless given (``CalciumFixed``)."""
    default_E, default_C = 120., 2.4e-4


class Potassium(Ion):
    """Potassium: fixed ``E = -95`` mV, ``C = 0.0400811`` mM unless given (``PotassiumFixed``)."""
    default_E, default_C = -95., 0.0400811


class Sodium(Ion):
    """Sodium: fixed ``E = 50`` mV, ``C = 0.0400811`` mM unless given (``SodiumFixed``)."""
    default_E, default_C = 50., 0.0400811


class CalciumDyna(Calcium):
    """Calcium whose concentration follows ``dC/dt = influx(I_Ca) - removal(C)``
    (``derivative``) and whose reversal potential follows the Nernst equation.

    The influx is driven by the *inward* current of the channels this ion holds (their
    ``current``, inward positive). BrainPy 2.8.2 applies ``max(-I_Ca / (2 F d), 0)`` to its
    inward-positive currents, so calcium never enters there; this follows its documentation
    (inward calcium current raises ``C``).

    Args:
        C0: extracellular concentration (mM). T: temperature (Celsius).
        C_initializer: the initial intracellular concentration (mM).
    """

    R, F = 8.31441, 96.489     # J/(mol K), C/mmol

    def __init__(self, size: int | Sequence[int], keep_size: bool = False, C0: Any = 2., T: Any = 36.,
                 C_initializer: Any = OneInit(2.4e-4), method: str = "exp_auto", name: str | None = None,
                 mode: bm.Mode | None = None, **channels: IonChannel):
        super().__init__(size, keep_size, None, None, method, name, mode, **channels)
        self.C0, self.T, self._C_initializer = self._p(C0), self._p(T), C_initializer
        self._fill("C", self.init_param(C_initializer), None)
        self._fill("E", self.reversal(self.C.value), None)

    def reversal(self, C: jax.Array) -> jax.Array:
        """The Nernst potential of calcium at the inside concentration ``C``."""
        return self.R / (2 * self.F) * (273.15 + self.T) * jnp.log(self.C0 / C)

    def inward_current(self, V: jax.Array, C: jax.Array) -> jax.Array:
        """The inward current (uA/cm2) of the channels this ion holds."""
        return self.current(V, C, self.E.value)

    def derivative(self, C: jax.Array, V: jax.Array) -> jax.Array:
        raise TypeError(f"{self.describe()} does not define derivative(C, V)")

    def update(self, V: jax.Array) -> None:
        C, E = self.C.value, self.E.value
        for ch in self.channels().values():
            ch.update(V, C, E)
        (C,) = ode_step(lambda c: (self.derivative(c, V),), (C,), share.load("dt"), self.method)
        self.C.value, self.E.value = C, self.reversal(C)

    def reset_state(self, V: Any = None, C: Any = None, E: Any = None, batch_size: int | None = None) -> None:
        if V is None or isinstance(V, int):
            return
        self._fill("C", self.init_param(self._C_initializer) if C is None else C, batch_size)
        self._fill("E", self.reversal(self.C.value), batch_size)
        super().reset_state(V, self.C.value, self.E.value, batch_size=batch_size)


class CalciumDetailed(CalciumDyna):
    """Calcium in a shell of depth ``d`` (um) with a first-order pump (Bazhenov et al. 1998):
    ``dC/dt = max(I_Ca, 0) / (2 F d) + (C_rest - C) / tau``, in mM/ms for ``I_Ca`` (inward) in
    uA/cm2: ``1e-2 I_Ca / (2 F d)`` with ``F = 96.489`` C/mmol. (BrainPy 2.8.2 omits the
    ``1e-2`` and, by its sign, never lets calcium in; its calcium stays at ``C_rest``.)

    Args:
        d: shell depth (um). C_rest: resting concentration (mM). tau: removal time (ms).
        T, C0, C_initializer: see ``CalciumDyna``.
    """

    def __init__(self, size: int | Sequence[int], keep_size: bool = False, T: Any = 36., d: Any = 1.,
                 C_rest: Any = 2.4e-4, tau: Any = 5., C0: Any = 2., C_initializer: Any = OneInit(2.4e-4),
                 method: str = "exp_auto", name: str | None = None, mode: bm.Mode | None = None,
                 **channels: IonChannel):
        super().__init__(size, keep_size, C0, T, C_initializer, method, name, mode, **channels)
        self.d, self.C_rest, self.tau = self._p(d), self._p(C_rest), self._p(tau)

    def derivative(self, C: jax.Array, V: jax.Array) -> jax.Array:
        influx = 1e-2 * jnp.maximum(self.inward_current(V, C), 0.) / (2 * self.F * self.d)
        return influx + (self.C_rest - C) / self.tau


class CalciumFirstOrder(CalciumDyna):
    """Calcium of first-order kinetics: ``dC/dt = max(alpha I_Ca, 0) - beta C`` (``I_Ca`` inward,
    so an inward calcium current raises ``C``, as BrainPy's documentation says).

    Args:
        alpha: influx per unit current. beta: removal rate (1/ms). T, C0, C_initializer: see
        ``CalciumDyna``.
    """

    def __init__(self, size: int | Sequence[int], keep_size: bool = False, T: Any = 36., alpha: Any = 0.13,
                 beta: Any = 0.075, C0: Any = 2., C_initializer: Any = OneInit(2.4e-4), method: str = "exp_auto",
                 name: str | None = None, mode: bm.Mode | None = None, **channels: IonChannel):
        super().__init__(size, keep_size, C0, T, C_initializer, method, name, mode, **channels)
        self.alpha, self.beta = self._p(alpha), self._p(beta)

    def derivative(self, C: jax.Array, V: jax.Array) -> jax.Array:
        return jnp.maximum(self.alpha * self.inward_current(V, C), 0.) - self.beta * C


class MixIons(_ChannelHolder):
    """The master of channels that need several ions (``master_type = JointType[...]``): each
    such channel receives one ``dict(C=, E=)`` per ion, in its ``master_type``'s order.

        >>> import neurodyn as bp
        >>> K, Ca = bp.dyn.Potassium(1), bp.dyn.Calcium(1)
        >>> KCa = bp.dyn.MixIons(K, Ca, IAHP=bp.dyn.IAHP_De1994v2(1))
        >>> sorted(KCa.channels())
        ['IAHP']
    """

    def __init__(self, *ions: Ion, **channels: IonChannel):
        if len(ions) < 2 or not all(isinstance(i, Ion) for i in ions):
            raise TypeError(describe("MixIons", "at least two ions (bp.dyn.Calcium, Potassium, ...)",
                                     repr([type(i).__name__ for i in ions])))
        super().__init__(ions[0].size, ions[0].keep_size, mode=ions[0].mode)
        self.ions = tuple(ions)
        self.add_elem(**channels)

    def _infos(self, channel: IonChannel) -> tuple[dict, ...]:
        wanted = type(channel).master_type
        types = wanted.__args__ if isinstance(wanted, JointType) else (wanted,)
        return tuple(next(i for i in self.ions if isinstance(i, t)).pack_info() for t in types)

    def current(self, V: jax.Array) -> jax.Array:
        return sum((ch.current(V, *self._infos(ch)) for ch in self.channels().values()), jnp.zeros_like(V))

    def update(self, V: jax.Array) -> None:
        for ch in self.channels().values():
            ch.update(V, *self._infos(ch))

    def reset_state(self, V: Any = None, *ion_info: Any, batch_size: int | None = None) -> None:
        if V is None or isinstance(V, int):
            return
        for ch in self.channels().values():
            ch.reset_state(V, *self._infos(ch), batch_size=batch_size)


def mix_ions(*ions: Ion) -> MixIons:
    """``MixIons(*ions)``."""
    return MixIons(*ions)
