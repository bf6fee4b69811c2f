"""The reductions against torch: named tuples, ties, zeros in prod, var/std arguments, errors
and their messages, accuracy on tall float32 and float16 data, and result dtypes."""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np
import pytest

import tinygrad_lr as tg


def same(ours: Any, theirs: Any) -> None:
    np.testing.assert_allclose(ours.detach().numpy(), theirs.detach().numpy(), rtol=1e-6)
    assert ours.dtype.name == str(theirs.dtype).removeprefix("torch.")


def test_max_with_dim_is_a_named_tuple(torch: Any) -> None:
    data = [[1.0, 3.0, 3.0], [2.0, 2.0, 1.0]]
    ours, theirs = tg.tensor(data).max(1), torch.tensor(data).max(1)
    values, indices = ours
    assert type(ours).__name__ == "max" and len(ours) == 2 and ours[0] is values
    same(ours.values, theirs.values)
    same(ours.indices, theirs.indices)
    assert repr(ours) == repr(theirs).replace("torch", "tinygrad_lr", 1)
    mine, its = tg.tensor(data).min(0, keepdim=True), torch.tensor(data).min(0, keepdim=True)
    same(mine.values, its.values)
    same(mine.indices, its.indices)
    same(tg.max(tg.ones(2), tg.zeros(2)), torch.max(torch.ones(2), torch.zeros(2)))


@pytest.mark.parametrize(
    "fn",
    [
        lambda x: x.max(),
        lambda x: x.min(),
        lambda x: x.amax(),
        lambda x: x.amin(0),
        lambda x: x.max(0).values,
        lambda x: x.min(0)[0],
    ],
)
def test_gradients_at_ties_match_torch(torch: Any, fn: Any) -> None:
    for data in ([1.0, 3.0, 3.0], [1.0, 1.0, 3.0]):
        ours, theirs = tg.tensor(data, requires_grad=True), torch.tensor(data, requires_grad=True)
        fn(ours).backward()
        fn(theirs).backward()
        same(ours.grad, theirs.grad)


@pytest.mark.parametrize(
    "data", [[[0.0, 2.0, 3.0], [0.0, 0.0, 1.0], [1.0, 2.0, 4.0]], [[0.0, 2.0, 3.0]]]
)
@pytest.mark.parametrize("dim", [None, 0, 1])
def test_prod_gradient_with_zeros(torch: Any, data: Any, dim: Any) -> None:
    ours, theirs = tg.tensor(data, requires_grad=True), torch.tensor(data, requires_grad=True)
    w = np.random.default_rng(0).standard_normal(
        torch.tensor(data).prod(*(() if dim is None else (dim,))).shape
    )
    args = () if dim is None else (dim,)
    (ours.prod(*args) * tg.tensor(w).float()).sum().backward()
    (theirs.prod(*args) * torch.tensor(w).float()).sum().backward()
    same(ours.grad, theirs.grad)


@pytest.mark.parametrize(
    "call",
    [
        lambda x: x.std(0, True),
        lambda x: x.std(0, False),
        lambda x: x.std(False),
        lambda x: x.std(unbiased=False),
        lambda x: x.var(correction=0),
        lambda x: x.var(correction=2.5),
        lambda x: x.var(0, True, True),
        lambda x: x.var(dim=None, correction=1, keepdim=True),
        lambda x: x.std(correction=3),
        lambda x: x.var(correction=4),
    ],
)
def test_var_std_arguments(torch: Any, call: Any) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        same(call(tg.tensor([1.0, 2.0, 3.0])), call(torch.tensor([1.0, 2.0, 3.0])))
        mine, theirs = (
            tg.var_mean(tg.tensor([1.0, 2.0, 4.0]), 0),
            torch.var_mean(torch.tensor([1.0, 2.0, 4.0]), 0),
        )
        same(mine[0], theirs[0])
        same(mine[1], theirs[1])


def test_var_with_no_degrees_of_freedom_warns() -> None:
    with pytest.warns(UserWarning, match="degrees of freedom is <= 0"):
        assert np.isnan(tg.tensor([1.0]).var().item())


@pytest.mark.parametrize(
    "call",
    [
        lambda m: m.zeros(0).max(),
        lambda m: m.zeros(0).min(),
        lambda m: m.zeros(0).amax(),
        lambda m: m.zeros(0, 3).max(0),
        lambda m: m.zeros(0, 3).amax(0),
        lambda m: m.ones(2, 3).max(2),
        lambda m: m.ones(2, 3).amax((0, 0)),
        lambda m: m.ones(2).max(0, keepdim=1),
        lambda m: m.tensor([1, 2]).var(),
        lambda m: m.ones(2).prod(2),
        lambda m: m.ones(2).cumsum(2),
        lambda m: m.ones(2).logsumexp(2),
        lambda m: m.ones(2).logsumexp(0, keepdim=1),
    ],
)
def test_errors_match_torch(torch: Any, call: Any) -> None:
    with pytest.raises(Exception) as theirs:
        call(torch)
    with pytest.raises(type(theirs.value)) as ours:
        call(tg)
    # torch names the repeated dim; tinygrad_lr's normalize_dims prints the tuple given.
    if "invalid combination" not in str(theirs.value) and "multiple times" not in str(theirs.value):
        assert str(ours.value) == str(theirs.value)


def test_tall_float32_and_float16_sums_are_accurate(torch: Any) -> None:
    column = np.full((4_000_000, 3), 0.1, np.float32)
    same(tg.tensor(column).mean(0), torch.tensor(column).mean(0))
    same(tg.tensor(column).sum(0), torch.tensor(column).sum(0))
    half = np.ones((3000, 3), np.float16)
    same(tg.tensor(half).sum(0), torch.tensor(half).sum(0))
    same(tg.tensor(half).sum(), torch.tensor(half).sum())
    big = np.ones(100_000, np.float16)
    same(tg.tensor(big).mean(), torch.tensor(big).mean())
    same(tg.tensor(half).cumsum(0), torch.tensor(half).cumsum(0))
    b = tg.zeros(3, dtype=tg.float16, requires_grad=True)
    (tg.tensor(half) + b).backward(tg.tensor(half))
    assert b.grad.tolist() == [3000.0] * 3


@pytest.mark.parametrize(
    "call",
    [
        lambda m: m.tensor([1, 2, 3], dtype=m.int32).prod(),
        lambda m: m.tensor([True, True]).prod(),
        lambda m: m.tensor([1.5, 2.0]).prod(dtype=m.int64),
        lambda m: m.tensor([1.0, 2.0]).prod(0, keepdim=True, dtype=m.float64),
        lambda m: m.tensor([1, 2], dtype=m.int32).cumsum(0),
        lambda m: m.tensor([True, True]).cumsum(0),
        lambda m: m.tensor([1.0, 2.0]).cumsum(0, dtype=m.float64),
        lambda m: m.tensor([1, 2]).logsumexp(0),
        lambda m: m.tensor([1, 5, 2]).max(),
        lambda m: m.tensor([1, 5, 2]).amin(),
        lambda m: m.tensor([3.0, 1.0, 1.0]).argmin(),
        lambda m: m.tensor([3.0, 3.0, 1.0]).argmax(),
        lambda m: m.tensor([1.0, float("nan"), 3.0]).max(),
        lambda m: m.tensor([1000.0, 1000.0]).logsumexp(0),
        lambda m: m.tensor([-float("inf"), -float("inf")]).logsumexp(0),
        lambda m: m.tensor([float("inf"), 1.0]).logsumexp(0),
        lambda m: m.zeros(0, 3).logsumexp(0),
        lambda m: m.zeros(0).prod(),
        lambda m: m.tensor(5.0).prod(0),
        lambda m: m.tensor(5.0).cumsum(-1),
        lambda m: m.ones(2, dtype=m.float16).std(),
    ],
)
def test_values_and_dtypes_match_torch(torch: Any, call: Any) -> None:
    ours, theirs = call(tg), call(torch)
    np.testing.assert_allclose(ours.numpy(), theirs.numpy(), rtol=1e-6)
    assert ours.dtype.name == str(theirs.dtype).removeprefix("torch.")
    assert tuple(ours.shape) == tuple(theirs.shape)


@pytest.mark.parametrize(
    "data, call",
    [
        ([2.0, 2.0, 2.0], lambda x: x.std()),
        ([[1.0, 2.0], [1.0, 5.0]], lambda x: x.std(0).sum()),
        ([[3.0], [4.0]], lambda x: x.std(1, correction=0).sum()),
    ],
)
def test_std_of_a_constant_has_gradient_zero_as_in_torch(torch: Any, data: Any, call: Any) -> None:
    grads = []
    for m in (tg, torch):
        x = m.tensor(data, dtype=m.float64, requires_grad=True)
        call(x).backward()
        grads.append(x.grad.numpy())
    assert np.isfinite(grads[0]).all()
    np.testing.assert_allclose(grads[0], grads[1], rtol=1e-12)


def test_float32_cumsum_and_small_int_prod_and_cumsum_keep_torch_s_results(torch: Any) -> None:
    for fn in (
        lambda m: m.cumsum(m.full((10**6,), 0.1), 0)[-1],
        lambda m: m.cumsum(m.full((10**5, 2), 0.1), 0)[-1],
        lambda m: m.prod(m.tensor([100, 2]), dtype=m.int8),
        lambda m: m.cumsum(m.tensor([100, 100]), 0, dtype=m.int8),
    ):
        ours, theirs = fn(tg), fn(torch)
        assert str(ours.dtype).split(".")[-1] == str(theirs.dtype).split(".")[-1]
        np.testing.assert_allclose(ours.numpy(), theirs.numpy(), rtol=1e-6)


@pytest.mark.parametrize(
    "data, fn",
    [
        ([1.0, float("nan"), 3.0], lambda m, x: m.max(x)),
        ([float("nan"), 1.0, float("nan")], lambda m, x: m.min(x)),
        ([[0.0, 1.0, 2.0]], lambda m, x: m.linalg.vector_norm(x, 0.5)),
    ],
)
def test_gradients_at_nan_and_zero_match_torch(torch: Any, data: Any, fn: Any) -> None:
    grads = []
    for m in (tg, torch):
        x = m.tensor(data, dtype=m.float64, requires_grad=True)
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            fn(m, x).backward()
        grads.append(x.grad.numpy())
    np.testing.assert_allclose(grads[0], grads[1], rtol=1e-14)
