"""W1 on snnTorch 1.0.0 (PyTorch 2.13 CPU) as its users write it (its tutorials 5 and 6): an
``nn.Module`` of ``nn.Linear`` -> ``snn.Synaptic`` (synaptic current and membrane, subtractive
reset) -> ``nn.Linear`` -> ``snn.Synaptic`` read out by its membrane (no reset), a Python loop
over time in ``forward``, cross-entropy of the maximum over time, ``torch.optim.Adam``. The
decays are the workload's ``exp(-dt/tau)`` (synapses and hidden membrane 10 ms, readout 5 ms);
the surrogate is snnTorch's default (arctan). Its discretisation has no ``dt/tau`` factor on the
input, so its loss at step 0 is its own. One timed call is one training step."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _common import args, emit, load, time_calls  # noqa: E402

import numpy as np  # noqa: E402
import snntorch as snn  # noqa: E402
import torch  # noqa: E402
from torch import nn  # noqa: E402

a = args()
d = load(a.data)
X, Y, W1, W2 = d["x"], d["y"], d["w1"], d["w2"]
B, T = int(d["batch"]), X.shape[1]
XT = torch.from_numpy(np.ascontiguousarray(X.reshape(-1, B, *X.shape[1:]).transpose(0, 2, 1, 3)))  # time-major
YT = torch.from_numpy(Y.astype(np.int64))


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(*W1.shape, bias=False)
        self.lif1 = snn.Synaptic(alpha=float(np.exp(-0.1)), beta=float(np.exp(-0.1)), threshold=1.0)
        self.fc2 = nn.Linear(*W2.shape, bias=False)
        self.li2 = snn.Synaptic(alpha=float(np.exp(-0.1)), beta=float(np.exp(-0.2)), reset_mechanism="none")
        with torch.no_grad():
            self.fc1.weight.copy_(torch.from_numpy(W1.T))
            self.fc2.weight.copy_(torch.from_numpy(W2.T))

    def forward(self, x):
        syn1, mem1 = self.lif1.init_synaptic()
        syn2, mem2 = self.li2.init_synaptic()
        mems = []
        for t in range(x.shape[0]):
            spk1, syn1, mem1 = self.lif1(self.fc1(x[t]), syn1, mem1)
            _, syn2, mem2 = self.li2(self.fc2(spk1), syn2, mem2)
            mems.append(mem2)
        return torch.stack(mems)


model = Net()
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
loss_fn = nn.CrossEntropyLoss()
with torch.no_grad():
    first_loss = float(loss_fn(model(XT[0]).max(dim=0).values, YT[:B]))
it = [0]


def step():
    i = it[0] % len(XT)
    it[0] += 1
    opt.zero_grad()
    loss = loss_fn(model(XT[i]).max(dim=0).values, YT[i * B:(i + 1) * B])
    loss.backward()
    opt.step()
    return loss.item()


t = time_calls(step, a.warmup, a.repeats)
emit("snntorch", "W1", t, loss_step0=first_loss, threads=torch.get_num_threads())
