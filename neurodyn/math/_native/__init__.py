"""Native CPU kernels: C++ sources in this folder, compiled on first use and called from
compiled programs through XLA's FFI (``jax.ffi``).

:func:`target` builds the library once per machine, JAX version and source (a few seconds, into
``$NEURODYN_CACHE_DIR`` or ``~/.cache/neurodyn``; the file appears atomically, so processes may
race), loads it and registers its handlers; it returns ``None`` when there is no C++ compiler,
the platform is not a CPU, ``NEURODYN_NATIVE=0`` is set, or the build fails (``reason()`` says
why). Every kernel has a pure-JAX twin that callers use instead, so nothing depends on the
build; the twins and the kernels give the same numbers (``tests/math/test_native.py``).

    >>> from neurodyn.math import _native
    >>> _native.target("neurodyn_event_csr") in (None, "neurodyn_event_csr")
    True
"""
from __future__ import annotations

import ctypes
import hashlib
import inspect
import logging
import os
import platform
import shutil
import subprocess
import tempfile
import threading

import jax

__all__ = ["target", "reason"]

_HERE = os.path.dirname(os.path.abspath(__file__))
_SOURCE = os.path.join(_HERE, "events.cc")
_HANDLERS = {"neurodyn_event_csr": "NeurodynEventCsr", "neurodyn_event_matmul": "NeurodynEventMatmul",
             "neurodyn_event_matmul_t": "NeurodynEventMatmulT"}
_FLAGS = ("-O3", "-march=native", "-shared", "-fPIC", "-std=c++17", "-w")
_log = logging.getLogger("neurodyn.native")
_lock = threading.Lock()
_state: dict[str, object] = {}


def _cache_dir() -> str:
    root = os.environ.get("NEURODYN_CACHE_DIR")
    if not root:
        base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
        root = os.path.join(base, "neurodyn")
    os.makedirs(root, exist_ok=True)
    return root


def _cpu() -> str:
    """What ``-march=native`` depends on: the machine and, on Linux, the CPU's feature flags."""
    try:
        with open("/proc/cpuinfo") as f:
            flags = next((line for line in f if line.startswith(("flags", "Features"))), "")
    except OSError:
        flags = ""
    return platform.machine() + flags


def _library() -> str:
    """The compiled library's path, building it if this machine has not yet."""
    from jax import ffi
    with open(_SOURCE, "rb") as f:
        source = f.read()
    key = hashlib.sha256(b"\0".join([source, jax.__version__.encode(), " ".join(_FLAGS).encode(),
                                     _cpu().encode()])).hexdigest()[:16]
    path = os.path.join(_cache_dir(), f"events-{key}.so")
    if os.path.exists(path):
        return path
    compiler = os.environ.get("CXX") or shutil.which("g++") or shutil.which("c++") or shutil.which("clang++")
    if compiler is None:
        raise RuntimeError("no C++ compiler (g++, c++ or clang++; or set CXX)")
    fd, tmp = tempfile.mkstemp(dir=os.path.dirname(path), suffix=".so.tmp")
    os.close(fd)
    try:
        done = subprocess.run([compiler, *_FLAGS, "-I", ffi.include_dir(), _SOURCE, "-o", tmp],
                              capture_output=True, text=True, timeout=600)
        if done.returncode != 0:
            raise RuntimeError(f"{compiler} failed: {done.stderr.strip()[-2000:]}")
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.remove(tmp)
    return path


def _load() -> None:
    if os.environ.get("NEURODYN_NATIVE", "1") == "0":
        raise RuntimeError("NEURODYN_NATIVE=0")
    if (not hasattr(jax, "ffi") or not hasattr(jax.ffi, "register_ffi_target")
            or "vmap_method" not in inspect.signature(jax.ffi.ffi_call).parameters):
        raise RuntimeError(f"jax {jax.__version__} has no jax.ffi with ffi_call(vmap_method=)")
    if jax.default_backend() != "cpu":
        raise RuntimeError(f"the default backend is {jax.default_backend()}, the kernels are for CPU")
    lib = ctypes.cdll.LoadLibrary(_library())
    for name, symbol in _HANDLERS.items():
        jax.ffi.register_ffi_target(name, jax.ffi.pycapsule(getattr(lib, symbol)), platform="cpu")


def target(name: str) -> str | None:
    """``name`` if its native kernel is ready to call through ``jax.ffi.ffi_call``, else None."""
    if "ok" not in _state:
        with _lock:
            if "ok" not in _state:
                try:
                    _load()
                    _state["reason"] = ""
                    _state["ok"] = True
                except Exception as exc:          # any failure: the pure-JAX twins are used
                    _state["reason"] = f"{type(exc).__name__}: {exc}"
                    _state["ok"] = False
                    _log.info("neurodyn: native kernels unavailable (%s); using the pure-JAX path",
                              _state["reason"])
    return name if _state["ok"] and name in _HANDLERS else None


def reason() -> str:
    """Why the native kernels are not used ('' when they are, or before the first :func:`target`)."""
    return str(_state.get("reason", ""))
