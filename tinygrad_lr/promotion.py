"""torch's rules for the operands of an op: dtype promotion, and what is refused.

``int64 + float32`` is float32, ``x / 2`` of an integer tensor is float32, a Python number never
widens a tensor's dtype, ``matmul`` refuses mixed dtypes. :func:`binary` brings both operands to
the result's dtype (with recorded casts, so gradients flow back in each operand's own dtype),
then applies the op; :func:`power`, :func:`matmul`, :func:`compare` and :func:`negate` do the same
for their ops. Errors name both shapes or dtypes.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from . import checks, dtypes, ops
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
    except TypeError:  # NumPy refuses bool - bool
        if function is ops.Sub and a._data.dtype == np.bool_:
            raise RuntimeError(
                "Subtraction, the `-` operator, with two bool tensors is not supported; for their "
                "exclusive or, use a != b"
            ) from None
        raise


def _result_dtype(a: Tensor, b: Any, floating: bool) -> dtypes.DType:
    """torch's result dtype of ``a`` op ``b``; division of integers gives float32."""
    dtype = dtypes.result_type(a, b)
    return dtypes.DEFAULT_FLOAT if floating and not dtype.is_floating_point else dtype


def data_of(x: Any) -> Any:
    """The array behind a tensor; anything else as it is.

    Examples
    --------
    >>> import tinygrad_lr as tg
    >>> data_of(tg.tensor([1.0])), data_of(2)
    (array([1.], dtype=float32), 2)
    """
    return x._data if isinstance(x, Tensor) else x


def power(base: Tensor, exponent: Any) -> Tensor:
    """``base ** exponent`` for a number exponent (or a 0-d tensor holding one).

    Examples
    --------
    >>> import tinygrad_lr as tg
    >>> power(tg.tensor([1, 2]), 2), power(tg.tensor([1, 2]), 0.5).dtype
    (tensor([1, 4]), tinygrad_lr.float32)
    """
    if type(exponent) in (int, float) and base._data.dtype.kind == "f":
        return ops.Pow.apply(base, exponent)  # x ** 2 in a loss: nothing to promote
    if isinstance(exponent, Tensor):
        if exponent.ndim != 0:
            raise TypeError(
                "pow: the exponent must be a number; tensor exponents are not supported "
                "(write exp(exponent * log(base)) for a differentiable one)"
            )
        exponent = exponent.item()
    if not isinstance(exponent, NUMBER_TYPES):
        raise TypeError(f"pow: the exponent must be a number, got {type(exponent).__name__}")
    exponent = exponent.item() if isinstance(exponent, np.generic) else exponent
    if base._data.dtype.kind != "f":  # a number never changes a floating tensor's dtype
        base = base._cast(dtypes.result_type(base, exponent))
        if base._data.dtype.kind in "iu" and exponent < 0:
            raise RuntimeError(
                "Integers to negative integer powers are not allowed; convert first, e.g. "
                "x.float() ** -1"
            )
    return ops.Pow.apply(base, exponent)


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
    return Tensor._make(np.invert(a._data))


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
    elif method is not None:
        raise TypeError(
            f"{method}(): argument 'other' must be a Tensor or a number, not {type(b).__name__}"
        )
    else:
        return NotImplemented
    try:
        return Tensor._make(np.asarray(ufunc(a._data, value)))
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
