"""tinygrad_lr's building blocks with the training step compiled: ``tinygrad_builtins.py``'s
loop, its body (``F.mse_loss``, ``zero_grad``, ``backward``, ``optim.SGD``'s step) in a function
wrapped in ``torch.compile``; the DataLoader stays outside. Each timed loop compiles afresh, so
it pays the warm-up, the recording and the checked call every time.

    python benchmarks/tinygrad_compiled_builtins.py --workload W1
"""

from __future__ import annotations

from common import Data, import_tinygrad_lr, main

torch = import_tinygrad_lr()
from tinygrad_lr import nn, optim  # noqa: E402
from tinygrad_lr.nn import functional as F  # noqa: E402
from tinygrad_lr.utils.data import DataLoader, TensorDataset  # noqa: E402


def setup(data: Data):
    wl = data.workload
    model = nn.Linear(wl.features, 1)
    with torch.no_grad():
        model.weight.copy_(torch.from_numpy(data.w0.T))
        model.bias.copy_(torch.from_numpy(data.b0))
    dataset = TensorDataset(torch.from_numpy(data.X), torch.from_numpy(data.y))
    generator = torch.Generator().manual_seed(0)
    loader = DataLoader(dataset, batch_size=wl.batch_size, shuffle=wl.shuffle, generator=generator)
    optimizer = optim.SGD(model.parameters(), lr=wl.lr / 2)

    @torch.compile
    def step(X, y):
        loss = F.mse_loss(model(X), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        return loss

    def loop() -> None:
        for _epoch in range(wl.epochs):
            for X, y in loader:
                step(X, y)

    def result():
        return model.weight.detach().numpy().T.copy(), model.bias.detach().numpy().copy()

    return loop, result


if __name__ == "__main__":
    main("tinygrad_lr compiled builtins", setup)
