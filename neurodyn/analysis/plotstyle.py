"""The marker of each fixed-point type in the analysers' plots (``bp.analysis.plotstyle``).

    >>> plot_schema['stable focus']['color']
    'tab:purple'
"""
from __future__ import annotations

from neurodyn.analysis import stability as S

__all__ = ["plot_schema", "set_plot_schema", "set_markersize"]

_COLORS = {S.CENTER_MANIFOLD: "orangered", S.SADDLE_NODE: "tab:blue", S.STABLE_POINT_1D: "tab:red",
           S.UNSTABLE_POINT_1D: "tab:olive", S.CENTER_2D: "lime", S.STABLE_NODE_2D: "tab:red",
           S.STABLE_FOCUS_2D: "tab:purple", S.STABLE_STAR_2D: "tab:olive", S.STABLE_DEGENERATE_2D: "blueviolet",
           S.UNSTABLE_NODE_2D: "tab:orange", S.UNSTABLE_FOCUS_2D: "tab:cyan", S.UNSTABLE_STAR_2D: "green",
           S.UNSTABLE_DEGENERATE_2D: "springgreen", S.UNSTABLE_LINE_2D: "dodgerblue"}
plot_schema: dict[str, dict] = {kind: dict(color=color, markersize=10, linestyle="None", marker=".")
                                for kind, color in _COLORS.items()}


def set_plot_schema(fixed_point: str, **schema) -> None:
    """Change the plot style of one fixed-point type."""
    if fixed_point not in plot_schema:
        raise KeyError(f"set_plot_schema: expected one of {sorted(plot_schema)}, got {fixed_point!r}.")
    plot_schema[fixed_point].update(**schema)


def set_markersize(markersize: int) -> None:
    """The marker size of every fixed-point type."""
    if not isinstance(markersize, int) or isinstance(markersize, bool):
        raise TypeError(f"set_markersize: expected an int, got {markersize!r}.")
    for style in plot_schema.values():
        style["markersize"] = markersize
