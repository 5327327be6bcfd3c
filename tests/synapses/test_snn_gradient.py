"""The seed's SNN (InputGroup -> Exponential -> LIF -> Exponential -> LeakyIntegrator) trained
with surrogate gradients: bm.grad through bm.for_loop equals jax.grad of a hand-written
pure-JAX copy of the same network that uses the same custom_jvp spike function."""
import math

import jax
import jax.numpy as jnp
import numpy as np

import neurodyn as bp
import neurodyn.math as bm

N_IN, N_REC, N_OUT, BATCH, T, DT = 5, 8, 3, 2, 15, 1.0


class SNN(bp.Network):
    """The seed notebook's network, written as the notebook writes it."""

    def __init__(self, num_in, num_rec, num_out):
        super().__init__()
        self.i = bp.neurons.InputGroup(num_in)
        self.r = bp.neurons.LIF(num_rec, tau=10, V_reset=0, V_rest=0, V_th=1.)
        self.o = bp.neurons.LeakyIntegrator(num_out, tau=5)
        self.i2r = bp.synapses.Exponential(self.i, self.r, bp.conn.All2All(),
                                           output=bp.synapses.synouts.CUBA(), tau=10.,
                                           g_max=bp.init.KaimingNormal(scale=20.))
        self.r2o = bp.synapses.Exponential(self.r, self.o, bp.conn.All2All(),
                                           output=bp.synapses.synouts.CUBA(), tau=10.,
                                           g_max=bp.init.KaimingNormal(scale=20.))

    def update(self, tdi, spike):
        self.i2r(tdi, spike)
        self.r2o(tdi)
        self.r(tdi)
        self.o(tdi)
        return self.o.V.value


def readout_loss(outputs):
    weights = jnp.linspace(-1., 1., N_OUT)
    return jnp.mean(outputs.max(axis=0) * weights) + 0.1 * jnp.mean(outputs ** 2)


def pure_network(w1, w2, x_seq, spike_fun):
    """The same equations with plain arrays (exact exponential steps, soft reset)."""
    d10, d5 = math.exp(-DT / 10.), math.exp(-DT / 5.)

    def step(carry, x):
        g1, V, s, g2, Vo = carry
        g1 = g1 * d10 + x @ w1
        g2 = g2 * d10 + s @ w2          # r2o reads the spikes of the previous step
        V = g1 + (V - g1) * d10
        s = spike_fun(V - 1.)
        V = V - 1. * s
        Vo = g2 + (Vo - g2) * d5
        return (g1, V, s, g2, Vo), Vo

    zeros = lambda n: jnp.zeros((x_seq.shape[1], n), jnp.float32)
    _, outs = jax.lax.scan(step, (zeros(N_REC), zeros(N_REC), zeros(N_REC), zeros(N_OUT),
                                  zeros(N_OUT)), x_seq)
    return outs


def test_surrogate_gradient_through_time_matches_pure_jax():
    with bm.training_environment(batch_size=BATCH):
        snn = SNN(N_IN, N_REC, N_OUT)
    x_seq = jnp.asarray(np.random.default_rng(0).random((T, BATCH, N_IN)) < 0.3, jnp.float32)
    params = snn.train_vars()
    assert sorted(params) == ["i2r.g_max", "r2o.g_max"]

    def loss():
        snn.reset(BATCH)
        with bp.share.context(dt=DT):
            outs = bm.for_loop(snn, x_seq)
        return readout_loss(outs)

    value, grads = bm.value_and_grad(loss, grad_vars=params)()
    w1, w2 = params["i2r.g_max"].value, params["r2o.g_max"].value
    spike_fun = snn.r.spike_fun
    ref_loss = lambda a, b: readout_loss(pure_network(a, b, x_seq, spike_fun))
    ref_value = ref_loss(w1, w2)
    ref_g1, ref_g2 = jax.grad(ref_loss, argnums=(0, 1))(w1, w2)

    np.testing.assert_allclose(value, ref_value, rtol=1e-5)
    for got, ref in ((grads["i2r.g_max"], ref_g1), (grads["r2o.g_max"], ref_g2)):
        assert bool(jnp.all(jnp.isfinite(got))) and float(jnp.abs(got).max()) > 0
        np.testing.assert_allclose(got, ref, rtol=2e-4, atol=1e-6)
    # the spikes really are binary forward, and the network spiked
    snn.reset(BATCH)
    with bp.share.context(dt=DT):
        bm.for_loop(snn, x_seq)
    assert set(np.unique(np.asarray(snn.r.spike.value)).tolist()) <= {0., 1.}
    assert float(jnp.abs(ref_g1).sum()) > 0


def test_gradient_equals_finite_differences_when_the_spike_is_smoothed():
    """With the spike's forward replaced by a surrogate's antiderivative (a smooth function
    whose derivative is exactly InvSquareGrad's slope), the whole network is differentiable:
    bm.grad through our synapses, neurons and bm.for_loop equals central finite differences."""
    alpha = 10.                                       # a wide surrogate keeps differences accurate
    smooth = lambda x: jnp.sign(x) * (1. - 1. / (alpha * jnp.abs(x) + 1.)) / alpha
    x = jnp.array([-0.2, -0.05, -0.01, 0.01, 0.05, 0.2])
    np.testing.assert_allclose(jax.vmap(jax.grad(smooth))(x),
                               jax.vmap(jax.grad(bm.surrogate.InvSquareGrad(alpha)))(x), rtol=1e-5)
    with bm.training_environment(batch_size=BATCH):
        snn = SNN(N_IN, N_REC, N_OUT)
    snn.r.spike_fun = smooth
    x_seq = jnp.asarray(np.random.default_rng(1).random((T, BATCH, N_IN)) < 0.3, jnp.float32)
    w1 = snn.i2r.g_max

    def loss():
        snn.reset(BATCH)
        with bp.share.context(dt=DT):
            return readout_loss(bm.for_loop(snn, x_seq)) * 100.

    grad = bm.grad(loss, grad_vars={"w1": w1})()["w1"]
    direction = jnp.asarray(np.random.default_rng(2).normal(size=w1.shape), jnp.float32)
    w0, eps = w1.value, 3e-3
    w1.value = w0 + eps * direction
    up = loss()
    w1.value = w0 - eps * direction
    down = loss()
    w1.value = w0
    directional = float((grad * direction).sum())
    assert abs(directional) > 1e-2
    np.testing.assert_allclose(directional, float(up - down) / (2 * eps), rtol=5e-3)
