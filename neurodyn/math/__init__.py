"""``neurodyn.math`` (imported as ``bm``): arrays and state — Variables, modes, environments,
random numbers, surrogate spike functions, numpy-like ops and transformations."""
from neurodyn.math._ops import *  # noqa: F401,F403  (the numpy-like names; see _ops.__all__)
from neurodyn.math._ops import __all__ as _ops_all
from neurodyn.math._variable import Variable, TrainVar, VarList, VarDict, unwrap, unwrap_tree
from neurodyn.math._modes import (Mode, NonBatchingMode, BatchingMode, TrainingMode,
                                  nonbatching_mode, batching_mode, training_mode)
from neurodyn.math._environment import (environment, training_environment, batching_environment,
                                        get_mode, set_mode, get_dt, set_dt, set_platform,
                                        get_platform, set_environment)
from neurodyn.math._transforms import (jit, grad, value_and_grad, for_loop, while_loop, cond,
                                       ifelse, vmap, JitFunction)
from neurodyn.math import random
from neurodyn.math import surrogate

__all__ = list(_ops_all) + [
    "Variable", "TrainVar", "VarList", "VarDict", "unwrap", "unwrap_tree",
    "Mode", "NonBatchingMode", "BatchingMode", "TrainingMode", "nonbatching_mode",
    "batching_mode", "training_mode",
    "environment", "training_environment", "batching_environment", "get_mode", "set_mode",
    "get_dt", "set_dt", "set_platform", "get_platform", "set_environment",
    "jit", "grad", "value_and_grad", "for_loop", "while_loop", "cond", "ifelse", "vmap",
    "JitFunction", "random", "surrogate",
]
