"""The linear-regression tutorial's loss on one small batch: what ``python -m tinygrad_lr.viz``
and the figure of docs/graphs.md draw (not API: a tool of this package and its docs).

``linreg`` and ``squared_loss`` are the tutorial's, as examples/linear_regression.py writes
them; the data are y = Xw + b + noise with w = [3, -1.2] and b = 2, from a fixed seed (of the
default generator, as in the tutorial), so the drawing is the same on every run.
"""

from __future__ import annotations

from typing import Any

from .. import creation, functions, random
from ..datasets import data_iter, synthetic_data
from ..tensor import Tensor
from .dot import make_dot
from .render import Graph
from .steps import Frames, backward_steps

TRUE_W = [3.0, -1.2]
TRUE_B = 2.0


def linreg(X: Tensor, w: Tensor, b: Tensor) -> Tensor:
    """The linear regression model, X @ w + b."""
    return functions.matmul(X, w) + b


def squared_loss(y_hat: Tensor, y: Tensor) -> Tensor:
    """Squared loss, per example: (y_hat - y)² / 2."""
    return (y_hat - y.reshape(y_hat.shape)) ** 2 / 2


def tutorial_loss(batch_size: int = 10, seed: int = 0, backward: bool = True) -> dict[str, Tensor]:
    """The tensors of one training step of the tutorial: X, y, w, b and the loss.

    The tutorial's steps, in its order: seed the default generator, draw 1000 examples, make
    w and b, take the first mini-batch; then ``loss = squared_loss(linreg(X, w, b), y).sum()``,
    the number the tutorial calls ``backward()`` on. With ``backward`` it has been called, so
    ``w.grad`` and ``b.grad`` are filled in. docs/graphs.md runs the same code.

    Examples
    --------
    >>> tensors = tutorial_loss(batch_size=4)
    >>> sorted(tensors), tuple(tensors["X"].shape), tuple(tensors["w"].grad.shape)
    (['X', 'b', 'loss', 'w', 'y'], (4, 2), (2, 1))
    """
    random.manual_seed(seed)
    features, labels = synthetic_data(creation.tensor(TRUE_W), TRUE_B, 1000)
    w = random.normal(0, 0.01, size=(len(TRUE_W), 1), requires_grad=True)
    b = creation.zeros(1, requires_grad=True)
    X, y = next(data_iter(batch_size, features, labels))
    loss = squared_loss(linreg(X, w, b), y).sum()
    if backward:
        loss.backward()
    return {"w": w, "b": b, "X": X, "y": y, "loss": loss}


def tutorial_graph(batch_size: int = 10, seed: int = 0, **options: Any) -> Graph:
    """:func:`make_dot` of :func:`tutorial_loss`, every tensor named; ``options`` go to make_dot.

    Examples
    --------
    >>> graph = tutorial_graph(show_grads=True)
    >>> "w (parameter)" in graph.source and "grad [" in graph.source
    True
    """
    tensors = tutorial_loss(batch_size, seed)
    return make_dot(tensors["loss"], params=tensors, **options)


def figure_graph() -> Graph:
    """The drawing in docs/graphs.md: the tutorial's loss with gradients, backward's order and
    the legend (docs/make_graph_figures.py writes it; a test checks it is up to date).

    Examples
    --------
    >>> "backward step 1" in figure_graph().source
    True
    """
    return tutorial_graph(show_grads=True, show_order=True, legend=True)


FIGURE_STEPS = (5, 6, 8)
"""The frames docs/graphs.md shows as pictures: Add sending two gradients, SumToSize, the end."""


def figure_steps() -> Frames:
    """The step-by-step page of docs/graphs.md: the figure's loss, its backward frame by frame.

    Examples
    --------
    >>> frames = figure_steps()
    >>> len(frames), frames[FIGURE_STEPS[1]].kind
    (9, 'sum')
    """
    tensors = tutorial_loss(backward=False)
    return backward_steps(tensors["loss"], tensors, show_order=True, legend=True)
