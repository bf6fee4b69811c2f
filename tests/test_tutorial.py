"""The d2l "linear regression from scratch" program, with ``import tinygrad_lr as torch``.

The program below is the tutorial's, line for line; only the import differs. It must reach the
tutorial's fit, and, run under real torch from the same data, follow the same trajectory.
"""

from __future__ import annotations

import random
import types
from typing import Any

import numpy as np
import pytest

import tinygrad_lr as torch  # the one change to the tutorial

# ----------------------------------------------------------------------------- the tutorial


def synthetic_data(w, b, num_examples):
    """Generate y = Xw + b + noise."""
    X = torch.normal(0, 1, (num_examples, len(w)))
    y = torch.matmul(X, w) + b
    y += torch.normal(0, 0.01, y.shape)
    return X, y.reshape((-1, 1))


def data_iter(batch_size, features, labels):
    num_examples = len(features)
    indices = list(range(num_examples))
    # The examples are read at random, in no particular order
    random.shuffle(indices)
    for i in range(0, num_examples, batch_size):
        batch_indices = torch.tensor(indices[i : min(i + batch_size, num_examples)])
        yield features[batch_indices], labels[batch_indices]


def linreg(X, w, b):
    """The linear regression model."""
    return torch.matmul(X, w) + b


def squared_loss(y_hat, y):
    """Squared loss."""
    return (y_hat - y.reshape(y_hat.shape)) ** 2 / 2


def sgd(params, lr, batch_size):
    """Minibatch stochastic gradient descent."""
    with torch.no_grad():
        for param in params:
            param -= lr * param.grad / batch_size
            param.grad.zero_()


def train(features, labels, w, b, lr=0.03, num_epochs=3, batch_size=10):
    """The tutorial's training loop; returns each step's loss and each epoch's loss."""
    net = linreg
    loss = squared_loss
    step_losses, epoch_losses = [], []
    for epoch in range(num_epochs):
        for X, y in data_iter(batch_size, features, labels):
            l = loss(net(X, w, b), y)  # noqa: E741  (the tutorial's name)
            # Compute gradient on `l` with respect to [`w`, `b`]
            l.sum().backward()
            sgd([w, b], lr, batch_size)  # Update parameters using their gradient
            step_losses.append(l.sum().item())
        with torch.no_grad():
            train_l = loss(net(features, w, b), labels)
            print(f"epoch {epoch + 1}, loss {float(train_l.mean()):f}")
            epoch_losses.append(float(train_l.mean()))
    return step_losses, epoch_losses


PROGRAM = (synthetic_data, data_iter, linreg, squared_loss, sgd, train)


def program_with(module: Any) -> types.SimpleNamespace:
    """The same functions (the same code objects) with the name ``torch`` bound to ``module``.

    A function looks ``torch`` up in its globals when it runs, so giving copies of these
    functions a globals dict where ``torch`` is real torch runs the tutorial, unchanged, on it.
    """
    namespace = {**globals(), "torch": module}
    for function in PROGRAM:
        namespace[function.__name__] = types.FunctionType(
            function.__code__, namespace, function.__name__, function.__defaults__
        )
    return types.SimpleNamespace(**{f.__name__: namespace[f.__name__] for f in PROGRAM})


# ----------------------------------------------------------------------------- the tests


def test_tutorial_reaches_the_tutorials_fit(capsys: pytest.CaptureFixture[str]) -> None:
    random.seed(0)
    torch.manual_seed(0)
    true_w = torch.tensor([2, -3.4])
    true_b = 4.2
    features, labels = synthetic_data(true_w, true_b, 1000)
    assert features.shape == (1000, 2) and labels.shape == (1000, 1)
    assert features.dtype is torch.float32 and labels.dtype is torch.float32

    w = torch.normal(0, 0.01, size=(2, 1), requires_grad=True)
    b = torch.zeros(1, requires_grad=True)
    w_object, b_object = w, b
    _, epoch_losses = train(features, labels, w, b)

    assert epoch_losses[-1] < 1e-3
    assert epoch_losses[0] < 0.1 and epoch_losses == sorted(epoch_losses, reverse=True)
    error_w = true_w - w.reshape(true_w.shape)
    error_b = true_b - b
    print(f"error in estimating w: {error_w}")
    print(f"error in estimating b: {error_b}")
    assert np.all(np.abs(error_w.detach().numpy()) < 0.01)
    assert abs(error_b.item()) < 0.01
    # sgd updated the caller's tensors in place: still the same leaves, still float32.
    assert w is w_object and b is b_object and w.is_leaf and b.is_leaf
    assert w.dtype is torch.float32 and w.grad.dtype is torch.float32
    printed = capsys.readouterr().out
    assert printed.startswith("epoch 1, loss 0.0") and "epoch 3, loss 0.0000" in printed
    assert "error in estimating w: tensor([" in printed and "grad_fn=<SubBackward0>" in printed


def trajectories(real_torch: Any, torch_lr: float = 0.03) -> tuple[tuple, tuple]:
    """The tutorial trained on tinygrad_lr (lr 0.03) and on torch (lr ``torch_lr``) from the same
    data, initial parameters and batches: each run's step losses, epoch losses, w and b."""
    random.seed(1)
    torch.manual_seed(1)
    features, labels = synthetic_data(torch.tensor([2, -3.4]), 4.2, 1000)
    w_init = torch.normal(0, 0.01, size=(2, 1))

    runs = []
    for module, lr in ((torch, 0.03), (real_torch, torch_lr)):
        program = program_with(module)
        w = module.tensor(w_init.numpy().copy(), requires_grad=True)
        b = module.zeros(1, requires_grad=True)
        random.seed(2)  # the same shuffles for both
        steps, epochs = program.train(
            module.tensor(features.numpy()), module.tensor(labels.numpy()), w, b, lr=lr
        )
        runs.append((steps, epochs, w.detach().numpy().copy(), b.detach().numpy().copy()))
    return runs[0], runs[1]


# The two runs do float32 arithmetic (unit round-off u = 2**-24 = 6e-8) in different orders
# (NumPy's kernels, torch's). Each op on a residual r = Xw + b - y, where |y| ~ 5, can leave
# ~5u = 3e-7 absolute, and w and b can differ by an ulp from step to step: late in training,
# where r ~ 0.01 to 0.05, that is ~1e-5 relative on r, twice that on r², more on the smallest
# losses. A loss l = Σ ½r² over n examples (n = 10 in a step; an epoch's mean counts as n = 1)
# then moves by at most δr·√(2nl), and atol + rtol·l ≥ 2√(atol·rtol·l) covers that at every l
# while δr ≤ √(2·atol·rtol/n): with rtol = 1e-4, up to δr = 4.5e-6 in a step (atol = 1e-6, where
# losses start at ~200) and 1.4e-6 in an epoch (atol = 1e-8), over 4 times the 3e-7 above (the
# largest difference seen, 4e-5 relative on a step loss of ~1e-3, is 17 times inside). w and b
# (2 to 4.2) must agree to ~9 float32 ulps. A learning rate 1% off moves the losses by 1e-3 to
# 1e-1 relative, far outside: the test after this one checks that it fails.
STEP_LOSSES = {"rtol": 1e-4, "atol": 1e-6}
EPOCH_LOSSES = {"rtol": 1e-4, "atol": 1e-8}
PARAMETERS = {"rtol": 1e-6, "atol": 1e-7}


def test_tutorial_follows_torchs_trajectory_from_the_same_data(real_torch: Any) -> None:
    ours, theirs = trajectories(real_torch)
    assert len(ours[0]) == len(theirs[0]) == 300
    np.testing.assert_allclose(ours[0], theirs[0], **STEP_LOSSES)  # every step's loss
    np.testing.assert_allclose(ours[1], theirs[1], **EPOCH_LOSSES)  # every epoch's loss
    np.testing.assert_allclose(ours[2], theirs[2], **PARAMETERS)  # the learned w
    np.testing.assert_allclose(ours[3], theirs[3], **PARAMETERS)  # and b
    assert ours[1][-1] < 1e-3


def test_the_trajectory_check_fails_on_a_learning_rate_1_percent_off(real_torch: Any) -> None:
    ours, theirs = trajectories(real_torch, torch_lr=0.03 * 1.01)
    with pytest.raises(AssertionError, match="Not equal to tolerance"):
        np.testing.assert_allclose(ours[0], theirs[0], **STEP_LOSSES)
    with pytest.raises(AssertionError, match="Not equal to tolerance"):
        np.testing.assert_allclose(ours[1], theirs[1], **EPOCH_LOSSES)


@pytest.fixture
def real_torch(torch: Any) -> Any:
    """torch itself (conftest's ``torch`` fixture; renamed here, where ``torch`` is us)."""
    return torch
