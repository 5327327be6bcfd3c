"""W1 on Norse 1.1.0 (PyTorch 2.13 CPU) as its users write it (its README and tutorials): a
``norse.torch.SequentialState`` of ``nn.Linear`` -> ``norse.torch.LIF`` -> ``nn.Linear`` ->
``norse.torch.LI`` over a time-major batch, cross-entropy of the readout's maximum over time,
``torch.optim.Adam``. Norse's neurons carry their synaptic current, so the parameters are the
workload's: synapses 10 ms (``tau_syn_inv=100``), hidden membrane 10 ms, readout 5 ms, threshold
1, reset and rest 0, its default ``dt`` of 1 ms and surrogate (SuperSpike, alpha 100). One timed
call is one training step."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _common import args, emit, load, time_calls  # noqa: E402

import norse.torch as norse  # noqa: E402
import numpy as np  # noqa: E402
import torch  # noqa: E402
from torch import nn  # noqa: E402

a = args()
d = load(a.data)
X, Y, W1, W2 = d["x"], d["y"], d["w1"], d["w2"]
B = int(d["batch"])
XT = torch.from_numpy(np.ascontiguousarray(X.reshape(-1, B, *X.shape[1:]).transpose(0, 2, 1, 3)))  # time-major
YT = torch.from_numpy(Y.astype(np.int64))

fc1, fc2 = nn.Linear(*W1.shape, bias=False), nn.Linear(*W2.shape, bias=False)
with torch.no_grad():
    fc1.weight.copy_(torch.from_numpy(W1.T))
    fc2.weight.copy_(torch.from_numpy(W2.T))
model = norse.SequentialState(
    fc1,
    norse.LIF(norse.LIFParameters(tau_syn_inv=torch.tensor(100.), tau_mem_inv=torch.tensor(100.))),
    fc2,
    norse.LI(norse.LIParameters(tau_syn_inv=torch.tensor(100.), tau_mem_inv=torch.tensor(200.))),
)
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
loss_fn = nn.CrossEntropyLoss()
with torch.no_grad():
    first_loss = float(loss_fn(model(XT[0])[0].max(dim=0).values, YT[:B]))
it = [0]


def step():
    i = it[0] % len(XT)
    it[0] += 1
    opt.zero_grad()
    out, _ = model(XT[i])
    loss = loss_fn(out.max(dim=0).values, YT[i * B:(i + 1) * B])
    loss.backward()
    opt.step()
    return loss.item()


t = time_calls(step, a.warmup, a.repeats)
emit("norse", "W1", t, loss_step0=first_loss, threads=torch.get_num_threads())
