"""bp.analysis against closed forms: fixed points and their types, nullclines, bifurcation
branches, limit cycles and trajectories of textbook models."""
import matplotlib
import numpy as np
import pytest

import neurodyn as bp
from neurodyn.analysis import stability as S

matplotlib.use("Agg")
A, B, TAU = 0.7, 0.8, 12.5


@bp.odeint
def int_V(V, t, w, Iext):
    return V - V * V * V / 3 - w + Iext


@bp.odeint
def int_w(w, t, V, a=A, b=B, tau=TAU):
    return (V + a - b * w) / tau


def fhn_fixed_point(I):
    """The real root of V - V^3/3 - (V + a)/b + I = 0 (one for these parameters), and w."""
    roots = np.roots([-1 / 3, 0., 1 - 1 / B, I - A / B])
    V = roots[np.abs(roots.imag) < 1e-9].real[0]
    return V, (V + A) / B


def fhn_type(V):
    J = np.array([[1 - V ** 2, -1.], [1 / TAU, -B / TAU]])
    p, q = np.trace(J), np.linalg.det(J)
    assert q > 0
    return ("unstable " if p > 0 else "stable ") + ("focus" if p * p - 4 * q < 0 else "node")


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    import matplotlib.pyplot as plt
    plt.close("all")


@pytest.mark.parametrize("I", [0., 0.8])
def test_phase_plane_fixed_point_nullclines_and_vector_field(I, capsys):
    pp = bp.analysis.PhasePlane2D([int_V, int_w], target_vars={"V": [-3, 3], "w": [-3., 3.]},
                                  pars_update={"Iext": I}, resolutions=0.02)
    dx, dy = pp.plot_vector_field(with_return=True)
    V, W = np.meshgrid(pp.resolutions["V"], pp.resolutions["w"])
    np.testing.assert_allclose(dx, V - V ** 3 / 3 - W + I, rtol=1e-5, atol=1e-5)
    null = pp.plot_nullcline(with_return=True)
    xs, ys = null["V"]                       # fx = 0  <=>  w = V - V^3/3 + I
    assert len(xs) > 100
    np.testing.assert_allclose(ys, xs - xs ** 3 / 3 + I, atol=1e-4)
    xs, ys = null["w"]                       # fy = 0  <=>  w = (V + a) / b
    np.testing.assert_allclose(ys, (xs + A) / B, atol=1e-4)
    fps = pp.plot_fixed_point(with_return=True)
    V0, w0 = fhn_fixed_point(I)
    assert fps.shape == (1, 2)
    np.testing.assert_allclose(fps[0], [V0, w0], atol=1e-4)
    assert f"is a {fhn_type(V0)}." in capsys.readouterr().out


def test_trajectory_is_the_integrators_own_steps_and_the_limit_cycle_is_found():
    pp = bp.analysis.PhasePlane2D([int_V, int_w], target_vars={"V": [-3, 3], "w": [-3., 3.]},
                                  pars_update={"Iext": 0.8}, resolutions=0.05)
    mon = pp.plot_trajectory({"V": [-2.8, 1.], "w": [-1.8, 0.]}, duration=5., dt=0.1, with_return=True)
    V, w = np.array([-2.8, 1.], np.float32), np.array([-1.8, 0.], np.float32)
    for k in range(50):                      # each variable with its own (Euler) integrator
        V, w = int_V(V, 0., w, 0.8, dt=0.1), int_w(w, 0., V, dt=0.1)
        V, w = np.asarray(V), np.asarray(w)
        if k in (0, 49):
            np.testing.assert_allclose([mon["V"][k], mon["w"][k]], [V, w], rtol=1e-5, atol=1e-6)
    assert mon["V"].shape == (50, 2) and np.isclose(mon.ts[-1], 5.)
    pp.plot_limit_cycle_by_sim({"V": -2.8, "w": -1.8}, duration=200.)


def test_one_dimensional_phase_plane_and_saddle_node_bifurcation():
    pp = bp.analysis.PhasePlane1D(bp.odeint(lambda x, t, r: r - x ** 2), target_vars={"x": [-2, 2]},
                                  pars_update={"r": 1.}, resolutions=0.01)
    np.testing.assert_allclose(np.sort(pp.plot_fixed_point(with_return=True)), [-1., 1.], atol=1e-5)
    assert pp.plot_vector_field(with_return=True).shape == (400,)
    bif = bp.analysis.Bifurcation1D(bp.odeint(lambda x, t, r: r - x ** 2), target_pars={"r": [-1, 2]},
                                    target_vars={"x": [-2, 2]}, resolutions={"x": 0.01, "r": 0.25})
    fps, (r,), slopes = bif.plot_bifurcation(with_return=True)
    assert (r > 0).all() and len(fps) == 2 * np.sum(bif.resolutions["r"] > 0)
    np.testing.assert_allclose(np.abs(fps), np.sqrt(r), atol=1e-5)       # x* = +-sqrt(r)
    np.testing.assert_allclose(slopes, -2 * fps, atol=1e-4)               # stable above, unstable below
    two = bp.analysis.Bifurcation1D(bp.odeint(lambda x, t, r, s: r + s * x - x ** 3),
                                    target_pars={"r": [-1, 1], "s": [0, 2]}, target_vars={"x": [-3, 3]},
                                    resolutions={"x": 0.01, "r": 0.5, "s": 0.5})
    fps, (r, s), _ = two.plot_bifurcation(with_return=True)
    np.testing.assert_allclose(r + s * fps - fps ** 3, 0., atol=1e-4)


def test_bifurcation_2d_follows_the_fixed_point_and_finds_the_oscillating_range():
    bif = bp.analysis.Bifurcation2D([int_V, int_w], target_pars={"Iext": [0., 1.5]},
                                    target_vars={"V": [-3, 3], "w": [-3., 3.]},
                                    resolutions={"Iext": 0.25, "V": 0.05, "w": 0.05})
    points, pars, jacobians = bif.plot_bifurcation(with_return=True)
    assert len(points) == len(bif.resolutions["Iext"])
    for (V, w), (I,), J in zip(points, pars, jacobians):
        np.testing.assert_allclose([V, w], fhn_fixed_point(I), atol=1e-4)
        assert S.stability_analysis(J) == fhn_type(V)
    cycles = bif.plot_limit_cycle_by_sim(duration=400., with_return=True)
    hi, lo, p = cycles["V"]
    # the fixed point is unstable (a limit cycle around it) for 1 - V*^2 > b / tau
    unstable = [I for (V, _), (I,) in zip(points, pars) if 1 - V ** 2 > B / TAU]
    assert sorted(p[:, 0].tolist()) == sorted(unstable) and len(unstable) >= 2
    assert (hi - lo > 2.).all()


def test_fast_slow_and_models_given_as_systems_or_joint_equations():
    class Neuron(bp.DynamicalSystem):
        def __init__(self):
            super().__init__()
            self.integral = bp.odeint(bp.JointEq(self.dx, self.dy))

        def dx(self, x, t, y):
            return x - x ** 3 / 3 - y

        def dy(self, y, t, x):
            return 0.05 * (x + 0.7 - 0.8 * y)
    fs = bp.analysis.FastSlow1D(Neuron(), fast_vars={"x": [-3, 3]}, slow_vars={"y": [-1, 2]},
                                resolutions={"x": 0.01, "y": 0.1})
    fps, (y,), slopes = fs.plot_bifurcation(with_return=True)
    np.testing.assert_allclose(fps - fps ** 3 / 3 - y, 0., atol=1e-4)
    mon = fs.plot_trajectory({"x": [1.], "y": [0.]}, duration=10., dt=0.1, with_return=True)
    assert mon["x"].shape == (100, 1) and mon["y"].shape == (100, 1)
    pp = bp.analysis.PhasePlane2D(Neuron(), target_vars={"x": [-3, 3], "y": [-3, 3]}, resolutions=0.05)
    fps = pp.plot_fixed_point(with_plot=False, with_return=True)
    np.testing.assert_allclose(fps[0], fhn_fixed_point(0.), atol=1e-4)


def test_stability_types_by_hand():
    assert S.stability_analysis(0.) == S.SADDLE_NODE
    assert S.stability_analysis([[1., 0.], [0., -1.]]) == S.SADDLE_NODE
    assert S.stability_analysis([[0., 1.], [-1., 0.]]) == S.CENTER_2D
    assert S.stability_analysis([[-1., 0.], [0., -1.]]) == S.STABLE_STAR_2D
    assert S.stability_analysis([[1., 1.], [0., 1.]]) == S.UNSTABLE_DEGENERATE_2D
    assert S.stability_analysis([[-2., 0.], [0., -1.]]) == S.STABLE_NODE_2D
    assert S.stability_analysis([[0., 0.], [0., 1.]]) == S.UNSTABLE_LINE_2D


def test_bad_arguments_name_the_problem():
    model = [int_V, int_w]
    with pytest.raises(ValueError, match=r"target_vars naming variables of the model \['V', 'w'\], got \['u'\]"):
        bp.analysis.PhasePlane2D(model, target_vars={"u": [0, 1], "w": [0, 1]})
    with pytest.raises(ValueError, match=r"none for \['Iext'\].*pars_update"):
        bp.analysis.PhasePlane2D(model, target_vars={"V": [0, 1], "w": [0, 1]})
    with pytest.raises(ValueError, match="reversed"):
        bp.analysis.PhasePlane2D(model, target_vars={"V": [1, 0], "w": [0, 1]}, pars_update={"Iext": 0.})
    with pytest.raises(ValueError, match="no target_pars"):
        bp.analysis.PhasePlane2D(model, target_vars={"V": [0, 1], "w": [0, 1]}, target_pars={"Iext": [0, 1]})
    with pytest.raises(ValueError, match="select_candidates"):
        bp.analysis.PhasePlane2D(model, target_vars={"V": [0, 1], "w": [0, 1]}, pars_update={"Iext": 0.}
                                 ).plot_fixed_point(select_candidates="all")


def test_slow_point_finder_on_a_function():
    finder = bp.analysis.SlowPointFinder(lambda x: x - x ** 3, verbose=False)
    finder.find_fps_with_gd_method(np.linspace(-1.8, 1.8, 37)[:, None], tolerance=1e-12, num_batch=200,
                                   num_opt=4000, optimizer=bp.optim.Adam(lr=0.05))
    finder.filter_loss(1e-8)
    finder.keep_unique(0.05)
    np.testing.assert_allclose(np.sort(finder.fixed_points.ravel()), [-1., 0., 1.], atol=1e-3)
    jac = finder.compute_jacobians(np.array([[0.], [1.]]))
    np.testing.assert_allclose(jac[:, 0, 0], [1., -2.], atol=1e-5)            # F'(x) = 1 - 3 x^2
    eig = bp.analysis.SlowPointFinder.decompose_eigenvalues(np.array([[[2., 0.], [0., -3.]]]))
    np.testing.assert_allclose(eig[0]["eig_values"], [-3., 2.])


def test_slow_point_finder_on_the_hh_model_in_float64():
    """The HH model at a constant 5 uA/cm^2 (BrainPy's 4d_HH_model example, which enables x64
    for BFGS): one update is the map; at the fixed point the ionic currents with the gates at
    their steady states balance the input."""
    bp.math.enable_x64()
    try:
        _hh_fixed_point()
    finally:
        bp.math.disable_x64()


def hh_steady_states(V):
    """The HH gates' steady states m, h, n at ``V`` (closed forms of the rate functions)."""
    am = 0.1 * (V + 40) / (1 - np.exp(-(V + 40) / 10)); bm_ = 4 * np.exp(-(V + 65) / 18)
    ah = 0.07 * np.exp(-(V + 65) / 20); bh = 1 / (1 + np.exp(-(V + 35) / 10))
    an = 0.01 * (V + 55) / (1 - np.exp(-(V + 55) / 10)); bn = 0.125 * np.exp(-(V + 65) / 80)
    return {"m": am / (am + bm_), "h": ah / (ah + bh), "n": an / (an + bn)}


def _hh_fixed_point():
    model = bp.neurons.HH(1, method="euler")
    finder = bp.analysis.SlowPointFinder(model, inputs=(model.input, 5.), dt=10., verbose=False,
                                         target_vars={"V": model.V, "m": model.m, "h": model.h, "n": model.n})
    rng = np.random.default_rng(0)
    V0 = rng.uniform(-68., -58., (40, 1))      # starts near rest (from uniform random gates, as in
    gates = hh_steady_states(V0)               # BrainPy's example, BFGS converges from ~1 in 500)
    finder.find_fps_with_opt_solver({"V": V0, **{k: g + rng.normal(0., 0.02, g.shape) for k, g in gates.items()}})
    finder.filter_loss(1e-7)
    finder.keep_unique(0.1)
    fp = {k: float(v[0, 0]) for k, v in finder.fixed_points.items()}
    V = fp["V"]
    m, h, n = hh_steady_states(V).values()
    np.testing.assert_allclose([fp["m"], fp["h"], fp["n"]], [m, h, n], atol=1e-4)
    ionic = 120 * m ** 3 * h * (V - 50) + 36 * n ** 4 * (V + 77) + 0.03 * (V + 54.387)
    np.testing.assert_allclose(ionic, 5., atol=1e-2)
    assert -64. < V < -62.                     # BrainPy's example prints V = -63.0537


def test_named_integrators_are_classes_odeint_returns():
    f = bp.odeint(lambda V, t: -V, method="exp_auto")
    assert isinstance(f, bp.ode.ExponentialEuler) and not isinstance(f, bp.ode.RK4)
    rk4 = bp.ode.RK4(lambda V, t: -V, dt=0.1)
    np.testing.assert_allclose(float(rk4(1., 0.)), np.exp(-0.1), rtol=1e-6)
    euler = bp.ode.Euler(dt=0.5)(lambda V, t: -V)          # the decorator form
    assert isinstance(euler, bp.ode.Euler) and float(euler(1., 0.)) == 0.5


def test_keep_unique_drops_a_chain_of_close_points_as_brainpy_does():
    """BrainPy drops every point within the tolerance of an earlier one, even of a dropped one."""
    finder = bp.analysis.SlowPointFinder(lambda x: -x, verbose=False)
    finder.find_fps_with_gd_method(np.array([[0.], [0.02], [0.04], [1.]]), tolerance=1e-12, num_batch=1,
                                   num_opt=1, optimizer=bp.optim.SGD(lr=1e-9))
    finder.keep_unique(0.025)
    np.testing.assert_allclose(finder.fixed_points.ravel(), [0., 1.], atol=1e-6)


def test_fast_slow_2d_takes_the_slow_variables_integrator_and_one_plotted_span_for_all():
    """Hindmarsh-Rose as three integrators (BrainPy's example): the fixed points are those of the
    fast (x, y) subsystem at each z."""
    dx = bp.odeint(lambda x, t, y, z, Isyn: y - x ** 3 + 3 * x ** 2 - z + Isyn)
    dy = bp.odeint(lambda y, t, x: 1 - 5 * x ** 2 - y)
    dz = bp.odeint(lambda z, t, x: 0.001 * (4 * (x + 1.6) - z))
    analyzer = bp.analysis.FastSlow2D([dx, dy, dz], fast_vars={"x": [-3, 2], "y": [-20., 3.]},
                                      slow_vars={"z": [0., 1.]}, pars_update={"Isyn": 1.5},
                                      resolutions={"x": 0.05, "y": 0.1, "z": 0.5})
    points, pars, _ = analyzer.plot_bifurcation(with_plot=False, with_return=True)
    assert points.shape[1] == 2 and sorted(pars[:, 0].tolist()) == [0., 0.5]    # one point per z of the grid
    x, y, z = points[:, 0], points[:, 1], pars[:, 0]
    np.testing.assert_allclose(y - x ** 3 + 3 * x ** 2 - z + 1.5, 0., atol=1e-3)
    np.testing.assert_allclose(1 - 5 * x ** 2 - y, 0., atol=1e-3)
    analyzer.plot_trajectory({"x": [1., 0.], "y": [1., 0.], "z": [1., 1.]}, duration=10., plot_durations=[2, 8])
    with pytest.raises(ValueError, match="plot_durations"):
        analyzer.plot_trajectory({"x": [1.], "y": [1.], "z": [1.]}, duration=10., plot_durations=[[0, 1], [2, 3]])
