"""The elementwise functions beyond the op table (tests/table_elementwise.py): dtypes for integer
and bool inputs, extreme values, conventions at kinks and zeros, in-place forms, and errors,
each compared with torch."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest
from helpers import compare_with_torch

import tinygrad_lr as tg


def name_of(dtype: Any) -> str:
    return str(dtype).split(".")[-1]


def _F(m: Any) -> Any:
    return m.nn.functional


def _same(ours: Any, theirs: Any, rtol: float = 1e-6, atol: float = 0.0) -> None:
    assert name_of(ours.dtype) == name_of(theirs.dtype)
    assert tuple(ours.shape) == tuple(theirs.shape)
    np.testing.assert_allclose(
        ours.detach().numpy().astype(np.float64),
        theirs.detach().numpy().astype(np.float64),
        rtol=rtol,
        atol=atol,
    )


def _both(fn: Any, *arrays: Any) -> tuple[Any, Any]:
    return fn(tg, *[tg.tensor(a) for a in arrays]), fn(
        _torch(), *[_torch().tensor(a) for a in arrays]
    )


def _torch() -> Any:
    import torch

    return torch


def _error(fn: Any, *args: Any) -> type | None:
    try:
        fn(*args)
    except Exception as error:  # noqa: BLE001  (the type is what is compared)
        return type(error)
    return None


# ----------------------------------------------------------------------------- dtypes

FLOAT_RESULT = {
    "sin": lambda m, x: m.sin(x),
    "cos": lambda m, x: x.cos(),
    "tan": lambda m, x: m.tan(x),
    "expm1": lambda m, x: m.expm1(x),
    "log1p": lambda m, x: x.log1p(),
    "log2": lambda m, x: m.log2(x),
    "log10": lambda m, x: m.log10(x),
    "rsqrt": lambda m, x: m.rsqrt(x),
    "reciprocal": lambda m, x: x.reciprocal(),
    "erf": lambda m, x: m.erf(x),
    "sigmoid": lambda m, x: m.sigmoid(x),
}
SAME_DTYPE = {
    "floor": lambda m, x: m.floor(x),
    "ceil": lambda m, x: x.ceil(),
    "round": lambda m, x: m.round(x),
    "sign": lambda m, x: m.sign(x),
    "square": lambda m, x: m.square(x),
    "clamp": lambda m, x: m.clamp(x, 0, 1),
}
FLOATS_ONLY = {
    "softplus": lambda m, x: _F(m).softplus(x),
    "logsigmoid": lambda m, x: _F(m).logsigmoid(x),
    "leaky_relu": lambda m, x: _F(m).leaky_relu(x),
    "elu": lambda m, x: _F(m).elu(x),
    "gelu": lambda m, x: _F(m).gelu(x),
    "round_decimals": lambda m, x: m.round(x, decimals=1),
    "lerp": lambda m, x: m.lerp(x, x, 0.5),
}


@pytest.mark.parametrize("dtype", ["int64", "int32", "uint8", "bool", "float16", "float64"])
@pytest.mark.parametrize("name", sorted({**FLOAT_RESULT, **SAME_DTYPE, **FLOATS_ONLY}))
def test_result_dtype_or_error_matches_torch(torch: Any, dtype: str, name: str) -> None:
    fn = {**FLOAT_RESULT, **SAME_DTYPE, **FLOATS_ONLY}[name]
    values = [1, 0, 2] if dtype != "bool" else [True, False, True]
    ours_x = tg.tensor(values, dtype=getattr(tg, dtype))
    theirs_x = torch.tensor(values, dtype=getattr(torch, dtype))
    theirs_error = _error(fn, torch, theirs_x)
    if theirs_error is not None:
        assert _error(fn, tg, ours_x) is theirs_error, (name, dtype)
        return
    with np.errstate(divide="ignore"):
        ours = fn(tg, ours_x)
    theirs = fn(torch, theirs_x)
    _same(ours, theirs, rtol=1e-3 if dtype == "float16" else 1e-6)


def test_integer_input_computes_in_float32(torch: Any) -> None:
    for m in (tg, torch):
        x = m.tensor([1, 4])
        assert name_of(m.sin(x).dtype) == name_of(x.rsqrt().dtype) == "float32"
        assert name_of(m.floor(x).dtype) == "int64" and m.floor(x).tolist() == [1, 4]


@pytest.mark.parametrize(
    "fn",
    [
        lambda m, x, y: m.where(x > 0, x, y),
        lambda m, x, y: m.where(x > 0, x, 2.5),
        lambda m, x, y: m.where(x > 0, 1, y),
        lambda m, x, y: m.maximum(x, y),
        lambda m, x, y: m.minimum(y, x),
        lambda m, x, y: m.clamp(x, min=y),
        lambda m, x, y: m.clamp(x, 0.5),
        lambda m, x, y: m.clamp(x, max=y.reshape(-1)[0]),
        lambda m, x, y: x**y,
        lambda m, x, y: m.pow(2, x),
        lambda m, x, y: 2.5**x,
        lambda m, x, y: x ** y.reshape(-1)[0],
    ],
)
@pytest.mark.parametrize(
    "dtypes",
    [("int64", "float32"), ("float32", "float64"), ("int32", "int64"), ("float16", "int64")],
)
def test_binary_promotion_matches_torch(torch: Any, fn: Any, dtypes: tuple[str, str]) -> None:
    a, b = np.array([[1, 2, 3]]), np.array([[2], [1]])
    ours = fn(
        tg, tg.tensor(a, dtype=getattr(tg, dtypes[0])), tg.tensor(b, dtype=getattr(tg, dtypes[1]))
    )
    theirs = fn(
        torch,
        torch.tensor(a, dtype=getattr(torch, dtypes[0])),
        torch.tensor(b, dtype=getattr(torch, dtypes[1])),
    )
    _same(ours, theirs, rtol=1e-3)


def test_where_of_two_numbers_uses_torch_defaults(torch: Any) -> None:
    for m in (tg, torch):
        c = m.tensor([True, False])
        assert name_of(m.where(c, 1.0, 0).dtype) == "float32"
        assert name_of(m.where(c, 1, 0).dtype) == "int64"
        assert m.where(c, 1, 0).tolist() == [1, 0]


def test_where_with_the_condition_alone_gives_indices(torch: Any) -> None:
    x = np.array([[0.0, 2.0], [3.0, -1.0]])
    ours, theirs = tg.where(tg.tensor(x) > 0), torch.where(torch.tensor(x) > 0)
    assert [t.tolist() for t in ours] == [t.tolist() for t in theirs]
    assert all(name_of(t.dtype) == "int64" for t in ours)


# ----------------------------------------------------------------------------- extreme values


@pytest.mark.parametrize("dtype", ["float16", "float32", "float64"])
@pytest.mark.parametrize(
    "name", ["sigmoid", "logsigmoid", "softplus", "softplus_beta", "tanh", "elu", "gelu"]
)
def test_large_inputs_match_torch_values_and_gradients(torch: Any, dtype: str, name: str) -> None:
    fn = {
        "sigmoid": lambda m, x: m.sigmoid(x),
        "logsigmoid": lambda m, x: _F(m).logsigmoid(x),
        "softplus": lambda m, x: _F(m).softplus(x),
        "softplus_beta": lambda m, x: _F(m).softplus(x, beta=0.5, threshold=10),
        "tanh": lambda m, x: m.tanh(x),
        "elu": lambda m, x: _F(m).elu(x),
        "gelu": lambda m, x: _F(m).gelu(x),
    }[name]
    values = np.array([-1000, -100, -20, -1, 0, 1, 20, 100, 1000], dtype=np.float64)
    if dtype == "float16":
        values = values[np.abs(values) <= 100]
    ours_x = tg.tensor(values, dtype=getattr(tg, dtype), requires_grad=True)
    theirs_x = torch.tensor(values, dtype=getattr(torch, dtype), requires_grad=True)
    ours, theirs = fn(tg, ours_x), fn(torch, theirs_x)
    rtol = {"float16": 2e-3, "float32": 1e-6, "float64": 1e-12}[dtype]
    # Below the smallest normal number the two differ in the subnormals: sigmoid(-100) in
    # float32 is e^-100 = 3.8e-44 here, and 0 in torch, whose 1 / (1 + e^100) overflows first.
    # float16 holds down to 6e-8: torch keeps more of the tiniest values, computed in float32.
    atol = 1e-7 if dtype == "float16" else float(np.finfo(dtype).tiny)
    _same(ours, theirs, rtol=rtol, atol=atol)
    assert np.isfinite(ours.detach().numpy()).all()
    ours.sum().backward()
    theirs.sum().backward()
    _same(ours_x.grad, theirs_x.grad, rtol=rtol, atol=atol)


def test_sigmoid_of_minus_20_does_not_underflow(torch: Any) -> None:
    ours, theirs = tg.sigmoid(tg.tensor([-20.0])), torch.sigmoid(torch.tensor([-20.0]))
    assert ours.item() > 0
    assert math.isclose(ours.item(), theirs.item(), rel_tol=1e-6)
    assert math.isclose(ours.item(), 2.0611536e-09, rel_tol=1e-6)


def test_erf_matches_torch_in_float64(torch: Any) -> None:
    x = np.concatenate([np.linspace(-7, 7, 20001), [0.0, -0.0, 1e-300, 30.0, -30.0]])
    ours = tg.erf(tg.tensor(x)).numpy()
    theirs = torch.erf(torch.tensor(x)).numpy()
    np.testing.assert_allclose(ours, theirs, rtol=1e-13, atol=1e-300)
    assert tg.erf(tg.tensor([np.inf, -np.inf])).tolist() == [1.0, -1.0]
    assert np.isnan(tg.erf(tg.tensor([np.nan])).item())


@pytest.mark.parametrize("approximate", ["none", "tanh"])
def test_gelu_matches_torch_in_float64(torch: Any, approximate: str) -> None:
    x = np.linspace(-8, 8, 1601)
    compare_with_torch(lambda m, a: _F(m).gelu(a, approximate=approximate), [x], rtol=1e-12)


def test_softplus_threshold_switches_to_identity(torch: Any) -> None:
    x = np.array([19.0, 20.0, 20.5, 30.0, -30.0, 4.9, 5.1], dtype=np.float32)
    compare_with_torch(lambda m, a: _F(m).softplus(a, beta=1.0, threshold=20.0), [x])
    compare_with_torch(lambda m, a: _F(m).softplus(a, beta=2.0, threshold=10.0), [x])


# ----------------------------------------------------------------------------- gradient conventions


@pytest.mark.parametrize(
    "fn",
    [
        lambda m, x: m.floor(x),
        lambda m, x: m.ceil(x),
        lambda m, x: m.round(x),
        lambda m, x: x.round(decimals=2),
        lambda m, x: m.sign(x),
    ],
    ids=["floor", "ceil", "round", "round_decimals", "sign"],
)
def test_step_functions_have_zero_gradient(torch: Any, fn: Any) -> None:
    x = np.array([-1.5, -0.2, 0.0, 0.5, 2.5, 3.7], dtype=np.float32)
    compare_with_torch(fn, [x])
    t = tg.tensor(x, requires_grad=True)
    fn(tg, t).sum().backward()
    assert t.grad.tolist() == [0.0] * 6


def test_round_halves_to_even_and_negative_decimals(torch: Any) -> None:
    x = np.array([0.5, 1.5, 2.5, -0.5, -2.5, 1234.5678, 0.125])
    for decimals in (0, 1, 2, -1, -2):
        ours, theirs = _both(lambda m, a, d=decimals: m.round(a, decimals=d), x)
        _same(ours, theirs)


def test_clamp_gradient_at_the_bounds_matches_torch(torch: Any) -> None:
    x = np.array([-2.0, -1.0, -0.5, 0.0, 1.0, 3.0], dtype=np.float32)
    compare_with_torch(lambda m, a: a.clamp(-1.0, 1.0), [x])
    compare_with_torch(lambda m, a: a.clamp(min=0.0), [x])
    compare_with_torch(lambda m, a: a.clamp(max=-0.5), [x])
    t = tg.tensor(x, requires_grad=True)
    t.clamp(-1.0, 1.0).sum().backward()
    assert t.grad.tolist() == [0.0, 1.0, 1.0, 1.0, 1.0, 0.0]  # the bounds themselves pass g


def test_clamp_tensor_bounds_gradient_at_ties_and_crossed_bounds(torch: Any) -> None:
    x = np.array([0.0, 1.0, 2.0, 3.0, 0.5], dtype=np.float32)
    lo = np.array([0.0, 2.0, 1.0, 3.0, 1.0], dtype=np.float32)  # ties, and lo > hi below
    hi = np.array([1.0, 3.0, 2.0, 3.0, 0.0], dtype=np.float32)
    compare_with_torch(lambda m, a, b, c: m.clamp(a, b, c), [x, lo, hi])
    compare_with_torch(lambda m, a, b: m.clamp(a, min=b), [x, lo])
    compare_with_torch(lambda m, a, c: m.clamp(a, max=c), [x, hi])


def test_maximum_and_minimum_share_the_gradient_at_ties(torch: Any) -> None:
    a = np.array([1.0, 2.0, 3.0], dtype=np.float32)
    b = np.array([1.0, 5.0, 0.0], dtype=np.float32)
    compare_with_torch(lambda m, x, y: m.maximum(x, y), [a, b])
    compare_with_torch(lambda m, x, y: m.minimum(x, y), [a, b])


@pytest.mark.filterwarnings("ignore:divide by zero:RuntimeWarning")
@pytest.mark.filterwarnings("ignore:invalid value:RuntimeWarning")
def test_pow_conventions_at_zero_match_torch(torch: Any) -> None:
    base = np.array([0.0, 0.0, 0.0, 2.0, 0.0], dtype=np.float64)
    exponent = np.array([0.0, 2.0, 0.5, 0.0, 3.0], dtype=np.float64)
    compare_with_torch(lambda m, a, p: a**p, [base, exponent])
    compare_with_torch(lambda m, p: 0**p, [exponent])
    compare_with_torch(lambda m, p: m.pow(2.0, p), [exponent])
    compare_with_torch(lambda m, p: (-2.0) ** p, [np.array([2.0, 3.0])])


def test_leaky_relu_and_elu_at_zero_match_torch(torch: Any) -> None:
    x = np.array([-1.0, 0.0, 1.0], dtype=np.float32)
    compare_with_torch(lambda m, a: _F(m).leaky_relu(a, 0.2), [x])
    compare_with_torch(lambda m, a: _F(m).elu(a, alpha=2.0), [x])
    compare_with_torch(lambda m, a: _F(m).relu(a), [x])


def test_exponent_and_base_both_get_gradients(torch: Any) -> None:
    a, p = np.array([1.5, 2.0]), np.array([[3.0], [-0.5]])
    compare_with_torch(lambda m, x, y: x**y, [a, p])
    compare_with_torch(lambda m, x, y: m.pow(x, y.reshape(-1)[1]), [a, p])


# ----------------------------------------------------------------------------- in place


def test_clamp_in_place_under_no_grad(torch: Any) -> None:
    for m in (tg, torch):
        w = m.tensor([-2.0, 0.5, 3.0], requires_grad=True)
        with m.no_grad():
            assert w.clamp_(-1.0, 1.0) is w
            w.clip_(min=0.0)
        assert w.tolist() == [0.0, 0.5, 1.0] and w.requires_grad and w.grad_fn is None


def test_clamp_in_place_of_a_leaf_that_requires_grad_is_refused(torch: Any) -> None:
    for m in (tg, torch):
        w = m.tensor([-2.0, 3.0], requires_grad=True)
        with pytest.raises(RuntimeError, match="a leaf Variable that requires grad"):
            w.clamp_(0.0)


def test_clamp_in_place_records_the_gradient(torch: Any) -> None:
    x = np.array([-2.0, 0.5, 3.0])
    compare_with_torch(lambda m, a: (a * 2).clamp_(-1.0, 1.0) * a, [x])
    compare_with_torch(lambda m, a, b: (a * 1).clamp_(max=b), [x, np.array([0.0, 1.0, 2.0])])


def test_clamp_in_place_into_an_integer_tensor_is_refused(torch: Any) -> None:
    for m in (tg, torch):
        with pytest.raises(RuntimeError, match="can't be cast to the desired output type"):
            m.ones(3, dtype=m.int64).clamp_(0.5)


@pytest.mark.parametrize(
    "fn",
    [
        lambda m, x: _F(m).relu(x, inplace=True),
        lambda m, x: _F(m).leaky_relu(x, 0.1, inplace=True),
        lambda m, x: _F(m).elu(x, inplace=True),
    ],
    ids=["relu", "leaky_relu", "elu"],
)
def test_activation_inplace_writes_into_the_input(torch: Any, fn: Any) -> None:
    x = np.array([-2.0, 0.0, 1.5])
    for m in (tg, torch):
        t = m.tensor(x)
        assert fn(m, t) is t
    compare_with_torch(lambda m, a: fn(m, a * 1) * a, [x])
    for m in (tg, torch):
        with pytest.raises(RuntimeError, match="a leaf Variable that requires grad"):
            fn(m, m.tensor(x, requires_grad=True))


# ----------------------------------------------------------------------------- errors


def test_clamp_without_bounds_is_refused(torch: Any) -> None:
    for m in (tg, torch):
        with pytest.raises(RuntimeError, match="At least one of 'min' or 'max' must not be None"):
            m.ones(2).clamp()
        with pytest.raises(RuntimeError, match="At least one of 'min' or 'max' must not be None"):
            m.clip(m.ones(2))


@pytest.mark.parametrize(
    "fn",
    [
        lambda m: m.clamp(m.ones(2), min="a"),
        lambda m: m.maximum(m.ones(2), 2.0),
        lambda m: m.minimum(m.ones(2), 1),
        lambda m: m.where(m.ones(2) > 0, m.ones(2), "a"),
        lambda m: m.where([True, False], m.ones(2), m.ones(2)),
        lambda m: m.ones(2) ** "a",
        lambda m: m.round(m.ones(2), decimals=1.5),
        lambda m: m.lerp(m.ones(2), 1.0, 0.5),
        lambda m: m.pow(2, 3),
    ],
    ids=[
        "clamp_str", "maximum_number", "minimum_number", "where_str", "where_list_condition",
        "pow_str", "round_float_decimals", "lerp_number_end", "pow_two_numbers",
    ],
)  # fmt: skip
def test_wrong_argument_types_raise_type_error(torch: Any, fn: Any) -> None:
    assert _error(fn, torch) is TypeError
    with pytest.raises(TypeError):
        fn(tg)


@pytest.mark.parametrize(
    "fn, error, message",
    [
        (lambda m: m.where(m.ones(2), m.ones(2), m.ones(2)), RuntimeError, "boolean tensor"),
        (lambda m: m.maximum(m.ones(3), m.ones(2)), RuntimeError, r"size of tensor a \(3\)"),
        (lambda m: m.where(m.ones(3) > 0, m.ones(2), 0.0), RuntimeError, r"must match"),
        (lambda m: m.clamp(m.ones(3), min=m.ones(2)), RuntimeError, r"must match"),
        (lambda m: m.lerp(m.ones(3), m.ones(2), 0.5), RuntimeError, r"must match"),
        (lambda m: m.lerp(m.ones(2), m.ones(2).double(), 0.5), RuntimeError, "`end`"),
        (lambda m: m.lerp(m.ones(2), m.ones(2), m.ones(2).double()), RuntimeError, "`weight`"),
        (
            lambda m: m.lerp(m.ones(2).long(), m.ones(2).long(), 0.5),
            NotImplementedError,
            "not implemented for",
        ),
        (lambda m: m.tensor([2, 3]) ** -1, RuntimeError, "negative integer powers"),
        (lambda m: _F(m).gelu(m.ones(2), approximate="erf"), RuntimeError, "none or tanh"),
        (lambda m: _F(m).softplus(m.ones(2).long()), NotImplementedError, "not implemented for"),
        (
            lambda m: m.round(m.tensor([1, 2]), decimals=1),
            NotImplementedError,
            "not implemented for",
        ),
        (lambda m: m.floor(m.tensor([True])), NotImplementedError, "not implemented for"),
    ],
)
def test_errors_match_torch(torch: Any, fn: Any, error: type, message: str) -> None:
    for m in (tg, torch):
        with pytest.raises(error, match=message):
            fn(m)


def test_integer_tensor_to_a_negative_tensor_power_is_refused() -> None:
    """torch computes 2 ** -1 = 0 for integer tensors; tinygrad_lr refuses (docs/pytorch.md)."""
    with pytest.raises(RuntimeError, match="negative integer powers"):
        tg.tensor([2, 3]) ** tg.tensor([-1, 2])
    assert (tg.tensor([2, 3]) ** tg.tensor([1, 2])).tolist() == [2, 9]


def test_grad_fn_names(torch: Any) -> None:
    x = tg.ones(2, requires_grad=True)
    assert repr(x.sin().grad_fn) == "<SinBackward0>"
    assert repr(x.clamp(0, 1).grad_fn) == "<ClampBackward0>"
    assert repr(tg.where(x > 0, x, 0.0).grad_fn) == "<WhereBackward0>"
    assert repr(_F(tg).gelu(x).grad_fn) == "<GELUBackward0>"
