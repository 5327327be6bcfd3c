"""``bp.rates``: rate (population) models and the echo-state reservoir."""
from neurodyn.layers import NVAR, Reservoir
from neurodyn.neurons._rates import (FHN, QIF, FeedbackFHN, RateModel, StuartLandauOscillator,
                                     ThresholdLinearModel, WilsonCowanModel)

__all__ = ["RateModel", "FHN", "FeedbackFHN", "QIF", "StuartLandauOscillator", "WilsonCowanModel",
           "ThresholdLinearModel", "Reservoir", "NVAR"]
