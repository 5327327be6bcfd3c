"""RLS in float32 on badly conditioned features (NG-RC on Lorenz-63) against a float64 NumPy
reference: the update must not lose the fit to round-off."""
import jax
import jax.numpy as jnp
import numpy as np
import pytest

import neurodyn as bp
import neurodyn.math as bm
from neurodyn.train import solvers


def _ngrc_features(n: int) -> tuple[np.ndarray, np.ndarray]:
    """[1, linear (2 delays x 3), quadratic monomials (21)] and the state 5 steps ahead."""
    d = bp.datasets.lorenz63((n + 10) * 0.01, dt=0.01)
    s = np.stack([d["x"], d["y"], d["z"]], -1)
    lin = np.concatenate([s[1:-5], s[:-6]], -1)                      # (t, t-1)
    iu = np.triu_indices(6)
    quad = (lin[:, :, None] * lin[:, None, :])[:, iu[0], iu[1]]
    feats = np.concatenate([np.ones((len(lin), 1)), lin, quad], -1)
    return feats[:n], s[6:][:n]


def _rls_numpy(X, Y, alpha=0.1):
    P, w = alpha * np.eye(X.shape[1]), np.zeros((X.shape[1], Y.shape[1]))
    for x, y in zip(X, Y):
        x = x[None]
        k = P @ x.T
        g = k / (1. + x @ k)
        w = w - g @ (x @ w - y[None])
        P = P - g @ (x @ P)
    return w


def test_rls_float32_on_ngrc_features_matches_a_float64_reference():
    X, Y = _ngrc_features(11000)
    assert np.abs(X).max() > 1e3                          # the magnitudes that broke it
    train, test = slice(0, 10000), slice(10000, 11000)   # the transposed form diverged here
    w64 = _rls_numpy(X[train], Y[train])
    ref_err = np.mean((X[test] @ w64 - Y[test]) ** 2)

    def step(carry, xy):
        P, w = carry
        P, w, _ = solvers.rls_update(P, xy[0], xy[1], w)
        return (P, w), None

    P0 = solvers.rls_init(X.shape[1], 0.1)
    assert P0.dtype == jnp.float32
    (_, w32), _ = jax.lax.scan(step, (P0, jnp.zeros((X.shape[1], 3), jnp.float32)),
                               (jnp.asarray(X[train], jnp.float32), jnp.asarray(Y[train], jnp.float32)))
    err = np.mean((X[test] @ np.asarray(w32, np.float64) - Y[test]) ** 2)
    assert ref_err < 1e-3
    assert err < 1.5 * ref_err, (err, ref_err)


def test_rls_state_follows_the_configured_precision():
    assert solvers.rls_init(3).dtype == jnp.float32
    with bm.environment(x64=True):
        assert solvers.rls_init(3).dtype == jnp.float64
        rls = bp.algorithms.RLS()
        rls.register_target(3)
        assert rls.P[""].dtype == jnp.float64
