import numpy as np
import pytest

import neurodyn as bp
import neurodyn.math as bm
from neurodyn.errors import InitializerError, ShapeError


@pytest.mark.parametrize("init, std", [
    (bp.init.Normal(0.5), 0.5),
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
    with pytest.raises(ShapeError, match="2 axes"):
        bp.init.KaimingNormal()((5,))


def test_parameter_the_four_ways_of_the_seed():
    assert bp.init.parameter(bm.random.normal(0, 0.01, size=(10, 50)), (10, 50)).shape == (10, 50)
    assert bp.init.parameter(lambda shape: bm.random.random(shape), (20, 30)).shape == (20, 30)
    assert bp.init.parameter(bp.init.Normal(0.01), (20, 30)).shape == (20, 30)
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
