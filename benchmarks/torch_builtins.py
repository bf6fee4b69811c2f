"""torch with its building blocks: ``nn.Linear``, ``F.mse_loss``, ``optim.SGD`` and
``DataLoader(TensorDataset(X, y))``. The loop is the same text as in ``tinygrad_builtins.py``.

``F.mse_loss`` is mean((ŷ − y)²), twice the workloads' loss, so SGD runs with half the learning
rate: the steps are the same. The DataLoader shuffles with its own generator, so the batches
differ from the from-scratch scripts' (same data, same number of steps).

Full batch (W3, unshuffled, batch = all samples): torch's DataLoader fetches and collates the
1,000,000 samples one by one each step (17.7 s per step on the machine of README.md), and a
``BatchSampler`` still turns a Python list of 1,000,000 indices into a tensor each step (0.6 s).
This script then hands the dataset one index tensor per batch (``batch_size=None`` turns
per-sample collation off), so one gather copies the batch.

    python benchmarks/torch_builtins.py --workload W1
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from common import Data, main
from torch import nn, optim
from torch.utils.data import DataLoader, TensorDataset


def make_loader(dataset, batch_size: int, shuffle: bool) -> DataLoader:
    generator = torch.Generator().manual_seed(0)
    if batch_size == len(dataset) and not shuffle:
        n = len(dataset)
        batches = [torch.arange(start, min(start + batch_size, n)) for start in range(0, n, n)]
        return DataLoader(dataset, batch_size=None, sampler=batches)
    return DataLoader(dataset, batch_size=batch_size, shuffle=shuffle, generator=generator)


def setup(data: Data):
    wl = data.workload
    model = nn.Linear(wl.features, 1)
    with torch.no_grad():
        model.weight.copy_(torch.from_numpy(data.w0.T))
        model.bias.copy_(torch.from_numpy(data.b0))
    dataset = TensorDataset(torch.from_numpy(data.X), torch.from_numpy(data.y))
    loader = make_loader(dataset, wl.batch_size, wl.shuffle)
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
    main("torch builtins", setup)
