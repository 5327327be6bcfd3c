"""The benchmarks run end to end: ``python -m bench --quick`` prints one valid record per workload.

Timings are not asserted (a shared CI machine makes them noise); the records' fields are, and
the checks that both sides computed the same thing (W1 first losses, W3 firing rates, W4 NRMSE).
"""
import json
import math
import os
import subprocess
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
COMMON = ("workload", "sizes", "neurodyn_s", "baseline_s", "ratio", "neurodyn_compile_s",
          "baseline_compile_s", "peak_rss_mb")
NUMBERS = ("neurodyn_s", "baseline_s", "ratio", "neurodyn_compile_s", "baseline_compile_s", "peak_rss_mb")


@pytest.fixture(scope="module")
def records():
    env = dict(os.environ, PYTHONPATH=ROOT + os.pathsep + os.environ.get("PYTHONPATH", ""))
    # the test suite's persistent XLA cache (tests/conftest.py) also serves the subprocess; the
    # compile times it reports are then cache hits, which this test does not check
    env.setdefault("JAX_COMPILATION_CACHE_DIR",
                   os.environ.get("NEURODYN_JAX_CACHE", os.path.expanduser("~/.cache/neurodyn/jax")))
    env.setdefault("JAX_PERSISTENT_CACHE_MIN_COMPILE_TIME_SECS", "0.2")
    res = subprocess.run([sys.executable, "-m", "bench", "--quick", "--warmup", "0", "--repeats", "2"], cwd=ROOT, env=env,
                         capture_output=True, text=True, timeout=900)
    assert res.returncode == 0, res.stderr[-4000:] + res.stdout[-2000:]
    recs = [json.loads(line) for line in res.stdout.splitlines() if line.startswith("{")]
    assert "workload" in res.stdout.splitlines()[len(recs)]      # the table follows the records
    return {r["workload"]: r for r in recs}


def _number(rec, key):
    value = rec[key]
    assert isinstance(value, (int, float)) and math.isfinite(value) and value >= 0, (key, value)
    return value


def test_every_workload_reports_the_common_fields(records):
    assert sorted(records) == ["W1_snn_bptt", "W2_lstm_bptt", "W3_coba", "W4_ngrc"]
    for rec in records.values():
        assert "error" not in rec and "neurodyn_error" not in rec, rec
        for key in COMMON:
            assert key in rec, (rec["workload"], key)
        for key in NUMBERS:
            _number(rec, key)
        assert rec["neurodyn_s"] > 0 and rec["baseline_s"] > 0
        assert math.isclose(rec["ratio"], rec["neurodyn_s"] / rec["baseline_s"], rel_tol=1e-3)
        assert rec["quick"] is True and isinstance(rec["sizes"], dict)


def test_w1_same_first_loss_and_scaling(records):
    rec = records["W1_snn_bptt"]
    assert math.isclose(rec["loss_neurodyn"], rec["loss_baseline"], rel_tol=1e-4)
    assert [e["T"] for e in rec["scaling"]] == sorted(e["T"] for e in rec["scaling"])
    for entry in rec["scaling"]:
        for key in ("neurodyn_s", "baseline_s", "ratio"):
            _number(entry, key)
    assert "remat_memory" in rec


def test_w3_firing_rates_agree(records):
    rec = records["W3_coba"]
    nd, base = _number(rec, "neurodyn_rate_hz"), _number(rec, "baseline_rate_hz")
    assert base > 1.0 and abs(nd - base) <= 0.1 * base
    assert set(rec["neurodyn_comp_method"].values()) == {"sparse"}


def test_w4_nrmse_of_both_sides(records):
    rec = records["W4_ngrc"]
    for side in ("neurodyn", "baseline"):
        assert _number(rec, f"{side}_train_nrmse") < 1e-3
        assert _number(rec, f"{side}_forecast_nrmse") < 1e-2


def test_peer_runs_of_neurodyn_give_a_record_with_every_figure():
    """``bench --peers`` (here without installing any peer: only neurodyn's script of W4): the
    record holds each round's figure, the minimum, and what was computed."""
    from bench import _peers
    rec = _peers.run_workload("w4", quick=True, rounds=1, warmup=0, repeats=2, timeout=600, libraries=[])
    runs = rec["figures"]["neurodyn"]
    assert len(runs) == 1 and "error" not in runs[0], runs
    assert rec["min_s"]["neurodyn"] == runs[0]["min_s"] > 0 and rec["ratio_vs_fastest_peer"] is None
    assert 0 < rec["check"]["neurodyn"]["forecast_nrmse"] < 0.05      # W4 forecast over one Lyapunov time
    assert "W4: min s/unit: neurodyn" in _peers.table([rec])
