"""Rate (population) models of BrainPy's ``bp.rates``: FitzHugh-Nagumo (also with delayed
feedback), the QIF mean field, Stuart-Landau, Wilson-Cowan and a threshold-linear E/I pair.

The two-variable models share one class, :class:`RateModel`: state ``x`` and ``y``, inputs
``input``/``input_y`` (summed from ``update(inp_x, inp_y)`` and projections, cleared after each
step), optional Ornstein-Uhlenbeck noise on each input (``*_ou_mean``, ``*_ou_sigma``,
``*_ou_tau``; Euler-Maruyama) and the model's right-hand side ``derivative(x, y, x_ext, y_ext)``
integrated with ``method`` (BrainPy's default: exponential Euler).

    >>> import neurodyn as bp, neurodyn.math as bm
    >>> sl = bp.rates.StuartLandauOscillator(1, x_initializer=bp.init.OneInit(0.5),
    ...                                      y_initializer=bp.init.ZeroInit(), method='rk4')
    >>> xs = bm.for_loop(lambda i: sl.update(), bm.arange(2000))     # settles on the limit cycle
    >>> round(float(bm.sqrt(sl.x.value ** 2 + sl.y.value ** 2)[0]), 3)    # radius sqrt(a)
    0.5
"""
from __future__ import annotations

import inspect
import math
from typing import Any, Sequence

import jax
import jax.numpy as jnp

import neurodyn.math as bm
from neurodyn.core import share
from neurodyn.init import OneInit, Uniform, ZeroInit
from neurodyn.integrators import JointEq, odeint
from neurodyn.math._integrate import check_method, ode_step
from neurodyn.neurons._base import NeuGroup

__all__ = ["RateModel", "FHN", "FeedbackFHN", "QIF", "StuartLandauOscillator", "WilsonCowanModel",
           "ThresholdLinearModel"]


class RateModel(NeuGroup):
    """Base of the two-variable rate models; subclasses give ``derivative(x, y, x_ext, y_ext)``."""

    def __init__(self, size: int | Sequence[int], keep_size: bool = False, x_ou_mean: Any = 0.,
                 x_ou_sigma: Any = 0., x_ou_tau: Any = 5., y_ou_mean: Any = 0., y_ou_sigma: Any = 0.,
                 y_ou_tau: Any = 5., x_initializer: Any = Uniform(0, 0.05), y_initializer: Any = Uniform(0, 0.05),
                 method: str = "exp_auto", name: str | None = None, mode: bm.Mode | None = None,
                 input_var: bool = True):
        super().__init__(size, keep_size=keep_size, name=name, mode=mode)
        self.method = check_method("exp_auto" if method == "exp_euler_auto" else method, self.describe())
        self.input_var = bool(input_var)
        self.noise = {}
        for v, (mean, sigma, tau) in {"x": (x_ou_mean, x_ou_sigma, x_ou_tau),
                                      "y": (y_ou_mean, y_ou_sigma, y_ou_tau)}.items():
            mean, sigma = self._param(mean, f"{v}_ou_mean"), self._param(sigma, f"{v}_ou_sigma", non_negative=True)
            if bool(jnp.any(mean != 0.)) or bool(jnp.any(sigma > 0.)):   # BrainPy adds OU noise only then
                self.noise[v] = (mean, sigma, self._param(tau, f"{v}_ou_tau", positive=True))
        self._inits = {"x": x_initializer, "y": y_initializer}

    swept: tuple[str, ...] = ()    # parameters the equations take as arguments (bp.analysis sweeps them)

    def _init_state(self) -> None:
        """Subclasses call it after setting their parameters."""
        self.reset_state(self.mode.batch_size)
        # the equations as BrainPy's integrators (``dx(x, t, y, x_ext, *swept)``, ``dy(y, t, x,
        # y_ext, *swept)``) for bp.analysis; update() steps the same derivative itself
        self.integral = odeint(JointEq(self._equation("x"), self._equation("y")), method=self.method)

    def _equation(self, var: str):
        other = "y" if var == "x" else "x"
        kind = inspect.Parameter.POSITIONAL_OR_KEYWORD
        names = [var, "t", other, f"{var}_ext"] + list(self.swept)
        defaults = {f"{var}_ext": 0., **{p: getattr(self, p) for p in self.swept}}

        def equation(*args: Any, **kwargs: Any) -> jax.Array:
            a = {**defaults, **dict(zip(names, args)), **kwargs}
            ext = (a[f"{var}_ext"], 0.) if var == "x" else (0., a[f"{var}_ext"])
            out = self.derivative(a["x"], a["y"], *ext, **{p: a[p] for p in self.swept})
            return out[0] if var == "x" else out[1]
        equation.__signature__ = inspect.Signature(
            [inspect.Parameter(n, kind, default=defaults.get(n, inspect.Parameter.empty)) for n in names])
        equation.__name__ = f"d{var}"
        return equation

    def reset_state(self, batch_size: int | None = None) -> None:
        self._state("x", self._inits["x"], batch_size)
        self._state("y", self._inits["y"], batch_size)
        if self.input_var:
            self._state("input", self._zeros(), batch_size)
            self._state("input_y", self._zeros(), batch_size)
        for v, (mean, _, _) in self.noise.items():
            self._state(f"{v}_ou", lambda s, m=mean: jnp.broadcast_to(m, s).astype(bm.get_float()), batch_size)

    def derivative(self, x: jax.Array, y: jax.Array, x_ext: Any, y_ext: Any) -> tuple:
        raise TypeError(f"{self.describe()} defines no derivative(x, y, x_ext, y_ext)")

    def _ou(self, v: str, dt: Any) -> jax.Array:
        mean, sigma, tau = self.noise[v]
        var = getattr(self, f"{v}_ou")
        z = var.value
        var.value = z + (mean - z) / tau * dt + sigma * jnp.sqrt(dt) * bm.random.randn(*z.shape)
        return var.value

    def _inputs(self, inp_x: Any, inp_y: Any, dt: Any) -> tuple[Any, Any]:
        ext = {"x": 0. if inp_x is None else bm.unwrap(inp_x), "y": 0. if inp_y is None else bm.unwrap(inp_y)}
        for v in self.noise:
            ext[v] = ext[v] + self._ou(v, dt)
        if self.input_var:
            ext["x"] = self.input.value + ext["x"]
            ext["y"] = self.input_y.value + ext["y"]
        return ext["x"], ext["y"]

    def update(self, inp_x: Any = None, inp_y: Any = None) -> jax.Array:
        dt = share.load("dt")
        x_ext, y_ext = self._inputs(inp_x, inp_y, dt)
        x, y = ode_step(lambda x, y: self.derivative(x, y, x_ext, y_ext), (self.x.value, self.y.value),
                        dt, self.method)
        self.x.value, self.y.value = x, y
        return x

    def clear_input(self) -> None:
        if self.input_var:
            self.input.value = jnp.zeros_like(self.input.value)
            self.input_y.value = jnp.zeros_like(self.input_y.value)


_NOISE = ("x_ou_mean", "x_ou_sigma", "x_ou_tau", "y_ou_mean", "y_ou_sigma", "y_ou_tau")


def _base_kwargs(loc: dict) -> dict:
    return {k: loc[k] for k in ("keep_size",) + _NOISE + ("x_initializer", "y_initializer", "method", "name",
                                                            "mode", "input_var")}


class FHN(RateModel):
    """FitzHugh-Nagumo population: ``dx = -alpha x^3 + beta x^2 + gamma x - y + x_ext``,
    ``dy = (x - delta - epsilon y) / tau + y_ext``."""

    def __init__(self, size, keep_size=False, alpha=3.0, beta=4.0, gamma=-1.5, delta=0.0, epsilon=0.5,
                 tau=20.0, x_ou_mean=0.0, x_ou_sigma=0.0, x_ou_tau=5.0, y_ou_mean=0.0, y_ou_sigma=0.0,
                 y_ou_tau=5.0, x_initializer=Uniform(0, 0.05), y_initializer=Uniform(0, 0.05),
                 method="exp_auto", name=None, mode=None, input_var=True):
        super().__init__(size, **_base_kwargs(locals()))
        for k, v in dict(alpha=alpha, beta=beta, gamma=gamma, delta=delta, epsilon=epsilon).items():
            setattr(self, k, self._param(v, k))
        self.tau = self._param(tau, "tau", positive=True)
        self._init_state()

    def derivative(self, x, y, x_ext, y_ext):
        return (-self.alpha * x ** 3 + self.beta * x ** 2 + self.gamma * x - y + x_ext,
                (x - self.delta - self.epsilon * y) / self.tau + y_ext)


class FeedbackFHN(RateModel):
    """FitzHugh-Nagumo with delayed self-feedback: ``dx = x - x^3/3 - y + x_ext + mu (x(t - delay) - v0)``,
    ``dy = (x + a - b y + y_ext) / tau``; the delayed ``x`` comes from a ring buffer of the last
    ``round(delay / dt)`` steps ago, zero before time 0 (BrainPy's)."""

    def __init__(self, size, keep_size=False, a=0.7, b=0.8, delay=10., tau=12.5, mu=1.6886, v0=-1,
                 x_ou_mean=0.0, x_ou_sigma=0.0, x_ou_tau=5.0, y_ou_mean=0.0, y_ou_sigma=0.0, y_ou_tau=5.0,
                 x_initializer=Uniform(0, 0.05), y_initializer=Uniform(0, 0.05), method="exp_auto",
                 name=None, mode=None, input_var=True, dt=None):
        super().__init__(size, **_base_kwargs(locals()))
        self.a, self.b, self.mu, self.v0 = (self._param(v, k) for k, v in dict(a=a, b=b, mu=mu, v0=v0).items())
        self.tau = self._param(tau, "tau", positive=True)
        self.delay = float(delay)
        self.delay_steps = max(int(round(self.delay / (bm.get_dt() if dt is None else dt))), 1)
        self._init_state()

    def reset_state(self, batch_size=None):
        super().reset_state(batch_size)
        self._state("x_delayed", self._zeros(), batch_size)
        # slot k is read at steps k, k + L, ...: step i reads x at time (i - delay_steps) dt, which
        # was written at step i - L; x at time 0 (the initial x) sits in the slot read first at
        # step delay_steps; earlier reads see zeros
        x0 = self.x.value
        buffer = jnp.zeros((self.delay_steps + 1,) + x0.shape, x0.dtype).at[-1].set(x0)
        old = getattr(self, "x_buffer", None)
        if isinstance(old, bm.Variable) and old.shape == buffer.shape:
            old.value, self.buffer_index.value = buffer, jnp.zeros((), jnp.int32)
        else:
            self.x_buffer = bm.Variable(buffer)
            self.buffer_index = bm.Variable(jnp.zeros((), jnp.int32))

    def update(self, inp_x=None, inp_y=None):
        k = self.buffer_index.value
        self.x_delayed.value = self.x_buffer.value[k]        # x from delay_steps steps ago
        out = super().update(inp_x, inp_y)
        self.x_buffer.value = self.x_buffer.value.at[k].set(out)
        self.buffer_index.value = (k + 1) % (self.delay_steps + 1)
        return out

    def derivative(self, x, y, x_ext, y_ext):
        return (x - x ** 3 / 3 - y + x_ext + self.mu * (self.x_delayed.value - self.v0),
                (x + self.a - self.b * y + y_ext) / self.tau)


class QIF(RateModel):
    """Mean field of quadratic integrate-and-fire neurons (Montbrio, Pazo & Roxin 2015):
    ``x`` the mean potential, ``y`` the rate; ``tau dy = delta / (pi tau) + 2 x y + y_ext``,
    ``tau dx = x^2 + eta + x_ext + J y tau - (pi y tau)^2``."""

    def __init__(self, size, keep_size=False, tau=1., eta=-5.0, delta=1.0, J=15., x_ou_mean=0.0,
                 x_ou_sigma=0.0, x_ou_tau=5.0, y_ou_mean=0.0, y_ou_sigma=0.0, y_ou_tau=5.0,
                 x_initializer=Uniform(0, 0.05), y_initializer=Uniform(0, 0.05), method="exp_auto",
                 name=None, mode=None, input_var=True):
        super().__init__(size, **_base_kwargs(locals()))
        self.tau = self._param(tau, "tau", positive=True)
        self.eta, self.delta, self.J = self._param(eta, "eta"), self._param(delta, "delta"), self._param(J, "J")
        self._init_state()

    def derivative(self, x, y, x_ext, y_ext):
        return ((x ** 2 + self.eta + x_ext + self.J * y * self.tau - (jnp.pi * y * self.tau) ** 2) / self.tau,
                (self.delta / (jnp.pi * self.tau) + 2. * x * y + y_ext) / self.tau)


class StuartLandauOscillator(RateModel):
    """Stuart-Landau (Hopf normal form): ``dx = (a - x^2 - y^2) x - w y + x_ext``,
    ``dy = (a - x^2 - y^2) y + w x + y_ext``; a limit cycle of radius ``sqrt(a)`` for ``a > 0``."""

    def __init__(self, size, keep_size=False, a=0.25, w=0.2, x_ou_mean=0.0, x_ou_sigma=0.0, x_ou_tau=5.0,
                 y_ou_mean=0.0, y_ou_sigma=0.0, y_ou_tau=5.0, x_initializer=Uniform(0, 0.5),
                 y_initializer=Uniform(0, 0.5), method="exp_auto", name=None, mode=None, input_var=True):
        super().__init__(size, **_base_kwargs(locals()))
        self.a, self.w = self._param(a, "a"), self._param(w, "w")
        self._init_state()

    swept = ("a", "w")

    def derivative(self, x, y, x_ext, y_ext, a=None, w=None):
        a, w = (self.a if a is None else a), (self.w if w is None else w)
        r = a - x * x - y * y
        return r * x - w * y + x_ext, r * y + w * x + y_ext


class WilsonCowanModel(RateModel):
    """Wilson-Cowan E (``x``) / I (``y``) pair with sigmoid gains ``F(u) = 1/(1+e^{-a(u-theta)}) -
    1/(1+e^{a theta})`` and refractoriness ``r``."""

    def __init__(self, size, keep_size=False, E_tau=1., E_a=1.2, E_theta=2.8, I_tau=1., I_a=1., I_theta=4.0,
                 wEE=12., wIE=4., wEI=13., wII=11., r=1., x_ou_mean=0.0, x_ou_sigma=0.0, x_ou_tau=5.0,
                 y_ou_mean=0.0, y_ou_sigma=0.0, y_ou_tau=5.0, x_initializer=Uniform(0, 0.05),
                 y_initializer=Uniform(0, 0.05), method="exp_euler_auto", name=None, mode=None,
                 input_var=True):
        super().__init__(size, **_base_kwargs(locals()))
        for k, v in dict(E_a=E_a, E_theta=E_theta, I_a=I_a, I_theta=I_theta, wEE=wEE, wIE=wIE, wEI=wEI,
                         wII=wII, r=r).items():
            setattr(self, k, self._param(v, k))
        self.E_tau, self.I_tau = self._param(E_tau, "E_tau", positive=True), self._param(I_tau, "I_tau", positive=True)
        self._init_state()

    @staticmethod
    def F(u, a, theta):
        return 1 / (1 + jnp.exp(-a * (u - theta))) - 1 / (1 + jnp.exp(a * theta))

    def derivative(self, x, y, x_ext, y_ext):
        ue = self.wEE * x - self.wIE * y + x_ext
        ui = self.wEI * x - self.wII * y + y_ext
        return ((-x + (1 - self.r * x) * self.F(ue, self.E_a, self.E_theta)) / self.E_tau,
                (-y + (1 - self.r * y) * self.F(ui, self.I_a, self.I_theta)) / self.I_tau)


class ThresholdLinearModel(NeuGroup):
    """Threshold-linear E/I rates (Chaudhuri et al. 2015): ``tau_e de = -e + beta_e [I_e]_+``
    (and the same for ``i``), Euler steps, rates kept ``>= 0``, optional noise ``noise_e/i``."""

    def __init__(self, size, tau_e=2e-2, tau_i=1e-2, beta_e=.066, beta_i=.351, noise_e=0., noise_i=0.,
                 e_initializer=ZeroInit(), i_initializer=ZeroInit(), seed=None, keep_size=False, name=None,
                 mode=None, input_var=True):
        super().__init__(size, keep_size=keep_size, name=name, mode=mode)
        self.tau_e, self.tau_i = self._param(tau_e, "tau_e", positive=True), self._param(tau_i, "tau_i", positive=True)
        self.beta_e, self.beta_i = self._param(beta_e, "beta_e"), self._param(beta_i, "beta_i")
        noise = {k: self._param(v, k, non_negative=True) for k, v in dict(noise_e=noise_e, noise_i=noise_i).items()}
        # None when zero: the noise term is then not even traced
        self.noise_e, self.noise_i = (n if bool(jnp.any(n != 0.)) else None for n in noise.values())
        self.input_var, self._inits = bool(input_var), {"e": e_initializer, "i": i_initializer}
        self.reset_state(self.mode.batch_size)

    def reset_state(self, batch_size=None):
        self._state("e", self._inits["e"], batch_size)
        self._state("i", self._inits["i"], batch_size)
        if self.input_var:
            self._state("Ie", self._zeros(), batch_size)
            self._state("Ii", self._zeros(), batch_size)

    def _step(self, r, inp, tau, beta, noise, dt):
        new = r + (-r + beta * jnp.maximum(inp, 0.)) / tau * dt
        if noise is not None:
            new = new + noise / tau * jnp.sqrt(dt) * bm.random.randn(*r.shape)
        return jnp.maximum(new, 0.)

    def update(self, inp_e=None, inp_i=None):
        dt = share.load("dt")
        ie = 0. if inp_e is None else bm.unwrap(inp_e)
        ii = 0. if inp_i is None else bm.unwrap(inp_i)
        if self.input_var:
            ie, ii = self.Ie.value + ie, self.Ii.value + ii
        self.e.value = self._step(self.e.value, ie, self.tau_e, self.beta_e, self.noise_e, dt)
        self.i.value = self._step(self.i.value, ii, self.tau_i, self.beta_i, self.noise_i, dt)
        return self.e.value

    def clear_input(self):
        if self.input_var:
            self.Ie.value = jnp.zeros_like(self.Ie.value)
            self.Ii.value = jnp.zeros_like(self.Ii.value)
