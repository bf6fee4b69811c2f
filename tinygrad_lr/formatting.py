"""Print tensors as torch does: ``tensor([1.0000, 2.5000], requires_grad=True)``.

torch's rules, followed step by step:

1. One style for all elements of a float tensor, chosen from its nonzero finite values:
   scientific (``1.0000e+05``) when the largest is over 1000x the smallest, over 1e8, or the
   smallest is under 1e-4; otherwise ``1.`` when every value is a whole number, else four
   decimals. Every element is right-aligned to the widest one.
2. Past 1000 elements only the first and last 3 of each dimension are shown, around ``...``,
   and the style is chosen from the shown elements alone.
3. A row wraps after as many elements as fit in 80 characters.
4. Suffixes follow: ``size=`` (empty tensors), ``dtype=`` (unless float32, int64 or bool),
   then ``grad_fn=<...>`` or ``requires_grad=True``; one that would pass 80 characters goes on
   a new line.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np

from . import dtypes

if TYPE_CHECKING:
    from .tensor import Tensor

PREFIX = "tensor("
PRECISION = 4  # digits after the point
THRESHOLD = 1000  # more elements than this are summarised
EDGEITEMS = 3  # elements shown at each end of a summarised dimension
LINEWIDTH = 80


class _Formatter:
    """Chooses one style and one width for every element of an array (rule 1)."""

    def __init__(self, values: np.ndarray) -> None:
        self.floating = values.dtype.kind == "f"
        self.int_mode = True  # floats that are all whole numbers print as "3."
        self.sci_mode = False
        self.width = 1
        flat = values.reshape(-1)
        if not self.floating:
            self.width = max((len(str(v)) for v in flat.tolist()), default=1)
            return
        shown = flat[np.isfinite(flat) & (flat != 0)].astype(np.float64).tolist()
        if not shown:
            return
        magnitudes = [abs(v) for v in shown]
        largest, smallest = max(magnitudes), min(magnitudes)
        self.int_mode = all(v == math.ceil(v) for v in shown)
        self.sci_mode = largest / smallest > 1000.0 or largest > 1.0e8 or smallest < 1.0e-4
        if self.sci_mode:
            self.width = max(len(f"{v:.{PRECISION}e}") for v in shown)
        elif self.int_mode:
            self.width = max(len(f"{v:.0f}") + 1 for v in shown)  # + 1 for the "."
        else:
            self.width = max(len(f"{v:.{PRECISION}f}") for v in shown)

    def format(self, value: float | int | bool) -> str:
        if not self.floating:
            text = str(value)
        elif self.sci_mode:
            text = f"{value:{self.width}.{PRECISION}e}"
        elif self.int_mode:
            text = f"{value:.0f}" + ("" if math.isinf(value) or math.isnan(value) else ".")
        else:
            text = f"{value:.{PRECISION}f}"
        return text.rjust(self.width)


def _summarized(values: np.ndarray) -> np.ndarray:
    """The elements a summarised print shows: the first and last EDGEITEMS of each dimension."""
    if values.ndim == 0:
        return values
    if values.shape[0] > 2 * EDGEITEMS:
        if values.ndim == 1:
            return np.concatenate([values[:EDGEITEMS], values[-EDGEITEMS:]])
        rows = [*values[:EDGEITEMS], *values[-EDGEITEMS:]]
    elif values.ndim == 1:
        return values
    else:
        rows = list(values)
    return np.stack([_summarized(row) for row in rows])


def _vector(values: np.ndarray, indent: int, summarize: bool, formatter: _Formatter) -> str:
    """A 1-D array as ``[a, b, c]``, wrapped to the line width (rule 3)."""
    per_line = max(1, (LINEWIDTH - indent) // (formatter.width + 2))  # + 2 for ", "
    if summarize and values.shape[0] > 2 * EDGEITEMS:
        items = [formatter.format(v) for v in values[:EDGEITEMS].tolist()]
        items += [" ..."] + [formatter.format(v) for v in values[-EDGEITEMS:].tolist()]
    else:
        items = [formatter.format(v) for v in values.tolist()]
    lines = [", ".join(items[i : i + per_line]) for i in range(0, len(items), per_line)]
    return "[" + (",\n" + " " * (indent + 1)).join(lines) + "]"


def _nested(values: np.ndarray, indent: int, summarize: bool, formatter: _Formatter) -> str:
    """Nested brackets, one more space of indent per level; blank lines between blocks."""
    if values.ndim == 0:
        return formatter.format(values.item())
    if values.ndim == 1:
        return _vector(values, indent, summarize, formatter)
    rows = range(values.shape[0])
    if summarize and values.shape[0] > 2 * EDGEITEMS:
        rows = [*rows[:EDGEITEMS], None, *rows[-EDGEITEMS:]]  # None marks the "..."
    parts = [
        "..." if i is None else _nested(values[i], indent + 1, summarize, formatter) for i in rows
    ]
    return "[" + ("," + "\n" * (values.ndim - 1) + " " * (indent + 1)).join(parts) + "]"


def format_values(values: np.ndarray, indent: int = len(PREFIX)) -> str:
    """The bracketed values of a tensor's repr (rules 1 to 3).

    Examples
    --------
    >>> import numpy as np
    >>> format_values(np.array([1.0, 2.5]))
    '[1.0000, 2.5000]'
    >>> format_values(np.array([1.0, 1e5]))
    '[1.0000e+00, 1.0000e+05]'
    """
    if values.size == 0:
        return "[]"
    summarize = values.size > THRESHOLD
    formatter = _Formatter(_summarized(values) if summarize else values)
    return _nested(values, indent, summarize, formatter)


def _add_suffixes(text: str, suffixes: list[str], indent: int) -> str:
    """Append ``, suffix`` for each suffix, on a new line when it would pass the line width."""
    # torch's own count (it adds 1 for the ")" and, for a one-line text, 1 more): copied so that
    # lines break where torch breaks them.
    last_line_length = len(text) - text.rfind("\n") + 1
    for suffix in suffixes:
        if last_line_length + len(suffix) + 2 > LINEWIDTH:
            text += ",\n" + " " * indent + suffix
            last_line_length = indent + len(suffix)
        else:
            text += ", " + suffix
            last_line_length += len(suffix) + 2
    return text + ")"


def format_tensor(tensor: Tensor) -> str:
    """``repr(tensor)``: values, then size and dtype when needed, then grad_fn or requires_grad.

    Examples
    --------
    >>> import tinygrad_lr as tg
    >>> tg.tensor([[1.0, 2.0]], requires_grad=True)
    tensor([[1., 2.]], requires_grad=True)
    >>> tg.zeros(0, 3, dtype=tg.int64)
    tensor([], size=(0, 3), dtype=tinygrad_lr.int64)
    """
    data = tensor._data
    dtype = dtypes.from_numpy_dtype(data.dtype)
    suffixes = []
    if data.size == 0:
        if data.ndim != 1:
            suffixes.append(f"size={tuple(data.shape)}")
        if dtype is not dtypes.DEFAULT_FLOAT:  # no elements show whether it holds ints
            suffixes.append(f"dtype={dtype!r}")
    elif dtype not in (dtypes.DEFAULT_FLOAT, dtypes.int64, dtypes.bool_):
        suffixes.append(f"dtype={dtype!r}")
    if tensor.grad_fn is not None:
        suffixes.append(f"grad_fn=<{tensor.grad_fn.name()}>")
    elif tensor.requires_grad:
        suffixes.append("requires_grad=True")
    return _add_suffixes(PREFIX + format_values(data), suffixes, len(PREFIX))
