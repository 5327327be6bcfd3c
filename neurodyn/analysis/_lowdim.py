"""What every low-dimensional analyser shares: arguments, grids, trajectories, plotting helpers.

    >>> import neurodyn as bp
    >>> a = LowDimAnalyzer(bp.odeint(lambda x, t, a: a - x), {"x": [-1., 1.]}, pars_update={"a": 0.5})
    >>> a.x_var, a.resolutions["x"].shape
    ('x', (20,))
"""
from __future__ import annotations

import inspect
from typing import Any, Mapping, Sequence

import jax
import jax.numpy as jnp
import numpy as np

import neurodyn.math as bm
from neurodyn.analysis._field import VectorField
from neurodyn.errors import describe
from neurodyn.train._runner import MonitorDict

__all__ = ["LowDimAnalyzer", "say"]

_PREFIX = "\t"


def say(message: str) -> None:
    """BrainPy's progress lines ("I am computing fx-nullcline ...")."""
    print(message, flush=True)


def pyplot():
    import matplotlib.pyplot as plt
    return plt


def _ordered_range(who: str, kind: str, name: str, lim: Any) -> tuple[float, float]:
    try:
        lo, hi = (float(v) for v in lim)
    except (TypeError, ValueError):
        raise ValueError(describe(who, f"{kind} {name!r} as a range (min, max)", repr(lim))) from None
    if lo > hi:
        raise ValueError(describe(who, f"the range of {kind} {name!r} as (min, max)", f"({lo}, {hi}), reversed"))
    return lo, hi


class LowDimAnalyzer:
    """The arguments of BrainPy's analysers, checked.

    Args:
        model: derivative functions / ``bp.odeint`` integrators, a list or dict of them, or a
            DynamicalSystem holding integrators.
        target_vars: ``{variable: (min, max)}``, the axes of the analysis (first x, then y).
        fixed_vars: ``{variable: value}`` for the other variables.
        target_pars: ``{parameter: (min, max)}`` (bifurcations).
        pars_update: ``{parameter: value}`` for the other parameters.
        resolutions: grid step for every axis (a float), per name (``{name: step or array}``),
            or None (20 points per axis).
    """

    def __init__(self, model: Any, target_vars: Mapping, fixed_vars: Mapping | None = None,
                 target_pars: Mapping | None = None, pars_update: Mapping | None = None,
                 resolutions: Any = None, jit_device: Any = None, lim_scale: float = 1.05,
                 options: Mapping | None = None, slow_names: Sequence[str] = ()):
        who = self.who = f"bp.analysis.{type(self).__name__}"
        self.model = VectorField(model, who)
        checks = [("target_vars", target_vars, False), ("fixed_vars", fixed_vars, True),
                  ("target_pars", target_pars, True), ("pars_update", pars_update, True)]
        for label, value, optional in checks:
            if not isinstance(value, Mapping) and not (optional and value is None):
                raise TypeError(describe(who, f"{label} as a dict", type(value).__name__))
        variables, parameters = self.model.variables, self.model.parameters
        self.target_vars = {k: _ordered_range(who, "variable", k, v) for k, v in target_vars.items()}
        self.fixed_vars = dict(fixed_vars or {})
        self.target_pars = {k: _ordered_range(who, "parameter", k, v) for k, v in (target_pars or {}).items()}
        self.pars_update = dict(pars_update or {})
        for label, names, allowed in [("target_vars", self.target_vars, variables), ("fixed_vars", self.fixed_vars, variables),
                                      ("target_pars", self.target_pars, parameters + list(slow_names)),
                                      ("pars_update", self.pars_update, parameters)]:
            unknown = [k for k in names if k not in allowed]
            if unknown:
                raise ValueError(describe(who, f"{label} naming {'variables' if 'vars' in label else 'parameters'} "
                                          f"of the model {allowed}", f"{unknown}"))
        both = [k for k in self.target_vars if k in self.fixed_vars] + [k for k in self.target_pars if k in self.pars_update]
        if both:
            raise ValueError(describe(who, "each name either a target or fixed", f"{both} in both"))
        if not self.target_vars:
            raise ValueError(describe(who, "at least one target variable", "none"))
        self.target_var_names, self.target_par_names = list(self.target_vars), list(self.target_pars)
        self.x_var = self.target_var_names[0]
        self.y_var = self.target_var_names[1] if len(self.target_var_names) > 1 else None
        self.resolutions = self._grids(resolutions)
        self.jit_device, self.lim_scale, self.options = jit_device, lim_scale, dict(options or {})
        self.fixed = {**self.fixed_vars, **self.pars_update}
        names = self.target_var_names + self.target_par_names
        self.F = self.model.function_of(names, self.fixed, self.target_var_names)
        self.analyzed_results: dict[str, Any] = {}

    def _grids(self, resolutions: Any) -> dict[str, np.ndarray]:
        ranges = {**self.target_vars, **self.target_pars}
        if resolutions is not None and not isinstance(resolutions, (float, int, Mapping)):
            raise TypeError(describe(self.who, "resolutions as a float step or a dict name -> step/array",
                                     type(resolutions).__name__))
        if isinstance(resolutions, Mapping):
            unknown = [k for k in resolutions if k not in ranges]
            if unknown:
                raise ValueError(describe(self.who, f"resolutions for target names {list(ranges)}", f"{unknown}"))
        grids = {}
        for name, (lo, hi) in ranges.items():
            step = resolutions.get(name) if isinstance(resolutions, Mapping) else resolutions
            if step is None:
                grid = np.linspace(lo, hi, 20)
            elif np.ndim(step) == 1:
                grid = np.asarray(bm.unwrap(step))
            else:
                grid = np.arange(lo, hi, float(step))
            grids[name] = grid.astype(np.float64)     # equally spaced for matplotlib; JAX casts
        return grids

    # -- helpers ------------------------------------------------------------------------------
    def _lim(self, lim: tuple[float, float]) -> tuple[float, float]:
        margin = (lim[1] - lim[0]) * (self.lim_scale - 1.) / 2
        return lim[0] - margin, lim[1] + margin

    def _reduction(self) -> tuple | None:
        """With a closed-form nullcline in ``options`` (``C.x_by_y_in_fx`` ...): ``(given, free,
        g, h)``: on it the variable ``given`` is ``g(free, *target pars)`` and the fixed points
        are the zeros of ``h(free, *target pars)``, the other derivative along it."""
        from neurodyn.analysis import constants as C
        forms = {C.x_by_y_in_fx: (0, 1, 1), C.y_by_x_in_fx: (1, 0, 1), C.x_by_y_in_fy: (0, 1, 0),
                 C.y_by_x_in_fy: (1, 0, 0)}      # (given, free, index of the remaining derivative)
        key = next((k for k in forms if k in self.options), None)
        if key is None or self.y_var is None:
            return None
        given, free, other = forms[key]
        user = self.options[key]
        names = list(inspect.signature(user).parameters)[1:]
        pars, fixed = self.target_par_names, {**self.model.defaults, **self.fixed}
        missing = [n for n in names if n not in pars and n not in fixed]
        if missing:
            raise ValueError(describe(self.who, f"the arguments of options[{key!r}] after the free variable to "
                                      "be parameters with values", f"{missing} without one"))

        def g(s, *p):
            values = dict(zip(pars, p))
            return user(s, *(values[n] if n in values else fixed[n] for n in names))

        def h(s, *p):
            given_value = g(s, *p)
            xy = (given_value, s) if given == 0 else (s, given_value)
            return self.F(*xy, *p)[other]
        return given, free, g, h

    def _initials(self, initials: Any, names: Sequence[str]) -> dict[str, np.ndarray]:
        """``{var: value(s)}``, ``[x0, y0]``, ``[[x0, y0], ...]`` or a list of dicts as arrays per variable."""
        if isinstance(initials, Mapping):
            out = {k: np.atleast_1d(np.asarray(bm.unwrap(v), bm.get_float())) for k, v in initials.items()}
        elif isinstance(initials, (list, tuple)) and initials and isinstance(initials[0], Mapping):
            out = {k: np.asarray([d[k] for d in initials], bm.get_float()) for k in names}
        else:
            arr = np.asarray(initials, bm.get_float())
            arr = arr.reshape(1, -1) if arr.ndim == 1 else arr
            if arr.ndim != 2 or arr.shape[1] != len(names):
                raise ValueError(describe(self.who, f"initials: one value per variable {list(names)} (or a list of "
                                          "such)", f"shape {np.shape(initials)}"))
            out = {k: arr[:, i] for i, k in enumerate(names)}
        if sorted(out) != sorted(names):
            raise ValueError(describe(self.who, f"initial values of {list(names)}", f"{sorted(out)}"))
        n = max(len(v) for v in out.values())
        return {k: np.broadcast_to(out[k], (n,)).copy() for k in names}

    def _spans(self, plot_durations: Any, duration: float, n: int) -> list:
        """The plotted ``(start, end)`` of each of ``n`` trajectories: all of them (None), one
        pair for all, or one pair each (BrainPy's ``plot_durations``)."""
        if plot_durations is None:
            return [(0., duration)] * n
        spans = list(plot_durations)
        if len(spans) == 2 and not isinstance(spans[0], (list, tuple, np.ndarray)):
            return [tuple(spans)] * n
        if len(spans) != n:
            raise ValueError(describe(self.who, f"plot_durations: one (start, end) for all trajectories or one "
                                      f"for each of the {n}", repr(plot_durations)))
        return spans

    def _simulate(self, initials: Mapping[str, np.ndarray], duration: float, dt: float | None,
                  extra: Mapping[str, Any] | None = None) -> MonitorDict:
        """Integrate from each initial point (each with its own ``extra`` values) for ``duration``."""
        dt = bm.get_dt() if dt is None else float(dt)
        steps = int(round(float(duration) / dt))
        if steps < 1:
            raise ValueError(describe(self.who, f"duration >= dt = {dt}", repr(duration)))
        fixed = {**self.fixed, **(extra or {})}
        step = self.model.stepper(fixed, dt)

        def body(values, k):
            new = step(values, k * dt)
            return new, new
        start = {k: jnp.asarray(v) for k, v in initials.items()}
        _, traj = jax.jit(lambda s: jax.lax.scan(body, s, jnp.arange(steps)))(start)
        mon = MonitorDict({k: np.asarray(v) for k, v in traj.items()})
        mon["ts"] = np.arange(1, steps + 1) * dt
        return mon

    def show_figure(self) -> None:
        pyplot().show()
