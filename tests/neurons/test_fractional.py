"""Fractional-order neurons against BrainPy 2.8.2's printed trajectories (same arguments)."""
import numpy as np
import pytest

import neurodyn as bp


def _run(neuron, current, duration, monitors, dt=None):
    extra = {} if dt is None else {"dt": dt}
    runner = bp.DSRunner(neuron, monitors=monitors, inputs=("input", current), progress_bar=False, **extra)
    runner.run(duration)
    return {k: np.asarray(runner.mon[k]).ravel() for k in monitors}


@pytest.mark.parametrize("alpha, spikes, V", [
    (1.0, 2, [-66.57988, -64.81597, -72.01942]),
    (0.8, 4, [14.28614, -54.61211, -64.68550]),
])
def test_fractional_izhikevich_equals_brainpy(alpha, spikes, V):
    mon = _run(bp.neurons.FractionalIzhikevich(1, alpha=alpha, num_memory=400), 10., 40., ["spike", "V"])
    assert int(mon["spike"].sum()) == spikes
    np.testing.assert_allclose(mon["V"][[50, 150, 399]], V, rtol=2e-4)


@pytest.mark.parametrize("alpha, spikes, V, y_end", [
    (1.0, 1, [1.50904, -1.43850, 1.26102], -0.0031508903),
    (0.9, 0, [1.55014, -1.63474, -0.93076], -0.0006644482),
])
def test_fractional_fhr_equals_brainpy(alpha, spikes, V, y_end):
    mon = _run(bp.neurons.FractionalFHR(1, alpha=alpha, num_memory=500), 0.4, 50., ["spike", "V", "y"], dt=0.1)
    assert int(mon["spike"].sum()) == spikes
    np.testing.assert_allclose(mon["V"][[50, 250, 499]], V, rtol=1e-5)
    assert mon["y"][-1] == pytest.approx(y_end, rel=1e-5)


def test_reset_restarts_the_memory():
    n = bp.neurons.FractionalIzhikevich(1, alpha=0.8, num_memory=400)
    first = _run(n, 10., 20., ["V"])["V"]
    n.reset_state()
    np.testing.assert_allclose(_run(n, 10., 20., ["V"])["V"], first, rtol=1e-6)
