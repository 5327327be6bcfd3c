"""The current defaults (mode, dt, ...) as nestable context managers.

    >>> import neurodyn.math as bm
    >>> with bm.training_environment(dt=0.5):
    ...     bm.get_mode(), bm.get_dt()
    (TrainingMode(batch_size=1), 0.5)
    >>> bm.get_mode()
    NonBatchingMode
"""
from __future__ import annotations

import contextlib
import contextvars
import numbers
from typing import Any, Iterator

import jax

from neurodyn.errors import describe
from neurodyn.math._modes import BatchingMode, Mode, NonBatchingMode, TrainingMode

__all__ = ["environment", "training_environment", "batching_environment", "get_mode", "set_mode",
           "get_dt", "set_dt", "set_platform", "get_platform", "set_environment"]

_DEFAULTS = {"mode": NonBatchingMode(), "dt": 0.1}
_settings: contextvars.ContextVar[dict] = contextvars.ContextVar("neurodyn_settings", default=_DEFAULTS)


def _check_dt(dt: Any) -> float:
    if isinstance(dt, bool) or not isinstance(dt, numbers.Real) or not dt > 0:
        raise ValueError(describe("bm.environment", "dt > 0 (a time step in ms)", repr(dt)))
    return float(dt)


def _check_mode(mode: Any) -> Mode:
    if isinstance(mode, type) and issubclass(mode, Mode):
        mode = mode()
    if not isinstance(mode, Mode):
        raise TypeError(describe("bm.environment", "a bm.Mode (e.g. bm.TrainingMode())",
                                 f"{type(mode).__name__} {mode!r}"))
    return mode


def _validated(kwargs: dict) -> dict:
    out = {}
    for k, v in kwargs.items():
        if v is None:
            continue
        out[k] = _check_mode(v) if k == "mode" else _check_dt(v) if k == "dt" else v
    return out


@contextlib.contextmanager
def environment(mode: Mode | None = None, dt: float | None = None, **settings: Any) -> Iterator[None]:
    """Set defaults (``mode``, ``dt``, any extra setting) inside a ``with`` block; nestable."""
    new = dict(_settings.get())
    new.update(_validated(dict(mode=mode, dt=dt, **settings)))
    token = _settings.set(new)
    try:
        yield
    finally:
        _settings.reset(token)


def training_environment(dt: float | None = None, batch_size: int = 1, **settings: Any):
    """``environment(mode=TrainingMode(batch_size), ...)``."""
    return environment(mode=TrainingMode(batch_size), dt=dt, **settings)


def batching_environment(dt: float | None = None, batch_size: int = 1, **settings: Any):
    """``environment(mode=BatchingMode(batch_size), ...)``."""
    return environment(mode=BatchingMode(batch_size), dt=dt, **settings)


def set_environment(mode: Mode | None = None, dt: float | None = None, **settings: Any) -> None:
    """Change the defaults for the rest of this context (outside any ``with`` block: globally)."""
    new = dict(_settings.get())
    new.update(_validated(dict(mode=mode, dt=dt, **settings)))
    _settings.set(new)


def get_mode() -> Mode:
    """The default mode of systems built now."""
    return _settings.get()["mode"]


def set_mode(mode: Mode) -> None:
    set_environment(mode=mode)


def get_dt() -> float:
    """The default time step (ms)."""
    return _settings.get()["dt"]


def set_dt(dt: float) -> None:
    set_environment(dt=dt)


def set_platform(platform: str) -> None:
    """Choose the device JAX runs on ('cpu', 'gpu', 'tpu') before any computation."""
    if platform not in ("cpu", "gpu", "tpu", "cuda"):
        raise ValueError(describe("bm.set_platform", "'cpu', 'gpu' or 'tpu'", repr(platform)))
    jax.config.update("jax_platform_name", platform)


def get_platform() -> str:
    return jax.default_backend()
