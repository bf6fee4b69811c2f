"""Linear regression with the built-in pieces, as the PyTorch tutorial's concise version.

The same fit as linear_regression.py, but the model is ``nn.Linear``, the loss
``F.mse_loss``, the update ``optim.SGD`` and the mini-batches come from
``DataLoader(TensorDataset(X, y), shuffle=True)``. The data (y = Xw + b + noise, known w and b)
are split 80/20; the model learns on the 80 % and is judged on the unseen 20 % by its mean
squared error, mean absolute error and R².

    python examples/linear_regression_builtins.py
    python examples/linear_regression_builtins.py --epochs 5 --lr 0.03 --batch-size 10
    python examples/linear_regression_builtins.py --save model.npz   # net.state_dict()

The last line printed starts with "summary:" and holds the results as key=value pairs.
"""

from __future__ import annotations

import argparse
import math

import numpy as np

import tinygrad_lr as torch
import tinygrad_lr.nn.functional as F
from tinygrad_lr import nn, optim
from tinygrad_lr.datasets import synthetic_data, train_test_split
from tinygrad_lr.metrics import mae, mse, r2_score
from tinygrad_lr.utils import TrainingDiverged, check_finite
from tinygrad_lr.utils.data import DataLoader, TensorDataset


def fmt(values):
    """A list as [1.0000,2.0000]: no spaces, so that it is one key=value token."""
    return "[" + ",".join(f"{v:.4f}" for v in values) + "]"


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=3, help="passes over the data (default 3)")
    parser.add_argument("--lr", type=float, default=0.03, help="learning rate (default 0.03)")
    parser.add_argument("--batch-size", type=int, default=10, help="mini-batch size (default 10)")
    parser.add_argument(
        "--samples", type=int, default=1000, help="examples generated, before the split"
    )
    parser.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    parser.add_argument(
        "--save", metavar="PATH", help="save the model's state_dict() with tinygrad_lr.save"
    )
    args = parser.parse_args(argv)
    if not (math.isfinite(args.lr) and args.lr > 0):
        parser.error(f"--lr must be a positive, finite number, got {args.lr:g}")
    for name in ("epochs", "batch_size"):
        if getattr(args, name) < 1:
            parser.error(f"--{name.replace('_', '-')} must be at least 1")
    if args.samples < 5:
        parser.error("--samples must be at least 5 (an 80/20 split needs a test row)")
    return args


def main(argv=None):
    args = parse_args(argv)
    torch.manual_seed(args.seed)  # the data, the split, the initial weights and the shuffles

    true_w = torch.tensor([3.0, -1.2])
    true_b = 2.0
    features, labels = synthetic_data(true_w, true_b, args.samples)
    X_train, X_test, y_train, y_test = train_test_split(features, labels, test_size=0.2)
    print(f"{len(X_train)} training and {len(X_test)} test examples")

    loader = DataLoader(TensorDataset(X_train, y_train), batch_size=args.batch_size, shuffle=True)
    net = nn.Linear(2, 1)
    net.weight.data.normal_(0, 0.01)  # the tutorial's initialisation
    net.bias.data.fill_(0)
    trainer = optim.SGD(net.parameters(), lr=args.lr)

    for epoch in range(args.epochs):
        for step, (X, y) in enumerate(loader, start=1):
            l = F.mse_loss(net(X), y)  # noqa: E741  (the tutorial's name)
            check_finite(l, lr=args.lr, epoch=epoch + 1, step=step)  # stop if training diverges
            trainer.zero_grad()
            l.backward()
            trainer.step()
        with torch.no_grad():
            l = F.mse_loss(net(X_train), y_train)  # noqa: E741
        check_finite(l, lr=args.lr, epoch=epoch + 1)
        print(f"epoch {epoch + 1}, loss {l:f}")

    w, b = net.weight.data.reshape(-1), net.bias.data
    print(f"error in estimating w: {true_w - w}")
    print(f"error in estimating b: {true_b - b}")
    print(f"learned w = {fmt(w.tolist())}, b = {b.item():.4f}", end=" ")
    print(f"(true w = {fmt(true_w.tolist())}, b = {true_b:.4f})")

    with torch.no_grad():
        y_pred = net(X_test)
    test_mse, test_mae, test_r2 = mse(y_test, y_pred), mae(y_test, y_pred), r2_score(y_test, y_pred)
    print(f"test MSE {test_mse:.6f}, MAE {test_mae:.6f}, R² {test_r2:.6f}")
    if args.save is not None:
        torch.save(net.state_dict(), args.save)
        print(f"saved the state_dict to {args.save} (net.load_state_dict(torch.load(path)))")
    print(
        f"summary: epochs={args.epochs} train_loss={l.item():.6f} w={fmt(w.tolist())} "
        f"b={b.item():.4f} true_w={fmt(true_w.tolist())} true_b={true_b:.4f} "
        f"test_mse={test_mse:.6f} test_mae={test_mae:.6f} test_r2={test_r2:.6f}"
    )


if __name__ == "__main__":
    try:
        # A diverging run overflows a step before check_finite stops it with a clear message:
        # NumPy's "overflow encountered" warnings would come first and say less.
        with np.errstate(over="ignore", invalid="ignore"):
            main()
    except TrainingDiverged as error:  # say where and why, with no traceback and no result
        raise SystemExit(f"error: {error}") from None
