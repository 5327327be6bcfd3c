import jax.numpy as jnp
import numpy as np
import pytest

import neurodyn.math as bm
from neurodyn.errors import DtypeError, ShapeError


def test_value_arithmetic_and_inplace_updates():
    v = bm.Variable(bm.ones((2, 3)))
    assert (v + 1).shape == (2, 3) and float((2 * v).sum()) == 12.0
    assert float((v @ bm.ones(3))[0]) == 3.0
    v += 1.
    v *= 2.
    np.testing.assert_allclose(v.value, 4 * np.ones((2, 3)))
    v[0, 1] = 0.
    assert float(v[0, 1]) == 0.0 and float(v.sum()) == 20.0
    assert v.ndim == 2 and v.size == 6 and len(v) == 2 and v.T.shape == (3, 2)
    assert np.asarray(v).shape == (2, 3)


def test_setting_a_different_shape_or_dtype_is_an_error():
    v = bm.Variable(bm.zeros((2, 3)))
    with pytest.raises(ShapeError, match=r"shape \(2, 3\).*shape \(3, 2\)"):
        v.value = bm.zeros((3, 2))
    with pytest.raises(DtypeError, match="float32.*int32"):
        v.value = jnp.zeros((2, 3), dtype=jnp.int32)


def test_batch_axis_may_change_length_but_nothing_else():
    v = bm.Variable(bm.zeros((1, 4)), batch_axis=0)
    v.value = bm.zeros((5, 4))
    assert v.shape == (5, 4) and v.batch_size == 5
    with pytest.raises(ShapeError, match="batch axis"):
        v.value = bm.zeros((5, 3))
    with pytest.raises(ShapeError, match="batch_axis"):
        bm.Variable(bm.zeros(3), batch_axis=2)


def test_repr_shows_the_value_and_trainvar_is_a_variable():
    t = bm.TrainVar(bm.ones(2))
    assert isinstance(t, bm.Variable)
    assert repr(t).startswith("TrainVar(value=Array([1., 1.]")


def test_ops_accept_variables():
    v = bm.Variable(bm.array([0., 1.]))
    np.testing.assert_allclose(bm.exp(v), np.exp([0., 1.]))
    np.testing.assert_allclose(bm.concatenate([v, v]), [0, 1, 0, 1])
    np.testing.assert_allclose(bm.where(v > 0, v, -1.), [-1, 1])
    assert bm.float32 is jnp.float32 and bm.pi == np.pi


def test_zeros_with_size_where_dtype_goes_names_the_fix():
    with pytest.raises(TypeError, match=r"bm.zeros\(\(1, 3\)\)"):
        bm.zeros(1, 3)


def test_var_containers():
    a, b = bm.Variable(bm.zeros(1)), bm.TrainVar(bm.ones(1))
    d = bm.VarDict(a=a, b=b, c=a)
    assert list(d.unique()) == ["a", "b"] and list(d.subset(bm.TrainVar)) == ["b"]
    d["a"] = bm.ones(1)                      # writes into the existing Variable
    assert float(a.value[0]) == 1.0
    with pytest.raises(TypeError, match="bm.Variable"):
        bm.VarList([np.ones(2)])


def test_a_size_makes_zeros_as_brainpy_reads_value_or_size():
    import neurodyn.math as bm
    assert bm.Variable(3).value.tolist() == [0., 0., 0.]
    assert bm.Variable((2, 1)).shape == (2, 1) and bm.Variable([2, 1]).shape == (2, 1)
    assert bm.TrainVar(2).value.dtype == bm.float32
    assert bm.Variable(3, dtype=bm.int32).value.dtype == bm.int32
    assert bm.Variable(2.5).value.tolist() == 2.5 and bm.Variable(True).value.tolist() is True


def test_brainpy_array_functions_give_a_user_mutable_arrays_that_are_not_state():
    """BrainPy 2.8 returns bm.Array from bm.zeros/linspace/exp/...: item assignment and .numpy()
    work; a model keeps one as a constant, not as state."""
    import jax
    import neurodyn as bp
    import neurodyn.math as bm
    a = bm.zeros(5)
    a[1:3] = 1.
    assert isinstance(a, bm.Array) and a.numpy().tolist() == [0., 1., 1., 0., 0.]
    assert bm.linspace(0., 1., 3).numpy().tolist() == [0., 0.5, 1.]
    assert isinstance(bm.as_jax(a), jax.Array) and not isinstance(bm.as_jax(a), bm.Array)

    class M(bp.DynamicalSystem):
        def __init__(self):
            super().__init__()
            self.scale = bm.ones(2) * 3.          # arithmetic gives JAX arrays, as in BrainPy
            self.gain = bm.full(2, 2.)            # a bm.Array kept as a constant
            self.v = bm.Variable(bm.zeros(2))

        def update(self, x):
            self.v.value = self.v + self.gain * x
            return self.v.value

    m = M()
    assert sorted(m.vars()) == ["v"]
    runner = bp.DSRunner(m, monitors=["v"], progress_bar=False)
    runner.run(inputs=bm.ones(3))
    assert runner.mon["v"][-1].tolist() == [6., 6.]

    @bm.jit
    def write_inside():
        m.gain[0] = m.v.value.sum()
    with pytest.raises(TypeError, match="bm.Variable"):
        write_inside()


def test_an_array_made_inside_a_models_update_is_filled_by_item_assignment():
    """BrainPy's models build local arrays in ``update`` (``g = bm.zeros(n); g[:k] = v``)."""
    import neurodyn as bp
    import neurodyn.math as bm

    class Chain(bp.DynamicalSystem):
        def __init__(self):
            super().__init__()
            self.g = bm.Variable(bm.zeros(4))

        def update(self, x):
            g = bm.zeros(4)
            g[:2] = x * 2.
            g[2:] = self.g[:2].sum()
            self.g.value = g
            return g

    runner = bp.DSRunner(Chain(), monitors=["g"], progress_bar=False)
    runner.run(inputs=bm.asarray([1., 2., 3.]))
    np.testing.assert_allclose(runner.mon["g"], [[2., 2., 0., 0.], [4., 4., 4., 4.], [6., 6., 8., 8.]])


def test_collector_holds_a_models_nodes_and_refuses_a_name_twice():
    import neurodyn as bp
    import neurodyn.math as bm

    class Net(bp.DynamicalSystem):
        def __init__(self):
            super().__init__()
            self.populations = bp.Collector()
            self.populations["E"] = bp.neurons.LIF(2)
            self.populations["I"] = bp.neurons.LIF(1)

        def update(self, x):
            return [p(x) for p in self.populations.values()]

    net = Net()
    assert {"populations.E.V", "populations.I.V"} <= set(net.vars())
    with pytest.raises(ValueError, match="one object per name"):
        net.populations["E"] = bp.neurons.LIF(1)
    c = bm.Collector(a=bm.Variable(bm.zeros(1)), b=1)
    assert list(c.subset(bm.Variable)) == ["a"] and list((c - {"a": None}).keys()) == ["b"]
