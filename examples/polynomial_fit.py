"""sin(x) fitted by a cubic, as linear regression on polynomial features, seven ways.

PyTorch's tutorial "Learning PyTorch with Examples" fits y = a + b x + c x² + d x³ to sin(x) on
[-π, π]. The model is linear in (a, b, c, d): it is linear regression on the features
(1, x, x², x³), so the best fit has a closed form, which torch.linalg.lstsq computes. Each
--method reaches for it differently, in the tutorial's order:

    manual     gradients written by hand
    autograd   gradients by loss.backward()
    function   the model as a custom autograd.Function with its own backward
    nn         nn.Sequential(nn.Linear(3, 1), nn.Flatten(0, 1)) and nn.MSELoss
    optim      the same model, updated by optim.RMSprop
    module     a custom nn.Module holding four nn.Parameters, updated by optim.SGD
    lbfgs      optim.LBFGS with a closure: the classic solver for this problem

The features use t = x / π, in [-1, 1], so that gradient descent converges in a few thousand
steps (on x itself, x³ reaches 31 and the learning rate must shrink until the small directions
barely move: the tutorial's lr = 1e-6). The coefficients are printed for x: a, b/π, c/π², d/π³.

    python examples/polynomial_fit.py
    python examples/polynomial_fit.py --method lbfgs
    python examples/polynomial_fit.py --method manual --steps 500 --lr 0.1

The last line printed starts with "summary:" and holds the results as key=value pairs.
"""

from __future__ import annotations

import argparse
import math

import tinygrad_lr as torch

METHODS = ("manual", "autograd", "function", "nn", "optim", "module", "lbfgs")
POWERS = torch.tensor([1, 2, 3])


def data(n: int) -> tuple[torch.Tensor, torch.Tensor]:
    """t = x / π on [-1, 1] and y = sin(x), float32 as in the tutorial."""
    x = torch.linspace(-math.pi, math.pi, n)
    return x / math.pi, torch.sin(x)


def start() -> list[float]:
    """The same initial (a, b, c, d) for every method, in units of t."""
    return [0.1, -0.2, 0.1, 0.05]


def fit_manual(t, y, steps, lr):
    """Gradient descent with the gradients of the mean squared error written out."""
    a, b, c, d = (torch.tensor(v) for v in start())
    for _ in range(steps):
        y_pred = a + b * t + c * t**2 + d * t**3
        grad_y_pred = 2.0 * (y_pred - y) / len(t)
        grad_a, grad_b = grad_y_pred.sum(), (grad_y_pred * t).sum()
        grad_c, grad_d = (grad_y_pred * t**2).sum(), (grad_y_pred * t**3).sum()
        a -= lr * grad_a
        b -= lr * grad_b
        c -= lr * grad_c
        d -= lr * grad_d
    return [a, b, c, d]


def fit_autograd(t, y, steps, lr):
    """The same descent, with loss.backward() computing the gradients."""
    params = [torch.tensor(v, requires_grad=True) for v in start()]
    a, b, c, d = params
    for _ in range(steps):
        loss = (a + b * t + c * t**2 + d * t**3 - y).pow(2).mean()
        loss.backward()
        with torch.no_grad():
            for p in params:
                p -= lr * p.grad
                p.grad = None
    return params


class Cubic(torch.autograd.Function):
    """y = a + b t + c t² + d t³ for coefficients w = (a, b, c, d);  dw_k = Σ g tᵏ."""

    @staticmethod
    def forward(ctx, t, w):
        ctx.save_for_backward(t)
        return w[0] + w[1] * t + w[2] * t**2 + w[3] * t**3

    @staticmethod
    def backward(ctx, grad_output):
        (t,) = ctx.saved_tensors
        powers = torch.stack([torch.ones_like(t), t, t**2, t**3])
        return None, powers @ grad_output


def fit_function(t, y, steps, lr):
    """The model as a custom autograd.Function: backward is written in Cubic.backward."""
    w = torch.tensor(start(), requires_grad=True)
    for _ in range(steps):
        loss = (Cubic.apply(t, w) - y).pow(2).mean()
        loss.backward()
        with torch.no_grad():
            w -= lr * w.grad
            w.grad = None
    return list(w.detach())


def linear_model() -> torch.nn.Sequential:
    """Linear(3, 1) on (t, t², t³), flattened to one prediction per point."""
    model = torch.nn.Sequential(torch.nn.Linear(3, 1), torch.nn.Flatten(0, 1))
    a, *bcd = start()
    with torch.no_grad():
        model[0].weight.copy_(torch.tensor([bcd]))
        model[0].bias.fill_(a)
    return model


def coefficients_of(model: torch.nn.Sequential) -> list:
    return [model[0].bias[0], *model[0].weight[0]]


def fit_nn(t, y, steps, lr):
    """nn.Linear and nn.MSELoss; the update still by hand."""
    features, model, loss_fn = t.unsqueeze(-1).pow(POWERS), linear_model(), torch.nn.MSELoss()
    for _ in range(steps):
        loss = loss_fn(model(features), y)
        model.zero_grad()
        loss.backward()
        with torch.no_grad():
            for param in model.parameters():
                param -= lr * param.grad
    return coefficients_of(model)


def fit_optim(t, y, steps, lr):
    """The nn model updated by optim.RMSprop (its step size is about lr, whatever the scale)."""
    features, model, loss_fn = t.unsqueeze(-1).pow(POWERS), linear_model(), torch.nn.MSELoss()
    optimizer = torch.optim.RMSprop(model.parameters(), lr=lr / 100)
    for _ in range(steps):
        loss = loss_fn(model(features), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    return coefficients_of(model)


class Polynomial3(torch.nn.Module):
    """The cubic as a Module with one Parameter per coefficient."""

    def __init__(self) -> None:
        super().__init__()
        a, b, c, d = (torch.nn.Parameter(torch.tensor(v)) for v in start())
        self.a, self.b, self.c, self.d = a, b, c, d

    def forward(self, t):
        return self.a + self.b * t + self.c * t**2 + self.d * t**3


def fit_module(t, y, steps, lr):
    """A custom nn.Module trained by optim.SGD with momentum."""
    model, criterion = Polynomial3(), torch.nn.MSELoss()
    optimizer = torch.optim.SGD(model.parameters(), lr=lr / 10, momentum=0.9)
    for _ in range(steps):
        loss = criterion(model(t), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    return [model.a, model.b, model.c, model.d]


def fit_lbfgs(t, y, steps, lr):
    """optim.LBFGS with a closure that re-evaluates the loss; a handful of steps suffice."""
    features, model, loss_fn = t.unsqueeze(-1).pow(POWERS), linear_model(), torch.nn.MSELoss()
    optimizer = torch.optim.LBFGS(model.parameters(), line_search_fn="strong_wolfe")

    def closure():
        optimizer.zero_grad()
        loss = loss_fn(model(features), y)
        loss.backward()
        return loss

    for _ in range(max(1, steps // 500)):
        optimizer.step(closure)
    return coefficients_of(model)


def least_squares(t, y) -> list[float]:
    """The closed-form fit: torch.linalg.lstsq on (1, t, t², t³), in float64."""
    t64 = t.double()
    A = torch.stack([torch.ones_like(t64), t64, t64**2, t64**3], dim=1)
    return torch.linalg.lstsq(A, y.double().unsqueeze(1)).solution.flatten().tolist()


def in_x(coefficients: list[float]) -> list[float]:
    """Coefficients of t = x/π as coefficients of x: the kth divided by πᵏ."""
    return [c / math.pi**k for k, c in enumerate(coefficients)]


def mse(coefficients: list[float], t, y) -> float:
    a, b, c, d = coefficients
    return (a + b * t + c * t**2 + d * t**3 - y).pow(2).mean().item()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--method", choices=(*METHODS, "all"), default="all")
    parser.add_argument("--points", type=int, default=2000)
    parser.add_argument("--steps", type=int, default=2000)
    parser.add_argument("--lr", type=float, default=0.5)
    args = parser.parse_args(argv)
    if not (math.isfinite(args.lr) and args.lr > 0):
        parser.error(f"--lr must be a positive, finite number, got {args.lr:g}")

    t, y = data(args.points)
    best = least_squares(t, y)
    best_loss = mse(best, t.double(), y.double())
    print(f"{'least squares':>13}: loss {best_loss:.6f}  y = " + _formula(in_x(best)))
    fits = {
        "manual": fit_manual,
        "autograd": fit_autograd,
        "function": fit_function,
        "nn": fit_nn,
        "optim": fit_optim,
        "module": fit_module,
        "lbfgs": fit_lbfgs,
    }
    methods = METHODS if args.method == "all" else (args.method,)
    results = {}
    for method in methods:
        found = [float(c) for c in fits[method](t, y, args.steps, args.lr)]
        gap = max(abs(f - b) for f, b in zip(found, best))
        results[method] = (mse(found, t, y), gap)
        print(f"{method:>13}: loss {results[method][0]:.6f}  y = " + _formula(in_x(found)))
    pairs = [f"{m}_loss={loss:.6g} {m}_gap={gap:.3g}" for m, (loss, gap) in results.items()]
    print(f"summary: lstsq_loss={best_loss:.6g} lstsq=[{','.join(f'{c:.6g}' for c in best)}] "
          + " ".join(pairs))  # fmt: skip


def _formula(c: list[float]) -> str:
    return f"{c[0]:+.5f} {c[1]:+.5f} x {c[2]:+.5f} x^2 {c[3]:+.5f} x^3"


if __name__ == "__main__":
    main()
