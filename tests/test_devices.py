"""Devices, honestly: ``device``, ``device=``, ``.to``, ``cuda``, ``accelerator``, as torch has
them on a computer without a GPU; every device but the CPU raises and says how to fix it."""

from __future__ import annotations

import copy
import pickle
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

import tinygrad_lr as tg
from tinygrad_lr import nn

FIX = "device = 'cuda' if torch.cuda.is_available() else 'cpu'"
NOT_HERE = "runs on the CPU through NumPy"


# ---------------------------------------------------------------------------------- device
@pytest.mark.parametrize(
    "args, kwargs",
    [
        (("cpu",), {}),
        (("cpu:0",), {}),
        (("cpu:3",), {}),
        (("cpu", 0), {}),
        (("cpu",), {"index": 1}),
        ((), {"type": "cpu"}),
        ((), {"type": "cpu", "index": 0}),
        (("cuda",), {}),
        (("cuda:1",), {}),
        (("mps",), {}),
        (("meta",), {}),
    ],
)
def test_device_type_index_repr_and_str_are_torch_s(torch, args, kwargs):
    ours, theirs = tg.device(*args, **kwargs), torch.device(*args, **kwargs)
    assert (ours.type, ours.index) == (theirs.type, theirs.index)
    assert repr(ours) == repr(theirs) and str(ours) == str(theirs)
    assert tg.device(ours) == ours  # a device copies a device


@pytest.mark.parametrize(
    "args",
    [("gpu",), ("CPU",), ("",), ("cpu:x",), ("cpu:-1",), ("cuda:01",), ("cpu:0:0",),
     ("cpu", -1), ("cpu:0", 0), ("cpu", "0"), (1.5,), (None,), (0,)],
)  # fmt: skip
def test_invalid_devices_raise_torch_s_exception_type(torch, args):
    with pytest.raises(Exception) as theirs:
        torch.device(*args)
    with pytest.raises(theirs.type):
        tg.device(*args)


def test_device_equality_and_hashing_follow_torch(torch):
    pairs = [("cpu", "cpu"), ("cpu", "cpu:0"), ("cpu:0", "cpu:0"), ("cpu", "cuda")]
    for a, b in pairs:
        assert (tg.device(a) == tg.device(b)) == (torch.device(a) == torch.device(b))
        assert (tg.device(a) != tg.device(b)) == (torch.device(a) != torch.device(b))
    # As in torch, a device is not equal to a string: compare `.type` with a string instead.
    for text in ("cpu", "cpu:0"):
        assert (tg.device(text) == text) == (torch.device(text) == text)
        assert (text == tg.device(text)) == (text == torch.device(text))
    assert tg.zeros(1).device.type == "cpu" and str(tg.zeros(1).device) == "cpu"
    assert len({tg.device("cpu"), tg.device("cpu"), tg.device("cpu", 0)}) == 2
    assert tg.device("cpu") in {tg.zeros(1).device}


def test_a_device_pickles_and_copies():
    for d in (tg.device("cpu"), tg.device("cpu", 2)):
        assert pickle.loads(pickle.dumps(d)) == d
        assert copy.deepcopy(d) == d


def test_tensor_device_is_a_device(torch):
    x = tg.zeros(2)
    assert isinstance(x.device, tg.device) and x.device == tg.device("cpu")
    assert repr(x.device) == repr(torch.zeros(2).device)
    assert x.is_cuda is False


# ---------------------------------------------------------------------------------- device=
# Each creation call with a device; ``m`` is tinygrad_lr or torch.
CREATIONS: dict[str, Callable[[Any, Any], Any]] = {
    "tensor": lambda m, d: m.tensor([1.0, 2.0], device=d),
    "as_tensor": lambda m, d: m.as_tensor([1.0, 2.0], device=d),
    "zeros": lambda m, d: m.zeros(2, 3, device=d),
    "ones": lambda m, d: m.ones((2,), device=d),
    "empty": lambda m, d: m.empty(2, device=d),
    "full": lambda m, d: m.full((2,), 1.5, device=d),
    "zeros_like": lambda m, d: m.zeros_like(m.ones(2), device=d),
    "ones_like": lambda m, d: m.ones_like(m.ones(2), device=d),
    "full_like": lambda m, d: m.full_like(m.ones(2), 3.0, device=d),
    "arange": lambda m, d: m.arange(0, 3, device=d),
    "linspace": lambda m, d: m.linspace(0, 1, 5, device=d),
    "eye": lambda m, d: m.eye(3, device=d),
    "randn": lambda m, d: m.randn(2, 3, device=d),
    "rand": lambda m, d: m.rand(4, device=d),
    "randint": lambda m, d: m.randint(0, 5, (3,), device=d),
    "randperm": lambda m, d: m.randperm(4, device=d),
    "normal": lambda m, d: m.normal(0.0, 1.0, size=(2,), device=d),
    "Generator": lambda m, d: m.Generator(device=d),
}


def _as_device(module: Any, spelling: str) -> Any:
    """The CPU spelled as a string, or as the module's device object."""
    return module.device(spelling[len("device:") :]) if spelling.startswith("device:") else spelling


@pytest.mark.parametrize("spelling", ["cpu", "cpu:0", "device:cpu", "device:cpu:0"])
@pytest.mark.parametrize("name", sorted(CREATIONS))
def test_every_creation_function_takes_the_cpu_as_device(torch, name, spelling):
    ours = CREATIONS[name](tg, _as_device(tg, spelling))
    theirs = CREATIONS[name](torch, _as_device(torch, spelling))
    if name == "Generator":
        assert isinstance(ours, tg.Generator)
        return
    assert ours.device == tg.device("cpu") and theirs.device == torch.device("cpu")
    assert (
        ours.shape == tuple(theirs.shape)
        and str(ours.dtype).split(".")[-1] == str(theirs.dtype).split(".")[-1]
    )
    assert CREATIONS[name](tg, None).shape == ours.shape  # device=None: the default, the CPU


@pytest.mark.parametrize("requested", ["cuda", "cuda:0", "mps", "meta", "device:cuda"])
@pytest.mark.parametrize("name", sorted(CREATIONS))
def test_every_creation_function_refuses_other_devices_saying_how_to_fix(name, requested):
    with pytest.raises(RuntimeError) as error:
        CREATIONS[name](tg, _as_device(tg, requested))
    message = str(error.value)
    kind = requested.removeprefix("device:").split(":")[0]
    assert NOT_HERE in message and FIX in message and f"no {kind} support" in message


@pytest.mark.parametrize("name", sorted(CREATIONS))
def test_a_device_that_is_not_a_device_is_a_type_error(name):
    with pytest.raises(TypeError, match="device"):
        CREATIONS[name](tg, 1.5)


def test_a_device_number_means_an_accelerator_there_is_none_of(torch):
    with pytest.raises(RuntimeError):
        torch.zeros(2, device=0)
    with pytest.raises(RuntimeError, match="accelerator"):
        tg.zeros(2, device=0)


def test_from_numpy_takes_no_device(torch):
    with pytest.raises(TypeError):
        torch.from_numpy(np.zeros(2), device="cpu")
    with pytest.raises(TypeError):
        tg.from_numpy(np.zeros(2), device="cpu")


def test_nn_linear_takes_the_cpu_as_device():
    assert nn.Linear(2, 1, device=tg.device("cpu")).weight.device == tg.device("cpu")
    with pytest.raises(RuntimeError, match=NOT_HERE):
        nn.Linear(2, 1, device="cuda")


# ---------------------------------------------------------------------------------- .to
TO_CALLS: list[tuple[str, Callable[[Any, Any], Any]]] = [
    ("to()", lambda m, x: x.to()),
    ("to('cpu')", lambda m, x: x.to("cpu")),
    ("to(device('cpu'))", lambda m, x: x.to(m.device("cpu"))),
    ("to(device='cpu:0')", lambda m, x: x.to(device="cpu:0")),
    ("to(float64)", lambda m, x: x.to(m.float64)),
    ("to(float32)", lambda m, x: x.to(m.float32)),
    ("to('cpu', float64)", lambda m, x: x.to("cpu", m.float64)),
    ("to('cpu', dtype=float64)", lambda m, x: x.to("cpu", dtype=m.float64)),
    ("to(device=, dtype=)", lambda m, x: x.to(device=m.device("cpu"), dtype=m.float16)),
    ("to(tensor)", lambda m, x: x.to(m.zeros(1, dtype=m.int64))),
    ("to(copy=True)", lambda m, x: x.to(copy=True)),
    ("to(float32, copy=True)", lambda m, x: x.to(m.float32, copy=True)),
    ("to(float64, True, True)", lambda m, x: x.to(m.float64, True, True)),
    ("to('cpu', non_blocking=True)", lambda m, x: x.to("cpu", non_blocking=True)),
    ("to(float)", lambda m, x: x.to(float)),
    ("to(int)", lambda m, x: x.to(int)),
    ("cpu()", lambda m, x: x.cpu()),
]


@pytest.mark.parametrize("name, call", TO_CALLS, ids=[n for n, _ in TO_CALLS])
def test_to_and_cpu_match_torch(torch, name, call):
    values = np.array([1.5, -2.0, 3.25], dtype=np.float32)
    x, tx = tg.tensor(values), torch.tensor(values)
    ours, theirs = call(tg, x), call(torch, tx)
    assert (ours is x) == (theirs is tx)
    assert str(ours.dtype).split(".")[-1] == str(theirs.dtype).split(".")[-1]
    np.testing.assert_array_equal(ours.numpy(), theirs.numpy())
    assert ours.device == tg.device("cpu")
    if ours is not x:  # a new tensor has memory of its own, as in torch
        assert not np.shares_memory(ours.numpy(), x.numpy())


def test_to_keeps_the_graph_when_it_converts():
    x = tg.tensor([1.0, 2.0], requires_grad=True)
    y = x.to("cpu", tg.float64)
    (y * y).sum().backward()
    assert y.dtype is tg.float64 and x.grad.dtype is tg.float32
    np.testing.assert_array_equal(x.grad.numpy(), [2.0, 4.0])


BAD_TO_CALLS: list[tuple[str, Callable[[Any, Any], Any]]] = [
    ("to(foo=1)", lambda m, x: x.to(foo=1)),
    ("to('cpu', device='cpu')", lambda m, x: x.to("cpu", device="cpu")),
    ("to(float64, dtype=float64)", lambda m, x: x.to(m.float64, dtype=m.float64)),
    ("to(float64, 1)", lambda m, x: x.to(m.float64, 1)),
    ("to(tensor, dtype=float64)", lambda m, x: x.to(m.zeros(1), dtype=m.float64)),
    ("to([1])", lambda m, x: x.to([1])),
]


@pytest.mark.parametrize("name, call", BAD_TO_CALLS, ids=[n for n, _ in BAD_TO_CALLS])
def test_invalid_to_arguments_raise_torch_s_exception_type(torch, name, call):
    with pytest.raises(Exception) as theirs:
        call(torch, torch.ones(2))
    with pytest.raises(theirs.type):
        call(tg, tg.ones(2))


@pytest.mark.parametrize(
    "call",
    [
        lambda x: x.to("cuda"),
        lambda x: x.to("cuda:0", tg.float64),
        lambda x: x.to(device="mps"),
        lambda x: x.to(tg.device("cuda")),
        lambda x: x.cuda(),
        lambda x: x.cuda(0),
    ],
)
def test_to_another_device_and_cuda_raise_saying_how_to_fix(call):
    with pytest.raises(RuntimeError) as error:
        call(tg.ones(2))
    assert NOT_HERE in str(error.value) and FIX in str(error.value)


# ---------------------------------------------------------------------------------- modules
def test_module_to_device_is_the_module_and_keeps_its_parameters():
    model = nn.Sequential(nn.Linear(2, 3), nn.Linear(3, 1))
    weight = model[0].weight
    assert model.to("cpu") is model and model.to(tg.device("cpu")) is model
    assert model.to(device="cpu:0") is model and model.cpu() is model
    assert model[0].weight is weight and weight.device == tg.device("cpu")
    assert model.to("cpu", tg.float64) is model and weight.dtype is tg.float64
    assert model.to(tg.zeros(1, dtype=tg.float32)) is model and weight.dtype is tg.float32


def test_module_to_refuses_other_devices_and_copy_as_torch(torch):
    model = nn.Linear(2, 1)
    for call in (lambda m: m.to("cuda"), lambda m: m.cuda(), lambda m: m.to(tg.device("mps"))):
        with pytest.raises(RuntimeError, match=NOT_HERE):
            call(model)
    with pytest.raises(RuntimeError, match="copy"):
        torch.nn.Linear(2, 1).to("cpu", copy=True)
    with pytest.raises(RuntimeError, match="copy"):
        model.to("cpu", copy=True)


# ---------------------------------------------------------------------------------- namespaces
def test_cuda_accelerator_and_mps_answer_as_torch_without_a_gpu(torch):
    assert tg.cuda.is_available() is False is torch.cuda.is_available()
    assert tg.cuda.device_count() == 0 == torch.cuda.device_count()
    tg.cuda.manual_seed(0), tg.cuda.manual_seed_all(1)
    with pytest.raises(TypeError):
        tg.cuda.manual_seed(1.5)
    assert tg.accelerator.is_available() is False is torch.accelerator.is_available()
    assert tg.accelerator.current_accelerator() is None is torch.accelerator.current_accelerator()
    assert tg.accelerator.current_accelerator(check_available=True) is None
    assert tg.accelerator.device_count() == 0 == torch.accelerator.device_count()
    assert tg.backends.mps.is_available() is False is torch.backends.mps.is_available()
    assert tg.backends.mps.is_built() is False


def test_default_device_is_the_cpu_and_stays_so(torch):
    assert repr(tg.get_default_device()) == repr(torch.get_default_device())
    tg.set_default_device("cpu")
    tg.set_default_device(tg.device("cpu"))
    tg.set_default_device(None)
    for other in ("cuda", "mps", tg.device("cuda")):
        with pytest.raises(RuntimeError, match=NOT_HERE):
            tg.set_default_device(other)
    with pytest.raises(TypeError):
        tg.set_default_device(1.5)
    assert tg.get_default_device() == tg.device("cpu")


def test_the_tutorials_device_idioms_run_and_pick_the_cpu():
    torch = tg
    device = "cuda" if torch.cuda.is_available() else "cpu"
    device = torch.device(device)
    device2 = (
        torch.accelerator.current_accelerator().type
        if torch.accelerator.is_available()
        else "mps"
        if torch.backends.mps.is_available()
        else "cpu"
    )
    assert device == torch.device(device2) == torch.device("cpu")
    model = nn.Linear(1, 1).to(device)
    x = torch.linspace(-1, 1, 8, device=device).unsqueeze(-1)
    y = (3 * x + 1).to(device)
    loss = ((model(x) - y) ** 2).mean()
    loss.backward()
    assert model.weight.grad.device == device and loss.item() == loss.cpu().item()


@pytest.mark.parametrize(
    "text", ["xyz", "gpu", "CPU", "", "cpu:x", "cpu:-1", "cuda:01", "cpu:", " cpu", "cpu:0:0"]
)
def test_invalid_device_strings_give_torch_s_message(torch, text):
    with pytest.raises(RuntimeError) as theirs:
        torch.device(text)
    with pytest.raises(RuntimeError) as ours:
        tg.device(text)
    assert str(ours.value) == str(theirs.value).splitlines()[0]
    for make in (lambda d: tg.zeros(2, device=d), lambda d: tg.ones(2).to(d)):
        with pytest.raises(RuntimeError, match="(?i)device string"):
            make(text)


def test_a_cpu_device_with_an_index_is_a_copy_in_to_as_in_torch(torch):
    x, tx = tg.ones(2, requires_grad=True), torch.ones(2, requires_grad=True)
    for spelling in ("cpu:0", ("cpu", 0)):
        args = spelling if isinstance(spelling, tuple) else (spelling,)
        ours, theirs = x.to(tg.device(*args)), tx.to(torch.device(*args))
        assert (ours is x) == (theirs is tx) is False
        assert ours.requires_grad and ours.grad_fn is not None
    assert x.cpu() is x and tx.cpu() is tx
