"""Models' foundation: DynamicalSystem, containers, delays, the shared per-step context."""
from neurodyn.core._system import BrainPyObject, DynamicalSystem, DynamicalSystemNS
from neurodyn.core._containers import Sequential, Network
from neurodyn.core._delay import VarDelay, register_delay_by_return
from neurodyn.core._desc import Desc
from neurodyn.core._loop import LoopOverTime
from neurodyn.core import share

__all__ = ["BrainPyObject", "DynamicalSystem", "DynamicalSystemNS", "Sequential", "Network", "VarDelay",
           "register_delay_by_return", "Desc", "LoopOverTime", "share"]
