"""Bad input ends in an error that names the op, the shapes or dtypes, and a way out.

Each case is run in torch too: tinygrad_lr must raise the exception type torch raises, and its
message must not be NumPy's (words such as "axis", "array" or "operands could not be broadcast"
mean that an error escaped from NumPy unexplained). Random shapes for the same error paths are in
tests/test_fuzz.py; this file holds the named, readable cases.
"""

from __future__ import annotations

import math
import re
import warnings
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

import tinygrad_lr as tg
from tinygrad_lr import nn

# Phrases of NumPy's own messages: none may reach a tinygrad_lr user.
NUMPY_WORDS = re.compile(
    r"\baxis\b|\barrays?\b|\bndarray\b|numpy|ufunc|operands could not be broadcast|"
    r"inhomogeneous|could not broadcast input|Maximum allowed size|low >= high|"
    r"negative dimensions are not allowed|array is too big|cannot be interpreted as an integer"
)


def raised(fn: Callable[[Any], Any], module: Any) -> BaseException:
    with pytest.raises(Exception) as info, warnings.catch_warnings():
        warnings.simplefilter("ignore")  # torch's deprecation warnings about list indices
        fn(module)
    return info.value


# (fn(module), a fragment of tinygrad_lr's message, as a regex). fn runs with tinygrad_lr and with
# torch; both must raise the same exception type.
CASES: dict[str, tuple[Callable[[Any], Any], str]] = {
    # --- broadcasting: the op and both shapes are named
    "less than": (lambda m: m.ones(3) < m.ones(4), r"lt.*\(3,\) and \(4,\)"),
    "equal": (lambda m: m.ones(3, 2) == m.ones(4, 2), r"eq.*\(3, 2\) and \(4, 2\)"),
    "allclose": (lambda m: m.ones(3).allclose(m.ones(4)), r"allclose.*\(3,\) and \(4,\)"),
    "index assignment of a wrong shape": (
        lambda m: m.zeros(3).__setitem__(slice(None), m.ones(4)),
        r"expanded size of the tensor \(3\) must match the existing size \(4\)",
    ),
    "retain_graph that is not a bool": (
        lambda m: (m.ones(2, requires_grad=True) * 2).sum().backward(retain_graph="yes"),
        r"argument 'retain_graph' must be bool, not str",
    ),
    "matmul of a number with mixed dtypes": (
        lambda m: m.tensor(1.0) @ m.ones(2, dtype=m.float64),
        r"both arguments to matmul need to be at least 1D, but they are 0D and 1D",
    ),
    # --- indexing, with torch's wording ("dimension", not NumPy's "axis")
    "int index out of range": (
        lambda m: m.ones(3)[5],
        r"index 5 is out of bounds for dimension 0 with size 3",
    ),
    "negative index out of range": (
        lambda m: m.ones(3, 2)[-4],
        r"index -4 is out of bounds for dimension 0 with size 3",
    ),
    "index of the second dimension out of range": (
        lambda m: m.ones(3, 2)[:, 2],
        r"index 2 is out of bounds for dimension 1 with size 2",
    ),
    "index after an ellipsis": (
        lambda m: m.ones(3, 2, 4)[..., 4],
        r"index 4 is out of bounds for dimension 2 with size 4",
    ),
    "index list out of range": (
        lambda m: m.ones(3)[[0, 5, 1]],
        r"index 5 is out of bounds for dimension 0 with size 3",
    ),
    "index tensor out of range": (
        lambda m: m.ones(3, 2)[m.tensor([0, 1]), m.tensor([1, -3])],
        r"index -3 is out of bounds for dimension 1 with size 2",
    ),
    "too many indices": (
        lambda m: m.ones(3)[0, 0],
        r"too many indices for tensor of dimension 1",
    ),
    "index of a 0-d tensor": (
        lambda m: m.tensor(1.0)[0],
        r"0-d|dimension 0",
    ),
    "mask of a wrong shape": (
        lambda m: m.ones(3, 2)[m.tensor([True, False])],
        r"shape of the mask \[2\] at index 0 does not match the shape of the indexed tensor "
        r"\[3, 2\]",
    ),
    "index tensors that do not broadcast": (
        lambda m: m.ones(3, 3)[m.tensor([0, 1]), m.tensor([0, 1, 2])],
        r"indexing tensors could not be broadcast together with shapes \[2\], \[3\]",
    ),
    "ragged index list": (
        lambda m: m.ones(3)[[[0, 1], [2]]],
        r"index",
    ),
    "float index": (lambda m: m.ones(3)[1.5], r"valid indices.*float"),
    "assignment out of range": (
        lambda m: m.zeros(3).__setitem__(3, 1.0),
        r"index 3 is out of bounds for dimension 0 with size 3",
    ),
    # --- shapes and dims
    "reshape with two -1": (
        lambda m: m.ones(6).reshape(-1, -1),
        r"only one dimension can be inferred",
    ),
    "reshape with a negative size": (
        lambda m: m.ones(6).reshape(-2, -3),
        r"invalid shape dimension -2",
    ),
    "cat of 0-d tensors": (
        lambda m: m.cat([m.tensor(1.0), m.tensor(2.0)]),
        r"zero-dimensional tensor \(at position 0\) cannot be concatenated",
    ),
    "float dim": (lambda m: m.ones(2, 3).sum(dim=1.0), r"dim.*int.*float"),
    "bool dim": (lambda m: m.ones(2, 3).transpose(True, 0), r"dim.*int.*bool"),
    "str dim": (lambda m: m.ones(2, 3).mean(dim="rows"), r"dim.*int.*str"),
    "float dim of size": (lambda m: m.ones(2, 3).size(1.0), r"dim.*int.*float"),
    "float dim in a tuple": (lambda m: m.ones(2, 3).sum(dim=(0, 1.0)), r"dim.*int.*float"),
    "keepdim not a bool": (
        lambda m: m.ones(2, 3).sum(dim=0, keepdim="yes"),
        r"keepdim.*bool.*str",
    ),
    # --- creation
    "eye of a negative size": (lambda m: m.eye(-1), r"eye.*-1"),
    "arange to infinity": (lambda m: m.arange(0, math.inf), r"arange.*inf"),
    "randint with low >= high": (
        lambda m: m.randint(5, 2, (3,)),
        r"from=5 >= to=2|low.*5.*high.*2",
    ),
    "ragged Tensor()": (
        lambda m: m.Tensor([[1.0], [2.0, 3.0]]),
        r"rectangular|same length",
    ),
    "fill_ with a string": (lambda m: m.zeros(3).fill_("a"), r"fill_.*str"),
    "arange of a string": (lambda m: m.arange("a"), r"arange.*number.*str"),
    "linspace of a string": (lambda m: m.linspace(0, "a", 3), r"linspace.*number.*str"),
    "randperm of a negative n": (lambda m: m.randperm(-1), r"randperm.*-1"),
    "uniform_ with from > to": (
        lambda m: m.nn.init.uniform_(m.ones(3), 2.0, 1.0),
        r"from=2.0 > to=1.0",
    ),
    "tensor of ragged tensors": (
        lambda m: m.tensor([m.ones(2).tolist(), m.ones(3).tolist()]),
        r"rectangular",
    ),
    "collate arrays of different shapes": (
        lambda m: m.utils.data.default_collate([np.ones(2), np.ones(3)]),
        r"stack expects each tensor to be equal size.*\(2,\).*\(3,\)",
    ),
    "compare with a string": (lambda m: m.ones(3) > "a", r"not supported"),
    "eq with a list": (lambda m: m.ones(2).eq([1.0, 2.0]), r"eq.*list"),
    "reshape_as a list": (lambda m: m.ones(4).reshape_as([2, 2]), r"reshape_as.*Tensor.*list"),
    "view_as a number": (lambda m: m.ones(4).view_as(3), r"view_as.*Tensor.*int"),
    "copy_ of a string": (lambda m: m.ones(2).copy_("a"), r"copy_.*str"),
    "requires_grad_ of a string": (
        lambda m: m.ones(2).requires_grad_("yes"),
        r"requires_grad.*bool.*str",
    ),
    "alpha that is not a number": (
        lambda m: m.ones(2).sub(m.ones(2), alpha="a"),
        r"alpha.*number.*str",
    ),
    "integer to a negative power": (
        lambda m: m.tensor([2, 3]) ** -1,
        r"Integers to negative integer powers are not allowed",
    ),
    "minus a bool tensor": (lambda m: -m.tensor([True]), r"Negation.*bool.*~"),
    "bool minus bool": (
        lambda m: m.tensor([True]) - m.tensor([False]),
        r"Subtraction.*with a bool tensor is not supported.*logical_not",
    ),
    "bitwise and of floats": (lambda m: m.ones(2) & m.ones(2), r"&.*float32"),
    # --- autograd
    "grad_outputs of a wrong shape": (
        lambda m: (lambda x: m.autograd.grad(x * 2, [x], grad_outputs=m.ones(4)))(
            m.ones(3, requires_grad=True)
        ),
        r"Mismatch in shape.*\(4,\).*\(3,\)",
    ),
}


@pytest.mark.parametrize("name", CASES)
def test_error_names_the_problem_with_torchs_exception_type(torch: Any, name: str) -> None:
    fn, message = CASES[name]
    ours, theirs = raised(fn, tg), raised(fn, torch)
    assert type(ours) is type(theirs) or isinstance(ours, type(theirs)), (
        f"{name}: tinygrad_lr raised {type(ours).__name__}({ours}), torch raised "
        f"{type(theirs).__name__}({theirs})"
    )
    assert re.search(message, str(ours)), f"{name}: {str(ours)!r} does not match {message!r}"
    assert not NUMPY_WORDS.search(str(ours)), f"{name}: NumPy's message escaped: {ours}"


def test_huge_tensor_is_refused_with_its_size(torch: Any) -> None:
    # torch: "Storage size calculation overflowed"; NumPy: "array is too big".
    with pytest.raises(RuntimeError, match=r"\[1000000000000, 1000000000000\]") as info:
        tg.zeros(10**12, 10**12)
    assert not NUMPY_WORDS.search(str(info.value))
    with pytest.raises(RuntimeError):
        torch.zeros(10**12, 10**12)


def test_an_empty_index_list_selects_nothing(torch: Any) -> None:
    ours, theirs = tg.ones(3, 2)[[]], torch.ones(3, 2)[[]]
    assert tuple(ours.shape) == tuple(theirs.shape) == (0, 2)


def test_indexing_errors_leave_working_indexing_alone(torch: Any) -> None:
    x = np.arange(24.0).reshape(2, 3, 4)
    keys = [
        (1, ..., -1),
        (None, 0, slice(1, None)),
        ([1, 1, 0],),
        (slice(None), [2, 0], [3, -4]),
        (np.array([True, False]),),
    ]
    for key in keys:
        ours = tg.tensor(x)[tuple(tg.tensor(k) if isinstance(k, np.ndarray) else k for k in key)]
        theirs = torch.tensor(x)[
            tuple(torch.tensor(k) if isinstance(k, np.ndarray) else k for k in key)
        ]
        np.testing.assert_array_equal(ours.numpy(), theirs.numpy())


def test_linear_with_the_wrong_in_features_names_both_sizes() -> None:
    with pytest.raises(RuntimeError, match=r"in_features=3.*shape \(4, 2\).*must be 3"):
        nn.Linear(3, 1)(tg.ones(4, 2))


def test_synthetic_data_refuses_a_matrix_of_weights() -> None:
    from tinygrad_lr.datasets import synthetic_data

    # X (n, 2) @ w (2, 2) would give (n, 2) targets, silently reshaped to 2n rows.
    with pytest.raises(ValueError, match=r"synthetic_data: w must be 1-D.*\(2, 2\)"):
        synthetic_data([[1.0, 2.0], [3.0, 4.0]], 1.0, 10)


@pytest.mark.parametrize(
    ("target", "error", "message"),
    [
        (lambda d: d, IsADirectoryError, r"is a directory; save to a file in it"),
        (
            lambda d: d / "missing" / "model.pt",
            FileNotFoundError,
            r"directory .*missing.* does not",
        ),
    ],
)
def test_save_to_a_directory_or_into_a_missing_one_names_it(
    tmp_path: Any, target: Any, error: type, message: str
) -> None:
    path = target(tmp_path)
    with pytest.raises(error, match=message) as info:
        tg.save({"w": tg.ones(2)}, path)
    assert ".tmp" not in str(info.value)  # the temporary file is no business of the user's
    assert list(tmp_path.iterdir()) == []


def test_load_of_something_that_is_not_a_file_says_what_it_takes() -> None:
    with pytest.raises(TypeError, match="a path or a binary file object, got NoneType"):
        tg.load(None)


def test_load_csv_names_arguments_of_the_wrong_type(tmp_path: Any) -> None:
    from tinygrad_lr.datasets import load_csv

    path = tmp_path / "t.csv"
    path.write_text("TV,sales\n1,2\n")
    with pytest.raises(TypeError, match="target must be a column name.*got int"):
        load_csv(path, 1)
    with pytest.raises(TypeError, match=r"features must be a list of column names.*\['TV'\]"):
        load_csv(path, "sales", features="TV")


def test_metrics_of_strings_name_the_argument() -> None:
    from tinygrad_lr.metrics import r2_score

    with pytest.raises(ValueError, match="y_true must hold numbers") as info:
        r2_score(["a", "b"], [1.0, 2.0])
    assert "could not convert string to float" not in str(info.value)  # NumPy's words


@pytest.mark.parametrize(
    "call",
    [
        lambda m: m.tensor([1], dtype=m.uint8) + 300,
        lambda m: m.tensor([1], dtype=m.uint8) - (-1),
        lambda m: m.tensor([1], dtype=m.int8) * 1000,
        lambda m: m.tensor([1]) + 2**63,
    ],
)
def test_an_integer_number_outside_the_tensor_s_dtype_raises_where_torch_wraps(
    torch: Any, call: Any
) -> None:
    wrapped = call(torch).item()  # torch wraps the number into the dtype's range
    with pytest.raises(RuntimeError, match=r"does not fit in tinygrad_lr\.\w+ .*convert"):
        call(tg)
    assert wrapped is not None


def test_integer_numbers_inside_the_dtype_and_float_numbers_keep_working(torch: Any) -> None:
    for call in (
        lambda m: m.tensor([1], dtype=m.uint8) + 254,
        lambda m: m.tensor([1], dtype=m.uint8) + 300.5,
        lambda m: m.tensor([5]) - 2**62,
        lambda m: m.tensor([True]) + 1,
    ):
        assert call(tg).tolist() == call(torch).tolist()
        assert str(call(tg).dtype).split(".")[-1] == str(call(torch).dtype).split(".")[-1]


def test_a_number_no_64_bit_integer_holds_is_an_overflow_error_as_in_torch(torch: Any) -> None:
    with pytest.raises(OverflowError):
        2**64 - torch.tensor([1])
    with pytest.raises(OverflowError, match=r"int too big to convert: 18446744073709551616"):
        2**64 - tg.tensor([1])


def test_assigning_none_into_a_tensor_raises_instead_of_writing_nan(torch: Any) -> None:
    for m in (torch, tg):
        x = m.zeros(2)
        with pytest.raises(TypeError, match="can't assign a NoneType"):
            x[0] = None
        assert x.tolist() == [0.0, 0.0]


@pytest.mark.parametrize(
    "call",
    [
        lambda m: m.tensor([1, 0], dtype=m.uint8) == 256,
        lambda m: m.tensor([1, 0], dtype=m.uint8) < -1,
        lambda m: m.tensor([1, 0], dtype=m.int8) < 255,
    ],
)
def test_a_comparison_with_an_integer_outside_the_dtype_raises_where_torch_wraps(
    torch: Any, call: Any
) -> None:
    call(torch)  # torch compares with the wrapped number
    with pytest.raises(RuntimeError, match="does not fit"):
        call(tg)
