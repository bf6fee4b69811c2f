"""tinygrad_lr "from scratch" with the training step compiled: the same loop as
``tinygrad_scratch.py``, its body moved into a function wrapped in ``torch.compile``. The
batches are gathered outside the step, as the tutorial's data_iter does. Each timed loop makes
its parameters and its compiled step afresh, so it pays the warm-up, the recording and the
checked call (three steps) every time.

    python benchmarks/tinygrad_compiled_scratch.py --workload W1
"""

from __future__ import annotations

from common import Data, import_tinygrad_lr, main

torch = import_tinygrad_lr()


def setup(data: Data):
    X, y = torch.from_numpy(data.X), torch.from_numpy(data.y)
    order = None if data.order is None else torch.from_numpy(data.order)
    w = torch.from_numpy(data.w0.copy()).requires_grad_()
    b = torch.from_numpy(data.b0.copy()).requires_grad_()
    wl = data.workload
    n, batch_size, lr = wl.samples, wl.batch_size, wl.lr

    @torch.compile
    def step(Xb, yb):
        loss = ((Xb @ w + b - yb) ** 2).mean() / 2
        loss.backward()
        with torch.no_grad():
            for param in (w, b):
                param -= lr * param.grad
                param.grad.zero_()
        return loss

    def loop() -> None:
        for epoch in range(wl.epochs):
            for start in range(0, n, batch_size):
                if order is None:
                    Xb, yb = X[start : start + batch_size], y[start : start + batch_size]
                else:
                    indices = order[epoch, start : start + batch_size]
                    Xb, yb = X[indices], y[indices]
                step(Xb, yb)

    return loop, lambda: (w.detach().numpy(), b.detach().numpy())


if __name__ == "__main__":
    main("tinygrad_lr compiled scratch", setup)
