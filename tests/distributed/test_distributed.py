"""bp.distributed on this CPU machine: real multi-device runs (4 forced host devices, in a
subprocess so the rest of the suite keeps one device) and a real two-process run through
``jax.distributed`` on localhost. Each compares with the same work done on one device."""
import json
import os
import socket
import subprocess
import sys
import time

import numpy as np
import pytest

import neurodyn as bp
from neurodyn.distributed import Placement

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
slow = pytest.mark.slow


def _env(**extra):
    """The subprocesses' environment: CPU only, this suite's compilation cache (conftest.py)."""
    import jax
    env = {**os.environ, "JAX_PLATFORMS": "cpu", "PYTHONPATH": ROOT,
           "JAX_COMPILATION_CACHE_DIR": jax.config.jax_compilation_cache_dir or "",
           "JAX_PERSISTENT_CACHE_MIN_COMPILE_TIME_SECS": "0.2", **extra}
    if "XLA_FLAGS" not in extra:
        env.pop("XLA_FLAGS", None)
    return env


def _last_json(text):
    return json.loads([line for line in text.splitlines() if line.startswith("{")][-1])


@slow
def test_four_devices_give_the_one_device_results():
    out = subprocess.run([sys.executable, os.path.join(HERE, "_four_devices.py")], cwd=ROOT, capture_output=True,
                         text=True, timeout=300, env=_env(XLA_FLAGS="--xla_force_host_platform_device_count=4"))
    assert out.returncode == 0, out.stderr[-3000:]
    result = _last_json(out.stdout)
    # data-parallel BPTT: batches split over 4 devices, gradients reduced by XLA
    assert result["bptt_max_difference"] < 1e-6
    np.testing.assert_allclose(*result["bptt_losses"], rtol=1e-6)
    assert "divides over the mesh's 4 'batch' devices, got a batch of 6" in result["indivisible_batch_error"]
    # ridge readout with the batch split over the devices: the same solution
    assert result["ridge_max_difference"] < 1e-6
    # the COBA network with its populations split along the neurons: the same spikes
    coba = result["coba"]
    assert coba["spikes"] > 100 and coba["differing"] == 0
    assert coba["specs"] == ["P('neuron',)"]            # the 640 excitatory cells' state was split
    assert coba["state_after"] == "True"                # and is back on one device after the run
    # a sweep of 8 parameter sets over 4 devices equals 8 separate runs, in order
    assert result["sweep"]["parallel"] == result["sweep"]["separate"]
    assert "4 local device" in result["too_many_devices_error"]


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@slow
def test_two_processes_train_as_one_and_a_dead_process_is_an_error():
    port, script = _free_port(), os.path.join(HERE, "_two_processes.py")
    procs = [subprocess.Popen([sys.executable, script, str(rank), str(port)], cwd=ROOT, env=_env(),
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for rank in (0, 1)]
    start = time.time()
    try:
        outs = [p.communicate(timeout=240) for p in procs]
    finally:
        for p in procs:
            p.kill()
    elapsed = time.time() - start
    zero, one = (_last_json(out) for out, _ in outs)
    assert (zero["rank"], one["rank"]) == (0, 1)
    # one epoch data parallel over the two processes == the same epoch in one process
    assert zero["max_difference"] < 1e-6, zero
    np.testing.assert_allclose(*zero["losses"], rtol=1e-6)
    assert one["losses"][0] == zero["losses"][0]          # both processes report the same run
    swept, separate = zero["sweep"]                         # 4 parameter sets split over the processes
    assert swept == separate == one["sweep"][0]
    # ridge: each process ran half the batch; X^T X and X^T Y summed over the processes, exactly
    assert zero["ridge_max_difference"] < 1e-9, zero
    # then process 1 exits; process 0 fails with our error, it does not hang
    assert procs[1].returncode == 3
    assert procs[0].returncode != 0 and "DistributedError" in outs[0][1], outs[0][1][-3000:]
    assert "another process has probably stopped" in outs[0][1]
    assert elapsed < 120


def test_initialize_is_a_no_op_for_one_process_and_mesh_checks_its_sizes(monkeypatch):
    for name in ("SLURM_NTASKS", "SLURM_STEP_NUM_TASKS", "OMPI_COMM_WORLD_SIZE", "PMI_SIZE"):
        monkeypatch.delenv(name, raising=False)
    assert bp.distributed.initialize() is False
    assert bp.distributed.initialize(num_processes=1) is False
    monkeypatch.setenv("SLURM_NTASKS", "1")            # a one-task SLURM job: nothing to join
    assert bp.distributed.initialize() is False
    m = bp.distributed.mesh()
    assert m.axis_names == ("batch",) and m.devices.size == 1
    assert bp.distributed.mesh(batch=1, neuron=-1).shape == {"batch": 1, "neuron": 1}
    with pytest.raises(bp.errors.DistributedError, match="at most the 1 devices.*XLA_FLAGS"):
        bp.distributed.mesh(batch=2)
    with pytest.raises(bp.errors.DistributedError, match="positive integers"):
        bp.distributed.mesh(batch=0)


def test_initialize_after_computation_says_when_to_call_it(monkeypatch):
    import jax
    jax.numpy.zeros(1).block_until_ready()              # the backend has started
    with pytest.raises(bp.errors.DistributedError, match="right after the imports"):
        bp.distributed.initialize("127.0.0.1:1", num_processes=2, process_id=0)
    assert not jax.distributed.is_initialized()


def test_placement_splits_batch_and_neuron_axes_where_they_divide():
    place = Placement(bp.distributed.mesh(batch=1, neuron=1), "test")
    assert place.spec((8, 100), batch_axis=0) == ("batch", "neuron")
    assert place.spec((100,)) == ("neuron",)
    assert place.spec((5, 100), batch_axis=None) == (None, "neuron")
    assert place.spec(()) == ()
    assert place.rows(6) == slice(0, 6)
    with pytest.raises(TypeError, match="jax.sharding.Mesh"):
        Placement("batch", "BPTT")
    with pytest.raises(TypeError, match="BPTT: expected mesh="):
        bp.BPTT(bp.layers.Dense(2, 2, mode=bp.math.TrainingMode()), "mse", mesh="batch")


def test_bptt_and_runner_with_a_one_device_mesh_equal_plain_runs():
    """The mesh code path on the device this suite has (a 1-device mesh): same numbers."""
    sys.path.insert(0, HERE)
    from _workloads import max_difference, train
    one, losses = train(None, num_epoch=1)
    meshed, losses_mesh = train(bp.distributed.mesh(), num_epoch=1)
    assert max_difference(one, meshed) == 0. and losses == losses_mesh


def test_axis_names_from_sharding_arguments_are_followed():
    import jax
    from jax.sharding import PartitionSpec

    import neurodyn.math as bm
    sh = bm.sharding
    lif = bp.dyn.Lif(8, sharding=[sh.NEU_AXIS])
    assert sh.axis_names_of(lif.V) == ("neuron",)
    with bm.environment(mode=bm.BatchingMode(4)):
        batched = bp.neurons.LIF(8, sharding=[sh.NEU_AXIS])
    assert sh.axis_names_of(batched.V) == ("batch", "neuron")
    place = Placement(bp.distributed.mesh(batch=1, neuron=1), "test")
    # recorded names win over the automatic rule (which would split the last axis)
    buffer = bm.Variable(bm.zeros((5, 8)))
    sh.partition(buffer, [sh.TIME_AXIS, None])
    placed, = place.variables([buffer], [buffer.value])
    assert placed.sharding.spec == PartitionSpec(None, None)
    placed, = place.variables([batched.V], [batched.V.value])
    assert placed.sharding.spec == PartitionSpec("batch", "neuron")
    # BrainPy's bm.sharding functions on a device mesh
    assert sh.get_sharding([sh.NEU_AXIS]) is None                     # no mesh: nothing to place on
    with sh.device_mesh(np.array(jax.devices()[:1]), [sh.NEU_AXIS]):
        x = sh.partition(bm.ones(4), [sh.NEU_AXIS])
        assert x.sharding.spec == PartitionSpec("neuron")
        assert sh.get_sharding([sh.BATCH_AXIS, sh.NEU_AXIS]).spec == PartitionSpec(None, "neuron")
    with pytest.raises(bp.errors.ShapeError, match="one axis per name"):
        sh.partition(bm.ones((2, 3)), [sh.NEU_AXIS])
    with pytest.raises(TypeError, match="axis names, a jax.sharding.Sharding or a device"):
        sh.partition(bm.ones(3), 3)
