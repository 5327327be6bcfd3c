import jax.numpy as jnp
import numpy as np
import pytest

import neurodyn as bp
import neurodyn.math as bm
from neurodyn.datasets import lorenz63
from neurodyn.errors import ShapeError
from neurodyn.layers import NVAR, Dense, Reservoir
from neurodyn.train._offline import OfflineTrainer, RidgeTrainer
from neurodyn.train.metrics import nrmse
from neurodyn.train.solvers import RidgeRegression


class ESN(bp.DynamicalSystem):
    def __init__(self, num_in=3, num_hidden=20, num_out=2, bias=True):
        super().__init__(mode=bm.batching_mode)
        self.r = Reservoir(num_in, num_hidden, leaky_rate=0.5, in_connectivity=1., rec_connectivity=0.5,
                           spectral_radius=0.9, mode=bm.batching_mode)
        self.o = Dense(num_hidden, num_out, b_initializer=bp.init.ZeroInit() if bias else None,
                       mode=bm.training_mode)

    def update(self, x):
        return self.o(self.r(x))


def _reservoir_features(r, X):
    """The reservoir states for inputs X (batch, time, in), recomputed in float64 NumPy."""
    Win, Wrec = np.asarray(r.Win, np.float64), np.asarray(r.Wrec, np.float64)
    a = r.leaky_rate
    state = np.zeros((X.shape[0], r.num_out))
    out = []
    for t in range(X.shape[1]):
        state = (1 - a) * state + a * np.tanh(X[:, t] @ Win + state @ Wrec)
        out.append(state)
    return np.stack(out, axis=1)


def _ridge(F, Y, alpha):
    F, Y = F.reshape(-1, F.shape[-1]), Y.reshape(-1, Y.shape[-1])
    return np.linalg.solve(F.T @ F + alpha * np.eye(F.shape[1]), F.T @ Y)


def _data(batch=2, time=40, num_in=3, num_out=2, seed=0):
    rng = np.random.RandomState(seed)
    return (rng.uniform(-1, 1, (batch, time, num_in)).astype(np.float32),
            rng.normal(size=(batch, time, num_out)).astype(np.float32))


def test_ridge_readout_equals_numpy_closed_form_with_bias():
    model = ESN()
    X, Y = _data()
    trainer = RidgeTrainer(model, alpha=1e-3, progress_bar=False)
    outs = trainer.fit([X, Y], reset_state=True)
    assert outs.shape == (2, 40, 2)
    H = _reservoir_features(model.r, X.astype(np.float64))
    H1 = np.concatenate([H, np.ones(H.shape[:-1] + (1,))], axis=-1)
    W = _ridge(H1, Y.astype(np.float64), 1e-3)
    assert model.o.W.dtype == jnp.float32 and model.o.b.dtype == jnp.float32
    np.testing.assert_allclose(np.asarray(model.o.W), W[:-1], rtol=1e-3, atol=1e-4)
    np.testing.assert_allclose(np.asarray(model.o.b), W[-1], rtol=1e-3, atol=1e-4)
    # predicting afterwards reproduces the numpy prediction of the fitted readout
    pred = trainer.predict(X, reset_state=True)
    assert pred.shape == (2, 40, 2)
    np.testing.assert_allclose(np.asarray(pred), H1 @ W, atol=2e-4)


def test_no_bias_and_fit_methods_agree():
    X, Y = _data(batch=1, time=30)
    model = ESN(bias=False)
    H = _reservoir_features(model.r, X.astype(np.float64))
    ref = np.linalg.lstsq(H[0], Y[0].astype(np.float64), rcond=None)[0]
    for method in (RidgeRegression(alpha=0.),
                   lambda targets, inputs, outputs: np.linalg.lstsq(inputs, targets, rcond=None)[0]):
        model.o.W.value = bm.zeros((20, 2))
        OfflineTrainer(model, fit_method=method, progress_bar=False).fit([X, Y], reset_state=True)
        assert model.o.b is None
        np.testing.assert_allclose(np.asarray(model.o.W), ref, rtol=1e-2, atol=1e-2)
    for spec, alpha in (("linear", 0.), ("LSTSQ", 0.), ({"name": "ridge", "alpha": 0.5}, 0.5), (None, 1e-7)):
        method = OfflineTrainer(model, fit_method=spec).fit_method
        assert isinstance(method, RidgeRegression) and method.alpha == alpha


def test_callable_fit_method_receives_float64_inputs_with_bias_column_and_outputs():
    model = ESN()
    X, Y = _data(batch=2, time=7)
    seen = {}

    def method(targets, inputs, outputs):
        seen.update(t=targets, x=inputs, y=outputs)
        return np.zeros((inputs.shape[1], targets.shape[1]))

    OfflineTrainer(model, fit_method=method, progress_bar=False).fit([X, Y], reset_state=True)
    assert seen["x"].dtype == np.float64 and seen["x"].shape == (14, 21)
    np.testing.assert_array_equal(seen["x"][:, -1], 1.)
    assert seen["t"].shape == seen["y"].shape == (14, 2)
    np.testing.assert_allclose(np.asarray(model.o.W), 0.)


def test_chunked_run_equals_one_chunk_and_state_continues():
    X, Y = _data(batch=3, time=23)
    ws = []
    for chunk in (1000, 5):
        bm.random.seed(0)
        model = ESN()
        outs = RidgeTrainer(model, alpha=1e-2, progress_bar=False, chunk_size=chunk).fit(
            [X, Y], reset_state=True)
        ws.append((np.asarray(model.o.W), np.asarray(outs), np.asarray(model.r.state)))
    for a, b in zip(*ws):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)


def test_last_step_targets_fit_only_the_last_step():
    model = ESN()
    X, Y = _data(batch=6, time=10)
    RidgeTrainer(model, alpha=1e-4, progress_bar=False).fit([X, Y[:, -1]], reset_state=True)
    H = _reservoir_features(model.r, X.astype(np.float64))[:, -1]
    H1 = np.concatenate([H, np.ones((6, 1))], axis=-1)
    W = _ridge(H1, Y[:, -1].astype(np.float64), 1e-4)
    np.testing.assert_allclose(np.asarray(model.o.W), W[:-1], rtol=1e-3, atol=1e-3)


def test_several_readouts_by_dict_and_fit_flag_is_shared():
    seen_fit = []

    class TwoHeads(bp.DynamicalSystem):
        def __init__(self):
            super().__init__(mode=bm.batching_mode)
            self.a = Dense(3, 1, mode=bm.training_mode)
            self.b = Dense(3, 2, b_initializer=None, mode=bm.training_mode)

        def update(self, x):
            seen_fit.append(bp.share.load("fit"))
            return self.a(x) + self.b(x).sum(-1, keepdims=True)

    model = TwoHeads()
    X = np.random.RandomState(1).normal(size=(2, 30, 3)).astype(np.float32)
    wa, wb = np.array([[1.], [2.], [3.]]), np.array([[1., 0.], [0., 1.], [1., 1.]])
    trainer = RidgeTrainer(model, alpha=1e-8, progress_bar=False)
    trainer.fit([X, {"a": X @ wa + 1., model.b.name: X @ wb}])
    np.testing.assert_allclose(np.asarray(model.a.W), wa, atol=1e-3)
    np.testing.assert_allclose(np.asarray(model.a.b), [1.], atol=1e-3)
    np.testing.assert_allclose(np.asarray(model.b.W), wb, atol=1e-3)
    trainer.predict(X)
    assert seen_fit and set(seen_fit) == {True, False}
    assert [type(n).__name__ for n in trainer.train_nodes] == ["Dense", "Dense"]
    with pytest.raises(ValueError, match="dict readout path"):
        trainer.fit([X, X])
    with pytest.raises(KeyError, match="none for \\['b'\\]"):
        trainer.fit([X, {"a": X[..., :1]}])
    with pytest.raises(KeyError, match="unknown keys \\['c'\\]"):
        trainer.fit([X, {"a": X[..., :1], "b": X[..., :2], "c": X}])


def test_ngrc_lorenz63_trains_and_forecasts():
    """NG-RC (Gauthier et al. 2021): training NRMSE ~1e-4; the closed-loop forecast stays on track."""
    warm, train, test = 200, 400, 20
    d = lorenz63((warm + train + test + 1) * 0.025)
    data = np.stack([d["x"], d["y"], d["z"]], -1)

    class NGRC(bp.DynamicalSystem):
        def __init__(self):
            super().__init__(mode=bm.batching_mode)
            self.r = NVAR(3, delay=2, order=2, constant=True, mode=bm.batching_mode)
            self.o = Dense(self.r.num_out, 3, b_initializer=None, mode=bm.training_mode)

        def update(self, x):
            return x >> self.r >> self.o

    model = NGRC()
    trainer = RidgeTrainer(model, alpha=2.5e-6, progress_bar=False)
    X = data[None].astype(np.float32)
    trainer.predict(X[:, :warm], reset_state=True)                  # warm-up, then fit continues
    trainer.fit([X[:, warm:warm + train], (data[warm + 1:warm + train + 1] - data[warm:warm + train])[None]])
    steps = np.asarray(trainer.predict(X[:, :warm + train], reset_state=True))[0, warm:]
    train_err = float(nrmse(data[warm:warm + train] + steps, data[warm + 1:warm + train + 1]))
    assert train_err < 1e-3
    x, preds = data[warm + train - 1] + steps[-1], []
    for _ in range(test):                                           # closed loop
        x = x + np.asarray(trainer.predict(x[None, None].astype(np.float32)))[0, 0]
        preds.append(x)
    forecast_err = float(nrmse(np.array(preds), data[warm + train + 1:warm + train + 1 + test], reference=data))
    assert forecast_err < 1e-2


def test_errors_are_clear():
    model = ESN()
    X, Y = _data()
    trainer = RidgeTrainer(model, progress_bar=False)
    with pytest.raises(ValueError, match="trainable readout"):
        RidgeTrainer(bp.Sequential(Dense(2, 2, mode=bm.batching_mode)))
    with pytest.raises(TypeError, match="bp.DynamicalSystem"):
        RidgeTrainer(lambda x: x)
    with pytest.raises(ValueError, match="fit_method one of"):
        OfflineTrainer(model, fit_method="lassso")
    with pytest.raises(TypeError, match="fit_method"):
        OfflineTrainer(model, fit_method=3)
    with pytest.raises(ValueError, match="alpha"):
        RidgeTrainer(model, alpha=-1.)
    with pytest.raises(ShapeError, match="reset_state=True"):
        trainer.fit([X, Y])                                          # state has batch 1, data 2
    with pytest.raises(ValueError, match="pair \\(X, Y\\)"):
        trainer.fit(X)
    with pytest.raises(ShapeError, match="time length 40"):
        trainer.fit([X, Y[:, :30]], reset_state=True)
    with pytest.raises(ShapeError, match="batch size 2"):
        trainer.fit([X, Y[:1]], reset_state=True)
    with pytest.raises(ShapeError, match="readout 'o'.*Dense\\(name=.*2 outputs"):
        trainer.fit([X, np.concatenate([Y, Y], -1)], reset_state=True)
    with pytest.raises(ShapeError, match="layout \\(batch, time, ...\\)"):
        trainer.fit([X[0], Y[0]], reset_state=True)
    with pytest.raises(ValueError, match="shared_args without t, i or dt"):
        trainer.fit([X, Y], reset_state=True, shared_args={"t": 1.})

    class Twice(bp.DynamicalSystem):
        def __init__(self):
            super().__init__(mode=bm.batching_mode)
            self.o = Dense(2, 2, mode=bm.training_mode)

        def update(self, x):
            return self.o(self.o(x))

    with pytest.raises(ValueError, match="called exactly once per step, got 2 calls"):
        RidgeTrainer(Twice(), progress_bar=False).fit([X[..., :2], Y])
    # the readout's update is restored after a failed trace
    assert "update" not in vars(model.o)


@pytest.mark.parametrize("chunk", [1000, 7])
def test_outputs_computed_after_the_scan_equal_the_steps_outputs(chunk):
    class Shifted(ESN):                     # its output is not the readout's output itself
        def update(self, x):
            return self.o(self.r(x)) + 0.

    X, Y = _data(batch=3, time=23)
    got = {}
    for cls in (ESN, Shifted):
        bm.random.seed(1)
        model = cls()
        model.o.W.value = bm.random.normal(size=model.o.W.shape)
        model.o.b.value = bm.ones(model.o.b.shape)
        trainer = RidgeTrainer(model, alpha=1e-3, progress_bar=False, chunk_size=chunk)
        outs = trainer.fit([X, Y], reset_state=True)
        key = next(iter(trainer._readout_outputs))
        got[cls] = (np.asarray(outs), np.asarray(model.o.W.value), trainer._readout_outputs[key].get("path"))
    (a, wa, direct), (b, wb, none) = got[ESN], got[Shifted]
    assert direct == "o" and none is None        # the plain model took the after-the-scan path
    assert a.shape == (3, 23, 2) and a.dtype == np.float32
    np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-5)   # outputs with the weights before the fit
    np.testing.assert_allclose(wa, wb, rtol=1e-6)


def test_default_chunk_runs_a_long_fit_in_one_program(monkeypatch):
    model = ESN()
    trainer = RidgeTrainer(model, alpha=1e-3, progress_bar=False)
    calls = []
    run = trainer._run
    monkeypatch.setattr(trainer, "_run", lambda *a: calls.append(a[2]) or run(*a))
    X, Y = _data(batch=2, time=2500)
    trainer.fit([X, Y], reset_state=True)
    assert calls == [2500]              # 2500 steps x 2 x 22 floats is far below 64 MiB
    assert trainer._auto_chunk(2) == (64 << 20) // (4 * 2 * 22)
    big = RidgeTrainer(ESN(num_hidden=20, num_out=2), chunk_size=None, progress_bar=False)
    assert big._auto_chunk(10 ** 6) == 1000   # never fewer than 1000 steps a chunk
