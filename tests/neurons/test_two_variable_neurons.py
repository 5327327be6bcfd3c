"""The Morris-Lecar and Wang-Buzsaki neurons print BrainPy 2.8.2's trajectories (Morris-Lecar: V from
-60 mV, input 100 for 500 ms, every 25 ms)."""
import numpy as np

import neurodyn as bp

BRAINPY_V = [-59.516, 37.341, -48.565, -37.519, -8.992, 4.48, -45.407, -25.457, 23.605, -51.515, -33.349, 35.912, -28.884, -41.108, -19.713, 13.872, -48.793, -29.193, 33.41, -49.843]
BRAINPY_W = [0.02, 0.3767, 0.4138, 0.1397, 0.148, 0.5486, 0.1958, 0.1204, 0.4804, 0.3133, 0.1254, 0.2528, 0.5055, 0.1597, 0.1289, 0.534, 0.2397, 0.1195, 0.3993, 0.3962]


def test_morris_lecar_prints_what_brainpy_prints():
    neuron = bp.dyn.MorrisLecar(1, V_initializer=bp.init.Constant(-60.))
    runner = bp.DSRunner(neuron, monitors=["V", "W", "spike"], progress_bar=False)
    runner.run(inputs=np.ones(5000) * 100.)
    np.testing.assert_allclose(np.asarray(runner.mon["V"])[::250, 0], BRAINPY_V, atol=1e-2)
    np.testing.assert_allclose(np.asarray(runner.mon["W"])[::250, 0], BRAINPY_W, atol=2e-4)
    assert int(np.asarray(runner.mon["spike"]).sum()) == 6


def test_wang_buzsaki_prints_what_brainpy_prints():
    """Input 10 for 300 ms from BrainPy's initial state; every 15 ms."""
    neuron = bp.dyn.WangBuzsakiHH(1)
    runner = bp.DSRunner(neuron, monitors=["V", "h"], progress_bar=False)
    runner.run(inputs=np.ones(3000) * 10.)
    np.testing.assert_allclose(np.asarray(runner.mon["V"])[::150, 0], [-64.236, -65.507, -65.507, -65.507, -65.507, -65.507, -65.507, -65.507, -65.507, -65.507, -65.507, -65.507, -65.507, -65.507, -65.507, -65.507, -65.507, -65.507, -65.507, -65.507], atol=1e-2)
    np.testing.assert_allclose(np.asarray(runner.mon["h"])[::150, 0], [0.6122, 0.8161, 0.8161, 0.8161, 0.8161, 0.8161, 0.8161, 0.8161, 0.8161, 0.8161, 0.8161, 0.8161, 0.8161, 0.8161, 0.8161, 0.8161, 0.8161, 0.8161, 0.8161, 0.8161], atol=2e-4)


def test_fhn_neuron_matches_brainpy_and_exposes_its_integral():
    """BrainPy 2.8.2, ``bp.neurons.FHN(1)`` driven by 1.0 for 200 ms (dt 0.1): 6 spikes,
    V[-1] = 1.0162369, w[-1] = 1.774921."""
    import neurodyn as bp
    fhn = bp.neurons.FHN(1)
    runner = bp.DSRunner(fhn, monitors=["V", "w", "spike"], inputs=("input", 1.), progress_bar=False)
    runner.run(200.)
    assert int(runner.mon["spike"].sum()) == 6
    np.testing.assert_allclose([runner.mon["V"][-1, 0], runner.mon["w"][-1, 0]], [1.0162369, 1.774921], rtol=1e-4)
    assert fhn.integral.variables == ["V", "w"] and "I_ext" in fhn.integral.parameters


def test_a_neuron_groups_integral_is_built_from_its_derivative():
    import neurodyn as bp
    izh = bp.neurons.Izhikevich(1)
    integral = izh.integral
    assert integral.variables == ["V", "u"] and integral.parameters == ["I"]
    dV, du = integral.f(-60., -10., 0., I=5.)         # 0.04 V^2 + 5 V + 140 - u + I;  a (b V - u)
    np.testing.assert_allclose([float(dV), float(du)], [-1., 0.02 * (0.2 * -60. + 10.)], rtol=1e-5)
    mine = bp.odeint(lambda V, t, I: -V + I)
    izh.integral = mine                      # a model may set its own, as in BrainPy
    assert izh.integral is mine
