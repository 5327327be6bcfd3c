"""Part of a neuron group: ``group[:3200]`` (BrainPy's group slicing), for a synapse or
projection that reads or drives only those neurons.

A view owns no state. Its Variables are views too: reading one gives those neurons' entries of
the group's Variable (its last axis), writing one writes them into it, so compiled programs and
``vars()`` see only the group's own Variables.

    >>> import neurodyn as bp
    >>> group = bp.neurons.LIF(5)
    >>> exc = group[:3]
    >>> exc.num, exc.V.shape
    (3, (3,))
    >>> exc.input += 2.
    >>> group.input.value.tolist()
    [2.0, 2.0, 2.0, 0.0, 0.0]
"""
from __future__ import annotations

from typing import Any

import jax
import jax.numpy as jnp
import numpy as np

import neurodyn.math as bm
from neurodyn.errors import ShapeError, describe

__all__ = ["NeuGroupView", "VariableView"]


class VariableView(bm.Variable):
    """The entries ``index`` of the last axis of ``var``, read and written through ``var``."""

    __slots__ = ("_var", "_index", "_num")

    def __init__(self, var: bm.Variable, index: Any, num: int):
        self._var, self._index, self._num = var, index, num
        self._value, self._batch_axis = None, var.batch_axis

    @property
    def value(self) -> jax.Array:
        return self._var.value[..., self._index]

    @value.setter
    def value(self, new: Any) -> None:
        whole = self._var.value
        new = jnp.asarray(bm.unwrap(new))
        if new.dtype != whole.dtype:
            new = new.astype(whole.dtype)
        self._var.value = whole.at[..., self._index].set(jnp.broadcast_to(new, whole.shape[:-1] + (self._num,)))

    shape = property(lambda self: tuple(self._var.shape[:-1]) + (self._num,))
    dtype = property(lambda self: self._var.dtype)
    ndim = property(lambda self: self._var.ndim)
    size = property(lambda self: int(np.prod(self.shape)))

    def __len__(self) -> int:
        return self.shape[0]

    def __str__(self) -> str:
        return str(np.asarray(self.value))

    def __repr__(self) -> str:
        return f"VariableView(of {self._var.shape} at {self._index!r})"


class NeuGroupView:
    """Neurons ``index`` (a slice, or integer positions) of a one-dimensional ``group``."""

    def __init__(self, group: Any, index: Any):
        who = group.describe()
        if len(group.varshape) != 1:
            raise ShapeError(describe(who, "a one-dimensional group to take neurons from",
                                      f"shape {tuple(group.varshape)}", "index its Variables instead"))
        positions = np.arange(group.num)[index]
        if positions.ndim != 1 or positions.size == 0:
            raise ShapeError(describe(who, "a slice or integer positions selecting at least one neuron",
                                      repr(index)))
        self.target = group
        self.index = index if isinstance(index, slice) else jnp.asarray(positions)
        self.num = int(positions.size)
        self.varshape = (self.num,)
        self.size = self.varshape

    @property
    def mode(self) -> bm.Mode:
        return self.target.mode

    @property
    def name(self) -> str:
        return f"{self.target.name}[{_text(self.index)}]"

    def describe(self) -> str:
        return f"{self.target.describe()}[{_text(self.index)}]"

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__") or name in ("target", "index", "num"):
            raise AttributeError(name)
        value = getattr(self.target, name)
        if isinstance(value, bm.Variable) and not isinstance(value, bm.Array):
            return VariableView(value, self.index, self.num)
        return value

    def __setattr__(self, name: str, value: Any) -> None:
        if name in ("target", "index", "num", "varshape", "size"):
            object.__setattr__(self, name, value)
            return
        current = getattr(self, name)
        if not isinstance(current, VariableView):
            raise AttributeError(describe(self.describe(), "an assignment to one of the group's Variables "
                                          "(a view holds nothing else)", f"{name} = {value!r:.60}",
                                          f"set it on the group: {self.target.describe()}.{name} = ..."))
        if value is not current:          # `view.input += x` already wrote through the view
            current.value = value

    def __repr__(self) -> str:
        return f"NeuGroupView({self.describe()})"


def _text(index: Any) -> str:
    if isinstance(index, slice):
        return ":".join("" if v is None else str(v) for v in (index.start, index.stop)) + (
            "" if index.step is None else f":{index.step}")
    return f"{int(np.asarray(index).size)} neurons"
