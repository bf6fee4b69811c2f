"""tinygrad_lr with its building blocks: ``nn.Linear``, ``F.mse_loss``, ``optim.SGD`` and
``DataLoader(TensorDataset(X, y))``. The loop is the same text as in ``torch_builtins.py``.

``F.mse_loss`` is mean((ŷ − y)²), twice the workloads' loss, so SGD runs with half the learning
rate: the steps are the same. The DataLoader shuffles with its own generator, so the batches
differ from the from-scratch scripts' (same data, same number of steps). Unlike torch's, this
DataLoader gathers a batch with one fancy-index and serves unshuffled batches as slices, so full
batch (W3) needs no workaround.

    python benchmarks/tinygrad_builtins.py --workload W1
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

    def loop() -> None:
        for _epoch in range(wl.epochs):
            for X, y in loader:
                loss = F.mse_loss(model(X), y)
                optimizer.zero_grad()
                loss.backward()
                optimizer.step()

    def result():
        return model.weight.detach().numpy().T.copy(), model.bias.detach().numpy().copy()

    return loop, result


if __name__ == "__main__":
    main("tinygrad_lr builtins", setup)
