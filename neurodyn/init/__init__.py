"""``bp.init``: initializers, ``parameter`` and ``variable_``."""
from neurodyn.init._initializers import *  # noqa: F401,F403  (see _initializers.__all__)
from neurodyn.init._initializers import __all__ as _initializers_all
from neurodyn.init._parameter import parameter, variable_, as_shape

__all__ = list(_initializers_all) + ["parameter", "variable_", "as_shape"]
