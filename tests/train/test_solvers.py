import jax
import jax.numpy as jnp
import numpy as np
import pytest

from neurodyn.errors import ShapeError
from neurodyn.train import solvers


def _closed_form(X, Y, alpha):
    X, Y = np.asarray(X, np.float64), np.asarray(Y, np.float64)
    return np.linalg.solve(X.T @ X + alpha * np.eye(X.shape[1]), X.T @ Y)


def _poly_features(n=400, degree=7):
    """Badly conditioned monomials of a smooth signal (like NG-RC features), float64."""
    t = np.linspace(0, 4, n)
    x = 1.5 + np.sin(t) + 0.3 * np.cos(3 * t)
    return np.stack([x ** k for k in range(degree + 1)], axis=1)


def test_ridge_equals_closed_form_float64():
    rng = np.random.default_rng(0)
    X, Y = rng.normal(size=(50, 6)), rng.normal(size=(50, 2))
    W = solvers.ridge_regression(X, Y, alpha=0.3)
    assert W.shape == (6, 2) and W.dtype == jnp.float32
    np.testing.assert_allclose(W, _closed_form(X, Y, 0.3), rtol=1e-5, atol=1e-7)
    # BrainPy-compatible class: targets first, leading axes flattened into samples
    W2 = solvers.RidgeRegression(alpha=0.3)(Y.reshape(5, 10, 2), X.reshape(5, 10, 6))
    np.testing.assert_allclose(W2, W, rtol=1e-6)


def test_ridge_float32_ill_conditioned_is_as_accurate_as_float64():
    X64 = _poly_features()
    X32 = X64.astype(np.float32)
    w_true = np.random.default_rng(1).normal(size=(X64.shape[1], 3))
    Y32 = (X32.astype(np.float64) @ w_true).astype(np.float32)
    alpha = 1e-9
    assert np.linalg.cond(X64.T @ X64) > 1e12
    ref = _closed_form(X32, Y32, alpha)            # float64 solve of the same float32 data
    W = np.asarray(solvers.ridge_regression(X32, Y32, alpha))
    assert W.dtype == np.float32
    pred_err = np.abs(X32.astype(np.float64) @ W - X32.astype(np.float64) @ ref).max() / np.abs(Y32).max()
    assert pred_err < 1e-5
    # a float32 solve of the same normal equations is far off: the float64 path matters
    naive = jnp.linalg.solve(jnp.asarray(X32.T @ X32) + alpha * jnp.eye(X32.shape[1]), jnp.asarray(X32.T @ Y32))
    naive_err = np.abs(X32.astype(np.float64) @ np.asarray(naive, np.float64) - Y32).max() / np.abs(Y32).max()
    assert naive_err > 100 * pred_err


def test_streaming_equals_one_shot():
    rng = np.random.default_rng(2)
    X, Y = rng.normal(size=(90, 5)).astype(np.float32), rng.normal(size=(90, 3)).astype(np.float32)
    state = None
    for lo in range(0, 90, 25):
        state = solvers.ridge_accumulate(state, X[lo:lo + 25], Y[lo:lo + 25])
    assert state.count == 90
    np.testing.assert_allclose(solvers.ridge_solve(state, 1e-3), solvers.ridge_regression(X, Y, 1e-3),
                               rtol=1e-6, atol=1e-7)
    with pytest.raises(ShapeError, match="5 features and 3 outputs"):
        solvers.ridge_accumulate(state, X[:, :4], Y[:, :3])
    with pytest.raises(TypeError, match="RidgeState"):
        solvers.ridge_solve((X.T @ X, X.T @ Y), 1e-3)


def test_ridge_zero_alpha_rank_deficient_gives_min_norm_solution():
    X = np.array([[1.0, 1.0], [2.0, 2.0], [3.0, 3.0]])
    Y = np.array([[2.0], [4.0], [6.0]])
    np.testing.assert_allclose(solvers.ridge_regression(X, Y, 0.0), [[1.0], [1.0]], rtol=1e-5)


def test_ridge_shape_and_alpha_errors():
    with pytest.raises(ShapeError, match="same leading"):
        solvers.ridge_regression(np.zeros((10, 3)), np.zeros((9, 1)), 1.0)
    with pytest.raises(ShapeError):
        solvers.ridge_regression(np.zeros(10), np.zeros(10), 1.0)
    with pytest.raises(ValueError, match="alpha >= 0"):
        solvers.ridge_regression(np.zeros((10, 3)), np.zeros((10, 1)), -1.0)
    with pytest.raises(ValueError, match="alpha >= 0"):
        solvers.RidgeRegression(alpha=-1.0)


def _numpy_rls(P, w, xs, ys):
    """Textbook one-row-at-a-time RLS in float64."""
    P, w = P.astype(np.float64).copy(), w.astype(np.float64).copy()
    for x, y in zip(xs, ys):
        x = x[:, None]
        k = P @ x
        c = 1.0 / (1.0 + (x.T @ k).item())
        e = (x.T @ w).ravel() - y
        P = P - c * k @ k.T
        w = w - c * k @ e[None, :]
    return P, w


def test_rls_matches_numpy_reference_and_block_update():
    rng = np.random.default_rng(3)
    n_in, n_out = 4, 2
    xs = rng.normal(size=(5, n_in)).astype(np.float32)
    ys = rng.normal(size=(5, n_out)).astype(np.float32)
    P0, w0 = solvers.rls_init(n_in, alpha=0.5), jnp.zeros((n_in, n_out))
    P, w = P0, w0
    step = jax.jit(solvers.rls_update)
    for x, y in zip(xs, ys):
        P, w, err = step(P, x, y, w)
        assert err.shape == (n_out,)
    P_ref, w_ref = _numpy_rls(np.asarray(P0), np.asarray(w0), xs, ys)
    np.testing.assert_allclose(P, P_ref, rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(w, w_ref, rtol=1e-4, atol=1e-5)
    # all rows as one batch = feeding them one by one
    Pb, wb, errb = solvers.rls_update(P0, xs, ys, w0)
    assert errb.shape == ys.shape
    np.testing.assert_allclose(Pb, P_ref, rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(wb, w_ref, rtol=1e-4, atol=1e-5)


def test_rls_converges_to_true_weights():
    rng = np.random.default_rng(4)
    w_true = rng.normal(size=(6, 2)).astype(np.float32)
    xs = rng.normal(size=(60, 6)).astype(np.float32)

    def body(carry, x):
        P, w = carry
        P, w, err = solvers.rls_update(P, x, x @ w_true, w)
        return (P, w), jnp.sum(err ** 2)

    (P, w), errs = jax.lax.scan(body, (solvers.rls_init(6, alpha=100.0), jnp.zeros((6, 2))), xs)
    np.testing.assert_allclose(w, w_true, atol=1e-3)
    assert float(errs[-1]) < 1e-6 * float(errs[0])


def test_lms_decreases_error():
    rng = np.random.default_rng(5)
    w_true = rng.normal(size=(3, 1)).astype(np.float32)
    w = jnp.zeros((3, 1))
    errs = []
    for x in rng.normal(size=(200, 3)).astype(np.float32):
        w, e = solvers.lms_update(w, x, x @ w_true, lr=0.05)
        errs.append(float(jnp.sum(e ** 2)))
    assert np.mean(errs[-20:]) < 1e-3 * np.mean(errs[:20])
    np.testing.assert_allclose(w, w_true, atol=1e-2)


def test_rls_and_lms_classes():
    rng = np.random.default_rng(6)
    x = rng.normal(size=(2, 3)).astype(np.float32)
    w = rng.normal(size=(3, 2)).astype(np.float32)
    y = rng.normal(size=(2, 2)).astype(np.float32)
    rls = solvers.RLS(alpha=0.2)
    rls.register_target(3, "w")
    P1, w1, _ = rls.update(rls.init(3), x, y, w)
    dw = rls(y, x, x @ w, "w")
    np.testing.assert_allclose(w + dw, w1, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(rls.P["w"].value, P1, rtol=1e-5, atol=1e-6)
    with pytest.raises(KeyError, match="register_target"):
        rls(y, x, x @ w, "other")
    lms = solvers.LMS(alpha=0.1)
    w2, _ = lms.update(w, x, y)
    np.testing.assert_allclose(w + lms(y, x, x @ w), w2, rtol=1e-5, atol=1e-6)
    with pytest.raises(ValueError, match="alpha > 0"):
        solvers.RLS(alpha=0.0)


def test_online_shape_errors():
    with pytest.raises(ShapeError, match="consistently"):
        solvers.rls_update(solvers.rls_init(3), jnp.zeros(4), jnp.zeros(2), jnp.zeros((3, 2)))
    with pytest.raises(ShapeError, match="consistently"):
        solvers.lms_update(jnp.zeros((3, 2)), jnp.zeros(3), jnp.zeros((2, 1)), 0.1)
    with pytest.raises(ShapeError, match=r"P of shape \(3, 3\)"):
        solvers.rls_update(solvers.rls_init(2), jnp.zeros(3), jnp.zeros(2), jnp.zeros((3, 2)))
