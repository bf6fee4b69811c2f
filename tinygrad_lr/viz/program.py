"""``draw_program``: a compiled step's recording (``tinygrad_lr.compile``) as a graph.

Each entry of the program is an oval, numbered in the order a replay runs it; the arguments
(orange), the arrays from outside the step (blue: parameters, gradients, optimizer state) and
each entry's result feed the entries that use them. An in-place write (an update, a zeroing)
has a red arrow to the array it changes.
"""

from __future__ import annotations

from typing import Any

from .dot import COLORS, edge_line, graph_of, node_line
from .render import Graph

WRITE = "#e31a1c"  # red: an in-place write's arrow to the array it changes


def draw_program(program: Any) -> Graph:
    """Draw a :class:`~tinygrad_lr.compiled.Program`, as ``step.program(X, y)`` returns it.

    Examples
    --------
    >>> import tinygrad_lr as tg
    >>> from tinygrad_lr.viz import draw_program
    >>> w = tg.ones(2)
    >>> step = tg.compile(lambda x: (x * w).sum())
    >>> for _ in range(3):
    ...     _ = step(tg.ones(2))
    >>> source = draw_program(step.program(tg.ones(2))).source
    >>> "1: b1 = Mul" in source and "x0 (argument)" in source and "s0 (from outside)" in source
    True
    """
    names = program.names()
    lines: list[str] = []
    for slot in program.inputs:
        lines.append(node_line(f"n{slot}", f"{names[slot]} (argument)", COLORS["data"]))
    for slot in program.state:
        kind = "constant" if slot in program.constants else "from outside"
        lines.append(node_line(f"n{slot}", f"{names[slot]} ({kind})", COLORS["parameter"]))
    made_by: dict[int, str] = {}  # slot -> the entry whose result it is
    for number, (_, label, spec, out) in enumerate(program.entries, start=1):
        entry = f"e{number}"
        text = (
            f"{number}: {label} (in place)" if out is None else f"{number}: {names[out]} = {label}"
        )
        lines.append(node_line(entry, text, COLORS["op"], " shape=ellipse"))
        for position, (kind, value) in enumerate(spec):
            if kind != 0:  # a constant: not drawn
                continue
            tail = made_by.get(value, f"n{value}")
            if out is None and position == 0:  # the array this write changes
                style = f'color="{WRITE}" fontcolor="{WRITE}" fontname="Helvetica" label="writes"'
                lines.append(edge_line(entry, tail, style))
            else:
                lines.append(edge_line(tail, entry))
        if out is not None:
            made_by[out] = entry
    return graph_of(lines)
