"""``bm.sharding``: BrainPy's names for placing arrays on a device mesh, over ``jax.sharding``.

Axis names say which axis of an array is which (``NEU_AXIS`` for the neurons, ``BATCH_AXIS``
for the batch). ``partition(x, [NEU_AXIS])`` places ``x`` on the mesh of the enclosing
``device_mesh(...)`` block along those names (axes the mesh lacks stay whole); without a mesh it
returns ``x``. On a Variable it also records the names, which a runner or trainer built with
``mesh=`` (``bp.distributed``) follows; neuron groups built with ``sharding=[NEU_AXIS]`` name
their state this way.

    >>> import numpy as np, jax
    >>> import neurodyn.math as bm
    >>> bm.sharding.partition(bm.ones(3)).tolist(), bm.sharding.NEU_AXIS
    ([1.0, 1.0, 1.0], 'neuron')
    >>> with bm.sharding.device_mesh(np.array(jax.devices()[:1]), [bm.sharding.NEU_AXIS]):
    ...     x = bm.sharding.partition(bm.ones(4), [bm.sharding.NEU_AXIS])
    >>> x.sharding.spec
    P('neuron',)
"""
from __future__ import annotations

import contextlib
import weakref
from typing import Any, Iterator, Sequence

import jax
import numpy as np
from jax.sharding import Mesh, NamedSharding, PartitionSpec, Sharding

from neurodyn.errors import ShapeError, describe
from neurodyn.math._variable import Variable

__all__ = ["BATCH_AXIS", "NEU_AXIS", "PRE_AXIS", "POST_AXIS", "SYN_AXIS", "TIME_AXIS", "device_mesh",
           "get_sharding", "partition", "partition_by_axname", "partition_by_sharding", "keep_constraint",
           "axis_names_of"]

BATCH_AXIS, NEU_AXIS, PRE_AXIS, POST_AXIS, SYN_AXIS, TIME_AXIS = "batch", "neuron", "pre", "post", "synapse", "time"

_default_mesh: Mesh | None = None
_names: dict[int, tuple] = {}       # id(Variable) -> axis names, dropped with the Variable


def _record(var: Variable, names: tuple) -> None:
    if id(var) not in _names:
        weakref.finalize(var, _names.pop, id(var), None)
    _names[id(var)] = names


@contextlib.contextmanager
def device_mesh(devices: Any, axis_names: Sequence[str]) -> Iterator[Mesh]:
    """Inside the block, ``partition``/``get_sharding`` place arrays on this mesh (``devices``
    an array of devices with one dimension per name)."""
    global _default_mesh
    devices = np.asarray(devices)
    if devices.ndim != len(axis_names):
        raise ShapeError(describe("bm.sharding.device_mesh", f"one axis name per dimension of devices "
                                  f"(shape {devices.shape})", f"names {list(axis_names)}"))
    old, _default_mesh = _default_mesh, Mesh(devices, tuple(axis_names))
    try:
        yield _default_mesh
    finally:
        _default_mesh = old


def get_sharding(axis_names: Sequence[str | None] | None = None, mesh: Mesh | None = None) -> NamedSharding | None:
    """The ``NamedSharding`` of ``axis_names`` on ``mesh`` (default: the ``device_mesh`` block's);
    names the mesh does not have leave their axis whole. None without names or mesh."""
    mesh = _default_mesh if mesh is None else mesh
    if axis_names is None or mesh is None:
        return None
    return NamedSharding(mesh, PartitionSpec(*(n if n in mesh.axis_names else None for n in axis_names)))


def _put(x: Any, sharding: Sharding) -> Any:
    if isinstance(x, Variable):
        x.value = jax.device_put(x.value, sharding)
        return x
    return jax.device_put(x, sharding)


def partition_by_axname(x: Any, axis_names: Sequence[str | None] | None = None, mesh: Mesh | None = None) -> Any:
    """``x`` (arrays or Variables, a pytree) placed along ``axis_names``; a Variable keeps the
    names for the runners and trainers built with ``mesh=``."""
    if axis_names is None:
        return x
    axis_names = tuple(axis_names)
    leaves = jax.tree_util.tree_leaves(x, is_leaf=lambda a: isinstance(a, Variable))
    for leaf in leaves:
        if np.ndim(leaf) != len(axis_names):
            raise ShapeError(describe("bm.sharding.partition", f"arrays with one axis per name {list(axis_names)}",
                                      f"shape {np.shape(leaf)}"))
        if isinstance(leaf, Variable):
            _record(leaf, axis_names)
    sharding = get_sharding(axis_names, mesh)
    if sharding is None:
        return x
    return jax.tree_util.tree_map(lambda a: _put(a, sharding), x, is_leaf=lambda a: isinstance(a, Variable))


def partition_by_sharding(x: Any, sharding: Sharding | None = None) -> Any:
    """``x`` placed by a ``jax.sharding.Sharding`` (unchanged for None)."""
    if sharding is None:
        return x
    if not isinstance(sharding, Sharding):
        raise TypeError(describe("bm.sharding.partition_by_sharding", "a jax.sharding.Sharding",
                                 type(sharding).__name__))
    return jax.tree_util.tree_map(lambda a: _put(a, sharding), x, is_leaf=lambda a: isinstance(a, Variable))


def partition(x: Any, sharding: Sequence[str | None] | jax.Device | Sharding | None = None) -> Any:
    """``x`` placed by ``sharding``: axis names (see :func:`partition_by_axname`), a
    ``Sharding`` or a device; ``x`` itself for None."""
    if sharding is None:
        return x
    if isinstance(sharding, jax.Device):
        return jax.tree_util.tree_map(lambda a: _put(a, jax.sharding.SingleDeviceSharding(sharding)), x,
                                      is_leaf=lambda a: isinstance(a, Variable))
    if isinstance(sharding, Sharding):
        return partition_by_sharding(x, sharding)
    if isinstance(sharding, (tuple, list)) and all(n is None or isinstance(n, str) for n in sharding):
        return partition_by_axname(x, sharding)
    raise TypeError(describe("bm.sharding.partition", "sharding as axis names, a jax.sharding.Sharding "
                             "or a device", repr(sharding)))


def keep_constraint(x: Any) -> Any:
    """Inside a compiled function: ask XLA to keep each array's current placement."""
    def keep(a: Any) -> Any:
        a = a.value if isinstance(a, Variable) else a
        sharding = getattr(a, "sharding", None)
        return jax.lax.with_sharding_constraint(a, sharding) if isinstance(sharding, NamedSharding) else a
    return jax.tree_util.tree_map(keep, x, is_leaf=lambda a: isinstance(a, Variable))


def axis_names_of(var: Variable) -> tuple | None:
    """The axis names recorded for ``var`` by :func:`partition` (None if none were)."""
    return _names.get(id(var))
