"""Write the computation-graph figure of docs/graphs.md from the code that draws it.

    python docs/make_graph_figures.py

writes docs/figures/linear_regression_graph.dot (the DOT text, compared exactly by
tests/test_viz.py) and docs/figures/linear_regression_graph.svg (drawn from it by Graphviz's
``dot``). The data come from a fixed seed, so running it again changes nothing unless the
drawing code or the tutorial's loss changed.
"""

from __future__ import annotations

from pathlib import Path

from tinygrad_lr.viz import render_graph
from tinygrad_lr.viz._tutorial import figure_graph

FIGURES = Path(__file__).resolve().parent / "figures"


def main() -> None:
    FIGURES.mkdir(exist_ok=True)
    graph = figure_graph()
    dot_path = FIGURES / "linear_regression_graph.dot"
    dot_path.write_text(graph.source)
    svg_path = render_graph(graph, FIGURES / "linear_regression_graph.svg")
    for path in (dot_path, svg_path):
        print(f"wrote {path.relative_to(FIGURES.parent.parent)}")


if __name__ == "__main__":
    main()
