"""Starting JAX's multi-process runtime: one call, the cluster found from the environment.

    >>> from neurodyn.distributed import initialize
    >>> initialize()          # one process, no cluster in the environment: nothing to do
    False
"""
from __future__ import annotations

import os
from typing import Sequence

import jax

from neurodyn.errors import DistributedError, describe

__all__ = ["initialize", "process_index", "process_count"]

# the number of processes a launcher started, by launcher (JAX detects the rest itself)
_LAUNCH_SIZES = ("SLURM_NTASKS", "SLURM_STEP_NUM_TASKS", "OMPI_COMM_WORLD_SIZE", "PMI_SIZE")


def _launched_processes() -> int:
    sizes = [int(os.environ[k]) for k in _LAUNCH_SIZES if os.environ.get(k, "").isdigit()]
    return max(sizes, default=1)


def initialize(coordinator_address: str | None = None, num_processes: int | None = None,
               process_id: int | None = None, local_device_ids: int | Sequence[int] | None = None,
               heartbeat_timeout_seconds: int = 100, initialization_timeout: int = 300) -> bool:
    """Join a multi-process run (``jax.distributed.initialize``); return whether one is running.

    With every argument None, the cluster is detected from the environment (``srun`` under
    SLURM, ``mpirun`` under Open MPI); a single process, launched by nothing, is left alone (a
    no-op, ``False``). On CPUs the gloo collectives are switched on. Call it right after the
    imports, before any computation. A process that stops sending heartbeats for
    ``heartbeat_timeout_seconds`` makes the others fail instead of waiting for it.
    """
    if jax.distributed.is_initialized():
        return True
    explicit = any(a is not None for a in (coordinator_address, num_processes, process_id))
    if (not explicit and _launched_processes() <= 1) or num_processes == 1:
        return False
    collectives = jax.config.jax_cpu_collectives_implementation
    if collectives in (None, "", "none"):
        jax.config.update("jax_cpu_collectives_implementation", "gloo")
    try:
        jax.distributed.initialize(coordinator_address, num_processes, process_id,
                                   local_device_ids=local_device_ids,
                                   initialization_timeout=initialization_timeout,
                                   heartbeat_timeout_seconds=heartbeat_timeout_seconds)
    except RuntimeError as err:
        jax.config.update("jax_cpu_collectives_implementation", collectives)
        if "must be called before" not in str(err):
            raise
        raise DistributedError(describe(
            "bp.distributed.initialize", "to be called before any JAX computation",
            "a call after JAX had started its devices",
            "call it right after the imports, before building models or creating arrays")) from None
    return True


def process_index() -> int:
    """This process's rank (0 in a single-process run)."""
    return jax.process_index()


def process_count() -> int:
    """The number of processes in the run (1 unless :func:`initialize` joined several)."""
    return jax.process_count()
