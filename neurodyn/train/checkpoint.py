"""Checkpoints: every Variable of a model (or a trainer's whole state) in one safe file.

Files are safetensors (or ``.npz`` read with ``allow_pickle=False``) — never pickles. They are
written atomically (a temporary file in the same directory, fsync, ``os.replace``), so a crash
leaves the previous file intact, and carry a SHA-256 of their content, checked on load. A file
that does not fit the object (a missing or extra path, another shape or dtype) raises
:class:`~neurodyn.errors.CheckpointError` naming the path and both shapes.

    >>> import os, tempfile
    >>> import neurodyn as bp, neurodyn.math as bm
    >>> class Cell(bp.DynamicalSystem):
    ...     def __init__(self):
    ...         super().__init__()
    ...         self.w = bm.TrainVar(bm.ones(3))
    >>> a, b = Cell(), Cell()
    >>> a.w.value = bm.arange(3.)
    >>> path = os.path.join(tempfile.mkdtemp(), 'cell.safetensors')
    >>> _ = save(path, a, step=7)
    >>> load(path, b)['step'], b.w.value.tolist()
    (7, [0.0, 1.0, 2.0])
"""
from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import re
import struct
import tempfile
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np

import neurodyn.math as bm
from neurodyn.core import DynamicalSystem
from neurodyn.errors import CheckpointError, describe
from neurodyn.train._trainer import Trainer

__all__ = ["save", "load", "latest", "checkpoint_path", "save_pytree", "load_pytree"]

_FORMAT = "1"
_META_KEY = "__neurodyn__"


# -- what an object stores -------------------------------------------------------------------

def _entries(obj: Any) -> tuple[dict[str, Any], dict, str]:
    """(name -> Variable or array, metadata, kind) for a model or a trainer."""
    if isinstance(obj, DynamicalSystem):
        return dict(obj.vars().unique()), {}, "model"
    if isinstance(obj, Trainer):
        entries, meta = obj.checkpoint_entries()
        return entries, meta, type(obj).__name__
    raise TypeError(describe("checkpoint", "a bp.DynamicalSystem or a trainer (e.g. bp.BPTT)",
                             f"{type(obj).__name__} {obj!r}"))


def _as_numpy(entries: dict[str, Any]) -> dict[str, np.ndarray]:
    return {k: np.array(bm.unwrap(v), order="C", copy=True) for k, v in entries.items()}


def _checksum(arrays: dict[str, np.ndarray], meta_json: str) -> str:
    h = hashlib.sha256()
    for key in sorted(arrays):
        a = arrays[key]
        h.update(f"{key}\0{a.dtype.str}\0{a.shape}\0".encode())
        h.update(a.tobytes())
    h.update(meta_json.encode())
    return h.hexdigest()


# -- encoding -----------------------------------------------------------------------------------

def _encode(path: str, arrays: dict[str, np.ndarray], header: dict[str, str]) -> bytes:
    if path.endswith(".npz"):
        buf = io.BytesIO()
        extra = {_META_KEY: np.frombuffer(json.dumps(header).encode(), dtype=np.uint8)}
        np.savez(buf, **arrays, **extra)
        return buf.getvalue()
    from safetensors.numpy import save as st_save
    try:
        return st_save(arrays, metadata=header)
    except Exception as err:  # e.g. a dtype safetensors does not know
        raise CheckpointError(describe("checkpoint.save", "arrays safetensors can store",
                                       f"{type(err).__name__}: {err}", "save to a .npz path instead")) from err


def _decode(path: str, data: bytes) -> tuple[dict[str, np.ndarray], dict[str, str]]:
    if path.endswith(".npz"):
        with np.load(io.BytesIO(data), allow_pickle=False) as z:
            arrays = {k: z[k] for k in z.files}
        header = json.loads(arrays.pop(_META_KEY).tobytes().decode())
        return arrays, header
    from safetensors.numpy import load as st_load
    (n,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + n].decode()).get("__metadata__") or {}
    return st_load(data), header


# -- atomic write -------------------------------------------------------------------------------

def _write_payload(f: Any, data: bytes) -> None:
    f.write(data)


def _atomic_write(path: str, data: bytes) -> None:
    directory = os.path.dirname(os.path.abspath(path))
    os.makedirs(directory, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix="." + os.path.basename(path) + ".", suffix=".tmp", dir=directory)
    try:
        with os.fdopen(fd, "wb") as f:
            _write_payload(f, data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    with contextlib.suppress(OSError):          # make the rename itself durable (POSIX)
        dir_fd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)


# -- public API ---------------------------------------------------------------------------------

def save(path: str | os.PathLike, target_or_trainer: Any, step: int | None = None) -> str:
    """Write every Variable of a model (or a trainer's model, optimizer state, counters, RNG) to ``path``.

    Args:
        path: a ``.safetensors`` file (any other suffix is written as safetensors too) or ``.npz``.
        target_or_trainer: a ``bp.DynamicalSystem`` or a trainer such as ``bp.BPTT``.
        step: an optional step number stored in the metadata (a trainer stores its own).

    Returns:
        The path written.
    """
    path = os.fspath(path)
    entries, meta, kind = _entries(target_or_trainer)
    if step is not None:
        meta = {**meta, "step": int(step)}
    arrays = _as_numpy(entries)
    meta_json = json.dumps(meta)
    params = sorted(k for k, v in entries.items() if isinstance(v, (bm.TrainVar, bm.Parameter)))
    header = {"format": _FORMAT, "kind": kind, "meta": meta_json, "checksum": _checksum(arrays, meta_json),
              "params": json.dumps(params)}
    _atomic_write(path, _encode(path, arrays, header))
    return path


def _fits(expected: Any, got: np.ndarray) -> bool:
    shape = tuple(np.shape(bm.unwrap(expected)))
    if got.shape == shape:
        return True
    axis = expected.batch_axis if isinstance(expected, bm.Variable) else None
    return (axis is not None and got.ndim == len(shape)
            and all(got.shape[i] == shape[i] for i in range(len(shape)) if i != axis))


def _check_fit(path: str, entries: dict[str, Any], arrays: dict[str, np.ndarray], kind: str,
               file_kind: str) -> None:
    who = f"checkpoint {path!r}"
    if file_kind != kind:
        raise CheckpointError(describe(who, f"a checkpoint of a {kind}", f"one of a {file_kind}"))
    missing, extra = sorted(set(entries) - set(arrays)), sorted(set(arrays) - set(entries))
    if missing or extra:
        raise CheckpointError(describe(who, "the same Variable paths as the object",
                                       f"missing in the file: {missing}, not in the object: {extra}",
                                       "load into the model the file was saved from"))
    for key, expected in entries.items():
        got = arrays[key]
        dtype = np.dtype(jnp.asarray(bm.unwrap(expected)).dtype)
        if not _fits(expected, got):
            raise CheckpointError(describe(who, f"{key!r} of shape {tuple(np.shape(bm.unwrap(expected)))}",
                                           f"shape {got.shape} in the file"))
        if got.dtype != dtype:
            raise CheckpointError(describe(who, f"{key!r} of dtype {dtype}", f"dtype {got.dtype} in the file"))


def load(path: str | os.PathLike, target_or_trainer: Any) -> dict:
    """Restore, in place, what :func:`save` wrote; return the stored metadata (``step``, ...).

    Raises:
        CheckpointError: the file is missing, truncated, corrupt (checksum), or does not fit.
    """
    path = os.fspath(path)
    who = f"checkpoint {path!r}"
    try:
        with open(path, "rb") as f:
            data = f.read()
    except OSError as err:
        raise CheckpointError(describe(who, "a readable file", f"{type(err).__name__}: {err}")) from err
    try:
        arrays, header = _decode(path, data)
        meta_json = header["meta"]
        meta = json.loads(meta_json)
        stored = header["checksum"]
        file_kind = header["kind"]
    except Exception as err:
        raise CheckpointError(describe(who, "a complete neurodyn checkpoint", f"a truncated or corrupt file "
                                       f"({type(err).__name__}: {err})")) from err
    if header.get("format") != _FORMAT:
        raise CheckpointError(describe(who, f"a neurodyn checkpoint of format {_FORMAT}",
                                       f"format {header.get('format')!r}"))
    if _checksum(arrays, meta_json) != stored:
        raise CheckpointError(describe(who, "content matching its stored SHA-256 checksum",
                                       "a mismatch: the file is corrupt", "use an older checkpoint"))
    entries, _, kind = _entries(target_or_trainer)
    params = json.loads(header["params"]) if "params" in header else None
    if kind == "model" and file_kind != "model":      # a trainer's file: take its model's Variables
        arrays = {k[len("model/"):]: a for k, a in arrays.items() if k.startswith("model/")}
        params = None if params is None else [k[len("model/"):] for k in params if k.startswith("model/")]
        file_kind = "model"
    if isinstance(target_or_trainer, DynamicalSystem):
        _load_model(who, target_or_trainer, arrays, params)
    else:
        _check_fit(path, entries, arrays, kind, file_kind)
        target_or_trainer.checkpoint_restore({k: jnp.asarray(a) for k, a in arrays.items()}, meta)
    return meta


def _load_model(who: str, model: DynamicalSystem, arrays: dict[str, np.ndarray], params: Any) -> None:
    """Load a model's file through ``model.plan_load``: parameters exactly, state across modes."""
    plan = model.plan_load(arrays, source_params=params)
    if plan.missing_params or plan.unknown:
        raise CheckpointError(describe(who, "the parameters of the object, and only paths of its nodes",
                                       f"missing in the file: {plan.missing_params}, not in the object: "
                                       f"{plan.unknown}", "load into the model class the file was saved from"))
    own = model.vars().unique()
    if plan.bad:
        keys = sorted((item.split(":")[0] for item in plan.bad),
                      key=lambda k: not isinstance(own[k], (bm.TrainVar, bm.Parameter)))
        raise CheckpointError(describe(who, ", ".join(f"{k!r} of shape {tuple(own[k].shape)}" for k in keys),
                                       ", ".join(f"{k!r} of shape {arrays[k].shape}" for k in keys) + " in the file"))
    taken = {**plan.assign, **plan.resized}        # state saved at another batch size resumes as saved
    for key, var in taken.items():
        dtype = np.dtype(jnp.asarray(var.value).dtype)
        if arrays[key].dtype != dtype:
            raise CheckpointError(describe(who, f"{key!r} of dtype {dtype}", f"dtype {arrays[key].dtype} in the file"))
    for key, var in taken.items():
        var.value = jnp.asarray(arrays[key])


_NAME = "ckpt-epoch{:06d}"
_PATTERN = re.compile(r"^ckpt-epoch(\d+)\.(safetensors|npz)$")


def checkpoint_path(directory: str | os.PathLike, epoch: int, suffix: str = ".safetensors") -> str:
    """The file a trainer writes in ``directory`` after ``epoch`` epochs."""
    return os.path.join(os.fspath(directory), _NAME.format(epoch) + suffix)


def latest(directory: str | os.PathLike) -> str | None:
    """The checkpoint of the highest epoch in ``directory`` (``None`` if there is none)."""
    directory = os.fspath(directory)
    if not os.path.isdir(directory):
        return None
    found = [(int(m.group(1)), name) for name in os.listdir(directory) if (m := _PATTERN.match(name))]
    return os.path.join(directory, max(found)[1]) if found else None


# -- pytrees (BrainPy's bp.checkpoints.save_pytree / load_pytree) --------------------------------

def _flatten_pytree(tree: Any) -> tuple[dict[str, np.ndarray], list]:
    """Arrays keyed ``'0'``, ``'1'``, ... and, for each, its key path as JSON-able parts."""
    leaves = jax.tree_util.tree_flatten_with_path(bm.unwrap_tree(tree))[0]
    arrays, paths = {}, []
    for k, (path, leaf) in enumerate(leaves):
        parts = []
        for p in path:
            if isinstance(p, jax.tree_util.DictKey):
                parts.append(["d", p.key if isinstance(p.key, str) else str(p.key)])
            elif isinstance(p, jax.tree_util.SequenceKey):
                parts.append(["s", p.idx])
            else:
                raise CheckpointError(describe("save_pytree", "a pytree of dicts, lists and tuples",
                                               f"a node of kind {type(p).__name__}"))
        arrays[str(k)] = np.array(leaf, order="C", copy=True)
        paths.append(parts)
    return arrays, paths


def _unflatten_pytree(arrays: dict[str, np.ndarray], paths: list) -> Any:
    if len(paths) == 1 and not paths[0]:          # the tree was a single array
        return jnp.asarray(arrays["0"])
    root: dict = {}
    for k, parts in enumerate(paths):
        node = root
        for _, key in parts[:-1]:
            node = node.setdefault(key, {})
        node[parts[-1][1]] = jnp.asarray(arrays[str(k)])
    return _lists(root)


def _lists(tree: Any) -> Any:
    """Dicts keyed 0..n-1 (sequences when saved) back into lists."""
    if isinstance(tree, dict):
        tree = {k: _lists(v) for k, v in tree.items()}
        if tree and all(isinstance(k, int) for k in tree) and sorted(tree) == list(range(len(tree))):
            return [tree[i] for i in range(len(tree))]
    return tree


def save_pytree(filename: str | os.PathLike, target: Any, overwrite: bool = True,
                async_manager: Any = None, verbose: bool = False) -> str:
    """Write a pytree of arrays (nested dicts/lists, e.g. ``{'net': net.state_dict()}``) to one
    safe file, atomically. Sequences come back as lists."""
    path = os.fspath(filename)
    if not overwrite and os.path.exists(path):
        raise CheckpointError(describe("save_pytree", "a new file (overwrite=False)", f"{path!r} exists"))
    arrays, paths = _flatten_pytree(target)
    meta_json = json.dumps({"paths": paths})
    header = {"format": _FORMAT, "kind": "pytree", "meta": meta_json, "checksum": _checksum(arrays, meta_json)}
    _atomic_write(path, _encode(path, arrays, header))
    if verbose:
        print(f"Saved {len(arrays)} arrays to {path}")
    return path


def load_pytree(filename: str | os.PathLike, parallel: bool = True) -> Any:
    """Read what :func:`save_pytree` wrote (checksum verified; never unpickled)."""
    path = os.fspath(filename)
    who = f"checkpoint {path!r}"
    try:
        with open(path, "rb") as f:
            arrays, header = _decode(path, f.read())
        meta_json = header["meta"]
        paths = json.loads(meta_json)["paths"]
    except Exception as err:
        raise CheckpointError(describe(who, "a pytree file written by save_pytree",
                                       f"{type(err).__name__}: {err}")) from err
    if header.get("kind") != "pytree" or _checksum(arrays, meta_json) != header.get("checksum"):
        raise CheckpointError(describe(who, "an intact pytree file", f"kind {header.get('kind')!r} or "
                                       "a checksum mismatch (a corrupt file)"))
    return _unflatten_pytree(arrays, paths)
