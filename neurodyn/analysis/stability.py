"""Fixed-point types from the Jacobian (BrainPy's ``bp.analysis.stability`` names).

    >>> stability_analysis(-1.), stability_analysis([[0., 1.], [-1., -0.5]])
    ('stable point', 'stable focus')
"""
from __future__ import annotations

from typing import Any

import numpy as np

__all__ = ["get_1d_stability_types", "get_2d_stability_types", "stability_analysis", "CENTER_MANIFOLD",
           "SADDLE_NODE", "STABLE_POINT_1D", "UNSTABLE_POINT_1D", "CENTER_2D", "STABLE_NODE_2D", "STABLE_FOCUS_2D",
           "STABLE_STAR_2D", "STABLE_DEGENERATE_2D", "UNSTABLE_NODE_2D", "UNSTABLE_FOCUS_2D", "UNSTABLE_STAR_2D",
           "UNSTABLE_DEGENERATE_2D", "UNSTABLE_LINE_2D"]

SADDLE_NODE, CENTER_MANIFOLD = "saddle node", "center manifold"
STABLE_POINT_1D, UNSTABLE_POINT_1D = "stable point", "unstable point"
CENTER_2D = "center"
STABLE_NODE_2D, STABLE_FOCUS_2D, STABLE_STAR_2D, STABLE_DEGENERATE_2D = (
    "stable node", "stable focus", "stable star", "stable degenerate")
UNSTABLE_NODE_2D, UNSTABLE_FOCUS_2D, UNSTABLE_STAR_2D, UNSTABLE_DEGENERATE_2D, UNSTABLE_LINE_2D = (
    "unstable node", "unstable focus", "unstable star", "unstable degenerate", "unstable line")


def get_1d_stability_types() -> list[str]:
    return [SADDLE_NODE, STABLE_POINT_1D, UNSTABLE_POINT_1D]


def get_2d_stability_types() -> list[str]:
    return [SADDLE_NODE, CENTER_2D, STABLE_NODE_2D, STABLE_FOCUS_2D, STABLE_STAR_2D, CENTER_MANIFOLD,
            UNSTABLE_NODE_2D, UNSTABLE_FOCUS_2D, UNSTABLE_STAR_2D, UNSTABLE_LINE_2D, STABLE_DEGENERATE_2D,
            UNSTABLE_DEGENERATE_2D]


def stability_analysis(derivatives: Any) -> str:
    """The type of a fixed point from ``df/dx`` (1D) or the 2x2 Jacobian: by the sign of the
    derivative, or by the Jacobian's trace ``p``, determinant ``q`` and ``p^2 - 4q``."""
    d = np.asarray(derivatives, dtype=float)
    if d.size == 1:
        v = float(d.reshape(()))
        return SADDLE_NODE if v == 0 else UNSTABLE_POINT_1D if v > 0 else STABLE_POINT_1D
    if d.shape != (2, 2):
        raise ValueError(f"stability_analysis: expected df/dx or a 2x2 Jacobian, got shape {d.shape}.")
    (a, b), (c, e) = d
    p, q = a + e, a * e - b * c
    if q < 0:
        return SADDLE_NODE
    if q == 0:
        return CENTER_MANIFOLD if p <= 0 else UNSTABLE_LINE_2D
    if p == 0:
        return CENTER_2D
    disc = p * p - 4 * q
    star = b == 0 and c == 0 and a == e
    if p > 0:
        return (UNSTABLE_FOCUS_2D if disc < 0 else UNSTABLE_NODE_2D if disc > 0
                else UNSTABLE_STAR_2D if star else UNSTABLE_DEGENERATE_2D)
    return (STABLE_FOCUS_2D if disc < 0 else STABLE_NODE_2D if disc > 0
            else STABLE_STAR_2D if star else STABLE_DEGENERATE_2D)
