"""Run the standard workloads, each in its own process, and print a table.

    python -m bench                 # full sizes (minutes)
    python -m bench --quick         # reduced sizes (a smoke test)
    python -m bench --only w1,w3    # a subset
    python -m bench --json out.jsonl

Each workload runs as ``python -m bench.<script>`` in a fresh process, so its peak RSS is its
own; the JSON line it prints is collected (and written to ``--json``), its stderr is shown
when it fails (or always with ``--verbose``).
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time

WORKLOADS = {
    "w1": "w1_snn_bptt",
    "w2": "w2_lstm_bptt",
    "w3": "w3_coba",
    "w4": "w4_ngrc",
}
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _select(only: str | None) -> list[str]:
    if not only:
        return list(WORKLOADS)
    keys = [k.strip().lower() for k in only.split(",") if k.strip()]
    unknown = [k for k in keys if k not in WORKLOADS]
    if unknown or not keys:
        raise SystemExit(f"bench: --only takes a comma-separated subset of {', '.join(WORKLOADS)}; "
                         f"got {only!r}")
    return keys


def run_one(key: str, flags: list[str], timeout: float | None, verbose: bool) -> dict:
    """Run one workload script; its JSON record, or ``{'workload': key, 'error': ...}``."""
    cmd = [sys.executable, "-m", f"bench.{WORKLOADS[key]}"] + flags
    env = dict(os.environ)
    env["PYTHONPATH"] = ROOT + os.pathsep + env.get("PYTHONPATH", "")
    start = time.perf_counter()
    try:
        res = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return {"workload": key, "error": f"timed out after {timeout} s"}
    wall = time.perf_counter() - start
    lines = [ln for ln in res.stdout.splitlines() if ln.startswith("{")]
    if verbose or res.returncode != 0 or not lines:
        sys.stderr.write(res.stderr)
    if res.returncode != 0 or not lines:
        last = (res.stderr.strip().splitlines() or ["no output"])[-1]
        return {"workload": key, "error": f"exit code {res.returncode}: {last}"}
    record = json.loads(lines[-1])
    record["wall_s"] = round(wall, 2)
    return record


def _fmt(value, spec: str = ".3g") -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return format(value, spec)
    return str(value)


def quality(rec: dict) -> str:
    """The workload's quality figure as a short string."""
    w = rec.get("workload", "")
    if w.startswith("W1"):
        return f"first loss nd {_fmt(rec.get('loss_neurodyn'), '.5f')} / base {_fmt(rec.get('loss_baseline'), '.5f')}"
    if w.startswith("W2"):
        return f"compile ratio {_fmt(rec.get('compile_ratio'))}"
    if w.startswith("W3"):
        return (f"rate nd {_fmt(rec.get('neurodyn_rate_hz'), '.2f')} Hz / base "
                f"{_fmt(rec.get('baseline_rate_hz'), '.2f')} Hz")
    if w.startswith("W4"):
        return (f"forecast NRMSE nd {_fmt(rec.get('neurodyn_forecast_nrmse'))} / base "
                f"{_fmt(rec.get('baseline_forecast_nrmse'))}; train nd "
                f"{_fmt(rec.get('neurodyn_train_nrmse'))} / base {_fmt(rec.get('baseline_train_nrmse'))}")
    return ""


def table(records: list[dict]) -> str:
    """A plain-text table of the records."""
    head = ["workload", "neurodyn_s", "baseline_s", "ratio", "nd_compile_s", "base_compile_s",
            "peak_rss_mb", "quality"]
    rows = []
    for rec in records:
        if "error" in rec:
            rows.append([rec["workload"], "ERROR", rec["error"], "", "", "", "", ""])
            continue
        rows.append([rec["workload"], _fmt(rec.get("neurodyn_s")), _fmt(rec.get("baseline_s")),
                     _fmt(rec.get("ratio")), _fmt(rec.get("neurodyn_compile_s")),
                     _fmt(rec.get("baseline_compile_s")), _fmt(rec.get("peak_rss_mb"), ".0f"), quality(rec)])
    widths = [max(len(str(r[i])) for r in rows + [head]) for i in range(len(head))]
    lines = ["  ".join(str(c).ljust(w) for c, w in zip(r, widths)).rstrip() for r in [head] + rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    extra = []
    for rec in records:
        name = rec["workload"].split("_")[0]
        for entry in rec.get("scaling") or []:
            size = f"T={entry['T']}" if "T" in entry else f"{entry['train_steps']} training steps"
            extra.append(f"  {name} {size}: neurodyn {_fmt(entry.get('neurodyn_s'))} s, baseline "
                         f"{_fmt(entry.get('baseline_s'))} s, ratio {_fmt(entry.get('ratio'))}")
        for key, mem in (rec.get("remat_memory") or {}).items():
            extra.append(f"  {name} memory {key}: peak RSS {_fmt(mem.get('peak_rss_mb'), '.0f')} MiB, step "
                         f"{_fmt(mem.get('step_mb'), '.0f')} MiB, XLA temp {_fmt(mem.get('xla_temp_mb'), '.1f')} MiB"
                         + (f" ({mem['error']})" if "error" in mem else ""))
    return "\n".join(lines + extra)


def main(argv=None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    p.add_argument("--quick", action="store_true", help="reduced sizes (a smoke test)")
    p.add_argument("--only", default=None, help="comma-separated subset, e.g. w1,w3")
    p.add_argument("--warmup", type=int, default=None, help="warm-up calls per side (default 3)")
    p.add_argument("--repeats", type=int, default=None, help="timed calls per side (default 10)")
    p.add_argument("--json", default=None, help="also write the JSON lines to this file")
    p.add_argument("--timeout", type=float, default=None, help="seconds allowed per workload")
    p.add_argument("--verbose", action="store_true", help="show every workload's stderr")
    p.add_argument("--peers", action="store_true", help="against BrainPy, Spyx, PyTorch, reservoirpy "
                   "(each in its own venv under .bench-venvs/, created on first use)")
    p.add_argument("--rounds", type=int, default=2, help="--peers: interleaved rounds (default 2)")
    p.add_argument("--libraries", default=None, help="--peers: a subset of the peers, e.g. brainpy")
    args = p.parse_args(argv)
    if args.peers:
        return _run_peers(args)
    flags = (["--quick"] if args.quick else [])
    flags += [] if args.warmup is None else ["--warmup", str(args.warmup)]
    flags += [] if args.repeats is None else ["--repeats", str(args.repeats)]
    records = []
    for key in _select(args.only):
        print(f"bench: running {key} ({WORKLOADS[key]}){' --quick' if args.quick else ''} ...",
              file=sys.stderr, flush=True)
        rec = run_one(key, flags, args.timeout, args.verbose)
        records.append(rec)
        print(json.dumps(rec), flush=True)
    if args.json:
        with open(args.json, "w") as f:
            f.writelines(json.dumps(r) + "\n" for r in records)
    print(table(records), flush=True)
    return 1 if any("error" in r for r in records) else 0


def _run_peers(args) -> int:
    from bench import _peers
    keys = [k for k in _select(args.only) if k in _peers.RUNS and k in _peers.DATA]
    libs = None if not args.libraries else [x.strip() for x in args.libraries.split(",")]
    records = []
    for key in keys:
        rec = _peers.run_workload(key, args.quick, rounds=args.rounds, warmup=args.warmup or 2,
                                  repeats=args.repeats or 10, timeout=args.timeout, libraries=libs)
        records.append(rec)
        print(json.dumps(rec), flush=True)
    if args.json:
        with open(args.json, "w") as f:
            f.writelines(json.dumps(r) + "\n" for r in records)
    print(_peers.table(records), flush=True)
    return 1 if any("error" in x for r in records for rs in r["figures"].values() for x in rs) else 0


if __name__ == "__main__":
    sys.exit(main())
