"""The loss landscape of simple regression, with the paths four optimisers take across it.

The data of examples/simple_regression.py: x = 400 evenly spaced points in [0, 100],
y = 3.5 x + 10 + N(0, 25²), its 80% training part. The mean squared error of y = w x + b is a
bowl over (slope w, intercept b). Drawn twice: for the raw x, where the bowl is a long narrow
valley, and for the standardised x, (x - mean) / std, where it is round. From the same start
(w = b = 0), each panel shows the path of plain gradient descent (optim.SGD on the full batch),
SGD with momentum 0.9, Adam, and one Newton step θ − H⁻¹∇L (the Hessian H from
autograd.functional.hessian), with the least-squares optimum marked.

The learning rate of SGD is 1 / λ_max, the largest eigenvalue of H: the largest that keeps every
direction from overshooting (gradient descent diverges past 2 / λ_max). On the raw scale that is
about 1.5e-4, and along the valley's floor, whose curvature λ_min is 13,000 times smaller, the
error then shrinks by only 1 - λ_min / λ_max per step. Standardised, λ_min = λ_max and SGD
lands in one step.

    python examples/loss_landscape.py --out landscape.png
    python examples/loss_landscape.py --steps 200 --gif landscape.gif

The last line printed starts with "summary:": each optimiser's distance to the optimum after
the same number of steps, relative to the optimum's size.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np

import tinygrad_lr as torch
from tinygrad_lr import optim
from tinygrad_lr.autograd.functional import hessian
from tinygrad_lr.datasets import train_test_split

TRUE_SLOPE, TRUE_INTERCEPT, NOISE_STD = 3.5, 10.0, 25.0
OPTIMISERS = ("SGD", "momentum", "Adam", "Newton")
COLOURS = {"SGD": "#1f78b4", "momentum": "#33a02c", "Adam": "#e31a1c", "Newton": "#6a3d9a"}


def simple_regression_data(seed):
    """The training part of examples/simple_regression.py's data, in float64."""
    torch.manual_seed(seed)
    x = torch.linspace(0, 100, 400).reshape(-1, 1)
    y = TRUE_SLOPE * x + TRUE_INTERCEPT + torch.normal(0, NOISE_STD, size=(400, 1))
    x_train, _, y_train, _ = train_test_split(x, y, test_size=0.2)
    return x_train.double(), y_train.double()


def mse(theta, x, y):
    """L(θ) = mean((w x + b - y)²), θ = (w, b)."""
    return ((x * theta[0] + theta[1] - y) ** 2).mean()


def descend(x, y, make_optimiser, steps):
    """The path of an optimiser from θ = (0, 0): θ after each of ``steps`` steps."""
    theta = torch.zeros(2, dtype=torch.float64, requires_grad=True)
    optimiser = make_optimiser([theta])
    path = [theta.detach().clone()]
    for _ in range(steps):
        optimiser.zero_grad()
        mse(theta, x, y).backward()
        optimiser.step()
        path.append(theta.detach().clone())
    return torch.stack(path).numpy()


def newton(x, y):
    """θ₀ and θ₁ = θ₀ − H⁻¹∇L(θ₀): on a quadratic bowl, one step reaches the bottom."""
    theta = torch.zeros(2, dtype=torch.float64, requires_grad=True)
    (gradient,) = torch.autograd.grad(mse(theta, x, y), theta)
    H = hessian(lambda t: mse(t, x, y), theta.detach())
    step = torch.linalg.solve(H, gradient.reshape(2, 1)).reshape(2)
    return torch.stack([theta.detach(), theta.detach() - step]).numpy(), H.numpy()


def panel(name, x, y, steps):
    """One landscape: the optimum, the curvature, and each optimiser's path."""
    design = np.hstack([x.numpy(), np.ones_like(x.numpy())])
    optimum = np.linalg.lstsq(design, y.numpy()[:, 0], rcond=None)[0]
    newton_path, H = newton(x, y)
    eigenvalues = np.linalg.eigvalsh(H)
    lr = 1.0 / eigenvalues.max()
    # Adam's steps are about lr in each coordinate, whatever the gradient's size: a tenth of the
    # optimum's size gets it there in a few dozen steps.
    adam_lr = 0.1 * float(np.abs(optimum).max())
    paths = {
        "SGD": descend(x, y, lambda p: optim.SGD(p, lr=lr), steps),
        "momentum": descend(x, y, lambda p: optim.SGD(p, lr=lr, momentum=0.9), steps),
        "Adam": descend(x, y, lambda p: optim.Adam(p, lr=adam_lr), steps),
        "Newton": newton_path,
    }
    return {
        "name": name,
        "x": x,
        "y": y,
        "optimum": optimum,
        "eigenvalues": eigenvalues,
        "lr": lr,
        "adam_lr": adam_lr,
        "paths": paths,
    }


def distance(panel_, name):
    """How far an optimiser ended from the optimum, relative to the optimum's size."""
    optimum = panel_["optimum"]
    return float(np.linalg.norm(panel_["paths"][name][-1] - optimum) / np.linalg.norm(optimum))


def surface(panel_, grid=200):
    """The loss over a grid of (w, b) around the paths and the optimum."""
    points = np.vstack([*panel_["paths"].values(), panel_["optimum"][None]])
    low, high = points.min(axis=0), points.max(axis=0)
    margin = 0.15 * (high - low)
    w = np.linspace(low[0] - margin[0], high[0] + margin[0], grid)
    b = np.linspace(low[1] - margin[1], high[1] + margin[1], grid)
    W, B = np.meshgrid(w, b)
    x, y = panel_["x"].numpy()[:, 0], panel_["y"].numpy()[:, 0]
    # mean((w x + b - y)²) for every grid point at once, from the sums it needs.
    n = len(x)
    sx, sy, sxx, sxy, syy = x.sum(), y.sum(), x @ x, x @ y, y @ y
    L = (W**2 * sxx + 2 * W * B * sx + n * B**2 - 2 * W * sxy - 2 * B * sy + syy) / n
    return W, B, L


def draw(panels, steps):
    """The figure: one landscape per panel, the paths on it."""
    import matplotlib

    matplotlib.use("Agg")  # draw to a file, without a display
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, len(panels), figsize=(12, 5.2))
    artists = []
    for ax, panel_ in zip(axes, panels):
        W, B, L = surface(panel_)
        levels = np.geomspace(L.min() + 1e-9, L.max(), 25)
        ax.contour(W, B, L, levels=levels, colors="#999999", linewidths=0.6)
        lines = {}
        for name in OPTIMISERS:
            path = panel_["paths"][name]
            steps_taken = "1 step" if name == "Newton" else f"{steps} steps"
            label = f"{name}, {steps_taken}: {distance(panel_, name):.1%} away"
            # Newton dashed and beneath: where SGD takes the same straight line, both show.
            style = {"linestyle": "--", "zorder": 1} if name == "Newton" else {"zorder": 2}
            if name == "SGD":  # on top: its short path would hide under momentum's
                style["zorder"] = 3
            (lines[name],) = ax.plot(
                path[:, 0],
                path[:, 1],
                marker="o",
                color=COLOURS[name],
                markersize=2.5,
                linewidth=2.2 if name == "SGD" else 1.3,
                label=label,
                **style,
            )
        w_opt, b_opt = panel_["optimum"]
        ax.plot(w_opt, b_opt, "*", color="black", markersize=14, label="least squares")
        ax.plot(0, 0, "s", color="black", markersize=5)
        low, high = panel_["eigenvalues"]
        ax.set_title(
            f"{panel_['name']}: condition number {high / low:,.0f}\n"
            f"SGD lr = 1/λ_max = {panel_['lr']:.3g}, Adam lr = {panel_['adam_lr']:.3g}",
            fontsize=10,
        )
        ax.set(xlabel="slope w", ylabel="intercept b")
        ax.legend(fontsize=8, loc="best")
        artists.append(lines)
    fig.suptitle("mean squared error of y = w x + b, and the optimisers' paths from (0, 0)")
    fig.tight_layout()
    return fig, artists


def save_gif(panels, steps, path, frames=40):
    """Animate the paths: each line grows step by step (matplotlib's Pillow writer)."""
    from matplotlib.animation import FuncAnimation, PillowWriter

    fig, artists = draw(panels, steps)
    shown = np.unique(np.linspace(0, steps, frames).round().astype(int))

    def update(upto):
        for panel_, lines in zip(panels, artists):
            for name, line in lines.items():
                path = panel_["paths"][name][: upto + 1]
                line.set_data(path[:, 0], path[:, 1])
        return [line for lines in artists for line in lines.values()]

    FuncAnimation(fig, update, frames=shown, blit=False).save(path, writer=PillowWriter(fps=8))
    return fig


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=50, help="steps per optimiser (default 50)")
    parser.add_argument("--seed", type=int, default=0, help="random seed of the data (default 0)")
    parser.add_argument("--out", type=Path, metavar="PATH", help="save the figure as a PNG")
    parser.add_argument("--gif", type=Path, metavar="PATH", help="save the paths animated (GIF)")
    args = parser.parse_args(argv)
    if args.steps < 1:
        parser.error("--steps must be at least 1")
    for option, suffix in (("out", ".png"), ("gif", ".gif")):
        path = getattr(args, option)
        if path is None:
            continue
        if path.suffix.lower() != suffix:
            parser.error(f"--{option} writes a {suffix} file, not {path.name!r}")
        if not path.parent.is_dir():
            parser.error(f"--{option} {path}: the folder {str(path.parent)!r} does not exist")
    if args.out is not None or args.gif is not None:
        try:
            import matplotlib  # noqa: F401
        except ImportError:
            parser.error('--out and --gif need matplotlib: pip install -e ".[plot]"')
    if args.gif is not None:
        try:
            import PIL  # noqa: F401
        except ImportError:
            parser.error('--gif needs pillow: pip install -e ".[plot]"')
    return args


def main(argv=None):
    args = parse_args(argv)
    x, y = simple_regression_data(args.seed)
    z = (x - x.mean()) / x.std(correction=0)
    panels = [panel("raw x", x, y, args.steps), panel("standardised x", z, y, args.steps)]

    print(f"distance to the least-squares optimum after {args.steps} steps (relative):")
    print(f"{'':16s}" + "".join(f"{name:>10s}" for name in OPTIMISERS))
    for panel_ in panels:
        row = "".join(f"{distance(panel_, name):10.2%}" for name in OPTIMISERS)
        print(f"{panel_['name']:16s}{row}")

    if args.out is not None:
        import matplotlib.pyplot as plt

        fig, _ = draw(panels, args.steps)
        fig.savefig(args.out, dpi=100)
        plt.close(fig)
        print(f"saved the landscape to {args.out}")
    if args.gif is not None:
        import matplotlib.pyplot as plt

        plt.close(save_gif(panels, args.steps, args.gif))
        print(f"saved the animated paths to {args.gif}")

    keys = " ".join(
        f"{'raw' if index == 0 else 'std'}_{name.lower()}={distance(panel_, name):.6f}"
        for index, panel_ in enumerate(panels)
        for name in OPTIMISERS
    )
    print(f"summary: steps={args.steps} {keys}")
    return panels


if __name__ == "__main__":
    main()
