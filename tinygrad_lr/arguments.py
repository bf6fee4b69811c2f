"""Reading torch's arguments: sizes, dimensions, flags, values, and ``.to(...)``.

Each function accepts what torch accepts and raises torch's exception type, with a message that
says what was wrong, for anything else. The ops never see an unchecked argument, and Tensor's
methods stay one line each: the checking is here, beside them.
"""

from __future__ import annotations

import math
import warnings
from typing import Any

import numpy as np

from . import devices, dtypes
from .dtypes import DType
from .tensor import Tensor

# What counts as a number operand: Python's and NumPy's scalars.
NUMBER_TYPES = (int, float, bool, np.number, np.bool_)


class Size(tuple):
    """A tensor's shape: a tuple of ints that prints as torch.Size does.

    Examples
    --------
    >>> import tinygrad_lr as tg
    >>> tg.zeros(2, 3).shape
    tinygrad_lr.Size([2, 3])
    >>> tg.zeros(2, 3).shape.numel()
    6
    """

    __slots__ = ()

    def numel(self) -> int:
        """The number of elements of a tensor of this shape."""
        return int(np.prod(self, dtype=np.int64))

    def __repr__(self) -> str:
        return f"tinygrad_lr.Size({list(self)})"


def parse_shape(args: tuple[Any, ...], what: str = "shape") -> tuple[int, ...]:
    """Accept sizes as varargs ``(2, 3)`` or as one sequence ``((2, 3),)``, as torch does.

    Examples
    --------
    >>> parse_shape((2, 3)), parse_shape(([2, 3],))
    ((2, 3), (2, 3))
    """
    if len(args) == 1 and isinstance(args[0], (tuple, list)):
        args = tuple(args[0])
    for size in args:
        if isinstance(size, bool) or not isinstance(size, (int, np.integer)):
            raise TypeError(
                f"{what} must be ints, given as separate arguments or one tuple, got {args!r}"
            )
    return tuple(int(size) for size in args)


def normalize_dim(dim: int, ndim: int) -> int:
    """A dimension index in range(ndim); negative counts from the end. IndexError as torch.

    Examples
    --------
    >>> normalize_dim(-1, 3)
    2
    """
    if isinstance(dim, bool) or not isinstance(dim, (int, np.integer)):
        raise TypeError(f"dim must be an int (or a tuple of ints), not {type(dim).__name__}")
    low, high = (-ndim, ndim - 1) if ndim else (-1, 0)
    if not low <= dim <= high:
        raise IndexError(
            f"Dimension out of range (expected to be in range of [{low}, {high}], but got {dim})"
        )
    return int(dim) % max(ndim, 1)


def normalize_dims(dim: Any, ndim: int) -> tuple[int, ...] | None:
    """None (all dimensions) or a tuple of distinct dimension indices.

    Examples
    --------
    >>> normalize_dims((0, -1), 3), normalize_dims(None, 3)
    ((0, 2), None)
    """
    if dim is None:
        return None
    dims = tuple(dim) if isinstance(dim, (tuple, list)) else (dim,)
    if not dims:  # torch reduces over every dimension when given an empty list
        return None
    normalized = tuple(normalize_dim(d, ndim) for d in dims)
    if ndim == 0:  # a 0-d tensor's only dimension (0 or -1) is the tensor itself, as in torch
        return None
    if len(set(normalized)) != len(normalized):
        raise RuntimeError(f"dim {dim} appears multiple times in the list of dims")
    return normalized


def check_keepdim(keepdim: Any) -> bool:
    """``keepdim`` as a bool; TypeError, as torch, for anything else.

    Examples
    --------
    >>> check_keepdim(True)
    True
    """
    if not isinstance(keepdim, (bool, np.bool_)):
        raise TypeError(f"argument 'keepdim' must be bool, not {type(keepdim).__name__}")
    return bool(keepdim)


def parse_to_arguments(
    args: tuple[Any, ...], kwargs: dict[str, Any], function: str = "to"
) -> tuple[DType | None, bool, devices.device | None]:
    """``(dtype, copy, device)`` that ``.to(...)`` asks for (None: unchanged), for tensors and
    modules alike; any device but the CPU raises (:func:`tinygrad_lr.devices.require_cpu`).

    torch's three forms: ``to(device=None, dtype=None, non_blocking=False, copy=False)``,
    ``to(dtype, non_blocking=False, copy=False)`` and ``to(tensor, non_blocking=False,
    copy=False)`` (the tensor's dtype). A device is a str or a :class:`~tinygrad_lr.device`;
    ``float``, ``int`` and ``bool`` mean float64, int64 and bool, as in torch.
    ``non_blocking`` changes nothing on the CPU.

    Examples
    --------
    >>> import tinygrad_lr as tg
    >>> parse_to_arguments(('cpu', tg.float64), {})
    (tinygrad_lr.float64, False, device(type='cpu'))
    >>> parse_to_arguments((), {"device": tg.device("cpu"), "copy": True})
    (None, True, device(type='cpu'))
    """
    unknown = sorted(set(kwargs) - {"device", "dtype", "non_blocking", "copy"})
    if unknown:
        raise TypeError(f"{function}() got unexpected keyword arguments {unknown}; {_TO_FORMS}")
    rest, device, dtype = list(args), kwargs.get("device"), kwargs.get("dtype")
    if rest and isinstance(rest[0], Tensor):
        if "device" in kwargs or "dtype" in kwargs:
            raise TypeError(f"{function}(tensor) takes no device= or dtype=; {_TO_FORMS}")
        dtype = rest.pop(0).dtype
    elif rest and _as_to_dtype(rest[0]) is not None:
        if "device" in kwargs or "dtype" in kwargs:
            raise TypeError(f"{function}(dtype) takes no device= or dtype=; {_TO_FORMS}")
        dtype = rest.pop(0)
    elif rest and not isinstance(rest[0], bool):
        if "device" in kwargs:
            raise TypeError(f"{function}() got the device twice (positional and device=)")
        device = rest.pop(0)
        if rest and not isinstance(rest[0], bool):
            if "dtype" in kwargs:
                raise TypeError(f"{function}() got the dtype twice (positional and dtype=)")
            dtype = rest.pop(0)
    flags = dict(zip(("non_blocking", "copy"), rest))
    if len(rest) > 2 or set(flags) & set(kwargs):
        raise TypeError(f"{function}() received an invalid combination of arguments; {_TO_FORMS}")
    flags.update((k, kwargs[k]) for k in ("non_blocking", "copy") if k in kwargs)
    for name, flag in flags.items():
        if not isinstance(flag, bool):
            raise TypeError(
                f"{function}(): argument '{name}' must be bool, not {type(flag).__name__}"
            )
    if device is not None and not isinstance(device, (str, int, devices.device)):
        raise TypeError(
            f"{function}() received an invalid combination of arguments: got "
            f"{type(device).__name__}, which is not a dtype, device or tensor; {_TO_FORMS}"
        )
    devices.require_cpu(device, function)
    if dtype is not None and _as_to_dtype(dtype) is None:
        raise TypeError(
            f"{function}(): argument 'dtype' must be a dtype such as tinygrad_lr.float64, not "
            f"{dtype!r}; {_TO_FORMS}"
        )
    named = None if device is None else devices.device(device)
    return _as_to_dtype(dtype), flags.get("copy", False), named


_TO_FORMS = (
    "expected to(device, dtype), to(dtype), to(tensor), or the keywords device=, dtype=, "
    "non_blocking=, copy="
)


def _as_to_dtype(value: Any) -> DType | None:
    """The dtype ``value`` names as an argument of ``.to``, or None if it names none."""
    if isinstance(value, DType):
        return value
    if value is float or value is int or value is bool:  # torch: Python's types, 64-bit
        return {float: dtypes.float64, int: dtypes.int64, bool: dtypes.bool_}[value]
    if isinstance(value, (np.dtype, type)):
        try:
            return dtypes.to_dtype(value)
        except TypeError:
            return None
    return None


def times_alpha(other: Any, alpha: Any, function: str) -> Any:
    """``alpha * other`` for the ``alpha=`` argument of add and sub (a number, as in torch).

    Examples
    --------
    >>> times_alpha(3.0, 2, "add")
    6.0
    """
    if not isinstance(alpha, NUMBER_TYPES):
        raise TypeError(
            f"{function}(): argument 'alpha' must be a number, not {type(alpha).__name__}"
        )
    return other if alpha == 1 else other * alpha


def check_tensor(value: Any, function: str, argument: str = "other") -> Tensor:
    """``value``, once it is known to be a Tensor (TypeError, as torch, otherwise).

    Examples
    --------
    >>> import tinygrad_lr as tg
    >>> check_tensor(tg.ones(1), "view_as").shape
    tinygrad_lr.Size([1])
    """
    if not isinstance(value, Tensor):
        raise TypeError(
            f"{function}(): argument '{argument}' must be Tensor, not {type(value).__name__}"
        )
    return value


def requires_grad_flag(tensor: Tensor, requires_grad: Any) -> bool:
    """The flag ``requires_grad_`` may set on ``tensor``: a bool, True only for floating point,
    False only on a leaf.

    Examples
    --------
    >>> import tinygrad_lr as tg
    >>> requires_grad_flag(tg.ones(1), True)
    True
    """
    if not isinstance(requires_grad, (bool, np.bool_)):
        raise TypeError(
            f"requires_grad_(): argument 'requires_grad' must be bool, not "
            f"{type(requires_grad).__name__}"
        )
    if requires_grad and tensor._data.dtype.kind != "f":
        raise RuntimeError(
            f"only Tensors of floating point dtype can require gradients, got {tensor.dtype}; "
            "convert first, e.g. x.float().requires_grad_()"
        )
    if tensor.grad_fn is not None and not requires_grad:
        raise RuntimeError(
            "you can only change requires_grad flags of leaf variables. If you want to use a "
            "computed variable in a subgraph that doesn't require differentiation use "
            "var_no_grad = var.detach()."
        )
    return bool(requires_grad)


def grad_value(tensor: Tensor, value: Any) -> Tensor | None:
    """A value that ``tensor.grad = value`` accepts: None, or a tensor of its shape and dtype.

    Examples
    --------
    >>> import tinygrad_lr as tg
    >>> grad_value(tg.zeros(2), tg.ones(2))
    tensor([1., 1.])
    """
    if value is None:
        return None
    if not isinstance(value, Tensor):
        raise TypeError(f"assigned grad must be a Tensor or None, got {type(value).__name__}")
    if value.shape != tensor.shape:
        raise RuntimeError(
            f"assigned grad has data of a different size: {tuple(value.shape)} for a tensor of "
            f"shape {tuple(tensor.shape)}"
        )
    if value._data.dtype != tensor._data.dtype:
        raise RuntimeError(
            f"assigned grad has dtype {value.dtype}, but the tensor has dtype {tensor.dtype}"
        )
    return value


def fill_value(value: Any) -> Any:
    """What ``fill_`` takes: a number or a 0-d tensor.

    Examples
    --------
    >>> fill_value(2.5)
    2.5
    """
    if not isinstance(value, (Tensor, *NUMBER_TYPES)):
        raise TypeError(
            f"fill_(): value must be a number or a 0-d tensor, not {type(value).__name__}"
        )
    if isinstance(value, Tensor) and value.ndim != 0:
        raise RuntimeError(
            "fill_ only supports 0-dimension value tensor but got tensor with "
            f"{value.ndim} dimensions; use copy_ to copy a tensor's values"
        )
    return value


def copy_source(src: Any) -> Any:
    """What ``copy_`` takes: a tensor, or values NumPy reads as an array.

    Examples
    --------
    >>> copy_source([1.0, 2.0])
    [1.0, 2.0]
    """
    if not isinstance(src, (Tensor, np.ndarray, list, tuple, *NUMBER_TYPES)):
        raise TypeError(f"copy_(): argument 'src' must be a Tensor, not {type(src).__name__}")
    return src


def uniform_range(low: float, high: float) -> tuple[float, float]:
    """``(low, high)`` for ``uniform_``, which needs low <= high.

    Examples
    --------
    >>> uniform_range(-1, 1)
    (-1, 1)
    """
    if low > high:
        raise RuntimeError(
            f"uniform_ expects to return a [from, to) range, but found from={low} > to={high}"
        )
    return low, high


def flattened_shape(shape: tuple[int, ...], start_dim: int, end_dim: int) -> tuple[int, ...]:
    """The shape with dimensions ``start_dim`` to ``end_dim`` merged into one.

    Examples
    --------
    >>> flattened_shape((2, 3, 4), 1, -1)
    (2, 12)
    """
    if not shape:
        return (1,)
    start, end = normalize_dim(start_dim, len(shape)), normalize_dim(end_dim, len(shape))
    if start > end:
        raise RuntimeError(
            f"flatten() has invalid args: start_dim cannot come after end_dim "
            f"(start_dim={start_dim}, end_dim={end_dim})"
        )
    # The merged size written out, not -1: with a 0 among the sizes, -1 would be ambiguous.
    return shape[:start] + (math.prod(shape[start : end + 1]),) + shape[end + 1 :]


def squeezed_shape(shape: tuple[int, ...], dim: Any) -> tuple[int, ...]:
    """The shape without its sizes of 1: all of them, or those among ``dim`` (an int or a tuple).

    Examples
    --------
    >>> squeezed_shape((1, 3, 1), None), squeezed_shape((1, 3, 1), 0)
    ((3,), (3, 1))
    """
    if dim is None:
        return tuple(s for s in shape if s != 1)
    dims = tuple(dim) if isinstance(dim, (tuple, list)) else (dim,)
    chosen = {normalize_dim(d, len(shape)) for d in dims}
    return tuple(s for i, s in enumerate(shape) if s != 1 or i not in chosen)


def unsqueezed_shape(shape: tuple[int, ...], dim: int) -> tuple[int, ...]:
    """The shape with a size of 1 inserted at ``dim``.

    Examples
    --------
    >>> unsqueezed_shape((3,), -1)
    (3, 1)
    """
    d = normalize_dim(dim, len(shape) + 1)
    return shape[:d] + (1,) + shape[d:]


def permutation(dims: tuple[Any, ...], ndim: int) -> tuple[int, ...]:
    """The axes of ``permute(*dims)``: a permutation of ``0..ndim-1``.

    Examples
    --------
    >>> permutation((1, -2), 2)
    (1, 0)
    """
    axes = tuple(normalize_dim(d, ndim) for d in parse_shape(dims, "dims"))
    if sorted(axes) != list(range(ndim)):
        raise RuntimeError(f"permute: dims {list(axes)} must be a permutation of 0..{ndim - 1}")
    return axes


def swapped_axes(ndim: int, dim0: int, dim1: int) -> tuple[int, ...]:
    """The axes of ``transpose(dim0, dim1)``: ``0..ndim-1`` with the two swapped.

    Examples
    --------
    >>> swapped_axes(3, 0, -1)
    (2, 1, 0)
    """
    axes = list(range(ndim))
    d0, d1 = normalize_dim(dim0, ndim), normalize_dim(dim1, ndim)
    if axes:  # a 0-d tensor has nothing to swap
        axes[d0], axes[d1] = axes[d1], axes[d0]
    return tuple(axes)


def matrix_ndim(tensor: Tensor) -> int:
    """The tensor's number of dimensions, which ``t()`` needs to be at most 2.

    Examples
    --------
    >>> import tinygrad_lr as tg
    >>> matrix_ndim(tg.ones(2, 3))
    2
    """
    if tensor.ndim > 2:
        raise RuntimeError(
            f"t() expects a tensor with <= 2 dimensions, but self is {tensor.ndim}D; "
            "use transpose(dim0, dim1) or permute"
        )
    return tensor.ndim


def one_element(tensor: Tensor, what: str) -> Any:
    """The value of a one-element tensor, for ``item()``, ``bool()`` and ``index`` (an integer).

    Examples
    --------
    >>> import tinygrad_lr as tg
    >>> one_element(tg.tensor([2.5]), "item")
    2.5
    """
    if what == "index" and (tensor._data.dtype.kind not in "iu" or tensor._data.size != 1):
        raise TypeError("only integer tensors of a single element can be converted to an index")
    if tensor._data.size != 1:
        if what == "bool":
            raise RuntimeError(
                f"Boolean value of Tensor with more than one value is ambiguous (shape "
                f"{tuple(tensor.shape)}); use .any() or .all()"
            )
        raise RuntimeError(
            f"a Tensor with {tensor._data.size} elements cannot be converted to Scalar; "
            "use .tolist() for all of them, or index one element first"
        )
    return tensor._data.item()


def floating(tensor: Tensor, function: str) -> Tensor:
    """``tensor``, which ``function`` (mean) needs to be of a floating-point dtype.

    Examples
    --------
    >>> import tinygrad_lr as tg
    >>> floating(tg.ones(2), "mean").dtype
    tinygrad_lr.float32
    """
    if tensor._data.dtype.kind != "f":
        raise RuntimeError(
            f"{function}(): could not infer output dtype. Input dtype must be either a floating "
            f"point or complex dtype. Got: {tensor.dtype}; use x.float().{function}()"
        )
    return tensor


def legacy_data(data: Any) -> np.ndarray:
    """The float32 array that torch's legacy constructor ``Tensor(data)`` makes of ``data``.

    Examples
    --------
    >>> legacy_data([1, 2])
    array([1., 2.], dtype=float32)
    """
    try:
        array = np.array(data.detach()._data if isinstance(data, Tensor) else data)
    except ValueError:
        raise ValueError(
            "Tensor() needs rectangular data: every row of a nested list must have the same length"
        ) from None
    if array.dtype.kind not in "biuf":
        raise TypeError(f"Tensor() needs numeric data, got {type(data).__name__}")
    return array.astype(np.float32)


def without_grad(tensor: Tensor, function: str) -> Tensor:
    """``tensor``, which ``function`` (numpy) refuses while it requires grad, as torch does.

    Examples
    --------
    >>> import tinygrad_lr as tg
    >>> without_grad(tg.ones(1), "numpy").requires_grad
    False
    """
    if tensor._requires_grad:
        raise RuntimeError(
            f"Can't call {function}() on Tensor that requires grad. "
            f"Use tensor.detach().{function}() instead."
        )
    return tensor


def warn_non_leaf_grad() -> None:
    """torch's warning for reading ``.grad`` of a non-leaf that did not ``retain_grad()``.

    Examples
    --------
    >>> import warnings
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     warn_non_leaf_grad()
    >>> caught[0].category.__name__
    'UserWarning'
    """
    warnings.warn(
        "The .grad attribute of a Tensor that is not a leaf Tensor is being accessed. Its "
        ".grad attribute won't be populated during backward(). If you want it, call "
        ".retain_grad() on the non-leaf Tensor before backward; if you meant the leaf "
        "Tensor (the one created with requires_grad=True), access that one instead.",
        UserWarning,
        stacklevel=3,
    )


def first_size(tensor: Tensor, what: str) -> int:
    """The size of the first dimension, for ``len()`` and iteration (a 0-d tensor has none).

    Examples
    --------
    >>> import tinygrad_lr as tg
    >>> first_size(tg.zeros(3, 2), "len()")
    3
    """
    if tensor._data.ndim == 0:
        raise TypeError(f"{what} a 0-d tensor")
    return tensor._data.shape[0]


def arg_index(tensor: Tensor, method: str, dim: int | None, keepdim: bool) -> Tensor:
    """``tensor.argmax(dim, keepdim)`` or ``argmin``: the indices (int64), outside the graph.

    Examples
    --------
    >>> import tinygrad_lr as tg
    >>> arg_index(tg.tensor([[1, 5], [7, 2]]), "argmax", 1, False)
    tensor([1, 0])
    """
    axis = None if dim is None else normalize_dim(dim, tensor.ndim)
    data = tensor._data
    if data.dtype.kind == "b":
        raise RuntimeError(f"{method}(): does not support bool input; convert it, e.g. x.int()")
    if axis is None and data.size == 0:
        raise IndexError(
            f"{method}(): Expected reduction dim to be specified for input.numel() == 0."
        )
    if axis is not None and data.shape and data.shape[axis] == 0:
        raise IndexError(f"{method}(): Expected reduction dim {axis} to have non-zero size.")
    return Tensor._make(np.asarray(getattr(data, method)(axis=axis, keepdims=keepdim)))


def expanded_shape(shape: tuple[int, ...], sizes: tuple[Any, ...]) -> tuple[int, ...]:
    """The shape ``tensor.expand(*sizes)`` makes from ``shape``: -1 keeps a size, a size of 1
    stretches, new dimensions go in front; torch's error otherwise.

    Examples
    --------
    >>> expanded_shape((3, 1), ((2, -1, 4),))
    (2, 3, 4)
    """
    target = parse_shape(sizes, "size")
    leading = len(target) - len(shape)
    if leading < 0:
        raise RuntimeError(
            f"expand: the number of sizes provided ({len(target)}) must be greater or equal to "
            f"the number of dimensions in the tensor ({len(shape)})"
        )
    result = list(target[:leading])
    if any(size < 0 for size in result):
        raise RuntimeError(
            f"expand: -1 is not allowed in a leading, non-existing dimension; sizes {list(target)}"
        )
    for i, (old, new) in enumerate(zip(shape, target[leading:])):
        if new == -1 or new == old:
            result.append(old)
        elif old == 1 and new >= 0:
            result.append(new)
        else:
            raise RuntimeError(
                f"The expanded size of the tensor ({new}) must match the existing size ({old}) "
                f"at non-singleton dimension {leading + i}.  Target sizes: {list(target)}.  "
                f"Tensor sizes: {list(shape)}"
            )
    return tuple(result)


def summed_shape(shape: tuple[int, ...], size: tuple[Any, ...]) -> tuple[int, ...]:
    """The shape ``tensor.sum_to_size(*size)`` sums into: it must broadcast to ``shape``.

    Examples
    --------
    >>> summed_shape((4, 3), ((1, 3),))
    (1, 3)
    """
    target = parse_shape(size, "size")
    if not _broadcasts_to(target, shape):
        raise RuntimeError(f"size {{{list(target)}}} is not expandable to size {{{list(shape)}}}.")
    return target


def _broadcasts_to(shape: tuple[int, ...], target: tuple[int, ...]) -> bool:
    if len(shape) > len(target):
        return False
    tail = target[len(target) - len(shape) :]
    return all(size in (1, other) for size, other in zip(shape, tail))
