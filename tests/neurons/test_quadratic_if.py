"""Quadratic integrate-and-fire neurons print BrainPy 2.8.2's trajectories (V from -65 mV, a
constant input of 10 for 60 ms; every 5 ms)."""
import numpy as np
import pytest

import neurodyn as bp

BRAINPY = {'QuaIF': ([-64.901, -60.856, -57.69, -54.567, -50.7, -44.299, -67.335, -62.432, -59.017, -55.959, -52.538, -47.615], 1), 'AdQuaIF': ([-64.901, -61.007, -58.659, -57.383, -56.906, -56.999, -57.434, -57.989, -58.492, -58.849, -59.039, -59.095], 0), 'QuaIFRefLTC': ([-64.901, -60.856, -57.69, -54.567, -50.7, -44.299, -68.0, -64.11, -60.296, -57.185, -54.002, -49.893], 1)}


@pytest.mark.parametrize("name", sorted(BRAINPY))
def test_quadratic_if_prints_what_brainpy_prints(name):
    kw = dict(tau_ref=2.) if "Ref" in name else {}
    neuron = getattr(bp.dyn, name)(1, V_initializer=bp.init.Constant(-65.), **kw)
    runner = bp.DSRunner(neuron, monitors=["V", "spike"], progress_bar=False)
    runner.run(inputs=np.ones(600) * 10.)
    V, spikes = BRAINPY[name]
    np.testing.assert_allclose(np.asarray(runner.mon["V"])[::50, 0], V, atol=2e-3)
    assert int(np.asarray(runner.mon["spike"]).sum()) == spikes
