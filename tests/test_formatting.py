"""repr/str of tensors: torch's exact text, with "torch." written "tinygrad_lr."."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

import tinygrad_lr as tg

rng = np.random.default_rng(0)
F32 = np.float32
F64 = np.float64

# Each tensor is built the same way in both libraries from the same NumPy data.
CASES: dict[str, Callable[[Any], Any]] = {
    # integers and bools
    "ints": lambda m: m.tensor([1, 2, 3]),
    "ints of different widths": lambda m: m.tensor([-5, 100, 7, 12345]),
    "int 2-D": lambda m: m.tensor([[1, -20], [300, 4]]),
    "int32": lambda m: m.tensor(np.array([1, 2], dtype=np.int32)),
    "uint8": lambda m: m.tensor(np.array([0, 255], dtype=np.uint8)),
    "bools": lambda m: m.tensor([True, False, True]),
    "all true": lambda m: m.tensor([True, True]),
    # floats: whole numbers, four decimals, scientific
    "whole floats": lambda m: m.tensor([1.0, 2.0, 3.0]),
    "whole floats with zero and negative": lambda m: m.tensor([-1.0, 0.0, 10.0]),
    "whole floats spanning 1000x": lambda m: m.tensor([1.0, 10000.0]),
    "whole floats over 1e8": lambda m: m.tensor([1e9, 2.0]),
    "four decimals": lambda m: m.tensor([1.5, 2.25, -3.125]),
    "tenths": lambda m: m.tensor([0.1, 0.2, 0.3]),
    "rounding": lambda m: m.tensor([0.12345, 9.99999]),
    "negative": lambda m: m.tensor([-1.5, 2.0, -0.25]),
    "small values": lambda m: m.tensor([1e-5, 1.0]),
    "large range": lambda m: m.tensor([1e-10, 1e10, -3.0]),
    "tiny only": lambda m: m.tensor([1e-8, -2e-9]),
    "just under 1000x": lambda m: m.tensor([0.5, 499.0]),
    "float64 3-digit exponent": lambda m: m.tensor(np.array([1e-100, 1.0, -1e200])),
    "nan and inf": lambda m: m.tensor([float("nan"), 1.5, float("inf"), -float("inf")]),
    "zero and inf": lambda m: m.tensor([0.0, float("inf")]),
    "only nan": lambda m: m.tensor([float("nan")]),
    "all zeros": lambda m: m.zeros(3),
    "negative zero": lambda m: m.tensor([-0.0, 1.0]),
    # 0-d
    "0-d float": lambda m: m.tensor(3.5),
    "0-d whole float": lambda m: m.tensor(2.0),
    "0-d int": lambda m: m.tensor(7),
    "0-d bool": lambda m: m.tensor(False),
    "0-d tiny": lambda m: m.tensor(1e-8),
    "0-d negative zero": lambda m: m.tensor(-0.0),
    "0-d float64": lambda m: m.tensor(np.float64(0.5)),
    # empty
    "empty": lambda m: m.tensor([]),
    "empty 2-D": lambda m: m.zeros(0, 3),
    "empty int": lambda m: m.tensor([], dtype=m.int64),
    "empty float64 2-D": lambda m: m.zeros(2, 0, dtype=m.float64),
    "empty bool": lambda m: m.zeros(0, dtype=m.bool),
    # several dimensions
    "2-D": lambda m: m.tensor(rng.standard_normal((3, 4)).astype(F32)),
    "3-D": lambda m: m.tensor(rng.standard_normal((2, 3, 4)).astype(F32)),
    "4-D": lambda m: m.tensor(rng.standard_normal((2, 1, 2, 2)).astype(F32)),
    "column": lambda m: m.tensor(rng.standard_normal((4, 1)).astype(F32)),
    "wrapped row": lambda m: m.tensor(rng.standard_normal(20).astype(F32)),
    "wrapped ints": lambda m: m.tensor(np.arange(40) * 1000),
    "wrapped 2-D rows": lambda m: m.tensor(rng.standard_normal((2, 15)).astype(F32)),
    "wrapped scientific": lambda m: m.tensor((rng.standard_normal(12) * 1e6).astype(F32)),
    # summarised (more than 1000 elements)
    "summarised 1-D": lambda m: m.tensor(np.arange(2000, dtype=F32)),
    "summarised 1-D ints": lambda m: m.tensor(np.arange(1001)),
    "summarised 2-D": lambda m: m.tensor(rng.standard_normal((40, 40)).astype(F32)),
    "summarised 3-D": lambda m: m.tensor(rng.standard_normal((11, 10, 10)).astype(F32)),
    "summarised, style from shown elements": lambda m: m.tensor(
        np.concatenate([np.ones(3), np.full(1000, 0.5), np.ones(3)]).astype(F32)
    ),
    "summarised wide rows": lambda m: m.tensor(rng.standard_normal((3, 400)).astype(F32)),
    # autograd suffixes
    "requires_grad": lambda m: m.tensor([1.0, 2.0], requires_grad=True),
    "requires_grad 0-d": lambda m: m.tensor(1.5, requires_grad=True),
    "requires_grad 2-D": lambda m: m.zeros(2, 1, requires_grad=True),
    "grad_fn mul": lambda m: m.tensor([1.0, 2.0], requires_grad=True) * 2,
    "grad_fn add": lambda m: m.tensor([1.0, 2.0], requires_grad=True) + 1,
    "grad_fn sub": lambda m: m.tensor([1.0, 2.0], requires_grad=True) - 1,
    "grad_fn div": lambda m: m.tensor([1.0, 2.0], requires_grad=True) / 3,
    "grad_fn exp": lambda m: m.tensor([1.0, 2.0], requires_grad=True).exp(),
    "grad_fn neg": lambda m: -m.tensor([1.0, 2.0], requires_grad=True),
    "grad_fn pow": lambda m: m.tensor([1.0, 2.0], requires_grad=True) ** 2,
    "grad_fn 0-d": lambda m: (m.tensor([1.0, 2.0], requires_grad=True) * 2).sum(),
    "grad_fn long row": lambda m: (
        m.tensor(rng.standard_normal(30).astype(F32), requires_grad=True) * 2
    ),
    # dtype suffix
    "float64": lambda m: m.tensor(np.array([1.5, 2.0])),
    "float64 whole": lambda m: m.tensor([1.0, 2.0], dtype=m.float64),
    "float64 requires_grad": lambda m: m.tensor(np.array([1.5, 2.0]), requires_grad=True),
    "float64 2-D": lambda m: m.tensor(rng.standard_normal((3, 3))),
    "float64 grad_fn": lambda m: m.tensor(np.array([0.5]), requires_grad=True) * 3,
    "float16": lambda m: m.tensor(np.array([1.5, 2.0], dtype=np.float16)),
}


@pytest.mark.parametrize("name", CASES)
def test_repr_matches_torch(torch: Any, name: str) -> None:
    state = rng.bit_generator.state
    ours = CASES[name](tg)
    rng.bit_generator.state = state  # the same random data for torch
    theirs = CASES[name](torch)
    expected = repr(theirs).replace("torch.", "tinygrad_lr.")
    assert repr(ours) == expected
    assert str(ours) == str(theirs).replace("torch.", "tinygrad_lr.")


def test_examples_written_out() -> None:
    """A few reprs spelled out, so that the rules are visible without torch."""
    assert repr(tg.tensor([1.0, 2.0])) == "tensor([1., 2.])"
    assert repr(tg.tensor([1.0, 2.5])) == "tensor([1.0000, 2.5000])"
    assert repr(tg.tensor([1.0, 1e5])) == "tensor([1.0000e+00, 1.0000e+05])"
    assert repr(tg.tensor([[1, 2], [3, 40]])) == "tensor([[ 1,  2],\n        [ 3, 40]])"
    assert repr(tg.tensor(0.5, requires_grad=True)) == "tensor(0.5000, requires_grad=True)"
    assert repr(tg.tensor([], dtype=tg.int64)) == "tensor([], dtype=tinygrad_lr.int64)"
    assert repr(tg.ones(2, dtype=tg.float64)) == "tensor([1., 1.], dtype=tinygrad_lr.float64)"
    assert repr(tg.arange(2000.0)) == (
        "tensor([0.0000e+00, 1.0000e+00, 2.0000e+00,  ..., 1.9970e+03, 1.9980e+03,\n"
        "        1.9990e+03])"
    )


def test_dtype_suffix_wraps_by_its_own_length(torch: Any) -> None:
    """The one place the text may differ from torch's: a suffix that would pass 80 characters
    goes on a new line, and "dtype=tinygrad_lr.float64" is 6 characters longer than
    "dtype=torch.float64", so near the edge it wraps where torch's does not. The rule is
    shared; the 80-character limit holds for both."""
    values = np.arange(6.0) + 0.5
    theirs, ours = repr(torch.tensor(values)), repr(tg.tensor(values))
    assert theirs == "tensor([0.5000, 1.5000, 2.5000, 3.5000, 4.5000, 5.5000], dtype=torch.float64)"
    assert ours == (
        "tensor([0.5000, 1.5000, 2.5000, 3.5000, 4.5000, 5.5000],\n"
        "       dtype=tinygrad_lr.float64)"
    )
    assert all(len(line) <= 80 for text in (theirs, ours) for line in text.splitlines())


def test_format_of_a_0d_tensor_uses_its_value() -> None:
    assert f"{tg.tensor(2.5):.2f}" == "2.50"
    assert f"{tg.tensor(0.123456).item():.3f}" == "0.123"
