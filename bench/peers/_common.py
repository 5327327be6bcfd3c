"""What every peer script shares (no dependency beyond numpy, so it runs in any peer's venv):
the workload's data and initial weights from the orchestrator's ``.npz``, the timing loop, peak
RSS, and the one JSON line a script prints."""
from __future__ import annotations

import argparse
import json
import resource
import statistics
import sys
import time
from typing import Any, Callable

import numpy as np


def args() -> argparse.Namespace:
    p = argparse.ArgumentParser()
    p.add_argument("--data", required=True, help="the .npz of data and initial weights")
    p.add_argument("--warmup", type=int, default=2)
    p.add_argument("--repeats", type=int, default=10)
    p.add_argument("--mesh", default=None, help="neurodyn only: run on a bp.distributed mesh, e.g. "
                   "batch=4 (W1, data parallel) or neuron=4 (W3, the populations split)")
    return p.parse_args()


def mesh_of(spec: str | None, bp) -> Any:
    """``--mesh batch=4`` as ``bp.distributed.mesh(batch=4)``; None without it."""
    if not spec:
        return None
    return bp.distributed.mesh(**{k: int(v) for k, v in (part.split("=") for part in spec.split(","))})


def load(path: str) -> dict[str, Any]:
    with np.load(path, allow_pickle=False) as z:
        return {k: z[k] for k in z.files}


def peak_rss_mb() -> float:
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def time_calls(step: Callable[[], Any], warmup: int, repeats: int, per_call: int = 1) -> dict:
    """First call (compile + run), ``warmup`` calls, then ``repeats`` timed calls; seconds per
    unit (a call does ``per_call`` units, e.g. batches of an epoch). ``step`` must block."""
    t0 = time.perf_counter()
    first = step()
    first_s = time.perf_counter() - t0
    for _ in range(warmup):
        step()
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        step()
        times.append((time.perf_counter() - t0) / per_call)
    med = statistics.median(times)
    return dict(first=first, first_s=first_s, compile_s=max(first_s - med * per_call, 0.), median_s=med,
                min_s=min(times), times=times)


def emit(library: str, workload: str, timing: dict, **check: Any) -> None:
    rec = dict(library=library, workload=workload, min_s=timing["min_s"], median_s=timing["median_s"],
               compile_s=timing["compile_s"], peak_rss_mb=peak_rss_mb(), check=check)
    print(json.dumps(rec, default=float), flush=True)
    sys.stdout.flush()
