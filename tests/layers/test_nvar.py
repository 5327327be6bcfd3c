"""NVAR: features against hand computations, the feature count, batching, modes, errors."""
import itertools

import numpy as np
import pytest

import neurodyn.math as bm
from neurodyn.errors import ModeError, ShapeError
from neurodyn.layers import NVAR


def reference(xs, delay, orders, stride, constant):
    """Features of every step of xs (T, num_in), written from the definition with loops."""
    out = []
    for t in range(len(xs)):
        lags = [xs[t - k * stride] if t - k * stride >= 0 else np.zeros_like(xs[0]) for k in range(delay)]
        linear = np.concatenate(lags)
        feats = [1.] if constant else []
        feats += list(linear)
        for p in orders:
            for ids in itertools.combinations_with_replacement(range(len(linear)), p):
                feats.append(np.prod(linear[list(ids)]))
        out.append(feats)
    return np.array(out, np.float32)


def test_small_case_by_hand():
    nvar = NVAR(2, delay=2, order=2)
    y1 = nvar(bm.array([1., 2.]))
    # linear [x(t), x(t-1)] = [1, 2, 0, 0]; monomials of [a, b, c, d] in order
    # aa ab ac ad bb bc bd cc cd dd
    np.testing.assert_allclose(y1, [1, 2, 0, 0, 1, 2, 0, 0, 4, 0, 0, 0, 0, 0])
    y2 = nvar(bm.array([3., 4.]))
    a, b, c, d = 3., 4., 1., 2.
    np.testing.assert_allclose(y2, [a, b, c, d, a * a, a * b, a * c, a * d, b * b, b * c, b * d,
                                    c * c, c * d, d * d])


@pytest.mark.parametrize("num_in, delay, order, stride, constant", [
    (2, 2, 2, 1, False), (2, 2, 2, 2, False), (2, 2, (2, 3), 1, True), (1, 3, 3, 2, True),
    (3, 1, None, 1, True),
])
def test_features_match_the_definition(num_in, delay, order, stride, constant):
    xs = np.random.default_rng(0).normal(size=(7, num_in)).astype(np.float32)
    nvar = NVAR(num_in, delay, order=order, stride=stride, constant=constant)
    got = np.stack([nvar(x) for x in xs])
    orders = () if order is None else ((order,) if isinstance(order, int) else order)
    np.testing.assert_allclose(got, reference(xs, delay, orders, stride, constant), rtol=1e-5, atol=1e-6)
    assert got.shape[1] == nvar.num_out == len(nvar.get_feature_names())


@pytest.mark.parametrize("num_in, delay, order, stride, constant, num_out", [
    (3, 2, 2, 1, True, 1 + 6 + 21),
    (1, 1, None, 1, False, 1),
    (2, 3, 2, 5, False, 6 + 21),
    (2, 2, (2, 3), 1, False, 4 + 10 + 20),
    (3, 4, 2, 5, False, 12 + 78),          # the seed notebook's NGRC
    (1, 2, 3, 1, True, 1 + 2 + 4),
])
def test_num_out(num_in, delay, order, stride, constant, num_out):
    assert NVAR(num_in, delay, order, stride, constant).num_out == num_out


def test_feature_names():
    names = NVAR(1, 2, order=2, stride=3, constant=True).get_feature_names()
    assert names == ["1", "x0(t)", "x0(t-3)", "x0(t)^2", "x0(t) x0(t-3)", "x0(t-3)^2"]


def test_batching_rows_are_independent_sequences():
    xs = np.random.default_rng(1).normal(size=(6, 3, 2)).astype(np.float32)   # (T, batch, num_in)
    nvar = NVAR(2, delay=3, order=2, stride=2, mode=bm.BatchingMode(3))
    assert nvar.store.shape == (3, 5, 2) and nvar.store.batch_axis == 0
    got = bm.for_loop(nvar, xs)
    assert got.shape == (6, 3, nvar.num_out) and got.dtype == np.float32
    for row in range(3):
        np.testing.assert_allclose(got[:, row], reference(xs[:, row], 3, (2,), 2, False), rtol=1e-5, atol=1e-6)
    nvar.reset(batch_size=5)
    assert nvar.store.shape == (5, 5, 2) and not np.asarray(nvar.store.value).any()


def test_reset_empties_the_buffer_and_jit_matches():
    xs = np.random.default_rng(2).normal(size=(4, 2)).astype(np.float32)
    nvar = NVAR(2, 2, order=2)
    eager = np.stack([nvar(x) for x in xs])
    nvar.reset()
    step = bm.jit(nvar)
    np.testing.assert_allclose(np.stack([step(x) for x in xs]), eager, rtol=1e-6)


def test_training_mode_is_refused():
    with pytest.raises(ModeError, match=r"NVAR\(name=\w+\): expected NonBatchingMode or BatchingMode "
                                        r"\(NVAR has no trainable parameters\), got TrainingMode"):
        NVAR(1, 1, mode=bm.TrainingMode())
    with bm.training_environment():
        with pytest.raises(ModeError, match="readout"):
            NVAR(1, 1)


@pytest.mark.parametrize("kwargs, err, msg", [
    (dict(num_in=2, delay=0), ValueError, "delay >= 1"),
    (dict(num_in=2, delay=2, order=1), ValueError, "order >= 2"),
    (dict(num_in=2, delay=2, order="2"), TypeError, "order to be an int"),
    (dict(num_in=2, delay=2, stride=0), ValueError, "stride >= 1"),
    (dict(num_in=2, delay=2, constant=1), TypeError, "constant to be True or False"),
    (dict(num_in=0, delay=2), ValueError, "num_in >= 1"),
])
def test_bad_arguments(kwargs, err, msg):
    with pytest.raises(err, match=msg):
        NVAR(**kwargs)


def test_bad_inputs():
    with pytest.raises(ShapeError, match=r"NVAR\(name=\w+\): expected input of shape \(\.\.\., 2\)"):
        NVAR(2, 2)(bm.ones(3))
    with pytest.raises(ShapeError, match="reset"):
        NVAR(2, 2, mode=bm.BatchingMode(2))(bm.ones((3, 2)))
