"""The native event kernel against its pure-JAX twin (``neurodyn/math/_events.py``)."""
import numpy as np
import pytest
import jax
import jax.numpy as jnp

from neurodyn.math import _events, _native


def _rows(rng, n_pre, post, p):
    """Padded rows of a random connectivity (row n_pre and the tails are the dummy target)."""
    conn = rng.random((n_pre, post)) < p
    width = max(1, conn.sum(1).max())
    rows = np.full((n_pre + 1, width), post, np.int32)
    for i in range(n_pre):
        t = np.nonzero(conn[i])[0]
        rows[i, :t.size] = rng.permutation(t)
    return jnp.asarray(rows), conn


@pytest.fixture(scope="module")
def native():
    if _native.target("neurodyn_event_csr") is None:
        pytest.skip(f"native kernels unavailable: {_native.reason()}")


@pytest.mark.parametrize("full", [True, False])
def test_kernel_equals_twin_and_dense_reference(native, full):
    rng = np.random.default_rng(0)
    rows, conn = _rows(rng, 60, 45, 0.2)
    w = jnp.asarray(rng.normal(size=rows.shape), jnp.float32) if full else None
    spikes = rng.random((3, 2, 60)) < 0.1
    spikes[0, 0] = True                                        # a burst: more events than capacity
    weights = jnp.ones((1, 1), jnp.float32) if w is None else w
    native_rows, jax_rows = (jax.jit(f, static_argnums=(3, 4)) for f in (_events._native_rows, _events._jax_rows))
    for s in (jnp.asarray(spikes), jnp.asarray(spikes * rng.normal(size=spikes.shape), jnp.float32)):
        got, twin = native_rows(s, rows, weights, 45, 4), jax_rows(s, rows, weights, 45, 4)
        # dense reference: W[i, t] summed over the slots of i that reach t
        W = np.zeros((61, 46))
        np.add.at(W, (np.repeat(np.arange(61), rows.shape[1]), np.asarray(rows).ravel()),
                  1. if w is None else np.asarray(w).ravel())
        ref = np.asarray(s, np.float64) @ W[:60, :45]
        assert got.shape == (3, 2, 45) and got.dtype == jnp.float32
        np.testing.assert_allclose(got, twin, rtol=1e-5, atol=1e-5)
        np.testing.assert_allclose(got, ref, rtol=1e-5, atol=1e-5)


def test_kernel_in_a_compiled_loop_with_gradients_and_vmap(native):
    rng = np.random.default_rng(1)
    rows, _ = _rows(rng, 30, 20, 0.3)
    w = jnp.asarray(rng.normal(size=rows.shape), jnp.float32)
    xs = jnp.asarray(rng.random((7, 30)) < 0.2, jnp.float32) * 1.5

    def run(path, w, xs):
        def step(c, s):
            out = path(s, rows, w, 20, 8)
            return c * 0.9 + out, out.sum()
        return jax.lax.scan(step, jnp.zeros(20), xs)[0].sum()

    native_loss, native_grads = jax.jit(jax.value_and_grad(lambda w, x: run(_events._native_rows, w, x), (0, 1)))(w, xs)
    twin_loss, twin_grads = jax.jit(jax.value_and_grad(lambda w, x: run(_events._jax_rows, w, x), (0, 1)))(w, xs)
    np.testing.assert_allclose(native_loss, twin_loss, rtol=1e-5)
    for a, b in zip(native_grads, twin_grads):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)
    batched = jax.jit(jax.vmap(lambda s: _events._native_rows(s, rows, w, 20, 8)))(xs)
    np.testing.assert_allclose(batched, jax.jit(_events._jax_rows, static_argnums=(3, 4))(xs, rows, w, 20, 8),
                               rtol=1e-5, atol=1e-6)


def test_event_rows_uses_the_kernel_only_for_float32(native):
    rows = jnp.asarray([[0, 2], [1, 3], [3, 3]], jnp.int32)
    jaxpr = str(jax.make_jaxpr(lambda s: _events.event_rows(s, rows, None, 3))(jnp.array([True, False])))
    assert "ffi_call" in jaxpr
    jaxpr = str(jax.make_jaxpr(lambda s: _events.event_rows(s, rows, None, 3, dtype=jnp.bfloat16))(
        jnp.array([True, False])))
    assert "ffi_call" not in jaxpr


def test_switched_off_by_the_environment(monkeypatch):
    monkeypatch.setenv("NEURODYN_NATIVE", "0")
    with pytest.raises(RuntimeError, match="NEURODYN_NATIVE=0"):
        _native._load()


@pytest.mark.parametrize("density", [0.05, 0.6])
def test_event_matmul_equals_the_matmul_with_its_gradients(native, density):
    rng = np.random.default_rng(2)
    K, N = 37, 70                                  # neither a multiple of the kernel's blocks
    w = jnp.asarray(rng.normal(size=(K, N)), jnp.float32)
    mask = rng.random((3, 4, K)) < density
    for s in (jnp.asarray(mask), jnp.asarray(mask * rng.normal(size=mask.shape), jnp.float32)):
        assert "ffi_call" in str(jax.make_jaxpr(_events.event_matmul)(s, w))
        np.testing.assert_allclose(jax.jit(_events.event_matmul)(s, w), np.asarray(s, np.float64) @ np.asarray(w, np.float64),
                                   rtol=1e-5, atol=1e-5)
    s = jnp.asarray(mask * rng.normal(size=mask.shape), jnp.float32)
    g = jnp.asarray(rng.normal(size=(3, 4, N)), jnp.float32)
    loss = lambda f: (lambda s, w: (f(s, w) * g).sum())            # noqa: E731
    got = jax.jit(jax.grad(loss(_events.event_matmul), (0, 1)))(s, w)
    want = jax.jit(jax.grad(loss(lambda s, w: s @ w), (0, 1)))(s, w)
    for a, b in zip(got, want):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-5)
    dw_bool = jax.jit(jax.grad(lambda w: (_events.event_matmul(jnp.asarray(mask), w) * g).sum()))(w)
    np.testing.assert_allclose(dw_bool, np.einsum("abk,abn->kn", mask, np.asarray(g)), rtol=1e-5, atol=1e-5)
    batched = jax.jit(jax.vmap(_events.event_matmul, in_axes=(0, None)))(s, w)
    np.testing.assert_allclose(batched, s @ w, rtol=1e-5, atol=1e-5)
