"""Hand-derived gradients against autograd: one linear regression trained both ways.

The model is ŷ = Xw + b with the mean squared error L = 1/N Σ(ŷ - y)². By the chain rule

    dL/dw = 2/N · Σ (ŷ - y) x      (in matrix form: 2/N · Xᵀ(ŷ - y))
    dL/db = 2/N · Σ (ŷ - y)

Two copies of the parameters start equal. One is trained with these formulas written in plain
NumPy; the other with tinygrad_lr's loss.backward(). Each step prints both losses and the
largest difference between the two gradients and between the two sets of parameters: they
agree to float32 rounding. --grad-check also runs tinygrad_lr.autograd.gradcheck on the loss
(backward against central finite differences, in float64).

    python examples/manual_vs_autograd.py
    python examples/manual_vs_autograd.py --steps 50 --lr 0.05 --grad-check

The last line printed starts with "summary:" and holds the results as key=value pairs.
"""

from __future__ import annotations

import argparse
import math

import numpy as np

import tinygrad_lr as torch
from tinygrad_lr.datasets import synthetic_data
from tinygrad_lr.utils import TrainingDiverged, check_finite


def manual_gradients(X, y, w, b):
    """Loss and gradients of L = mean((Xw + b - y)²) by the formulas above, in NumPy."""
    residual = X @ w + b - y  # ŷ - y, shape (N, 1)
    n = len(X)
    loss = np.mean(residual**2)
    grad_w = 2 / n * X.T @ residual  # 2/N Σ (ŷ - y) x, one entry per feature
    grad_b = 2 / n * residual.sum(axis=0)  # 2/N Σ (ŷ - y)
    return loss, grad_w, grad_b


def mse_loss(X, y, w, b):
    """The same loss written with tensors, for autograd to differentiate."""
    return ((torch.matmul(X, w) + b - y) ** 2).mean()


def grad_check(X, y, w, b):
    """gradcheck of the loss in float64 at (w, b), and the hand formulas against autograd."""
    X64, y64 = X.double(), y.double()
    w64 = w.detach().double().requires_grad_()
    b64 = b.detach().double().requires_grad_()
    passed = torch.autograd.gradcheck(lambda w, b: mse_loss(X64, y64, w, b), (w64, b64))
    mse_loss(X64, y64, w64, b64).backward()
    _, grad_w, grad_b = manual_gradients(
        X64.numpy(), y64.numpy(), w64.detach().numpy(), b64.detach().numpy()
    )
    formula_diff = max(
        np.abs(grad_w - w64.grad.numpy()).max(), np.abs(grad_b - b64.grad.numpy()).max()
    )
    return passed, float(formula_diff)


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=20, help="gradient steps (default 20)")
    parser.add_argument("--lr", type=float, default=0.1, help="learning rate (default 0.1)")
    parser.add_argument("--samples", type=int, default=100, help="examples (default 100)")
    parser.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    parser.add_argument(
        "--grad-check",
        action="store_true",
        help="also check autograd against finite differences (float64 gradcheck)",
    )
    args = parser.parse_args(argv)
    if not (math.isfinite(args.lr) and args.lr > 0):
        parser.error(f"--lr must be a positive, finite number, got {args.lr:g}")
    if args.steps < 1 or args.samples < 1:
        parser.error("--steps and --samples must be at least 1")
    return args


def main(argv=None):
    args = parse_args(argv)
    torch.manual_seed(args.seed)
    X, y = synthetic_data(torch.tensor([3.0, -1.2]), 2.0, args.samples)

    # Autograd's parameters, and a NumPy copy of the same starting values for the hand version.
    w = torch.normal(0, 0.01, size=(2, 1), requires_grad=True)
    b = torch.zeros(1, requires_grad=True)
    w_hand, b_hand = w.detach().numpy().copy(), b.detach().numpy().copy()
    X_np, y_np = X.numpy(), y.numpy()

    columns = ("loss (hand)", "loss (autograd)", "max |Δgrad|", "max |Δparam|")
    print(f"{'step':>4s} {columns[0]:>12s} {columns[1]:>16s} {columns[2]:>12s} {columns[3]:>13s}")
    worst_grad = worst_param = 0.0
    for step in range(1, args.steps + 1):
        loss_hand, grad_w, grad_b = manual_gradients(X_np, y_np, w_hand, b_hand)

        loss = mse_loss(X, y, w, b)
        check_finite(loss, lr=args.lr, step=step)  # stop at the first inf or nan
        loss.backward()

        grad_diff = max(
            np.abs(grad_w - w.grad.numpy()).max(), np.abs(grad_b - b.grad.numpy()).max()
        )
        with torch.no_grad():  # the same update for both copies
            w -= args.lr * w.grad
            b -= args.lr * b.grad
            w.grad.zero_()
            b.grad.zero_()
        w_hand -= args.lr * grad_w
        b_hand -= args.lr * grad_b

        param_diff = max(
            np.abs(w_hand - w.detach().numpy()).max(), np.abs(b_hand - b.detach().numpy()).max()
        )
        worst_grad, worst_param = max(worst_grad, grad_diff), max(worst_param, param_diff)
        print(
            f"{step:4d} {loss_hand:12.6f} {loss.item():16.6f} {grad_diff:12.2e} {param_diff:13.2e}"
        )

    with torch.no_grad():  # the last update may have overshot too
        check_finite(mse_loss(X, y, w, b), lr=args.lr, step=args.steps)
    learned = w.detach().reshape(-1).tolist()
    print(f"learned w = [{learned[0]:.4f}, {learned[1]:.4f}], b = {b.item():.4f}", end=" ")
    print("(true w = [3.0, -1.2], b = 2.0)")
    check, float64_diff = "not-run", ""
    if args.grad_check:
        passed, formula_diff = grad_check(X, y, w, b)
        check = "passed" if passed else "failed"
        print(f"gradcheck (float64, central differences): {check}")
        print(f"hand formulas against autograd in float64: max |Δgrad| = {formula_diff:.2e}")
        float64_diff = f" float64_grad_diff={formula_diff:.3e}"
    print(
        f"summary: steps={args.steps} loss_hand={loss_hand:.6f} loss_autograd={loss.item():.6f} "
        f"max_grad_diff={worst_grad:.3e} max_param_diff={worst_param:.3e} "
        f"w=[{learned[0]:.4f},{learned[1]:.4f}] b={b.item():.4f} gradcheck={check}{float64_diff}"
    )


if __name__ == "__main__":
    try:
        # A diverging run overflows a step before check_finite stops it with a clear message:
        # NumPy's "overflow encountered" warnings would come first and say less.
        with np.errstate(over="ignore", invalid="ignore"):
            main()
    except TrainingDiverged as error:  # say where and why, with no traceback and no result
        raise SystemExit(f"error: {error}") from None
