"""``make_dot``: the graph behind a tensor, drawn to be read as backpropagation runs through it.

Where each part of the drawing comes from:

- **ops**: :func:`~tinygrad_lr.autograd.engine.topological_order` of the output's ``grad_fn``,
  the nodes in the order backward visits them;
- **parameters** (leaves that require grad): the tensors in each node's ``next_functions``;
- **data** (tensors that need no gradient, such as X and y): ``node.data_inputs``, which
  ``Function.apply`` records weakly because ``next_functions`` has no entry for them;
- **shapes**: ``node.input_shapes``; an op's result has the shape its consumer received;
- **SumToSize**: where an operand was broadcast to a larger shape in forward (the bias ``b``
  added to every row), backward's gradient has the larger shape and the engine sums it back
  (the op :class:`~tinygrad_lr.ops.SumToSize`); the drawing shows that step as a node.

The DOT text is written line by line instead of through ``Digraph.node``/``Digraph.edge``, which
quote and check every argument: that keeps a 10,000-op graph well under a second.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np

from ..autograd.engine import topological_order
from ..autograd.function import Function
from ..ops import Add, Div, Linear, MatMul, Mean, MseLoss, Mul, Pow, Sub, Sum
from ..tensor import Tensor
from .labels import format_number, format_shape, format_values
from .render import Graph

COLORS = {
    "parameter": "#a6cee3",  # blue: leaves that require grad, where gradients end up
    "data": "#fdbf6f",  # orange: tensors that need no gradient (inputs X, targets y)
    "op": "#e0e0e0",  # grey: operations (backward nodes)
    "reduction": "#cab2d6",  # violet: SumToSize, a broadcast gradient summed back
    "output": "#b2df8a",  # green: the tensor make_dot was given
    "note": "#ffffff",  # white: what max_nodes left out
}
"""Fill colour of each kind of node (ColorBrewer "Paired", readable with colour blindness)."""

SHARED_LEAF_LIMIT = 8
"""A leaf that feeds more ops than this is drawn beside each of them: arrows from one node to
ops far apart make Graphviz's layout take minutes (100 such arrows: seconds; 200: minutes)."""

DEFAULT_MAX_NODES = 500
"""Ops drawn at most unless ``max_nodes`` says otherwise: Graphviz's layout of a few thousand
nodes takes minutes, and a picture of them cannot be read anyway."""

# Ops whose operands broadcast against each other: backward returns gradients of the result's
# shape, so a smaller operand's gradient is summed back by the engine.
_ELEMENTWISE_BINARY = (Add, Sub, Mul, Div)
_SYMBOLS = {Add: "+", Sub: "-", Mul: "*", Div: "/"}

_GRAPH_ATTR = {"rankdir": "TB", "nodesep": "0.3", "ranksep": "0.35"}
_NODE_ATTR = {
    "shape": "box",
    "style": "filled,rounded",
    "fontname": "Helvetica",
    "fontsize": "11",
    "margin": "0.12,0.05",
    "height": "0.3",
}
_EDGE_ATTR = {"arrowsize": "0.7", "color": "#555555"}


def make_dot(
    output: Tensor | Sequence[Tensor],
    params: Mapping[str, Tensor] | Iterable[tuple[str, Tensor]] | None = None,
    show_values: bool = False,
    show_grads: bool = False,
    show_order: bool = False,
    max_nodes: int | None = DEFAULT_MAX_NODES,
    legend: bool = False,
) -> Graph:
    """Draw the computation graph that produced ``output``, as torchviz's ``make_dot`` does.

    Tensors are boxes: parameters (blue), data (orange) and the output (green). Operations are
    grey ovals named after their ``Function`` (``MatMul``, ``Add``, ``Pow``, ...) with the shape
    of their result. A violet ``SumToSize`` oval marks where backward sums a broadcast gradient
    back to a smaller operand, such as a bias. Arrows follow the forward computation; backward
    runs against them.

    Parameters
    ----------
    output : Tensor or sequence of Tensor
        What to draw the graph of, typically the loss.
    params : dict of str to Tensor, optional
        Names for tensors, e.g. ``{"w": w, "b": b}`` or ``dict(model.named_parameters())``. Data
        tensors may be named too (``{"X": X, "y": y}``); they are still drawn as data.
    show_values : bool
        Add the first few values of every leaf (and of the output).
    show_grads : bool
        Add the first few numbers of each parameter's ``.grad`` (call ``backward()`` first).
    show_order : bool
        Number the ops in the order backward visits them (1 is visited first).
    max_nodes : int or None
        Draw at most this many ops, those nearest the output; a note says how many were left
        out. None draws them all.
    legend : bool
        Add a small legend of the colours.

    Returns
    -------
    Graph
        A ``graphviz.Digraph``: ``.source`` is the DOT text, :func:`render_graph` or
        ``.render()`` make a picture, and Jupyter displays it inline.

    Examples
    --------
    >>> import re
    >>> import tinygrad_lr as tg
    >>> X, y = tg.ones(10, 2), tg.ones(10, 1)
    >>> w, b = tg.zeros(2, 1, requires_grad=True), tg.zeros(1, requires_grad=True)
    >>> loss = ((X @ w + b - y) ** 2).mean()
    >>> graph = make_dot(loss, params={"w": w, "b": b, "X": X, "y": y})
    >>> for label in re.findall(r'label="(.*?)"', graph.source):  # each node's text
    ...     print(label.replace("\\\\n", " | "))
    output | () float32 | value 1
    Mean | ()
    Pow | input ** 2 | (10, 1)
    Sub | (10, 1)
    y (data) | (10, 1) float32
    Add | (10, 1)
    b (parameter) | (1,) float32
    SumToSize | grad (10, 1) → (1,)
    MatMul | (10, 1)
    X (data) | (10, 2) float32
    w (parameter) | (2, 1) float32
    >>> graph.source.count("->")  # X, w -> MatMul -> Add <- SumToSize <- b, ... -> output
    10
    """
    drawing = drawing_of(output, params, show_values, show_grads, show_order, max_nodes, legend)
    return graph_of(drawing.lines)


def drawing_of(
    output: Tensor | Sequence[Tensor],
    params: Mapping[str, Tensor] | Iterable[tuple[str, Tensor]] | None = None,
    show_values: bool = False,
    show_grads: bool = False,
    show_order: bool = False,
    max_nodes: int | None = DEFAULT_MAX_NODES,
    legend: bool = False,
) -> _Drawing:
    """The drawing :func:`make_dot` makes, with where each part of it was written.

    Examples
    --------
    >>> import tinygrad_lr as tg
    >>> w = tg.ones(2, requires_grad=True)
    >>> loss = (w * 3).sum()
    >>> drawing = drawing_of(loss, {"w": w})
    >>> sorted(drawing.op_ids.values()), drawing.inputs[loss.grad_fn.next_functions[0], 0][0]
    (['op0', 'op1'], 'p0')
    """
    outputs = _check_outputs(output)
    named = _check_params(params)
    if max_nodes is not None and (
        isinstance(max_nodes, bool) or not isinstance(max_nodes, int) or max_nodes < 1
    ):
        raise ValueError(f"max_nodes must be a positive int or None, got {max_nodes!r}")
    drawing = _Drawing(named, show_values, show_grads)
    drawing.draw(outputs, show_order, max_nodes)
    if legend:
        drawing.add_legend()
    return drawing


def graph_of(lines: list[str]) -> Graph:
    """A Graph of DOT lines, with make_dot's layout and styles.

    Examples
    --------
    >>> graph_of(["\\ta -> b\\n"]).source.splitlines()[-2:]
    ['\\ta -> b', '}']
    """
    return Graph(graph_attr=_GRAPH_ATTR, node_attr=_NODE_ATTR, edge_attr=_EDGE_ATTR, body=lines)


def _check_outputs(output: Any) -> list[Tensor]:
    outputs = list(output) if isinstance(output, (tuple, list)) else [output]
    for tensor in outputs:
        if not isinstance(tensor, Tensor):
            raise TypeError(
                f"make_dot expects a Tensor (or a tuple of Tensors), got {type(tensor).__name__}; "
                "pass the loss itself, e.g. make_dot(loss)"
            )
    if not outputs:
        raise ValueError("make_dot needs at least one tensor to draw")
    return outputs


def _check_params(params: Any) -> dict[str, Tensor]:
    """The names given to tensors, checked: a name for each tensor, as ``{"w": w}``."""
    if params is None:
        return {}
    pairs = params.items() if isinstance(params, Mapping) else params
    names: dict[str, Tensor] = {}
    for pair in pairs:
        if not (isinstance(pair, tuple) and len(pair) == 2):
            raise TypeError(
                "params must be a dict of name -> Tensor, e.g. {'w': w, 'b': b} or "
                f"dict(model.named_parameters()); got an item {pair!r}"
            )
        name, tensor = pair
        if not isinstance(tensor, Tensor):
            raise TypeError(
                f"params[{name!r}] must be a Tensor, got {type(tensor).__name__}; params maps "
                "names to tensors, e.g. {'w': w, 'b': b}"
            )
        names[str(name)] = tensor
    return names


def _quote(text: str) -> str:
    """A DOT string literal: quotes and backslashes escaped, line breaks as ``\\n``."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{escaped}"'


def node_line(dot_id: str, label: str, color: str, extra: str = "") -> str:
    """One node of the DOT text: its label, fill colour and other attributes.

    Examples
    --------
    >>> node_line("op0", "Add\\n(10, 1)", "#e0e0e0", " shape=ellipse")
    '\\top0 [label="Add\\\\n(10, 1)" fillcolor="#e0e0e0" shape=ellipse]\\n'
    """
    return f"\t{dot_id} [label={_quote(label)} fillcolor={_quote(color)}{extra}]\n"


def edge_line(tail: str, head: str, attributes: str = "") -> str:
    """One arrow of the DOT text, with its attributes (``style=dashed``) if any.

    Examples
    --------
    >>> edge_line("p0", "op1", "style=dashed")
    '\\tp0 -> op1 [style=dashed]\\n'
    """
    return f"\t{tail} -> {head} [{attributes}]\n" if attributes else f"\t{tail} -> {head}\n"


def _memory_owner(array: np.ndarray) -> np.ndarray:
    """The array that owns ``array``'s memory (itself, or the array it is a view of)."""
    return array.base if isinstance(array.base, np.ndarray) else array


def _gradient_shape(node: Function, index: int) -> tuple[int, ...]:
    """The shape of the gradient ``node.backward`` returns for input ``index``.

    It differs from the input's shape only where forward broadcast that input; the engine then
    sums it back (that difference is what SumToSize draws).
    """
    shape = node.input_shapes[index]
    if isinstance(node, _ELEMENTWISE_BINARY):
        shapes = [s for s in node.input_shapes if s is not None]
        return shape if len(shapes) < 2 or shapes[0] == shapes[1] else np.broadcast_shapes(*shapes)
    if isinstance(node, MatMul):  # batch dimensions broadcast; the last two multiply
        batch = np.broadcast_shapes(*(s[:-2] for s in node.input_shapes))
        return tuple(batch) + tuple(shape[-2:] if len(shape) >= 2 else shape)
    if isinstance(node, Linear) and index == 2:  # the bias's gradient is g, one row per sample
        x_shape, weight_shape = node.input_shapes[:2]
        return tuple(x_shape[:-1]) + tuple(weight_shape[:1])
    return shape


def _op_detail(node: Function) -> str | None:
    """What an op's name alone leaves out: the exponent of Pow, the dims of a reduction, and
    where a number (not drawn: numbers are not recorded) took part in + - * /."""
    if isinstance(node, Pow) and None in node.input_shapes:  # a number base or exponent
        number = format_number(node.number)
        return f"input ** {number}" if node.input_shapes[1] is None else f"{number} ** input"
    if isinstance(node, MseLoss):
        return f"reduction={node.reduction}"
    if isinstance(node, (Sum, Mean)) and node.dim is not None:
        dims = ", ".join(str(d) for d in node.dim)
        return f"dim={dims}" + (", keepdim" if node.keepdim else "")
    if isinstance(node, _ELEMENTWISE_BINARY) and None in node.input_shapes:
        symbol = _SYMBOLS[type(node)]
        first_is_tensor = node.input_shapes[0] is not None
        return f"input {symbol} number" if first_is_tensor else f"number {symbol} input"
    return None


class _Drawing:
    """Collects the DOT lines of one graph; one pass over the ops, O(nodes + edges)."""

    def __init__(self, params: dict[str, Tensor], show_values: bool, show_grads: bool) -> None:
        # Keyed by id: the tensors stay alive in ``params`` while the graph is drawn.
        self.names = {id(tensor): name for name, tensor in params.items()}
        self.named_tensors = {id(tensor): tensor for tensor in params.values()}
        self.show_values = show_values
        self.show_grads = show_grads
        self.lines: list[str] = []
        # Leaves are keyed by id(tensor), data by id(weak reference to it).
        self.tensor_ids: dict[int, str] = {}  # key -> DOT id of its (last) node
        self.labels: dict[int, str] = {}
        self.uses: Counter[int] = Counter()  # key -> how many drawn ops take it as input
        self.counts = {"p": 0, "d": 0}
        self.reductions = 0
        self._owner_names: dict[int, str] | None = None
        # Where each part was written, for drawings that restyle it (viz.steps): DOT id ->
        # (line, label, kind, extra attributes); op -> DOT id; (op, input index) -> (DOT id of
        # the input, line of its arrow into the op, SumToSize's DOT id and line of the arrow
        # into it, or None where the gradient is not summed back).
        self.nodes: dict[str, tuple[int, str, str, str]] = {}
        self.edges: dict[int, tuple[str, str, str]] = {}  # line -> (tail, head, attributes)
        self.op_ids: dict[Function, str] = {}
        self.inputs: dict[tuple[Function, int], tuple[str, int, str | None, int | None]] = {}

    # ------------------------------------------------------------------ nodes
    def node(self, dot_id: str, label: str, kind: str, extra: str = "") -> None:
        self.nodes[dot_id] = (len(self.lines), label, kind, extra)
        self.lines.append(node_line(dot_id, label, COLORS[kind], extra))

    def edge(self, tail: str, head: str, attributes: str = "") -> int:
        self.edges[len(self.lines)] = (tail, head, attributes)
        self.lines.append(edge_line(tail, head, attributes))
        return len(self.lines) - 1

    def tensor_lines(self, tensor: Tensor) -> list[str]:
        """Shape and dtype, then values and gradient when asked."""
        lines = [f"{format_shape(tensor._data.shape)} {tensor._data.dtype}"]
        if self.show_values:
            lines.append(f"value {format_values(tensor._data)}")
        if self.show_grads and tensor._requires_grad and tensor.grad_fn is None:
            grad = tensor._grad
            lines.append("grad None" if grad is None else f"grad {format_values(grad._data)}")
        return lines

    def leaf(self, tensor: Tensor) -> str:
        """The DOT id of a leaf that requires grad (a parameter)."""
        key = id(tensor)
        if key not in self.labels:
            name = self.names.get(key)
            title = f"{name} (parameter)" if name is not None else "leaf (requires grad)"
            self.labels[key] = "\n".join([title, *self.tensor_lines(tensor)])
        return self.tensor_node(key, "p", "parameter")

    def data(self, record: tuple[Any, Any, np.dtype], shape: tuple[int, ...]) -> str:
        """The DOT id of a data input (a tensor that needs no gradient)."""
        tensor_ref, owner_ref, dtype = record
        # One weak reference per tensor (Python reuses it), so its id identifies the tensor
        # even after the tensor is gone; the records keep the references themselves alive.
        key = id(tensor_ref)
        if key not in self.labels:
            tensor = tensor_ref()
            name = self.names.get(id(tensor)) if tensor is not None else None
            if name is None:
                owner = owner_ref()
                viewed = self.owner_names().get(id(owner)) if owner is not None else None
                name = f"view of {viewed}" if viewed is not None else None
            lines = [f"{name} (data)" if name is not None else "data"]
            if tensor is not None:
                lines += self.tensor_lines(tensor)
            else:
                lines.append(f"{format_shape(shape)} {dtype}")
                if self.show_values:
                    lines.append("value not kept (the tensor was freed)")
            self.labels[key] = "\n".join(lines)
        return self.tensor_node(key, "d", "data")

    def tensor_node(self, key: int, prefix: str, kind: str) -> str:
        """Draw a leaf once, or once per use when it feeds more than SHARED_LEAF_LIMIT ops."""
        uses = self.uses[key]
        dot_id = self.tensor_ids.get(key)
        if dot_id is not None and uses <= SHARED_LEAF_LIMIT:
            return dot_id
        dot_id = f"{prefix}{self.counts[prefix]}"
        self.counts[prefix] += 1
        self.tensor_ids[key] = dot_id
        label = self.labels[key]
        if uses > SHARED_LEAF_LIMIT:
            label += f"\nused by {uses:,} ops, drawn at each"
        self.node(dot_id, label, kind)
        return dot_id

    def owner_names(self) -> dict[int, str]:
        """{id(memory owner): name} for named tensors, to name views such as y.reshape(...).

        Built on first need; an owner shared by two names is ambiguous and left out.
        """
        if self._owner_names is None:
            by_owner: dict[int, str | None] = {}
            for tensor in self.named_tensors.values():
                key = id(_memory_owner(tensor._data))
                by_owner[key] = None if key in by_owner else self.names[id(tensor)]
            self._owner_names = {key: name for key, name in by_owner.items() if name is not None}
        return self._owner_names

    def output(self, tensor: Tensor, index: int) -> str:
        dot_id = f"out{index}"
        name = self.names.get(id(tensor), "output")
        lines = [name, *self.tensor_lines(tensor)]
        if tensor._data.size == 1 and not self.show_values:
            lines.append(f"value {format_values(tensor._data)}")
        self.node(dot_id, "\n".join(lines), "output")
        return dot_id

    def reduction(
        self, tail: str, head: str, grad_shape: tuple, shape: tuple
    ) -> tuple[str, int, int]:
        """Draw tail -> SumToSize -> head for an input whose gradient is summed back."""
        dot_id = f"r{self.reductions}"
        self.reductions += 1
        label = f"SumToSize\ngrad {format_shape(grad_shape)} → {format_shape(shape)}"
        tooltip = (
            f"forward broadcast this input from {format_shape(shape)} to "
            f"{format_shape(grad_shape)}; backward sums its gradient back (the op SumToSize)"
        )
        self.node(dot_id, label, "reduction", f" shape=ellipse tooltip={_quote(tooltip)}")
        into_reduction = self.edge(tail, dot_id)
        return dot_id, into_reduction, self.edge(dot_id, head)

    # ------------------------------------------------------------------ the walk
    def draw(self, outputs: list[Tensor], show_order: bool, max_nodes: int | None) -> None:
        roots = []
        for index, tensor in enumerate(outputs):
            out_id = self.output(tensor, index)
            if tensor.grad_fn is not None:
                roots.append((tensor.grad_fn, out_id, tuple(tensor._data.shape)))
        if not roots:
            return
        order = _backward_order([root for root, _, _ in roots])
        # The first nodes of the order are the ones nearest the output: every consumer of a
        # kept node is kept too, so the drawing stays connected to the output.
        kept = order if max_nodes is None else order[:max_nodes]
        op_ids = self.op_ids = {node: f"op{i}" for i, node in enumerate(kept)}
        self.count_uses(kept)
        # The shape of each op's result: what its consumer received (consumers come first).
        result_shapes: dict[Function, tuple] = {}
        for root, out_id, shape in roots:
            result_shapes.setdefault(root, shape)
            self.edge(op_ids[root], out_id)
        cut_from: list[str] = []
        for step, node in enumerate(kept, start=1):
            op_id = op_ids[node]
            lines = [type(node).__name__]
            detail = _op_detail(node)
            if detail:
                lines.append(detail)
            if node in result_shapes:
                lines.append(format_shape(result_shapes[node]))
            if show_order:
                lines.append(f"backward step {step}")
            tooltip = _quote(node.name())  # torch's name of the node, e.g. AddBackward0
            self.node(op_id, "\n".join(lines), "op", f" shape=ellipse tooltip={tooltip}")
            data = node.data_inputs
            for index, parent in enumerate(node.next_functions):
                shape = node.input_shapes[index]
                if parent is None:  # no gradient flows: a number, or data
                    if data and data[index] is not None:
                        self.edge(self.data(data[index], shape), op_id)
                elif isinstance(parent, Function):
                    # Arrows in argument order (X before w), so Graphviz draws them left to right.
                    result_shapes.setdefault(parent, shape)
                    if parent in op_ids:
                        self.connect(node, index, op_ids[parent], op_id, shape)
                    else:  # left out by max_nodes
                        cut_from.append(op_id)
                else:
                    self.connect(node, index, self.leaf(parent), op_id, shape)
        if len(kept) < len(order):
            self.note(order[len(kept) :], cut_from, max_nodes)

    def count_uses(self, ops: list[Function]) -> None:
        """How many of the drawn ops take each leaf and each data tensor as input."""
        for node in ops:
            data = node.data_inputs
            for index, parent in enumerate(node.next_functions):
                if isinstance(parent, Tensor):
                    self.uses[id(parent)] += 1
                elif parent is None and data and data[index] is not None:
                    self.uses[id(data[index][0])] += 1

    def connect(self, node: Function, index: int, tail: str, head: str, shape: tuple) -> None:
        """An arrow from an input to the op using it, through SumToSize if it was broadcast."""
        grad_shape = _gradient_shape(node, index)
        if tuple(grad_shape) == tuple(shape):
            self.inputs[node, index] = (tail, self.edge(tail, head), None, None)
        else:
            reduction, into_reduction, into_op = self.reduction(tail, head, grad_shape, shape)
            self.inputs[node, index] = (tail, into_op, reduction, into_reduction)

    def note(self, left_out: list[Function], cut_from: list[str], max_nodes: int | None) -> None:
        """One node saying what max_nodes left out, with a dashed arrow to where it was cut."""
        hidden_leaves = set()
        for node in left_out:
            for parent in node.next_functions:
                if isinstance(parent, Tensor) and id(parent) not in self.tensor_ids:
                    hidden_leaves.add(id(parent))
        label = f"{len(left_out):,} more ops not drawn"
        if hidden_leaves:
            leaves = "leaf that requires" if len(hidden_leaves) == 1 else "leaves that require"
            label += f"\nand {len(hidden_leaves):,} {leaves} grad"
        label += f"\n(max_nodes={max_nodes}; pass max_nodes=None to draw all)"
        self.node("omitted", label, "note", " shape=note style=filled")
        for head in dict.fromkeys(cut_from):
            self.edge("omitted", head, "style=dashed")

    def add_legend(self) -> None:
        """A legend beside the graph: one node of each kind, drawn with that kind's shape."""
        self.lines.append(
            '\tsubgraph cluster_legend {\n\t\tlabel="legend" fontname="Helvetica" fontsize="12" '
            'style="rounded" color="#bbbbbb"\n'
        )
        for index, (kind, text, shape) in enumerate(_LEGEND):
            extra = f" shape={shape}" + (" style=filled" if shape == "note" else "")
            self.lines.append("\t" + node_line(f"legend{index}", text, COLORS[kind], extra))
        chain = " -> ".join(f"legend{index}" for index in range(len(_LEGEND)))
        self.lines.append(f"\t\t{chain} [style=invis]\n\t}}\n")


_LEGEND = [
    ("parameter", "parameter: a leaf that requires grad;\nits gradient lands in .grad", "box"),
    ("data", "data: a tensor that needs no grad (X, y);\n'view of y': y reshaped or sliced", "box"),
    ("op", "operation: a node backward visits", "ellipse"),
    ("reduction", "SumToSize: a broadcast gradient\nsummed back to its input's shape", "ellipse"),
    ("output", "output: the tensor drawn", "box"),
]


def _backward_order(roots: list[Function]) -> list[Function]:
    """Every node reachable from ``roots``, each before the nodes that produced its inputs."""
    return topological_order(*roots)
