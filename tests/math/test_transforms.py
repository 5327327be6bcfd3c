import jax
import jax.numpy as jnp
import numpy as np
import pytest

import neurodyn.math as bm
from neurodyn.errors import ShapeError


def test_jit_writes_state_back_and_does_not_retrace():
    v = bm.Variable(bm.zeros(3))
    traces = []

    @bm.jit
    def f(x):
        traces.append(1)
        v.value = v.value + x
        return v.value.sum()

    assert float(f(bm.ones(3))) == 3.0
    n_first = len(traces)
    assert float(f(bm.ones(3))) == 6.0
    assert float(f(2 * bm.ones(3))) == 12.0
    assert len(traces) == n_first                       # same shapes: no new trace
    np.testing.assert_allclose(v.value, [4., 4., 4.])
    f(bm.ones(3)[None].repeat(1, 0)[0])                 # same shape again
    assert len(traces) == n_first


def test_jit_sees_new_values_of_read_only_state():
    w = bm.Variable(bm.ones(2))
    f = bm.jit(lambda x: (w * x).sum())
    assert float(f(bm.ones(2))) == 2.0
    w.value = 3 * bm.ones(2)                            # changed outside: must not be a baked constant
    assert float(f(bm.ones(2))) == 6.0


def test_jit_method_and_static_args():
    class Counter:
        def __init__(self):
            self.c = bm.Variable(bm.zeros(()))

        @bm.jit
        def add(self, x):
            self.c.value = self.c + x
            return self.c.value

    a, b = Counter(), Counter()
    a.add(1.), a.add(2.), b.add(5.)
    assert float(a.c.value) == 3.0 and float(b.c.value) == 5.0

    g = bm.jit(lambda x, n: x * n, static_argnums=1)
    assert float(g(2., 3)) == 6.0


def test_for_loop_carries_state_and_stacks_outputs():
    s = bm.Variable(bm.zeros(2))

    def body(x, y):
        s.value = 0.5 * s.value + x * y
        return s.value

    xs = jnp.arange(8.).reshape(4, 2)
    out = bm.for_loop(body, (xs, 2 * jnp.ones((4, 2))))
    expect, state = [], np.zeros(2)
    for x in np.asarray(xs):
        state = 0.5 * state + 2 * x
        expect.append(state)
    np.testing.assert_allclose(out, np.stack(expect), rtol=1e-6)
    np.testing.assert_allclose(s.value, expect[-1], rtol=1e-6)


def test_for_loop_inside_jit_and_random_state_advances():
    rng = bm.random.RandomState(0)
    acc = bm.Variable(bm.zeros(()))

    def body(x):
        acc.value = acc + x
        return rng.random()

    run = bm.jit(lambda xs: bm.for_loop(body, xs))
    a = run(bm.ones(5))
    b = run(bm.ones(5))
    assert float(acc.value) == 10.0
    assert len(set(np.asarray(a).tolist())) == 5        # different draws every step
    assert not np.allclose(a, b)                        # and across calls (key advanced)


def test_for_loop_rejects_operands_of_different_length():
    with pytest.raises(ShapeError, match="leading"):
        bm.for_loop(lambda a, b: a, (bm.ones(3), bm.ones(4)))


def _fd(f, x, eps=1e-3):
    x = np.asarray(x, dtype=np.float64)
    g = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        d = np.zeros_like(x); d[i] = eps
        g[i] = (f(x + d) - f(x - d)) / (2 * eps)
    return g


def test_grad_wrt_vars_matches_finite_differences_through_a_loop():
    w = bm.TrainVar(bm.array([[0.3, -0.2], [0.1, 0.4]]))
    h = bm.Variable(bm.zeros(2))
    xs = bm.random.normal(size=(6, 2))

    def loss():
        h.value = bm.zeros(2)

        def body(x):
            h.value = bm.tanh(x + h.value @ w)
            return h.value
        return (bm.for_loop(body, xs) ** 2).sum()

    grads, value = bm.grad(loss, grad_vars={"w": w}, return_value=True)()

    def numeric(wv):
        def body(hh, x):
            hh = np.tanh(x + hh @ wv)
            return hh, hh
        hh, total = np.zeros(2), 0.
        for x in np.asarray(xs, dtype=np.float64):
            hh, _ = body(hh, x)
            total += (hh ** 2).sum()
        return total

    np.testing.assert_allclose(grads["w"], _fd(numeric, w.value), rtol=2e-3, atol=1e-5)
    np.testing.assert_allclose(value, numeric(np.asarray(w.value, np.float64)), rtol=1e-5)


def test_grad_argnums_aux_and_value_and_grad():
    w = bm.TrainVar(bm.array([2.]))

    def f(x):
        return (w * x ** 2).sum(), x * 10

    (gw, gx), aux = bm.grad(f, grad_vars=w, argnums=0, has_aux=True)(bm.array([3.]))
    np.testing.assert_allclose(gw, [9.]); np.testing.assert_allclose(gx, [12.])
    np.testing.assert_allclose(aux, [30.])
    (value, aux), g = bm.value_and_grad(f, grad_vars=[w], has_aux=True)(bm.array([1.]))
    assert float(value) == 2.0 and isinstance(g, list)
    np.testing.assert_allclose(g[0], [1.])
    assert float(bm.grad(lambda x: (x ** 3).sum())(bm.array(2.))) == 12.0


def test_grad_writes_other_state_back_and_rejects_non_scalar():
    w = bm.TrainVar(bm.ones(2))
    count = bm.Variable(bm.zeros(()))

    def f():
        count.value = count + 1
        return (w * 2).sum()

    bm.grad(f, grad_vars={"w": w})()
    bm.grad(f, grad_vars={"w": w})()
    assert float(count.value) == 2.0
    with pytest.raises(ShapeError, match="scalar"):
        bm.grad(lambda: w * 2, grad_vars=w)()
    with pytest.raises(TypeError, match="grad_vars"):
        bm.grad(lambda: w.sum(), grad_vars={"w": np.ones(2)})()


def test_cond_and_while_loop_write_state():
    v = bm.Variable(bm.zeros(()))

    def up(x):
        v.value = v + x

    def down(x):
        v.value = v - x

    bm.cond(True, up, down, 2.)
    bm.cond(bm.array(False), up, down, 0.5)
    assert float(v.value) == 1.5

    n = bm.Variable(bm.zeros((), dtype=jnp.int32))

    def body(k):
        n.value = n + 1
        return k * 2
    out = bm.while_loop(body, lambda k: k < 100, 1)
    assert int(out) == 128 and int(n.value) == 7


def test_vmap_maps_batched_state_and_shares_parameters():
    w = bm.Variable(bm.array([1., 2.]))
    s = bm.Variable(bm.zeros((3, 2)), batch_axis=0)

    def step(x):
        s.value = s.value + x * w
        return s.value.sum()

    out = bm.vmap(step)(bm.arange(3.)[:, None] * bm.ones((3, 2)))
    np.testing.assert_allclose(out, [0., 3., 6.])
    np.testing.assert_allclose(s.value, [[0, 0], [1, 2], [2, 4]])
    with pytest.raises(ShapeError, match="batch_axis"):
        bm.vmap(lambda x: w.update(w + x))(bm.ones((3, 2)))


def test_nested_jit_grad_for_loop_compose():
    w = bm.TrainVar(bm.array(0.5))
    h = bm.Variable(bm.zeros(()))

    def loss(xs):
        h.value = bm.zeros(())

        def body(x):
            h.value = h * w + x
            return h.value
        return bm.for_loop(body, xs).sum()

    step = bm.jit(lambda xs: bm.grad(loss, grad_vars={"w": w}, return_value=True)(xs))
    g1, v1 = step(bm.ones(3))
    # h1=1, h2=w+1, h3=w^2+w+1 -> sum = w^2 + 2w + 3 -> d/dw = 2w + 2
    np.testing.assert_allclose(v1, 0.25 + 1 + 3); np.testing.assert_allclose(g1["w"], 3.0)
    assert isinstance(h.value, jax.Array) and not isinstance(h.value, jax.core.Tracer)
