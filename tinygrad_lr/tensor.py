"""``Tensor``: a NumPy array that remembers how it was computed.

A tensor holds its data (a NumPy array), and, when it requires grad, the node of the graph that
produced it (``grad_fn``, None for a leaf) and the gradient accumulated into it (``grad``).
Every differentiable method here is a thin wrapper that calls a ``Function`` from
:mod:`tinygrad_lr.ops`; the methods' job is torch's argument handling and dtype rules.
"""

from __future__ import annotations

import math
import warnings
import weakref
from collections.abc import Iterator, Sequence
from typing import Any

import numpy as np

from . import dtypes
from .dtypes import DType
from .grad_mode import _state as _grad_state

_NUMBER_TYPES = (int, float, bool, np.number, np.bool_)


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


def _parse_shape(args: tuple[Any, ...], what: str = "shape") -> tuple[int, ...]:
    """Accept sizes as varargs ``(2, 3)`` or as one sequence ``((2, 3),)``, as torch does."""
    if len(args) == 1 and isinstance(args[0], (tuple, list)):
        args = tuple(args[0])
    for size in args:
        if isinstance(size, bool) or not isinstance(size, (int, np.integer)):
            raise TypeError(
                f"{what} must be ints, given as separate arguments or one tuple, got {args!r}"
            )
    return tuple(int(size) for size in args)


def _normalize_dim(dim: int, ndim: int) -> int:
    """A dimension index in range(ndim); negative counts from the end. IndexError as torch."""
    if isinstance(dim, bool) or not isinstance(dim, (int, np.integer)):
        raise TypeError(f"dim must be an int (or a tuple of ints), not {type(dim).__name__}")
    low, high = (-ndim, ndim - 1) if ndim else (-1, 0)
    if not low <= dim <= high:
        raise IndexError(
            f"Dimension out of range (expected to be in range of [{low}, {high}], but got {dim})"
        )
    return int(dim) % max(ndim, 1)


def _normalize_dims(dim: Any, ndim: int) -> tuple[int, ...] | None:
    """None (all dimensions) or a tuple of distinct dimension indices."""
    if dim is None:
        return None
    dims = tuple(dim) if isinstance(dim, (tuple, list)) else (dim,)
    if not dims:  # torch reduces over every dimension when given an empty list
        return None
    normalized = tuple(_normalize_dim(d, ndim) for d in dims)
    if ndim == 0:  # a 0-d tensor's only dimension (0 or -1) is the tensor itself, as in torch
        return None
    if len(set(normalized)) != len(normalized):
        raise RuntimeError(f"dim {dim} appears multiple times in the list of dims")
    return normalized


def _check_keepdim(keepdim: Any) -> bool:
    if not isinstance(keepdim, (bool, np.bool_)):
        raise TypeError(f"argument 'keepdim' must be bool, not {type(keepdim).__name__}")
    return bool(keepdim)


class Tensor:
    """A multi-dimensional array with reverse-mode automatic differentiation.

    Create tensors with :func:`tinygrad_lr.tensor`, :func:`tinygrad_lr.zeros` and friends;
    ``Tensor(data)`` is torch's legacy constructor and always gives float32.

    Examples
    --------
    >>> import tinygrad_lr as tg
    >>> w = tg.tensor([1.0, 2.0], requires_grad=True)
    >>> loss = (w * w).sum()
    >>> loss.backward()
    >>> w.grad
    tensor([2., 4.])
    """

    __slots__ = ("_data", "_grad", "_requires_grad", "grad_fn", "__weakref__")
    # NumPy defers to a higher priority: ``ndarray * tensor`` calls Tensor.__rmul__ and so
    # returns a tensor that keeps the graph, instead of a plain array.
    __array_priority__ = 1000

    def __init__(self, data: Any, requires_grad: bool = False) -> None:
        try:
            array = np.array(data.detach()._data if isinstance(data, Tensor) else data)
        except ValueError:
            raise ValueError(
                "Tensor() needs rectangular data: every row of a nested list must have the "
                "same length"
            ) from None
        if array.dtype.kind not in "biuf":
            raise TypeError(f"Tensor() needs numeric data, got {type(data).__name__}")
        self._data = array.astype(np.float32)
        self._grad = None
        self._requires_grad = False
        self.grad_fn = None
        if requires_grad:
            self.requires_grad_()

    @classmethod
    def _make(cls, array: np.ndarray, requires_grad: bool = False) -> Tensor:
        """Wrap an array without copying or checking it (the library's internal constructor)."""
        tensor = object.__new__(cls)
        tensor._data = array
        tensor._grad = None
        tensor._requires_grad = requires_grad
        tensor.grad_fn = None
        return tensor

    # ------------------------------------------------------------------ attributes
    @property
    def data(self) -> Tensor:
        """The same values as a tensor outside the graph, sharing memory (torch's ``.data``)."""
        return Tensor._make(self._data)

    @data.setter
    def data(self, value: Tensor) -> None:
        if not isinstance(value, Tensor):
            raise TypeError(f"data must be set to a Tensor, got {type(value).__name__}")
        self._data = value._data

    @property
    def grad(self) -> Tensor | None:
        """The gradient accumulated by ``backward()``: leaves, and non-leaves that retain_grad."""
        if self._grad is None and self.grad_fn is not None and self.grad_fn._retained is None:
            warnings.warn(
                "The .grad attribute of a Tensor that is not a leaf Tensor is being accessed. Its "
                ".grad attribute won't be populated during backward(). If you want it, call "
                ".retain_grad() on the non-leaf Tensor before backward; if you meant the leaf "
                "Tensor (the one created with requires_grad=True), access that one instead.",
                UserWarning,
                stacklevel=2,
            )
        return self._grad

    @grad.setter
    def grad(self, value: Tensor | None) -> None:
        if value is not None:
            if not isinstance(value, Tensor):
                raise TypeError(
                    f"assigned grad must be a Tensor or None, got {type(value).__name__}"
                )
            if value.shape != self.shape:
                raise RuntimeError(
                    f"assigned grad has data of a different size: {tuple(value.shape)} for a "
                    f"tensor of shape {tuple(self.shape)}"
                )
            if value._data.dtype != self._data.dtype:
                raise RuntimeError(
                    f"assigned grad has dtype {value.dtype}, but the tensor has dtype {self.dtype}"
                )
        self._grad = value

    @property
    def requires_grad(self) -> bool:
        """Whether operations on this tensor are recorded for backward."""
        return self._requires_grad

    @requires_grad.setter
    def requires_grad(self, value: bool) -> None:
        if self.grad_fn is not None and not value:
            raise RuntimeError(
                "you can only change requires_grad flags of leaf variables. If you want to use a "
                "computed variable in a subgraph that doesn't require differentiation use "
                "var_no_grad = var.detach()."
            )
        self.requires_grad_(value)

    @property
    def is_leaf(self) -> bool:
        """True unless the tensor was computed by a recorded operation."""
        return self.grad_fn is None

    @property
    def shape(self) -> Size:
        """The size of each dimension, as a :class:`Size`."""
        return Size(self._data.shape)

    @property
    def ndim(self) -> int:
        """The number of dimensions."""
        return self._data.ndim

    @property
    def dtype(self) -> DType:
        """The element type, e.g. ``tinygrad_lr.float32``."""
        return dtypes.from_numpy_dtype(self._data.dtype)

    @property
    def device(self) -> str:
        """Always ``"cpu"``: NumPy computes on the CPU."""
        return "cpu"

    @property
    def T(self) -> Tensor:
        """The tensor with its dimensions reversed (the transpose of a matrix)."""
        return _ops.Transpose.apply(self, tuple(range(self.ndim))[::-1])

    def size(self, dim: int | None = None) -> Size | int:
        """The shape, or the size of one dimension."""
        if dim is None:
            return self.shape
        return self._data.shape[_normalize_dim(dim, self.ndim)]

    def dim(self) -> int:
        """The number of dimensions."""
        return self._data.ndim

    def numel(self) -> int:
        """The number of elements."""
        return self._data.size

    def element_size(self) -> int:
        """Bytes per element."""
        return self._data.itemsize

    def is_floating_point(self) -> bool:
        """True for float16, float32 and float64 tensors."""
        return self._data.dtype.kind == "f"

    # ------------------------------------------------------------------ autograd
    def requires_grad_(self, requires_grad: bool = True) -> Tensor:
        """Set requires_grad in place on a leaf; only floating-point tensors can require it."""
        if not isinstance(requires_grad, (bool, np.bool_)):
            raise TypeError(
                f"requires_grad_(): argument 'requires_grad' must be bool, not "
                f"{type(requires_grad).__name__}"
            )
        if requires_grad and self._data.dtype.kind != "f":
            raise RuntimeError(
                f"only Tensors of floating point dtype can require gradients, got {self.dtype}; "
                "convert first, e.g. x.float().requires_grad_()"
            )
        if self.grad_fn is not None and not requires_grad:
            raise RuntimeError(
                "you can only change requires_grad flags of leaf variables; use .detach() to get "
                "a tensor that does not require grad"
            )
        self._requires_grad = bool(requires_grad)
        return self

    def retain_grad(self) -> None:
        """Ask backward to fill ``.grad`` of this non-leaf tensor too."""
        if not self._requires_grad:
            raise RuntimeError("can't retain_grad on Tensor that has requires_grad=False")
        if self.grad_fn is not None:
            # A weak reference: the node must not keep its own output alive (no cycle).
            self.grad_fn._retained = weakref.ref(self)

    @property
    def retains_grad(self) -> bool:
        """True for a non-leaf after ``retain_grad()``."""
        return self.grad_fn is not None and self.grad_fn._retained is not None

    def backward(self, gradient: Tensor | None = None, retain_graph: bool | None = None) -> None:
        """Compute the gradient of this tensor with respect to every leaf that requires grad.

        Gradients are added into each leaf's ``.grad`` (call ``zero_()`` or an optimizer's
        ``zero_grad()`` between steps). A non-scalar tensor needs ``gradient``, the gradient of
        some scalar with respect to it.

        Parameters
        ----------
        gradient : Tensor, optional
            Same shape as this tensor; defaults to 1 for a one-element tensor.
        retain_graph : bool, optional
            Keep the graph's saved arrays so that backward can run through it again.

        Examples
        --------
        >>> import tinygrad_lr as tg
        >>> x = tg.tensor([3.0], requires_grad=True)
        >>> (x**2).sum().backward()
        >>> x.grad
        tensor([6.])
        """
        if not self._requires_grad:
            raise RuntimeError(
                "element 0 of tensors does not require grad and does not have a grad_fn; "
                "create the leaves with requires_grad=True, and do not compute the output "
                "under no_grad()"
            )
        if gradient is None:
            if self._data.size != 1:
                raise RuntimeError(
                    f"grad can be implicitly created only for scalar outputs; this output has "
                    f"shape {tuple(self.shape)}: reduce it first (loss.sum() or loss.mean()), "
                    "or pass backward(gradient=...) of the same shape"
                )
            # One C call; np.ones_like wraps two of them in Python, on every training step.
            grad = np.array(1, dtype=self._data.dtype).reshape(self._data.shape)
        else:
            grad = gradient._data if isinstance(gradient, Tensor) else np.asarray(gradient)
            if grad.shape != self._data.shape:
                raise RuntimeError(
                    f"Mismatch in shape: gradient has a shape of {tuple(grad.shape)} and output "
                    f"has a shape of {tuple(self.shape)}"
                )
            grad = grad.astype(self._data.dtype, copy=False)
        _engine.run_backward(self, grad, _engine._retain_graph_flag(retain_graph, "backward"))

    def detach(self) -> Tensor:
        """The same data outside the graph (shares memory, requires no grad)."""
        return Tensor._make(self._data)

    def clone(self) -> Tensor:
        """A copy with its own memory; gradients flow back to the original."""
        return _ops.Clone.apply(self)

    # ------------------------------------------------------------------ conversion
    def to(self, *args: Any, **kwargs: Any) -> Tensor:
        """Convert to a dtype (``x.to(tinygrad_lr.float64)``); ``"cpu"`` is accepted as a no-op.

        Examples
        --------
        >>> import tinygrad_lr as tg
        >>> tg.tensor([1, 2]).to(tg.float32)
        tensor([1., 2.])
        """
        dtype = _parse_to_arguments(args, kwargs)
        return self._cast(dtype) if dtype is not None else self

    def _cast(self, dtype: DType) -> Tensor:
        if self._data.dtype == dtype.numpy:
            return self
        if not dtype.is_floating_point:
            # Integer results cannot carry gradients: torch returns them outside the graph.
            return Tensor._make(self._data.astype(dtype.numpy))
        return _ops.Cast.apply(self, dtype.numpy)

    def float(self) -> Tensor:
        """Convert to float32."""
        return self._cast(dtypes.float32)

    def double(self) -> Tensor:
        """Convert to float64."""
        return self._cast(dtypes.float64)

    def half(self) -> Tensor:
        """Convert to float16."""
        return self._cast(dtypes.float16)

    def long(self) -> Tensor:
        """Convert to int64 (truncating toward zero; outside the graph)."""
        return self._cast(dtypes.int64)

    def int(self) -> Tensor:
        """Convert to int32 (truncating toward zero; outside the graph)."""
        return self._cast(dtypes.int32)

    def bool(self) -> Tensor:
        """Convert to bool (nonzero is True; outside the graph)."""
        return self._cast(dtypes.bool_)

    def cpu(self) -> Tensor:
        """Return self: tensors always live on the CPU."""
        return self

    def numpy(self) -> np.ndarray:
        """The NumPy array behind the tensor (shares memory); refused while it requires grad."""
        if self._requires_grad:
            raise RuntimeError(
                "Can't call numpy() on Tensor that requires grad. "
                "Use tensor.detach().numpy() instead."
            )
        return self._data

    def __array__(self, dtype: Any = None, copy: bool | None = None) -> np.ndarray:
        array = self.numpy()
        if dtype is not None and array.dtype != dtype:
            return array.astype(dtype)
        return array.copy() if copy else array

    def item(self) -> float | int | bool:
        """The value of a one-element tensor as a Python number."""
        if self._data.size != 1:
            raise RuntimeError(
                f"a Tensor with {self._data.size} elements cannot be converted to Scalar; "
                "use .tolist() for all of them, or index one element first"
            )
        return self._data.item()

    def tolist(self) -> Any:
        """The values as (nested) Python lists."""
        return self._data.tolist()

    def __float__(self) -> float:
        return float(self.item())

    def __int__(self) -> int:
        return int(self.item())

    def __index__(self) -> int:
        if self._data.dtype.kind not in "iu" or self._data.size != 1:
            raise TypeError("only integer tensors of a single element can be converted to an index")
        return int(self._data.item())

    def __bool__(self) -> bool:
        if self._data.size != 1:
            raise RuntimeError(
                f"Boolean value of Tensor with more than one value is ambiguous (shape "
                f"{tuple(self.shape)}); use .any() or .all()"
            )
        return bool(self._data.item())

    def __len__(self) -> int:
        if self._data.ndim == 0:
            raise TypeError("len() of a 0-d tensor")
        return self._data.shape[0]

    def __iter__(self) -> Iterator[Tensor]:
        if self._data.ndim == 0:
            raise TypeError("iteration over a 0-d tensor")
        return (self[i] for i in range(self._data.shape[0]))

    def __repr__(self) -> str:
        return _formatting.format_tensor(self)

    def __format__(self, spec: str) -> str:
        if self._data.ndim == 0:
            return format(self._data.item(), spec)
        return format(repr(self), spec)

    __hash__ = object.__hash__  # identity, as torch; needed because __eq__ is elementwise

    # ------------------------------------------------------------------ arithmetic
    def add(self, other: Tensor | float, alpha: float = 1) -> Tensor:
        """self + alpha * other."""
        return _binary(_ops.Add, self, _times_alpha(other, alpha, "add"))

    def sub(self, other: Tensor | float, alpha: float = 1) -> Tensor:
        """self - alpha * other."""
        return _binary(_ops.Sub, self, _times_alpha(other, alpha, "sub"))

    def mul(self, other: Tensor | float) -> Tensor:
        """self * other, elementwise."""
        return _binary(_ops.Mul, self, other)

    def div(self, other: Tensor | float) -> Tensor:
        """self / other, elementwise true division (integers give float32)."""
        return _binary(_ops.Div, self, other, floating=True)

    def __add__(self, other: Any) -> Tensor:
        return _binary(_ops.Add, self, other)

    def __radd__(self, other: Any) -> Tensor:
        return _binary(_ops.Add, self, other, reflected=True)

    def __sub__(self, other: Any) -> Tensor:
        return _binary(_ops.Sub, self, other)

    def __rsub__(self, other: Any) -> Tensor:
        return _binary(_ops.Sub, self, other, reflected=True)

    def __mul__(self, other: Any) -> Tensor:
        return _binary(_ops.Mul, self, other)

    def __rmul__(self, other: Any) -> Tensor:
        return _binary(_ops.Mul, self, other, reflected=True)

    def __truediv__(self, other: Any) -> Tensor:
        return _binary(_ops.Div, self, other, floating=True)

    def __rtruediv__(self, other: Any) -> Tensor:
        return _binary(_ops.Div, self, other, floating=True, reflected=True)

    def __neg__(self) -> Tensor:
        return self.neg()

    def neg(self) -> Tensor:
        """-self."""
        try:
            return _ops.Neg.apply(self)
        except TypeError:  # NumPy refuses to negate bools
            raise RuntimeError(
                "Negation, the `-` operator, on a bool tensor is not supported. If you are trying "
                "to invert a mask, use the `~` operator instead."
            ) from None

    def __pos__(self) -> Tensor:
        return self

    def pow(self, exponent: float) -> Tensor:
        """self ** exponent, for a number exponent.

        Examples
        --------
        >>> import tinygrad_lr as tg
        >>> tg.tensor([1.0, 2.0]).pow(2)
        tensor([1., 4.])
        """
        if type(exponent) in (int, float) and self._data.dtype.kind == "f":
            return _ops.Pow.apply(self, exponent)  # x ** 2 in a loss: nothing to check
        if isinstance(exponent, Tensor):
            if exponent.ndim != 0:
                raise TypeError(
                    "pow: the exponent must be a number; tensor exponents are not supported "
                    "(write exp(exponent * log(base)) for a differentiable one)"
                )
            exponent = exponent.item()
        if not isinstance(exponent, _NUMBER_TYPES):
            raise TypeError(f"pow: the exponent must be a number, got {type(exponent).__name__}")
        exponent = exponent.item() if isinstance(exponent, np.generic) else exponent
        base = self
        if self._data.dtype.kind != "f":  # a number never changes a floating tensor's dtype
            dtype = dtypes.result_type(self, exponent)
            if dtype is not self.dtype:
                base = self._cast(dtype)
            if base._data.dtype.kind in "iu" and exponent < 0:
                raise RuntimeError(
                    "Integers to negative integer powers are not allowed; convert first, e.g. "
                    "x.float() ** -1"
                )
        return _ops.Pow.apply(base, exponent)

    def __pow__(self, exponent: Any) -> Tensor:
        return self.pow(exponent)

    def square(self) -> Tensor:
        """self ** 2."""
        return self.pow(2)

    def matmul(self, other: Tensor) -> Tensor:
        """Matrix product with torch's rules for 1-D, 2-D and batched operands.

        Examples
        --------
        >>> import tinygrad_lr as tg
        >>> tg.ones(3, 2) @ tg.ones(2)
        tensor([2., 2., 2.])
        """
        if not isinstance(other, Tensor):
            if isinstance(other, np.ndarray):
                other = Tensor._make(other)
            else:
                raise TypeError(f"matmul: expected a Tensor, got {type(other).__name__}")
        if not self._data.ndim or not other._data.ndim:
            raise _matmul_shape_error(self._data.shape, other._data.shape)
        if self._data.dtype != other._data.dtype:  # NumPy would silently promote
            raise RuntimeError(
                f"matmul: expected both operands to have the same dtype, but got {self.dtype} "
                f"and {other.dtype}; convert one with .float() or .double()"
            )
        try:
            return _ops.MatMul.apply(self, other)
        except ValueError:  # NumPy refused the shapes: say which rule they broke
            raise _matmul_shape_error(self._data.shape, other._data.shape) from None

    def __matmul__(self, other: Any) -> Tensor:
        return self.matmul(other)

    def __rmatmul__(self, other: Any) -> Tensor:
        if isinstance(other, np.ndarray):
            return Tensor._make(other).matmul(self)
        return NotImplemented

    def mm(self, other: Tensor) -> Tensor:
        """Matrix product of two 2-D tensors."""
        if self.ndim != 2 or getattr(other, "ndim", 0) != 2:
            raise RuntimeError("mm: both arguments must be 2-D; use matmul for other shapes")
        return self.matmul(other)

    # ------------------------------------------------------------------ comparisons
    def _compare(self, ufunc: np.ufunc, other: Any) -> Tensor:
        if isinstance(other, Tensor):
            value = other._data
        elif isinstance(other, (*_NUMBER_TYPES, np.ndarray)):
            value = other
        else:  # Python then raises its TypeError ("'<' not supported between ...")
            return NotImplemented
        try:
            return Tensor._make(np.asarray(ufunc(self._data, value)))
        except ValueError:
            op = _COMPARISON_NAMES.get(ufunc.__name__, ufunc.__name__)
            _raise_if_not_broadcastable(op, self._data.shape, np.shape(value))
            raise

    def __lt__(self, other: Any) -> Tensor:
        return self._compare(np.less, other)

    def __le__(self, other: Any) -> Tensor:
        return self._compare(np.less_equal, other)

    def __gt__(self, other: Any) -> Tensor:
        return self._compare(np.greater, other)

    def __ge__(self, other: Any) -> Tensor:
        return self._compare(np.greater_equal, other)

    def __eq__(self, other: Any) -> Tensor:  # type: ignore[override]
        return self._compare(np.equal, other)

    def __ne__(self, other: Any) -> Tensor:  # type: ignore[override]
        return self._compare(np.not_equal, other)

    def _bitwise(self, ufunc: np.ufunc, symbol: str, other: Any) -> Tensor:
        for operand in (self, other):
            if isinstance(operand, Tensor) and operand._data.dtype.kind not in "biu":
                raise NotImplementedError(
                    f"{symbol} is only implemented for bool and integer tensors, got "
                    f"{operand.dtype}"
                )
        return self._compare(ufunc, other)

    def __and__(self, other: Any) -> Tensor:
        return self._bitwise(np.bitwise_and, "&", other)

    def __or__(self, other: Any) -> Tensor:
        return self._bitwise(np.bitwise_or, "|", other)

    def __invert__(self) -> Tensor:
        if self._data.dtype.kind not in "biu":
            raise TypeError(f"~ (bitwise not) needs a bool or integer tensor, got {self.dtype}")
        return Tensor._make(np.invert(self._data))

    def eq(self, other: Any) -> Tensor:
        """Elementwise ==, as a bool tensor."""
        result = self._compare(np.equal, other)
        if result is NotImplemented:
            raise TypeError(
                f"eq(): argument 'other' must be a Tensor or a number, not {type(other).__name__}"
            )
        return result

    def allclose(self, other: Tensor, rtol: float = 1e-5, atol: float = 1e-8) -> bool:
        """True when every element is close to ``other``'s."""
        _check_tensor(other, "allclose")
        try:
            return bool(np.allclose(self._data, other._data, rtol=rtol, atol=atol))
        except ValueError:
            _raise_if_not_broadcastable("allclose", self._data.shape, other._data.shape)
            raise

    def any(self) -> Tensor:
        """True if any element is nonzero."""
        return Tensor._make(np.asarray(self._data.any()))

    def all(self) -> Tensor:
        """True if every element is nonzero."""
        return Tensor._make(np.asarray(self._data.all()))

    def argmax(self, dim: int | None = None, keepdim: bool = False) -> Tensor:
        """Indices of the largest values (int64)."""
        axis = None if dim is None else _normalize_dim(dim, self.ndim)
        return Tensor._make(np.asarray(self._data.argmax(axis=axis, keepdims=keepdim)))

    def argmin(self, dim: int | None = None, keepdim: bool = False) -> Tensor:
        """Indices of the smallest values (int64)."""
        axis = None if dim is None else _normalize_dim(dim, self.ndim)
        return Tensor._make(np.asarray(self._data.argmin(axis=axis, keepdims=keepdim)))

    # ------------------------------------------------------------------ elementwise functions
    def _floating(self) -> Tensor:
        """Integer input to exp, log, ...: torch computes in the default float dtype."""
        return self if self._data.dtype.kind == "f" else self._cast(dtypes.DEFAULT_FLOAT)

    def exp(self) -> Tensor:
        """eˣ, elementwise."""
        return _ops.Exp.apply(self._floating())

    def log(self) -> Tensor:
        """Natural logarithm, elementwise."""
        return _ops.Log.apply(self._floating())

    def sqrt(self) -> Tensor:
        """Square root, elementwise."""
        return _ops.Sqrt.apply(self._floating())

    def sigmoid(self) -> Tensor:
        """1 / (1 + e⁻ˣ), elementwise."""
        return _ops.Sigmoid.apply(self._floating())

    def tanh(self) -> Tensor:
        """Hyperbolic tangent, elementwise."""
        return _ops.Tanh.apply(self._floating())

    def abs(self) -> Tensor:
        """|x|, elementwise."""
        return _ops.Abs.apply(self)

    def __abs__(self) -> Tensor:
        return _ops.Abs.apply(self)

    def relu(self) -> Tensor:
        """max(x, 0), elementwise."""
        return _ops.ReLU.apply(self)

    # ------------------------------------------------------------------ reductions
    def sum(self, dim: int | Sequence[int] | None = None, keepdim: bool = False) -> Tensor:
        """Sum over ``dim`` (an int or a tuple; all dimensions by default).

        Examples
        --------
        >>> import tinygrad_lr as tg
        >>> tg.ones(2, 3).sum(dim=1)
        tensor([3., 3.])
        """
        source = self
        if self._data.dtype.kind in "biu":
            # torch sums bools and integers as int64 (NumPy gives uint64 for unsigned ones).
            source = self._cast(dtypes.int64)
        return _ops.Sum.apply(source, _normalize_dims(dim, self.ndim), _check_keepdim(keepdim))

    def mean(self, dim: int | Sequence[int] | None = None, keepdim: bool = False) -> Tensor:
        """Mean over ``dim`` (an int or a tuple; all dimensions by default); floats only.

        Examples
        --------
        >>> import tinygrad_lr as tg
        >>> tg.tensor([[1.0, 2.0], [3.0, 4.0]]).mean(dim=0)
        tensor([2., 3.])
        """
        if self._data.dtype.kind != "f":
            raise RuntimeError(
                "mean(): could not infer output dtype. Input dtype must be either a floating "
                f"point or complex dtype. Got: {self.dtype}; use x.float().mean()"
            )
        return _ops.Mean.apply(self, _normalize_dims(dim, self.ndim), _check_keepdim(keepdim))

    # ------------------------------------------------------------------ shape
    def reshape(self, *shape: int | Sequence[int]) -> Tensor:
        """The same elements in a new shape; one size may be -1 (inferred).

        Examples
        --------
        >>> import tinygrad_lr as tg
        >>> tg.arange(6).reshape(2, -1).shape
        tinygrad_lr.Size([2, 3])
        """
        new_shape = _parse_shape(shape)
        try:
            if min(new_shape, default=0) < -1:  # NumPy would read any negative size as -1
                raise ValueError
            return _ops.Reshape.apply(self, new_shape)
        except ValueError:
            raise _reshape_error(new_shape, self._data.size) from None

    def view(self, *shape: int | Sequence[int]) -> Tensor:
        """Same as :meth:`reshape` (NumPy decides whether memory is shared)."""
        return self.reshape(*shape)

    def view_as(self, other: Tensor) -> Tensor:
        """Reshape to ``other``'s shape."""
        return self.reshape(_check_tensor(other, "view_as").shape)

    def reshape_as(self, other: Tensor) -> Tensor:
        """Reshape to ``other``'s shape."""
        return self.reshape(_check_tensor(other, "reshape_as").shape)

    def flatten(self, start_dim: int = 0, end_dim: int = -1) -> Tensor:
        """Merge dimensions ``start_dim`` to ``end_dim`` into one."""
        if self.ndim == 0:
            return self.reshape(1)
        start, end = _normalize_dim(start_dim, self.ndim), _normalize_dim(end_dim, self.ndim)
        if start > end:
            raise RuntimeError(
                f"flatten() has invalid args: start_dim cannot come after end_dim "
                f"(start_dim={start_dim}, end_dim={end_dim})"
            )
        shape = self._data.shape
        # The merged size written out, not -1: with a 0 among the sizes, -1 would be ambiguous.
        merged = math.prod(shape[start : end + 1])
        return self.reshape(shape[:start] + (merged,) + shape[end + 1 :])

    def squeeze(self, dim: int | Sequence[int] | None = None) -> Tensor:
        """Remove dimensions of size 1: all of them, or those among ``dim`` (an int or a tuple)."""
        shape = self._data.shape
        if dim is None:
            return self.reshape(tuple(s for s in shape if s != 1))
        dims = tuple(dim) if isinstance(dim, (tuple, list)) else (dim,)
        chosen = {_normalize_dim(d, self.ndim) for d in dims}
        return self.reshape(tuple(s for i, s in enumerate(shape) if s != 1 or i not in chosen))

    def unsqueeze(self, dim: int) -> Tensor:
        """Insert a dimension of size 1 at ``dim``."""
        d = _normalize_dim(dim, self.ndim + 1)
        shape = self._data.shape
        return self.reshape(shape[:d] + (1,) + shape[d:])

    def permute(self, *dims: int | Sequence[int]) -> Tensor:
        """Reorder the dimensions."""
        axes = tuple(_normalize_dim(d, self.ndim) for d in _parse_shape(dims, "dims"))
        if sorted(axes) != list(range(self.ndim)):
            raise RuntimeError(
                f"permute: dims {list(axes)} must be a permutation of 0..{self.ndim - 1}"
            )
        return _ops.Transpose.apply(self, axes)

    def transpose(self, dim0: int, dim1: int) -> Tensor:
        """Swap two dimensions."""
        axes = list(range(self.ndim))
        d0, d1 = _normalize_dim(dim0, self.ndim), _normalize_dim(dim1, self.ndim)
        if axes:  # a 0-d tensor has nothing to swap
            axes[d0], axes[d1] = axes[d1], axes[d0]
        return _ops.Transpose.apply(self, tuple(axes))

    def t(self) -> Tensor:
        """Transpose a matrix (a tensor of at most 2 dimensions)."""
        if self.ndim > 2:
            raise RuntimeError(
                f"t() expects a tensor with <= 2 dimensions, but self is {self.ndim}D; "
                "use transpose(dim0, dim1) or permute"
            )
        # nn.Linear calls this at every step: the 2-D swap needs no dimension arithmetic.
        return _ops.Transpose.apply(self, (1, 0)) if self._data.ndim == 2 else self

    def __getitem__(self, key: Any) -> Tensor:
        key = _index_key(key)
        try:
            # One int, slice or index array means what it means in NumPy; a tuple may take two
            # NumPy steps to select what torch selects.
            steps = _torch_index_steps(key, self._data.ndim) if isinstance(key, tuple) else (key,)
            if not self._requires_grad:
                # Data (X[idx], y[idx] at every step of a training loop) records nothing, so it
                # is NumPy's indexing alone, without the bookkeeping of Function.apply.
                data = self._data
                for step in steps:
                    data = data[step]
                return Tensor._make(data if type(data) is np.ndarray else np.asarray(data))
            result = self
            for step in steps:
                result = _ops.Index.apply(result, step)
            return result
        except (IndexError, ValueError, TypeError):
            raise _index_error(self._data.shape, key) from None

    def __setitem__(self, key: Any, value: Any) -> None:
        value_requires_grad = isinstance(value, Tensor) and value._requires_grad
        if _grad_state.enabled and (self._requires_grad or value_requires_grad):
            self._check_inplace("index assignment")
            raise RuntimeError(
                "index assignment into a tensor that is part of a graph is not supported; "
                "build the result with tinygrad_lr.cat/stack or masks instead, or assign "
                "under no_grad()"
            )
        self._check_writeable()
        key = _index_key(key)
        source = value._data if isinstance(value, Tensor) else value
        try:
            steps = _torch_index_steps(key, self._data.ndim)
            if len(steps) == 2:  # the first step is a view: assigning to it writes here
                self._data[steps[0]][steps[1]] = source
            else:
                self._data[steps[0]] = source
        except (IndexError, ValueError, TypeError):
            try:
                target = self._data[key].shape
            except (IndexError, ValueError, TypeError):
                raise _index_error(self._data.shape, key) from None
            _raise_if_not_assignable(target, np.shape(source))
            raise TypeError(
                f"index assignment: cannot write a {type(value).__name__} into a tensor of dtype "
                f"{self.dtype}"
            ) from None

    # ------------------------------------------------------------------ in-place
    def _check_inplace(self, what: str) -> None:
        if self.grad_fn is None and self._requires_grad and _grad_state.enabled:
            raise RuntimeError(
                f"a leaf Variable that requires grad is being used in an in-place operation "
                f"({what}). Update parameters inside `with tinygrad_lr.no_grad():`, or use "
                ".data / .detach() for the values."
            )

    def _become(self, result: Tensor) -> None:
        """Let this tensor stand for ``result``, the out-of-place result of a recorded in-place
        op. A retained gradient moves along: it is the gradient of the tensor's new value."""
        retains_grad = self.retains_grad
        if retains_grad:
            self.grad_fn._retained = None
        self._data, self.grad_fn, self._requires_grad = result._data, result.grad_fn, True
        if retains_grad:
            self.retain_grad()

    def _check_writeable(self) -> None:
        if not self._data.flags.writeable:
            raise RuntimeError(
                "this tensor's memory is read-only (it comes from a read-only NumPy array or a "
                "broadcast view) and cannot change in place; use .clone() first"
            )

    def _inplace(
        self, function: type, ufunc: np.ufunc, other: Any, floating: bool = False
    ) -> Tensor:
        """``self op= other``: change this tensor's own data, as torch's in-place ops do."""
        if isinstance(other, np.ndarray):
            other = Tensor._make(other)
        other_requires_grad = isinstance(other, Tensor) and other._requires_grad
        if _grad_state.enabled and (self._requires_grad or other_requires_grad):
            # Recorded: compute out of place, then let this tensor stand for the result.
            self._check_inplace(function.__name__.lower())
            result = _binary(function, self, other, floating=floating)
            if result is NotImplemented:
                return NotImplemented
            self._check_inplace_result(result.dtype, result.shape)
            if result.dtype is not self.dtype:  # float32 += float64 stays float32, as in torch
                result = result._cast(self.dtype)
            self._become(result)
            return self
        value = other._data if isinstance(other, Tensor) else other
        # The optimizer's case, ``param -= lr * grad``, needs no promotion: a number, or a tensor
        # of the same dtype, never changes a floating tensor's dtype.
        if self._data.dtype.kind != "f" or not (
            type(value) in (int, float) or getattr(value, "dtype", None) == self._data.dtype
        ):
            result_dtype = dtypes.result_type(self, other)
            if floating and not result_dtype.is_floating_point:
                result_dtype = dtypes.DEFAULT_FLOAT
            self._check_inplace_result(result_dtype, None)
        try:
            # ``out=`` casts with "same_kind" rules, which the check above has made safe.
            ufunc(self._data, value, out=self._data)
            return self
        except ValueError as error:
            refusal = error
        # NumPy refused: read-only memory, or shapes. Said in torch's words outside the except
        # clause, so that the traceback shows our error alone.
        self._check_writeable()
        op, shape_value = function.__name__.lower(), np.shape(value)
        _raise_if_not_broadcastable(op, self._data.shape, shape_value)
        self._check_inplace_result(self.dtype, np.broadcast_shapes(self._data.shape, shape_value))
        raise refusal

    def _check_inplace_result(self, result_dtype: DType, shape: tuple[int, ...] | None) -> None:
        if result_dtype._rank > self.dtype._rank:
            raise RuntimeError(
                f"result type {result_dtype} can't be cast to the desired output type "
                f"{self.dtype}; convert the tensor first, e.g. x = x.float()"
            )
        if shape is not None and tuple(shape) != self._data.shape:
            raise RuntimeError(
                f"output with shape {list(self._data.shape)} doesn't match the broadcast shape "
                f"{list(shape)}"
            )

    def add_(self, other: Tensor | float, alpha: float = 1) -> Tensor:
        """self += alpha * other, in place."""
        return self._inplace(_ops.Add, np.add, _times_alpha(other, alpha, "add_"))

    def sub_(self, other: Tensor | float, alpha: float = 1) -> Tensor:
        """self -= alpha * other, in place."""
        return self._inplace(_ops.Sub, np.subtract, _times_alpha(other, alpha, "sub_"))

    def mul_(self, other: Tensor | float) -> Tensor:
        """self *= other, in place."""
        return self._inplace(_ops.Mul, np.multiply, other)

    def div_(self, other: Tensor | float) -> Tensor:
        """self /= other, in place."""
        return self._inplace(_ops.Div, np.true_divide, other, floating=True)

    def __iadd__(self, other: Any) -> Tensor:
        return self._inplace(_ops.Add, np.add, other)

    def __isub__(self, other: Any) -> Tensor:
        return self._inplace(_ops.Sub, np.subtract, other)

    def __imul__(self, other: Any) -> Tensor:
        return self._inplace(_ops.Mul, np.multiply, other)

    def __itruediv__(self, other: Any) -> Tensor:
        return self._inplace(_ops.Div, np.true_divide, other, floating=True)

    def _overwrite(self, what: str, values: Any) -> Tensor:
        """Replace every element (zero_, fill_, copy_, normal_, uniform_)."""
        self._check_inplace(what)
        values_require_grad = isinstance(values, Tensor) and values._requires_grad
        recorded = _grad_state.enabled and (self._requires_grad or values_require_grad)
        if not recorded:
            self._check_writeable()
        try:
            if recorded:
                # As for +=: computed as a new array by a recorded op (gradients flow to the
                # source of copy_), which this tensor then stands for.
                result = _ops.Copy.apply(self, values)
                self._become(result)
            else:
                np.copyto(self._data, _data_of(values), casting="same_kind")
        except (ValueError, TypeError):
            source = np.asarray(_data_of(values))
            raise RuntimeError(
                f"{what}: cannot write values of shape {source.shape} and dtype "
                f"{source.dtype} into a tensor of shape {tuple(self.shape)} and dtype "
                f"{self.dtype}"
            ) from None
        return self

    def zero_(self) -> Tensor:
        """Set every element to 0, in place (``w.grad.zero_()``)."""
        if not self._requires_grad:
            # A gradient or any tensor outside the graph, zeroed at every step: nothing to check
            # but that the memory is writeable, which fill itself does.
            try:
                self._data.fill(0)
                return self
            except ValueError:  # read-only memory: _overwrite says so in torch's words
                pass
        return self._overwrite("zero_", 0)

    def fill_(self, value: float | Tensor) -> Tensor:
        """Set every element to ``value`` (a number or a 0-d tensor), in place."""
        if not isinstance(value, (Tensor, *_NUMBER_TYPES)):
            raise TypeError(
                f"fill_(): value must be a number or a 0-d tensor, not {type(value).__name__}"
            )
        if isinstance(value, Tensor) and value.ndim != 0:
            raise RuntimeError(
                "fill_ only supports 0-dimension value tensor but got tensor with "
                f"{value.ndim} dimensions; use copy_ to copy a tensor's values"
            )
        return self._overwrite("fill_", value)

    def copy_(self, src: Tensor | np.ndarray) -> Tensor:
        """Copy ``src``'s values (broadcast to this shape) into this tensor, in place."""
        if not isinstance(src, (Tensor, np.ndarray, list, tuple, *_NUMBER_TYPES)):
            raise TypeError(f"copy_(): argument 'src' must be a Tensor, not {type(src).__name__}")
        return self._overwrite("copy_", src)

    def normal_(self, mean: float = 0.0, std: float = 1.0, *, generator: Any = None) -> Tensor:
        """Fill with samples of N(mean, std²), in place."""
        values = _random.normal(mean, std, self._data.shape, generator=generator, dtype=self.dtype)
        return self._overwrite("normal_", values._data)

    def uniform_(self, a: float = 0.0, b: float = 1.0, *, generator: Any = None) -> Tensor:
        """Fill with samples of U(a, b), in place."""
        if a > b:
            raise RuntimeError(
                f"uniform_ expects to return a [from, to) range, but found from={a} > to={b}"
            )
        values = _random.rand(self._data.shape, generator=generator, dtype=self.dtype)
        return self._overwrite("uniform_", values._data * (b - a) + a)


def _reshape_error(shape: tuple[int, ...], size: int) -> RuntimeError:
    """Why ``shape`` cannot hold ``size`` elements, in torch's words."""
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


def _parse_to_arguments(args: tuple[Any, ...], kwargs: dict[str, Any]) -> DType | None:
    """The dtype that ``.to(...)`` asks for (None if none), for tensors and modules alike.

    As in torch, the arguments may be a dtype, a tensor whose dtype to take, or a device, given
    positionally or as ``dtype=``/``device=``; the only device is the CPU.
    """
    kwargs = dict(kwargs)
    dtype = kwargs.pop("dtype", None)
    for arg in (*args, kwargs.pop("device", None)):
        if arg is None:
            continue
        if isinstance(arg, str) and arg.split(":")[0] == "cpu":
            continue
        if isinstance(arg, str) and arg.split(":")[0] in ("cuda", "mps"):
            raise RuntimeError(
                f"device {arg!r} is not available: tinygrad_lr computes with NumPy on the CPU"
            )
        dtype = arg.dtype if isinstance(arg, Tensor) else dtypes.to_dtype(arg)
    if kwargs:
        raise TypeError(f"to() got unexpected arguments {sorted(kwargs)}")
    return dtypes.to_dtype(dtype)


def _index_key(key: Any) -> Any:
    """Turn tensors and lists inside an index into NumPy arrays."""
    if isinstance(key, tuple):  # ints and slices, the common parts, need nothing done
        return tuple([k if type(k) in (int, slice) else _index_key(k) for k in key])
    if isinstance(key, Tensor):
        if key._data.dtype.kind not in "biu":
            raise IndexError(
                f"tensors used as indices must be long, int or bool tensors, got {key.dtype}"
            )
        return key._data
    if isinstance(key, list):
        try:
            array = np.asarray([k._data if isinstance(k, Tensor) else k for k in key])
        except ValueError:
            raise IndexError(
                f"a nested list used as an index must be rectangular, got {key!r:.80}"
            ) from None
        if array.size == 0:  # [] selects nothing, as in torch
            return array.astype(np.int64)
        if array.dtype.kind not in "biu" or array.ndim == 0:
            raise IndexError(f"a list used as an index must hold ints or bools, got {key!r:.80}")
        return array
    return key


def _is_mask(part: Any) -> bool:
    """Whether an index part selects by True/False: a bool, or an array of bools."""
    return isinstance(part, (bool, np.bool_)) or (
        isinstance(part, np.ndarray) and part.dtype == np.bool_
    )


def _dims_indexed(parts: tuple[Any, ...]) -> int:
    """How many dimensions of the tensor the index ``parts`` use up.

    A mask uses as many as it has (a bool: none); None and ``...`` use none; anything else one.
    """
    return sum(
        np.ndim(part) if _is_mask(part) else 0 if part is None or part is Ellipsis else 1
        for part in parts
    )


def _torch_index_steps(key: Any, ndim: int) -> tuple[Any, ...]:
    """One NumPy key, or two applied in turn, that select what torch selects with ``key``.

    NumPy and torch agree except where index arrays meet integers or an ellipsis:

    - torch takes integer indices first (each removes its dimension) and index arrays after.
      NumPy counts an integer as one more index array, and index arrays that are not side by
      side put their dimensions first: ``x[0, :, [1, 2]]`` of a (2, 3, 4) tensor has shape
      (2, 3) in NumPy and (3, 2) in torch. Indexing with the integers, slices and None first
      (a view), then with the arrays, gives torch's result.
    - an ellipsis that stands for no dimension separates index arrays for NumPy, not for torch:
      it is dropped.
    """
    if not isinstance(key, tuple):
        return (key,)
    for k in key:  # a loop, not any(...): this runs for every indexing with a tuple
        if isinstance(k, np.ndarray):
            break
    else:
        return (key,)
    if any(k is Ellipsis for k in key) and _dims_indexed(key) == ndim:
        key = tuple(k for k in key if k is not Ellipsis)
    if not any(isinstance(k, (int, np.integer)) and not isinstance(k, bool) for k in key):
        return (key,)
    first, then = [], []
    for k in key:
        if isinstance(k, np.ndarray):  # kept for the second step; a mask spans k.ndim dims
            first += [slice(None)] * (k.ndim if k.dtype == np.bool_ else 1)
            then.append(k)
        elif isinstance(k, (int, np.integer)) and not isinstance(k, bool):
            first.append(k)  # the dimension is gone after the first step
        else:  # a slice, None or ...: done in the first step, the second one keeps all of it
            first.append(k)
            then.append(Ellipsis if k is Ellipsis else slice(None))
    return tuple(first), tuple(then)


_INDEX_TYPES = (slice, int, np.integer, np.ndarray)  # after _index_key: what NumPy can take


def _index_error(shape: tuple[int, ...], key: Any) -> Exception:
    """Why ``key`` cannot index a tensor of ``shape``, in torch's words.

    Only called once NumPy has refused the key; NumPy's own messages speak of "axis" and
    "arrays", so the key is walked again here to name the dimension and the sizes.
    """
    parts = key if isinstance(key, tuple) else (key,)
    for part in parts:
        if not (part is None or part is Ellipsis or isinstance(part, _INDEX_TYPES)):
            return IndexError(
                "only integers, slices (`:`), ellipsis (`...`), None and long or bool tensors "
                f"are valid indices (got {type(part).__name__})"
            )
    used = _dims_indexed(parts)
    if used > len(shape):
        if not shape:
            return IndexError("invalid index of a 0-dim tensor; use tensor.item() for its value")
        return IndexError(
            f"too many indices for tensor of dimension {len(shape)} (shape {tuple(shape)}, "
            f"{used} indices given)"
        )
    dim, index_shapes = 0, []
    for part in parts:
        if part is Ellipsis:
            dim += len(shape) - used
        elif _is_mask(part):
            mask_shape = np.shape(part)
            if mask_shape != shape[dim : dim + len(mask_shape)]:
                return IndexError(
                    f"The shape of the mask {list(mask_shape)} at index {dim} does not match the "
                    f"shape of the indexed tensor {list(shape)} at index {dim}"
                )
            index_shapes.append((int(np.count_nonzero(part)),) if mask_shape else ())
            dim += len(mask_shape)
        elif isinstance(part, slice):
            dim += 1
        elif part is not None:  # an int or an array of ints
            values, size = np.asarray(part), shape[dim]
            outside = values[(values < -size) | (values >= size)]
            if outside.size:
                return IndexError(
                    f"index {outside.flat[0]} is out of bounds for dimension {dim} with size {size}"
                )
            index_shapes.append(values.shape)
            dim += 1
    try:
        np.broadcast_shapes(*index_shapes)
    except ValueError:
        return IndexError(
            "shape mismatch: indexing tensors could not be broadcast together with shapes "
            + ", ".join(str(list(s)) for s in index_shapes)
        )
    return IndexError(f"cannot index a tensor of shape {tuple(shape)} with {key!r:.80}")


def _binary(
    function: type, a: Tensor, b: Any, reflected: bool = False, floating: bool = False
) -> Tensor:
    """Apply a two-operand Function after torch's type promotion; errors name the shapes."""
    if isinstance(b, Tensor):
        if a._data.dtype != b._data.dtype or floating:
            dtype = dtypes.result_type(a, b)
            if floating and not dtype.is_floating_point:
                dtype = dtypes.DEFAULT_FLOAT
            a, b = a._cast(dtype), b._cast(dtype)
    elif isinstance(b, _NUMBER_TYPES):
        # NumPy scalars become Python numbers: NumPy treats Python numbers as "weak" (they never
        # widen an array's dtype), which is torch's rule for all numbers.
        if isinstance(b, np.generic):
            b = b.item()
        # A number never changes a floating tensor's dtype: the common case skips promotion.
        if a._data.dtype.kind != "f":
            dtype = dtypes.result_type(a, b)
            if floating and not dtype.is_floating_point:
                dtype = dtypes.DEFAULT_FLOAT
            a = a._cast(dtype)
            if not dtype.is_floating_point and isinstance(b, float):
                b = int(b)
    elif isinstance(b, np.ndarray):
        return _binary(function, a, Tensor._make(b), reflected, floating)
    else:
        return NotImplemented
    left, right = (b, a) if reflected else (a, b)
    try:
        return function.apply(left, right)
    except ValueError:
        shape_left, shape_right = np.shape(_data_of(left)), np.shape(_data_of(right))
        _raise_if_not_broadcastable(function.__name__.lower(), shape_left, shape_right)
        raise
    except TypeError:  # NumPy refuses bool - bool
        if function is _ops.Sub and a._data.dtype == np.bool_:
            raise RuntimeError(
                "Subtraction, the `-` operator, with two bool tensors is not supported; for their "
                "exclusive or, use a != b"
            ) from None
        raise


def _matmul_shape_error(shape_a: tuple[int, ...], shape_b: tuple[int, ...]) -> RuntimeError:
    """torch's message for operands that matmul cannot multiply."""
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


def _check_tensor(value: Any, function: str) -> Tensor:
    if not isinstance(value, Tensor):
        raise TypeError(
            f"{function}(): argument 'other' must be Tensor, not {type(value).__name__}"
        )
    return value


def _times_alpha(other: Any, alpha: Any, function: str) -> Any:
    """``alpha * other`` for the ``alpha=`` argument of add and sub (a number, as in torch)."""
    if not isinstance(alpha, _NUMBER_TYPES):
        raise TypeError(
            f"{function}(): argument 'alpha' must be a number, not {type(alpha).__name__}"
        )
    return other if alpha == 1 else other * alpha


def _data_of(x: Any) -> Any:
    return x._data if isinstance(x, Tensor) else x


# The torch names of the comparisons, for error messages.
_COMPARISON_NAMES = {
    "less": "lt", "less_equal": "le", "greater": "gt", "greater_equal": "ge", "equal": "eq",
    "not_equal": "ne", "bitwise_and": "and", "bitwise_or": "or",
}  # fmt: skip


def _raise_if_not_assignable(target: tuple[int, ...], source: tuple[int, ...]) -> None:
    """Raise torch's RuntimeError when values of shape ``source`` cannot fill ``target``.

    As in broadcasting, shapes are aligned on the right, and each size of ``source`` must be 1
    or the size of ``target`` it lands on (1 where ``target`` has no dimension).
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


def _raise_if_not_broadcastable(
    op: str, shape_a: tuple[int, ...], shape_b: tuple[int, ...]
) -> None:
    """Raise torch's RuntimeError naming both shapes and the first dimension that clashes."""
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


# Imported last: these modules import Tensor from this one.
from . import formatting as _formatting  # noqa: E402
from . import ops as _ops  # noqa: E402
from . import random as _random  # noqa: E402
from .autograd import engine as _engine  # noqa: E402
