"""``save``/``load`` of ``.safetensors`` files: the weights format PyTorch reads, both ways."""

from __future__ import annotations

import sys

import numpy as np
import pytest

import tinygrad_lr as tg
import tinygrad_lr.nn.functional as F
from tinygrad_lr import nn, optim


@pytest.fixture
def safetensors_torch(torch):
    """``safetensors.torch``; skipped (outside CI) without torch or safetensors."""
    return pytest.importorskip("safetensors.torch")


@pytest.fixture
def safetensors_numpy():
    """``safetensors.numpy``; skipped (outside CI) without safetensors."""
    return pytest.importorskip("safetensors.numpy")


def _trained_linear() -> tuple[nn.Linear, tg.Tensor]:
    tg.manual_seed(0)
    model = nn.Linear(3, 2)
    x = tg.randn(16, 3)
    y = x @ tg.tensor([[1.0, -2.0], [0.5, 0.0], [3.0, 1.0]]) + 0.25
    optimizer = optim.SGD(model.parameters(), lr=0.1)
    for _ in range(20):
        optimizer.zero_grad()
        F.mse_loss(model(x), y).backward()
        optimizer.step()
    return model, x


def test_a_model_trained_here_predicts_the_same_in_pytorch(tmp_path, torch, safetensors_torch):
    model, x = _trained_linear()
    path = tmp_path / "model.safetensors"
    tg.save(model.state_dict(), path)
    theirs = torch.nn.Linear(3, 2)
    theirs.load_state_dict(safetensors_torch.load_file(path))
    with torch.no_grad():
        predicted = theirs(torch.from_numpy(x.numpy().copy()))
    with tg.no_grad():
        np.testing.assert_allclose(predicted.numpy(), model(x).numpy(), rtol=1e-6, atol=1e-6)


def test_a_model_saved_by_pytorch_predicts_the_same_here(tmp_path, torch, safetensors_torch):
    torch.manual_seed(0)
    theirs = torch.nn.Linear(4, 3)
    path = tmp_path / "torch_model.safetensors"
    safetensors_torch.save_file(theirs.state_dict(), path)
    model = nn.Linear(4, 3)
    assert str(model.load_state_dict(tg.load(path))) == "<All keys matched successfully>"
    x = np.random.default_rng(0).standard_normal((5, 4)).astype(np.float32)
    with torch.no_grad():
        expected = theirs(torch.from_numpy(x)).numpy()
    with tg.no_grad():
        np.testing.assert_allclose(model(tg.tensor(x)).numpy(), expected, rtol=1e-6, atol=1e-6)


def test_dtypes_shapes_and_views_survive_both_ways(tmp_path, torch, safetensors_torch):
    tensors = {
        "transposed": tg.arange(6.0).reshape(2, 3).T,  # not contiguous
        "scalar": tg.tensor(2.5),  # 0-d stays 0-d
        "empty": tg.zeros(0, 3),
        "ints": tg.arange(3),
        "half": tg.ones(2, dtype=tg.float16),
        "double": tg.tensor([1.0, 2.0], dtype=tg.float64),
        "flags": tg.tensor([True, False]),
        "bytes": tg.tensor([1, 255], dtype=tg.uint8),
    }
    path = tmp_path / "all.safetensors"
    tg.save(tensors, path)
    theirs = safetensors_torch.load_file(path)
    ours = tg.load(path)
    assert set(theirs) == set(ours) == set(tensors)
    for key, original in tensors.items():
        assert tuple(theirs[key].shape) == tuple(original.shape) == tuple(ours[key].shape)
        assert str(theirs[key].dtype).split(".")[-1] == str(original.dtype).split(".")[-1]
        assert ours[key].dtype is original.dtype
        np.testing.assert_array_equal(theirs[key].numpy(), original.numpy())
        np.testing.assert_array_equal(ours[key].numpy(), original.numpy())


def test_loaded_tensors_own_writable_memory_and_require_no_grad(tmp_path, safetensors_numpy):
    path = tmp_path / "w.safetensors"
    tg.save({"w": tg.ones(2, requires_grad=True)}, path)
    loaded = tg.load(path)["w"]
    assert loaded.requires_grad is False and loaded.numpy().flags.writeable
    loaded.numpy()[0] = 5.0
    np.testing.assert_array_equal(tg.load(path)["w"].numpy(), [1.0, 1.0])


def test_the_file_is_plain_safetensors_and_file_objects_work(tmp_path, safetensors_numpy):
    path = tmp_path / "m.safetensors"
    with open(path, "wb") as file:
        tg.save({"w": tg.tensor([1.0, 2.0])}, file)
    np.testing.assert_array_equal(safetensors_numpy.load_file(str(path))["w"], [1.0, 2.0])
    with open(path, "rb") as file:
        np.testing.assert_array_equal(tg.load(file)["w"].numpy(), [1.0, 2.0])
    tg.save({}, tmp_path / "empty.safetensors")
    assert tg.load(tmp_path / "empty.safetensors") == {}


def test_npz_checkpoints_keep_working_next_to_safetensors(tmp_path, safetensors_numpy):
    model = nn.Linear(2, 1)
    optimizer = optim.Adam(model.parameters())
    state = {"model": model.state_dict(), "optimizer": optimizer.state_dict(), "epoch": 3}
    tg.save(state, tmp_path / "checkpoint.npz")
    loaded = tg.load(tmp_path / "checkpoint.npz")
    assert loaded["epoch"] == 3 and set(loaded["model"]) == {"weight", "bias"}


@pytest.mark.parametrize(
    "obj, message",
    [
        ({"w": tg.ones(1), "step": 3}, r"obj\['step'\].*int.*\.npz"),
        ({"state": {"w": tg.ones(1)}}, r"obj\['state'\].*dict.*optimizer"),
        (tg.ones(2), "Tensor.*flat dict"),
        ([tg.ones(2)], "list.*flat dict"),
        ({1: tg.ones(2)}, "key 1 .*str"),
    ],
)
def test_what_safetensors_cannot_hold_is_refused_and_nothing_is_written(
    tmp_path, safetensors_numpy, obj, message
):
    path = tmp_path / "o.safetensors"
    with pytest.raises(TypeError, match=message):
        tg.save(obj, path)
    assert not path.exists()


def test_an_optimizer_state_dict_is_refused_not_silently_dropped(tmp_path, safetensors_numpy):
    model = nn.Linear(2, 1)
    optimizer = optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    F.mse_loss(model(tg.ones(1, 2)), tg.ones(1, 1)).backward()
    optimizer.step()
    with pytest.raises(TypeError, match="optimizer"):
        tg.save(optimizer.state_dict(), tmp_path / "optimizer.safetensors")


def test_a_dtype_tinygrad_lr_lacks_is_refused_naming_it(tmp_path, torch, safetensors_torch):
    path = tmp_path / "bf16.safetensors"
    safetensors_torch.save_file({"w": torch.ones(2, dtype=torch.bfloat16)}, path)
    with pytest.raises(RuntimeError, match="'w' has dtype BF16.*not support"):
        tg.load(path)


@pytest.mark.parametrize("content", [b"", b"hello world, not safetensors", b"PK\x03\x04 zip"])
def test_a_file_that_is_not_safetensors_is_refused(tmp_path, safetensors_numpy, content):
    path = tmp_path / "bad.safetensors"
    path.write_bytes(content)
    with pytest.raises(RuntimeError, match="bad.safetensors is not a valid safetensors file"):
        tg.load(path)


def test_without_the_package_the_error_names_the_extra(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "safetensors", None)
    monkeypatch.setitem(sys.modules, "safetensors.numpy", None)
    path = tmp_path / "m.safetensors"
    with pytest.raises(ImportError, match=r'pip install "tinygrad_lr\[safetensors\]"'):
        tg.save({"w": tg.ones(1)}, path)
    path.write_bytes(b"anything")
    with pytest.raises(ImportError, match="safetensors package"):
        tg.load(path)
    tg.save({"w": tg.ones(1)}, tmp_path / "m.npz")  # .npz needs nothing more
    assert set(tg.load(tmp_path / "m.npz")) == {"w"}
