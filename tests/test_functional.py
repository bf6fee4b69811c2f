"""``autograd.functional``: jacobian, hessian, vjp, jvp, hvp and vhp against torch's.

On the tutorial's loss (the mean squared error of X @ w + b against y, as a function of
(w, b)), whose Hessian is known in closed form, 2 AᵀA / n with A = [X, 1]; on random programs
of the differentiable ops (the programs of tests/test_fuzz.py); and for the rules around them:
the tuple structure of the results (a tensor in gives a tensor out, a tuple a tuple), what
``create_graph`` and ``strict`` change, and the errors torch raises.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_fuzz import Program, apply_step, programs

import tinygrad_lr as tg

NAMES = ["jacobian", "hessian", "vjp", "jvp", "hvp", "vhp"]
SETTINGS = settings(
    max_examples=20,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def functional(m: Any) -> Any:
    return m.autograd.functional


def tree(value: Any, tensor_type: type) -> Any:
    """The structure of a result: nested tuples of ('tensor', shape, dtype name)."""
    if type(value) is tuple:
        return tuple(tree(v, tensor_type) for v in value)
    assert isinstance(value, tensor_type), f"expected a tensor or a tuple, got {type(value)}"
    return ("tensor", tuple(value.shape), str(value.dtype).rpartition(".")[2])


def flat(value: Any) -> list[Any]:
    if type(value) is tuple:
        return [t for v in value for t in flat(v)]
    return [value]


def assert_same_result(ours: Any, theirs: Any, torch: Any, rtol: float = 1e-9) -> None:
    """Same structure (tuples, shapes, dtypes) and the same values."""
    assert tree(ours, tg.Tensor) == tree(theirs, torch.Tensor)
    for k, (a, b) in enumerate(zip(flat(ours), flat(theirs))):
        a, b = a.detach().numpy(), b.detach().numpy()
        scale = max(1.0, float(np.max(np.abs(b), initial=0.0)))
        np.testing.assert_allclose(a, b, rtol=rtol, atol=rtol * 1e-2 * scale, err_msg=f"part {k}")


def as_tensors(m: Any, arrays: Any, requires_grad: bool = False) -> Any:
    """Arrays -> tensors, keeping the structure: an array gives a tensor, a tuple a tuple."""
    if arrays is None:
        return None
    if isinstance(arrays, tuple):
        return tuple(m.tensor(a, requires_grad=requires_grad) for a in arrays)
    return m.tensor(arrays, requires_grad=requires_grad)


def call(m: Any, name: str, func: Callable[..., Any], inputs: Any, v: Any = None, **kw: Any) -> Any:
    """``name`` of module ``m`` on NumPy ``inputs`` (an array or a tuple of them)."""
    args = [func, as_tensors(m, inputs)]
    if name not in ("jacobian", "hessian"):
        args.append(as_tensors(m, v))
    return getattr(functional(m), name)(*args, **kw)


# ----------------------------------------------------------------------------- the tutorial
def tutorial_data(seed: int, n: int = 8, d: int = 2) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, d))
    y = X @ rng.standard_normal((d, 1)) + 0.5 + 0.1 * rng.standard_normal((n, 1))
    return {"X": X, "y": y, "w": rng.standard_normal((d, 1)), "b": rng.standard_normal(1)}


def tutorial_loss(m: Any, data: dict[str, np.ndarray], use_mse_loss: bool = False) -> Any:
    X, y = m.tensor(data["X"]), m.tensor(data["y"])
    if use_mse_loss:
        return lambda w, b: m.nn.functional.mse_loss(X @ w + b, y)
    return lambda w, b: ((X @ w + b - y) ** 2).mean()


def tutorial_vectors(name: str, data: dict[str, np.ndarray], seed: int) -> Any:
    """v for each function: the shape of the output (vjp) or of the inputs (the others)."""
    rng = np.random.default_rng(seed + 1)
    if name == "vjp":
        return np.array(rng.standard_normal())  # the loss is a 0-d tensor
    return (rng.standard_normal(data["w"].shape), rng.standard_normal(data["b"].shape))


@pytest.mark.parametrize("use_mse_loss", [False, True], ids=["written_out", "F.mse_loss"])
@pytest.mark.parametrize("name", NAMES)
def test_tutorial_loss_matches_torch(torch: Any, name: str, use_mse_loss: bool) -> None:
    data = tutorial_data(0)
    v = tutorial_vectors(name, data, 0)
    inputs = (data["w"], data["b"])
    ours = call(tg, name, tutorial_loss(tg, data, use_mse_loss), inputs, v)
    theirs = call(torch, name, tutorial_loss(torch, data, use_mse_loss), inputs, v)
    assert_same_result(ours, theirs, torch)


@pytest.mark.parametrize("name", NAMES)
def test_tutorial_loss_of_the_weights_alone_matches_torch(torch: Any, name: str) -> None:
    """A tensor as input, not a tuple: the results are tensors, not tuples."""
    data = tutorial_data(1, n=5, d=3)
    v = tutorial_vectors(name, data, 1)
    v = v if name == "vjp" else v[0]
    results = []
    for m in (tg, torch):
        loss = tutorial_loss(m, data)
        b = m.tensor(data["b"])
        results.append(call(m, name, lambda w, loss=loss, b=b: loss(w, b), data["w"], v))
    assert_same_result(*results, torch)


@pytest.mark.parametrize("n, d", [(1, 1), (5, 1), (8, 2), (20, 4)])
@pytest.mark.parametrize("use_mse_loss", [False, True], ids=["written_out", "F.mse_loss"])
def test_hessian_of_the_squared_loss_is_2_AtA_over_n(n: int, d: int, use_mse_loss: bool) -> None:
    data = tutorial_data(n * 10 + d, n=n, d=d)
    hessian = tg.autograd.functional.hessian(
        tutorial_loss(tg, data, use_mse_loss), (tg.tensor(data["w"]), tg.tensor(data["b"]))
    )
    (ww, wb), (bw, bb) = hessian
    assert tuple(ww.shape) == (d, 1, d, 1) and tuple(wb.shape) == (d, 1, 1)
    assert tuple(bw.shape) == (1, d, 1) and tuple(bb.shape) == (1, 1)
    blocks = np.block(
        [
            [ww.numpy().reshape(d, d), wb.numpy().reshape(d, 1)],
            [bw.numpy().reshape(1, d), bb.numpy().reshape(1, 1)],
        ]
    )
    A = np.hstack([data["X"], np.ones((n, 1))])  # the bias is the weight of a column of ones
    np.testing.assert_allclose(blocks, 2 * A.T @ A / n, rtol=1e-12, atol=1e-14)
    # It does not depend on where it is taken: the loss is quadratic.
    elsewhere = tg.autograd.functional.hessian(
        tutorial_loss(tg, data, use_mse_loss),
        (tg.zeros(d, 1, dtype=tg.float64), tg.full((1,), 3.0, dtype=tg.float64)),
    )
    np.testing.assert_allclose(elsewhere[0][0].numpy(), ww.numpy(), rtol=1e-12, atol=1e-14)


def test_gradient_step_with_the_hessian_solves_least_squares() -> None:
    """One Newton step w -= H⁻¹ ∇L from anywhere lands on the least-squares solution."""
    data = tutorial_data(7, n=12, d=3)
    loss = tutorial_loss(tg, data)
    w, b = tg.tensor(data["w"]), tg.tensor(data["b"])
    (gw, gb) = tg.autograd.functional.jacobian(loss, (w, b))
    (ww, wb), (bw, bb) = tg.autograd.functional.hessian(loss, (w, b))
    H = np.block(
        [
            [ww.numpy().reshape(3, 3), wb.numpy().reshape(3, 1)],
            [bw.numpy().reshape(1, 3), bb.numpy()],
        ]
    )
    theta = np.concatenate([data["w"].ravel(), data["b"]])
    theta -= np.linalg.solve(H, np.concatenate([gw.numpy().ravel(), gb.numpy()]))
    A = np.hstack([data["X"], np.ones((12, 1))])
    expected = np.linalg.lstsq(A, data["y"].ravel(), rcond=None)[0]
    np.testing.assert_allclose(theta, expected, rtol=1e-9, atol=1e-12)


# ----------------------------------------------------------------------------- structure
def _pair_out(a: Any) -> Any:
    return (a * a, a.sum())


# (name, func, inputs, v): inputs and v are arrays or tuples of arrays.
X3 = np.array([0.5, -1.0, 2.0])
Y2 = np.array([[1.5, -0.5]])
SCALAR = np.array(0.75)
STRUCTURE_CASES = {
    "jacobian tensor->tensor": ("jacobian", lambda a: a.exp() * a, X3, None),
    "jacobian tensor->tuple": ("jacobian", _pair_out, X3, None),
    "jacobian tuple->tensor": ("jacobian", lambda a, b: a * b.sum(), (X3, Y2), None),
    "jacobian tuple->tuple": ("jacobian", lambda a, b: (a * b.sum(), b.T * a[0]), (X3, Y2), None),
    "jacobian 1-tuple": ("jacobian", lambda a: a.tanh(), (X3,), None),
    "jacobian 1-tuple out": ("jacobian", lambda a: (a.tanh(),), X3, None),
    "jacobian 0-d": ("jacobian", lambda a: a**3, SCALAR, None),
    "jacobian 0-d to vector": (
        "jacobian",
        lambda a: a * X3.tolist()[0] + a.reshape(1),
        SCALAR,
        None,
    ),
    "hessian tensor": ("hessian", lambda a: (a.exp() * a).sum(), X3, None),
    "hessian matrix": ("hessian", lambda b: (b**3).sum(), Y2, None),
    "hessian tuple": ("hessian", lambda a, b: (a * a).sum() * (b**3).mean(), (X3, Y2), None),
    "hessian 1-tuple": ("hessian", lambda a: (a**4).sum(), (X3,), None),
    "hessian 0-d": ("hessian", lambda a: a**4, SCALAR, None),
    "vjp tensor": ("vjp", lambda a: a.exp() * a, X3, X3 * 2),
    "vjp scalar out, no v": ("vjp", lambda a: (a**3).sum(), X3, None),
    "vjp tuple in": ("vjp", lambda a, b: a * b.sum(), (X3, Y2), X3),
    "vjp tuple out": ("vjp", _pair_out, X3, (X3, SCALAR)),
    "jvp tensor": ("jvp", lambda a: a.exp() * a, X3, X3 * 2),
    "jvp 0-d in, no v": ("jvp", lambda a: a * a, SCALAR, None),
    "jvp tuple in": ("jvp", lambda a, b: a * b.sum(), (X3, Y2), (X3, Y2)),
    "jvp tuple out": ("jvp", _pair_out, X3, X3),
    "hvp tensor": ("hvp", lambda a: (a.exp() * a).sum(), X3, X3 * 2),
    "hvp tuple": ("hvp", lambda a, b: (a * a).sum() * (b**3).mean(), (X3, Y2), (X3, Y2)),
    "hvp 0-d in, no v": ("hvp", lambda a: a**4, SCALAR, None),
    "vhp tensor": ("vhp", lambda a: (a.exp() * a).sum(), X3, X3 * 2),
    "vhp tuple": ("vhp", lambda a, b: (a * a).sum() * (b**3).mean(), (X3, Y2), (X3, Y2)),
    "vhp 1-tuple": ("vhp", lambda a: (a**4).sum(), (X3,), (X3,)),
}


@pytest.mark.parametrize("case", STRUCTURE_CASES)
def test_structure_and_values_match_torch(torch: Any, case: str) -> None:
    name, func, inputs, v = STRUCTURE_CASES[case]
    ours = call(tg, name, func, inputs, v)
    theirs = call(torch, name, func, inputs, v)
    assert_same_result(ours, theirs, torch)
    for part in flat(ours):  # without create_graph, nothing is differentiable
        assert not part.requires_grad and part.grad_fn is None


@pytest.mark.parametrize("case", STRUCTURE_CASES)
def test_inputs_are_left_alone(case: str) -> None:
    name, func, inputs, v = STRUCTURE_CASES[case]
    tensors = as_tensors(tg, inputs, requires_grad=True)
    before = [t.tolist() for t in flat(tensors)]
    args = [func, tensors] + ([] if name in ("jacobian", "hessian") else [as_tensors(tg, v)])
    getattr(tg.autograd.functional, name)(*args)
    assert [t.tolist() for t in flat(tensors)] == before
    assert all(t.grad is None and t.is_leaf for t in flat(tensors))


@pytest.mark.parametrize("name", NAMES)
def test_inputs_that_do_not_require_grad_work(torch: Any, name: str) -> None:
    """The usual call: plain tensors in, and an unused input gets zeros (strict=False)."""
    func = {
        "jacobian": lambda a, b: a * 3,
        "vjp": lambda a, b: a * 3,
        "jvp": lambda a, b: a * 3,
    }.get(name, lambda a, b: (a * a).sum())
    v = X3 if name == "vjp" else (X3, Y2)
    assert_same_result(
        call(tg, name, func, (X3, Y2), v), call(torch, name, func, (X3, Y2), v), torch
    )


# ----------------------------------------------------------------------------- create_graph
CREATE_GRAPH_CASES = {
    "jacobian": lambda a, b: (a.exp() * b.sum(), (a * a).sum()),
    "hessian": lambda a, b: (a**3).sum() * b.sum().tanh(),
    "vjp": lambda a, b: (a.exp() * b.sum(), (a * a).sum()),
    "jvp": lambda a, b: (a.exp() * b.sum(), (a * a).sum()),
    "hvp": lambda a, b: (a**3).sum() * b.sum().tanh(),
    "vhp": lambda a, b: (a**3).sum() * b.sum().tanh(),
}
CREATE_GRAPH_V = {"vjp": (X3, SCALAR)}


@pytest.mark.parametrize("name", NAMES)
def test_create_graph_gives_results_differentiable_in_the_inputs(torch: Any, name: str) -> None:
    func = CREATE_GRAPH_CASES[name]
    v = CREATE_GRAPH_V.get(name, (X3 * 2, Y2 - 1))
    results, derivatives = [], []
    for m in (tg, torch):
        inputs = as_tensors(m, (X3, Y2), requires_grad=True)
        args = [func, inputs] + ([] if name in ("jacobian", "hessian") else [as_tensors(m, v)])
        result = getattr(functional(m), name)(*args, create_graph=True)
        parts = flat(result)
        assert any(p.requires_grad for p in parts)
        rng = np.random.default_rng(0)
        total = sum((p * m.tensor(rng.standard_normal(tuple(p.shape)))).sum() for p in parts)
        derivatives.append(m.autograd.grad(total, inputs, allow_unused=True))
        results.append(result)
    assert_same_result(*results, torch)
    for ours, theirs in zip(*derivatives):
        if theirs is None:
            assert ours is None or not ours.detach().numpy().any()
        else:
            np.testing.assert_allclose(ours.numpy(), theirs.numpy(), rtol=1e-9, atol=1e-12)


def test_third_derivative_through_a_differentiable_hessian(torch: Any) -> None:
    results = []
    for m in (tg, torch):
        x = m.tensor(X3, requires_grad=True)
        H = functional(m).hessian(
            lambda a: (a**4).sum() + (a[0] * a[1] * a[2]), x, create_graph=True
        )
        (third,) = m.autograd.grad((H * m.tensor(np.arange(9.0).reshape(3, 3))).sum(), x)
        results.append((H.detach().numpy(), third.numpy()))
    for ours, theirs in zip(*results):
        np.testing.assert_allclose(ours, theirs, rtol=1e-12)


# ----------------------------------------------------------------------------- strict and errors
def assert_same_error(torch: Any, run: Callable[[Any], Any]) -> Exception:
    """``run(m)`` fails with the same exception type in both libraries; returns ours."""
    errors = []
    for m in (tg, torch):
        try:
            run(m)
        except Exception as error:  # noqa: BLE001 -- the type is what is compared
            errors.append(error)
        else:
            errors.append(None)
    ours, theirs = errors
    assert theirs is not None, "torch accepted this call: the case is wrong"
    assert ours is not None, f"tinygrad_lr accepted what torch refuses with {theirs!r}"
    assert type(ours) is type(theirs) or isinstance(ours, type(theirs)), (
        f"tinygrad_lr raised {type(ours).__name__}: {ours}\n"
        f"torch raised {type(theirs).__name__}: {theirs}"
    )
    return ours


# (name, func, inputs, v, keyword arguments): refused with strict=True, as torch does.
STRICT_CASES = {
    "jacobian, an unused input": ("jacobian", lambda a, b: a * 2, (X3, Y2), None, {}),
    "jacobian, a constant output": (
        "jacobian",
        lambda a: a.detach() * 0 + 1,
        X3,
        None,
        {},
    ),
    "jacobian, linear with create_graph": (
        "jacobian",
        lambda a: a * 2,
        X3,
        None,
        {"create_graph": True},
    ),
    "hessian, linear": ("hessian", lambda a: (a * 2).sum(), X3, None, {}),
    "hessian, an unused input": ("hessian", lambda a, b: (a * a).sum(), (X3, Y2), None, {}),
    "vjp, an unused input": ("vjp", lambda a, b: a * 2, (X3, Y2), X3, {}),
    "jvp, an unused input": ("jvp", lambda a, b: a * 2, (X3, Y2), (X3, Y2), {}),
    "hvp, linear": ("hvp", lambda a, b: (a * 2).sum() + (b * b).sum(), (X3, Y2), (X3, Y2), {}),
    "vhp, an unused input": ("vhp", lambda a, b: (a * a).sum(), (X3, Y2), (X3, Y2), {}),
}


@pytest.mark.parametrize("case", STRICT_CASES)
def test_strict_refuses_independent_outputs_as_torch(torch: Any, case: str) -> None:
    name, func, inputs, v, kwargs = STRICT_CASES[case]
    error = assert_same_error(
        torch, lambda m: call(m, name, func, inputs, v, strict=True, **kwargs)
    )
    assert isinstance(error, RuntimeError)
    # Without strict, the same call gives zeros where torch does.
    ours = call(tg, name, func, inputs, v, **kwargs)
    theirs = call(torch, name, func, inputs, v, **kwargs)
    assert_same_result(ours, theirs, torch)


@pytest.mark.parametrize("name", NAMES)
def test_strict_accepts_a_function_that_depends_on_every_input(torch: Any, name: str) -> None:
    if name in ("jacobian", "vjp", "jvp"):
        func = lambda a, b: a * b.sum()  # noqa: E731
    else:
        func = lambda a, b: (a * a).sum() * (b * b).sum()  # noqa: E731
    v = X3 if name == "vjp" else (X3, Y2)
    ours = call(tg, name, func, (X3, Y2), v, strict=True)
    assert_same_result(ours, call(torch, name, func, (X3, Y2), v, strict=True), torch)


ERROR_CASES = {
    "vjp, no v for a non-scalar output": ("vjp", lambda a: a * a, X3, None),
    "vjp, v of the wrong shape": ("vjp", lambda a: a * a, X3, X3[:2]),
    "vjp, v tuple of the wrong length": ("vjp", _pair_out, X3, (X3,)),
    "jvp, no v for an input of several elements": ("jvp", lambda a: a * a, X3, None),
    "jvp, v of the wrong shape": ("jvp", lambda a: a * a, X3, X3[:2]),
    "hvp, v of the wrong shape": ("hvp", lambda a: (a * a).sum(), X3, X3[:2]),
    "hessian, a non-scalar output": ("hessian", lambda a: a * a, X3, None),
    "hessian, two outputs": ("hessian", _pair_out, X3, None),
    "hvp, a non-scalar output": ("hvp", lambda a: a * a, X3, X3),
    "vhp, a non-scalar output": ("vhp", lambda a: a * a, X3, X3),
    "jacobian, a number returned": ("jacobian", lambda a: 3.0, X3, None),
}


@pytest.mark.parametrize("case", ERROR_CASES)
def test_errors_match_torch(torch: Any, case: str) -> None:
    name, func, inputs, v = ERROR_CASES[case]
    assert_same_error(torch, lambda m: call(m, name, func, inputs, v))


def test_inputs_that_are_not_tensors_are_refused(torch: Any) -> None:
    error = assert_same_error(torch, lambda m: functional(m).hessian(lambda a: a * a, 3.0))
    assert isinstance(error, TypeError)


def test_inputs_given_as_a_list_are_refused_as_torch(torch: Any) -> None:
    """torch takes a tensor or a tuple of tensors, never a list."""
    error = assert_same_error(
        torch, lambda m: functional(m).jacobian(lambda a: a * a, [m.tensor(X3)])
    )
    assert isinstance(error, TypeError)


# ----------------------------------------------------------------------------- random programs
def program_inputs(program: Program) -> tuple[np.ndarray, ...]:
    rng = np.random.default_rng(program.seed)
    return tuple(rng.uniform(-2, 2, shape) for shape in program.shapes)


def program_function(m: Any, program: Program, scalar: bool) -> Callable[..., Any]:
    """The program as a function of its leaves: its last tensor, or (``scalar``) a weighted
    sum of every tensor it makes, with the same weights at every call."""

    def f(*leaves: Any) -> Any:
        pool = list(leaves)
        for step in program.steps:
            pool.append(apply_step(m, pool, step))
        if not scalar:
            return pool[-1] * 1  # a new tensor, even for a program of no steps
        rng = np.random.default_rng(program.seed + 1)
        total = None
        for t in pool:
            term = (t * m.tensor(rng.standard_normal(tuple(t.shape)))).sum()
            total = term if total is None else total + term
        return total * total.tanh()  # a function of the sum: mixes the leaves' Hessians

    return f


def program_vectors(program: Program, name: str, output_shape: tuple) -> Any:
    rng = np.random.default_rng(program.seed + 2)
    if name == "vjp":
        return rng.standard_normal(output_shape)
    vs = tuple(rng.standard_normal(shape) for shape in program.shapes)
    return vs if len(vs) > 1 else vs[0]


@SETTINGS
@given(program=programs(), name=st.sampled_from(NAMES))
def test_random_programs_match_torch(torch: Any, program: Program, name: str) -> None:
    scalar = name in ("hessian", "hvp", "vhp")
    arrays = program_inputs(program)
    inputs = arrays if len(arrays) > 1 else arrays[0]
    f_ours, f_theirs = (
        program_function(tg, program, scalar),
        program_function(torch, program, scalar),
    )
    out_shape = tuple(f_theirs(*as_tensors(torch, arrays)).shape)
    v = program_vectors(program, name, out_shape)
    theirs = call(torch, name, f_theirs, inputs, v)
    ours = call(tg, name, f_ours, inputs, v)
    assert_same_result(ours, theirs, torch, rtol=1e-8)
