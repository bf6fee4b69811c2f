"""tinygrad_lr.save / tinygrad_lr.load: round trips, and files that must be refused.

The refusal tests use files whose loading through pickle would create a marker file: they
prove that load rejects them without running anything from them.
"""

from __future__ import annotations

import io
import json
import os
import pickle
import signal
import stat
import subprocess
import sys
import zipfile
from collections import OrderedDict

import numpy as np
import pytest

import tinygrad_lr as tg
import tinygrad_lr.nn.functional as F
from tinygrad_lr import nn, optim, serialization


class CreatesMarker:
    """Unpickling this calls open(marker, "w"): the marker file's existence proves it ran."""

    def __init__(self, marker):
        self.marker = str(marker)

    def __reduce__(self):
        return (open, (self.marker, "w"))


def assert_same(loaded, original):
    """Equal structure, types, dtypes and values (NaN equals NaN)."""
    assert type(loaded) is type(original), (type(loaded), type(original))
    if isinstance(original, tg.Tensor):
        assert loaded.dtype is original.dtype and loaded.shape == original.shape
        assert loaded.requires_grad == original.requires_grad
        np.testing.assert_array_equal(loaded.detach().numpy(), original.detach().numpy())
    elif isinstance(original, (np.ndarray, np.generic)):
        assert loaded.dtype == original.dtype
        np.testing.assert_array_equal(loaded, original)
    elif isinstance(original, dict):
        assert list(loaded) == list(original)
        for key in original:
            assert type(key) is type(next(k for k in loaded if k == key))
            assert_same(loaded[key], original[key])
    elif isinstance(original, (list, tuple)):
        assert len(loaded) == len(original)
        for a, b in zip(loaded, original):
            assert_same(a, b)
    elif isinstance(original, float) and np.isnan(original):
        assert np.isnan(loaded)
    else:
        assert loaded == original


# ---------------------------------------------------------------------------------- round trips
def test_round_trip_of_nested_values_keeps_structure_types_and_dtypes(tmp_path):
    tensors = {
        name: tg.tensor(np.arange(6).reshape(2, 3)).to(getattr(tg, name))
        for name in ("float16", "float32", "float64", "int8", "int16", "int32", "int64", "uint8")
    }
    obj = {
        "tensors": tensors,
        "bool": tg.tensor([True, False]),
        "scalar": tg.tensor(3.5),
        "empty": tg.zeros(0, 4),
        "grad": tg.ones(2, requires_grad=True),
        "param": nn.Parameter(tg.ones(2, dtype=tg.float64)),
        "frozen": nn.Parameter(tg.ones(1), requires_grad=False),
        "numbers": [1, -(2**70), 2.5, float("nan"), float("inf"), -float("inf"), True, None],
        "strings": ("plain", "ünïcödé ✓", ""),
        "int_keys": {0: "a", 7: "b", -1: "c"},
        "mixed_keys": {1.5: 1, True: 2, None: 3, "s": 4},
        "ordered": OrderedDict(b=1, a=2),
        "array": np.arange(4, dtype=np.float16),
        "numpy_scalar": np.float32(1.25),
        "nested": [[[{"deep": tg.ones(1)}]]],
    }
    path = tmp_path / "checkpoint.pt"
    tg.save(obj, path)
    assert_same(tg.load(path), obj)
    assert isinstance(tg.load(path)["param"], nn.Parameter)


def test_loaded_tensors_own_their_memory(tmp_path):
    original = tg.ones(3)
    tg.save({"t": original}, tmp_path / "a.pt")
    loaded = tg.load(tmp_path / "a.pt")["t"]
    original.fill_(5.0)
    assert loaded.tolist() == [1.0, 1.0, 1.0]
    loaded.add_(1.0)  # writable
    assert loaded.tolist() == [2.0, 2.0, 2.0]


def test_model_state_dict_round_trip(tmp_path):
    source = nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 1)).double()
    target = nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 1)).double()
    path = os.path.join(tmp_path, "model.pt")  # a str path works as well as a Path
    tg.save(source.state_dict(), path)
    loaded = tg.load(path)
    assert isinstance(loaded, OrderedDict) and list(loaded) == list(source.state_dict())
    assert all(t.dtype is tg.float64 and not t.requires_grad for t in loaded.values())
    target.load_state_dict(loaded)
    x = tg.randn(5, 3, dtype=tg.float64)
    np.testing.assert_array_equal(source(x).detach().numpy(), target(x).detach().numpy())


@pytest.mark.parametrize(
    "name,kwargs",
    [("SGD", {"lr": 0.05, "momentum": 0.9, "nesterov": True}), ("Adam", {"amsgrad": True})],
)
def test_optimizer_state_round_trip_resumes_training_exactly(tmp_path, name, kwargs):
    def make():
        tg.manual_seed(0)
        model = nn.Linear(2, 1)
        return model, getattr(optim, name)(model.parameters(), **kwargs)

    X, y = tg.randn(16, 2), tg.randn(16, 1)

    def train(model, opt, steps):
        for _ in range(steps):
            opt.zero_grad()
            F.mse_loss(model(X), y).backward()
            opt.step()

    straight_model, straight_opt = make()
    train(straight_model, straight_opt, 10)

    model, opt = make()
    train(model, opt, 5)
    path = tmp_path / "checkpoint.pt"
    tg.save({"model": model.state_dict(), "optimizer": opt.state_dict(), "epoch": 5}, path)
    loaded = tg.load(path)
    assert_same(loaded["optimizer"], opt.state_dict())  # int keys, tuples, 0-d step tensors
    resumed_model, resumed_opt = make()
    resumed_model.load_state_dict(loaded["model"])
    resumed_opt.load_state_dict(loaded["optimizer"])
    train(resumed_model, resumed_opt, 5)
    for a, b in zip(straight_model.parameters(), resumed_model.parameters()):
        np.testing.assert_array_equal(a.detach().numpy(), b.detach().numpy())


def test_file_objects_and_plain_tensors(tmp_path):
    buffer = io.BytesIO()
    tg.save(tg.arange(3), buffer)
    buffer.seek(0)
    assert_same(tg.load(buffer), tg.arange(3))
    tg.save(None, tmp_path / "none")
    assert tg.load(tmp_path / "none") is None


def test_no_suffix_is_added_and_the_file_is_a_plain_npz_without_pickle(tmp_path):
    path = tmp_path / "model.pt"
    tg.save({"w": tg.ones(2, 2), "meta": {"epoch": 3}}, path)
    assert os.listdir(tmp_path) == ["model.pt"]
    with np.load(path, allow_pickle=False) as archive:
        arrays = {name: archive[name] for name in archive.files}
    assert all(array.dtype != object for array in arrays.values())
    manifest = json.loads(arrays[serialization._MANIFEST].tobytes())
    assert manifest["format"] == "tinygrad_lr" and manifest["version"] == 1


def test_accepts_torchs_load_arguments(tmp_path):
    tg.save({"a": 1}, tmp_path / "a.pt")
    assert tg.load(tmp_path / "a.pt", map_location="cpu", weights_only=True) == {"a": 1}
    with pytest.raises(RuntimeError, match="loads everything on the CPU"):
        tg.load(tmp_path / "a.pt", map_location="cuda:0")


# ---------------------------------------------------------------------------------- saving errors
@pytest.mark.parametrize(
    "obj,message",
    [
        (
            {"layer": nn.Linear(1, 1)},
            r"cannot save the Linear object at obj\['layer'\].*state_dict",
        ),
        ({"s": {1, 2}}, r"cannot save an object of type set at obj\['s'\]"),
        ([np.array(["a"])], r"NumPy array at obj\[0\].*not numeric"),
        ({(1, 2): 3}, r"key \(1, 2\) is a tuple"),
    ],
)
def test_unsupported_objects_are_refused_with_their_location(tmp_path, obj, message):
    with pytest.raises(TypeError, match=message):
        tg.save(obj, tmp_path / "x.pt")
    assert os.listdir(tmp_path) == []  # nothing written, not even a temporary file


def test_a_failed_save_leaves_the_previous_file_intact(tmp_path, monkeypatch):
    path = tmp_path / "model.pt"
    tg.save({"version": 1}, path)
    before = path.read_bytes()

    def crash_midway(file, **arrays):
        file.write(b"PK\x03\x04 half of an archive")
        raise OSError("disk full")

    monkeypatch.setattr(serialization.np, "savez", crash_midway)
    with pytest.raises(OSError, match="disk full"):
        tg.save({"version": 2}, path)
    assert path.read_bytes() == before
    assert os.listdir(tmp_path) == ["model.pt"]  # the temporary file was removed
    monkeypatch.undo()
    assert tg.load(path) == {"version": 1}
    tg.save({"version": 2}, path)  # and a later save replaces it
    assert tg.load(path) == {"version": 2}


def test_saved_file_gets_the_usual_permissions(tmp_path):
    tg.save({"a": 1}, tmp_path / "a.pt")
    (tmp_path / "plain").write_bytes(b"")
    assert os.stat(tmp_path / "a.pt").st_mode == os.stat(tmp_path / "plain").st_mode


# ---------------------------------------------------------------------------------- refusals
def _refused(path, match):
    with pytest.raises(RuntimeError, match=match) as info:
        tg.load(path)
    assert str(path) in str(info.value)  # the error names the file
    return str(info.value)


def test_a_pickle_file_is_refused_without_running_it(tmp_path):
    marker = tmp_path / "marker"
    path = tmp_path / "evil.pt"
    with open(path, "wb") as file:
        pickle.dump({"state": CreatesMarker(marker)}, file)
    message = _refused(path, "is not a tinygrad_lr checkpoint: it is a pickle file")
    assert "never unpickles" in message
    assert not marker.exists()
    # The file really would have run code: proving the test's premise.
    with open(path, "rb") as file:
        pickle.load(file)
    assert marker.exists()


def test_a_npy_with_a_pickled_object_array_is_refused(tmp_path):
    marker = tmp_path / "marker"
    path = tmp_path / "evil.npy"
    np.save(path, np.array([CreatesMarker(marker)], dtype=object), allow_pickle=True)
    _refused(path, "it is a single NumPy .npy array")
    assert not marker.exists()


def test_an_npz_whose_manifest_points_at_a_pickled_array_is_refused(tmp_path):
    """A crafted archive with a valid manifest and an object array: load reads it with
    allow_pickle=False, so the array is refused, not unpickled."""
    marker = tmp_path / "marker"
    path = tmp_path / "crafted.pt"
    manifest = {"format": "tinygrad_lr", "version": 1, "root": {"type": "ndarray", "array": "t0"}}
    text = np.frombuffer(json.dumps(manifest).encode(), dtype=np.uint8)
    with open(path, "wb") as file:
        np.savez(
            file,
            t0=np.array([CreatesMarker(marker)], dtype=object),
            **{serialization._MANIFEST: text},
        )
    _refused(path, "array 't0' cannot be read: Object arrays cannot be loaded")
    assert not marker.exists()


def test_a_torch_save_file_is_refused_with_a_hint(tmp_path, torch):
    path = tmp_path / "torch_model.pt"
    torch.save(torch.nn.Linear(2, 1).state_dict(), path)
    _refused(path, "no manifest .*looks like a torch.save file")


@pytest.mark.parametrize("keep", [0.1, 0.5, 0.9, 0.99])
def test_a_truncated_file_is_refused(tmp_path, keep):
    path = tmp_path / "model.pt"
    tg.save({"w": tg.randn(100, 10), "b": tg.zeros(10), "step": 3}, path)
    data = path.read_bytes()
    path.write_bytes(data[: int(len(data) * keep)])
    _refused(path, "not a valid tinygrad_lr checkpoint: .*(truncated|damaged)")


def test_a_corrupted_array_is_refused(tmp_path):
    path = tmp_path / "model.pt"
    tg.save({"w": tg.ones(1000)}, path)
    data = bytearray(path.read_bytes())
    data[600] ^= 0xFF  # inside the array's bytes: the zip checksum no longer matches
    path.write_bytes(bytes(data))
    _refused(path, "truncated or damaged")


def test_random_bytes_and_empty_files_are_refused(tmp_path):
    path = tmp_path / "noise.pt"
    path.write_bytes(np.random.default_rng(0).bytes(1000))
    _refused(path, "is not a tinygrad_lr checkpoint: it is not a zip")
    path.write_bytes(b"")
    _refused(path, "is not a tinygrad_lr checkpoint: the file is empty")


def test_a_foreign_zip_or_npz_is_refused(tmp_path):
    path = tmp_path / "other.npz"
    np.savez(path, weights=np.ones(3))
    _refused(path, "the archive has no manifest; only files written by tinygrad_lr.save")
    with zipfile.ZipFile(tmp_path / "docs.zip", "w") as archive:
        archive.writestr("readme.txt", "hello")
    _refused(tmp_path / "docs.zip", "no manifest")


def _write_manifest(path, manifest_bytes, **arrays):
    with open(path, "wb") as file:
        np.savez(
            file, **arrays, **{serialization._MANIFEST: np.frombuffer(manifest_bytes, np.uint8)}
        )


@pytest.mark.parametrize(
    "manifest,message",
    [
        (b"{not json", "the manifest is not valid JSON"),
        (b'{"format": "other", "version": 1, "root": 1}', "does not describe a tinygrad_lr"),
        (b'{"format": "tinygrad_lr", "version": 1, "root": {"type": "x"}}', "unknown manifest"),
        (
            b'{"format": "tinygrad_lr", "version": 1, "root": {"type": "tensor", "array": "t9"}}',
            "names an array 't9' that the file does not hold",
        ),
        (b'{"format": "tinygrad_lr", "version": 1, "root": [1]}', "unexpected manifest entry"),
        (b'{"format": "tinygrad_lr", "version": 1, "root": ' + b"[" * 100000, "not valid JSON"),
    ],
)
def test_a_damaged_manifest_is_refused(tmp_path, manifest, message):
    path = tmp_path / "bad.pt"
    _write_manifest(path, manifest)
    _refused(path, message)


def test_a_newer_format_version_asks_for_an_upgrade(tmp_path):
    path = tmp_path / "future.pt"
    _write_manifest(path, b'{"format": "tinygrad_lr", "version": 99, "root": null}')
    _refused(path, "format version 99; this version of tinygrad_lr reads version 1")


def test_a_missing_file_is_a_file_not_found_error_naming_it(tmp_path):
    path = tmp_path / "nowhere" / "model.pt"
    with pytest.raises(FileNotFoundError, match="model.pt"):
        tg.load(path)


# ------------------------------------------------------------------ files that betray, round two
def test_save_writes_through_a_symlink_and_keeps_permissions(tmp_path):
    target, link = tmp_path / "real.pt", tmp_path / "link.pt"
    tg.save({"a": tg.ones(2)}, target)
    os.chmod(target, 0o600)
    link.symlink_to(target)
    tg.save({"a": tg.zeros(2)}, link)
    assert link.is_symlink() and link.resolve() == target.resolve()  # as torch.save
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert tg.load(link)["a"].tolist() == [0.0, 0.0]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["link.pt", "real.pt"]


def test_a_save_killed_midway_leaves_no_temporary_file(tmp_path):
    script = (
        "import os, signal, numpy as np, tinygrad_lr as tg\n"
        "real = np.savez\n"
        "def dying(file, **arrays):\n"
        "    file.write(b'x' * 100_000)\n"
        "    os.kill(os.getpid(), signal.SIGKILL)\n"
        "np.savez = dying\n"
        f"tg.save({{'w': tg.ones(1000)}}, {str(tmp_path / 'model.pt')!r})\n"
    )
    completed = subprocess.run([sys.executable, "-c", script], capture_output=True, timeout=60)
    assert completed.returncode == -signal.SIGKILL
    assert list(tmp_path.iterdir()) == []  # no model.pt, no hidden .model.pt.*.tmp


@pytest.mark.parametrize("dtype", ["<u2", "<u4", "<u8", ">f4", ">i8", "longdouble"])
def test_save_refuses_what_load_would_refuse(tmp_path, dtype):
    array = np.zeros(2, dtype=dtype)
    with pytest.raises(TypeError, match="not one that tinygrad_lr.load reads.*convert it first"):
        tg.save({"x": array}, tmp_path / "x.pt")
    assert not (tmp_path / "x.pt").exists()


def _crafted(path, manifest: bytes, **arrays):
    np.savez(path, __tinygrad_lr_manifest__=np.frombuffer(manifest, np.uint8), **arrays)
    return path


@pytest.mark.parametrize(
    ("manifest", "message"),
    [
        (b'{"format": "tinygrad_lr", "version": 1}', "no root object"),
        (
            b'{"format": "tinygrad_lr", "version": 1, "root": {"type": "float", "value": "x"}}',
            "malformed entry",
        ),
        (
            b'{"format": "tinygrad_lr", "version": 1, "root": {"type": "dict", "items": '
            b'[[{"type": "list", "items": []}, 1]]}}',
            "malformed entry",
        ),
        (b'{"format": "tinygrad_lr", "version": 1, "root": ' + b"7" * 5000 + b"}", "valid JSON"),
    ],
    ids=["no root", "float", "list as key", "5000 digits"],
)
def test_crafted_manifests_get_one_clear_error(tmp_path, manifest, message):
    path = _crafted(tmp_path / "c.npz", manifest)
    with pytest.raises(
        RuntimeError, match=f"c.npz is not a valid tinygrad_lr checkpoint: .*{message}"
    ):
        tg.load(path)


def test_a_declared_shape_larger_than_the_file_is_refused_before_allocating(tmp_path):
    header = io.BytesIO()
    np.lib.format.write_array_header_1_0(
        header, {"descr": "<f8", "fortran_order": False, "shape": (10**12,)}
    )
    manifest = io.BytesIO()
    text = b'{"format": "tinygrad_lr", "version": 1, "root": {"type": "tensor", "array": "t0"}}'
    np.save(manifest, np.frombuffer(text, np.uint8))
    path = tmp_path / "huge.pt"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("t0.npy", header.getvalue() + b"\0" * 16)
        archive.writestr("__tinygrad_lr_manifest__.npy", manifest.getvalue())
    assert path.stat().st_size < 1000
    with pytest.raises(RuntimeError, match=r"declares shape \(1000000000000,\).*holds 16 bytes"):
        tg.load(path)
