"""neurodyn: brain-dynamics models on JAX, simulated and trained (``import neurodyn as bp``)."""
__version__ = "0.1.0"

from neurodyn import errors, check, math
from neurodyn.core import DynamicalSystem, DynamicalSystemNS, Sequential, Network, share
from neurodyn import init

__all__ = ["__version__", "errors", "check", "math", "DynamicalSystem", "DynamicalSystemNS",
           "Sequential", "Network", "share", "init"]
