"""Datasets: things with a length that give one sample per index, as in ``torch.utils.data``.

A :class:`Dataset` maps an index to a sample. :class:`TensorDataset` is the one used for
regression: sample ``i`` is ``(X[i], y[i])``. :class:`Subset` is a view of another dataset
through a list of indices, and :func:`random_split` cuts a dataset into random Subsets.

Speed: a :class:`~tinygrad_lr.utils.data.DataLoader` does not build a batch from a TensorDataset
sample by sample. It asks the dataset for all of the batch's rows at once (``_gather``), which is
one NumPy fancy-index per tensor (``X[indices]``), or a slice when the rows are consecutive.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Sequence
from typing import Any

import numpy as np

from ... import inplace
from ...random import Generator, randperm
from ...tensor import Tensor

# What ``_gather`` accepts: consecutive rows as a slice, or any rows as an int64 array.
BatchIndex = slice | np.ndarray


def _rows(tensor: Tensor, index: BatchIndex) -> Tensor:
    """``tensor[index]``: rows picked by one NumPy indexing operation.

    Shuffled rows are a copy. A slice (unshuffled batches) is a read-only view, lent: it costs
    no copy of the data (a full batch of a million rows stays free), and changing it in place
    (``xb.sub_(mean)``) copies it first, so the dataset never changes, as with torch's
    batches, which are copies.
    """
    if not isinstance(index, slice) or tensor._requires_grad:
        rows = tensor[index]
        return rows.clone() if isinstance(index, slice) else rows
    view = tensor._data[index].view()
    view.flags.writeable = False
    return inplace.lend(Tensor._make(view))


class Dataset:
    """Base class of map-style datasets: subclasses define ``__getitem__`` and ``__len__``.

    Examples
    --------
    >>> from tinygrad_lr.utils.data import Dataset
    >>> class Squares(Dataset):
    ...     def __len__(self):
    ...         return 4
    ...     def __getitem__(self, index):
    ...         return index * index
    >>> len(Squares()), Squares()[3]
    (4, 9)
    """

    def __getitem__(self, index: int) -> Any:
        raise NotImplementedError(
            f"{type(self).__name__} must implement __getitem__(self, index) returning one sample"
        )

    def __len__(self) -> int:
        raise NotImplementedError(
            f"{type(self).__name__} must implement __len__(self) returning the number of samples"
        )


class TensorDataset(Dataset):
    """Samples are rows of tensors that share their first dimension: ``(X[i], y[i])``.

    The tensors are kept as they are (no copy), so a TensorDataset over a memory-mapped array
    (``from_numpy(np.load(path, mmap_mode="r"))``) reads from disk only the rows asked for.

    Parameters
    ----------
    *tensors : Tensor
        At least one; all with the same size of dimension 0.

    Raises
    ------
    ValueError
        When the first dimensions differ (the message lists them).

    Examples
    --------
    >>> import tinygrad_lr as tg
    >>> from tinygrad_lr.utils.data import TensorDataset
    >>> ds = TensorDataset(tg.arange(6.0).reshape(3, 2), tg.tensor([10.0, 20.0, 30.0]))
    >>> len(ds)
    3
    >>> ds[1]
    (tensor([2., 3.]), tensor(20.))
    """

    def __init__(self, *tensors: Tensor) -> None:
        if not tensors:
            raise ValueError("TensorDataset needs at least one tensor, e.g. TensorDataset(X, y)")
        for position, tensor in enumerate(tensors):
            if not isinstance(tensor, Tensor):
                raise TypeError(
                    f"TensorDataset: argument {position} is a {type(tensor).__name__}, not a "
                    "Tensor; wrap arrays with tinygrad_lr.from_numpy(array)"
                )
            if tensor.ndim == 0:
                raise ValueError(
                    f"TensorDataset: argument {position} is a 0-d tensor; every tensor needs a "
                    "first dimension that indexes the samples"
                )
        sizes = [tensor.shape[0] for tensor in tensors]
        if len(set(sizes)) != 1:
            shapes = ", ".join(str(tuple(tensor.shape)) for tensor in tensors)
            raise ValueError(
                f"Size mismatch between tensors: their first dimensions are {sizes} (shapes "
                f"{shapes}); every tensor needs one row per sample"
            )
        self.tensors = tuple(tensors)

    def __getitem__(self, index: Any) -> tuple[Tensor, ...]:
        return tuple(tensor[index] for tensor in self.tensors)

    def __len__(self) -> int:
        return self.tensors[0].shape[0]

    def _gather(self, index: BatchIndex) -> list[Tensor]:
        """The batch of rows ``index``: one indexing operation per tensor."""
        return [_rows(tensor, index) for tensor in self.tensors]


class Subset(Dataset):
    """The samples of ``dataset`` at ``indices``, in that order (no data is copied).

    Parameters
    ----------
    dataset : Dataset
    indices : sequence of int

    Examples
    --------
    >>> import tinygrad_lr as tg
    >>> from tinygrad_lr.utils.data import Subset, TensorDataset
    >>> part = Subset(TensorDataset(tg.arange(10)), [7, 2])
    >>> len(part), part[0]
    (2, (tensor(7),))
    """

    def __init__(self, dataset: Any, indices: Sequence[int]) -> None:
        self.dataset = dataset
        self.indices = indices
        # The same indices as an array, made once: a batch then picks its rows with one
        # fancy-index of this array instead of a Python loop over a list.
        array = np.asarray(indices.numpy() if isinstance(indices, Tensor) else indices)
        if array.size and array.dtype.kind not in "iu":  # int64 below would cut 1.7 to 1
            raise IndexError(
                f"Subset indices must be integers, got {array.dtype} values such as "
                f"{array.reshape(-1)[0]!r}; convert them with int() or .long()"
            )
        self._index_array = array.astype(np.int64).reshape(-1)

    def __getitem__(self, index: Any) -> Any:
        if isinstance(index, list):
            return self.dataset[[self.indices[i] for i in index]]
        return self.dataset[self.indices[index]]

    def __len__(self) -> int:
        return len(self.indices)

    def _gather(self, index: BatchIndex) -> list[Tensor]:
        """The batch of rows ``index`` of the subset: rows ``indices[index]`` of the dataset."""
        return self.dataset._gather(self._index_array[index])


def _can_gather(dataset: Any) -> bool:
    """True when whole batches of ``dataset`` can be taken with ``_gather``.

    Only for TensorDataset and Subset themselves: a subclass that overrides ``__getitem__``
    (to transform samples, say) must be read sample by sample so that its override runs.
    """
    if isinstance(dataset, Subset):
        return type(dataset).__getitem__ is Subset.__getitem__ and _can_gather(dataset.dataset)
    return (
        isinstance(dataset, TensorDataset)
        and type(dataset).__getitem__ is TensorDataset.__getitem__
    )


def _split_lengths(lengths: Sequence[float], total: int) -> list[int]:
    """Turn fractions that sum to 1 into counts that sum to ``total``, as torch does."""
    if all(isinstance(n, (int, np.integer)) and not isinstance(n, bool) for n in lengths):
        counts = [int(n) for n in lengths]
        if any(n < 0 for n in counts):
            raise ValueError(f"random_split: lengths must not be negative, got {list(lengths)}")
        if sum(counts) != total:
            raise ValueError(
                f"Sum of input lengths does not equal the length of the input dataset! "
                f"lengths {counts} sum to {sum(counts)}, but the dataset has {total} samples"
            )
        return counts
    fractions = [float(f) for f in lengths]
    if any(not 0 <= f <= 1 for f in fractions) or not math.isclose(sum(fractions), 1):
        raise ValueError(
            f"random_split: lengths {list(lengths)} must be all counts (ints summing to "
            f"{total}) or all fractions in [0, 1] summing to 1"
        )
    # Each part gets floor(fraction * total); the rows left over go one each to the parts in
    # order, starting with the first.
    counts = [math.floor(total * f) for f in fractions]
    for i in range(total - sum(counts)):
        counts[i % len(counts)] += 1
    for i, n in enumerate(counts):
        if n == 0:
            warnings.warn(
                f"random_split: length of split at index {i} is 0; this might result in an "
                "empty dataset",
                UserWarning,
                stacklevel=3,
            )
    return counts


def random_split(
    dataset: Any, lengths: Sequence[float], generator: Generator | None = None
) -> list[Subset]:
    """Split ``dataset`` at random into non-overlapping :class:`Subset` s of the given lengths.

    Parameters
    ----------
    dataset : Dataset
    lengths : sequence of int or float
        Counts that sum to ``len(dataset)``, or fractions that sum to 1 (each part then gets
        ``floor(fraction * len(dataset))`` samples, and the remainder goes one by one to the
        parts in order).
    generator : Generator, optional
        Source of the permutation; the default generator (seeded by ``manual_seed``) if None.

    Examples
    --------
    >>> import tinygrad_lr as tg
    >>> from tinygrad_lr.utils.data import TensorDataset, random_split
    >>> train, test = random_split(TensorDataset(tg.arange(10)), [0.8, 0.2])
    >>> len(train), len(test)
    (8, 2)
    >>> sorted(train.indices + test.indices) == list(range(10))
    True
    """
    counts = _split_lengths(lengths, len(dataset))
    order = randperm(len(dataset), generator=generator).tolist()
    parts, start = [], 0
    for n in counts:
        parts.append(Subset(dataset, order[start : start + n]))
        start += n
    return parts
