"""``save`` and ``load``: checkpoints as NumPy ``.npz`` archives, without pickle.

``torch.save`` pickles, and unpickling a file can run any code its author chose. Here a checkpoint
holds only two kinds of things, neither of which can run code:

* one NumPy array per tensor (or array), in the ``.npz`` (zip) format, read with
  ``allow_pickle=False``;
* a manifest: a JSON document that describes the nested structure — dicts, lists, tuples,
  numbers, strings, None — and names the array behind each tensor.

For example ``{"weight": tensor([[1., 2.]]), "step": 3}`` is stored as the array ``t0`` and the
manifest ``{"type": "dict", "items": [["weight", {"type": "tensor", "array": "t0", ...}],
["step", 3]]}``.

``save`` writes to a temporary file in the target's directory and renames it over the target
(``os.replace``, atomic), so a crash mid-save leaves the previous checkpoint intact.

A path ending in ``.safetensors`` (or a file object opened on one) is the exception: there
``save`` and ``load`` use the `safetensors <https://huggingface.co/docs/safetensors>`_ format,
the safe weights format of the PyTorch ecosystem (a JSON header and the raw bytes of each
tensor, no code either), through the ``safetensors`` package's NumPy API
(``pip install "tinygrad_lr[safetensors]"``). It holds a flat dict of named tensors, a state
dict, and PyTorch reads it with ``safetensors.torch.load_file``: a model trained here moves
to PyTorch, and back, in one file. Unsupported dtypes (bfloat16, ...) are refused by name.
"""

from __future__ import annotations

import json
import math
import os
import secrets
import stat
import zipfile
import zlib
from collections import OrderedDict
from collections.abc import Callable
from typing import Any, BinaryIO

import numpy as np

from . import dtypes
from .tensor import Tensor

FORMAT = "tinygrad_lr"
VERSION = 1
_MANIFEST = "__tinygrad_lr_manifest__"

PathLike = str | os.PathLike
FileLike = PathLike | BinaryIO


class _Encoder:
    """Turns a nested object into a JSON-able manifest plus a dict of named arrays."""

    def __init__(self) -> None:
        self.arrays: dict[str, np.ndarray] = {}

    def _store(self, array: np.ndarray) -> str:
        name = f"t{len(self.arrays)}"
        self.arrays[name] = array
        return name

    def encode(self, obj: Any, where: str) -> Any:
        # ``where`` spells the position in the object (e.g. obj['state'][0]) for error messages.
        if obj is None or isinstance(obj, (bool, int, float, str)):
            if isinstance(obj, float) and not np.isfinite(obj):
                return {"type": "float", "value": repr(obj)}  # JSON has no nan or inf
            return obj
        if isinstance(obj, Tensor):
            from .nn.parameter import Parameter

            dtypes.from_numpy_dtype(obj._data.dtype)  # a supported dtype, or a TypeError
            return {
                "type": "parameter" if isinstance(obj, Parameter) else "tensor",
                "array": self._store(obj._data),
                "requires_grad": obj.requires_grad,
            }
        if isinstance(obj, np.ndarray) or isinstance(obj, np.generic):
            array = np.asarray(obj)
            if array.dtype.kind not in "biuf":
                raise TypeError(
                    f"cannot save the NumPy array at {where}: its dtype {array.dtype} is not "
                    "numeric (only bool, integer and float arrays can be stored without pickle)"
                )
            if array.dtype not in dtypes._BY_NUMPY:  # a saved file must always load
                native = array.dtype.newbyteorder("=")
                fix = (
                    f"array.astype('{native}')"
                    if native in dtypes._BY_NUMPY
                    else "array.astype(np.int64) or array.astype(np.float64)"
                )
                raise TypeError(
                    f"cannot save the NumPy array at {where}: its dtype {array.dtype.str} is not "
                    f"one that tinygrad_lr.load reads (bool, uint8, int8-int64, float16-float64, "
                    f"in this machine's byte order); convert it first, e.g. {fix}"
                )
            kind = "ndarray" if isinstance(obj, np.ndarray) else "numpy_scalar"
            return {"type": kind, "array": self._store(array)}
        if isinstance(obj, dict):
            items = []
            for key, value in obj.items():
                if key is not None and not isinstance(key, (bool, int, float, str)):
                    raise TypeError(
                        f"cannot save the dict at {where}: key {key!r} is a "
                        f"{type(key).__name__}; keys must be str, int, float, bool or None"
                    )
                items.append([self.encode(key, where), self.encode(value, f"{where}[{key!r}]")])
            kind = "OrderedDict" if isinstance(obj, OrderedDict) else "dict"
            return {"type": kind, "items": items}
        if isinstance(obj, (list, tuple)):
            kind = "tuple" if isinstance(obj, tuple) else "list"
            return {
                "type": kind,
                "items": [self.encode(v, f"{where}[{i}]") for i, v in enumerate(obj)],
            }
        from .nn.module import Module
        from .optim.optimizer import Optimizer

        if isinstance(obj, (Module, Optimizer)):
            raise TypeError(
                f"cannot save the {type(obj).__name__} object at {where}: objects are not saved, "
                "only their state; save obj.state_dict() and restore it with "
                "load_state_dict(tinygrad_lr.load(path))"
            )
        raise TypeError(
            f"cannot save an object of type {type(obj).__name__} at {where}; a checkpoint holds "
            "tensors, NumPy arrays, numbers, strings, None, and dicts, lists and tuples of them"
        )


def _name_of(f: FileLike) -> str:
    if isinstance(f, (str, os.PathLike)):
        return os.fspath(f)
    return str(getattr(f, "name", repr(f)))


_SAFETENSORS_SUFFIX = ".safetensors"


def _is_safetensors_path(f: FileLike) -> bool:
    """Whether ``f`` names a .safetensors file: a path, or a file object opened on one."""
    name = os.fspath(f) if isinstance(f, (str, os.PathLike)) else getattr(f, "name", None)
    return isinstance(name, str) and name.endswith(_SAFETENSORS_SUFFIX)


def _safetensors_numpy() -> Any:
    """The ``safetensors.numpy`` module, or an ImportError that says how to install it."""
    try:
        import safetensors.numpy
    except ImportError:
        raise ImportError(
            "saving or loading a .safetensors file needs the safetensors package: "
            'pip install "tinygrad_lr[safetensors]" (or pip install safetensors); '
            "any other file name is saved as a .npz checkpoint, which needs nothing more"
        ) from None
    return safetensors.numpy


def _safetensors_arrays(obj: Any, path: str) -> dict[str, np.ndarray]:
    """The arrays of a flat ``{name: tensor}`` dict, what a .safetensors file holds."""
    if not isinstance(obj, dict):
        raise TypeError(
            f"cannot save a {type(obj).__name__} to {path}: a .safetensors file holds a flat "
            "dict of str names to tensors, such as model.state_dict(); save other objects to "
            "a file with another suffix (a .npz checkpoint)"
        )
    arrays = {}
    for key, value in obj.items():
        if not isinstance(key, str):
            raise TypeError(
                f"cannot save to {path}: key {key!r} is a {type(key).__name__}; the names in "
                "a .safetensors file are str"
            )
        if not isinstance(value, Tensor):
            raise TypeError(
                f"cannot save obj[{key!r}] to {path}: it is a {type(value).__name__}, and a "
                ".safetensors file holds only tensors (a flat dict of them); save nested or "
                "non-tensor values, such as an optimizer's state_dict(), to a .npz checkpoint"
            )
        dtypes.from_numpy_dtype(value._data.dtype)  # a supported dtype, or a TypeError
        # np.require keeps a 0-d array 0-d (np.ascontiguousarray would make it 1-d).
        arrays[key] = np.require(value._data, requirements="C")
    return arrays


def save(obj: Any, f: FileLike) -> None:
    """Save tensors, state dicts and nested containers of them to a file (``.npz``, no pickle).

    A path ending in ``.safetensors`` (or a file opened on one) is written in the safetensors
    format instead, which PyTorch reads with ``safetensors.torch.load_file``; it holds a flat
    dict of tensors.

    Parameters
    ----------
    obj : Tensor, dict, list, tuple, number, str or None
        Usually ``model.state_dict()`` or ``optimizer.state_dict()``, or a dict of them.
        dtypes, ``requires_grad`` and Parameters are kept.
    f : str, os.PathLike or binary file object
        Where to write. A path is written atomically (through a temporary file and a rename);
        no ``.npz`` suffix is added.

    Raises
    ------
    TypeError
        For an object that cannot be stored without pickle, naming where it is in ``obj``;
        for a .safetensors path, for anything but a flat dict of str names to tensors.
    ImportError
        For a .safetensors path when the safetensors package is not installed.

    Examples
    --------
    >>> import os, tempfile
    >>> import tinygrad_lr as tg
    >>> from tinygrad_lr import nn
    >>> model = nn.Linear(2, 1)
    >>> path = os.path.join(tempfile.mkdtemp(), "model.pt")
    >>> tg.save(model.state_dict(), path)
    >>> model.load_state_dict(tg.load(path))
    <All keys matched successfully>

    With the safetensors extra installed, the same for PyTorch (tests/test_safetensors.py):

    >>> path = os.path.join(tempfile.mkdtemp(), "model.safetensors")
    >>> tg.save(model.state_dict(), path)  # doctest: +SKIP
    >>> model.load_state_dict(tg.load(path))  # doctest: +SKIP
    <All keys matched successfully>
    """
    if _is_safetensors_path(f):
        name = _name_of(f)
        data = _safetensors_numpy().save(_safetensors_arrays(obj, name))
        if isinstance(f, (str, os.PathLike)):
            _write_atomically(os.fspath(f), lambda file: file.write(data))
        else:
            f.write(data)
        return
    encoder = _Encoder()
    manifest = {"format": FORMAT, "version": VERSION, "root": encoder.encode(obj, "obj")}
    text = json.dumps(manifest, allow_nan=False).encode("utf-8")
    arrays = {**encoder.arrays, _MANIFEST: np.frombuffer(text, dtype=np.uint8)}
    if not isinstance(f, (str, os.PathLike)):
        if not hasattr(f, "write"):
            raise TypeError(f"save expects a path or a binary file object, got {type(f).__name__}")
        np.savez(f, **arrays)
        return
    _write_atomically(os.fspath(f), lambda file: np.savez(file, **arrays))


def _write_atomically(path: str, write: Callable[[BinaryIO], Any]) -> None:
    """Write a file through ``write`` to a temporary file, then rename it over ``path``.

    A symbolic link is written through, as torch.save does (the link stays, its target gets the
    new file), and an existing file keeps its permissions. The data go first to an unnamed file
    (Linux's O_TMPFILE) that gets its name only once complete, so a process killed mid-save
    leaves nothing behind; where the file system has no such files, to a hidden named one.
    """
    if os.path.isdir(path):
        example = os.path.join(path, "model.pt")
        raise IsADirectoryError(f"{path} is a directory; save to a file in it, e.g. {example}")
    path = os.path.realpath(path)  # through symbolic links
    directory = os.path.dirname(path)
    if not os.path.isdir(directory):
        raise FileNotFoundError(
            f"cannot save to {path}: the directory {directory} does not exist; create it first "
            "(os.makedirs)"
        )
    try:
        mode = stat.S_IMODE(os.stat(path).st_mode)  # keep an existing file's permissions
    except FileNotFoundError:
        mode = None
    temporary = os.path.join(directory, f".{os.path.basename(path)}.{secrets.token_hex(6)}.tmp")
    fd, named = _temporary_file(directory, temporary)
    try:
        with os.fdopen(fd, "wb") as file:
            write(file)
            file.flush()
            os.fsync(file.fileno())
            if mode is not None:
                os.fchmod(file.fileno(), mode)
            if not named:  # give the complete, unnamed file its temporary name
                _name_unnamed(file.fileno(), temporary)
                named = True
        os.replace(temporary, path)
    except BaseException:
        if named and os.path.exists(temporary):
            os.remove(temporary)
        raise


def _name_unnamed(fd: int, name: str) -> None:
    """Link an O_TMPFILE file into the directory under ``name`` (linkat, following
    /proc/self/fd's link to the open file: os.link does that only given a directory fd)."""
    proc = os.open("/proc/self/fd", os.O_RDONLY)
    try:
        os.link(str(fd), name, src_dir_fd=proc, follow_symlinks=True)
    finally:
        os.close(proc)


def _temporary_file(directory: str, temporary: str) -> tuple[int, bool]:
    """An open file to write a checkpoint into, and whether it already has a name."""
    if hasattr(os, "O_TMPFILE") and os.path.isdir("/proc/self/fd"):
        try:
            return os.open(directory, os.O_TMPFILE | os.O_WRONLY, 0o666), False
        except OSError:  # a file system without unnamed files (or an old kernel)
            pass
    # O_EXCL: never write through a file (or link) that already exists under this name;
    # mode 0o666 lets the umask decide the permissions, as for any new file.
    return os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666), True


class _Decoder:
    """Rebuilds the object described by a manifest from the archive's arrays."""

    def __init__(self, archive: Any, name: str) -> None:
        self.archive = archive
        self.name = name

    def corrupt(self, reason: str) -> RuntimeError:
        return RuntimeError(f"{self.name} is not a valid tinygrad_lr checkpoint: {reason}")

    def array(self, key: Any) -> np.ndarray:
        """The stored array ``key`` named by the manifest."""
        if not isinstance(key, str) or key not in self.archive.files or key == _MANIFEST:
            raise self.corrupt(f"the manifest names an array {key!r} that the file does not hold")
        return self.read(key)

    def read(self, key: str) -> np.ndarray:
        """Read one array of the archive; NumPy refuses pickled (object) arrays."""
        self.check_size(key)
        try:
            array = self.archive[key]
        except ValueError as error:  # object arrays (pickle) are refused; short data too
            raise self.corrupt(f"array {key!r} cannot be read: {error}") from None
        except (zipfile.BadZipFile, EOFError, OSError, zlib.error) as error:
            raise self.corrupt(f"array {key!r} is truncated or damaged ({error})") from None
        if array.dtype not in dtypes._BY_NUMPY:
            raise self.corrupt(f"array {key!r} has unsupported dtype {array.dtype}")
        return array

    def check_size(self, key: str) -> None:
        """Refuse an array whose header declares more data than its member of the archive holds,
        before NumPy allocates it (a 200-byte file may declare 10¹² elements)."""
        try:
            member = self.archive.zip.getinfo(f"{key}.npy")
            with self.archive.zip.open(member) as raw:
                version = np.lib.format.read_magic(raw)
                if version == (1, 0):
                    shape, _, dtype = np.lib.format.read_array_header_1_0(raw)
                else:
                    shape, _, dtype = np.lib.format.read_array_header_2_0(raw)
                available = member.file_size - raw.tell()
        except (KeyError, ValueError, OSError, EOFError, zipfile.BadZipFile, zlib.error) as error:
            raise self.corrupt(f"array {key!r} has a damaged header ({error})") from None
        declared = math.prod(shape) * dtype.itemsize
        if declared > available:
            raise self.corrupt(
                f"array {key!r} declares shape {tuple(shape)} of {dtype}, {declared:,} bytes, but "
                f"the file holds {available:,} bytes of it"
            )

    def decode(self, node: Any) -> Any:
        if node is None or isinstance(node, (bool, int, float, str)):
            return node
        if not isinstance(node, dict) or "type" not in node:
            raise self.corrupt(f"unexpected manifest entry {node!r:.80}")
        kind = node["type"]
        if kind in ("tensor", "parameter"):
            tensor = Tensor._make(self.array(node.get("array")))
            if kind == "parameter":
                from .nn.parameter import Parameter

                return Parameter(tensor, requires_grad=bool(node.get("requires_grad")))
            return tensor.requires_grad_(bool(node.get("requires_grad")))
        if kind == "ndarray":
            return self.array(node.get("array"))
        if kind == "numpy_scalar":
            return self.array(node.get("array"))[()]
        if kind == "float":
            return float(node.get("value"))
        if kind not in ("list", "tuple", "dict", "OrderedDict"):
            raise self.corrupt(f"unknown manifest entry type {kind!r}")
        items = node.get("items")
        if not isinstance(items, list):
            raise self.corrupt(f"manifest entry of type {kind!r} has no list of items")
        if kind in ("list", "tuple"):
            values = [self.decode(item) for item in items]
            return values if kind == "list" else tuple(values)
        result = OrderedDict() if kind == "OrderedDict" else {}
        for item in items:
            if not isinstance(item, list) or len(item) != 2:
                raise self.corrupt("a dict item in the manifest is not a [key, value] pair")
            result[self.decode(item[0])] = self.decode(item[1])
        return result


# The first bytes of the files people most often mistake for a checkpoint.
_ZIP_MAGIC = b"PK\x03\x04"
_NPY_MAGIC = b"\x93NUMPY"
_PICKLE_PROTOCOL_2_TO_5 = (b"\x80\x02", b"\x80\x03", b"\x80\x04", b"\x80\x05")


def _looks_like_text(head: bytes) -> bool:
    """True when the first bytes are printable UTF-8 (or ASCII) text, such as a CSV header."""
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError:  # may also be a multi-byte character cut by the 8-byte head
        return False
    return all(c.isprintable() or c in "\t\r\n" for c in text)


def _refuse_foreign(head: bytes, name: str) -> None:
    """Raise a clear error unless the file starts like a zip archive (an .npz)."""
    if head.startswith(_ZIP_MAGIC):
        return
    if not head:
        reason = "the file is empty"
    elif head.startswith(_PICKLE_PROTOCOL_2_TO_5):
        reason = (
            "it is a pickle file (e.g. from pickle.dump or an old torch.save); tinygrad_lr never "
            "unpickles, because unpickling can run code from the file"
        )
    elif head.startswith(_NPY_MAGIC):
        reason = "it is a single NumPy .npy array; load it with numpy.load(path)"
    elif _looks_like_text(head):
        reason = (
            f"it is a text file (it starts with {head.decode('utf-8', 'replace')!r}); "
            "a CSV table is read with tinygrad_lr.datasets.load_csv"
        )
    else:
        reason = f"it is not a zip (.npz) archive (it starts with {head[:8]!r})"
    raise RuntimeError(f"{name} is not a tinygrad_lr checkpoint: {reason}")


def load(f: FileLike, map_location: Any = None, weights_only: bool | None = None) -> Any:
    """Load an object saved by :func:`save`; never runs code from the file.

    A path ending in ``.safetensors`` (or a file opened on one) is read as a safetensors file
    (written here or by PyTorch's ``safetensors.torch.save_file``): a dict of tensors.

    Parameters
    ----------
    f : str, os.PathLike or binary file object
        The checkpoint.
    map_location : optional
        Accepted for torch compatibility: None or "cpu" (everything is loaded on the CPU).
    weights_only : bool, optional
        Accepted for torch compatibility; loading is always "weights only" here.

    Returns
    -------
    object
        The saved object, rebuilt: tensors (with their own memory, dtypes and requires_grad),
        dicts, lists, tuples and plain values.

    Raises
    ------
    FileNotFoundError
        If the file does not exist.
    RuntimeError
        If the file is not a tinygrad_lr checkpoint (a pickle, a torch.save file, a truncated
        or damaged archive...), naming the file and the reason; or, for a .safetensors path,
        not a valid safetensors file.
    ImportError
        For a .safetensors path when the safetensors package is not installed.

    Examples
    --------
    >>> import io
    >>> import tinygrad_lr as tg
    >>> buffer = io.BytesIO()
    >>> tg.save({"w": tg.tensor([1.0, 2.0], dtype=tg.float64), "epoch": 3}, buffer)
    >>> _ = buffer.seek(0)
    >>> tg.load(buffer)
    {'w': tensor([1., 2.], dtype=tinygrad_lr.float64), 'epoch': 3}
    """
    if map_location not in (None, "cpu") and str(map_location).split(":")[0] != "cpu":
        raise RuntimeError(
            f"map_location={map_location!r}: tinygrad_lr loads everything on the CPU; "
            "pass map_location='cpu' or leave it out"
        )
    name = _name_of(f)
    if isinstance(f, (str, os.PathLike)):
        if not os.path.exists(f):
            raise FileNotFoundError(f"No such file or directory: '{name}' (no checkpoint there)")
        if os.path.isdir(f):
            raise IsADirectoryError(f"{name} is a directory, not a checkpoint file")
        with open(f, "rb") as file:
            if _is_safetensors_path(f):
                return _load_safetensors(file.read(), name)
            return _load_from(file, name)
    if not hasattr(f, "read"):
        raise TypeError(f"load expects a path or a binary file object, got {type(f).__name__}")
    if _is_safetensors_path(f):
        return _load_safetensors(f.read(), name)
    return _load_from(f, name)


# The safetensors dtype names of tinygrad_lr's dtypes.
_SAFETENSORS_DTYPES = {"BOOL", "U8", "I8", "I16", "I32", "I64", "F16", "F32", "F64"}


def _safetensors_header(data: bytes) -> dict[str, Any]:
    """The JSON header of safetensors bytes (8-byte little-endian size, then JSON); {} if none."""
    size = int.from_bytes(data[:8], "little") if len(data) >= 8 else 0
    try:
        header = json.loads(data[8 : 8 + size])
    except ValueError:
        return {}
    return header if isinstance(header, dict) else {}


def _load_safetensors(data: bytes, name: str) -> dict[str, Tensor]:
    """The tensors of a .safetensors file's bytes, by name, each with its own (writable) memory."""
    reader = _safetensors_numpy()
    for key, entry in _safetensors_header(data).items():
        kind = entry.get("dtype") if isinstance(entry, dict) and key != "__metadata__" else None
        if isinstance(kind, str) and kind not in _SAFETENSORS_DTYPES:
            raise RuntimeError(
                f"{name}: tensor {key!r} has dtype {kind}, which tinygrad_lr does not support; "
                "convert it in PyTorch before saving (e.g. tensor.float())"
            )
    try:
        arrays = reader.load(data)
    except Exception as error:  # safetensors raises its own SafetensorError, an Exception
        raise RuntimeError(
            f"{name} is not a valid safetensors file ({error}); a file written by "
            "tinygrad_lr.save or safetensors' save_file was expected"
        ) from None
    tensors = {}
    for key, array in arrays.items():
        if array.dtype not in dtypes._BY_NUMPY:
            raise RuntimeError(
                f"{name}: tensor {key!r} has dtype {array.dtype}, which tinygrad_lr does not "
                "support; convert it in PyTorch first (e.g. tensor.float())"
            )
        tensors[key] = Tensor._make(np.array(array, copy=True))
    return tensors


def _load_from(file: BinaryIO, name: str) -> Any:
    start = file.tell()
    _refuse_foreign(file.read(8), name)
    file.seek(start)
    try:
        archive = np.load(file, allow_pickle=False)
    except (zipfile.BadZipFile, ValueError, EOFError, OSError) as error:
        raise RuntimeError(
            f"{name} is not a valid tinygrad_lr checkpoint: the archive is truncated or "
            f"damaged ({error})"
        ) from None
    with archive:
        decoder = _Decoder(archive, name)
        if _MANIFEST not in archive.files:
            hint = (
                " (it looks like a torch.save file, which holds pickled data and is refused)"
                if any(n.endswith("data.pkl") for n in archive.zip.namelist())
                else ""
            )
            raise RuntimeError(
                f"{name} is not a tinygrad_lr checkpoint: the archive has no manifest{hint}; "
                "only files written by tinygrad_lr.save can be loaded"
            )
        raw = decoder.read(_MANIFEST)
        try:
            manifest = json.loads(raw.tobytes().decode("utf-8"))
        except (ValueError, RecursionError) as error:  # JSON's errors, a 5,000-digit number
            raise decoder.corrupt(f"the manifest is not valid JSON ({error})") from None
        if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
            raise decoder.corrupt("the manifest does not describe a tinygrad_lr checkpoint")
        if manifest.get("version") != VERSION:
            raise RuntimeError(
                f"{name} is a tinygrad_lr checkpoint of format version "
                f"{manifest.get('version')!r}; this version of tinygrad_lr reads version "
                f"{VERSION}. Upgrade tinygrad_lr to load it."
            )
        if "root" not in manifest:
            raise decoder.corrupt("the manifest has no root object")
        try:
            return decoder.decode(manifest["root"])
        except RecursionError:
            raise decoder.corrupt("the manifest is nested too deeply") from None
        except (ValueError, TypeError) as error:  # a float that is not one, a list as a key
            raise decoder.corrupt(f"the manifest has a malformed entry ({error})") from None


__all__ = ["load", "save"]
