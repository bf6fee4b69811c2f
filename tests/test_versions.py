"""Version counters, views and aliases: torch's rules for in-place changes, run in both libraries.

Every test runs the same *program* with ``tinygrad_lr`` and with ``torch`` (the names match, so a
program is a function of the module ``m``). A program writes what it observes into a record
(values, versions, flags), in order; :func:`same_outcome` runs it in both libraries and asks
that both raise RuntimeError at the same point, or neither, and that the records agree. The
torch side of every test states the rule being pinned (``torch_raises=...``, the table flags), so
a test whose premise about torch is wrong fails on the torch side, not on ours.

1. The version counter: ``t._version`` counts the in-place changes of a tensor's memory; views
   and ``detach()`` share their base's counter, ``.data`` gets a counter of its own.
2. A tensor saved for backward and changed in place before backward: backward raises, and says
   which node needed which tensor at which version. Where no node saved the old value, nothing
   is raised.
3. In-place changes of views in grad mode: the values and the gradients are torch's.
4. The same view programs under no_grad and on plain data; memory shared with NumPy.
5. Random programs mixing all of it, checked against torch.
"""

from __future__ import annotations

import contextlib
import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import tinygrad_lr as tg

IN_CI = os.environ.get("CI", "").lower() == "true"
TOLERANCE = {"rtol": 1e-10, "atol": 1e-10}

Program = Callable[[Any, dict], Any]  # (module, record) -> anything


# ============================================================================ the harness
def new(m: Any, values: Any, requires_grad: bool = False) -> Any:
    """A float64 tensor of module ``m`` with its own copy of ``values``."""
    return m.tensor(
        np.array(values, dtype=np.float64), dtype=m.float64, requires_grad=requires_grad
    )


def values(t: Any) -> np.ndarray:
    return t.detach().numpy().copy()


def grad_of(t: Any) -> np.ndarray | None:
    return None if t.grad is None else values(t.grad)


def run(m: Any, program: Program) -> tuple[dict, RuntimeError | None]:
    """Run ``program`` with module ``m``: its record, and the RuntimeError it raised, if any."""
    record: dict[str, Any] = {}
    try:
        program(m, record)
    except RuntimeError as error:
        return record, error
    return record, None


def _is_version(key: str) -> bool:
    return "_version" in key


def assert_records_equal(ours: dict, theirs: dict) -> None:
    """The same keys (so the same point reached), then the same values; versions compared last,
    so that a wrong value is reported as such. Keys starting with '~' are notes, not compared."""
    ours = {k: v for k, v in ours.items() if not k.startswith("~")}
    theirs = {k: v for k, v in theirs.items() if not k.startswith("~")}
    missing = [k for k in theirs if k not in ours]
    extra = [k for k in ours if k not in theirs]
    assert not missing and not extra, f"tinygrad_lr lacks {missing}, has extra {extra}"
    for key in sorted(theirs, key=_is_version):  # stable: the program's order otherwise
        mine, torchs = ours[key], theirs[key]
        if isinstance(torchs, np.ndarray):
            assert isinstance(mine, np.ndarray), f"{key}: {mine!r}, torch has an array"
            assert mine.shape == torchs.shape, (
                f"{key}: shape {mine.shape} != torch's {torchs.shape}"
            )
            np.testing.assert_allclose(mine, torchs, **TOLERANCE, err_msg=key)
        else:
            assert mine == torchs and type(mine) is type(torchs), (
                f"{key}: tinygrad_lr {mine!r}, torch {torchs!r}"
            )


def same_outcome(
    torch: Any, program: Program, *, torch_raises: bool | None = None
) -> tuple[RuntimeError | None, RuntimeError | None, dict]:
    """Run ``program`` in torch, then in tinygrad_lr: both raise RuntimeError at the same point or
    neither does, and the records agree. Returns (our error, torch's error, our record)."""
    theirs, their_error = run(torch, program)
    if torch_raises is not None:
        assert (their_error is not None) is torch_raises, (
            f"the test's premise about torch is wrong: torch raised {their_error!r}"
        )
    ours, our_error = run(tg, program)
    if their_error is None and our_error is not None:
        raise AssertionError(f"torch ran the program; tinygrad_lr raised {our_error!r}")
    if their_error is not None and our_error is None:
        raise AssertionError(f"torch raised RuntimeError({their_error}); tinygrad_lr did not")
    assert_records_equal(ours, theirs)
    return our_error, their_error, ours


VERSIONS = re.compile(r"is at version (\d+); expected version (\d+)")


def check_version_error(
    ours: BaseException, theirs: BaseException, node: str, shapes: list[list[int]]
) -> None:
    """Our message says what torch's says (the versions) and names the node that needed the
    tensor, the tensor's shape, and the way out."""
    torch_text = str(theirs)
    match = VERSIONS.search(torch_text)
    assert "modified by an inplace operation" in torch_text and match, torch_text
    assert any(f"{shape}]" in torch_text for shape in shapes), torch_text
    text = str(ours)
    assert "modified by an inplace operation" in text, text
    assert node in text, f"the node {node} is not named: {text}"
    assert any(str(shape) in text for shape in shapes), f"no shape {shapes}: {text}"
    assert match.group(0) in text, f"torch says {match.group(0)!r}; we say {text!r}"
    assert ".clone()" in text or "out-of-place" in text or "out of place" in text, text


def grad_mode(m: Any, enabled: bool) -> Any:
    return contextlib.nullcontext() if enabled else m.no_grad()


# ======================================================================= the in-place ops
def _iadd(m: Any, t: Any) -> Any:
    t += 1.0
    return t


def _isub(m: Any, t: Any) -> Any:
    t -= m.full_like(t, 0.5)
    return t


def _imul(m: Any, t: Any) -> Any:
    t *= 2.0
    return t


def _itruediv(m: Any, t: Any) -> Any:
    t /= m.full_like(t, 4.0)
    return t


def _setitem(key: Any, value: Callable[[Any, Any], Any]) -> Callable[[Any, Any], None]:
    def update(m: Any, t: Any) -> None:
        t[key] = value(m, t)

    return update


# Each in-place entry point, for a float64 tensor of any shape with at least one dimension.
INPLACE: dict[str, Callable[[Any, Any], Any]] = {
    "add_": lambda m, t: t.add_(1.5),
    "add_(tensor, alpha)": lambda m, t: t.add_(m.ones_like(t), alpha=-0.5),
    "sub_": lambda m, t: t.sub_(0.25),
    "mul_": lambda m, t: t.mul_(3.0),
    "mul_(tensor)": lambda m, t: t.mul_(m.full_like(t, -2.0)),
    "div_": lambda m, t: t.div_(4.0),
    "zero_": lambda m, t: t.zero_(),
    "fill_": lambda m, t: t.fill_(7.0),
    "copy_": lambda m, t: t.copy_(m.full_like(t, 5.0)),
    "normal_": lambda m, t: t.normal_(),
    "uniform_": lambda m, t: t.uniform_(),
    "t[0] = 9": _setitem(0, lambda m, t: 9.0),
    "t[0:1] = tensor": _setitem(slice(0, 1), lambda m, t: m.full_like(t[0:1].detach(), 4.0)),
    "t[mask] = 1": lambda m, t: t.__setitem__(t.detach() > 0, 1.0),
    "+=": _iadd,
    "-=": _isub,
    "*=": _imul,
    "/=": _itruediv,
}
RANDOM = {"normal_", "uniform_"}  # values differ between the libraries' generators
RETURNS_SELF = {name for name in INPLACE if not name.startswith("t[")}


# ========================================================================= 1. versions
CREATED: dict[str, Callable[[Any], Any]] = {
    "tensor": lambda m: m.tensor([1.0, 2.0]),
    "tensor(requires_grad=True)": lambda m: m.tensor([1.0, 2.0], requires_grad=True),
    "zeros": lambda m: m.zeros(2, 3),
    "ones_like": lambda m: m.ones_like(m.zeros(3)),
    "full": lambda m: m.full((2,), 3.0),
    "arange": lambda m: m.arange(4),
    "randn": lambda m: m.randn(3),
    "from_numpy": lambda m: m.from_numpy(np.zeros(3)),
    "as_tensor": lambda m: m.as_tensor(np.zeros(3)),
    "result of an op": lambda m: m.tensor([1.0]) + 1,
    "recorded result": lambda m: m.tensor([1.0], requires_grad=True) * 2,
    "sum": lambda m: m.tensor([1.0, 2.0], requires_grad=True).sum(),
    "clone": lambda m: m.tensor([1.0, 2.0]).clone(),
    "nn.Parameter": lambda m: m.nn.Parameter(m.zeros(2)),
}


@pytest.mark.parametrize("make", CREATED)
def test_version_is_an_int_and_zero_at_creation(torch: Any, make: str) -> None:
    for m in (torch, tg):
        version = CREATED[make](m)._version
        assert type(version) is int and version == 0, f"{m.__name__}: {version!r}"


def _subject(m: Any, kind: str, shape: tuple[int, ...] = (2, 3)) -> tuple[Any, bool]:
    """A tensor to change in place, and whether grad mode is on while changing it."""
    start = np.arange(1.0, 1.0 + np.prod(shape)).reshape(shape) / 4
    if kind == "data":  # a plain tensor, in grad mode
        return new(m, start), True
    if kind == "leaf under no_grad":  # a parameter, updated under no_grad
        return new(m, start, requires_grad=True), False
    assert kind == "non-leaf"  # in grad mode: recorded
    return new(m, start, requires_grad=True) * 1.0, True


SUBJECTS = ["data", "leaf under no_grad", "non-leaf"]


@pytest.mark.parametrize("subject", SUBJECTS)
@pytest.mark.parametrize("op", INPLACE)
def test_every_inplace_op_adds_one_to_the_version(torch: Any, op: str, subject: str) -> None:
    def program(m: Any, rec: dict) -> None:
        t, enabled = _subject(m, subject)
        rec["t._version at creation"] = t._version
        for call in (1, 2):
            with grad_mode(m, enabled):
                result = INPLACE[op](m, t)
            if op in RETURNS_SELF:
                rec[f"call {call} returns t itself"] = result is t
            if op not in RANDOM:
                rec[f"t after call {call}"] = values(t)
            rec[f"t._version after call {call}"] = t._version

    same_outcome(torch, program, torch_raises=False)


# name: (view, shares the version counter, shares memory)
ALIASES: dict[str, tuple[Callable[[Any, Any], Any], bool, bool]] = {
    "t[0:1]": (lambda m, t: t[0:1], True, True),
    "t[1]": (lambda m, t: t[1], True, True),
    "t[:, 1:]": (lambda m, t: t[:, 1:], True, True),
    "t.view(6)": (lambda m, t: t.view(6), True, True),
    "t.view(3, 2)": (lambda m, t: t.view(3, 2), True, True),
    "t.reshape(3, 2)": (lambda m, t: t.reshape(3, 2), True, True),
    "t.T": (lambda m, t: t.T, True, True),
    "t.transpose(0, 1)": (lambda m, t: t.transpose(0, 1), True, True),
    "t.unsqueeze(0)": (lambda m, t: t.unsqueeze(0), True, True),
    "t.unsqueeze(0).squeeze()": (lambda m, t: t.unsqueeze(0).squeeze(), True, True),
    "t[0:1].squeeze()": (lambda m, t: t[0:1].squeeze(), True, True),
    "t.flatten()": (lambda m, t: t.flatten(), True, True),
    "t.T[1:]": (lambda m, t: t.T[1:], True, True),
    "t[1:].view(3).unsqueeze(1)": (lambda m, t: t[1:].view(3).unsqueeze(1), True, True),
    "t.detach()": (lambda m, t: t.detach(), True, True),
    "t.detach()[0]": (lambda m, t: t.detach()[0], True, True),
    "nn.Parameter(t)": (lambda m, t: m.nn.Parameter(t.detach(), requires_grad=False), True, True),
    "t.data": (lambda m, t: t.data, False, True),  # torch: a counter of its own
    "t.clone()": (lambda m, t: t.clone(), False, False),
    "t + 0": (lambda m, t: t + 0, False, False),
    "t.T.reshape(6)": (lambda m, t: t.T.reshape(6), False, False),  # a copy
    "t.T.flatten()": (lambda m, t: t.T.flatten(), False, False),  # a copy
    "t[[0, 1]]": (lambda m, t: t[[0, 1]], False, False),  # advanced indexing copies
}


@pytest.mark.parametrize("subject", SUBJECTS)
@pytest.mark.parametrize("alias", ALIASES)
def test_views_and_detach_share_the_version_counter(torch: Any, alias: str, subject: str) -> None:
    view, shares_version, shares_memory = ALIASES[alias]

    def program(m: Any, rec: dict) -> None:
        t, enabled = _subject(m, subject)
        with grad_mode(m, enabled):
            t.add_(1.0)
            rec["t before the view"] = values(t)
            rec["t._version before the view"] = t._version
            v = view(m, t)
            rec["v._version at creation"] = v._version
            v.mul_(2.0)
            rec["t after v.mul_"], rec["v after v.mul_"] = values(t), values(v)
            rec["t._version after v.mul_"], rec["v._version after v.mul_"] = t._version, v._version
            t.sub_(0.5)
            rec["t after t.sub_"], rec["v after t.sub_"] = values(t), values(v)
            rec["t._version after t.sub_"], rec["v._version after t.sub_"] = t._version, v._version

    theirs, error = run(torch, program)
    assert error is None
    # The table says what torch does:
    assert shares_version == (theirs["t._version after v.mul_"] == 2)
    assert shares_version == (theirs["v._version after t.sub_"] == 3)
    assert shares_memory == (theirs["t after v.mul_"] != theirs["t before the view"]).any()
    same_outcome(torch, program, torch_raises=False)


# ==================================================== 2. a saved tensor changed before backward
def test_the_issue_example_raises_instead_of_using_the_new_values(torch: Any) -> None:
    errors, grads = [], []
    for m in (torch, tg):
        a = m.tensor([1.0, 2.0])
        w = m.tensor([3.0, 4.0], requires_grad=True)
        y = (w * a).sum()
        a.mul_(10)
        with pytest.raises(RuntimeError) as info:
            y.backward()  # today tinygrad_lr gives w.grad == [10, 20]
        errors.append(info.value)
        grads.append(w.grad)
    assert grads == [None, None]  # nothing reached w
    check_version_error(errors[1], errors[0], "MulBackward0", [[2]])


def _saved(m: Any, kind: str) -> tuple[Any, Any, bool]:
    """(a tensor that a MulBackward0 node saved, the loss, whether grad mode is on to change it)"""
    if kind == "data":  # y = (w * a).sum(): a is saved, to compute w's gradient
        a, w = new(m, [1.0, 2.0]), new(m, [3.0, 4.0], requires_grad=True)
        return a, (w * a).sum(), True
    if kind == "non-leaf":  # h = x * 1 is saved by h * w; h changes in grad mode (recorded)
        x, w = new(m, [1.0, 2.0], requires_grad=True), new(m, [3.0, 4.0], requires_grad=True)
        h = x * 1.0
        return h, (h * w).sum(), True
    assert kind == "leaf"  # (w * w).sum() saves w, which an update under no_grad then changes
    w = new(m, [1.0, 2.0], requires_grad=True)
    return w, (w * w).sum(), False


SAVED = ["data", "non-leaf", "leaf"]


@pytest.mark.parametrize("saved", SAVED)
@pytest.mark.parametrize("op", INPLACE)
def test_changing_a_saved_tensor_before_backward_raises(torch: Any, op: str, saved: str) -> None:
    def program(m: Any, rec: dict) -> None:
        target, loss, enabled = _saved(m, saved)
        with grad_mode(m, enabled):
            INPLACE[op](m, target)
        rec["changed in place"] = True  # the error must come from backward, not from the change
        loss.backward()

    ours, theirs, _ = same_outcome(torch, program, torch_raises=True)
    check_version_error(ours, theirs, "MulBackward0", [[2]])


THROUGH: dict[str, Callable[[Any], Any]] = {
    "t[0:1]": lambda t: t[0:1],
    "t[1]": lambda t: t[1],
    "t.view(-1)": lambda t: t.view(-1),
    "t.unsqueeze(0)": lambda t: t.unsqueeze(0),
    "t.detach()": lambda t: t.detach(),
    "t.detach()[0:1]": lambda t: t.detach()[0:1],
}


@pytest.mark.parametrize("saved", SAVED)
@pytest.mark.parametrize("through", THROUGH)
def test_changing_a_saved_tensor_through_a_view_raises(
    torch: Any, through: str, saved: str
) -> None:
    def program(m: Any, rec: dict) -> None:
        target, loss, enabled = _saved(m, saved)
        with grad_mode(m, enabled):
            THROUGH[through](target).mul_(2.0)
        rec["changed in place"] = True
        loss.backward()

    ours, theirs, _ = same_outcome(torch, program, torch_raises=True)
    check_version_error(ours, theirs, "MulBackward0", [[2]])


def test_changing_a_saved_tensor_and_back_still_raises(torch: Any) -> None:
    """The check counts changes; it does not compare values."""

    def program(m: Any, rec: dict) -> None:
        target, loss, _ = _saved(m, "data")
        target.add_(1.0)
        target.sub_(1.0)
        rec["target (the old values again)"] = values(target)
        loss.backward()

    ours, theirs, _ = same_outcome(torch, program, torch_raises=True)
    check_version_error(ours, theirs, "MulBackward0", [[2]])
    assert "is at version 2; expected version 0" in str(theirs)


def test_a_second_backward_after_a_change_raises(torch: Any) -> None:
    def program(m: Any, rec: dict) -> None:
        target, loss, _ = _saved(m, "data")
        loss.backward(retain_graph=True)
        rec["first backward"] = True
        target.mul_(10)
        loss.backward()

    ours, theirs, _ = same_outcome(torch, program, torch_raises=True)
    check_version_error(ours, theirs, "MulBackward0", [[2]])


OPTIMIZERS: dict[str, tuple[str, dict[str, Any]]] = {
    "SGD": ("SGD", {"lr": 0.1}),
    "SGD momentum nesterov weight_decay": (
        "SGD",
        {"lr": 0.1, "momentum": 0.9, "nesterov": True, "weight_decay": 0.01},
    ),
    "SGD momentum dampening": ("SGD", {"lr": 0.1, "momentum": 0.5, "dampening": 0.3}),
    "Adam": ("Adam", {"lr": 0.1}),
    "Adam amsgrad weight_decay": ("Adam", {"lr": 0.1, "amsgrad": True, "weight_decay": 0.01}),
}


@pytest.mark.parametrize("optimizer", OPTIMIZERS)
def test_an_optimizer_step_between_forward_and_backward_raises(torch: Any, optimizer: str) -> None:
    name, options = OPTIMIZERS[optimizer]

    def program(m: Any, rec: dict) -> None:
        w = new(m, [1.0, -2.0], requires_grad=True)
        opt = getattr(m.optim, name)([w], **options)
        for _ in range(2):  # two ordinary steps first
            opt.zero_grad()
            (w * w).sum().backward()
            opt.step()
        rec["w after two steps"] = values(w)
        loss = (w * w).sum()  # saves w
        opt.step()  # the gradients of the last backward: w changes
        rec["w after the third step"] = values(w)
        loss.backward()

    ours, theirs, _ = same_outcome(torch, program, torch_raises=True)
    check_version_error(ours, theirs, "MulBackward0", [[2]])
    assert "is at version 3; expected version 2" in str(theirs)  # one change per step


def _linear(m: Any, n_in: int, n_out: int, seed: int) -> Any:
    """An nn.Linear with the same weights in both libraries: new parameters, at version 0."""
    layer = m.nn.Linear(n_in, n_out, dtype=m.float64)
    rng = np.random.default_rng(seed)
    layer.weight = m.nn.Parameter(new(m, rng.uniform(-1, 1, (n_out, n_in))))
    layer.bias = m.nn.Parameter(new(m, rng.uniform(-1, 1, n_out)))
    return layer


X_DATA = np.array([[1.0, 2.0], [3.0, -1.0], [0.5, 0.5], [-2.0, 1.0]])
Y_DATA = np.array([[1.0], [0.0], [2.0], [-1.0]])


@pytest.mark.parametrize("optimizer", ["SGD", "Adam"])
def test_a_step_between_forward_and_backward_of_a_two_layer_network_raises(
    torch: Any, optimizer: str
) -> None:
    """The second layer saved its weight (its input requires grad); the step changed it."""

    def program(m: Any, rec: dict) -> None:
        first, second = _linear(m, 2, 3, seed=1), _linear(m, 3, 1, seed=2)
        params = [*first.parameters(), *second.parameters()]
        opt = getattr(m.optim, optimizer)(params, lr=0.1)
        X, y = new(m, X_DATA), new(m, Y_DATA)
        m.nn.functional.mse_loss(second(first(X).relu()), y).backward()
        out = second(first(X).relu())
        rec["~node"] = out.grad_fn.name()
        loss = m.nn.functional.mse_loss(out, y)
        opt.step()
        rec["weights after the step"] = values(second.weight)
        loss.backward()

    ours, theirs, record = same_outcome(torch, program, torch_raises=True)
    # torch saves weight.t() (shape [3, 1]); a library saving the weight itself says [1, 3].
    check_version_error(ours, theirs, record["~node"], [[1, 3], [3, 1]])


@pytest.mark.parametrize("optimizer", ["SGD", "Adam"])
def test_a_step_between_forward_and_backward_of_a_linear_model_does_not_raise(
    torch: Any, optimizer: str
) -> None:
    """X @ w.T + b saves X, not w nor b (X needs no gradient): torch's backward runs, with the
    gradients of the forward, and so must ours."""

    def program(m: Any, rec: dict) -> None:
        model = _linear(m, 2, 1, seed=3)
        opt = getattr(m.optim, optimizer)(model.parameters(), lr=0.1)
        X, y = new(m, X_DATA), new(m, Y_DATA)
        m.nn.functional.mse_loss(model(X), y).backward()
        loss = m.nn.functional.mse_loss(model(X), y)
        opt.step()
        opt.zero_grad()
        loss.backward()
        rec["weight"], rec["bias"] = values(model.weight), values(model.bias)
        rec["weight.grad"], rec["bias.grad"] = grad_of(model.weight), grad_of(model.bias)

    same_outcome(torch, program, torch_raises=False)


DATA_CHANGES: dict[str, Callable[[Any, Any], Any]] = {
    "X -= X.mean(0)": lambda m, X: X.__isub__(X.mean(0)),
    "X[0] = 0": lambda m, X: X.__setitem__(0, 0.0),
    "X[:, 1] = 5": lambda m, X: X.__setitem__((slice(None), 1), 5.0),
    "X[0].zero_()": lambda m, X: X[0].zero_(),
    "X.T.mul_(2)": lambda m, X: X.T.mul_(2.0),
}


@pytest.mark.parametrize("change", DATA_CHANGES)
def test_changing_the_data_after_a_forward_that_used_it_raises(torch: Any, change: str) -> None:
    def program(m: Any, rec: dict) -> None:
        X = new(m, [[1.0, 2.0], [3.0, 4.0], [5.0, 7.0]])
        w = new(m, [[0.5], [-1.0]], requires_grad=True)
        pred = X @ w  # saves X, for w's gradient
        rec["~node"] = pred.grad_fn.name()
        DATA_CHANGES[change](m, X)
        rec["X"] = values(X)
        pred.sum().backward()

    ours, theirs, record = same_outcome(torch, program, torch_raises=True)
    check_version_error(ours, theirs, record["~node"], [[3, 2]])


# Functions whose backward node saves its *output*.
SAVES_OUTPUT: dict[str, Callable[[Any], Any]] = {
    "exp": lambda x: x.exp(),
    "sigmoid": lambda x: x.sigmoid(),
    "tanh": lambda x: x.tanh(),
    "relu": lambda x: x.relu(),
    "sqrt": lambda x: x.sqrt(),
}
OUTPUT_CHANGES: dict[str, Callable[[Any, Any], Any]] = {
    "y.add_(1)": lambda m, y: y.add_(1.0),
    "y *= 2": _imul,
    "y[1] = 0": lambda m, y: y.__setitem__(1, 0.0),
    "y[0:1].mul_(2)": lambda m, y: y[0:1].mul_(2.0),
    "y.view(-1).sub_(1)": lambda m, y: y.view(-1).sub_(1.0),
    "y.detach().zero_()": lambda m, y: y.detach().zero_(),
}


@pytest.mark.parametrize("change", OUTPUT_CHANGES)
@pytest.mark.parametrize("fn", SAVES_OUTPUT)
def test_changing_an_output_that_its_node_saved_raises(torch: Any, fn: str, change: str) -> None:
    def program(m: Any, rec: dict) -> None:
        x = new(m, [0.5, 1.0, 2.0], requires_grad=True)
        y = SAVES_OUTPUT[fn](x)
        rec["~node"] = y.grad_fn.name()
        OUTPUT_CHANGES[change](m, y)
        rec["y"] = values(y)
        y.sum().backward()

    ours, theirs, record = same_outcome(torch, program, torch_raises=True)
    if fn in ("exp", "sigmoid"):
        assert record["~node"] == f"{fn.capitalize()}Backward0"
    check_version_error(ours, theirs, record["~node"], [[3]])


def _no_saved_value(*steps: Callable[[Any, Any, Any], Any]) -> Program:
    def program(m: Any, rec: dict) -> None:
        x, a = new(m, [0.5, -1.0, 2.0], requires_grad=True), new(m, [2.0, 3.0, -1.0])
        out = x
        for step in steps:
            out = step(m, out, a)
        rec["out"] = values(out)
        (out * new(m, [1.0, -2.0, 0.5])).sum().backward()
        rec["x.grad"], rec["a"] = grad_of(x), values(a)

    return program


# Programs in which an in-place change overwrites nothing that a node saved.
NOTHING_SAVED: dict[str, Program] = {
    "y = x * 2; y.add_(1)": _no_saved_value(lambda m, x, a: x * 2, lambda m, y, a: y.add_(1.0)),
    "y = x + a; y.mul_(3)": _no_saved_value(lambda m, x, a: x + a, lambda m, y, a: y.mul_(3.0)),
    "y = x * 2; y.mul_(a)": _no_saved_value(lambda m, x, a: x * 2, lambda m, y, a: y.mul_(a)),
    "y = x.exp() * 2; y.zero_()": _no_saved_value(
        lambda m, x, a: x.exp() * 2, lambda m, y, a: y.zero_()
    ),
    "y = x.exp(); y.clone().add_(1)": _no_saved_value(
        lambda m, x, a: x.exp(), lambda m, y, a: (y.clone().add_(1.0), y)[1]
    ),
    "y = x.sum() * a; y[0] = 1": _no_saved_value(
        lambda m, x, a: x.sum() * a, lambda m, y, a: (y.__setitem__(0, 1.0), y)[1]
    ),
    "y = x.mean() + a; y.mul_(2)": _no_saved_value(
        lambda m, x, a: x.mean() + a, lambda m, y, a: y.mul_(2.0)
    ),
}


def _change_input_after(fn: Callable[[Any, Any], Any]) -> Program:
    def program(m: Any, rec: dict) -> None:
        x, a = new(m, [0.5, -1.0, 2.0], requires_grad=True), new(m, [2.0, 3.0, -1.0])
        out = fn(x, a)
        with m.no_grad():
            x.mul_(2.0)  # x is a leaf: only under no_grad
        rec["x"], rec["out"] = values(x), values(out)
        (out * new(m, [1.0, -2.0, 0.5])).sum().backward()
        rec["x.grad"] = grad_of(x)

    return program


# Only what a gradient needs is saved: x * a keeps a (for x's gradient), not x; exp and
# sigmoid keep their output, not their input.
NOTHING_SAVED.update(
    {
        "y = x * a; x.mul_(2) under no_grad": _change_input_after(lambda x, a: x * a),
        "y = x.exp(); x.mul_(2) under no_grad": _change_input_after(lambda x, a: x.exp()),
        "y = x.sigmoid(); x.mul_(2) under no_grad": _change_input_after(lambda x, a: x.sigmoid()),
        "y = x.sum(); x.mul_(2) under no_grad": _change_input_after(lambda x, a: x.sum()),
        "y = x + a; x.mul_(2) under no_grad": _change_input_after(lambda x, a: x + a),
    }
)


def _data_changes_unseen(m: Any, rec: dict) -> None:
    """.data has a version counter of its own: the change escapes the check, and backward uses
    the new values (torch's documented pitfall, kept)."""
    a, w = new(m, [1.0, 2.0]), new(m, [3.0, 4.0], requires_grad=True)
    y = (w * a).sum()
    a.data.mul_(10)
    rec["a._version"] = a._version
    y.backward()
    rec["w.grad"] = grad_of(w)


NOTHING_SAVED["a.data.mul_(10) after (w * a).sum()"] = _data_changes_unseen


@pytest.mark.parametrize("program", NOTHING_SAVED)
def test_an_inplace_change_nobody_saved_does_not_raise(torch: Any, program: str) -> None:
    same_outcome(torch, NOTHING_SAVED[program], torch_raises=False)


# =========================================================== 3 and 4. in-place on views
@dataclass(frozen=True)
class ViewProgram:
    """``fn(m, y, z)`` changes ``y`` (of ``shape``) through views, maybe with ``z`` (of
    ``z_shape``); it returns more tensors (views) whose values and gradients count too."""

    shape: tuple[int, ...]
    z_shape: tuple[int, ...] | None
    fn: Callable[[Any, Any, Any], Any]


def _slice_iadd(m: Any, y: Any, z: Any) -> None:
    y[0:2] += z  # two in-place ops: the view's +=, then y[0:2] = (the view)


def _slice_imul(m: Any, y: Any, z: Any) -> None:
    y[1:] *= 2.0


def _overlapping(m: Any, y: Any, z: Any) -> list:
    a, b = y[0:2], y[1:3]
    a.mul_(10.0)
    return [b]


def _overlapping_both(m: Any, y: Any, z: Any) -> list:
    a, b = y[0:2], y[1:3]
    a.mul_(10.0)
    b.add_(z)
    return [a, b]


def _view_then_base(m: Any, y: Any, z: Any) -> list:
    v = y[0:2]
    y.mul_(2.0)
    return [v]


def _column_then_base(m: Any, y: Any, z: Any) -> list:
    v = y[:, 1]
    y.mul_(z)
    return [v]


def _view_then_view_then_base(m: Any, y: Any, z: Any) -> list:
    v = y[0:2]
    v.add_(z)
    y.mul_(3.0)
    return [v]


def _detach_alias(m: Any, y: Any, z: Any) -> None:
    d = y.detach()
    d.mul_(10.0)


def _saved_view_then_base(m: Any, y: Any, z: Any) -> list:
    p = y[0:2] * z  # saves y[0:2] when z requires grad
    y.mul_(2.0)
    return [p]


VIEW_PROGRAMS: dict[str, ViewProgram] = {
    "y[0:2].mul_(10)": ViewProgram((3,), None, lambda m, y, z: y[0:2].mul_(10.0)),
    "y[0:2].mul_(z)": ViewProgram((3,), (2,), lambda m, y, z: y[0:2].mul_(z)),
    "y.view(3).add_(1)": ViewProgram((3,), None, lambda m, y, z: y.view(3).add_(1.0)),
    "y.view(6).add_(z)": ViewProgram((2, 3), (6,), lambda m, y, z: y.view(6).add_(z)),
    "y.view(3, 2).mul_(z)": ViewProgram((2, 3), (3, 2), lambda m, y, z: y.view(3, 2).mul_(z)),
    "y.view(2, 3)[1].add_(z)": ViewProgram((6,), (3,), lambda m, y, z: y.view(2, 3)[1].add_(z)),
    "y.T.mul_(2)": ViewProgram((2, 3), None, lambda m, y, z: y.T.mul_(2.0)),
    "y.T.add_(z)": ViewProgram((2, 3), (3, 2), lambda m, y, z: y.T.add_(z)),
    "y.T.copy_(z)": ViewProgram((2, 3), (3, 2), lambda m, y, z: y.T.copy_(z)),
    "y.transpose(0, 1)[0].sub_(z)": ViewProgram(
        (2, 3), (2,), lambda m, y, z: y.transpose(0, 1)[0].sub_(z)
    ),
    "y.unsqueeze(0).mul_(z)": ViewProgram((3,), (1, 3), lambda m, y, z: y.unsqueeze(0).mul_(z)),
    "y.squeeze().add_(z)": ViewProgram((1, 3), (3,), lambda m, y, z: y.squeeze().add_(z)),
    "y.flatten()[2:5].mul_(-1)": ViewProgram(
        (2, 3), None, lambda m, y, z: y.flatten()[2:5].mul_(-1.0)
    ),
    "y.reshape(3, 2).add_(1.5)": ViewProgram(
        (2, 3), None, lambda m, y, z: y.reshape(3, 2).add_(1.5)
    ),
    "y.reshape(6)[1:3].mul_(z)": ViewProgram(
        (2, 3), (2,), lambda m, y, z: y.reshape(6)[1:3].mul_(z)
    ),
    "y[0:2].copy_(z)": ViewProgram((3,), (2,), lambda m, y, z: y[0:2].copy_(z)),
    "y[1].copy_(z) (an element)": ViewProgram((3,), (), lambda m, y, z: y[1].copy_(z)),
    "y[1].copy_(z) (a row)": ViewProgram((2, 3), (3,), lambda m, y, z: y[1].copy_(z)),
    "y[0:2] = z": ViewProgram((3,), (2,), lambda m, y, z: y.__setitem__(slice(0, 2), z)),
    "y[0] = z": ViewProgram((2, 3), (3,), lambda m, y, z: y.__setitem__(0, z)),
    "y[:, 1] = z": ViewProgram((2, 3), (2,), lambda m, y, z: y.__setitem__((slice(None), 1), z)),
    "y[1] = 7": ViewProgram((3,), None, lambda m, y, z: y.__setitem__(1, 7.0)),
    "y[0:2] += z": ViewProgram((3,), (2,), _slice_iadd),
    "y[1:] *= 2": ViewProgram((3,), None, _slice_imul),
    "y[1:][0:1].mul_(3)": ViewProgram((3,), None, lambda m, y, z: y[1:][0:1].mul_(3.0)),
    "y.T[1].mul_(z)": ViewProgram((2, 3), (2,), lambda m, y, z: y.T[1].mul_(z)),
    "overlapping views, one changed": ViewProgram((3,), None, _overlapping),
    "overlapping views, both changed": ViewProgram((3,), (2,), _overlapping_both),
    "v = y[0:2]; y.mul_(2)": ViewProgram((3,), None, _view_then_base),
    "v = y[:, 1]; y.mul_(z)": ViewProgram((2, 3), (2, 3), _column_then_base),
    "v = y[0:2]; v.add_(z); y.mul_(3)": ViewProgram((3,), (2,), _view_then_view_then_base),
    "y.detach().mul_(10)": ViewProgram((3,), None, _detach_alias),
    "p = y[0:2] * z; y.mul_(2)": ViewProgram((3,), (2,), _saved_view_then_base),
}

LOSSES: dict[str, Callable[[Any, list], Any]] = {
    "sum": lambda m, ts: sum(t.sum() for t in ts),
    "squares": lambda m, ts: sum((t**2).sum() for t in ts),
    "weighted": lambda m, ts: sum(
        (t * new(m, np.random.default_rng(i).standard_normal(tuple(t.shape)))).sum()
        for i, t in enumerate(ts)
    ),
}

# grad:     y = x * 1 (a non-leaf), z requires grad, grad mode: values and gradients
# leaf:     y is a leaf that requires grad, grad mode: torch refuses the in-place change
# buffer:   y is plain data, z requires grad: y joins the graph
# no_grad:  y is a leaf that requires grad, z too, all under no_grad: values and versions
# data:     y and z are plain data, grad mode: values and versions
VIEW_CASES = (
    [(p, "grad", loss) for p in VIEW_PROGRAMS for loss in LOSSES]
    + [(p, "leaf", "sum") for p in VIEW_PROGRAMS]
    + [(p, "buffer", "weighted") for p, vp in VIEW_PROGRAMS.items() if vp.z_shape is not None]
    + [(p, mode, None) for p in VIEW_PROGRAMS for mode in ("no_grad", "data")]
)


def view_program(name: str, mode: str, loss: str | None) -> Program:
    case = VIEW_PROGRAMS[name]
    rng = np.random.default_rng(7)
    start = rng.uniform(-2, 2, case.shape)
    z_start = rng.uniform(-2, 2, case.z_shape) if case.z_shape is not None else None

    def program(m: Any, rec: dict) -> None:
        leaves = {}
        if mode == "grad":
            leaves["x"] = new(m, start, requires_grad=True)
            y = leaves["x"] * 1.0
        else:
            y = new(m, start, requires_grad=mode in ("leaf", "no_grad"))
            if y.requires_grad:
                leaves["y"] = y
        z = None
        if z_start is not None:
            z = new(m, z_start, requires_grad=mode != "data")
            if z.requires_grad:
                leaves["z"] = z
        with grad_mode(m, mode != "no_grad"):
            result = case.fn(m, y, z)  # a list of more tensors, or whatever the op returned
        extras = result if isinstance(result, list) else []
        outputs = [y, *extras]
        for i, t in enumerate(outputs):
            rec[f"output {i}"] = values(t)
            if mode != "no_grad":  # (torch flags a view made under no_grad as requiring grad)
                rec[f"output {i} requires_grad"] = t.requires_grad
        rec["y.is_leaf"], rec["y.requires_grad"] = y.is_leaf, y.requires_grad
        if z is not None:
            rec["z"] = values(z)
        if loss is None:
            rec["y.grad_fn is None"] = y.grad_fn is None
            for i, t in enumerate(outputs):
                rec[f"output {i}._version"] = t._version
            return
        total = LOSSES[loss](m, outputs)
        if total.requires_grad:
            total.backward()
            for name, leaf in leaves.items():
                rec[f"{name}.grad"] = grad_of(leaf)

    return program


@pytest.mark.parametrize(
    ("program", "mode", "loss"),
    [
        pytest.param(*case, id=f"{case[0]}-{case[1]}" + (f"-{case[2]}" if case[2] else ""))
        for case in VIEW_CASES
    ],
)
def test_inplace_change_through_a_view(torch: Any, program: str, mode: str, loss: str) -> None:
    theirs, error = run(torch, view_program(program, mode, loss))
    if mode == "leaf" and program != "y.detach().mul_(10)":
        assert error is not None  # a leaf that requires grad, or a view of it
    elif program.startswith("p = y[0:2] * z") and mode in ("grad", "buffer"):
        assert error is not None and VERSIONS.search(str(error))
    else:
        assert error is None, error
        if mode in ("grad", "buffer"):
            assert any(k.endswith(".grad") for k in theirs)
    same_outcome(torch, view_program(program, mode, loss))


LEAF_CHANGES: dict[str, Callable[[Any, Any], Any]] = {
    "w.add_(1)": lambda m, w: w.add_(1.0),
    "w += 1": _iadd,
    "w.copy_(v)": lambda m, w: w.copy_(new(m, [5.0, 6.0])),
    "w[0:1].mul_(2)": lambda m, w: w[0:1].mul_(2.0),
    "w[0] = 5": lambda m, w: w.__setitem__(0, 5.0),
    "w.view(2).add_(1)": lambda m, w: w.view(2).add_(1.0),
    "w.unsqueeze(0).zero_()": lambda m, w: w.unsqueeze(0).zero_(),
}


def _view_made_under_no_grad(m: Any, base: Any) -> None:
    with m.no_grad():
        v = base[0:1]
    v.mul_(2.0)  # in grad mode: torch refuses (ambiguous: recorded or not?)


REFUSED = [(change, "leaf") for change in LEAF_CHANGES] + [
    ("view made under no_grad", "leaf"),
    ("view made under no_grad", "non-leaf"),
]


@pytest.mark.parametrize(("change", "base"), REFUSED)
def test_inplace_change_refused_as_in_torch(torch: Any, change: str, base: str) -> None:
    fn = LEAF_CHANGES.get(change, _view_made_under_no_grad)
    seen = []
    for m in (torch, tg):
        w = new(m, [3.0, 4.0], requires_grad=True)
        target = w if base == "leaf" else w * 1.0
        with pytest.raises(RuntimeError):
            fn(m, target)
        seen.append((values(w), w.is_leaf, w.grad_fn is None))
    np.testing.assert_array_equal(seen[1][0], seen[0][0])
    assert seen[1][1:] == seen[0][1:]


# ================================================================== 4. aliases with NumPy
ALIAS_WRITES: dict[str, Callable[[Any, Any], Any]] = {
    **{name: fn for name, fn in INPLACE.items() if name not in RANDOM},
    "t[0:1].mul_(3)": lambda m, t: t[0:1].mul_(3.0),
    "t.T.add_(1)": lambda m, t: t.T.add_(1.0),
    "t.view(-1)[1:].fill_(0)": lambda m, t: t.view(-1)[1:].fill_(0.0),
    "t.detach().zero_()": lambda m, t: t.detach().zero_(),
    "t.data.add_(1)": lambda m, t: t.data.add_(1.0),
}


@pytest.mark.parametrize("enabled", [True, False], ids=["grad mode", "no_grad"])
@pytest.mark.parametrize("source", ["t.numpy()", "from_numpy"])
@pytest.mark.parametrize("write", ALIAS_WRITES)
def test_numpy_shares_memory_with_the_tensor(
    torch: Any, write: str, source: str, enabled: bool
) -> None:
    def program(m: Any, rec: dict) -> None:
        start = np.arange(1.0, 7.0).reshape(2, 3) / 4
        if source == "from_numpy":
            array = start.copy()
            t = m.from_numpy(array)
        else:
            t = new(m, start)
            array = t.numpy()
        with grad_mode(m, enabled):
            ALIAS_WRITES[write](m, t)
        rec["t"], rec["array"] = values(t), array.copy()
        rec["t._version"] = t._version

    theirs, _ = run(torch, program)
    assert (theirs["t"] == theirs["array"]).all() and (
        theirs["t"] != np.arange(1.0, 7.0).reshape(2, 3) / 4
    ).any()
    same_outcome(torch, program, torch_raises=False)


OPERAND_WRITES: dict[str, Callable[[Any, Any, Any], Any]] = {
    "t.mul_(w)": lambda m, t, w: t.mul_(w),
    "t.add_(w)": lambda m, t, w: t.add_(w),
    "t.sub_(w, alpha=2)": lambda m, t, w: t.sub_(w, alpha=2),
    "t.div_(w)": lambda m, t, w: t.div_(w),
    "t.copy_(w)": lambda m, t, w: t.copy_(w),
    "t += w": lambda m, t, w: _iadd_tensor(t, w),
    "t[0:1].mul_(w[0:1])": lambda m, t, w: t[0:1].mul_(w[0:1]),
    "t[1] = w[0]": lambda m, t, w: t.__setitem__(1, w[0]),
}


def _iadd_tensor(t: Any, w: Any) -> Any:
    t += w
    return t


@pytest.mark.parametrize("source", ["t.numpy()", "from_numpy"])
@pytest.mark.parametrize("write", OPERAND_WRITES)
def test_inplace_with_an_operand_that_requires_grad_writes_into_the_memory(
    torch: Any, write: str, source: str
) -> None:
    """t is data and w requires grad: torch records the change *and* writes into t's memory."""

    def program(m: Any, rec: dict) -> None:
        if source == "from_numpy":
            array = np.array([1.0, 2.0])
            t = m.from_numpy(array)
        else:
            t = new(m, [1.0, 2.0])
            array = t.numpy()
        w = new(m, [3.0, -4.0], requires_grad=True)
        OPERAND_WRITES[write](m, t, w)
        rec["array"], rec["t"] = array.copy(), values(t)
        rec["t.requires_grad"], rec["t.is_leaf"] = t.requires_grad, t.is_leaf
        (t * new(m, [1.0, 10.0])).sum().backward()
        rec["w.grad"], rec["array after backward"] = grad_of(w), array.copy()
        rec["t._version"] = t._version

    theirs, _ = run(torch, program)
    assert (theirs["array"] == theirs["t"]).all() and theirs["t.requires_grad"]
    same_outcome(torch, program, torch_raises=False)


# ========================================================================= 5. random programs
FUZZ_SHAPES = [(3,), (2, 3), (1, 3), (2, 1), ()]
FUZZ_UNARY: dict[str, Callable[[Any], Any]] = {
    "exp_tanh": lambda a: a.tanh().exp(),  # exp keeps its output
    "sigmoid": lambda a: a.sigmoid(),
    "tanh": lambda a: a.tanh(),
    "square": lambda a: a**2,  # keeps its input
    "relu": lambda a: a.relu(),
    "abs": lambda a: a.abs(),
    "neg": lambda a: -a,
    "clone": lambda a: a.clone(),
    "scale": lambda a: a * 1.5,
}
FUZZ_BINARY: dict[str, Callable[[Any, Any], Any]] = {
    "add": lambda a, b: a + b,
    "sub": lambda a, b: a - b,
    "mul": lambda a, b: a * b,  # keeps each operand when the other needs a gradient
    "div": lambda a, b: a / (b * b + 1),
}
FUZZ_VIEWS: dict[str, Callable[[Any, tuple], Any]] = {
    "rows": lambda t, p: t[p[0] : p[1]],
    "columns": lambda t, p: t[:, p[0] : p[1]],
    "select": lambda t, p: t[p],
    "T": lambda t, p: t.T,
    "flatten": lambda t, p: t.reshape(-1),
    "unsqueeze": lambda t, p: t.unsqueeze(0),
    "squeeze": lambda t, p: t.squeeze(),
    "detach": lambda t, p: t.detach(),
}
FUZZ_INPLACE: dict[str, Callable[[Any, Any], Any]] = {
    "add_": lambda t, v: t.add_(v),
    "sub_": lambda t, v: t.sub_(v, alpha=0.5),
    "mul_": lambda t, v: t.mul_(v),
    "div_": lambda t, v: t.div_(v),  # by a number only
    "copy_": lambda t, v: t.copy_(v),
    "+=": lambda t, v: t.__iadd__(v),
    "*=": lambda t, v: t.__imul__(v),
    "zero_": lambda t, v: t.zero_(),
    "fill_": lambda t, v: t.fill_(v),  # a number only
}


@dataclass
class FuzzProgram:
    """Leaves (shape, requires_grad), a seed for their values, and steps. Out-of-place ops and
    views add a tensor to the pool; in-place steps change one."""

    leaves: list[tuple[tuple[int, ...], bool]]
    seed: int
    steps: list[tuple[Any, ...]]

    def __repr__(self) -> str:
        lines = [f"leaves {self.leaves} (seed {self.seed})"]
        lines += [f"  {step}" for step in self.steps]
        return "\n".join(lines)


def fuzz_step(m: Any, pool: list, step: tuple[Any, ...]) -> None:
    kind, enabled, *args = step
    with grad_mode(m, enabled):
        if kind == "unary":
            fn, i = args
            pool.append(FUZZ_UNARY[fn](pool[i]))
        elif kind == "binary":
            fn, i, j = args
            pool.append(FUZZ_BINARY[fn](pool[i], pool[j]))
        elif kind == "sum":
            pool.append(pool[args[0]].sum())
        elif kind == "view":
            fn, i, param = args
            pool.append(FUZZ_VIEWS[fn](pool[i], param))
        elif kind == "setitem":
            i, (lo, hi), value = args
            pool[i][lo:hi] = value if isinstance(value, float) else pool[value]
        else:  # an in-place op, by name
            i, value = args
            operand = pool[value] if isinstance(value, int) else value  # a number or None
            FUZZ_INPLACE[kind](pool[i], operand)


def run_fuzz_program(program: FuzzProgram) -> Program:
    def run_it(m: Any, rec: dict) -> None:
        rng = np.random.default_rng(program.seed)
        pool = [
            new(m, rng.uniform(-2, 2, shape), requires_grad=requires_grad)
            for shape, requires_grad in program.leaves
        ]
        for k, step in enumerate(program.steps):
            rec[f"step {k}"] = True  # reached: an error in step k leaves this as the last key
            fuzz_step(m, pool, step)
        for i, t in enumerate(pool):
            rec[f"t{i}"] = values(t)
            rec[f"t{i}.requires_grad"], rec[f"t{i}.is_leaf"] = t.requires_grad, t.is_leaf
            rec[f"t{i}._version"] = t._version
        loss = sum((t * new(m, rng.standard_normal(tuple(t.shape)))).sum() for t in pool)
        if loss.requires_grad:
            rec["backward"] = True
            loss.backward()
        for i, (leaf, (_, requires_grad)) in enumerate(zip(pool, program.leaves)):
            if requires_grad:
                rec[f"t{i}.grad"] = grad_of(leaf)

    return run_it


@st.composite
def fuzz_programs(draw: Any) -> FuzzProgram:
    # The first leaf requires grad, so that most programs have a graph; the others may not.
    leaves = [(draw(st.sampled_from(FUZZ_SHAPES)), True)] + [
        (draw(st.sampled_from(FUZZ_SHAPES)), draw(st.booleans()))
        for _ in range(draw(st.integers(0, 2)))
    ]
    # The pool as the draw sees it, per tensor: (shape, memory, leaf) where views share their
    # base's memory, and leaf says it is a leaf that requires grad or a view of one (whose
    # in-place change torch refuses in grad mode: a few such steps are enough).
    pool = [(shape, i, requires_grad) for i, (shape, requires_grad) in enumerate(leaves)]
    # torch's own quirk, kept out of the draw: a view taken while its base needed no gradient,
    # changed in place after the base came to need one, is refused by torch as "a leaf" until
    # something reads its grad_fn. grad_memory approximates which memories need a gradient;
    # plain_views are the views taken while theirs did not.
    grad_memory = {i: requires_grad for i, (_, requires_grad) in enumerate(leaves)}
    plain_views: set[int] = set()
    steps = []
    for _ in range(draw(st.integers(1, 10))):
        enabled = draw(st.integers(0, 3)) > 0  # grad mode, mostly
        kinds = ["unary", "binary", "sum", "view", "view", "inplace", "inplace", "setitem"]
        kind = draw(st.sampled_from(kinds))
        allowed = [
            j for j in range(len(pool)) if j not in plain_views or not grad_memory[pool[j][1]]
        ]
        if kind in ("inplace", "setitem") and draw(st.integers(0, 3)) > 0:
            targets = [j for j in allowed if not pool[j][2]] or allowed
            i = draw(st.sampled_from(targets))
        elif kind in ("inplace", "setitem"):
            i = draw(st.sampled_from(allowed))
        else:
            i = draw(st.integers(0, len(pool) - 1))
        shape, memory, leaf = pool[i]
        if kind == "unary":
            steps.append(("unary", enabled, draw(st.sampled_from(sorted(FUZZ_UNARY))), i))
            grad_memory[len(pool)] = enabled and grad_memory[memory]
            pool.append((shape, len(pool), False))
        elif kind == "binary":
            others = [j for j, entry in enumerate(pool) if _broadcasts(entry[0], shape)]
            j = draw(st.sampled_from(others))
            steps.append(("binary", enabled, draw(st.sampled_from(sorted(FUZZ_BINARY))), i, j))
            grad_memory[len(pool)] = enabled and (grad_memory[memory] or grad_memory[pool[j][1]])
            pool.append((np.broadcast_shapes(shape, pool[j][0]), len(pool), False))
        elif kind == "sum":
            steps.append(("sum", enabled, i))
            grad_memory[len(pool)] = enabled and grad_memory[memory]
            pool.append(((), len(pool), False))
        elif kind == "view":
            step = _draw_view(draw, shape)
            if step is None:
                continue
            (name, param), new_shape = step
            # Views in grad mode only: torch flags a view of a tensor that requires grad made
            # under no_grad as requiring grad itself (see test_inplace_change_refused_as_in_torch
            # for the in-place change of such a view).
            steps.append(("view", True, name, i, param))
            if not grad_memory[memory] and name != "detach":
                plain_views.add(len(pool))
            pool.append((new_shape, memory, leaf and name != "detach"))
        elif kind == "setitem":
            if not shape:
                continue
            lo = draw(st.integers(0, shape[0] - 1))
            hi = draw(st.integers(lo + 1, shape[0]))
            target = (hi - lo, *shape[1:])
            operand = _draw_operand(draw, pool, i, target)
            steps.append(("setitem", enabled, i, (lo, hi), operand))
            if enabled and isinstance(operand, int) and grad_memory[pool[operand][1]]:
                grad_memory[memory] = True
        else:
            fn = draw(st.sampled_from(sorted(FUZZ_INPLACE)))
            if fn == "zero_":
                value = None
            elif fn in ("div_", "fill_"):
                value = draw(st.sampled_from([-2.0, 0.5, 3.0]))
            else:
                value = _draw_operand(draw, pool, i, shape)
            steps.append((fn, enabled, i, value))
            if enabled and isinstance(value, int) and grad_memory[pool[value][1]]:
                grad_memory[memory] = True
    return FuzzProgram(leaves, draw(st.integers(0, 2**16)), steps)


def _broadcasts(a: tuple[int, ...], b: tuple[int, ...]) -> bool:
    return all(x == y or 1 in (x, y) for x, y in zip(a[::-1], b[::-1]))


def _draw_view(draw: Any, shape: tuple[int, ...]) -> tuple[tuple[str, Any], tuple] | None:
    name = draw(st.sampled_from(sorted(FUZZ_VIEWS)))
    if name in ("rows", "columns", "select") and not shape:
        return None
    if name == "rows" or (name == "columns" and len(shape) == 2):
        axis = 0 if name == "rows" else 1
        lo = draw(st.integers(0, shape[axis] - 1))
        hi = draw(st.integers(lo + 1, shape[axis]))
        new_shape = list(shape)
        new_shape[axis] = hi - lo
        return (name, (lo, hi)), tuple(new_shape)
    if name == "select":
        k = draw(st.integers(0, shape[0] - 1))
        return (name, k), shape[1:]
    if name == "T":
        return ((name, None), shape[::-1]) if len(shape) == 2 else None
    if name == "flatten":
        return (name, None), (int(np.prod(shape)),)
    if name == "unsqueeze":
        return (name, None), (1, *shape)
    if name == "squeeze":
        return (name, None), tuple(s for s in shape if s != 1)
    if name == "detach":
        return (name, None), shape
    return None


def _draw_operand(draw: Any, pool: list, i: int, target: tuple[int, ...]) -> Any:
    """A number, or a tensor of the pool that broadcasts to ``target`` without growing it and
    shares no memory with pool[i] (torch refuses partly overlapping operands), or pool[i]."""
    memory = pool[i][1]
    candidates = [
        j
        for j, (shape, mem, _) in enumerate(pool)
        if (mem != memory or (j == i and shape == target))
        and len(shape) <= len(target)
        and _broadcasts(shape, target)
        and np.broadcast_shapes(shape, target) == target
    ]
    if not candidates or draw(st.integers(0, 3)) == 0:
        return draw(st.sampled_from([-1.5, 0.5, 2.0]))
    return draw(st.sampled_from(candidates))


@settings(
    max_examples=int(os.environ.get("FUZZ_VERSIONS", "200")),
    deadline=None,
    derandomize=IN_CI,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(program=fuzz_programs())
def test_random_programs_with_inplace_changes_match_torch(torch: Any, program: FuzzProgram) -> None:
    same_outcome(torch, run_fuzz_program(program))


# ===================================================== views that fell behind their base
def _no_grad_view_then_base_changes(m: Any, rec: dict) -> None:
    x = new(m, [1.0, 2.0, 3.0])
    with m.no_grad():
        v = x[0:2]
    x.add_(1.0)
    rec["v * 2"] = values(v * 2)


def _no_grad_view_changed_with_a_grad_operand(m: Any, rec: dict) -> None:
    y = new(m, [0.0, 0.0, 0.0])
    with m.no_grad():
        v = y[0:2]
    v.add_(new(m, 2.0, requires_grad=True))


def _backward_from_a_view_whose_base_changed(m: Any, rec: dict) -> None:
    x = new(m, [1.0, 2.0, 3.0], requires_grad=True)
    y = x * 1
    v = y[0]
    y.mul_(2.0)
    v.backward()
    rec["x.grad"] = grad_of(x)


def _grad_of_a_view_whose_base_changed(m: Any, rec: dict) -> None:
    x = new(m, [1.0, 2.0, 3.0], requires_grad=True)
    y = x * 1
    v = y[0:2]
    y.mul_(5.0)
    rec["dv/dx"] = values(m.autograd.grad(v, x, new(m, [1.0, 1.0]))[0])


def _retained_view_whose_base_changed(m: Any, rec: dict) -> None:
    x = new(m, [1.0, 2.0, 3.0], requires_grad=True)
    y = x * 1
    v = y[0:2]
    v.retain_grad()
    y.mul_(5.0)
    (v * v).sum().backward()
    rec["v.grad"], rec["x.grad"] = grad_of(v), grad_of(x)


def _view_of_data_that_came_to_need_grad(m: Any, rec: dict) -> None:
    y = new(m, [0.0, 0.0, 0.0])
    v = y[0:2]
    w = new(m, 2.0, requires_grad=True)
    y.add_(w)
    v.backward(new(m, [1.0, 1.0]))
    rec["w.grad"] = grad_of(w)


def _float_requiring_grad_into_an_integer_tensor(m: Any, rec: dict) -> None:
    x = m.tensor([1, 2, 3])
    x[0] = new(m, 2.5, requires_grad=True)
    rec["x"], rec["x.requires_grad"] = x.numpy().copy(), x.requires_grad


def _zero_a_bool_tensor(m: Any, rec: dict) -> None:
    rec["zeros"] = m.tensor([True, False]).zero_().numpy().copy()


STALE_VIEWS: dict[str, Program] = {
    "no_grad view, base changed, view used": _no_grad_view_then_base_changes,
    "no_grad view changed with a grad operand": _no_grad_view_changed_with_a_grad_operand,
    "backward from a view whose base changed": _backward_from_a_view_whose_base_changed,
    "autograd.grad of a view whose base changed": _grad_of_a_view_whose_base_changed,
    "retain_grad on a view whose base changed": _retained_view_whose_base_changed,
    "view of data that came to need grad": _view_of_data_that_came_to_need_grad,
    "x[0] = float requiring grad, x int64": _float_requiring_grad_into_an_integer_tensor,
    "zero_ of a bool tensor": _zero_a_bool_tensor,
}


@pytest.mark.parametrize("program", sorted(STALE_VIEWS))
def test_views_that_fell_behind_their_base_catch_up_as_in_torch(torch: Any, program: str) -> None:
    same_outcome(torch, STALE_VIEWS[program])


def test_inplace_arithmetic_with_a_non_number_raises_type_error(torch: Any) -> None:
    for m in (tg, torch):
        with pytest.raises(TypeError, match="str"):
            m.ones(2).add_("a")


def test_setitem_records_nothing_and_copies_nothing_outside_the_graph(monkeypatch: Any) -> None:
    """Assigning a row of data writes into its memory: IndexPut, which copies the whole tensor,
    is only for assignments the graph records."""

    def refuse(*args: Any) -> None:
        raise AssertionError("IndexPut.forward ran for an assignment nothing records")

    monkeypatch.setattr(tg.ops.IndexPut, "forward", staticmethod(refuse))
    x = tg.zeros(1000, 100)
    before = x._data
    x[3] = 1.0
    assert x._data is before and x._version == 1 and x.grad_fn is None
    assert float(x._data[3].sum()) == 100.0 and float(x._data.sum()) == 100.0
