"""lstm_step's hand-written JVP against JAX's derivatives of the formula and finite differences."""
import jax
import jax.numpy as jnp
import numpy as np
import pytest

from neurodyn.math._lstm import lstm_step


def formula(gx, h, c, wh):
    i, g, f, o = jnp.split(gx + h @ wh, 4, axis=-1)
    c = jax.nn.sigmoid(f + 1.) * c + jax.nn.sigmoid(i) * jnp.tanh(g)
    return jax.nn.sigmoid(o) * jnp.tanh(c), c


def args(batch: tuple, n: int = 3, seed: int = 0, dtype=np.float64):
    rng = np.random.default_rng(seed)
    return (rng.standard_normal(batch + (4 * n,)).astype(dtype), rng.standard_normal(batch + (n,)).astype(dtype),
            rng.standard_normal(batch + (n,)).astype(dtype), rng.standard_normal((n, 4 * n)).astype(dtype))


@pytest.mark.parametrize("batch", [(), (5,)])
def test_values_and_derivatives_equal_the_formula(batch):
    a = [jnp.asarray(x) for x in args(batch, dtype=np.float32)]
    for got, want in zip(lstm_step(*a), formula(*a)):
        np.testing.assert_allclose(got, want, rtol=1e-6, atol=1e-6)
    t = [jnp.asarray(x) for x in args(batch, seed=1, dtype=np.float32)]
    _, jvp_got = jax.jvp(lstm_step, a, t)
    _, jvp_want = jax.jvp(formula, a, t)
    for got, want in zip(jvp_got, jvp_want):
        np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-5)

    def loss(f):
        return lambda *a: jnp.sum(jnp.sin(f(*a)[0])) + jnp.sum(f(*a)[1] ** 2)
    for got, want in zip(jax.grad(loss(lstm_step), argnums=(0, 1, 2, 3))(*a),
                         jax.grad(loss(formula), argnums=(0, 1, 2, 3))(*a)):
        np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-5)


def test_derivatives_against_finite_differences():
    """Central differences along random directions (their error here is ~1e-5; a JVP wrong by 1% is
    off by ~5e-3), and the VJP as the JVP's transpose: <ct, J t> = <J^T ct, t>."""
    a = [jnp.asarray(x) for x in args((2,), seed=2, dtype=np.float32)]
    t = [jnp.asarray(x) for x in args((2,), seed=3, dtype=np.float32)]
    eps = 1e-3
    plus = lstm_step(*[x + eps * d for x, d in zip(a, t)])
    minus = lstm_step(*[x - eps * d for x, d in zip(a, t)])
    out, jvp = jax.jvp(lstm_step, a, t)
    for tangent, p, m in zip(jvp, plus, minus):
        np.testing.assert_allclose(tangent, (p - m) / (2 * eps), atol=1e-3)
    ct = [jnp.cos(o) for o in out]
    pulled = jax.vjp(lstm_step, *a)[1](tuple(ct))
    np.testing.assert_allclose(sum(jnp.vdot(u, v) for u, v in zip(ct, jvp)),
                               sum(jnp.vdot(u, v) for u, v in zip(pulled, t)), rtol=1e-5)


def test_gradient_through_a_time_loop_equals_the_formula():
    gx, h, c, wh = [jnp.asarray(x) for x in args((4,), dtype=np.float32)]
    xs = jnp.stack([gx * (k + 1) / 7 for k in range(6)])

    def run(f, wh):
        def body(carry, g):
            h, c = f(g, *carry, wh)
            return (h, c), h
        return jnp.sum(jax.lax.scan(body, (h, c), xs)[1] ** 2)
    np.testing.assert_allclose(jax.grad(lambda w: run(lstm_step, w))(wh), jax.grad(lambda w: run(formula, w))(wh),
                               rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("argnum", [0, 1, 2, 3])
def test_gradient_with_respect_to_one_input_only(argnum):
    """The others carry no tangent (symbolic zeros, their terms left out): still the formula's."""
    a = [jnp.asarray(x) for x in args((3,), seed=4, dtype=np.float32)]

    def loss(f):
        return lambda *a: jnp.sum(f(*a)[0] * f(*a)[1])
    np.testing.assert_allclose(jax.grad(loss(lstm_step), argnums=argnum)(*a),
                               jax.grad(loss(formula), argnums=argnum)(*a), rtol=1e-5, atol=1e-6)
    t = jnp.ones_like(a[argnum])
    got = jax.jvp(lambda v: lstm_step(*a[:argnum], v, *a[argnum + 1:]), (a[argnum],), (t,))[1]
    want = jax.jvp(lambda v: formula(*a[:argnum], v, *a[argnum + 1:]), (a[argnum],), (t,))[1]
    for g, w in zip(got, want):
        np.testing.assert_allclose(g, w, rtol=1e-5, atol=1e-6)
