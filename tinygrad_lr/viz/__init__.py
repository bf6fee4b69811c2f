"""Computation graphs drawn with Graphviz, to read how backpropagation runs through them.

``make_dot(loss, params)`` returns a ``graphviz.Digraph`` as torchviz's function of that name
does, with more to read: data inputs, shapes, where a broadcast gradient is summed back,
optionally values, gradients and the order backward visits the ops. ``render_graph(graph,
"graph.svg")`` writes a picture (svg, png or pdf) through the Graphviz program ``dot``.
``backward_steps(loss, params)`` runs backward and returns one drawing per step of its walk,
and ``save_steps(frames, "backward.html")`` writes them as a web page to step through.
``python -m tinygrad_lr.viz --out graph.svg`` draws the linear-regression tutorial's loss.

Read ``dot.py`` (what is drawn, and from where in the graph), then ``render.py`` (the picture
and the error when Graphviz is missing), then ``steps.py`` and ``page.py`` (the walk), and
``program.py`` (a compiled step's recording, ``draw_program``).
docs/graphs.md explains how to read a drawing.
"""

from .dot import COLORS, DEFAULT_MAX_NODES, make_dot
from .page import save_steps
from .program import draw_program
from .render import FORMATS, Graph, GraphvizNotFoundError, render_graph
from .steps import Frame, Frames, backward_steps

__all__ = [
    "COLORS",
    "DEFAULT_MAX_NODES",
    "FORMATS",
    "Frame",
    "Frames",
    "Graph",
    "GraphvizNotFoundError",
    "backward_steps",
    "draw_program",
    "make_dot",
    "render_graph",
    "save_steps",
]
