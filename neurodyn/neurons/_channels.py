"""The classic ion channels of BrainPy's ``bp.dyn``/``bp.channels``, each as its gates' rate
functions over :class:`GatedChannel`. A name ending in ``v2`` is the same channel taking its
reversal potential from its ion (master type ``Sodium``/``Potassium``); the other form has its
own ``E`` and is added to the neuron directly.

References: Hodgkin & Huxley 1952 (``HH1952``); Traub & Miles 1991 (``TM1991``); Bazhenov et
al. 1998/2002 (``Ba2002``); Huguenard & McCormick 1992 (``HM1992``); Inoue & Strowbridge 2008
(``IS2008``); Destexhe et al. 1994 (``De1994``).

    >>> import neurodyn as bp
    >>> ch = bp.dyn.INa_Ba2002(1); ch.reset_state(bp.math.array([-65.]))
    >>> round(float(ch.p.value[0]), 4), round(float(ch.q.value[0]), 4)
    (0.0005, 0.9999)
"""
from __future__ import annotations

import inspect
from typing import Any, Sequence

import jax
import jax.numpy as jnp

import neurodyn.math as bm
from neurodyn.neurons._conductance import GatedChannel, IonChannel, JointType, exprel
from neurodyn.neurons._ions import Calcium, CalciumDyna, Potassium, Sodium

__all__ = ["INa_HH1952", "INa_TM1991", "INa_Ba2002", "INa_HH1952v2", "INa_TM1991v2", "INa_Ba2002v2",
           "IK_HH1952", "IK_TM1991", "IKDR_Ba2002", "IK_HH1952v2", "IK_TM1991v2", "IKDR_Ba2002v2", "IKL", "IK_Leak",
           "IL", "Ih_HM1992", "ICaT_HM1992", "ICaT_HP1992", "ICaHT_HM1992", "ICaL_IS2008", "ICaN_IS2008",
           "IAHP_De1994", "IAHP_De1994v2", "on_ion"]

def _q10(base: float, T: float, T0: float) -> float:
    return base ** ((T - T0) / 10.)


def on_ion(channel: type, ion: Any, name: str) -> type:
    """``channel`` taking its reversal potential from ``ion`` (BrainPy's ``...v2`` form): the same
    constructor without ``E``."""
    sig = inspect.signature(channel.__init__)
    sig = sig.replace(parameters=[p for p in sig.parameters.values() if p.name != "E"])

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        bound = sig.bind(self, *args, **kwargs)
        bound.apply_defaults()
        channel.__init__(**bound.arguments, E=None)

    __init__.__signature__ = sig
    doc = f"{channel.__name__} with the reversal potential of its {_name(ion)} ion."
    return type(name, (channel,), {"__init__": __init__, "master_type": ion, "__doc__": doc,
                                   "__module__": channel.__module__})


def _name(t: Any) -> str:
    return repr(t) if isinstance(t, JointType) else t.__name__


# -- sodium ----------------------------------------------------------------------------------
class _INa(GatedChannel):
    """``g_max p^3 q (E - V)``, voltages shifted by ``V_sh``."""
    gates = (("p", 3), ("q", 1))

    def __init__(self, size, keep_size=False, E=50., g_max=120., phi=1., V_sh=-45., method="exp_auto",
                 name=None, mode=None):
        super().__init__(size, keep_size, E, g_max, phi, method, name, mode)
        self.V_sh = self._p(V_sh)


class INa_HH1952(_INa):
    """Hodgkin-Huxley sodium channel, ``g_max m^3 h (E - V)``."""

    def f_p_alpha(self, V):
        return 1. / exprel(-(V - self.V_sh - 5.) / 10.)

    def f_p_beta(self, V):
        return 4. * jnp.exp(-(V - self.V_sh + 20.) / 18.)

    def f_q_alpha(self, V):
        return 0.07 * jnp.exp(-(V - self.V_sh + 20.) / 20.)

    def f_q_beta(self, V):
        return 1. / (1. + jnp.exp(-(V - self.V_sh - 10.) / 10.))


class INa_TM1991(_INa):
    """Traub-Miles sodium channel."""

    def __init__(self, size, keep_size=False, E=50., g_max=120., phi=1., V_sh=-63., method="exp_auto",
                 name=None, mode=None):
        super().__init__(size, keep_size, E, g_max, phi, V_sh, method, name, mode)

    def f_p_alpha(self, V):
        return 0.32 * 4. / exprel((13. - V + self.V_sh) / 4.)

    def f_p_beta(self, V):
        return 0.28 * 5. / exprel((V - self.V_sh - 40.) / 5.)

    def f_q_alpha(self, V):
        return 0.128 * jnp.exp((17. - V + self.V_sh) / 18.)

    def f_q_beta(self, V):
        return 4. / (1. + jnp.exp(-(V - self.V_sh - 40.) / 5.))


class INa_Ba2002(INa_TM1991):
    """Bazhenov et al.'s sodium channel (the Traub-Miles rates, ``phi = 3^((T - 36) / 10)``)."""

    def __init__(self, size, keep_size=False, T=36., E=50., g_max=90., V_sh=-50., method="exp_auto",
                 name=None, mode=None):
        super().__init__(size, keep_size, E, g_max, _q10(3., T, 36.), V_sh, method, name, mode)
        self.T = self._p(T)


# -- potassium -------------------------------------------------------------------------------
class _IK(GatedChannel):
    """``g_max p^4 (E - V)``, voltages shifted by ``V_sh``."""
    gates = (("p", 4),)

    def __init__(self, size, keep_size=False, E=-90., g_max=10., phi=1., V_sh=-45., method="exp_auto",
                 name=None, mode=None):
        super().__init__(size, keep_size, E, g_max, phi, method, name, mode)
        self.V_sh = self._p(V_sh)


class IK_HH1952(_IK):
    """Hodgkin-Huxley potassium channel, ``g_max n^4 (E - V)``."""

    def f_p_alpha(self, V):
        return 0.1 / exprel(-(V - self.V_sh + 10.) / 10.)

    def f_p_beta(self, V):
        return 0.125 * jnp.exp(-(V - self.V_sh + 20.) / 80.)


class IK_TM1991(_IK):
    """Traub-Miles delayed-rectifier potassium channel."""

    def __init__(self, size, keep_size=False, E=-90., g_max=10., phi=1., V_sh=-60., method="exp_auto",
                 name=None, mode=None):
        super().__init__(size, keep_size, E, g_max, phi, V_sh, method, name, mode)

    def f_p_alpha(self, V):
        return 0.032 * 5. / exprel((15. - V + self.V_sh) / 5.)

    def f_p_beta(self, V):
        return 0.5 * jnp.exp((10. - V + self.V_sh) / 40.)


class IKDR_Ba2002(IK_TM1991):
    """Bazhenov et al.'s delayed-rectifier potassium channel (``phi = T_base^((T - 36) / 10)``)."""

    def __init__(self, size, keep_size=False, E=-90., g_max=10., V_sh=-50., T_base=3., T=36., phi=None,
                 method="exp_auto", name=None, mode=None):
        super().__init__(size, keep_size, E, g_max, _q10(T_base, T, 36.) if phi is None else phi, V_sh,
                         method, name, mode)
        self.T, self.T_base = self._p(T), self._p(T_base)


class IKL(IonChannel):
    """Potassium leak, ``g_max (E - V)``."""

    def __init__(self, size, keep_size=False, g_max=0.005, E=-90., method=None, name=None, mode=None):
        super().__init__(size, keep_size, name, mode)
        self.g_max, self.E = self._p(g_max), self._p(E)

    def current(self, V, C=None, E=None):
        return self.g_max * ((E if self.E is None else self.E) - V)


class IL(IKL):
    """Leak channel, ``g_max (E - V)``."""

    def __init__(self, size, keep_size=False, g_max=0.1, E=-70., method=None, name=None, mode=None):
        super().__init__(size, keep_size, g_max, E, method, name, mode)


# -- hyperpolarization-activated -------------------------------------------------------------
class Ih_HM1992(GatedChannel):
    """Huguenard-McCormick hyperpolarization-activated cation channel, ``g_max p (E - V)``."""

    def __init__(self, size, keep_size=False, g_max=10., E=43., phi=1., method="exp_auto", name=None, mode=None):
        super().__init__(size, keep_size, E, g_max, phi, method, name, mode)

    def f_p_inf(self, V):
        return 1. / (1. + jnp.exp((V + 75.) / 5.5))

    def f_p_tau(self, V):
        return 1. / (jnp.exp(-0.086 * V - 14.59) + jnp.exp(0.0701 * V - 1.87))


# -- calcium ---------------------------------------------------------------------------------
class _ICa(GatedChannel):
    """``g_max p^2 q (E_Ca - V)`` with the reversal potential of its calcium ion."""
    master_type = Calcium
    gates = (("p", 2), ("q", 1))

    def __init__(self, size, keep_size=False, T=36., T_base_p=3.55, T_base_q=3., g_max=2., V_sh=0.,
                 phi_p=None, phi_q=None, method="exp_auto", name=None, mode=None):
        super().__init__(size, keep_size, None, g_max, 1., method, name, mode)
        self.T, self.T_base_p, self.T_base_q, self.V_sh = self._p(T), self._p(T_base_p), self._p(T_base_q), \
            self._p(V_sh)
        self.phi_p = self._p(_q10(T_base_p, T, 24.) if phi_p is None else phi_p)
        self.phi_q = self._p(_q10(T_base_q, T, 24.) if phi_q is None else phi_q)


class ICaT_HM1992(_ICa):
    """Huguenard-McCormick low-threshold (T-type) calcium channel."""

    def __init__(self, size, keep_size=False, T=36., T_base_p=3.55, T_base_q=3., g_max=2., V_sh=-3.,
                 phi_p=None, phi_q=None, method="exp_auto", name=None, mode=None):
        super().__init__(size, keep_size, T, T_base_p, T_base_q, g_max, V_sh, phi_p, phi_q, method, name, mode)

    def f_p_inf(self, V):
        return 1. / (1. + jnp.exp(-(V + 59. - self.V_sh) / 6.2))

    def f_p_tau(self, V):
        return 1. / (jnp.exp(-(V + 132. - self.V_sh) / 16.7) + jnp.exp((V + 16.8 - self.V_sh) / 18.2)) + 0.612

    def f_q_inf(self, V):
        return 1. / (1. + jnp.exp((V + 83. - self.V_sh) / 4.))

    def f_q_tau(self, V):
        return jnp.where(V >= -80. + self.V_sh, jnp.exp(-(V + 22. - self.V_sh) / 10.5) + 28.,
                         jnp.exp((V + 467. - self.V_sh) / 66.6))


class ICaHT_HM1992(ICaT_HM1992):
    """The high-threshold form of ``ICaT_HM1992`` (its rates shifted by ``V_sh = 25`` mV)."""

    def __init__(self, size, keep_size=False, T=36., T_base_p=3.55, T_base_q=3., g_max=2., V_sh=25.,
                 method="exp_auto", name=None, mode=None):
        super().__init__(size, keep_size, T, T_base_p, T_base_q, g_max, V_sh, None, None, method, name, mode)


class ICaT_HP1992(_ICa):
    """Huguenard-Prince low-threshold calcium channel."""

    def __init__(self, size, keep_size=False, T=36., T_base_p=5., T_base_q=3., g_max=1.75, V_sh=-3.,
                 phi_p=None, phi_q=None, method="exp_auto", name=None, mode=None):
        super().__init__(size, keep_size, T, T_base_p, T_base_q, g_max, V_sh, phi_p, phi_q, method, name, mode)

    def f_p_inf(self, V):
        return 1. / (1. + jnp.exp(-(V + 52. - self.V_sh) / 7.4))

    def f_p_tau(self, V):
        return 3. + 1. / (jnp.exp((V + 27. - self.V_sh) / 10.) + jnp.exp(-(V + 102. - self.V_sh) / 15.))

    def f_q_inf(self, V):
        return 1. / (1. + jnp.exp((V + 80. - self.V_sh) / 5.))

    def f_q_tau(self, V):
        return 85. + 1. / (jnp.exp((V + 48. - self.V_sh) / 4.) + jnp.exp(-(V + 407. - self.V_sh) / 50.))


class ICaL_IS2008(_ICa):
    """Inoue-Strowbridge high-threshold (L-type) calcium channel."""

    def __init__(self, size, keep_size=False, T=36., T_base_p=3.55, T_base_q=3., g_max=1., V_sh=0.,
                 method="exp_auto", name=None, mode=None):
        super().__init__(size, keep_size, T, T_base_p, T_base_q, g_max, V_sh, None, None, method, name, mode)

    def f_p_inf(self, V):
        return 1. / (1. + jnp.exp(-(V + 10. - self.V_sh) / 4.))

    def f_p_tau(self, V):
        return 0.4 + .7 / (jnp.exp(-(V + 5. - self.V_sh) / 15.) + jnp.exp((V + 5. - self.V_sh) / 15.))

    def f_q_inf(self, V):
        return 1. / (1. + jnp.exp((V + 25. - self.V_sh) / 2.))

    def f_q_tau(self, V):
        return 300. + 100. / (jnp.exp((V + 40. - self.V_sh) / 9.5) + jnp.exp(-(V + 40. - self.V_sh) / 9.5))


class ICaN_IS2008(GatedChannel):
    """Inoue-Strowbridge calcium-activated non-selective cation channel,
    ``g_max C / (C + 0.2) p (E - V)``; needs a dynamical calcium (``CalciumDetailed``, ...)."""
    master_type = CalciumDyna

    def __init__(self, size, keep_size=False, E=10., g_max=1., phi=1., method="exp_auto", name=None, mode=None):
        super().__init__(size, keep_size, E, g_max, phi, method, name, mode)

    def f_p_inf(self, V):
        return 1. / (1. + jnp.exp(-(V + 43.) / 5.2))

    def f_p_tau(self, V):
        return 2.7 / (jnp.exp(-(V + 55.) / 15.) + jnp.exp((V + 55.) / 15.)) + 1.6

    def conductance(self, C=None):
        return super().conductance() * C / (C + 0.2)


# -- calcium-activated potassium -------------------------------------------------------------
class IAHP_De1994(GatedChannel):
    """Destexhe et al.'s calcium-dependent potassium (afterhyperpolarization) channel,
    ``g_max p^2 (E_K - V)`` with ``dp/dt = phi (alpha C^n (1 - p) - beta p)``."""
    master_type = Calcium
    gates = (("p", 2),)

    def __init__(self, size, keep_size=False, E=-95., n=2, g_max=10., alpha=48., beta=0.09, phi=1.,
                 method="exp_auto", name=None, mode=None):
        super().__init__(size, keep_size, E, g_max, phi, method, name, mode)
        self.n, self.alpha, self.beta = self._p(n), self._p(alpha), self._p(beta)

    def rates(self, gate, V, C=None):
        return self.alpha * jnp.power(C, self.n), jnp.broadcast_to(self.beta, jnp.shape(C))


class IAHP_De1994v2(IAHP_De1994):
    """``IAHP_De1994`` in a ``MixIons`` of calcium (its concentration) and potassium (its
    reversal potential)."""
    master_type = JointType[Calcium, Potassium]

    def __init__(self, size, keep_size=False, n=2, g_max=10., alpha=48., beta=0.09, phi=1., method="exp_auto",
                 name=None, mode=None):
        super().__init__(size, keep_size, None, n, g_max, alpha, beta, phi, method, name, mode)

    def reset_state(self, V=None, Ca_info=None, K_info=None, batch_size=None):
        if isinstance(Ca_info, dict):
            super().reset_state(V, Ca_info["C"], K_info["E"], batch_size=batch_size)

    def update(self, V, Ca_info, K_info):
        super().update(V, Ca_info["C"], K_info["E"])

    def current(self, V, Ca_info, K_info):
        return super().current(V, Ca_info["C"], K_info["E"])


INa_HH1952v2 = on_ion(INa_HH1952, Sodium, "INa_HH1952v2")
INa_TM1991v2 = on_ion(INa_TM1991, Sodium, "INa_TM1991v2")
INa_Ba2002v2 = on_ion(INa_Ba2002, Sodium, "INa_Ba2002v2")
IK_HH1952v2 = on_ion(IK_HH1952, Potassium, "IK_HH1952v2")
IK_TM1991v2 = on_ion(IK_TM1991, Potassium, "IK_TM1991v2")
IKDR_Ba2002v2 = on_ion(IKDR_Ba2002, Potassium, "IKDR_Ba2002v2")
IK_Leak = on_ion(IKL, Potassium, "IK_Leak")
