"""The floor of an eager autograd's cost per operation: how close to NumPy can one come at all?

An eager framework builds a result object and a graph node for every operation and walks the
nodes back in ``backward()``; hand-written NumPy does neither. This script is that framework with
everything else taken out: one small class, the six operations of the loss as closures, the
engine's newest-first order, and nothing more (no dtype rules, no argument checks, no
broadcasting beyond the bias, no ``no_grad``, no graph metadata, no error messages). It is not a
library. Where the arrays are small (W1, W2), the time goes to that fixed cost per operation, and
its time is the lower bound for tinygrad_lr's and any eager design's; with large arrays (W3) it
is no bound, because it keeps more temporary arrays alive than tinygrad_lr does. The benchmark
table shows it next to the others.

    python benchmarks/bare_autograd.py --workload W1
"""

from __future__ import annotations

import heapq
import itertools

import numpy as np
from common import Data, main

_sequence_numbers = itertools.count()


class Bare:
    """A value, its gradient, and how to pass a gradient on to the values it came from."""

    __slots__ = ("data", "grad", "parents", "backward_fn", "sequence_nr")

    def __init__(self, data, parents=(), backward_fn=None):
        self.data, self.grad = data, None
        self.parents, self.backward_fn = parents, backward_fn
        self.sequence_nr = next(_sequence_numbers)

    def __matmul__(self, other):  # X @ w, with X data: only w gets a gradient
        x = self.data
        return Bare(x @ other.data, (other,), lambda g: (x.T @ g,))

    def __add__(self, bias):  # (m, 1) + (1,): the bias's gradient sums over the batch
        return Bare(self.data + bias.data, (self, bias), lambda g: (g, g.sum(axis=0)))

    def __sub__(self, target):  # ŷ - y, with y data
        return Bare(self.data - target.data, (self,), lambda g: (g,))

    def square(self):
        a = self.data
        return Bare(a * a, (self,), lambda g: (2 * g * a,))

    def mean(self):
        a = self.data
        return Bare(a.mean(), (self,), lambda g: (np.broadcast_to(g / a.size, a.shape),))

    def half(self):
        return Bare(self.data / 2, (self,), lambda g: (g / 2,))

    def backward(self):
        pending = {self: np.ones((), self.data.dtype)}
        heap = [(-self.sequence_nr, self)]
        while heap:
            node = heapq.heappop(heap)[1]
            grad = pending.pop(node)
            if node.backward_fn is None:  # a parameter
                node.grad = grad if node.grad is None else node.grad + grad
                continue
            for parent, parent_grad in zip(node.parents, node.backward_fn(grad)):
                if parent in pending:
                    pending[parent] = pending[parent] + parent_grad
                else:
                    pending[parent] = parent_grad
                    heapq.heappush(heap, (-parent.sequence_nr, parent))


def setup(data: Data):
    X, y, order = data.X, data.y, data.order
    w, b = Bare(data.w0.copy()), Bare(data.b0.copy())
    wl = data.workload
    n, batch_size, lr = wl.samples, wl.batch_size, wl.lr

    def loop() -> None:
        for epoch in range(wl.epochs):
            for start in range(0, n, batch_size):
                if order is None:
                    Xb, yb = X[start : start + batch_size], y[start : start + batch_size]
                else:
                    indices = order[epoch, start : start + batch_size]
                    Xb, yb = X[indices], y[indices]
                loss = (Bare(Xb) @ w + b - Bare(yb)).square().mean().half()
                loss.backward()
                for param in (w, b):
                    param.data -= lr * param.grad
                    param.grad = None

    return loop, lambda: (w.data, b.data)


if __name__ == "__main__":
    main("bare autograd", setup)
