"""lorenz63 and mackey_glass: reference trajectories, attractor statistics, argument checks."""
import numpy as np
import pytest
from scipy.integrate import solve_ivp

from neurodyn.datasets import LORENZ63_X0, lorenz63, mackey_glass


def _lorenz_rhs(t, s, sigma=10.0, rho=28.0, beta=8.0 / 3.0):
    x, y, z = s
    return [sigma * (y - x), x * (rho - z) - y, x * y - beta * z]


def test_lorenz63_is_the_ngrc_setting():
    out = lorenz63(5.0)
    ts = np.linspace(0, 5.0, 201)
    ref = solve_ivp(_lorenz_rhs, (0, 5.0), LORENZ63_X0, t_eval=ts, method="RK23")
    np.testing.assert_array_equal(out["ts"], ts)
    np.testing.assert_allclose(np.stack([out["x"], out["y"], out["z"]]), ref.y, rtol=1e-12, atol=1e-12)
    assert out["x"][0] == LORENZ63_X0[0] and out["z"][0] == LORENZ63_X0[2]


def test_lorenz63_start_close_to_accurate_solution():
    out = lorenz63(1.0)
    ref = solve_ivp(_lorenz_rhs, (0, 1.0), LORENZ63_X0, t_eval=out["ts"], method="DOP853", rtol=1e-11, atol=1e-11)
    err = np.abs(np.stack([out["x"], out["y"], out["z"]]) - ref.y).max(axis=0)
    assert err[:8].max() < 0.05 and err.max() < 0.5  # RK23 at default tolerances


def test_lorenz63_stays_on_attractor():
    out = lorenz63(200.0)
    x, y, z = out["x"], out["y"], out["z"]
    assert x.shape == (8001,)
    assert np.abs(x).max() < 25 and np.abs(y).max() < 35 and 0 < z.min() and z.max() < 55
    assert abs(z[400:].mean() - 23.55) < 0.6
    assert abs(x[400:].mean()) < 2.0  # both wings are visited


def test_lorenz63_parameters_and_errors():
    out = lorenz63(1.0, dt=0.1, x0=(1.0, 1.0, 1.0), rho=0.5)  # rho < 1: decays to the origin
    assert out["ts"].shape == (11,)
    assert np.abs(lorenz63(20.0, x0=(1.0, 1.0, 1.0), rho=0.5)["x"][-1]) < 1e-2
    with pytest.raises(ValueError, match="lorenz63: expected duration to be a positive multiple of dt"):
        lorenz63(1.01, dt=0.025)
    with pytest.raises(ValueError, match="duration > 0"):
        lorenz63(-1.0)
    with pytest.raises(ValueError, match=r"x0 of 3 finite numbers"):
        lorenz63(1.0, x0=(1.0, 2.0))


def test_mackey_glass_chaotic_regime_statistics():
    out = mackey_glass(2000.0, dt=1.0)
    x = out["x"][300:]
    assert out["x"].shape == out["ts"].shape == (2001,)
    assert out["x"][0] == 1.2
    assert 0.2 < x.min() and x.max() < 1.45 and 0.8 < x.mean() < 1.0 and 0.15 < x.std() < 0.3
    xc = x - x.mean()
    ac = np.correlate(xc, xc, "full")[len(xc) - 1:]
    ac /= ac[0]
    peak = 20 + int(np.argmax(ac[20:80]))  # the quasi-period of the tau=17 attractor
    assert 40 <= peak <= 60 and ac[peak] > 0.4


def test_mackey_glass_converges_with_step_and_to_fixed_point():
    coarse = mackey_glass(100.0, dt=1.0, substeps=10)["x"]
    fine = mackey_glass(100.0, dt=1.0, substeps=20)["x"]
    assert np.abs(coarse - fine).max() < 1e-4
    stable = mackey_glass(400.0, dt=1.0, tau=2.0)["x"]  # tau below the Hopf point: x* = 1
    assert abs(stable[-1] - 1.0) < 1e-4


def test_mackey_glass_first_step_matches_hand_rk4():
    # on the first tau the delayed term is the constant history x0
    x0, h = 1.2, 0.1
    f = lambda x: 0.2 * x0 / (1 + x0 ** 10) - 0.1 * x  # noqa: E731
    x = x0
    for _ in range(10):
        k1 = f(x); k2 = f(x + h / 2 * k1); k3 = f(x + h / 2 * k2); k4 = f(x + h * k3)  # noqa: E702
        x += h / 6 * (k1 + 2 * k2 + 2 * k3 + k4)
    assert mackey_glass(1.0, dt=1.0)["x"][1] == pytest.approx(x, rel=1e-12)


def test_mackey_glass_errors():
    with pytest.raises(ValueError, match=r"mackey_glass: expected the step dt / substeps to divide tau"):
        mackey_glass(10.0, dt=1.0, tau=17.05)
    with pytest.raises(ValueError, match="substeps >= 1"):
        mackey_glass(10.0, dt=1.0, substeps=0)
    with pytest.raises(ValueError, match="tau > 0"):
        mackey_glass(10.0, dt=1.0, tau=0.0)
