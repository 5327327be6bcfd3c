"""``bp.odeint``, ``bp.sdeint`` and ``bp.JointEq``: integrators for equations users write."""
from neurodyn.integrators._joint import JointEq
from neurodyn.integrators._ode import (ODEIntegrator, get_default_odeint, odeint,
                                       set_default_odeint)
from neurodyn.integrators._sde import SDEIntegrator, sdeint

__all__ = ["JointEq", "ODEIntegrator", "odeint", "set_default_odeint", "get_default_odeint",
           "SDEIntegrator", "sdeint"]
