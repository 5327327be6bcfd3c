"""``bp.odeint``, ``bp.sdeint``, ``bp.fdeint`` and ``bp.JointEq``: integrators for equations users write."""
from neurodyn.integrators._joint import JointEq
from neurodyn.integrators._ode import *  # noqa: F401,F403  (odeint and the named methods)
from neurodyn.integrators._ode import __all__ as _ode_all
from neurodyn.integrators._sde import SDEIntegrator, sdeint

ITO_SDE, STRA_SDE = "Ito", "Stratonovich"          # BrainPy's constants for sdeint
SCALAR_WIENER, VECTOR_WIENER = "scalar", "vector"

__all__ = ["ITO_SDE", "STRA_SDE", "SCALAR_WIENER", "VECTOR_WIENER", "JointEq", *_ode_all,
           "SDEIntegrator", "sdeint"]
