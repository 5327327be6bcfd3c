"""W2 on PyTorch 2.13 (CPU) as its users write it: one ``nn.LSTM`` per layer over the whole
sequence (``batch_first``), ``nn.Dropout(p=0.8)`` between (the seed's keep probability 0.2), an
``nn.Linear`` readout, MSE, ``torch.optim.Adam``. The weights are neurodyn's (gates reordered
to PyTorch's i, f, g, o; neurodyn's forget-gate +1 moved into ``bias_ih``). One timed call is one
training step."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _common import args, emit, load, time_calls  # noqa: E402

import numpy as np  # noqa: E402
import torch  # noqa: E402
from torch import nn  # noqa: E402

a = args()
d = load(a.data)
X, Y, B = torch.from_numpy(d["x"]), torch.from_numpy(d["y"]), int(d["batch"])


def torch_gates(w: np.ndarray) -> np.ndarray:
    i, g, f, o = np.split(w, 4, axis=-1)           # neurodyn's order
    return np.concatenate([i, f, g, o], axis=-1)


class DeepRNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.lstms = nn.ModuleList()
        for k in range(1, 5):
            wi, wh, b = d[f"Wi{k}"], d[f"Wh{k}"], d[f"b{k}"].copy()
            n = wh.shape[0]
            b[2 * n:3 * n] += 1.                        # neurodyn adds 1 to the forget gate
            lstm = nn.LSTM(wi.shape[0], n, batch_first=True)
            with torch.no_grad():
                lstm.weight_ih_l0.copy_(torch.from_numpy(torch_gates(wi).T))
                lstm.weight_hh_l0.copy_(torch.from_numpy(torch_gates(wh).T))
                lstm.bias_ih_l0.copy_(torch.from_numpy(torch_gates(b[None])[0]))
                lstm.bias_hh_l0.zero_()
            self.lstms.append(lstm)
        self.drop = nn.Dropout(p=0.8)
        self.out = nn.Linear(d["Wout"].shape[0], d["Wout"].shape[1])
        with torch.no_grad():
            self.out.weight.copy_(torch.from_numpy(d["Wout"].T))
            self.out.bias.copy_(torch.from_numpy(d["bout"]))

    def forward(self, x):
        for lstm in self.lstms:
            x = self.drop(lstm(x)[0])
        return self.out(x)


model = DeepRNN()
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
loss_fn = nn.MSELoss()
model.eval()
with torch.no_grad():
    first_loss = float(loss_fn(model(X[:B]), Y[:B]))
model.train()
it = [0]


def step():
    i = it[0] % (len(X) // B)
    it[0] += 1
    opt.zero_grad()
    loss = loss_fn(model(X[i * B:(i + 1) * B]), Y[i * B:(i + 1) * B])
    loss.backward()
    opt.step()
    return float(loss)


t = time_calls(step, a.warmup, a.repeats)
emit("torch", "W2", t, loss_step0_eval=first_loss, threads=torch.get_num_threads())
