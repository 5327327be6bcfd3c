"""bp.odeint / bp.JointEq / bp.sdeint against closed forms, convergence orders and BrainPy 2.8.2's
printed numbers."""
import numpy as np
import pytest

import neurodyn as bp
import neurodyn.math as bm
from neurodyn.math._integrate import TABLEAUX

ORDER = {"euler": 1, "midpoint": 2, "heun2": 2, "ralston2": 2, "rk2": 2, "rk3": 3, "heun3": 3,
         "ralston3": 3, "ssprk3": 3, "rk4": 4, "ralston4": 4, "rk4_38rule": 4}


def _errors(method, steps):
    """Errors at t = 2 of dy/dt = y cos(t), y(0) = 1 (exactly exp(sin t)), for each step size (x64)."""
    f = bp.odeint(lambda y, t: y * bm.cos(t), method=method)
    errs = []
    with bm.environment(x64=True):
        for h in steps:
            y = 1.
            for i in range(int(round(2. / h))):
                y = f(y, i * h, dt=h)
            errs.append(abs(float(y) - np.exp(np.sin(2.))))
    return errs


@pytest.mark.parametrize("method", sorted(TABLEAUX))
def test_convergence_order_on_a_time_dependent_equation(method):
    errs = _errors(method, (0.05, 0.025))
    if method == "ralston4":       # its published coefficients have 8 digits: an error floor ~1e-8
        assert max(errs) < 1e-6, errs
    else:
        assert abs(np.log2(errs[0] / errs[1]) - ORDER[method]) < 0.25, errs


def test_printed_numbers_of_brainpy():
    # BrainPy 2.8.2 prints these for 20 steps of f(V, w, t, I) = (-V + w t + I, -w + V), dt=0.1
    ref = {"euler": (1.2458813530841275, 0.8802472851903591), "rk2": (1.2954254022355602, 0.9125498681162711),
           "midpoint": (1.2951596975945976, 0.9124207109912689), "heun2": (1.2959573550284493, 0.9128084344481077),
           "rk3": (1.295607441555068, 0.9131782096836886), "rk4": (1.2956111557545595, 0.9131589475621256)}
    for method, (V_ref, w_ref) in ref.items():
        f = bp.odeint(lambda V, w, t, I: (-V + w * t + I, -w + V), method=method)
        V, w = 1., 0.5
        for i in range(20):
            V, w = f(V, w, i * 0.1, 0.3, dt=0.1)
        np.testing.assert_allclose([float(V), float(w)], [V_ref, w_ref], rtol=1e-5)


def test_decorator_default_method_dt_and_keywords():
    @bp.odeint(dt=0.5)
    def decay(x, t, tau=2.):
        return -x / tau
    assert decay.method == "euler" and decay.variables == ["x"] and decay.parameters == ["tau"]
    assert float(decay(1., 0.)) == pytest.approx(0.75)
    assert float(decay(x=1., t=0., tau=1.)) == pytest.approx(0.5)
    with bm.environment(dt=0.1):
        assert float(bp.odeint(lambda x, t: -x)(1., 0.)) == pytest.approx(0.9)


def test_exponential_euler_is_exact_for_linear_equations():
    f = bp.odeint(lambda V, t, I: (-V + I) / 10., method="exp_auto")
    V = f(-70., 0., 5., dt=1.)
    assert float(V) == pytest.approx(5. + (-75.) * np.exp(-0.1), rel=1e-6)


def test_joint_equations_order_and_values():
    dV = lambda V, t, w, I: -V - w + I
    dw = lambda w, t, V: (V - w) / 10.
    eq = bp.JointEq(dV, dw)
    assert (eq.variables, eq.parameters) == (["V", "w"], ["I"])
    np.testing.assert_allclose([float(d) for d in eq(1., 0., 0., 2.)], [1., 0.1])
    V, w = bp.odeint(eq, method="rk4")(1., 0., 0., 2., dt=0.1)
    # BrainPy 2.8.2 prints [1.0946645736694336, 0.010430637747049332]
    np.testing.assert_allclose([float(V), float(w)], [1.0946645736694336, 0.010430637747049332], rtol=1e-6)


def test_clear_errors():
    with pytest.raises(ValueError, match="'t'"):
        bp.odeint(lambda x, s: -x)
    with pytest.raises(ValueError, match="method"):
        bp.odeint(lambda x, t: -x, method="rk78")
    with pytest.raises(ValueError, match="2 derivative"):
        bp.odeint(lambda x, y, t: -x)(1., 1., 0.)
    with pytest.raises(TypeError, match=r"state_delays\['x'\] a bm.TimeDelay"):
        bp.odeint(lambda x, t: -x, state_delays={"x": 1})
    with pytest.raises(ValueError, match="keyed by the equation's variables"):
        bp.odeint(lambda x, t: -x, state_delays={"y": bm.TimeDelay(bm.zeros(1), 1.)})


def test_odeint_inside_a_compiled_loop():
    f = bp.odeint(lambda x, t: -x, method="rk4")
    x = bm.Variable(bm.ones(2))

    def step(i):
        x.value = f(x.value, i * 0.1, dt=0.1)
        return x.value
    out = bm.for_loop(step, bm.arange(10))
    np.testing.assert_allclose(np.asarray(out[-1]), np.exp(-1.), rtol=1e-5)


def test_sde_euler_ou_process_moments():
    # dx = -x dt + 0.5 dW from x0 = 1: mean e^-t, variance 0.125 (1 - e^-2t)
    bm.random.seed(1)
    ou = bp.sdeint(f=lambda x, t: -x, g=lambda x, t: 0.5, method="euler", dt=0.01)
    x = bm.Variable(bm.ones(20000))

    def step(i):
        x.value = ou(x.value, i * 0.01)
    bm.for_loop(step, bm.arange(100))
    v = np.asarray(x.value)
    assert abs(v.mean() - np.exp(-1.)) < 0.01
    assert abs(v.var() / (0.125 * (1 - np.exp(-2.))) - 1) < 0.05


def test_milstein_beats_euler_on_geometric_brownian_motion():
    # dx = mu x dt + s x dW: x(T) = x0 exp((mu - s^2/2) T + s W(T)); same noise for both schemes
    mu, s, h, n = 0.5, 0.8, 0.05, 20
    errs = {}
    for method in ("euler", "milstein"):
        bm.random.seed(7)
        f = bp.sdeint(f=lambda x, t: mu * x, g=lambda x, t: s * x, method=method, dt=h)
        x = bm.ones(5000)
        W = np.zeros(5000)
        for i in range(n):
            key_state = bm.random.DEFAULT.value
            x = f(x, i * h)
            bm.random.DEFAULT.value = key_state       # replay the increments for the exact path
            W += np.asarray(bm.random.normal(0., 1., (5000,))) * np.sqrt(h)
        exact = np.exp((mu - s * s / 2) * n * h + s * W)
        errs[method] = np.mean(np.abs(np.asarray(x) - exact))
    assert errs["milstein"] < 0.5 * errs["euler"], errs


@pytest.mark.parametrize("method, order", [("rkf45", 5), ("rkdp", 5), ("ck", 5), ("bs", 3), ("heun_euler", 2)])
def test_embedded_pairs_order_and_adaptive_step(method, order):
    errs = _errors(method, (0.1, 0.05))
    assert abs(np.log2(errs[0] / errs[1]) - order) < 0.4, errs
    # adaptive: the same step as the fixed one (time advancing through the stages), plus the next dt
    fixed = bp.odeint(lambda y, t: y * bm.cos(t), method=method)
    adaptive = bp.odeint(lambda y, t: y * bm.cos(t), method=method, adaptive=True, tol=1e-3)
    y_fixed, (y_adaptive, _) = fixed(1., 0.3, dt=0.2), adaptive(1., 0.3, dt=0.2)
    assert float(y_adaptive) == pytest.approx(float(y_fixed), rel=1e-6)
    # the next dt grows when the error is far below tol, shrinks when above
    g = bp.odeint(lambda x, t: -x, method=method, adaptive=True, tol=1e-3)
    _, dt_small_err = g(1., 0., dt=1e-5)
    _, dt_big_err = g(1., 0., dt=2.)
    assert float(dt_small_err) == pytest.approx(5e-5) and float(dt_big_err) < 2.


def test_sde_exponential_euler_and_vector_wiener():
    bm.random.seed(3)
    ou = bp.sdeint(f=lambda x, t: -x / 2., g=lambda x, t: 0., method="exp_euler", dt=0.5)
    assert float(ou(1., 0.)) == pytest.approx(np.exp(-0.25), rel=1e-6)      # exact without noise
    vec = bp.sdeint(f=lambda x, t: 0. * x, g=lambda x, t: bm.ones((3, 2)) * bm.array([1., 0.]),
                    wiener_type=bp.integrators.VECTOR_WIENER, dt=1.)
    out = np.asarray(vec(bm.zeros(3), 0.))
    assert out.shape == (3,) and np.allclose(out, out[0]) and out[0] != 0.   # one shared W_1, W_2 unused


def test_sde_dt_may_follow_positionally_as_in_brainpy():
    integral = bp.sdeint(lambda x, t: -x, lambda x, t: 0.5)
    bm.random.seed(1)
    a = integral(bm.ones(3), 0., 0.1)
    bm.random.seed(1)
    b = integral(bm.ones(3), 0., dt=0.1)
    np.testing.assert_array_equal(np.asarray(a), np.asarray(b))
