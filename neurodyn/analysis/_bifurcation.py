"""Bifurcation diagrams: the fixed points of a model (and their types) as parameters vary, and
fast-slow analysis, where slow variables play the parameters (BrainPy's ``Bifurcation1D/2D``,
``FastSlow1D/2D``).

    >>> import neurodyn as bp
    >>> bif = bp.analysis.Bifurcation1D(bp.odeint(lambda x, t, r: r + x ** 2), target_pars={"r": [-1, 1]},
    ...                                 target_vars={"x": [-2, 2]}, resolutions={"x": 0.01, "r": 0.5})
    >>> fps, pars, slopes = bif.plot_bifurcation(with_plot=False, with_return=True)
    I am making bifurcation analysis ...
    >>> sorted(zip(pars[0].round(2).tolist(), [round(float(x), 3) for x in fps]))
    [(-1.0, -1.0), (-1.0, 1.0), (-0.5, -0.707), (-0.5, 0.707)]
"""
from __future__ import annotations

from typing import Any, Mapping, Sequence

import jax
import jax.numpy as jnp
import numpy as np

from neurodyn.analysis import plotstyle, stability
from neurodyn.analysis._lowdim import LowDimAnalyzer, pyplot, say
from neurodyn.analysis._phase_plane import fixed_points_2d, limit_cycle_span, nullcline_points
from neurodyn.analysis._roots import _padded, along, sign_changes, unique_rows
from neurodyn.errors import describe

__all__ = ["Bifurcation1D", "Bifurcation2D", "FastSlow1D", "FastSlow2D"]


def _par_grid(self: LowDimAnalyzer) -> list[np.ndarray]:
    """Every combination of the target parameters' grids, flattened."""
    grids = np.meshgrid(*(self.resolutions[p] for p in self.target_par_names), indexing="ij")
    return [g.ravel() for g in grids]


def _plot_diagram(self: LowDimAnalyzer, var: str, values: np.ndarray, pars: np.ndarray, kinds: Sequence[str],
                  types: Sequence[str]) -> None:
    plt = pyplot()
    fig = plt.figure(var)
    if pars.shape[1] == 1:
        for kind in types:
            sel = np.asarray([k == kind for k in kinds], bool)
            if sel.any():
                plt.plot(pars[sel, 0], values[sel], **plotstyle.plot_schema[kind], label=kind)
        plt.xlabel(self.target_par_names[0])
        plt.ylabel(var)
        plt.xlim(*self._lim(self.target_pars[self.target_par_names[0]]))
        plt.legend()
    elif pars.shape[1] == 2:
        ax = fig.add_subplot(projection="3d")
        for kind in types:
            sel = np.asarray([k == kind for k in kinds], bool)
            if sel.any():
                style = dict(plotstyle.plot_schema[kind])
                style.pop("linestyle")
                style["s"] = style.pop("markersize")
                ax.scatter(pars[sel, 0], pars[sel, 1], values[sel], **style, label=kind)
        ax.set_xlabel(self.target_par_names[0])
        ax.set_ylabel(self.target_par_names[1])
        ax.set_zlabel(var)
        ax.legend()
    else:
        raise ValueError(describe(self.who, "one or two target parameters to plot", f"{pars.shape[1]}"))


class Bifurcation1D(LowDimAnalyzer):
    """Fixed points of a one-variable model over one or two parameters."""

    def __init__(self, model: Any, target_pars: Mapping, target_vars: Mapping, fixed_vars: Mapping | None = None,
                 pars_update: Mapping | None = None, resolutions: Any = None, options: Mapping | None = None,
                 slow_names: Sequence[str] = ()):
        super().__init__(model, target_vars, fixed_vars, target_pars, pars_update, resolutions, options=options,
                         slow_names=slow_names)
        if not self.target_pars:
            raise ValueError(describe(self.who, "target_pars with at least one parameter", "none"))
        self._fx = lambda x, *p: self.F(x, *p)[0]

    def plot_bifurcation(self, with_plot: bool = True, show: bool = False, with_return: bool = False,
                         tol_aux: float = 1e-8, loss_screen: Any = None) -> Any:
        say("I am making bifurcation analysis ...")
        xs = self.resolutions[self.x_var]
        pars = _par_grid(self)
        fx = self._fx
        values = np.asarray(fx(jnp.asarray(xs)[None, :], *(jnp.asarray(p)[:, None] for p in pars)))
        k, i = sign_changes(values)
        par_rows = [p[k] for p in pars]
        if not len(k):
            fps, slopes = np.zeros(0, np.float32), np.zeros(0, np.float32)
        else:
            fps = _padded(along(fx, 0, 1), np.zeros(len(k), np.float32), xs[i], xs[i + 1], *par_rows)
            slopes = np.asarray(jax.vmap(jax.grad(fx))(jnp.asarray(fps), *(jnp.asarray(p) for p in par_rows)))
        if with_plot:
            kinds = [stability.stability_analysis(s) for s in slopes]
            _plot_diagram(self, self.x_var, fps, np.stack(par_rows, 1), kinds, stability.get_1d_stability_types())
            if show:
                pyplot().show()
        return (fps, tuple(par_rows), slopes) if with_return else None


class Bifurcation2D(LowDimAnalyzer):
    """Fixed points of a two-variable model over one or two parameters; limit cycles by simulation."""

    def __init__(self, model: Any, target_pars: Mapping, target_vars: Mapping, fixed_vars: Mapping | None = None,
                 pars_update: Mapping | None = None, resolutions: Any = None, options: Mapping | None = None,
                 slow_names: Sequence[str] = ()):
        super().__init__(model, target_vars, fixed_vars, target_pars, pars_update, resolutions, options=options,
                         slow_names=slow_names)
        if not self.target_pars or self.y_var is None:
            raise ValueError(describe(self.who, "two target variables and at least one target parameter",
                                      f"variables {self.target_var_names}, parameters {self.target_par_names}"))
        self._fixed_points: tuple[np.ndarray, np.ndarray] | None = None
        self._fx = lambda x, y, *p: self.F(x, y, *p)[0]
        self._jacobian = jax.jit(jax.vmap(jax.jacfwd(lambda xy, *p: jnp.stack(self.F(xy[0], xy[1], *p)))))

    def plot_bifurcation(self, with_plot: bool = True, show: bool = False, with_return: bool = False,
                         tol_aux: float = 1e-8, tol_unique: float = 1e-2, tol_opt_candidate: Any = None,
                         num_par_segments: int = 1, num_fp_segment: int = 1, nullcline_aux_filter: float = 1.,
                         select_candidates: str = "aux_rank", num_rank: int = 100) -> Any:
        say("I am making bifurcation analysis ...")
        reduced = self._reduction()
        if reduced is not None:
            points, pars = self._reduced_fixed_points(*reduced)
        else:
            points, pars = self._searched_fixed_points(tol_aux, tol_unique)
        say("I am trying to filter out duplicate fixed points ...")
        jacobians = (np.asarray(self._jacobian(jnp.asarray(points), *(jnp.asarray(pars[:, j]) for j in range(pars.shape[1]))))
                     if len(points) else np.zeros((0, 2, 2)))
        self._fixed_points = (points, pars)
        say(f"\tFound {len(points)} fixed points.")
        if with_plot:
            kinds = [stability.stability_analysis(J) for J in jacobians]
            for k, var in enumerate([self.x_var, self.y_var]):
                _plot_diagram(self, var, points[:, k], pars, kinds, stability.get_2d_stability_types())
            if show:
                pyplot().show()
        return (points, pars, jacobians) if with_return else None

    def _searched_fixed_points(self, tol_aux: float, tol_unique: float) -> tuple[np.ndarray, np.ndarray]:
        """Per parameter point: Newton from the fx-nullcline's points, duplicates removed (fixed
        points outside the window are kept, as BrainPy does)."""
        xs, ys = self.resolutions[self.x_var], self.resolutions[self.y_var]
        X, Y = (jnp.asarray(a) for a in np.meshgrid(xs, ys))
        dtype = jnp.result_type(float)
        points, rows = [], []
        for p in zip(*_par_grid(self)):
            p = tuple(jnp.asarray(v, dtype) for v in p)
            cands = nullcline_points(self._fx, xs, ys, *p)
            scale = float(np.nanmax(np.abs(np.stack([np.asarray(v) for v in self.F(X, Y, *p)]))))
            par_cols = tuple(np.full(len(cands), v, dtype) for v in p)
            found, _ = fixed_points_2d(self.F, cands, par_cols, tol_aux, tol_unique, scale)
            found = unique_rows(found, tol_unique)
            points.append(found)
            rows.append(np.tile(np.asarray(p, dtype), (len(found), 1)))
        return (np.concatenate(points) if points else np.zeros((0, 2)),
                np.concatenate(rows) if rows else np.zeros((0, len(self.target_pars))))

    def _reduced_fixed_points(self, given: int, free: int, g: Any, h: Any) -> tuple[np.ndarray, np.ndarray]:
        """With a closed-form nullcline: the zeros of ``h`` along the free variable's grid, for
        every parameter point at once."""
        grid = self.resolutions[self.target_var_names[free]]
        pars = _par_grid(self)
        values = np.asarray(h(jnp.asarray(grid)[None, :], *(jnp.asarray(p)[:, None] for p in pars)))
        k, i = sign_changes(values)
        if not len(k):
            return np.zeros((0, 2)), np.zeros((0, len(pars)))
        rows = [p[k] for p in pars]
        s = _padded(along(h, 0, 1), np.zeros(len(k)), grid[i], grid[i + 1], *rows)
        other = np.asarray(g(jnp.asarray(s), *(jnp.asarray(r) for r in rows)))
        points = np.stack([other, s] if given == 0 else [s, other], 1)
        return points, np.stack(rows, 1)

    def plot_limit_cycle_by_sim(self, duration: float = 100, with_plot: bool = True, with_return: bool = False,
                                plot_style: dict | None = None, tol: float = 0.001, show: bool = False,
                                dt: float | None = None, offset: float = 1.) -> Any:
        """From each fixed point of :meth:`plot_bifurcation` (moved by ``offset``), simulate; where
        the last half of the run oscillates by more than ``tol``, plot its max and min."""
        say("I am plotting the limit cycle ...")
        if self._fixed_points is None:
            self.plot_bifurcation(with_plot=False)
        points, pars = self._fixed_points
        if not len(points):
            say("No fixed points: no limit cycle searched.")
            return None
        initials = {self.x_var: points[:, 0] + offset, self.y_var: points[:, 1] + offset}
        extra = {name: jnp.asarray(pars[:, j]) for j, name in enumerate(self.target_par_names)}
        mon = self._simulate(initials, duration, dt, extra)
        half = len(mon["ts"]) // 2
        result = {}
        for var in (self.x_var, self.y_var):
            late = mon[var][half:]
            hi, lo = late.max(0), late.min(0)
            cycle = (hi - lo) > tol
            result[var] = (hi[cycle], lo[cycle], pars[cycle])
            if with_plot and cycle.any():
                plt = pyplot()
                plt.figure(var)
                style = dict(color="k", marker=".", linestyle="None") if plot_style is None else dict(plot_style)
                if pars.shape[1] == 1:
                    plt.plot(pars[cycle, 0], hi[cycle], **style, label="limit cycle (max)")
                    plt.plot(pars[cycle, 0], lo[cycle], **style, label="limit cycle (min)")
                    plt.legend()
        if not any(len(v[0]) for v in result.values()):
            say("No limit cycle is found.")
        if show:
            pyplot().show()
        return result if with_return else None


class _FastSlow:
    """Fast-slow analysis: the slow variables are the bifurcation's parameters; the trajectory
    of the whole system is drawn over the diagram."""

    def _fast_slow(self, fast_vars: Mapping, slow_vars: Mapping) -> tuple[dict, dict]:
        if not isinstance(fast_vars, Mapping) or not isinstance(slow_vars, Mapping):
            raise TypeError(describe(f"bp.analysis.{type(self).__name__}", "fast_vars and slow_vars as dicts "
                                     "{name: (min, max)}", f"{type(fast_vars).__name__}, {type(slow_vars).__name__}"))
        return dict(fast_vars), dict(slow_vars)

    def plot_trajectory(self, initials: Any, duration: float, plot_durations: Any = None, dt: float | None = None,
                        show: bool = False, with_plot: bool = True, with_return: bool = False) -> Any:
        say("I am plotting the trajectory ...")
        names = self.target_var_names + self.target_par_names
        initials = self._initials(initials, names)
        mon = self._simulate(initials, duration, dt)
        if with_plot:
            plt = pyplot()
            ts = mon["ts"]
            spans = self._spans(plot_durations, duration, len(initials[self.target_var_names[0]]))
            for var in self.target_var_names:
                fig = plt.figure(var)
                for i in range(len(initials[var])):
                    span = spans[i]
                    sel = (ts >= span[0]) & (ts <= span[1])
                    label = "trajectory: " + ", ".join(f"{k}={round(float(initials[k][i]), 4)}" for k in names)
                    if len(self.target_par_names) == 1:
                        plt.plot(mon[self.target_par_names[0]][sel, i], mon[var][sel, i], label=label)
                    else:
                        ax = fig.axes[0] if fig.axes else fig.add_subplot(projection="3d")
                        ax.plot(mon[self.target_par_names[0]][sel, i], mon[self.target_par_names[1]][sel, i],
                                mon[var][sel, i], label=label)
                plt.legend()
            if show:
                plt.show()
        return mon if with_return else None


class FastSlow1D(_FastSlow, Bifurcation1D):
    """One fast variable, one or two slow ones."""

    def __init__(self, model: Any, fast_vars: Mapping, slow_vars: Mapping, fixed_vars: Mapping | None = None,
                 pars_update: Mapping | None = None, resolutions: Any = None, options: Mapping | None = None):
        fast, slow = self._fast_slow(fast_vars, slow_vars)
        super().__init__(model, slow, fast, fixed_vars, pars_update, resolutions, options, slow_names=list(slow))


class FastSlow2D(_FastSlow, Bifurcation2D):
    """Two fast variables, one or two slow ones."""

    def __init__(self, model: Any, fast_vars: Mapping, slow_vars: Mapping, fixed_vars: Mapping | None = None,
                 pars_update: Mapping | None = None, resolutions: Any = None, options: Mapping | None = None):
        fast, slow = self._fast_slow(fast_vars, slow_vars)
        super().__init__(model, slow, fast, fixed_vars, pars_update, resolutions, options, slow_names=list(slow))
