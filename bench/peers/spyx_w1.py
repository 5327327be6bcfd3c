"""W1 on Spyx 1.0.0 as its users write it (its README and tutorials): ``nnx.Linear`` ->
``spyx.nn.CuBaLIF`` -> ``nnx.Linear`` -> ``spyx.nn.LI`` in a ``spyx.nn.Sequential``, run over time
by ``spyx.nn.run`` (a ``lax.scan``), optax Adam through ``nnx.Optimizer``, the step under
``nnx.jit``. CuBaLIF's decays are set to the workload's ``exp(-dt/tau)`` (tau 10 ms), LI's to
``exp(-dt/5)``; its surrogate is its default (SuperSpike). Spyx's discretisation has no ``dt/tau``
factor on the input, so its loss at step 0 is its own. One timed call is one training step."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _common import args, emit, load, time_calls  # noqa: E402

import jax  # noqa: E402
import jax.numpy as jnp  # noqa: E402
import numpy as np  # noqa: E402
import optax  # noqa: E402
import spyx  # noqa: E402
from flax import nnx  # noqa: E402

a = args()
d = load(a.data)
X, Y, W1, W2 = d["x"], d["y"], d["w1"], d["w2"]
B, T, num_in = int(d["batch"]), X.shape[1], X.shape[2]
num_rec, num_out = W1.shape[1], W2.shape[1]
XT = np.ascontiguousarray(X.reshape(-1, B, T, num_in).transpose(0, 2, 1, 3))   # spyx.nn.run is time-major

rngs = nnx.Rngs(0)
model = spyx.nn.Sequential(
    nnx.Linear(num_in, num_rec, use_bias=False, rngs=rngs),
    spyx.nn.CuBaLIF((num_rec,), alpha=float(np.exp(-0.1)), beta=float(np.exp(-0.1)), rngs=rngs),
    nnx.Linear(num_rec, num_out, use_bias=False, rngs=rngs),
    spyx.nn.LI((num_out,), beta=float(np.exp(-0.2)), rngs=rngs),
)
model.layers[0].kernel.value = jnp.asarray(W1)
model.layers[2].kernel.value = jnp.asarray(W2)
optimizer = nnx.Optimizer(model, optax.adam(1e-3), wrt=nnx.Param)


def loss_fn(model, x, y):
    out, _ = spyx.nn.run(model, x)
    return optax.softmax_cross_entropy_with_integer_labels(jnp.max(out, axis=0), y).mean()


@nnx.jit
def train_step(model, optimizer, x, y):
    loss, grads = nnx.value_and_grad(loss_fn)(model, x, y)
    optimizer.update(model, grads)
    return loss


first_loss = float(nnx.jit(loss_fn)(model, jnp.asarray(XT[0]), jnp.asarray(Y[:B])))
it = [0]


def step():
    i = it[0] % len(XT)
    it[0] += 1
    return float(jax.block_until_ready(train_step(model, optimizer, XT[i], Y[i * B:(i + 1) * B])))


t = time_calls(step, a.warmup, a.repeats)
emit("spyx", "W1", t, loss_step0=first_loss)
