"""Print tensors as torch does: ``tensor([1.0000, 2.5000], requires_grad=True)``.

torch picks one style for all elements of a float tensor: ``1.`` when every value is a whole
number, scientific notation when the magnitudes span more than 1000x or reach 1e8 (or fall
below 1e-4), and four decimals otherwise; elements are right-aligned to one width.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import numpy as np

from . import dtypes

if TYPE_CHECKING:
    from .tensor import Tensor

_PREFIX = "tensor("


def _float_style(values: np.ndarray) -> Callable[[float], str]:
    finite = values[np.isfinite(values)]
    magnitudes = np.abs(finite[finite != 0]).astype(np.float64)
    if magnitudes.size:
        largest, smallest = magnitudes.max(), magnitudes.min()
        scientific = largest / smallest > 1000 or largest >= 1e8 or smallest < 1e-4
    else:
        scientific = False
    if (
        finite.size
        and np.all(finite == np.round(finite))
        and not (magnitudes.size and largest >= 1e8)
    ):
        return lambda x: f"{x:.0f}." if np.isfinite(x) else f"{x}"
    if scientific:
        return lambda x: f"{x:.4e}"
    return lambda x: f"{x:.4f}"


def _element_formatter(values: np.ndarray) -> Callable[[object], str]:
    """One formatter for every element, padded to the widest of them."""
    if values.dtype.kind == "f":
        style = _float_style(values)
        candidates = [values.min(), values.max()] if values.size else []
        if values.size and not np.all(np.isfinite(values)):
            candidates += [
                v
                for v in (np.nan, np.inf, -np.inf)
                if np.any(np.isnan(values) if np.isnan(v) else values == v)
            ]
        width = max((len(style(float(v))) for v in candidates), default=0)
        return lambda x: style(float(x)).rjust(width)
    if values.dtype.kind == "b":
        width = 5 if not np.all(values) else 4
        return lambda x: str(bool(x)).rjust(width)
    width = (
        max((len(str(v)) for v in (values.min(), values.max())), default=0) if values.size else 0
    )
    return lambda x: str(x).rjust(width)


def format_array(values: np.ndarray) -> str:
    """The body of a tensor's repr: nested lists, summarised past 1000 elements."""
    formatter = _element_formatter(values)
    return np.array2string(
        values,
        separator=", ",
        prefix=_PREFIX,
        formatter={"all": formatter},
        threshold=1000,
        edgeitems=3,
        max_line_width=80,
    )


def format_tensor(tensor: Tensor) -> str:
    """``repr(tensor)``: values, then dtype (if not a default), then grad_fn or requires_grad."""
    data = tensor._data
    parts = [format_array(data)]
    if data.size == 0 and data.ndim != 1:
        parts.append(f"size={tuple(data.shape)}")
    dtype = dtypes.from_numpy_dtype(data.dtype)
    if dtype not in (dtypes.float32, dtypes.int64, dtypes.bool_):
        parts.append(f"dtype={dtype!r}")
    if tensor.grad_fn is not None:
        parts.append(f"grad_fn=<{tensor.grad_fn.name()}>")
    elif tensor.requires_grad:
        parts.append("requires_grad=True")
    return _PREFIX + ", ".join(parts) + ")"
