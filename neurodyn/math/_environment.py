"""The current defaults (mode, dt, ...) as nestable context managers.

    >>> import neurodyn.math as bm
    >>> with bm.training_environment(dt=0.5):
    ...     bm.get_mode(), bm.get_dt()
    (TrainingMode(batch_size=1), 0.5)
    >>> bm.get_mode()
    NonBatchingMode

Precision is BrainPy's: float32 by default; ``bm.enable_x64()`` (or ``bm.set(x64=True)``,
``bm.set_environment(x64=True)``, ``with bm.environment(x64=True):``) turns on JAX's 64-bit
mode and makes ``bm.float_`` / ``bm.get_float()`` float64, so Variables, initializers and
solvers built afterwards compute in float64.
"""
from __future__ import annotations

import contextlib
import contextvars
import numbers
from typing import Any, Iterator

import jax
import jax.numpy as jnp

from neurodyn.errors import describe
from neurodyn.math._modes import BatchingMode, Mode, NonBatchingMode, TrainingMode

__all__ = ["environment", "training_environment", "batching_environment", "get_mode", "set_mode",
           "get_dt", "set_dt", "set_platform", "get_platform", "set_environment", "set",
           "enable_x64", "disable_x64", "get_float", "set_float", "get_int", "set_int",
           "get_complex", "get_dtype", "set_host_device_count", "clear_buffer_memory",
           "disable_gpu_memory_preallocation", "enable_gpu_memory_preallocation"]

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


def _check_dtype(kind: str, dtype: Any) -> Any:
    try:
        dt = jnp.dtype(dtype)
    except TypeError:
        dt = None
    wanted = {"float_": jnp.floating, "int_": jnp.integer, "complex_": jnp.complexfloating,
              "bool_": jnp.bool_}[kind]
    if dt is None or not jnp.issubdtype(dt, wanted):
        raise TypeError(describe(f"bm.set({kind}=...)", f"a {wanted.__name__} dtype", repr(dtype)))
    return dtype


_DTYPE_KEYS = ("float_", "int_", "complex_", "bool_")


def _validated(kwargs: dict) -> dict:
    out = {}
    for k, v in kwargs.items():
        if v is None:
            continue
        if k == "mode":
            out[k] = _check_mode(v)
        elif k == "dt":
            out[k] = _check_dt(v)
        elif k in _DTYPE_KEYS:
            out[k] = _check_dtype(k, v)
        elif k == "x64":
            out[k] = bool(v)
        else:
            out[k] = v
    return out


def _apply(new: dict) -> None:
    """Make JAX's global 64-bit flag follow the ``x64`` setting."""
    if "x64" in new and bool(jax.config.read("jax_enable_x64")) != new["x64"]:
        jax.config.update("jax_enable_x64", new["x64"])


@contextlib.contextmanager
def environment(mode: Mode | None = None, dt: float | None = None, x64: bool | None = None,
                **settings: Any) -> Iterator[None]:
    """Set defaults (``mode``, ``dt``, ``x64``, ``float_``, any extra setting) inside a ``with``
    block; nestable. On exit the outer settings (and JAX's 64-bit flag) come back."""
    new = dict(_settings.get())
    new.update(_validated(dict(mode=mode, dt=dt, x64=x64, **settings)))
    previous_x64 = _x64()
    token = _settings.set(new)
    _apply(new)
    try:
        yield
    finally:
        _settings.reset(token)
        if x64 is not None:
            jax.config.update("jax_enable_x64", previous_x64)


def training_environment(dt: float | None = None, batch_size: int = 1, **settings: Any):
    """``environment(mode=TrainingMode(batch_size), ...)``."""
    return environment(mode=TrainingMode(batch_size), dt=dt, **settings)


def batching_environment(dt: float | None = None, batch_size: int = 1, **settings: Any):
    """``environment(mode=BatchingMode(batch_size), ...)``."""
    return environment(mode=BatchingMode(batch_size), dt=dt, **settings)


def set_environment(mode: Mode | None = None, dt: float | None = None, x64: bool | None = None,
                    **settings: Any) -> None:
    """Change the defaults for the rest of this context (outside any ``with`` block: globally).

    ``x64=True`` turns on JAX's 64-bit mode (a process-wide JAX flag) and the float64 default;
    ``float_``/``int_`` pick the default dtypes explicitly.
    """
    new = dict(_settings.get())
    new.update(_validated(dict(mode=mode, dt=dt, x64=x64, **settings)))
    _settings.set(new)
    _apply(new)


set = set_environment   # BrainPy's ``bm.set(mode=..., dt=..., x64=...)``


def enable_x64(x64: bool = True) -> None:
    """Double precision from now on: JAX's 64-bit mode, ``bm.float_`` float64, ``bm.int_`` int64."""
    set_environment(x64=bool(x64))


def disable_x64() -> None:
    """Back to single precision (float32 / int32), the default."""
    set_environment(x64=False)


def _x64() -> bool:
    return bool(jax.config.read("jax_enable_x64"))


def get_float() -> Any:
    """The default float dtype: ``float_`` if set, else float64 under x64, else float32."""
    return _settings.get().get("float_") or (jnp.float64 if _x64() else jnp.float32)


def get_int() -> Any:
    """The default integer dtype: ``int_`` if set, else int64 under x64, else int32."""
    return _settings.get().get("int_") or (jnp.int64 if _x64() else jnp.int32)


def get_complex() -> Any:
    """The default complex dtype: complex128 under x64, else complex64."""
    return _settings.get().get("complex_") or (jnp.complex128 if _x64() else jnp.complex64)


def get_dtype() -> Any:
    """The default float dtype (:func:`get_float`)."""
    return get_float()


def set_float(dtype: Any) -> None:
    """Set the default float dtype (``bm.set(float_=dtype)``)."""
    set_environment(float_=dtype)


def set_int(dtype: Any) -> None:
    """Set the default integer dtype (``bm.set(int_=dtype)``)."""
    set_environment(int_=dtype)


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


def set_host_device_count(n: int) -> None:
    """Expose ``n`` CPU devices to JAX (``--xla_force_host_platform_device_count``); effective
    only before JAX starts its backend (call it first thing in a program)."""
    import os
    flags = [f for f in os.environ.get("XLA_FLAGS", "").split()
             if not f.startswith("--xla_force_host_platform_device_count")]
    os.environ["XLA_FLAGS"] = " ".join(flags + [f"--xla_force_host_platform_device_count={int(n)}"])


def clear_buffer_memory(platform: str | None = None) -> None:
    """Free every device buffer JAX still holds and its compilation caches."""
    for buf in jax.live_arrays(platform) if platform else jax.live_arrays():
        buf.delete()
    jax.clear_caches()


def disable_gpu_memory_preallocation(release_memory: bool = True) -> None:
    """Let JAX allocate GPU memory on demand (set before the first computation)."""
    import os
    os.environ["XLA_PYTHON_CLIENT_PREALLOCATE"] = "false"
    if release_memory:
        os.environ["XLA_PYTHON_CLIENT_ALLOCATOR"] = "platform"


def enable_gpu_memory_preallocation() -> None:
    """JAX's default: preallocate most of the GPU memory."""
    import os
    os.environ["XLA_PYTHON_CLIENT_PREALLOCATE"] = "true"
    os.environ.pop("XLA_PYTHON_CLIENT_ALLOCATOR", None)
