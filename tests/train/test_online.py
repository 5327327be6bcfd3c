import numpy as np
import pytest

import neurodyn as bp
import neurodyn.math as bm
from neurodyn.errors import ShapeError
from neurodyn.layers import Dense, Reservoir
from neurodyn.train._online import ForceTrainer, OnlineTrainer
from neurodyn.train.solvers import LMS, RLS


def _linear_data(batch=1, time=30, num_in=4, num_out=2, seed=0, noise=1.):
    rng = np.random.RandomState(seed)
    X = rng.normal(size=(batch, time, num_in)).astype(np.float32)
    W, b = rng.normal(size=(num_in, num_out)), rng.normal(size=num_out)
    Y = (X @ W + b + noise * rng.normal(size=(batch, time, num_out))).astype(np.float32)
    return X, Y, W, b


def _weights(d):
    return np.concatenate([np.asarray(d.W, np.float64), np.asarray(d.b, np.float64)[None]], axis=0)


def test_rls_matches_numpy_loop_and_each_output_precedes_its_update():
    X, Y, _, _ = _linear_data()
    d = Dense(4, 2, mode=bm.training_mode)
    W = _weights(d)
    out = np.asarray(OnlineTrainer(d, fit_method=RLS(alpha=0.5), progress_bar=False).fit([X, Y]))
    P, ref = 0.5 * np.eye(5), []
    for t in range(X.shape[1]):
        x = np.append(X[0, t], 1.)[None]
        y = x @ W
        ref.append(y[0])
        k = P @ x.T
        c = 1. / (1. + x @ k)
        P, W = P - c * k @ k.T, W - c * k @ (y - Y[0, t][None])
    np.testing.assert_allclose(out[0], np.array(ref), atol=1e-5)
    np.testing.assert_allclose(_weights(d), W, atol=1e-5)


def test_rls_equals_regularised_least_squares_and_converges_to_true_weights():
    X, Y, W_true, b_true = _linear_data(batch=3, time=100, noise=0.)
    d = Dense(4, 2, mode=bm.training_mode)
    W0, alpha = _weights(d), 100.
    OnlineTrainer(d, fit_method=RLS(alpha=alpha), progress_bar=False).fit([X, Y])
    # RLS from W0 with P0 = alpha I minimises |X1 W - Y|^2 + |W - W0|^2 / alpha over all rows
    X1 = np.concatenate([X.reshape(-1, 4), np.ones((300, 1))], axis=1).astype(np.float64)
    ref = np.linalg.solve(X1.T @ X1 + np.eye(5) / alpha, X1.T @ Y.reshape(-1, 2) + W0 / alpha)
    np.testing.assert_allclose(_weights(d), ref, atol=1e-4)
    np.testing.assert_allclose(np.asarray(d.W), W_true, atol=1e-3)
    np.testing.assert_allclose(np.asarray(d.b), b_true, atol=1e-3)


def test_p_is_kept_between_fits_and_state_continues():
    X, Y, _, _ = _linear_data(time=40)
    ws = []
    for parts in ((slice(0, 40),), (slice(0, 20), slice(20, 40))):
        bm.random.seed(0)
        d = Dense(4, 2, mode=bm.training_mode)
        trainer = OnlineTrainer(d, fit_method="rls", progress_bar=False)
        for part in parts:
            trainer.fit([X[:, part], Y[:, part]])
        ws.append(_weights(d))
    np.testing.assert_allclose(ws[0], ws[1], atol=1e-5)


def test_lms_steps_and_convergence():
    X, Y, W_true, b_true = _linear_data(time=400, noise=0.)
    d = Dense(4, 2, mode=bm.training_mode)
    W0 = _weights(d)
    trainer = OnlineTrainer(d, fit_method={"name": "lms", "alpha": 0.05}, progress_bar=False)
    out = np.asarray(trainer.fit([X[:, :1], Y[:, :1]]))
    x = np.append(X[0, 0], 1.)[None]
    np.testing.assert_allclose(out[0, 0], (x @ W0)[0], atol=1e-5)
    np.testing.assert_allclose(_weights(d), W0 - 0.05 * x.T @ (x @ W0 - Y[0, :1]), atol=1e-5)
    out = np.asarray(trainer.fit([X[:, 1:], Y[:, 1:]]))
    err = np.abs(out - Y[:, 1:]).mean(-1)[0]
    assert err[-50:].mean() < 1e-4 * err[:50].mean()
    np.testing.assert_allclose(np.asarray(d.W), W_true, atol=1e-3)
    np.testing.assert_allclose(np.asarray(d.b), b_true, atol=1e-3)
    assert isinstance(trainer.fit_method, LMS)


class FeedbackESN(bp.DynamicalSystem):
    """An echo-state reservoir whose readout's output is fed back (FORCE learning)."""

    def __init__(self, n=60):
        super().__init__(mode=bm.batching_mode)
        self.r = Reservoir(2, n, leaky_rate=0.1, in_connectivity=1., rec_connectivity=0.2,
                           spectral_radius=1.2, Win_initializer=bp.init.Normal(scale=0.5),
                           b_initializer=bp.init.Normal(scale=0.2), mode=bm.batching_mode)
        self.o = Dense(n, 1, W_initializer=bp.init.ZeroInit(), mode=bm.training_mode)
        self.fb = bm.Variable(bm.zeros((1, 1)), batch_axis=0)

    def reset_state(self, batch_size=None):
        self.fb.value = bm.zeros((batch_size, 1))

    def update(self, u):
        y = self.o(self.r(bm.concatenate([u, self.fb.value], -1)))
        self.fb.value = y
        return y


def test_force_learning_of_a_sine_with_an_echo_state_reservoir():
    T, T_free, n = 800, 100, 60
    model = FeedbackESN(n)
    sine = np.sin(2 * np.pi * np.arange(T + T_free) / 100.)[None, :, None].astype(np.float32)
    U = np.zeros_like(sine)
    trainer = ForceTrainer(model, alpha=1., progress_bar=False)
    untrained = np.asarray(trainer.predict(U[:, T:], reset_state=True))
    out = np.asarray(trainer.fit([U[:, :T], sine[:, :T]], reset_state=True))
    # the same FORCE loop in float64 NumPy: reservoir, readout with feedback, RLS
    Win, Wrec, b = (np.asarray(a, np.float64) for a in (model.r.Win, model.r.Wrec, model.r.bias))
    P, w, s, fb, ref = np.eye(n + 1), np.zeros(n + 1), np.zeros(n), 0., []
    for t in range(T):
        s = 0.9 * s + 0.1 * np.tanh(np.array([0., fb]) @ Win + s @ Wrec + b)
        x = np.append(s, 1.)
        fb = x @ w
        ref.append(fb)
        k = P @ x
        c = 1. / (1. + x @ k)
        P, w = P - c * np.outer(k, k), w - c * k * (fb - sine[0, t, 0])
    np.testing.assert_allclose(out[0, :, 0], ref, atol=2e-3)
    # after training, the free-running network keeps producing the sine
    free = np.asarray(trainer.predict(U[:, T:]))
    err_free = np.abs(free - sine[:, T:]).mean()
    err_untrained = np.abs(untrained - sine[:, T:]).mean()
    assert err_free < 0.1 < 0.5 < err_untrained


def test_errors_are_clear():
    X, Y, _, _ = _linear_data(batch=2)
    d = Dense(4, 2, mode=bm.training_mode)
    trainer = OnlineTrainer(d, progress_bar=False)
    assert isinstance(trainer.fit_method, RLS) and trainer.P[""].shape == (5, 5)
    with pytest.raises(ValueError, match="trainable readout"):
        OnlineTrainer(Dense(2, 2, mode=bm.batching_mode))
    with pytest.raises(ValueError, match="fit_method: RLS"):
        OnlineTrainer(d, fit_method="ridge")
    with pytest.raises(ValueError, match="alpha"):
        ForceTrainer(d, alpha=0.)
    with pytest.raises(ShapeError, match="layout \\(batch, time, ...\\)"):
        trainer.fit([X, Y[:, -1]])                                   # online needs targets per step
    with pytest.raises(ShapeError, match="time length 30"):
        trainer.fit([X, Y[:, :10]])
    with pytest.raises(ShapeError, match="readout 'Dense.*2 outputs"):
        trainer.fit([X, Y[..., :1]])
    with pytest.raises(ValueError, match="pair \\(X, Y\\)"):
        trainer.fit([X, Y, Y])
    with pytest.raises(ValueError, match="data_first_axis"):
        OnlineTrainer(d, data_first_axis="X")
