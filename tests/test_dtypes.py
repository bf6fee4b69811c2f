"""Result dtypes (torch's promotion rules, float32 kept through every op) and dtype errors."""

from __future__ import annotations

import itertools
import operator
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from test_tensor_ops import OPS, Op, arrays_for

import tinygrad_lr as tg

DTYPES = ["bool", "uint8", "int8", "int16", "int32", "int64", "float16", "float32", "float64"]
# Python and NumPy numbers. (np.bool_ is left out: torch treats it as a float, a quirk we do
# not copy; tinygrad_lr treats it as the bool it is.)
SCALARS = [True, 2, 2.5, np.float64(2.5), np.float32(2.5), np.float16(2), np.int64(2), np.int32(2)]
# Tensors with dimensions outrank 0-d tensors and numbers of the same category.
DIMS = [(1, 1), (1, 0), (0, 1), (0, 0)]


def name_of(dtype: Any) -> str:
    return str(dtype).split(".")[-1]


def make(m: Any, dtype: str, ndim: int) -> Any:
    return m.ones((2,) * ndim, dtype=getattr(m, dtype))


# ----------------------------------------------------------------------------- float32 stays


@pytest.mark.parametrize(
    "op", [op for op in OPS if op.name not in ("double", "float_double")], ids=repr
)
@settings(max_examples=3, deadline=None, derandomize=True)
@given(data=st.data())
def test_float32_stays_float32_through_every_op(op: Op, data: st.DataObject) -> None:
    shapes = data.draw(op.shapes)
    inputs = [
        tg.tensor(a.astype(np.float32), requires_grad=True) for a in arrays_for(op, shapes, 0)
    ]
    out = op.fn(tg, *inputs)
    assert out.dtype is tg.float32, f"{op.name} gave {out.dtype}"
    out.backward(tg.ones_like(out))
    for x in inputs:
        assert x.grad is None or x.grad.dtype is tg.float32


@pytest.mark.parametrize("scalar", SCALARS, ids=lambda s: f"{type(s).__name__}({s})")
def test_float32_with_python_and_numpy_numbers_stays_float32(scalar: Any) -> None:
    t = tg.ones(3, requires_grad=True)
    results = [t + scalar, scalar + t, t - scalar, scalar - t, t * scalar, scalar * t]
    results += [t / scalar, scalar / t, t**scalar]
    for result in results:
        assert result.dtype is tg.float32 and isinstance(result, tg.Tensor)
    sum(results).sum().backward()
    assert t.grad.dtype is tg.float32


def test_numpy_float64_times_float32_tensor_is_float32() -> None:
    t = tg.ones(2)
    assert (np.float64(2) * t).dtype is tg.float32
    assert (np.array(2.0) * t).dtype is tg.float32  # a 0-d array counts as a 0-d tensor


def test_int_division_gives_float32(torch: Any) -> None:
    for m in (tg, torch):
        a, b = m.tensor([1, 2, 3]), m.tensor([2, 2, 2])
        assert name_of((a / b).dtype) == "float32" and (a / b).tolist() == [0.5, 1.0, 1.5]
        assert name_of((a / 2).dtype) == name_of((2 / a).dtype) == "float32"
        assert name_of(a.div(b).dtype) == "float32"


def test_integer_results_stay_integer() -> None:
    a = tg.tensor([1, 2, 3])
    assert (a + 1).dtype is tg.int64 and (a * 2).dtype is tg.int64 and (a**2).dtype is tg.int64
    assert a.sum().dtype is tg.int64 and tg.tensor([True, True]).sum().item() == 2
    assert (a + 0.5).dtype is tg.float32 and a.exp().dtype is tg.float32


# ----------------------------------------------------------------------------- promotion table


@pytest.mark.parametrize("a", DTYPES)
def test_promotion_between_tensors_matches_torch(torch: Any, a: str) -> None:
    for b, (ndim_a, ndim_b) in itertools.product(DTYPES, DIMS):
        ours = tg.dtypes.result_type(make(tg, a, ndim_a), make(tg, b, ndim_b))
        theirs = torch.result_type(make(torch, a, ndim_a), make(torch, b, ndim_b))
        assert name_of(ours) == name_of(theirs), (a, b, ndim_a, ndim_b)


@pytest.mark.parametrize("a", DTYPES)
def test_promotion_with_numbers_matches_torch(torch: Any, a: str) -> None:
    for scalar, ndim in itertools.product(SCALARS, (1, 0)):
        ours = tg.dtypes.result_type(make(tg, a, ndim), scalar)
        theirs = torch.result_type(make(torch, a, ndim), scalar)
        assert name_of(ours) == name_of(theirs), (a, scalar, ndim)


OPERATORS = {
    "add": lambda x, y: x + y,
    "sub": lambda x, y: x - y,
    "mul": lambda x, y: x * y,
    "div": lambda x, y: x / y,
    "radd": lambda x, y: y + x,
    "rmul": lambda x, y: y * x,
    "rdiv": lambda x, y: y / x,
}


def _result_or_error(fn: Any, *args: Any) -> str:
    try:
        return name_of(fn(*args).dtype)
    except (RuntimeError, TypeError):
        return "error"


@pytest.mark.parametrize("a", DTYPES)
def test_operator_result_dtypes_match_torch(torch: Any, a: str) -> None:
    """The actual results, not only result_type: every operand pair and every number."""
    for (name, op), b, (ndim_a, ndim_b) in itertools.product(OPERATORS.items(), DTYPES, DIMS):
        theirs = _result_or_error(op, make(torch, a, ndim_a), make(torch, b, ndim_b))
        if theirs == "error":  # torch refuses some (bool - bool): not compared
            continue
        ours = _result_or_error(op, make(tg, a, ndim_a), make(tg, b, ndim_b))
        assert ours == theirs, (name, a, b, ndim_a, ndim_b)
    for (name, op), scalar in itertools.product(OPERATORS.items(), SCALARS):
        theirs = _result_or_error(op, make(torch, a, 1), scalar)
        if theirs == "error":
            continue
        assert _result_or_error(op, make(tg, a, 1), scalar) == theirs, (name, a, scalar)


UNARY = {
    "sum": lambda t: t.sum(),
    "sum_dim": lambda t: t.sum(0),
    "exp": lambda t: t.exp(),
    "log": lambda t: t.log(),
    "sqrt": lambda t: t.sqrt(),
    "sigmoid": lambda t: t.sigmoid(),
    "tanh": lambda t: t.tanh(),
    "abs": lambda t: t.abs(),
    "neg": lambda t: -t,
    "pow_2": lambda t: t**2,
    "pow_2.5": lambda t: t**2.5,
    "reshape": lambda t: t.reshape(-1),
    "index": lambda t: t[[0, 1]],
    "clone": lambda t: t.clone(),
    "float": lambda t: t.float(),
    "double": lambda t: t.double(),
}


@pytest.mark.parametrize("a", [d for d in DTYPES if d != "bool"])
def test_single_operand_result_dtypes_match_torch(torch: Any, a: str) -> None:
    for name, op in UNARY.items():
        ours, theirs = op(make(tg, a, 1)), op(make(torch, a, 1))
        assert name_of(ours.dtype) == name_of(theirs.dtype), (name, a)


# ----------------------------------------------------------------------------- errors


def test_matmul_shape_mismatch_names_both_shapes(torch: Any) -> None:
    for m in (tg, torch):
        with pytest.raises(RuntimeError, match=r"shapes cannot be multiplied \(2x3 and 2x3\)"):
            m.ones(2, 3) @ m.ones(2, 3)
    with pytest.raises(RuntimeError, match=r"\(3 and 2\)"):
        tg.ones(3) @ tg.ones(2)
    with pytest.raises(RuntimeError, match=r"at least 1D"):
        tg.ones(3) @ tg.tensor(2.0)


def test_matmul_dtype_mismatch_is_refused(torch: Any) -> None:
    for m in (tg, torch):
        with pytest.raises(RuntimeError, match="dtype|scalar type"):
            m.ones(2, 2) @ m.ones(2, 2, dtype=m.float64)
    with pytest.raises(RuntimeError, match=r"float32 and tinygrad_lr\.float64.*\.float\(\)"):
        tg.ones(2, 2) @ tg.ones(2, 2, dtype=tg.float64)


@pytest.mark.parametrize("op", ["+", "-", "*", "/"])
def test_broadcast_mismatch_names_both_shapes(torch: Any, op: str) -> None:
    apply = {"+": operator.add, "-": operator.sub, "*": operator.mul, "/": operator.truediv}[op]
    for m in (tg, torch):
        with pytest.raises(
            RuntimeError, match=r"size of tensor a \(3\) must match the size of tensor b \(2\)"
        ):
            apply(m.ones(2, 3), m.ones(3, 2))
    with pytest.raises(RuntimeError, match=r"\(2, 3\) and \(3, 2\)"):
        apply(tg.ones(2, 3), tg.ones(3, 2))


def test_numpy_of_a_tensor_that_requires_grad_suggests_detach(torch: Any) -> None:
    for m in (tg, torch):
        with pytest.raises(RuntimeError, match=r"requires grad.*detach\(\)\.numpy\(\)"):
            m.ones(2, requires_grad=True).numpy()
    assert tg.ones(2, requires_grad=True).detach().numpy().tolist() == [1.0, 1.0]


def test_item_of_several_elements_is_refused(torch: Any) -> None:
    for m in (tg, torch):
        with pytest.raises(
            RuntimeError, match="a Tensor with 2 elements cannot be converted to Scalar"
        ):
            m.ones(2).item()
    assert tg.ones(1, 1).item() == 1.0


def test_mean_of_an_integer_tensor_is_refused(torch: Any) -> None:
    for m in (tg, torch):
        with pytest.raises(RuntimeError, match="mean\\(\\): could not infer output dtype"):
            m.tensor([1, 2]).mean()
    assert tg.tensor([1, 2]).float().mean().item() == 1.5


def test_float_of_several_elements_is_refused() -> None:
    with pytest.raises(RuntimeError, match="cannot be converted to Scalar"):
        float(tg.ones(3))


def test_unknown_dtype_is_refused() -> None:
    with pytest.raises(TypeError, match="dtype"):
        tg.ones(2).to(object)


def test_dtype_objects() -> None:
    assert tg.float is tg.float32 and tg.double is tg.float64 and tg.long is tg.int64
    assert repr(tg.float32) == "tinygrad_lr.float32" and tg.float32.is_floating_point
    assert not tg.int64.is_floating_point and tg.float64.itemsize == 8
    assert tg.ones(2).to(tg.float64).dtype is tg.float64 and tg.ones(2).long().dtype is tg.int64
