"""``bp.init``: initializers, ``parameter`` and ``variable_``."""
from neurodyn.init._initializers import (Initializer, ZeroInit, OneInit, Constant, Normal, Uniform,
                                         TruncatedNormal, VarianceScaling, KaimingNormal,
                                         KaimingUniform, XavierNormal, XavierUniform, LecunNormal,
                                         LecunUniform, Orthogonal, Identity)
from neurodyn.init._parameter import parameter, variable_, as_shape

__all__ = ["Initializer", "ZeroInit", "OneInit", "Constant", "Normal", "Uniform", "TruncatedNormal",
           "VarianceScaling", "KaimingNormal", "KaimingUniform", "XavierNormal", "XavierUniform",
           "LecunNormal", "LecunUniform", "Orthogonal", "Identity", "parameter", "variable_",
           "as_shape"]
