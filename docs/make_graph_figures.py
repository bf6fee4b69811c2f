"""Write the computation-graph figures of docs/graphs.md from the code that draws them.

    python docs/make_graph_figures.py

writes docs/figures/linear_regression_graph.dot (the DOT text, compared exactly by
tests/test_viz.py) and docs/figures/linear_regression_graph.svg (drawn from it by Graphviz's
``dot``); then the same loss's backward step by step: docs/figures/backward_steps.html (the
page) and docs/figures/backward_step_N.svg (a few of its frames). The data come from a fixed
seed, so running it again changes nothing unless the drawing code or the tutorial's loss
changed.
"""

from __future__ import annotations

from pathlib import Path

from tinygrad_lr.viz import render_graph, save_steps
from tinygrad_lr.viz._tutorial import FIGURE_STEPS, figure_graph, figure_steps

FIGURES = Path(__file__).resolve().parent / "figures"


def main() -> None:
    FIGURES.mkdir(exist_ok=True)
    graph = figure_graph()
    dot_path = FIGURES / "linear_regression_graph.dot"
    dot_path.write_text(graph.source)
    written = [dot_path, render_graph(graph, FIGURES / "linear_regression_graph.svg")]
    frames = figure_steps()
    title = "The tutorial's loss: backward, step by step"
    written.append(save_steps(frames, FIGURES / "backward_steps.html", title=title))
    for index in FIGURE_STEPS:
        path = FIGURES / f"backward_step_{index + 1}.svg"
        path.write_text(frames[index].svg)
        written.append(path)
    for path in written:
        print(f"wrote {path.relative_to(FIGURES.parent.parent)}")


if __name__ == "__main__":
    main()
