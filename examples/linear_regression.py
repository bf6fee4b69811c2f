"""Linear regression from scratch, as the PyTorch tutorial writes it, with tinygrad_lr.

The only change from the tutorial's PyTorch program is the import line:
``import tinygrad_lr as torch``. By default the data come from y = Xw + b + noise with known w
and b; the model is fitted by mini-batch SGD and compared with the truth and with the
least-squares solution. With --csv it fits a real table instead (features standardised for SGD,
the fit reported in the table's own units). --summary then prints statsmodels' OLS table
(standard errors, t, p-values, R², F) at the learned parameters refined by one Newton step.

    python examples/linear_regression.py
    python examples/linear_regression.py --epochs 5 --lr 0.03 --batch-size 10 --seed 1
    python examples/linear_regression.py --csv examples/data/norris.csv --target y --lr 0.1 \
        --epochs 100
    python examples/linear_regression.py --summary --epochs 5
    python examples/linear_regression.py --save model.npz --plot fit.png
    python examples/linear_regression.py --graph graph.svg
    python examples/linear_regression.py --steps backward.html

The last line printed starts with "summary:" and holds the results as key=value pairs.
"""

from __future__ import annotations

import argparse
import math
import shutil
import tempfile
from pathlib import Path

import numpy as np

import tinygrad_lr as torch

# The tutorial's synthetic_data(w, b, n) and data_iter(batch_size, X, y), documented there.
from tinygrad_lr import nn
from tinygrad_lr.datasets import data_iter, load_csv, synthetic_data
from tinygrad_lr.stats import summary
from tinygrad_lr.utils import TrainingDiverged, check_finite


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


def train(features, labels, epochs, lr, batch_size, steps_page=None):
    """The tutorial's training loop; returns w, b and the loss after each epoch.

    With ``steps_page``, the first step's backward is recorded as it runs and written there as
    a web page (``--steps``)."""
    w = torch.normal(0, 0.01, size=(features.shape[1], 1), requires_grad=True)
    b = torch.zeros(1, requires_grad=True)
    net, loss = linreg, squared_loss
    losses = []
    for epoch in range(epochs):
        for step, (X, y) in enumerate(data_iter(batch_size, features, labels), start=1):
            l = loss(net(X, w, b), y)  # noqa: E741  (the tutorial's name)
            # Stop if training diverges; the features are on one scale (standardised with --csv).
            check_finite(l, lr=lr, epoch=epoch + 1, step=step, standardized=True)
            if steps_page is not None and epoch == 0 and step == 1:
                save_backward_steps(steps_page, l.sum(), {"w": w, "b": b, "X": X, "y": y})
            else:
                l.sum().backward()
            sgd([w, b], lr, batch_size)
        with torch.no_grad():
            train_l = loss(net(features, w, b), labels)
            check_finite(train_l, lr=lr, epoch=epoch + 1, standardized=True)
            losses.append(float(train_l.mean()))
            print(f"epoch {epoch + 1}, loss {losses[-1]:f}")
    return w, b, losses


def closed_form(features, labels):
    """The least-squares solution of [X 1] [w; b] = y, which SGD approaches (in float64)."""
    X = np.hstack([features.numpy().astype(np.float64), np.ones((len(features), 1))])
    solution, *_ = np.linalg.lstsq(X, labels.numpy().astype(np.float64), rcond=None)
    return solution[:-1, 0], float(solution[-1, 0])


def standardize(features, names):
    """(X - mean) / std per column: SGD with one learning rate needs features of one scale."""
    mean = features.mean(dim=0)
    std = ((features - mean) ** 2).mean(dim=0).sqrt()
    if bool((std == 0).any()):
        constant = [n for n, s in zip(names, std.tolist()) if s == 0]
        raise SystemExit(f"error: constant columns cannot be standardised: {constant}")
    return (features - mean) / std, mean, std


def to_original_units(w, b, mean, std):
    """w, b of the model on standardised features, for the raw ones.

    ŷ = ((x - mean) / std) @ w + b = x @ (w / std) + (b - (mean / std) @ w).
    """
    with torch.no_grad():
        w_raw = w / std.reshape(-1, 1)
        b_raw = b - torch.matmul(mean / std, w)
    return w_raw, b_raw


def print_table(names, rows):
    """One line per (label, w, b) row, one column per weight."""
    header = "".join(f"{name:>12s}" for name in [*names, "b"])
    print(f"{'':14s}{header}")
    for label, w, b in rows:
        print(f"{label:14s}" + "".join(cell(v) for v in [*w, b]))


def cell(value):
    """A number in 12 characters: 4 decimals, or powers of ten when it is too large for that."""
    return f"{value:12.4f}" if abs(value) < 1e6 else f"{value:12.4e}"


def plot(path, losses, actual, fitted, title, target):
    """Save a PNG: the loss after each epoch, and the residuals against the fitted values."""
    import matplotlib.pyplot as plt

    fig = plot_figure(losses, actual, fitted, title, target)
    fig.savefig(path, dpi=100)
    plt.close(fig)


def plot_figure(losses, actual, fitted, title, target):
    """The figure --plot saves."""
    import matplotlib

    matplotlib.use("Agg")  # draw to a file, without a display
    import matplotlib.pyplot as plt
    from matplotlib.ticker import FuncFormatter, MaxNLocator, NullFormatter

    fig, (ax_loss, ax_residual) = plt.subplots(1, 2, figsize=(11, 4.2))
    ax_loss.plot(range(1, len(losses) + 1), losses, marker="o")
    ax_loss.set(xlabel="epoch", ylabel="training loss, mean of (ŷ - y)² / 2", yscale="log")
    ax_loss.set_title("loss after each epoch (log scale)")
    ax_loss.xaxis.set_major_locator(MaxNLocator(integer=True))
    # Plain numbers (30, not 3×10¹); between powers of ten only 2, 3 and 5, over few decades.
    ax_loss.yaxis.set_major_formatter(FuncFormatter(lambda value, _: f"{value:g}"))
    decades = np.log10(max(losses) / min(losses)) if min(losses) > 0 else np.inf
    ax_loss.yaxis.set_minor_formatter(
        FuncFormatter(lambda value, _: f"{value:g}" if leading_digit(value) in (2, 3, 5) else "")
        if decades < 3
        else NullFormatter()
    )
    residuals = actual - fitted
    ax_residual.scatter(fitted, residuals, s=8, alpha=0.6)
    ax_residual.axhline(0, color="black", linestyle="--", linewidth=1, label="residual 0")
    ax_residual.set(xlabel=f"fitted {target}", ylabel=f"residual: {target} - fitted {target}")
    ax_residual.set_title("residuals against fitted values\n(a pattern is what the model misses)")
    ax_residual.legend()
    fig.suptitle(title)
    fig.tight_layout()
    return fig


def leading_digit(value):
    """The first significant digit of a positive number: 3 for 30 and for 0.3."""
    return int(round(value / 10 ** np.floor(np.log10(value)), 6))


def save_backward_steps(path, step_loss, names):
    """Call step_loss.backward(), recording each step of it into a web page."""
    from tinygrad_lr.viz import backward_steps, save_steps

    frames = backward_steps(step_loss, {**names, "loss": step_loss}, show_order=True, legend=True)
    save_steps(frames, path, title="The first training step: backward, step by step")


def draw_training_step(path, X, y, w, b):
    """Draw the graph of one training step, its gradients included, with Graphviz (svg/png/pdf)."""
    from tinygrad_lr.viz import make_dot, render_graph

    w, b = w.detach().clone().requires_grad_(), b.detach().clone().requires_grad_()
    step_loss = squared_loss(linreg(X, w, b), y).sum()
    step_loss.backward()
    names = {"w": w, "b": b, "X": X, "y": y, "loss": step_loss}
    graph = make_dot(step_loss, names, show_grads=True, show_order=True, legend=True)
    render_graph(graph, path)


def regression_summary(features, labels, w, b, names):
    """The OLS table of the learned w, b: an nn.Linear holding them, refined by Newton steps."""
    model = nn.Linear(features.shape[1], 1, dtype=torch.float64)
    with torch.no_grad():
        model.weight.copy_(w.detach().reshape(1, -1))
        model.bias.copy_(b.detach().reshape(1))
    return summary(model, features, labels, names=names, refine=True)


def fmt(values):
    """A list as [1.0000,2.0000]: no spaces, so that it is one key=value token."""
    return "[" + ",".join(f"{v:.4f}" for v in values) + "]"


def parse_args(argv=None):
    parser = argparse.ArgumentParser(
        description=__doc__.splitlines()[0],
        epilog="Data: synthetic y = 3.0*x1 - 1.2*x2 + 2.0 + N(0, 0.01) unless --csv is given.",
    )
    parser.add_argument(
        "--epochs", type=int, help="passes over the data (default 3; 20 with --csv)"
    )
    parser.add_argument("--lr", type=float, default=0.03, help="learning rate (default 0.03)")
    parser.add_argument("--batch-size", type=int, default=10, help="mini-batch size (default 10)")
    parser.add_argument("--samples", type=int, help="synthetic examples generated (default 1000)")
    parser.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    parser.add_argument(
        "--csv", type=Path, metavar="PATH", help="fit this table (a header line, then numbers)"
    )
    parser.add_argument("--target", metavar="COL", help="with --csv: the column to predict")
    parser.add_argument(
        "--save",
        type=Path,
        metavar="PATH",
        help="save {'w', 'b'} with tinygrad_lr.save (in the table's units with --csv)",
    )
    parser.add_argument(
        "--plot",
        type=Path,
        metavar="PATH",
        help="save a PNG of the loss curve and of the residuals (.png)",
    )
    parser.add_argument(
        "--graph", type=Path, metavar="PATH", help="draw one training step's graph (.svg/.png/.pdf)"
    )
    parser.add_argument(
        "--steps",
        type=Path,
        metavar="PATH",
        help="write the first training step's backward, step by step, as a web page (.html)",
    )
    parser.add_argument(
        "--summary",
        action="store_true",
        help="print the OLS summary table (std errors, t, p-values, R², F) after training",
    )
    args = parser.parse_args(argv)
    if not (math.isfinite(args.lr) and args.lr > 0):
        parser.error(f"--lr must be a positive, finite number, got {args.lr:g}")
    if (args.csv is None) != (args.target is None):
        parser.error("--csv PATH and --target COL go together")
    if args.csv is not None and args.samples is not None:
        parser.error("--samples is for synthetic data; a --csv table has its own rows")
    if args.epochs is None:
        args.epochs = 20 if args.csv else 3
    if args.samples is None:
        args.samples = 1000
    for name in ("epochs", "batch_size", "samples"):
        if getattr(args, name) < 1:
            parser.error(f"--{name.replace('_', '-')} must be at least 1")
    if args.plot is not None and args.plot.suffix.lower() != ".png":
        parser.error(f"--plot writes a .png file, not {args.plot.name!r}")
    if args.plot is not None:
        try:
            import matplotlib  # noqa: F401
        except ImportError:
            parser.error(
                '--plot needs matplotlib, which is not installed: pip install -e ".[plot]"'
            )
    if args.graph is not None and args.graph.suffix not in (".svg", ".png", ".pdf"):
        parser.error(f"--graph draws .svg, .png or .pdf files, not {args.graph.name!r}")
    if args.steps is not None and args.steps.suffix not in (".html", ".htm"):
        parser.error(f"--steps writes a web page ending in .html, not {args.steps.name!r}")
    if args.graph is not None or args.steps is not None:
        check_graphviz(parser)
    if args.save is not None and args.save.is_dir():
        parser.error(f"--save {args.save} is a folder; name a file in it, e.g. model.npz")
    for option in ("save", "plot", "graph", "steps"):
        path = getattr(args, option)
        if path is not None:
            check_writable(parser, option, path)
    return args


def check_writable(parser, option, path):
    """Refuse before training an output that cannot be written (a missing or read-only folder)."""
    if not path.parent.is_dir():
        parser.error(f"--{option} {path}: the folder {str(path.parent)!r} does not exist")
    try:
        with tempfile.TemporaryFile(dir=path.parent):
            pass
    except OSError as error:
        parser.error(f"--{option} {path}: cannot write in {str(path.parent)!r} ({error.strerror})")


def check_graphviz(parser):
    """--graph and --steps draw with Graphviz: check for it before training, not after."""
    try:
        import tinygrad_lr.viz  # noqa: F401
    except ImportError:
        parser.error('--graph and --steps need the graphviz package: pip install -e ".[viz]"')
    if shutil.which("dot") is None:
        parser.error(
            "--graph and --steps need Graphviz's `dot` program: apt-get install graphviz "
            "(Debian, Ubuntu) or brew install graphviz (macOS)"
        )


def main(argv=None):
    args = parse_args(argv)
    torch.manual_seed(args.seed)  # the data, the initial w and the shuffles

    if args.csv is None:
        true_w = torch.tensor([3.0, -1.2])
        true_b = 2.0
        features, labels = synthetic_data(true_w, true_b, args.samples)
        names = [f"w[{i}]" for i in range(len(true_w))]
        w, b, losses = train(features, labels, args.epochs, args.lr, args.batch_size, args.steps)
        trained = features, w, b  # what the steps saw: the features, and w and b on their scale
        print(f"error in estimating w: {true_w - w.reshape(true_w.shape)}")
        print(f"error in estimating b: {true_b - b}")
    else:
        try:
            features, labels, names = load_csv(args.csv, args.target)
        except (OSError, ValueError) as error:
            raise SystemExit(f"error: {error}") from None
        print(f"{args.csv.name}: {len(features)} rows, predicting {args.target} from {names}")
        scaled, mean, std = standardize(features, names)
        w_scaled, b_scaled, losses = train(
            scaled, labels, args.epochs, args.lr, args.batch_size, args.steps
        )
        trained = scaled, w_scaled, b_scaled
        w, b = to_original_units(w_scaled, b_scaled, mean, std)

    w_ls, b_ls = closed_form(features, labels)
    learned_w, learned_b = w.detach().reshape(-1).tolist(), b.item()
    rows = [("learned", learned_w, learned_b), ("least squares", w_ls, b_ls)]
    if args.csv is None:
        rows.insert(0, ("true", true_w.tolist(), true_b))
    print_table(names, rows)

    with torch.no_grad():
        fitted = linreg(features, w, b)
    rmse = float(((fitted - labels) ** 2).mean().sqrt())
    rmse_ls = float(np.sqrt(np.mean((features.numpy() @ w_ls + b_ls - labels.numpy()[:, 0]) ** 2)))
    print(f"root mean squared error: {rmse:.4f} (least squares: {rmse_ls:.4f})")

    if args.summary:
        # Synthetic features are x1, x2 (as statsmodels names them); a table's have their names.
        result = regression_summary(features, labels, w, b, names if args.csv else None)
        steps = "one Newton step" if result.newton_steps == 1 else f"{result.newton_steps} steps"
        print(f"OLS summary at the learned parameters refined by {steps} (tinygrad_lr.stats):")
        print(result)

    if args.save is not None:
        torch.save({"w": w.detach(), "b": b.detach()}, args.save)
        print(f"saved w and b to {args.save}")
    if args.plot is not None:
        if args.csv is None:
            title = f"synthetic data: y = 3 x1 - 1.2 x2 + 2 + noise, {len(features)} rows"
        else:
            title = f"{args.csv.name}: {args.target} from {', '.join(names)}, {len(features)} rows"
        target = "y" if args.csv is None else args.target
        plot(args.plot, losses, labels.numpy()[:, 0], fitted.numpy()[:, 0], title, target)
        print(f"saved the plot to {args.plot}")
    if args.steps is not None:
        print(f"saved the first training step's backward, step by step, to {args.steps}")
    if args.graph is not None:  # a batch as a step sees it (standardised with --csv), learned w, b
        seen, w_seen, b_seen = trained
        n = args.batch_size
        draw_training_step(args.graph, seen[:n], labels[:n], w_seen, b_seen)
        print(f"saved the graph of one training step to {args.graph}")

    data = "synthetic" if args.csv is None else args.csv.name
    truth = f" true_w={fmt(true_w.tolist())} true_b={true_b:.4f}" if args.csv is None else ""
    print(
        f"summary: data={data} epochs={args.epochs} loss={losses[-1]:.6f} "
        f"w={fmt(learned_w)} b={learned_b:.4f}{truth} "
        f"lstsq_w={fmt(w_ls)} lstsq_b={b_ls:.4f} rmse={rmse:.4f} lstsq_rmse={rmse_ls:.4f}"
    )
    return {"loss": losses[-1], "w": learned_w, "b": learned_b, "w_ls": w_ls, "b_ls": b_ls}


if __name__ == "__main__":
    try:
        # A diverging run overflows a step before check_finite stops it with a clear message:
        # NumPy's "overflow encountered" warnings would come first and say less.
        with np.errstate(over="ignore", invalid="ignore"):
            main()
    except TrainingDiverged as error:  # say where and why, with no traceback and no result
        raise SystemExit(f"error: {error}") from None
