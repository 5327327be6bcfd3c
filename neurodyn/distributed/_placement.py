"""Where a compiled program's arrays live on a mesh: data parallel on ``batch``, populations on ``neuron``.

A :class:`Placement` is what a trainer or runner built with ``mesh=`` uses to put each input of
its one compiled program on the mesh before the call: batches split along the mesh's ``batch``
axis (a process holds only its rows), state split along its batch axis and its last (neuron)
axis when the mesh has those axes and the sizes divide, everything else (parameters, optimizer
state) replicated. XLA's SPMD partitioner does the rest: it reduces gradients over ``batch``
and gathers what a sharded matrix product needs; nothing here talks to the network.

    >>> import numpy as np
    >>> from neurodyn.distributed import Placement, mesh
    >>> place = Placement(mesh(), 'example')
    >>> place.spec((8, 100), batch_axis=0)
    ('batch', None)
    >>> x = place.batch(np.ones((8, 3)), axis=0)
    >>> x.shape, float(x.sum())
    ((8, 3), 24.0)
"""
from __future__ import annotations

import contextlib
from typing import Any, Iterator, Sequence

import jax
import numpy as np
from jax.experimental import multihost_utils
from jax.sharding import Mesh, NamedSharding, PartitionSpec

from neurodyn.errors import DistributedError, NeurodynError, ShapeError, describe
from neurodyn.math import Variable
from neurodyn.math.sharding import BATCH_AXIS, NEU_AXIS, axis_names_of

__all__ = ["Placement", "host_value"]


def host_value(a: Any) -> np.ndarray:
    """The whole value of ``a`` on this process, as NumPy (gathered from the other processes
    when ``a`` is split over them; every process must make the same call)."""
    if not isinstance(a, jax.Array) or a.is_fully_addressable:
        return np.asarray(a)
    if a.is_fully_replicated:
        return np.asarray(a.addressable_data(0))
    return np.asarray(multihost_utils.process_allgather(a, tiled=True))


class Placement:
    """Puts a program's inputs on ``mesh`` (see the module docstring); ``who`` names the owner in errors."""

    def __init__(self, mesh: Mesh, who: str):
        if not isinstance(mesh, Mesh):
            raise TypeError(describe(who, "mesh= a jax.sharding.Mesh (bp.distributed.mesh(batch=...))",
                                     type(mesh).__name__))
        self.mesh, self.who = mesh, who
        self.sizes = dict(mesh.shape)
        self.multi = len({d.process_index for d in mesh.devices.flat}) > 1     # spans processes

    def __repr__(self) -> str:
        return f"Placement({self.sizes})"

    def sharding(self, spec: Sequence[str | None] = ()) -> NamedSharding:
        return NamedSharding(self.mesh, PartitionSpec(*spec))

    def spec(self, shape: Sequence[int], batch_axis: int | None = None,
             names: Sequence[str | None] | None = None) -> tuple:
        """The partition of an array of ``shape``: by its axis ``names`` when it has them (from
        ``bm.sharding.partition`` or a group's ``sharding=``; the batch axis may be left out),
        else its batch axis on ``batch`` and its last axis (the neurons) on ``neuron``; each
        only where the mesh has the axis and the size divides."""
        if names is not None:
            names = list(names)
            if batch_axis is not None and len(names) == len(shape) - 1:
                names.insert(batch_axis, BATCH_AXIS)
            if len(names) == len(shape):
                return tuple(n if n in self.sizes and shape[k] % self.sizes[n] == 0 else None
                             for k, n in enumerate(names))
        spec: list[str | None] = [None] * len(shape)
        size = self.sizes.get(BATCH_AXIS)
        if batch_axis is not None and size and shape[batch_axis] % size == 0:
            spec[batch_axis] = BATCH_AXIS
        size, last = self.sizes.get(NEU_AXIS), len(shape) - 1
        if size and last >= 0 and last != batch_axis and shape[last] >= size and shape[last] % size == 0:
            spec[last] = NEU_AXIS
        return tuple(spec)

    def put(self, value: Any, spec: Sequence[str | None] = ()) -> jax.Array:
        """``value`` as a global array partitioned by ``spec`` (the same value on every process)."""
        sharding = self.sharding(spec)
        if isinstance(value, jax.Array) and value.sharding == sharding:
            return value
        if not self.multi:
            return jax.device_put(value, sharding)
        host = host_value(value)
        return jax.make_array_from_callback(host.shape, sharding, lambda index: host[index])

    def variables(self, variables: Sequence[Any], values: Sequence[Any]) -> list:
        """Each Variable's value placed by :meth:`spec` of its shape and batch axis."""
        return [self.put(value, self.spec(np.shape(value), getattr(var, "batch_axis", None),
                                          axis_names_of(var) if isinstance(var, Variable) else None))
                for var, value in zip(variables, values)]

    def replicate(self, tree: Any) -> Any:
        """Every leaf of ``tree`` whole on every device."""
        return jax.tree_util.tree_map(self.put, tree)

    def rows(self, n: int) -> slice:
        """The rows of a batch of ``n`` that this process holds (all of them in one process)."""
        size = self.sizes.get(BATCH_AXIS, 1)
        if n % size:
            raise ShapeError(describe(
                self.who, f"batches whose size divides over the mesh's {size} 'batch' devices",
                f"a batch of {n}", "choose batch_size and the number of samples as multiples of it "
                "(or drop the last, smaller batch)"))
        if not self.multi:
            return slice(0, n)
        index = self.sharding((BATCH_AXIS,)).addressable_devices_indices_map((n,)).values()
        return slice(min(i[0].start or 0 for i in index), max(n if i[0].stop is None else i[0].stop for i in index))

    def batch(self, tree: Any, axis: int) -> Any:
        """This process's :meth:`rows` of a batch (along ``axis`` of every leaf), joined with the
        other processes' rows into global arrays split on ``batch``."""
        def one(a: Any) -> jax.Array:
            spec: list[str | None] = [None] * np.ndim(a)
            spec[axis] = BATCH_AXIS if BATCH_AXIS in self.sizes else None
            if not self.multi:
                return jax.device_put(a, self.sharding(spec))
            shape = list(np.shape(a))
            size = self.sizes.get(BATCH_AXIS, 1)
            mine = self.rows(size)
            shape[axis] = shape[axis] * size // (mine.stop - mine.start)
            return jax.make_array_from_process_local_data(self.sharding(spec), np.asarray(a), tuple(shape))
        return jax.tree_util.tree_map(one, tree)

    @contextlib.contextmanager
    def guard(self, where: str) -> Iterator[None]:
        """Turn a failure of the run's collectives (a process died) into a DistributedError."""
        try:
            yield
        except Exception as err:
            if not self.multi or isinstance(err, NeurodynError):
                raise
            raise DistributedError(describe(
                self.who, f"every one of the {jax.process_count()} processes to take part in {where}",
                f"{type(err).__name__}: {str(err).splitlines()[0][:300]}",
                "another process has probably stopped: read its log, then restart every process "
                "(with resume=True and a checkpoint_dir to continue from the last epoch)")) from err

    def to_host(self, tree: Any) -> Any:
        """Global arrays back as ordinary arrays on this process's first device."""
        device = jax.local_devices()[0]

        def one(a: Any) -> Any:
            if not isinstance(a, jax.Array) or a.sharding.is_fully_addressable and len(a.sharding.device_set) == 1:
                return a
            if a.is_fully_replicated:
                return jax.device_put(a.addressable_data(0), device)
            return jax.device_put(host_value(a), device)
        return jax.tree_util.tree_map(one, tree)

    def local(self) -> "Placement":
        """A placement on this process's devices only (on ``batch``), for work that stays in the
        process; itself in a single-process run."""
        if not self.multi:
            return self
        mine = [d for d in self.mesh.devices.flat if d.process_index == jax.process_index()]
        return Placement(Mesh(np.asarray(mine), (BATCH_AXIS,)), self.who)

    def total(self, a: Any) -> np.ndarray:
        """The sum over the processes of each one's array ``a`` (exact: float64 stays float64)."""
        a = np.ascontiguousarray(np.atleast_1d(np.asarray(a)))
        if not self.multi:
            return a
        if a.dtype.itemsize == 8:      # JAX (without x64) would round 64-bit data: send the bits
            bits = np.asarray(multihost_utils.process_allgather(a.view(np.uint32)))
            return bits.view(a.dtype).sum(0)
        return np.asarray(multihost_utils.process_allgather(a)).sum(0)

    def broadcast(self, tree: Any) -> Any:
        """Process 0's values of ``tree`` on every process (a no-op in one process)."""
        return multihost_utils.broadcast_one_to_all(tree) if self.multi else tree
