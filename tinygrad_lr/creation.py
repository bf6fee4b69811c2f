"""Functions that make tensors: ``tensor``, ``from_numpy``, ``zeros``, ``arange``, ...

dtype rules, as torch: Python floats give float32 and Python ints int64; ``from_numpy`` and
``tensor(ndarray)`` keep the array's dtype; every function takes ``dtype=``, ``device=`` (the
CPU: ``"cpu"`` or ``device("cpu")``; any other raises) and ``requires_grad=`` (which only a
floating-point tensor may have).
"""

from __future__ import annotations

import math
import warnings
from typing import Any

import numpy as np

from . import devices, dtypes
from .arguments import parse_shape
from .dtypes import DType
from .tensor import Tensor


def _new(array: np.ndarray, requires_grad: bool) -> Tensor:
    dtypes.from_numpy_dtype(array.dtype)  # refuses unsupported dtypes with a clear message
    return (
        Tensor._make(array).requires_grad_(requires_grad) if requires_grad else Tensor._make(array)
    )


def _size(size: tuple[Any, ...]) -> tuple[int, ...]:
    shape = parse_shape(size, "size")
    if any(s < 0 for s in shape):
        raise RuntimeError(f"Trying to create tensor with negative dimension: {list(shape)}")
    return shape


def tensor(
    data: Any,
    dtype: DType | None = None,
    device: str | devices.device | None = None,
    requires_grad: bool = False,
) -> Tensor:
    """A new tensor holding a copy of ``data`` (a number, nested lists, an array or a tensor).

    Parameters
    ----------
    data : number, sequence, numpy.ndarray or Tensor
    dtype : DType, optional
        Default: float32 for Python floats, int64 for Python ints, the array's own dtype
        for NumPy data.
    device : str or device, optional
        The CPU (``"cpu"``), the only device; another raises a RuntimeError.
    requires_grad : bool
        Record operations on the result for backward.

    Examples
    --------
    >>> import tinygrad_lr as tg
    >>> tg.tensor([[1.0, 2.0]], requires_grad=True)
    tensor([[1., 2.]], requires_grad=True)
    >>> tg.tensor([1, 2]).dtype
    tinygrad_lr.int64
    """
    devices.require_cpu(device, "tensor")
    dtype = dtypes.to_dtype(dtype)
    if isinstance(data, Tensor):
        warnings.warn(
            "To copy construct from a tensor, it is recommended to use "
            "sourceTensor.detach().clone() or sourceTensor.detach().clone().requires_grad_(True), "
            "rather than tinygrad_lr.tensor(sourceTensor).",
            UserWarning,
            stacklevel=2,
        )
        array = data._data.copy()
    elif isinstance(data, (np.ndarray, np.generic)):
        array = np.array(data, copy=True)
    else:
        try:
            array = _rectangular(data)
        except RuntimeError:  # a tensor among the elements requires grad: NumPy cannot read it
            # torch builds the tensor from their values, with this warning: the result holds
            # their values, not their history
            warnings.warn(
                "Converting a tensor with requires_grad=True to a scalar may lead to "
                "unexpected behavior. Consider using tensor.detach() first.",
                UserWarning,
                stacklevel=2,
            )
            data = _values(data)
            array = _rectangular(data)
        if array.dtype.kind not in "biuf":
            raise TypeError(
                f"could not make a tensor from {data!r:.80}: expected numbers, nested lists of "
                f"numbers, or an array (got elements of type {array.dtype})"
            )
        if array.dtype == np.float64 and dtype is None and not _holds_float64(data):
            # Python floats are float32 by default, as in torch (with dtype=float64 they are
            # converted directly, never rounded through float32 first); NumPy's float64
            # scalars and float64 tensors among the elements keep float64, as in torch.
            array = array.astype(np.float32)
    if dtype is not None:
        array = _converted(array, dtype)
    return _new(array, requires_grad)


def _rectangular(data: Any) -> np.ndarray:
    """``np.array(data)``, with torch's words for nested lists of different lengths."""
    try:
        return np.array(data)
    except ValueError:
        raise ValueError(
            f"could not make a tensor from {type(data).__name__}: nested lists must be "
            "rectangular (every row the same length)"
        ) from None


def _values(data: Any) -> Any:
    """Nested lists with each tensor among them replaced by the array of its values."""
    if isinstance(data, Tensor):
        return data._data
    if isinstance(data, (list, tuple)):
        return [_values(item) for item in data]
    return data


def _holds_float64(data: Any) -> bool:
    """Whether a NumPy float64 stands among the elements (a scalar, an array's or a tensor's
    values), which keeps the tensor float64 in torch. One object array finds out in C, where a
    walk over the lists in Python would take 7 times as long as making the tensor."""
    elements = np.array(data, dtype=object).ravel()
    types = set(map(type, elements))
    if np.float64 in types:
        return True
    if not types & {Tensor, np.ndarray}:
        return False
    # 0-d tensors and arrays stay whole in an object array
    return any(
        np.asarray(element._data if type(element) is Tensor else element).dtype == np.float64
        for element in elements
        if type(element) in (Tensor, np.ndarray)
    )


def _converted(array: np.ndarray, dtype: DType) -> np.ndarray:
    """``array`` in ``dtype``. A value an integer dtype cannot hold raises, as in torch: NumPy
    would give INT64_MIN for NaN and 1e20, or wrap 300 to 44 in uint8."""
    target = np.dtype(dtype.numpy)
    if target.kind in "iu" and array.dtype.kind in "fiu" and array.size:
        info = np.iinfo(target)
        with np.errstate(invalid="ignore"):
            # As torch, the value itself must lie in the range (255.9 does not fit uint8).
            # 2**63 - 1 is no float64: a float must stay below 2**63, which torch lets through
            # to give INT64_MIN (docs/pytorch.md).
            exact = array.dtype.kind != "f" or info.max < 2**53
            too_big = array > info.max if exact else array >= float(info.max)
            bad = too_big | (array < info.min)
            if array.dtype.kind == "f":
                bad |= np.isnan(array)
        if bad.any():
            value = array[bad].reshape(-1)[0]
            raise RuntimeError(
                f"value cannot be converted to type {target.name} without overflow: {value} is "
                f"outside [{info.min}, {info.max}]"
            )
    return array.astype(target, copy=False)


def as_tensor(
    data: Any, dtype: DType | None = None, device: str | devices.device | None = None
) -> Tensor:
    """Like :func:`tensor`, but shares memory with a NumPy array or tensor when it can.

    Examples
    --------
    >>> import numpy as np, tinygrad_lr as tg
    >>> tg.as_tensor(np.zeros(2)).dtype
    tinygrad_lr.float64
    """
    devices.require_cpu(device, "as_tensor")
    dtype = dtypes.to_dtype(dtype)
    if isinstance(data, Tensor):
        return data if dtype is None else data.to(dtype)
    if isinstance(data, np.ndarray):
        return _new(data if dtype is None else data.astype(dtype.numpy, copy=False), False)
    return tensor(data, dtype=dtype)


def from_numpy(array: np.ndarray) -> Tensor:
    """A tensor sharing memory with a NumPy array and keeping its dtype.

    Examples
    --------
    >>> import numpy as np, tinygrad_lr as tg
    >>> a = np.array([1.0, 2.0])
    >>> t = tg.from_numpy(a)
    >>> t.dtype, bool(t.numpy() is a)
    (tinygrad_lr.float64, True)
    """
    if not isinstance(array, np.ndarray):
        raise TypeError(f"from_numpy expects a numpy.ndarray, got {type(array).__name__}")
    return _new(array, False)


def _check_numbers(function: str, **arguments: Any) -> None:
    for name, value in arguments.items():
        if value is not None and not isinstance(value, (int, float, np.integer, np.floating)):
            raise TypeError(
                f"{function}(): argument '{name}' must be a number, not {type(value).__name__}"
            )


def _filled(
    size: tuple[Any, ...], value: Any, dtype: Any, device: Any, requires_grad: bool, function: str
) -> Tensor:
    devices.require_cpu(device, function)
    dtype = dtypes.to_dtype(dtype) or dtypes.DEFAULT_FLOAT
    shape = _size(size)
    if isinstance(value, (int, float, np.number)) and not isinstance(value, bool):
        _converted(np.array([value]), dtype)  # the fill value fits the dtype, or raises
    try:
        array = np.full(shape, value, dtype=dtype.numpy)
    except (ValueError, MemoryError):  # NumPy: "array is too big" or out of memory
        raise RuntimeError(
            f"cannot allocate a tensor of size {list(shape)}: {math.prod(shape)} elements of "
            f"{dtype.itemsize} bytes do not fit in memory"
        ) from None
    return _new(array, requires_grad)


def zeros(
    *size: Any,
    dtype: DType | None = None,
    device: str | devices.device | None = None,
    requires_grad: bool = False,
) -> Tensor:
    """A tensor of zeros; sizes as varargs or a tuple (``zeros(2, 1)``, ``zeros((2, 1))``).

    Examples
    --------
    >>> import tinygrad_lr as tg
    >>> tg.zeros(1, requires_grad=True)
    tensor([0.], requires_grad=True)
    >>> tg.zeros(2, device="cpu").device
    device(type='cpu')
    """
    return _filled(size, 0, dtype, device, requires_grad, "zeros")


def ones(
    *size: Any,
    dtype: DType | None = None,
    device: str | devices.device | None = None,
    requires_grad: bool = False,
) -> Tensor:
    """A tensor of ones.

    Examples
    --------
    >>> import tinygrad_lr as tg
    >>> tg.ones(2, 2)
    tensor([[1., 1.],
            [1., 1.]])
    """
    return _filled(size, 1, dtype, device, requires_grad, "ones")


def empty(
    *size: Any,
    dtype: DType | None = None,
    device: str | devices.device | None = None,
    requires_grad: bool = False,
) -> Tensor:
    """A tensor to be filled later (zeros here; torch leaves the memory uninitialised).

    Examples
    --------
    >>> import tinygrad_lr as tg
    >>> tg.empty(3).shape
    tinygrad_lr.Size([3])
    """
    return _filled(size, 0, dtype, device, requires_grad, "empty")


def full(
    size: Any,
    fill_value: float,
    dtype: DType | None = None,
    device: str | devices.device | None = None,
    requires_grad: bool = False,
) -> Tensor:
    """A tensor filled with ``fill_value``; its dtype follows the value (float32, int64, bool).

    Examples
    --------
    >>> import tinygrad_lr as tg
    >>> tg.full((2,), 7)
    tensor([7, 7])
    """
    if dtype is None:
        dtype = dtypes.result_type(fill_value, fill_value)
    return _filled(
        (size,) if isinstance(size, (int, np.integer)) else tuple(size),
        fill_value,
        dtype,
        device,
        requires_grad,
        "full",
    )


def _like(
    other: Tensor, value: Any, dtype: Any, device: Any, requires_grad: bool, function: str
) -> Tensor:
    if not isinstance(other, Tensor):
        raise TypeError(f"{function}(): expected a Tensor, got {type(other).__name__}")
    return _filled(tuple(other.shape), value, dtype or other.dtype, device, requires_grad, function)


def zeros_like(
    input: Tensor,
    dtype: DType | None = None,
    device: str | devices.device | None = None,
    requires_grad: bool = False,
) -> Tensor:
    """Zeros with ``input``'s shape and dtype.

    Examples
    --------
    >>> import tinygrad_lr as tg
    >>> tg.zeros_like(tg.ones(2, dtype=tg.float64))
    tensor([0., 0.], dtype=tinygrad_lr.float64)
    """
    return _like(input, 0, dtype, device, requires_grad, "zeros_like")


def ones_like(
    input: Tensor,
    dtype: DType | None = None,
    device: str | devices.device | None = None,
    requires_grad: bool = False,
) -> Tensor:
    """Ones with ``input``'s shape and dtype.

    Examples
    --------
    >>> import tinygrad_lr as tg
    >>> tg.ones_like(tg.zeros(2))
    tensor([1., 1.])
    """
    return _like(input, 1, dtype, device, requires_grad, "ones_like")


def full_like(
    input: Tensor,
    fill_value: float,
    dtype: DType | None = None,
    device: str | devices.device | None = None,
    requires_grad: bool = False,
) -> Tensor:
    """``fill_value`` with ``input``'s shape and dtype.

    Examples
    --------
    >>> import tinygrad_lr as tg
    >>> tg.full_like(tg.zeros(2), 0.5)
    tensor([0.5000, 0.5000])
    """
    return _like(input, fill_value, dtype, device, requires_grad, "full_like")


def arange(
    start: float,
    end: float | None = None,
    step: float = 1,
    *,
    dtype: DType | None = None,
    device: str | devices.device | None = None,
    requires_grad: bool = False,
) -> Tensor:
    """Values from ``start`` up to, not including, ``end``; int64 if all arguments are ints.

    Examples
    --------
    >>> import tinygrad_lr as tg
    >>> tg.arange(4)
    tensor([0, 1, 2, 3])
    >>> tg.arange(0, 1, 0.25)
    tensor([0.0000, 0.2500, 0.5000, 0.7500])
    """
    devices.require_cpu(device, "arange")
    _check_numbers("arange", start=start, end=end, step=step)
    if end is None:
        start, end = 0, start
    if step == 0:
        raise RuntimeError("arange: step must be nonzero")
    if not all(np.isfinite(v) for v in (start, end, step)):
        raise RuntimeError(f"arange: unsupported range: {start} -> {end} (step {step})")
    if (end - start) * step < 0:
        raise RuntimeError(
            f"arange: upper bound and larger bound inconsistent with step sign "
            f"(start={start}, end={end}, step={step})"
        )
    if dtype is None:
        all_ints = all(isinstance(v, (int, np.integer)) for v in (start, end, step))
        dtype = dtypes.int64 if all_ints else dtypes.DEFAULT_FLOAT
    dtype = dtypes.to_dtype(dtype)
    if not dtype.is_floating_point:
        # torch truncates the bounds and the step to integers first (NumPy would step by 0.5
        # and truncate each value: arange(1, 2.5, 0.5) would be [1, 1, 1])
        start, end, step = int(start), int(end), int(step)
        if step == 0:
            raise ValueError("arange: step must be nonzero once truncated to an integer dtype")
    # Computed in float64 (or int64) and then converted, so float32 steps do not drift.
    work = np.int64 if not dtype.is_floating_point else np.float64
    return _new(np.arange(start, end, step, dtype=work).astype(dtype.numpy), requires_grad)


def linspace(
    start: float,
    end: float,
    steps: int,
    *,
    dtype: DType | None = None,
    device: str | devices.device | None = None,
    requires_grad: bool = False,
) -> Tensor:
    """``steps`` evenly spaced values from ``start`` to ``end``, both included.

    Examples
    --------
    >>> import tinygrad_lr as tg
    >>> tg.linspace(0, 1, 5)
    tensor([0.0000, 0.2500, 0.5000, 0.7500, 1.0000])
    """
    devices.require_cpu(device, "linspace")
    dtype = dtypes.to_dtype(dtype) or dtypes.DEFAULT_FLOAT
    _check_numbers("linspace", start=start, end=end)
    if isinstance(steps, bool) or not isinstance(steps, (int, np.integer)) or steps < 0:
        raise RuntimeError(f"linspace: steps must be a non-negative int, got {steps!r}")
    return _new(np.linspace(start, end, steps).astype(dtype.numpy), requires_grad)


def eye(
    n: int,
    m: int | None = None,
    *,
    dtype: DType | None = None,
    device: str | devices.device | None = None,
    requires_grad: bool = False,
) -> Tensor:
    """The identity matrix (n x m, square by default).

    Examples
    --------
    >>> import tinygrad_lr as tg
    >>> tg.eye(2)
    tensor([[1., 0.],
            [0., 1.]])
    """
    devices.require_cpu(device, "eye")
    dtype = dtypes.to_dtype(dtype) or dtypes.DEFAULT_FLOAT
    for name, size in (("n", n), ("m", m)):
        if size is not None and size < 0:
            raise RuntimeError(f"eye: {name} must be greater or equal to 0, got {size}")
    return _new(np.eye(n, m, dtype=dtype.numpy), requires_grad)
