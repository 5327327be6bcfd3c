"""Datasets and encoders (``bp.datasets``): spike encoders, chaotic series, the digits task.

    >>> import neurodyn.datasets as ds
    >>> ds.lorenz63(0.1)['z'].shape
    (5,)
"""
from neurodyn.datasets._chaos import LORENZ63_X0 as LORENZ63_X0
from neurodyn.datasets._chaos import lorenz63 as lorenz63
from neurodyn.datasets._chaos import mackey_glass as mackey_glass
from neurodyn.datasets._digits import digits as digits
from neurodyn.datasets._encoders import LatencyEncoder as LatencyEncoder
from neurodyn.datasets._encoders import PoissonEncoder as PoissonEncoder

__all__ = ["PoissonEncoder", "LatencyEncoder", "lorenz63", "mackey_glass", "LORENZ63_X0", "digits"]
