"""``backward_steps``: one backward pass drawn step by step, from the real engine's walk.

:func:`backward_steps` draws ``output``'s graph with :func:`make_dot`, then calls
``output.backward()`` with an observer in the engine's list
:data:`~tinygrad_lr.autograd.engine.OBSERVERS`. The engine tells it each step as it happens: the
node it visits and the gradient that node received, each gradient the node's backward sends to
an input (and whether it adds to one that input already received), each broadcast gradient
summed back by SumToSize, and the total each leaf receives. Each step becomes a :class:`Frame`:
the drawing with that step's node lit up and the gradients it sends written on its arrows, and a
caption with the numbers. Nothing here computes a gradient: every number is the engine's.

:func:`save_steps` writes the frames as one web page (``page.py``); in Jupyter the frames show
inline.
"""

from __future__ import annotations

import html
import inspect
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import numpy as np

from ..autograd import engine
from ..autograd.function import Function
from ..tensor import Tensor
from .dot import (
    COLORS,
    _check_outputs,
    _check_params,
    _Drawing,
    drawing_of,
    edge_line,
    graph_of,
    node_line,
)
from .labels import format_shape, format_values
from .page import steps_page
from .render import Graph

SHOWN_VALUES = 10
"""A gradient with at most this many numbers is written out (the first few of them); a larger
one by its shape."""

LIT = "#e31a1c"  # red: the step's node, and the arrows its gradients travel back along
DONE = "#fb9a99"  # light red: arrows a gradient has already travelled


@dataclass
class Frame:
    """One step of a backward pass: a drawing, a caption, and the numbers of that step.

    ``kind`` is ``"start"`` (before backward runs), ``"visit"`` (the engine runs one node's
    backward), ``"sum"`` (a broadcast gradient summed back to its input's shape) or ``"done"``
    (every leaf has its ``.grad``). ``received`` is the gradient the step's node received, and
    ``sent`` lists what it passed on: (to whom, the gradient, whether it was added to a gradient
    that input had already received).

    Examples
    --------
    >>> import tinygrad_lr as tg
    >>> w = tg.tensor([2.0], requires_grad=True)
    >>> frame = backward_steps((w * 3).sum(), {"w": w})[2]
    >>> frame.kind, frame.node, frame.received, frame.sent[0][0], frame.sent[0][1]
    ('visit', 'MulBackward0', array([1.], dtype=float32), 'w', array([3.], dtype=float32))
    """

    graph: Graph
    caption: str
    kind: str
    node: str | None = None
    received: np.ndarray | None = None
    sent: list[tuple[str, np.ndarray, bool]] = field(default_factory=list)

    @cached_property
    def svg(self) -> str:
        """The drawing as SVG markup (Graphviz's ``dot`` draws it)."""
        picture = self.graph.pipe(format="svg", encoding="utf-8")
        return picture[picture.index("<svg") :]

    def _repr_html_(self) -> str:
        return f"<div>{self.svg}<p>{html.escape(self.caption)}</p></div>"


class Frames(list):
    """The frames of one backward pass, a list; Jupyter shows them as the step-by-step page.

    Examples
    --------
    >>> import tinygrad_lr as tg
    >>> w = tg.tensor([2.0], requires_grad=True)
    >>> frames = backward_steps((w * 3).sum(), {"w": w})
    >>> len(frames), [frame.kind for frame in frames]
    (4, ['start', 'visit', 'visit', 'done'])
    """

    title = "backward, step by step"

    def _repr_html_(self) -> str:
        page = html.escape(steps_page(self, self.title), quote=True)
        return f'<iframe srcdoc="{page}" style="width: 100%; height: 720px; border: 0"></iframe>'


def backward_steps(
    output: Tensor,
    params: Mapping[str, Tensor] | Iterable[tuple[str, Tensor]] | None = None,
    **make_dot_options: Any,
) -> Frames:
    """Run ``output.backward()`` and return its walk through the graph, one frame per step.

    The first frame is the graph before backward; then one frame per node the engine visits,
    in its order, and one per SumToSize of a broadcast gradient; the last shows every leaf's
    ``.grad``. Like ``output.backward()``, this fills in the leaves' ``.grad`` (and frees the
    graph).

    Parameters
    ----------
    output : Tensor
        A one-number tensor with a graph, typically the loss.
    params : dict of str to Tensor, optional
        Names for tensors, as :func:`make_dot` takes them: ``{"w": w, "b": b, "X": X}``.
    **make_dot_options
        ``show_values``, ``show_order``, ``max_nodes`` and ``legend``, as :func:`make_dot`.

    Returns
    -------
    Frames
        A list of :class:`Frame`; :func:`save_steps` writes them as a web page.

    Examples
    --------
    >>> import textwrap
    >>> import tinygrad_lr as tg
    >>> w = tg.tensor([2.0], requires_grad=True)
    >>> x = tg.tensor([3.0])
    >>> frames = backward_steps((w * x).sum(), {"w": w, "x": x})
    >>> [frame.kind for frame in frames]
    ['start', 'visit', 'visit', 'done']
    >>> print(textwrap.fill(frames[2].caption, 80))
    Backward step 2 of 2: MulBackward0 receives g = dL/d(its result) = [1] from
    SumBackward0. It sends [3] to w (da = g * b).
    """
    (output,) = _check_outputs(output)
    if "show_grads" in make_dot_options:
        raise TypeError("backward_steps shows each leaf's .grad itself; leave out show_grads")
    if output.grad_fn is None:
        raise RuntimeError(
            "backward_steps needs a tensor computed from tensors that require grad, e.g. a loss "
            "of w = tg.zeros(2, requires_grad=True); this one has no graph"
        )
    names = _check_params(params)
    drawing = _drawing(output, names, make_dot_options)
    events: list[tuple[Any, ...]] = []
    engine.OBSERVERS.append(lambda *event: events.append(event))
    try:
        output.backward()
    finally:
        engine.OBSERVERS.pop()
    return _Film(drawing, names, output).frames(events)


def _drawing(output: Tensor, names: dict[str, Tensor], options: dict[str, Any]) -> _Drawing:
    """make_dot's drawing of ``output``, with each leaf's ``.grad`` as it is before backward."""
    unknown = set(options) - {"show_values", "show_order", "max_nodes", "legend"}
    if unknown:
        raise TypeError(f"backward_steps got unexpected options: {', '.join(sorted(unknown))}")
    return drawing_of(output, names, show_grads=True, **options)


def _show(array: np.ndarray) -> str:
    """A gradient as a caption writes it: its values when small, its shape otherwise."""
    if array.size <= SHOWN_VALUES:
        return format_values(array)
    return f"a {format_shape(array.shape)} tensor"


def _rules(node: Function) -> dict[int, str]:
    """The backward rule of each input, read off the op's docstring ("out = a * b;  da = g * b,
    db = g * a.") and matched to ``forward``'s arguments by name; none for an op without."""
    doc = (type(node).__doc__ or "").split("\n\n")[0]
    if ";" not in doc:
        return {}
    text = " ".join(doc.split(";", 1)[1].split())
    rules = [rule.strip().rstrip(".") for rule in text.split(", ")]
    arguments = list(inspect.signature(type(node).forward).parameters)[1:]  # after ctx
    found = {}
    for index, argument in enumerate(arguments):
        for rule in rules:
            if re.match(rf"d{re.escape(argument)}ᵢ? = ", rule):
                found[index] = rule
    return found


class _Film:
    """Turns the engine's events into frames, restyling one drawing for each step."""

    def __init__(self, drawing: _Drawing, names: dict[str, Tensor], output: Tensor) -> None:
        self.drawing = drawing
        self.names = {id(tensor): name for name, tensor in names.items()}
        self.output = output
        self.visited: dict[Function, np.ndarray] = {}  # node -> the gradient it received
        self.senders: dict[Any, list[str]] = {}  # node or id(leaf) -> who sent it gradients
        self.travelled: set[int] = set()  # lines of the arrows a gradient went back along
        self.waiting: dict[str, np.ndarray] = {}  # leaf's DOT id -> the sum it has received
        self.total = 0

    def name(self, target: Function | Tensor) -> str:
        if isinstance(target, Function):
            return target.name()
        return self.names.get(id(target), "a leaf")

    def frames(self, events: list[tuple[Any, ...]]) -> Frames:
        visits = [event for event in events if event[0] == "visit"]
        self.total = len(visits)
        loss = format_values(self.output._data)
        frames = Frames()
        frames.append(
            Frame(
                self.restyle({}, {}),
                f"Forward has run: the loss is {loss}. backward() starts at the loss with "
                f"dL/dL = 1 and visits the {self.total} operations from the loss back to the "
                "leaves, newest first, each once every gradient of its result has arrived.",
                "start",
            )
        )
        step = 0
        position = 0
        while position < len(events):
            event = events[position]
            if event[0] != "visit":
                position += 1
                continue
            step += 1
            following = []
            position += 1
            while position < len(events) and events[position][0] in ("sum", "send"):
                following.append(events[position])
                position += 1
            frames.extend(self.visit(step, event[1], event[2]._data.copy(), following))
        leaves = [(event[1], event[2]._data.copy()) for event in events if event[0] == "leaf"]
        frames.append(self.done(leaves))
        return frames

    def visit(
        self, step: int, node: Function, grad: np.ndarray, following: list[tuple[Any, ...]]
    ) -> list[Frame]:
        """The frame of one node's backward, and one more per gradient it sums back."""
        drawing = self.drawing
        self.visited[node] = grad
        lit_nodes: dict[str, str] = {}
        lit_edges: dict[int, str] = {}
        op_id = drawing.op_ids.get(node)
        if op_id is not None:
            lit_nodes[op_id] = f"g = {_show(grad)}"
        rules = _rules(node)
        sent = []
        parts = []
        sums = []
        raw: dict[int, np.ndarray] = {}
        for event in following:
            if event[0] == "sum":
                raw[event[2]] = event[3]._data.copy()
                continue
            _, _, index, parent, input_grad, added = event
            value = input_grad._data.copy()
            target = self.name(parent)
            sent.append((target, value, added))
            key = parent if isinstance(parent, Function) else id(parent)
            leaf_id = None if isinstance(parent, Function) else drawing.tensor_ids.get(id(parent))
            self.senders.setdefault(key, []).append(node.name())
            rule = f" ({rules[index]})" if index in rules else ""
            drawn = drawing.inputs.get((node, index))
            if index in raw:
                before = raw.pop(index)
                parts.append(f"{_show(before)} towards {target}{rule}, to be summed back first")
                if drawn is not None:
                    lit_edges[drawn[1]] = _show(before)
                sums.append((index, target, before, value, added, drawn, leaf_id))
            else:
                self.wait(leaf_id, value)
                text = f"{_show(value)} to {target}{rule}"
                if added:
                    text += f", added to the gradient {target} had already received"
                parts.append(text)
                if drawn is not None:
                    lit_edges[drawn[1]] = ("+= " if added else "") + _show(value)
        sources = self.senders.get(node)
        if sources is None:
            origin = "from backward() itself (the seed dL/dL = 1)"
        elif len(sources) == 1:
            origin = f"from {sources[0]}"
        else:
            origin = f"from {', '.join(sources)}: {len(sources)} contributions, added"
        caption = (
            f"Backward step {step} of {self.total}: {node.name()} receives g = dL/d(its result) = "
            f"{_show(grad)} {origin}."
        )
        if parts:
            caption += f" It sends {'; '.join(parts)}."
        else:
            caption += " None of its inputs needs a gradient, so it sends nothing."
        frames = [
            Frame(self.restyle(lit_nodes, lit_edges), caption, "visit", node.name(), grad, sent)
        ]
        for index, target, before, after, added, drawn, leaf_id in sums:
            self.wait(leaf_id, after)
            frames.append(self.summed(node, index, target, before, after, added, drawn))
        return frames

    def wait(self, leaf_id: str | None, grad: np.ndarray) -> None:
        """Note a gradient a leaf received: the engine adds it into .grad at the end."""
        if leaf_id is not None:
            held = self.waiting.get(leaf_id)
            self.waiting[leaf_id] = grad if held is None else held + grad

    def summed(
        self,
        node: Function,
        index: int,
        target: str,
        before: np.ndarray,
        after: np.ndarray,
        added: bool,
        drawn: tuple[str, int, str | None, int | None] | None,
    ) -> Frame:
        """The frame of SumToSize: a broadcast operand's gradient summed back to its shape."""
        shape = format_shape(after.shape)
        copies = before.size // max(after.size, 1)
        caption = (
            f"SumToSize: forward broadcast {target} from {shape} to {format_shape(before.shape)}, "
            f"so {target} took part {copies} times and {node.name()}'s gradient for it has one "
            f"number per use: {_show(before)}. The engine sums them back to {shape}: "
            f"{_show(after)}, sent to {target}"
            + (", added to the gradient it had already received." if added else ".")
        )
        lit_nodes: dict[str, str] = {}
        lit_edges: dict[int, str] = {}
        if drawn is not None and drawn[2] is not None:
            lit_nodes[drawn[2]] = f"sum = {_show(after)}"
            lit_edges[drawn[3]] = ("+= " if added else "") + _show(after)
        return Frame(
            self.restyle(lit_nodes, lit_edges),
            caption,
            "sum",
            "SumToSize",
            before,
            [(target, after, added)],
        )

    def done(self, leaves: list[tuple[Tensor, np.ndarray]]) -> Frame:
        """The last frame: each leaf's contributions are added into its ``.grad``."""
        lit_nodes = {}
        parts = []
        for leaf, _ in leaves:
            grad = format_values(leaf._grad._data)
            parts.append(f"{self.name(leaf)}.grad = {grad}")
            dot_id = self.drawing.tensor_ids.get(id(leaf))
            if dot_id is not None:
                lit_nodes[dot_id] = f"grad {grad}"
        if parts:
            caption = (
                "The walk is done. The engine has kept each leaf's gradients apart until now; "
                f"it adds them into .grad: {', '.join(parts)}."
            )
        else:
            caption = "The walk is done; it reached no leaf that requires grad."
        sent = [(self.name(leaf), grad, False) for leaf, grad in leaves]
        return Frame(self.restyle(lit_nodes, {}), caption, "done", None, None, sent)

    def restyle(self, lit_nodes: dict[str, str], lit_edges: dict[int, str]) -> Graph:
        """The drawing with each visited op's gradient, and the nodes and arrows of one step
        lit up (a lit leaf's text replaces its ``grad`` line; a lit op's is added)."""
        drawing = self.drawing
        lines = list(drawing.lines)
        for node, grad in self.visited.items():
            dot_id = drawing.op_ids.get(node)
            if dot_id is not None and dot_id not in lit_nodes:
                line, label, kind, extra = drawing.nodes[dot_id]
                lines[line] = node_line(dot_id, f"{label}\ng = {_show(grad)}", COLORS[kind], extra)
        for dot_id, held in self.waiting.items():
            if dot_id not in lit_nodes:
                line, label, kind, extra = drawing.nodes[dot_id]
                label += f"\nreceived {_show(held)}, kept for the end"
                lines[line] = node_line(dot_id, label, COLORS[kind], extra)
        for dot_id, text in lit_nodes.items():
            line, label, kind, extra = drawing.nodes[dot_id]
            if kind == "parameter":
                rows = label.split("\n")
                label = "\n".join(text if row.startswith("grad ") else row for row in rows)
            else:
                label = f"{label}\n{text}"
            lines[line] = node_line(
                dot_id, label, COLORS[kind], f' {extra} penwidth=3 color="{LIT}"'
            )
        for line in self.travelled:
            lines[line] = _restyled_edge(drawing, line, f'color="{DONE}" penwidth=1.6')
        for line, text in lit_edges.items():
            lines[line] = _restyled_edge(
                drawing,
                line,
                f'color="{LIT}" penwidth=2.6 fontcolor="{LIT}" fontname="Helvetica" '
                f'fontsize=10 xlabel="{text} "',
            )
        self.travelled.update(lit_edges)
        return graph_of(lines)


def _restyled_edge(drawing: _Drawing, line: int, style: str) -> str:
    """The drawing's arrow on ``line``, with more attributes."""
    tail, head, attributes = drawing.edges[line]
    return edge_line(tail, head, f"{attributes} {style}".strip())
