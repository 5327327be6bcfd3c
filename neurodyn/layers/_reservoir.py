"""Reservoir: an echo-state network of leaky-integrator units with fixed random weights.

    >>> import neurodyn.math as bm
    >>> from neurodyn.layers import Reservoir
    >>> r = Reservoir(2, 40, spectral_radius=0.9, rec_connectivity=0.2)
    >>> round(float(abs(bm.linalg.eigvals(r.Wrec)).max()), 4)
    0.9
    >>> r(bm.ones(2)).shape
    (40,)
"""
from __future__ import annotations

import numbers
from typing import Any, Callable

import jax
import jax.numpy as jnp
import numpy as np

import neurodyn.math as bm
from neurodyn.check import input_shape, is_integer, is_non_negative, is_probability
from neurodyn.core import DynamicalSystem
from neurodyn.errors import describe
from neurodyn.init import Normal, ZeroInit, parameter
from neurodyn.layers._activations import get_activation
from neurodyn.layers._base import as_array

__all__ = ["Reservoir"]


class Reservoir(DynamicalSystem):
    r"""A pool of leaky-integrator units with sparse random input and recurrent weights
    (Jaeger 2001; Lukoševičius 2012). With ``activation_type='internal'``::

        r_{t+1} = (1 - a) r_t + a f(u_t W_in + r_t W_rec + b)

    and with ``'external'`` the leak acts before ``f``: ``x_{t+1} = (1 - a) r_t + a (u_t W_in +
    r_t W_rec + b)``, ``r_{t+1} = f(x_{t+1})``. The output is ``r_{t+1}``.

    The weights are constants — never ``TrainVar`` s, also in TrainingMode: a reservoir is
    trained through its readout (a ``Dense`` fitted by ridge regression / FORCE / BPTT).

    Args:
        input_shape: input features (an int, or a 1-tuple, optionally with a leading None).
        num_out: number of reservoir units.
        leaky_rate: ``a`` in (0, 1].
        activation: ``f``, a name (``'tanh'``) or a callable.
        activation_type: ``'internal'`` or ``'external'`` (see above).
        Win_initializer, Wrec_initializer: initial ``W_in (num_in, num_out)`` and
            ``W_rec (num_out, num_out)`` before masking (Initializer, callable, or array).
        b_initializer: bias ``(num_out,)``, or None.
        in_connectivity, rec_connectivity: fraction of entries of ``W_in`` / ``W_rec`` kept
            (each entry kept independently with this probability; the rest set to 0).
        spectral_radius: if given, ``W_rec`` is rescaled (after masking) so that its largest
            absolute eigenvalue equals it (computed once with numpy). Below 1 this gives the
            echo-state property in practice: the state forgets its initial condition.
        comp_type: BrainPy's storage choice (``'dense'``, ``'sparse'``, ``'jit'``); accepted for
            compatibility, the weights are kept dense (the same numbers).
        noise_in, noise_rec: gains of noise added to the input and to the recurrent drive.
        noise_type: ``'normal'`` or ``'uniform'`` (in [-1, 1]).
        seed: seed of the noise generator ``self.rng`` (only created when a noise gain is > 0).
        mode: the computing mode (the state has a batch axis in batching/training modes).
        name: a unique name.

    Weights are drawn from ``bm.random``'s default generator (seed it with ``bm.random.seed``).
    """

    repr_fields = ("num_in", "num_out", "leaky_rate", "spectral_radius")

    def __init__(self, input_shape: int | tuple, num_out: int, leaky_rate: float = 0.3,
                 activation: str | Callable = "tanh", activation_type: str = "internal",
                 Win_initializer: Any = Normal(scale=0.1), Wrec_initializer: Any = Normal(scale=0.1),
                 b_initializer: Any = ZeroInit(), in_connectivity: float = 0.1,
                 rec_connectivity: float = 0.1, comp_type: str = "dense",
                 spectral_radius: float | None = None,
                 noise_in: float = 0., noise_rec: float = 0., noise_type: str = "normal",
                 seed: int | None = None, mode: bm.Mode | None = None, name: str | None = None):
        super().__init__(name=name, mode=mode)
        who = self.describe()
        self.num_in = self._num_in(input_shape, who)
        self.num_out = is_integer(num_out, "num_out", who, 1)
        self.leaky_rate = is_probability(leaky_rate, "leaky_rate", who, allow_zero=False)
        self.activation = get_activation(activation, who)
        if activation_type not in ("internal", "external"):
            raise ValueError(describe(who, "activation_type 'internal' or 'external'", repr(activation_type)))
        self.activation_type = activation_type
        self.in_connectivity = is_probability(in_connectivity, "in_connectivity", who)
        self.rec_connectivity = is_probability(rec_connectivity, "rec_connectivity", who)
        if comp_type not in ("dense", "sparse", "jit"):
            raise ValueError(describe(who, "comp_type 'dense', 'sparse' or 'jit'", repr(comp_type)))
        self.comp_type = comp_type      # how BrainPy stores the weights; the results are the same
        self.noise_in = is_non_negative(noise_in, "noise_in", who)
        self.noise_rec = is_non_negative(noise_rec, "noise_rec", who)
        if noise_type not in ("normal", "uniform"):
            raise ValueError(describe(who, "noise_type 'normal' or 'uniform'", repr(noise_type)))
        self.noise_type = noise_type
        if spectral_radius is not None:
            spectral_radius = is_non_negative(spectral_radius, "spectral_radius", who)
        self.spectral_radius = spectral_radius

        self.Win = self._masked(Win_initializer, (self.num_in, self.num_out), self.in_connectivity,
                                "Win_initializer")
        self.Wrec = self._masked(Wrec_initializer, (self.num_out, self.num_out), self.rec_connectivity,
                                 "Wrec_initializer")
        if spectral_radius is not None:
            self.Wrec = self._rescaled(self.Wrec, spectral_radius)
        b = parameter(b_initializer, (self.num_out,), allow_none=True, allow_scalar=False,
                      who=f"{who} b_initializer")
        self.bias = None if b is None else b.astype(bm.get_float())
        if self.noise_in > 0 or self.noise_rec > 0:
            self.rng = bm.random.RandomState(seed)
        self.state = bm.Variable(self._zeros(self.mode.batch_size),
                                 batch_axis=0 if self.mode.batching else None)

    @staticmethod
    def _num_in(shape: Any, who: str) -> int:
        if isinstance(shape, numbers.Integral) and not isinstance(shape, bool):
            return is_integer(shape, "input_shape", who, 1)
        dims = tuple(shape) if isinstance(shape, (tuple, list)) else None
        if dims and dims[0] is None:
            dims = dims[1:]
        if not dims or len(dims) != 1:
            raise ValueError(describe(who, "input_shape: the number of input features (an int or a "
                                      "1-tuple)", repr(shape)))
        return is_integer(dims[0], "input_shape", who, 1)

    def _masked(self, init: Any, shape: tuple, connectivity: float, what: str) -> jax.Array:
        w = parameter(init, shape, allow_none=False, allow_scalar=False,
                      who=f"{self.describe()} {what}").astype(bm.get_float())
        if connectivity < 1.:
            w = jnp.where(bm.random.random(shape) < connectivity, w, 0.)
        return w

    def _rescaled(self, w: jax.Array, radius: float) -> jax.Array:
        current = float(np.abs(np.linalg.eigvals(np.asarray(w, np.float64))).max())
        if current == 0.:
            raise ValueError(describe(self.describe(), "a recurrent matrix with a nonzero eigenvalue "
                                      "to rescale to spectral_radius", "spectral radius 0 (too few "
                                      "connections or an all-zero Wrec_initializer)",
                                      "raise rec_connectivity or num_out"))
        return (w * (radius / current)).astype(bm.get_float())

    def _zeros(self, batch_size: int | None) -> jax.Array:
        shape = (self.num_out,) if batch_size is None else (batch_size, self.num_out)
        return bm.filled(shape, 0, bm.get_float())

    def reset_state(self, batch_size: int | None = None) -> None:
        """Set the state to zeros."""
        self.state.value = self._zeros(self.state_batch_size(batch_size))

    def _noise(self, shape: tuple) -> jax.Array:
        if self.noise_type == "normal":
            return self.rng.normal(0., 1., shape)
        return self.rng.uniform(-1., 1., shape)

    def update(self, x: Any) -> jax.Array:
        x = as_array(x, self.describe())
        who = self.describe()
        input_shape(who, x, (self.num_in,))
        if self.mode.batching:
            input_shape(who, x, (self.num_in,), batch_size=self.state.shape[0], batching=True)
        else:
            input_shape(who, x, (self.num_in,), batching=False)
        if self.noise_in > 0:
            x = x + self.noise_in * self._noise(x.shape)
        r = self.state.value
        drive = x @ self.Win + r @ self.Wrec
        if self.bias is not None:
            drive = drive + self.bias
        if self.activation_type == "internal":
            drive = self.activation(drive)
        if self.noise_rec > 0:
            drive = drive + self.noise_rec * self._noise(drive.shape)
        r = (1. - self.leaky_rate) * r + self.leaky_rate * drive
        if self.activation_type == "external":
            r = self.activation(r)
        self.state.value = r
        return r
