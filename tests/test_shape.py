"""Shape ops beyond the op table: values, shapes and errors compared with torch."""

from __future__ import annotations

import numpy as np
import pytest

import tinygrad_lr as tg

torch = pytest.importorskip("torch")  # every test here compares with torch

X = np.arange(12.0).reshape(3, 4)


def both(fn):
    """fn's result with tinygrad_lr and with torch, as NumPy arrays (tuples element-wise)."""
    ours, theirs = fn(tg, tg.tensor(X)), fn(torch, torch.tensor(X))
    if isinstance(theirs, tuple):
        assert len(ours) == len(theirs)
        return [o.numpy() for o in ours], [t.numpy() for t in theirs]
    return [ours.numpy()], [theirs.numpy()]


@pytest.mark.parametrize(
    "fn",
    [
        lambda m, x: x.split(3, 1),
        lambda m, x: x.split([1, 0, 3], 1),
        lambda m, x: m.chunk(x, 3, 1),
        lambda m, x: m.chunk(x, 2, 0),
        lambda m, x: x.narrow(1, -2, 2),
        lambda m, x: x.repeat(2, 1, 3),
        lambda m, x: m.diag(x, -2),
        lambda m, x: m.diag(x[0], 1),
        lambda m, x: x.movedim(1, 0),
        lambda m, x: m.index_select(x, 0, m.tensor([2, 2, 0], dtype=m.int32)),
        lambda m, x: x.gather(0, m.tensor([[2, 1], [0, 0]])),
        lambda m, x: x.masked_fill(m.tensor([True, False, True, False]), m.tensor(-1.0)),
        lambda m, x: m.einsum("ij,ij->ij", x, x.int()),
    ],
)
def test_values_and_shapes_match_torch(fn):
    ours, theirs = both(fn)
    for o, t in zip(ours, theirs):
        assert o.shape == t.shape and o.dtype == t.dtype
        np.testing.assert_array_equal(o, t)


@pytest.mark.parametrize(
    "fn",
    [
        lambda m, x: x.gather(0, m.tensor([[0]], dtype=m.float32)),
        lambda m, x: x.gather(2, m.tensor([[0]])),
        lambda m, x: x.gather(1, m.tensor([[9]])),
        lambda m, x: x.index_select(0, m.tensor([[0]])),
        lambda m, x: x.index_select(0, m.tensor([7])),
        lambda m, x: x.masked_fill(x, 0.0),
        lambda m, x: x.repeat(2),
        lambda m, x: x[0].tril(),
        lambda m, x: m.diag(x.reshape(1, 3, 4)),
        lambda m, x: m.outer(x, x),
        lambda m, x: x.narrow(1, 2, 3),
        lambda m, x: x.split([1, 1], 1),
        lambda m, x: x.chunk(0),
        lambda m, x: x.movedim(0, 5),
        lambda m, x: x.movedim((0, 1), (0,)),
        lambda m, x: x.movedim((0, 0), (0, 1)),
        lambda m, x: x.flip(3),
        lambda m, x: m.einsum("ij,jk->ik", x, x),
        lambda m, x: m.einsum("ijk->i", x),
        lambda m, x: m.einsum("ij->k", x),
    ],
)
def test_errors_match_torch(fn):
    with pytest.raises(Exception) as theirs:
        fn(torch, torch.tensor(X))
    with pytest.raises(type(theirs.value)):
        fn(tg, tg.tensor(X))


def test_split_pieces_are_views_whose_gradients_land_in_place():
    x = tg.tensor(X, requires_grad=True)
    first, second = x.split([1, 2])
    (first.sum() + 2 * second.sum()).backward()
    np.testing.assert_array_equal(x.grad.numpy(), [[1] * 4, [2] * 4, [2] * 4])


def test_masked_fill_in_place_keeps_gradient_of_the_unfilled_elements():
    x = tg.tensor(X, requires_grad=True)
    y = x * 1
    y.masked_fill_(y > 5, 0.0)
    y.sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), (X <= 5).astype(float))
    np.testing.assert_array_equal(y.detach().numpy(), np.where(X > 5, 0, X))
