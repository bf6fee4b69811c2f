"""Nothing is kept from one training step to the next: memory stays flat, graphs die at once.

A graph node refers to its inputs' nodes and to the arrays it saved, never to its output, so the
graph of a loss is freed by reference counting the moment the loss is dropped; the cycle
collector is never needed (tests/test_autograd.py checks this for a hand-written loop; here it
is the nn / optim / DataLoader workflow). The long test trains for 100,000 steps and compares
the memory in use at step 10,000 and at the end.
"""

from __future__ import annotations

import gc
import os
import sys
import weakref
from typing import Any

import numpy as np

import tinygrad_lr as tg
from tinygrad_lr import nn, optim
from tinygrad_lr.autograd import Function
from tinygrad_lr.utils.data import DataLoader, TensorDataset


def resident_bytes() -> int | None:
    """The process's resident memory (Linux), or None where /proc is not available."""
    try:
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except OSError:
        return None


def memory_in_use() -> dict[str, Any]:
    gc.collect()
    return {
        "blocks": sys.getallocatedblocks(),  # every Python object, NumPy arrays' headers too
        "objects": len(gc.get_objects()),  # containers the cycle collector tracks
        "resident": resident_bytes(),  # array data as well, which NumPy allocates itself
    }


def test_100000_training_steps_keep_memory_flat() -> None:
    rng = np.random.default_rng(0)
    X = tg.from_numpy(rng.standard_normal((4, 2)).astype(np.float32))
    y = X @ tg.tensor([[2.0], [-1.0]]) + 0.5
    w = tg.zeros(2, 1, requires_grad=True)
    b = tg.zeros(1, requires_grad=True)
    optimizer = optim.SGD([w, b], lr=0.05, momentum=0.5)  # momentum: state kept per parameter
    measured = {}
    # The smallest model: it is the number of steps (graphs built and dropped) that matters.
    for step in range(1, 100_001):
        loss = ((X @ w + b - y) ** 2).mean()
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        if step in (10_000, 100_000):
            measured[step] = memory_in_use()
    start, end = measured[10_000], measured[100_000]
    # A leak of one small object per step would add 90,000 blocks and objects.
    assert end["blocks"] - start["blocks"] < 500, (start, end)
    assert end["objects"] - start["objects"] < 100, (start, end)
    if start["resident"] is not None:
        assert end["resident"] - start["resident"] < 4 * 2**20, (start, end)
    assert abs(b.item() - 0.5) < 1e-3  # and it did train


def test_module_training_frees_each_graph_without_the_cycle_collector() -> None:
    rng = np.random.default_rng(1)
    X = tg.from_numpy(rng.standard_normal((12, 3)).astype(np.float32))
    y = X @ tg.tensor([[1.0], [0.0], [-1.0]])
    model = nn.Sequential(nn.Linear(3, 4), nn.Tanh(), nn.Linear(4, 1))
    loss_fn = nn.MSELoss()
    optimizer = optim.Adam(model.parameters(), lr=0.01)
    loader = DataLoader(TensorDataset(X, y), batch_size=4, shuffle=True)
    gc.collect()
    gc.disable()
    gc.set_debug(gc.DEBUG_SAVEALL)  # whatever the collector would free is kept in gc.garbage
    try:
        for _ in range(3):
            for X_batch, y_batch in loader:
                prediction = model(X_batch)
                loss = loss_fn(prediction, y_batch)
                optimizer.zero_grad()
                loss.backward()
                optimizer.step()
                nodes = [weakref.ref(loss.grad_fn), weakref.ref(prediction.grad_fn)]
                inputs = prediction.grad_fn.next_functions  # leaves stand for themselves
                nodes += [weakref.ref(n) for n in inputs if isinstance(n, Function)]
                tensors = [weakref.ref(loss), weakref.ref(prediction), weakref.ref(X_batch)]
                del prediction, loss, X_batch, y_batch, inputs
                # Dead at once, with the collector off: reference counting freed the graph.
                assert [ref() for ref in nodes + tensors] == [None] * len(nodes + tensors)
        assert gc.collect() == 0
        ours = [o for o in gc.garbage if type(o).__module__.split(".")[0] == "tinygrad_lr"]
        assert ours == []
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
        gc.enable()
