"""RNN/GRU/LSTM cells against hand-written pure-JAX cells; train_state; modes; errors; grads."""
import jax
import jax.numpy as jnp
import numpy as np
import pytest

import neurodyn as bp
import neurodyn.math as bm
from neurodyn.errors import ModeError, ShapeError
from neurodyn.layers import GRUCell, LSTMCell, RNNCell

NUM_IN, H, B, T = 3, 4, 2, 5


def _weights(cls, seed=0):
    k = {"RNNCell": 1, "GRUCell": 3, "LSTMCell": 4}[cls.__name__]
    rng = np.random.default_rng(seed)
    return dict(Wi_initializer=rng.normal(0, 0.5, (NUM_IN, k * H)).astype(np.float32),
                Wh_initializer=rng.normal(0, 0.5, (H, k * H)).astype(np.float32),
                b_initializer=rng.normal(0, 0.1, (k * H,)).astype(np.float32))


def ref_rnn(wi, wh, b, h, x):
    h = jnp.maximum(x @ wi + h @ wh + b, 0.)
    return h, h


def ref_gru(wi, wh, b, h, x):
    n = H
    z = jax.nn.sigmoid(x @ wi[:, :n] + h @ wh[:, :n] + b[:n])
    r = jax.nn.sigmoid(x @ wi[:, n:2 * n] + h @ wh[:, n:2 * n] + b[n:2 * n])
    a = jnp.tanh(x @ wi[:, 2 * n:] + (r * h) @ wh[:, 2 * n:] + b[2 * n:])
    h = (1 - z) * h + z * a
    return h, h


def ref_lstm(wi, wh, b, hc, x):
    n = H
    h, c = hc[..., :n], hc[..., n:]
    pre = lambda k: x @ wi[:, k * n:(k + 1) * n] + h @ wh[:, k * n:(k + 1) * n] + b[k * n:(k + 1) * n]  # noqa
    i, g, f, o = jax.nn.sigmoid(pre(0)), jnp.tanh(pre(1)), jax.nn.sigmoid(pre(2) + 1.), jax.nn.sigmoid(pre(3))
    c = f * c + i * g
    h = o * jnp.tanh(c)
    return jnp.concatenate([h, c], -1), h


REFS = [(RNNCell, ref_rnn, 1), (GRUCell, ref_gru, 1), (LSTMCell, ref_lstm, 2)]


def _unroll(ref, w, state, xs):
    outs = []
    for x in xs:
        state, y = ref(w["Wi_initializer"], w["Wh_initializer"], w["b_initializer"], state, x)
        outs.append(y)
    return jnp.stack(outs), state


@pytest.mark.parametrize("cls, ref, factor", REFS, ids=lambda v: getattr(v, "__name__", ""))
@pytest.mark.parametrize("mode", [bm.NonBatchingMode(), bm.BatchingMode(B), bm.TrainingMode(B)],
                         ids=repr)
def test_cell_matches_pure_jax_reference(cls, ref, factor, mode):
    w = _weights(cls)
    cell = cls(NUM_IN, H, mode=mode, **w)
    batch = (B,) if mode.batching else ()
    assert cell.state.shape == batch + (factor * H,)
    xs = np.random.default_rng(1).normal(size=(T,) + batch + (NUM_IN,)).astype(np.float32)
    expected, final = _unroll(ref, w, jnp.zeros(batch + (factor * H,)), xs)
    got = jnp.stack([cell(x) for x in xs])
    assert got.dtype == jnp.float32
    np.testing.assert_allclose(got, expected, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(bm.unwrap(cell.state), final, rtol=1e-5, atol=1e-6)
    cell.reset()
    np.testing.assert_allclose(bm.for_loop(cell, xs), expected, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("cls", [RNNCell, GRUCell, LSTMCell])
def test_parameters_trainvars_only_in_training_mode(cls):
    assert sorted(cls(2, 3, mode=bm.TrainingMode()).train_vars()) == ["Wh", "Wi", "b"]
    cell = cls(2, 3, mode=bm.BatchingMode())
    assert not cell.train_vars() and isinstance(cell.Wi, bm.Parameter) and "Wi" in cell.params()
    assert cls(2, 3, b_initializer=None).b is None


def test_default_activations_follow_brainpy():
    w = _weights(RNNCell)
    x = -np.ones(NUM_IN, np.float32) * 10
    # RNNCell's default is relu (BrainPy); 'tanh' on request
    assert float(RNNCell(NUM_IN, H, **w)(x).min()) >= 0.
    y = RNNCell(NUM_IN, H, activation="tanh", **w)(x)
    np.testing.assert_allclose(y, np.tanh(x @ w["Wi_initializer"] + w["b_initializer"]), rtol=1e-5)


def test_train_state_fills_every_row_on_reset():
    rnn = RNNCell(1, 3, train_state=True, mode=bm.training_mode)
    assert isinstance(rnn.state2train, bm.TrainVar) and rnn.state2train.shape == (3,)
    assert "state2train" in rnn.train_vars()
    rnn.state2train.value = jnp.array([1., 2., 3.])
    rnn.reset(batch_size=5)
    assert rnn.state.shape == (5, 3)
    np.testing.assert_array_equal(rnn.state.value, np.tile([1., 2., 3.], (5, 1)))
    lstm = LSTMCell(2, 3, train_state=True, mode=bm.TrainingMode(2))
    assert lstm.state2train.shape == (6,)
    # outside TrainingMode the learned initial state is a parameter trainers leave alone
    cell = GRUCell(2, 3, train_state=True, state_initializer=np.ones(3, np.float32), mode=bm.BatchingMode(4))
    assert isinstance(cell.state2train, bm.Parameter) and not cell.train_vars()
    np.testing.assert_array_equal(cell.state.value, np.ones((4, 3)))


def test_grad_reaches_the_trained_initial_state():
    rnn = RNNCell(2, 3, train_state=True, activation="tanh", mode=bm.TrainingMode(2))
    x = bm.random.normal(size=(2, 2))

    def loss():
        rnn.reset(batch_size=2)
        return (rnn(x) ** 2).sum()

    g = bm.grad(loss, grad_vars={"s": rnn.state2train})()["s"]

    def ref(s):
        h0 = jnp.broadcast_to(s, (2, 3))
        return (jnp.tanh(x @ rnn.Wi.value + h0 @ rnn.Wh.value + rnn.b.value) ** 2).sum()

    np.testing.assert_allclose(g, jax.grad(ref)(rnn.state2train.value), rtol=1e-5, atol=1e-7)


def test_state_initializer_array_or_initializer():
    cell = RNNCell(2, 3, state_initializer=np.full(3, 0.5, np.float32), mode=bm.BatchingMode(2))
    np.testing.assert_array_equal(cell.state.value, np.full((2, 3), 0.5))
    cell = RNNCell(2, 3, state_initializer=bp.init.OneInit(2.), mode=bm.BatchingMode(2))
    cell.reset(batch_size=4)
    np.testing.assert_array_equal(cell.state.value, np.full((4, 3), 2.))


def test_lstm_h_and_c():
    lstm = LSTMCell(2, 3, mode=bm.BatchingMode(2))
    assert set(lstm.vars()) - set(lstm.params()) == {"h", "c"}    # two state Variables, no concatenate per step
    lstm(bm.ones((2, 2)))
    np.testing.assert_array_equal(jnp.concatenate([lstm.h.value, lstm.c.value], -1), lstm.state)
    lstm.c = jnp.full((2, 3), 7.)                  # sets the Variable's value
    assert isinstance(lstm.c, bm.Variable)
    np.testing.assert_array_equal(lstm.state[:, 3:], np.full((2, 3), 7.))
    lstm.state = jnp.arange(12.).reshape(2, 6)
    np.testing.assert_array_equal(lstm.h.value, np.arange(12.).reshape(2, 6)[:, :3])
    with pytest.raises(ShapeError, match=r"LSTMCell.*\.h: .*got shape \(3,\)"):
        lstm.h = jnp.ones(3)
    with pytest.raises(ShapeError, match=r"state \[h, c\] of shape \(2, 6\), got shape \(2, 3\)"):
        lstm.state = jnp.ones((2, 3))


def test_seed_deep_rnn_typo_names_the_cell():
    class DeepRNN(bp.DynamicalSystemNS):
        def __init__(self, num_in, num_recs, num_out):
            super().__init__()
            self.l1 = LSTMCell(num_in, num_recs[0])
            self.l2 = LSTMCell(num_recs[0], num_recs[1])

        def update(self, x):
            return x >> self.l2        # the notebook's typo: l2 instead of l1

    with bm.training_environment():
        model = DeepRNN(100, [200, 200], 10)
    with pytest.raises(ShapeError, match=r"LSTMCell\(name=LSTMCell\d+\): expected input of shape "
                                         r"\(\.\.\., 200\), got shape \(1, 100\)"):
        model(bm.ones((1, 100)))


def test_batch_mismatch_says_reset():
    cell = GRUCell(2, 3, mode=bm.BatchingMode(4))
    with pytest.raises(ShapeError, match=r"expected input of shape \(4, 2\), got shape \(3, 2\).*reset\(batch_size\)"):
        cell(bm.ones((3, 2)))
    cell.reset(batch_size=3)
    assert cell(bm.ones((3, 2))).shape == (3, 3)
    with pytest.raises(ShapeError, match="non-batching"):
        RNNCell(2, 3)(bm.ones((1, 2)))


@pytest.mark.parametrize("kwargs, err, msg", [
    (dict(num_in=0, num_out=3), ValueError, "num_in >= 1"),
    (dict(num_in=2, num_out=3.), TypeError, "num_out to be an integer"),
    (dict(num_in=2, num_out=3, activation="tanhh"), ValueError, "activation one of"),
    (dict(num_in=2, num_out=3, train_state=1), TypeError, "train_state to be True or False"),
    (dict(num_in=2, num_out=3, Wi_initializer=np.ones((3, 2))), ShapeError, r"Wi_initializer"),
])
def test_bad_arguments(kwargs, err, msg):
    with pytest.raises(err, match=msg):
        LSTMCell(**kwargs)


def test_nonbatching_reset_with_batch_size_is_a_mode_error():
    with pytest.raises(ModeError, match="NonBatchingMode"):
        RNNCell(2, 3).reset_state(4)


def test_lstm_grad_matches_pure_jax():
    w = _weights(LSTMCell, seed=3)
    cell = LSTMCell(NUM_IN, H, mode=bm.TrainingMode(B), **w)
    xs = bm.random.normal(size=(3, B, NUM_IN))

    def loss():
        cell.reset()
        return (bm.for_loop(cell, xs) ** 2).mean()

    grads = bm.grad(loss, grad_vars=cell.train_vars())()

    def ref(wi, wh, b):
        state, outs = jnp.zeros((B, 2 * H)), []
        for x in xs:
            state, y = ref_lstm(wi, wh, b, state, x)
            outs.append(y)
        return (jnp.stack(outs) ** 2).mean()

    expected = jax.grad(ref, argnums=(0, 1, 2))(*(w[k] for k in ("Wi_initializer", "Wh_initializer",
                                                                  "b_initializer")))
    for key, e in zip(("Wi", "Wh", "b"), expected):
        np.testing.assert_allclose(grads[key], e, rtol=1e-4, atol=1e-6)


def test_jit_matches_eager():
    w = _weights(GRUCell)
    a, b = GRUCell(NUM_IN, H, mode=bm.BatchingMode(B), **w), GRUCell(NUM_IN, H, mode=bm.BatchingMode(B), **w)
    x = bm.random.normal(size=(B, NUM_IN))
    step = bm.jit(b)
    for _ in range(3):
        np.testing.assert_allclose(step(x), a(x), rtol=1e-5, atol=1e-6)


def test_lstm_with_another_activation_applies_it_to_g_and_c():
    """The default ``tanh`` runs through ``lstm_step`` (hand-written derivative); any other
    activation through the formula itself: both against the reference, with ``f_act`` in place of tanh."""
    w = _weights(LSTMCell, seed=5)
    cell = LSTMCell(NUM_IN, H, activation="relu", mode=bm.BatchingMode(B), **w)
    x = np.random.default_rng(2).normal(size=(B, NUM_IN)).astype(np.float32)
    wi, wh, b = w["Wi_initializer"], w["Wh_initializer"], w["b_initializer"]
    h0 = np.full((B, H), 0.3, np.float32)
    cell.h.value, cell.c.value = jnp.asarray(h0), jnp.asarray(h0)
    i, g, f, o = np.split(x @ wi + h0 @ wh + b, 4, axis=-1)
    sig = lambda z: 1 / (1 + np.exp(-z))  # noqa: E731
    c = sig(f + 1) * h0 + sig(i) * np.maximum(g, 0)
    np.testing.assert_allclose(cell(x), sig(o) * np.maximum(c, 0), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(cell.c.value, c, rtol=1e-5, atol=1e-6)
