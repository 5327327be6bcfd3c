"""Mistakes named where they happen: Variables created inside a transform, Variables that change
from trace to trace, gradients over no Variables, a child built in another mode; and Variables
used directly in jax.numpy functions (read, and recorded, like ``.value``)."""
import jax.numpy as jnp
import numpy as np
import pytest

import neurodyn as bp
import neurodyn.math as bm


def test_a_variable_created_inside_a_transform_names_its_owner_and_the_fix():
    class Acc(bp.DynamicalSystem):
        def update(self, x):
            if not hasattr(self, "acc"):
                self.acc = bm.Variable(jnp.zeros(3))
            self.acc.value = self.acc.value + x
            return self.acc.value

    acc = Acc()
    with pytest.raises(RuntimeError, match=r"Acc\(name=\w+\)\.acc = Variable\(shape=\(3,\).*__init__ or reset_state"):
        bm.for_loop(lambda x: acc.step_run(0, x), jnp.ones((4, 3)))

    def temporary(x):                    # a Variable that dies with the call is fine
        v = bm.Variable(jnp.zeros(3))
        v.value = v.value + x
        return v.value

    np.testing.assert_array_equal(bm.jit(temporary)(jnp.ones(3)), np.ones(3))


def test_variables_that_change_on_every_trace_are_named():
    pool = iter([bm.Variable(jnp.full(2, float(i))) for i in range(100)])
    with pytest.raises(RuntimeError, match=r"new Variables on each of 64 traces.*Variable\(shape=\(2,\)"):
        bm.jit(lambda: next(pool).value + 1.)()


def test_grad_over_no_variables_says_how_to_build_for_training():
    layer = bp.layers.Dense(2, 3)                         # NonBatchingMode: Parameters, no TrainVars
    with pytest.raises(ValueError, match=r"grad_vars holding at least one Variable.*bm.TrainingMode"):
        bm.grad(lambda: layer(jnp.ones(2)).sum(), grad_vars=layer.train_vars())
    g = bm.grad(lambda: layer(jnp.ones(2)).sum(), grad_vars=layer.params())()   # parameters still differentiate
    np.testing.assert_allclose(np.asarray(g["W"]), np.ones((2, 3)))


def test_a_child_built_in_another_mode_is_named_before_training():
    class Net(bp.DynamicalSystem):
        def __init__(self, mode):
            super().__init__(mode=mode)
            self.l1 = bp.layers.Dense(3, 4, mode=mode)
            self.l2 = bp.layers.Dense(4, 2)                # mode= forgotten

        def update(self, x):
            return self.l2(self.l1(x))

    with pytest.raises(ValueError, match=r"'l2' built in NonBatchingMode, so \['l2.W', 'l2.b'\] would stay untrained"):
        bp.BPTT(Net(bm.TrainingMode(2)), loss_fun=lambda p, y: ((p - y) ** 2).mean())


def test_variables_in_jax_numpy_functions_read_their_current_value():
    w = bm.TrainVar(jnp.array([[1., 2.], [3., 4.]]))
    x = jnp.array([1., 1.])
    np.testing.assert_array_equal(jnp.dot(x, w), [4., 6.])
    np.testing.assert_allclose(jnp.exp(bm.Parameter(jnp.zeros(2))), [1., 1.])
    f = bm.jit(lambda: jnp.sum(w))                         # the read is recorded: an input, not a constant
    assert float(f()) == 10.
    w.value = jnp.zeros((2, 2))
    assert float(f()) == 0.
