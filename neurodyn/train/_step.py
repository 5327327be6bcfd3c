"""The one functionalised step every trainer and the runner drive: values in, values out.

A model's state is its Variables. :class:`Functional` turns a function that reads and writes
them into a pure function ``(values, *args) -> (new values, output)`` by swapping traced values
into the Variables while it runs (see ``neurodyn.math._trace``); Variables outside the model
(the global ``bm.random`` generator, say) are found on the first trace. :class:`Program` compiles
a function of those values with ``jax.jit`` once per input shapes and rebuilds it only when
the set of Variables grows.

    >>> import jax.numpy as jnp
    >>> import neurodyn.math as bm
    >>> x = bm.Variable(jnp.zeros(2))
    >>> def add(y):
    ...     x.value = x.value + y
    ...     return x.value.sum()
    >>> f = Functional(add, [x])
    >>> prog = Program(f, lambda values, y: f(values, y))
    >>> new, out = prog(jnp.ones(2))
    >>> [a.tolist() for a in new], float(out), x.value.tolist()   # x itself is untouched
    ([[1.0, 1.0]], 2.0, [0.0, 0.0])
"""
from __future__ import annotations

from typing import Any, Callable, Iterable, Mapping, Sequence

import jax
import jax.numpy as jnp
import numpy as np

from neurodyn.errors import describe
from neurodyn.math._trace import Discovered, Recorder, commit, discovering, pure_call

__all__ = ["Functional", "Program", "localize", "swap_time_batch", "concat_time", "check_shared_args", "commit",
           "is_shared_dict"]


class Functional:
    """``fn`` (which reads/writes Variables) as a pure function of the Variables' values.

    Args:
        fn: the stateful function.
        variables: the Variables known in advance (a model's ``vars()``), in a fixed order;
            any other Variable ``fn`` touches is appended on discovery.
    """

    def __init__(self, fn: Callable, variables: Sequence[Any] = ()):
        self.fn = fn
        self.state = Discovered(fixed=list(variables), need_reads=True)
        # every known Variable counts as written from the start (unchanged ones are passed
        # through), so the first trace is not repeated just to learn which ones ``fn`` writes
        known = Recorder()
        for var in variables:
            known.touched[id(var)] = known.written[id(var)] = var
        self.state.absorb(known)

    @property
    def variables(self) -> list:
        """Every Variable the pure function takes, in the order of its ``values``."""
        return self.state.vars

    def values(self) -> list:
        """The current values of :attr:`variables` (call outside a trace)."""
        return [v.value for v in self.state.vars]

    def __call__(self, values: Sequence[Any], *args: Any, **kwargs: Any) -> tuple[list, Any]:
        """Run ``fn(*args, **kwargs)`` on ``values``; return (all new values, output). Inside a trace."""
        new, out = pure_call(self.state, self.fn, list(values), args, kwargs)
        position = {id(v): k for k, v in enumerate(self.state.vars)}
        full = list(values)
        for var, value in zip(self.state.written, new):
            full[position[id(var)]] = value
        return full, out


class Program:
    """``program(values, *args)`` compiled with ``jax.jit``, fed with a Functional's current values.

    The compiled function is cached by the shapes of its inputs (``jax.jit``'s cache) and
    rebuilt only when the Functional discovers new Variables (its first call may trace twice).
    The result is returned as is; the caller writes what it wants back with :func:`commit`.

    Args:
        functional: whose ``values()`` are the first argument.
        program: a pure function ``(values, *args) -> anything``.
        donate_argnums: positions in ``(values, *args)`` whose buffers the caller owns and
            never reads again (e.g. an optimizer state), donated to the computation.
        jit: ``False`` runs ``program`` eagerly (for debugging).
        placement: a ``bp.distributed.Placement``: the values are put on its mesh before the
            call (the caller places the other arguments).
    """

    def __init__(self, functional: Functional, program: Callable, donate_argnums: Sequence[int] = (),
                 jit: bool = True, placement: Any = None):
        self.functional = functional
        self.placement = placement
        self.program = program
        self.donate_argnums = tuple(donate_argnums)
        self.jit = jit
        self._compiled: Callable | None = None
        self._compiled_for = -1

    def _get(self) -> Callable:
        size = len(self.functional.variables)
        if self._compiled_for != size:
            self._compiled = (jax.jit(self.program, donate_argnums=self.donate_argnums)
                              if self.jit else self.program)
            self._compiled_for = size
        return self._compiled

    def values(self) -> list:
        """The Functional's current values, placed on the mesh when there is one."""
        values = self.functional.values()
        if self.placement is not None:
            values = self.placement.variables(self.functional.variables, values)
        return values

    def __call__(self, *args: Any) -> Any:
        return discovering(lambda: self._get()(self.values(), *args))


def localize(placement: Any, programs: Iterable[Program]) -> None:
    """After a run on a mesh, every Variable the programs touched back as an ordinary array on
    this process (gathered from the other processes where split), so the model is usable
    anywhere; a no-op without a placement."""
    if placement is None:
        return
    variables = list({id(v): v for p in programs for v in p.functional.variables}.values())
    with placement.guard("gathering the state after a run"):
        commit(variables, placement.to_host([v.value for v in variables]))


def swap_time_batch(tree: Any) -> Any:
    """Swap the first two axes of every leaf with at least two (``(B, T, ...) <-> (T, B, ...)``)."""
    return jax.tree_util.tree_map(lambda a: jnp.swapaxes(a, 0, 1) if jnp.ndim(a) >= 2 else a, tree)


def concat_time(pieces: Sequence[Any], batch_first: bool) -> Any:
    """Join chunks of stacked step results along time: axis 1 of the leaves that
    :func:`swap_time_batch` put batch-first, axis 0 of the others (NumPy and JAX alike)."""
    def join(*parts):
        axis = 1 if batch_first and np.ndim(parts[0]) >= 2 else 0
        return np.concatenate(parts, axis) if isinstance(parts[0], np.ndarray) else jnp.concatenate(parts, axis)
    return pieces[0] if len(pieces) == 1 else jax.tree_util.tree_map(join, *pieces)


def is_shared_dict(x: Any) -> bool:
    """Whether ``x`` is a dict of shared arguments (empty, or plain scalars/strings), the leading
    ``{}`` older BrainPy code passes before the data: ``runner.predict({}, xs)``."""
    return isinstance(x, dict) and all(isinstance(v, (bool, int, float, str)) for v in x.values())


def check_shared_args(shared_args: Mapping | None, who: str) -> dict:
    """``shared_args`` as a dict of hashable values (each distinct dict is compiled once).

    ``t``, ``i``, ``dt`` and ``fit`` are set by the runner or trainer itself and may not be given.
    """
    shared = dict(shared_args or {})
    reserved = sorted(set(shared) & {"t", "i", "dt", "fit"})
    if reserved:
        raise ValueError(describe(who, "shared_args without t, i, dt or fit (the runner/trainer sets "
                                  "them each step)", f"{reserved}",
                                  "choose the step with dt=; fit is True while training, False otherwise"))
    for key, value in shared.items():
        try:
            hash(value)
        except TypeError:
            raise TypeError(describe(who, f"shared_args[{key!r}] hashable (a Python scalar or string)",
                                     type(value).__name__)) from None
    return shared
