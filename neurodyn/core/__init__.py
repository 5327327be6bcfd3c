"""Models' foundation: DynamicalSystem, containers, the shared per-step context."""
from neurodyn.core._system import DynamicalSystem, DynamicalSystemNS
from neurodyn.core._containers import Sequential, Network
from neurodyn.core import share

__all__ = ["DynamicalSystem", "DynamicalSystemNS", "Sequential", "Network", "share"]
