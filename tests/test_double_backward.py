"""Second derivatives: every differentiable op differentiated twice, against torch and against
finite differences, then the parts of the mechanism (``create_graph``, ``gradgradcheck`` itself,
third derivatives, ``once_differentiable``, user Functions).

The ops are those of the table in tests/test_tensor_ops.py (every operator, Tensor method and
module function, with its shapes and value domains), and the ones that table leaves out: the
in-place updates, ``nn.functional``'s linear and losses, ``expand``, ``sum_to_size`` and
``sign``. Each is checked two ways:

(a) against torch, in float64: the loss is the op's output weighted by a random tensor ``W``,
    ``g = grad(loss, inputs, create_graph=True)``, ``s = sum_i <g_i, v_i>`` for random ``v_i``,
    and ``grad(s, (*inputs, W))`` must be torch's. The part with respect to the inputs is the
    derivative of the op's derivative; the part with respect to ``W`` checks that backward is
    differentiable in the gradient it receives, which is all the double backward a linear op
    (reshape, sum, indexing ...) has. A gradient that is None counts as zeros, on both sides:
    torch itself gives None for some ops whose second derivative is zero and zeros for others.
(b) ``gradgradcheck``: the first derivative's own derivatives (with respect to the inputs and
    to the output's gradient) against central finite differences.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import array_shapes
from test_tensor_ops import (
    OPS,
    Op,
    arrays_for,
    broadcast_pair,
    matrix,
    nonscalar,
    rank3,
    rows3,
    same_pair,
)

import tinygrad_lr as tg

# The ``torch`` fixture is just the module: nothing in it needs resetting between examples.
FEW = settings(
    max_examples=3,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
CREATE_GRAPH_WARNING = "ignore:Using backward\\(\\) with create_graph=True:UserWarning"

# ----------------------------------------------------------------------------- more ops
# Shapes: a tensor with at least three rows and one of its rows (which broadcasts onto a slice).
rows3_and_row = rows3.map(lambda s: (s[0], s[0][1:]))
rows3_and_same = rows3.map(lambda s: (s[0], s[0]))


@st.composite
def linear_shapes(draw: Any, bias: bool = True, vector_weight: bool = False) -> tuple:
    """input (..., k) or (k,), weight (o, k) or (k,), bias (o,) or ()."""
    k, o = draw(st.integers(1, 3)), draw(st.integers(1, 3))
    batch = draw(st.sampled_from([(), (1,), (3,), (2, 2)]))
    weight = (k,) if vector_weight else (o, k)
    shapes = ((*batch, k), weight)
    return (*shapes, weight[:-1]) if bias else shapes


def _expand(m: Any, a: Any) -> Any:
    # A new leading dimension, each size-1 dimension widened, the others kept with -1.
    return a.expand(2, *[3 if size == 1 else -1 for size in a.shape])


def _sum_to_size(m: Any, a: Any) -> Any:
    # rank 3 -> (1, last): the leading dimension dropped and the middle one summed to 1.
    return a.sum_to_size(1, a.shape[-1]) * a.sum_to_size((a.shape[0], 1, 1))


def _slice_mul_(m: Any, a: Any, b: Any) -> Any:
    y = a * 1
    y[0:2].mul_(b)  # an in-place change of a view of a non-leaf (CopySlices)
    return y * a


def _setitem_tensor(m: Any, a: Any, b: Any) -> Any:
    y = a * 2
    y[0] = b * b  # IndexPut, the value requiring grad
    return y * a


def _setitem_list(m: Any, a: Any, b: Any) -> Any:
    y = a.clone()
    y[[0, 2]] = b.exp()  # advanced-index assignment, broadcast over the two rows
    return y * y


def _setitem_number(m: Any, a: Any) -> Any:
    y = a * a
    y[1] = 0.5  # what was there gets no gradient
    return y * a


def _fill_slice(m: Any, a: Any) -> Any:
    y = a * a
    y[0].fill_(2.0)
    return y * a


def _copy_(m: Any, a: Any, b: Any) -> Any:
    y = a * a
    y.copy_(b.tanh())  # broadcast from one row to all of them
    return y * a


def _view_add_(m: Any, a: Any, b: Any) -> Any:
    y = a.clone()
    y.view(-1).add_(b.reshape(-1) ** 2)  # through a view: the base changes
    return y * a


def _augmented(m: Any, a: Any, b: Any) -> Any:
    y = a * b
    y += a
    y *= b
    y -= a * a
    y /= b * b + 1
    return y


EXTRA_OPS = [
    Op("expand", _expand),
    Op("expand_then_mul", lambda m, a: _expand(m, a) * _expand(m, a)),
    Op("sum_to_size", _sum_to_size, rank3),
    Op("sum_to_size_same", lambda m, a: a.sum_to_size(a.shape) * a, nonscalar),
    Op("sign", lambda m, a: a.sign(), domains=("nonzero",)),
    Op("sign_times_square", lambda m, a: a.sign() * a.square(), domains=("nonzero",)),
    Op("F.linear", lambda m, x, w, b: m.nn.functional.linear(x, w, b), linear_shapes()),
    Op("F.linear_no_bias", lambda m, x, w: m.nn.functional.linear(x, w), linear_shapes(False)),
    Op(
        "F.linear_vector_weight",
        lambda m, x, w: m.nn.functional.linear(x, w),
        linear_shapes(bias=False, vector_weight=True),
    ),
    Op("F.linear_squared", lambda m, x, w, b: m.nn.functional.linear(x, w, b) ** 2,
       linear_shapes()),
    Op("F.mse_loss", lambda m, a, b: m.nn.functional.mse_loss(a, b), same_pair, ("any", "any")),
    Op(
        "F.mse_loss_sum",
        lambda m, a, b: m.nn.functional.mse_loss(a, b, reduction="sum"),
        same_pair,
        ("any", "any"),
    ),
    Op(
        "F.mse_loss_none",
        lambda m, a, b: m.nn.functional.mse_loss(a, b, reduction="none"),
        same_pair,
        ("any", "any"),
    ),
    # |a + b| with a, b in [0.5, 2]: away from the kink of l1.
    Op(
        "F.l1_loss",
        lambda m, a, b: m.nn.functional.l1_loss(a, -b),
        same_pair,
        ("positive", "positive"),
    ),
    Op(
        "F.l1_loss_none_squared",
        lambda m, a, b: m.nn.functional.l1_loss(a * a, -b, reduction="none"),
        same_pair,
        ("any", "positive"),
    ),
    Op("F.relu", lambda m, a: m.nn.functional.relu(a) * a, domains=("nonzero",)),
    Op("F.sigmoid", lambda m, a: m.nn.functional.sigmoid(a)),
    Op("F.tanh", lambda m, a: m.nn.functional.tanh(a)),
    Op("slice_mul_", _slice_mul_, rows3_and_row, ("any", "any")),
    Op("setitem_tensor", _setitem_tensor, rows3_and_row, ("any", "any")),
    Op("setitem_list", _setitem_list, rows3_and_row, ("any", "any")),
    Op("setitem_number", _setitem_number, rows3),
    Op("fill_slice", _fill_slice, rows3),
    Op("copy_", _copy_, rows3_and_row, ("any", "any")),
    Op("view_add_", _view_add_, rows3_and_same, ("any", "any")),
    Op("augmented_assignments", _augmented, broadcast_pair, ("any", "positive")),
    # Compositions whose second derivatives mix the ops.
    Op("exp_of_square", lambda m, a: (a * a).exp()),
    Op("log_of_sigmoid", lambda m, a: a.sigmoid().log()),
    Op("sqrt_of_sum", lambda m, a: (a * a + 1).sum(-1).sqrt(), nonscalar),
    Op("tanh_matmul", lambda m, a, b: (a @ b.t()).tanh(), matrix.map(lambda s: (s[0], s[0]))),
]  # fmt: skip

ALL_OPS = OPS + EXTRA_OPS
# Ops whose entry says why their second derivative is not checked are left out of both checks.
SECOND_ORDER_OPS = [op for op in ALL_OPS if op.second_order]


def test_extra_table_has_unique_names_not_in_the_first_table() -> None:
    names = [op.name for op in ALL_OPS]
    assert len(names) == len(set(names))


# ----------------------------------------------------------------------------- (a) vs torch
def second_derivatives(m: Any, fn: Callable[..., Any], arrays: list[np.ndarray], seed: int) -> Any:
    """``(output, first derivatives, second derivatives)`` as NumPy arrays (None: no gradient);
    the second ones are with respect to the inputs, then to the output's weights."""
    rng = np.random.default_rng(seed)
    inputs = [m.tensor(a.copy(), requires_grad=True) for a in arrays]
    out = fn(m, *inputs)
    weights = m.tensor(rng.standard_normal(tuple(out.shape)), requires_grad=True)
    loss = (out * weights).sum()
    first = m.autograd.grad(loss, inputs, create_graph=True, allow_unused=True)
    directions = [m.tensor(rng.standard_normal(a.shape)) for a in arrays]
    terms = [(g * v).sum() for g, v in zip(first, directions) if g is not None]
    assert terms, "no input got a first derivative"
    s = terms[0]
    for term in terms[1:]:
        s = s + term
    if s.requires_grad:
        second = m.autograd.grad(s, [*inputs, weights], allow_unused=True)
    else:  # torch's sign: a zero first derivative, depending on nothing
        second = [None] * (len(inputs) + 1)
    for x, g in zip([*inputs, weights], second):
        assert g is None or g.dtype == x.dtype, f"{m.__name__}: gradient dtype {g.dtype}"

    def arrays_of(tensors: Any) -> list[Any]:
        # torch may give a ZeroTensor, whose .numpy() needs force=True.
        force = {"force": True} if m.__name__ == "torch" else {}
        return [None if t is None else t.detach().numpy(**force) for t in tensors]

    return out.detach().numpy(), arrays_of(first), arrays_of(second)


def assert_same(ours: Any, theirs: Any, shape: tuple, what: str, rtol: float) -> None:
    """Equal values, where None stands for zeros of ``shape``."""
    ours = np.zeros(shape) if ours is None else ours
    theirs = np.zeros(shape) if theirs is None else theirs
    assert ours.shape == theirs.shape == shape, f"{what}: shapes {ours.shape} vs {theirs.shape}"
    scale = max(1.0, float(np.max(np.abs(theirs), initial=0.0)))
    np.testing.assert_allclose(ours, theirs, rtol=rtol, atol=rtol * 1e-2 * scale, err_msg=what)


@pytest.mark.parametrize("op", SECOND_ORDER_OPS, ids=repr)
@FEW
@given(data=st.data())
def test_second_derivatives_match_torch(torch: Any, op: Op, data: st.DataObject) -> None:
    shapes = data.draw(op.shapes, label="shapes")
    seed = data.draw(st.integers(0, 2**32 - 1), label="seed")
    arrays = arrays_for(op, shapes, seed)
    # Through float32 (the cast ops) every value is rounded to about 1e-7.
    rtol = 1e-5 if op.gradcheck_kwargs else 1e-8
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a NumPy RuntimeWarning (overflow, 0/0) is a failure
        out, first, second = second_derivatives(tg, op.fn, arrays, seed)
    out_t, first_t, second_t = second_derivatives(torch, op.fn, arrays, seed)
    assert out.shape == out_t.shape
    for k, a in enumerate(arrays):
        assert_same(first[k], first_t[k], a.shape, f"first derivative of input {k}", rtol)
    for k, shape in enumerate([a.shape for a in arrays] + [out.shape]):
        what = f"second derivative, {'the weights' if k == len(arrays) else f'input {k}'}"
        assert_same(second[k], second_t[k], shape, what, rtol)


# ----------------------------------------------------------------------------- (b) gradgradcheck
def _in_float64(fn: Callable[..., Any]) -> Callable[..., Any]:
    """``fn`` with a float32 result (the cast ops) cast back, so that the output's gradient,
    an input of the check, is float64 too."""

    def wrapped(*xs: Any) -> Any:
        out = fn(tg, *xs)
        return out.double() if out.dtype is not tg.float64 else out

    return wrapped


@pytest.mark.parametrize("op", SECOND_ORDER_OPS, ids=repr)
@FEW
@given(data=st.data())
def test_gradgradcheck(op: Op, data: st.DataObject) -> None:
    shapes = data.draw(op.shapes, label="shapes")
    arrays = arrays_for(op, shapes, data.draw(st.integers(0, 2**32 - 1), label="seed"))
    inputs = [tg.tensor(a, requires_grad=True) for a in arrays]
    assert tg.autograd.gradgradcheck(_in_float64(op.fn), inputs, **op.gradcheck_kwargs)


@pytest.mark.parametrize("exponent", [0, 1, 2, 3, 0.5, -1, 1.5, 2.5])
def test_gradgradcheck_of_powers(exponent: float) -> None:
    x = tg.tensor([0.5, 1.3, 2.0], dtype=tg.float64, requires_grad=True)
    assert tg.autograd.gradgradcheck(lambda x: x**exponent, (x,))
    assert tg.autograd.gradgradcheck(lambda x: tg.pow(x * x, exponent), (x,))


def test_gradgradcheck_with_given_output_gradients() -> None:
    a = tg.randn(2, 3, dtype=tg.float64, requires_grad=True)
    b = tg.randn(3, dtype=tg.float64, requires_grad=True)
    seed = tg.randn(2, dtype=tg.float64, requires_grad=True)
    assert tg.autograd.gradgradcheck(lambda a, b: (a @ b).tanh(), (a, b), (seed,))
    assert tg.autograd.gradgradcheck(lambda a, b: (a @ b).tanh(), (a, b), seed)
    assert a.grad is None and b.grad is None and seed.grad is None


# ----------------------------------------------------------------------------- create_graph
@pytest.mark.filterwarnings(CREATE_GRAPH_WARNING)
def test_backward_with_create_graph_gives_a_differentiable_grad(torch: Any) -> None:
    results = []
    for m in (tg, torch):
        x = m.tensor([0.5, -1.0, 2.0], dtype=m.float64, requires_grad=True)
        w = m.tensor([1.5, 0.5, -2.0], dtype=m.float64, requires_grad=True)
        ((x**3) * w).sum().backward(create_graph=True)
        assert x.grad.grad_fn is not None and x.grad.requires_grad and not x.grad.is_leaf
        first = [x.grad.tolist(), w.grad.tolist()]
        gx, gw = m.autograd.grad((x.grad * x.grad).sum(), (x, w))  # d/dx of (3x²w)²
        results.append([*first, gx.tolist(), gw.tolist()])
    np.testing.assert_allclose(np.array(results[0]), np.array(results[1]), rtol=1e-12)


@pytest.mark.filterwarnings(CREATE_GRAPH_WARNING)
def test_backward_with_create_graph_accumulates_into_a_graph(torch: Any) -> None:
    """A second backward with create_graph adds to .grad; the sum is differentiable."""
    results = []
    for m in (tg, torch):
        x = m.tensor([0.5, 2.0], dtype=m.float64, requires_grad=True)
        (x**3).sum().backward(create_graph=True)
        (x.exp()).sum().backward(create_graph=True)
        (gx,) = m.autograd.grad(x.grad.sum(), x)  # 6x + e^x
        results.append((x.grad.tolist(), gx.tolist()))
    np.testing.assert_allclose(np.array(results[0]), np.array(results[1]), rtol=1e-12)


def test_backward_without_create_graph_gives_a_plain_grad(torch: Any) -> None:
    for m in (tg, torch):
        x = m.tensor([0.5, 2.0], requires_grad=True)
        (x**3).sum().backward()
        assert x.grad.grad_fn is None and not x.grad.requires_grad


def test_grad_without_create_graph_records_nothing(torch: Any) -> None:
    for m in (tg, torch):
        x = m.tensor([0.5, 2.0], requires_grad=True)
        (g,) = m.autograd.grad((x**3).sum(), x)
        assert g.grad_fn is None and not g.requires_grad


@pytest.mark.parametrize("order", [1, 2, 3, 4])
def test_derivatives_of_a_polynomial_up_to_the_fourth(torch: Any, order: int) -> None:
    """p(x) = x³ + 2x²: p' = 3x² + 4x, p'' = 6x + 4, p''' = 6, p'''' = 0."""
    values = np.array([-1.5, 0.0, 0.5, 2.0])
    expected = {
        1: 3 * values**2 + 4 * values,
        2: 6 * values + 4,
        3: np.full_like(values, 6.0),
        4: np.zeros_like(values),
    }[order]
    results = []
    for m in (tg, torch):
        x = m.tensor(values, requires_grad=True)
        y = (x**3 + 2 * x * x).sum()
        for _ in range(order):
            if not y.requires_grad:  # a constant: every further derivative is zero
                y = m.zeros_like(x)
                break
            (y,) = m.autograd.grad(y.sum(), x, create_graph=True, allow_unused=True)
            if y is None:
                y = m.zeros_like(x)
                break
        results.append(y.detach().numpy())
    np.testing.assert_allclose(results[0], expected, rtol=1e-12)
    np.testing.assert_allclose(results[1], expected, rtol=1e-12)


def test_third_derivative_of_a_cube_is_six(torch: Any) -> None:
    for m in (tg, torch):
        x = m.tensor([-2.0, 0.5, 3.0], dtype=m.float64, requires_grad=True)
        (g1,) = m.autograd.grad((x**3).sum(), x, create_graph=True)
        (g2,) = m.autograd.grad(g1.sum(), x, create_graph=True)
        (g3,) = m.autograd.grad(g2.sum(), x)
        np.testing.assert_allclose(g1.detach().numpy(), 3 * x.detach().numpy() ** 2)
        np.testing.assert_allclose(g2.detach().numpy(), 6 * x.detach().numpy())
        np.testing.assert_allclose(g3.numpy(), 6.0)


def test_second_derivative_of_the_tutorial_loss_through_backward_and_grad(torch: Any) -> None:
    """d/dw of ||∇_w L||² for the squared loss, every way of asking for it agreeing with torch."""
    rng = np.random.default_rng(3)
    X, y, w0 = rng.standard_normal((6, 2)), rng.standard_normal((6, 1)), rng.standard_normal((2, 1))
    results = []
    for m in (tg, torch):
        w = m.tensor(w0, requires_grad=True)
        b = m.zeros(1, dtype=m.float64, requires_grad=True)
        loss = ((m.tensor(X) @ w + b - m.tensor(y)) ** 2).mean()
        gw, gb = m.autograd.grad(loss, (w, b), create_graph=True)
        penalty = (gw * gw).sum() + (gb * gb).sum()
        results.append([g.numpy() for g in m.autograd.grad(penalty, (w, b))])
    for ours, theirs in zip(*results):
        np.testing.assert_allclose(ours, theirs, rtol=1e-12)


def test_retain_graph_defaults_to_create_graph(torch: Any) -> None:
    """grad(..., create_graph=True) keeps the graph: the same loss can be differentiated again."""
    for m in (tg, torch):
        x = m.tensor([1.0, 2.0], requires_grad=True)
        loss = (x.exp() * x).sum()
        (g,) = m.autograd.grad(loss, x, create_graph=True)
        (again,) = m.autograd.grad(loss, x)
        assert g.tolist() == again.tolist()


# ----------------------------------------------------------------------------- user Functions
def square_function(m: Any, mistake: str | None = None, numpy_backward: bool = False) -> Any:
    """x² as a user Function of module ``m``. ``mistake``: backward's value is right but its
    own derivative wrong, by treating x ('detach_input') or the incoming gradient
    ('detach_grad') as a constant."""

    class Square(m.autograd.Function):
        @staticmethod
        def forward(ctx, x):  # NumPy arrays in tinygrad_lr, tensors in torch: x * x in both
            ctx.save_for_backward(x)
            return x * x

        @staticmethod
        def backward(ctx, g):
            (x,) = ctx.saved_tensors
            if numpy_backward:
                return m.from_numpy(2 * x.detach().numpy() * g.detach().numpy())
            if mistake == "detach_input":
                return g * x.detach() * 2
            if mistake == "detach_grad":
                return g.detach() * x * 2
            return g * x * 2

    return Square


@pytest.mark.parametrize("mistake", ["detach_input", "detach_grad"])
def test_gradgradcheck_catches_a_wrong_derivative_of_a_right_backward(
    torch: Any, mistake: str
) -> None:
    x = tg.tensor([0.5, -1.5, 2.0], dtype=tg.float64, requires_grad=True)
    Square = square_function(tg, mistake)
    assert tg.autograd.gradcheck(Square.apply, (x,))  # the first derivative is right
    with pytest.raises(RuntimeError):
        tg.autograd.gradgradcheck(Square.apply, (x,))
    assert tg.autograd.gradgradcheck(Square.apply, (x,), raise_exception=False) is False
    assert tg.autograd.gradgradcheck(square_function(tg).apply, (x,)) is True
    # torch's verdict on the same Function is the same.
    xt = torch.tensor([0.5, -1.5, 2.0], dtype=torch.float64, requires_grad=True)
    SquareT = square_function(torch, mistake)
    assert torch.autograd.gradcheck(SquareT.apply, (xt,))
    assert not torch.autograd.gradgradcheck(SquareT.apply, (xt,), raise_exception=False)


def test_gradgradcheck_error_is_a_gradcheck_error() -> None:
    x = tg.tensor([0.5, 2.0], dtype=tg.float64, requires_grad=True)
    with pytest.raises(tg.autograd.GradcheckError):
        tg.autograd.gradgradcheck(square_function(tg, "detach_input").apply, (x,))


def test_a_user_function_with_tensor_backward_has_torchs_second_derivatives(torch: Any) -> None:
    results = []
    for m in (tg, torch):
        x = m.tensor([0.5, -1.5, 2.0], dtype=m.float64, requires_grad=True)
        y = square_function(m).apply(x)
        (g,) = m.autograd.grad((y * y.exp()).sum(), x, create_graph=True)
        (gg,) = m.autograd.grad((g * g).sum(), x)
        results.append((g.detach().numpy(), gg.numpy()))
    for ours, theirs in zip(*results):
        np.testing.assert_allclose(ours, theirs, rtol=1e-12)


def once_differentiable_square(m: Any) -> Any:
    class Square(m.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x * x

        @staticmethod
        @m.autograd.function.once_differentiable
        def backward(ctx, g):
            (x,) = ctx.saved_tensors
            return m.from_numpy(2 * x.detach().numpy() * g.numpy())

    return Square


def test_once_differentiable_gives_first_derivatives(torch: Any) -> None:
    results = []
    for m in (tg, torch):
        x = m.tensor([0.5, -1.5, 2.0], dtype=m.float64, requires_grad=True)
        y = once_differentiable_square(m).apply(x)
        (y * m.tensor([1.0, 2.0, 3.0], dtype=m.float64)).sum().backward()
        (g,) = m.autograd.grad((once_differentiable_square(m).apply(x) ** 2).sum(), x)
        results.append((x.grad.tolist(), g.tolist()))
    assert results[0] == results[1]


def test_once_differentiable_refuses_a_second_derivative_as_torch(torch: Any) -> None:
    for m in (tg, torch):
        x = m.tensor([0.5, -1.5, 2.0], dtype=m.float64, requires_grad=True)
        y = once_differentiable_square(m).apply(x)
        # The gradient reaching Square's backward (2y) itself requires grad: its result must
        # carry an error, not a graph that silently leaves Square out.
        (g,) = m.autograd.grad((y * y).sum(), x, create_graph=True)
        np.testing.assert_allclose(g.detach().numpy(), 4 * x.detach().numpy() ** 3)
        with pytest.raises(RuntimeError, match="once_differentiable"):
            g.sum().backward()
        # Asked for the derivative with respect to x alone, torch finds that x is not reached.
        with pytest.raises(RuntimeError):
            m.autograd.grad(g.sum(), x)


def test_once_differentiable_is_refused_by_gradgradcheck() -> None:
    x = tg.tensor([0.5, 2.0], dtype=tg.float64, requires_grad=True)
    Square = once_differentiable_square(tg)
    assert tg.autograd.gradcheck(Square.apply, (x,))
    with pytest.raises(RuntimeError):
        tg.autograd.gradgradcheck(lambda x: Square.apply(x) * x, (x,))


def test_backward_returning_numpy_arrays_gives_first_derivatives() -> None:
    x0, seed = np.array([0.5, -1.5, 2.0]), np.array([1.0, -2.0, 0.25])
    Square = square_function(tg, numpy_backward=True)

    class NumpySquare(tg.autograd.Function):  # backward returns a bare NumPy array
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x * x

        @staticmethod
        def backward(ctx, g):
            (x,) = ctx.saved_tensors
            return 2 * x.detach().numpy() * g.detach().numpy()

    for function in (Square, NumpySquare):
        x = tg.tensor(x0, requires_grad=True)
        function.apply(x).backward(tg.tensor(seed))
        np.testing.assert_allclose(x.grad.numpy(), 2 * x0 * seed, rtol=1e-15)
        (g,) = tg.autograd.grad((function.apply(x) * tg.tensor(seed)).sum(), x)
        np.testing.assert_allclose(g.numpy(), 2 * x0 * seed, rtol=1e-15)
        assert tg.autograd.gradcheck(function.apply, (x,))


def test_backward_returning_numpy_arrays_refuses_to_be_differentiated_again() -> None:
    """Recorded backward cannot see through NumPy: a second derivative must fail loudly, not
    come out silently as zero."""

    class NumpySquare(tg.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x * x

        @staticmethod
        def backward(ctx, g):
            (x,) = ctx.saved_tensors
            return 2 * x.detach().numpy() * g.detach().numpy()

    x = tg.tensor([0.5, -1.5, 2.0], dtype=tg.float64, requires_grad=True)
    y = NumpySquare.apply(x)
    (g,) = tg.autograd.grad((y * y).sum(), x, create_graph=True)
    np.testing.assert_allclose(g.detach().numpy(), 4 * x.detach().numpy() ** 3)
    with pytest.raises(RuntimeError):
        tg.autograd.grad(g.sum(), x)


# ----------------------------------------------------------------------------- shapes drawn
@settings(
    max_examples=20,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    shape=array_shapes(min_dims=0, max_dims=3, min_side=1, max_side=3),
    seed=st.integers(0, 2**16),
)
def test_hessian_vector_products_of_a_composite_match_torch(
    torch: Any, shape: tuple, seed: int
) -> None:
    """Several ops in one expression, broadcast against a row: Hv by double backward."""
    rng = np.random.default_rng(seed)
    x0, v0 = rng.standard_normal(shape), rng.standard_normal(shape)
    r0 = rng.standard_normal(shape[-1:])
    results = []
    for m in (tg, torch):
        x, r = m.tensor(x0, requires_grad=True), m.tensor(r0, requires_grad=True)
        f = ((x * r).tanh() ** 2 + (x - r).sigmoid() * x.exp() / (r * r + 1)).mean()
        gx, gr = m.autograd.grad(f, (x, r), create_graph=True)
        hv = m.autograd.grad((gx * m.tensor(v0)).sum() + gr.sum(), (x, r))
        results.append([t.numpy() for t in (gx.detach(), gr.detach(), *hv)])
    for ours, theirs in zip(*results):
        np.testing.assert_allclose(ours, theirs, rtol=1e-10, atol=1e-12)
