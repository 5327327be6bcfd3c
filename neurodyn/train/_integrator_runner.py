"""``bp.IntegratorRunner``: run an ``odeint``/``sdeint`` integrator over time and record its variables.

It is :class:`~neurodyn.train.DSRunner` over a small system that holds the integrator's
variables as Variables and advances them with the integrator each step (so monitors, the
progress bar and the compiled ``lax.scan`` are the runner's).

    >>> import neurodyn as bp
    >>> decay = bp.odeint(lambda x, t, tau: -x / tau, method='exp_auto')
    >>> runner = bp.IntegratorRunner(decay, monitors=['x'], inits=[1.], args={'tau': 10.}, dt=0.1,
    ...                              progress_bar=False)
    >>> runner.run(1.)
    >>> round(float(runner.mon.x[-1, 0]), 5)      # exp(-1 / 10)
    0.90484
"""
from __future__ import annotations

from typing import Any, Mapping, Sequence

import jax.numpy as jnp
import numpy as np

import neurodyn.math as bm
from neurodyn.core import DynamicalSystem, share
from neurodyn.errors import describe
from neurodyn.train._runner import DSRunner

__all__ = ["IntegratorRunner"]

_WHO = "IntegratorRunner"


class _Integration(DynamicalSystem):
    """The integrator's variables as Variables (``state.<name>``), advanced one step per update."""

    def __init__(self, integral: Any, inits: Any, args: Mapping, dyn_names: Sequence[str]):
        super().__init__(mode=bm.NonBatchingMode())
        self.integral, self.args, self.dyn_names = integral, dict(args), list(dyn_names)
        names = list(integral.variables)
        if inits is None:                 # BrainPy: every variable starts at 0
            inits = {}
        if isinstance(inits, Mapping):
            unknown = sorted(set(inits) - set(names))
            if unknown:
                raise ValueError(describe(_WHO, f"inits keyed by the variables {names}", f"unknown {unknown}"))
            size = max([int(np.size(bm.unwrap(v))) for v in inits.values()] or [1])
            values = [inits.get(n, np.zeros(size)) for n in names]     # a variable not given starts at 0
        else:
            values = list(np.atleast_1d(np.asarray(bm.as_numpy(inits), dtype=float))) \
                if not isinstance(inits, (list, tuple)) else list(inits)
            if len(values) != len(names):
                raise ValueError(describe(_WHO, f"one initial value per variable {names}",
                                          f"{len(values)} values"))
        self.state = bm.VarDict({n: bm.Variable(jnp.atleast_1d(jnp.asarray(bm.unwrap(v), bm.get_float())))
                                 for n, v in zip(names, values)})

    def update(self, *dyn_values: Any) -> None:
        names = self.integral.variables
        kwargs = {**self.args, **dict(zip(self.dyn_names, dyn_values))}
        new = self.integral(*(self.state[n].value for n in names), share.load("t"), dt=share.load("dt"),
                            **kwargs)
        for n, value in zip(names, new if len(names) > 1 else [new]):
            self.state[n].value = jnp.broadcast_to(value, self.state[n].shape).astype(self.state[n].dtype)


class IntegratorRunner(DSRunner):
    """Run ``target`` (an integrator from ``bp.odeint``/``bp.sdeint``) from ``inits``.

    Args:
        target: the integrator (its ``variables`` are integrated, its ``parameters`` given by
            ``args``/``dyn_args``).
        monitors: variable names (``['x']``) or a dict ``name -> variable name or f(shared)``.
        inits: initial values, one per variable (a list, or a dict by name); a variable not given
            starts at 0 (as in BrainPy).
        args: fixed values of the parameters.
        dyn_args: parameters that change each step: a dict of arrays with a leading time axis.
        dt, t0, progress_bar, numpy_mon_after_run: as ``DSRunner``.
    """

    def __init__(self, target: Any, monitors: Any = None, inits: Any = None, args: Mapping | None = None,
                 dyn_args: Mapping | None = None, dyn_vars: Any = None, dt: float | None = None,
                 t0: float = 0., progress_bar: bool = True, numpy_mon_after_run: bool = True):
        if not hasattr(target, "variables") or not callable(target):
            raise TypeError(describe(_WHO, "an integrator from bp.odeint or bp.sdeint", type(target).__name__))
        self._dyn_args = dict(dyn_args or {})
        system = _Integration(target, inits, args or {}, list(self._dyn_args))
        if monitors is None:
            monitors = list(target.variables)
        if isinstance(monitors, str):
            monitors = [monitors]
        if not isinstance(monitors, Mapping):
            monitors = {m: m for m in monitors}
        mapped = {k: (f"state.{v}" if isinstance(v, str) and v in target.variables else v)
                  for k, v in monitors.items()}
        super().__init__(system, monitors=mapped, dt=dt, t0=t0, progress_bar=progress_bar,
                         numpy_mon_after_run=numpy_mon_after_run)

    def run(self, duration: float, args: Mapping | None = None, dyn_args: Mapping | None = None,
            eval_time: bool = False) -> Any:
        """Integrate for ``duration``; ``args``/``dyn_args`` override those given at construction."""
        if args:
            self.target.args.update(args)
        dyn = {**self._dyn_args, **(dyn_args or {})}
        if set(dyn) != set(self.target.dyn_names):
            raise ValueError(describe(_WHO, f"dyn_args {sorted(self.target.dyn_names)} (those of the "
                                      "construction)", f"{sorted(dyn)}"))
        if not dyn:
            out = super().run(duration, eval_time=eval_time)
        else:
            xs = tuple(jnp.asarray(dyn[n]) for n in self.target.dyn_names)
            out = super().run(inputs=xs, eval_time=eval_time)
        return out[0] if eval_time else None
