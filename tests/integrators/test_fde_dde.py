"""Fractional (bp.fde) and delay (state_delays=) equations against BrainPy 2.8.2's printed values."""
import numpy as np
import pytest

import neurodyn as bp
import neurodyn.math as bm

# BrainPy 2.8.2: D^alpha (x, y) = (-x + y / 2, -y), alpha (0.8, 0.9), x0 = (1, 2), dt 0.01, run 2.0;
# x and y at steps 10, 100, 200
BRAINPY = {
    "CaputoEuler": ([0.989373, 0.7115, 0.459922], [1.75469, 0.748814, 0.360056], 200),
    "CaputoL1Schema": ([0.990019, 0.712343, 0.460021], [1.758082, 0.749022, 0.35968], 200),
    "GLShortMemory": ([0.553419, 0.266387, 0.095266], [1.280933, 0.356734, 0.09545], 50),
}


@pytest.mark.parametrize("name", sorted(BRAINPY))
def test_fractional_integrators_print_what_brainpy_prints(name):
    x_ref, y_ref, memory = BRAINPY[name]
    integral = getattr(bp.fde, name)(lambda x, y, t: (-x + 0.5 * y, -y), alpha=[0.8, 0.9], inits=[1., 2.],
                                     num_memory=memory)
    runner = bp.IntegratorRunner(integral, monitors=["x", "y"], inits=[1., 2.], dt=0.01, progress_bar=False)
    runner.run(2.)
    np.testing.assert_allclose(np.asarray(runner.mon["x"])[[9, 99, 199], 0], x_ref, atol=2e-6)
    np.testing.assert_allclose(np.asarray(runner.mon["y"])[[9, 99, 199], 0], y_ref, atol=2e-6)


def test_order_one_is_forward_euler_and_bad_orders_are_refused():
    gl = bp.fde.GLShortMemory(lambda x, t: -x, alpha=1., num_memory=20, inits=[1.])
    l1 = bp.fde.CaputoL1Schema(lambda x, t: -x, alpha=1., num_memory=20, inits=[1.])
    a = b = bm.ones(1)
    for k in range(5):
        a, b = gl(a, k * 0.1, dt=0.1), l1(b, k * 0.1, dt=0.1)
    np.testing.assert_allclose([float(a[0]), float(b[0])], [0.9 ** 5] * 2, rtol=1e-6)
    with pytest.raises(ValueError, match=r"alpha in \(0, 1\)"):
        bp.fde.CaputoEuler(lambda x, t: -x, alpha=1., num_memory=5, inits=[1.])
    with pytest.raises(ValueError, match="one initial value per variable"):
        bp.fde.GLShortMemory(lambda x, y, t: (x, y), alpha=0.5, num_memory=5, inits=[1.])
    assert isinstance(bp.fdeint(0.5, 10, [1.], lambda x, t: -x, method="short-memory"), bp.fde.GLShortMemory)


def test_a_delay_equation_prints_what_brainpy_prints():
    # y' = -y(t - 1), y = 1 before 0; BrainPy 2.8.2 at steps 5, 10, 20, 30 (dt 0.1): 0.5, 0, -0.55, -0.22
    delay = bm.TimeDelay(bm.ones(1), 1., before_t0=1., dt=0.1, interp_method="round")
    dde = bp.odeint(lambda x, t: -delay(t - 1.), state_delays={"x": delay})
    runner = bp.IntegratorRunner(dde, monitors=["x"], inits=[1.], dt=0.1, progress_bar=False)
    runner.run(3.)
    np.testing.assert_allclose(np.asarray(runner.mon["x"])[[4, 9, 19, 29], 0], [0.5, 0., -0.55, -0.22], atol=1e-6)
