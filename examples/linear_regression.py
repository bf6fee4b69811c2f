"""Linear regression from scratch, as the PyTorch tutorial writes it, with tinygrad_lr.

The only change from the tutorial's PyTorch program is the import line:
``import tinygrad_lr as torch``. Data come from y = Xw + b + noise with known w and b; the model is
fitted by mini-batch SGD and compared with the truth and with the least-squares solution.

    python examples/linear_regression.py --epochs 3 --lr 0.03
"""

from __future__ import annotations

import argparse
import random

import numpy as np

import tinygrad_lr as torch


def synthetic_data(w, b, num_examples):
    """Generate y = Xw + b + noise."""
    X = torch.normal(0, 1, (num_examples, len(w)))
    y = torch.matmul(X, w) + b
    y += torch.normal(0, 0.01, y.shape)
    return X, y.reshape((-1, 1))


def data_iter(batch_size, features, labels):
    """Yield shuffled mini-batches of (features, labels)."""
    num_examples = len(features)
    indices = list(range(num_examples))
    random.shuffle(indices)  # the examples are read in random order
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


def closed_form(features, labels):
    """The least-squares solution of [X 1] [w; b] = y, which SGD approaches."""
    X = np.hstack([features.numpy().astype(np.float64), np.ones((len(features), 1))])
    solution, *_ = np.linalg.lstsq(X, labels.numpy().astype(np.float64), rcond=None)
    return solution[:-1, 0], float(solution[-1, 0])


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=3, help="passes over the data (default 3)")
    parser.add_argument("--lr", type=float, default=0.03, help="learning rate (default 0.03)")
    parser.add_argument("--batch-size", type=int, default=10, help="mini-batch size (default 10)")
    parser.add_argument(
        "--samples", type=int, default=1000, help="examples generated (default 1000)"
    )
    parser.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    random.seed(args.seed)
    torch.manual_seed(args.seed)

    true_w = torch.tensor([3.0, -1.2])
    true_b = 2.0
    features, labels = synthetic_data(true_w, true_b, args.samples)

    w = torch.normal(0, 0.01, size=(2, 1), requires_grad=True)
    b = torch.zeros(1, requires_grad=True)
    net, loss = linreg, squared_loss

    for epoch in range(args.epochs):
        for X, y in data_iter(args.batch_size, features, labels):
            l = loss(net(X, w, b), y)  # noqa: E741  (the tutorial's name)
            l.sum().backward()
            sgd([w, b], args.lr, args.batch_size)
        with torch.no_grad():
            train_l = loss(net(features, w, b), labels)
            print(f"epoch {epoch + 1}, loss {float(train_l.mean()):f}")

    w_ls, b_ls = closed_form(features, labels)
    learned_w = w.detach().reshape(-1).tolist()
    print(f"error in estimating w: {true_w - w.reshape(true_w.shape)}")
    print(f"error in estimating b: {true_b - b}")
    print(f"{'':14s}{'w[0]':>10s}{'w[1]':>10s}{'b':>10s}")
    print(f"{'true':14s}{3.0:10.4f}{-1.2:10.4f}{true_b:10.4f}")
    print(f"{'learned':14s}{learned_w[0]:10.4f}{learned_w[1]:10.4f}{b.item():10.4f}")
    print(f"{'least squares':14s}{w_ls[0]:10.4f}{w_ls[1]:10.4f}{b_ls:10.4f}")
    print(
        f"summary: loss {float(train_l.mean()):.6f} after {args.epochs} epochs, "
        f"w = [{learned_w[0]:.4f}, {learned_w[1]:.4f}], b = {b.item():.4f}"
    )
    return {
        "loss": float(train_l.mean()),
        "w": learned_w,
        "b": b.item(),
        "w_ls": w_ls,
        "b_ls": b_ls,
    }


if __name__ == "__main__":
    main()
