"""Parameter sweeps (bp.running): the vectorised and the device-parallel maps give, in order, what
separate runs give."""
import os
import subprocess
import sys
import textwrap

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


def test_parallel_sweep_on_four_host_devices():
    code = textwrap.dedent("""
        import numpy as np, neurodyn as bp
        from tests.test_running import spikes_of
        currents, taus = np.linspace(0.5, 5., 8), np.linspace(5., 12., 8)
        par = np.asarray(bp.running.jax_parallelize_map(spikes_of, [currents, taus], num_parallel=4))
        one = np.stack([np.asarray(spikes_of(c, t)) for c, t in zip(currents, taus)])
        assert (par == one).all(), (par, one)
        try:
            bp.running.jax_parallelize_map(spikes_of, [currents, taus], num_parallel=5)
        except ValueError as e:
            assert "4 local device" in str(e)
        else:
            raise AssertionError("no error for 5 > 4 devices")
        print("ok")
    """)
    env = {**os.environ, "XLA_FLAGS": "--xla_force_host_platform_device_count=4", "JAX_PLATFORMS": "cpu"}
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    out = subprocess.run([sys.executable, "-c", code], env=env, cwd=root, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0 and "ok" in out.stdout, out.stderr[-2000:]
