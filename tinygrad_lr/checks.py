"""torch's error messages for shapes that do not fit: reshape, matmul, broadcasting, assignment.

Called once NumPy has refused an operation (or just before, where NumPy would silently accept what
torch refuses), so the ops themselves hold only their math.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .tensor import Tensor


def reshape_error(shape: tuple[int, ...], size: int) -> RuntimeError:
    """Why ``shape`` cannot hold ``size`` elements, in torch's words.

    Examples
    --------
    >>> str(reshape_error((4, -1), 6))[:44]
    "shape '[4, -1]' is invalid for input of size"
    """
    for index, dim in enumerate(shape):
        if dim < -1:
            return RuntimeError(
                f"invalid shape dimension {dim} at index {index} of shape {list(shape)}"
            )
    if shape.count(-1) > 1:
        return RuntimeError(
            f"only one dimension can be inferred (shape {list(shape)} has {shape.count(-1)} -1s)"
        )
    return RuntimeError(
        f"shape '{list(shape)}' is invalid for input of size {size}: the new shape must hold "
        "the same number of elements"
    )


def matmul_shape_error(shape_a: tuple[int, ...], shape_b: tuple[int, ...]) -> RuntimeError:
    """torch's message for operands that matmul cannot multiply.

    Examples
    --------
    >>> str(matmul_shape_error((3, 2), (3, 2)))[:50]
    'mat1 and mat2 shapes cannot be multiplied (3x2 and'
    """
    if not shape_a or not shape_b:
        return RuntimeError(
            f"both arguments to matmul need to be at least 1D, but they are {len(shape_a)}D "
            f"and {len(shape_b)}D"
        )
    inner_a = shape_a[-1]
    inner_b = shape_b[-2] if len(shape_b) > 1 else shape_b[0]
    if inner_a != inner_b:
        return RuntimeError(
            f"mat1 and mat2 shapes cannot be multiplied ({'x'.join(map(str, shape_a))} and "
            f"{'x'.join(map(str, shape_b))}): the last dimension of the first ({inner_a}) must "
            f"equal the {'first' if len(shape_b) == 1 else 'second-to-last'} dimension of the "
            f"second ({inner_b})"
        )
    return RuntimeError(
        f"matmul: batch dimensions of shapes {shape_a} and {shape_b} cannot be broadcast together"
    )


# The torch names of the comparisons, for error messages.
COMPARISON_NAMES = {
    "less": "lt", "less_equal": "le", "greater": "gt", "greater_equal": "ge", "equal": "eq",
    "not_equal": "ne", "bitwise_and": "and", "bitwise_or": "or",
}  # fmt: skip


def raise_if_not_assignable(target: tuple[int, ...], source: tuple[int, ...]) -> None:
    """Raise torch's RuntimeError when values of shape ``source`` cannot fill ``target``.

    As in broadcasting, shapes are aligned on the right, and each size of ``source`` must be 1
    or the size of ``target`` it lands on (1 where ``target`` has no dimension).

    Examples
    --------
    >>> raise_if_not_assignable((2, 3), (3,))  # a row fits every row: nothing raised
    """
    ndim = max(len(target), len(source))
    for offset in range(1, ndim + 1):
        size_t = target[-offset] if offset <= len(target) else 1
        size_s = source[-offset] if offset <= len(source) else 1
        if size_s not in (1, size_t):
            raise RuntimeError(
                f"index assignment: the expanded size of the tensor ({size_t}) must match the "
                f"existing size ({size_s}) at non-singleton dimension {ndim - offset}. Target "
                f"sizes: {list(target)}. Tensor sizes: {list(source)}"
            )


def raise_if_not_broadcastable(op: str, shape_a: tuple[int, ...], shape_b: tuple[int, ...]) -> None:
    """Raise torch's RuntimeError naming both shapes and the first dimension that clashes.

    Examples
    --------
    >>> raise_if_not_broadcastable("add", (10, 1), (10,))  # (10, 1) and (10,) broadcast
    """
    ndim = max(len(shape_a), len(shape_b))
    padded_a = (1,) * (ndim - len(shape_a)) + tuple(shape_a)
    padded_b = (1,) * (ndim - len(shape_b)) + tuple(shape_b)
    # Last dimension first: broadcasting aligns shapes from the right, and torch reports the
    # first clash it meets that way.
    for dim in reversed(range(ndim)):
        size_a, size_b = padded_a[dim], padded_b[dim]
        if size_a != size_b and 1 not in (size_a, size_b):
            raise RuntimeError(
                f"{op}: the size of tensor a ({size_a}) must match the size of tensor b ({size_b}) "
                f"at non-singleton dimension {dim}; shapes {tuple(shape_a)} and {tuple(shape_b)} "
                "cannot be broadcast together (reshape one, e.g. y.reshape(-1, 1))"
            )


def raise_unless_view(result: Tensor, tensor: Tensor) -> Tensor:
    """``tensor.view(...)``'s result, refused, as in torch, where the reshape had to copy.

    Examples
    --------
    >>> import tinygrad_lr as tg
    >>> raise_unless_view(tg.ones(2, 3).reshape(3, 2), None).shape
    tinygrad_lr.Size([3, 2])
    """
    if result._base is None and result._data.size > 1:
        raise RuntimeError(
            "view size is not compatible with input tensor's size and stride (at least one "
            "dimension spans across two contiguous subspaces). Use .reshape(...) instead."
        )
    return result
