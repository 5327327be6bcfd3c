"""One of two processes of a real ``jax.distributed`` run on localhost (started by
test_distributed.py): ``python _two_processes.py RANK PORT``. Trains the RNN data parallel over
both processes and alone, fits a ridge readout with each process running half of the batch,
sweeps 4 parameter sets split over the processes, and prints one JSON line; then process 1 dies and process 0 tries to go on training, which must fail."""
import json
import os
import sys

sys.path.insert(0, os.path.dirname(__file__))
rank, port = int(sys.argv[1]), sys.argv[2]

import numpy as np  # noqa: E402

import neurodyn as bp  # noqa: E402
from _workloads import data, max_difference, ridge, rnn, spikes_of, sweep_sets, train  # noqa: E402

assert bp.distributed.initialize(f"127.0.0.1:{port}", num_processes=2, process_id=rank,
                                 heartbeat_timeout_seconds=3)
assert bp.distributed.process_count() == 2 and bp.distributed.process_index() == rank

parallel, losses = train(bp.distributed.mesh(), num_epoch=1)
currents, taus = sweep_sets(4)
swept = np.asarray(bp.running.jax_parallelize_map(spikes_of, [currents, taus], num_parallel=1))
ridge_parallel = ridge(bp.distributed.mesh())
result = dict(rank=rank, losses=[losses], sweep=[swept.tolist()])
if rank == 0:        # the one-process references (process 1 has the same data and results)
    alone, losses_alone = train(None, num_epoch=1)
    separate = np.stack([np.asarray(spikes_of(c, t)) for c, t in zip(currents, taus)])
    result.update(max_difference=max_difference(parallel, alone), losses=[losses, losses_alone],
                  sweep=[swept.tolist(), separate.tolist()],
                  ridge_max_difference=max_difference(ridge_parallel, ridge(None)))
print(json.dumps(result), flush=True)

trainer = bp.BPTT(rnn(), "mean_squared_error", progress_bar=False, seed=0, mesh=bp.distributed.mesh())
if rank == 1:
    os._exit(3)
trainer.fit(data(), num_epoch=1, batch_size=8)      # must fail: its peer is gone
raise SystemExit("process 0 went on training without its peer")
