"""W4 on reservoirpy 0.4.2 as its users write it (its NG-RC tutorial): ``NVAR(delay=2, order=2,
strides=1) >> Ridge(ridge=2.5e-6)`` fitted on the next-step differences after the warm-up.
One timed call is one training (a fresh model: warm-up + fit)."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _common import args, emit, load, time_calls  # noqa: E402

import numpy as np  # noqa: E402
from reservoirpy.nodes import NVAR, Ridge  # noqa: E402

a = args()
d = load(a.data)
u, w, wt, lyap = d["u"], int(d["w"]), int(d["wt"]), int(d["lyap"])
X, Y = u[:wt - 1], u[1:wt] - u[:wt - 1]
holder = {}


def train():
    model = NVAR(delay=2, order=2, strides=1) >> Ridge(ridge=2.5e-6)
    model.fit(X, Y, warmup=w - 1)
    holder["model"] = model
    return model


t = time_calls(train, a.warmup, a.repeats)
model = holder["model"]
model.run(u[:wt - 1])                                    # the state after the training window
x, preds = u[wt - 1], [u[wt - 1]]
for _ in range(lyap - 1):
    x = x + np.ravel(model(x))
    preds.append(x)
preds, truth = np.asarray(preds), u[wt - 1:wt - 1 + lyap]
nrmse = float(np.sqrt(np.mean(np.sum((preds - truth) ** 2, axis=1)) / np.sum(np.var(u, axis=0))))
emit("reservoirpy", "W4", t, forecast_nrmse=nrmse)
