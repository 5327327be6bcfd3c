"""bm names BrainPy programs call: derivatives, clip_by_norm, cls_jit, Partial, default_rng,
NodeList/NodeDict, dt/float_ attributes and device settings."""
import os

import jax.numpy as jnp
import numpy as np
import pytest

import neurodyn as bp
import neurodyn.math as bm


def test_vector_grad_is_the_elementwise_derivative_and_takes_variables():
    x = bm.array([1., 2., 3.])
    np.testing.assert_allclose(bm.vector_grad(lambda x: bm.sin(x) * x)(x), np.cos(x) * x + np.sin(x), rtol=1e-6)
    g, value = bm.vector_grad(lambda x: x ** 3, return_value=True)(x)
    np.testing.assert_allclose(g, 3 * np.asarray(x) ** 2) and np.testing.assert_allclose(value, np.asarray(x) ** 3)
    w = bm.TrainVar(bm.array([2., 5.]))
    gw = bm.vector_grad(lambda: w.value ** 2, grad_vars={"w": w})()
    np.testing.assert_allclose(gw["w"], [4., 10.])
    g, aux = bm.vector_grad(lambda x: (x * 2., "aux"), has_aux=True)(x)
    assert aux == "aux"
    np.testing.assert_allclose(g, 2.)


def test_jacobians_and_hessian_against_closed_forms():
    f = lambda x: bm.array([x[0] * x[1], bm.sin(x[0])])
    x = bm.array([0.5, 2.])
    ref = np.array([[2., 0.5], [np.cos(0.5), 0.]])
    for jac in (bm.jacobian, bm.jacrev, bm.jacfwd):
        np.testing.assert_allclose(jac(f)(x), ref, rtol=1e-6)
    J, value = bm.jacrev(f, return_value=True)(x)
    np.testing.assert_allclose(value, [1., np.sin(0.5)], rtol=1e-6)
    H = bm.hessian(lambda x: x[0] ** 2 * x[1] + x[1] ** 3)(x)
    np.testing.assert_allclose(H, [[2 * 2., 2 * 0.5], [2 * 0.5, 6 * 2.]], rtol=1e-6)
    np.testing.assert_allclose(bm.jacobian(lambda a, b: a * b, argnums=1)(bm.ones(2), bm.array([3., 4.])),
                               np.eye(2))
    with pytest.raises(TypeError, match="argnums"):
        bm.jacobian(f, grad_vars={"w": bm.Variable(bm.ones(1))})


def test_clip_by_norm_per_leaf():
    out = bm.clip_by_norm({"a": bm.array([3., 4.]), "b": bm.array([0.3, 0.4])}, 1.)
    np.testing.assert_allclose(out["a"], [0.6, 0.8], rtol=1e-6)
    np.testing.assert_allclose(out["b"], [0.3, 0.4], rtol=1e-6)      # already inside the ball
    np.testing.assert_allclose(bm.clip_by_norm(bm.array([[3., 4.], [0., 0.5]]), 1., axis=1),
                               [[0.6, 0.8], [0., 0.5]], rtol=1e-6)


def test_cls_jit_compiles_a_method_per_instance_and_carries_its_variables():
    class Counter(bp.DynamicalSystem):
        def __init__(self, step):
            super().__init__()
            self.step, self.n = step, bm.Variable(bm.zeros(()))

        @bm.cls_jit
        def advance(self, k):
            self.n.value = self.n.value + self.step * k
            return self.n.value

    a, b = Counter(1.), Counter(10.)
    a.advance(2.), a.advance(3.), b.advance(1.)
    assert float(a.n.value) == 5. and float(b.n.value) == 10.
    assert bm.jit(lambda x: x + 1, dyn_vars=None, static_argnums=None)(1.) == 2.   # old BrainPy arguments


def test_partial_default_rng_nodelist_and_attributes():
    p = bm.Partial(lambda a, b: a - b, 5.)
    assert float(bm.jit(lambda f: f(2.))(p)) == 3.
    r1, r2 = bm.random.default_rng(3), bm.random.default_rng(3)
    np.testing.assert_array_equal(r1.normal(size=4), r2.normal(size=4))
    assert bm.random.default_rng(r1) is r1

    class Net(bp.DynamicalSystem):
        def __init__(self):
            super().__init__()
            self.layers = bm.NodeList([bp.layers.Dense(2, 3), bp.layers.Dense(3, 1)])
            self.named = bm.NodeDict(out=bp.layers.Dense(1, 1))

    with bm.training_environment():
        net = Net()
    assert {"layers.0.W", "layers.1.W", "named.out.W"} <= set(net.vars())
    assert bm.dt == bm.get_dt() == 0.1 and bm.float_ == jnp.float32 and bm.int_ == jnp.int32
    with bm.environment(dt=0.5):
        assert bm.dt == 0.5


def test_set_host_device_count_sets_the_xla_flag(monkeypatch):
    monkeypatch.setenv("XLA_FLAGS", "--xla_cpu_foo=1 --xla_force_host_platform_device_count=2")
    bm.set_host_device_count(4)
    assert os.environ["XLA_FLAGS"] == "--xla_cpu_foo=1 --xla_force_host_platform_device_count=4"


def test_variables_print_and_format_like_their_values():
    v = bm.Variable(bm.array([1., 2.]))
    assert str(v) == "[1. 2.]" and repr(v).startswith("Variable(value=Array(")
    assert f"{bm.Variable(bm.array(1.5)):.2f}" == "1.50"


def test_csrmv_equals_the_dense_product_both_ways():
    rng = np.random.default_rng(0)
    dense = np.where(rng.random((6, 4)) < 0.4, rng.normal(size=(6, 4)), 0.).astype(np.float32)
    rows, cols = np.nonzero(dense)
    indptr = np.concatenate([[0], np.cumsum(np.bincount(rows, minlength=6))])
    v_pre, v_post = rng.normal(size=6).astype(np.float32), rng.normal(size=4).astype(np.float32)
    data = dense[rows, cols]
    np.testing.assert_allclose(bm.sparse.csrmv(data, cols, indptr, v_pre, shape=(6, 4), transpose=True),
                               v_pre @ dense, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(bm.sparse.csrmv(data, cols, indptr, v_post, shape=(6, 4)), dense @ v_post,
                               rtol=1e-5, atol=1e-6)
    events = np.array([True, False, True, True, False, False])
    np.testing.assert_allclose(bm.event.csrmv(data, cols, indptr, events, shape=(6, 4), transpose=True),
                               events.astype(np.float32) @ dense, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(bm.event.csrmv(2., cols, indptr, events, shape=(6, 4), transpose=True),
                               events.astype(np.float32) @ (2. * (dense != 0)), rtol=1e-6)


def test_jitconn_products_are_those_of_one_materialised_matrix():
    shape, prob = (60, 40), 0.2
    layer = bp.dnn.JitFPNormalLinear(shape[0], shape[1], prob, 0.5, 1., seed=5)   # the same generator
    M = np.asarray(layer.get_conn_matrix())
    v_pre = np.random.default_rng(0).normal(size=shape[0]).astype(np.float32)
    v_post = np.random.default_rng(1).normal(size=shape[1]).astype(np.float32)
    np.testing.assert_allclose(bm.jitconn.mv_prob_normal(v_pre, 0.5, 1., prob, seed=5, shape=shape, transpose=True),
                               v_pre @ M, rtol=1e-4, atol=1e-4)
    np.testing.assert_allclose(bm.jitconn.mv_prob_normal(v_post, 0.5, 1., prob, seed=5, shape=shape), M @ v_post,
                               rtol=1e-4, atol=1e-4)
    events = v_pre > 0
    np.testing.assert_allclose(bm.jitconn.event_mv_prob_normal(events, 0.5, 1., prob, seed=5, shape=shape,
                                                               transpose=True), events @ M, rtol=1e-4, atol=1e-4)
    assert abs((M != 0).mean() - prob) < 0.05
