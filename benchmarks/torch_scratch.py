"""torch "from scratch", as the linear-regression tutorial writes it: tensors, autograd,
and a hand-written SGD step under ``no_grad``. The loop is the same text as in
``tinygrad_scratch.py``; only the import differs.

    python benchmarks/torch_scratch.py --workload W1
"""

from __future__ import annotations

import torch
from common import Data, main


def setup(data: Data):
    X, y = torch.from_numpy(data.X), torch.from_numpy(data.y)
    order = None if data.order is None else torch.from_numpy(data.order)
    w = torch.from_numpy(data.w0.copy()).requires_grad_()
    b = torch.from_numpy(data.b0.copy()).requires_grad_()
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
                loss = ((Xb @ w + b - yb) ** 2).mean() / 2
                loss.backward()
                with torch.no_grad():
                    for param in (w, b):
                        param -= lr * param.grad
                        param.grad.zero_()

    return loop, lambda: (w.detach().numpy(), b.detach().numpy())


if __name__ == "__main__":
    main("torch scratch", setup)
