"""Data types and torch's type-promotion rules.

A tensor's dtype is the dtype of the NumPy array behind it. ``DType`` gives each supported
NumPy dtype torch's name (``tinygrad_lr.float32`` prints like ``torch.float32``). NumPy and torch
promote differently (``int64 + 2.5`` is float64 in NumPy and float32 in torch), so every binary op
asks :func:`result_type` first and casts its operands itself.
"""

from __future__ import annotations

import numpy as np


class DType:
    """A tensor element type, named as torch names it.

    Examples
    --------
    >>> import tinygrad_lr as tg
    >>> tg.float32, tg.float32.is_floating_point, tg.float32.itemsize
    (tinygrad_lr.float32, True, 4)
    """

    __slots__ = ("name", "numpy", "is_floating_point", "itemsize", "_rank")

    def __init__(self, name: str, numpy_dtype: type, rank: int) -> None:
        self.name = name
        self.numpy = np.dtype(numpy_dtype)
        self.is_floating_point = self.numpy.kind == "f"
        self.itemsize = self.numpy.itemsize
        # category (0 bool, 1 integer, 2 floating), used by result_type.
        self._rank = rank

    def __repr__(self) -> str:
        return f"tinygrad_lr.{self.name}"


bool_ = DType("bool", np.bool_, 0)
uint8 = DType("uint8", np.uint8, 1)
int8 = DType("int8", np.int8, 1)
int16 = DType("int16", np.int16, 1)
int32 = DType("int32", np.int32, 1)
int64 = DType("int64", np.int64, 1)
float16 = DType("float16", np.float16, 2)
float32 = DType("float32", np.float32, 2)
float64 = DType("float64", np.float64, 2)

ALL = (bool_, uint8, int8, int16, int32, int64, float16, float32, float64)
_BY_NUMPY = {d.numpy: d for d in ALL}
_BY_NAME = {d.name: d for d in ALL}
_BY_NAME.update({"float": float32, "double": float64, "long": int64, "int": int32, "half": float16})

# torch's defaults: Python floats become float32, Python ints int64.
DEFAULT_FLOAT = float32
DEFAULT_INT = int64


def from_numpy_dtype(numpy_dtype: np.dtype) -> DType:
    """The DType for a NumPy dtype; a TypeError names the unsupported one.

    Examples
    --------
    >>> from_numpy_dtype(np.dtype(np.float32))
    tinygrad_lr.float32
    """
    try:
        return _BY_NUMPY[numpy_dtype]
    except KeyError:
        supported = ", ".join(d.name for d in ALL)
        raise TypeError(
            f"NumPy dtype {np.dtype(numpy_dtype)} is not supported; supported dtypes are "
            f"{supported}. Convert the array first, e.g. array.astype(np.float32)."
        ) from None


def to_dtype(dtype: DType | str | np.dtype | type | None) -> DType | None:
    """Accept a DType, its name ("float32") or a NumPy dtype; None stays None.

    Examples
    --------
    >>> to_dtype("double"), to_dtype(float), to_dtype(np.int32)
    (tinygrad_lr.float64, tinygrad_lr.float32, tinygrad_lr.int32)
    """
    if dtype is None or isinstance(dtype, DType):
        return dtype
    if isinstance(dtype, str):
        if dtype in _BY_NAME:
            return _BY_NAME[dtype]
        raise TypeError(f"unknown dtype name {dtype!r}; use one of {', '.join(_BY_NAME)}")
    if dtype is float:
        return DEFAULT_FLOAT
    if dtype is int:
        return DEFAULT_INT
    if dtype is bool:
        return bool_
    try:
        return from_numpy_dtype(np.dtype(dtype))
    except TypeError as error:
        raise TypeError(
            f"dtype must be a tinygrad_lr dtype such as tinygrad_lr.float32, got {dtype!r}"
        ) from error


def _promote(a: DType, b: DType) -> DType:
    """Promotion within the same group of operands, as torch.promote_types does."""
    if a is b:
        return a
    if a._rank != b._rank:
        return a if a._rank > b._rank else b
    return from_numpy_dtype(np.promote_types(a.numpy, b.numpy))


def _scalar_rank(value: object) -> int:
    if isinstance(value, (bool, np.bool_)):
        return 0
    if isinstance(value, (int, np.integer)):
        return 1
    if isinstance(value, (float, np.floating)):
        return 2
    raise TypeError(f"expected a Tensor or a real number, got {type(value).__name__}")


def result_type(a: object, b: object) -> DType:
    """The dtype of ``a op b`` under torch's rules; each operand is a Tensor or a number.

    Tensors with dimensions decide first; a 0-d tensor or a number only wins when it belongs to a
    higher category (bool < integer < floating). A number never widens a float32 tensor: Python and
    NumPy scalars are "weak", so ``float32_tensor * np.float64(2)`` stays float32.

    Examples
    --------
    >>> import tinygrad_lr as tg
    >>> tg.dtypes.result_type(tg.ones(2, dtype=tg.int64), 2.5)
    tinygrad_lr.float32
    """
    dims: DType | None = None
    zero_dims: DType | None = None
    scalar_rank = -1
    for operand in (a, b):
        dtype = getattr(operand, "dtype", None)
        if isinstance(dtype, DType) and not isinstance(operand, np.generic):
            if operand.ndim:
                dims = dtype if dims is None else _promote(dims, dtype)
            else:
                zero_dims = dtype if zero_dims is None else _promote(zero_dims, dtype)
        else:
            scalar_rank = max(scalar_rank, _scalar_rank(operand))
    result = dims
    if zero_dims is not None and (result is None or zero_dims._rank > result._rank):
        result = zero_dims
    if result is None or scalar_rank > result._rank:
        result = (bool_, DEFAULT_INT, DEFAULT_FLOAT)[scalar_rank]
    return result
