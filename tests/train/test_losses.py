import jax
import jax.numpy as jnp
import numpy as np
import pytest

from neurodyn.errors import DtypeError, ShapeError
from neurodyn.train import losses


def _log_softmax(x):
    x = np.asarray(x, np.float64)
    m = x.max(-1, keepdims=True)
    return x - m - np.log(np.exp(x - m).sum(-1, keepdims=True))


@pytest.fixture
def logits():
    return np.random.default_rng(0).normal(size=(5, 4)).astype(np.float32)


def test_cross_entropy_labels_and_onehot_agree_with_numpy(logits):
    labels = np.array([0, 3, 1, 1, 2])
    ref = -_log_softmax(logits)[np.arange(5), labels]
    np.testing.assert_allclose(losses.cross_entropy_loss(logits, labels, reduction="none"), ref, rtol=1e-5)
    np.testing.assert_allclose(losses.cross_entropy_loss(logits, labels), ref.mean(), rtol=1e-5)
    np.testing.assert_allclose(losses.cross_entropy_loss(logits, labels, reduction="sum"), ref.sum(),
                               rtol=1e-5)
    onehot = np.eye(4, dtype=np.float32)[labels]
    np.testing.assert_allclose(losses.cross_entropy_loss(logits, onehot), ref.mean(), rtol=1e-5)
    assert losses.softmax_cross_entropy is losses.cross_entropy_loss


def test_cross_entropy_soft_targets_and_leading_axes():
    rng = np.random.default_rng(1)
    x = rng.normal(size=(2, 3, 4)).astype(np.float32)
    p = rng.dirichlet(np.ones(4), size=(2, 3)).astype(np.float32)
    ref = -(p * _log_softmax(x)).sum(-1)
    np.testing.assert_allclose(losses.cross_entropy_loss(x, p, reduction="none"), ref, rtol=1e-5)


def test_cross_entropy_class_weights_follow_weighted_mean(logits):
    labels = np.array([0, 3, 1, 1, 2])
    w = np.array([1.0, 2.0, 0.5, 3.0], np.float32)
    per = -_log_softmax(logits)[np.arange(5), labels] * w[labels]
    np.testing.assert_allclose(losses.cross_entropy_loss(logits, labels, weight=w), per.sum() / w[labels].sum(),
                               rtol=1e-5)
    np.testing.assert_allclose(losses.cross_entropy_loss(logits, labels, weight=w, reduction="none"), per,
                               rtol=1e-5)
    onehot = np.eye(4, dtype=np.float32)[labels]
    np.testing.assert_allclose(losses.cross_entropy_loss(logits, onehot, weight=w), per.mean(), rtol=1e-5)
    with pytest.raises(ShapeError, match=r"weight of shape \(4,\)"):
        losses.cross_entropy_loss(logits, labels, weight=np.ones(3))


def test_cross_entropy_rejects_mismatched_targets(logits):
    with pytest.raises(ShapeError, match=r"integer labels of shape \(5,\).*got targets of shape \(5, 1\)"):
        losses.cross_entropy_loss(logits, np.zeros((5, 1), int))
    with pytest.raises(DtypeError, match="class labels"):
        losses.cross_entropy_loss(logits, np.zeros(5, np.complex64))
    with pytest.raises(ValueError, match="reduction in"):
        losses.cross_entropy_loss(logits, np.zeros(5, int), reduction="avg")


def test_cross_entropy_gradient_is_softmax_minus_onehot(logits):
    labels = jnp.array([0, 3, 1, 1, 2])
    g = jax.grad(lambda x: losses.cross_entropy_loss(x, labels, reduction="sum"))(jnp.asarray(logits))
    expected = np.exp(_log_softmax(logits)) - np.eye(4)[np.asarray(labels)]
    np.testing.assert_allclose(g, expected, atol=1e-5)


def test_regression_losses_against_formulas():
    p = np.array([[0.5, -2.0], [3.0, 0.0]], np.float32)
    t = np.array([[0.0, 0.0], [1.0, 0.5]], np.float32)
    e = p - t
    np.testing.assert_allclose(losses.mean_squared_error(p, t), (e ** 2).mean(), rtol=1e-6)
    np.testing.assert_allclose(losses.mse(p, t, axis=0), (e ** 2).mean(0), rtol=1e-6)
    np.testing.assert_allclose(losses.mean_absolute_error(p, t, reduction="sum"), np.abs(e).sum(), rtol=1e-6)
    assert losses.mae is losses.mean_absolute_error
    np.testing.assert_allclose(losses.l2_loss(p, t, reduction="none"), 0.5 * e ** 2, rtol=1e-6)
    a = np.abs(e)
    huber = np.where(a <= 1.0, 0.5 * e ** 2, a - 0.5)
    np.testing.assert_allclose(losses.huber_loss(p, t, reduction="none"), huber, rtol=1e-6)
    np.testing.assert_allclose(losses.huber_loss(p, t, delta=2.0), np.where(a <= 2, 0.5 * e ** 2, 2 * (a - 1)).mean(),
                               rtol=1e-6)
    np.testing.assert_allclose(losses.log_cosh_loss(p, t), np.log(np.cosh(e)).mean(), rtol=1e-5)
    np.testing.assert_allclose(losses.l2_norm(e), np.sqrt((e ** 2).sum()), rtol=1e-6)
    np.testing.assert_allclose(losses.l2_norm(e, axis=1), np.linalg.norm(e, axis=1), rtol=1e-6)
    np.testing.assert_allclose(losses.mean_squared_error(p, 1.0), ((p - 1) ** 2).mean(), rtol=1e-6)


def test_regression_losses_never_broadcast():
    with pytest.raises(ShapeError, match=r"same shape as predicts \(4, 1\).*got targets of shape \(4,\)"):
        losses.mean_squared_error(jnp.zeros((4, 1)), jnp.zeros(4))
    for fn in (losses.mae, losses.huber_loss, losses.l2_loss, losses.log_cosh_loss,
               losses.sigmoid_binary_cross_entropy):
        with pytest.raises(ShapeError):
            fn(jnp.zeros((3,)), jnp.zeros((3, 3)))
    with pytest.raises(ValueError, match="axis=None with reduction='none'"):
        losses.mse(jnp.zeros(3), jnp.zeros(3), axis=0, reduction="none")


def test_sigmoid_bce_and_binary_logistic():
    x = np.array([-2.0, 0.0, 3.0], np.float32)
    y = np.array([0, 1, 1])
    sig = 1 / (1 + np.exp(-x.astype(np.float64)))
    ref = -(y * np.log(sig) + (1 - y) * np.log(1 - sig))
    np.testing.assert_allclose(losses.sigmoid_binary_cross_entropy(x, y, reduction="none"), ref, rtol=1e-5)
    np.testing.assert_allclose(losses.binary_logistic_loss(x, y), ref.mean(), rtol=1e-5)
    with pytest.raises(ShapeError):
        losses.binary_logistic_loss(x, 1.0)  # no scalar targets for classification


def test_losses_work_under_jit(logits):
    f = jax.jit(lambda x, t: losses.cross_entropy_loss(x, t) + losses.mse(x, x))
    np.testing.assert_allclose(f(logits, jnp.zeros(5, int)), losses.cross_entropy_loss(logits, jnp.zeros(5, int)),
                               rtol=1e-6)


def test_spike_rate_loss():
    s = np.zeros((10, 3), np.float32)
    s[::2, 0] = 1  # rate 0.5 per step
    s[:, 1] = 1    # rate 1
    rate = np.array([0.5, 1.0, 0.0])
    np.testing.assert_allclose(losses.spike_rate_loss(s, 0.2), ((rate - 0.2) ** 2).mean(), rtol=1e-6)
    # in Hz with dt = 0.1 ms: rates 5000, 10000, 0
    np.testing.assert_allclose(losses.spike_rate_loss(s, 5000.0, dt=0.1, reduction="none"),
                               (rate * 1e4 - 5000) ** 2, rtol=1e-6)
    np.testing.assert_allclose(losses.spike_rate_loss(s.T, rate, time_axis=1), 0.0, atol=1e-7)
    with pytest.raises(ShapeError):
        losses.spike_rate_loss(s, np.zeros(4))
    with pytest.raises(ShapeError, match="time_axis"):
        losses.spike_rate_loss(s, 0.1, time_axis=2)


def test_spike_count_loss_matches_snntorch_formula():
    rng = np.random.default_rng(2)
    T, B, C = 6, 3, 4
    s = (rng.random((T, B, C)) < 0.4).astype(np.float32)
    labels = np.array([0, 2, 3])
    counts = s.sum(0)
    target = T * np.where(np.eye(C)[labels] > 0, 0.8, 0.1)
    ref = ((counts - target) ** 2).mean() / T
    np.testing.assert_allclose(losses.spike_count_loss(s, labels, 0.8, 0.1), ref, rtol=1e-5)
    np.testing.assert_allclose(losses.spike_count_loss(s, np.eye(C)[labels], 0.8, 0.1), ref, rtol=1e-5)
    np.testing.assert_allclose(losses.spike_count_loss(np.moveaxis(s, 0, 1), labels, 0.8, 0.1, time_axis=1),
                               ref, rtol=1e-5)
    with pytest.raises(ValueError, match=r"correct_rate in \[0, 1\]"):
        losses.spike_count_loss(s, labels, correct_rate=1.5)


def test_ce_rate_count_and_max_membrane():
    rng = np.random.default_rng(3)
    v = rng.normal(size=(5, 2, 3)).astype(np.float32)
    labels = np.array([1, 2])
    per_step = np.stack([-_log_softmax(v[t])[np.arange(2), labels] for t in range(5)])
    np.testing.assert_allclose(losses.ce_rate_loss(v, labels), per_step.mean(), rtol=1e-5)
    np.testing.assert_allclose(losses.ce_rate_loss(v, labels, reduction="none"), per_step.mean(0), rtol=1e-5)
    counts = v.sum(0)
    np.testing.assert_allclose(losses.ce_count_loss(v, labels),
                               (-_log_softmax(counts)[np.arange(2), labels]).mean(), rtol=1e-5)
    vmax = v.max(0)
    np.testing.assert_allclose(losses.ce_max_membrane(v, labels),
                               (-_log_softmax(vmax)[np.arange(2), labels]).mean(), rtol=1e-5)


def test_float_labels_are_class_indices_and_losses_take_pytrees(logits):
    labels = np.array([0, 3, 1, 2, 0])
    np.testing.assert_allclose(losses.cross_entropy_loss(logits, labels.astype(np.float32)),
                               losses.cross_entropy_loss(logits, labels), rtol=1e-6)
    p = {"a": np.ones((2, 3), np.float32), "b": np.zeros(4, np.float32)}
    t = {"a": np.zeros((2, 3), np.float32), "b": np.full(4, 2., np.float32)}
    assert float(losses.mean_squared_error(p, t)) == pytest.approx(1. + 4.)
    assert float(losses.mean_absolute_error(p, t)) == pytest.approx(1. + 2.)
    assert float(losses.l2_norm(p)) == pytest.approx(np.sqrt(6.))
    with pytest.raises(ShapeError, match="same structure"):
        losses.mean_squared_error(p, {"a": t["a"]})
