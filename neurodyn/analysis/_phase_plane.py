"""Phase-plane analysis of one- and two-variable models (BrainPy's ``PhasePlane1D/2D``).

    >>> import neurodyn as bp
    >>> pp = bp.analysis.PhasePlane1D(bp.odeint(lambda x, t: x - x ** 3), target_vars={"x": [-2, 2]},
    ...                               resolutions=0.01)
    >>> fps = pp.plot_fixed_point(with_plot=False, with_return=True)   # doctest: +NORMALIZE_WHITESPACE
    I am searching fixed points ...
    Fixed point #1 at x=-1.0 is a stable point.
    Fixed point #2 at x=0.0 is a unstable point.
    Fixed point #3 at x=1.0 is a stable point.
"""
from __future__ import annotations

from typing import Any, Mapping

import jax
import jax.numpy as jnp
import numpy as np

from neurodyn.analysis import plotstyle, stability
from neurodyn.analysis._lowdim import _PREFIX, LowDimAnalyzer, pyplot, say
from neurodyn.analysis._roots import _padded, along, grid_roots, newton_2d, sign_changes, unique_rows
from neurodyn.errors import describe

__all__ = ["PhasePlane1D", "PhasePlane2D", "fixed_points_2d", "nullcline_points"]


def _plot_types(container: Mapping[str, tuple], show_legend: bool = True) -> None:
    plt = pyplot()
    for kind, (xs, ys) in container.items():
        if len(xs):
            plt.plot(xs, ys, **plotstyle.plot_schema[kind], label=kind)
    if show_legend:
        plt.legend()


class PhasePlane1D(LowDimAnalyzer):
    """The vector field ``dx/dt`` and the fixed points of a one-variable model."""

    def __init__(self, model: Any, target_vars: Mapping, fixed_vars: Mapping | None = None,
                 target_pars: Mapping | None = None, pars_update: Mapping | None = None, resolutions: Any = None,
                 **kwargs: Any):
        if target_pars:
            raise ValueError(describe(f"bp.analysis.{type(self).__name__}", "no target_pars (use a Bifurcation "
                                      "analyser for parameters)", repr(target_pars)))
        super().__init__(model, target_vars, fixed_vars, None, pars_update, resolutions, **kwargs)

    def _fx(self, x):
        return self.F(x)[0]

    def plot_vector_field(self, show: bool = False, with_plot: bool = True, with_return: bool = False) -> Any:
        say("I am creating the vector field ...")
        xs = self.resolutions[self.x_var]
        dx = np.asarray(self._fx(jnp.asarray(xs)))
        if with_plot:
            plt = pyplot()
            label = f"d{self.x_var}dt"
            plt.plot(xs, dx, color="lightcoral", alpha=0.7, linewidth=4, label=label)
            plt.axhline(0)
            plt.xlabel(self.x_var)
            plt.ylabel(label)
            plt.xlim(*self._lim(self.target_vars[self.x_var]))
            plt.legend()
            if show:
                plt.show()
        return dx if with_return else None

    def plot_fixed_point(self, show: bool = False, with_plot: bool = True, with_return: bool = False) -> Any:
        say("I am searching fixed points ...")
        fps = grid_roots(self._fx, self.resolutions[self.x_var])
        slopes = np.asarray(jax.vmap(jax.grad(self._fx))(jnp.asarray(fps))) if len(fps) else np.zeros(0)
        container = {kind: ([], []) for kind in stability.get_1d_stability_types()}
        for i, (x, slope) in enumerate(zip(fps, slopes)):
            kind = stability.stability_analysis(slope)
            say(f"Fixed point #{i + 1} at {self.x_var}={round(float(x), 6)} is a {kind}.")
            container[kind][0].append(float(x))
            container[kind][1].append(0.)
        if with_plot:
            _plot_types(container)
            if show:
                pyplot().show()
        return fps if with_return else None


def nullcline_points(f, xs: np.ndarray, ys: np.ndarray, *pars: Any) -> np.ndarray:
    """Points ``(x, y)`` with ``f(x, y, *pars) = 0``: the zeros along y of every grid column and
    along x of every grid row, refined by bisection."""
    X, Y = np.meshgrid(xs, ys)                     # (ny, nx)
    values = np.asarray(f(jnp.asarray(X), jnp.asarray(Y), *pars))
    found = []
    col, row = sign_changes(values.T)              # along y, for each x
    if len(col):
        rows = [np.full(len(col), p, np.float32) for p in pars]
        y = _padded(along(f, 1, 2), xs[col], ys[row], ys[row + 1], *rows)
        found.append(np.stack([xs[col], y], 1))
    row, col = sign_changes(values)                # along x, for each y
    if len(row):
        rows = [np.full(len(row), p, np.float32) for p in pars]
        x = _padded(along(f, 0, 2), ys[row], xs[col], xs[col + 1], *rows)
        found.append(np.stack([x, ys[row]], 1))
    return np.concatenate(found).astype(np.float32) if found else np.zeros((0, 2), np.float32)


def fixed_points_2d(F, candidates: np.ndarray, pars: tuple, tol_aux: float, tol_unique: float,
                    scale: float) -> tuple[np.ndarray, np.ndarray]:
    """Newton from each candidate; the converged end points (``|F|^2 <= tol_aux``, or float32
    precision relative to ``scale``), and their parameter rows."""
    if not len(candidates):
        return np.zeros((0, 2), np.float32), np.zeros((0, len(pars)), np.float32)
    x, y, residual = newton_2d(F, jnp.asarray(candidates[:, 0]), jnp.asarray(candidates[:, 1]),
                               *(jnp.asarray(p) for p in pars))
    points = np.stack([np.asarray(x), np.asarray(y)], 1)
    residual = np.asarray(residual)
    ok = np.isfinite(residual) & ((residual ** 2 <= tol_aux) | (residual <= 1e-5 * max(scale, 1.)))
    return points[ok], np.stack([np.asarray(p) for p in pars], 1)[ok] if pars else np.zeros((ok.sum(), 0))


class PhasePlane2D(PhasePlane1D):
    """Vector field, nullclines, fixed points and trajectories of a two-variable model."""

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        if self.y_var is None:
            raise ValueError(describe(self.who, "two target variables", f"{self.target_var_names}"))
        self._jacobian = jax.jit(jax.jacfwd(lambda xy: jnp.stack(self.F(xy[0], xy[1]))))

    def _fx(self, x, y):
        return self.F(x, y)[0]

    def _fy(self, x, y):
        return self.F(x, y)[1]

    def plot_vector_field(self, with_plot: bool = True, with_return: bool = False, plot_method: str = "streamplot",
                          plot_style: dict | None = None, show: bool = False) -> Any:
        say("I am creating the vector field ...")
        X, Y = np.meshgrid(self.resolutions[self.x_var], self.resolutions[self.y_var])
        dx, dy = (np.asarray(v) for v in self.F(jnp.asarray(X), jnp.asarray(Y)))
        if with_plot:
            plt = pyplot()
            finite = np.isfinite(dx).all() and np.isfinite(dy).all()
            speed = np.sqrt(dx ** 2 + dy ** 2)
            if plot_method == "quiver":
                style = dict(units="xy") if plot_style is None else dict(plot_style)
                u, v = (dx / np.where(speed > 0, speed, 1.), dy / np.where(speed > 0, speed, 1.)) if finite else (dx, dy)
                plt.quiver(X, Y, u, v, **style)
            elif plot_method == "streamplot":
                style = dict(arrowsize=1.2, density=1, color="thistle") if plot_style is None else dict(plot_style)
                width = style.pop("linewidth", None)
                if width is None and finite and speed.max() > 0:
                    width = 0.5 + 5.5 * speed / speed.max()
                plt.streamplot(X, Y, dx, dy, linewidth=width, **style)
            else:
                raise ValueError(describe(self.who, "plot_method 'streamplot' or 'quiver'", repr(plot_method)))
            plt.xlabel(self.x_var)
            plt.ylabel(self.y_var)
            if show:
                plt.show()
        return (dx, dy) if with_return else None

    def _plane_axes(self) -> None:
        """Label the axes with the variables and show their ranges (with the margin)."""
        plt = pyplot()
        plt.xlabel(self.x_var)
        plt.ylabel(self.y_var)
        plt.xlim(*self._lim(self.target_vars[self.x_var]))
        plt.ylim(*self._lim(self.target_vars[self.y_var]))

    def _nullcline(self, which: int) -> np.ndarray:
        key = f"{'fx' if which == 0 else 'fy'}-nullcline"
        if key not in self.analyzed_results:
            say(f"I am computing {key} ...")
            self.analyzed_results[key] = nullcline_points(self._fx if which == 0 else self._fy,
                                                          self.resolutions[self.x_var], self.resolutions[self.y_var])
        return self.analyzed_results[key]

    def plot_nullcline(self, with_plot: bool = True, with_return: bool = False, y_style: dict | None = None,
                       x_style: dict | None = None, show: bool = False, coords: Any = None,
                       tol_nullcline: float = 1e-7) -> Any:
        fx_points, fy_points = self._nullcline(0), self._nullcline(1)
        if with_plot:
            plt = pyplot()
            for points, var, style, color in [(fx_points, self.x_var, x_style, "cornflowerblue"),
                                              (fy_points, self.y_var, y_style, "lightcoral")]:
                style = dict(color=color, alpha=0.7, fmt=".") if style is None else dict(style)
                fmt = (style.pop("fmt"),) if "fmt" in style else ()
                plt.plot(points[:, 0], points[:, 1], *fmt, **style, label=f"{var} nullcline")
            self._plane_axes()
            plt.legend()
            if show:
                plt.show()
        if with_return:
            return {self.x_var: (fx_points[:, 0], fx_points[:, 1]), self.y_var: (fy_points[:, 0], fy_points[:, 1])}

    def _candidates(self, select_candidates: str, num_rank: int) -> np.ndarray:
        if select_candidates == "fx-nullcline":
            return self._nullcline(0)
        if select_candidates == "fy-nullcline":
            return self._nullcline(1)
        if select_candidates == "nullclines":
            return np.concatenate([self._nullcline(0), self._nullcline(1)])
        if select_candidates == "aux_rank":
            X, Y = np.meshgrid(self.resolutions[self.x_var], self.resolutions[self.y_var])
            fx, fy = (np.asarray(v).ravel() for v in self.F(jnp.asarray(X), jnp.asarray(Y)))
            order = np.argsort(fx ** 2 + fy ** 2)[:num_rank]
            return np.stack([X.ravel()[order], Y.ravel()[order]], 1)
        raise ValueError(describe(self.who, "select_candidates 'fx-nullcline', 'fy-nullcline', 'nullclines' "
                                  "or 'aux_rank'", repr(select_candidates)))

    def plot_fixed_point(self, with_plot: bool = True, with_return: bool = False, show: bool = False,
                         tol_unique: float = 1e-2, tol_aux: float = 1e-8, tol_opt_screen: Any = None,
                         select_candidates: str = "fx-nullcline", num_rank: int = 100) -> Any:
        say("I am searching fixed points ...")
        candidates = self._candidates(select_candidates, num_rank)
        say(f"I am trying to find fixed points by optimization ...\n{_PREFIX}There are {len(candidates)} candidates")
        X, Y = np.meshgrid(self.resolutions[self.x_var], self.resolutions[self.y_var])
        scale = float(np.nanmax(np.abs(np.stack([np.asarray(v) for v in self.F(jnp.asarray(X), jnp.asarray(Y))]))))
        points, _ = fixed_points_2d(self.F, candidates, (), tol_aux, tol_unique, scale)
        window = np.ones(len(points), bool)      # the phase plane shows its window (with its margin)
        for k, var in enumerate([self.x_var, self.y_var]):
            lo, hi = self._lim(self.target_vars[var])
            window &= (points[:, k] >= lo) & (points[:, k] <= hi)
        points = points[window]
        say("I am trying to filter out duplicate fixed points ...")
        points = unique_rows(points, tol_unique)
        say(f"{_PREFIX}Found {len(points)} fixed points.")
        container = {kind: ([], []) for kind in stability.get_2d_stability_types()}
        for i, (x, y) in enumerate(points):
            kind = stability.stability_analysis(np.asarray(self._jacobian(jnp.asarray([x, y]))))
            say(f"{_PREFIX}#{i + 1} {self.x_var}={float(x)}, {self.y_var}={float(y)} is a {kind}.")
            container[kind][0].append(float(x))
            container[kind][1].append(float(y))
        if with_plot:
            _plot_types(container)
            if show:
                pyplot().show()
        return points if with_return else None

    def plot_trajectory(self, initials: Any, duration: float, plot_durations: Any = None, axes: str = "v-v",
                        dt: float | None = None, show: bool = False, with_plot: bool = True,
                        with_return: bool = False, **kwargs: Any) -> Any:
        say("I am plotting the trajectory ...")
        if axes not in ("v-v", "t-v"):
            raise ValueError(describe(self.who, "axes 'v-v' or 't-v'", repr(axes)))
        names = [self.x_var, self.y_var]
        initials = self._initials(initials, names)
        mon = self._simulate(initials, duration, dt)
        if with_plot:
            plt = pyplot()
            n = len(initials[self.x_var])
            spans = self._spans(plot_durations, duration, n)
            ts = mon["ts"]
            for i in range(n):
                start, end = spans[i]
                sel = (ts >= start) & (ts <= end)
                label = "$traj_{%d}$: " % i + ", ".join(f"{k}={round(float(initials[k][i]), 4)}" for k in names)
                if axes == "v-v":
                    plt.plot(mon[self.x_var][sel, i], mon[self.y_var][sel, i], label=label, **kwargs)
                else:
                    for k in names:
                        plt.plot(ts[sel], mon[k][sel, i], label=f"{label}, {k}", **kwargs)
            if axes == "v-v":
                self._plane_axes()
            plt.legend()
            if show:
                plt.show()
        return mon if with_return else None

    def plot_limit_cycle_by_sim(self, initials: Any, duration: float, tol: float = 0.01, show: bool = False,
                                dt: float | None = None) -> None:
        say("I am plotting the limit cycle ...")
        initials = self._initials(initials, [self.x_var, self.y_var])
        mon = self._simulate(initials, duration, dt)
        plt = pyplot()
        for i in range(len(initials[self.x_var])):
            start, end = limit_cycle_span(mon[self.x_var][:, i], tol)
            if start < 0:
                say(f"No limit cycle found for initial value {[float(initials[k][i]) for k in initials]}")
                continue
            plt.plot(mon[self.x_var][start:end, i], mon[self.y_var][start:end, i], label="limit cycle")
        plt.xlabel(self.x_var)
        plt.ylabel(self.y_var)
        plt.legend()
        if show:
            plt.show()


def limit_cycle_span(x: np.ndarray, tol: float) -> tuple[int, int]:
    """The indices of the last two maxima of ``x`` when they are equal to ``tol`` (one period of
    a limit cycle); ``(-1, -1)`` otherwise."""
    x = np.asarray(x)
    peaks = np.nonzero((x[1:-1] > x[:-2]) & (x[1:-1] >= x[2:]))[0] + 1
    if len(peaks) >= 2 and abs(x[peaks[-1]] - x[peaks[-2]]) < tol:
        return int(peaks[-2]), int(peaks[-1])
    return -1, -1
