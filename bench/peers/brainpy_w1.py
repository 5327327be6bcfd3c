"""W1 on BrainPy 2.8.2 as its users write it (its docs' training tutorials): ``bp.dnn.Linear`` ->
``bp.dyn.Expon`` -> ``bp.dyn.Lif`` -> ``bp.dnn.Linear`` -> ``bp.dyn.Expon`` -> ``bp.dyn.Integrator``,
time-major data, ``model.reset(B)``, ``bm.for_loop(model.step_run, ...)``, ``bm.grad`` and Adam,
the whole step under ``bm.jit``. One timed call is one training step on one batch."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _common import args, emit, load, time_calls  # noqa: E402

import brainpy as bp  # noqa: E402
import brainpy.math as bm  # noqa: E402
import jax  # noqa: E402
import numpy as np  # noqa: E402

a = args()
d = load(a.data)
X, Y, W1, W2 = d["x"], d["y"], d["w1"], d["w2"]
B, T, num_in = int(d["batch"]), X.shape[1], X.shape[2]
num_rec, num_out = W1.shape[1], W2.shape[1]
XT = np.ascontiguousarray(X.reshape(-1, B, T, num_in).transpose(0, 2, 1, 3))   # its users keep data time-major
bm.set_dt(1.0)
bm.set_mode(bm.training_mode)


class SNN(bp.DynamicalSystem):
    def __init__(self):
        super().__init__()
        self.i2r = bp.dnn.Linear(num_in, num_rec, W_initializer=bm.asarray(W1), b_initializer=None)
        self.syn1 = bp.dyn.Expon(num_rec, tau=10.)
        self.r = bp.dyn.Lif(num_rec, tau=10., V_rest=0., V_reset=0., V_th=1.)
        self.r2o = bp.dnn.Linear(num_rec, num_out, W_initializer=bm.asarray(W2), b_initializer=None)
        self.syn2 = bp.dyn.Expon(num_out, tau=10.)
        self.o = bp.dyn.Integrator(num_out, tau=5.)

    def update(self, spike):
        return self.o(self.syn2(self.r2o(self.r(self.syn1(self.i2r(spike))))))


model = SNN()
opt = bp.optim.Adam(lr=1e-3, train_vars=model.train_vars().unique())


def loss_fun(xs, ys):
    model.reset(B)
    outs = bm.for_loop(model.step_run, (bm.arange(T), xs))
    return bp.losses.cross_entropy_loss(bm.max(outs, axis=0), ys)


grad_f = bm.grad(loss_fun, grad_vars=model.train_vars().unique(), return_value=True)


@bm.jit
def train_step(xs, ys):
    grads, loss = grad_f(xs, ys)
    opt.update(grads)
    return loss


it = [0]


def step():
    i = it[0] % len(XT)
    it[0] += 1
    return float(jax.block_until_ready(train_step(XT[i], Y[i * B:(i + 1) * B])))


first_loss = float(bm.jit(loss_fun)(XT[0], Y[:B]))
t = time_calls(step, a.warmup, a.repeats)
emit(os.environ.get("NEURODYN_PEER_NAME", "brainpy"), "W1", t, loss_step0=first_loss)
