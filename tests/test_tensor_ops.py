"""Every differentiable op, checked two ways from ONE table (``OPS``):

(a) ``tinygrad_lr.autograd.gradcheck`` against central finite differences, in float64, over
    shapes drawn by hypothesis (broadcasting included);
(b) against torch, values AND gradients with a random output gradient, in float32 and float64,
    through ``helpers.compare_with_torch``.

Each entry's ``fn(m, *tensors)`` is written once and run with ``m = tinygrad_lr`` and with
``m = torch``, so the two sides cannot drift apart. The table is the core's ops, written here,
followed by the tables of tests/table_*.py (one module per area of the API).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
import table_elementwise
import table_linalg
import table_reductions
import table_shape
from helpers import compare_with_torch
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import array_shapes
from op_table import (
    THROUGH_FLOAT32,
    Op,
    any_shape,
    arrays_for,
    broadcast_pair,
    cat_shapes,
    grid2,
    matmul_shapes,
    matrix,
    nonscalar,
    rank3,
    rows3,
    rows_exactly3,
    same_pair,
    zero_d,
)

import tinygrad_lr as tg

SETTINGS = settings(max_examples=15, deadline=None, derandomize=True)


def _scalar_casts(m: Any, x: Any) -> Any:
    # float64 -> float32 -> float64: gradients must flow back through both casts.
    return x.float().double() * 2


CORE_OPS = [
    # --- + - * / between tensors, broadcasting
    Op("add", lambda m, a, b: a + b, broadcast_pair, ("any", "any")),
    Op("sub", lambda m, a, b: a - b, broadcast_pair, ("any", "any")),
    Op("mul", lambda m, a, b: a * b, broadcast_pair, ("any", "any")),
    Op("div", lambda m, a, b: a / b, broadcast_pair, ("any", "nonzero")),
    Op("add_method_alpha", lambda m, a, b: a.add(b, alpha=2.5), broadcast_pair, ("any", "any")),
    Op("sub_method_alpha", lambda m, a, b: a.sub(b, alpha=-0.5), broadcast_pair, ("any", "any")),
    Op("mul_method", lambda m, a, b: a.mul(b), broadcast_pair, ("any", "any")),
    Op("div_method", lambda m, a, b: a.div(b), broadcast_pair, ("any", "nonzero")),
    Op("m.add", lambda m, a, b: m.add(a, b, alpha=3), broadcast_pair, ("any", "any")),
    Op("m.sub", lambda m, a, b: m.sub(a, b), broadcast_pair, ("any", "any")),
    Op("m.mul", lambda m, a, b: m.mul(a, b), broadcast_pair, ("any", "any")),
    Op("m.div", lambda m, a, b: m.div(a, b), broadcast_pair, ("any", "nonzero")),
    Op("same_tensor_twice", lambda m, a: a * a + a, nonscalar),
    # --- with Python numbers, plain and reflected
    Op("add_float", lambda m, a: a + 2.5),
    Op("radd_float", lambda m, a: 2.5 + a),
    Op("sub_int", lambda m, a: a - 3),
    Op("rsub_float", lambda m, a: 2.5 - a),
    Op("mul_float", lambda m, a: a * -1.5),
    Op("rmul_int", lambda m, a: 3 * a),
    Op("div_float", lambda m, a: a / 4.0),
    Op("rdiv_float", lambda m, a: 2.5 / a, domains=("nonzero",)),
    Op("rdiv_int", lambda m, a: 1 / a, domains=("nonzero",)),
    # --- with NumPy numbers, plain and reflected (NumPy must defer to the tensor)
    Op("add_np_float64", lambda m, a: a + np.float64(2.5)),
    Op("radd_np_float32", lambda m, a: np.float32(2.5) + a),
    Op("rsub_np_int64", lambda m, a: np.int64(2) - a),
    Op("rmul_np_float64", lambda m, a: np.float64(2) * a),
    Op("mul_np_int64", lambda m, a: a * np.int64(3)),
    Op("rdiv_np_float64", lambda m, a: np.float64(2) / a, domains=("nonzero",)),
    Op("div_np_float32", lambda m, a: a / np.float32(4)),
    # --- negation and powers with a number exponent
    Op("neg", lambda m, a: -a),
    Op("neg_method", lambda m, a: a.neg()),
    Op("m.neg", lambda m, a: m.neg(a)),
    Op("pow_2", lambda m, a: a**2),
    Op("pow_3", lambda m, a: a**3),
    Op("pow_1", lambda m, a: a**1),
    Op("pow_0", lambda m, a: a**0 + a),
    Op("pow_half", lambda m, a: a**0.5, domains=("positive",)),
    Op("pow_neg_1_5", lambda m, a: a**-1.5, domains=("positive",)),
    Op("pow_neg_1", lambda m, a: a**-1, domains=("nonzero",)),
    Op("pow_np_float64", lambda m, a: a ** np.float64(2)),
    Op("pow_method", lambda m, a: a.pow(3)),
    Op("m.pow", lambda m, a: m.pow(a, 2)),
    Op("square", lambda m, a: a.square()),
    Op("m.square", lambda m, a: m.square(a)),
    # --- matmul in torch's 1-D, 2-D and batched cases
    Op("matmul_1d_1d", lambda m, a, b: a @ b, matmul_shapes(1, 1)),
    Op("matmul_2d_1d", lambda m, a, b: a @ b, matmul_shapes(2, 1)),
    Op("matmul_1d_2d", lambda m, a, b: a @ b, matmul_shapes(1, 2)),
    Op("matmul_2d_2d", lambda m, a, b: a @ b, matmul_shapes(2, 2)),
    Op("matmul_batched", lambda m, a, b: a @ b, matmul_shapes(None, None, batch=True)),
    Op("matmul_batched_2d", lambda m, a, b: a @ b, matmul_shapes(None, 2, batch=True)),
    Op("matmul_2d_batched", lambda m, a, b: a @ b, matmul_shapes(2, None, batch=True)),
    Op("matmul_1d_batched", lambda m, a, b: a @ b, matmul_shapes(1, None, batch=True)),
    Op("matmul_batched_1d", lambda m, a, b: a @ b, matmul_shapes(None, 1, batch=True)),
    Op("matmul_method", lambda m, a, b: a.matmul(b), matmul_shapes(2, 2)),
    Op("m.matmul", lambda m, a, b: m.matmul(a, b), matmul_shapes(2, 1)),
    Op("mm", lambda m, a, b: a.mm(b), matmul_shapes(2, 2)),
    Op("m.mm", lambda m, a, b: m.mm(a, b), matmul_shapes(2, 2)),
    # --- reductions: dim None / int / negative / tuple / empty tuple, keepdim
    Op("sum", lambda m, a: a.sum()),
    Op("sum_dim0", lambda m, a: a.sum(0), nonscalar),
    Op("sum_dim_neg1_keepdim", lambda m, a: a.sum(dim=-1, keepdim=True), nonscalar),
    Op("sum_dim_tuple", lambda m, a: a.sum(dim=(0, -1)), rank3),
    Op("sum_dim_list_keepdim", lambda m, a: a.sum([0, 2], keepdim=True), rank3),
    Op("sum_dim_empty_tuple", lambda m, a: a.sum(dim=()), any_shape),
    Op("sum_0d_dim0", lambda m, a: a.sum(0), zero_d),
    Op("sum_0d_dim_neg1_keepdim", lambda m, a: a.sum(-1, keepdim=True), zero_d),
    Op("m.sum", lambda m, a: m.sum(a)),
    Op("m.sum_dim", lambda m, a: m.sum(a, 1, keepdim=True), rank3),
    Op("mean", lambda m, a: a.mean()),
    Op("mean_dim0", lambda m, a: a.mean(0), nonscalar),
    Op("mean_dim_tuple_keepdim", lambda m, a: a.mean((1, 2), keepdim=True), rank3),
    Op("mean_dim_neg", lambda m, a: a.mean(dim=-2), rank3),
    Op("mean_0d_dim0", lambda m, a: a.mean(0), zero_d),
    Op("m.mean", lambda m, a: m.mean(a)),
    Op("m.mean_dim", lambda m, a: m.mean(a, dim=0, keepdim=True), nonscalar),
    # --- shape
    Op("reshape_flat", lambda m, a: a.reshape(-1)),
    Op("reshape_varargs", lambda m, a: a.reshape(1, -1, 1)),
    Op("reshape_tuple", lambda m, a: a.reshape((-1, 1))),
    Op("view", lambda m, a: a.view(-1, 1) * 2),
    Op("view_tuple", lambda m, a: a.view((1, -1))),
    Op("view_as", lambda m, a, b: a.view_as(b) * b, same_pair.map(lambda s: (s[0], s[0][::-1]))),
    Op("m.reshape", lambda m, a: m.reshape(a, (-1,))),
    Op("t", lambda m, a: a.t(), matrix),
    Op("t_1d", lambda m, a: a.t() * 1, array_shapes(min_dims=1, max_dims=1).map(lambda s: (s,))),
    Op("m.t", lambda m, a: m.t(a), matrix),
    Op("T", lambda m, a: a.T, matrix),
    Op("transpose", lambda m, a: a.transpose(0, -1), nonscalar),
    Op("transpose_0d", lambda m, a: a.transpose(0, -1) * 1, zero_d),
    Op("m.transpose", lambda m, a: m.transpose(a, 1, 2), rank3),
    Op("permute_varargs", lambda m, a: a.permute(2, 0, 1), rank3),
    Op("permute_tuple", lambda m, a: a.permute((1, 2, 0)), rank3),
    Op("flatten", lambda m, a: a.flatten()),
    Op("flatten_0d", lambda m, a: a.flatten(), zero_d),
    Op("flatten_range", lambda m, a: a.flatten(1, 2), rank3),
    Op("m.flatten", lambda m, a: m.flatten(a, start_dim=1), rank3),
    Op("squeeze", lambda m, a: a.reshape(1, -1, 1).squeeze()),
    Op("squeeze_dim", lambda m, a: a.unsqueeze(1).squeeze(1), nonscalar),
    Op("squeeze_dim_not_one", lambda m, a: a.squeeze(0) * 1, rows3),
    Op("squeeze_dim_tuple", lambda m, a: a.reshape(1, -1, 1).squeeze((0, 2))),
    Op("squeeze_0d", lambda m, a: a.squeeze(0) * 1, zero_d),
    Op("m.squeeze", lambda m, a: m.squeeze(a.unsqueeze(0))),
    Op("unsqueeze", lambda m, a: a.unsqueeze(0)),
    Op("unsqueeze_neg", lambda m, a: a.unsqueeze(-1)),
    Op("m.unsqueeze", lambda m, a: m.unsqueeze(a, 0)),
    # --- indexing: int, slice, list, int64 array / tensor (repeated indices), masks
    Op("index_int", lambda m, a: a[2], rows3),
    Op("index_neg_int", lambda m, a: a[-1], rows3),
    Op("index_slice", lambda m, a: a[1:3], rows3),
    Op("index_step_slice", lambda m, a: a[::2], rows3),
    Op("index_negative_slice", lambda m, a: a[-2:], rows3),
    Op("index_two_axes", lambda m, a: a[1, :-1], grid2),
    Op("index_ellipsis", lambda m, a: a[..., 0], nonscalar),
    Op("index_none", lambda m, a: a[None, 1], rows3),
    Op("index_list_repeated", lambda m, a: a[[0, 2, 0, 0]], rows3),
    Op("index_np_int64_repeated", lambda m, a: a[np.array([1, 1, 0], dtype=np.int64)], rows3),
    Op("index_tensor_repeated", lambda m, a: a[m.tensor([2, 0, 2])], rows3),
    Op("index_tensor_2d", lambda m, a: a[m.tensor([[0, 1], [1, 1]])], rows3),
    Op("index_two_lists", lambda m, a: a[[0, 1, 1], [1, 0, 1]], grid2),
    Op("index_slice_and_list", lambda m, a: a[1:, [0, 0, 1]], grid2),
    Op("index_bool_mask", lambda m, a: a[a > 0], nonscalar, ("nonzero",)),
    Op("index_bool_mask_rows", lambda m, a: a[m.tensor([True, False, True])], rows_exactly3),
    Op("index_bool_list", lambda m, a: a[[False, True, True]], rows_exactly3),
    # --- elementwise functions, as methods and as module functions
    Op("exp", lambda m, a: a.exp()),
    Op("m.exp", lambda m, a: m.exp(a)),
    Op("log", lambda m, a: a.log(), domains=("positive",)),
    Op("m.log", lambda m, a: m.log(a), domains=("positive",)),
    Op("abs", lambda m, a: a.abs(), domains=("nonzero",)),
    Op("abs_builtin", lambda m, a: abs(a), domains=("nonzero",)),
    Op("m.abs", lambda m, a: m.abs(a), domains=("nonzero",)),
    Op("sqrt", lambda m, a: a.sqrt(), domains=("positive",)),
    Op("m.sqrt", lambda m, a: m.sqrt(a), domains=("positive",)),
    Op("relu", lambda m, a: a.relu(), domains=("nonzero",)),
    Op("m.relu", lambda m, a: m.relu(a), domains=("nonzero",)),
    Op("sigmoid", lambda m, a: a.sigmoid()),
    Op("m.sigmoid", lambda m, a: m.sigmoid(a)),
    Op("tanh", lambda m, a: a.tanh()),
    Op("m.tanh", lambda m, a: m.tanh(a)),
    # --- joining, copying, casting
    Op("cat_dim1", lambda m, a, b: m.cat([a, b], dim=1), cat_shapes(2), ("any", "any")),
    Op("cat_three_neg_dim", lambda m, a, b, c: m.cat((a, b, c), -2), cat_shapes(3), ("any",) * 3),
    Op("cat_dim0", lambda m, a, b: m.cat([a, b]), same_pair, ("any", "any")),
    Op("stack", lambda m, a, b: m.stack([a, b]), same_pair, ("any", "any")),
    Op("stack_last", lambda m, a, b: m.stack((a, b), dim=-1), same_pair, ("any", "any")),
    Op("clone", lambda m, a: a.clone() * 1),
    Op("m.clone", lambda m, a: m.clone(a) * a),
    Op("float_double", _scalar_casts, gradcheck_kwargs=THROUGH_FLOAT32),
    Op("to_float32", lambda m, a: a.to(m.float32) * 2, gradcheck_kwargs=THROUGH_FLOAT32),
    Op("double", lambda m, a: a.double() * 2),
    # --- a composite: the tutorial's squared loss
    Op(
        "squared_loss",
        lambda m, X, w, b, y: ((m.matmul(X, w) + b - y.reshape(-1, 1)) ** 2 / 2).mean(),
        st.tuples(st.integers(1, 5), st.integers(1, 3)).map(
            lambda t: ((t[0], t[1]), (t[1], 1), (1,), (t[0],))
        ),
        ("any",) * 4,
    ),
]  # fmt: skip

OPS = CORE_OPS + table_elementwise.OPS + table_reductions.OPS + table_shape.OPS + table_linalg.OPS


def test_table_has_unique_names():
    names = [op.name for op in OPS]
    assert len(names) == len(set(names))


@pytest.mark.parametrize("op", OPS, ids=repr)
@SETTINGS
@given(data=st.data())
def test_gradcheck(op: Op, data: st.DataObject) -> None:
    shapes = data.draw(op.shapes, label="shapes")
    arrays = arrays_for(op, shapes, data.draw(st.integers(0, 2**32 - 1), label="seed"))
    inputs = [tg.tensor(a, requires_grad=True) for a in arrays]
    assert all(x.dtype is tg.float64 for x in inputs)
    assert tg.autograd.gradcheck(lambda *xs: op.fn(tg, *xs), inputs, **op.gradcheck_kwargs)


@pytest.mark.parametrize("op", OPS, ids=repr)
# The ``torch`` fixture is just the module: nothing in it needs resetting between examples.
@settings(
    max_examples=8,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(data=st.data())
def test_matches_torch(torch: Any, op: Op, data: st.DataObject) -> None:
    shapes = data.draw(op.shapes, label="shapes")
    seed = data.draw(st.integers(0, 2**32 - 1), label="seed")
    arrays = arrays_for(op, shapes, seed)
    # compare_with_torch also checks the result's dtype and shape, and each gradient's dtype.
    compare_with_torch(
        op.fn, [a.astype(np.float32) for a in arrays], rtol=1e-5, atol=1e-6, seed=seed
    )
    compare_with_torch(op.fn, arrays, seed=seed)


def test_results_of_ops_on_leaves_are_not_leaves():
    x = tg.ones(2, requires_grad=True)
    y = x * 2
    assert x.is_leaf and not y.is_leaf and y.requires_grad and y.grad_fn is not None
    assert repr(y.grad_fn) == "<MulBackward0>"


def test_ops_on_tensors_without_grad_record_nothing():
    x = tg.ones(2)
    y = (x * 2).exp().sum()
    assert not y.requires_grad and y.grad_fn is None and y.is_leaf


def test_only_inputs_that_require_grad_get_gradients():
    a = tg.tensor([1.0, 2.0], requires_grad=True)
    b = tg.tensor([3.0, 4.0])
    (a * b).sum().backward()
    assert a.grad.tolist() == [3.0, 4.0] and b.grad is None


def test_broadcast_gradient_is_summed_to_the_input_shape():
    # b of shape (1,) was used 10 times: its gradient is the sum of 10 contributions.
    X = tg.ones(10, 1, requires_grad=True)
    b = tg.zeros(1, requires_grad=True)
    (X + b).sum().backward()
    assert b.grad.shape == (1,) and b.grad.item() == 10.0


def test_repeated_indices_sum_their_gradients():
    x = tg.zeros(3, requires_grad=True)
    x[tg.tensor([0, 0, 2, 0])].sum().backward()
    assert x.grad.tolist() == [3.0, 0.0, 1.0]


def test_boolean_mask_gradient_lands_on_selected_elements():
    x = tg.tensor([-1.0, 2.0, -3.0, 4.0], requires_grad=True)
    (x[x > 0] * tg.tensor([10.0, 20.0])).sum().backward()
    assert x.grad.tolist() == [0.0, 10.0, 0.0, 20.0]


@pytest.mark.parametrize(
    "fn",
    [
        lambda m, x: m.relu(x),
        lambda m, x: m.abs(x),
        lambda m, x: m.sqrt(x),
        lambda m, x: x**0,
        lambda m, x: x**1,
        lambda m, x: x**2,
        lambda m, x: x**0.5,
    ],
    ids=["relu", "abs", "sqrt", "pow_0", "pow_1", "pow_2", "pow_half"],
)
@pytest.mark.filterwarnings("ignore:divide by zero:RuntimeWarning")  # NumPy says 0 ** -0.5 = inf
def test_gradient_at_zero_matches_torch(torch: Any, fn: Callable[..., Any]) -> None:
    """At the kinks and poles the derivative is a convention: use torch's."""
    compare_with_torch(fn, [np.array([0.0, 1.0, 4.0], dtype=np.float32)])


def test_sigmoid_is_finite_for_large_inputs(torch: Any) -> None:
    compare_with_torch(lambda m, x: m.sigmoid(x), [np.array([-1000.0, 0.0, 1000.0], np.float32)])


def test_flatten_with_start_after_end_is_refused(torch: Any) -> None:
    for m in (tg, torch):
        with pytest.raises(RuntimeError, match="start_dim cannot come after end_dim"):
            m.ones(2, 3).flatten(1, 0)
