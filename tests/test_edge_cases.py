"""Edge cases where NumPy's answer differs from torch's, each run on both libraries: the same
value, or an error of the same type where torch raises. Out-of-range conversions, NumPy
scalars' dtypes, tensors inside lists, gradients at NaN, uint8 masks, mixed-dtype comparisons,
integer ranges, empty argmax and optimizer arguments."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

import tinygrad_lr as tg

NAN = float("nan")


def outcome(library, build):
    """What ``build(library)`` gives: ("value", array, dtype name) or ("raises", error type)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # torch's deprecation warnings are checked apart
        try:
            result = build(library)
        except Exception as error:  # noqa: BLE001  (the error's type is what is compared)
            return ("raises", type(error).__name__)
    if hasattr(result, "detach"):
        return ("value", result.detach().numpy().tolist(), str(result.dtype).split(".")[-1])
    return ("value", result)


CASES = {
    "tensor 1e20 as int64": lambda t: t.tensor([1e20], dtype=t.int64),
    "tensor 2**63 as int64": lambda t: t.tensor([2.0**63], dtype=t.int64),  # torch: INT64_MIN
    "tensor -2**63 as int64": lambda t: t.tensor([-(2.0**63)], dtype=t.int64),
    "tensor nan as int32": lambda t: t.tensor([NAN], dtype=t.int32),
    "tensor inf as int64": lambda t: t.tensor([float("inf")], dtype=t.int64),
    "tensor 300 as uint8": lambda t: t.tensor([300], dtype=t.uint8),
    "tensor 300.0 as uint8": lambda t: t.tensor([300.0], dtype=t.uint8),
    "tensor 255.9 as uint8": lambda t: t.tensor([255.9], dtype=t.uint8),
    "tensor -0.5 as uint8": lambda t: t.tensor([-0.5], dtype=t.uint8),
    "tensor 2.7, -2.7 as int64": lambda t: t.tensor([2.7, -2.7], dtype=t.int64),
    "tensor 2**31 as int32": lambda t: t.tensor([2.0**31], dtype=t.int32),
    "tensor 2**31-1 as int32": lambda t: t.tensor([2.0**31 - 1], dtype=t.int32),
    "full nan int64": lambda t: t.full((2,), NAN, dtype=t.int64),
    "full 1e20 int32": lambda t: t.full((2,), 1e20, dtype=t.int32),
    "full 7 int32": lambda t: t.full((2,), 7, dtype=t.int32),
    "np.float64 scalar in a list": lambda t: t.tensor([np.float64(0.1)]),
    "float and np.float64 in a list": lambda t: t.tensor([1.0, np.float64(0.1)]),
    "np.float32 scalar in a list": lambda t: t.tensor([np.float32(0.1)]),
    "np.int32 scalar in a list": lambda t: t.tensor([np.int32(3)]),
    "np.float64 scalar": lambda t: t.tensor(np.float64(0.1)),
    "0-d tensors that require grad": lambda t: t.tensor(
        [t.tensor(1.0, requires_grad=True), t.tensor(2.0, requires_grad=True)]
    ),
    "float64 0-d tensors in a list": lambda t: t.tensor([t.tensor(1.0, dtype=t.float64)]),
    "nested tensors and floats": lambda t: t.tensor([[t.tensor(1.0), 2.0], [3.0, 4.0]]),
    "relu grad at nan, 0, ±1": lambda t: _grad(t, t.relu, [NAN, 0.0, -1.0, 1.0]),
    "abs grad at nan, 0, ±1": lambda t: _grad(t, t.abs, [NAN, 0.0, -1.0, 1.0]),
    "sign at nan": lambda t: t.sign(t.tensor([NAN, -2.0, 0.0, 3.0])),
    "uint8 index is a mask": lambda t: t.tensor([1.0, 2.0, 3.0])[
        t.tensor([1, 0, 1], dtype=t.uint8)
    ],
    "uint8 index assignment": lambda t: _assigned(t),
    "int64 == float32 compares in float32": lambda t: (
        t.tensor([16777217]) == t.tensor([16777216.0])
    ),
    "int32 < float64": lambda t: (
        t.tensor([1, 2], dtype=t.int32) < t.tensor([1.5, 1.5], dtype=t.float64)
    ),
    "float32 == float64": lambda t: t.tensor([0.1]) == t.tensor([0.1], dtype=t.float64),
    "0-d float64 vs float32 tensor": lambda t: t.tensor([0.1]) == t.tensor(0.1, dtype=t.float64),
    "arange int64 by 0.5": lambda t: t.arange(1, 2.5, 0.5, dtype=t.int64),
    "arange int64 by 1.5": lambda t: t.arange(0, 5, 1.5, dtype=t.int64),
    "arange int64 from 0.5": lambda t: t.arange(0.5, 3, dtype=t.int64),
    "arange int64 to 2.5": lambda t: t.arange(0, 2.5, 1, dtype=t.int64),
    "argmax of empty": lambda t: t.zeros(0).argmax(),
    "argmin of empty": lambda t: t.zeros(0).argmin(),
    "argmax over an empty dim": lambda t: t.zeros(0, 3).argmax(dim=0),
    "argmax along a full dim of an empty tensor": lambda t: t.zeros(0, 3).argmax(dim=1),
    "argmax of bool": lambda t: t.tensor([True, False]).argmax(),
    "vector_norm inf of empty": lambda t: t.linalg.vector_norm(t.zeros(0, 3), float("inf")),
    "vector_norm of int with dtype": lambda t: t.linalg.vector_norm(
        t.tensor([3, 4]), dtype=t.float64
    ),
    "matrix_norm of 1-d": lambda t: t.linalg.matrix_norm(t.ones(3)),
    "det float16": lambda t: t.linalg.det(t.ones(2, 2, dtype=t.float16)),
    "svdvals float16": lambda t: t.linalg.svdvals(t.ones(2, 2, dtype=t.float16)),
    "cholesky upper=1": lambda t: t.linalg.cholesky(t.eye(2), upper=1),
    "clamp uint8 to 300": lambda t: t.ones(2, dtype=t.uint8).clamp(0, 300),
    "where uint8 or 300": lambda t: t.where(t.tensor([True, False]), t.ones(2, dtype=t.uint8), 300),
    "masked_fill uint8 300": lambda t: t.ones(2, dtype=t.uint8).masked_fill(
        t.tensor([True, False]), 300
    ),
    "full uint8 300": lambda t: t.full((2,), 300, dtype=t.uint8),
    "bool - 1": lambda t: t.tensor([True]) - 1,
    "1 - bool": lambda t: 1 - t.tensor([True]),
    "int - bool": lambda t: t.tensor([1]) - t.tensor([True]),
    "bool - bool": lambda t: t.tensor([True]) - t.tensor([False]),
    "int / 2**64": lambda t: t.tensor([1]) / 2**64,
    "float32 + 2**70": lambda t: t.tensor([1.0]) + 2**70,
    "float32 * 2**63": lambda t: t.tensor([1.0]) * 2**63,
    "float32 == 2**70": lambda t: t.tensor([1.0]) == 2**70,
    "lstsq batch mismatch": lambda t: t.linalg.lstsq(t.ones(2, 3, 2), t.ones(3, 3, 1)).solution,
    "vector_norm float16 past 65504 squared": lambda t: t.linalg.vector_norm(
        t.tensor([300.0, 400.0], dtype=t.float16)
    ),
    "vector_norm float16 grad": lambda t: _grad(
        t, lambda x: t.linalg.vector_norm(x.half()).float(), [300.0, 400.0]
    ),
    "prod float16": lambda t: t.tensor([300.0, 300.0, 1 / 300.0], dtype=t.float16).prod(),
    "uint8 + 300": lambda t: t.ones(1, dtype=t.uint8) + 300,  # torch: 45
    "int64 + 2**63": lambda t: t.tensor([1]) + 2**63,  # torch: wraps
    "uint8 & 300": lambda t: t.ones(2, dtype=t.uint8) & 300,  # torch: 0
}


def _grad(t, function, values):
    x = t.tensor(values, requires_grad=True)
    function(x).sum().backward()
    return x.grad


def _assigned(t):
    x = t.zeros(3)
    x[t.tensor([1, 0, 1], dtype=t.uint8)] = 5.0
    return x


# Where torch gives a wrong number and tinygrad_lr raises instead (docs/pytorch.md).
DELIBERATE = {
    "tensor 2**63 as int64": ("raises", "RuntimeError"),
    "uint8 + 300": ("raises", "RuntimeError"),
    "int64 + 2**63": ("raises", "RuntimeError"),
    "uint8 & 300": ("raises", "RuntimeError"),
    "prod float16": ("value", 300.0, "float16"),  # torch: inf (float16 products overflow)
}


@pytest.mark.parametrize("name", list(CASES))
def test_the_same_answer_as_torch(name, torch):
    build = CASES[name]
    expected, got = DELIBERATE.get(name) or outcome(torch, build), outcome(tg, build)
    if expected[0] == "value" and got[0] == "value" and len(expected) == 3:
        assert got[2] == expected[2], f"{name}: dtype {got[2]}, torch {expected[2]}"
        np.testing.assert_array_equal(np.asarray(got[1]), np.asarray(expected[1]), err_msg=name)
    else:
        assert got == expected, name


def test_out_of_range_conversions_name_the_value():
    with pytest.raises(RuntimeError, match=r"int64 without overflow: 1e\+20 is outside"):
        tg.tensor([1.0, 1e20], dtype=tg.int64)
    with pytest.raises(RuntimeError, match="uint8 without overflow: nan"):
        tg.full((1,), NAN, dtype=tg.uint8)


def test_warnings_are_torchs():
    with pytest.warns(UserWarning, match="Converting a tensor with requires_grad=True"):
        tg.tensor([tg.tensor(1.0, requires_grad=True)])
    with pytest.warns(UserWarning, match="indexing with dtype torch.uint8 is now deprecated"):
        tg.ones(2)[tg.tensor([1, 0], dtype=tg.uint8)]


OPTIMIZERS = [
    ("SGD", {"lr": NAN}),
    ("SGD", {"lr": -0.1}),
    ("SGD", {"lr": 0.1, "momentum": -0.5}),
    ("SGD", {"lr": 0.1, "weight_decay": -1.0}),
    ("Adam", {"lr": NAN}),
    ("Adam", {"eps": -1e-8}),
    ("Adam", {"betas": (1.0, 0.999)}),
    ("Adam", {"betas": (0.9, NAN)}),
    ("Adam", {"weight_decay": NAN}),
    ("AdamW", {"lr": -1.0}),
    ("AdamW", {"weight_decay": -0.01}),
    ("RMSprop", {"lr": NAN}),
    ("RMSprop", {"alpha": -0.5}),
    ("RMSprop", {"eps": NAN}),
    ("RMSprop", {"momentum": -0.5}),
    ("Adagrad", {"lr": NAN}),
    ("Adagrad", {"eps": -1.0}),
    ("Adagrad", {"lr_decay": -1.0}),
]


@pytest.mark.parametrize(("name", "arguments"), OPTIMIZERS, ids=lambda v: str(v))
def test_optimizers_refuse_bad_arguments_with_torchs_message(name, arguments, torch):
    def build(library):
        return getattr(library.optim, name)([library.zeros(1, requires_grad=True)], **arguments)

    with pytest.raises(ValueError) as ours:
        build(tg)
    try:
        build(torch)
    except ValueError as theirs:
        assert str(ours.value) == str(theirs)
    else:  # torch's SGD lets NaN through (docs/pytorch.md says so)
        assert name == "SGD" and any(value != value for value in arguments.values())
