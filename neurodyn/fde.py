"""``bp.fde``: integrators of fractional-order differential equations (BrainPy's names)."""
from neurodyn.integrators._fde import CaputoEuler, CaputoL1Schema, FDEIntegrator, GLShortMemory, fdeint

__all__ = ["FDEIntegrator", "CaputoEuler", "CaputoL1Schema", "GLShortMemory", "fdeint"]
