"""no_grad, enable_grad and set_grad_enabled: context managers, decorators, thread-local."""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

import tinygrad_lr as tg
from tinygrad_lr import grad_mode, nn, optim


@pytest.fixture(autouse=True)
def grad_mode_is_left_on() -> Any:
    """Every test starts and must end with recording on (a leak would break later tests)."""
    assert tg.is_grad_enabled()
    yield
    leaked = not tg.is_grad_enabled()
    tg.set_grad_enabled(True)
    assert not leaked, "the test left gradient recording switched off"


@pytest.fixture
def w() -> tg.Tensor:
    return tg.tensor([1.0, 2.0], requires_grad=True)


def test_results_under_no_grad_do_not_require_grad(w: tg.Tensor) -> None:
    with tg.no_grad():
        assert not tg.is_grad_enabled()
        y = (w * 2).exp().sum()
        z = w[0] + w.mean()
    assert tg.is_grad_enabled()
    for result in (y, z):
        assert not result.requires_grad and result.grad_fn is None and result.is_leaf
    assert (w * 2).requires_grad  # recording is back on after the block


def test_no_grad_restores_the_mode_after_an_exception() -> None:
    with pytest.raises(ValueError), tg.no_grad():
        raise ValueError("boom")
    assert tg.is_grad_enabled()


def test_enable_grad_inside_no_grad(w: tg.Tensor) -> None:
    with tg.no_grad():
        with tg.enable_grad():
            assert tg.is_grad_enabled()
            assert (w * 2).requires_grad
        assert not tg.is_grad_enabled()
        assert not (w * 2).requires_grad


def test_set_grad_enabled_as_context_manager(w: tg.Tensor) -> None:
    with tg.set_grad_enabled(False):
        assert not (w * 2).requires_grad
        with tg.set_grad_enabled(True):
            assert (w * 2).requires_grad
        assert not tg.is_grad_enabled()
    assert tg.is_grad_enabled()


def test_set_grad_enabled_as_a_plain_call_switches_at_once(w: tg.Tensor) -> None:
    try:
        tg.set_grad_enabled(False)
        assert not tg.is_grad_enabled()
        assert not (w * 2).requires_grad
    finally:
        tg.set_grad_enabled(True)
    assert tg.is_grad_enabled()


def test_set_grad_enabled_wants_a_bool() -> None:
    with pytest.raises(TypeError, match="bool"):
        tg.set_grad_enabled(1)
    assert tg.is_grad_enabled()


def _doubler(x: tg.Tensor) -> tg.Tensor:
    """Multiply by two."""
    return x * 2


# Factories: calling set_grad_enabled(False) switches the mode at once (as in torch), so the
# decorators are made inside each test, not when the parameters are collected.
@pytest.mark.parametrize(
    "make_decorator, records",
    [
        (lambda: tg.no_grad(), False),
        (lambda: tg.no_grad, False),  # without parentheses, as torch allows
        (lambda: tg.set_grad_enabled(False), False),
        (lambda: tg.set_grad_enabled(True), True),
    ],
    ids=["no_grad()", "no_grad", "set_grad_enabled(False)", "set_grad_enabled(True)"],
)
def test_decorators(w: tg.Tensor, make_decorator: Callable[[], Any], records: bool) -> None:
    doubled = make_decorator()(_doubler)
    assert tg.is_grad_enabled()  # decorating switched nothing
    assert doubled.__name__ == "_doubler" and doubled.__doc__ == "Multiply by two."
    assert doubled(w).requires_grad is records
    assert doubled(w).tolist() == [2.0, 4.0]
    assert tg.is_grad_enabled()  # restored after each call


@pytest.mark.parametrize(
    "make_decorator", [lambda: tg.enable_grad(), lambda: tg.enable_grad], ids=["()", "bare"]
)
def test_enable_grad_decorator_records_inside_no_grad(
    w: tg.Tensor, make_decorator: Callable[[], Any]
) -> None:
    doubled = make_decorator()(_doubler)
    with tg.no_grad():
        assert doubled(w).requires_grad
        assert not tg.is_grad_enabled()


def test_decorated_function_restores_the_mode_when_it_raises() -> None:
    @tg.no_grad()
    def fails() -> None:
        raise KeyError("x")

    with pytest.raises(KeyError):
        fails()
    assert tg.is_grad_enabled()


def test_no_grad_on_a_method_for_the_optimizer_step(w: tg.Tensor) -> None:
    class Step:
        @tg.no_grad()
        def __call__(self, param: tg.Tensor) -> None:
            param -= 0.5 * param.grad

    (w * w).sum().backward()
    Step()(w)  # an in-place update of a leaf: allowed only because recording is off
    assert w.tolist() == [0.0, 0.0] and w.is_leaf


def test_grad_mode_is_thread_local(w: tg.Tensor) -> None:
    """no_grad in one thread does not switch recording off in another, as in torch."""
    inside = threading.Event()
    checked = threading.Event()
    seen: dict[str, Any] = {}

    def main_thread_work() -> None:
        with tg.no_grad():
            inside.set()
            checked.wait(timeout=10)
            seen["main"] = (tg.is_grad_enabled(), (w * 2).requires_grad)

    def other_thread_work() -> None:
        inside.wait(timeout=10)
        seen["other"] = (tg.is_grad_enabled(), (w * 2).requires_grad)
        checked.set()

    threads = [
        threading.Thread(target=main_thread_work),
        threading.Thread(target=other_thread_work),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=10)
    assert seen == {"main": (False, False), "other": (True, True)}


def test_a_thread_started_under_no_grad_records(w: tg.Tensor) -> None:
    seen = []
    with tg.no_grad():
        thread = threading.Thread(target=lambda: seen.append((w * 2).requires_grad))
        thread.start()
        thread.join(timeout=10)
    assert seen == [True]


def test_matches_torch_for_nested_modes(torch: Any) -> None:
    outcomes = []
    for m in (tg, torch):
        x = m.ones(1, requires_grad=True)
        modes = []
        with m.no_grad():
            modes.append((x * 1).requires_grad)
            with m.enable_grad():
                modes.append((x * 1).requires_grad)
                with m.set_grad_enabled(False):
                    modes.append((x * 1).requires_grad)
            modes.append((x * 1).requires_grad)
        modes.append((x * 1).requires_grad)
        outcomes.append(modes)
    assert outcomes[0] == outcomes[1] == [False, True, False, False, True]


# ------------------------------------------------------------------ two models, two threads
class Rendezvous:
    """Makes one thread's step happen while the other is inside ``no_grad``, deterministically.

    Without it the threads would overlap only by chance; with it, a grad mode shared between
    threads breaks the other thread's training every time.
    """

    def __init__(self) -> None:
        self.inside = threading.Event()  # set by the thread that has entered no_grad
        self.done = threading.Event()  # set by the other thread after its training step

    def skip(self) -> Rendezvous:
        """Pre-set events, for running alone (one after the other)."""
        self.inside.set()
        self.done.set()
        return self


def train_linear_model(
    seed: int, meetings: dict[int, Rendezvous], role: str, steps: int = 60
) -> list[bytes]:
    """Train nn.Linear with optim.SGD; return the parameters' bytes.

    ``role`` "eval" evaluates under no_grad at the steps in ``meetings`` and waits there for the
    other thread; ``role`` "train" waits at those steps until the evaluator is inside no_grad.
    """
    rng = np.random.default_rng(seed)  # everything from local state: nothing shared
    X = tg.from_numpy(rng.standard_normal((32, 3)).astype(np.float32))
    y = X @ tg.tensor([[1.0], [-2.0], [0.5]]) + 0.3
    model = nn.Linear(3, 1)
    with tg.no_grad():
        model.weight.copy_(tg.from_numpy(rng.standard_normal((1, 3)).astype(np.float32)))
        model.bias.zero_()
    optimizer = optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
    for step in range(steps):
        meeting = meetings.get(step)
        if meeting is not None and role == "eval":
            with tg.no_grad():
                nn.functional.mse_loss(model(X), y)
                meeting.inside.set()
                assert meeting.done.wait(timeout=10), "the training thread did not arrive"
        if meeting is not None and role == "train":
            assert meeting.inside.wait(timeout=10), "the evaluating thread did not arrive"
        loss = nn.functional.mse_loss(model(X), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        if meeting is not None and role == "train":
            meeting.done.set()
        time.sleep(0)  # let the other thread run between steps
    return [p.detach().numpy().tobytes() for p in model.parameters()]


def train_two_models_in_threads() -> tuple[list[bytes], list[bytes]]:
    meetings = {5: Rendezvous(), 23: Rendezvous(), 41: Rendezvous()}
    results: dict[str, Any] = {}

    def work(role: str, seed: int) -> None:
        try:
            results[role] = train_linear_model(seed, meetings, role)
        except BaseException as error:  # reported by the main thread
            results[role] = error
            for meeting in meetings.values():  # release the other thread
                meeting.skip()

    threads = [
        threading.Thread(target=work, args=("train", 1)),
        threading.Thread(target=work, args=("eval", 2)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    for value in results.values():
        if isinstance(value, BaseException):
            raise value
    return results["train"], results["eval"]


def test_two_threads_train_two_models_as_if_one_after_the_other() -> None:
    alone = {step: Rendezvous().skip() for step in (5, 23, 41)}
    expected_train = train_linear_model(1, alone, "train")
    expected_eval = train_linear_model(2, alone, "eval")
    for _ in range(3):
        got_train, got_eval = train_two_models_in_threads()
        assert got_train == expected_train  # bitwise: the same bytes
        assert got_eval == expected_eval


def test_the_two_threads_test_would_see_a_grad_mode_shared_by_threads(monkeypatch) -> None:
    """Replace the thread-local flag by one shared object: the test above must then fail."""

    class Shared:
        enabled = True

    shared, original = Shared(), grad_mode.state
    for name, module in list(sys.modules.items()):
        if name.split(".")[0] == "tinygrad_lr":
            for attribute, value in list(vars(module).items()):
                if value is original:
                    monkeypatch.setattr(module, attribute, shared)
    # Which symptom shows depends on where the threads interleave: a training step run during
    # the other thread's no_grad records nothing ("does not require grad"), or a parameter
    # initialised (under no_grad) after the other thread left its own no_grad is refused.
    with pytest.raises(
        RuntimeError,
        match="does not require grad|leaf Variable that requires grad is being used in an in-place",
    ):
        train_two_models_in_threads()


@pytest.mark.parametrize("decorator", ["no_grad", "enable_grad"])
def test_a_decorated_generator_runs_its_body_in_the_mode_and_the_caller_in_its_own(
    torch: Any, decorator: str
) -> None:
    def run(m: Any) -> list:
        seen = []

        @getattr(m, decorator)()
        def steps():
            for _ in range(2):
                received = yield m.is_grad_enabled()
                seen.append((received, m.is_grad_enabled()))
            return "done"

        outer = not (decorator == "enable_grad")  # the caller's mode is the opposite one
        with m.set_grad_enabled(outer):
            generator = steps()
            seen.append(next(generator))
            seen.append(m.is_grad_enabled())
            seen.append(generator.send("a"))
            try:
                generator.send("b")
            except StopIteration as stop:
                seen.append(stop.value)
            seen.append(m.is_grad_enabled())
        return seen

    assert run(tg) == run(torch)
    assert run(tg)[0] is (decorator == "enable_grad")


def test_an_exception_thrown_into_a_decorated_generator_is_raised_inside_it_in_the_mode() -> None:
    caught = []

    @tg.no_grad()
    def steps():
        try:
            yield 1
        except ValueError:
            caught.append(tg.is_grad_enabled())
            yield 2

    generator = steps()
    next(generator)
    assert generator.throw(ValueError("stop")) == 2
    assert caught == [False] and tg.is_grad_enabled()
    generator.close()
