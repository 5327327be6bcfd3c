"""Optimizers and learning-rate schedulers (``bp.optim``), built on optax.

Each optimizer is an optax ``GradientTransformation`` (``opt.tx``, what the trainers use)
plus BrainPy's stateful form: ``opt = Adam(lr=1e-3, train_vars=model.train_vars())``, then
``opt.update(grads)`` with ``grads`` keyed like ``train_vars`` applies one step and writes the
new values into the Variables. The optax state lives in ``bm.Variable``s (``opt.states``), so
``bm.jit`` of a function that calls ``opt.update`` carries it along.

``lr`` is a float or a scheduler (``bp.optim.StepLR``, ... see ``_schedulers``); ``opt.lr`` is
always a scheduler (a float becomes ``Constant``), so ``opt.lr()`` is the current rate and
``opt.lr.lr = x`` changes it before the next compiled step.

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
from typing import Any, Callable, Mapping, NamedTuple, Sequence

import jax
import jax.numpy as jnp
import optax

import neurodyn.math as bm
from neurodyn.check import is_integer, is_non_negative, is_positive
from neurodyn.errors import ShapeError, describe

from neurodyn.train._schedulers import *  # noqa: F401,F403  (bp.optim's schedulers)
from neurodyn.train._schedulers import Constant, Scheduler
from neurodyn.train._schedulers import __all__ as _schedulers_all

__all__ = list(_schedulers_all) + [
    "Optimizer", "SGD", "Momentum", "MomentumNesterov", "Adam", "AdamW", "RMSProp", "Adagrad",
    "LARS", "make_optimizer",
]


# ----------------------------------------------------------------------------- optimizers

class _Wrapped(Scheduler):
    """A plain callable ``step -> lr`` (an optax schedule) used as a call-based scheduler."""

    def __init__(self, fn: Callable[[Any], Any]):
        super().__init__(fn)

    def value(self, i):
        return self.lr(i)


def _check_lr(lr: Any, who: str) -> Scheduler:
    if isinstance(lr, Scheduler):
        return lr
    if callable(lr):
        return _Wrapped(lr)
    return Constant(is_positive(lr, "lr (a positive float or a scheduler)", who))


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
        self.steps_per_epoch: int | None = None   # set by a trainer for epoch-based schedulers
        self._treedef = None
        if train_vars is not None:
            self.register_train_vars(train_vars)

    def _lr(self, count: Any) -> jax.Array:
        """The rate at optimizer update ``count`` (the optax schedule the rules use)."""
        return self.lr.schedule(self.steps_per_epoch)(count)

    @property
    def vars_to_train(self) -> dict[str, bm.Variable]:
        """The registered Variables it optimises (BrainPy's name for ``train_vars``)."""
        return self.train_vars

    def vars(self) -> dict[str, bm.Variable]:
        """The optimizer's own Variables: its optax state and its scheduler's counters."""
        out = {f"state{i}": v for i, v in enumerate(self.states)}
        out.update({"lr.last_epoch": self.lr.last_epoch, "lr.last_call": self.lr.last_call})
        return out

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
        self.lr.step_call()

    def __repr__(self) -> str:
        return f"{type(self).__name__}(lr={self.lr!r})"


class SGD(Optimizer):
    """Plain gradient descent: ``p <- p - lr * g`` (optax ``sgd``)."""

    def __init__(self, lr: Any, train_vars: Mapping | None = None, weight_decay: float | None = None,
                 grad_clip_norm: float | None = None, name: str | None = None):
        super().__init__(lr, train_vars, weight_decay, grad_clip_norm, name)

    def _rule(self):
        return optax.sgd(self._lr)


class Momentum(Optimizer):
    """Heavy-ball momentum: ``v <- g + momentum * v``, ``p <- p - lr * v`` (optax ``sgd``)."""

    nesterov = False

    def __init__(self, lr: Any, train_vars: Mapping | None = None, momentum: float = 0.9,
                 weight_decay: float | None = None, grad_clip_norm: float | None = None,
                 name: str | None = None):
        self.momentum = is_non_negative(momentum, "momentum", type(self).__name__)
        super().__init__(lr, train_vars, weight_decay, grad_clip_norm, name)

    def _rule(self):
        return optax.sgd(self._lr, momentum=self.momentum, nesterov=self.nesterov)


class MomentumNesterov(Momentum):
    """Nesterov momentum (optax ``sgd(..., nesterov=True)``)."""

    nesterov = True


class _AdamState(NamedTuple):
    count: jax.Array
    mu: Any
    nu: Any


def _adam(lr: Callable[[Any], Any], b1: float, b2: float, eps: float, weight_decay: float | None
          ) -> optax.GradientTransformation:
    """BrainPy's Adam: ``p -= lr_t m / (sqrt(v) + eps)`` with ``lr_t = lr sqrt(1 - b2^t) / (1 - b1^t)``
    (Kingma & Ba's efficient form: ``eps`` is added before the bias correction), and decoupled
    weight decay ``p -= weight_decay * p``."""

    def init(params):
        zeros = jax.tree_util.tree_map(jnp.zeros_like, params)
        return _AdamState(jnp.zeros((), jnp.int32), zeros, jax.tree_util.tree_map(jnp.zeros_like, params))

    def update(grads, state, params=None):
        mu = jax.tree_util.tree_map(lambda m, g: b1 * m + (1 - b1) * g, state.mu, grads)
        nu = jax.tree_util.tree_map(lambda v, g: b2 * v + (1 - b2) * g * g, state.nu, grads)
        count = state.count + 1
        t = count.astype(bm.get_float())
        step = lr(state.count) * jnp.sqrt(1 - b2 ** t) / (1 - b1 ** t)
        updates = jax.tree_util.tree_map(lambda m, v: -step * m / (jnp.sqrt(v) + eps), mu, nu)
        if weight_decay:
            updates = jax.tree_util.tree_map(lambda u, p: u - weight_decay * p, updates, params)
        return updates, _AdamState(count, mu, nu)

    return optax.GradientTransformation(init, update)


class Adam(Optimizer):
    """Adam (Kingma & Ba 2015) as BrainPy computes it: ``eps`` is added to ``sqrt(v)`` before the
    bias correction (the paper's efficient form; it differs from optax's ``adam`` when ``eps`` is
    large, e.g. ``eps=0.1``), and ``weight_decay`` is decoupled (``p -= weight_decay * p``)."""

    coupled_decay = False

    def __init__(self, lr: Any = 1e-3, train_vars: Mapping | None = None, beta1: float = 0.9,
                 beta2: float = 0.999, eps: float = 1e-8, weight_decay: float | None = None,
                 grad_clip_norm: float | None = None, name: str | None = None):
        who = type(self).__name__
        self.beta1 = is_non_negative(beta1, "beta1", who)
        self.beta2 = is_non_negative(beta2, "beta2", who)
        self.eps = is_non_negative(eps, "eps", who)
        super().__init__(lr, train_vars, weight_decay, grad_clip_norm, name)

    def _rule(self):
        return _adam(self._lr, self.beta1, self.beta2, self.eps, self.weight_decay)


class AdamW(Adam):
    """Adam with decoupled weight decay (Loshchilov & Hutter 2019), optax ``adamw``."""

    coupled_decay = False

    def __init__(self, lr: Any = 1e-3, train_vars: Mapping | None = None, beta1: float = 0.9,
                 beta2: float = 0.999, eps: float = 1e-8, weight_decay: float = 1e-2,
                 grad_clip_norm: float | None = None, name: str | None = None):
        is_non_negative(weight_decay, "weight_decay", "AdamW")
        super().__init__(lr, train_vars, beta1, beta2, eps, weight_decay, grad_clip_norm, name)

    def _rule(self):
        return optax.adamw(self._lr, b1=self.beta1, b2=self.beta2, eps=self.eps,
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
        return optax.rmsprop(self._lr, decay=self.rho, eps=self.epsilon)


class Adagrad(Optimizer):
    """Adagrad (optax ``adagrad``): ``c <- c + g**2`` from ``c = 0``, ``p <- p - lr g / sqrt(c + epsilon)``."""

    def __init__(self, lr: Any = 1e-3, train_vars: Mapping | None = None, epsilon: float = 1e-6,
                 weight_decay: float | None = None, grad_clip_norm: float | None = None,
                 name: str | None = None):
        self.epsilon = is_non_negative(epsilon, "epsilon", "Adagrad")
        super().__init__(lr, train_vars, weight_decay, grad_clip_norm, name)

    def _rule(self):
        return optax.adagrad(self._lr, initial_accumulator_value=0.0, eps=self.epsilon)


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
        return optax.lars(self._lr, weight_decay=self.weight_decay, trust_coefficient=self.tc,
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
