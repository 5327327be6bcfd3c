"""The shared ODE step: exactness on linear equations and the order of each method."""
import jax
import jax.numpy as jnp
import numpy as np
import pytest
from scipy.integrate import solve_ivp

from neurodyn.math._integrate import check_method, ode_step, phi1


def f(x, y):
    return -x + jnp.sin(y) * x + 1., -2. * y + 0.1 * x * x


def solve(method, n):
    dt, state = 2. / n, (jnp.float32(0.5), jnp.float32(1.))
    step = jax.jit(lambda s: ode_step(f, s, dt, method))
    for _ in range(n):
        state = step(state)
    return np.array([float(v) for v in state])


REFERENCE = solve_ivp(lambda t, z: [-z[0] + np.sin(z[1]) * z[0] + 1., -2 * z[1] + 0.1 * z[0] ** 2],
                      (0., 2.), [0.5, 1.], rtol=1e-12, atol=1e-12).y[:, -1]


@pytest.mark.parametrize("method,order,n", [("exp_auto", 1, 40), ("euler", 1, 40), ("rk2", 2, 20),
                                            ("rk4", 4, 8)])
def test_convergence_order(method, order, n):
    e1 = np.abs(solve(method, n) - REFERENCE).sum()       # float32: keep rounding well below
    e2 = np.abs(solve(method, 2 * n) - REFERENCE).sum()   # the truncation error
    assert abs(np.log2(e1 / e2) - order) < 0.35, (e1, e2)


def test_exponential_euler_is_exact_for_linear_decay_with_input():
    x0, tau, I, dt = 3.0, 7.0, 2.0, 0.5
    (x,) = ode_step(lambda x: ((I - x) / tau,), (jnp.float32(x0),), dt, "exp_euler")
    np.testing.assert_allclose(float(x), I + (x0 - I) * np.exp(-dt / tau), rtol=1e-6)


def test_phi1_is_smooth_at_zero():
    z = jnp.array([-1e-6, 0., 1e-6, 0.5])
    np.testing.assert_allclose(phi1(z), [1., 1., 1., np.expm1(0.5) / 0.5], rtol=1e-6)
    assert np.isfinite(float(jax.grad(lambda v: phi1(v))(0.)))


def test_unknown_method_is_rejected():
    with pytest.raises(ValueError, match="rk45"):
        check_method("rk45", "HH(name=x)")
