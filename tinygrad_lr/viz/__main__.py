"""Draw the linear-regression tutorial's loss without writing code.

python -m tinygrad_lr.viz --out graph.svg        # or .png, .pdf
python -m tinygrad_lr.viz --show-values --show-order --out graph.png
python -m tinygrad_lr.viz                        # print the DOT text (no Graphviz needed)
"""

from __future__ import annotations

import argparse
import sys

from ._tutorial import tutorial_graph
from .dot import DEFAULT_MAX_NODES
from .render import FORMATS, GraphvizNotFoundError, render_graph


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
    return args


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit status (1 when Graphviz is missing)."""
    args = parse_args(argv)
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


if __name__ == "__main__":
    sys.exit(main())
