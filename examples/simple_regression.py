"""Simple linear regression (one feature) by plain gradient descent on the raw scale.

Data: x = 400 evenly spaced points in [0, 100], y = 3.5 x + 10 + noise with noise ~ N(0, 25²).
An 80/20 train/test split; the model y = w x + b is fitted to the training part by full-batch
gradient descent on the mean squared error, with x left unscaled, and judged on the test part
by R². The learned slope and intercept are printed beside the least-squares ones.

    python examples/simple_regression.py
    python examples/simple_regression.py --epochs 3000 --seed 1   # R² good, intercept not yet

The last line printed starts with "summary:" and holds the results as key=value pairs.
"""

from __future__ import annotations

import argparse
import math

import numpy as np

import tinygrad_lr as torch
from tinygrad_lr.datasets import train_test_split
from tinygrad_lr.metrics import mse, r2_score
from tinygrad_lr.utils import TrainingDiverged, check_finite

TRUE_SLOPE, TRUE_INTERCEPT, NOISE_STD = 3.5, 10.0, 25.0

# Why lr = 2.5e-4 and 30,000 steps. The loss L(w, b) = mean((w x + b - y)²) is a quadratic bowl
# whose curvature (Hessian) is H = 2 [[mean(x²), mean(x)], [mean(x), 1]]. Gradient descent on a
# quadratic converges only if lr < 2 / λ_max(H), and along each eigenvector the error shrinks by a
# factor |1 - lr λ| per step. With x in [0, 100], mean(x²) ≈ 3333 and mean(x) ≈ 50, so
# λ_max ≈ 6700 (the slope direction) and lr must stay below 2 / 6700 ≈ 3e-4: lr = 2.5e-4 keeps a
# margin (the slope's error shrinks by |1 - 2.5e-4 * 6700| ≈ 0.68 a step, settling in a few
# dozen steps). The other eigenvalue is λ_min ≈ 0.5 (the intercept direction), so the
# intercept's error shrinks by only 1 - 1.25e-4 a step: the raw scale's condition number,
# λ_max / λ_min ≈ 13,000, makes the intercept take tens of thousands of steps (after 30,000,
# e^-3.75 ≈ 2% of its initial error is left). Meanwhile the slope compensates (a slightly steeper
# line), so R² is good long before the intercept is: try --epochs 3000 to see it.
# Standardising x (as examples/linear_regression.py --csv does) removes the problem.
DEFAULT_LR = 2.5e-4


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--epochs",
        type=int,
        default=30000,
        help="gradient steps on the whole training set (default 30000)",
    )
    parser.add_argument(
        "--lr", type=float, default=DEFAULT_LR, help=f"learning rate (default {DEFAULT_LR:g})"
    )
    parser.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    args = parser.parse_args(argv)
    if not (math.isfinite(args.lr) and args.lr > 0):
        parser.error(f"--lr must be a positive, finite number, got {args.lr:g}")
    if args.epochs < 1:
        parser.error("--epochs must be at least 1")
    return args


def main(argv=None):
    args = parse_args(argv)
    torch.manual_seed(args.seed)

    x = torch.linspace(0, 100, 400).reshape(-1, 1)
    y = TRUE_SLOPE * x + TRUE_INTERCEPT + torch.normal(0, NOISE_STD, size=(400, 1))
    x_train, x_test, y_train, y_test = train_test_split(x, y, test_size=0.2)

    w = torch.zeros(1, requires_grad=True)
    b = torch.zeros(1, requires_grad=True)
    report_every = max(1, args.epochs // 10)
    for epoch in range(1, args.epochs + 1):
        loss = ((x_train * w + b - y_train) ** 2).mean()
        # Full batch: one step per epoch. Stop at the first inf or nan.
        check_finite(loss, lr=args.lr, epoch=epoch, step=1)
        loss.backward()
        with torch.no_grad():
            w -= args.lr * w.grad
            b -= args.lr * b.grad
            w.grad.zero_()
            b.grad.zero_()
        if epoch % report_every == 0 or epoch == 1:
            print(
                f"epoch {epoch:6d}, train MSE {loss.item():10.3f}, "
                f"w {w.item():.4f}, b {b.item():.4f}"
            )

    with torch.no_grad():  # the last step's update may have overshot too
        check_finite(((x_train * w + b - y_train) ** 2).mean(), lr=args.lr, epoch=args.epochs)

    # The least-squares line of the training data, for comparison.
    slope_ls, intercept_ls = np.polyfit(x_train.numpy()[:, 0], y_train.numpy()[:, 0], 1)
    with torch.no_grad():
        y_pred = x_test * w + b
    y_pred_ls = slope_ls * x_test.numpy() + intercept_ls
    r2, r2_ls = r2_score(y_test, y_pred), r2_score(y_test, y_pred_ls)

    print(f"{'':14s}{'slope':>10s}{'intercept':>12s}{'test R²':>10s}")
    print(f"{'true':14s}{TRUE_SLOPE:10.4f}{TRUE_INTERCEPT:12.4f}")
    print(f"{'learned':14s}{w.item():10.4f}{b.item():12.4f}{r2:10.4f}")
    print(f"{'least squares':14s}{slope_ls:10.4f}{intercept_ls:12.4f}{r2_ls:10.4f}")
    print(f"test MSE {mse(y_test, y_pred):.2f} (noise variance {NOISE_STD**2:.0f})")
    print(
        f"summary: epochs={args.epochs} lr={args.lr:g} slope={w.item():.4f} "
        f"intercept={b.item():.4f} test_r2={r2:.4f} lstsq_slope={slope_ls:.4f} "
        f"lstsq_intercept={intercept_ls:.4f} lstsq_test_r2={r2_ls:.4f}"
    )


if __name__ == "__main__":
    try:
        # A diverging run overflows a step before check_finite stops it with a clear message:
        # NumPy's "overflow encountered" warnings would come first and say less.
        with np.errstate(over="ignore", invalid="ignore"):
            main()
    except TrainingDiverged as error:  # say where and why, with no traceback and no result
        raise SystemExit(
            f"error: {error} Here, with raw x in [0, 100], the learning rate must stay below "
            "about 3e-4 (see the comment above DEFAULT_LR)."
        ) from None
