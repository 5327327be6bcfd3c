"""Data-parallel W1 and sharded W3 on 1, 2 and 4 devices (``bp.distributed``).

    python -m bench.scale                  # 1, 2, 4 forced host devices, full sizes
    python -m bench.scale --quick --devices 1,2
    python -m bench.scale --json out.jsonl

Each figure comes from the neurodyn scripts of ``bench/peers`` run with ``--mesh batch=N`` (W1:
``bp.BPTT(..., mesh=...)``, the batch split over N devices) or ``--mesh neuron=N`` (W3:
``bp.DSRunner(..., mesh=...)``, the populations split along the neurons), in a fresh process
with ``XLA_FLAGS=--xla_force_host_platform_device_count=N`` (on a GPU machine, the real devices).
On a 2-core CPU the N "devices" share the same cores: the table shows that the results stay the
same (losses, firing rates) and what the partitioning costs, not a speed-up.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile

import numpy as np

from bench import _peers

SCRIPTS = {"w1": ("neurodyn_w1", "batch"), "w3": ("neurodyn_w3", "neuron")}


def run(key: str, devices: int, data: str, warmup: int, repeats: int, timeout: float | None) -> dict:
    script, axis = SCRIPTS[key]
    flags = os.environ.get("XLA_FLAGS", "")
    os.environ["XLA_FLAGS"] = f"{flags} --xla_force_host_platform_device_count={devices}".strip()
    try:
        rec = _peers._run("neurodyn", script, data, warmup, repeats, timeout, ["--mesh", f"{axis}={devices}"])
    finally:
        os.environ["XLA_FLAGS"] = flags
    return {"workload": key.upper(), "devices": devices, "mesh": f"{axis}={devices}", **rec}


def table(records: list[dict]) -> str:
    lines = ["workload  devices  min s/unit  vs 1 device  check"]
    base = {r["workload"]: r.get("min_s") for r in records if r["devices"] == 1}
    for r in records:
        if "error" in r:
            lines.append(f"{r['workload']:<9} {r['devices']:<8} ERROR {r['error']}")
            continue
        ref = base.get(r["workload"])
        ratio = "-" if not ref else f"{r['min_s'] / ref:.2f}"
        lines.append(f"{r['workload']:<9} {r['devices']:<8} {r['min_s']:<11.4g} {ratio:<12} {r.get('check')}")
    return "\n".join(lines)


def main(argv=None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.scale", description=__doc__.splitlines()[0])
    p.add_argument("--quick", action="store_true", help="reduced sizes")
    p.add_argument("--devices", default="1,2,4", help="device counts, e.g. 1,2,4")
    p.add_argument("--only", default="w1,w3", help="w1, w3 or both")
    p.add_argument("--warmup", type=int, default=1)
    p.add_argument("--repeats", type=int, default=5)
    p.add_argument("--timeout", type=float, default=None)
    p.add_argument("--json", default=None, help="also write the JSON lines to this file")
    args = p.parse_args(argv)
    counts = [int(n) for n in args.devices.split(",")]
    records = []
    with tempfile.TemporaryDirectory() as tmp:
        for key in [k.strip() for k in args.only.split(",")]:
            path = os.path.join(tmp, f"{key}{'-quick' if args.quick else ''}.npz")
            np.savez(path, **_peers.DATA[key](args.quick))
            for n in counts:
                print(f"bench.scale: {key} on {n} device(s) ...", file=sys.stderr, flush=True)
                records.append(run(key, n, path, args.warmup, args.repeats, args.timeout))
                print(json.dumps(records[-1]), flush=True)
    if args.json:
        with open(args.json, "w") as f:
            f.writelines(json.dumps(r) + "\n" for r in records)
    print(table(records), flush=True)
    return 1 if any("error" in r for r in records) else 0


if __name__ == "__main__":
    sys.exit(main())
