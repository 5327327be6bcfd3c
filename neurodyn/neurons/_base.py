"""What every neuron group shares: size, parameters, state Variables, input current, spiking.

A group has ``size`` (a tuple), ``num`` (the number of neurons) and ``varshape`` (the shape of
its per-neuron state: ``(num,)``, or ``size`` with ``keep_size=True``). State Variables get a
leading batch axis in batching modes. ``input`` is the current that synapses (stepped first)
add during a step; ``update(x)`` integrates ``input + x`` and then clears ``input`` to 0.

Spiking groups (:class:`SpikingGroup`) emit ``spike``: bool in simulation modes, float32 from a
surrogate spike function in ``TrainingMode`` (Heaviside forward, smooth gradient back), and hold
``V`` for ``tau_ref`` ms after a spike, tracking ``t_last_spike`` and ``refractory``. In
``TrainingMode`` without a refractory period (``tau_ref=0``) those two are not kept: nothing
reads them there, and carrying them through BPTT costs ~5% of a training step.

    >>> import neurodyn as bp, neurodyn.math as bm
    >>> g = bp.neurons.LIF(3, mode=bm.BatchingMode(2))
    >>> g.V.shape, g.spike.dtype, g.num
    ((2, 3), dtype('bool'), 3)
"""
from __future__ import annotations

import math
from typing import Any, Callable, Sequence

import jax
import jax.numpy as jnp
import numpy as np

import neurodyn.math as bm
from neurodyn.check import is_sequence_of_ints, real_input
from neurodyn.core import DynamicalSystem, share
from neurodyn.errors import ShapeError, describe
from neurodyn.init import parameter, variable_

__all__ = ["Dynamic", "NeuGroup", "SpikingGroup", "current_time", "spike_function", "with_defaults"]


def spike_function(spec: Any, who: str = "spike_fun") -> Callable:
    """The spike function of ``TrainingMode``: None -> ``InvSquareGrad()``; a surrogate name or
    class -> that surrogate; any other callable ``f(V - V_th)`` is used as given. Errors name ``who``."""
    if spec is None:
        return bm.surrogate.InvSquareGrad()
    if callable(spec) and not isinstance(spec, type):
        return spec
    return bm.surrogate.get(spec, who)   # a name or class; raises with the list of valid names


def current_time() -> jax.Array:
    """The shared time ``t`` of this step as a float32 scalar."""
    return jnp.asarray(share.load("t"), dtype=bm.get_float())


class Dynamic(DynamicalSystem):
    """A system with a size: ``size`` (a tuple), ``num`` and ``varshape`` (BrainPy's ``Dynamic``,
    the base of neuron groups and synapse dynamics, and of the models users write).

    Args:
        size: the number of units (an int) or the shape (a tuple of ints).
        keep_size: keep ``size`` as the state shape (default: flatten to ``(num,)``).
        sharding: the names of the state's axes (e.g. ``[bm.sharding.NEU_AXIS]``), followed by
            runners and trainers built with ``mesh=`` (``bm.sharding.partition``).
        method: the integration method the subclass uses (``'exp_auto'``).
        name: a unique name. mode: a ``bm.Mode`` (default: the environment's).

        >>> import neurodyn as bp, neurodyn.math as bm
        >>> class Decay(bp.dyn.NeuDyn):
        ...     def __init__(self, size):
        ...         super().__init__(size)
        ...         self.reset_state()
        ...     def reset_state(self, batch_size=None):
        ...         self.x = self.init_variable(bm.ones, batch_size)
        ...     def update(self):
        ...         self.x.value = self.x * 0.5
        ...         return self.x.value
        >>> Decay(2)().tolist(), Decay(2).get_batch_shape(3)
        ([0.5, 0.5], (3, 2))
    """

    def __init__(self, size: int | Sequence[int], keep_size: bool = False, name: str | None = None,
                 mode: bm.Mode | None = None, sharding: Any = None, method: str = "exp_auto"):
        if isinstance(name, bm.Mode):     # ``NeuDyn(size, keep_size, sharding, name, mode)`` order
            name, mode = None, name
        super().__init__(name=name, mode=mode)
        self.size = is_sequence_of_ints(size, "size", self.describe(), min_value=1)
        if not self.size:
            raise ValueError(describe(self.describe(), "a non-empty size", repr(size)))
        if not isinstance(keep_size, bool):
            raise TypeError(describe(self.describe(), "keep_size to be a bool", repr(keep_size)))
        self.keep_size, self.sharding, self.method = keep_size, sharding, method
        self.num = math.prod(self.size)
        self.varshape = self.size if keep_size else (self.num,)

    def get_batch_shape(self, batch_size: int | None = None) -> tuple[int, ...]:
        """``varshape``, with a leading ``batch_size`` when one is given."""
        return self.varshape if batch_size is None else (batch_size,) + tuple(self.varshape)

    def init_param(self, param: Any, shape: Sequence[int] | None = None, sharding: Any = None) -> Any:
        """A parameter of ``shape`` (default ``varshape``) from a scalar, array or Initializer."""
        return parameter(param, self.varshape if shape is None else shape, allow_none=False,
                         who=f"{self.describe()} parameter")

    def init_variable(self, var_data: Any, batch_or_mode: Any, shape: Sequence[int] | None = None,
                      sharding: Any = None) -> bm.Variable:
        """A state Variable of ``shape`` (default ``varshape``) with a batch axis in batching modes."""
        if batch_or_mode is None and self.mode.batching:
            batch_or_mode = self.mode
        var = variable_(var_data, self.varshape if shape is None else shape, batch_or_mode,
                        who=f"{self.describe()} variable")
        return self._name_axes(var, self.sharding if sharding is None else sharding)

    def _name_axes(self, var: bm.Variable, names: Any) -> bm.Variable:
        """Record the axis names of ``sharding=`` on a state Variable (the batch axis named too)."""
        if names is None:
            return var
        names = list(names)
        if var.batch_axis is not None and len(names) == var.ndim - 1:
            names.insert(var.batch_axis, bm.sharding.BATCH_AXIS)
        return bm.sharding.partition(var, names)

    def clear_input(self, *args: Any, **kwargs: Any) -> None:
        """BrainPy's hook to clear inputs after a step (inputs here are cleared as they are read)."""


class NeuGroup(Dynamic):
    """Base class of neuron groups: size, parameters, batch-aware state, the ``input`` current;
    BrainPy's ``NeuGroup``/``NeuDyn`` for the models users write. Args: see :class:`Dynamic`."""

    supported_modes = (bm.NonBatchingMode, bm.BatchingMode)
    repr_fields = ("size",)

    @property
    def integral(self) -> Any:
        """The group's equations as a ``bp.odeint`` integrator (BrainPy's ``integral``): the one a
        model assigned itself, else one built from ``derivative(*state, I)``."""
        built = self.__dict__.get("_integral")
        if built is None:
            from neurodyn.neurons._equations import equations_of
            built = self.__dict__["_integral"] = equations_of(self)
        return built

    @integral.setter
    def integral(self, value: Any) -> None:
        self.__dict__["_integral"] = value

    def __getitem__(self, index: Any) -> Any:
        """The neurons ``index`` (a slice or integer positions) as a view that synapses and
        projections can take as ``pre``/``post`` (BrainPy's ``group[:n]``)."""
        from neurodyn.neurons._view import NeuGroupView
        return NeuGroupView(self, index)

    # -- construction helpers ----------------------------------------------------------------
    @property
    def training(self) -> bool:
        """Whether this group was built in ``TrainingMode`` (float32 surrogate spikes)."""
        return isinstance(self.mode, bm.TrainingMode)

    def _param(self, value: Any, name: str, allow_none: bool = False, positive: bool = False,
               non_negative: bool = False) -> jax.Array | None:
        """A per-neuron parameter: a scalar, an array of ``varshape``, or an Initializer;
        ``positive``/``non_negative`` require every entry ``> 0`` / ``>= 0`` (NaN fails both).
        A ``bm.Variable`` is kept as given: the program may change it between runs."""
        given = bm.unwrap(value) if isinstance(value, (bm.Variable, jax.Array, np.ndarray)) else None
        if given is not None and given.ndim and given.shape != tuple(self.varshape) and given.size == 1:
            given = jnp.broadcast_to(jnp.asarray(given), self.varshape)   # one value for all, as BrainPy allows
        p = parameter(value if given is None else given, self.varshape, allow_none=allow_none,
                      allow_scalar=True, who=f"{self.describe()} {name}")
        if p is None:
            return None
        p = jnp.asarray(p, dtype=bm.get_float())
        if isinstance(p, jax.core.Tracer):     # a swept parameter (bp.running): checked per value by JAX
            return p
        if (positive and not bool(jnp.all(p > 0))) or (non_negative and not bool(jnp.all(p >= 0))):
            raise ValueError(describe(self.describe(), f"{name} {'> 0' if positive else '>= 0'}"
                                      f"{' everywhere' if p.ndim else ''}", repr(value)))
        return value if isinstance(value, bm.Variable) else p

    def _state(self, attr: str, init: Any, batch_size: int | None, dtype: Any = None) -> None:
        """Create ``self.<attr>`` as a state Variable, or refill the existing one (keeping identity);
        ``dtype`` defaults to the configured float (``bm.float_``)."""
        dtype = bm.get_float() if dtype is None else dtype
        var = variable_(init, self.varshape, self.state_batch_size(batch_size),
                        who=f"{self.describe()} initial {attr}")
        value = var.value if var.value.dtype == dtype else var.value.astype(dtype)
        old = getattr(self, attr, None)
        if isinstance(old, bm.Variable):
            old.value = value
        else:
            setattr(self, attr, self._name_axes(bm.Variable(value, batch_axis=var.batch_axis), self.sharding))

    def _zeros(self, dtype: Any = None) -> Callable:
        dtype = bm.get_float() if dtype is None else dtype
        return lambda shape: bm.filled(shape, 0, dtype)

    # -- per-step helpers --------------------------------------------------------------------
    def _current(self, x: Any, projected: bool = True) -> Any:
        """``input + x`` for this step, plus (``projected``) the projections' input functions at the
        current ``V``; clears ``input`` for the next one."""
        total = self.input.value
        if projected and self.__dict__.get("_current_inputs"):
            total = self.sum_current_inputs(self.V.value, init=total)
        if x is not None:
            x = real_input(self.describe(), bm.unwrap(x), "an input current")
            if x.ndim and x.shape not in (tuple(self.input.shape), tuple(self.varshape)):
                raise ShapeError(describe(self.describe(), f"an input current that is a scalar or of "
                                          f"shape {tuple(self.input.shape)}", f"shape {tuple(x.shape)}"))
            total = total + x
        self.input.value = jnp.zeros_like(self.input.value)
        return total.astype(bm.get_float())

    def _drive(self, x: Any) -> Callable:
        """This step's input current as a function of ``V``: the external part (``input + x``) and
        the projections' input functions, evaluated at ``V`` inside the derivative when ``ltc``,
        else once at the step's starting ``V``."""
        inside = getattr(self, "ltc", False) and bool(self.__dict__.get("_current_inputs"))
        I = self._current(x, projected=not inside)
        if inside:
            return lambda V: self.sum_current_inputs(V, init=I)
        return lambda V: I

    def _jump(self, V: jax.Array) -> jax.Array:
        """``V`` plus the delta inputs of this step (``HalfProjDelta``), if any."""
        return V + self.sum_delta_inputs() if self.__dict__.get("_delta_inputs") else V

    def _add_noise(self, V: jax.Array, dt: Any) -> jax.Array:
        """Additive white noise ``noise * sqrt(dt) * N(0, 1)`` (Euler-Maruyama), if any."""
        if self.noise is None:
            return V
        return V + self.noise * jnp.sqrt(dt) * bm.random.normal(0., 1., V.shape)


class SpikingGroup(NeuGroup):
    """A neuron group with a threshold: spikes, a reset, an optional refractory period.

    Args (besides :class:`NeuGroup`'s):
        tau_ref: refractory period (ms); ``V`` is held for ``tau_ref`` ms after a spike.
        spike_fun: the spike function of ``TrainingMode`` (a ``bm.surrogate`` instance, class or
            name, or any callable of ``V - V_th``); default ``bm.surrogate.InvSquareGrad()``
            (BrainPy's default: Heaviside forward, ``1 / (100 |x| + 1)^2`` backward).
        detach_spk: in ``TrainingMode``, stop the gradient through the reset.
        spk_reset: ``'soft'`` (``V -= (V_th - V_reset) * spike``) or ``'hard'``
            (``V += (V_reset - V) * spike``), the differentiable reset of ``TrainingMode``;
            in other modes ``V`` is set to ``V_reset`` where a spike occurred.
    """

    def __init__(self, size: int | Sequence[int], tau_ref: Any = 0., spike_fun: Any = None,
                 detach_spk: bool = False, spk_reset: str = "soft", keep_size: bool = False,
                 name: str | None = None, mode: bm.Mode | None = None):
        super().__init__(size, keep_size=keep_size, name=name, mode=mode)
        self.spike_fun = spike_function(spike_fun, f"{self.describe()} spike_fun")
        if spk_reset not in ("soft", "hard"):
            raise ValueError(describe(self.describe(), "spk_reset 'soft' or 'hard'", repr(spk_reset)))
        if not isinstance(detach_spk, bool):
            raise TypeError(describe(self.describe(), "detach_spk to be a bool", repr(detach_spk)))
        self.spk_reset, self.detach_spk = spk_reset, detach_spk
        self.tau_ref = self._param(tau_ref, "tau_ref", non_negative=True)
        try:
            self._has_ref = not (jnp.ndim(self.tau_ref) == 0 and float(self.tau_ref) == 0.)
        except jax.errors.ConcretizationTypeError:     # built inside a trace (pmap): keep the general path
            self._has_ref = not (isinstance(tau_ref, (int, float)) and float(tau_ref) == 0.)
        self._tracks_spike_times = self._has_ref or not self.training

    def _reset_spiking(self, batch_size: int | None) -> None:
        self._state("spike", self._zeros(bm.get_float() if self.training else jnp.bool_), batch_size,
                    bm.get_float() if self.training else jnp.bool_)
        if self._tracks_spike_times:
            self._state("t_last_spike", lambda s: bm.filled(s, -1e7, bm.get_float()), batch_size)
            self._state("refractory", self._zeros(jnp.bool_), batch_size, jnp.bool_)

    def __getattr__(self, name: str) -> Any:
        # only reached when the attribute is missing
        if name in ("t_last_spike", "refractory") and not self.__dict__.get("_tracks_spike_times", True):
            raise AttributeError(describe(self.describe(), f"a {name!r} Variable",
                                          "none: in TrainingMode with tau_ref=0 spike times and "
                                          "refractoriness are not tracked",
                                          "build it with tau_ref > 0, or in a simulation mode "
                                          "(bm.NonBatchingMode / bm.BatchingMode), to record them"))
        raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")

    def _hold(self, V_new: jax.Array, V_old: jax.Array, t: jax.Array) -> tuple[jax.Array, Any]:
        """Keep ``V_old`` where the neuron is refractory; returns ``(V, refractory mask or None)``."""
        if not self._has_ref:
            return V_new, None
        refractory = (t - self.t_last_spike.value) <= self.tau_ref
        return jnp.where(refractory, V_old, V_new), refractory

    def _fire(self, V: jax.Array, V_th: Any, V_reset: Any) -> tuple[jax.Array, jax.Array, jax.Array]:
        """Threshold and reset: ``(spike, V after reset, fired as bool without gradient)``."""
        if self.training:
            spike = self.spike_fun(V - V_th)
            s = jax.lax.stop_gradient(spike) if self.detach_spk else spike
            if self.spk_reset == "soft":
                V = V - (V_th - V_reset) * s
            else:
                V = V + (V_reset - V) * s
            return spike, V, jax.lax.stop_gradient(spike) > 0
        fired = V >= V_th
        return fired, jnp.where(fired, V_reset, V), fired

    def _record(self, spike: jax.Array, fired: jax.Array, refractory: Any, t: jax.Array) -> None:
        """Write ``spike``, ``t_last_spike`` and ``refractory`` for this step."""
        self.spike.value = spike
        if self._tracks_spike_times:
            self.t_last_spike.value = jnp.where(fired, t, self.t_last_spike.value)
            self.refractory.value = fired if refractory is None else jnp.logical_or(refractory, fired)


def with_defaults(cls: type, name: str, **defaults: Any) -> type:
    """BrainPy's name for ``cls`` with other defaults (``LifRefLTC`` is ``LIF(ltc=True)``): a
    subclass that changes only the defaults, so one class implements every variant."""
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        cls.__init__(self, *args, **{**defaults, **kwargs})

    options = ", ".join(f"{k}={v!r}" for k, v in defaults.items())
    doc = f"``{cls.__name__}`` with ``{options}`` by default (BrainPy's name). See :class:`{cls.__name__}`."
    return type(name, (cls,), {"__init__": __init__, "__doc__": doc, "__module__": cls.__module__})
