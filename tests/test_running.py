"""Parameter sweeps (bp.running): the vectorised and the device-parallel maps give, in order, what
separate runs give."""
import numpy as np
import pytest

import neurodyn as bp
import neurodyn.math as bm


def spikes_of(current, tau):
    lif = bp.neurons.LIF(2, V_rest=0., V_reset=0., V_th=1., tau=tau)
    runner = bp.DSRunner(lif, monitors=["spike"], inputs=["input", current], progress_bar=False,
                         numpy_mon_after_run=False)
    runner.run(30.)
    return runner.mon["spike"].sum(0)


def test_vectorized_sweep_equals_separate_runs():
    currents, taus = np.linspace(0.5, 5., 8), np.linspace(5., 12., 8)
    swept = np.asarray(bp.running.jax_vectorize_map(spikes_of, [currents, taus], num_parallel=3))
    one_by_one = np.stack([np.asarray(spikes_of(c, t)) for c, t in zip(currents, taus)])
    np.testing.assert_array_equal(swept, one_by_one)
    by_name = bp.running.jax_vectorize_map(spikes_of, {"current": currents, "tau": taus}, num_parallel=8)
    np.testing.assert_array_equal(np.asarray(by_name), one_by_one)
    with pytest.raises(ValueError, match="one common length"):
        bp.running.jax_vectorize_map(spikes_of, [currents, taus[:3]], num_parallel=2)

# the device-parallel sweep (jax_parallelize_map) runs on 4 forced host devices and over two
# processes in tests/distributed/test_distributed.py
