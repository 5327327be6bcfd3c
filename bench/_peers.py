"""``python -m bench --peers``: neurodyn against the libraries its users would pick instead, each
in its own process and virtual environment (``bench/_venvs.py``), runs interleaved
(neurodyn, peer A, peer B, neurodyn, ...) for ``rounds`` rounds, on the same data and initial
weights (a ``.npz`` the scripts in ``bench/peers/`` read). The record gives every figure, the
minimum per library, ``ratio_vs_fastest_peer`` (neurodyn's minimum over the fastest peer's) and
what each library computed (``check``: the loss at step 0, the firing rate, the NRMSE).
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile

import numpy as np

from bench._venvs import python_of

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
HERE = os.path.join(ROOT, "bench", "peers")

# workload -> library -> script in bench/peers (the library's users' way of writing it)
RUNS: dict[str, dict[str, str]] = {
    "w1": {"neurodyn": "neurodyn_w1", "neurodyn[bp.dyn]": "neurodyn_w1_dyn", "brainpy": "brainpy_w1",
           "spyx": "spyx_w1", "snntorch": "snntorch_w1", "norse": "norse_w1"},
    "w2": {"neurodyn": "neurodyn_w2", "torch": "torch_w2"},
    "w3": {"neurodyn": "neurodyn_w3", "brainpy": "brainpy_w3"},
    "w4": {"neurodyn": "neurodyn_w4", "reservoirpy": "reservoirpy_w4"},
}


def w1_data(quick: bool, seed: int = 0) -> dict:
    """4 batches of Bernoulli(0.05) spikes, batch-major ``(N, T, num_in)``, labels, Kaiming-normal
    (scale 20) weights."""
    num_in, num_rec, num_out, T, B = (100, 32, 10, 20, 16) if quick else (700, 256, 20, 100, 128)
    rng = np.random.default_rng(seed)
    x = (rng.random((4 * B, T, num_in)) < 0.05).astype(np.float32)
    y = rng.integers(0, num_out, 4 * B).astype(np.int32)
    w1 = (rng.standard_normal((num_in, num_rec)) * np.sqrt(20. / num_in)).astype(np.float32)
    w2 = (rng.standard_normal((num_rec, num_out)) * np.sqrt(20. / num_rec)).astype(np.float32)
    return dict(x=x, y=y, w1=w1, w2=w2, batch=np.int64(B))


def w2_data(quick: bool, seed: int = 0) -> dict:
    """4 batches of Gaussian inputs ``(N, T, 100)`` and targets ``(N, T, 10)``, and the four
    LSTMs' and the readout's weights in neurodyn's layout (gates i, g, f, o)."""
    num_in, recs, num_out, T, B = (20, (32, 32, 32, 16), 10, 10, 8) if quick else (100, (200, 200, 200, 100), 10, 50, 64)
    rng = np.random.default_rng(seed)
    out = dict(x=rng.standard_normal((4 * B, T, num_in)).astype(np.float32),
               y=rng.standard_normal((4 * B, T, num_out)).astype(np.float32), batch=np.int64(B))
    ins = (num_in,) + recs[:-1]
    for k, (n_in, n) in enumerate(zip(ins, recs), start=1):
        out[f"Wi{k}"] = (rng.standard_normal((n_in, 4 * n)) * np.sqrt(1. / n_in)).astype(np.float32)
        out[f"Wh{k}"] = (rng.standard_normal((n, 4 * n)) * np.sqrt(1. / n)).astype(np.float32)
        out[f"b{k}"] = np.zeros(4 * n, np.float32)
    out["Wout"] = (rng.standard_normal((recs[-1], num_out)) * np.sqrt(1. / recs[-1])).astype(np.float32)
    out["bout"] = np.zeros(num_out, np.float32)
    return out


def w3_data(quick: bool, seed: int = 0) -> dict:
    """The network draws its own connectivity (seeded); the file only carries the size."""
    return dict(scale=np.float64(0.25 if quick else 1.))


def w4_data(quick: bool, seed: int = 0) -> dict:
    """The authors' Lorenz-63 trajectory (``bench.w4_ngrc.lorenz_scipy``) and the windows."""
    from bench.w4_ngrc import FULL, LYAPUNOV, lorenz_scipy
    dt = FULL["dt"]
    u = lorenz_scipy(FULL["warmup"] + FULL["train"] + FULL["test"], dt)
    w, t = round(FULL["warmup"] / dt), round(FULL["train"] / dt)
    return dict(u=u, w=np.int64(w), wt=np.int64(w + t), lyap=np.int64(round(1. / LYAPUNOV / dt)))


DATA = {"w1": w1_data, "w2": w2_data, "w3": w3_data, "w4": w4_data}


def _run(lib: str, script: str, data: str, warmup: int, repeats: int, timeout: float | None,
         extra: list[str] = ()) -> dict:
    python = sys.executable if lib.startswith("neurodyn") else python_of(lib)
    cmd = [python, os.path.join(HERE, script + ".py"), "--data", data, "--warmup", str(warmup),
           "--repeats", str(repeats), *extra]
    env = dict(os.environ, PYTHONPATH=ROOT if lib.startswith("neurodyn") else "")
    try:
        res = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return {"library": lib, "error": f"timed out after {timeout} s"}
    lines = [ln for ln in res.stdout.splitlines() if ln.startswith("{")]
    if res.returncode != 0 or not lines:
        last = (res.stderr.strip().splitlines() or ["no output"])[-1]
        sys.stderr.write(res.stderr[-3000:])
        return {"library": lib, "error": f"exit code {res.returncode}: {last}"}
    return json.loads(lines[-1])


def run_workload(key: str, quick: bool, rounds: int = 2, warmup: int = 2, repeats: int = 10,
                 timeout: float | None = None, libraries: list[str] | None = None) -> dict:
    """Every library of ``key`` in its own process, interleaved for ``rounds`` rounds."""
    libs = {k: v for k, v in RUNS[key].items() if libraries is None or k in libraries or k.startswith("neurodyn")}
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, f"{key}{'-quick' if quick else ''}.npz")
        np.savez(path, **DATA[key](quick))
        runs: dict[str, list[dict]] = {lib: [] for lib in libs}
        for r in range(rounds):
            for lib, script in libs.items():
                print(f"bench --peers: {key} round {r + 1}/{rounds}: {lib} ...", file=sys.stderr, flush=True)
                runs[lib].append(_run(lib, script, path, warmup, repeats, timeout))
    best = {lib: min((x["min_s"] for x in rs if "min_s" in x), default=None) for lib, rs in runs.items()}
    peers = [v for lib, v in best.items() if not lib.startswith("neurodyn") and v is not None]
    nd = best.get("neurodyn")
    return dict(workload=key.upper(), quick=quick, rounds=rounds, figures=runs, min_s=best,
                fastest_peer=min(((v, lib) for lib, v in best.items() if not lib.startswith("neurodyn") and v is not None),
                                 default=(None, None))[1],
                ratio_vs_fastest_peer=None if nd is None or not peers else nd / min(peers),
                check={lib: next((x.get("check") for x in rs if "check" in x), None) for lib, rs in runs.items()})


def table(records: list[dict]) -> str:
    lines = []
    for rec in records:
        mins = ", ".join(f"{lib} {v:.4g}" if v is not None else f"{lib} ERROR" for lib, v in rec["min_s"].items())
        ratio = rec["ratio_vs_fastest_peer"]
        lines.append(f"{rec['workload']}: min s/unit: {mins}; neurodyn / fastest peer ({rec['fastest_peer']}) = "
                     f"{'-' if ratio is None else format(ratio, '.3f')}")
        for lib, check in rec["check"].items():
            lines.append(f"    {lib}: {check}")
    return "\n".join(lines)
