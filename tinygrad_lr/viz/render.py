"""Turning a graph into a picture with the Graphviz program ``dot``, with a clear error without it.

The Python package ``graphviz`` only writes DOT text; the pictures come from the separate
Graphviz program ``dot``, a system package. When ``dot`` is missing, graphviz raises
``ExecutableNotFound`` saying only that it failed to execute it; here that becomes one
:class:`GraphvizNotFoundError` saying how to install it, whichever way the picture was asked for:
:func:`render_graph`, ``Graph.render``, ``Graph.pipe``, or Jupyter's inline display.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

try:
    import graphviz
except ImportError as error:  # the viz extra is optional: say how to get it
    raise ImportError(
        "tinygrad_lr.viz needs the graphviz Python package: pip install 'tinygrad_lr[viz]' "
        "(or pip install graphviz)"
    ) from error

FORMATS = ("svg", "png", "pdf")
"""The picture formats :func:`render_graph` writes, chosen by the file's suffix."""

INSTALL_HINT = (
    "Graphviz's `dot` program, which turns a graph into a picture, was not found on the PATH. "
    "Install it with your system's package manager: `apt-get install graphviz` (Debian, "
    "Ubuntu), `brew install graphviz` (macOS) or `conda install graphviz` (conda), then restart "
    "Python. The graph itself does not need it: `graph.source` is its DOT text."
)


class GraphvizNotFoundError(graphviz.ExecutableNotFound):
    """The Graphviz program ``dot`` is missing; the message says how to install it.

    A :class:`RuntimeError`, and a ``graphviz.ExecutableNotFound``, so code that already catches
    either keeps working.

    Examples
    --------
    >>> issubclass(GraphvizNotFoundError, RuntimeError)
    True
    >>> "apt-get install graphviz" in str(GraphvizNotFoundError())
    True
    """

    def __init__(self) -> None:
        # Not ExecutableNotFound.__init__, whose message names the program without a remedy.
        RuntimeError.__init__(self, INSTALL_HINT)


class Graph(graphviz.Digraph):
    """A ``graphviz.Digraph`` whose rendering explains how to install Graphviz when it is missing.

    Everything else is graphviz's own: ``.source`` is the DOT text, ``render`` and ``pipe`` make
    pictures, and Jupyter shows the graph inline (graphviz's ``_repr_mimebundle_``, which calls
    ``pipe``).

    Examples
    --------
    >>> graph = Graph(body=["a -> b\\n"])
    >>> print(graph.source, end="")
    digraph {
    a -> b
    }
    """

    def pipe(self, *args: Any, **kwargs: Any) -> Any:
        """The picture as bytes (or text with ``encoding``); see ``graphviz.Digraph.pipe``."""
        try:
            return super().pipe(*args, **kwargs)
        except graphviz.ExecutableNotFound:
            raise GraphvizNotFoundError() from None

    def render(self, *args: Any, **kwargs: Any) -> str:
        """Write the DOT file and its picture; see ``graphviz.Digraph.render``."""
        try:
            return super().render(*args, **kwargs)
        except graphviz.ExecutableNotFound:
            raise GraphvizNotFoundError() from None


def render_graph(
    graph: graphviz.Digraph, path: str | os.PathLike[str], format: str | None = None
) -> Path:
    """Draw ``graph`` into one picture file; the format comes from the suffix unless given.

    Unlike ``graph.render(name)``, which writes the DOT text to ``name`` and the picture to
    ``name.svg``, this writes exactly the file you name.

    Parameters
    ----------
    graph : graphviz.Digraph
        For example what :func:`tinygrad_lr.viz.make_dot` returns.
    path : str or PathLike
        The file to write, e.g. ``"graph.svg"``, ``"graph.png"`` or ``"graph.pdf"``.
    format : str, optional
        One of ``"svg"``, ``"png"``, ``"pdf"``; defaults to the suffix of ``path``.

    Returns
    -------
    pathlib.Path
        The file written.

    Raises
    ------
    GraphvizNotFoundError
        The Graphviz program ``dot`` is not installed (the message says how to install it).
    ValueError
        The format is not svg, png or pdf.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> import tinygrad_lr as tg
    >>> from tinygrad_lr.viz import make_dot
    >>> w = tg.ones(2, requires_grad=True)
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     path = render_graph(make_dot((w * 2).sum()), pathlib.Path(folder) / "graph.svg")
    ...     path.read_text().startswith("<?xml")
    True
    """
    path = Path(path)
    chosen = (format or path.suffix.lstrip(".")).lower()
    if chosen not in FORMATS:
        raise ValueError(
            f"cannot draw {str(path)!r}: choose a file ending in .svg, .png or .pdf, or pass "
            f"format= one of {', '.join(FORMATS)} (got {chosen or 'no suffix'!r})"
        )
    try:
        picture = graphviz.Digraph.pipe(graph, format=chosen)
    except graphviz.ExecutableNotFound:
        raise GraphvizNotFoundError() from None
    path.write_bytes(picture)
    return path
