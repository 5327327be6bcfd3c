"""Fractional-order neurons (BrainPy's ``bp.neurons.FractionalFHR`` and
``FractionalIzhikevich``): the membrane equations with a Caputo derivative of order
``0 < alpha <= 1``, integrated by the ``bp.fde`` rules, which keep ``num_memory`` past steps.

* :class:`FractionalFHR` (Mondal et al. 2019, Sci. Rep. 9:15721), the FitzHugh-Rinzel burster
  ``D^a v = v - v^3/3 - w + y + I``, ``D^a w = delta (a + v - b w)``, ``D^a y = mu (c - v - d y)``,
  by the Grünwald-Letnikov short-memory rule; a spike when ``v`` crosses ``Vth`` upwards.
* :class:`FractionalIzhikevich` (Teka, Upadhyay & Mondal 2018, CNSNS 56:161-176),
  ``tau D^a v = f v^2 + g v + h - u + R I``, ``tau D^a u = a (b v - u)``, by the L1 rule; at
  ``v >= V_th``: ``v <- c``, ``u <- u + d``.

With ``alpha = 1`` both are the classical models, stepped by forward Euler.

    >>> import neurodyn as bp
    >>> n = bp.neurons.FractionalIzhikevich(1, alpha=1., num_memory=400)
    >>> runner = bp.DSRunner(n, monitors=['spike'], inputs=('input', 10.), progress_bar=False)
    >>> _ = runner.run(40.)
    >>> int(runner.mon['spike'].sum())              # as BrainPy 2.8.2
    2
"""
from __future__ import annotations

from typing import Any, Sequence

import jax
import jax.numpy as jnp

import neurodyn.math as bm
from neurodyn.check import is_integer
from neurodyn.core import share
from neurodyn.init import OneInit, ZeroInit
from neurodyn.integrators import JointEq
from neurodyn.integrators._fde import CaputoL1Schema, GLShortMemory
from neurodyn.neurons._base import NeuGroup

__all__ = ["FractionalNeuron", "FractionalFHR", "FractionalIzhikevich"]


class FractionalNeuron(NeuGroup):
    """Base of the fractional-order neurons: one trial (no batch axis), an ``input`` Variable,
    and a fractional integrator over the state Variables that :meth:`reset_state` restarts."""

    supported_modes = (bm.NonBatchingMode,)
    state_names: tuple[str, ...] = ()

    def _start(self, integrator: type, alpha: Any, num_memory: int, input_var: bool) -> None:
        self.alpha = alpha
        self.num_memory = is_integer(num_memory, "num_memory", self.describe(), 1)
        self.input_var = bool(input_var)
        self._integrator = integrator
        self.reset_state()

    def reset_state(self, batch_size: int | None = None) -> None:
        for name in self.state_names:
            self._state(name, getattr(self, f"_{name}_initializer"), None)
        if self.input_var:
            self._state("input", self._zeros(), None)
        self._state("spike", self._zeros(jnp.bool_), None, jnp.bool_)
        values = [getattr(self, n).value for n in self.state_names]
        if "_integral" in self.__dict__:
            self.integral.reset(values)
        else:
            self.integral = self._integrator(self.derivative, alpha=self.alpha, num_memory=self.num_memory,
                                             inits=values)

    def _input(self, x: Any) -> Any:
        return self._current(x, projected=False) if self.input_var else (0. if x is None else bm.unwrap(x))

    def clear_input(self) -> None:
        if self.input_var:
            self.input.value = jnp.zeros_like(self.input.value)


class FractionalFHR(FractionalNeuron):
    """The fractional-order FitzHugh-Rinzel neuron; BrainPy's arguments and defaults.

    Args:
        size: number of neurons. alpha: the fractional order(s), in (0, 1].
        num_memory: the steps of memory of the Grünwald-Letnikov rule (default 1000).
        a, b, c, d, delta, mu: the model's constants. Vth: the spike threshold (crossed upwards).
        V_initializer, w_initializer, y_initializer: initial values (2.5, 0, 0).
        input_var: keep an ``input`` Variable added to ``update``'s argument. keep_size, name.
    """

    state_names = ("V", "w", "y")

    def __init__(self, size: int | Sequence[int], alpha: Any, num_memory: int = 1000, a: Any = 0.7,
                 b: Any = 0.8, c: Any = -0.775, d: Any = 1., delta: Any = 0.08, mu: Any = 0.0001,
                 Vth: Any = 1.8, V_initializer: Any = OneInit(2.5), w_initializer: Any = ZeroInit(),
                 y_initializer: Any = ZeroInit(), input_var: bool = True, name: str | None = None,
                 keep_size: bool = False, mode: bm.Mode | None = None):
        super().__init__(size, keep_size=keep_size, name=name, mode=mode)
        self.a, self.b, self.c, self.d = (self._param(v, k) for v, k in ((a, "a"), (b, "b"), (c, "c"), (d, "d")))
        self.delta, self.mu, self.Vth = self._param(delta, "delta"), self._param(mu, "mu"), self._param(Vth, "Vth")
        self._V_initializer, self._w_initializer, self._y_initializer = V_initializer, w_initializer, y_initializer
        self._start(GLShortMemory, alpha, num_memory, input_var)

    def dV(self, V: Any, t: Any, w: Any, y: Any, I: Any) -> jax.Array:
        return V - V ** 3 / 3 - w + y + I

    def dw(self, w: Any, t: Any, V: Any) -> jax.Array:
        return self.delta * (self.a + V - self.b * w)

    def dy(self, y: Any, t: Any, V: Any) -> jax.Array:
        return self.mu * (self.c - V - self.d * y)

    @property
    def derivative(self) -> JointEq:
        return JointEq(self.dV, self.dw, self.dy)

    def update(self, x: Any = None) -> jax.Array:
        V, w, y = self.integral(self.V.value, self.w.value, self.y.value, share.load("t"), I=self._input(x),
                                dt=share.load("dt"))
        self.spike.value = jnp.logical_and(V >= self.Vth, self.V.value < self.Vth)
        self.V.value, self.w.value, self.y.value = V, w, y
        return self.spike.value


class FractionalIzhikevich(FractionalNeuron):
    """The fractional-order Izhikevich neuron; BrainPy's arguments and defaults.

    Args:
        size: number of neurons. alpha: the fractional order(s), in (0, 1].
        num_memory: the steps of memory of the L1 rule (at least the steps run, to be exact).
        a, b, c, d: Izhikevich's constants. f, g, h: the quadratic's coefficients. R: resistance.
        tau: time constant (ms). V_th: the spike peak. V_initializer, u_initializer: initial values.
        input_var, keep_size, name: as :class:`FractionalFHR`.
    """

    state_names = ("V", "u")

    def __init__(self, size: int | Sequence[int], alpha: Any, num_memory: int, a: Any = 0.02, b: Any = 0.20,
                 c: Any = -65., d: Any = 8., f: Any = 0.04, g: Any = 5., h: Any = 140., R: Any = 1.,
                 tau: Any = 1., V_th: Any = 30., V_initializer: Any = OneInit(-65.),
                 u_initializer: Any = OneInit(0.20 * -65.), keep_size: bool = False, input_var: bool = True,
                 name: str | None = None, mode: bm.Mode | None = None):
        super().__init__(size, keep_size=keep_size, name=name, mode=mode)
        self.a, self.b, self.c, self.d = (self._param(v, k) for v, k in ((a, "a"), (b, "b"), (c, "c"), (d, "d")))
        self.f, self.g, self.h, self.R = (self._param(v, k) for v, k in ((f, "f"), (g, "g"), (h, "h"), (R, "R")))
        self.tau = self._param(tau, "tau", positive=True)
        self.V_th = self._param(V_th, "V_th")
        self._V_initializer, self._u_initializer = V_initializer, u_initializer
        self._start(CaputoL1Schema, alpha, num_memory, input_var)

    def dV(self, V: Any, t: Any, u: Any, I_ext: Any) -> jax.Array:
        return (self.f * V * V + self.g * V + self.h - u + self.R * I_ext) / self.tau

    def du(self, u: Any, t: Any, V: Any) -> jax.Array:
        return self.a * (self.b * V - u) / self.tau

    @property
    def derivative(self) -> JointEq:
        return JointEq(self.dV, self.du)

    def update(self, x: Any = None) -> jax.Array:
        V, u = self.integral(self.V.value, self.u.value, share.load("t"), I_ext=self._input(x), dt=share.load("dt"))
        spikes = V >= self.V_th
        self.V.value = jnp.where(spikes, self.c, V)
        self.u.value = jnp.where(spikes, u + self.d, u)
        self.spike.value = spikes
        return spikes
