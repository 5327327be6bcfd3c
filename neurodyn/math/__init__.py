"""``neurodyn.math`` (imported as ``bm``): arrays and state — Variables, modes, environments,
random numbers, surrogate spike functions, numpy-like ops and transformations."""
from neurodyn.math._ops import *  # noqa: F401,F403  (the numpy-like names; see _ops.__all__)
from neurodyn.math._ops import __all__ as _ops_all
from neurodyn.math._variable import (Variable, Array, Parameter, TrainVar, VarList, VarDict, NodeList, NodeDict,
                                    unwrap, unwrap_tree)
from neurodyn.math._collector import Collector
from neurodyn.math._mutable import returning_arrays as _returning_arrays
from neurodyn.math import _ops as _ops_module

# BrainPy's numpy-like functions give a user mutable bm.Array results (see _mutable); the
# conversions to JAX/NumPy keep their types
for _name in _ops_all:
    _fn = getattr(_ops_module, _name)
    if (globals().get(_name) is _fn and callable(_fn) and not isinstance(_fn, type)
            and not _name.startswith(("as_", "to_", "from_dlpack"))):
        globals()[_name] = _returning_arrays(_fn)
del _name, _fn
from neurodyn.math._modes import (Mode, NonBatchingMode, BatchingMode, TrainingMode,
                                  nonbatching_mode, batching_mode, training_mode)
from neurodyn.math._environment import (environment, training_environment, batching_environment,
                                        get_mode, set_mode, get_dt, set_dt, set_platform,
                                        get_platform, set_environment, set, enable_x64,
                                        disable_x64, get_float, set_float, get_int, set_int,
                                        get_complex, get_dtype, set_host_device_count,
                                        clear_buffer_memory, disable_gpu_memory_preallocation,
                                        enable_gpu_memory_preallocation)
from neurodyn.math._functional import Functional
from neurodyn.math._transforms import jit, cls_jit, grad, value_and_grad, for_loop, vmap, JitFunction
from neurodyn.math._control import cond, ifelse, while_loop
from neurodyn.math._object import BrainPyObject
from neurodyn.math._delay import LengthDelay, TimeDelay, NeuTimeDelay, NeuLenDelay
from neurodyn.math._syn_ops import (pre2post_event_sum, pre2post_sum, pre2syn, syn2post, syn2post_max,
                                    syn2post_mean, syn2post_sum)
from neurodyn.math._autodiff import vector_grad, jacobian, jacrev, jacfwd, hessian, clip_by_norm
from neurodyn.math import random
from jax.tree_util import Partial
from neurodyn.math import surrogate
from neurodyn.math import sharding
from neurodyn.math import sparse, event, jitconn

JaxArray = ndarray = Array         # BrainPy's older names of its array type

__all__ = list(_ops_all) + ["Array", "JaxArray", "Collector", "BrainPyObject", "LengthDelay", "TimeDelay", "NeuTimeDelay", "NeuLenDelay", "pre2post_event_sum",
    "pre2post_sum", "pre2syn", "syn2post", "syn2post_sum", "syn2post_mean", "syn2post_max",
    "Variable", "Parameter", "TrainVar", "VarList", "VarDict", "NodeList", "NodeDict", "unwrap", "unwrap_tree",
    "Mode", "NonBatchingMode", "BatchingMode", "TrainingMode", "nonbatching_mode",
    "batching_mode", "training_mode",
    "environment", "training_environment", "batching_environment", "get_mode", "set_mode",
    "get_dt", "set_dt", "set_platform", "get_platform", "set_environment", "enable_x64",
    "disable_x64", "get_float", "set_float", "get_int", "set_int", "get_complex", "get_dtype",
    "Functional", "jit", "cls_jit", "grad", "value_and_grad", "for_loop", "while_loop", "cond", "ifelse", "vmap",
    "JitFunction", "random", "surrogate", "sharding", "sparse", "event", "jitconn", "vector_grad", "jacobian", "jacrev", "jacfwd", "hessian",
    "clip_by_norm", "Partial", "set_host_device_count", "clear_buffer_memory",
    "disable_gpu_memory_preallocation", "enable_gpu_memory_preallocation",
]

_DYNAMIC = {"float_": get_float, "int_": get_int, "complex_": get_complex, "dt": get_dt,
            "mode": get_mode}


def __getattr__(name: str):
    """``bm.float_``, ``bm.int_``, ``bm.complex_``, ``bm.dt`` and ``bm.mode``: the current defaults."""
    if name in _DYNAMIC:
        return _DYNAMIC[name]()
    raise AttributeError(f"module 'neurodyn.math' has no attribute {name!r}")
