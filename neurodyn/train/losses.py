"""Loss functions (``bp.losses``): pure functions of arrays, jit- and grad-friendly.

Every loss takes ``reduction='mean' | 'sum' | 'none'`` and checks shapes before computing:
predictions and targets must have exactly the same shape (a scalar target is allowed for
the regression losses); nothing is broadcast silently, so ``(B, 1)`` against ``(B,)`` is a
:class:`~neurodyn.errors.ShapeError`, not a ``(B, B)`` matrix of errors.

Classification losses take logits and either integer labels (shape ``predicts.shape[:-1]``)
or one-hot / probability targets (shape ``predicts.shape``).

    >>> import jax.numpy as jnp
    >>> from neurodyn.train import losses
    >>> logits = jnp.array([[2.0, 0.0], [0.0, 2.0]])
    >>> float(losses.cross_entropy_loss(logits, jnp.array([0, 1]))) < 0.2
    True
    >>> float(losses.mean_squared_error(jnp.array([1.0, 3.0]), jnp.array([0.0, 0.0])))
    5.0
"""
from __future__ import annotations

from typing import Any

import jax
import jax.numpy as jnp
import optax

import neurodyn.math as bm
from neurodyn.check import is_probability
from neurodyn.errors import DtypeError, ShapeError, describe

__all__ = [
    "cross_entropy_loss", "softmax_cross_entropy", "cross_entropy_sparse",
    "mean_squared_error", "mse", "mean_absolute_error", "mae", "huber_loss", "log_cosh_loss",
    "l2_loss", "l2_norm", "binary_logistic_loss", "sigmoid_binary_cross_entropy",
    "spike_rate_loss", "spike_count_loss", "ce_rate_loss", "ce_count_loss", "ce_max_membrane",
]

_REDUCTIONS = ("mean", "sum", "none")


def _reduce(x: jax.Array, reduction: str, who: str, axis: Any = None) -> jax.Array:
    if reduction == "mean":
        return jnp.mean(x, axis=axis)
    if reduction == "sum":
        return jnp.sum(x, axis=axis)
    if reduction == "none":
        if axis is not None:
            raise ValueError(describe(who, "axis=None with reduction='none'", f"axis={axis!r}"))
        return x
    raise ValueError(describe(who, f"reduction in {_REDUCTIONS}", repr(reduction)))


def _check_reduction(reduction: str, who: str) -> None:
    if reduction not in _REDUCTIONS:
        raise ValueError(describe(who, f"reduction in {_REDUCTIONS}", repr(reduction)))


def _same_shape(predicts: Any, targets: Any, who: str, allow_scalar: bool = True):
    """Return both as arrays after checking that their shapes agree exactly."""
    p, t = jnp.asarray(predicts), jnp.asarray(targets)
    if p.shape != t.shape and not (allow_scalar and t.ndim == 0):
        raise ShapeError(describe(who, f"targets of the same shape as predicts {p.shape}"
                                  + (" (or a scalar)" if allow_scalar else ""),
                                  f"targets of shape {t.shape}",
                                  "reshape one of them explicitly; shapes are never broadcast"))
    return p, t


def _class_targets(predicts: Any, targets: Any, who: str):
    """Classify ``targets`` against logits ``predicts`` of shape ``(..., C)``.

    Returns ``(predicts, targets, is_labels)``: integer labels of shape ``predicts.shape[:-1]``
    (``is_labels=True``) or one-hot/probabilities of shape ``predicts.shape`` cast to the
    predictions' float dtype.
    """
    p, t = jnp.asarray(predicts), jnp.asarray(targets)
    if p.ndim < 1:
        raise ShapeError(describe(who, "predicts with a trailing class axis (..., C)",
                                  f"a scalar of shape {p.shape}"))
    if t.shape == p.shape[:-1]:
        if jnp.issubdtype(t.dtype, jnp.complexfloating):
            raise DtypeError(describe(who, f"class labels for targets of shape {t.shape}",
                                      f"dtype {t.dtype}", "pass integer labels"))
        # float labels (1.0, 2.0, ...) are class indices, as BrainPy reads them
        return p, t if jnp.issubdtype(t.dtype, jnp.integer) else t.astype(jnp.int32), True
    if t.shape == p.shape:
        dtype = p.dtype if jnp.issubdtype(p.dtype, jnp.floating) else bm.get_float()
        return p, t.astype(dtype), False
    raise ShapeError(describe(who, f"integer labels of shape {p.shape[:-1]} or one-hot/probability "
                              f"targets of shape {p.shape} for predicts of shape {p.shape}",
                              f"targets of shape {t.shape}"))


def cross_entropy_loss(predicts: Any, targets: Any, weight: Any = None,
                       reduction: str = "mean") -> jax.Array:
    """Softmax cross-entropy between logits and labels or class probabilities.

    Per sample ``l = -sum_c w_c y_c log softmax(x)_c`` (``w = 1`` without ``weight``).
    With integer labels and ``weight``, ``'mean'`` is the weighted mean
    ``sum(w_y l) / sum(w_y)`` (PyTorch's convention); with probability targets it is the
    plain mean over samples.

    Args:
        predicts: logits of shape ``(..., C)``.
        targets: integer labels ``(...)`` or one-hot/probabilities ``(..., C)``.
        weight: optional per-class weights of shape ``(C,)``.
        reduction: ``'mean'``, ``'sum'`` or ``'none'`` (per-sample losses of shape ``(...)``).

    >>> import jax.numpy as jnp
    >>> x = jnp.zeros((4, 2))
    >>> round(float(cross_entropy_loss(x, jnp.array([0, 1, 1, 0]))), 4)  # log(2)
    0.6931
    """
    who = "cross_entropy_loss"
    _check_reduction(reduction, who)
    p, t, is_labels = _class_targets(predicts, targets, who)
    if weight is None:
        per = (optax.softmax_cross_entropy_with_integer_labels(p, t) if is_labels
               else optax.softmax_cross_entropy(p, t))
        return _reduce(per, reduction, who)
    w = jnp.asarray(weight, dtype=p.dtype)
    if w.shape != (p.shape[-1],):
        raise ShapeError(describe(who, f"weight of shape ({p.shape[-1]},), one per class",
                                  f"shape {w.shape}"))
    if not is_labels:
        weighted = t * jnp.broadcast_to(w, t.shape)
        return _reduce(optax.softmax_cross_entropy(p, weighted), reduction, who)
    w_y = w[t]
    per = optax.softmax_cross_entropy_with_integer_labels(p, t) * w_y
    if reduction == "mean":
        return jnp.sum(per) / jnp.sum(w_y)
    return _reduce(per, reduction, who)


softmax_cross_entropy = cross_entropy_loss
cross_entropy_sparse = cross_entropy_loss


def _over_leaves(fn, predicts: Any, targets: Any, who: str) -> jax.Array:
    """``fn`` per array of two pytrees of one structure (dicts of arrays, ...), summed (BrainPy's rule)."""
    predicts, targets = bm.unwrap_tree(predicts), bm.unwrap_tree(targets)
    if not isinstance(predicts, (dict, list, tuple)):
        return fn(predicts, targets)
    p_leaves, p_tree = jax.tree_util.tree_flatten(predicts)
    t_leaves, t_tree = jax.tree_util.tree_flatten(targets)
    if p_tree != t_tree:
        raise ShapeError(describe(who, f"targets of the same structure as predicts ({p_tree})",
                                  f"structure {t_tree}"))
    return sum(fn(p, t) for p, t in zip(p_leaves, t_leaves))


def mean_squared_error(predicts: Any, targets: Any, axis: Any = None,
                       reduction: str = "mean") -> jax.Array:
    """Squared error ``(p - t)**2`` reduced over ``axis`` (all axes by default). For pytrees
    (dicts of arrays, ...) of one structure, the sum of each pair's loss.

    >>> import jax.numpy as jnp
    >>> mean_squared_error(jnp.ones((2, 3)), jnp.zeros((2, 3)), axis=1).tolist()
    [1.0, 1.0]
    """
    def one(a, b):
        p, t = _same_shape(a, b, "mean_squared_error")
        return _reduce(optax.squared_error(p, jnp.broadcast_to(t, p.shape)), reduction,
                       "mean_squared_error", axis)
    return _over_leaves(one, predicts, targets, "mean_squared_error")


mse = mean_squared_error


def mean_absolute_error(predicts: Any, targets: Any, axis: Any = None,
                        reduction: str = "mean") -> jax.Array:
    """Absolute error ``|p - t|`` reduced over ``axis`` (all axes by default); pytrees as
    :func:`mean_squared_error`.

    >>> import jax.numpy as jnp
    >>> float(mean_absolute_error(jnp.array([1.0, -3.0]), jnp.array([0.0, 0.0])))
    2.0
    """
    def one(a, b):
        p, t = _same_shape(a, b, "mean_absolute_error")
        return _reduce(jnp.abs(p - t), reduction, "mean_absolute_error", axis)
    return _over_leaves(one, predicts, targets, "mean_absolute_error")


mae = mean_absolute_error


def huber_loss(predicts: Any, targets: Any, delta: float = 1.0,
               reduction: str = "mean") -> jax.Array:
    """Huber loss: ``0.5 e**2`` for ``|e| <= delta``, ``delta (|e| - 0.5 delta)`` beyond.

    >>> import jax.numpy as jnp
    >>> huber_loss(jnp.array([0.5, 3.0]), jnp.zeros(2), reduction='none').tolist()
    [0.125, 2.5]
    """
    p, t = _same_shape(predicts, targets, "huber_loss")
    return _reduce(optax.huber_loss(p, jnp.broadcast_to(t, p.shape), delta=delta), reduction,
                   "huber_loss")


def log_cosh_loss(predicts: Any, targets: Any, reduction: str = "mean") -> jax.Array:
    """``log(cosh(p - t))``: quadratic near zero, linear far away, smooth everywhere.

    >>> import jax.numpy as jnp
    >>> float(log_cosh_loss(jnp.zeros(3), jnp.zeros(3)))
    0.0
    """
    p, t = _same_shape(predicts, targets, "log_cosh_loss")
    return _reduce(optax.log_cosh(p, jnp.broadcast_to(t, p.shape)), reduction, "log_cosh_loss")


def l2_loss(predicts: Any, targets: Any, reduction: str = "mean") -> jax.Array:
    """Half squared error ``0.5 (p - t)**2`` (Bishop's convention).

    >>> import jax.numpy as jnp
    >>> float(l2_loss(jnp.array([2.0]), jnp.array([0.0]), reduction='sum'))
    2.0
    """
    p, t = _same_shape(predicts, targets, "l2_loss")
    return _reduce(optax.l2_loss(p, jnp.broadcast_to(t, p.shape)), reduction, "l2_loss")


def l2_norm(x: Any, axis: Any = None) -> jax.Array:
    """Euclidean norm ``sqrt(sum x**2)`` over ``axis`` (all elements by default); of a pytree
    (e.g. ``model.train_vars().dict()``), the norm of all its arrays together.

    >>> import jax.numpy as jnp
    >>> float(l2_norm(jnp.array([3.0, 4.0]))), float(l2_norm({'a': jnp.array([3.0]), 'b': jnp.array([4.0])}))
    (5.0, 5.0)
    """
    x = bm.unwrap_tree(x)
    if isinstance(x, (dict, list, tuple)):
        leaves = jax.tree_util.tree_leaves(x)
        if not leaves:
            raise ValueError(describe("l2_norm", "a pytree with at least one array", "an empty one"))
        return jnp.sqrt(sum(jnp.sum(jnp.square(jnp.asarray(a))) for a in leaves))
    x = jnp.asarray(x)
    return jnp.sqrt(jnp.sum(x * x, axis=axis))


def sigmoid_binary_cross_entropy(predicts: Any, targets: Any, reduction: str = "mean") -> jax.Array:
    """Binary cross-entropy of logits against 0/1 labels or probabilities of the same shape.

    ``-y log sigmoid(x) - (1 - y) log sigmoid(-x)``, which equals ``softplus(x) - y x``.

    >>> import jax.numpy as jnp
    >>> round(float(sigmoid_binary_cross_entropy(jnp.zeros(2), jnp.array([0, 1]))), 4)
    0.6931
    """
    p, t = _same_shape(predicts, targets, "sigmoid_binary_cross_entropy", allow_scalar=False)
    return _reduce(optax.sigmoid_binary_cross_entropy(p, t.astype(p.dtype)), reduction,
                   "sigmoid_binary_cross_entropy")


binary_logistic_loss = sigmoid_binary_cross_entropy


def _time_first(x: Any, time_axis: int, who: str) -> jax.Array:
    x = jnp.asarray(x)
    if not -x.ndim <= time_axis < x.ndim:
        raise ShapeError(describe(who, f"time_axis within the {x.ndim} axes of the input",
                                  f"time_axis={time_axis} for shape {x.shape}"))
    return jnp.moveaxis(x, time_axis, 0)


def spike_rate_loss(spikes: Any, target_rate: Any, time_axis: int = 0, dt: float | None = None,
                    reduction: str = "mean") -> jax.Array:
    """Squared error between each neuron's mean firing rate and ``target_rate``.

    The rate is the mean of ``spikes`` over ``time_axis`` (spikes per step), or in Hz when
    ``dt`` (ms) is given. ``target_rate`` is a scalar or has the rate's shape.

    >>> import jax.numpy as jnp
    >>> s = jnp.array([[1.0, 0.0], [0.0, 0.0]])       # (T=2, N=2): rates 0.5 and 0.0
    >>> float(spike_rate_loss(s, 0.5, reduction='sum'))
    0.25
    """
    who = "spike_rate_loss"
    rate = jnp.mean(_time_first(spikes, time_axis, who), axis=0)
    if dt is not None:
        rate = rate * (1000.0 / dt)
    rate, target = _same_shape(rate, target_rate, who)
    return _reduce((rate - target) ** 2, reduction, who)


def spike_count_loss(spikes: Any, targets: Any, correct_rate: float = 1.0,
                     incorrect_rate: float = 0.0, time_axis: int = 0,
                     reduction: str = "mean") -> jax.Array:
    """Squared error of output spike counts against target counts (snnTorch ``mse_count_loss``).

    With ``T`` steps, the correct class should fire ``correct_rate * T`` spikes and the others
    ``incorrect_rate * T``; the per-element loss is ``(count - target_count)**2 / T``.

    Args:
        spikes: output spikes ``(T, ..., C)`` (time on ``time_axis``).
        targets: integer labels ``(...)`` or one-hot ``(..., C)``.

    >>> import jax.numpy as jnp
    >>> s = jnp.zeros((4, 1, 2)).at[:, 0, 0].set(1.0)  # class 0 fires every step
    >>> float(spike_count_loss(s, jnp.array([0])))
    0.0
    """
    who = "spike_count_loss"
    is_probability(correct_rate, "correct_rate", who)
    is_probability(incorrect_rate, "incorrect_rate", who)
    s = _time_first(spikes, time_axis, who)
    steps = s.shape[0]
    counts = jnp.sum(s, axis=0)
    counts, t, is_labels = _class_targets(counts, targets, who)
    onehot = jax.nn.one_hot(t, counts.shape[-1], dtype=counts.dtype) if is_labels else t
    target_counts = steps * (incorrect_rate + (correct_rate - incorrect_rate) * onehot)
    return _reduce((counts - target_counts) ** 2 / steps, reduction, who)


def ce_rate_loss(spikes: Any, targets: Any, time_axis: int = 0, reduction: str = "mean") -> jax.Array:
    """Cross-entropy of the outputs at every step, averaged over time (snnTorch ``ce_rate_loss``).

    >>> import jax.numpy as jnp
    >>> round(float(ce_rate_loss(jnp.zeros((3, 2, 4)), jnp.array([0, 3]))), 4)  # log(4)
    1.3863
    """
    who = "ce_rate_loss"
    _check_reduction(reduction, who)
    s = _time_first(spikes, time_axis, who)
    per_step = jax.vmap(lambda x: cross_entropy_loss(x, targets, reduction="none"))(s)
    return _reduce(jnp.mean(per_step, axis=0), reduction, who)


def ce_count_loss(spikes: Any, targets: Any, time_axis: int = 0, reduction: str = "mean") -> jax.Array:
    """Cross-entropy with the spike counts over time as logits (snnTorch ``ce_count_loss``).

    >>> import jax.numpy as jnp
    >>> round(float(ce_count_loss(jnp.zeros((3, 2)), jnp.array(1))), 4)  # log(2)
    0.6931
    """
    s = _time_first(spikes, time_axis, "ce_count_loss")
    return cross_entropy_loss(jnp.sum(s, axis=0), targets, reduction=reduction)


def ce_max_membrane(membrane: Any, targets: Any, time_axis: int = 0,
                    reduction: str = "mean") -> jax.Array:
    """Cross-entropy with each output's maximum membrane potential over time as logits.

    >>> import jax.numpy as jnp
    >>> v = jnp.array([[0.0, 0.0], [5.0, 0.0]])      # (T=2, C=2): max is (5, 0)
    >>> float(ce_max_membrane(v, jnp.array(0))) < 0.01
    True
    """
    v = _time_first(membrane, time_axis, "ce_max_membrane")
    return cross_entropy_loss(jnp.max(v, axis=0), targets, reduction=reduction)
