"""Module-level forms of tensor methods, as torch has them: ``tinygrad_lr.matmul(a, b)`` is
``a.matmul(b)``; plus ``cat`` and ``stack``, which join several tensors.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from . import ops
from .arguments import normalize_dim
from .tensor import Tensor


def _check(input: Any, name: str) -> Tensor:
    if not isinstance(input, Tensor):
        raise TypeError(f"{name}(): argument 'input' must be Tensor, not {type(input).__name__}")
    return input


def matmul(input: Tensor, other: Tensor) -> Tensor:
    """Matrix product; see :meth:`Tensor.matmul`.

    Examples
    --------
    >>> import tinygrad_lr as tg
    >>> tg.matmul(tg.ones(2, 3), tg.ones(3, 1)).shape
    tinygrad_lr.Size([2, 1])
    """
    return _check(input, "matmul").matmul(other)


def mm(input: Tensor, mat2: Tensor) -> Tensor:
    """Product of two matrices.

    Examples
    --------
    >>> import tinygrad_lr as tg
    >>> tg.mm(tg.eye(2), tg.ones(2, 1))
    tensor([[1.],
            [1.]])
    """
    return _check(input, "mm").mm(mat2)


def sum(input: Tensor, dim: int | Sequence[int] | None = None, keepdim: bool = False) -> Tensor:
    """Sum over ``dim`` (all by default).

    Examples
    --------
    >>> import tinygrad_lr as tg
    >>> tg.sum(tg.ones(2, 3))
    tensor(6.)
    """
    return _check(input, "sum").sum(dim, keepdim)


def mean(input: Tensor, dim: int | Sequence[int] | None = None, keepdim: bool = False) -> Tensor:
    """Mean over ``dim`` (all by default).

    Examples
    --------
    >>> import tinygrad_lr as tg
    >>> tg.mean(tg.tensor([1.0, 2.0]))
    tensor(1.5000)
    """
    return _check(input, "mean").mean(dim, keepdim)


def _unary(name: str, doc_example: str) -> Any:
    def function(input: Tensor) -> Tensor:
        return getattr(_check(input, name), name)()

    function.__name__ = function.__qualname__ = name
    function.__doc__ = (
        f"Elementwise ``{name}``; see :meth:`Tensor.{name}`.\n\n"
        f"    Examples\n    --------\n    >>> import tinygrad_lr as tg\n{doc_example}"
    )
    return function


# Each is the method of the same name, called as a function; written once instead of seven
# near-identical definitions.
exp = _unary("exp", "    >>> tg.exp(tg.zeros(1))\n    tensor([1.])\n")
log = _unary("log", "    >>> tg.log(tg.ones(1))\n    tensor([0.])\n")
abs = _unary("abs", "    >>> tg.abs(tg.tensor([-2.0]))\n    tensor([2.])\n")
sqrt = _unary("sqrt", "    >>> tg.sqrt(tg.tensor([4.0]))\n    tensor([2.])\n")
relu = _unary("relu", "    >>> tg.relu(tg.tensor([-1.0, 2.0]))\n    tensor([0., 2.])\n")
sigmoid = _unary("sigmoid", "    >>> tg.sigmoid(tg.zeros(1))\n    tensor([0.5000])\n")
tanh = _unary("tanh", "    >>> tg.tanh(tg.zeros(1))\n    tensor([0.])\n")
square = _unary("square", "    >>> tg.square(tg.tensor([3.0]))\n    tensor([9.])\n")
neg = _unary("neg", "    >>> tg.neg(tg.tensor([3.0]))\n    tensor([-3.])\n")


def pow(input: Tensor, exponent: float) -> Tensor:
    """``input ** exponent`` for a number exponent.

    Examples
    --------
    >>> import tinygrad_lr as tg
    >>> tg.pow(tg.tensor([2.0]), 3)
    tensor([8.])
    """
    return _check(input, "pow").pow(exponent)


def add(input: Tensor, other: Any, alpha: float = 1) -> Tensor:
    """``input + alpha * other``.

    Examples
    --------
    >>> import tinygrad_lr as tg
    >>> tg.add(tg.ones(2), 1)
    tensor([2., 2.])
    """
    return _check(input, "add").add(other, alpha=alpha)


def sub(input: Tensor, other: Any, alpha: float = 1) -> Tensor:
    """``input - alpha * other``.

    Examples
    --------
    >>> import tinygrad_lr as tg
    >>> tg.sub(tg.ones(2), 1)
    tensor([0., 0.])
    """
    return _check(input, "sub").sub(other, alpha=alpha)


def mul(input: Tensor, other: Any) -> Tensor:
    """``input * other``, elementwise.

    Examples
    --------
    >>> import tinygrad_lr as tg
    >>> tg.mul(tg.ones(2), 3)
    tensor([3., 3.])
    """
    return _check(input, "mul").mul(other)


def div(input: Tensor, other: Any) -> Tensor:
    """``input / other``, elementwise.

    Examples
    --------
    >>> import tinygrad_lr as tg
    >>> tg.div(tg.ones(2), 4)
    tensor([0.2500, 0.2500])
    """
    return _check(input, "div").div(other)


def reshape(input: Tensor, shape: Sequence[int]) -> Tensor:
    """``input.reshape(shape)``.

    Examples
    --------
    >>> import tinygrad_lr as tg
    >>> tg.reshape(tg.arange(4), (2, 2)).shape
    tinygrad_lr.Size([2, 2])
    """
    return _check(input, "reshape").reshape(shape)


def transpose(input: Tensor, dim0: int, dim1: int) -> Tensor:
    """Swap two dimensions.

    Examples
    --------
    >>> import tinygrad_lr as tg
    >>> tg.transpose(tg.zeros(2, 3), 0, 1).shape
    tinygrad_lr.Size([3, 2])
    """
    return _check(input, "transpose").transpose(dim0, dim1)


def t(input: Tensor) -> Tensor:
    """Transpose a matrix.

    Examples
    --------
    >>> import tinygrad_lr as tg
    >>> tg.t(tg.zeros(2, 3)).shape
    tinygrad_lr.Size([3, 2])
    """
    return _check(input, "t").t()


def flatten(input: Tensor, start_dim: int = 0, end_dim: int = -1) -> Tensor:
    """Merge dimensions into one.

    Examples
    --------
    >>> import tinygrad_lr as tg
    >>> tg.flatten(tg.zeros(2, 3)).shape
    tinygrad_lr.Size([6])
    """
    return _check(input, "flatten").flatten(start_dim, end_dim)


def squeeze(input: Tensor, dim: int | None = None) -> Tensor:
    """Remove dimensions of size 1.

    Examples
    --------
    >>> import tinygrad_lr as tg
    >>> tg.squeeze(tg.zeros(3, 1)).shape
    tinygrad_lr.Size([3])
    """
    return _check(input, "squeeze").squeeze(dim)


def unsqueeze(input: Tensor, dim: int) -> Tensor:
    """Insert a dimension of size 1.

    Examples
    --------
    >>> import tinygrad_lr as tg
    >>> tg.unsqueeze(tg.zeros(3), 1).shape
    tinygrad_lr.Size([3, 1])
    """
    return _check(input, "unsqueeze").unsqueeze(dim)


def clone(input: Tensor) -> Tensor:
    """A copy that stays in the graph.

    Examples
    --------
    >>> import tinygrad_lr as tg
    >>> tg.clone(tg.ones(1))
    tensor([1.])
    """
    return _check(input, "clone").clone()


def numel(input: Tensor) -> int:
    """The number of elements.

    Examples
    --------
    >>> import tinygrad_lr as tg
    >>> tg.numel(tg.zeros(2, 3))
    6
    """
    return _check(input, "numel").numel()


def is_tensor(obj: Any) -> bool:
    """True if ``obj`` is a Tensor.

    Examples
    --------
    >>> import tinygrad_lr as tg
    >>> tg.is_tensor(tg.zeros(1)), tg.is_tensor([0.0])
    (True, False)
    """
    return isinstance(obj, Tensor)


def allclose(input: Tensor, other: Tensor, rtol: float = 1e-5, atol: float = 1e-8) -> bool:
    """True when all elements are close.

    Examples
    --------
    >>> import tinygrad_lr as tg
    >>> tg.allclose(tg.ones(2), tg.ones(2) + 1e-9)
    True
    """
    return _check(input, "allclose").allclose(other, rtol=rtol, atol=atol)


def argmax(input: Tensor, dim: int | None = None, keepdim: bool = False) -> Tensor:
    """Indices of the largest values.

    Examples
    --------
    >>> import tinygrad_lr as tg
    >>> tg.argmax(tg.tensor([1.0, 3.0, 2.0]))
    tensor(1)
    """
    return _check(input, "argmax").argmax(dim, keepdim)


def _joinable(tensors: Sequence[Tensor], name: str) -> list[Tensor]:
    if isinstance(tensors, Tensor) or not isinstance(tensors, (list, tuple)) or not tensors:
        raise TypeError(f"{name}() expects a non-empty list or tuple of tensors")
    tensors = [_check(t, name) for t in tensors]
    dtype = tensors[0].dtype
    if any(t.dtype is not dtype for t in tensors):
        raise RuntimeError(
            f"{name}(): all tensors must have the same dtype, got "
            f"{[str(t.dtype) for t in tensors]}; convert them first"
        )
    return tensors


def cat(tensors: Sequence[Tensor], dim: int = 0) -> Tensor:
    """Join tensors along an existing dimension.

    Examples
    --------
    >>> import tinygrad_lr as tg
    >>> tg.cat([tg.zeros(2, 1), tg.ones(3, 1)]).shape
    tinygrad_lr.Size([5, 1])
    """
    tensors = _joinable(tensors, "cat")
    for position, t in enumerate(tensors):
        if t.ndim == 0:
            raise RuntimeError(
                f"zero-dimensional tensor (at position {position}) cannot be concatenated; "
                "use stack to join scalars into a vector"
            )
    d = normalize_dim(dim, tensors[0].ndim)
    first = tensors[0].shape
    for t in tensors:
        if t.ndim != len(first) or any(
            a != b for i, (a, b) in enumerate(zip(t.shape, first)) if i != d
        ):
            raise RuntimeError(
                f"cat(): sizes of tensors must match except in dimension {d}; got shapes "
                f"{[tuple(x.shape) for x in tensors]}"
            )
    return ops.Cat.apply(d, *tensors)


def stack(tensors: Sequence[Tensor], dim: int = 0) -> Tensor:
    """Join tensors of one shape along a new dimension.

    Examples
    --------
    >>> import tinygrad_lr as tg
    >>> tg.stack([tg.zeros(2), tg.ones(2)]).shape
    tinygrad_lr.Size([2, 2])
    """
    tensors = _joinable(tensors, "stack")
    if any(t.shape != tensors[0].shape for t in tensors):
        raise RuntimeError(
            f"stack expects each tensor to be equal size, but got shapes "
            f"{[tuple(x.shape) for x in tensors]}"
        )
    d = normalize_dim(dim, tensors[0].ndim + 1)
    return ops.Stack.apply(d, *tensors)


__all__ = [
    "abs", "add", "allclose", "argmax", "cat", "clone", "div", "exp", "flatten", "is_tensor",
    "log", "matmul", "mean", "mm", "mul", "neg", "numel", "pow", "relu", "reshape", "sigmoid",
    "sqrt", "square", "squeeze", "stack", "sub", "sum", "t", "tanh", "transpose", "unsqueeze",
]  # fmt: skip
