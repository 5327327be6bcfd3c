"""Metrics and measurements (``bp.metrics``, also ``bp.measure``): pure functions of arrays.

Spike arrays are time-major: ``spikes[t, i]`` is neuron ``i`` at step ``t``; ``dt`` is in ms,
so rates come out in Hz.

    >>> import jax.numpy as jnp
    >>> from neurodyn.train import metrics
    >>> float(metrics.accuracy(jnp.array([[0.9, 0.1], [0.2, 0.8]]), jnp.array([0, 0])))
    0.5
    >>> metrics.mean_firing_rate(jnp.ones((10, 2)), dt=1.0).tolist()  # a spike every ms
    [1000.0, 1000.0]
"""
from __future__ import annotations

from typing import Any

import jax
import jax.numpy as jnp
import numpy as np

import neurodyn.math as bm
from neurodyn.check import is_positive
from neurodyn.errors import ShapeError, describe
from neurodyn.train.losses import _class_targets, _same_shape, _time_first

__all__ = ["raster_plot", "accuracy", "firing_rate", "mean_firing_rate", "spike_count", "nrmse",
           "cross_correlation", "voltage_fluctuation", "functional_connectivity", "matrix_correlation"]


def raster_plot(sp_matrix: Any, times: Any) -> tuple[np.ndarray, np.ndarray]:
    """BrainPy's ``bp.measure.raster_plot``: the spikes of a ``(T, N)`` matrix as ``(neuron
    indices, spike times)``, in time order.

        >>> index, time = raster_plot([[0, 1], [1, 1]], [0.1, 0.2])
        >>> index.tolist(), time.tolist()
        ([1, 0, 1], [0.1, 0.2, 0.2])
    """
    spikes = np.asarray(bm.unwrap(sp_matrix))
    if spikes.ndim != 2:
        raise ShapeError(describe("bp.measure.raster_plot", "spikes of shape (time, neurons)",
                                  f"shape {spikes.shape}"))
    steps, index = np.nonzero(spikes > 0)
    return index, np.asarray(bm.unwrap(times))[steps]


def accuracy(predicts: Any, targets: Any) -> jax.Array:
    """Fraction of samples whose arg-max over the last axis equals the label.

    Args:
        predicts: scores of shape ``(..., C)``.
        targets: integer labels ``(...)`` or one-hot/probabilities ``(..., C)`` (their arg-max
            is the label).

    >>> import jax.numpy as jnp
    >>> float(accuracy(jnp.eye(3), jnp.eye(3)))
    1.0
    """
    p, t, is_labels = _class_targets(predicts, targets, "accuracy")
    labels = t if is_labels else jnp.argmax(t, axis=-1)
    return jnp.mean((jnp.argmax(p, axis=-1) == labels).astype(bm.get_float()))


def _as_spikes_2d(spikes: Any, who: str) -> jax.Array:
    s = jnp.asarray(spikes)
    if s.ndim != 2:
        raise ShapeError(describe(who, "spikes of shape (num_time, num_neurons)", f"shape {s.shape}"))
    return s


def firing_rate(spikes: Any, width: float, dt: float | None = None) -> jax.Array:
    """Population firing rate (Hz) smoothed by a rectangular window of ``width`` ms.

    The population mean of ``spikes`` at each step is convolved with a window of
    ``2 * int(width / (2 dt)) + 1`` steps of height ``1000 / width`` (``'same'`` mode, so the
    output has ``num_time`` entries), as BrainPy's ``bp.measure.firing_rate`` does.

    Args:
        spikes: ``(num_time, num_neurons)`` array of 0/1 spikes.
        width: window width in ms.
        dt: time step in ms; ``bm.get_dt()`` when ``None``.

    >>> import jax.numpy as jnp
    >>> firing_rate(jnp.ones((5, 3)), width=1.0, dt=1.0).tolist()  # spiking every ms
    [1000.0, 1000.0, 1000.0, 1000.0, 1000.0]
    """
    s = _as_spikes_2d(spikes, "firing_rate")
    dt = bm.get_dt() if dt is None else dt
    is_positive(width, "width", "firing_rate")
    is_positive(dt, "dt", "firing_rate")
    steps = int(width / 2 / dt) * 2 + 1
    window = jnp.full((steps,), 1000.0 / width, dtype=bm.get_float())
    return jnp.convolve(jnp.mean(s.astype(bm.get_float()), axis=1), window, mode="same")


def mean_firing_rate(spikes: Any, dt: float | None = None, time_axis: int = 0) -> jax.Array:
    """Each neuron's mean firing rate in Hz: ``count / (num_time * dt) * 1000``.

    Returns an array with ``time_axis`` removed (e.g. ``(N,)`` for spikes ``(T, N)``); take
    ``.mean()`` for the population rate.

    >>> import jax.numpy as jnp
    >>> mean_firing_rate(jnp.array([[1.0, 0.0], [0.0, 0.0]]), dt=0.5).tolist()
    [1000.0, 0.0]
    """
    dt = bm.get_dt() if dt is None else dt
    is_positive(dt, "dt", "mean_firing_rate")
    s = _time_first(spikes, time_axis, "mean_firing_rate")
    return jnp.sum(s.astype(bm.get_float()), axis=0) * (1000.0 / (s.shape[0] * dt))


def spike_count(spikes: Any, axis: int = 0) -> jax.Array:
    """Number of spikes along ``axis`` (time by default).

    >>> import jax.numpy as jnp
    >>> spike_count(jnp.array([[1, 0], [1, 1]])).tolist()
    [2, 1]
    """
    s = _time_first(spikes, axis, "spike_count")
    return jnp.sum(s, axis=0)


def nrmse(predicts: Any, targets: Any, reference: Any = None) -> jax.Array:
    """Normalised root-mean-square error of a multivariate trajectory.

    ``NRMSE = sqrt(mean((p - y)**2) / sum_d var_t(r[:, d]))``: the squared error averaged over
    all time steps and components, divided by the sum over components of each component's
    variance over time (Gauthier et al., Nat. Commun. 12:5564, 2021). The variances come from
    ``reference`` when given (e.g. the whole trajectory), else from ``targets``.

    Args:
        predicts: ``(num_time, num_components)`` (or ``(num_time,)`` for one component).
        targets: same shape as ``predicts``.
        reference: optional ``(num_ref_time, num_components)`` array for the variances.

    >>> import jax.numpy as jnp
    >>> y = jnp.array([[0.0], [2.0]])                   # variance 1
    >>> float(nrmse(y + 0.5, y))
    0.5
    """
    p, t = _same_shape(predicts, targets, "nrmse", allow_scalar=False)
    if p.ndim not in (1, 2):
        raise ShapeError(describe("nrmse", "arrays of shape (num_time, num_components) or "
                                  "(num_time,)", f"shape {p.shape}"))
    r = t if reference is None else jnp.asarray(reference)
    if r.ndim != p.ndim or r.shape[1:] != p.shape[1:]:
        raise ShapeError(describe("nrmse", f"reference with components {p.shape[1:]} on axis 1",
                                  f"reference of shape {r.shape}"))
    return jnp.sqrt(jnp.mean((p - t) ** 2) / jnp.sum(jnp.var(r, axis=0)))


def cross_correlation(spikes: Any, bin: float, dt: float | None = None) -> jax.Array:
    """Mean pairwise spike coherence of a population (Wang & Buzsáki, J. Neurosci. 1996).

    Time is cut into bins of ``bin`` ms; ``x_i(l) = 1`` if neuron ``i`` fired in bin ``l``.
    For each pair ``k_ij = sum_l x_i x_j / sqrt(sum_l x_i * sum_l x_j)`` (0 when a neuron is
    silent); the result is the mean over pairs ``i != j``. Trailing steps that do not fill a
    whole bin are dropped.

    >>> import jax.numpy as jnp
    >>> float(cross_correlation(jnp.ones((4, 3)), bin=2.0, dt=1.0))  # perfectly synchronous
    1.0
    """
    s = _as_spikes_2d(spikes, "cross_correlation")
    dt = bm.get_dt() if dt is None else dt
    is_positive(bin, "bin", "cross_correlation")
    is_positive(dt, "dt", "cross_correlation")
    per_bin = int(bin / dt)
    num_bins = s.shape[0] // per_bin if per_bin > 0 else 0
    num = s.shape[1]
    if num_bins < 1 or num < 2:
        raise ShapeError(describe("cross_correlation", f"at least one bin of {max(per_bin, 1)} steps "
                                  "and two neurons", f"spikes of shape {s.shape}"))
    binned = s[:num_bins * per_bin].reshape(num_bins, per_bin, num).sum(axis=1)
    x = (binned > 0).astype(bm.get_float())
    co = x.T @ x
    counts = jnp.diag(co)
    denom = jnp.sqrt(counts[:, None] * counts[None, :])
    kappa = jnp.where(denom > 0, co / jnp.where(denom > 0, denom, 1.0), 0.0)
    off = 1.0 - jnp.eye(num, dtype=bm.get_float())
    return jnp.sum(kappa * off) / (num * (num - 1))


def voltage_fluctuation(potentials: Any) -> jax.Array:
    """Synchrony ``chi**2``: variance of the population-mean potential over the mean variance.

    ``chi**2 = var_t(mean_i V_i) / mean_i var_t(V_i)`` (Golomb & Rinzel 1993); 1 for fully
    synchronous potentials, near 0 for asynchronous ones. Returns 1 when every neuron is flat.

    >>> import jax.numpy as jnp
    >>> v = jnp.array([[0.0, 0.0], [1.0, 1.0], [0.0, 0.0]])
    >>> float(voltage_fluctuation(v))
    1.0
    """
    v = _as_spikes_2d(potentials, "voltage_fluctuation").astype(bm.get_float())
    var_of_mean = jnp.var(jnp.mean(v, axis=1))
    mean_var = jnp.mean(jnp.var(v, axis=0))
    return jnp.where(mean_var > 0, var_of_mean / jnp.where(mean_var > 0, mean_var, 1.0), 1.0)


def functional_connectivity(activities: Any) -> np.ndarray:
    """The Pearson correlation between every pair of signals of ``activities`` ``(time, n)``
    (a constant signal correlates 0 with every other), as a ``(n, n)`` NumPy array.

    >>> import numpy as np
    >>> t = np.linspace(0, 6, 100)
    >>> np.round(functional_connectivity(np.stack([np.sin(t), -np.sin(t)], 1)), 3).tolist()
    [[1.0, -1.0], [-1.0, 1.0]]
    """
    x = np.asarray(bm.as_numpy(activities), dtype=np.float64)
    if x.ndim != 2:
        raise ShapeError(describe("functional_connectivity", "activities of shape (time, n)", f"shape {x.shape}"))
    with np.errstate(invalid="ignore", divide="ignore"):
        fc = np.corrcoef(x.T)
    return np.nan_to_num(fc)


def matrix_correlation(x: Any, y: Any) -> float:
    """The Pearson correlation of the upper triangles (diagonal excluded) of two square matrices,
    e.g. a simulated and an empirical functional connectivity.

    >>> import numpy as np
    >>> a = np.array([[1., .2, .4], [.2, 1., .6], [.4, .6, 1.]])
    >>> round(matrix_correlation(a, 2 * a), 6)
    1.0
    """
    x, y = np.asarray(bm.as_numpy(x), np.float64), np.asarray(bm.as_numpy(y), np.float64)
    if x.ndim != 2 or x.shape[0] != x.shape[1] or x.shape != y.shape:
        raise ShapeError(describe("matrix_correlation", "two square matrices of one shape",
                                  f"shapes {x.shape} and {y.shape}"))
    iu = np.triu_indices(x.shape[0], k=1)
    return float(np.corrcoef(x[iu], y[iu])[0, 1])
