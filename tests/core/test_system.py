import numpy as np
import pytest

import neurodyn as bp
import neurodyn.math as bm
from neurodyn.errors import ModeError


class Cell(bp.DynamicalSystem):
    supported_modes = (bm.BatchingMode,)
    repr_fields = ("n",)

    def __init__(self, n, name=None, mode=None):
        super().__init__(name=name, mode=mode)
        self.n = n
        self.h = bp.init.variable_(bm.zeros, n, self.mode)
        self.w = bm.TrainVar(bm.ones((n, n))) if self.mode.is_one_of(bm.TrainingMode) else bm.ones((n, n))

    def reset_state(self, batch_size=None):
        self.h.value = bm.zeros((batch_size, self.n))

    def update(self, x):
        self.h.value = bm.tanh(x + self.h @ self.w)
        return self.h.value


class Two(bp.DynamicalSystem):
    def __init__(self):
        super().__init__()
        self.a = Cell(2)
        self.layers = [Cell(2), {"inner": Cell(2)}]

    def update(self, x):
        return self.layers[1]["inner"](self.layers[0](self.a(x)))


def test_unsupported_mode_raises_naming_class_mode_and_supported():
    with pytest.raises(ModeError, match=r"Cell\(name=.*NonBatchingMode.*BatchingMode"):
        Cell(2)


def test_paths_names_and_repr():
    with bm.training_environment():
        m = Two()
    assert list(m.vars()) == ["a.h", "a.w", "layers.0.h", "layers.0.w", "layers.1.inner.h",
                              "layers.1.inner.w"]
    assert list(m.train_vars()) == ["a.w", "layers.0.w", "layers.1.inner.w"]
    assert set(m.nodes()) == {"", "a", "layers.0", "layers.1.inner"}
    assert repr(m.a).startswith("Cell(name=Cell") and "n=2, mode=TrainingMode(batch_size=1)" in repr(m.a)
    assert m.path_of(m.a.h) == "a.h"


def test_duplicate_given_name_raises_and_automatic_names_are_unique():
    keep = Cell(1, name="unique_cell", mode=bm.batching_mode)
    with pytest.raises(ValueError, match="unique_cell"):
        Cell(1, name="unique_cell", mode=bm.batching_mode)
    a, b = Cell(1, mode=bm.batching_mode), Cell(1, mode=bm.batching_mode)
    assert a.name != b.name and keep.name == "unique_cell"


def test_reset_resets_every_node_and_call_uses_update():
    with bm.batching_environment():
        m = Two()
    m.reset(4)
    assert all(v.shape == (4, 2) for k, v in m.vars().items() if k.endswith(".h"))
    out = bm.ones((4, 2)) >> m
    assert out.shape == (4, 2)
    assert not np.allclose(m.a.h.value, 0)
    m.reset(4)
    assert np.allclose(m.a.h.value, 0)


def test_shared_variables_are_listed_once_under_the_shortest_path():
    class Syn(bp.DynamicalSystem):
        def __init__(self, pre):
            super().__init__()
            self.pre = pre

    class Net(bp.Network):
        def __init__(self):
            super().__init__()
            self.syn = Syn(None)
            self.pop = Cell(3, mode=bm.batching_mode)
            self.syn.pre = self.pop

    assert list(Net().vars()) == ["pop.h"]


def test_legacy_tdi_update_receives_shared_values_and_modern_drops_them():
    seen = {}

    class Old(bp.DynamicalSystem):
        def update(self, tdi, x):
            seen["t"] = tdi.t
            seen["fit"] = tdi["fit"]
            return self.inner(tdi, x)

    class New(bp.DynamicalSystem):
        def update(self, x):
            return x * 2

    old = Old()
    old.inner = New()
    with bp.share.context(t=3.0, fit=True):
        assert float(old(bm.ones(1))[0]) == 2.0
    assert seen == {"t": 3.0, "fit": True}


def test_missing_update_is_a_clear_error():
    with pytest.raises(TypeError, match="update"):
        bp.DynamicalSystem()(1)


def test_assigning_an_array_to_a_variable_attribute_sets_its_value():
    class Plain(bp.DynamicalSystem):          # BrainPy-style code that writes ``self.h = ...``
        def __init__(self):
            super().__init__(mode=bm.BatchingMode(2))
            self.h = bm.Variable(bm.zeros((2, 3)), batch_axis=0)

        def update(self, x):
            self.h = self.h + x
            return self.h.value

    cell = Plain()
    h = cell.h
    np.testing.assert_array_equal(bm.jit(cell)(bm.ones((2, 3))), np.ones((2, 3)))
    assert cell.h is h and isinstance(cell.h, bm.Variable)     # the jitted write reached it
    np.testing.assert_array_equal(cell.h.value, np.ones((2, 3)))
    with pytest.raises(bp.errors.ShapeError, match=r"Plain\(name=.*\)\.h: Variable of shape \(2, 3\)"):
        cell.h = bm.zeros(3)
    cell.h = bm.Variable(bm.zeros(4))                          # a new Variable replaces it
    assert cell.h.shape == (4,)
