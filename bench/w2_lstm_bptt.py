"""W2 — deep LSTM trained with BPTT (the seed's ``DeepRNN``, with ``l1`` used first).

input 100 -> LSTM 200 -> Dropout -> LSTM 200 -> Dropout -> LSTM 200 -> Dropout -> LSTM 100 ->
Dropout -> Dense 10; T=50, batch 64; MSE of every step's output against a random target; Adam
lr=1e-3. ``Dropout(0.2)`` is the seed's call: in neurodyn (as in BrainPy) 0.2 is the probability
to KEEP a unit, and the baseline does the same.

neurodyn side: the seed's class, trained by ``bp.BPTT`` (one training step per call).
Baseline: the same network in pure JAX + optax (``lax.scan`` over time, the whole step
``jax.jit`` ted with the optimizer update), with the neurodyn model's initial weights.

    python -m bench.w2_lstm_bptt [--quick]
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
import optax

FULL = dict(num_in=100, num_recs=(200, 200, 200, 100), num_out=10, T=50, batch=64, keep=0.2, lr=1e-3)
QUICK = dict(num_in=20, num_recs=(32, 32, 32, 16), num_out=10, T=10, batch=8, keep=0.2, lr=1e-3)


def make_data(cfg: dict, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Random inputs and targets, time-major ``(T, batch, features)`` float32."""
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((cfg["T"], cfg["batch"], cfg["num_in"])).astype(np.float32)
    y = rng.standard_normal((cfg["T"], cfg["batch"], cfg["num_out"])).astype(np.float32)
    return x, y


# ----------------------------------------------------------------------------- baseline (pure JAX)

def init_params(cfg: dict, seed: int) -> dict:
    """Glorot-normal weights (the layers' defaults), zero biases; used only without neurodyn."""
    rng = np.random.default_rng(seed + 1)
    sizes = (cfg["num_in"],) + tuple(cfg["num_recs"])
    params = {}

    def glorot(n_in, n_out):
        return (rng.standard_normal((n_in, n_out)) * np.sqrt(2.0 / (n_in + n_out))).astype(np.float32)

    for k, (n_in, n) in enumerate(zip(sizes[:-1], sizes[1:])):
        params[f"l{k + 1}"] = {"Wi": glorot(n_in, 4 * n), "Wh": glorot(n, 4 * n),
                               "b": np.zeros(4 * n, np.float32)}
    params["lout"] = {"W": glorot(sizes[-1], cfg["num_out"]), "b": np.zeros(cfg["num_out"], np.float32)}
    return params


def lstm_cell(p: dict, h: jax.Array, c: jax.Array, x: jax.Array) -> tuple[jax.Array, jax.Array]:
    """``i, g, f, o`` gates; forget bias +1 (as the library's cell)."""
    gates = x @ p["Wi"] + p["b"] + h @ p["Wh"]
    i, g, f, o = jnp.split(gates, 4, axis=-1)
    c = jax.nn.sigmoid(f + 1.0) * c + jax.nn.sigmoid(i) * jnp.tanh(g)
    h = jax.nn.sigmoid(o) * jnp.tanh(c)
    return h, c


def make_baseline(cfg: dict, params: dict, remat: bool = False):
    """``(train_step, state)``: ``train_step(state, x, y) -> (state, loss)``, jitted, buffers donated."""
    opt = optax.adam(cfg["lr"])
    keep, n_layers = cfg["keep"], len(cfg["num_recs"])
    params = jax.tree_util.tree_map(jnp.asarray, params)

    def forward(params, x, key):
        batch = x.shape[1]
        carry0 = tuple((jnp.zeros((batch, n)), jnp.zeros((batch, n))) for n in cfg["num_recs"])

        def step(carry, xt):
            hc, key = carry
            key, *subs = jax.random.split(key, n_layers + 1)
            out, new = xt, []
            for k in range(n_layers):
                h, c = lstm_cell(params[f"l{k + 1}"], *hc[k], out)
                new.append((h, c))
                mask = jax.random.bernoulli(subs[k], keep, h.shape)
                out = jnp.where(mask, h / keep, 0.0)
            y = out @ params["lout"]["W"] + params["lout"]["b"]
            return (tuple(new), key), y

        body = jax.checkpoint(step) if remat else step
        (_, key), ys = jax.lax.scan(body, (carry0, key), x)
        return ys, key

    def loss_fn(params, x, y, key):
        ys, key = forward(params, x, key)
        return jnp.mean((ys - y) ** 2), key

    @jax.jit
    def train_step(state, x, y):
        params, opt_state, key = state
        (loss, key), grads = jax.value_and_grad(loss_fn, has_aux=True)(params, x, y, key)
        updates, opt_state = opt.update(grads, opt_state, params)
        return (optax.apply_updates(params, updates), opt_state, key), loss

    return train_step, (params, opt.init(params), jax.random.PRNGKey(0))


# ----------------------------------------------------------------------------- neurodyn side

def build_neurodyn(cfg: dict, x: np.ndarray, y: np.ndarray, seed: int):
    """The seed's DeepRNN and a BPTT trainer; returns ``(step_fn, params for the baseline)``."""
    bp, bm = neurodyn_api("layers", "losses", "optim", "BPTT")
    bm.random.seed(seed)

    class DeepRNN(bp.DynamicalSystemNS):
        def __init__(self, num_in, num_recs, num_out):
            super(DeepRNN, self).__init__()
            self.l1 = bp.layers.LSTMCell(num_in, num_recs[0])
            self.d1 = bp.layers.Dropout(cfg["keep"])
            self.l2 = bp.layers.LSTMCell(num_recs[0], num_recs[1])
            self.d2 = bp.layers.Dropout(cfg["keep"])
            self.l3 = bp.layers.LSTMCell(num_recs[1], num_recs[2])
            self.d3 = bp.layers.Dropout(cfg["keep"])
            self.l4 = bp.layers.LSTMCell(num_recs[2], num_recs[3])
            self.d4 = bp.layers.Dropout(cfg["keep"])
            self.lout = bp.layers.Dense(num_recs[3], num_out)

        def update(self, x):
            x = x >> self.l1 >> self.d1
            x = x >> self.l2 >> self.d2
            x = x >> self.l3 >> self.d3
            x = x >> self.l4 >> self.d4
            return self.lout(x)

    with bm.training_environment(batch_size=cfg["batch"]):
        model = DeepRNN(cfg["num_in"], cfg["num_recs"], cfg["num_out"])
        trainer = bp.BPTT(model, loss_fun=bp.losses.mean_squared_error,
                          optimizer=bp.optim.Adam(lr=cfg["lr"]), shuffle_data=False, progress_bar=False)
    params = {f"l{k}": {"Wi": np.asarray(getattr(model, f"l{k}").Wi.value),
                        "Wh": np.asarray(getattr(model, f"l{k}").Wh.value),
                        "b": np.asarray(getattr(model, f"l{k}").b.value)} for k in range(1, 5)}
    params["lout"] = {"W": np.asarray(model.lout.W.value), "b": np.asarray(model.lout.b.value)}
    # the trainer's default layout: batch first, (batch, time, features)
    xb, yb = jnp.asarray(np.swapaxes(x, 0, 1)), jnp.asarray(np.swapaxes(y, 0, 1))

    def step():
        """One training step through the public API: an epoch of one batch; returns its loss."""
        trainer.fit((xb, yb), num_epoch=1)
        return trainer.train_losses[-1]

    return step, params


def main(argv=None) -> dict:
    args = parser(__doc__.splitlines()[0]).parse_args(argv)
    cfg = QUICK if args.quick else FULL
    x, y = make_data(cfg, args.seed)
    record = {"workload": "W2_lstm_bptt", "quick": args.quick, "sizes": cfg, "machine": machine()}
    try:
        nd_step, params = build_neurodyn(cfg, x, y, args.seed)
    except Exception as exc:
        log(traceback.format_exc())
        nd_step, params = None, init_params(cfg, args.seed)
        record["neurodyn_error"] = f"{type(exc).__name__}: {exc}"
    train_step, state = make_baseline(cfg, params)
    xs, ys = jnp.asarray(x), jnp.asarray(y)
    box = [state]

    def base_step():
        box[0], loss = train_step(box[0], xs, ys)
        return loss

    if nd_step is None:
        t_b = time_steps(base_step, args.warmup, args.repeats)
        record.update(neurodyn_s=None, ratio=None, neurodyn_compile_s=None)
    else:
        t_nd, t_b = compare(nd_step, base_step, args.warmup, args.repeats)
        record.update(neurodyn_s=t_nd["median_s"], ratio=t_nd["median_s"] / t_b["median_s"],
                      neurodyn_compile_s=t_nd["compile_s"],
                      compile_ratio=t_nd["compile_s"] / max(t_b["compile_s"], 1e-9), **spread(t_nd, t_b))
    record.update(baseline_s=t_b["median_s"], baseline_compile_s=t_b["compile_s"],
                  peak_rss_mb=peak_rss_mb())
    emit(record)
    return record


if __name__ == "__main__":
    main()
