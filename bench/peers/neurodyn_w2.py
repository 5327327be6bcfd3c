"""W2 on neurodyn as its users write it: the seed notebook's ``DeepRNN`` (4 ``LSTMCell`` s with
``Dropout(0.2)``, BrainPy's keep probability, and a ``Dense`` readout) trained by
``bp.BPTT(...).fit`` on NumPy arrays. One timed call is one epoch; the figure is s per batch."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _common import args, emit, load, time_calls  # noqa: E402

import neurodyn as bp  # noqa: E402
import neurodyn.math as bm  # noqa: E402
import numpy as np  # noqa: E402

a = args()
d = load(a.data)
X, Y, B = d["x"], d["y"], int(d["batch"])
sizes = [d[f"Wi{k}"].shape[1] // 4 for k in range(1, 5)]


class DeepRNN(bp.DynamicalSystemNS):
    def __init__(self, num_in, num_recs, num_out):
        super(DeepRNN, self).__init__()
        ins = [num_in] + list(num_recs[:-1])
        for k in range(1, 5):
            setattr(self, f"l{k}", bp.layers.LSTMCell(ins[k - 1], num_recs[k - 1], Wi_initializer=d[f"Wi{k}"],
                                                      Wh_initializer=d[f"Wh{k}"], b_initializer=d[f"b{k}"]))
            setattr(self, f"d{k}", bp.layers.Dropout(0.2))
        self.lout = bp.layers.Dense(num_recs[-1], num_out, W_initializer=d["Wout"], b_initializer=d["bout"])

    def update(self, x):
        x = x >> self.l1 >> self.d1
        x = x >> self.l2 >> self.d2
        x = x >> self.l3 >> self.d3
        x = x >> self.l4 >> self.d4
        return self.lout(x)


with bm.training_environment(batch_size=B):
    model = DeepRNN(X.shape[-1], sizes, Y.shape[-1])
trainer = bp.BPTT(model, loss_fun=bp.losses.mean_squared_error, optimizer=bp.optim.Adam(lr=1e-3),
                  shuffle_data=False, progress_bar=False)
first_loss = float(np.mean((np.asarray(trainer.predict(X[:B])) - Y[:B]) ** 2))     # no dropout outside fit
nb = len(X) // B


def epoch():
    trainer.fit([X, Y], num_epoch=1, batch_size=B)
    return trainer.train_losses[-1]


t = time_calls(epoch, a.warmup, a.repeats, per_call=nb)
emit("neurodyn", "W2", t, loss_step0_eval=first_loss)
