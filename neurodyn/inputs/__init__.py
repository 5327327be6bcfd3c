"""``bp.inputs``: input currents laid out in time (sections, pulses, ramps, noise, oscillations)."""
from neurodyn.inputs._currents import *  # noqa: F401,F403
from neurodyn.inputs._currents import __all__
