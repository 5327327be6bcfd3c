"""W4 — NG-RC forecasting of Lorenz-63 (Gauthier et al., Nat. Commun. 12:5564, 2021).

neurodyn side: the seed's ``NGRC`` model (``NVAR`` in batching mode + ``Dense`` readout in
training mode) with ``delay=2, order=2, stride=1, constant=True`` (28 features), trained with
``bp.RidgeTrainer``: a ``predict`` over the warm-up, then ``fit`` over the training window
(feature collection + ridge solve, all through the library). Baseline: the same features
computed with vectorised NumPy (float64) and the closed-form ridge solution.

Timed: one training (warm-up + feature collection + solve) per step. Also (full size only):
``scaling``, the same training over windows of 10, 100 and 1000 time units (400 to 40,000
steps), which separates the fixed cost of a call from the cost of a step. Quality: training NRMSE
(one-step) and forecast NRMSE over one Lyapunov time (44 steps, closed loop), normalised by the
summed per-component variances of the whole trajectory (the authors' scripts: warm-up 5, train
10, test 120 time units).

    python -m bench.w4_ngrc [--quick]
"""
from __future__ import annotations

import os
import sys
import traceback

import numpy as np
from scipy.integrate import solve_ivp

if __package__ in (None, ""):
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from bench._harness import compare, emit, log, machine, neurodyn_api, parser, peak_rss_mb, spread, time_steps

X0 = (17.67715816276679, 12.931379185960404, 43.91404334248268)
LYAPUNOV = 0.9056

FULL = dict(dt=0.025, warmup=5.0, train=10.0, test=120.0, alpha=2.5e-6, delay=2)
QUICK = dict(FULL)        # already tiny: the quick run is the full one
# training windows (time units) of the scaling figure: the fixed cost per call against the cost per step
SCALING = (10.0, 100.0, 1000.0)


def lorenz_scipy(duration: float, dt: float) -> np.ndarray:
    """The authors' data: RK23 with default tolerances, sampled every ``dt``; ``(steps + 1, 3)``."""
    steps = round(duration / dt)

    def rhs(t, s):
        x, y, z = s
        return [10.0 * (y - x), x * (28.0 - z) - y, x * y - 8.0 / 3.0 * z]

    ts = np.linspace(0.0, steps * dt, steps + 1)
    sol = solve_ivp(rhs, (0.0, steps * dt), X0, t_eval=ts, method="RK23")
    return sol.y.T.copy()


def windows(cfg: dict) -> dict:
    dt = cfg["dt"]
    w, t = round(cfg["warmup"] / dt), round(cfg["train"] / dt)
    return {"w": w, "wt": w + t, "lyap": round(1.0 / LYAPUNOV / dt)}


# ----------------------------------------------------------------------------- baseline (NumPy)

_IU = np.triu_indices(6)   # unique quadratic monomials of the 6 linear features, row-major


def np_features(cur: np.ndarray, prev: np.ndarray) -> np.ndarray:
    """``[1, x(t), x(t-1), unique products]`` for rows of ``cur = x(t)`` and ``prev = x(t-1)``."""
    lin = np.concatenate([cur, prev], axis=-1)
    quad = lin[..., _IU[0]] * lin[..., _IU[1]]
    return np.concatenate([np.ones(lin.shape[:-1] + (1,)), lin, quad], axis=-1)


def np_train(u: np.ndarray, w: int, wt: int, alpha: float) -> tuple[np.ndarray, np.ndarray]:
    """Ridge readout ``W`` (28, 3) on the features of steps ``w-1 .. wt-2``; also the features."""
    F = np_features(u[w - 1:wt - 1], u[w - 2:wt - 2])
    Y = u[w:wt] - u[w - 1:wt - 1]
    W = np.linalg.solve(F.T @ F + alpha * np.eye(F.shape[1]), F.T @ Y)
    return W, F


def np_forecast(u: np.ndarray, W: np.ndarray, wt: int, steps: int) -> np.ndarray:
    """Closed loop from ``x(wt-1)`` (with ``x(wt-2)`` as the delay): ``steps`` rows, the first true."""
    out = np.zeros((steps, 3))
    out[0], prev = u[wt - 1], u[wt - 2]
    for j in range(steps - 1):
        out[j + 1] = out[j] + np_features(out[j], prev) @ W
        prev = out[j]
    return out


def nrmse_np(pred: np.ndarray, true: np.ndarray, total_var: float) -> float:
    return float(np.sqrt(np.mean((pred - true) ** 2) / total_var))


# ----------------------------------------------------------------------------- neurodyn side

def build_neurodyn(cfg: dict, win: dict):
    """The seed's NGRC trained by RidgeTrainer; returns ``(train_fn, evaluate_fn)``."""
    import jax.numpy as jnp
    bp, bm = neurodyn_api("layers", "datasets", "metrics", "RidgeTrainer")

    class NGRC(bp.DynamicalSystemNS):
        def __init__(self, num_in, num_out):
            super(NGRC, self).__init__(mode=bm.batching_mode)
            self.r = bp.layers.NVAR(num_in, delay=cfg["delay"], order=2, stride=1, constant=True,
                                    mode=bm.batching_mode)
            self.o = bp.layers.Dense(self.r.num_out, num_out, b_initializer=None, mode=bm.training_mode)

        def update(self, x):
            return x >> self.r >> self.o

    dt, w, wt = cfg["dt"], win["w"], win["wt"]
    data = bp.datasets.lorenz63(cfg["warmup"] + cfg["train"] + cfg["test"], dt=dt)
    u = np.stack([data["x"], data["y"], data["z"]], axis=1)
    xs = bm.asarray(u[None])                       # (batch 1, time, 3), float32
    X_warm, X_train = xs[:, :w - 1], xs[:, w - 1:wt - 1]
    Y_train = xs[:, w:wt] - xs[:, w - 1:wt - 1]

    model = NGRC(3, 3)
    trainer = bp.RidgeTrainer(model, alpha=cfg["alpha"], progress_bar=False)

    def train():
        trainer.predict(X_warm, reset_state=True)
        trainer.fit([X_train, Y_train])
        return model.o.W.value

    def evaluate():
        train()
        ref = jnp.asarray(u, jnp.float32)
        # one-step training predictions: warm up again, then predict the training window
        trainer.predict(X_warm, reset_state=True)
        diffs = trainer.predict(X_train)[0]
        train_pred = xs[0, w - 1:wt - 1] + diffs
        train_err = float(bp.metrics.nrmse(train_pred, xs[0, w:wt], reference=ref))
        # closed loop over one Lyapunov time; the NVAR buffer holds x(wt-2) after the fit window
        x = bm.Variable(xs[:, wt - 1])

        def step(_):
            x.value = x.value + model(x.value)
            return x.value[0]

        preds = jnp.concatenate([xs[0, wt - 1:wt], bm.for_loop(step, jnp.arange(win["lyap"] - 1))])
        test_err = float(bp.metrics.nrmse(preds, xs[0, wt - 1:wt - 1 + win["lyap"]], reference=ref))
        return train_err, test_err

    return train, evaluate


def main(argv=None) -> dict:
    args = parser(__doc__.splitlines()[0], repeats=50).parse_args(argv)   # milliseconds each
    cfg = QUICK if args.quick else FULL
    win = windows(cfg)
    w, wt, lyap = win["w"], win["wt"], win["lyap"]
    u = lorenz_scipy(cfg["warmup"] + cfg["train"] + cfg["test"], cfg["dt"])
    total_var = float(np.sum(np.var(u, axis=0)))
    record = {"workload": "W4_ngrc", "quick": args.quick,
              "sizes": {**cfg, "features": 28, "train_steps": wt - w, "forecast_steps": lyap},
              "machine": machine()}

    def base_train():
        return np_train(u, w, wt, cfg["alpha"])[0]

    W, F = np_train(u, w, wt, cfg["alpha"])
    base_train_err = nrmse_np(u[w - 1:wt - 1] + F @ W, u[w:wt], total_var)
    base_test_err = nrmse_np(np_forecast(u, W, wt, lyap), u[wt - 1:wt - 1 + lyap], total_var)
    record.update(baseline_train_nrmse=base_train_err, baseline_forecast_nrmse=base_test_err)

    try:
        nd_train, nd_eval = build_neurodyn(cfg, win)
    except Exception as exc:          # the library side is not there (yet): report the baseline
        log(traceback.format_exc())
        t_b = time_steps(base_train, args.warmup, args.repeats)
        record.update(neurodyn_s=None, baseline_s=t_b["median_s"], ratio=None,
                      neurodyn_compile_s=None, baseline_compile_s=t_b["compile_s"],
                      neurodyn_error=f"{type(exc).__name__}: {exc}")
    else:
        t_nd, t_b = compare(nd_train, base_train, args.warmup, args.repeats)
        train_err, test_err = nd_eval()
        record.update(neurodyn_s=t_nd["median_s"], baseline_s=t_b["median_s"],
                      ratio=t_nd["median_s"] / t_b["median_s"],
                      neurodyn_compile_s=t_nd["compile_s"], baseline_compile_s=t_b["compile_s"],
                      neurodyn_train_nrmse=train_err, neurodyn_forecast_nrmse=test_err, **spread(t_nd, t_b))
        if not args.quick:
            record["scaling"] = scaling(cfg, args)
    record["peak_rss_mb"] = peak_rss_mb()
    emit(record)
    return record


def scaling(cfg: dict, args) -> list[dict]:
    """Training time of both sides over longer training windows (same warm-up, short test)."""
    rows = []
    for units in SCALING:
        c = dict(cfg, train=units, test=10.0)
        win = windows(c)
        u = lorenz_scipy(c["warmup"] + c["train"] + c["test"], c["dt"])
        nd_train, _ = build_neurodyn(c, win)
        t_nd, t_b = compare(nd_train, lambda: np_train(u, win["w"], win["wt"], c["alpha"])[0],
                            args.warmup, max(10, args.repeats // 5))
        rows.append({"train_units": units, "train_steps": win["wt"] - win["w"], "neurodyn_s": t_nd["median_s"],
                     "baseline_s": t_b["median_s"], "ratio": t_nd["median_s"] / t_b["median_s"]})
        log(f"W4 train={units:g}: {rows[-1]}")
    return rows


if __name__ == "__main__":
    main()
