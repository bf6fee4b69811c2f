"""tinygrad_lr.compile: a recorded step replays to exactly the eager run's numbers, refuses what
it cannot replay, and its check catches a step that changed behind its back."""

from __future__ import annotations

import re
import warnings

import numpy as np
import pytest

import tinygrad_lr as tg
import tinygrad_lr.nn.functional as F
from tinygrad_lr import nn, optim
from tinygrad_lr.autograd.function import Function
from tinygrad_lr.compiled import CompiledFunction
from tinygrad_lr.datasets import data_iter, synthetic_data
from tinygrad_lr.utils.data import DataLoader, TensorDataset


def tutorial(compiled: bool, epochs: int = 3):
    """The from-scratch tutorial: data_iter outside the step, hand-written SGD inside."""
    tg.manual_seed(0)
    features, labels = synthetic_data(tg.tensor([3.0, -1.2]), 2.0, 1000)
    w = tg.normal(0, 0.01, size=(2, 1), requires_grad=True)
    b = tg.zeros(1, requires_grad=True)

    def step(X, y):
        loss = ((tg.matmul(X, w) + b - y.reshape(-1, 1)) ** 2 / 2).sum()
        loss.backward()
        with tg.no_grad():
            for param in (w, b):
                param -= 0.03 * param.grad / 10
                param.grad.zero_()
        return loss

    run = tg.compile(step) if compiled else step
    losses = [run(X, y).item() for _ in range(epochs) for X, y in data_iter(10, features, labels)]
    return [w.detach().numpy().copy(), b.detach().numpy().copy()], losses, run


def builtins(compiled: bool, make_model, make_optimizer, samples=995, epochs=3, scheduler=None):
    """nn, F.mse_loss and an optimizer inside the step, a DataLoader outside (995 rows: the last
    batch of each epoch is shorter)."""
    tg.manual_seed(0)
    features, labels = synthetic_data(tg.tensor([3.0, -1.2]), 2.0, samples)
    model = make_model()
    optimizer = make_optimizer(model.parameters())
    schedule = scheduler(optimizer) if scheduler else None

    def step(X, y):
        loss = F.mse_loss(model(X), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        return loss

    run = tg.compile(step) if compiled else step
    loader = DataLoader(TensorDataset(features, labels), batch_size=10, shuffle=True)
    losses = []
    for _ in range(epochs):
        losses += [run(X, y).item() for X, y in loader]
        if schedule is not None:
            schedule.step()
    return [p.detach().numpy().copy() for p in model.parameters()], losses, run


def assert_identical(eager, compiled):
    (params_e, losses_e), (params_c, losses_c) = eager[:2], compiled[:2]
    assert losses_c == losses_e
    for a, b in zip(params_e, params_c):
        np.testing.assert_array_equal(a, b)


def test_the_tutorial_step_replays_to_the_eager_numbers():
    eager, compiled = tutorial(False), tutorial(True)
    assert_identical(eager, compiled)
    run = compiled[2]
    assert len(run.programs) == 1 and run.eager == {}
    lines = str(next(iter(run.programs.values())))
    assert "MatMul(x0, s0)" in lines and "add_into(" in lines and lines.startswith("  1  ")


def test_the_replay_runs_the_lines_it_prints_and_frees_arrays_after_their_last_use():
    run = tutorial(True, epochs=1)[2]
    program = next(iter(run.programs.values()))
    statements = [line.split(None, 1)[1] for line in program.lines()]
    body = [line.strip() for line in program.source.splitlines()[1:]]
    assert [line for line in body if not line.startswith(("del ", "return "))] == statements
    returned = re.fullmatch(r"return make\((b\d+)\)", body[-1]).group(1)
    read_later = {}  # every b-name must be deleted after its last reader, never before
    for number, line in enumerate(body):
        for name in re.findall(r"\bb\d+\b", line):
            read_later[name] = number if not line.startswith("del ") else read_later[name]
    deleted = {n: i for i, line in enumerate(body) if line.startswith("del ")
               for n in line[4:].split(", ")}  # fmt: skip
    assert set(deleted) == set(read_later) - {returned}  # the returned loss stays
    assert all(deleted[name] == read_later[name] + 1 for name in deleted)


def test_entries_reading_only_constants_fold_into_one_constant():
    run = tutorial(True, epochs=1)[2]
    program = next(iter(run.programs.values()))
    text = str(program)
    assert "Expand" not in text and "c0" in text  # backward's seed, spread and halved
    (constant,) = program.constants
    np.testing.assert_array_equal(program.slots[constant], np.full((10, 1), 0.5, np.float32))


LINEAR = lambda: nn.Linear(2, 1)  # noqa: E731
TWO_LAYERS = lambda: nn.Sequential(nn.Linear(2, 8), nn.ReLU(), nn.Linear(8, 1))  # noqa: E731
OPTIMIZERS = {
    "SGD": lambda ps: optim.SGD(ps, lr=0.03),
    "momentum": lambda ps: optim.SGD(ps, lr=0.03, momentum=0.9),
    "nesterov, weight decay": lambda ps: optim.SGD(
        ps, lr=0.03, momentum=0.9, nesterov=True, weight_decay=1e-3
    ),
    "Adam": lambda ps: optim.Adam(ps, lr=0.01),
    "Adam amsgrad": lambda ps: optim.Adam(ps, lr=0.01, amsgrad=True),
    "AdamW": lambda ps: optim.AdamW(ps, lr=0.01),
    "RMSprop": lambda ps: optim.RMSprop(ps, lr=0.01, momentum=0.5, centered=True),
    "Adagrad": lambda ps: optim.Adagrad(ps, lr=0.1, lr_decay=0.01),
}


@pytest.mark.parametrize("name", list(OPTIMIZERS))
def test_builtins_with_each_optimizer_replay_to_the_eager_numbers(name):
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no step may fall back to eager
        compiled = builtins(True, LINEAR, OPTIMIZERS[name])
    assert_identical(builtins(False, LINEAR, OPTIMIZERS[name]), compiled)
    run = compiled[2]
    assert len(run.programs) == 2 and run.eager == {}  # the full batches and the last one


def test_a_two_layer_model_replays_to_the_eager_numbers():
    make = OPTIMIZERS["momentum"]
    assert_identical(builtins(False, TWO_LAYERS, make), builtins(True, TWO_LAYERS, make))


def test_a_scheduler_changing_lr_makes_the_step_record_again():
    def schedule(optimizer):
        return optim.lr_scheduler.StepLR(optimizer, step_size=1, gamma=0.5)

    eager = builtins(False, LINEAR, OPTIMIZERS["SGD"], epochs=4, scheduler=schedule)
    compiled = builtins(True, LINEAR, OPTIMIZERS["SGD"], epochs=4, scheduler=schedule)
    assert_identical(eager, compiled)


class Cube(Function):
    """out = a³; da = 3a² g: a Function written by a user."""

    @staticmethod
    def forward(ctx, a):
        ctx.save_for_backward(a)
        return a**3

    @staticmethod
    def backward(ctx, g):
        (a,) = ctx.saved_tensors
        return 3 * a * a * g


def custom_function_run(compiled: bool):
    tg.manual_seed(1)
    w = tg.randn(3, requires_grad=True)
    X = [tg.randn(4, 3) for _ in range(6)]

    def step(x):
        loss = Cube.apply(x * w).mean()
        loss.backward()
        with tg.no_grad():
            w.sub_(0.1 * w.grad)
            w.grad = None
        return loss

    run = tg.compile(step) if compiled else step
    losses = [run(x).item() for x in X]
    return [w.detach().numpy().copy()], losses


def test_a_custom_function_replays_to_the_eager_numbers():
    assert_identical(custom_function_run(False), custom_function_run(True))


def test_a_new_dtype_records_a_program_of_its_own():
    w = tg.zeros(2, dtype=tg.float64, requires_grad=True)

    @tg.compile
    def step(x):
        loss = (x.double() @ w - 1).pow(2).sum()
        loss.backward()
        with tg.no_grad():
            w.sub_(0.01 * w.grad)
            w.grad.zero_()
        return loss

    for dtype in (tg.float32, tg.float64):
        for _ in range(4):
            step(tg.ones(3, 2, dtype=dtype))
    assert len(step.programs) == 2
    assert step.program(tg.ones(3, 2)) is not step.program(tg.ones(3, 2, dtype=tg.float64))


# ------------------------------------------------------------------ what a replay cannot repeat
def refused(body):
    """Run a step that does ``body(loss)`` five times, compiled; returns the warnings."""
    w = tg.ones(2, requires_grad=True)

    def step(x):
        loss = (x * w).sum()
        body(loss)
        loss.backward()
        with tg.no_grad():
            w.sub_(0.1 * w.grad)
            w.grad.zero_()
        return loss

    run = tg.compile(step)
    eager_w = tg.ones(2, requires_grad=True)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        for i in range(5):
            run(tg.tensor([1.0, float(i)]))
    # Eagerly the same steps: the refused step still gives the eager numbers.
    for i in range(5):
        loss = (tg.tensor([1.0, float(i)]) * eager_w).sum()
        body(loss)
        loss.backward()
        with tg.no_grad():
            eager_w.sub_(0.1 * eager_w.grad)
            eager_w.grad.zero_()
    np.testing.assert_array_equal(w.detach().numpy(), eager_w.detach().numpy())
    assert run.programs == {} and len(run.eager) == 1
    return [str(w.message) for w in caught]


def test_reading_a_value_into_python_is_refused():
    messages = refused(lambda loss: loss.item())
    assert any("Tensor.item()" in m and "runs eagerly" in m for m in messages)


def test_a_branch_on_a_tensor_value_is_refused():
    def branch(loss):
        if loss > 1:  # a data-dependent branch: bool() of a tensor
            pass

    assert any("Tensor.__bool__()" in m for m in refused(branch))


def test_random_numbers_inside_the_step_are_refused():
    assert any("random numbers" in m for m in refused(lambda loss: tg.randn(2)))


def test_a_python_change_after_recording_is_caught_by_the_check():
    w = tg.ones(2, requires_grad=True)
    setting = {"lr": 0.1}

    @tg.compile
    def step(x):
        loss = (x * w).sum()
        loss.backward()
        with tg.no_grad():
            w.sub_(setting["lr"] * w.grad)  # a Python value the recording keeps
            w.grad.zero_()
        return loss

    x = tg.tensor([1.0, 2.0])
    step(x)
    step(x)  # recorded with lr = 0.1
    setting["lr"] = 0.5
    with pytest.raises(tg.CompileError, match=r"first entry that differed: entry \d+, "):
        step(x)  # the check: replay and eager differ
    after_check = w.detach().numpy().copy()
    np.testing.assert_allclose(after_check, [1 - 0.1 - 0.1 - 0.5, 1 - 0.2 - 0.2 - 1.0], rtol=1e-6)
    with pytest.warns(UserWarning, match="runs eagerly: a replay differed"):
        step(x)
    np.testing.assert_allclose(w.detach().numpy(), after_check - [0.5, 1.0], rtol=1e-6)


def test_check_always_catches_a_change_long_after_recording():
    w = tg.ones(2, requires_grad=True)
    scale = [1.0]

    @tg.compile(check="always")
    def step(x):
        loss = (x * w).sum() * scale[0]
        loss.backward()
        with tg.no_grad():
            w.sub_(0.01 * w.grad)
            w.grad.zero_()
        return loss

    for _ in range(20):
        step(tg.ones(2))
    scale[0] = 2.0
    with pytest.raises(tg.CompileError):
        step(tg.ones(2))


def test_the_hooks_are_gone_after_recording_even_when_the_step_raises():
    apply = Function.__dict__["apply"]

    calls = []

    @tg.compile
    def step(x):
        calls.append(1)
        if len(calls) == 2:
            raise ValueError("boom")
        return x * 2

    step(tg.ones(3))
    with pytest.raises(ValueError, match="boom"):
        step(tg.ones(3))  # raised while recording
    assert Function.__dict__["apply"] is apply
    for _ in range(4):  # recorded on the next call, then replayed
        assert step(tg.ones(3)).tolist() == [2.0, 2.0, 2.0]
    assert len(step.programs) == 1
    assert tg.Tensor.__dict__["item"] is not None and tg.ones(1).item() == 1.0


def test_results_tuples_and_none_are_rebuilt():
    @tg.compile
    def pair(x):
        return x * 2, (x + 1).sum()

    for i in range(5):
        doubled, total = pair(tg.tensor([1.0, float(i)]))
    assert doubled.tolist() == [2.0, 8.0] and total.item() == 7.0

    @tg.compile
    def nothing(x):
        x.add_(1)

    x = tg.zeros(2)
    for _ in range(5):
        assert nothing(x) is None
    assert x.tolist() == [5.0, 5.0]


def test_a_constant_the_step_writes_into_starts_fresh_on_every_replay():
    @tg.compile
    def step(x):
        total = tg.zeros(2)
        total += x
        return total

    results = [step(tg.tensor([1.0, 2.0])).tolist() for _ in range(6)]
    assert results == [[1.0, 2.0]] * 6


def test_compile_takes_torch_compiles_arguments():
    assert isinstance(tg.compile(lambda x: x, mode="reduce-overhead", fullgraph=True),
                      CompiledFunction)  # fmt: skip
    with pytest.raises(TypeError, match="unexpected keyword arguments: \\['speed'\\]"):
        tg.compile(lambda x: x, speed=2)
    with pytest.raises(ValueError, match="check must be 'once' or 'always'"):
        tg.compile(lambda x: x, check="never")
    identity = lambda x: x  # noqa: E731
    assert tg.compile(identity, disable=True) is identity
    assert tg.compile(disable=True)(identity) is identity


def test_arguments_by_keyword_and_a_step_that_recompiles_too_often():
    @tg.compile
    def scaled(x, *, factor):
        return x * factor

    for _ in range(4):
        assert scaled(tg.ones(2), factor=3.0).tolist() == [3.0, 3.0]
    assert len(scaled.programs) == 1
    with pytest.warns(UserWarning, match="its arguments changed 32 times"):
        for i in range(40):  # a Python number that changes on every call
            assert scaled(tg.ones(1), factor=float(i)).tolist() == [float(i)]


def test_a_list_of_tensors_as_argument_runs_eagerly_with_a_warning():
    @tg.compile
    def total(xs):
        return xs[0] + xs[1]

    with pytest.warns(UserWarning, match="not lists or tuples of tensors"):
        assert total([tg.ones(1), tg.ones(1)]).tolist() == [2.0]
