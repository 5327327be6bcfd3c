"""W4 on neurodyn as its users write it: the seed notebook's ``NGRC`` (``NVAR(delay=2, order=2,
stride=1, constant=True)`` + ``Dense`` readout) trained by ``bp.RidgeTrainer``: a ``predict`` over
the warm-up, then ``fit`` over the training window. One timed call is one training."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _common import args, emit, load, time_calls  # noqa: E402

import jax.numpy as jnp  # noqa: E402
import neurodyn as bp  # noqa: E402
import neurodyn.math as bm  # noqa: E402
import numpy as np  # noqa: E402

a = args()
d = load(a.data)
u, w, wt, lyap = d["u"], int(d["w"]), int(d["wt"]), int(d["lyap"])


class NGRC(bp.DynamicalSystemNS):
    def __init__(self, num_in, num_out):
        super(NGRC, self).__init__(mode=bm.batching_mode)
        self.r = bp.layers.NVAR(num_in, delay=2, order=2, stride=1, constant=True, mode=bm.batching_mode)
        self.o = bp.layers.Dense(self.r.num_out, num_out, b_initializer=None, mode=bm.training_mode)

    def update(self, x):
        return x >> self.r >> self.o


xs = bm.asarray(u[None].astype(np.float32))
X_warm, X_train = xs[:, :w - 1], xs[:, w - 1:wt - 1]
Y_train = xs[:, w:wt] - xs[:, w - 1:wt - 1]
model = NGRC(3, 3)
trainer = bp.RidgeTrainer(model, alpha=2.5e-6, progress_bar=False)


def train():
    trainer.predict(X_warm, reset_state=True)
    trainer.fit([X_train, Y_train])
    return np.asarray(model.o.W.value)


t = time_calls(train, a.warmup, a.repeats)
x = bm.Variable(xs[:, wt - 1])


def step(_):
    x.value = x.value + model(x.value)
    return x.value[0]


preds = np.concatenate([u[wt - 1:wt], np.asarray(bm.for_loop(step, jnp.arange(lyap - 1)))])
truth = u[wt - 1:wt - 1 + lyap]
nrmse = float(np.sqrt(np.mean(np.sum((preds - truth) ** 2, axis=1)) / np.sum(np.var(u, axis=0))))
emit("neurodyn", "W4", t, forecast_nrmse=nrmse)
