"""Training that diverges stops at the first non-finite loss and says where and what to change.

tinygrad_lr.utils.check_finite is the one place that decides; every example calls it. The
examples are run as a user runs them, with a learning rate far too large.
"""

from __future__ import annotations

import math
import re

import numpy as np
import pytest
from test_examples import run

import tinygrad_lr as tg
from tinygrad_lr.utils import TrainingDiverged, check_finite


def test_finite_losses_pass() -> None:
    check_finite(tg.tensor(1e30), lr=0.1, epoch=1, step=1)
    check_finite(tg.ones(3, requires_grad=True) * 2, lr=0.1)  # a graph tensor, any shape
    check_finite(0.5, lr=0.1)
    check_finite(np.array([1.0, 2.0]), lr=0.1)


@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf])
def test_a_non_finite_loss_names_epoch_step_loss_and_lr(bad: float) -> None:
    loss = tg.tensor([0.5, bad, 1.0], requires_grad=True) * 1
    with pytest.raises(TrainingDiverged) as info:
        check_finite(loss, lr=0.5, epoch=3, step=7)
    message = str(info.value)
    assert f"at epoch 3, step 7: the loss is {bad}" in message
    assert "lr=0.5" in message and "lr=0.05" in message  # the suggestion: ten times smaller
    assert "standardise the features" in message
    error = info.value
    assert (error.epoch, error.step, error.lr) == (3, 7, 0.5)
    assert error.loss == bad or (math.isnan(bad) and math.isnan(error.loss))
    assert isinstance(error, FloatingPointError)


def test_the_message_says_where_with_what_it_was_given() -> None:
    for kwargs, where in [
        ({"epoch": 4}, "at the end of epoch 4"),
        ({"step": 12}, "at step 12"),
        ({}, "during training"),
    ]:
        with pytest.raises(TrainingDiverged, match=f"training diverged {where}: "):
            check_finite(tg.tensor(math.nan), lr=1.0, **kwargs)


def write_table(path) -> None:
    """A small table whose features have very different scales (as in Advertising.csv)."""
    rng = np.random.default_rng(0)
    a, c = rng.uniform(0, 300, 50), rng.uniform(0, 50, 50)
    y = 0.05 * a + 0.2 * c + 3 + rng.normal(0, 0.5, 50)
    lines = ["a,c,y"] + [f"{x1:.3f},{x2:.3f},{t:.3f}" for x1, x2, t in zip(a, c, y)]
    path.write_text("\n".join(lines) + "\n")


# Each example with a learning rate that makes it overshoot at once.
DIVERGING = {
    "linear_regression": ("linear_regression.py", "--lr", "1e6"),
    "linear_regression --csv": (
        "linear_regression.py", "--csv", "table.csv", "--target", "y", "--lr", "100",
    ),
    "linear_regression_builtins": ("linear_regression_builtins.py", "--lr", "1e6"),
    "simple_regression": ("simple_regression.py", "--lr", "1e-2"),
    "manual_vs_autograd": ("manual_vs_autograd.py", "--lr", "1e6"),
}  # fmt: skip


@pytest.mark.parametrize("name", DIVERGING)
def test_a_diverging_example_stops_and_says_where_and_why(tmp_path, name: str) -> None:
    write_table(tmp_path / "table.csv")
    script, *args = DIVERGING[name]
    result = run(script, *args, cwd=tmp_path, check=False)
    assert result.returncode == 1, result.stdout + result.stderr
    lr = args[args.index("--lr") + 1]
    message = result.stderr.strip().splitlines()[-1]
    assert message.startswith("error: training diverged at "), result.stderr
    assert re.search(r"(epoch \d+|step \d+)", message)
    assert f"lr={float(lr):g}" in message
    if script == "linear_regression.py":  # its features are on one scale (standardised)
        assert "on one scale already" in message and "lower it" in message
        assert "standardise the features" not in message
    else:
        assert "lower the learning rate" in message and "standardise the features" in message
    assert "Traceback" not in result.stderr and "RuntimeWarning" not in result.stderr
    # Nothing is reported as a result: no NaN anywhere, no summary line.
    assert not re.search(r"\bnan\b", result.stdout, re.IGNORECASE), result.stdout
    assert "summary:" not in result.stdout


def test_a_diverging_example_saves_nothing(tmp_path) -> None:
    result = run(
        "linear_regression.py", "--lr", "1e6", "--save", "w.npz", cwd=tmp_path, check=False
    )
    assert result.returncode == 1
    assert not (tmp_path / "w.npz").exists()
