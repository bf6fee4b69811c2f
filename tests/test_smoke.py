"""The smallest end-to-end check: a tutorial-style gradient is the hand-derived one."""

import numpy as np

import tinygrad_lr as tg


def test_linear_regression_gradient_matches_hand_derivation():
    rng = np.random.default_rng(0)
    X = rng.standard_normal((8, 2)).astype(np.float32)
    y = rng.standard_normal((8, 1)).astype(np.float32)
    w = tg.tensor(rng.standard_normal((2, 1)).astype(np.float32), requires_grad=True)
    b = tg.zeros(1, requires_grad=True)
    loss = ((tg.from_numpy(X) @ w + b - tg.from_numpy(y)) ** 2).mean()
    loss.backward()
    residual = X @ w.detach().numpy() + b.detach().numpy() - y
    np.testing.assert_allclose(w.grad.numpy(), 2 / 8 * X.T @ residual, rtol=1e-5)
    np.testing.assert_allclose(b.grad.numpy(), 2 / 8 * residual.sum(0), rtol=1e-5)
    assert w.grad.dtype is tg.float32
