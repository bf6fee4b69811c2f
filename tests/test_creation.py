"""Creation functions: shapes, dtypes, requires_grad and random numbers, as torch has them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

import tinygrad_lr as tg

INT_GRAD_MESSAGE = "(?i)only Tensors of floating point .*can require gradients"

# Each creation call, written once and run with tinygrad_lr and with torch.
CREATIONS: dict[str, Callable[[Any], Any]] = {
    "tensor(float)": lambda m: m.tensor(2.5),
    "tensor(int)": lambda m: m.tensor(2),
    "tensor(bool)": lambda m: m.tensor(True),
    "tensor(list of floats)": lambda m: m.tensor([[1.0, 2.0], [3.0, 4.0]]),
    "tensor(ints and floats)": lambda m: m.tensor([1, 2.5]),
    "tensor(ints)": lambda m: m.tensor([1, 2, 3]),
    "tensor(bools and ints)": lambda m: m.tensor([True, 1]),
    "tensor([])": lambda m: m.tensor([]),
    "tensor([[]])": lambda m: m.tensor([[]]),
    "tensor(float64 array)": lambda m: m.tensor(np.array([1.0, 2.0])),
    "tensor(int32 array)": lambda m: m.tensor(np.array([1, 2], dtype=np.int32)),
    "tensor(np.float64)": lambda m: m.tensor(np.float64(2.5)),
    "tensor(np.float32)": lambda m: m.tensor(np.float32(2.5)),
    "tensor(0-d tensors)": lambda m: m.tensor([m.tensor(1.0), m.tensor(2.0)]),
    "tensor(ints, dtype=float64)": lambda m: m.tensor([1, 2], dtype=m.float64),
    "tensor(floats, dtype=float64)": lambda m: m.tensor([0.1, 0.2], dtype=m.float64),
    "tensor(floats, dtype=int64)": lambda m: m.tensor([1.7, -1.7], dtype=m.int64),
    "tensor(requires_grad)": lambda m: m.tensor([1.0, 2.0], requires_grad=True),
    "zeros(varargs)": lambda m: m.zeros(2, 1),
    "zeros(tuple)": lambda m: m.zeros((2, 1)),
    "zeros(list)": lambda m: m.zeros([2, 1]),
    "zeros(Size)": lambda m: m.zeros(m.ones(3, 2).shape),
    "zeros(())": lambda m: m.zeros(()),
    "zeros(0)": lambda m: m.zeros(0),
    "zeros(dtype, requires_grad)": lambda m: m.zeros(2, dtype=m.float64, requires_grad=True),
    "zeros(int64)": lambda m: m.zeros(3, dtype=m.int64),
    "ones(varargs)": lambda m: m.ones(2, 3),
    "ones(tuple, dtype)": lambda m: m.ones((2,), dtype=m.float64),
    "ones(requires_grad)": lambda m: m.ones(1, requires_grad=True),
    "zeros_like(int)": lambda m: m.zeros_like(m.tensor([1, 2])),
    "zeros_like(requires_grad input)": lambda m: m.zeros_like(m.ones(2, requires_grad=True)),
    "ones_like(float64)": lambda m: m.ones_like(m.zeros(2, dtype=m.float64)),
    "ones_like(dtype, requires_grad)": lambda m: m.ones_like(
        m.tensor([1, 2]), dtype=m.float32, requires_grad=True
    ),
    "full(int)": lambda m: m.full((2,), 7),
    "full(float)": lambda m: m.full((2, 2), 7.5),
    "full(bool)": lambda m: m.full((2,), True),
    "full(np.float64)": lambda m: m.full((2,), np.float64(7.0)),
    "full(dtype, requires_grad)": lambda m: m.full([2], 1.5, dtype=m.float64, requires_grad=True),
    "full_like": lambda m: m.full_like(m.tensor([1, 2]), 2.7),
    "arange(int)": lambda m: m.arange(4),
    "arange(start, end)": lambda m: m.arange(2, 5),
    "arange(float step)": lambda m: m.arange(0, 1, 0.25),
    "arange(float start)": lambda m: m.arange(1.0, 4),
    "arange(0, 1, 0.1)": lambda m: m.arange(0, 1, 0.1),
    "arange(negative step)": lambda m: m.arange(10, 0, -3),
    "arange(dtype)": lambda m: m.arange(5, dtype=m.float64),
    "arange(requires_grad)": lambda m: m.arange(3.0, requires_grad=True),
    "linspace": lambda m: m.linspace(0, 1, 5),
    "linspace(float64)": lambda m: m.linspace(-1, 1, 3, dtype=m.float64),
    "linspace(int64)": lambda m: m.linspace(0, 10, 4, dtype=m.int64),
    "linspace(one step)": lambda m: m.linspace(2, 3, 1),
    "linspace(requires_grad)": lambda m: m.linspace(0, 1, 3, requires_grad=True),
    "eye": lambda m: m.eye(2, 3),
    "eye(dtype)": lambda m: m.eye(2, dtype=m.float64),
}


def describe(t: Any) -> tuple:
    """What must agree between tinygrad_lr and torch: dtype, shape, requires_grad, values."""
    return str(t.dtype).split(".")[-1], tuple(t.shape), t.requires_grad, t.tolist()


@pytest.mark.parametrize("name", CREATIONS)
def test_creation_matches_torch(torch: Any, name: str) -> None:
    ours, theirs = CREATIONS[name](tg), CREATIONS[name](torch)
    assert isinstance(ours, tg.Tensor)
    assert describe(ours) == describe(theirs)
    assert ours.is_leaf and ours.grad_fn is None


@pytest.mark.parametrize(
    "create",
    [
        lambda m: m.tensor([1, 2], requires_grad=True),
        lambda m: m.tensor(True, requires_grad=True),
        lambda m: m.zeros(2, dtype=m.int64, requires_grad=True),
        lambda m: m.ones(2, dtype=m.int64, requires_grad=True),
        lambda m: m.full((2,), 3, requires_grad=True),
        lambda m: m.arange(3, requires_grad=True),
        lambda m: m.randint(0, 5, (2,), requires_grad=True),
        lambda m: m.randperm(3, requires_grad=True),
        lambda m: m.ones(2, dtype=m.int64).requires_grad_(),
        lambda m: m.zeros_like(m.ones(2, dtype=m.int64), requires_grad=True),
    ],
)
def test_requires_grad_on_an_integer_tensor_is_refused(torch: Any, create: Any) -> None:
    for m in (tg, torch):
        with pytest.raises(RuntimeError, match=INT_GRAD_MESSAGE):
            create(m)


# Every creation function, called with dtype=float64 and requires_grad=True.
WITH_DTYPE_AND_GRAD: dict[str, Callable[[Any, dict], Any]] = {
    "tensor": lambda m, kw: m.tensor([1, 2], **kw),
    "zeros": lambda m, kw: m.zeros(2, 1, **kw),
    "ones": lambda m, kw: m.ones((2,), **kw),
    "zeros_like": lambda m, kw: m.zeros_like(m.tensor([1, 2]), **kw),
    "ones_like": lambda m, kw: m.ones_like(m.tensor([1, 2]), **kw),
    "full": lambda m, kw: m.full((2,), 3, **kw),
    "full_like": lambda m, kw: m.full_like(m.tensor([1, 2]), 3, **kw),
    "arange": lambda m, kw: m.arange(3, **kw),
    "linspace": lambda m, kw: m.linspace(0, 1, 3, **kw),
    "eye": lambda m, kw: m.eye(2, **kw),
    "empty": lambda m, kw: m.empty(2, **kw),
    "randn": lambda m, kw: m.randn(2, 3, **kw),
    "rand": lambda m, kw: m.rand((2,), **kw),
    "normal": lambda m, kw: m.normal(0.0, 1.0, size=(2,), **kw),
    "randint": lambda m, kw: m.randint(0, 5, (2,), **kw),
    "randperm": lambda m, kw: m.randperm(3, **kw),
}


@pytest.mark.parametrize("name", WITH_DTYPE_AND_GRAD)
def test_every_creation_function_takes_dtype_and_requires_grad(torch: Any, name: str) -> None:
    for m in (tg, torch):
        t = WITH_DTYPE_AND_GRAD[name](m, {"dtype": m.float64, "requires_grad": True})
        assert str(t.dtype).endswith("float64") and t.requires_grad and t.is_leaf


def test_python_floats_give_float32_and_ints_int64() -> None:
    assert tg.tensor(1.5).dtype is tg.float32
    assert tg.tensor([1.5, 2]).dtype is tg.float32
    assert tg.tensor([1, 2]).dtype is tg.int64
    assert tg.zeros(1).dtype is tg.float32 and tg.ones(1).dtype is tg.float32


def test_tensor_copies_its_data() -> None:
    array = np.array([1.0, 2.0])
    t = tg.tensor(array)
    array[0] = 99.0
    assert t.tolist() == [1.0, 2.0]


def test_tensor_from_a_tensor_warns_and_copies(torch: Any) -> None:
    for m in (tg, torch):
        source = m.ones(2)
        with pytest.warns(UserWarning, match=r"detach\(\)\.clone\(\)"):
            copy = m.tensor(source)
        copy += 1
        assert source.tolist() == [1.0, 1.0]


def test_from_numpy_keeps_dtype_and_shares_memory() -> None:
    for dtype in (np.float64, np.float32, np.int64, np.int32, np.bool_, np.uint8, np.float16):
        array = np.zeros(3, dtype=dtype)
        t = tg.from_numpy(array)
        assert t.dtype.numpy == np.dtype(dtype)
        assert t.numpy() is array  # the very same array: no copy
    array = np.zeros(2)
    t = tg.from_numpy(array)
    array[0] = 5.0
    t[1] = 7.0
    assert t.tolist() == [5.0, 7.0] and array.tolist() == [5.0, 7.0]


def test_from_numpy_refuses_non_arrays_and_unsupported_dtypes() -> None:
    with pytest.raises(TypeError, match="expects a numpy.ndarray"):
        tg.from_numpy([1.0, 2.0])
    with pytest.raises(TypeError, match="complex128 is not supported"):
        tg.from_numpy(np.zeros(2, dtype=complex))


@pytest.mark.parametrize(
    "data, message",
    [
        ([[1, 2], [3]], "rectangular"),
        ("abc", "expected numbers"),
        (None, "expected numbers"),
    ],
)
def test_tensor_refuses_bad_data_with_a_reason(data: Any, message: str) -> None:
    with pytest.raises((TypeError, ValueError), match=message):
        tg.tensor(data)


@pytest.mark.parametrize(
    "create, error, message",
    [
        (lambda: tg.zeros(-1), RuntimeError, "negative dimension"),
        (lambda: tg.zeros(2.0), TypeError, "must be ints"),
        (lambda: tg.ones(2, "3"), TypeError, "must be ints"),
        (lambda: tg.arange(0, 3, 0), RuntimeError, "step must be nonzero"),
        (lambda: tg.arange(3, 0, 1), RuntimeError, "inconsistent with step sign"),
        (lambda: tg.randn(2, dtype=tg.int64), TypeError, "floating-point dtype"),
        (lambda: tg.normal(0.0, 1.0), TypeError, "needs size="),
        (lambda: tg.normal(0.0, -1.0, size=(2,)), RuntimeError, "std >= 0.0"),
        (lambda: tg.zeros(2, dtype="complex"), TypeError, "unknown dtype name"),
    ],
)
def test_creation_errors(create: Any, error: type, message: str) -> None:
    with pytest.raises(error, match=message):
        create()


# ----------------------------------------------------------------------------- random numbers

RANDOM: dict[str, Callable[..., Any]] = {
    "randn": lambda m: m.randn(2, 3),
    "randn(tuple, float64)": lambda m: m.randn((4,), dtype=m.float64),
    "rand": lambda m: m.rand(3, 2),
    "rand(float64, requires_grad)": lambda m: m.rand(2, dtype=m.float64, requires_grad=True),
    "normal": lambda m: m.normal(0, 0.01, size=(2, 1)),
    "normal(requires_grad)": lambda m: m.normal(0.0, 1.0, size=(3,), requires_grad=True),
    "normal(tensors)": lambda m: m.normal(m.zeros(3), m.ones(3)),
    "normal(float64 mean)": lambda m: m.normal(m.zeros(2, dtype=m.float64), 1.0),
    "randint(low, high, size)": lambda m: m.randint(0, 10, (3,)),
    "randint(high, size)": lambda m: m.randint(5, (2, 2)),
    "randint(size=)": lambda m: m.randint(3, 10, size=(3,)),
    "randint(float32, requires_grad)": lambda m: m.randint(
        0, 10, (3,), dtype=m.float32, requires_grad=True
    ),
    "randperm": lambda m: m.randperm(5),
    "randperm(float32)": lambda m: m.randperm(4, dtype=m.float32),
}


@pytest.mark.parametrize("name", RANDOM)
def test_random_shape_dtype_and_requires_grad_match_torch(torch: Any, name: str) -> None:
    # The numbers differ from torch's (NumPy's generator); everything else must agree.
    ours, theirs = RANDOM[name](tg), RANDOM[name](torch)
    assert describe(ours)[:3] == describe(theirs)[:3]


@pytest.mark.parametrize("name", RANDOM)
def test_same_seed_same_numbers(name: str) -> None:
    tg.manual_seed(123)
    first = RANDOM[name](tg).tolist()
    tg.manual_seed(123)
    assert RANDOM[name](tg).tolist() == first
    tg.manual_seed(124)
    assert RANDOM[name](tg).tolist() != first or name.startswith("randint(high")


def test_one_generator_behind_every_random_function() -> None:
    def draw_all() -> list:
        return [
            tg.randn(3).tolist(),
            tg.rand(2).tolist(),
            tg.normal(0, 1, size=(2,)).tolist(),
            tg.randint(0, 1000, (3,)).tolist(),
            tg.randperm(6).tolist(),
            tg.zeros(2).normal_().tolist(),
            tg.zeros(2).uniform_().tolist(),
        ]

    tg.manual_seed(7)
    first = draw_all()
    tg.manual_seed(7)
    assert draw_all() == first
    # Drawing from one function advances the stream all the others read.
    tg.manual_seed(7)
    tg.rand(1)
    assert draw_all() != first


def test_separate_generator_keeps_its_own_stream() -> None:
    tg.manual_seed(0)
    expected = tg.randn(3).tolist()
    generator = tg.Generator().manual_seed(99)
    tg.manual_seed(0)
    tg.randn(5, generator=generator)  # does not advance the default generator
    assert tg.randn(3).tolist() == expected


def test_random_values_are_in_range_and_roughly_distributed() -> None:
    tg.manual_seed(0)
    uniform = tg.rand(10_000).numpy()
    assert uniform.min() >= 0 and uniform.max() < 1 and abs(uniform.mean() - 0.5) < 0.02
    normal = tg.normal(3.0, 0.5, size=(10_000,)).numpy()
    assert abs(normal.mean() - 3.0) < 0.02 and abs(normal.std() - 0.5) < 0.02
    ints = tg.randint(2, 5, (1000,)).numpy()
    assert set(ints.tolist()) == {2, 3, 4}
    assert sorted(tg.randperm(10).tolist()) == list(range(10))


def test_manual_seed_returns_the_generator() -> None:
    generator = tg.manual_seed(5)
    assert isinstance(generator, tg.Generator) and tg.initial_seed() == 5


def test_shape_attributes() -> None:
    t = tg.zeros(2, 3, 4)
    assert t.shape == (2, 3, 4) and t.size() == (2, 3, 4) and t.size(1) == 3 and t.size(-1) == 4
    assert t.ndim == 3 and t.dim() == 3 and t.numel() == 24 and len(t) == 2
    assert repr(t.shape) == "tinygrad_lr.Size([2, 3, 4])" and t.shape.numel() == 24
    assert tg.tensor(5.0).item() == 5.0 and tg.tensor([[1, 2]]).tolist() == [[1, 2]]
    assert isinstance(tg.tensor(5).item(), int) and isinstance(tg.tensor(5.0).item(), float)


@pytest.mark.parametrize(
    "call",
    [
        lambda m: m.randint(250, 260, (3,), dtype=m.uint8),
        lambda m: m.randint(-1, 5, (3,), dtype=m.uint8),
        lambda m: m.randint(0, 3, (3,), dtype=m.bool),
        lambda m: m.randint(0, 2**31 + 1, (3,), dtype=m.int32),
        lambda m: m.randperm(2050, dtype=m.float16),
        lambda m: m.randperm(257, dtype=m.uint8),
        lambda m: m.randperm(200, dtype=m.int8),
        lambda m: m.randperm(2, dtype=m.bool),
    ],
)
def test_random_integers_that_the_dtype_cannot_hold_raise_as_in_torch(torch, call):
    """NumPy would draw int64 and wrap or round them: not a permutation, not in [low, high)."""
    with pytest.raises(Exception) as theirs:
        call(torch)
    with pytest.raises(type(theirs.value)):
        call(tg)


def test_random_integers_at_the_edges_of_the_dtype_are_in_range():
    assert sorted(tg.randperm(256, dtype=tg.uint8).tolist()) == list(range(256))
    assert sorted(tg.randperm(2049, dtype=tg.float16).tolist()) == list(range(2049))
    values = tg.randint(0, 256, (2000,), dtype=tg.uint8).tolist()
    assert min(values) >= 0 and max(values) <= 255 and len(set(values)) > 200
