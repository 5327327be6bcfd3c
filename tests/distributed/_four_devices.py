"""Run by test_distributed.py with 4 forced host devices: data-parallel BPTT, a sharded COBA
network and a device-parallel sweep against their one-device runs. Prints one JSON line."""
import json
import os
import sys

sys.path[:0] = [os.path.dirname(__file__), os.path.join(os.path.dirname(__file__), "..", "synapses")]

import jax  # noqa: E402
import numpy as np  # noqa: E402

import neurodyn as bp  # noqa: E402
import neurodyn.math as bm  # noqa: E402
from _workloads import max_difference, ridge, spikes_of, sweep_sets, train  # noqa: E402
from test_coba_network import EINet  # noqa: E402

assert jax.device_count() == 4, jax.devices()
result = {}

# data parallel: the same parameters as on one device
one, losses_one = train(None)
four, losses_four = train(bp.distributed.mesh(batch=4))
result["bptt_max_difference"] = max_difference(one, four)
result["bptt_losses"] = [losses_one, losses_four]
try:
    train(bp.distributed.mesh(batch=4), batch_size=6)
except bp.errors.ShapeError as err:
    result["indivisible_batch_error"] = str(err)

result["ridge_max_difference"] = max_difference(ridge(None), ridge(bp.distributed.mesh(batch=4)))


# sharded simulation: the spikes of the COBA network split over 4 devices along the neurons
def coba(mesh):
    bm.random.seed(42)
    net = EINet(0.2, "sparse")
    runner = bp.DSRunner(net, monitors=["E.spike", "I.spike"], inputs=[("E.input", 20.), ("I.input", 20.)],
                         dt=0.1, progress_bar=False, mesh=mesh)
    runner.run(50.)
    return runner, np.concatenate([runner.mon["E.spike"], runner.mon["I.spike"]], 1)


runner, sharded = coba(bp.distributed.mesh(neuron=4))
_, plain = coba(None)
program = next(iter(runner._programs.values()))
specs = {str(v.sharding.spec) for v in program.values() if np.ndim(v) and v.shape[-1] == 640}
result["coba"] = dict(spikes=int(plain.sum()), differing=int((sharded != plain).sum()), specs=sorted(specs),
                      state_after=str(runner.target.E.V.value.sharding.device_set == {jax.devices()[0]}))

# sweep: 8 parameter sets over 4 devices, as 8 separate runs
currents, taus = sweep_sets(8)
par = np.asarray(bp.running.jax_parallelize_map(spikes_of, [currents, taus], num_parallel=4))
one_by_one = np.stack([np.asarray(spikes_of(c, t)) for c, t in zip(currents, taus)])
result["sweep"] = dict(parallel=par.tolist(), separate=one_by_one.tolist())
try:
    bp.running.jax_parallelize_map(spikes_of, [currents, taus], num_parallel=5)
except ValueError as err:
    result["too_many_devices_error"] = str(err)
print(json.dumps(result))
