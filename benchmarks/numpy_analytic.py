"""Hand-written NumPy with analytic gradients: the floor that a NumPy framework can approach.

For ŷ = X w + b and loss = mean((ŷ − y)²) / 2 over a batch of m samples, with r = ŷ − y:
dloss/dw = Xᵀ r / m and dloss/db = Σ r / m. The loss itself is computed each step too, as every
autograd implementation must.

    python benchmarks/numpy_analytic.py --workload W1
"""

from __future__ import annotations

import numpy as np
from common import Data, main


def setup(data: Data):
    X, y, order = data.X, data.y, data.order
    w, b = data.w0.copy(), data.b0.copy()
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
                r = Xb @ w + b - yb
                loss = 0.5 * np.mean(r * r)  # noqa: F841  (computed, as a training loop does)
                m = len(r)
                w[...] -= lr / m * (Xb.T @ r)
                b[...] -= lr / m * r.sum(axis=0)

    return loop, lambda: (w, b)


if __name__ == "__main__":
    main("numpy", setup)
