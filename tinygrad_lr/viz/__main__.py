"""Draw the linear-regression tutorial's loss without writing code.

python -m tinygrad_lr.viz --out graph.svg        # or .png, .pdf
python -m tinygrad_lr.viz --show-values --show-order --out graph.png
python -m tinygrad_lr.viz --steps --out backward.html   # backward step by step, a web page
python -m tinygrad_lr.viz                        # print the DOT text (no Graphviz needed)
"""

from __future__ import annotations

import argparse
import sys

from ._tutorial import tutorial_graph, tutorial_loss
from .dot import DEFAULT_MAX_NODES
from .page import save_steps
from .render import FORMATS, GraphvizNotFoundError, render_graph
from .steps import backward_steps


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m tinygrad_lr.viz",
        description="Draw the computation graph of the linear-regression tutorial's loss "
        "(squared loss of linreg on one batch), after backward.",
    )
    parser.add_argument(
        "--out",
        help=f"picture to write, its format from the suffix ({', '.join(FORMATS)}); "
        "without it the DOT text is printed",
    )
    parser.add_argument(
        "--steps",
        action="store_true",
        help="write backward step by step as a web page (--out ending in .html)",
    )
    parser.add_argument("--batch-size", type=int, default=10, help="rows of X (default 10)")
    parser.add_argument("--seed", type=int, default=0, help="random seed of the data (default 0)")
    parser.add_argument("--show-values", action="store_true", help="add the leaves' values")
    parser.add_argument(
        "--no-grads", action="store_true", help="leave out the gradients of w and b"
    )
    parser.add_argument(
        "--show-order", action="store_true", help="number the ops in backward's order"
    )
    parser.add_argument("--no-legend", action="store_true", help="leave out the colour legend")
    parser.add_argument(
        "--max-nodes",
        type=int,
        default=DEFAULT_MAX_NODES,
        help=f"draw at most this many ops (default {DEFAULT_MAX_NODES})",
    )
    args = parser.parse_args(argv)
    if args.batch_size < 1:
        parser.error(f"--batch-size must be at least 1, got {args.batch_size}")
    if args.max_nodes < 1:
        parser.error(f"--max-nodes must be at least 1, got {args.max_nodes}")
    if args.steps and (args.out is None or not args.out.lower().endswith((".html", ".htm"))):
        parser.error("--steps writes a web page: give --out ending in .html, e.g. backward.html")
    if args.steps and args.no_grads:
        parser.error("--no-grads does not go with --steps, whose frames show the gradients")
    if not args.steps and args.out is not None and args.out.lower().endswith((".html", ".htm")):
        parser.error("an .html page is the step-by-step walk: add --steps")
    return args


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit status (1 when Graphviz is missing)."""
    args = parse_args(argv)
    if args.steps:
        return write_steps(args)
    graph = tutorial_graph(
        batch_size=args.batch_size,
        seed=args.seed,
        show_values=args.show_values,
        show_grads=not args.no_grads,
        show_order=args.show_order,
        max_nodes=args.max_nodes,
        legend=not args.no_legend,
    )
    if args.out is None:
        print(graph.source, end="")
        return 0
    try:
        path = render_graph(graph, args.out)
    except (GraphvizNotFoundError, ValueError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    print(f"wrote {path}")
    return 0


def write_steps(args: argparse.Namespace) -> int:
    """The tutorial's loss, its backward recorded frame by frame into a web page."""
    tensors = tutorial_loss(batch_size=args.batch_size, seed=args.seed, backward=False)
    try:
        frames = backward_steps(
            tensors["loss"],
            tensors,
            show_values=args.show_values,
            show_order=args.show_order,
            max_nodes=args.max_nodes,
            legend=not args.no_legend,
        )
        path = save_steps(frames, args.out, title="The tutorial's loss: backward, step by step")
    except GraphvizNotFoundError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    print(f"wrote {path} ({len(frames)} steps)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
