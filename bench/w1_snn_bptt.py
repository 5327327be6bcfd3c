"""W1 — SNN surrogate-gradient BPTT (the seed's ``SNN``; Neftci, Mostafa & Zenke 2019).

700 Bernoulli(p=0.05) input channels -> Exponential synapse (tau 10 ms, CUBA, Kaiming-normal
weights of scale 20) -> LIF 256 (tau 10 ms, V_rest = V_reset = 0, V_th = 1) -> Exponential
synapse (tau 10 ms) -> LeakyIntegrator 20 (tau 5 ms); dt = 1 ms, T = 100, batch 128; softmax
cross-entropy of the max-over-time readout potential vs random labels; Adam lr = 1e-3.

neurodyn side: the seed's ``SNN`` class trained by ``bp.BPTT`` (one step per call). Baseline:
the same equations in pure JAX + optax (``lax.scan``, the whole step jitted with the update),
same surrogate derivative as the library's LIF default, same initial weights and data.

Also: the time scaling (T = 100, 200, 400, 800) and the memory of ``remat`` at the largest T,
from XLA's compiled memory analysis (temp bytes, deterministic) and from the peak RSS of one
subprocess per configuration (``--probe``).

    python -m bench.w1_snn_bptt [--quick] [--no-probes | --probes]

(the probes run by default at full size only; ``--probes`` adds them to ``--quick``).
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import traceback

import numpy as np

if __package__ in (None, ""):
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from bench._harness import (compare, emit, log, machine, neurodyn_api, parser, peak_rss_mb, spread,
                            step_memory_mb, time_steps)

import jax
import jax.numpy as jnp
import optax

FULL = dict(num_in=700, num_rec=256, num_out=20, T=100, batch=128, p=0.05, dt=1.0, tau_syn=10.0,
            tau_rec=10.0, tau_out=5.0, lr=1e-3, scaling=(100, 200, 400, 800))
QUICK = dict(FULL, num_in=100, num_rec=32, num_out=10, T=10, batch=8, scaling=(10,))


def make_data(cfg: dict, T: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Input spikes ``(T, batch, num_in)`` float32 and integer labels ``(batch,)``."""
    rng = np.random.default_rng(seed + T)
    x = (rng.random((T, cfg["batch"], cfg["num_in"])) < cfg["p"]).astype(np.float32)
    y = rng.integers(0, cfg["num_out"], cfg["batch"]).astype(np.int32)
    return x, y


# ----------------------------------------------------------------------------- baseline (pure JAX)

def init_params(cfg: dict, seed: int) -> dict:
    """Kaiming-normal (variance 20 / fan_in) weights; used only when neurodyn is unavailable."""
    rng = np.random.default_rng(seed + 1)
    w1 = rng.standard_normal((cfg["num_in"], cfg["num_rec"])) * np.sqrt(20.0 / cfg["num_in"])
    w2 = rng.standard_normal((cfg["num_rec"], cfg["num_out"])) * np.sqrt(20.0 / cfg["num_rec"])
    return {"i2r": w1.astype(np.float32), "r2o": w2.astype(np.float32)}


def make_baseline(cfg: dict, params: dict, alpha: float, remat: bool = False):
    """``(train_step, state)``: ``train_step(state, x, y) -> (state, loss)``, jitted.

    ``alpha``: the surrogate slope, derivative ``1 / (alpha |V - V_th| + 1)^2``.
    """
    dt = cfg["dt"]
    d_syn = float(np.exp(-dt / cfg["tau_syn"]))
    d_rec = float(np.exp(-dt / cfg["tau_rec"]))
    d_out = float(np.exp(-dt / cfg["tau_out"]))
    v_th, v_reset = 1.0, 0.0
    opt = optax.adam(cfg["lr"])

    @jax.custom_jvp
    def spike_fn(x):
        return (x >= 0).astype(x.dtype)

    @spike_fn.defjvp
    def _spike_jvp(primals, tangents):
        (x,), (dx,) = primals, tangents
        return spike_fn(x), dx / (alpha * jnp.abs(x) + 1.0) ** 2

    def forward(params, x):
        batch = x.shape[1]
        zeros = lambda n: jnp.zeros((batch, n), jnp.float32)  # noqa: E731
        carry0 = (zeros(cfg["num_rec"]), zeros(cfg["num_out"]), zeros(cfg["num_rec"]),
                  zeros(cfg["num_rec"]), zeros(cfg["num_out"]))

        def step(carry, s_in):
            g1, g2, v, s, vo = carry
            g1 = g1 * d_syn + s_in @ params["i2r"]        # synapses first, from last step's spikes
            g2 = g2 * d_syn + s @ params["r2o"]
            v = g1 + (v - g1) * d_rec                      # exact step, V_rest = 0, R = 1
            s = spike_fn(v - v_th)
            v = v - (v_th - v_reset) * s                   # soft reset
            vo = g2 + (vo - g2) * d_out
            return (g1, g2, v, s, vo), vo

        body = jax.checkpoint(step) if remat else step
        return jax.lax.scan(body, carry0, x)[1]

    def loss_fn(params, x, y):
        vo = forward(params, x)
        return optax.softmax_cross_entropy_with_integer_labels(jnp.max(vo, axis=0), y).mean()

    @jax.jit
    def train_step(state, x, y):
        params, opt_state = state
        loss, grads = jax.value_and_grad(loss_fn)(params, x, y)
        updates, opt_state = opt.update(grads, opt_state, params)
        return (optax.apply_updates(params, updates), opt_state), loss

    params = jax.tree_util.tree_map(jnp.asarray, params)
    return train_step, (params, opt.init(params)), loss_fn


# ----------------------------------------------------------------------------- neurodyn side

class NeurodynSide:
    """The seed's SNN, a BPTT trainer; ``step(x, y)`` is one training step."""

    def __init__(self, cfg: dict, remat: bool = False, seed: int = 0):
        bp, bm = neurodyn_api("neurons", "synapses", "synouts", "conn", "init", "losses", "optim", "BPTT")
        bm.random.seed(seed)

        class SNN(bp.Network):
            def __init__(self, num_in, num_rec, num_out):
                super(SNN, self).__init__()
                # neuron groups
                self.i = bp.neurons.InputGroup(num_in)
                self.r = bp.neurons.LIF(num_rec, tau=cfg["tau_rec"], V_reset=0, V_rest=0, V_th=1.)
                self.o = bp.neurons.LeakyIntegrator(num_out, tau=cfg["tau_out"])
                # synapse: i->r
                self.i2r = bp.synapses.Exponential(self.i, self.r, bp.conn.All2All(),
                                                   output=bp.synouts.CUBA(), tau=cfg["tau_syn"],
                                                   g_max=bp.init.KaimingNormal(scale=20.))
                # synapse: r->o
                self.r2o = bp.synapses.Exponential(self.r, self.o, bp.conn.All2All(),
                                                   output=bp.synouts.CUBA(), tau=cfg["tau_syn"],
                                                   g_max=bp.init.KaimingNormal(scale=20.))

            def update(self, tdi, spike):
                self.i2r(tdi, spike)
                self.r2o(tdi)
                self.r(tdi)
                self.o(tdi)
                return self.o.V.value

        def loss(predicts, targets):        # predicts: (time, batch, num_out)
            return bp.losses.cross_entropy_loss(bm.max(predicts, axis=0), targets)

        with bm.training_environment(dt=cfg["dt"], batch_size=cfg["batch"]):
            self.model = SNN(cfg["num_in"], cfg["num_rec"], cfg["num_out"])
            # BPTT takes its dt from the environment it is built in
            self.trainer = bp.BPTT(self.model, loss_fun=loss, optimizer=bp.optim.Adam(lr=cfg["lr"]),
                                   data_first_axis="T", remat=remat, shuffle_data=False,
                                   progress_bar=False)
        spike_fun = self.model.r.spike_fun.params
        self.alpha = float(spike_fun.get("alpha", spike_fun.get("beta")))

    def params(self) -> dict:
        return {"i2r": np.asarray(self.model.i2r.g_max.value), "r2o": np.asarray(self.model.r2o.g_max.value)}

    def step(self, x, y):
        """One training step through the public API: an epoch of one batch; returns its loss."""
        self.trainer.fit((x, y), num_epoch=1)
        return self.trainer.train_losses[-1]

    def lowered(self, x, y):
        """The compiled training step, for XLA's memory analysis (reaches into BPTT's program cache)."""
        self.step(x, y)
        programs = [p for k, p in self.trainer._programs.items() if k[0] == "train"]
        if len(programs) != 1:
            return None
        prog = programs[0]
        halted = jax.numpy.zeros((), bool)
        return prog._get().lower(prog.functional.values(), self.trainer.opt_state, halted, x, y).compile()


def _temp_mb(compiled) -> float | None:
    if compiled is None:
        return None
    stats = compiled.memory_analysis()
    return None if stats is None else stats.temp_size_in_bytes / 2 ** 20


def probe(cfg: dict, side: str, T: int, remat: bool, seed: int) -> dict:
    """Build one side at ``T`` (remat or not), run 3 steps; peak RSS and XLA temp size."""
    x, y = make_data(cfg, T, seed)
    xs, ys = jnp.asarray(x), jnp.asarray(y)
    del x
    if side == "neurodyn":
        nd = NeurodynSide(cfg, remat=remat, seed=seed)
        temp = _temp_mb(nd.lowered(xs, ys))

        def run():
            return nd.step(xs, ys)
    else:
        train_step, state, _ = make_baseline(cfg, init_params(cfg, seed), alpha=100.0, remat=remat)
        temp = _temp_mb(train_step.lower(state, xs, ys).compile())
        box = [state]

        def run():
            box[0], loss = train_step(box[0], xs, ys)
            return loss
    jax.block_until_ready(run())
    step_mb = step_memory_mb(run)
    return {"probe": side, "T": T, "remat": remat, "peak_rss_mb": peak_rss_mb(), "xla_temp_mb": temp,
            "step_mb": step_mb}


def run_probes(args, cfg: dict, T: int) -> dict:
    """One subprocess per (side, remat): peak RSS is per process."""
    out = {}
    for side in ("neurodyn", "baseline"):
        for remat in (False, True):
            cmd = [sys.executable, "-m", "bench.w1_snn_bptt", "--probe", side, "--T", str(T),
                   "--seed", str(args.seed)] + (["--remat"] if remat else []) + (["--quick"] if args.quick else [])
            res = subprocess.run(cmd, capture_output=True, text=True,
                                 cwd=os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
            key = f"{side}_{'remat' if remat else 'plain'}"
            lines = [ln for ln in res.stdout.splitlines() if ln.startswith("{")]
            if res.returncode != 0 or not lines:
                log(res.stderr[-3000:])
                out[key] = {"error": (res.stderr.strip().splitlines() or ["no output"])[-1]}
            else:
                rec = json.loads(lines[-1])
                out[key] = {k: rec[k] for k in ("peak_rss_mb", "xla_temp_mb", "step_mb")}
    return out


def main(argv=None) -> dict:
    p = parser(__doc__.splitlines()[0])
    p.add_argument("--no-probes", action="store_true", help="skip the remat memory subprocesses")
    p.add_argument("--probes", action="store_true", help="run them also with --quick")
    p.add_argument("--probe", choices=("neurodyn", "baseline"), help=argparse.SUPPRESS)
    p.add_argument("--T", type=int, default=None, help="time steps of a --probe")
    p.add_argument("--remat", action="store_true", help="remat in a --probe")
    args = p.parse_args(argv)
    cfg = QUICK if args.quick else FULL
    if args.probe:
        rec = probe(cfg, args.probe, args.T or cfg["scaling"][-1], args.remat, args.seed)
        emit(rec)
        return rec

    record = {"workload": "W1_snn_bptt", "quick": args.quick,
              "sizes": {k: v for k, v in cfg.items() if k != "scaling"}, "machine": machine()}
    try:
        nd = NeurodynSide(cfg, seed=args.seed)
        params, alpha = nd.params(), nd.alpha
    except Exception as exc:
        log(traceback.format_exc())
        nd, params, alpha = None, init_params(cfg, args.seed), 100.0
        record["neurodyn_error"] = f"{type(exc).__name__}: {exc}"
    train_step, state0, _ = make_baseline(cfg, params, alpha)

    scaling = []
    for T in cfg["scaling"]:
        x, y = make_data(cfg, T, args.seed)
        xs, ys = jnp.asarray(x), jnp.asarray(y)
        box = [state0]

        def base_step():
            box[0], loss = train_step(box[0], xs, ys)
            return loss

        entry = {"T": T}
        if nd is None:
            t_b = time_steps(base_step, args.warmup, args.repeats)
        else:
            t_nd, t_b = compare(lambda: nd.step(xs, ys), base_step, args.warmup, args.repeats)
            if T == cfg["T"]:     # same computation: the first losses agree (same weights and data)
                entry["loss_neurodyn"] = _scalar(t_nd["first_out"])
                entry["loss_baseline"] = _scalar(t_b["first_out"])
            entry.update(neurodyn_s=t_nd["median_s"], neurodyn_compile_s=t_nd["compile_s"],
                         ratio=t_nd["median_s"] / t_b["median_s"], **spread(t_nd, t_b))
        entry.update(baseline_s=t_b["median_s"], baseline_compile_s=t_b["compile_s"])
        log(f"W1 T={T}: {entry}")
        scaling.append(entry)

    main_entry = next(e for e in scaling if e["T"] == cfg["T"])
    record.update(neurodyn_s=main_entry.get("neurodyn_s"), baseline_s=main_entry["baseline_s"],
                  ratio=main_entry.get("ratio"), neurodyn_compile_s=main_entry.get("neurodyn_compile_s"),
                  baseline_compile_s=main_entry["baseline_compile_s"],
                  loss_neurodyn=main_entry.get("loss_neurodyn"),
                  loss_baseline=main_entry.get("loss_baseline"),
                  **{k: main_entry.get(k) for k in ("ratio_min", "ratio_cpu", "neurodyn_cpu_s", "baseline_cpu_s")})
    if record["neurodyn_compile_s"] is not None:
        record["compile_ratio"] = record["neurodyn_compile_s"] / max(record["baseline_compile_s"], 1e-9)
    record["scaling"] = scaling
    record["peak_rss_mb"] = peak_rss_mb()
    probes = not args.no_probes and (args.probes or not args.quick)
    record["remat_memory"] = run_probes(args, cfg, cfg["scaling"][-1]) if probes else None
    emit(record)
    return record


def _scalar(out) -> float | None:
    """The loss of a first training step: a scalar, or the first scalar leaf of what it returned."""
    leaves = [a for a in jax.tree_util.tree_leaves(out) if np.ndim(a) == 0]
    return float(leaves[0]) if leaves else None


if __name__ == "__main__":
    main()
