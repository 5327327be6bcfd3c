"""Models' foundation: DynamicalSystem, containers, the shared per-step context."""
from neurodyn.core._system import BrainPyObject, DynamicalSystem, DynamicalSystemNS
from neurodyn.core._containers import Sequential, Network
from neurodyn.core._loop import LoopOverTime
from neurodyn.core import share

__all__ = ["BrainPyObject", "DynamicalSystem", "DynamicalSystemNS", "Sequential", "Network", "LoopOverTime", "share"]
