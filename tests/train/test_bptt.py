"""BPTT against a hand-written pure-JAX BPTT, caching, data forms, truncation/remat, NaN policy."""
import functools

import jax
import jax.numpy as jnp
import numpy as np
import optax
import pytest

import neurodyn as bp
import neurodyn.math as bm
from neurodyn.errors import ShapeError, TrainingError
from neurodyn.train._bptt import BPTT

B, T, N_IN, N_H, N_OUT = 8, 6, 3, 5, 2


def init_params(seed=0):
    k1, k2, k3 = jax.random.split(jax.random.PRNGKey(seed), 3)
    return {'win': jax.random.normal(k1, (N_IN, N_H)) * 0.5,
            'wrec': jax.random.normal(k2, (N_H, N_H)) * 0.4,
            'wout': jax.random.normal(k3, (N_H, N_OUT)) * 0.5}


class RNN(bp.DynamicalSystem):
    """h <- tanh(x Win + h Wrec); y = h Wout. Counts how often update is traced."""

    def __init__(self, params):
        super().__init__(mode=bm.TrainingMode())
        self.win, self.wrec, self.wout = (bm.TrainVar(params[k]) for k in ('win', 'wrec', 'wout'))
        self.h = bm.Variable(jnp.zeros((1, N_H)), batch_axis=0)
        self.traces = 0

    def reset_state(self, batch_size=1):
        self.h.value = jnp.zeros((batch_size, N_H))

    def update(self, x):
        self.traces += 1
        self.h.value = jnp.tanh(x @ self.win + self.h @ self.wrec)
        return self.h @ self.wout


def mse(out, y):
    return jnp.mean((out - y) ** 2)


def ref_loss(params, X, Y, trunc=None):
    """Pure-JAX BPTT: jax.lax.scan over time from a zero state."""
    def step(h, kx):
        k, x = kx
        if trunc is not None:
            h = jnp.where((k > 0) & (k % trunc == 0), jax.lax.stop_gradient(h), h)
        h = jnp.tanh(x @ params['win'] + h @ params['wrec'])
        return h, h @ params['wout']
    _, outs = jax.lax.scan(step, jnp.zeros((X.shape[0], N_H)), (jnp.arange(X.shape[1]), X.swapaxes(0, 1)))
    return mse(outs.swapaxes(0, 1), Y)


ref_grad = jax.jit(jax.grad(ref_loss), static_argnums=3)


def ref_train(params, tx, batches, trunc=None):
    state = tx.init(params)
    for x, y in batches:
        grads = ref_grad(params, x, y, trunc)
        updates, state = tx.update(grads, state, params)
        params = optax.apply_updates(params, updates)
    return params


def data(n=B, seed=1):
    rng = np.random.default_rng(seed)
    return (rng.normal(size=(n, T, N_IN)).astype(np.float32),
            rng.normal(size=(n, T, N_OUT)).astype(np.float32) * 0.5)


def params_of(model):
    return {'win': model.win.value, 'wrec': model.wrec.value, 'wout': model.wout.value}


def assert_params(model, expected, rtol=1e-5, atol=1e-6):
    for k, v in params_of(model).items():
        np.testing.assert_allclose(np.asarray(v), np.asarray(expected[k]), rtol=rtol, atol=atol, err_msg=k)


@pytest.mark.parametrize('tx', [optax.adam(1e-3), optax.sgd(0.1)], ids=['adam', 'sgd'])
def test_two_steps_equal_pure_jax_bptt(tx):
    X, Y = data()
    model = RNN(init_params())
    trainer = BPTT(model, mse, optimizer=tx, shuffle_data=False, progress_bar=False)
    trainer.fit((X, Y), num_epoch=1, batch_size=4)
    expected = ref_train(init_params(), tx, [(X[:4], Y[:4]), (X[4:], Y[4:])])
    assert_params(model, expected)
    assert trainer.step == 2 and trainer.epoch == 1
    np.testing.assert_allclose(trainer.train_losses[0],
                               np.mean([ref_loss(init_params(), X[:4], Y[:4]),
                                        ref_loss(ref_train(init_params(), tx, [(X[:4], Y[:4])]), X[4:], Y[4:])]),
                               rtol=1e-5)


def test_lowers_the_loss_and_predict_matches_the_reference():
    X, Y = data(16)
    model = RNN(init_params())
    trainer = BPTT(model, mse, optimizer=bp_adam(0.02), seed=0, progress_bar=False)
    trainer.fit((X, Y), num_epoch=25, batch_size=8)
    assert trainer.train_losses[-1] < 0.6 * trainer.train_losses[0]
    out = trainer.predict(X[:3])
    assert out.shape == (3, T, N_OUT)
    np.testing.assert_allclose(mse(out, Y[:3]), ref_loss(params_of(model), X[:3], Y[:3]), rtol=1e-5)
    assert trainer.test((X, Y), batch_size=8)['loss'] == pytest.approx(
        float(ref_loss(params_of(model), X, Y)), rel=1e-5)


def bp_adam(lr):
    from neurodyn.train.optim import Adam
    return Adam(lr)


def test_one_compile_for_all_batches_and_epochs():
    X, Y = data(10)                       # batches of 4, 4, 2
    model = RNN(init_params())
    trainer = BPTT(model, mse, seed=3, progress_bar=False)
    trainer.fit((X, Y), num_epoch=1, batch_size=4)
    traced = model.traces
    trainer.fit((X, Y), num_epoch=3, batch_size=4)
    assert model.traces == traced
    trainer.predict(X)
    traced = model.traces
    trainer.predict(X * 2)
    assert model.traces == traced


def test_callable_and_list_train_data():
    X, Y = data()
    a, b = RNN(init_params()), RNN(init_params())

    def batches():
        for s in (0, 4):
            yield X[s:s + 4], Y[s:s + 4]

    BPTT(a, mse, progress_bar=False).fit(batches, num_epoch=2)
    BPTT(b, mse, progress_bar=False).fit(list(batches()), num_epoch=2)
    expected = ref_train(init_params(), optax.adam(1e-3), list(batches()) * 2)
    assert_params(a, expected)
    assert_params(b, expected)
    with pytest.raises(TypeError, match="one-shot iterator"):
        BPTT(RNN(init_params()), mse, progress_bar=False).fit(batches(), num_epoch=2)
    with pytest.raises(ValueError, match="batch_size only with"):
        BPTT(RNN(init_params()), mse, progress_bar=False).fit(batches, batch_size=2)


def test_shuffling_depends_on_seed_and_epoch_only():
    X, Y = data(9)
    runs = []
    for _ in range(2):
        model = RNN(init_params())
        BPTT(model, mse, optimizer=optax.sgd(0.1), seed=7, progress_bar=False).fit((X, Y), num_epoch=2, batch_size=3)
        runs.append(params_of(model))
    for k in runs[0]:
        np.testing.assert_array_equal(runs[0][k], runs[1][k])
    model = RNN(init_params())
    BPTT(model, mse, optimizer=optax.sgd(0.1), shuffle_data=False, progress_bar=False).fit((X, Y), num_epoch=2,
                                                                                         batch_size=3)
    assert not np.allclose(params_of(model)['win'], runs[0]['win'])


@functools.lru_cache(maxsize=None)
def _one_sgd_step(items):
    X, Y = data()
    model = RNN(init_params())
    BPTT(model, mse, optimizer=optax.sgd(0.5), progress_bar=False, **dict(items)).fit((X, Y), num_epoch=1)
    return params_of(model)


def one_sgd_step(**kw):
    return _one_sgd_step(tuple(sorted(kw.items())))


def test_remat_and_long_truncation_equal_full_bptt():
    full = one_sgd_step()
    for kw in (dict(remat=True), dict(truncation=T)):
        got = one_sgd_step(**kw)
        for k in full:
            np.testing.assert_allclose(got[k], full[k], rtol=1e-6, atol=1e-7, err_msg=f"{kw} {k}")


def test_truncation_matches_truncated_reference():
    X, Y = data()
    got = one_sgd_step(truncation=2)
    expected = ref_train(init_params(), optax.sgd(0.5), [(X, Y)], trunc=2)
    for k in got:
        np.testing.assert_allclose(got[k], expected[k], rtol=1e-5, atol=1e-6)
    assert not np.allclose(got['wrec'], one_sgd_step()['wrec'], rtol=1e-4)


def test_grad_clip_norm_equals_optax_chain():
    X, Y = data()
    got = one_sgd_step(grad_clip_norm=0.05)
    expected = ref_train(init_params(), optax.chain(optax.clip_by_global_norm(0.05), optax.sgd(0.5)), [(X, Y)])
    for k in got:
        np.testing.assert_allclose(got[k], expected[k], rtol=1e-5, atol=1e-6)


def nan_data():
    X, Y = data(12)
    X = X.copy()
    X[5, 2, 0] = np.nan                   # in the second batch of 4
    return X, Y


def test_nan_raise_keeps_the_last_good_parameters():
    X, Y = nan_data()
    model = RNN(init_params())
    trainer = BPTT(model, mse, optimizer=optax.sgd(0.1), shuffle_data=False, progress_bar=False)
    with pytest.raises(TrainingError, match=r"epoch 0 \(from 0\), batch 1 .*step 1"):
        trainer.fit((X, Y), num_epoch=2, batch_size=4)
    assert_params(model, ref_train(init_params(), optax.sgd(0.1), [(X[:4], Y[:4])]))
    assert trainer.step == 1 and trainer.epoch == 0
    assert all(np.isfinite(np.asarray(v)).all() for v in params_of(model).values())


def test_nan_skip_skips_the_bad_batch():
    X, Y = nan_data()
    model = RNN(init_params())
    trainer = BPTT(model, mse, shuffle_data=False, progress_bar=False, nan_policy='skip')
    trainer.fit((X, Y), num_epoch=2, batch_size=4)
    good = [(X[:4], Y[:4]), (X[8:], Y[8:])]
    assert_params(model, ref_train(init_params(), optax.adam(1e-3), good * 2))
    assert trainer.skipped_steps == 2 and np.isfinite(trainer.train_losses).all()


def test_metrics_aux_and_test_histories(capsys):
    X, Y = data()
    labels = np.arange(B) % N_OUT

    def loss_with_aux(out, y):
        return mse(out, y), {'mean_out': jnp.mean(out)}

    model = RNN(init_params())
    trainer = BPTT(model, loss_with_aux, loss_has_aux=True, progress_bar=True,
                   metrics={'first': lambda out, y: out[0, 0, 0]})
    trainer.fit((X, Y), test_data=(X[:4], Y[:4]), num_epoch=3, batch_size=4)
    printed = capsys.readouterr().out
    assert printed.count('Epoch') == 3 and 'Epoch 3/3: train loss' in printed and '; test loss' in printed
    assert len(trainer.train_losses) == len(trainer.test_losses) == 3
    assert set(trainer.train_metrics) == set(trainer.test_metrics) == {'mean_out', 'first'}
    assert all(len(v) == 3 for v in trainer.train_metrics.values())
    assert trainer.test_losses[-1] == pytest.approx(float(ref_loss(params_of(model), X[:4], Y[:4])), rel=1e-5)
    assert labels.shape == (B,)


def test_loss_auto_run_false_and_time_major_data():
    X, Y = data()
    a, b = RNN(init_params()), RNN(init_params())

    def loss_runs_model(x, y):
        out = bm.for_loop(a, x.swapaxes(0, 1)).swapaxes(0, 1)
        return mse(out, y)

    BPTT(a, loss_runs_model, loss_auto_run=False, optimizer=optax.sgd(0.5), progress_bar=False).fit((X, Y), num_epoch=1)
    BPTT(b, lambda out, y: mse(out.swapaxes(0, 1), y), data_first_axis='T', optimizer=optax.sgd(0.5),
         progress_bar=False).fit((X.swapaxes(0, 1), Y), num_epoch=1)
    expected = ref_train(init_params(), optax.sgd(0.5), [(X, Y)])
    assert_params(a, expected)
    assert_params(b, expected)


class Noisy(bp.DynamicalSystem):
    """Dropout-like: a RandomState Variable (and the global generator), used only when fit=True."""

    def __init__(self):
        super().__init__(mode=bm.TrainingMode())
        self.w = bm.TrainVar(jnp.ones((N_IN, N_OUT)) * 0.1)
        self.rng = bm.random.RandomState(5)

    def update(self, x):
        if bp.share.load('fit'):
            x = jnp.where(self.rng.bernoulli(0.5, x.shape), x / 0.5, 0.)
            x = x + 1e-3 * bm.random.normal(0., 1., x.shape)      # the global generator
        return x @ self.w


def test_fit_flag_and_rng_variable():
    X, Y = data()
    model = Noisy()
    trainer = BPTT(model, mse, progress_bar=False)
    key0, global0 = np.asarray(model.rng.value).copy(), np.asarray(bm.random.DEFAULT.value).copy()
    trainer.fit((X, Y), num_epoch=1, batch_size=4)
    assert not np.array_equal(np.asarray(model.rng.value), key0)        # the keys advanced in training
    assert not np.array_equal(np.asarray(bm.random.DEFAULT.value), global0)
    global1 = np.asarray(bm.random.DEFAULT.value).copy()
    trainer.fit((X, Y), num_epoch=1, batch_size=4)                       # found once, then carried
    assert not np.array_equal(np.asarray(bm.random.DEFAULT.value), global1)
    key1 = np.asarray(model.rng.value).copy()
    out = trainer.predict(X)
    np.testing.assert_allclose(out, X @ np.asarray(model.w.value), rtol=1e-5)   # no dropout
    np.testing.assert_array_equal(np.asarray(model.rng.value), key1)


def test_argument_errors():
    class NoParams(bp.DynamicalSystem):
        def update(self, x):
            return x
    with pytest.raises(ValueError, match="TrainVar"):
        BPTT(NoParams(), mse)
    with pytest.raises(ValueError, match="nan_policy"):
        BPTT(RNN(init_params()), mse, nan_policy='ignore')
    with pytest.raises(ValueError, match="loss name"):
        BPTT(RNN(init_params()), 'no_such_loss')
    X, Y = data()
    trainer = BPTT(RNN(init_params()), mse, progress_bar=False)
    with pytest.raises(ShapeError, match="as many targets"):
        trainer.fit((X, Y[:5]), num_epoch=1)
    with pytest.raises(ShapeError, match="scalar"):
        BPTT(RNN(init_params()), lambda o, y: (o - y) ** 2, progress_bar=False).fit((X, Y), num_epoch=1)
    with pytest.raises(ShapeError, match=r"\(batch, time, \.\.\.\)"):
        trainer.predict(X[:, 0, 0])


def test_dt_argument_sets_the_step_every_model_sees():
    seen = []

    class Probe(bp.DynamicalSystem):
        def __init__(self):
            super().__init__(mode=bm.TrainingMode())
            self.w = bm.TrainVar(bm.ones((1, 1)))

        def update(self, x):
            seen.append(bp.share.load("dt"))
            return x @ self.w

    trainer = bp.BPTT(Probe(), "mse", progress_bar=False, seed=0, dt=0.25)
    trainer.predict(np.ones((2, 3, 1), np.float32))
    assert trainer.dt == 0.25 and seen and all(d == 0.25 for d in seen)
    with pytest.raises(ValueError, match="dt > 0"):
        bp.BPTT(Probe(), "mse", dt=0.)


def test_numpy_batches_are_staged_time_major_with_the_same_result(monkeypatch):
    from neurodyn.train import _bptt, _data
    monkeypatch.setattr(_bptt, "staged_ahead", functools.partial(_data.staged_ahead, min_bytes=0))
    X, Y = data()
    staged, on_device = RNN(init_params()), RNN(init_params())
    a = BPTT(staged, mse, shuffle_data=False, progress_bar=False)
    b = BPTT(on_device, mse, shuffle_data=False, progress_bar=False)
    a.fit((X, Y), num_epoch=2, batch_size=4)                      # NumPy: staged on the host
    b.fit((jnp.asarray(X), jnp.asarray(Y)), num_epoch=2, batch_size=4)   # JAX: transposed in the program
    assert [k[-1] for k in a._programs] == [True] and [k[-1] for k in b._programs] == [False]
    assert_params(staged, params_of(on_device), rtol=1e-6, atol=1e-7)
    np.testing.assert_allclose(a.train_losses, b.train_losses, rtol=1e-6)
    assert a.test((X, Y))['loss'] == pytest.approx(b.test((X, Y))['loss'], rel=1e-6)
