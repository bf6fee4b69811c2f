"""Autograd semantics against torch: accumulation, shared nodes, retain_grad, the errors of
backward, freed graphs, deep graphs, memory freed by reference counting, ``autograd.grad``,
user-defined ``Function``s and ``gradcheck`` itself."""

from __future__ import annotations

import gc
import weakref
from collections import namedtuple
from typing import Any

import numpy as np
import pytest
from helpers import compare_with_torch

import tinygrad_lr as tg
from tinygrad_lr.autograd import Function, GradcheckError, gradcheck

# ----------------------------------------------------------------------------- accumulation


def test_gradients_accumulate_over_two_backward_calls(torch: Any) -> None:
    results = {}
    for m in (tg, torch):
        w = m.tensor([1.0, -2.0, 3.0], requires_grad=True)
        (w * w).sum().backward()
        first = w.grad.clone()
        (w * 3).sum().backward()  # a second graph: its gradient adds to the first
        results[m] = (first.tolist(), w.grad.tolist())
    assert results[tg] == results[torch] == ([2.0, -4.0, 6.0], [5.0, -1.0, 9.0])


def test_zeroing_the_gradient_between_steps_restarts_accumulation() -> None:
    w = tg.tensor([1.0, 2.0], requires_grad=True)
    (w * 2).sum().backward()
    w.grad.zero_()
    (w * 5).sum().backward()
    assert w.grad.tolist() == [5.0, 5.0]


def test_a_reused_non_leaf_sums_the_gradients_of_its_uses(torch: Any) -> None:
    # A diamond: a feeds two branches that join again; a's gradient is the sum of both paths.
    def diamond(m: Any, x: Any) -> Any:
        a = x * 2
        left = a.exp()
        right = a * a * 3
        return (left + right).sum() + a.mean()

    compare_with_torch(diamond, [np.array([[0.1, -0.2], [0.3, 0.4]])])
    x = tg.tensor([0.5], dtype=tg.float64, requires_grad=True)
    diamond(tg, x).backward()
    a = 1.0
    assert x.grad.item() == pytest.approx(2 * np.exp(a) + 2 * 6 * a + 2)


def test_a_leaf_used_twice_in_one_op_gets_both_contributions() -> None:
    x = tg.tensor([3.0], requires_grad=True)
    (x * x).backward()
    assert x.grad.item() == 6.0


# ----------------------------------------------------------------------------- non-leaf grads


def test_non_leaf_grad_is_only_kept_after_retain_grad(torch: Any) -> None:
    for m in (tg, torch):
        x = m.tensor([1.0, 2.0], requires_grad=True)
        y = x * 3
        z = x * 4
        z.retain_grad()
        (y * z).sum().backward()
        with pytest.warns(UserWarning, match="not a leaf Tensor"):
            assert y.grad is None
        assert z.grad.tolist() == (x * 3).tolist()  # dz of sum(y * z) is y
        assert z.retains_grad and not y.retains_grad and z.grad.dtype == x.dtype


def test_retain_grad_on_a_tensor_without_grad_is_refused() -> None:
    with pytest.raises(
        RuntimeError, match="can't retain_grad on Tensor that has requires_grad=False"
    ):
        tg.ones(2).retain_grad()


def test_retain_grad_on_a_leaf_changes_nothing() -> None:
    w = tg.ones(2, requires_grad=True)
    w.retain_grad()
    (w * 2).sum().backward()
    assert w.grad.tolist() == [2.0, 2.0] and w.is_leaf


# ----------------------------------------------------------------------------- backward's errors


def test_implicit_gradient_only_for_scalar_outputs(torch: Any) -> None:
    for m in (tg, torch):
        w = m.ones(2, requires_grad=True)
        with pytest.raises(RuntimeError, match="grad can be implicitly created only for scalar"):
            (w * 2).backward()
        (w[:1] * 2).backward()  # one element, shape (1,): allowed
        assert w.grad.tolist() == [2.0, 0.0]


def test_backward_with_an_explicit_gradient(torch: Any) -> None:
    compare_with_torch(lambda m, x: x * x, [np.array([1.0, 2.0, 3.0])])  # random gradient


def test_backward_gradient_shape_mismatch_names_both_shapes() -> None:
    y = tg.ones(2, 3, requires_grad=True) * 2
    with pytest.raises(RuntimeError, match=r"Mismatch in shape.*\(3, 2\).*\(2, 3\)"):
        y.backward(tg.ones(3, 2))


def test_backward_on_a_tensor_that_does_not_require_grad_is_refused(torch: Any) -> None:
    for m in (tg, torch):
        with pytest.raises(RuntimeError, match="element 0 of tensors does not require grad"):
            m.ones(2).sum().backward()


def test_backward_on_a_leaf_fills_its_own_grad(torch: Any) -> None:
    for m in (tg, torch):
        x = m.ones(2, requires_grad=True)
        x.backward(m.tensor([3.0, 4.0]))
        assert x.grad.tolist() == [3.0, 4.0]


def test_second_backward_through_a_freed_graph_is_refused() -> None:
    x = tg.tensor([1.0, 2.0], requires_grad=True)
    loss = (x * x).sum()
    loss.backward()
    with pytest.raises(RuntimeError, match="Trying to backward through the graph a second time"):
        loss.backward()


def test_retain_graph_allows_a_second_backward() -> None:
    x = tg.tensor([1.0, 2.0], requires_grad=True)
    loss = (x * x).exp().sum()
    loss.backward(retain_graph=True)
    first = x.grad.clone()
    loss.backward()
    np.testing.assert_allclose(x.grad.numpy(), 2 * first.numpy())


@pytest.mark.parametrize(
    "fn",
    [
        lambda x: x * x,
        lambda x: x.exp(),
        lambda x: x.sigmoid(),
        lambda x: x**3,
        lambda x: x @ x,
        lambda x: x + 1,
        lambda x: -x,
        lambda x: x.reshape(1, -1),
        lambda x: x.sum(0),
        lambda x: x.mean(),
        lambda x: x[0],
        lambda x: x.t(),
    ],
    ids=[
        "mul",
        "exp",
        "sigmoid",
        "pow",
        "matmul",
        "add",
        "neg",
        "reshape",
        "sum",
        "mean",
        "int_index",
        "t",
    ],
)
def test_second_backward_refused_exactly_when_torch_refuses(torch: Any, fn: Any) -> None:
    """Ops that saved nothing for backward (add, reshape, sum, ...) can run it again, as torch."""
    outcomes = []
    for m in (tg, torch):
        x = m.tensor([1.0, 2.0], requires_grad=True)
        loss = fn(x).sum()
        loss.backward()
        try:
            loss.backward()
            outcomes.append("allowed")
        except RuntimeError as error:
            assert "Trying to backward through the graph a second time" in str(error)
            outcomes.append("refused")
    assert outcomes[0] == outcomes[1]


# ----------------------------------------------------------------------------- depth and memory


def test_a_100000_op_chain_backpropagates() -> None:
    # A recursive topological sort would stop at Python's recursion limit (~1000).
    x = tg.tensor([2.0], requires_grad=True)
    y = x
    for _ in range(100_000):
        y = -y
    y.backward()
    assert x.grad.tolist() == [1.0]
    del y  # freeing the chain must not overflow the stack either


def test_training_loop_with_the_cycle_collector_off_leaves_no_garbage() -> None:
    """Graphs are freed by reference counting alone: nothing is left for the cycle collector."""
    rng = np.random.default_rng(0)
    X = tg.from_numpy(rng.standard_normal((20, 2)).astype(np.float32))
    y = X @ tg.tensor([[2.0], [-3.0]]) + 1.0
    w = tg.zeros(2, 1, requires_grad=True)
    b = tg.zeros(1, requires_grad=True)
    gc.collect()
    gc.disable()
    gc.set_debug(gc.DEBUG_SAVEALL)  # anything the collector finds is kept in gc.garbage
    try:
        graph_refs = []
        for _ in range(20):
            hidden = X @ w
            hidden.retain_grad()  # retain_grad must not make a cycle either
            prediction = hidden + b
            prediction *= 1.0  # a recorded in-place op on a non-leaf
            loss = ((prediction - y) ** 2).mean()
            graph_refs += [weakref.ref(loss.grad_fn), weakref.ref(hidden), weakref.ref(loss)]
            loss.backward()
            with tg.no_grad():
                w -= 0.3 * w.grad
                b -= 0.3 * b.grad
                w.grad.zero_()
                b.grad.zero_()
            del hidden, prediction, loss
            # Freed at once, with the collector off: reference counting did it.
            assert all(ref() is None for ref in graph_refs)
        assert gc.collect() == 0
        assert gc.garbage == []
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
        gc.enable()
    assert abs(b.item() - 1.0) < 0.5  # the loop did train


def test_a_graph_holds_no_reference_to_its_output() -> None:
    x = tg.ones(3, requires_grad=True)
    y = x.exp()
    node = y.grad_fn
    output = weakref.ref(y)
    del y
    assert output() is None  # the node survives (we hold it), its output does not
    assert node.next_functions == (x,)


def test_backward_frees_saved_arrays_but_keeps_the_graph_structure() -> None:
    x = tg.ones(3, requires_grad=True)
    y = x.exp()
    y.sum().backward()
    with pytest.raises(RuntimeError, match="Trying to backward through the graph a second time"):
        _ = y.grad_fn.saved_tensors


# ----------------------------------------------------------------------------- autograd.grad


def test_autograd_grad_returns_gradients_without_touching_grad(torch: Any) -> None:
    results = []
    for m in (tg, torch):
        x = m.tensor([1.0, 2.0], requires_grad=True)
        w = m.tensor([3.0, -1.0], requires_grad=True)
        loss = (x * w * w).sum()
        gx, gw = m.autograd.grad(loss, [x, w])
        assert x.grad is None and w.grad is None
        results.append((gx.tolist(), gw.tolist()))
    assert results[0] == results[1]


def test_autograd_grad_with_grad_outputs_and_a_non_leaf_input(torch: Any) -> None:
    results = []
    for m in (tg, torch):
        x = m.tensor([1.0, 2.0], requires_grad=True)
        hidden = x * 2
        out = hidden * hidden
        (g_hidden,) = m.autograd.grad(out, hidden, grad_outputs=m.tensor([1.0, 10.0]))
        results.append(g_hidden.tolist())
    assert results[0] == results[1] == [4.0, 80.0]


def test_autograd_grad_of_an_input_given_twice(torch: Any) -> None:
    results = []
    for m in (tg, torch):
        x = m.tensor([1.0, 2.0], requires_grad=True)
        hidden = x * 3
        out = (hidden * x).sum()
        grads = m.autograd.grad(out, (x, hidden, x, hidden))
        results.append([g.tolist() for g in grads])
    assert results[0] == results[1]


def test_backward_may_return_a_tuple_subclass() -> None:
    Grads = namedtuple("Grads", "da db")

    class Product(tg.autograd.Function):
        @staticmethod
        def forward(ctx, a, b):  # a * b
            ctx.save_for_backward(a, b)
            return a * b

        @staticmethod
        def backward(ctx, g):  # da = g b, db = g a
            a, b = ctx.saved_tensors
            return Grads(g * b, g * a)

    a, b = tg.tensor([2.0], requires_grad=True), tg.tensor([5.0], requires_grad=True)
    Product.apply(a, b).backward()
    assert (a.grad.item(), b.grad.item()) == (5.0, 2.0)


def test_autograd_grad_unused_input(torch: Any) -> None:
    for m in (tg, torch):
        x = m.ones(2, requires_grad=True)
        unused = m.ones(2, requires_grad=True)
        with pytest.raises(RuntimeError, match="not have been used in the graph"):
            m.autograd.grad((x * 2).sum(), [x, unused], retain_graph=True)
        gx, gu = m.autograd.grad((x * 2).sum(), [x, unused], allow_unused=True)
        assert gx.tolist() == [2.0, 2.0] and gu is None


def test_autograd_grad_non_scalar_without_grad_outputs_is_refused() -> None:
    x = tg.ones(2, requires_grad=True)
    with pytest.raises(RuntimeError, match="grad can be implicitly created only for scalar"):
        tg.autograd.grad(x * 2, x)


# ----------------------------------------------------------------------------- user Functions


class Cube(Function):
    """y = x³;  dy/dx = 3x²."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x**3

    @staticmethod
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        return grad_output * 3 * x**2


class ScaleBy(Function):
    """y = x * s for a tensor s of shape (1,);  ds is returned in x's (broadcast) shape."""

    @staticmethod
    def forward(ctx, x, s, note):
        ctx.save_for_backward(x, s)
        ctx.note = note  # a non-tensor argument: its gradient is None
        return x * s

    @staticmethod
    def backward(ctx, grad_output):
        x, s = ctx.saved_tensors
        dx = grad_output * s if ctx.needs_input_grad[0] else None
        ds = grad_output * x if ctx.needs_input_grad[1] else None  # shape of x, not of s
        return dx, ds, None


def test_user_function_gradient_is_checked_and_matches_torch(torch: Any) -> None:
    x = tg.tensor([1.5, -0.5, 2.0], dtype=tg.float64, requires_grad=True)
    assert gradcheck(Cube.apply, (x,))
    y = Cube.apply(x)
    assert repr(y.grad_fn) == "<CubeBackward0>" and y.requires_grad
    compare_with_torch(lambda m, x: Cube.apply(x) if m is tg else x**3, [np.array([1.0, -2.0])])


def test_user_function_broadcast_gradient_is_summed_to_the_input_shape() -> None:
    x = tg.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
    s = tg.tensor([0.5], requires_grad=True)
    out = ScaleBy.apply(x, s, "any python object")
    out.sum().backward()
    assert s.grad.shape == (1,) and s.grad.item() == 10.0
    assert x.grad.tolist() == [[0.5, 0.5], [0.5, 0.5]]
    xd = tg.tensor([[1.0, 2.0], [3.0, 4.0]], dtype=tg.float64, requires_grad=True)
    sd = tg.tensor([0.5], dtype=tg.float64, requires_grad=True)
    assert gradcheck(lambda a, b: ScaleBy.apply(a, b, None), (xd, sd))


def test_user_function_needs_input_grad_and_no_recording_without_grad() -> None:
    seen = []

    class Spy(Function):
        @staticmethod
        def forward(ctx, a, b):
            seen.append(ctx.needs_input_grad)
            return a + b

        @staticmethod
        def backward(ctx, g):
            return g, g

    w, data = tg.ones(2, requires_grad=True), tg.ones(2)
    assert Spy.apply(w, data).requires_grad
    with tg.no_grad():
        assert not Spy.apply(w, data).requires_grad
    assert seen == [(True, False), (False, False)]


def test_user_function_wrong_number_of_gradients_is_explained() -> None:
    class Bad(Function):
        @staticmethod
        def forward(ctx, a, b):
            return a * b

        @staticmethod
        def backward(ctx, g):
            return g  # one gradient for two arguments

    a, b = tg.ones(2, requires_grad=True), tg.ones(2, requires_grad=True)
    with pytest.raises(RuntimeError, match="returned 1 gradients, but forward took 2 arguments"):
        Bad.apply(a, b).sum().backward()


def test_user_function_gradient_of_a_wrong_shape_is_explained() -> None:
    class Bad(Function):
        @staticmethod
        def forward(ctx, a):
            return a * 2

        @staticmethod
        def backward(ctx, g):
            return g[:1]

    with pytest.raises(RuntimeError, match=r"shape \(1,\) for input 0, which has shape \(3,\)"):
        Bad.apply(tg.ones(3, requires_grad=True)).sum().backward()


# ----------------------------------------------------------------------------- gradcheck


class WrongCube(Function):
    """y = x³ with a deliberately wrong derivative (2x² instead of 3x²)."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x**3

    @staticmethod
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        return grad_output * 2 * x**2


def test_gradcheck_returns_true_for_correct_gradients() -> None:
    a = tg.randn(3, 2, dtype=tg.float64, requires_grad=True)
    b = tg.randn(2, dtype=tg.float64, requires_grad=True)
    assert gradcheck(lambda a, b: (a @ b).tanh(), (a, b)) is True


def test_gradcheck_names_input_element_and_both_values_of_the_worst_mismatch() -> None:
    ok = tg.tensor([1.0, 1.0], dtype=tg.float64, requires_grad=True)
    x = tg.tensor([1.0, 3.0, 2.0], dtype=tg.float64, requires_grad=True)
    with pytest.raises(GradcheckError) as info:
        gradcheck(lambda ok, x: ok.sum() + WrongCube.apply(x).sum(), (ok, x))
    message = str(info.value)
    # The worst element is x[1] = 3: numerical 27, analytical 18.
    assert "input 1" in message and "element (1,)" in message
    assert "numerical: 27.0000000" in message and "analytical: 18.0\n" in message
    assert not gradcheck(WrongCube.apply, (x,), raise_exception=False)


@pytest.mark.filterwarnings("ignore::RuntimeWarning")  # NumPy warns about sqrt(-1e-6)
def test_gradcheck_never_accepts_nan_gradients() -> None:
    class NanGrad(Function):
        @staticmethod
        def forward(ctx, x):
            return x * 2

        @staticmethod
        def backward(ctx, g):
            return g * np.nan

    x = tg.tensor([0.5, 1.0], dtype=tg.float64, requires_grad=True)
    with pytest.raises(GradcheckError, match="analytical: nan"):
        gradcheck(NanGrad.apply, (x,))
    # At 0, sqrt's numerical derivative is nan (sqrt(-eps)) and its analytical one inf.
    at_zero = tg.tensor([0.0, 1.0], dtype=tg.float64, requires_grad=True)
    with pytest.raises(GradcheckError, match=r"element \(0,\):\nnumerical: nan"):
        gradcheck(lambda x: x.sqrt(), (at_zero,))


def test_gradcheck_refuses_float32_inputs() -> None:
    x = tg.ones(2, requires_grad=True)
    with pytest.raises(TypeError, match=r"input 0 is tinygrad_lr\.float32.*float64"):
        gradcheck(lambda x: x * 2, (x,))


def test_gradcheck_accepts_non_contiguous_and_empty_inputs() -> None:
    transposed = tg.from_numpy(np.arange(6.0).reshape(2, 3).T).requires_grad_()
    assert gradcheck(lambda x: (x * x).sum(0), (transposed,))
    empty = tg.zeros(0, 3, dtype=tg.float64, requires_grad=True)
    assert gradcheck(lambda x: x * 2, (empty,))
    # A wrong gradient on a non-contiguous input must still be caught.
    with pytest.raises(GradcheckError):
        gradcheck(WrongCube.apply, (transposed.detach().requires_grad_(),))


def test_gradcheck_leaves_its_inputs_unchanged() -> None:
    x = tg.tensor([0.1, 0.2], dtype=tg.float64, requires_grad=True)
    gradcheck(lambda x: x.exp(), (x,))
    assert x.tolist() == [0.1, 0.2] and x.grad is None


def test_accumulating_into_a_grad_of_another_shape_says_why(torch):
    """After w.data takes another shape, the next backward cannot add into the old .grad:
    torch raises a RuntimeError; here the message also says how to go on."""
    for library in (torch, tg):
        w = library.ones(2, requires_grad=True)
        (w * 3).sum().backward()
        w.data = library.ones(3)
        with pytest.raises(RuntimeError):
            (w * 3).sum().backward()
    with pytest.raises(RuntimeError, match=r"changed shape since its last backward; set .grad"):
        (w * 3).sum().backward()
    w.grad = None
    (w * 3).sum().backward()
    assert w.grad.tolist() == [3.0, 3.0, 3.0]
