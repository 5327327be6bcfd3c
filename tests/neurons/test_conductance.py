"""CondNeuGroup with the Hodgkin-Huxley channels prints BrainPy 2.8.2's trajectory (its HH example
with V starting at -65 mV and the gates at their steady state: 100 ms rest, 500 ms at 5 uA/cm2, 100 ms rest)."""
import numpy as np
import pytest

import neurodyn as bp

BRAINPY_V = [-65.1, -69.873, -69.4, 34.309, -86.923, -76.478, -60.17, -27.856, -84.026, -70.719, 23.026, -86.371, -80.023, -69.943]
BRAINPY_M = [0.0529, 0.0294, 0.0293, 0.9983, 0.0031, 0.0118, 0.0767, 0.9063, 0.0045, 0.024, 0.6556, 0.0044, 0.008, 0.0292]


class HH(bp.dyn.CondNeuGroup):
    def __init__(self, size):
        super().__init__(size, V_initializer=bp.init.Constant(-65.))
        self.INa = bp.channels.INa_HH1952(size)
        self.IK = bp.channels.IK_HH1952(size)
        self.IL = bp.channels.IL(size, E=-54.387, g_max=0.03)


def test_hh_channels_print_what_brainpy_prints():
    hh = HH(1)
    bp.reset_state(hh)
    I, length = bp.inputs.section_input(values=[0, 5, 0], durations=[100, 500, 100], return_length=True)
    runner = bp.DSRunner(hh, monitors=["V", "INa.p", "spike"], inputs=[hh.input, I, "iter"], progress_bar=False)
    runner.run(length)
    np.testing.assert_allclose(np.asarray(runner.mon.V)[::500, 0], BRAINPY_V, atol=2e-2)
    np.testing.assert_allclose(np.asarray(runner.mon["INa.p"])[::500, 0], BRAINPY_M, atol=2e-4)
    assert int(np.asarray(runner.mon["spike"]).sum()) == 33


def test_gates_start_at_their_steady_state_and_errors():
    hh = HH(2)
    bp.reset_state(hh)
    a, b = hh.IK.f_p_alpha(hh.V.value), hh.IK.f_p_beta(hh.V.value)
    np.testing.assert_allclose(np.asarray(hh.IK.p.value), np.asarray(a / (a + b)), rtol=1e-6)
    assert set(hh.channels()) == {"INa", "IK", "IL"}
    with pytest.raises(ValueError, match="C > 0"):
        bp.dyn.CondNeuGroup(2, C=0.)
