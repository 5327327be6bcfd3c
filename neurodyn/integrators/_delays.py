"""Delay differential equations: the delays an integrator records its variables in.

``state_delays={'x': delay}`` makes an integrator write each new value of ``x`` into ``delay``
(a ``bm.TimeDelay`` or ``bm.LengthDelay``) after every step; the equation reads the past from
the same object (``delay(t - tau)``).

    >>> import neurodyn as bp, neurodyn.math as bm
    >>> past = bm.TimeDelay(bm.ones(1), 1., before_t0=1., dt=0.1, interp_method='round')
    >>> integral = bp.odeint(lambda x, t: -past(t - 1.), state_delays={'x': past})
    >>> x = integral(bm.ones(1), 0., dt=0.1)
    >>> round(float(x[0]), 6), round(float(past(0.1)[0]), 6)   # x(0.1) = 1 - 0.1 x(-0.9), recorded
    (0.9, 0.9)
"""
from __future__ import annotations

from typing import Any, Mapping, Sequence

import neurodyn.math as bm
from neurodyn.errors import describe

__all__ = ["checked_delays", "record"]


def checked_delays(given: Mapping[str, Any] | None, variables: Sequence[str], what: str,
                   who: str) -> dict[str, Any]:
    """``{variable: delay}``: each key one of ``variables``, each delay a ``bm.LengthDelay``/``TimeDelay``."""
    out = dict(given or {})
    for key, delay in out.items():
        if key not in variables:
            raise ValueError(describe(who, f"{what} keyed by the equation's variables {list(variables)}",
                                      repr(key)))
        if not isinstance(delay, bm.LengthDelay):
            raise TypeError(describe(who, f"{what}[{key!r}] a bm.TimeDelay or bm.LengthDelay",
                                     type(delay).__name__))
    return out


def record(delays: Mapping[str, Any], variables: Sequence[str], values: Sequence[Any]) -> None:
    """Write each delayed variable's new value (``values`` in the order of ``variables``)."""
    for key, delay in delays.items():
        delay.update(values[list(variables).index(key)])
