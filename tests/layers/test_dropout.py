"""Dropout: identity unless fitting; keep probability ``prob`` with 1/prob scaling; its own key."""
import numpy as np
import pytest

import neurodyn as bp
import neurodyn.math as bm
from neurodyn.layers import Dropout


def test_identity_when_not_fitting():
    x = bm.random.normal(size=(3, 5))
    np.testing.assert_array_equal(Dropout(0.2)(x), x)


def test_prob_is_the_keep_probability():
    d = Dropout(0.2, seed=1)
    x = bm.ones((200, 100))
    with bp.share.context(fit=True):
        y = d(x)
    kept = np.asarray(y) != 0
    assert abs(kept.mean() - 0.2) < 0.02          # keeps ~20%, not 80%
    np.testing.assert_allclose(np.asarray(y)[kept], 5.0)   # x / prob
    assert "KEEP" in Dropout.__doc__


def test_expected_value_is_preserved():
    d = Dropout(0.5, seed=2)
    with bp.share.context(fit=True):
        y = d(bm.full((100000,), 3.))
    assert abs(float(y.mean()) - 3.) < 0.05


def test_prob_one_never_drops():
    x = bm.random.normal(size=(4,))
    with bp.share.context(fit=True):
        np.testing.assert_array_equal(Dropout(1.0)(x), x)


@pytest.mark.parametrize("prob, err", [(0., ValueError), (1.5, ValueError), (-0.1, ValueError),
                                       ("0.5", TypeError)])
def test_prob_validated(prob, err):
    with pytest.raises(err, match=r"Dropout\(name=.*prob"):
        Dropout(prob)


def test_key_is_state_advancing_inside_compiled_code():
    d = Dropout(0.5, seed=3)
    assert isinstance(d.rng, bm.random.RandomState) and "rng" in d.vars()

    @bm.jit
    def step(x):
        with bp.share.context(fit=True):
            return d(x)

    x = bm.ones(64)
    a, b = step(x), step(x)
    assert not np.array_equal(a, b)
    with bp.share.context(fit=True):
        masks = bm.for_loop(d, bm.ones((4, 64)))
    assert len({tuple(np.asarray(m) != 0) for m in masks}) == 4


def test_same_seed_same_mask():
    with bp.share.context(fit=True):
        a = Dropout(0.5, seed=7)(bm.ones(32))
        b = Dropout(0.5, seed=7)(bm.ones(32))
    np.testing.assert_array_equal(a, b)
