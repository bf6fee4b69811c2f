"""``DataLoader``: iterate over a dataset in mini-batches, shuffled anew each epoch if asked.

Each epoch the loader splits the indices ``0 .. len(dataset)-1`` (in order, or in a fresh random
permutation when ``shuffle=True``) into runs of ``batch_size``, and turns each run into a batch:

- a :class:`TensorDataset` (or a :class:`Subset` of one) gives the whole batch at once: one
  fancy-index per tensor (``X[indices]``), or a slice when the rows are consecutive, so nothing
  is copied but the batch and a memory-mapped dataset is read from disk one batch at a time;
- any other dataset is read sample by sample (``dataset[i]``) and the samples are joined by
  ``collate_fn`` (:func:`default_collate` stacks tensors, arrays and numbers).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any

import numpy as np

from ...creation import from_numpy
from ...functions import stack
from ...random import Generator, randperm
from ...tensor import Tensor
from .dataset import BatchIndex, _can_gather, _rows


def default_collate(batch: Sequence[Any]) -> Any:
    """Join a list of samples into one batch, keeping the samples' structure (as torch's).

    Tensors and arrays are stacked along a new first dimension; Python floats become a float64
    tensor and ints an int64 tensor; tuples and lists are collated position by position (and
    come back as a list), dicts key by key; strings are left as a list.

    Examples
    --------
    >>> import tinygrad_lr as tg
    >>> from tinygrad_lr.utils.data import default_collate
    >>> default_collate([(tg.tensor([1.0, 2.0]), 0), (tg.tensor([3.0, 4.0]), 1)])
    [tensor([[1., 2.],
            [3., 4.]]), tensor([0, 1])]
    """
    elem = batch[0]
    if isinstance(elem, Tensor):
        return stack(list(batch))
    if isinstance(elem, np.ndarray):
        if any(sample.shape != elem.shape for sample in batch):
            raise RuntimeError(
                "stack expects each tensor to be equal size, but got shapes "
                f"{[sample.shape for sample in batch]}"
            )
        return from_numpy(np.stack(batch))
    if isinstance(elem, np.generic) and not isinstance(elem, (np.str_, np.bytes_)):
        return from_numpy(np.array(batch))
    if isinstance(elem, (bool, int, float)):
        # bool before int (bool is a subclass of int); Python floats are float64 here, as in
        # torch's collate, unlike tinygrad_lr.tensor([1.0]) which is float32.
        dtype = None if isinstance(elem, (bool, int)) else np.float64
        return from_numpy(np.array(batch, dtype=dtype))
    if isinstance(elem, (str, bytes)):
        return list(batch)
    if isinstance(elem, Mapping):
        return {key: default_collate([sample[key] for sample in batch]) for key in elem}
    if isinstance(elem, tuple) and hasattr(elem, "_fields"):  # a namedtuple keeps its type
        return type(elem)(*(default_collate(list(column)) for column in zip(*batch)))
    if isinstance(elem, Sequence):
        if any(len(sample) != len(elem) for sample in batch):
            raise RuntimeError(
                f"each element in list of batch should be of equal size, got sizes "
                f"{sorted({len(sample) for sample in batch})}"
            )
        return [default_collate(list(column)) for column in zip(*batch)]
    raise TypeError(
        "default_collate: batch must contain tensors, numpy arrays, numbers, dicts or lists; "
        f"found {type(elem)}"
    )


class DataLoader:
    """Iterate over ``dataset`` in batches of ``batch_size`` samples.

    Parameters
    ----------
    dataset : Dataset
        Anything with ``__len__`` and ``__getitem__``; a :class:`TensorDataset` (or a Subset of
        one) is batched with one indexing operation per tensor.
    batch_size : int
        Samples per batch (the last batch may be smaller unless ``drop_last``).
    shuffle : bool
        Draw a new random order at the start of every epoch (every ``iter(loader)``).
    drop_last : bool
        Leave out the last batch when it has fewer than ``batch_size`` samples.
    generator : Generator, optional
        Source of the shuffles; the default generator (seeded by ``manual_seed``) if None.
    collate_fn : callable, optional
        Joins a list of samples into a batch; :func:`default_collate` if None. Giving one
        makes the loader read samples one by one.
    num_workers : int
        Accepted for compatibility; batches are always made in the calling process.

    Examples
    --------
    >>> import tinygrad_lr as tg
    >>> from tinygrad_lr.utils.data import DataLoader, TensorDataset
    >>> X, y = tg.arange(10.0).reshape(5, 2), tg.arange(5)
    >>> loader = DataLoader(TensorDataset(X, y), batch_size=2)
    >>> len(loader)
    3
    >>> for X_batch, y_batch in loader:
    ...     print(tuple(X_batch.shape), y_batch.tolist())
    (2, 2) [0, 1]
    (2, 2) [2, 3]
    (1, 2) [4]
    """

    def __init__(
        self,
        dataset: Any,
        batch_size: int = 1,
        shuffle: bool = False,
        drop_last: bool = False,
        generator: Generator | None = None,
        collate_fn: Callable[[list[Any]], Any] | None = None,
        num_workers: int = 0,
    ) -> None:
        if isinstance(batch_size, bool) or not isinstance(batch_size, (int, np.integer)):
            raise TypeError(
                f"batch_size should be a positive integer value, but got batch_size={batch_size!r}"
            )
        if batch_size <= 0:
            raise ValueError(
                f"batch_size should be a positive integer value, but got batch_size={batch_size}"
            )
        if not hasattr(dataset, "__len__") or not hasattr(dataset, "__getitem__"):
            raise TypeError(
                f"DataLoader needs a dataset with __len__ and __getitem__, got "
                f"{type(dataset).__name__}; wrap tensors with TensorDataset(X, y)"
            )
        if generator is not None and not isinstance(generator, Generator):
            raise TypeError(
                f"generator must be a tinygrad_lr.Generator, got {type(generator).__name__}"
            )
        if num_workers < 0:
            raise ValueError(
                "num_workers option should be non-negative; use num_workers=0 to disable "
                "multiprocessing."
            )
        self.dataset = dataset
        self.batch_size = int(batch_size)
        self.shuffle = bool(shuffle)
        self.drop_last = bool(drop_last)
        self.generator = generator
        self.collate_fn = collate_fn
        self.num_workers = num_workers

    def __len__(self) -> int:
        """The number of batches in one epoch."""
        n = len(self.dataset)
        if self.drop_last:
            return n // self.batch_size
        return -(-n // self.batch_size)  # ceil(n / batch_size)

    def __iter__(self) -> Iterator[Any]:
        """Start an epoch: draw its order now (a new one each time), then yield the batches."""
        n = len(self.dataset)
        order = randperm(n, generator=self.generator).numpy() if self.shuffle else None
        return self._batches(n, order)

    def _batches(self, n: int, order: np.ndarray | None) -> Iterator[Any]:
        gather = self.collate_fn is None and (
            isinstance(self.dataset, Tensor) or _can_gather(self.dataset)
        )
        stop_at = n - n % self.batch_size if self.drop_last else n
        for start in range(0, stop_at, self.batch_size):
            stop = min(start + self.batch_size, n)
            # Unshuffled, a batch is a run of consecutive rows: a slice. Shuffled, it is a piece
            # of the permutation. Either way the batch is a copy, as torch's.
            index: BatchIndex = slice(start, stop) if order is None else order[start:stop]
            if gather:
                yield self._gather(index)
            else:
                yield self._collate(index)

    def _gather(self, index: BatchIndex) -> Any:
        if isinstance(self.dataset, Tensor):  # DataLoader(X) batches the rows of X
            return _rows(self.dataset, index)
        return self.dataset._gather(index)

    def _collate(self, index: BatchIndex) -> Any:
        """Read the batch's samples one by one and join them."""
        indices = range(index.start, index.stop) if isinstance(index, slice) else index.tolist()
        if hasattr(self.dataset, "__getitems__"):  # torch's protocol for fetching many at once
            samples = self.dataset.__getitems__(list(indices))
        else:
            samples = [self.dataset[i] for i in indices]
        return (self.collate_fn or default_collate)(samples)

    def __repr__(self) -> str:
        return (
            f"DataLoader(dataset={type(self.dataset).__name__} of {len(self.dataset)}, "
            f"batch_size={self.batch_size}, shuffle={self.shuffle}, drop_last={self.drop_last})"
        )
