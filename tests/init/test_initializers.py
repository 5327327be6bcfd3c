import inspect

import numpy as np
import pytest
from scipy import stats

import neurodyn as bp
import neurodyn.math as bm
from neurodyn.errors import InitializerError, ShapeError


@pytest.mark.parametrize("init, std", [
    (bp.init.Normal(scale=0.5), 0.5),
    (bp.init.KaimingNormal(), np.sqrt(2 / 200)),
    (bp.init.KaimingNormal(scale=20.), np.sqrt(20 / 200)),
    (bp.init.XavierNormal(), np.sqrt(2 / 500)),
    (bp.init.LecunUniform(), np.sqrt(1 / 200)),
    (bp.init.KaimingUniform(), np.sqrt(2 / 200)),
])
def test_variance_scaling_stds(init, std):
    w = init((200, 300))
    assert w.shape == (200, 300) and w.dtype == bm.float32
    assert abs(float(w.std()) / std - 1) < 0.05


def test_constant_like_and_orthogonal_identity():
    np.testing.assert_array_equal(bp.init.ZeroInit()((2, 2)), 0)
    np.testing.assert_array_equal(bp.init.OneInit(3.)(2), [3., 3.])
    q = bp.init.Orthogonal()((4, 6))
    np.testing.assert_allclose(q @ q.T, np.eye(4), atol=1e-5)
    np.testing.assert_array_equal(bp.init.Identity(2.)((2, 2)), 2 * np.eye(2))


def test_parameter_the_four_ways_of_the_seed():
    assert bp.init.parameter(bm.random.normal(0, 0.01, size=(10, 50)), (10, 50)).shape == (10, 50)
    assert bp.init.parameter(lambda shape: bm.random.random(shape), (20, 30)).shape == (20, 30)
    assert bp.init.parameter(bp.init.Normal(scale=0.01), (20, 30)).shape == (20, 30)
    assert bp.init.parameter(None, (20,)) is None
    assert float(bp.init.parameter(2.5, (3,))) == 2.5


def test_parameter_errors_name_what_was_expected():
    with pytest.raises(ShapeError, match=r"shape \(3, 4\).*shape \(4, 3\)"):
        bp.init.parameter(np.ones((4, 3)), (3, 4), who="Dense(name=fc)")
    with pytest.raises(InitializerError, match="Initializer.*str"):
        bp.init.parameter("normal", (3,))
    with pytest.raises(InitializerError, match="None"):
        bp.init.parameter(None, (3,), allow_none=False)


def test_variable_helper_adds_batch_axis_in_batching_modes():
    v = bp.init.variable_(bm.zeros, 3, bm.TrainingMode(4))
    assert v.shape == (4, 3) and v.batch_axis == 0
    assert bp.init.variable_(bp.init.OneInit(), 3, bm.nonbatching_mode).batch_axis is None


# ---- BrainPy's positional orders, defaults and formulas -----------------------------------

N = 200_000


@pytest.mark.parametrize("name, params", [
    ("Normal", ["mean", "scale", "seed"]),
    ("Uniform", ["min_val", "max_val", "seed"]),
    ("TruncatedNormal", ["loc", "scale", "lower", "upper", "seed"]),
    ("Gamma", ["shape", "scale", "seed"]),
    ("Exponential", ["scale", "seed"]),
    ("VarianceScaling", ["scale", "mode", "distribution", "in_axis", "out_axis", "seed"]),
    ("KaimingNormal", ["scale", "mode", "distribution", "in_axis", "out_axis", "seed"]),
    ("XavierUniform", ["scale", "mode", "distribution", "in_axis", "out_axis", "seed"]),
    ("Orthogonal", ["scale", "axis", "seed"]),
    ("DeltaOrthogonal", ["scale", "axis", "seed"]),
    ("Constant", ["value"]), ("OneInit", ["value"]), ("Identity", ["value"]), ("ZeroInit", []),
])
def test_signatures_follow_brainpy(name, params):
    assert list(inspect.signature(getattr(bp.init, name)).parameters) == params


def test_normal_is_mean_then_scale():
    # BrainPy's Normal(mean=0., scale=1.): Normal(0.1) is mean 0.1, std 1 (not std 0.1)
    w = np.asarray(bp.init.Normal(0.1)((N,)))
    assert abs(w.mean() - 0.1) < 0.01 and abs(w.std() - 1.) < 0.01
    w = np.asarray(bp.init.Normal(-55., 2.)((N,)))
    assert abs(w.mean() + 55.) < 0.03 and abs(w.std() - 2.) < 0.02


def test_uniform_truncated_gamma_exponential_moments():
    w = np.asarray(bp.init.Uniform(-2., 3.)((N,)))
    assert w.min() >= -2. and w.max() < 3. and abs(w.mean() - 0.5) < 0.02
    # absolute bounds: N(1, 1) cut to [-2, 2]; moments from scipy's closed form
    w = np.asarray(bp.init.TruncatedNormal(1., 1.)((N,)))
    ref = stats.truncnorm(-3., 1., loc=1., scale=1.)
    assert w.min() >= -2. and w.max() <= 2.
    assert abs(w.mean() - ref.mean()) < 0.01 and abs(w.std() - ref.std()) < 0.01
    w = np.asarray(bp.init.TruncatedNormal(0., 3., lower=None, upper=1.)((N,)))
    ref = stats.truncnorm(-np.inf, 1 / 3, loc=0., scale=3.)
    assert w.max() <= 1. and abs(w.mean() - ref.mean()) < 0.03
    w = np.asarray(bp.init.Gamma(2., 3.)((N,)))
    assert abs(w.mean() - 6.) < 0.05 and abs(w.var() / 18. - 1) < 0.03
    assert abs(float(bp.init.Exponential(3.)((N,)).mean()) - 3.) < 0.05
    assert abs(float(bp.init.Exponential()((N,)).mean()) - 1.) < 0.02


@pytest.mark.parametrize("init, shape, bound", [
    (bp.init.XavierUniform(), (200, 300), np.sqrt(6 / 500)),
    (bp.init.KaimingUniform(), (200, 300), np.sqrt(6 / 200)),
    (bp.init.KaimingUniform(2., "fan_out"), (200, 300), np.sqrt(6 / 300)),
    (bp.init.LecunUniform(1., "fan_in", "uniform", 0, 1), (300, 200), np.sqrt(3 / 300)),
    (bp.init.KaimingUniform(), (3, 3, 20, 30), np.sqrt(6 / (9 * 20))),   # receptive field
])
def test_uniform_variance_scaling_bounds(init, shape, bound):
    w = np.asarray(init(shape))
    assert np.abs(w).max() <= bound and np.abs(w).max() > 0.98 * bound


def test_variance_scaling_on_vectors_uses_their_size():
    w = np.asarray(bp.init.KaimingNormal()((40_000,)))
    assert abs(w.std() / np.sqrt(2 / 40_000) - 1) < 0.03
    assert np.abs(w).max() <= 2 * np.sqrt(2 / 40_000) / 0.87962566103423978


def test_orthogonal_scale_axes_and_delta_orthogonal():
    q = np.asarray(bp.init.Orthogonal(2.)((3, 5)))
    np.testing.assert_allclose(q @ q.T, 4 * np.eye(3), atol=1e-5)
    q = np.asarray(bp.init.Orthogonal()((2, 3, 4))).reshape(6, 4)
    np.testing.assert_allclose(q.T @ q, np.eye(4), atol=1e-5)
    w = np.array(bp.init.DeltaOrthogonal()((3, 3, 4, 4)))
    np.testing.assert_allclose(w[1, 1] @ w[1, 1].T, np.eye(4), atol=1e-5)
    w[1, 1] = 0
    assert not w.any()
    with pytest.raises(ShapeError, match="in <= out"):
        bp.init.DeltaOrthogonal()((3, 5, 4))


def test_constant_defaults_and_identity_of_a_vector_shape():
    np.testing.assert_array_equal(bp.init.Constant()((2,)), [1., 1.])
    np.testing.assert_array_equal(bp.init.Identity()((3,)), np.eye(3))
    np.testing.assert_array_equal(bp.init.Identity(2.)((2, 3)), 2 * np.eye(2, 3))


def test_seed_makes_an_initializer_reproducible():
    a, b = bp.init.Normal(seed=3), bp.init.Normal(seed=3)
    first = np.asarray(a((5,)))
    np.testing.assert_array_equal(first, b((5,)))
    assert not np.array_equal(first, a((5,)))        # its own generator moves on
    np.testing.assert_array_equal(bp.init.KaimingNormal(seed=1)((4, 4)),
                                  bp.init.KaimingNormal(seed=1)((4, 4)))


def test_initializers_follow_the_configured_precision():
    with bm.environment(x64=True):
        assert bp.init.Normal()((3,)).dtype == np.float64
        assert bp.init.Constant(2.)((3,)).dtype == np.float64
    assert bp.init.Normal()((3,)).dtype == np.float32
