"""bp.algorithms' offline regressions against closed forms and hand-written references."""
import inspect

import numpy as np
import pytest

import neurodyn as bp
import neurodyn.math as bm

rng = np.random.default_rng(0)
X = rng.normal(size=(200, 3))
W_TRUE = np.array([[1.], [-2.], [0.5]])
Y = X @ W_TRUE


def test_linear_and_ridge_are_the_closed_forms():
    np.testing.assert_allclose(bp.algorithms.LinearRegression()(Y, X), W_TRUE, atol=1e-5)
    alpha = 10.
    ref = np.linalg.solve(X.T @ X + alpha * np.eye(3), X.T @ Y)
    np.testing.assert_allclose(bp.algorithms.RidgeRegression(alpha)(Y, X), ref, rtol=1e-5)
    gd = bp.algorithms.RidgeRegression(alpha, gradient_descent=True, max_iter=5000, learning_rate=1e-3)
    np.testing.assert_allclose(gd(Y, X), ref, atol=1e-3)


def test_polynomial_features_and_regression():
    F = np.asarray(bp.algorithms.polynomial_features(np.array([[2., 3.]]), degree=2, add_bias=True))
    np.testing.assert_array_equal(F, [[1., 2., 3., 4., 6., 9.]])
    x = rng.uniform(-1, 1, size=(100, 1))
    y = 1. + 2 * x - 3 * x ** 2
    reg = bp.algorithms.PolynomialRegression(degree=2, add_bias=True, gradient_descent=False)
    W = reg(y, x)
    np.testing.assert_allclose(np.asarray(W).ravel(), [1., 2., -3.], atol=1e-4)
    np.testing.assert_allclose(reg.predict(W, x), y, atol=1e-4)


def test_lasso_shrinks_to_the_soft_threshold_optimum():
    # one normalised feature column per sample: features are +-1, so the L1 optimum is
    # w = sign(s) * max(|s| - alpha, 0) / n with s = sum(x * y)
    x = np.sign(rng.normal(size=(50, 1)))
    y = 3. * x
    reg = bp.algorithms.LassoRegression(alpha=10., degree=1, max_iter=20000, learning_rate=1e-3)
    w = float(np.asarray(reg(y, x)).ravel()[0])
    assert w == pytest.approx((150. - 10.) / 50., abs=1e-2)


def test_elastic_net_and_logistic():
    x = np.sign(rng.normal(size=(50, 1)))
    y = 3. * x
    w = float(np.asarray(bp.algorithms.ElasticNetRegression(alpha=10., degree=1, l1_ratio=0.5,
                                                             max_iter=20000, learning_rate=1e-3)(y, x)).ravel()[0])
    assert w == pytest.approx((150. - 5.) / (50. + 5.), abs=1e-2)   # (s - a l1) / (n + a (1 - l1))
    Xl = np.concatenate([rng.normal(size=(400, 2)), np.ones((400, 1))], 1)
    labels = (Xl[:, :1] + Xl[:, 1:2] > 0).astype(float)
    reg = bp.algorithms.LogisticRegression(learning_rate=0.05, max_iter=2000)
    W = reg(labels, Xl)
    assert float(np.mean((np.asarray(reg.predict(W, Xl)) > 0.5) == labels[:, 0])) > 0.97


def test_base_classes_and_names_in_trainers():
    class Half(bp.algorithms.OfflineAlgorithm):
        def call(self, targets, inputs, outputs=None):
            return np.linalg.lstsq(np.asarray(inputs), np.asarray(targets), rcond=None)[0] / 2
    np.testing.assert_allclose(Half()(Y, X), W_TRUE / 2, atol=1e-6)
    assert isinstance(bp.algorithms.RLS(), bp.algorithms.OnlineAlgorithm)
    assert list(inspect.signature(bp.algorithms.RidgeRegression).parameters)[:3] == ["alpha", "beta", "name"]
    readout = bp.layers.Dense(3, 1, mode=bm.training_mode, b_initializer=None)
    for method in ("linear", bp.algorithms.LinearRegression(), {"name": "ridge", "alpha": 0.}):
        bp.OfflineTrainer(readout, fit_method=method, progress_bar=False).fit([X[None].astype("float32"),
                                                                              Y[None].astype("float32")])
        np.testing.assert_allclose(readout.W.value, W_TRUE, atol=1e-4)


def test_a_users_online_algorithm_drives_the_online_trainer():
    class HalfLMS(bp.algorithms.OnlineAlgorithm):
        """LMS with its step count kept in a Variable (state of the algorithm's own)."""

        def register_target(self, feature_in, identifier=""):
            self.count = bm.Variable(bm.zeros((), dtype=int))

        def call(self, target, input, output, identifier=""):
            self.count.value = self.count.value + 1
            return -0.05 * input.T @ (output - target)

    readout = bp.layers.Dense(3, 1, mode=bm.training_mode, b_initializer=None)
    X = rng.normal(size=(1, 400, 3)).astype("float32")
    algo = HalfLMS()
    bp.OnlineTrainer(readout, fit_method=algo, progress_bar=False).fit([X, X @ W_TRUE.astype("float32")])
    np.testing.assert_allclose(readout.W.value, W_TRUE, atol=1e-3)
    assert int(algo.count.value) == 400
