"""bp.inputs against BrainPy 2.8.2's printed arrays (and closed forms for the noise)."""
import numpy as np
import pytest

import neurodyn as bp
import neurodyn.math as bm


def test_sections_and_constants():
    np.testing.assert_array_equal(bp.inputs.section_input([0, 1., 2.], [0.3, 0.2, 0.1], dt=0.1),
                                  [0, 0, 0, 1, 1, 2])
    I, length = bp.inputs.section_input([0, 1.], [0.3, 0.2], dt=0.1, return_length=True)
    np.testing.assert_array_equal(I, [0, 0, 0, 1, 1]) and np.testing.assert_allclose(length, 0.5)
    np.testing.assert_array_equal(bp.inputs.section_input([np.zeros(2), np.ones(2)], [0.2, 0.1], dt=0.1),
                                  [[0, 0], [0, 0], [1, 1]])
    I, length = bp.inputs.constant_input([(0, 0.3), (1., 0.2)], dt=0.1)
    np.testing.assert_array_equal(I, [0, 0, 0, 1, 1])
    assert bp.inputs.section_input([0, 1.], [100., 50.]).shape == (1500,)     # bm.get_dt() = 0.1
    with pytest.raises(ValueError, match="one duration per value"):
        bp.inputs.section_input([0, 1], [10.])


def test_pulses_ramps_and_oscillations():
    np.testing.assert_array_equal(bp.inputs.spike_input([0.1, 0.5], [0.1, 0.3], [1., 3.], 1., dt=0.1),
                                  [0, 1, 0, 0, 0, 3, 3, 3, 0, 0])
    assert np.nonzero(np.asarray(bp.inputs.spike_input([10., 20.], 1., 0.5, 30.)))[0].tolist() == \
        list(range(100, 110)) + list(range(200, 210))
    np.testing.assert_allclose(bp.inputs.ramp_input(0, 1., 1., dt=0.1), np.linspace(0, 1, 10), atol=1e-7)
    np.testing.assert_allclose(bp.inputs.ramp_input(0, 1., 1., 0.2, 0.7, dt=0.1),
                               [0, 0, 0, .25, .5, .75, 1, 0, 0, 0])
    ramp = np.asarray(bp.inputs.ramp_input(0, 1., 300., 100., 200.))
    np.testing.assert_allclose(ramp[[999, 1000, 1001, 1999, 2000]], [0, 0, 0.001001, 1, 0], atol=1e-6)
    np.testing.assert_allclose(bp.inputs.sinusoidal_input(2., 1000., 1., dt=0.1, t_start=0.2, t_end=0.8, bias=True),
                               [0, 0, 2, 3.1756, 3.9021, 3.9021, 3.1756, 2, 0, 0], atol=1e-4)
    np.testing.assert_array_equal(bp.inputs.square_input(2., 1000., 2., dt=0.1),
                                  [2] * 5 + [-2] * 5 + [2] * 5 + [-2] * 5)
    sq = np.asarray(bp.inputs.square_input(1., 10., 300., t_start=100., t_end=250.))
    np.testing.assert_array_equal(sq[[999, 1000, 1001, 1499, 1500, 1501, 2499, 2500]], [0, 1, 1, 1, -1, -1, 1, 0])


def test_noise_processes_statistics_and_windows():
    w = np.asarray(bp.inputs.wiener_process(100., dt=0.1, n=2000, seed=1))
    assert w.shape == (1000, 2000) and abs(w.std() - np.sqrt(0.1)) < 2e-3 and abs(w.mean()) < 2e-3
    np.testing.assert_array_equal(w, bp.inputs.wiener_process(100., dt=0.1, n=2000, seed=1))
    assert bp.inputs.wiener_process(1., dt=0.1).shape == (10,)
    w = np.asarray(bp.inputs.wiener_process(1., dt=0.1, n=3, t_start=0.2, t_end=0.6, seed=1))
    assert not w[:2].any() and not w[6:].any() and w[2:6].all()
    # OU: stationary mean `mean` and variance sigma^2 tau / 2
    x = np.asarray(bp.inputs.ou_process(2., 0.5, 10., 500., dt=0.1, n=2000, seed=1))[-1000:]
    assert abs(x.mean() - 2.) < 0.03 and abs(x.std() / np.sqrt(0.25 * 10 / 2) - 1) < 0.03


def test_inputs_follow_precision():
    with bm.environment(x64=True):
        assert bp.inputs.section_input([0, 1.], [1., 1.]).dtype == np.float64
