import math

import jax
import jax.numpy as jnp
import numpy as np
import optax
import pytest

import neurodyn as bp
import neurodyn.math as bm
from neurodyn.errors import ShapeError
from neurodyn.train import optim


# ----------------------------------------------------------------------------- schedulers

SCHEDULES = [
    (optim.Constant(0.3), lambda s: 0.3),
    (optim.ExponentialDecay(0.5, decay_steps=4, decay_rate=0.9), lambda s: 0.5 * 0.9 ** (s / 4)),
    (optim.ExponentialDecay(0.5, 4, 0.9, staircase=True), lambda s: 0.5 * 0.9 ** (s // 4)),
    (optim.InverseTimeDecay(0.5, decay_steps=3, decay_rate=0.2), lambda s: 0.5 / (1 + 0.2 * s / 3)),
    (optim.InverseTimeDecay(0.5, 3, 0.2, staircase=True), lambda s: 0.5 / (1 + 0.2 * (s // 3))),
    (optim.PolynomialDecay(0.5, decay_steps=10, final_lr=0.1, power=2.0),
     lambda s: (0.5 - 0.1) * (1 - min(s, 10) / 10) ** 2 + 0.1),
    (optim.StepLR(0.5, step_size=3, gamma=0.2), lambda s: 0.5 * 0.2 ** (s // 3)),
    (optim.MultiStepLR(0.5, milestones=[2, 7], gamma=0.1),
     lambda s: 0.5 * 0.1 ** sum(s >= m for m in (2, 7))),
    (optim.CosineAnnealingLR(0.5, T_max=8, eta_min=0.01),
     lambda s: 0.01 + (0.5 - 0.01) * (1 + math.cos(math.pi * s / 8)) / 2),
    (optim.PiecewiseConstant([3, 6], [0.5, 0.2, 0.05]),
     lambda s: [0.5, 0.2, 0.05][sum(s > b for b in (3, 6))]),
]


@pytest.mark.parametrize("sched,formula", SCHEDULES, ids=[type(s).__name__ for s, _ in SCHEDULES])
def test_scheduler_values_follow_formula(sched, formula):
    steps = [0, 1, 2, 3, 4, 6, 7, 9, 12, 20]
    got = [float(sched(s)) for s in steps]
    np.testing.assert_allclose(got, [formula(s) for s in steps], rtol=1e-5)
    # usable with traced steps, as an optax schedule is
    np.testing.assert_allclose(jax.jit(sched)(jnp.int32(7)), formula(7), rtol=1e-5)


def test_cosine_alias_and_bad_scheduler_args():
    assert optim.CosineAnnealing is optim.CosineAnnealingLR
    with pytest.raises(ValueError, match="milestones strictly increasing"):
        optim.MultiStepLR(0.1, milestones=[5, 2])
    with pytest.raises(ValueError, match=r"len\(values\) == len\(boundaries\) \+ 1"):
        optim.PiecewiseConstant([1, 2], [0.1, 0.2])
    with pytest.raises(ValueError, match="decay_steps >= 1"):
        optim.ExponentialDecay(0.1, 0, 0.5)
    with pytest.raises(TypeError, match="step_size to be an integer"):
        optim.StepLR(0.1, step_size=2.5)
    with pytest.raises(ValueError, match="lr > 0"):
        optim.Constant(-1.0)


# ----------------------------------------------------------------------------- optimizers

def _brainpy_adam(lr, b1, b2, eps, wd=None):
    """BrainPy 2.8.2's Adam.update written out in NumPy (float64): eps added to sqrt(v) before
    the bias correction, decoupled weight decay ``p = (1 - wd) p - update``."""
    def init(params):
        return {"t": 0, "m": {k: np.zeros(v.shape) for k, v in params.items()},
                "v": {k: np.zeros(v.shape) for k, v in params.items()}}

    def update(grads, state, params):
        t = state["t"] + 1
        step = lr / (1 - b1 ** t) * np.sqrt(1 - b2 ** t)
        m = {k: b1 * state["m"][k] + (1 - b1) * np.asarray(g, np.float64) for k, g in grads.items()}
        v = {k: b2 * state["v"][k] + (1 - b2) * np.asarray(g, np.float64) ** 2 for k, g in grads.items()}
        upd = {k: -step * m[k] / (np.sqrt(v[k]) + eps) - (wd or 0.) * np.asarray(params[k], np.float64)
               for k in grads}
        return {k: jnp.asarray(u, jnp.float32) for k, u in upd.items()}, {"t": t, "m": m, "v": v}

    return optax.GradientTransformation(init, update)


OPTIMIZERS = [
    (lambda lr: optim.SGD(lr), lambda lr: optax.sgd(lr)),
    (lambda lr: optim.Momentum(lr, momentum=0.8), lambda lr: optax.sgd(lr, momentum=0.8)),
    (lambda lr: optim.MomentumNesterov(lr), lambda lr: optax.sgd(lr, momentum=0.9, nesterov=True)),
    (lambda lr: optim.Adam(lr, beta1=0.8, beta2=0.99, eps=0.1), lambda lr: _brainpy_adam(lr, 0.8, 0.99, 0.1)),
    (lambda lr: optim.Adam(lr, weight_decay=0.1), lambda lr: _brainpy_adam(lr, 0.9, 0.999, 1e-8, 0.1)),
    (lambda lr: optim.AdamW(lr, weight_decay=0.05), lambda lr: optax.adamw(lr, weight_decay=0.05)),
    (lambda lr: optim.RMSProp(lr, rho=0.95, epsilon=1e-5), lambda lr: optax.rmsprop(lr, decay=0.95, eps=1e-5)),
    (lambda lr: optim.Adagrad(lr, epsilon=1e-5),
     lambda lr: optax.adagrad(lr, initial_accumulator_value=0.0, eps=1e-5)),
    (lambda lr: optim.LARS(lr), lambda lr: optax.lars(lr, weight_decay=5e-4, trust_coefficient=1e-3, eps=1e-5)),
    (lambda lr: optim.SGD(lr, grad_clip_norm=0.5),
     lambda lr: optax.chain(optax.clip_by_global_norm(0.5), optax.sgd(lr))),
]
IDS = ["sgd", "momentum", "nesterov", "adam", "adam_l2", "adamw", "rmsprop", "adagrad", "lars", "clip"]


def _params_and_grads(seed):
    rng = np.random.default_rng(seed)
    params = {"w": jnp.asarray(rng.normal(size=(3, 2)), jnp.float32),
              "b": jnp.asarray(rng.normal(size=(2,)), jnp.float32)}
    grads = [{k: jnp.asarray(rng.normal(size=v.shape), jnp.float32) for k, v in params.items()}
             for _ in range(3)]
    return params, grads


def _run_optax(tx, params, grads):
    state = tx.init(params)
    for g in grads:
        updates, state = tx.update(g, state, params)
        params = optax.apply_updates(params, updates)
    return params


@pytest.mark.parametrize("ours,ref", OPTIMIZERS, ids=IDS)
def test_tx_equals_optax_and_stateful_update_matches(ours, ref):
    params, grads = _params_and_grads(0)
    expected = _run_optax(ref(0.05), params, grads)
    np.testing.assert_allclose(_run_optax(ours(0.05).tx, params, grads)["w"], expected["w"], rtol=1e-5, atol=1e-6)
    # the stateful BrainPy form writes into the TrainVars and follows the same path
    tv = {k: bm.TrainVar(v) for k, v in params.items()}
    opt = ours(0.05)
    opt.register_train_vars(tv)
    assert {k: id(v) for k, v in opt.vars_to_train.items()} == {k: id(v) for k, v in tv.items()}   # BrainPy's name
    for g in grads:
        opt.update(g)
    for k in params:
        np.testing.assert_allclose(tv[k].value, expected[k], rtol=1e-5, atol=1e-6)
        assert tv[k].value.dtype == jnp.float32


def test_scheduler_as_lr_drives_the_optax_count():
    params, grads = _params_and_grads(1)
    sched = optim.ExponentialDecayLR(0.1, decay_steps=1, decay_rate=0.5, staircase=True)
    expected = _run_optax(optax.sgd(optax.exponential_decay(0.1, 1, 0.5, staircase=True)), params, grads)
    tv = {k: bm.TrainVar(v) for k, v in params.items()}
    opt = optim.SGD(lr=sched, train_vars=tv)
    for g in grads:
        opt.update(g)
    np.testing.assert_allclose(tv["w"].value, expected["w"], rtol=1e-6)


def test_update_under_bm_jit_carries_optimizer_state():
    params, grads = _params_and_grads(2)
    expected = _run_optax(optax.adam(0.01), params, grads)
    tv = {k: bm.TrainVar(v) for k, v in params.items()}
    opt = optim.Adam(lr=0.01, train_vars=tv)
    step = bm.jit(lambda g: opt.update(g))
    for g in grads:
        step(g)
    np.testing.assert_allclose(tv["w"].value, expected["w"], rtol=1e-5)
    assert int(opt.states[0].value) == 3  # adam's count lives in a Variable


def test_grad_then_update_trains_a_linear_model():
    w = bm.TrainVar(jnp.zeros((2, 1)))
    x = jnp.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])
    y = x @ jnp.array([[1.0], [-2.0]])
    opt = optim.Adam(lr=0.1, train_vars={"w": w})
    loss = lambda: jnp.mean((x @ w.value - y) ** 2)  # noqa: E731
    grad = bm.grad(loss, grad_vars={"w": w})

    @bm.jit
    def train_step():
        opt.update(grad())
        return loss()

    first = float(train_step())
    for _ in range(200):
        last = float(train_step())
    assert last < 1e-3 * first


def test_bad_updates_and_registrations():
    w = bm.TrainVar(jnp.zeros(3))
    opt = optim.SGD(0.1)
    with pytest.raises(ValueError, match="register_train_vars"):
        opt.update({"w": jnp.ones(3)})
    with pytest.raises(TypeError, match="dict name -> bm.Variable"):
        opt.register_train_vars([w])
    with pytest.raises(TypeError, match=r"train_vars\['w'\] to be a bm.Variable"):
        opt.register_train_vars({"w": jnp.zeros(3)})
    opt.register_train_vars({"w": w})
    with pytest.raises(ValueError, match="already registered"):
        opt.register_train_vars({"w": bm.TrainVar(jnp.zeros(3))})
    with pytest.raises(ValueError, match=r"missing \['w'\], unexpected \['v'\]"):
        opt.update({"v": jnp.ones(3)})
    with pytest.raises(ShapeError, match=r"grads\['w'\] of shape \(3,\)"):
        opt.update({"w": jnp.ones((3, 1))})
    with pytest.raises(ValueError, match="lr"):
        optim.Adam(lr=-1.0)
    with pytest.raises(TypeError, match="lr"):
        optim.Adam(lr="fast")
    with pytest.raises(ValueError, match="grad_clip_norm > 0"):
        optim.SGD(0.1, grad_clip_norm=0.0)


def test_register_more_vars_later():
    a, b = bm.TrainVar(jnp.ones(2)), bm.TrainVar(jnp.ones(3))
    opt = optim.Momentum(0.1, train_vars={"a": a})
    opt.register_train_vars({"b": b})
    opt.update({"a": jnp.ones(2), "b": jnp.ones(3)})
    np.testing.assert_allclose(a.value, 0.9)
    np.testing.assert_allclose(b.value, 0.9)


def test_make_optimizer():
    assert isinstance(optim.make_optimizer(None), optax.GradientTransformation)
    opt = optim.RMSProp(0.01)
    assert optim.make_optimizer(opt) is opt.tx
    tx = optax.sgd(0.1)
    assert optim.make_optimizer(tx) is tx
    params, grads = _params_and_grads(3)
    np.testing.assert_allclose(_run_optax(optim.make_optimizer(None), params, grads)["b"],
                               _run_optax(optax.adam(1e-3), params, grads)["b"], rtol=1e-6)
    with pytest.raises(TypeError, match=r"instantiate it, e.g. Adam\(lr=1e-3\)"):
        optim.make_optimizer(optim.Adam)
    with pytest.raises(TypeError, match="optax.GradientTransformation"):
        optim.make_optimizer("adam")


def _fit_with(lr, epochs=2, batches=3):
    with bm.training_environment():
        layer = bp.layers.Dense(1, 1, W_initializer=bp.init.ZeroInit(), b_initializer=None)
    opt = optim.SGD(lr=lr)
    trainer = bp.BPTT(layer, loss_fun=lambda out, y: out.mean(), optimizer=opt, progress_bar=False)
    X, Y = np.ones((batches * 2, 4, 1), np.float32), np.zeros((batches * 2, 4, 1), np.float32)
    trainer.fit((X, Y), num_epoch=epochs, batch_size=2)
    return float(layer.W.value[0, 0]), opt


def test_epoch_based_schedulers_count_epochs_in_bptt():
    # d loss / d W = mean(x) = 1: epoch 1 at lr 1 (3 updates), epoch 2 at lr 0.5 (BrainPy's StepLR)
    w, opt = _fit_with(optim.StepLR(1.0, step_size=1, gamma=0.5))
    assert w == pytest.approx(-3. - 1.5)
    assert int(opt.lr.last_epoch.value) == 1 and float(opt.lr()) == pytest.approx(0.25)
    w, _ = _fit_with(optim.MultiStepLR(1.0, milestones=[1], gamma=0.1))
    assert w == pytest.approx(-3. - 0.3)
    # a call-based scheduler counts updates
    w, _ = _fit_with(optim.ExponentialDecayLR(1.0, decay_steps=1, decay_rate=0.5))
    assert w == pytest.approx(-sum(0.5 ** k for k in range(6)))


def test_optimizer_lr_is_a_scheduler_with_brainpy_counters():
    opt = optim.Adam(lr=0.1)
    assert float(opt.lr()) == pytest.approx(0.1)
    opt.lr.lr = 0.01
    assert float(opt.lr()) == pytest.approx(0.01)
    a = bm.Variable(jnp.ones(3))
    sgd = optim.SGD(lr=0.5, train_vars={"a": a})
    assert set(sgd.vars()) >= {"lr.last_epoch", "lr.last_call"}
    sgd.update({"a": jnp.ones(3)})
    assert int(sgd.lr.last_call.value) == 0
    np.testing.assert_allclose(a.value, 0.5)
    sched = optim.ExponentialDecayLR(lr=0.1, decay_steps=2, decay_rate=0.99)
    np.testing.assert_allclose(sched(bm.arange(4)), 0.1 * 0.99 ** (np.arange(4) / 2), rtol=1e-6)
    np.testing.assert_allclose(optim.InverseTimeDecayLR(0.01, 10, 0.999)(bm.arange(3)),
                               0.01 / (1 + 0.999 * np.arange(3) / 10), rtol=1e-6)
    np.testing.assert_allclose(optim.PolynomialDecayLR(0.01, 10, 1e-4)(bm.arange(0, 20, 5)),
                               [0.01, 0.00505, 1e-4, 1e-4], rtol=1e-5)


def test_get_hist_metric_reports_every_num_report_batches():
    with bm.training_environment():
        layer = bp.layers.Dense(1, 1, W_initializer=bp.init.ZeroInit(), b_initializer=None)
    trainer = bp.BPTT(layer, loss_fun=lambda out, y: out.mean(), optimizer=optim.SGD(lr=1.),
                      progress_bar=False)
    X, Y = np.ones((8, 2, 1), np.float32), np.zeros((8, 2, 1), np.float32)
    reports = []
    trainer.fit((X, Y), num_epoch=2, batch_size=2, num_report=2,
                fun_after_report=lambda i, values, phase: reports.append((i, phase)))
    detailed = trainer.get_hist_metric(which="detailed")
    np.testing.assert_allclose(detailed, -np.arange(8.))          # W drops by 1 per update
    np.testing.assert_allclose(trainer.get_hist_metric(), [-0.5, -2.5, -4.5, -6.5])
    assert reports == [(2, "fit"), (4, "fit"), (6, "fit"), (8, "fit")]
    assert trainer.get_hist_metric(phase="test") is None
    trainer.fit((X, Y), test_data=(X, Y), num_epoch=1, batch_size=4)
    assert trainer.get_hist_metric(phase="test").shape == (1,)
