"""In-place operations: torch's rules for when they are allowed, recorded or refused."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
from helpers import compare_with_torch

import tinygrad_lr as tg

LEAF_MESSAGE = "a leaf Variable that requires grad is being used in an in-place operation"

# Each in-place update, written once for tinygrad_lr and torch: (m, tensor) -> None.
UPDATES: dict[str, Callable[[Any, Any], Any]] = {
    "-=": lambda m, t: t.__isub__(m.tensor([1.0, 2.0])),
    "+=": lambda m, t: t.__iadd__(0.5),
    "*=": lambda m, t: t.__imul__(m.tensor([2.0, -1.0])),
    "/=": lambda m, t: t.__itruediv__(4),
    "zero_": lambda m, t: t.zero_(),
    "fill_": lambda m, t: t.fill_(7.0),
    "add_": lambda m, t: t.add_(m.tensor([1.0, 1.0])),
    "add_alpha": lambda m, t: t.add_(m.tensor([1.0, 2.0]), alpha=-0.5),
    "sub_": lambda m, t: t.sub_(3),
    "sub_alpha": lambda m, t: t.sub_(m.tensor([1.0, 2.0]), alpha=2),
    "mul_": lambda m, t: t.mul_(3),
    "div_": lambda m, t: t.div_(m.tensor([2.0, 4.0])),
    "copy_": lambda m, t: t.copy_(m.tensor([5.0, 6.0])),
    "copy_broadcast": lambda m, t: t.copy_(m.tensor(9.0)),
}


@pytest.mark.parametrize("name", UPDATES)
def test_update_under_no_grad_changes_the_tensor_itself(torch: Any, name: str) -> None:
    values = []
    for m in (tg, torch):
        w = m.tensor([3.0, 4.0], requires_grad=True)
        original = w
        with m.no_grad():
            UPDATES[name](m, w)
        assert w is original and w.is_leaf and w.requires_grad and w.grad_fn is None
        values.append(w.tolist())
    assert values[0] == values[1]


@pytest.mark.parametrize("name", UPDATES)
def test_update_of_a_leaf_that_requires_grad_is_refused_outside_no_grad(
    torch: Any, name: str
) -> None:
    for m in (tg, torch):
        w = m.tensor([3.0, 4.0], requires_grad=True)
        with pytest.raises(RuntimeError, match=LEAF_MESSAGE):
            UPDATES[name](m, w)
        assert w.tolist() == [3.0, 4.0]  # nothing changed


@pytest.mark.parametrize("name", UPDATES)
def test_update_of_a_non_leaf_is_recorded_with_torchs_gradients(torch: Any, name: str) -> None:
    def fn(m: Any, x: Any) -> Any:
        y = x * x  # a non-leaf
        UPDATES[name](m, y)
        return y * x

    compare_with_torch(fn, [np.array([1.5, -2.0])])
    x = tg.tensor([1.5, -2.0], requires_grad=True)
    y = x * x
    node = y.grad_fn
    UPDATES[name](tg, y)
    assert y.grad_fn is not node and y.requires_grad and not y.is_leaf


def test_copy_from_a_tensor_that_requires_grad_is_recorded(torch: Any) -> None:
    results = []
    for m in (tg, torch):
        src = m.tensor([1.0, 2.0, 3.0], requires_grad=True)
        buffer = m.zeros(2, 3)  # requires no grad: after copy_ it does
        buffer.copy_(src)
        assert buffer.requires_grad and not buffer.is_leaf
        (buffer * m.tensor([[1.0], [2.0]])).sum().backward()
        results.append(src.grad.tolist())
    assert results[0] == results[1] == [3.0, 3.0, 3.0]


def test_adding_a_tensor_that_requires_grad_into_a_plain_tensor_is_recorded() -> None:
    w = tg.tensor([1.0, 2.0], requires_grad=True)
    total = tg.zeros(2)
    total += w * 3
    assert total.requires_grad and not total.is_leaf
    total.sum().backward()
    assert w.grad.tolist() == [3.0, 3.0]


@pytest.mark.parametrize("name", ["*=", "zero_", "copy_"])
def test_retained_grad_follows_a_recorded_update(torch: Any, name: str) -> None:
    """After y.retain_grad(); y *= 3, y.grad is the gradient of y's new value, as in torch."""
    results = []
    for m in (tg, torch):
        x = m.tensor([1.0, 2.0], requires_grad=True)
        y = x * 2
        y.retain_grad()
        UPDATES[name](m, y)
        (y * m.tensor([5.0, 7.0])).sum().backward()
        results.append((y.retains_grad, y.grad.tolist(), x.grad.tolist()))
    assert results[0] == results[1]


def test_recorded_update_keeps_the_dtype() -> None:
    x = tg.ones(2, requires_grad=True)
    y = x * 2
    y += tg.ones(2, dtype=tg.float64)
    assert y.dtype is tg.float32
    y.sum().backward()
    assert x.grad.dtype is tg.float32 and x.grad.tolist() == [2.0, 2.0]


def test_tutorial_sgd_inside_a_function_updates_the_callers_tensors() -> None:
    def sgd(params: list[tg.Tensor], lr: float, batch_size: int) -> None:
        with tg.no_grad():
            for param in params:
                param -= lr * param.grad / batch_size
                param.grad.zero_()

    w = tg.tensor([[1.0], [2.0]], requires_grad=True)
    b = tg.zeros(1, requires_grad=True)
    caller_w, caller_b = w, b
    (w.sum() * 4 + b * 2).sum().backward()
    sgd([w, b], lr=0.5, batch_size=2)
    assert caller_w is w and caller_b is b
    assert w.tolist() == [[0.0], [1.0]] and b.tolist() == [-0.5]
    assert w.grad.tolist() == [[0.0], [0.0]] and b.grad.tolist() == [0.0]


def test_grad_zero_is_allowed_outside_no_grad() -> None:
    w = tg.ones(2, requires_grad=True)
    (w * 2).sum().backward()
    w.grad.zero_()  # the gradient itself requires no grad
    assert w.grad.tolist() == [0.0, 0.0]


@pytest.mark.parametrize("update", ["+=", "-=", "*=", "/=", "add_", "mul_"])
def test_int_tensor_updated_with_a_float_is_refused(torch: Any, update: str) -> None:
    apply = {
        "+=": lambda t: t.__iadd__(1.5),
        "-=": lambda t: t.__isub__(0.5),
        "*=": lambda t: t.__imul__(2.5),
        "/=": lambda t: t.__itruediv__(2),  # int / int is a float: refused too
        "add_": lambda t: t.add_(0.5),
        "mul_": lambda t: t.mul_(1.5),
    }[update]
    for m in (tg, torch):
        counts = m.tensor([1, 2])
        with pytest.raises(
            RuntimeError, match="result type .* can't be cast to the desired output"
        ):
            apply(counts)
        assert counts.tolist() == [1, 2]


def test_int_tensor_updated_with_an_int_stays_int() -> None:
    counts = tg.tensor([1, 2])
    counts += 3
    counts *= 2
    assert counts.dtype is tg.int64 and counts.tolist() == [8, 10]


@pytest.mark.parametrize("grad_mode", [True, False])
def test_update_that_would_change_the_shape_is_refused(torch: Any, grad_mode: bool) -> None:
    for m in (tg, torch):
        x = m.ones(2, requires_grad=True) * 1 if grad_mode else m.ones(2)
        with pytest.raises(
            RuntimeError,
            match=r"output with shape \[2\] doesn't match the broadcast shape \[3, 2\]",
        ):
            x += m.ones(3, 2)
        assert x.shape == (2,)


def test_update_with_shapes_that_do_not_broadcast_names_both() -> None:
    for x in (tg.ones(2), tg.ones(2, requires_grad=True) * 1):
        with pytest.raises(RuntimeError, match=r"\(2,\) and \(3,\)"):
            x += tg.ones(3)


def test_copy_of_a_wrong_shape_is_refused() -> None:
    with pytest.raises(RuntimeError, match=r"copy_.*shape \(3,\).*shape \(2,\)"):
        tg.zeros(2).copy_(tg.ones(3))


def test_fill_with_a_tensor_of_several_elements_is_refused(torch: Any) -> None:
    for m in (tg, torch):
        with pytest.raises(RuntimeError, match="fill_ only supports 0-dimension value tensor"):
            m.zeros(2).fill_(m.ones(2))
        assert m.zeros(2).fill_(m.tensor(3.0)).tolist() == [3.0, 3.0]


def test_update_of_read_only_memory_is_refused() -> None:
    frozen = np.ones(3, dtype=np.float32)
    frozen.flags.writeable = False
    for update in (lambda t: t.add_(1), lambda t: t.zero_(), lambda t: t.mul_(2.0)):
        with pytest.raises(RuntimeError, match="read-only") as refused:
            update(tg.from_numpy(frozen))
        # Our message alone: not NumPy's "output array is read-only" chained before it.
        assert refused.value.__context__ is None


def test_data_is_the_same_memory_outside_the_graph(torch: Any) -> None:
    for m in (tg, torch):
        m.manual_seed(0)
        w = m.zeros(2, 1, requires_grad=True)
        w.data.normal_(0, 0.01)  # the tutorials' initialisation
        assert w.is_leaf and w.requires_grad and w.grad_fn is None
        assert 0 < w.detach().abs().sum().item() < 0.1
        assert not w.data.requires_grad
        (w * 2).sum().backward()
        before = w.detach().clone()
        w.data -= 0.5 * w.grad  # an update without no_grad
        assert w.tolist() == (before - 1.0).tolist()
        w.data = m.ones(2, 1)  # replace the values outright
        assert w.tolist() == [[1.0], [1.0]] and w.requires_grad and w.is_leaf


def test_detach_shares_memory() -> None:
    w = tg.ones(2, requires_grad=True)
    w.detach().zero_()
    assert w.tolist() == [0.0, 0.0]


def test_random_fills_on_a_leaf_need_no_grad() -> None:
    w = tg.zeros(3, requires_grad=True)
    with pytest.raises(RuntimeError, match=LEAF_MESSAGE):
        w.normal_()
    with tg.no_grad():
        w.normal_(0, 1)
        w.uniform_(-1, 1)
    values = w.detach().numpy()
    assert np.all(np.abs(values) <= 1) and len(set(values.tolist())) == 3


def test_index_assignment_under_no_grad() -> None:
    w = tg.zeros(3, requires_grad=True)
    with pytest.raises(RuntimeError, match=LEAF_MESSAGE):
        w[0] = 1.0
    with tg.no_grad():
        w[0] = 1.0
        w[tg.tensor([1, 2])] = tg.tensor([2.0, 3.0])
    assert w.tolist() == [1.0, 2.0, 3.0]
