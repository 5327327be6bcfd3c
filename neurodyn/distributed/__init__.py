"""``bp.distributed``: from one CPU to a cluster on JAX's own runtime, with one code path.

A script calls :func:`initialize` (a no-op for a single process; under ``srun`` or ``mpirun``
it joins the other processes through ``jax.distributed``), makes a :func:`mesh` of all the
run's devices, and hands it to a trainer or runner: ``bp.BPTT(model, loss, mesh=m)`` splits each
batch over the mesh's ``batch`` axis (data parallel; XLA reduces the gradients),
``bp.DSRunner(model, mesh=m)`` splits large populations over its ``neuron`` axis. Parameter
sweeps over devices and processes are ``bp.running.jax_parallelize_map``.

    >>> import neurodyn as bp
    >>> bp.distributed.initialize(), bp.distributed.process_count()
    (False, 1)
    >>> bp.distributed.mesh().axis_names
    ('batch',)
"""
from neurodyn.distributed._mesh import mesh
from neurodyn.distributed._placement import Placement, host_value
from neurodyn.distributed._runtime import initialize, process_count, process_index

__all__ = ["initialize", "mesh", "process_index", "process_count", "Placement", "host_value"]
