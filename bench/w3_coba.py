"""W3 — COBA E/I network simulation (Vogels & Abbott 2005; Brette et al. 2007 benchmark).

4000 LIF neurons (3200 E, 800 I), fixed-probability 0.02 connections without self-connections;
V_rest = V_reset = -60 mV, V_th = -50 mV, tau = 20 ms, refractory 5 ms, V(0) uniform in
[-60, -50] mV; conductance-based exponential synapses (tau_e = 5 ms, tau_i = 10 ms, E_e = 0 mV,
E_i = -80 mV, jumps 0.6 and 6.7), input current 20 (R = 1); dt = 0.1 ms, non-batching, spikes
recorded.

neurodyn side: the classic ``EINet`` (``bp.neurons.LIF`` + ``bp.synapses.Exponential`` with
``bp.synouts.COBA``, ``bp.conn.FixedProb``) run by ``bp.DSRunner`` (the synapses choose their
event-driven sparse path). Baseline: the same equations in pure JAX, one ``lax.scan`` per run,
each synapse group a dense ``spikes @ W`` matmul — with the neurodyn network's connectivity and
initial potentials.

Timed: runs of ``chunk_ms`` of simulated time (state carried on); the figure is wall seconds per
simulated second (median chunk x 1000 / chunk_ms). Quality: mean firing rate (Hz) over the timed
chunks (``repeats x chunk_ms`` = 1 s at full size). ``--quick`` runs a quarter-size network
(weights scaled by 4, as BrainPy's example does) for short chunks.

    python -m bench.w3_coba [--quick]
"""
from __future__ import annotations

import os
import sys
import traceback

import numpy as np

if __package__ in (None, ""):
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from bench._harness import compare, emit, log, machine, neurodyn_api, parser, peak_rss_mb, spread, time_steps

import jax
import jax.numpy as jnp

FULL = dict(scale=1.0, p=0.02, dt=0.1, chunk_ms=100.0)
QUICK = dict(scale=0.25, p=0.02, dt=0.1, chunk_ms=10.0)
PARS = dict(V_rest=-60., V_th=-50., V_reset=-60., tau=20., tau_ref=5.)
TAU_E, TAU_I, E_E, E_I, I_EXT = 5.0, 10.0, 0.0, -80.0, 20.0


def sizes(cfg: dict) -> tuple[int, int, float, float]:
    """(num_exc, num_inh, we, wi): weights scaled by 1/scale, as BrainPy's example does."""
    s = cfg["scale"]
    return int(3200 * s), int(800 * s), 0.6 / s, 6.7 / s


# ----------------------------------------------------------------------------- baseline (pure JAX)

def random_setup(cfg: dict, seed: int) -> dict:
    """Connectivity masks and initial potentials drawn with NumPy (used without neurodyn)."""
    ne, ni, _, _ = sizes(cfg)
    rng = np.random.default_rng(seed)

    def mask(pre, post, no_self):
        m = rng.random((pre, post)) < cfg["p"]
        if no_self:
            np.fill_diagonal(m, False)
        return m

    return {"EE": mask(ne, ne, True), "EI": mask(ne, ni, False), "IE": mask(ni, ne, False),
            "II": mask(ni, ni, True), "V_E": rng.uniform(-60., -50., ne).astype(np.float32),
            "V_I": rng.uniform(-60., -50., ni).astype(np.float32)}


def make_baseline(cfg: dict, setup: dict):
    """``run(state, i0, steps) -> (state, (spikes_E, spikes_I))`` jitted, and the initial state."""
    ne, ni, we, wi = sizes(cfg)
    dt = cfg["dt"]
    W = {"EE": jnp.asarray(setup["EE"] * we, jnp.float32), "EI": jnp.asarray(setup["EI"] * we, jnp.float32),
         "IE": jnp.asarray(setup["IE"] * wi, jnp.float32), "II": jnp.asarray(setup["II"] * wi, jnp.float32)}
    d_e, d_i = float(np.exp(-dt / TAU_E)), float(np.exp(-dt / TAU_I))
    d_m = float(np.exp(-dt / PARS["tau"]))

    def lif(V, I, t_last, t):
        V_inf = PARS["V_rest"] + I
        V_new = V_inf + (V - V_inf) * d_m
        V_new = jnp.where(t - t_last <= PARS["tau_ref"], V, V_new)
        fired = V_new >= PARS["V_th"]
        return jnp.where(fired, PARS["V_reset"], V_new), fired, jnp.where(fired, t, t_last)

    def step(carry, i):
        VE, VI, sE, sI, gEE, gEI, gIE, gII, tE, tI = carry
        t = i.astype(jnp.float32) * dt
        fE, fI = sE.astype(jnp.float32), sI.astype(jnp.float32)
        gEE = gEE * d_e + fE @ W["EE"]          # synapses first, from last step's spikes
        gEI = gEI * d_e + fE @ W["EI"]
        gIE = gIE * d_i + fI @ W["IE"]
        gII = gII * d_i + fI @ W["II"]
        IE = I_EXT + gEE * (E_E - VE) + gIE * (E_I - VE)
        II = I_EXT + gEI * (E_E - VI) + gII * (E_I - VI)
        VE, sE, tE = lif(VE, IE, tE, t)
        VI, sI, tI = lif(VI, II, tI, t)
        return (VE, VI, sE, sI, gEE, gEI, gIE, gII, tE, tI), (sE, sI)

    def run(state, i0, steps):
        return jax.lax.scan(step, state, i0 + jnp.arange(steps.shape[0]))

    z = lambda n: jnp.zeros(n, jnp.float32)  # noqa: E731
    state = (jnp.asarray(setup["V_E"]), jnp.asarray(setup["V_I"]), jnp.zeros(ne, bool), jnp.zeros(ni, bool),
             z(ne), z(ni), z(ne), z(ni), jnp.full(ne, -1e7, jnp.float32), jnp.full(ni, -1e7, jnp.float32))
    return jax.jit(run), state


# ----------------------------------------------------------------------------- neurodyn side

def build_neurodyn(cfg: dict, seed: int):
    """The classic EINet and its DSRunner; returns ``(runner, setup for the baseline)``."""
    bp, bm = neurodyn_api("neurons", "synapses", "synouts", "conn", "init", "DSRunner")
    ne, ni, we, wi = sizes(cfg)
    bm.random.seed(seed)

    class EINet(bp.Network):
        def __init__(self):
            super().__init__()
            pars = dict(PARS, V_initializer=bp.init.Uniform(-60., -50.))
            self.E = bp.neurons.LIF(ne, **pars)
            self.I = bp.neurons.LIF(ni, **pars)
            self.E2E = bp.synapses.Exponential(self.E, self.E, bp.conn.FixedProb(cfg["p"], include_self=False),
                                               g_max=we, tau=TAU_E, output=bp.synouts.COBA(E=E_E))
            self.E2I = bp.synapses.Exponential(self.E, self.I, bp.conn.FixedProb(cfg["p"]),
                                               g_max=we, tau=TAU_E, output=bp.synouts.COBA(E=E_E))
            self.I2E = bp.synapses.Exponential(self.I, self.E, bp.conn.FixedProb(cfg["p"]),
                                               g_max=wi, tau=TAU_I, output=bp.synouts.COBA(E=E_I))
            self.I2I = bp.synapses.Exponential(self.I, self.I, bp.conn.FixedProb(cfg["p"], include_self=False),
                                               g_max=wi, tau=TAU_I, output=bp.synouts.COBA(E=E_I))

    with bm.environment(mode=bm.NonBatchingMode(), dt=cfg["dt"]):
        net = EINet()
        runner = bp.DSRunner(net, monitors=["E.spike", "I.spike"],
                          inputs=[("E.input", I_EXT), ("I.input", I_EXT)], progress_bar=False)
    setup = {"EE": net.E2E.conn.build_mat(), "EI": net.E2I.conn.build_mat(),
             "IE": net.I2E.conn.build_mat(), "II": net.I2I.conn.build_mat(),
             "V_E": np.asarray(net.E.V.value), "V_I": np.asarray(net.I.V.value)}
    return runner, setup, net


def _rate(spike_runs: list, n: int, seconds: float) -> float:
    total = sum(int(np.count_nonzero(np.asarray(s))) for s in spike_runs)
    return total / n / seconds


def main(argv=None) -> dict:
    args = parser(__doc__.splitlines()[0]).parse_args(argv)
    cfg = QUICK if args.quick else FULL
    ne, ni, we, wi = sizes(cfg)
    chunk = cfg["chunk_ms"]
    steps = round(chunk / cfg["dt"])
    record = {"workload": "W3_coba", "quick": args.quick,
              "sizes": {**cfg, "num_exc": ne, "num_inh": ni, "we": we, "wi": wi, "steps_per_chunk": steps},
              "machine": machine()}
    try:
        runner, setup, net = build_neurodyn(cfg, args.seed)
        record["neurodyn_comp_method"] = {k: getattr(net, k).comp_method for k in ("E2E", "E2I", "I2E", "I2I")}
    except Exception as exc:
        log(traceback.format_exc())
        runner, setup = None, random_setup(cfg, args.seed)
        record["neurodyn_error"] = f"{type(exc).__name__}: {exc}"

    run, state0 = make_baseline(cfg, setup)
    box = {"state": state0, "i0": 0}
    marker = jnp.zeros(steps)
    base_spikes, nd_spikes = [], []

    def base_chunk():
        box["state"], (sE, sI) = run(box["state"], box["i0"], marker)
        box["i0"] += steps
        base_spikes.append((sE, sI))
        return sE, sI

    def nd_chunk():
        runner.run(chunk)
        sE, sI = runner.mon["E.spike"], runner.mon["I.spike"]
        nd_spikes.append((sE, sI))
        return sE, sI

    per_second = 1000.0 / chunk
    timed_s = args.repeats * chunk / 1000.0
    if runner is None:
        t_b = time_steps(base_chunk, args.warmup, args.repeats)
        record.update(neurodyn_s=None, ratio=None, speedup=None, neurodyn_compile_s=None,
                      neurodyn_rate_hz=None)
    else:
        t_nd, t_b = compare(nd_chunk, base_chunk, args.warmup, args.repeats)
        nd_s = t_nd["median_s"] * per_second
        record.update(neurodyn_s=nd_s, ratio=t_nd["median_s"] / t_b["median_s"],
                      speedup=t_b["median_s"] / t_nd["median_s"], neurodyn_compile_s=t_nd["compile_s"],
                      **spread(t_nd, t_b),
                      neurodyn_rate_hz=_rate([a for s in nd_spikes[-args.repeats:] for a in s], ne + ni, timed_s))
    base_rate = _rate([a for s in base_spikes[-args.repeats:] for a in s], ne + ni, timed_s)
    record.update(baseline_s=t_b["median_s"] * per_second, baseline_compile_s=t_b["compile_s"],
                  baseline_rate_hz=base_rate, simulated_s=timed_s, peak_rss_mb=peak_rss_mb())
    if record.get("neurodyn_rate_hz") is not None and base_rate > 0:
        record["rate_rel_diff"] = abs(record["neurodyn_rate_hz"] - base_rate) / base_rate
    emit(record)
    return record


if __name__ == "__main__":
    main()
