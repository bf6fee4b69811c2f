"""torch's rules for the operands of an op: dtype promotion, and what is refused.

``int64 + float32`` is float32, ``x / 2`` of an integer tensor is float32, a Python number never
widens a tensor's dtype, ``matmul`` refuses mixed dtypes. :func:`binary` brings both operands to
the result's dtype (with recorded casts, so gradients flow back in each operand's own dtype),
then applies the op; :func:`power`, :func:`maximum`, :func:`clamp`, :func:`where`, :func:`lerp`,
:func:`matmul`, :func:`compare` and :func:`negate` do the same for their ops. Errors name both
shapes or dtypes.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from . import checks, dtypes, inplace, ops
from .arguments import NUMBER_TYPES
from .tensor import Tensor


def cast(a: Tensor, dtype: dtypes.DType) -> Tensor:
    """``a`` in ``dtype``: recorded for a floating dtype; integers and bools cannot carry
    gradients, so torch returns them outside the graph.

    Examples
    --------
    >>> import tinygrad_lr as tg
    >>> cast(tg.tensor([1.5], requires_grad=True), tg.float64).grad_fn
    <CastBackward0>
    """
    if a._data.dtype == dtype.numpy:
        return a
    if not dtype.is_floating_point:
        return Tensor._make(a._data.astype(dtype.numpy))
    return ops.Cast.apply(a, dtype.numpy)


def binary(
    function: type, a: Tensor, b: Any, reflected: bool = False, floating: bool = False
) -> Tensor:
    """``function(a, b)`` (or ``function(b, a)`` when ``reflected``) after torch's type promotion;
    ``floating`` ops (division) give a float for integer operands.

    Examples
    --------
    >>> import tinygrad_lr as tg
    >>> binary(tg.ops.Add, tg.tensor([1, 2]), tg.tensor([0.5]))  # int64 + float32
    tensor([1.5000, 2.5000])
    """
    if function is ops.Sub and (
        a._data.dtype == np.bool_ or (isinstance(b, Tensor) and b._data.dtype == np.bool_)
    ):
        raise RuntimeError(
            "Subtraction, the `-` operator, with a bool tensor is not supported. If you are "
            "trying to invert a mask, use the `~` or `logical_not()` operator instead."
        )
    if isinstance(b, int) and not isinstance(b, bool):
        check_number_size(b)
    if isinstance(b, Tensor):
        if a._data.dtype != b._data.dtype or floating:
            dtype = _result_dtype(a, b, floating)
            a, b = a._cast(dtype), b._cast(dtype)
    elif isinstance(b, NUMBER_TYPES):
        # NumPy scalars become Python numbers: NumPy treats Python numbers as "weak" (they never
        # widen an array's dtype), which is torch's rule for all numbers.
        if isinstance(b, np.generic):
            b = b.item()
        # A number never changes a floating tensor's dtype: the common case skips promotion.
        if a._data.dtype.kind != "f":
            dtype = _result_dtype(a, b, floating)
            a = a._cast(dtype)
            if not dtype.is_floating_point and isinstance(b, float):
                b = int(b)
            if not dtype.is_floating_point:
                _check_integer_fits(b, dtype, function.__name__.lower())
    elif isinstance(b, np.ndarray):
        return binary(function, a, Tensor._make(b), reflected, floating)
    else:
        return NotImplemented
    left, right = (b, a) if reflected else (a, b)
    try:
        return function.apply(left, right)
    except ValueError:
        shape_left, shape_right = np.shape(data_of(left)), np.shape(data_of(right))
        checks.raise_if_not_broadcastable(function.__name__.lower(), shape_left, shape_right)
        raise


def check_number_size(number: int) -> None:
    """Refuse a Python int torch cannot take as a number (outside [-2⁶³, 2⁶⁴)), whatever the
    tensor's dtype: float32 + 2**70 is torch's OverflowError, not a float.

    Examples
    --------
    >>> check_number_size(2**63)  # fits (as an unsigned 64-bit number)
    >>> check_number_size(2**70)
    Traceback (most recent call last):
    OverflowError: int too big to convert: 1180591620717411303424 is outside [-2**63, 2**64)
    """
    if not -(2**63) <= number < 2**64:
        raise OverflowError(f"int too big to convert: {number} is outside [-2**63, 2**64)")


def _fits(number: Any, dtype: dtypes.DType, name: str) -> None:
    """A number that an integer result cannot hold raises (NumPy would wrap it, or raise its
    own OverflowError), as torch's "value cannot be converted without overflow"."""
    if isinstance(number, int) and not isinstance(number, bool) and not dtype.is_floating_point:
        _check_integer_fits(number, dtype, name)


def _result_dtype(a: Tensor, b: Any, floating: bool) -> dtypes.DType:
    """torch's result dtype of ``a`` op ``b``; division of integers gives float32."""
    dtype = dtypes.result_type(a, b)
    return dtypes.DEFAULT_FLOAT if floating and not dtype.is_floating_point else dtype


def _check_integer_fits(number: int, dtype: dtypes.DType, name: str) -> None:
    """Refuse a number outside an integer dtype's range (torch wraps it: uint8 + 300 is 45)."""
    info = np.iinfo(np.uint8 if np.dtype(dtype.numpy).kind == "b" else dtype.numpy)
    if not info.min <= number <= info.max:
        # torch's OverflowError for a number no 64-bit integer holds; it wraps the others
        error = OverflowError if not -(2**63) <= number < 2**64 else RuntimeError
        raise error(
            f"{name}: the number {number} does not fit in {dtype} "
            f"([{info.min}, {info.max}]), and wrapping it would give a wrong result; convert the "
            "tensor first, e.g. x.long() or x.double()"
        )


def data_of(x: Any) -> Any:
    """The array behind a tensor; anything else as it is.

    Examples
    --------
    >>> import tinygrad_lr as tg
    >>> data_of(tg.tensor([1.0])), data_of(2)
    (array([1.], dtype=float32), 2)
    """
    return x._data if isinstance(x, Tensor) else x


def power(base: Tensor, exponent: Any, reflected: bool = False) -> Tensor:
    """``base ** exponent``, each a tensor or a number (``exponent ** base`` when ``reflected``:
    ``2 ** x``), after torch's type promotion; gradients go to every tensor.

    Examples
    --------
    >>> import tinygrad_lr as tg
    >>> power(tg.tensor([1, 2]), 2), power(tg.tensor([1, 2]), 0.5).dtype
    (tensor([1, 4]), tinygrad_lr.float32)
    >>> power(tg.tensor([1.0, 3.0]), 2, reflected=True)  # 2 ** x
    tensor([2., 8.])
    """
    if type(exponent) in (int, float) and base._data.dtype.kind == "f" and not reflected:
        return ops.Pow.apply(base, exponent)  # x ** 2 in a loss: nothing to promote
    if isinstance(exponent, np.ndarray):
        exponent = Tensor._make(exponent)
    if not isinstance(exponent, (Tensor, *NUMBER_TYPES)):
        if reflected:
            return NotImplemented  # Python then says which operand types ** refused
        raise TypeError(
            f"pow(): the exponent must be a Tensor or a number, not {type(exponent).__name__}"
        )
    powers = base if reflected else exponent
    if not dtypes.result_type(base, exponent).is_floating_point and np.any(data_of(powers) < 0):
        raise RuntimeError(
            "Integers to negative integer powers are not allowed; convert first, e.g. "
            "x.float() ** -1"
        )
    return binary(ops.Pow, base, exponent, reflected=reflected)


def maximum(a: Tensor, b: Any, smaller: bool = False) -> Tensor:
    """The elementwise larger (``smaller``: the smaller) of two tensors, promoted.

    Examples
    --------
    >>> import tinygrad_lr as tg
    >>> maximum(tg.tensor([1.0, 5.0]), tg.tensor([3, 2]))
    tensor([3., 5.])
    """
    function = ops.Minimum if smaller else ops.Maximum
    if not isinstance(b, Tensor):  # torch refuses numbers here: clamp takes them
        raise TypeError(
            f"{function.__name__.lower()}(): argument 'other' (position 2) must be Tensor, not "
            f"{type(b).__name__}; for a number bound use clamp(min=...) or clamp(max=...)"
        )
    return binary(function, a, b)


def _operand(value: Any, function: str, argument: str) -> Any:
    """A tensor or number operand as it is, a NumPy array as a tensor; TypeError otherwise."""
    if isinstance(value, np.ndarray):
        return Tensor._make(value)
    if value is None or isinstance(value, (Tensor, *NUMBER_TYPES)):
        return value.item() if isinstance(value, np.generic) else value
    raise TypeError(
        f"{function}(): argument '{argument}' must be a Tensor or a number, not "
        f"{type(value).__name__}"
    )


def result_dtype(*operands: Any) -> dtypes.DType:
    """torch's result dtype of several tensors and numbers (``dtypes.result_type`` of more
    than two): tensors with dimensions decide, then 0-d tensors, then numbers, each only when
    of a higher category (bool < integer < floating).

    Examples
    --------
    >>> import tinygrad_lr as tg
    >>> result_dtype(tg.ones(2, dtype=tg.int8), tg.tensor(1.0, dtype=tg.float64), 2)
    tinygrad_lr.float64
    """
    result = None
    for group in (
        [o for o in operands if isinstance(o, Tensor) and o.ndim],
        [o for o in operands if isinstance(o, Tensor) and not o.ndim],
        [o for o in operands if o is not None and not isinstance(o, Tensor)],
    ):
        if not group:
            continue
        dtype = dtypes.result_type(group[0], group[0])
        for operand in group[1:]:
            dtype = dtypes.result_type(_stand_in(dtype, operand), operand)
        if result is None or dtype._rank > result._rank:
            result = dtype
    return result


def _stand_in(dtype: dtypes.DType, like: Any) -> Any:
    """A value of ``dtype`` in the same group as ``like`` (a tensor of its ndim, or a number)."""
    if isinstance(like, Tensor):
        return Tensor._make(np.zeros((1,) * min(like.ndim, 1), dtype.numpy))
    return (True, 1, 1.0)[dtype._rank]


def clamp(a: Tensor, min: Any = None, max: Any = None) -> Tensor:
    """``a`` limited to ``[min, max]``; each bound a number, a tensor (broadcast) or None.

    Examples
    --------
    >>> import tinygrad_lr as tg
    >>> clamp(tg.tensor([-2.0, 0.5, 3.0]), 0, 1)
    tensor([0.0000, 0.5000, 1.0000])
    """
    lo, hi = _operand(min, "clamp", "min"), _operand(max, "clamp", "max")
    if lo is None and hi is None:
        raise RuntimeError(
            "torch.clamp: At least one of 'min' or 'max' must not be None; give a bound, e.g. "
            "x.clamp(min=0)"
        )
    dtype = result_dtype(a, lo, hi)
    for bound in (lo, hi):
        _fits(bound, dtype, "clamp")
    a, lo, hi = [x._cast(dtype) if isinstance(x, Tensor) else x for x in (a, lo, hi)]
    try:
        return ops.Clamp.apply(a, lo, hi)
    except ValueError:  # NumPy could not broadcast a bound
        for bound in (lo, hi):
            checks.raise_if_not_broadcastable("clamp", a._data.shape, np.shape(data_of(bound)))
        raise


def clamp_(a: Tensor, min: Any = None, max: Any = None) -> Tensor:
    """``a.clamp_(min, max)``: :func:`clamp`, written into ``a``'s memory.

    Examples
    --------
    >>> import tinygrad_lr as tg
    >>> x = tg.tensor([-2.0, 3.0])
    >>> clamp_(x, max=1.0), x
    (tensor([-2.,  1.]), tensor([-2.,  1.]))
    """
    bounds = [b for b in (min, max) if isinstance(b, Tensor)]
    operand = next((b for b in bounds if b.requires_grad), bounds[0] if bounds else None)
    return inplace.change(a, "clamp_", lambda old: clamp(old, min, max), operand)


def where(condition: Tensor, input: Any, other: Any) -> Tensor:
    """``input`` where ``condition`` is True, else ``other`` (tensors or numbers, broadcast).

    Examples
    --------
    >>> import tinygrad_lr as tg
    >>> where(tg.tensor([True, False]), tg.tensor([1.0, 2.0]), 0)
    tensor([1., 0.])
    """
    if not isinstance(condition, Tensor):
        raise TypeError(
            f"where(): argument 'condition' must be Tensor, not {type(condition).__name__}"
        )
    if condition._data.dtype != np.bool_:
        raise RuntimeError(
            "where expected condition to be a boolean tensor, but got a tensor with dtype "
            f"{condition.dtype}; compare first, e.g. where(x > 0, ...)"
        )
    x, y = _operand(input, "where", "input"), _operand(other, "where", "other")
    if x is None or y is None:
        raise TypeError("where(): 'input' and 'other' must be Tensors or numbers, not None")
    dtype = dtypes.result_type(x, y)
    for value in (x, y):
        _fits(value, dtype, "where")
    x, y = [v._cast(dtype) if isinstance(v, Tensor) else np.asarray(v, dtype.numpy) for v in (x, y)]
    try:
        return ops.Where.apply(condition, x, y)
    except ValueError:  # NumPy could not broadcast the three
        shape = condition._data.shape
        for value in (x, y):
            checks.raise_if_not_broadcastable("where", shape, np.shape(data_of(value)))
            shape = np.broadcast_shapes(shape, np.shape(data_of(value)))
        raise


def lerp(a: Tensor, end: Any, weight: Any) -> Tensor:
    """``a + weight * (end - a)``: ``end`` a tensor of ``a``'s floating dtype, ``weight`` a
    number or such a tensor (a 0-d one of another floating dtype is converted, as torch).

    Examples
    --------
    >>> import tinygrad_lr as tg
    >>> lerp(tg.tensor([0.0, 10.0]), tg.tensor([10.0, 20.0]), 0.25)
    tensor([ 2.5000, 12.5000])
    """
    if a._data.dtype.kind != "f":
        raise NotImplementedError(
            f"lerp(): not implemented for {a.dtype} tensors; convert them first, e.g. x.float()"
        )
    end, weight = _operand(end, "lerp", "end"), _operand(weight, "lerp", "weight")
    if not isinstance(end, Tensor):
        raise TypeError(f"lerp(): argument 'end' must be Tensor, not {type(end).__name__}")
    if isinstance(weight, Tensor) and weight.ndim == 0 and weight._data.dtype.kind == "f":
        weight = weight._cast(a.dtype)
    for name, value in (("end", end), ("weight", weight)):
        if isinstance(value, Tensor) and value._data.dtype != a._data.dtype:
            raise RuntimeError(
                f"lerp(): expected dtype {a.dtype} for `{name}` but got dtype {value.dtype}; "
                f"convert it, e.g. {name}.to(input.dtype)"
            )
    if weight is None or isinstance(weight, bool):
        raise TypeError("lerp(): argument 'weight' must be a Tensor or a number")
    try:
        return ops.Lerp.apply(a, end, weight)
    except ValueError:  # NumPy could not broadcast the three
        checks.raise_if_not_broadcastable("lerp", a._data.shape, end._data.shape)
        shape = np.broadcast_shapes(a._data.shape, end._data.shape)
        checks.raise_if_not_broadcastable("lerp", shape, np.shape(data_of(weight)))
        raise


def rounding(function: type, a: Tensor, *args: Any) -> Tensor:
    """floor, ceil or round (``args``: round's ``decimals``): an integer tensor is already
    whole, so it comes back as a copy in its dtype, as torch; bool tensors are refused.

    Examples
    --------
    >>> import tinygrad_lr as tg
    >>> rounding(tg.ops.Floor, tg.tensor([-1.5, 2.5])), rounding(tg.ops.Round, tg.tensor([7]), 0)
    (tensor([-2.,  2.]), tensor([7]))
    """
    name = function.__name__.lower()
    if args and type(args[0]) is not int:
        raise TypeError(f"{name}(): argument 'decimals' must be int, not {type(args[0]).__name__}")
    if a._data.dtype.kind == "b":
        raise NotImplementedError(
            f"{name}(): not implemented for bool tensors; convert first, e.g. x.float()"
        )
    if a._data.dtype.kind in "iu":
        if args and args[0] != 0:
            raise NotImplementedError(
                f"{name}(): decimals is not implemented for integer tensors ({a.dtype}); "
                "convert first, e.g. x.float()"
            )
        return Tensor._make(a._data.copy())
    return function.apply(a, *args)


def matmul(a: Tensor, b: Any, matrices_only: bool = False) -> Tensor:
    """``a @ b``, for operands of one dtype that are at least 1-D (both 2-D for ``mm``).

    Examples
    --------
    >>> import tinygrad_lr as tg
    >>> matmul(tg.ones(3, 2), tg.ones(2))
    tensor([2., 2., 2.])
    """
    if isinstance(b, np.ndarray):
        b = Tensor._make(b)
    if not isinstance(b, Tensor):
        raise TypeError(f"matmul: expected a Tensor, got {type(b).__name__}")
    if matrices_only and (a.ndim != 2 or b.ndim != 2):
        raise RuntimeError("mm: both arguments must be 2-D; use matmul for other shapes")
    if not a._data.ndim or not b._data.ndim:
        raise checks.matmul_shape_error(a._data.shape, b._data.shape)
    if a._data.dtype != b._data.dtype:  # NumPy would silently promote
        raise RuntimeError(
            f"matmul: expected both operands to have the same dtype, but got {a.dtype} "
            f"and {b.dtype}; convert one with .float() or .double()"
        )
    try:
        return ops.MatMul.apply(a, b)
    except ValueError:  # NumPy refused the shapes: say which rule they broke
        raise checks.matmul_shape_error(a._data.shape, b._data.shape) from None


def invert(a: Tensor) -> Tensor:
    """``~a``: logical not of a bool tensor, bitwise not of an integer one.

    Examples
    --------
    >>> import tinygrad_lr as tg
    >>> invert(tg.tensor([True, False]))
    tensor([False,  True])
    """
    if a._data.dtype.kind not in "biu":
        raise TypeError(f"~ (bitwise not) needs a bool or integer tensor, got {a.dtype}")
    return Tensor._make(np.asarray(np.invert(a._data)))  # a 0-d result stays an array


def compare(
    ufunc: np.ufunc, a: Tensor, b: Any, bitwise: str | None = None, method: str | None = None
) -> Any:
    """``ufunc(a, b)`` as a bool (or, for ``&`` and ``|``, integer) tensor outside the graph;
    NotImplemented for an operand that is no tensor, array or number (Python then says so),
    or, for a ``method`` such as ``eq``, a TypeError that names it.

    Examples
    --------
    >>> import tinygrad_lr as tg
    >>> compare(np.less, tg.tensor([1.0, 3.0]), 2)
    tensor([ True, False])
    """
    if bitwise is not None:
        for operand in (a, b):
            if isinstance(operand, Tensor) and operand._data.dtype.kind not in "biu":
                raise NotImplementedError(
                    f"{bitwise} is only implemented for bool and integer tensors, got "
                    f"{operand.dtype}"
                )
    if isinstance(b, Tensor):
        value = b._data
    elif isinstance(b, (*NUMBER_TYPES, np.ndarray)):
        value = b
        if isinstance(b, int) and not isinstance(b, bool):
            check_number_size(b)
        if isinstance(b, int) and a._data.dtype.kind in "biu":  # torch wraps it: uint8 == 256
            _check_integer_fits(b, a.dtype, ufunc.__name__)
    elif method is not None:
        raise TypeError(
            f"{method}(): argument 'other' must be a Tensor or a number, not {type(b).__name__}"
        )
    else:
        return NotImplemented
    left = a._data
    if isinstance(b, Tensor) and bitwise is None and value.dtype != left.dtype:
        # torch compares in the promoted dtype: int64 against float32 in float32 (NumPy would
        # compare in float64, so 16777217 == 16777216.0 would differ from torch)
        common = result_dtype(a, b).numpy
        left, value = left.astype(common, copy=False), value.astype(common, copy=False)
    try:
        return Tensor._make(np.asarray(ufunc(left, value)))
    except ValueError:
        name = checks.COMPARISON_NAMES.get(ufunc.__name__, ufunc.__name__)
        checks.raise_if_not_broadcastable(name, a._data.shape, np.shape(value))
        raise


def negate(a: Tensor) -> Tensor:
    """``-a``; refused for bool tensors, as torch does.

    Examples
    --------
    >>> import tinygrad_lr as tg
    >>> negate(tg.tensor([1, -2]))
    tensor([-1,  2])
    """
    try:
        return ops.Neg.apply(a)
    except TypeError:  # NumPy refuses to negate bools
        raise RuntimeError(
            "Negation, the `-` operator, on a bool tensor is not supported. If you are trying "
            "to invert a mask, use the `~` operator instead."
        ) from None


def allclose(a: Tensor, b: Tensor, rtol: float, atol: float) -> bool:
    """Whether every element of ``a`` is close to ``b``'s (shapes that broadcast).

    Examples
    --------
    >>> import tinygrad_lr as tg
    >>> allclose(tg.tensor([1.0, 2.0]), tg.tensor([1.0, 2.0 + 1e-7]), 1e-5, 1e-8)
    True
    """
    try:
        return bool(np.allclose(a._data, b._data, rtol=rtol, atol=atol))
    except ValueError:
        checks.raise_if_not_broadcastable("allclose", a._data.shape, b._data.shape)
        raise
