"""Indexing keys: torch's meaning of ``x[key]``, written as one or two NumPy keys.

``numpy_key`` turns the tensors and lists inside a key into arrays; ``torch_index_steps`` splits
a key where NumPy and torch disagree; ``index_error`` says in torch's words why a key that NumPy
refused is wrong.
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np


def numpy_key(key: Any) -> Any:
    """Turn tensors and lists inside an index into NumPy arrays.

    Examples
    --------
    >>> import tinygrad_lr as tg
    >>> numpy_key((0, [1, 2], tg.tensor([True, False])))
    (0, array([1, 2]), array([ True, False]))
    """
    if isinstance(key, tuple):  # ints and slices, the common parts, need nothing done
        return tuple([k if type(k) in (int, slice) else numpy_key(k) for k in key])
    if hasattr(key, "grad_fn"):  # a Tensor: index with the array behind it
        if key._data.dtype.kind not in "biu":
            raise IndexError(
                f"tensors used as indices must be long, int or bool tensors, got {key.dtype}"
            )
        if key._data.dtype == np.uint8:  # a mask in torch, not positions (NumPy's reading)
            warnings.warn(
                "indexing with dtype torch.uint8 is now deprecated, please use a dtype "
                "torch.bool instead.",
                UserWarning,
                stacklevel=3,
            )
            return key._data.astype(np.bool_)
        return key._data
    if isinstance(key, list):
        try:
            array = np.asarray([k._data if hasattr(k, "grad_fn") else k for k in key])
        except ValueError:
            raise IndexError(
                f"a nested list used as an index must be rectangular, got {key!r:.80}"
            ) from None
        if array.size == 0:  # [] selects nothing, as in torch
            return array.astype(np.int64)
        if array.dtype.kind not in "biu" or array.ndim == 0:
            raise IndexError(f"a list used as an index must hold ints or bools, got {key!r:.80}")
        return array
    return key


def is_mask(part: Any) -> bool:
    """Whether an index part selects by True/False: a bool, or an array of bools.

    Examples
    --------
    >>> import numpy as np
    >>> is_mask(np.array([True, False])), is_mask(np.array([0, 1]))
    (True, False)
    """
    return isinstance(part, (bool, np.bool_)) or (
        isinstance(part, np.ndarray) and part.dtype == np.bool_
    )


def dims_indexed(parts: tuple[Any, ...]) -> int:
    """How many dimensions of the tensor the index ``parts`` use up.

    A mask uses as many as it has (a bool: none); None and ``...`` use none; anything else one.

    Examples
    --------
    >>> dims_indexed((0, slice(None), None, Ellipsis))
    2
    """
    return sum(
        np.ndim(part) if is_mask(part) else 0 if part is None or part is Ellipsis else 1
        for part in parts
    )


def torch_index_steps(key: Any, ndim: int) -> tuple[Any, ...]:
    """One NumPy key, or two applied in turn, that select what torch selects with ``key``.

    NumPy and torch agree except where index arrays meet integers or an ellipsis:

    - torch takes integer indices first (each removes its dimension) and index arrays after.
      NumPy counts an integer as one more index array, and index arrays that are not side by
      side put their dimensions first: ``x[0, :, [1, 2]]`` of a (2, 3, 4) tensor has shape
      (2, 3) in NumPy and (3, 2) in torch. Indexing with the integers, slices and None first
      (a view), then with the arrays, gives torch's result.
    - an ellipsis that stands for no dimension separates index arrays for NumPy, not for torch:
      it is dropped.

    Examples
    --------
    >>> import numpy as np
    >>> first, then = torch_index_steps((0, slice(None), np.array([1, 2])), 3)
    >>> first  # the integer and the slices first ...
    (0, slice(None, None, None), slice(None, None, None))
    >>> then  # ... the index array after
    (slice(None, None, None), array([1, 2]))
    """
    parts = key if type(key) is tuple else (key,)
    for k in parts:  # a loop, not all(...): this runs for every indexing
        if type(k) is not int and not _is_int(k):
            break
    else:
        if parts:
            # Integers alone give NumPy a scalar, a copy; torch gives a 0-d view: "..." keeps one.
            return ((*parts, Ellipsis),)
    if not isinstance(key, tuple):
        return (key,)
    for k in key:  # a loop, not any(...): this runs for every indexing with a tuple
        if isinstance(k, np.ndarray):
            break
    else:
        return (key,)
    if any(k is Ellipsis for k in key) and dims_indexed(key) == ndim:
        key = tuple(k for k in key if k is not Ellipsis)
    if not any(_is_int(k) for k in key):
        return (key,)
    first, then = [], []
    for k in key:
        if isinstance(k, np.ndarray):  # kept for the second step; a mask spans k.ndim dims
            first += [slice(None)] * (k.ndim if k.dtype == np.bool_ else 1)
            then.append(k)
        elif _is_int(k):
            first.append(k)  # the dimension is gone after the first step
        else:  # a slice, None or ...: done in the first step, the second one keeps all of it
            first.append(k)
            then.append(Ellipsis if k is Ellipsis else slice(None))
    return tuple(first), tuple(then)


INDEX_TYPES = (slice, int, np.integer, np.ndarray)  # after numpy_key: what NumPy can take


def index_error(shape: tuple[int, ...], key: Any) -> Exception:
    """Why ``key`` cannot index a tensor of ``shape``, in torch's words.

    Only called once NumPy has refused the key; NumPy's own messages speak of "axis" and
    "arrays", so the key is walked again here to name the dimension and the sizes.

    Examples
    --------
    >>> index_error((3,), 5)
    IndexError('index 5 is out of bounds for dimension 0 with size 3')
    """
    parts = key if isinstance(key, tuple) else (key,)
    for part in parts:
        if not (part is None or part is Ellipsis or isinstance(part, INDEX_TYPES)):
            return IndexError(
                "only integers, slices (`:`), ellipsis (`...`), None and long or bool tensors "
                f"are valid indices (got {type(part).__name__})"
            )
    used = dims_indexed(parts)
    if used > len(shape):
        if not shape:
            return IndexError("invalid index of a 0-dim tensor; use tensor.item() for its value")
        return IndexError(
            f"too many indices for tensor of dimension {len(shape)} (shape {tuple(shape)}, "
            f"{used} indices given)"
        )
    dim, index_shapes = 0, []
    for part in parts:
        if part is Ellipsis:
            dim += len(shape) - used
        elif is_mask(part):
            mask_shape = np.shape(part)
            if mask_shape != shape[dim : dim + len(mask_shape)]:
                return IndexError(
                    f"The shape of the mask {list(mask_shape)} at index {dim} does not match the "
                    f"shape of the indexed tensor {list(shape)} at index {dim}"
                )
            index_shapes.append((int(np.count_nonzero(part)),) if mask_shape else ())
            dim += len(mask_shape)
        elif isinstance(part, slice):
            dim += 1
        elif part is not None:  # an int or an array of ints
            values, size = np.asarray(part), shape[dim]
            outside = values[(values < -size) | (values >= size)]
            if outside.size:
                return IndexError(
                    f"index {outside.flat[0]} is out of bounds for dimension {dim} with size {size}"
                )
            index_shapes.append(values.shape)
            dim += 1
    try:
        np.broadcast_shapes(*index_shapes)
    except ValueError:
        return IndexError(
            "shape mismatch: indexing tensors could not be broadcast together with shapes "
            + ", ".join(str(list(s)) for s in index_shapes)
        )
    return IndexError(f"cannot index a tensor of shape {tuple(shape)} with {key!r:.80}")


def _is_int(part: Any) -> bool:
    """An integer index (Python's or NumPy's), not a bool (a bool is a mask)."""
    return isinstance(part, (int, np.integer)) and not isinstance(part, bool)
