"""W1 on neurodyn as its users write it: the seed notebook's ``SNN`` trained by
``bp.BPTT(...).fit`` on NumPy arrays (batch-major, as ``fit`` takes them). One timed call is one
epoch over the file's batches; the figure is seconds per batch."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _common import args, emit, load, mesh_of, time_calls  # noqa: E402

import neurodyn as bp  # noqa: E402
import neurodyn.math as bm  # noqa: E402

a = args()
d = load(a.data)
X, Y, W1, W2 = d["x"], d["y"], d["w1"], d["w2"]        # x: (batches * B, T, num_in)
B, T, num_in = int(d["batch"]), X.shape[1], X.shape[2]
num_rec, num_out = W1.shape[1], W2.shape[1]


class SNN(bp.Network):
    def __init__(self, num_in, num_rec, num_out):
        super(SNN, self).__init__()
        self.i = bp.neurons.InputGroup(num_in)
        self.r = bp.neurons.LIF(num_rec, tau=10, V_reset=0, V_rest=0, V_th=1.)
        self.o = bp.neurons.LeakyIntegrator(num_out, tau=5)
        self.i2r = bp.synapses.Exponential(self.i, self.r, bp.conn.All2All(), output=bp.synouts.CUBA(),
                                           tau=10., g_max=W1)
        self.r2o = bp.synapses.Exponential(self.r, self.o, bp.conn.All2All(), output=bp.synouts.CUBA(),
                                           tau=10., g_max=W2)

    def update(self, tdi, spike):
        self.i2r(tdi, spike)
        self.r2o(tdi)
        self.r(tdi)
        self.o(tdi)
        return self.o.V.value


def loss(predicts, targets):
    return bp.losses.cross_entropy_loss(bm.max(predicts, axis=1), targets)


with bm.training_environment(dt=1.0, batch_size=B):
    net = SNN(num_in, num_rec, num_out)
trainer = bp.BPTT(net, loss_fun=loss, optimizer=bp.optim.Adam(lr=1e-3), shuffle_data=False, progress_bar=False,
                  mesh=mesh_of(a.mesh, bp))
first_loss = float(loss(trainer.predict(X[:B]), Y[:B]))
nb = len(X) // B


def epoch():
    trainer.fit([X, Y], num_epoch=1, batch_size=B)
    return trainer.train_losses[-1]


t = time_calls(epoch, a.warmup, a.repeats, per_call=nb)
emit("neurodyn", "W1", t, loss_step0=first_loss, loss_last=trainer.train_losses[-1])
