"""``Tensor.register_hook`` against torch: when hooks run, in which order, with which gradient,
what a returned tensor replaces, how a handle removes one, and how they meet ``retain_grad``,
``autograd.grad``, in-place changes and ``create_graph``.

Each scenario is written once as ``scenario(m)`` for ``m`` = tinygrad_lr and torch, and
returns what it saw (the hooks' calls and the resulting gradients) as plain lists to compare.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

import tinygrad_lr as tg


def values(t: Any) -> Any:
    return None if t is None else t.detach().numpy().tolist()


def equivalent(a: Any, b: Any) -> bool:
    """Equal structure and equal values, floats to within rounding (NumPy's exp is not torch's
    to the last bit)."""
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        return len(a) == len(b) and all(equivalent(x, y) for x, y in zip(a, b))
    if isinstance(a, float) and isinstance(b, float):
        return bool(np.isclose(a, b, rtol=1e-12, atol=0))
    return type(a) is type(b) and a == b


def same_in_both(torch: Any, scenario: Callable[[Any], Any]) -> Any:
    """Run ``scenario`` in both libraries; what they saw must be equal. Returns torch's."""
    ours, theirs = scenario(tg), scenario(torch)
    assert equivalent(ours, theirs), f"tinygrad_lr saw {ours}\ntorch saw       {theirs}"
    return theirs


def recorder(log: list, name: str, result: Callable[[Any], Any] | None = None) -> Callable:
    """A hook that logs (name, gradient) and returns ``result(gradient)`` (None: no change)."""

    def hook(grad: Any) -> Any:
        log.append((name, values(grad)))
        return None if result is None else result(grad)

    return hook


# ----------------------------------------------------------------------------- order, replacement
def test_several_hooks_run_in_registration_order_each_seeing_the_last_replacement(
    torch: Any,
) -> None:
    def scenario(m: Any) -> Any:
        x = m.tensor([1.0, 2.0], requires_grad=True)
        y = x * 1
        log: list = []
        y.register_hook(recorder(log, "a", lambda g: g + 1))
        y.register_hook(recorder(log, "b"))  # returns None: the gradient goes on unchanged
        y.register_hook(recorder(log, "c", lambda g: g * 2))
        x.register_hook(recorder(log, "leaf"))
        (y * m.tensor([3.0, 5.0])).sum().backward()
        return log, values(x.grad)

    log, grad = same_in_both(torch, scenario)
    assert [name for name, _ in log] == ["a", "b", "c", "leaf"]


def test_replacement_on_a_leaf_changes_its_grad(torch: Any) -> None:
    def scenario(m: Any) -> Any:
        w = m.tensor([1.0, -2.0, 3.0], requires_grad=True)
        other = m.tensor([0.5, 0.5, 0.5], requires_grad=True)
        w.register_hook(lambda g: g * m.tensor([10.0, 0.0, -1.0]))
        (w * w * other).sum().backward()
        return values(w.grad), values(other.grad)

    same_in_both(torch, scenario)


def test_replacement_on_a_non_leaf_changes_what_reaches_its_inputs(torch: Any) -> None:
    def scenario(m: Any) -> Any:
        x = m.tensor([1.0, 2.0], requires_grad=True)
        hidden = x * x
        hidden.register_hook(lambda g: g * 100)
        out = hidden.exp().sum() + x.sum()  # x also gets a gradient around the hook
        out.backward()
        return values(x.grad)

    grad = same_in_both(torch, scenario)
    assert grad[0] > 100  # the replacement did reach x


def test_a_hook_on_the_output_sees_the_seed(torch: Any) -> None:
    def scenario(m: Any) -> Any:
        x = m.tensor([1.0, 2.0], requires_grad=True)
        out = x * 3
        log: list = []
        out.register_hook(recorder(log, "out", lambda g: g * 7))
        out.backward(m.tensor([1.0, -1.0]))
        return log, values(x.grad)

    same_in_both(torch, scenario)


def test_leaf_hooks_see_each_backward_s_contribution_not_the_accumulated_grad(torch: Any) -> None:
    def scenario(m: Any) -> Any:
        x = m.tensor([1.0, 2.0], requires_grad=True)
        log: list = []
        x.register_hook(recorder(log, "x", lambda g: g * 2))
        (x * 3).sum().backward()
        (x * 5).sum().backward()
        return log, values(x.grad)

    same_in_both(torch, scenario)


# ----------------------------------------------------------------------------- removal
def test_handle_remove_takes_the_hook_off(torch: Any) -> None:
    def scenario(m: Any) -> Any:
        x = m.tensor([1.0, 2.0], requires_grad=True)
        y = x * 2
        log: list = []
        first = y.register_hook(recorder(log, "first", lambda g: g * 10))
        y.register_hook(recorder(log, "second"))
        leaf = x.register_hook(recorder(log, "leaf", lambda g: g + 1))
        first.remove()
        first.remove()  # a second remove does nothing
        leaf.remove()
        y.sum().backward()
        return log, values(x.grad)

    log, grad = same_in_both(torch, scenario)
    assert [name for name, _ in log] == ["second"]


def test_removing_a_hook_between_two_backwards(torch: Any) -> None:
    def scenario(m: Any) -> Any:
        x = m.tensor([1.0, 2.0], requires_grad=True)
        y = x * x
        handle = y.register_hook(lambda g: g * 10)
        y.sum().backward(retain_graph=True)
        first = values(x.grad)
        handle.remove()
        y.sum().backward()
        return first, values(x.grad)

    same_in_both(torch, scenario)


# ----------------------------------------------------------------------------- used twice
@pytest.mark.parametrize(
    "use",
    [
        lambda y: y * y + y,
        lambda y: y + y,
        lambda y: y[0] * y[1] + y.sum(),
        lambda y: y.exp().sum() + (y * 2).sum(),
    ],
    ids=["product_and_sum", "added_to_itself", "indexed_twice", "two_branches"],
)
def test_a_tensor_used_twice_gets_one_call_with_the_summed_gradient(
    torch: Any, use: Callable[[Any], Any]
) -> None:
    def scenario(m: Any) -> Any:
        x = m.tensor([1.0, 2.0], dtype=m.float64, requires_grad=True)
        y = x * 2
        log: list = []
        y.register_hook(recorder(log, "y"))
        x.register_hook(recorder(log, "x"))
        use(y).sum().backward()
        return log, values(x.grad)

    log, _ = same_in_both(torch, scenario)
    assert [name for name, _ in log] == ["y", "x"]


def test_a_leaf_used_twice_gets_one_call(torch: Any) -> None:
    def scenario(m: Any) -> Any:
        x = m.tensor([1.0, 2.0], requires_grad=True)
        log: list = []
        x.register_hook(recorder(log, "x", lambda g: g * 3))
        (x * x + x).sum().backward()
        return log, values(x.grad)

    log, _ = same_in_both(torch, scenario)
    assert len(log) == 1


def test_a_tensor_reached_from_two_outputs_gets_one_call(torch: Any) -> None:
    def scenario(m: Any) -> Any:
        x = m.tensor([1.0, 2.0], requires_grad=True)
        y = x * 2
        log: list = []
        y.register_hook(recorder(log, "y"))
        (g,) = m.autograd.grad([(y * 3).sum(), (y * y).sum()], x)
        return log, values(g)

    log, _ = same_in_both(torch, scenario)
    assert len(log) == 1


# ----------------------------------------------------------------------------- retain_grad
@pytest.mark.parametrize(
    "retain_first", [True, False], ids=["retain_then_hook", "hook_then_retain"]
)
def test_retained_grad_is_the_hooked_value_whatever_the_order(
    torch: Any, retain_first: bool
) -> None:
    """torch runs the retain_grad hook after every other hook of the tensor."""

    def scenario(m: Any) -> Any:
        x = m.tensor([1.0, 2.0], requires_grad=True)
        y = x * 2
        if retain_first:
            y.retain_grad()
        y.register_hook(lambda g: g * 10)
        y.register_hook(lambda g: g + 1)
        if not retain_first:
            y.retain_grad()
        (y * 3).sum().backward()
        return values(y.grad), values(x.grad)

    y_grad, _ = same_in_both(torch, scenario)
    assert y_grad == [31.0, 31.0]


def test_retain_grad_on_a_leaf_with_a_hook(torch: Any) -> None:
    def scenario(m: Any) -> Any:
        x = m.tensor([1.0, 2.0], requires_grad=True)
        x.retain_grad()
        x.register_hook(lambda g: g * 10)
        (x * 3).sum().backward()
        return values(x.grad)

    same_in_both(torch, scenario)


# ----------------------------------------------------------------------------- errors
def test_a_hook_on_a_tensor_that_does_not_require_grad_is_refused(torch: Any) -> None:
    for m in (tg, torch):
        with pytest.raises(RuntimeError, match="doesn't require gradient"):
            m.ones(2).register_hook(lambda g: g)
        with m.no_grad():
            y = m.ones(2, requires_grad=True) * 2
        with pytest.raises(RuntimeError, match="doesn't require gradient"):
            y.register_hook(lambda g: g)


def test_a_hook_returning_a_gradient_of_another_shape_is_refused(torch: Any) -> None:
    for m in (tg, torch):
        x = m.tensor([1.0, 2.0], requires_grad=True)
        x.register_hook(lambda g: g.sum())
        with pytest.raises(RuntimeError):
            (x * 3).sum().backward()


def test_a_hook_returning_something_else_than_a_tensor_is_refused(torch: Any) -> None:
    errors = []
    for m in (tg, torch):
        x = m.tensor([1.0, 2.0], requires_grad=True)
        x.register_hook(lambda g: 5)
        with pytest.raises(Exception) as info:  # noqa: B017 -- the type is compared below
            (x * 3).sum().backward()
        errors.append(info.type)
    assert errors[0] is errors[1], f"tinygrad_lr raised {errors[0]}, torch {errors[1]}"


# ----------------------------------------------------------------------------- autograd.grad
def test_hooks_on_intermediates_run_under_autograd_grad(torch: Any) -> None:
    def scenario(m: Any) -> Any:
        x = m.tensor([1.0, 2.0], dtype=m.float64, requires_grad=True)
        hidden = x.exp()
        log: list = []
        hidden.register_hook(recorder(log, "hidden", lambda g: g * 2))
        (g,) = m.autograd.grad((hidden * x).sum(), x)
        return log, values(g), values(x.grad)

    log, _, grad = same_in_both(torch, scenario)
    assert log and grad is None


def test_a_leaf_s_hook_changes_what_autograd_grad_returns(torch: Any) -> None:
    def scenario(m: Any) -> Any:
        x = m.tensor([1.0, 2.0], requires_grad=True)
        log: list = []
        x.register_hook(recorder(log, "x", lambda g: g * 10))
        (g,) = m.autograd.grad((x * 3).sum(), x)
        return log, values(g), values(x.grad)

    same_in_both(torch, scenario)


def test_a_non_leaf_input_of_autograd_grad_with_a_hook(torch: Any) -> None:
    """torch returns the gradient of a non-leaf input as it arrives (before the tensor's hooks),
    while the hooked value is what flows on to the tensors it was computed from."""

    def scenario(m: Any) -> Any:
        x = m.tensor([1.0, 2.0], requires_grad=True)
        y = x * 2
        log: list = []
        y.register_hook(recorder(log, "y", lambda g: g * 10))
        gy, gx = m.autograd.grad((y * 3).sum(), [y, x])
        return log, values(gy), values(gx)

    same_in_both(torch, scenario)


def test_hooks_run_under_backward_with_inputs(torch: Any) -> None:
    def scenario(m: Any) -> Any:
        x = m.tensor([1.0, 2.0], requires_grad=True)
        z = m.tensor([3.0, 4.0], requires_grad=True)
        log: list = []
        x.register_hook(recorder(log, "x", lambda g: g * 10))
        z.register_hook(recorder(log, "z"))
        (x * z).sum().backward(inputs=[x])
        return log, values(x.grad), values(z.grad)

    same_in_both(torch, scenario)


# ----------------------------------------------------------------------- in-place, create_graph
def test_hooks_before_and_after_an_in_place_change(torch: Any) -> None:
    """A hook registered before ``y.mul_(3)`` sees the gradient of y's old value; one registered
    after sees the new value's (torch's rule)."""

    def scenario(m: Any) -> Any:
        x = m.tensor([1.0, 2.0], requires_grad=True)
        y = x * 2
        log: list = []
        y.register_hook(recorder(log, "before"))
        y.mul_(3)
        y.register_hook(recorder(log, "after"))
        (y * y).sum().backward()
        return sorted(log), values(x.grad)

    same_in_both(torch, scenario)


def test_a_hook_s_replacement_is_differentiated_under_create_graph(torch: Any) -> None:
    def scenario(m: Any) -> Any:
        x = m.tensor([1.0, 2.0], dtype=m.float64, requires_grad=True)
        y = x * x
        seen: list = []

        def hook(g: Any) -> Any:
            seen.append(g.requires_grad)
            return g * y  # the replacement depends on x

        y.register_hook(hook)
        (g,) = m.autograd.grad(y.sum(), x, create_graph=True)
        (gg,) = m.autograd.grad(g.sum(), x)
        return seen, values(g), values(gg)

    same_in_both(torch, scenario)


@pytest.mark.filterwarnings("ignore:Using backward\\(\\) with create_graph=True:UserWarning")
def test_a_hook_sees_a_gradient_with_a_graph_under_create_graph(torch: Any) -> None:
    def scenario(m: Any) -> Any:
        x = m.tensor([1.0, 2.0], dtype=m.float64, requires_grad=True)
        y = x**3
        seen: list = []
        y.register_hook(lambda g: seen.append(("y", g.requires_grad, g.grad_fn is not None)))
        x.register_hook(lambda g: seen.append(("x", g.requires_grad, g.grad_fn is not None)))
        (y * y).sum().backward(create_graph=True)
        x.grad = None  # break the cycle backward(create_graph=True) makes, as torch advises
        return seen

    same_in_both(torch, scenario)
