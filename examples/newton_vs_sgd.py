"""One Newton step against many SGD steps: the tutorial's regression solved by its Hessian.

The data are the tutorial's, y = 3.0 x1 - 1.2 x2 + 2.0 + N(0, 0.01²), in float64. Both methods
start from the tutorial's initial parameters (w ~ N(0, 0.01²), b = 0) and minimise its loss,
L(θ) = 1/N Σ ½(x·w + b − y)² with θ = (w1, w2, b). SGD takes mini-batch steps and prints L every
few epochs. Newton takes one step,

    θ ← θ − H⁻¹ ∇L(θ),

with the gradient ∇L from autograd and the Hessian H = ∂²L/∂θ² from
tinygrad_lr.autograd.functional.hessian. L is quadratic (H = X̃ᵀX̃/N with X̃ = [X 1], the same
at every θ), so that one step lands on the least-squares solution, which np.linalg.lstsq
computes independently: they agree to float64 rounding, while SGD stops near it.

    python examples/newton_vs_sgd.py
    python examples/newton_vs_sgd.py --epochs 20 --print-every 5 --lr 0.01 --seed 1

The last line printed starts with "summary:" and holds the results as key=value pairs.
"""

from __future__ import annotations

import argparse
import math

import numpy as np

import tinygrad_lr as torch
from tinygrad_lr.autograd.functional import hessian
from tinygrad_lr.datasets import data_iter, synthetic_data
from tinygrad_lr.utils import TrainingDiverged, check_finite

TRUE_W, TRUE_B = [3.0, -1.2], 2.0


def linreg(X, w, b):
    """The linear regression model."""
    return torch.matmul(X, w) + b


def squared_loss(y_hat, y):
    """Squared loss."""
    return (y_hat - y.reshape(y_hat.shape)) ** 2 / 2


def full_loss(features, labels):
    """L(θ) on the whole data set, with θ = (w1, ..., wd, b) as one vector (for the Hessian)."""

    def loss(theta):
        w, b = theta[:-1].reshape(-1, 1), theta[-1:]
        return squared_loss(linreg(features, w, b), labels).mean()

    return loss


def sgd_path(features, labels, w, b, epochs, lr, batch_size, print_every):
    """The tutorial's mini-batch SGD from (w, b); prints the full loss every few epochs."""
    w, b = w.clone().requires_grad_(), b.clone().requires_grad_()
    loss = full_loss(features, labels)
    for epoch in range(1, epochs + 1):
        for step, (X, y) in enumerate(data_iter(batch_size, features, labels), start=1):
            l = squared_loss(linreg(X, w, b), y)  # noqa: E741  (the tutorial's name)
            check_finite(l, lr=lr, epoch=epoch, step=step)
            l.sum().backward()
            with torch.no_grad():
                for param in (w, b):
                    param -= lr * param.grad / batch_size
                    param.grad.zero_()
        if epoch % print_every == 0 or epoch == epochs:
            with torch.no_grad():
                current = loss(torch.cat([w.reshape(-1), b]))
            check_finite(current, lr=lr, epoch=epoch)
            print(f"SGD epoch {epoch:3d}: loss {current.item():.10f}")
    return torch.cat([w.detach().reshape(-1), b.detach()])


def newton_step(loss, theta):
    """θ − H⁻¹∇L(θ), with ∇L and H from autograd; returns it, ∇L and H."""
    theta = theta.clone().requires_grad_()
    (gradient,) = torch.autograd.grad(loss(theta), theta)
    H = hessian(loss, theta)  # shape (p, p): ∂²L/∂θᵢ∂θⱼ
    step = np.linalg.solve(H.detach().numpy(), gradient.numpy())  # H⁻¹∇L, without forming H⁻¹
    return theta.detach() - torch.from_numpy(step), gradient, H


def fmt(values):
    """A list as [1.0000,2.0000]: no spaces, so that it is one key=value token."""
    return "[" + ",".join(f"{v:.10f}" for v in values) + "]"


def parse_args(argv=None):
    parser = argparse.ArgumentParser(
        description=__doc__.splitlines()[0],
        epilog="Data: synthetic y = 3.0*x1 - 1.2*x2 + 2.0 + N(0, 0.01), in float64.",
    )
    parser.add_argument("--epochs", type=int, default=10, help="SGD epochs (default 10)")
    parser.add_argument(
        "--print-every", type=int, default=2, help="print SGD's loss every N epochs (default 2)"
    )
    parser.add_argument("--lr", type=float, default=0.03, help="SGD learning rate (default 0.03)")
    parser.add_argument("--batch-size", type=int, default=10, help="mini-batch size (default 10)")
    parser.add_argument("--samples", type=int, default=1000, help="examples (default 1000)")
    parser.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    args = parser.parse_args(argv)
    if not (math.isfinite(args.lr) and args.lr > 0):
        parser.error(f"--lr must be a positive, finite number, got {args.lr:g}")
    for name in ("epochs", "print_every", "batch_size"):
        if getattr(args, name) < 1:
            parser.error(f"--{name.replace('_', '-')} must be at least 1")
    if args.samples < 4:
        parser.error("--samples must be at least 4 (more rows than the 3 parameters)")
    return args


def main(argv=None):
    args = parse_args(argv)
    torch.manual_seed(args.seed)  # the data, the initial w and the shuffles
    features, labels = synthetic_data(
        torch.tensor(TRUE_W, dtype=torch.float64), TRUE_B, args.samples
    )
    w0 = torch.normal(0, 0.01, size=(2, 1), dtype=torch.float64)
    b0 = torch.zeros(1, dtype=torch.float64)
    theta0 = torch.cat([w0.reshape(-1), b0])
    loss = full_loss(features, labels)
    print(f"{args.samples} examples; start θ = (w1, w2, b) = {np.round(theta0.numpy(), 4)}")
    print(f"start: loss {loss(theta0).item():.10f}")

    sgd = sgd_path(
        features, labels, w0, b0, args.epochs, args.lr, args.batch_size, args.print_every
    )
    newton, gradient, H = newton_step(loss, theta0)
    X1 = np.hstack([features.numpy(), np.ones((args.samples, 1))])
    lstsq, *_ = np.linalg.lstsq(X1, labels.numpy()[:, 0], rcond=None)

    print(f"∇L at the start: {np.round(gradient.numpy(), 6)}")
    print("H = ∂²L/∂θ² from autograd.functional.hessian:")
    print(np.round(H.numpy(), 6))
    print(
        f"H against X̃ᵀX̃/N: max difference {np.abs(H.numpy() - X1.T @ X1 / args.samples).max():.1e}"
    )
    print(f"{'':26s}{'w1':>14s}{'w2':>14s}{'b':>14s}{'loss':>16s}")
    rows = [
        ("start", theta0.numpy()),
        (f"SGD, {args.epochs} epochs", sgd.numpy()),
        ("Newton, 1 step", newton.numpy()),
        ("np.linalg.lstsq", lstsq),
    ]
    losses = {}
    for label, theta in rows:
        losses[label] = loss(torch.from_numpy(np.asarray(theta, dtype=np.float64))).item()
        cells = "".join(f"{v:14.10f}" for v in theta)
        print(f"{label:26s}{cells}{losses[label]:16.12f}")
    newton_diff = float(np.abs(newton.numpy() - lstsq).max())
    sgd_diff = float(np.abs(sgd.numpy() - lstsq).max())
    print(f"max |Newton - lstsq| = {newton_diff:.1e}   (float64 rounding)")
    print(f"max |SGD - lstsq|    = {sgd_diff:.1e}")
    print(
        f"summary: epochs={args.epochs} sgd_loss={losses[rows[1][0]]:.12f} "
        f"newton_loss={losses['Newton, 1 step']:.12f} lstsq_loss={losses['np.linalg.lstsq']:.12f} "
        f"newton_w={fmt(newton.numpy()[:2])} newton_b={newton.numpy()[2]:.10f} "
        f"lstsq_w={fmt(lstsq[:2])} lstsq_b={lstsq[2]:.10f} "
        f"newton_lstsq_diff={newton_diff:.3e} sgd_lstsq_diff={sgd_diff:.3e}"
    )
    return {"newton": newton.numpy(), "lstsq": lstsq, "sgd": sgd.numpy()}


if __name__ == "__main__":
    try:
        # A diverging run overflows a step before check_finite stops it with a clear message:
        # NumPy's "overflow encountered" warnings would come first and say less.
        with np.errstate(over="ignore", invalid="ignore"):
            main()
    except TrainingDiverged as error:  # say where and why, with no traceback and no result
        raise SystemExit(f"error: {error}") from None
