"""Readout solvers as pure functions: ridge regression (offline), RLS and LMS (online).

Ridge regression solves ``(X^T X + alpha I) W = X^T Y`` in float64 with NumPy/SciPy, whatever
the input dtype, and returns ``W`` in the inputs' dtype (float32 by default): reservoir and
NG-RC features are badly conditioned and a float32 solve loses most digits. No bias column is
added; append a column of ones to ``X`` yourself when you want one. ``ridge_accumulate`` and
``ridge_solve`` give the same answer from chunks, so long runs need no concatenation.

RLS/LMS are pure JAX (jit-able) and used by FORCE learning: each step takes the current
weights, one input row (or a batch of rows) and the target, and returns the new state.

    >>> import numpy as np
    >>> from neurodyn.train import solvers
    >>> X = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]], np.float32)
    >>> W = solvers.ridge_regression(X, X @ np.array([[2.0], [-1.0]], np.float32), alpha=0.0)
    >>> np.round(np.asarray(W), 5).ravel().tolist()
    [2.0, -1.0]
"""
from __future__ import annotations

from typing import Any, NamedTuple

import jax
import jax.numpy as jnp
import numpy as np

import neurodyn.math as bm
from neurodyn.check import is_integer, is_non_negative, is_positive
from neurodyn.errors import ShapeError, describe

__all__ = ["OfflineAlgorithm", "OnlineAlgorithm", "ridge_regression", "RidgeState",
           "ridge_accumulate", "ridge_solve", "ridge_solve_numpy", "RidgeRegression", "rls_init", "rls_update", "lms_update", "RLS", "LMS"]


class OfflineAlgorithm:
    """Base of offline fit methods: ``method(targets, inputs, outputs=None) -> W`` with
    ``inputs @ W ~ targets`` (BrainPy's argument order). Subclasses define ``call``."""

    def __init__(self, name: str | None = None):
        self.name = name or type(self).__name__

    def __call__(self, targets: Any, inputs: Any, outputs: Any = None) -> jax.Array:
        return self.call(targets, inputs, outputs)

    def call(self, targets: Any, inputs: Any, outputs: Any = None) -> jax.Array:
        raise TypeError(describe(type(self).__name__, "a call(targets, inputs, outputs) method",
                                 "none", "subclass bp.algorithms.OfflineAlgorithm and define call"))

    def predict(self, W: Any, X: Any) -> jax.Array:
        """``X @ W``: what the fitted weights give for inputs ``X``."""
        return jnp.asarray(X) @ jnp.asarray(W)


class OnlineAlgorithm:
    """Base of online fit methods: ``register_target(num_in, identifier)``, then
    ``method(target, input, output, identifier) -> dW`` for ``error = output - target``."""

    def __init__(self, name: str | None = None):
        self.name = name or type(self).__name__

    def register_target(self, feature_in: int, identifier: str = "") -> None:
        """Prepare per-target state (none by default)."""

    def __call__(self, target: Any, input: Any, output: Any, identifier: str = "") -> jax.Array:
        return self.call(target, input, output, identifier)

    def call(self, target: Any, input: Any, output: Any, identifier: str = "") -> jax.Array:
        raise TypeError(describe(type(self).__name__, "a call(target, input, output, identifier) "
                                 "method", "none", "subclass bp.algorithms.OnlineAlgorithm and define call"))


# ----------------------------------------------------------------------------- ridge (offline)

class RidgeState(NamedTuple):
    """Running sums for streaming ridge regression (float64 NumPy arrays)."""
    xtx: np.ndarray   # (features, features)
    xty: np.ndarray   # (features, outputs)
    count: int        # number of samples seen


def _rows(X: Any, Y: Any, who: str) -> tuple[np.ndarray, np.ndarray]:
    """Both as float64 2-D arrays ``(samples, features)``; leading axes are all samples."""
    x, y = np.asarray(X, dtype=np.float64), np.asarray(Y, dtype=np.float64)
    if x.ndim < 2 or y.ndim < 2 or x.shape[:-1] != y.shape[:-1]:
        raise ShapeError(describe(who, "inputs (..., features) and targets (..., outputs) with the "
                                  "same leading (sample) axes", f"inputs {x.shape}, targets {y.shape}",
                                  "pass X of shape (num_samples, num_features) and Y of shape "
                                  "(num_samples, num_outputs)"))
    return x.reshape(-1, x.shape[-1]), y.reshape(-1, y.shape[-1])


def _out_dtype(X: Any) -> Any:
    dtype = getattr(X, "dtype", None)
    return dtype if dtype is not None and np.issubdtype(dtype, np.floating) else bm.get_float()


def ridge_accumulate(state: RidgeState | None, X: Any, Y: Any) -> RidgeState:
    """Add a chunk of samples to the running ``X^T X`` and ``X^T Y`` (float64). ``state=None`` starts.

    >>> import numpy as np
    >>> s = ridge_accumulate(None, np.ones((3, 2)), np.ones((3, 1)))
    >>> s.xtx.tolist(), s.count
    ([[3.0, 3.0], [3.0, 3.0]], 3)
    """
    x, y = _rows(X, Y, "ridge_accumulate")
    if state is None:
        return RidgeState(x.T @ x, x.T @ y, x.shape[0])
    if state.xty.shape != (x.shape[1], y.shape[1]):
        raise ShapeError(describe("ridge_accumulate", f"chunks with {state.xty.shape[0]} features and "
                                  f"{state.xty.shape[1]} outputs, like the earlier ones",
                                  f"inputs {x.shape}, targets {y.shape}"))
    return RidgeState(state.xtx + x.T @ x, state.xty + x.T @ y, state.count + x.shape[0])


def ridge_solve(state: RidgeState, alpha: float, dtype: Any = None) -> jax.Array:
    """Solve ``(X^T X + alpha I) W = X^T Y`` from accumulated sums; ``W`` has shape (features, outputs).

    The solve is a float64 Cholesky factorisation; if the matrix is not numerically positive
    definite (``alpha = 0`` with dependent features) it falls back to SciPy's SVD least-squares
    (the minimum-norm solution). ``W`` is returned as a JAX array of ``dtype``.

    >>> import numpy as np
    >>> s = ridge_accumulate(None, np.eye(2), np.array([[1.0], [2.0]]))
    >>> np.asarray(ridge_solve(s, alpha=1.0)).ravel().tolist()  # 1/(1+1), 2/(1+1)
    [0.5, 1.0]
    """
    return jnp.asarray(ridge_solve_numpy(state, alpha).astype(dtype or bm.get_float()))


def ridge_solve_numpy(state: RidgeState, alpha: float) -> np.ndarray:
    """:func:`ridge_solve` on the host: ``W`` as a float64 NumPy array (no device transfer)."""
    if not isinstance(state, RidgeState):
        raise TypeError(describe("ridge_solve", "a RidgeState from ridge_accumulate",
                                 type(state).__name__))
    is_non_negative(alpha, "alpha", "ridge_solve")
    import scipy.linalg                           # scipy is imported when first needed
    a = state.xtx + alpha * np.eye(state.xtx.shape[0])
    try:
        return scipy.linalg.cho_solve(scipy.linalg.cho_factor(a, lower=False, check_finite=True),
                                      state.xty, check_finite=False)
    except np.linalg.LinAlgError:
        return scipy.linalg.lstsq(a, state.xty, lapack_driver="gelsd")[0]


def ridge_regression(X: Any, Y: Any, alpha: float = 1e-7) -> jax.Array:
    """Ridge regression weights ``W`` (features, outputs) with ``X @ W ~ Y``, solved in float64.

    Args:
        X: inputs ``(num_samples, num_features)``; any further leading axes
            (e.g. ``(batch, time, features)``) are all treated as samples.
        Y: targets ``(num_samples, num_outputs)`` with the same leading axes.
        alpha: the ridge (Tikhonov) coefficient, >= 0.

    Returns:
        ``W`` as a JAX array of ``X``'s float dtype (float32 for integer inputs).

    >>> import numpy as np
    >>> W = ridge_regression(np.eye(2, dtype=np.float32), np.eye(2, dtype=np.float32), alpha=1.0)
    >>> np.asarray(W).tolist()
    [[0.5, 0.0], [0.0, 0.5]]
    """
    return ridge_solve(ridge_accumulate(None, X, Y), alpha, _out_dtype(X))


class RidgeRegression(OfflineAlgorithm):
    """Offline ridge regression (BrainPy's ``bp.algorithms.RidgeRegression``).

    ``RidgeRegression(alpha)(targets, inputs)`` returns ``W`` with ``inputs @ W ~ targets``;
    note the BrainPy argument order (targets first). ``outputs`` is accepted and unused. The
    solve is exact (float64); ``gradient_descent=True`` instead runs ``max_iter`` steps of
    ``learning_rate`` on the L2-penalised squared error (BrainPy's option).

    >>> import numpy as np
    >>> W = RidgeRegression(alpha=0.0)(np.array([[2.0], [4.0]]), np.array([[1.0], [2.0]]))
    >>> np.round(np.asarray(W), 5).tolist()
    [[2.0]]
    """

    def __init__(self, alpha: float = 1e-7, beta: float | None = None, name: str | None = None,
                 max_iter: int = 1000, learning_rate: float = 0.001, gradient_descent: bool = False):
        super().__init__(name)
        self.alpha = is_non_negative(alpha if beta is None else beta, "alpha", type(self).__name__)
        self.max_iter, self.learning_rate = max_iter, learning_rate
        self.gradient_descent = bool(gradient_descent)

    def call(self, targets: Any, inputs: Any, outputs: Any = None) -> jax.Array:
        if self.gradient_descent:
            from neurodyn.train._regression import gradient_descent_solve
            return gradient_descent_solve(targets, inputs, self.max_iter, self.learning_rate,
                                          l2=self.alpha)
        return ridge_regression(inputs, targets, self.alpha)

    def __repr__(self) -> str:
        return f"RidgeRegression(alpha={self.alpha})"


# ----------------------------------------------------------------------------- RLS / LMS (online)

def _batch_rows(x: Any, target: Any, w: jax.Array, who: str) -> tuple[jax.Array, jax.Array]:
    """Inputs as ``(batch, num_in)`` and targets as ``(batch, num_out)`` matching ``w``."""
    x, t = jnp.asarray(x), jnp.asarray(target)
    x2 = x[None] if x.ndim == 1 else x
    t2 = t[None] if t.ndim == 1 else t
    if (w.ndim != 2 or x2.ndim != 2 or t2.ndim != 2 or x2.shape[1] != w.shape[0]
            or t2.shape != (x2.shape[0], w.shape[1])):
        raise ShapeError(describe(who, f"w (num_in, num_out), x (num_in,) or (batch, num_in) and "
                                  f"target (num_out,) or (batch, num_out), consistently",
                                  f"w {w.shape}, x {x.shape}, target {t.shape}"))
    return x2, t2


def rls_init(num_in: int, alpha: float = 0.1, dtype: Any = None) -> jax.Array:
    """The initial inverse-correlation matrix ``P = alpha * I`` of shape (num_in, num_in).

    ``alpha`` follows BrainPy's ``RLS(alpha)``: it is the initial diagonal of ``P`` (Sussillo &
    Abbott's ``P(0) = I / a`` is ``alpha = 1 / a``); larger values learn faster.

    >>> rls_init(2, alpha=0.5).tolist()
    [[0.5, 0.0], [0.0, 0.5]]
    """
    is_integer(num_in, "num_in", "rls_init", min_value=1)
    is_positive(alpha, "alpha", "rls_init")
    return alpha * jnp.eye(num_in, dtype=dtype or bm.get_float())


def _rls_step(P: jax.Array, x: jax.Array, error: jax.Array) -> tuple[jax.Array, jax.Array]:
    """One exact block-RLS step: returns (new P, weight change) for rows ``x`` and ``error = xw - y``.

    ``P <- P - K (x P)`` with the gain ``K = P x^T (I + x P x^T)^-1``. Written with ``x P`` (not
    ``K (P x^T)^T``), this form stays accurate in float32 on features of magnitude ~1e3 (NG-RC's
    quadratic terms), where the transposed form drifts and the fit diverges.
    """
    k = P @ x.T                                                # (num_in, batch)
    s = jnp.eye(x.shape[0], dtype=P.dtype) + x @ k             # (batch, batch)
    gain = jnp.linalg.solve(s, k.T).T                          # k s^-1 (s is symmetric)
    return P - gain @ (x @ P), -gain @ error


def rls_update(P: Any, x: Any, target: Any, w: Any) -> tuple[jax.Array, jax.Array, jax.Array]:
    """One recursive-least-squares step (FORCE learning), pure JAX.

    With ``e = x w - target`` (the error before the update), ``k = P x^T`` and
    ``S = I + x P x^T``: ``P <- P - k S^-1 (x P)`` and ``w <- w - k S^-1 e``. For one row this
    is the textbook ``c = 1 / (1 + x P x^T)``, ``P <- P - c k k^T``, ``w <- w - c k e``; a
    batch of rows is one exact block update (the same as feeding the rows one by one).

    Args:
        P: ``(num_in, num_in)`` from :func:`rls_init`.
        x: ``(num_in,)`` or ``(batch, num_in)``.
        target: ``(num_out,)`` or ``(batch, num_out)``.
        w: ``(num_in, num_out)``.

    Returns:
        ``(P, w, error)`` with ``error`` shaped like ``target`` (before the update).

    >>> import jax.numpy as jnp
    >>> P, w, e = rls_update(rls_init(1, 1.0), jnp.array([1.0]), jnp.array([2.0]), jnp.zeros((1, 1)))
    >>> w.tolist(), e.tolist()                          # w = 0 + 1/(1+1) * 1 * 2
    ([[1.0]], [-2.0])
    """
    P, w = jnp.asarray(P), jnp.asarray(w)
    x2, t2 = _batch_rows(x, target, w, "rls_update")
    if P.shape != (w.shape[0], w.shape[0]):
        raise ShapeError(describe("rls_update", f"P of shape {(w.shape[0],) * 2}", f"shape {P.shape}"))
    error = x2 @ w - t2
    P, dw = _rls_step(P, x2, error)
    return P, w + dw, error.reshape(jnp.shape(target))


def lms_update(w: Any, x: Any, target: Any, lr: float) -> tuple[jax.Array, jax.Array]:
    """One least-mean-squares step: ``w <- w - lr * x^T (x w - target)`` (summed over the batch).

    >>> import jax.numpy as jnp
    >>> w, e = lms_update(jnp.zeros((1, 1)), jnp.array([1.0]), jnp.array([2.0]), lr=0.1)
    >>> round(float(w[0, 0]), 6), e.tolist()
    (0.2, [-2.0])
    """
    w = jnp.asarray(w)
    x2, t2 = _batch_rows(x, target, w, "lms_update")
    error = x2 @ w - t2
    return w - lr * (x2.T @ error), error.reshape(jnp.shape(target))


class RLS(OnlineAlgorithm):
    """Recursive least squares as an online fit method (BrainPy's ``RLS(alpha=0.1)``).

    Functional use: ``P = rls.init(num_in)``, then ``P, w, err = rls.update(P, x, target, w)``.
    BrainPy-style stateful use: ``rls.register_target(num_in, 'w')`` keeps ``P`` in a
    ``bm.Variable`` and ``dw = rls(target, x, output, 'w')`` updates it and returns the weight
    change for ``error = output - target``.

    >>> import jax.numpy as jnp
    >>> rls = RLS(alpha=1.0); rls.register_target(1)
    >>> rls(jnp.array([2.0]), jnp.array([1.0]), jnp.array([0.0])).tolist()
    [[1.0]]
    """

    def __init__(self, alpha: float = 0.1, name: str | None = None):
        super().__init__(name)
        self.alpha = is_positive(alpha, "alpha", "RLS")
        self.P: dict[str, bm.Variable] = {}

    def init(self, num_in: int, dtype: Any = None) -> jax.Array:
        return rls_init(num_in, self.alpha, dtype)

    def update(self, P: Any, x: Any, target: Any, w: Any):
        return rls_update(P, x, target, w)

    def register_target(self, feature_in: int, identifier: str = "") -> None:
        self.P[identifier] = bm.Variable(rls_init(feature_in, self.alpha))

    def call(self, target: Any, input: Any, output: Any, identifier: str = "") -> jax.Array:
        if identifier not in self.P:
            raise KeyError(describe("RLS", f"a target registered with register_target(num_in, "
                                    f"{identifier!r})", f"registered {sorted(self.P)}"))
        var = self.P[identifier]
        x = jnp.asarray(input)
        x2 = x[None] if x.ndim == 1 else x
        out, tgt = jnp.asarray(output), jnp.asarray(target)
        if out.shape != tgt.shape or x2.shape[1] != var.value.shape[0]:
            raise ShapeError(describe("RLS", f"input (..., {var.value.shape[0]}) and output shaped "
                                      "like target", f"input {x.shape}, output {out.shape}, "
                                      f"target {tgt.shape}"))
        error = (out - tgt).reshape(x2.shape[0], -1)
        var.value, dw = _rls_step(var.value, x2, error)
        return dw

    def __repr__(self) -> str:
        return f"RLS(alpha={self.alpha})"


class LMS(OnlineAlgorithm):
    """Least mean squares as an online fit method (BrainPy's ``LMS(alpha=0.1)``; alpha = learning rate).

    ``w, err = lms.update(w, x, target)``, or BrainPy-style ``dw = lms(target, x, output)``.

    >>> import jax.numpy as jnp
    >>> LMS(alpha=0.5)(jnp.array([2.0]), jnp.array([1.0]), jnp.array([0.0])).tolist()
    [[1.0]]
    """

    def __init__(self, alpha: float = 0.1, name: str | None = None):
        super().__init__(name)
        self.alpha = is_positive(alpha, "alpha", "LMS")

    def update(self, w: Any, x: Any, target: Any):
        return lms_update(w, x, target, self.alpha)

    def call(self, target: Any, input: Any, output: Any, identifier: str = "") -> jax.Array:
        x, out, tgt = jnp.asarray(input), jnp.asarray(output), jnp.asarray(target)
        x2 = x[None] if x.ndim == 1 else x
        if out.shape != tgt.shape:
            raise ShapeError(describe("LMS", "output shaped like target",
                                      f"output {out.shape}, target {tgt.shape}"))
        return -self.alpha * (x2.T @ (out - tgt).reshape(x2.shape[0], -1))

    def __repr__(self) -> str:
        return f"LMS(alpha={self.alpha})"
