"""``bp.fde``: fractional-order differential equations ``D^alpha x = f(x, t)``, ``0 < alpha <= 1``.

The fractional derivative weighs the whole past with a power law, so each integrator keeps a
memory of ``num_memory`` steps in Variables (a ring buffer) and updates it on every call:

* :class:`CaputoEuler`: the fractional forward Euler (rectangle) rule for the Caputo
  derivative, ``x_{k+1} = x_0 + h^alpha / Gamma(alpha + 1) sum_j ((k+1-j)^alpha - (k-j)^alpha)
  f(x_j, t_j)`` (Li & Zeng 2013; Diethelm, Ford & Freed 2004).
* :class:`CaputoL1Schema`: the L1 scheme, ``x_N = h^alpha Gamma(2 - alpha) f + x_{N-1} -
  sum_k (x_{k+1} - x_k) ((N-k)^{1-alpha} - (N-1-k)^{1-alpha})`` (Oldham & Spanier 1974).
* :class:`GLShortMemory`: Grünwald-Letnikov with the short-memory principle, ``x_k = h^alpha f
  - sum_{j=1}^{L} c_j x_{k-j}``, ``c_0 = 1``, ``c_j = (1 - (1 + alpha) / j) c_{j-1}`` (Podlubny 1999).

Memories older than ``num_memory`` steps are forgotten (the Caputo rules need ``num_memory`` at
least the number of steps run to be exact). With ``alpha = 1`` the L1 and Grünwald-Letnikov
rules are forward Euler.

    >>> import neurodyn as bp
    >>> integral = bp.fde.GLShortMemory(lambda x, t: -x, alpha=1., num_memory=10, inits=[1.])
    >>> x = 1.
    >>> for k in range(3):
    ...     x = integral(x, k * 0.1, dt=0.1)
    >>> round(float(x[0]), 6)                         # alpha = 1: Euler, 0.9 ** 3
    0.729
"""
from __future__ import annotations

from typing import Any, Callable, Mapping

import jax
import jax.numpy as jnp
import numpy as np

import neurodyn.math as bm
from neurodyn.check import is_integer
from neurodyn.errors import describe
from neurodyn.integrators._delays import checked_delays, record
from neurodyn.integrators._ode import derivative_arguments

__all__ = ["FDEIntegrator", "CaputoEuler", "CaputoL1Schema", "GLShortMemory", "fdeint"]


class FDEIntegrator(bm.BrainPyObject):
    """What the fractional integrators share: the equation, the orders, the initial values and
    the step ``_advance`` each fills in. ``integral(*variables, t, *parameters, dt=None)``."""

    alpha_max_open = False          # whether alpha = 1 is excluded (the Caputo Euler rule)

    def __init__(self, f: Callable, alpha: Any, num_memory: int, inits: Any, dt: float | None = None,
                 name: str | None = None, state_delays: Mapping[str, Any] | None = None):
        super().__init__(name)
        who = f"bp.fde.{type(self).__name__}({getattr(f, '__name__', 'f')})"
        self.f, self.dt, self._who = f, dt, who
        self.variables, self.parameters = derivative_arguments(f, who)
        self.arguments = self.variables + ["t"] + self.parameters
        self.num_memory = is_integer(num_memory, "num_memory", who, 1)
        alpha = np.broadcast_to(np.asarray(bm.as_numpy(alpha), float), (len(self.variables),))
        top_ok = alpha < 1 if self.alpha_max_open else alpha <= 1
        if not np.all((alpha > 0) & top_ok):
            raise ValueError(describe(who, f"fractional orders alpha in (0, 1{')' if self.alpha_max_open else ']'}, "
                                      "one per variable or one for all", f"{alpha.tolist()}"))
        self.alpha = jnp.asarray(alpha, bm.get_float())
        self.state_delays = checked_delays(state_delays, self.variables, "state_delays", who)
        self._initial = self._inits(inits)
        self._build()
        self.reset(self._initial)

    def _inits(self, inits: Any) -> dict[str, jax.Array]:
        names = self.variables
        if isinstance(inits, Mapping):
            missing = [n for n in names if n not in inits]
            if missing:
                raise ValueError(describe(self._who, f"inits for every variable {names}", f"none for {missing}"))
            values = [inits[n] for n in names]
        else:
            values = list(inits) if isinstance(inits, (list, tuple)) else list(jnp.atleast_1d(bm.unwrap(inits)))
            if len(values) != len(names):
                raise ValueError(describe(self._who, f"one initial value per variable {names}",
                                          f"{len(values)} values"))
        return {n: jnp.atleast_1d(jnp.asarray(bm.unwrap(v), bm.get_float())) for n, v in zip(names, values)}

    def _memory(self, fill: jax.Array | None = None) -> dict:
        """One ring buffer of ``num_memory`` entries per variable (zeros, ``fill`` at slot 0)."""
        out = {}
        for n, v in self._initial.items():
            ring = jnp.zeros((self.num_memory,) + v.shape, bm.get_float())
            out[n] = ring if fill is None else ring.at[0].set(fill[n])
        return out

    @staticmethod
    def _weighted(weights: jax.Array, start: Any, ring: jax.Array) -> jax.Array:
        """``sum_s weights2[start + s] * ring[s]`` for ``weights2`` = ``weights`` repeated twice:
        the ring's slots in time order, weighted without a gather."""
        window = jax.lax.dynamic_slice_in_dim(weights, start, ring.shape[0])
        return jnp.tensordot(window, ring, axes=1)

    def __call__(self, *args: Any, dt: float | None = None, **kwargs: Any) -> Any:
        if dt is None and len(args) == len(self.arguments) + 1:    # BrainPy: dt may follow positionally
            args, dt = args[:-1], args[-1]
        named = dict(zip(self.arguments, args), **kwargs)
        missing = [a for a in self.variables + ["t"] if a not in named]
        if missing:
            raise TypeError(describe(self._who, f"arguments {self.arguments} (and dt=)", f"none for {missing}"))
        dt = dt if dt is not None else self.dt if self.dt is not None else bm.get_dt()
        xs = [jnp.asarray(bm.unwrap(named[v]), bm.get_float()) for v in self.variables]
        params = {p: bm.unwrap_tree(named[p]) for p in self.parameters if p in named}
        out = self.f(*xs, named["t"], **params)
        slopes = [out] if len(self.variables) == 1 else list(out)
        if len(slopes) != len(self.variables):
            raise ValueError(describe(self._who, f"one derivative per variable {self.variables}",
                                      f"{len(slopes)}"))
        new = self._advance(xs, [jnp.asarray(s, bm.get_float()) for s in slopes], dt)
        record(self.state_delays, self.variables, new)
        return new[0] if len(new) == 1 else new

    # each rule fills in these three
    def _build(self) -> None:
        """Precompute the rule's weights."""
        raise NotImplementedError(f"{type(self).__name__} must define _build")

    def reset(self, inits: Any) -> None:
        """Start again from ``inits`` (the memory forgotten)."""
        raise NotImplementedError(f"{type(self).__name__} must define reset")

    def _advance(self, xs: list, slopes: list, dt: Any) -> list:
        """The new values from the current ones and their derivatives; updates the memory."""
        raise NotImplementedError(f"{type(self).__name__} must define _advance")


class CaputoEuler(FDEIntegrator):
    """The fractional Euler method for the Caputo derivative, ``0 < alpha < 1``.

    Args:
        f: ``f(x1, ..., t, p1, ...) -> (dx1, ...)``.
        alpha: the order, one for all variables or one per variable.
        num_memory: the steps remembered (the number of steps run, to be exact).
        inits: the initial values (a list, or a dict by variable).
        dt, name, state_delays: the step (default ``bm.get_dt()``), a name, delays to record.
    """

    alpha_max_open = True

    def _build(self) -> None:
        k = np.arange(self.num_memory + 1, dtype=float)[:, None]
        alpha = np.asarray(self.alpha, float)
        from scipy.special import gamma            # scipy is imported when first needed
        w = np.diff(k ** alpha, axis=0)[::-1] / gamma(alpha)           # oldest step first
        self._weights = jnp.asarray(np.concatenate([w, w]), bm.get_float())

    def reset(self, inits: Any) -> None:
        """Start again from ``inits`` (the memory forgotten)."""
        self._initial = self._inits(inits)
        self.x0 = bm.VarDict({n: bm.Variable(v) for n, v in self._initial.items()})
        self.f_states = bm.VarDict({n: bm.Variable(r) for n, r in self._memory().items()})
        self.idx = bm.Variable(jnp.asarray(1, jnp.int32))

    def _advance(self, xs: list, slopes: list, dt: Any) -> list:
        idx, L, new = self.idx.value, self.num_memory, []
        for i, (n, slope) in enumerate(zip(self.variables, slopes)):
            ring = self.f_states[n].value.at[idx].set(jnp.broadcast_to(slope, self.f_states[n].shape[1:]))
            self.f_states[n].value = ring
            total = self._weighted(self._weights[:, i], L - 1 - idx, ring)
            new.append(self.x0[n].value + total * dt ** self.alpha[i] / self.alpha[i])
        self.idx.value = (idx + 1) % L
        return new


class CaputoL1Schema(FDEIntegrator):
    """The L1 scheme for the Caputo derivative, ``0 < alpha <= 1`` (arguments as :class:`CaputoEuler`)."""

    def __init__(self, f: Callable, alpha: Any, num_memory: int, inits: Any,
                 state_delays: Mapping[str, Any] | None = None, dt: float | None = None, name: str | None = None):
        super().__init__(f, alpha, num_memory, inits, dt, name, state_delays)

    def _build(self) -> None:
        k = np.arange(1, self.num_memory + 2, dtype=float)[:, None]
        w = np.diff(k ** (1 - np.asarray(self.alpha, float)), axis=0)[::-1]
        self._weights = jnp.asarray(np.concatenate([w, w]), bm.get_float())
        from scipy.special import gamma
        self._gamma = jnp.asarray(gamma(2 - np.asarray(self.alpha, float)), bm.get_float())

    def reset(self, inits: Any) -> None:
        """Start again from ``inits`` (the memory forgotten)."""
        self._initial = self._inits(inits)
        self.previous = bm.VarDict({n: bm.Variable(v) for n, v in self._initial.items()})
        self.diff_states = bm.VarDict({n + "_diff": bm.Variable(r) for n, r in self._memory().items()})
        self.idx = bm.Variable(jnp.asarray(self.num_memory - 1, jnp.int32))

    def _advance(self, xs: list, slopes: list, dt: Any) -> list:
        idx, L, new = self.idx.value, self.num_memory, []
        for i, (n, x, slope) in enumerate(zip(self.variables, xs, slopes)):
            ring = self.diff_states[n + "_diff"]
            x = jnp.broadcast_to(x, ring.shape[1:])
            ring.value = ring.value.at[idx].set(x - self.previous[n].value)
            self.previous[n].value = x
            memory = self._weighted(self._weights[:, i], L - 1 - idx, ring.value)
            new.append(dt ** self.alpha[i] * self._gamma[i] * slope + x - memory)
        self.idx.value = (idx + 1) % L
        return new


class GLShortMemory(FDEIntegrator):
    """Grünwald-Letnikov with the short-memory principle, ``0 < alpha <= 1``: only the last
    ``num_memory`` values enter the sum (arguments as :class:`CaputoEuler`)."""

    def __init__(self, f: Callable, alpha: Any, inits: Any, num_memory: int, dt: float | None = None,
                 name: str | None = None, state_delays: Mapping[str, Any] | None = None):
        super().__init__(f, alpha, num_memory, inits, dt, name, state_delays)

    def _build(self) -> None:
        alpha = np.asarray(self.alpha, float)
        c = np.cumprod(np.vstack([np.ones_like(alpha), 1 - (1 + alpha) / np.arange(1, self.num_memory + 1)[:, None]]),
                       axis=0)
        self._coef = c                                    # c_0 .. c_L per variable
        w = c[1:][::-1]                                   # c_L (oldest) .. c_1 (newest)
        self._weights = jnp.asarray(np.concatenate([w, w]), bm.get_float())

    @property
    def binomial_coef(self) -> np.ndarray:
        """``c_1 .. c_L`` per variable, ``(num_memory, num_variables)`` (BrainPy's attribute)."""
        return self._coef[1:].astype(bm.get_float())

    def reset(self, inits: Any) -> None:
        """Start again from ``inits`` (the memory holds them as the newest value)."""
        self._initial = self._inits(inits)
        self.delays = bm.VarDict({n + "_delay": bm.Variable(r) for n, r in self._memory(self._initial).items()})
        self.idx = bm.Variable(jnp.asarray(1, jnp.int32))

    def _advance(self, xs: list, slopes: list, dt: Any) -> list:
        idx, L, new = self.idx.value, self.num_memory, []
        for i, (n, slope) in enumerate(zip(self.variables, slopes)):
            ring = self.delays[n + "_delay"]
            # slot idx holds the oldest value, idx - 1 the newest: weights start at L - idx
            summation = self._weighted(self._weights[:, i], (L - idx) % L, ring.value)
            x = dt ** self.alpha[i] * slope - summation
            ring.value = ring.value.at[idx].set(jnp.broadcast_to(x, ring.shape[1:]))
            new.append(x)
        self.idx.value = (idx + 1) % L
        return new


_METHODS = {"euler": CaputoEuler, "l1": CaputoL1Schema, "short-memory": GLShortMemory}


def fdeint(alpha: Any, num_memory: int, inits: Any, f: Callable | None = None, method: str = "l1",
           dt: float | None = None, name: str | None = None) -> Any:
    """BrainPy's ``bp.fdeint``: ``method`` ``'l1'`` (:class:`CaputoL1Schema`), ``'euler'``
    (:class:`CaputoEuler`) or ``'short-memory'`` (:class:`GLShortMemory`); a decorator without ``f``."""
    key = {"caputol1": "l1", "caputoeuler": "euler", "glshortmemory": "short-memory"}.get(method.lower(), method)
    if key not in _METHODS:
        raise ValueError(describe("bp.fdeint", f"method one of {sorted(_METHODS)}", repr(method)))
    cls = _METHODS[key]

    def make(fun: Callable) -> FDEIntegrator:
        return cls(fun, alpha=alpha, num_memory=num_memory, inits=inits, dt=dt, name=name)
    return make if f is None else make(f)
