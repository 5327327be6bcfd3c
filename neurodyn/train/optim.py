"""Optimizers and learning-rate schedulers (``bp.optim``), built on optax.

Each optimizer is an optax ``GradientTransformation`` (``opt.tx``, what the trainers use)
plus BrainPy's stateful form: ``opt = Adam(lr=1e-3, train_vars=model.train_vars())``, then
``opt.update(grads)`` with ``grads`` keyed like ``train_vars`` applies one step and writes the
new values into the Variables. The optax state lives in ``bm.Variable``s (``opt.states``), so
``bm.jit`` of a function that calls ``opt.update`` carries it along.

A scheduler is a callable ``step -> lr``, where ``step`` counts optimizer updates (from 0);
pass it as ``lr``. It is also a valid optax schedule.

    >>> import jax.numpy as jnp
    >>> import neurodyn.math as bm
    >>> from neurodyn.train import optim
    >>> w = bm.TrainVar(jnp.array([1.0, 2.0]))
    >>> opt = optim.SGD(lr=0.1, train_vars={'w': w})
    >>> opt.update({'w': jnp.array([1.0, -1.0])})
    >>> [round(v, 6) for v in w.value.tolist()]
    [0.9, 2.1]
    >>> float(optim.StepLR(1.0, step_size=10, gamma=0.5)(25))
    0.25
"""
from __future__ import annotations

import functools
from typing import Any, Callable, Mapping, Sequence

import jax
import jax.numpy as jnp
import optax

import neurodyn.math as bm
from neurodyn.check import is_integer, is_non_negative, is_positive
from neurodyn.errors import ShapeError, describe

__all__ = [
    "Scheduler", "Constant", "ExponentialDecay", "InverseTimeDecay", "PolynomialDecay", "StepLR",
    "MultiStepLR", "CosineAnnealingLR", "CosineAnnealing", "PiecewiseConstant",
    "Optimizer", "SGD", "Momentum", "MomentumNesterov", "Adam", "AdamW", "RMSProp", "Adagrad",
    "LARS", "make_optimizer",
]


# ----------------------------------------------------------------------------- schedulers

class Scheduler:
    """A learning-rate schedule: ``scheduler(step) -> lr`` (``step`` may be a traced integer)."""

    def __init__(self, fn: Callable[[Any], Any], lr: float):
        self._fn = fn
        self.lr = lr

    def __call__(self, step: Any = 0) -> jax.Array:
        return jnp.asarray(self._fn(step))

    def __repr__(self) -> str:
        return f"{type(self).__name__}(lr={self.lr})"


def _increasing_ints(seq: Any, name: str, who: str) -> tuple:
    items = tuple(is_integer(v, name, who, min_value=0) for v in seq)
    if any(b <= a for a, b in zip(items, items[1:])):
        raise ValueError(describe(who, f"{name} strictly increasing", repr(list(items))))
    return items


class Constant(Scheduler):
    """``lr`` at every step.

    >>> round(float(Constant(0.1)(100)), 6)
    0.1
    """

    def __init__(self, lr: float):
        super().__init__(optax.constant_schedule(is_positive(lr, "lr", "Constant")), lr)


class ExponentialDecay(Scheduler):
    """``lr * decay_rate ** (step / decay_steps)`` (the exponent floored when ``staircase``).

    >>> round(float(ExponentialDecay(1.0, decay_steps=2, decay_rate=0.5)(3)), 6)   # 0.5 ** 1.5
    0.353553
    """

    def __init__(self, lr: float, decay_steps: int, decay_rate: float, staircase: bool = False):
        who = "ExponentialDecay"
        is_positive(lr, "lr", who)
        self.decay_steps = is_integer(decay_steps, "decay_steps", who, min_value=1)
        self.decay_rate = is_positive(decay_rate, "decay_rate", who)
        super().__init__(optax.exponential_decay(lr, decay_steps, decay_rate, staircase=staircase), lr)


class InverseTimeDecay(Scheduler):
    """``lr / (1 + decay_rate * step / decay_steps)`` (the ratio floored when ``staircase``).

    >>> float(InverseTimeDecay(1.0, decay_steps=10, decay_rate=1.0)(10))
    0.5
    """

    def __init__(self, lr: float, decay_steps: int, decay_rate: float, staircase: bool = False):
        who = "InverseTimeDecay"
        is_positive(lr, "lr", who)
        is_integer(decay_steps, "decay_steps", who, min_value=1)
        is_non_negative(decay_rate, "decay_rate", who)

        def fn(step):
            p = jnp.asarray(step, bm.get_float()) / decay_steps
            return lr / (1.0 + decay_rate * (jnp.floor(p) if staircase else p))

        super().__init__(fn, lr)


class PolynomialDecay(Scheduler):
    """``(lr - final_lr) * (1 - min(step, decay_steps) / decay_steps) ** power + final_lr``.

    >>> round(float(PolynomialDecay(1.0, decay_steps=4, final_lr=0.2)(2)), 6)
    0.6
    """

    def __init__(self, lr: float, decay_steps: int, final_lr: float, power: float = 1.0):
        who = "PolynomialDecay"
        is_positive(lr, "lr", who)
        is_integer(decay_steps, "decay_steps", who, min_value=1)
        is_non_negative(final_lr, "final_lr", who)
        is_positive(power, "power", who)
        super().__init__(optax.polynomial_schedule(lr, final_lr, power, decay_steps), lr)


class StepLR(Scheduler):
    """``lr * gamma ** floor(step / step_size)``.

    >>> float(StepLR(1.0, step_size=3, gamma=0.5)(5))
    0.5
    """

    def __init__(self, lr: float, step_size: int, gamma: float = 0.1):
        who = "StepLR"
        is_positive(lr, "lr", who)
        is_integer(step_size, "step_size", who, min_value=1)
        is_positive(gamma, "gamma", who)
        super().__init__(optax.exponential_decay(lr, step_size, gamma, staircase=True), lr)


class MultiStepLR(Scheduler):
    """``lr * gamma ** (number of milestones <= step)``.

    >>> [float(MultiStepLR(1.0, milestones=[2, 4], gamma=0.5)(s)) for s in (1, 2, 4)]
    [1.0, 0.5, 0.25]
    """

    def __init__(self, lr: float, milestones: Sequence[int], gamma: float = 0.1):
        who = "MultiStepLR"
        is_positive(lr, "lr", who)
        is_positive(gamma, "gamma", who)
        self.milestones = _increasing_ints(milestones, "milestones", who)
        super().__init__(optax.piecewise_constant_schedule(lr, {m: gamma for m in self.milestones}), lr)


class CosineAnnealingLR(Scheduler):
    """``eta_min + (lr - eta_min) * (1 + cos(pi * step / T_max)) / 2`` (periodic, as in BrainPy).

    >>> [round(float(CosineAnnealingLR(1.0, T_max=4)(s)), 6) for s in (0, 2, 4)]
    [1.0, 0.5, 0.0]
    """

    def __init__(self, lr: float, T_max: int, eta_min: float = 0.0):
        who = "CosineAnnealingLR"
        is_positive(lr, "lr", who)
        is_integer(T_max, "T_max", who, min_value=1)
        is_non_negative(eta_min, "eta_min", who)

        def fn(step):
            phase = jnp.pi * jnp.asarray(step, bm.get_float()) / T_max
            return eta_min + (lr - eta_min) * (1.0 + jnp.cos(phase)) / 2.0

        super().__init__(fn, lr)


CosineAnnealing = CosineAnnealingLR


class PiecewiseConstant(Scheduler):
    """``values[i]`` where ``i`` is the number of ``boundaries`` strictly below ``step``.

    >>> [round(float(PiecewiseConstant([2, 5], [1.0, 0.5, 0.1])(s)), 6) for s in (2, 3, 6)]
    [1.0, 0.5, 0.1]
    """

    def __init__(self, boundaries: Sequence[int], values: Sequence[float]):
        who = "PiecewiseConstant"
        self.boundaries = _increasing_ints(boundaries, "boundaries", who)
        self.values = tuple(is_non_negative(v, "values", who) for v in values)
        if len(self.values) != len(self.boundaries) + 1:
            raise ValueError(describe(who, "len(values) == len(boundaries) + 1 = "
                                      f"{len(self.boundaries) + 1}",
                                      f"{len(self.values)} values"))
        b, v = jnp.asarray(self.boundaries, jnp.int32), jnp.asarray(self.values, bm.get_float())
        super().__init__(lambda step: v[jnp.sum(jnp.asarray(step) > b)], self.values[0])


# ----------------------------------------------------------------------------- optimizers

def _check_lr(lr: Any, who: str) -> Any:
    if callable(lr):
        return lr
    return is_positive(lr, "lr (a positive float or a scheduler)", who)


class Optimizer:
    """Base class: an optax transformation (``tx``) plus BrainPy-style stateful updates.

    Args:
        lr: a positive float or a scheduler (any callable ``step -> lr``).
        train_vars: optional dict ``name -> bm.Variable`` to optimise (e.g. ``model.train_vars()``).
        weight_decay: optional L2 coefficient added to the gradient (``g + wd * p``) before the
            update rule (``AdamW`` and ``LARS`` instead use their decoupled decay).
        grad_clip_norm: optional maximum global gradient norm (clipped first).
    """

    def __init__(self, lr: Any, train_vars: Mapping[str, Any] | None = None,
                 weight_decay: float | None = None, grad_clip_norm: float | None = None,
                 name: str | None = None):
        who = type(self).__name__
        self.lr = _check_lr(lr, who)
        self.weight_decay = (None if weight_decay is None
                             else is_non_negative(weight_decay, "weight_decay", who))
        self.grad_clip_norm = (None if grad_clip_norm is None
                               else is_positive(grad_clip_norm, "grad_clip_norm", who))
        self.name = name
        self.train_vars: dict[str, bm.Variable] = {}
        self.states: list[bm.Variable] = []
        self._treedef = None
        if train_vars is not None:
            self.register_train_vars(train_vars)

    coupled_decay = True   # weight_decay is L2 added to the gradient; False: the rule decays itself

    def _rule(self) -> optax.GradientTransformation:
        raise NotImplementedError(f"{type(self).__name__} must define its optax update rule")

    @functools.cached_property
    def tx(self) -> optax.GradientTransformation:
        """The optax transformation: clip (optional), L2 weight decay (optional), the rule."""
        parts = []
        if self.grad_clip_norm is not None:
            parts.append(optax.clip_by_global_norm(self.grad_clip_norm))
        if self.weight_decay is not None and self.coupled_decay:
            parts.append(optax.add_decayed_weights(self.weight_decay))
        parts.append(self._rule())
        return parts[0] if len(parts) == 1 else optax.chain(*parts)

    def register_train_vars(self, train_vars: Mapping[str, Any]) -> None:
        """Add Variables to optimise; the optimizer state is (re)initialised for all of them."""
        who = type(self).__name__
        if not isinstance(train_vars, Mapping):
            raise TypeError(describe(who, "train_vars as a dict name -> bm.Variable",
                                     type(train_vars).__name__, "pass model.train_vars()"))
        for key, var in train_vars.items():
            if not isinstance(var, bm.Variable):
                raise TypeError(describe(who, f"train_vars[{key!r}] to be a bm.Variable/TrainVar",
                                         type(var).__name__, "wrap the array: bm.TrainVar(x)"))
            if key in self.train_vars and self.train_vars[key] is not var:
                raise ValueError(describe(who, f"a new name, {key!r} is already registered",
                                          f"a second Variable named {key!r}"))
        self.train_vars.update(train_vars)
        state = self.tx.init({k: v.value for k, v in self.train_vars.items()})
        leaves, self._treedef = jax.tree_util.tree_flatten(state)
        self.states = [bm.Variable(leaf) for leaf in leaves]

    def update(self, grads: Mapping[str, Any]) -> None:
        """Apply one optimizer step to the registered Variables; ``grads`` is keyed like them."""
        who = type(self).__name__
        if not self.train_vars:
            raise ValueError(describe(who, "registered train_vars before update()", "none",
                                      "pass train_vars= or call register_train_vars(...)"))
        if not isinstance(grads, Mapping):
            raise TypeError(describe(who, "grads as a dict keyed like train_vars", type(grads).__name__))
        grads = {k: bm.unwrap(g) for k, g in grads.items()}
        if set(grads) != set(self.train_vars):
            missing = sorted(set(self.train_vars) - set(grads))
            extra = sorted(set(grads) - set(self.train_vars))
            raise ValueError(describe(who, "grads for exactly the registered train_vars",
                                      f"missing {missing}, unexpected {extra}"))
        params = {k: v.value for k, v in self.train_vars.items()}
        for k, g in grads.items():
            if jnp.shape(g) != params[k].shape:
                raise ShapeError(describe(who, f"grads[{k!r}] of shape {params[k].shape}",
                                          f"shape {jnp.shape(g)}"))
        state = jax.tree_util.tree_unflatten(self._treedef, [s.value for s in self.states])
        updates, new_state = self.tx.update(grads, state, params)
        new_params = optax.apply_updates(params, updates)
        for k, var in self.train_vars.items():
            var.value = new_params[k]
        for var, leaf in zip(self.states, jax.tree_util.tree_leaves(new_state)):
            var.value = leaf

    def __repr__(self) -> str:
        return f"{type(self).__name__}(lr={self.lr!r})"


class SGD(Optimizer):
    """Plain gradient descent: ``p <- p - lr * g`` (optax ``sgd``)."""

    def __init__(self, lr: Any, train_vars: Mapping | None = None, weight_decay: float | None = None,
                 grad_clip_norm: float | None = None, name: str | None = None):
        super().__init__(lr, train_vars, weight_decay, grad_clip_norm, name)

    def _rule(self):
        return optax.sgd(self.lr)


class Momentum(Optimizer):
    """Heavy-ball momentum: ``v <- g + momentum * v``, ``p <- p - lr * v`` (optax ``sgd``)."""

    nesterov = False

    def __init__(self, lr: Any, train_vars: Mapping | None = None, momentum: float = 0.9,
                 weight_decay: float | None = None, grad_clip_norm: float | None = None,
                 name: str | None = None):
        self.momentum = is_non_negative(momentum, "momentum", type(self).__name__)
        super().__init__(lr, train_vars, weight_decay, grad_clip_norm, name)

    def _rule(self):
        return optax.sgd(self.lr, momentum=self.momentum, nesterov=self.nesterov)


class MomentumNesterov(Momentum):
    """Nesterov momentum (optax ``sgd(..., nesterov=True)``)."""

    nesterov = True


class Adam(Optimizer):
    """Adam (Kingma & Ba 2015), optax ``adam``; ``weight_decay`` is L2 added to the gradient."""

    def __init__(self, lr: Any = 1e-3, train_vars: Mapping | None = None, beta1: float = 0.9,
                 beta2: float = 0.999, eps: float = 1e-8, weight_decay: float | None = None,
                 grad_clip_norm: float | None = None, name: str | None = None):
        who = type(self).__name__
        self.beta1 = is_non_negative(beta1, "beta1", who)
        self.beta2 = is_non_negative(beta2, "beta2", who)
        self.eps = is_non_negative(eps, "eps", who)
        super().__init__(lr, train_vars, weight_decay, grad_clip_norm, name)

    def _rule(self):
        return optax.adam(self.lr, b1=self.beta1, b2=self.beta2, eps=self.eps)


class AdamW(Adam):
    """Adam with decoupled weight decay (Loshchilov & Hutter 2019), optax ``adamw``."""

    coupled_decay = False

    def __init__(self, lr: Any = 1e-3, train_vars: Mapping | None = None, beta1: float = 0.9,
                 beta2: float = 0.999, eps: float = 1e-8, weight_decay: float = 1e-2,
                 grad_clip_norm: float | None = None, name: str | None = None):
        is_non_negative(weight_decay, "weight_decay", "AdamW")
        super().__init__(lr, train_vars, beta1, beta2, eps, weight_decay, grad_clip_norm, name)

    def _rule(self):
        return optax.adamw(self.lr, b1=self.beta1, b2=self.beta2, eps=self.eps,
                           weight_decay=self.weight_decay)


class RMSProp(Optimizer):
    """RMSProp (optax ``rmsprop``): ``c <- rho c + (1 - rho) g**2``, ``p <- p - lr g / sqrt(c + epsilon)``."""

    def __init__(self, lr: Any = 1e-3, train_vars: Mapping | None = None, rho: float = 0.9,
                 epsilon: float = 1e-6, weight_decay: float | None = None,
                 grad_clip_norm: float | None = None, name: str | None = None):
        self.rho = is_non_negative(rho, "rho", "RMSProp")
        self.epsilon = is_non_negative(epsilon, "epsilon", "RMSProp")
        super().__init__(lr, train_vars, weight_decay, grad_clip_norm, name)

    def _rule(self):
        return optax.rmsprop(self.lr, decay=self.rho, eps=self.epsilon)


class Adagrad(Optimizer):
    """Adagrad (optax ``adagrad``): ``c <- c + g**2`` from ``c = 0``, ``p <- p - lr g / sqrt(c + epsilon)``."""

    def __init__(self, lr: Any = 1e-3, train_vars: Mapping | None = None, epsilon: float = 1e-6,
                 weight_decay: float | None = None, grad_clip_norm: float | None = None,
                 name: str | None = None):
        self.epsilon = is_non_negative(epsilon, "epsilon", "Adagrad")
        super().__init__(lr, train_vars, weight_decay, grad_clip_norm, name)

    def _rule(self):
        return optax.adagrad(self.lr, initial_accumulator_value=0.0, eps=self.epsilon)


class LARS(Optimizer):
    """Layer-wise adaptive rate scaling (You et al. 2017), optax ``lars``; ``tc``: trust coefficient."""

    coupled_decay = False

    def __init__(self, lr: Any, train_vars: Mapping | None = None, momentum: float = 0.9,
                 weight_decay: float = 5e-4, tc: float = 1e-3, eps: float = 1e-5,
                 grad_clip_norm: float | None = None, name: str | None = None):
        who = "LARS"
        self.momentum = is_non_negative(momentum, "momentum", who)
        self.tc = is_positive(tc, "tc", who)
        self.eps = is_non_negative(eps, "eps", who)
        super().__init__(lr, train_vars, is_non_negative(weight_decay, "weight_decay", who),
                         grad_clip_norm, name)

    def _rule(self):
        return optax.lars(self.lr, weight_decay=self.weight_decay, trust_coefficient=self.tc,
                          eps=self.eps, momentum=self.momentum)


def make_optimizer(spec: Any) -> optax.GradientTransformation:
    """The optax transformation for ``spec``: an :class:`Optimizer`, an optax one, or ``None`` (Adam(1e-3)).

    >>> import optax
    >>> isinstance(make_optimizer(SGD(0.1)), optax.GradientTransformation)
    True
    """
    if spec is None:
        return Adam(1e-3).tx
    if isinstance(spec, Optimizer):
        return spec.tx
    if isinstance(spec, optax.GradientTransformation):
        return spec
    fix = (f"instantiate it, e.g. {spec.__name__}(lr=1e-3)" if isinstance(spec, type)
           and issubclass(spec, Optimizer) else "pass e.g. bp.optim.Adam(lr=1e-3) or optax.adam(1e-3)")
    raise TypeError(describe("make_optimizer", "a bp.optim optimizer, an optax.GradientTransformation "
                             "or None", f"{type(spec).__name__} {spec!r}", fix))
