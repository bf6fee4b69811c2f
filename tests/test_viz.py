"""tinygrad_lr.viz: what make_dot draws, the pictures Graphviz makes of it, and its errors.

The DOT text is parsed back into nodes and edges (``parse``) so that tests check the structure
of the drawing, not its formatting. Pictures are rendered by the real ``dot`` program (it is
installed in CI); its absence is simulated by emptying PATH.
"""

from __future__ import annotations

import gc
import os
import re
import subprocess
import sys
import weakref
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

import graphviz
import numpy as np
import pytest

import tinygrad_lr as tg
from tinygrad_lr.autograd import engine
from tinygrad_lr.viz import COLORS, Graph, GraphvizNotFoundError, make_dot, render_graph
from tinygrad_lr.viz.__main__ import main as viz_main
from tinygrad_lr.viz._tutorial import figure_graph, tutorial_graph, tutorial_loss
from tinygrad_lr.viz.labels import format_values

ROOT = Path(__file__).parents[1]
FIGURE = ROOT / "docs/figures/linear_regression_graph"
SVG_NS = "{http://www.w3.org/2000/svg}"


@dataclass
class Drawing:
    """A make_dot graph read back: node id -> label lines, and the edges as (tail, head)."""

    labels: dict[str, list[str]] = field(default_factory=dict)
    attrs: dict[str, str] = field(default_factory=dict)
    edges: list[tuple[str, str]] = field(default_factory=list)

    def ids(self, prefix: str) -> list[str]:
        return [i for i in self.labels if re.fullmatch(rf"{prefix}\d+", i)]

    def find(self, first_line: str) -> str:
        """The id of the one node whose label starts with ``first_line``."""
        found = [i for i, lines in self.labels.items() if lines[0] == first_line]
        assert len(found) == 1, f"{len(found)} nodes titled {first_line!r} in {self.labels}"
        return found[0]

    def inputs(self, node: str) -> list[str]:
        return [tail for tail, head in self.edges if head == node]


def parse(graph: graphviz.Digraph) -> Drawing:
    drawing = Drawing()
    for line in graph.body:
        node = re.match(r'\t(\w+) \[label="((?:[^"\\]|\\.)*)"(.*)\]\n$', line)
        edge = re.match(r"\t(\w+) -> (\w+)", line)
        if node:
            drawing.labels[node[1]] = node[2].split("\\n")
            drawing.attrs[node[1]] = node[3]
        elif edge:
            drawing.edges.append((edge[1], edge[2]))
    return drawing


def svg_texts(svg: str) -> list[str]:
    """Every line of text in an SVG made by Graphviz (it writes one <text> per label line)."""
    root = ET.fromstring(svg)
    return [element.text or "" for element in root.iter(f"{SVG_NS}text")]


# ---------------------------------------------------------------------------------- structure
def test_the_tutorial_loss_graph_has_each_op_leaf_and_the_bias_reduction():
    drawing = parse(tutorial_graph())
    ops = [drawing.labels[i][0] for i in drawing.ids("op")]
    # Backward's order, from the loss back: sum, /2, **2, -y, +b, X@w.
    assert ops == ["Sum", "Div", "Pow", "Sub", "Add", "MatMul"]
    assert len(drawing.labels) == 6 + 2 + 2 + 1 + 1  # ops, w and b, X and y, SumToSize, loss
    assert len(drawing.edges) == 11

    w, b = drawing.find("w (parameter)"), drawing.find("b (parameter)")
    X, y = drawing.find("X (data)"), drawing.find("view of y (data)")
    assert drawing.labels[w][1] == "(2, 1) float32"
    assert drawing.labels[b][1] == "(1,) float32"
    assert drawing.labels[X][1] == "(10, 2) float32"
    assert drawing.labels[y][1] == "(10, 1) float32"
    matmul, add, sub = drawing.find("MatMul"), drawing.find("Add"), drawing.find("Sub")
    assert drawing.inputs(matmul) == [X, w]  # in argument order: X @ w
    assert drawing.labels[matmul][1] == "(10, 1)"  # the shape of the op's result
    # b (1,) was broadcast over the (10, 1) rows: backward sums its gradient back.
    (reduction,) = drawing.ids("r")
    assert drawing.labels[reduction] == ["SumToSize", "grad (10, 1) → (1,)"]
    assert drawing.inputs(reduction) == [b]
    assert drawing.inputs(add) == [matmul, reduction]
    assert drawing.inputs(sub) == [add, y]
    loss = drawing.find("loss")
    assert drawing.labels[loss][1] == "() float32"
    value = tutorial_loss()["loss"].item()
    assert drawing.labels[loss][2] == f"value {value:.4g}"


def test_colours_tell_parameters_data_ops_reduction_and_output_apart():
    drawing = parse(tutorial_graph())
    colour = {i: re.search(r'fillcolor="(#\w+)"', a)[1] for i, a in drawing.attrs.items()}
    kinds = {
        "parameter": ["w (parameter)", "b (parameter)"],
        "data": ["X (data)", "view of y (data)"],
        "op": ["MatMul", "Add", "Sub", "Pow", "Div", "Sum"],
        "reduction": ["SumToSize"],
        "output": ["loss"],
    }
    seen = {}
    for kind, titles in kinds.items():
        colours = {colour[drawing.find(title)] for title in titles}
        assert colours == {COLORS[kind]}
        seen[kind] = colours.pop()
    assert len(set(seen.values())) == len(seen)


def test_reductions_drawn_are_exactly_those_the_engine_performs(monkeypatch):
    """Every SumToSize in the drawing is a SumToSize that backward applies, and vice versa."""
    a = tg.randn(4, 2, 3, requires_grad=True)
    w = tg.randn(3, 1, requires_grad=True)  # batch-broadcast by matmul: summed over 4
    scale = tg.randn(1, 1, requires_grad=True)  # broadcast by Mul
    shift = tg.randn(2, 1, requires_grad=True)  # broadcast by Sub, over the batch only
    same = tg.randn(4, 2, 1, requires_grad=True)  # same shape: no reduction
    out = (((a @ w) * scale - shift) / same).sum()
    drawing = parse(make_dot(out, params={"w": w, "scale": scale, "shift": shift}))
    drawn = sorted(tuple(drawing.labels[r][1:]) for r in drawing.ids("r"))

    performed = []
    real = tg.ops.SumToSize.forward

    def spy(ctx, grad, shape):
        performed.append(f"grad {tuple(grad.shape)} → {tuple(shape)}")
        return real(ctx, grad, shape)

    monkeypatch.setattr(tg.ops.SumToSize, "forward", staticmethod(spy))
    out.backward()
    assert drawn == sorted((p,) for p in performed)
    assert ("grad (4, 3, 1) → (3, 1)",) in drawn  # the matmul's batch dimension
    assert len(drawn) == 3


def test_unnamed_leaves_data_and_numbers():
    x = tg.randn(3, requires_grad=True)
    d = tg.randn(3)
    drawing = parse(make_dot((x * d + 1).sum()))
    assert drawing.find("leaf (requires grad)")
    assert drawing.find("data")
    assert drawing.labels[drawing.find("Add")][1] == "input + number"
    reflected = parse(make_dot((2 / x).sum()))
    assert reflected.labels[reflected.find("Div")][1] == "number / input"
    reduced = parse(make_dot(x.reshape(1, 3).mean(dim=1).sum()))
    assert reduced.labels[reduced.find("Mean")][1] == "dim=1"


def test_params_names_from_a_dict_named_parameters_or_pairs():
    model = tg.nn.Linear(2, 1)
    X = tg.randn(5, 2)
    loss = model(X).pow(2).mean()
    for params in (dict(model.named_parameters()), model.named_parameters()):
        drawing = parse(make_dot(loss, params))
        assert drawing.labels[drawing.find("weight (parameter)")][1] == "(1, 2) float32"
        assert drawing.labels[drawing.find("bias (parameter)")][1] == "(1,) float32"
        assert drawing.find("data")  # X, not named
    with pytest.raises(TypeError, match=r"params\['w'\] must be a Tensor"):
        make_dot(loss, {"w": np.zeros(2)})
    with pytest.raises(TypeError, match="make_dot expects a Tensor"):
        make_dot(np.zeros(2))


def test_show_grads_shows_the_gradients_of_w_and_b():
    tensors = tutorial_loss()
    w, b = tensors["w"], tensors["b"]
    before = parse(make_dot(tensors["loss"], tensors))
    assert len(before.labels[before.find("w (parameter)")]) == 2  # name, shape: no grad line
    drawing = parse(make_dot(tensors["loss"], tensors, show_grads=True))
    assert (
        drawing.labels[drawing.find("w (parameter)")][2] == f"grad {format_values(w.grad.numpy())}"
    )
    assert (
        drawing.labels[drawing.find("b (parameter)")][2] == f"grad {format_values(b.grad.numpy())}"
    )
    assert w.grad.numpy()[0, 0] != 0 and b.grad.item() != 0
    fresh = tg.zeros(2, requires_grad=True)
    unrun = parse(make_dot((fresh * 2).sum(), {"fresh": fresh}, show_grads=True))
    assert unrun.labels[unrun.find("fresh (parameter)")][2] == "grad None"


def test_show_values_elides_past_a_few_numbers():
    tensors = tutorial_loss()
    drawing = parse(make_dot(tensors["loss"], tensors, show_values=True))
    X = tensors["X"].numpy().reshape(-1)
    shown = ", ".join(f"{v:.4g}" for v in X[:4])
    assert drawing.labels[drawing.find("X (data)")][2] == f"value [{shown}, ... 16 more]"
    assert drawing.labels[drawing.find("b (parameter)")][2] == "value [0]"
    assert format_values(np.array([0.01, -0.02] + [0.0] * 8)) == "[0.01, -0.02, 0, 0, ... 6 more]"


def test_show_order_numbers_ops_in_backward_order():
    tensors = tutorial_loss()
    drawing = parse(make_dot(tensors["loss"], tensors, show_order=True))
    order = engine.topological_order(tensors["loss"].grad_fn)
    for step, node in enumerate(order, start=1):
        (op,) = [i for i in drawing.ids("op") if drawing.labels[i][-1] == f"backward step {step}"]
        assert drawing.labels[op][0] == type(node).__name__


def test_a_leaf_used_twice_is_one_node_with_two_arrows():
    w = tg.randn(3, requires_grad=True)
    drawing = parse(make_dot((w * w).sum(), {"w": w}))
    (node,) = drawing.ids("p")
    assert drawing.inputs(drawing.find("Mul")) == [node, node]


def test_several_outputs_and_a_leaf_output():
    w = tg.randn(3, requires_grad=True)
    first = (w * 2).sum()
    second = (w * 2).mean()
    drawing = parse(make_dot((first, second), {"w": w}))
    assert len(drawing.ids("out")) == 2 and len(drawing.ids("p")) == 1
    leaf = parse(make_dot(w))
    assert list(leaf.labels) == ["out0"] and leaf.edges == []


# ---------------------------------------------------------------------------------- data inputs
def test_data_inputs_are_remembered_weakly_and_drawn_after_they_are_gone():
    w = tg.randn(2, 1, requires_grad=True)
    X = tg.randn(1000, 2)
    gone = weakref.ref(X)
    gc.disable()  # the graph must not need the cycle collector to let X go
    try:
        loss = (X @ w).sum()
        del X
        assert gone() is None
    finally:
        gc.enable()
    drawing = parse(make_dot(loss, show_values=True))
    assert drawing.labels[drawing.find("data")] == [
        "data",
        "(1000, 2) float32",
        "value not kept (the tensor was freed)",
    ]


def test_a_function_without_data_inputs_records_none():
    w = tg.randn(3, requires_grad=True)
    assert (w * 2).grad_fn.data_inputs == ()
    node = (w + tg.ones(3)).grad_fn
    assert node.data_inputs[0] is None and node.data_inputs[1] is not None


# ---------------------------------------------------------------------------------- large graphs
def chain(ops: int):
    x = tg.ones(3, requires_grad=True)
    d = tg.ones(3)
    y = x
    for _ in range(ops // 2):
        y = y * 1.0001 + d
    return y.sum(), x, d


def test_ten_thousand_ops_become_dot():
    loss, x, d = chain(10_000)
    drawing = parse(make_dot(loss, {"x": x, "d": d}, max_nodes=None))
    assert len(drawing.ids("op")) == 10_001  # and the final Sum
    assert len(drawing.ids("p")) == 1
    # d feeds 5,000 ops: drawn beside each, or Graphviz's layout would take hours.
    assert len(drawing.ids("d")) == 5_000
    assert drawing.labels["d0"][-1] == "used by 5,000 ops, drawn at each"


def test_max_nodes_keeps_the_ops_nearest_the_output_and_says_what_it_left_out():
    loss, x, d = chain(10_000)
    drawing = parse(make_dot(loss, {"x": x, "d": d}, max_nodes=25))
    assert len(drawing.ids("op")) == 25
    assert drawing.labels["omitted"] == [
        "9,976 more ops not drawn",
        "and 1 leaf that requires grad",
        "(max_nodes=25; pass max_nodes=None to draw all)",
    ]
    (cut,) = [head for tail, head in drawing.edges if tail == "omitted"]
    assert cut == "op24"
    assert make_dot(loss).source.count("more ops not drawn") == 1  # the default cap applies
    with pytest.raises(ValueError, match="max_nodes must be a positive int"):
        make_dot(loss, max_nodes=0)


# ---------------------------------------------------------------------------------- rendering
def test_svg_from_graphviz_names_w_b_marks_x_y_as_data_and_shows_grads(tmp_path):
    tensors = tutorial_loss()
    graph = make_dot(tensors["loss"], tensors, show_grads=True)
    path = render_graph(graph, tmp_path / "graph.svg")
    texts = svg_texts(path.read_text())
    for text in ["w (parameter)", "b (parameter)", "X (data)", "view of y (data)", "loss"]:
        assert text in texts
    for op in ["MatMul", "Add", "Sub", "Pow", "Div", "Sum", "SumToSize"]:
        assert op in texts
    for shape in ["(2, 1) float32", "(1,) float32", "(10, 2) float32", "(10, 1)"]:
        assert shape in texts
    assert f"grad {format_values(tensors['w'].grad.numpy())}" in texts
    assert f"grad {format_values(tensors['b'].grad.numpy())}" in texts


def test_png_and_pdf_and_graphviz_s_own_render(tmp_path):
    graph = tutorial_graph()
    assert render_graph(graph, tmp_path / "g.png").read_bytes().startswith(b"\x89PNG")
    assert render_graph(graph, tmp_path / "g.pdf").read_bytes().startswith(b"%PDF")
    assert render_graph(graph, tmp_path / "g", format="svg").read_text().startswith("<?xml")
    written = graph.render(tmp_path / "own", format="svg")
    assert Path(written).read_text().startswith("<?xml")
    with pytest.raises(ValueError, match=r"\.svg, \.png or \.pdf"):
        render_graph(graph, tmp_path / "g.gif")


def test_jupyter_displays_the_graph_inline_as_svg():
    graph = tutorial_graph()
    assert isinstance(graph, graphviz.Digraph)
    bundle = graph._repr_mimebundle_()  # what Jupyter calls to display an object
    assert list(bundle) == ["image/svg+xml"]
    assert "MatMul" in svg_texts(bundle["image/svg+xml"])


def test_without_the_dot_program_one_error_says_how_to_install_it(tmp_path, monkeypatch):
    graph = tutorial_graph()
    monkeypatch.setenv("PATH", str(tmp_path))  # an empty directory: no `dot` on PATH
    attempts = [
        lambda: render_graph(graph, tmp_path / "graph.svg"),
        lambda: graph.pipe(format="svg"),
        lambda: graph.render(tmp_path / "graph", format="png"),
        lambda: graph._repr_mimebundle_(),
        lambda: render_graph(graphviz.Digraph(body=["a -> b\n"]), tmp_path / "plain.svg"),
    ]
    for attempt in attempts:
        with pytest.raises(GraphvizNotFoundError) as caught:
            attempt()
        assert isinstance(caught.value, RuntimeError)
        message = str(caught.value)
        for hint in ["apt-get install graphviz", "brew install graphviz", "conda install graphviz"]:
            assert hint in message
        assert "graph.source" in message
        assert caught.value.__cause__ is None and caught.value.__suppress_context__
    assert "MatMul" in graph.source  # the DOT text needs no program
    assert not (tmp_path / "graph.svg").exists()


def test_graph_is_a_digraph_subclass_that_copies():
    graph = tutorial_graph()
    copy = graph.copy()
    assert type(copy) is Graph and copy.source == graph.source


# ---------------------------------------------------------------------------------- command line
def test_command_line_draws_the_tutorial_loss(tmp_path, capsys, dot):
    assert viz_main(["--out", str(tmp_path / "graph.svg"), "--show-order"]) == 0
    texts = svg_texts((tmp_path / "graph.svg").read_text())
    assert "w (parameter)" in texts and "backward step 6" in texts and "legend" in texts
    assert viz_main([]) == 0  # no --out: the DOT text
    assert capsys.readouterr().out.startswith(f"wrote {tmp_path / 'graph.svg'}\ndigraph {{")


def test_command_line_without_dot_exits_1_with_the_hint(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("PATH", str(tmp_path))
    assert viz_main(["--out", str(tmp_path / "graph.svg")]) == 1
    assert "apt-get install graphviz" in capsys.readouterr().err


# ---------------------------------------------------------------------------------- docs figure
def test_the_docs_figure_is_up_to_date():
    """docs/figures/linear_regression_graph.{dot,svg} are what docs/make_graph_figures.py makes.

    The DOT text is compared exactly. The SVG's layout depends on the Graphviz version, so it is
    compared by its text: the same label lines as the DOT text, no more, no fewer.
    """
    hint = "regenerate with: python docs/make_graph_figures.py"
    source = figure_graph().source
    assert FIGURE.with_suffix(".dot").read_text() == source, f"the DOT figure is stale; {hint}"
    labels = re.findall(r'label="((?:[^"\\]|\\.)*)"', source)
    expected = [line for label in labels for line in label.split("\\n")]
    texts = svg_texts(FIGURE.with_suffix(".svg").read_text())
    assert sorted(texts) == sorted(expected), f"the SVG figure is stale; {hint}"


def test_the_example_draws_one_training_step(tmp_path, dot):
    path = tmp_path / "step.svg"
    result = subprocess.run(
        [sys.executable, str(ROOT / "examples/linear_regression.py"), "--epochs", "1"]
        + ["--samples", "50", "--graph", str(path)],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert result.returncode == 0, result.stderr
    assert f"saved the graph of one training step to {path}" in result.stdout
    texts = svg_texts(path.read_text())
    for text in ["w (parameter)", "b (parameter)", "X (data)", "view of y (data)", "SumToSize"]:
        assert text in texts
    assert sum(text.startswith("grad [") for text in texts) == 2  # w's and b's
