"""Variable: the only mutable thing in neurodyn — a box around one JAX array.

    >>> import neurodyn.math as bm
    >>> v = bm.Variable(bm.zeros((2, 3)), batch_axis=0)
    >>> v += 1.
    >>> v.value.sum().item(), v.shape
    (6.0, (2, 3))
"""
from __future__ import annotations

from typing import Any, Iterable

import jax
import jax.numpy as jnp
import numpy as np

from neurodyn.errors import DtypeError, ShapeError, describe
from neurodyn.math import _trace

__all__ = ["Variable", "Array", "Parameter", "TrainVar", "VarList", "VarDict", "NodeList", "NodeDict", "unwrap", "unwrap_tree"]


def _is_shape(value: Any) -> bool:
    """A Python int or a tuple/list of ints (not bools): a size, as BrainPy reads it."""
    def is_int(x: Any) -> bool:
        return isinstance(x, int) and not isinstance(x, bool)
    return is_int(value) or (isinstance(value, (tuple, list)) and len(value) > 0 and all(map(is_int, value)))


def _as_array(value: Any) -> jax.Array:
    if isinstance(value, Variable):
        return value.value
    if isinstance(value, jax.Array):
        return value
    return jnp.asarray(value)


class Variable:
    """A mutable box around one JAX array.

    Args:
        value: the initial array (anything ``jnp.asarray`` accepts, or a ``Variable``), or, as
            BrainPy's ``value_or_size``, a size: an int or a tuple/list of ints makes zeros of
            that shape (``bm.Variable(3)`` holds ``[0., 0., 0.]``).
        batch_axis: the axis that holds the batch, if any. Its length may change when state is
            reset for another batch size; every other axis, and the dtype, are fixed.
        dtype: optional dtype to cast the initial value to.

    Reading ``.value`` inside ``bm.jit``/``bm.grad``/``bm.for_loop`` is recorded, so transforms
    find the state a function touches without being told.
    """

    __slots__ = ("_value", "_batch_axis", "__weakref__")
    __array_priority__ = 100

    def __init__(self, value: Any, batch_axis: int | None = None, dtype: Any = None):
        if _is_shape(value):           # BrainPy's Variable(value_or_size): a size makes zeros
            from neurodyn.math._environment import get_float
            value = jnp.zeros(value, get_float() if dtype is None else dtype)
        arr = _as_array(value)
        if dtype is not None:
            arr = arr.astype(dtype)
        if batch_axis is not None:
            if not isinstance(batch_axis, int) or not -arr.ndim <= batch_axis < max(arr.ndim, 1):
                raise ShapeError(describe(type(self).__name__, f"batch_axis within the {arr.ndim} axes "
                                          "of the value", f"batch_axis={batch_axis!r} for shape "
                                          f"{tuple(arr.shape)}"))
            batch_axis = batch_axis % arr.ndim
        self._value = arr
        self._batch_axis = batch_axis
        _trace.record_create(self)

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        jax.tree_util.register_pytree_node(cls, _flatten_variable, _unflatten_variable)

    def __jax_array__(self) -> jax.Array:
        """With the pytree registration below, lets ``jax.numpy`` functions take a Variable."""
        return self.value

    # -- the value ---------------------------------------------------------------------------
    @property
    def value(self) -> jax.Array:
        _trace.record_read(self)
        return self._value

    @value.setter
    def value(self, new: Any) -> None:
        arr = _as_array(new)
        self._check_fits(arr)
        _trace.record_write(self)
        self._value = arr

    def _check_fits(self, arr: jax.Array) -> None:
        old = self._value
        if arr.dtype != old.dtype:
            raise DtypeError(describe(f"{type(self).__name__} of shape {tuple(old.shape)}",
                                      f"a value of dtype {old.dtype}", f"dtype {arr.dtype}",
                                      f"cast it first, e.g. x.astype({old.dtype.name!r})"))
        same = arr.shape == old.shape
        if not same and self._batch_axis is not None and arr.ndim == old.ndim:
            keep = [i for i in range(old.ndim) if i != self._batch_axis]
            same = all(arr.shape[i] == old.shape[i] for i in keep)
        if not same:
            axis = "" if self._batch_axis is None else f" (only axis {self._batch_axis}, the batch axis, may change)"
            raise ShapeError(describe(f"{type(self).__name__} of shape {tuple(old.shape)}",
                                      f"a value of the same shape{axis}", f"shape {tuple(arr.shape)}",
                                      "assign an array of the variable's shape, or create a new Variable"))

    def update(self, value: Any) -> None:
        """Set the value (same as ``self.value = value``)."""
        self.value = value

    @property
    def batch_axis(self) -> int | None:
        return self._batch_axis

    @property
    def batch_size(self) -> int | None:
        return None if self._batch_axis is None else self._value.shape[self._batch_axis]

    # -- array-like read-only attributes ------------------------------------------------------
    shape = property(lambda self: self._value.shape)
    dtype = property(lambda self: self._value.dtype)
    ndim = property(lambda self: self._value.ndim)
    size = property(lambda self: self._value.size)
    T = property(lambda self: self.value.T)

    def numpy(self) -> np.ndarray:
        """The value as a NumPy array (BrainPy's ``Array.numpy()``)."""
        return np.asarray(self.value)

    to_numpy = numpy

    def to_jax(self) -> jax.Array:
        """The value as a JAX array."""
        return self.value

    def __len__(self) -> int:
        return len(self._value)

    def __iter__(self):
        value = self.value             # indexed one by one: works on traced values too
        return (value[i] for i in range(len(value)))

    def __array__(self, dtype=None, copy=None):
        return np.asarray(self.value, dtype=dtype)

    def __bool__(self) -> bool:
        return bool(self.value)

    def __float__(self) -> float:
        return float(self.value)

    def __int__(self) -> int:
        return int(self.value)

    def __index__(self) -> int:
        return int(self.value)

    def __hash__(self) -> int:
        return id(self)

    def __getattr__(self, name: str) -> Any:
        # array methods: v.sum(), v.reshape(...), v.astype(...)
        if name.startswith("_"):
            raise AttributeError(name)
        return getattr(self.value, name)

    def __getitem__(self, index: Any) -> jax.Array:
        return self.value[unwrap(index)]

    def __setitem__(self, index: Any, new: Any) -> None:
        self.value = self.value.at[unwrap(index)].set(unwrap(new))

    def __str__(self) -> str:
        """The value as NumPy prints it (``print(v)`` shows ``[1. 1.]``, as in BrainPy)."""
        return str(np.asarray(self._value))

    def __format__(self, spec: str) -> str:
        return format(self._value, spec)

    def __repr__(self) -> str:
        body = repr(self._value).replace("\n", "\n" + " " * (len(type(self).__name__) + 7))
        extra = "" if self._batch_axis is None else f", batch_axis={self._batch_axis}"
        return f"{type(self).__name__}(value={body}{extra})"

    # -- in-place updates write the value ------------------------------------------------------
    def __iadd__(self, o): self.value = self.value + unwrap(o); return self  # noqa: E702
    def __isub__(self, o): self.value = self.value - unwrap(o); return self  # noqa: E702
    def __imul__(self, o): self.value = self.value * unwrap(o); return self  # noqa: E702
    def __itruediv__(self, o): self.value = self.value / unwrap(o); return self  # noqa: E702
    def __ifloordiv__(self, o): self.value = self.value // unwrap(o); return self  # noqa: E702
    def __imod__(self, o): self.value = self.value % unwrap(o); return self  # noqa: E702
    def __ipow__(self, o): self.value = self.value ** unwrap(o); return self  # noqa: E702
    def __imatmul__(self, o): self.value = self.value @ unwrap(o); return self  # noqa: E702
    def __iand__(self, o): self.value = self.value & unwrap(o); return self  # noqa: E702
    def __ior__(self, o): self.value = self.value | unwrap(o); return self  # noqa: E702
    def __ixor__(self, o): self.value = self.value ^ unwrap(o); return self  # noqa: E702
    def __ilshift__(self, o): self.value = self.value << unwrap(o); return self  # noqa: E702
    def __irshift__(self, o): self.value = self.value >> unwrap(o); return self  # noqa: E702


def _make_ops() -> None:
    import operator
    names = ["add", "sub", "mul", "truediv", "floordiv", "mod", "pow", "matmul",
             "and", "or", "xor", "lshift", "rshift"]
    for n in names:
        fn = getattr(operator, n if n not in ("and", "or") else n + "_")

        def fwd(self, other, fn=fn):
            return fn(self.value, unwrap(other))

        def rev(self, other, fn=fn):
            return fn(unwrap(other), self.value)

        setattr(Variable, f"__{n}__", fwd)
        setattr(Variable, f"__r{n}__", rev)
    for n in ["lt", "le", "gt", "ge", "eq", "ne"]:
        fn = getattr(operator, n)
        setattr(Variable, f"__{n}__", lambda self, other, fn=fn: fn(self.value, unwrap(other)))
    for n, fn in [("neg", operator.neg), ("pos", operator.pos), ("abs", operator.abs),
                  ("invert", operator.invert)]:
        setattr(Variable, f"__{n}__", lambda self, fn=fn: fn(self.value))


_make_ops()



def _flatten_variable(var: Variable) -> tuple[tuple[jax.Array], tuple]:
    return (var.value,), (type(var), var._batch_axis)


def _unflatten_variable(aux: tuple, children: Any) -> Any:
    cls, axis = aux
    (value,) = children
    if not isinstance(value, jax.Array):      # JAX rebuilds trees of placeholders (None, object())
        return value
    var = object.__new__(cls)
    var._value, var._batch_axis = value, axis
    _trace.record_ephemeral(var)        # JAX's copy inside its own trace: never state of ours
    return var


# A Variable is a pytree of its value: with ``__jax_array__`` (which makes jax.numpy accept it),
# jax.numpy's compiled functions and jax transforms read the array inside, and the read is recorded.
jax.tree_util.register_pytree_node(Variable, _flatten_variable, _unflatten_variable)

class Parameter(Variable):
    """A model parameter held in a Variable (BrainPy's ``bm.Parameter``): found by ``vars()`` and
    saved by ``state_dict()``, but not optimised by the trainers (a ``TrainVar`` is).

        >>> import neurodyn.math as bm
        >>> isinstance(bm.Parameter(bm.ones(2)), bm.Variable), isinstance(bm.Parameter(bm.ones(2)), bm.TrainVar)
        (True, False)
    """

    __slots__ = ()


class TrainVar(Variable):
    """A Variable that trainers optimise (a parameter).

        >>> import neurodyn.math as bm
        >>> w = bm.TrainVar(bm.ones(3))
        >>> isinstance(w, bm.Variable)
        True
    """

    __slots__ = ()


class Array(Variable):
    """BrainPy's ``bm.Array``: a mutable array that is not model state.

    ``bm.zeros``, ``bm.linspace``, ``bm.array``, ... called from a user's code outside a compiled
    transform return one, so ``a[2:5] = 1.`` and ``a.numpy()`` work as in BrainPy. Unlike a
    Variable it is never collected by ``vars()`` or carried by a transform: one made outside a
    transform is a constant inside it, and changing it there is an error (make it a
    ``bm.Variable``); one made inside (``bm.zeros`` in a model's ``update``) is a local array.

        >>> import neurodyn.math as bm
        >>> a = Array(bm.zeros(4))
        >>> a[1:3] = 1.
        >>> a.numpy().tolist(), float(a.sum())
        ([0.0, 1.0, 1.0, 0.0], 2.0)
    """

    __slots__ = ()

    def __init__(self, value: Any, dtype: Any = None):
        arr = _as_array(value)
        self._value = arr if dtype is None else arr.astype(dtype)
        self._batch_axis = None

    @property
    def value(self) -> jax.Array:
        return self._value

    @value.setter
    def value(self, new: Any) -> None:
        arr = _as_array(new)
        if isinstance(arr, jax.core.Tracer) and not isinstance(self._value, jax.core.Tracer):
            raise TypeError(describe("bm.Array", "an array changed outside compiled code (it is not state)",
                                     "a change inside a compiled transform (bm.jit, bm.for_loop, a runner)",
                                     "keep what changes in a bm.Variable: x = bm.Variable(bm.zeros(n))"))
        self._value = arr


def unwrap(x: Any) -> Any:
    """The array inside a Variable; anything else unchanged."""
    return x.value if isinstance(x, Variable) else x


def unwrap_tree(tree: Any) -> Any:
    """Replace every Variable in a pytree by its value."""
    return jax.tree_util.tree_map(unwrap, tree, is_leaf=lambda x: isinstance(x, Variable))


class VarList(list):
    """A list of Variables; setting an item writes into the existing Variable."""

    def __init__(self, seq: Iterable[Variable] = ()):
        items = list(seq)
        for v in items:
            _check_var(v, "VarList")
        super().__init__(items)

    def append(self, v: Variable) -> None:
        super().append(_check_var(v, "VarList"))

    def __setitem__(self, i, value):
        if isinstance(value, Variable) and not isinstance(value, Array):
            super().__setitem__(i, value)
        else:
            self[i].value = value


class VarDict(dict):
    """A dict of Variables; setting an existing key to an array writes into that Variable."""

    def __init__(self, *args, **kwargs):
        super().__init__()
        for k, v in dict(*args, **kwargs).items():
            self[k] = v

    def __setitem__(self, key, value):
        if (isinstance(value, Variable) and not isinstance(value, Array)) or key not in self:
            super().__setitem__(key, _check_var(value, "VarDict"))
        else:
            self[key].value = value

    def __add__(self, other: dict) -> "VarDict":
        """Both collections (BrainPy's ``a.vars() + b.vars()``); a key naming another Variable in
        each gets a ``#n`` suffix in the second, so no Variable is lost."""
        out = VarDict(self)
        for k, v in dict(other).items():
            key, n = k, 1
            while key in out and out[key] is not v:
                key, n = f"{k}#{n}", n + 1
            dict.__setitem__(out, key, _check_var(v, "VarDict"))
        return out

    def unique(self) -> "VarDict":
        """The same mapping without Variables reachable under two keys (first key kept)."""
        seen, out = set(), VarDict()
        for k, v in self.items():
            if id(v) not in seen:
                seen.add(id(v))
                out[k] = v
        return out

    def subset(self, var_type: type) -> "VarDict":
        """Only the Variables that are instances of ``var_type``."""
        return VarDict({k: v for k, v in self.items() if isinstance(v, var_type)})

    def dict(self) -> dict:
        """A plain dict path -> current array."""
        return {k: v.value for k, v in self.items()}


class NodeList(list):
    """A list of child systems (BrainPy's ``bm.NodeList``): a model finds the nodes and Variables
    inside it like those of any list attribute, under ``name.0``, ``name.1``, ..."""


class NodeDict(dict):
    """A dict of child systems (BrainPy's ``bm.NodeDict``), found under ``name.key``."""


def _check_var(v: Any, where: str) -> Variable:
    if not isinstance(v, Variable):
        raise TypeError(describe(where, "a bm.Variable", f"{type(v).__name__}",
                                 "wrap the array: bm.Variable(x)"))
    return v
