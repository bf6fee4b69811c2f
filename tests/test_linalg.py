"""tinygrad_lr.linalg against torch.linalg: results, named tuples, errors. Values and gradients
of every function over random shapes are in the op table (tests/table_linalg.py)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

import tinygrad_lr as tg


def _both(torch: Any, fn: Any, *arrays: np.ndarray) -> tuple[Any, Any]:
    return fn(tg, *[tg.tensor(a) for a in arrays]), fn(torch, *[torch.tensor(a) for a in arrays])


def test_lstsq_of_a_tall_regression_matches_torch_and_numpy(torch: Any) -> None:
    rng = np.random.default_rng(0)
    X = np.column_stack([np.ones(200), rng.standard_normal((200, 3))])
    y = X @ np.array([[1.0], [2.0], [-3.0], [0.5]]) + 0.1 * rng.standard_normal((200, 1))
    ours, theirs = _both(torch, lambda m, a, b: m.linalg.lstsq(a, b), X, y)
    expected = np.linalg.lstsq(X, y, rcond=None)[0]
    np.testing.assert_allclose(ours.solution.numpy(), theirs.solution.numpy(), rtol=1e-10)
    np.testing.assert_allclose(ours.solution.numpy(), expected, rtol=1e-10)
    assert ours.rank.item() == theirs.rank.item() == 4
    assert ours.residuals.shape == theirs.residuals.shape == (0,)
    assert ours.singular_values.shape == theirs.singular_values.shape == (0,)
    assert type(ours).__name__ == type(theirs).__name__ == "linalg_lstsq"
    solution, residuals, rank, singular_values = ours  # unpacks as torch's does
    vector, _ = _both(torch, lambda m, a, b: m.linalg.lstsq(a, b).solution, X, y[:, 0])
    np.testing.assert_allclose(vector.numpy(), expected[:, 0], rtol=1e-10)


def test_named_tuples_have_torch_s_fields(torch: Any) -> None:
    A = np.array([[3.0, 1.0], [4.0, 2.0], [0.0, 1.0]])
    for name, fields in (("svd", ("U", "S", "Vh")), ("qr", ("Q", "R"))):
        ours, theirs = _both(torch, lambda m, a, n=name: getattr(m.linalg, n)(a), A)
        assert ours._fields == fields and type(ours).__name__ == type(theirs).__name__
        for field, mine, other in zip(fields, ours, theirs):
            assert getattr(theirs, field) is other  # torch's tuple has the same fields, in order
            np.testing.assert_allclose(np.abs(mine.numpy()), np.abs(other.numpy()), atol=1e-12)
    U, S, Vh = tg.linalg.svd(tg.tensor(A), full_matrices=False)
    np.testing.assert_allclose((U * S) @ Vh, A, atol=1e-12)


def test_a_gradient_through_svd_factors_raises_and_through_s_works(torch: Any) -> None:
    A = tg.tensor([[3.0, 1.0], [4.0, 2.0]], dtype=tg.float64, requires_grad=True)
    U, S, Vh = tg.linalg.svd(A)
    S.sum().backward()
    theirs = torch.tensor(A.detach().numpy(), requires_grad=True)
    torch.linalg.svd(theirs)[1].sum().backward()
    np.testing.assert_allclose(A.grad.numpy(), theirs.grad.numpy(), rtol=1e-12)
    with pytest.raises(NotImplementedError, match="svdvals"):
        U.sum().backward()
    with pytest.raises(NotImplementedError, match="detach"):
        tg.linalg.qr(A)


@pytest.mark.parametrize(
    "call",
    [
        lambda m: m.linalg.inv(m.zeros(2, 2)),
        lambda m: m.linalg.solve(m.zeros(2, 2), m.ones(2)),
        lambda m: m.linalg.cholesky(-m.eye(2)),
    ],
)
def test_singular_or_indefinite_matrices_raise_linalg_error(torch: Any, call: Any) -> None:
    with pytest.raises(torch.linalg.LinAlgError):
        call(torch)
    with pytest.raises(tg.linalg.LinAlgError) as error:
        call(tg)
    assert isinstance(error.value, RuntimeError)


@pytest.mark.parametrize(
    "call, match",
    [
        (lambda m: m.linalg.inv(m.ones(2, 2, dtype=m.int64)), "floating point.*Got Long"),
        (lambda m: m.linalg.inv(m.ones(2, 2, dtype=m.float16)), "Low precision.*Half"),
        (lambda m: m.linalg.inv(m.ones(2, 3)), "square matrices, but they are 2 by 3"),
        (lambda m: m.linalg.det(m.ones(3)), "at least 2 dimensions"),
        (lambda m: m.linalg.solve(m.eye(2), m.ones(3)), "Incompatible shapes"),
        (lambda m: m.linalg.solve(m.eye(2), m.ones(2, dtype=m.float64)), "same dtype"),
        (lambda m: m.linalg.lstsq(m.ones(3, 2), m.ones(4, 1)), "size\\(-2\\)"),
        (lambda m: m.linalg.lstsq(m.ones(3, 2), m.ones(3, 1), driver="qr"), "driver"),
        (lambda m: m.linalg.matrix_norm(m.ones(2, 2), 3), "Order 3 not supported"),
        (lambda m: m.linalg.vector_norm(m.ones(2, dtype=m.int64)), "floating point.*Got Long"),
        (lambda m: m.linalg.qr(m.ones(2, 2), mode="x"), "unrecognized mode"),
    ],
)
def test_errors_match_torch(torch: Any, call: Any, match: str) -> None:
    with pytest.raises(RuntimeError, match=match):
        call(torch)
    with pytest.raises(RuntimeError, match=match):
        call(tg)


@pytest.mark.parametrize(
    "fn",
    [
        lambda m, a: m.linalg.vector_norm(a * 0),
        lambda m, a: m.linalg.vector_norm(a * 0, 3, 0),
        lambda m, a: m.norm(a * 0),
    ],
)
def test_the_norm_of_zero_has_gradient_zero_as_in_torch(torch: Any, fn: Any) -> None:
    grads = []
    for m in (tg, torch):
        a = m.tensor([[1.0, 2.0], [3.0, 4.0]], dtype=m.float64, requires_grad=True)
        fn(m, a).sum().backward()
        grads.append(a.grad.numpy())
    np.testing.assert_array_equal(grads[0], grads[1])
    assert not np.isnan(grads[0]).any()


def test_results_match_torch_for_each_order(torch: Any) -> None:
    A = np.array([[[3.0, -1.0], [4.0, 2.0]], [[0.5, 1.0], [-2.0, 1.0]]])
    orders = ["fro", "nuc", 1, -1, 2, -2, float("inf"), float("-inf")]
    for order in orders:
        ours, theirs = _both(torch, lambda m, a, o=order: m.linalg.matrix_norm(a, o), A)
        np.testing.assert_allclose(ours.numpy(), theirs.numpy(), rtol=1e-12, err_msg=str(order))
    for order in [0, 1, 2, 3, 0.5, float("inf"), float("-inf")]:
        ours, theirs = _both(torch, lambda m, a, o=order: m.linalg.vector_norm(a, o, (1, 2)), A)
        np.testing.assert_allclose(ours.numpy(), theirs.numpy(), rtol=1e-12, err_msg=str(order))
    for fn in (
        lambda m, a: m.linalg.det(a),
        lambda m, a: m.linalg.inv(a),
        lambda m, a: m.inverse(a),
        lambda m, a: m.linalg.pinv(a),
        lambda m, a: m.linalg.svdvals(a),
        lambda m, a: a.norm(1, (1, 2), True),
    ):
        ours, theirs = _both(torch, fn, A)
        np.testing.assert_allclose(ours.numpy(), theirs.numpy(), rtol=1e-12, atol=1e-15)
        assert ours.shape == tuple(theirs.shape)


def test_singular_nan_and_near_singular_inputs_agree_with_torch(torch: Any) -> None:
    nan = float("nan")
    cases = [
        (lambda m, a: m.linalg.det(a), [[nan, 1.0], [1.0, 1.0]]),
        (lambda m, a: m.linalg.pinv(a), np.diag([1.0, 1.0, 8e-16])),  # torch's cutoff keeps it
        (lambda m, a: m.linalg.pinv(a), np.outer([1.0, 2, 3], [1.0, 1, 1]) + 1e-6 * np.eye(3)),
    ]
    for fn, data in cases:
        for dtype in ("float64", "float32"):
            ours, theirs = (
                fn(m, m.tensor(np.asarray(data), dtype=getattr(m, dtype))) for m in (tg, torch)
            )
            np.testing.assert_allclose(ours.numpy(), theirs.numpy(), rtol=1e-4, atol=1e-6)


@pytest.mark.parametrize(
    "data",
    [
        np.zeros((3, 3)),
        [[1.0, 2.0], [2.0, 4.0]],
        [[[1.0, 2.0], [2.0, 4.0]], [[2.0, 0.0], [0.0, 3.0]]],
    ],
)
def test_the_gradient_of_det_at_a_singular_matrix_is_its_cofactor_matrix(
    torch: Any, data: Any
) -> None:
    """det is a polynomial: its gradient is the cofactor matrix everywhere, singular or not.
    torch returns 0 at a singular matrix (docs/pytorch.md); its gradient at a matrix 1e-9 away
    is the limit ours must equal."""
    A = tg.tensor(np.asarray(data, dtype=np.float64), requires_grad=True)
    tg.linalg.det(A).sum().backward()
    assert tg.autograd.gradcheck(lambda a: tg.linalg.det(a), (A,))
    near = torch.tensor(np.asarray(data) + 1e-9 * np.eye(np.shape(data)[-1]), requires_grad=True)
    torch.linalg.det(near).sum().backward()
    np.testing.assert_allclose(A.grad.numpy(), near.grad.numpy(), atol=1e-6)


def test_cholesky_s_gradient_is_symmetric_as_torch_s(torch: Any) -> None:
    grads = []
    for m in (tg, torch):
        A = m.tensor([[4.0, 2.0], [2.0, 5.0]], dtype=m.float64, requires_grad=True)
        (
            m.linalg.cholesky(A) * m.tensor([[1.0, 0.0], [2.0, 3.0]], dtype=m.float64)
        ).sum().backward()
        grads.append(A.grad.numpy())
    np.testing.assert_allclose(grads[0], grads[1], rtol=1e-12)


@pytest.mark.parametrize(
    "call",
    [
        lambda m: m.linalg.svdvals(m.tensor([[float("nan"), 1.0], [1.0, 1.0]])),
        lambda m: m.linalg.pinv(m.tensor([[1.0, float("nan")], [2.0, 3.0]])),
        lambda m: m.linalg.cholesky(m.tensor([[float("nan"), 1.0], [1.0, 1.0]])),
        lambda m: m.linalg.cholesky(m.tensor([[float("inf"), 1.0], [1.0, 1.0]])),
    ],
)
def test_non_finite_input_raises_linalg_error_as_in_torch(torch: Any, call: Any) -> None:
    with pytest.raises(torch.linalg.LinAlgError):
        call(torch)
    with pytest.raises(tg.linalg.LinAlgError):
        call(tg)
