"""Module-level forms of tensor methods, as torch has them: ``tinygrad_lr.matmul(a, b)`` is
``a.matmul(b)``; plus ``cat`` and ``stack``, which join several tensors.
"""

from __future__ import annotations

import builtins
import collections
import warnings
from collections.abc import Sequence
from typing import Any

import numpy as np

from . import dtypes, ops, promotion
from .arguments import (
    NUMBER_TYPES,
    normalize_dim,
    normalize_dims,
    parse_shape,
)
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


def pow(input: Tensor | float, exponent: Tensor | float) -> Tensor:
    """``input ** exponent``: a tensor to a tensor or number power, or a number to a tensor one.

    Examples
    --------
    >>> import tinygrad_lr as tg
    >>> tg.pow(tg.tensor([2.0]), 3), tg.pow(2, tg.tensor([3.0]))
    (tensor([8.]), tensor([8.]))
    """
    if isinstance(input, NUMBER_TYPES) and isinstance(exponent, Tensor):
        return promotion.power(exponent, input, reflected=True)  # pow(2, x) is 2 ** x
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


# ------------------------------------------------------------------ elementwise functions
# The methods of the same name, called as functions (see _unary above).
sin = _unary("sin", "    >>> tg.sin(tg.zeros(1))\n    tensor([0.])\n")
cos = _unary("cos", "    >>> tg.cos(tg.zeros(1))\n    tensor([1.])\n")
tan = _unary("tan", "    >>> tg.tan(tg.zeros(1))\n    tensor([0.])\n")
expm1 = _unary("expm1", "    >>> tg.expm1(tg.zeros(1))\n    tensor([0.])\n")
log1p = _unary("log1p", "    >>> tg.log1p(tg.zeros(1))\n    tensor([0.])\n")
log2 = _unary("log2", "    >>> tg.log2(tg.tensor([8.0]))\n    tensor([3.])\n")
log10 = _unary("log10", "    >>> tg.log10(tg.tensor([100.0]))\n    tensor([2.])\n")
rsqrt = _unary("rsqrt", "    >>> tg.rsqrt(tg.tensor([4.0]))\n    tensor([0.5000])\n")
reciprocal = _unary("reciprocal", "    >>> tg.reciprocal(tg.tensor([4.0]))\n    tensor([0.2500])\n")
erf = _unary("erf", "    >>> tg.erf(tg.zeros(1))\n    tensor([0.])\n")
sign = _unary("sign", "    >>> tg.sign(tg.tensor([-2.0, 0.0]))\n    tensor([-1.,  0.])\n")
floor = _unary("floor", "    >>> tg.floor(tg.tensor([-1.5]))\n    tensor([-2.])\n")
ceil = _unary("ceil", "    >>> tg.ceil(tg.tensor([-1.5]))\n    tensor([-1.])\n")


def round(input: Tensor, *, decimals: int = 0) -> Tensor:
    """Round to ``decimals`` places, halves to even; see :meth:`Tensor.round`.

    Examples
    --------
    >>> import tinygrad_lr as tg
    >>> tg.round(tg.tensor([0.5, 1.5, 2.5])), tg.round(tg.tensor([0.125]), decimals=2)
    (tensor([0., 2., 2.]), tensor([0.1200]))
    """
    return _check(input, "round").round(decimals=decimals)


def clamp(input: Tensor, min: Any = None, max: Any = None) -> Tensor:
    """Limit to ``[min, max]``; each bound a number, a tensor or None (also ``clip``).

    Examples
    --------
    >>> import tinygrad_lr as tg
    >>> tg.clamp(tg.tensor([-2.0, 0.5, 3.0]), min=0.0, max=1.0)
    tensor([0.0000, 0.5000, 1.0000])
    >>> tg.clip(tg.tensor([-2.0, 3.0]), max=tg.tensor([0.0, 5.0]))
    tensor([-2.,  3.])
    """
    return _check(input, "clamp").clamp(min, max)


clip = clamp  # torch's alias


def maximum(input: Tensor, other: Tensor) -> Tensor:
    """The larger of each pair of elements; see :meth:`Tensor.maximum`.

    Examples
    --------
    >>> import tinygrad_lr as tg
    >>> tg.maximum(tg.tensor([1.0, 4.0]), tg.tensor([3.0, 2.0]))
    tensor([3., 4.])
    """
    return _check(input, "maximum").maximum(other)


def minimum(input: Tensor, other: Tensor) -> Tensor:
    """The smaller of each pair of elements; see :meth:`Tensor.minimum`.

    Examples
    --------
    >>> import tinygrad_lr as tg
    >>> tg.minimum(tg.tensor([1.0, 4.0]), tg.tensor([3.0, 2.0]))
    tensor([1., 2.])
    """
    return _check(input, "minimum").minimum(other)


def where(condition: Tensor, input: Any = None, other: Any = None) -> Any:
    """``input`` where ``condition`` is True, else ``other`` (tensors or numbers, broadcast);
    with the condition alone, the indices of its True elements, one tensor per dimension.

    Examples
    --------
    >>> import tinygrad_lr as tg
    >>> x = tg.tensor([-1.0, 2.0, -3.0])
    >>> tg.where(x > 0, x, 0.0)
    tensor([0., 2., 0.])
    >>> tg.where(x > 0)
    (tensor([1]),)
    """
    if input is None and other is None:
        return tuple(Tensor._make(i) for i in _check(condition, "where")._data.nonzero())
    return promotion.where(condition, input, other)


def lerp(input: Tensor, end: Tensor, weight: Any) -> Tensor:
    """``input + weight * (end - input)``; see :meth:`Tensor.lerp`.

    Examples
    --------
    >>> import tinygrad_lr as tg
    >>> tg.lerp(tg.zeros(2), tg.ones(2), 0.25)
    tensor([0.2500, 0.2500])
    """
    return _check(input, "lerp").lerp(end, weight)


# ------------------------------------------------------------------ reductions
# max/min with a dim return (values, indices) as torch.return_types does; var, std and
# logsumexp are Tensor code over sum and mean, so their gradients come from those ops.
def return_type(name: str, fields: Sequence[str] = ("values", "indices")) -> Any:
    """A named tuple that prints as torch's ``torch.return_types.<name>`` does, one field a line
    (``linalg`` makes its results with it too).

    Examples
    --------
    >>> return_type("max")(1, 0)
    tinygrad_lr.return_types.max(
    values=1,
    indices=0)
    """
    base = collections.namedtuple(name, fields)

    def __repr__(self: Any) -> str:
        shown = ",\n".join(f"{field}={value!r}" for field, value in zip(fields, self))
        return f"tinygrad_lr.return_types.{name}(\n{shown})"

    return type(name, (base,), {"__slots__": (), "__repr__": __repr__,
                                "__module__": "tinygrad_lr.return_types"})  # fmt: skip


_MAX, _MIN = return_type("max"), return_type("min")


def _keepdim(keepdim: Any, name: str) -> bool:
    if not isinstance(keepdim, (bool, np.bool_)):
        raise TypeError(f"{name}(): argument 'keepdim' must be bool, not {type(keepdim).__name__}")
    return bool(keepdim)


def _nonempty(input: Tensor, dims: Any, name: str, error: type = RuntimeError) -> None:
    if dims is None and input.numel() == 0:
        hint = (
            " Specify the reduction dim with the 'dim' argument." if error is RuntimeError else ""
        )
        raise error(
            f"{name}(): Expected reduction dim to be specified for input.numel() == 0.{hint}"
        )
    for d in dims or ():
        if input.shape[d] == 0:
            raise IndexError(f"{name}(): Expected reduction dim {d} to have non-zero size.")


def _extreme(input: Tensor, dim: Any, keepdim: bool, name: str) -> Any:
    if isinstance(dim, Tensor):  # max(a, b): the elementwise maximum
        return promotion.maximum(input, dim, smaller=name == "min")
    op = ops.Amin if name == "min" else ops.Amax
    if dim is None:
        if keepdim is not False:
            raise TypeError(
                f"{name}() received an invalid combination of arguments: keepdim without dim"
            )
        _nonempty(_check(input, name), None, name)
        return op.apply(input, None, False)
    d = normalize_dim(dim, _check(input, name).ndim)
    _nonempty(input, (d,) if input.ndim else None, name, IndexError)
    keep = _keepdim(keepdim, name)
    flat = input.reshape(1) if input.ndim == 0 else input
    index = np.asarray(getattr(flat._data, "arg" + name)(axis=d, keepdims=True))
    values = flat.gather(d, Tensor._make(index))
    if input.ndim == 0:
        return (_MIN if name == "min" else _MAX)(
            values.reshape(()), Tensor._make(index.reshape(()))
        )
    if not keep:
        values, index = values.squeeze(d), index.squeeze(d)
    return (_MIN if name == "min" else _MAX)(values, Tensor._make(index))


def max(input: Tensor, dim: Any = None, keepdim: bool = False) -> Any:
    """The largest element (0-d); along ``dim``, ``(values, indices)``; with a tensor, maximum.

    Examples
    --------
    >>> import tinygrad_lr as tg
    >>> tg.max(tg.tensor([1.0, 3.0, 2.0]))
    tensor(3.)
    >>> tg.max(tg.tensor([[1.0, 3.0], [4.0, 2.0]]), 1).indices
    tensor([1, 0])
    """
    return _extreme(input, dim, keepdim, "max")


def min(input: Tensor, dim: Any = None, keepdim: bool = False) -> Any:
    """The smallest element (0-d); along ``dim``, ``(values, indices)``; with a tensor, minimum.

    Examples
    --------
    >>> import tinygrad_lr as tg
    >>> tg.min(tg.tensor([[1.0, 3.0], [4.0, 2.0]]), 0)
    tinygrad_lr.return_types.min(
    values=tensor([1., 2.]),
    indices=tensor([0, 1]))
    """
    return _extreme(input, dim, keepdim, "min")


def _amax(input: Tensor, dim: Any, keepdim: bool, name: str) -> Tensor:
    if dim is not None and not isinstance(dim, (int, np.integer, tuple, list)):
        raise TypeError(
            f"{name}(): argument 'dim' (position 1) must be tuple of ints, not {type(dim).__name__}"
        )
    dims = normalize_dims(dim, _check(input, name).ndim)
    _nonempty(input, dims, name)
    return (ops.Amin if name == "amin" else ops.Amax).apply(input, dims, _keepdim(keepdim, name))


def amax(input: Tensor, dim: int | Sequence[int] = (), keepdim: bool = False) -> Tensor:
    """The largest values over ``dim`` (all by default); ties share the gradient evenly.

    Examples
    --------
    >>> import tinygrad_lr as tg
    >>> tg.amax(tg.tensor([[1.0, 3.0], [4.0, 2.0]]), 1)
    tensor([3., 4.])
    """
    return _amax(input, dim, keepdim, "amax")


def amin(input: Tensor, dim: int | Sequence[int] = (), keepdim: bool = False) -> Tensor:
    """The smallest values over ``dim`` (all by default); ties share the gradient evenly.

    Examples
    --------
    >>> import tinygrad_lr as tg
    >>> tg.amin(tg.tensor([[1.0, 3.0], [4.0, 2.0]]))
    tensor(1.)
    """
    return _amax(input, dim, keepdim, "amin")


def argmin(input: Tensor, dim: int | None = None, keepdim: bool = False) -> Tensor:
    """Indices of the smallest values (the first of ties).

    Examples
    --------
    >>> import tinygrad_lr as tg
    >>> tg.argmin(tg.tensor([3.0, 1.0, 1.0]))
    tensor(1)
    """
    return _check(input, "argmin").argmin(dim, keepdim)


def _reduce_dtype(input: Tensor, dtype: Any) -> Tensor:
    if dtype is not None:
        return promotion.cast(
            input, dtypes.to_dtype(dtype) if not isinstance(dtype, dtypes.DType) else dtype
        )
    return promotion.cast(input, dtypes.int64) if input._data.dtype.kind in "biu" else input


def prod(
    input: Tensor, dim: int | None = None, keepdim: bool = False, *, dtype: Any = None
) -> Tensor:
    """Product over ``dim`` (an int; all elements by default); integers and bools give int64.

    Examples
    --------
    >>> import tinygrad_lr as tg
    >>> tg.prod(tg.tensor([[1.0, 2.0], [3.0, 4.0]]), 1)
    tensor([ 2., 12.])
    """
    if dim is not None and (isinstance(dim, bool) or not isinstance(dim, (int, np.integer))):
        raise TypeError(
            f"prod() received an invalid combination of arguments - got ({type(dim).__name__}), "
            "but expected (int dim, bool keepdim = False, *, torch.dtype dtype = None)"
        )
    d = None if dim is None or _check(input, "prod").ndim == 0 else normalize_dim(dim, input.ndim)
    if dim is not None and input.ndim == 0:
        normalize_dim(dim, 0)
    keep = _keepdim(keepdim, "prod")
    out = ops.Prod.apply(_reduce_dtype(input, dtype), d, keep if d is not None else False)
    return out.reshape([1] * input.ndim) if keep and d is None and dim is None else out


def cumsum(input: Tensor, dim: int, *, dtype: Any = None) -> Tensor:
    """Cumulative sums along ``dim``; integers and bools give int64.

    Examples
    --------
    >>> import tinygrad_lr as tg
    >>> tg.cumsum(tg.tensor([1, 2, 3]), 0)
    tensor([1, 3, 6])
    """
    d = normalize_dim(dim, _check(input, "cumsum").ndim)
    source = _reduce_dtype(input, dtype)
    return ops.Cumsum.apply(source, d) if input.ndim else source * 1


def var(
    input: Tensor,
    dim: Any = None,
    unbiased: Any = None,
    keepdim: bool = False,
    *,
    correction: Any = None,
) -> Tensor:
    """Variance over ``dim``: Σ(x - mean)² / max(N - correction, 0); correction is 1 unless
    ``correction=`` or ``unbiased=False`` (0) says otherwise.

    Examples
    --------
    >>> import tinygrad_lr as tg
    >>> x = tg.tensor([1.0, 2.0, 3.0])
    >>> tg.var(x), x.var(unbiased=False), x.var(0, True), x.var(correction=0)
    (tensor(1.), tensor(0.6667), tensor(1.), tensor(0.6667))
    """
    return _variance(input, dim, unbiased, keepdim, correction, "var")


def std(
    input: Tensor,
    dim: Any = None,
    unbiased: Any = None,
    keepdim: bool = False,
    *,
    correction: Any = None,
) -> Tensor:
    """Standard deviation over ``dim``: the square root of :func:`var`.

    Examples
    --------
    >>> import tinygrad_lr as tg
    >>> tg.std(tg.tensor([1.0, 2.0, 3.0]))
    tensor(1.)
    """
    return _variance(input, dim, unbiased, keepdim, correction, "std")


def var_mean(
    input: Tensor,
    dim: Any = None,
    unbiased: Any = None,
    keepdim: bool = False,
    *,
    correction: Any = None,
) -> tuple[Tensor, Tensor]:
    """``(var, mean)`` over ``dim``, with :func:`var`'s arguments.

    Examples
    --------
    >>> import tinygrad_lr as tg
    >>> tg.var_mean(tg.tensor([1.0, 2.0, 3.0]))
    (tensor(1.), tensor(2.))
    """
    out = var(input, dim, unbiased, keepdim, correction=correction)
    return out, input.mean(_variance_dims(input, dim), keepdim)


def std_mean(
    input: Tensor,
    dim: Any = None,
    unbiased: Any = None,
    keepdim: bool = False,
    *,
    correction: Any = None,
) -> tuple[Tensor, Tensor]:
    """``(std, mean)`` over ``dim``, with :func:`var`'s arguments.

    Examples
    --------
    >>> import tinygrad_lr as tg
    >>> tg.std_mean(tg.tensor([1.0, 2.0, 3.0]), unbiased=False)
    (tensor(0.8165), tensor(2.))
    """
    out = std(input, dim, unbiased, keepdim, correction=correction)
    return out, input.mean(_variance_dims(input, dim), keepdim)


def _variance_dims(input: Tensor, dim: Any) -> Any:
    return None if isinstance(dim, bool) else normalize_dims(dim, input.ndim)


def _variance(
    input: Tensor, dim: Any, unbiased: Any, keepdim: Any, correction: Any, name: str
) -> Tensor:
    if isinstance(dim, bool):  # the legacy form x.var(False): unbiased
        dim, unbiased = None, dim if unbiased is None else unbiased
    bad = (
        (unbiased is not None and (correction is not None or not isinstance(unbiased, bool)))
        or (
            correction is not None
            and (isinstance(correction, str) or not isinstance(correction, NUMBER_TYPES))
        )
        or not isinstance(keepdim, bool)
    )
    if bad:
        raise TypeError(
            f"{name}() received an invalid combination of arguments, but "
            "expected one of: (tuple of ints dim, bool "
            "unbiased = True, bool keepdim = False), (tuple of ints dim = None, "
            "*, Number correction = None, bool keepdim = False)"
        )
    if _check(input, name)._data.dtype.kind != "f":
        raise RuntimeError("std and var only support floating point and complex dtypes")
    c = (0 if unbiased is False else 1) if correction is None else correction
    dims = _variance_dims(input, dim)
    x = input.float() if input._data.dtype == np.float16 else input  # as torch: in float32
    n = x.numel() if dims is None else int(np.prod([x.shape[d] for d in dims]))
    divisor = builtins.max(n - c, 0)
    if divisor == 0:
        warnings.warn(
            f"{name}(): degrees of freedom is <= 0. Correction should be strictly less than "
            "the reduction factor (input numel divided by output numel).",
            UserWarning,
            stacklevel=3,
        )
    deviation = x - x.mean(dims, keepdim=True)
    with np.errstate(divide="ignore", invalid="ignore"):
        out = (deviation * deviation).sum(dims, keepdim) * (
            1 / divisor if divisor else float("inf")
        )
        out = ops.Std.apply(out) if name == "std" else out
    return out.to(input.dtype)


def logsumexp(input: Tensor, dim: int | Sequence[int], keepdim: bool = False) -> Tensor:
    """log Σ exp(x) over ``dim``, computed as m + log Σ exp(x - m) with m the largest x (0 where
    it is infinite), so that large inputs do not overflow.

    Examples
    --------
    >>> import tinygrad_lr as tg
    >>> tg.logsumexp(tg.tensor([1000.0, 1000.0]), 0)
    tensor(1000.6932)
    """
    if dim is None or isinstance(dim, (bool, float, str)):
        raise TypeError(
            "logsumexp(): argument 'dim' (position 1) must be "
            f"tuple of ints, not {type(dim).__name__}"
        )
    dims = normalize_dims(dim, _check(input, "logsumexp").ndim)
    keep = _keepdim(keepdim, "logsumexp")
    x = input if input._data.dtype.kind == "f" else input.float()
    if x.numel():
        m = np.amax(x._data, axis=dims, keepdims=True)
        m = Tensor._make(np.where(np.isinf(m), 0, m).astype(x._data.dtype))
    else:
        m = Tensor._make(np.zeros((), x._data.dtype))
    with np.errstate(divide="ignore"):
        out = (x - m).exp().sum(dims, True).log() + m
    if not keep:
        out = out.reshape(
            [s for i, s in enumerate(out.shape) if dims is not None and i not in dims]
        )
    return out


def norm(
    input: Tensor,
    p: Any = "fro",
    dim: int | Sequence[int] | None = None,
    keepdim: bool = False,
    dtype: Any = None,
) -> Tensor:
    """torch's older norm: a vector norm of order ``p`` over ``dim`` (every element by
    default; ``"fro"`` is the 2-norm), or the nuclear norm of matrices (``p="nuc"``).

    Examples
    --------
    >>> import tinygrad_lr as tg
    >>> tg.norm(tg.tensor([[3.0, 0.0], [0.0, -4.0]])), tg.tensor([3.0, -4.0]).norm(1)
    (tensor(5.), tensor(7.))
    """
    from . import linalg  # linalg builds on these functions

    if p == "nuc":
        return linalg.matrix_norm(input, "nuc", (-2, -1) if dim is None else dim, keepdim)
    if isinstance(p, str) and p != "fro":
        raise RuntimeError(f"norm(): p must be 'fro', 'nuc' or a number, got {p!r}")
    order = 2 if p == "fro" else p
    return linalg.vector_norm(input, order, dim, keepdim, dtype=dtype)


# ------------------------------------------------------------------ shape and joining
# Each composes an existing op where that is exact: split, chunk and narrow are slices (views
# that backpropagate through Index), movedim is a permute, outer a broadcast product.
def _dim(input: Tensor, dim: int, name: str) -> int:
    return normalize_dim(dim, _check(input, name).ndim)


def _int64_index(index: Any, name: str, dtypes: tuple[str, ...] = ("int64",)) -> Any:
    if not isinstance(index, Tensor):
        raise TypeError(f"{name}(): argument 'index' must be Tensor, not {type(index).__name__}")
    if str(index.dtype).removeprefix("tinygrad_lr.") not in dtypes:
        wanted = " or ".join(dtypes)
        raise RuntimeError(
            f"{name}(): Expected dtype {wanted} for index (got {index.dtype}); "
            "make it with dtype=tinygrad_lr.long or convert it with .long()"
        )
    return index._data


def repeat(input: Tensor, *sizes: int | Sequence[int]) -> Tensor:
    """``input`` tiled ``sizes[i]`` times along dimension i (``Tensor.repeat``).

    Examples
    --------
    >>> import tinygrad_lr as tg
    >>> tg.functions.repeat(tg.tensor([1, 2]), 2)
    tensor([1, 2, 1, 2])
    """
    repeats = tuple(int(n) for n in parse_shape(sizes, "repeats"))
    if len(repeats) < _check(input, "repeat").ndim:
        raise RuntimeError(
            "Number of dimensions of repeat dims can not be smaller than number of dimensions "
            f"of tensor (got {len(repeats)} sizes for {input.ndim} dimensions)"
        )
    if builtins.min(repeats, default=0) < 0:
        raise RuntimeError(f"Trying to create tensor with negative dimension: {repeats}")
    return ops.Repeat.apply(input, repeats)


def flip(input: Tensor, dims: int | Sequence[int]) -> Tensor:
    """Reverse the order of the elements along ``dims``.

    Examples
    --------
    >>> import tinygrad_lr as tg
    >>> tg.flip(tg.tensor([1, 2, 3]), 0)
    tensor([3, 2, 1])
    """
    axes = normalize_dims(dims, _check(input, "flip").ndim) or ()
    return ops.Flip.apply(input, axes)


def narrow(input: Tensor, dim: int, start: int, length: int) -> Tensor:
    """Elements ``start`` to ``start + length`` along ``dim`` (a view).

    Examples
    --------
    >>> import tinygrad_lr as tg
    >>> tg.narrow(tg.arange(5), 0, 1, 2)
    tensor([1, 2])
    """
    dim = _dim(input, dim, "narrow")
    size = input.shape[dim]
    start = start + size if start < 0 else start
    if not 0 <= start <= size or length < 0 or start + length > size:
        raise RuntimeError(
            f"start ({start}) + length ({length}) exceeds dimension size ({size}) or is negative"
        )
    return input[(slice(None),) * dim + (slice(start, start + length),)]


def split(
    tensor: Tensor, split_size_or_sections: int | Sequence[int], dim: int = 0
) -> tuple[Tensor, ...]:
    """Pieces of ``split_size_or_sections`` elements each along ``dim`` (the last may be
    smaller), or of the sizes listed; views of ``tensor``.

    Examples
    --------
    >>> import tinygrad_lr as tg
    >>> tg.split(tg.arange(5), 2)
    (tensor([0, 1]), tensor([2, 3]), tensor([4]))
    >>> [p.shape[0] for p in tg.split(tg.arange(5), [1, 4])]
    [1, 4]
    """
    dim = _dim(tensor, dim, "split")
    size = tensor.shape[dim]
    if isinstance(split_size_or_sections, (int, np.integer)):
        step = int(split_size_or_sections)
        if step < 0 or (step == 0 and size):
            raise RuntimeError(f"split expects split_size be non-negative, but got {step}")
        sections = [builtins.min(step, size - s) for s in range(0, size, step)] if size else [0]
    else:
        sections = [int(n) for n in split_size_or_sections]
        if builtins.sum(sections) != size or builtins.min(sections, default=0) < 0:
            raise RuntimeError(
                f"split_with_sizes expects split_sizes to sum exactly to {size} (input tensor's "
                f"size at dimension {dim}), but got split_sizes={sections}"
            )
    pieces, start = [], 0
    for n in sections:
        pieces.append(narrow(tensor, dim, start, n))
        start += n
    return tuple(pieces)


def chunk(input: Tensor, chunks: int, dim: int = 0) -> tuple[Tensor, ...]:
    """At most ``chunks`` pieces of equal size (the last may be smaller) along ``dim``.

    Examples
    --------
    >>> import tinygrad_lr as tg
    >>> tg.chunk(tg.arange(5), 2)
    (tensor([0, 1, 2]), tensor([3, 4]))
    """
    if chunks <= 0:
        raise RuntimeError(f"chunk expects `chunks` to be greater than 0, got: {chunks}")
    size = input.shape[_dim(input, dim, "chunk")]
    return split(input, -(-size // chunks) if size else [0] * chunks, dim)


def gather(input: Tensor, dim: int, index: Tensor) -> Tensor:
    """``out[..., i, ...] = input[..., index[..., i, ...], ...]`` along ``dim``.

    Examples
    --------
    >>> import tinygrad_lr as tg
    >>> tg.gather(tg.tensor([[1, 2], [3, 4]]), 1, tg.tensor([[1], [0]]))
    tensor([[2],
            [3]])
    """
    dim = _dim(input, dim, "gather")
    index_data = _int64_index(index, "gather", ("int32", "int64"))
    if index_data.ndim != input.ndim and input.ndim and index_data.ndim:
        raise RuntimeError("Index tensor must have the same number of dimensions as input tensor")
    bad = [d for d in range(index_data.ndim) if d != dim and index_data.shape[d] > input.shape[d]]
    if bad:
        raise RuntimeError(
            f"Size does not match at dimension {bad[0]} expected index {list(index.shape)} to be "
            f"no larger than self {list(input.shape)} apart from dimension {dim}"
        )
    if index_data.size and not (-1 < index_data.min() and index_data.max() < input.shape[dim]):
        raise RuntimeError(
            f"index out of range in gather: dimension {dim} has size {input.shape[dim]}"
        )
    return ops.Gather.apply(input, dim, index_data)


def index_select(input: Tensor, dim: int, index: Tensor) -> Tensor:
    """The entries ``index`` (a 1-D integer tensor) of ``input`` along ``dim``.

    Examples
    --------
    >>> import tinygrad_lr as tg
    >>> tg.index_select(tg.tensor([[1, 2], [3, 4]]), 1, tg.tensor([1, 1]))
    tensor([[2, 2],
            [4, 4]])
    """
    dim = _dim(input, dim, "index_select")
    index_data = _int64_index(index, "index_select", ("int32", "int64"))
    if index_data.ndim > 1:
        raise IndexError("index_select(): Index is supposed to be a vector")
    if index_data.size and not (-1 < index_data.min() and index_data.max() < input.shape[dim]):
        raise IndexError(f"index out of range in self: dimension {dim} has size {input.shape[dim]}")
    return input[(slice(None),) * dim + (index_data.reshape(-1).astype(np.int64),)]


def masked_fill(input: Tensor, mask: Tensor, value: Tensor | float) -> Tensor:
    """``value`` where ``mask`` (a bool tensor, broadcast) is True, ``input`` elsewhere.

    Examples
    --------
    >>> import tinygrad_lr as tg
    >>> tg.masked_fill(tg.tensor([1.0, 2.0]), tg.tensor([True, False]), 0.0)
    tensor([0., 2.])
    """
    if not isinstance(mask, Tensor) or mask._data.dtype != np.bool_:
        got = mask.dtype if isinstance(mask, Tensor) else type(mask).__name__
        raise RuntimeError(
            f"masked_fill_ only supports boolean masks, but got mask with dtype {got}; "
            "compare to make one (x > 0) or convert it with .bool()"
        )
    if isinstance(value, Tensor) and value.ndim:
        raise RuntimeError(
            "masked_fill_ only supports a 0-dimensional value tensor, but got tensor with "
            f"{value.ndim} dimension(s)."
        )
    if np.broadcast_shapes(mask.shape, _check(input, "masked_fill").shape) != input.shape:
        raise RuntimeError(
            f"The size of the mask {tuple(mask.shape)} must broadcast to the input's shape "
            f"{tuple(input.shape)}"
        )
    if isinstance(value, Tensor):
        value = value.to(input.dtype)
    else:
        promotion._fits(value, input.dtype, "masked_fill")
    return ops.MaskedFill.apply(input, mask._data, value)


def _triangle(op: Any, input: Tensor, diagonal: int, name: str) -> Tensor:
    if _check(input, name).ndim < 2:
        raise RuntimeError(f"{name}: input tensor must have at least 2 dimensions")
    return op.apply(input, int(diagonal))


def tril(input: Tensor, diagonal: int = 0) -> Tensor:
    """Zero the elements above diagonal ``diagonal`` of the last two dimensions.

    Examples
    --------
    >>> import tinygrad_lr as tg
    >>> tg.tril(tg.ones(2, 2))
    tensor([[1., 0.],
            [1., 1.]])
    """
    return _triangle(ops.Tril, input, diagonal, "tril")


def triu(input: Tensor, diagonal: int = 0) -> Tensor:
    """Zero the elements below diagonal ``diagonal`` of the last two dimensions.

    Examples
    --------
    >>> import tinygrad_lr as tg
    >>> tg.triu(tg.ones(2, 2))
    tensor([[1., 1.],
            [0., 1.]])
    """
    return _triangle(ops.Triu, input, diagonal, "triu")


def diag(input: Tensor, diagonal: int = 0) -> Tensor:
    """A 1-D tensor placed on diagonal ``diagonal`` of a square matrix; or a matrix's diagonal.

    Examples
    --------
    >>> import tinygrad_lr as tg
    >>> tg.diag(tg.tensor([1, 2]))
    tensor([[1, 0],
            [0, 2]])
    >>> tg.diag(tg.tensor([[1, 2], [3, 4]]), 1)
    tensor([2])
    """
    k = int(diagonal)
    if _check(input, "diag").ndim == 1:
        n = input.shape[0] + builtins.abs(k)
        rows = np.arange(input.shape[0]) + builtins.max(-k, 0)
        zeros = Tensor._make(np.zeros((n, n), dtype=input._data.dtype))
        return ops.IndexPut.apply(zeros, input, ((rows, rows + k),), True)
    if input.ndim != 2:
        raise RuntimeError(f"diag(): Supports 1D or 2D tensors. Got {input.ndim}D")
    rows, cols = input.shape
    length = builtins.max(builtins.min(rows - builtins.max(-k, 0), cols - builtins.max(k, 0)), 0)
    start = np.arange(length)
    return input[start + builtins.max(-k, 0), start + builtins.max(k, 0)]


def outer(input: Tensor, vec2: Tensor) -> Tensor:
    """``out[i, j] = input[i] * vec2[j]`` for 1-D tensors.

    Examples
    --------
    >>> import tinygrad_lr as tg
    >>> tg.outer(tg.tensor([1, 2]), tg.tensor([1, 10]))
    tensor([[ 1, 10],
            [ 2, 20]])
    """
    vec2 = _check(vec2, "outer")
    if _check(input, "outer").ndim != 1 or vec2.ndim != 1:
        raise RuntimeError(
            f"outer: expected 1-D tensors, but got {input.ndim}-D and {vec2.ndim}-D; "
            "flatten them first"
        )
    return input.unsqueeze(1) * vec2


def einsum(equation: str, *operands: Tensor | Sequence[Tensor]) -> Tensor:
    """Einstein summation of one or two operands, one letter per dimension (``"ij,jk->ik"``;
    without ``->``, the output is the letters used once, in alphabetical order).

    Examples
    --------
    >>> import tinygrad_lr as tg
    >>> tg.einsum("ij,j->i", tg.ones(2, 3), tg.tensor([1.0, 2.0, 3.0]))
    tensor([6., 6.])
    """
    if len(operands) == 1 and isinstance(operands[0], (list, tuple)):
        operands = tuple(operands[0])
    spec = equation.replace(" ", "")
    if "->" not in spec:
        letters = spec.replace(",", "")
        spec += "->" + "".join(sorted(c for c in set(letters) if letters.count(c) == 1))
    inputs, output = spec.split("->")[0].split(","), spec.split("->")[1]
    if "." in spec or not len(inputs) == len(operands) or len(operands) > 2:
        raise NotImplementedError(
            f"einsum(): {equation!r} with {len(operands)} operand(s): supported are one or two "
            "operands, one letter per dimension (no '...'), one subscript per operand"
        )
    for letters, operand in zip(inputs, operands):
        if len(set(letters)) != len(letters):
            raise NotImplementedError(
                "einsum(): a letter repeated within one operand (a diagonal) is not supported; "
                "take it with tinygrad_lr.diag first"
            )
        if len(letters) != _check(operand, "einsum").ndim:
            raise RuntimeError(
                f"einsum(): the number of subscripts in the equation ({len(letters)}) does not "
                f"match the number of dimensions ({operand.ndim}) for operand and no ellipsis "
                "was given"
            )
    sizes: dict[str, int] = {}
    for letters, operand in zip(inputs, operands):
        for c, n in zip(letters, operand.shape):
            if sizes.setdefault(c, n) != n:
                raise RuntimeError(
                    f"einsum(): operands do not broadcast with remapped shapes: subscript {c!r} "
                    f"has size {sizes[c]} and {n}"
                )
    if set(output) - set("".join(inputs)) or len(set(output)) != len(output):
        raise RuntimeError(f"einsum(): invalid output subscripts {output!r}")
    summed = len(inputs) == 2 and set(inputs[0]) & set(inputs[1]) - set(output)
    if summed and operands[0].dtype != operands[1].dtype:  # torch promotes only without one
        raise RuntimeError(
            f"einsum(): expected operands of one dtype, but got {operands[0].dtype} and "
            f"{operands[1].dtype} with a letter summed over both; convert one first, e.g. .float()"
        )
    return ops.Einsum.apply(spec, *_same_dtype(operands))


def _same_dtype(operands: Sequence[Tensor]) -> list[Tensor]:
    """The operands in their common dtype, by torch's promotion rules."""
    dtype = promotion.result_dtype(*operands)
    return [promotion.cast(o, dtype) for o in operands]


def movedim(input: Tensor, source: int | Sequence[int], destination: int | Sequence[int]) -> Tensor:
    """Move dimensions ``source`` to positions ``destination``, the others keeping their order.

    Examples
    --------
    >>> import tinygrad_lr as tg
    >>> tg.movedim(tg.zeros(2, 3, 4), 0, -1).shape
    tinygrad_lr.Size([3, 4, 2])
    """
    ndim = _check(input, "movedim").ndim
    src = [source] if isinstance(source, (int, np.integer)) else list(source)
    dst = [destination] if isinstance(destination, (int, np.integer)) else list(destination)
    if len(src) != len(dst):
        raise RuntimeError(
            f"movedim: Invalid source or destination dims: source ({src} dims) should contain "
            f"the same number of dims as destination ({dst} dims)"
        )
    src = [normalize_dim(d, ndim) for d in src]
    dst = [normalize_dim(d, ndim) for d in dst]
    if len(set(src)) != len(src) or len(set(dst)) != len(dst):
        raise RuntimeError(f"movedim: repeated dim in `source` ({src}) or `destination` ({dst})")
    rest = iter(d for d in range(ndim) if d not in src)
    placed = dict(zip(dst, src))
    return input.permute([placed[i] if i in placed else next(rest) for i in range(ndim)])


# ------------------------------------------------------------------ linear algebra


__all__ = [
    "abs", "add", "allclose", "argmax", "cat", "clone", "div", "exp", "flatten", "is_tensor",
    "log", "matmul", "mean", "mm", "mul", "neg", "numel", "pow", "relu", "reshape", "sigmoid",
    "sqrt", "square", "squeeze", "stack", "sub", "sum", "t", "tanh", "transpose", "unsqueeze",
    # elementwise functions
    "ceil", "clamp", "clip", "cos", "erf", "expm1", "floor", "lerp", "log10", "log1p", "log2",
    "maximum", "minimum", "reciprocal", "round", "rsqrt", "sign", "sin", "tan", "where",
    # reductions
    "amax", "amin", "argmin", "cumsum", "logsumexp", "max", "min", "norm", "prod", "std",
    "std_mean", "var", "var_mean",
    # shape and joining
    "chunk", "diag", "einsum", "flip", "gather", "index_select", "masked_fill", "movedim", "narrow",
    "outer", "split", "tril", "triu",
    # linear algebra
]  # fmt: skip
