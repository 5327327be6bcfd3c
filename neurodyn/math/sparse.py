"""``bm.sparse``: sparse matrix-vector products (BrainPy's ``bm.sparse.csrmv``)."""
from neurodyn.math._syn_ops import csrmv

__all__ = ["csrmv"]
