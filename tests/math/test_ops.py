import jax
import jax.numpy as jnp
import numpy as np

import neurodyn.math as bm


def test_filled_and_creation_functions_outside_and_inside_a_trace():
    a, b = bm.filled((2, 3), 0.5), bm.filled((2, 3), 0.5)
    assert a is not b and a.dtype == jnp.float32
    np.testing.assert_array_equal(a, np.full((2, 3), 0.5, np.float32))
    assert np.signbit(bm.filled(2, -0.0)).all() and not np.signbit(bm.filled(2, 0.0)).any()
    assert bm.filled(2, True).dtype == jnp.bool_ and bm.filled(2, 1).dtype == jnp.int32
    assert bm.zeros((2,), jnp.int32).dtype == jnp.int32 and bm.ones(3).tolist() == [1., 1., 1.]
    assert np.isnan(bm.filled(2, float("nan"))).all()
    # inside a trace: plain jnp.full, no nested compiled call
    jaxpr = jax.make_jaxpr(lambda: bm.zeros((2,)) + bm.filled((2,), 3.))()
    assert "pjit" not in str(jaxpr) and "jit" not in {e.primitive.name for e in jaxpr.eqns}
    np.testing.assert_array_equal(jax.jit(lambda x: bm.zeros(x.shape) + x)(jnp.ones(2)), [1., 1.])


def test_creation_inside_a_trace_is_not_weakly_typed():
    # a weakly typed zeros written into a Variable inside a scan would change the next call's
    # input types and force a retrace
    out = jax.jit(lambda: (bm.zeros(2), bm.ones((2,)), bm.filled((2,), 0.5)))()
    assert all(o.dtype == jnp.float32 and not o.weak_type for o in out)
    assert not bm.zeros(2).weak_type
