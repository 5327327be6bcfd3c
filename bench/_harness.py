"""Shared timing, memory and output helpers of the benchmark scripts.

Protocol (``../shared/bench/WORKLOADS.md``): the first call of each side (trace + compile +
one run) is timed on its own; then each side is warmed up ``warmup`` times; then the two sides
are timed alternately (``a, b, a, b, ...``) ``repeats`` times each, so both see the same load
on a shared machine, and the median of each is reported. Every call is followed by
``jax.block_until_ready`` on its result. ``compile_s`` is the first call minus the median
step (the trace + compile cost, without the run it also did).

Each script prints exactly one JSON line on stdout (:func:`emit`); anything else goes to
stderr.
"""
from __future__ import annotations

import argparse
import gc
import json
import math
import os
import resource
import statistics
import sys
import time
from typing import Any, Callable

import jax

__all__ = ["Timing", "time_steps", "compare", "peak_rss_mb", "step_memory_mb", "emit", "parser",
           "round_floats", "log", "machine", "neurodyn_api", "spread"]


class Timing(dict):
    """``{'first_s', 'compile_s', 'median_s', 'min_s', 'cpu_s', 'steps_s', 'first_out'}`` of one side.

    ``cpu_s`` is the median process CPU time of a step (all threads), less sensitive than wall
    time to other processes on a shared machine; ``first_out`` is what the first call returned
    (e.g. the loss before any update).
    """


def _run(fn: Callable[[], Any], keep: list | None = None, cpu: list | None = None) -> float:
    c0, t0 = time.process_time(), time.perf_counter()
    out = jax.block_until_ready(fn())
    elapsed = time.perf_counter() - t0
    if cpu is not None:
        cpu.append(time.process_time() - c0)
    if keep is not None:
        keep.append(out)
    return elapsed


def _timing(first: float, steps: list, cpu: list, keep: list) -> "Timing":
    med = statistics.median(steps)
    return Timing(first_s=first, compile_s=max(first - med, 0.0), median_s=med, min_s=min(steps),
                  cpu_s=statistics.median(cpu), steps_s=steps, first_out=keep[0] if keep else None)


def time_steps(fn: Callable[[], Any], warmup: int = 3, repeats: int = 10) -> Timing:
    """Time one side alone: the first call, ``warmup`` calls, then the median of ``repeats``."""
    keep: list = []
    cpu: list = []
    first_s = _run(fn, keep)
    for _ in range(warmup):
        _run(fn)
    steps = [_run(fn, cpu=cpu) for _ in range(repeats)]
    return _timing(first_s, steps, cpu, keep)


def compare(fn_a: Callable[[], Any], fn_b: Callable[[], Any], warmup: int = 3,
            repeats: int = 10) -> tuple[Timing, Timing]:
    """Time two sides with interleaved steps; returns their :class:`Timing` s."""
    keep_a: list = []
    keep_b: list = []
    first_a = _run(fn_a, keep_a)
    first_b = _run(fn_b, keep_b)
    for _ in range(warmup):
        _run(fn_a)
        _run(fn_b)
    steps_a, steps_b, cpu_a, cpu_b = [], [], [], []
    for _ in range(repeats):
        steps_a.append(_run(fn_a, cpu=cpu_a))
        steps_b.append(_run(fn_b, cpu=cpu_b))
    return _timing(first_a, steps_a, cpu_a, keep_a), _timing(first_b, steps_b, cpu_b, keep_b)


def spread(t_nd: Timing, t_base: Timing) -> dict:
    """Secondary figures of a comparison: the ratio of the fastest steps and of the CPU times."""
    return {"ratio_min": t_nd["min_s"] / t_base["min_s"], "ratio_cpu": t_nd["cpu_s"] / t_base["cpu_s"],
            "neurodyn_cpu_s": t_nd["cpu_s"], "baseline_cpu_s": t_base["cpu_s"]}


def peak_rss_mb() -> float:
    """Peak resident set size of this process so far, in MiB.

    On Linux, ``VmHWM`` of ``/proc/self/status``: ``getrusage``'s ``ru_maxrss`` of a process
    started by ``fork`` + ``exec`` also counts the parent's resident memory at the fork (the
    high-water mark survives ``exec``), which would charge a subprocess with its parent's size.
    Elsewhere, ``resource.getrusage(RUSAGE_SELF).ru_maxrss``.
    """
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024.0
    except OSError:
        pass
    kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return kb / 1024.0 if sys.platform != "darwin" else kb / 2 ** 20


def _status_mb(field: str) -> float | None:
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith(field + ":"):
                    return int(line.split()[1]) / 1024.0
    except OSError:
        pass
    return None


def step_memory_mb(run: Callable[[], Any], repeats: int = 3) -> float | None:
    """How far the resident memory rises above its current level while ``run()`` is called
    ``repeats`` times: the working memory of a compiled step (call it after the first,
    compiling, call). Linux only (``None`` elsewhere): the peak (``VmHWM``) is reset to the
    current RSS through ``/proc/self/clear_refs`` first."""
    gc.collect()
    before = _status_mb("VmRSS")
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
    except OSError:
        return None
    for _ in range(repeats):
        jax.block_until_ready(run())
    peak = _status_mb("VmHWM")
    return None if before is None or peak is None else max(peak - before, 0.0)


def round_floats(obj: Any, digits: int = 6) -> Any:
    """Floats rounded to ``digits`` significant digits (NaN/inf become None), recursively."""
    if isinstance(obj, float):
        if not math.isfinite(obj):
            return None
        return float(f"{obj:.{digits}g}")
    if isinstance(obj, dict):
        return {k: round_floats(v, digits) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [round_floats(v, digits) for v in obj]
    return obj


def emit(record: dict) -> None:
    """Print ``record`` as one JSON line on stdout (the only thing a script prints there)."""
    sys.stdout.write(json.dumps(round_floats(record)) + "\n")
    sys.stdout.flush()


def log(*args: Any) -> None:
    """Progress messages, on stderr."""
    print(*args, file=sys.stderr, flush=True)


def parser(description: str, repeats: int = 10) -> argparse.ArgumentParser:
    """The options every workload script shares (``repeats``: this script's default, >= 10)."""
    p = argparse.ArgumentParser(description=description)
    p.add_argument("--quick", action="store_true", help="reduced sizes (a smoke test, seconds)")
    p.add_argument("--warmup", type=int, default=3, help="warm-up calls per side (default 3)")
    p.add_argument("--repeats", type=int, default=repeats, help=f"timed calls per side (default {repeats})")
    p.add_argument("--seed", type=int, default=0, help="seed of weights and inputs")
    return p


def machine() -> dict:
    """A short description of where the numbers come from."""
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else None
    return {"cpus": os.cpu_count(), "jax": jax.__version__, "backend": jax.default_backend(),
            "load_avg_1min": load}


def neurodyn_api(*names: str):
    """``(bp, bm)``, neurodyn's public namespaces, checking that ``bp`` has ``names``."""
    import neurodyn as bp
    import neurodyn.math as bm

    missing = [n for n in names if not hasattr(bp, n)]
    if missing:
        raise AttributeError(f"neurodyn has no top-level {missing}; the benchmark uses the public API "
                             "(import neurodyn as bp)")
    return bp, bm
