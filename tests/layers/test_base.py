"""The helpers layers share: mode-dependent parameters, bool and per-axis checks."""
import jax.numpy as jnp
import numpy as np
import pytest

import neurodyn.math as bm
from neurodyn.errors import InitializerError
from neurodyn.layers import Dense
from neurodyn.layers._base import as_array, check_bool, make_param, ntuple, trainable


def test_make_param_follows_the_owner_mode():
    owner = Dense(1, 1, mode=bm.TrainingMode())
    p = make_param(owner, np.ones(3, np.int32), (3,), "x_initializer")
    assert isinstance(p, bm.TrainVar) and p.dtype == jnp.float32
    assert make_param(owner, None, (3,), "x_initializer", allow_none=True) is None
    with pytest.raises(InitializerError, match=r"Dense\(name=\w+\) x_initializer"):
        make_param(owner, None, (3,), "x_initializer")
    plain = make_param(Dense(1, 1), np.ones(3, np.float32), (3,), "x")
    assert isinstance(plain, bm.Parameter) and not isinstance(plain, bm.TrainVar)
    assert trainable(bm.TrainingMode()) and not trainable(bm.BatchingMode())


def test_ntuple_and_check_bool():
    assert ntuple(3, 2, "k", "L") == (3, 3)
    assert ntuple((1, 2), 2, "k", "L") == (1, 2)
    with pytest.raises(ValueError, match="k with 2 entries"):
        ntuple((1, 2, 3), 2, "k", "L")
    with pytest.raises(TypeError, match="k to be an int or a sequence"):
        ntuple(1.5, 2, "k", "L")
    with pytest.raises(ValueError, match="k >= 1"):
        ntuple(0, 1, "k", "L")
    assert check_bool(True, "flag", "L") is True
    with pytest.raises(TypeError, match="L: expected flag to be True or False"):
        check_bool(1, "flag", "L")


def test_as_array_unwraps_variables():
    v = bm.Variable(bm.ones(2))
    assert isinstance(as_array(v), jnp.ndarray) and as_array([1., 2.]).shape == (2,)
