"""Online training of readouts (RLS / LMS, FORCE learning) inside one compiled scan.

At every step the model runs (``bp.share.load('fit') == True``), each trainable readout's input
``x_t`` and output ``y_t`` are captured, and its ``W`` (and ``b``, through an appended constant
input) is updated against the target ``Y_t`` by the fit method. The next step already uses the
new weights — including any feedback of the readout's output the model computes, which is
FORCE learning (Sussillo & Abbott, Neuron 63:544, 2009) when the method is RLS. RLS's
inverse-correlation matrices ``P`` are carried through the scan and kept between ``fit`` calls.

    >>> import numpy as np, neurodyn.math as bm
    >>> from neurodyn.layers import Dense
    >>> readout = Dense(2, 1, mode=bm.training_mode)
    >>> X = np.random.RandomState(0).randn(1, 200, 2).astype('float32')
    >>> Y = X @ np.array([[1.], [-2.]], 'float32') + 0.5
    >>> _ = OnlineTrainer(readout, fit_method=RLS(alpha=10.), progress_bar=False).fit([X, Y])
    >>> np.round(np.asarray(readout.W).ravel(), 2).tolist(), round(float(readout.b[0]), 2)
    ([1.0, -2.0], 0.5)
"""
from __future__ import annotations

import functools
from typing import Any, Mapping

import jax
import jax.numpy as jnp
import numpy as np

import neurodyn.math as bm
from neurodyn.check import is_positive
from neurodyn.core import DynamicalSystem
from neurodyn.errors import describe
from neurodyn.layers import Dense
from neurodyn.train._readout import ReadoutTrainer, capturing, one_call
from neurodyn.train.solvers import LMS, RLS, OnlineAlgorithm

__all__ = ["OnlineTrainer", "ForceTrainer"]

_NAMES = {"rls": RLS, "lms": LMS}


def _fit_method(spec: Any, who: str) -> OnlineAlgorithm:
    """An online algorithm from the user's spec (RLS, LMS or any ``OnlineAlgorithm``, a name,
    or a dict with a 'name')."""
    if spec is None:
        return RLS()
    if isinstance(spec, OnlineAlgorithm):
        return spec
    kwargs: dict = {}
    if isinstance(spec, dict):
        kwargs = dict(spec)
        spec = kwargs.pop("name", None)
    if isinstance(spec, str) and spec.lower() in _NAMES:
        try:
            return _NAMES[spec.lower()](**kwargs)
        except TypeError as err:
            raise TypeError(describe(who, f"arguments accepted by the {spec!r} fit method",
                                     f"{sorted(kwargs)} ({err})")) from None
    raise ValueError(describe(who, f"fit_method: RLS(alpha), LMS(alpha), a bp.algorithms.OnlineAlgorithm, "
                              f"a name in {sorted(_NAMES)}, or a dict {{'name': 'rls', 'alpha': ...}}",
                              repr(spec)))


def _augmented(node: Dense, x: jax.Array) -> tuple[jax.Array, jax.Array]:
    """Input rows (samples, num_in [+1]) and weights (num_in [+1], num_out) with the bias folded in."""
    rows = x.reshape(-1, node.num_in)
    w = node.W.value
    if node.b is None:
        return rows, w
    ones = jnp.ones((rows.shape[0], 1), rows.dtype)
    return jnp.concatenate([rows, ones], axis=1), jnp.concatenate([w, node.b.value[None]], axis=0)


class OnlineTrainer(ReadoutTrainer):
    """Fit a model's readouts online, step by step, with RLS (FORCE) or LMS.

    Args:
        target: the model; its readouts are the ``bp.layers.Dense`` built in TrainingMode.
        fit_method: ``RLS(alpha=0.1)`` (the default; ``alpha`` is the initial diagonal of ``P``),
            ``LMS(alpha)`` (``alpha`` the learning rate), a name ``'rls'``/``'lms'``, a dict
            ``{'name': 'rls', 'alpha': 1.}``, or any ``bp.algorithms.OnlineAlgorithm``: its
            ``register_target(num_in, path)`` is called per readout, and each step adds
            ``method(target, input, output, path)`` to the readout's weights.
        data_first_axis: ``'B'`` (data ``(batch, time, ...)``, the default for a batching model)
            or ``'T'``.
        dt: the step of ``bp.share``'s ``t``; default ``bm.get_dt()``.
        progress_bar: show a tqdm bar.
        jit: ``False`` runs without ``jax.jit``.

    All rows of a batch update the one shared readout together (an exact block RLS step).

    Raises:
        ValueError: the target has no trainable readout, or an unknown fit method.
    """

    def __init__(self, target: DynamicalSystem, fit_method: Any = None, data_first_axis: str | None = None,
                 dt: float | None = None, progress_bar: bool = True, jit: bool = True):
        super().__init__(target, data_first_axis=data_first_axis, dt=dt, progress_bar=progress_bar, jit=jit)
        self.fit_method = _fit_method(fit_method, type(self).__name__)
        self.P: dict[str, jax.Array] = {}
        if isinstance(self.fit_method, RLS):
            self.P = {path: self.fit_method.init(node.num_in + (node.b is not None))
                      for path, node in self.readouts.items()}
        elif not isinstance(self.fit_method, LMS):        # a user's algorithm keeps its own state
            for path, node in self.readouts.items():
                self.fit_method.register_target(node.num_in + (node.b is not None), path)

    def fit(self, train_data: Any, reset_state: bool = False, shared_args: dict | None = None) -> Any:
        """Run the model over ``X`` (``fit=True``), updating the readouts toward ``Y`` at every step.

        Args:
            train_data: ``[X, Y]``: ``X`` an array ``(batch, time, features)`` (``(time, batch,
                ...)`` with ``data_first_axis='T'``; ``(time, ...)`` for a non-batching model), a
                dict, or a tuple of them for several arguments of ``update``; ``Y`` the readout's
                targets ``(batch, time, num_out)``, or a dict readout path/name -> targets.
            reset_state: reset the model to the data's batch size first (``P`` is kept).
            shared_args: extra ``bp.share`` values (hashable); ``fit`` may be overridden.

        Returns:
            The model's outputs at each step, each computed before that step's update.

        Raises:
            ShapeError: ``X`` and ``Y`` disagree on batch or time, or ``Y`` does not match a
                readout's output.
            ValueError: ``X`` or ``Y`` holds NaN or inf (checked before anything is changed).
        """
        X, Y = self._pair(train_data, f"{type(self).__name__}.fit")
        shared = self._shared(shared_args, allow_fit=True)
        xs, n, batch = self._inputs(X)
        ys = {p: y for p, (y, _) in self._targets(Y, n, batch, bm.get_float(), False).items()}
        self._prepare_state(batch, reset_state)
        expect = {p: tuple(y.shape[1:]) for p, y in ys.items()}
        step = functools.partial(self._step, shared=shared, expect=expect)
        key = ("online", tuple(sorted(shared.items())), tuple(sorted(expect.items())))
        with self._progress(n, "Training") as every:
            program = self._program(step, key, every)
            self.P, (outs, _) = self._run(program, self.runner.i0, n, xs, ys, self.P)
        self.runner.i0 += n
        return outs

    def checkpoint_entries(self) -> tuple[dict, dict]:
        """The trainer's entries and RLS's ``P`` of every readout (``rls/<path>``)."""
        entries, meta = super().checkpoint_entries()
        entries.update({f"rls/{path}": P for path, P in self.P.items()})
        return entries, meta

    def checkpoint_restore(self, arrays: Mapping[str, Any], meta: Mapping) -> None:
        super().checkpoint_restore(arrays, meta)
        self.P = {path: arrays[f"rls/{path}"] for path in self.P}

    def _step(self, i: Any, x: tuple, targets: dict, P: dict, shared: dict, expect: dict) -> tuple:
        """One step: run the model, then update every readout; return (new P, (output, ()))."""
        who = f"{type(self).__name__}.fit"
        with self._step_context(i, shared):
            with capturing(self.readouts) as calls:
                out = self.target(*x)
            self._clear_inputs()
        new_P = {}
        for path, node in self.readouts.items():
            xin, y = one_call(calls, path, node, who)
            self._check_output(y, expect[path], path, node, who)
            rows, w = _augmented(node, xin.astype(node.W.dtype))
            target = targets[path].reshape(-1, node.num_out).astype(w.dtype)
            if isinstance(self.fit_method, RLS):
                new_P[path], w, _ = self.fit_method.update(P[path], rows, target, w)
            elif isinstance(self.fit_method, LMS):
                w, _ = self.fit_method.update(w, rows, target)
            else:   # BrainPy's protocol: dW from (target, input, output before the update, identifier)
                w = w + self.fit_method(target, rows, rows @ w, path)
            node.W.value = w[:node.num_in]
            if node.b is not None:
                node.b.value = w[node.num_in]
        return new_P, (out, ())


class ForceTrainer(OnlineTrainer):
    """FORCE learning: an :class:`OnlineTrainer` with ``RLS(alpha)`` (BrainPy's ``ForceTrainer``).

    Args:
        target: the model.
        alpha: the initial diagonal of RLS's ``P`` (> 0); larger learns faster.
        **kwargs: the other arguments of :class:`OnlineTrainer`.
    """

    def __init__(self, target: DynamicalSystem, alpha: float = 1., **kwargs: Any):
        super().__init__(target, fit_method=RLS(alpha=is_positive(alpha, "alpha", "ForceTrainer")), **kwargs)
