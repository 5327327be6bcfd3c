"""``bp.encoding``: rate values to spike trains (Poisson, latency, delta and weighted-phase codes)."""
from neurodyn.datasets._encoders import DiffEncoder, LatencyEncoder, PoissonEncoder, WeightedPhaseEncoder

__all__ = ["PoissonEncoder", "LatencyEncoder", "DiffEncoder", "WeightedPhaseEncoder"]
