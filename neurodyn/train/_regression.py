"""BrainPy's other offline fit methods: least squares, and penalised regressions solved by
gradient descent on polynomial features (``bp.algorithms.LassoRegression``, ...).

Each is an :class:`~neurodyn.train.solvers.OfflineAlgorithm`: ``method(targets, inputs) -> W``
and ``method.predict(W, X)``. They differ only in options of one solver: the features
(``degree`` polynomial terms, a bias column, row normalisation), the penalty (``alpha`` with an
L1 share ``l1_ratio``) and gradient descent (``max_iter`` steps of ``learning_rate``, stopping
early once the weights stop changing).

    >>> import numpy as np
    >>> from neurodyn.train import _regression as reg
    >>> X = np.array([[1.], [2.], [3.]]); Y = 2 * X
    >>> np.round(np.asarray(reg.LinearRegression()(Y, X)), 4).tolist()
    [[2.0]]
"""
from __future__ import annotations

import itertools
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np

import neurodyn.math as bm
from neurodyn.check import is_integer, is_non_negative, is_positive
from neurodyn.errors import ShapeError, describe
from neurodyn.train.solvers import OfflineAlgorithm, RidgeRegression

__all__ = ["LinearRegression", "LassoRegression", "LogisticRegression", "PolynomialRegression",
           "PolynomialRidgeRegression", "ElasticNetRegression", "polynomial_features",
           "gradient_descent_solve"]


def _rows(x: Any, what: str) -> jax.Array:
    x = jnp.asarray(bm.unwrap_tree(x), dtype=bm.get_float())
    if x.ndim < 2:
        raise ShapeError(describe("bp.algorithms", f"{what} of shape (samples, features)", f"shape {x.shape}"))
    return x.reshape(-1, x.shape[-1])


def polynomial_features(X: Any, degree: int, add_bias: bool = False) -> jax.Array:
    """``[1?, x_1..x_n, all monomials of degree 2..degree]`` per row."""
    X = _rows(X, "inputs")
    cols = [jnp.ones((X.shape[0], 1), X.dtype)] if add_bias else []
    cols.append(X)
    for d in range(2, degree + 1):
        for idx in itertools.combinations_with_replacement(range(X.shape[1]), d):
            cols.append(jnp.prod(X[:, list(idx)], axis=1, keepdims=True))
    return jnp.concatenate(cols, axis=1)


def _normalize(X: jax.Array) -> jax.Array:
    norm = jnp.linalg.norm(X, axis=-1, keepdims=True)
    return X / jnp.where(norm == 0, 1., norm)


def gradient_descent_solve(targets: Any, inputs: Any, max_iter: int, learning_rate: float,
                           l1: float = 0., l2: float = 0., w0: Any = None) -> jax.Array:
    """Minimise ``|X W - Y|^2 / 2 + l1 |W|_1 + l2 |W|^2 / 2`` by gradient descent from uniform
    weights in ``+-1/sqrt(features)``; stops when an update changes nothing (``allclose``)."""
    X, Y = _rows(inputs, "inputs"), _rows(targets, "targets")
    if w0 is None:
        lim = 1. / np.sqrt(X.shape[1])
        w0 = jnp.asarray(np.random.default_rng(bm.random.make_seed()).uniform(
            -lim, lim, (X.shape[1], Y.shape[1])), X.dtype)

    def cond(c):
        i, old, new = c
        return jnp.logical_and(i < max_iter, jnp.logical_not(jnp.allclose(old, new)))

    def body(c):
        i, _, w = c
        g = X.T @ (X @ w - Y) + l1 * jnp.sign(w) + l2 * w
        return i + 1, w, w - learning_rate * g

    return jax.lax.while_loop(cond, body, (0, w0 + 1., w0))[2]


class LinearRegression(RidgeRegression):
    """Ordinary least squares (``RidgeRegression`` without a penalty; exact float64 solve)."""

    def __init__(self, name: str | None = None, max_iter: int = 1000, learning_rate: float = 0.001,
                 gradient_descent: bool = False):
        super().__init__(0., name=name, max_iter=max_iter, learning_rate=learning_rate,
                         gradient_descent=gradient_descent)


class _FeatureRegression(OfflineAlgorithm):
    """Regression on ``polynomial_features`` (optionally row-normalised) with an L1/L2 penalty."""

    def __init__(self, alpha: float, l1_ratio: float, degree: int, add_bias: bool, normalize: bool,
                 name: str | None, max_iter: int, learning_rate: float, gradient_descent: bool):
        super().__init__(name)
        who = type(self).__name__
        self.alpha = is_non_negative(alpha, "alpha", who)
        self.l1_ratio = l1_ratio
        self.degree = is_integer(degree, "degree", who, min_value=1)
        self.add_bias, self.normalize = bool(add_bias), bool(normalize)
        self.max_iter = is_integer(max_iter, "max_iter", who, min_value=1)
        self.learning_rate = is_positive(learning_rate, "learning_rate", who)
        self.gradient_descent = bool(gradient_descent)

    def features(self, X: Any) -> jax.Array:
        F = polynomial_features(X, self.degree, self.add_bias)
        return _normalize(F) if self.normalize else F

    def call(self, targets, inputs, outputs=None):
        F = self.features(inputs)
        l1, l2 = self.alpha * self.l1_ratio, self.alpha * (1. - self.l1_ratio)
        if not self.gradient_descent and l1 == 0.:
            return RidgeRegression(l2)(targets, F)
        return gradient_descent_solve(targets, F, self.max_iter, self.learning_rate, l1=l1, l2=l2)

    def predict(self, W, X):
        return self.features(X) @ jnp.asarray(W)


class PolynomialRegression(_FeatureRegression):
    """Least squares on polynomial features of ``degree``."""

    def __init__(self, degree: int = 2, name: str | None = None, add_bias: bool = False,
                 max_iter: int = 1000, learning_rate: float = 0.001, gradient_descent: bool = True):
        super().__init__(0., 0., degree, add_bias, False, name, max_iter, learning_rate, gradient_descent)


class PolynomialRidgeRegression(_FeatureRegression):
    """Ridge (L2, ``alpha``) regression on polynomial features of ``degree``."""

    def __init__(self, alpha: float = 1.0, degree: int = 2, name: str | None = None, add_bias: bool = False,
                 max_iter: int = 1000, learning_rate: float = 0.001, gradient_descent: bool = True):
        super().__init__(alpha, 0., degree, add_bias, False, name, max_iter, learning_rate, gradient_descent)


class LassoRegression(_FeatureRegression):
    """L1-penalised (``alpha``) regression on normalised polynomial features, by gradient descent."""

    def __init__(self, alpha: float = 1.0, degree: int = 2, add_bias: bool = False, name: str | None = None,
                 max_iter: int = 1000, learning_rate: float = 0.001, gradient_descent: bool = True):
        super().__init__(alpha, 1., degree, add_bias, True, name, max_iter, learning_rate, True)


class ElasticNetRegression(_FeatureRegression):
    """``alpha * (l1_ratio * L1 + (1 - l1_ratio) * L2 / 2)`` on normalised polynomial features."""

    def __init__(self, alpha: float = 1.0, degree: int = 2, l1_ratio: float = 0.5, name: str | None = None,
                 add_bias: bool = False, max_iter: int = 1000, learning_rate: float = 0.001,
                 gradient_descent: bool = True):
        super().__init__(alpha, l1_ratio, degree, add_bias, True, name, max_iter, learning_rate, True)


class LogisticRegression(OfflineAlgorithm):
    """Binary logistic regression (one target column of 0/1) by gradient descent on the
    cross-entropy; ``predict`` gives probabilities."""

    def __init__(self, learning_rate: float = .1, gradient_descent: bool = True, max_iter: int = 4000,
                 name: str | None = None):
        super().__init__(name)
        self.learning_rate = is_positive(learning_rate, "learning_rate", "LogisticRegression")
        self.max_iter = is_integer(max_iter, "max_iter", "LogisticRegression", min_value=1)
        self.gradient_descent = bool(gradient_descent)

    def call(self, targets, inputs, outputs=None):
        X, Y = _rows(inputs, "inputs"), _rows(targets, "targets")
        if Y.shape[1] != 1:
            raise ShapeError(describe("LogisticRegression", "one target column (0/1 labels)",
                                      f"targets of shape {Y.shape}"))
        lim = 1. / np.sqrt(X.shape[1])
        w0 = jnp.asarray(np.random.default_rng(bm.random.make_seed()).uniform(-lim, lim, (X.shape[1],)), X.dtype)
        y = Y[:, 0]

        def cond(c):
            i, old, new = c
            return jnp.logical_and(i < self.max_iter, jnp.logical_not(jnp.allclose(old, new)))

        def body(c):
            i, _, w = c
            return i + 1, w, w - self.learning_rate * (jax.nn.sigmoid(X @ w) - y) @ X

        return jax.lax.while_loop(cond, body, (0, w0 + 1., w0))[2]

    def predict(self, W, X):
        return jax.nn.sigmoid(_rows(X, "inputs") @ jnp.asarray(W))
