"""``Tensor``: a NumPy array that remembers how it was computed.

A tensor holds its data (a NumPy array), the node that produced it (``grad_fn``, None for a
leaf), the gradient accumulated into it (``grad``) and a version that in-place changes bump.
Each differentiable method is one line that applies a ``Function`` of :mod:`tinygrad_lr.ops`;
the argument checks (:mod:`~tinygrad_lr.arguments`), dtype promotion
(:mod:`~tinygrad_lr.promotion`) and in-place changes (:mod:`~tinygrad_lr.inplace`) sit beside it.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from . import checks, dtypes, formatting, indexing
from .dtypes import DType

if TYPE_CHECKING:
    from .arguments import Size


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

    __slots__ = (
        "_data", "_grad", "_requires_grad", "grad_fn", "_version_counter",
        "_base", "_view_steps", "_view_version", "_backward_hooks", "__weakref__",
    )  # fmt: skip
    # NumPy defers to a higher priority: ``ndarray * tensor`` calls Tensor.__rmul__ and so
    # returns a tensor that keeps the graph, instead of a plain array.
    __array_priority__ = 1000

    def __init__(self, *data: Any, requires_grad: bool = False) -> None:
        # torch's legacy constructor: Tensor(2, 3) is a float32 (2, 3) tensor (zeros here; torch's
        # are uninitialised), Tensor() has shape (0,), Tensor([1, 2]) is float32 data.
        if all(type(size) is int for size in data):
            if any(size < 0 for size in data):
                raise RuntimeError(f"Trying to create tensor with negative dimension: {data}")
            self._data = np.zeros(data if data else (0,), np.float32)
        elif len(data) == 1:
            self._data = arguments.legacy_data(data[0])
        else:
            raise TypeError(
                "Tensor() takes one data argument or integer sizes, e.g. Tensor([1, 2]) or "
                "Tensor(2, 3)"
            )
        self._grad = self.grad_fn = self._base = self._backward_hooks = None
        self._requires_grad, self._version_counter = False, [0]
        self.requires_grad_(requires_grad)

    @classmethod
    def _make(cls, array: np.ndarray, requires_grad: bool = False) -> Tensor:
        """Wrap an array without copying or checking it (the library's internal constructor)."""
        tensor = object.__new__(cls)
        tensor._data = array
        tensor._grad = None
        tensor._requires_grad = requires_grad
        tensor.grad_fn = None
        # [version]: one list shared by a tensor, its views and detach(); in-place ops bump it.
        tensor._version_counter = [0]
        tensor._base = None  # for a view: the tensor whose memory it shows
        tensor._backward_hooks = None  # a leaf's hooks (register_hook); a non-leaf's: grad_fn's
        return tensor

    # ------------------------------------------------------------------ attributes
    @property
    def data(self) -> Tensor:
        """The same values as a tensor outside the graph, sharing memory (torch's ``.data``)."""
        return Tensor._make(self._data)

    @data.setter
    def data(self, value: Tensor) -> None:
        self._data = arguments.check_tensor(value, "data", "value")._data

    @property
    def grad(self) -> Tensor | None:
        """The gradient accumulated by ``backward()``: leaves, and non-leaves that retain_grad."""
        if self._grad is None and self.grad_fn is not None and self.grad_fn._retained is None:
            arguments.warn_non_leaf_grad()
        return self._grad

    @grad.setter
    def grad(self, value: Tensor | None) -> None:
        self._grad = arguments.grad_value(self, value)

    @property
    def requires_grad(self) -> bool:
        """Whether operations on this tensor are recorded for backward."""
        if self._base is not None and self._view_steps is not None:
            return self._requires_grad or self._base._requires_grad  # a view follows its base
        return self._requires_grad

    @requires_grad.setter
    def requires_grad(self, value: bool) -> None:
        self.requires_grad_(value)

    @property
    def is_leaf(self) -> bool:
        """True unless the tensor was computed by a recorded operation (or views one that was)."""
        return self.grad_fn is None and not (self._base is not None and self.requires_grad)

    @property
    def shape(self) -> Size:
        """The size of each dimension, as a :class:`Size`."""
        return arguments.Size(self._data.shape)

    @property
    def ndim(self) -> int:
        """The number of dimensions."""
        return self._data.ndim

    @property
    def dtype(self) -> DType:
        """The element type, e.g. ``tinygrad_lr.float32``."""
        return dtypes.from_numpy_dtype(self._data.dtype)

    @property
    def device(self) -> devices.device:
        """Where the tensor lives: always ``device(type='cpu')``, since NumPy computes there."""
        return devices.CPU

    @property
    def is_cuda(self) -> bool:
        """False: tensors live on the CPU (see :mod:`tinygrad_lr.cuda`)."""
        return False

    @property
    def T(self) -> Tensor:
        """The tensor with its dimensions reversed (the transpose of a matrix)."""
        return _ops.Transpose.apply(self, tuple(range(self.ndim))[::-1])

    def size(self, dim: int | None = None) -> Size | int:
        """The shape, or the size of one dimension."""
        return self.shape if dim is None else self.shape[arguments.normalize_dim(dim, self.ndim)]

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
        self._requires_grad = arguments.requires_grad_flag(self, requires_grad)
        return self

    def retain_grad(self) -> None:
        """Ask backward to fill ``.grad`` of this non-leaf tensor too."""
        _engine.retain_grad(self)

    def register_hook(self, hook: Any) -> Any:
        """Call ``hook(grad)`` with this tensor's gradient during backward; a tensor it returns
        replaces the gradient. Returns a handle whose ``remove()`` takes the hook off."""
        return _engine.register_hook(self, hook)

    @property
    def retains_grad(self) -> bool:
        """True for a non-leaf after ``retain_grad()``."""
        return self.grad_fn is not None and self.grad_fn._retained is not None

    def backward(
        self,
        gradient: Tensor | None = None,
        retain_graph: bool | None = None,
        create_graph: bool = False,
        inputs: Sequence[Tensor] | None = None,
    ) -> None:
        """Add this tensor's gradient into the ``.grad`` of the leaves that require grad; the
        arguments are :func:`tinygrad_lr.autograd.backward`'s (``create_graph``: differentiable)."""
        _engine.backward(self, gradient, retain_graph, create_graph, inputs)

    def detach(self) -> Tensor:
        """The same data outside the graph (shares memory and version, requires no grad)."""
        detached = Tensor._make(self._data)
        detached._version_counter = self._version_counter
        return detached

    @property
    def _version(self) -> int:
        """How many in-place changes this tensor's memory has had (shared with views)."""
        return self._version_counter[0]

    def clone(self) -> Tensor:
        """A copy with its own memory; gradients flow back to the original."""
        return _ops.Clone.apply(self)

    # ------------------------------------------------------------------ conversion
    def to(self, *args: Any, **kwargs: Any) -> Tensor:
        """Convert to a dtype and/or the CPU: ``to(dtype)``, ``to(device, dtype)``, ``to(tensor)``;
        self when nothing changes; other devices raise."""
        return devices.to(self, *arguments.parse_to_arguments(args, kwargs, "to"))

    def _cast(self, dtype: DType) -> Tensor:
        return promotion.cast(self, dtype)

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

    def cuda(self, device: Any = None, non_blocking: bool = False) -> Tensor:
        """Refused with a RuntimeError: there is no GPU here (tinygrad_lr runs on NumPy)."""
        return devices.refuse_cuda("cuda", device)

    def numpy(self) -> np.ndarray:
        """The NumPy array behind the tensor (shares memory); refused while it requires grad."""
        return arguments.without_grad(self, "numpy")._data

    def __array__(self, dtype: Any = None, copy: bool | None = None) -> np.ndarray:
        array = self.numpy()
        return np.array(array, dtype=dtype) if copy else np.asarray(array, dtype=dtype)

    def item(self) -> float | int | bool:
        """The value of a one-element tensor as a Python number."""
        return arguments.one_element(self, "item")

    def tolist(self) -> Any:
        """The values as (nested) Python lists."""
        return self._data.tolist()

    def __float__(self) -> float:
        return float(self.item())

    def __int__(self) -> int:
        return int(self.item())

    def __index__(self) -> int:
        return int(arguments.one_element(self, "index"))

    def __bool__(self) -> bool:
        return bool(arguments.one_element(self, "bool"))

    def __len__(self) -> int:
        return arguments.first_size(self, "len() of")

    def __iter__(self) -> Iterator[Tensor]:
        return (self[i] for i in range(arguments.first_size(self, "iteration over")))

    def __repr__(self) -> str:
        return formatting.format_tensor(self)

    def __format__(self, spec: str) -> str:
        return format(self._data.item() if self._data.ndim == 0 else repr(self), spec)

    __hash__ = object.__hash__  # identity, as torch; needed because __eq__ is elementwise

    # ------------------------------------------------------------------ arithmetic
    def add(self, other: Tensor | float, alpha: float = 1) -> Tensor:
        """self + alpha * other."""
        return promotion.binary(_ops.Add, self, arguments.times_alpha(other, alpha, "add"))

    def sub(self, other: Tensor | float, alpha: float = 1) -> Tensor:
        """self - alpha * other."""
        return promotion.binary(_ops.Sub, self, arguments.times_alpha(other, alpha, "sub"))

    def mul(self, other: Tensor | float) -> Tensor:
        """self * other, elementwise."""
        return promotion.binary(_ops.Mul, self, other)

    def div(self, other: Tensor | float) -> Tensor:
        """self / other, elementwise true division (integers give float32)."""
        return promotion.binary(_ops.Div, self, other, floating=True)

    def __add__(self, other: Any) -> Tensor:
        return promotion.binary(_ops.Add, self, other)

    def __radd__(self, other: Any) -> Tensor:
        return promotion.binary(_ops.Add, self, other, reflected=True)

    def __sub__(self, other: Any) -> Tensor:
        return promotion.binary(_ops.Sub, self, other)

    def __rsub__(self, other: Any) -> Tensor:
        return promotion.binary(_ops.Sub, self, other, reflected=True)

    def __mul__(self, other: Any) -> Tensor:
        return promotion.binary(_ops.Mul, self, other)

    def __rmul__(self, other: Any) -> Tensor:
        return promotion.binary(_ops.Mul, self, other, reflected=True)

    def __truediv__(self, other: Any) -> Tensor:
        return promotion.binary(_ops.Div, self, other, floating=True)

    def __rtruediv__(self, other: Any) -> Tensor:
        return promotion.binary(_ops.Div, self, other, floating=True, reflected=True)

    def __neg__(self) -> Tensor:
        return self.neg()

    def neg(self) -> Tensor:
        """-self."""
        return promotion.negate(self)

    def __pos__(self) -> Tensor:
        return self

    def pow(self, exponent: Tensor | float) -> Tensor:
        """self ** exponent, for a tensor or number exponent (gradients to both)."""
        return promotion.power(self, exponent)

    def __pow__(self, exponent: Any) -> Tensor:
        return promotion.power(self, exponent)

    def __rpow__(self, base: Any) -> Tensor:
        return promotion.power(self, base, reflected=True)

    def square(self) -> Tensor:
        """self ** 2."""
        return self.pow(2)

    def matmul(self, other: Tensor) -> Tensor:
        """Matrix product with torch's rules for 1-D, 2-D and batched operands."""
        return promotion.matmul(self, other)

    def __matmul__(self, other: Any) -> Tensor:
        return promotion.matmul(self, other)

    def __rmatmul__(self, other: Any) -> Tensor:
        if isinstance(other, np.ndarray):
            return Tensor._make(other).matmul(self)
        return NotImplemented

    def mm(self, other: Tensor) -> Tensor:
        """Matrix product of two 2-D tensors."""
        return promotion.matmul(self, other, matrices_only=True)

    # ------------------------------------------------------------------ comparisons

    def __lt__(self, other: Any) -> Tensor:
        return promotion.compare(np.less, self, other)

    def __le__(self, other: Any) -> Tensor:
        return promotion.compare(np.less_equal, self, other)

    def __gt__(self, other: Any) -> Tensor:
        return promotion.compare(np.greater, self, other)

    def __ge__(self, other: Any) -> Tensor:
        return promotion.compare(np.greater_equal, self, other)

    def __eq__(self, other: Any) -> Tensor:  # type: ignore[override]
        return promotion.compare(np.equal, self, other)

    def __ne__(self, other: Any) -> Tensor:  # type: ignore[override]
        return promotion.compare(np.not_equal, self, other)

    def __and__(self, other: Any) -> Tensor:
        return promotion.compare(np.bitwise_and, self, other, bitwise="&")

    def __or__(self, other: Any) -> Tensor:
        return promotion.compare(np.bitwise_or, self, other, bitwise="|")

    def __invert__(self) -> Tensor:
        return promotion.invert(self)

    def eq(self, other: Any) -> Tensor:
        """Elementwise ==, as a bool tensor."""
        return promotion.compare(np.equal, self, other, method="eq")

    def allclose(self, other: Tensor, rtol: float = 1e-5, atol: float = 1e-8) -> bool:
        """True when every element is close to ``other``'s."""
        return promotion.allclose(self, arguments.check_tensor(other, "allclose"), rtol, atol)

    def any(self) -> Tensor:
        """True if any element is nonzero."""
        return Tensor._make(np.asarray(self._data.any()))

    def all(self) -> Tensor:
        """True if every element is nonzero."""
        return Tensor._make(np.asarray(self._data.all()))

    def argmax(self, dim: int | None = None, keepdim: bool = False) -> Tensor:
        """Indices of the largest values (int64)."""
        return arguments.arg_index(self, "argmax", dim, keepdim)

    def argmin(self, dim: int | None = None, keepdim: bool = False) -> Tensor:
        """Indices of the smallest values (int64)."""
        return arguments.arg_index(self, "argmin", dim, keepdim)

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

    def sign(self) -> Tensor:
        """-1, 0 or 1 by the sign of each element (gradient 0); a bool tensor is its own sign."""
        if self._data.dtype == np.bool_:
            return Tensor._make(self._data.copy())
        return _ops.Sign.apply(self)

    def abs(self) -> Tensor:
        """|x|, elementwise."""
        return _ops.Abs.apply(self)

    def __abs__(self) -> Tensor:
        return _ops.Abs.apply(self)

    def relu(self) -> Tensor:
        """max(x, 0), elementwise."""
        return _ops.ReLU.apply(self)

    def sin(self) -> Tensor:
        """Sine, elementwise."""
        return _ops.Sin.apply(self._floating())

    def cos(self) -> Tensor:
        """Cosine, elementwise."""
        return _ops.Cos.apply(self._floating())

    def tan(self) -> Tensor:
        """Tangent, elementwise."""
        return _ops.Tan.apply(self._floating())

    def expm1(self) -> Tensor:
        """eˣ - 1, elementwise, exact for small x."""
        return _ops.Expm1.apply(self._floating())

    def log1p(self) -> Tensor:
        """ln(1 + x), elementwise, exact for small x."""
        return _ops.Log1p.apply(self._floating())

    def log2(self) -> Tensor:
        """Base-2 logarithm, elementwise."""
        return _ops.Log2.apply(self._floating())

    def log10(self) -> Tensor:
        """Base-10 logarithm, elementwise."""
        return _ops.Log10.apply(self._floating())

    def rsqrt(self) -> Tensor:
        """1 / √x, elementwise."""
        return _ops.Rsqrt.apply(self._floating())

    def reciprocal(self) -> Tensor:
        """1 / x, elementwise (integers give float32)."""
        return _ops.Reciprocal.apply(self._floating())

    def erf(self) -> Tensor:
        """The error function, elementwise."""
        return _ops.Erf.apply(self._floating())

    def floor(self) -> Tensor:
        """The largest whole number <= x, elementwise (gradient 0)."""
        return promotion.rounding(_ops.Floor, self)

    def ceil(self) -> Tensor:
        """The smallest whole number >= x, elementwise (gradient 0)."""
        return promotion.rounding(_ops.Ceil, self)

    def round(self, *, decimals: int = 0) -> Tensor:
        """x rounded to ``decimals`` places, halves to even (gradient 0)."""
        return promotion.rounding(_ops.Round, self, decimals)

    def clamp(self, min: Tensor | float | None = None, max: Tensor | float | None = None) -> Tensor:
        """x limited to [min, max]; each bound a number, a tensor or None."""
        return promotion.clamp(self, min, max)

    def clamp_(self, min: Tensor | float | None = None, max: Any = None) -> Tensor:
        """clamp, in place."""
        return promotion.clamp_(self, min, max)

    clip, clip_ = clamp, clamp_  # torch's aliases

    def maximum(self, other: Tensor) -> Tensor:
        """The larger of each pair of elements (a tie shares the gradient)."""
        return promotion.maximum(self, other)

    def minimum(self, other: Tensor) -> Tensor:
        """The smaller of each pair of elements (a tie shares the gradient)."""
        return promotion.maximum(self, other, smaller=True)

    def where(self, condition: Tensor, other: Tensor | float) -> Tensor:
        """self where ``condition`` is True, else ``other``: torch.where(condition, self, other)."""
        return promotion.where(condition, self, other)

    def lerp(self, end: Tensor, weight: Tensor | float) -> Tensor:
        """self + weight * (end - self)."""
        return promotion.lerp(self, end, weight)

    # ------------------------------------------------------------------ reductions
    def sum(self, dim: int | Sequence[int] | None = None, keepdim: bool = False) -> Tensor:
        """Sum over ``dim`` (an int or a tuple; all dimensions by default)."""
        # torch sums bools and integers as int64 (NumPy gives uint64 for unsigned ones).
        source = self._cast(dtypes.int64) if self._data.dtype.kind in "biu" else self
        return _ops.Sum.apply(
            source, arguments.normalize_dims(dim, self.ndim), arguments.check_keepdim(keepdim)
        )

    def mean(self, dim: int | Sequence[int] | None = None, keepdim: bool = False) -> Tensor:
        """Mean over ``dim`` (an int or a tuple; all dimensions by default); floats only."""
        dims = arguments.normalize_dims(dim, self.ndim)
        return _ops.Mean.apply(
            arguments.floating(self, "mean"), dims, arguments.check_keepdim(keepdim)
        )

    def max(self, dim: Any = None, keepdim: bool = False) -> Any:
        """The largest element; along ``dim``, (values, indices); with a tensor, maximum."""
        return _functions.max(self, dim, keepdim)

    def min(self, dim: Any = None, keepdim: bool = False) -> Any:
        """The smallest element; along ``dim``, (values, indices); with a tensor, minimum."""
        return _functions.min(self, dim, keepdim)

    def amax(self, dim: int | Sequence[int] = (), keepdim: bool = False) -> Tensor:
        """The largest values over ``dim`` (ties share the gradient)."""
        return _functions.amax(self, dim, keepdim)

    def amin(self, dim: int | Sequence[int] = (), keepdim: bool = False) -> Tensor:
        """The smallest values over ``dim`` (ties share the gradient)."""
        return _functions.amin(self, dim, keepdim)

    def prod(self, dim: int | None = None, keepdim: bool = False, *, dtype: Any = None) -> Tensor:
        """Product over ``dim`` (all elements by default)."""
        return _functions.prod(self, dim, keepdim, dtype=dtype)

    def cumsum(self, dim: int, *, dtype: Any = None) -> Tensor:
        """Cumulative sums along ``dim``."""
        return _functions.cumsum(self, dim, dtype=dtype)

    def var(
        self,
        dim: Any = None,
        unbiased: Any = None,
        keepdim: bool = False,
        *,
        correction: Any = None,
    ) -> Tensor:  # noqa: E501
        """Variance over ``dim`` (``correction`` 1 by default)."""
        return _functions.var(self, dim, unbiased, keepdim, correction=correction)

    def std(
        self,
        dim: Any = None,
        unbiased: Any = None,
        keepdim: bool = False,
        *,
        correction: Any = None,
    ) -> Tensor:  # noqa: E501
        """Standard deviation over ``dim`` (``correction`` 1 by default)."""
        return _functions.std(self, dim, unbiased, keepdim, correction=correction)

    def logsumexp(self, dim: int | Sequence[int], keepdim: bool = False) -> Tensor:
        """log Σ exp over ``dim``, computed without overflow."""
        return _functions.logsumexp(self, dim, keepdim)

    def norm(
        self, p: Any = "fro", dim: Any = None, keepdim: bool = False, dtype: Any = None
    ) -> Tensor:
        """The vector norm of order ``p`` over ``dim``, or ``"nuc"``: see tinygrad_lr.norm."""
        return _functions.norm(self, p, dim, keepdim, dtype)

    # ------------------------------------------------------------------ shape
    def reshape(self, *shape: int | Sequence[int]) -> Tensor:
        """The same elements in a new shape; one size may be -1 (inferred)."""
        new_shape = arguments.parse_shape(shape)
        try:
            if min(new_shape, default=0) < -1:  # NumPy would read any negative size as -1
                raise ValueError
            return _ops.Reshape.apply(self, new_shape)
        except ValueError:
            raise checks.reshape_error(new_shape, self._data.size) from None

    def view(self, *shape: int | Sequence[int]) -> Tensor:
        """The same memory in a new shape; refused, as in torch, where that would need a copy."""
        return checks.raise_unless_view(self.reshape(*shape), self)

    def view_as(self, other: Tensor) -> Tensor:
        """View with ``other``'s shape."""
        return self.view(arguments.check_tensor(other, "view_as").shape)

    def reshape_as(self, other: Tensor) -> Tensor:
        """Reshape to ``other``'s shape."""
        return self.reshape(arguments.check_tensor(other, "reshape_as").shape)

    def expand(self, *sizes: int | Sequence[int]) -> Tensor:
        """A view broadcast to ``sizes`` (no copy); -1 keeps a size, new dimensions go in front."""
        return _ops.Expand.apply(self, arguments.expanded_shape(self._data.shape, sizes))

    def sum_to_size(self, *size: int | Sequence[int]) -> Tensor:
        """Sum into ``size``, a shape that broadcasts to this tensor's (the reverse of expand)."""
        return _ops.SumToSize.apply(self, arguments.summed_shape(self._data.shape, size))

    def flatten(self, start_dim: int = 0, end_dim: int = -1) -> Tensor:
        """Merge dimensions ``start_dim`` to ``end_dim`` into one."""
        return self.reshape(arguments.flattened_shape(self._data.shape, start_dim, end_dim))

    def squeeze(self, dim: int | Sequence[int] | None = None) -> Tensor:
        """Remove dimensions of size 1: all of them, or those among ``dim`` (an int or a tuple)."""
        return self.reshape(arguments.squeezed_shape(self._data.shape, dim))

    def unsqueeze(self, dim: int) -> Tensor:
        """Insert a dimension of size 1 at ``dim``."""
        return self.reshape(arguments.unsqueezed_shape(self._data.shape, dim))

    def permute(self, *dims: int | Sequence[int]) -> Tensor:
        """Reorder the dimensions."""
        return _ops.Transpose.apply(self, arguments.permutation(dims, self.ndim))

    def transpose(self, dim0: int, dim1: int) -> Tensor:
        """Swap two dimensions."""
        return _ops.Transpose.apply(self, arguments.swapped_axes(self.ndim, dim0, dim1))

    def t(self) -> Tensor:
        """Transpose a matrix (a tensor of at most 2 dimensions)."""
        return self.transpose(0, 1) if arguments.matrix_ndim(self) == 2 else self

    # Each of these is the function of the same name in tinygrad_lr.functions.
    def expand_as(self, other: Tensor) -> Tensor:
        """Expand to ``other``'s shape."""
        return self.expand(arguments.check_tensor(other, "expand_as").shape)

    def repeat(self, *sizes: int | Sequence[int]) -> Tensor:
        """Tile ``sizes[i]`` times along dimension i (extra sizes add leading dimensions)."""
        return _functions.repeat(self, *sizes)

    def flip(self, *dims: int | Sequence[int]) -> Tensor:
        """Reverse the order of the elements along ``dims``."""
        return _functions.flip(self, dims[0] if len(dims) == 1 else dims)

    def split(self, split_size: int | Sequence[int], dim: int = 0) -> tuple[Tensor, ...]:
        """Pieces of ``split_size`` along ``dim``, or of the sizes listed."""
        return _functions.split(self, split_size, dim)

    def chunk(self, chunks: int, dim: int = 0) -> tuple[Tensor, ...]:
        """At most ``chunks`` equal pieces along ``dim``."""
        return _functions.chunk(self, chunks, dim)

    def narrow(self, dim: int, start: int, length: int) -> Tensor:
        """Elements ``start`` to ``start + length`` along ``dim``."""
        return _functions.narrow(self, dim, start, length)

    def gather(self, dim: int, index: Tensor) -> Tensor:
        """``out[..., i, ...] = self[..., index[..., i, ...], ...]`` along ``dim``."""
        return _functions.gather(self, dim, index)

    def index_select(self, dim: int, index: Tensor) -> Tensor:
        """The entries ``index`` along ``dim``."""
        return _functions.index_select(self, dim, index)

    def masked_fill(self, mask: Tensor, value: Tensor | float) -> Tensor:
        """``value`` where ``mask`` is True."""
        return _functions.masked_fill(self, mask, value)

    def masked_fill_(self, mask: Tensor, value: Tensor | float) -> Tensor:
        """masked_fill, in place."""
        return self.copy_(_functions.masked_fill(self, mask, value))

    def tril(self, diagonal: int = 0) -> Tensor:
        """Zero the elements above diagonal ``diagonal``."""
        return _functions.tril(self, diagonal)

    def triu(self, diagonal: int = 0) -> Tensor:
        """Zero the elements below diagonal ``diagonal``."""
        return _functions.triu(self, diagonal)

    def diag(self, diagonal: int = 0) -> Tensor:
        """A vector on a matrix's diagonal, or a matrix's diagonal."""
        return _functions.diag(self, diagonal)

    def outer(self, vec2: Tensor) -> Tensor:
        """``out[i, j] = self[i] * vec2[j]``."""
        return _functions.outer(self, vec2)

    def movedim(self, source: int | Sequence[int], destination: int | Sequence[int]) -> Tensor:
        """Move dimensions ``source`` to ``destination``."""
        return _functions.movedim(self, source, destination)

    def __getitem__(self, key: Any) -> Tensor:
        key = indexing.numpy_key(key)
        if type(key) is np.ndarray and key.ndim and not self.requires_grad:
            # Fork: rows picked by an index array from data (X[idx], y[idx] at every step) are
            # a copy that records nothing, so NumPy gathers them without Function.apply: 15% of
            # the tutorial's step (python benchmarks/profile_w1.py, "gather batch").
            try:
                return Tensor._make(self._data[key])
            except (IndexError, ValueError):
                pass  # the way below says what was wrong, in torch's words
        try:
            # A key means what it means in NumPy, except where torch's rules differ: then it is
            # taken in two NumPy steps (indexing.torch_index_steps).
            result = self
            for step in indexing.torch_index_steps(key, self._data.ndim):
                result = _ops.Index.apply(result, step)
            return result
        except (IndexError, ValueError, TypeError):
            raise indexing.index_error(self._data.shape, key) from None

    # ------------------------------------------------------------------ in-place
    # Each writes into this tensor's memory and bumps its version: see tinygrad_lr.inplace.
    def add_(self, other: Tensor | float, alpha: float = 1) -> Tensor:
        """self += alpha * other, in place."""
        return inplace.arithmetic(self, _ops.Add, arguments.times_alpha(other, alpha, "add_"))

    def sub_(self, other: Tensor | float, alpha: float = 1) -> Tensor:
        """self -= alpha * other, in place."""
        return inplace.arithmetic(self, _ops.Sub, arguments.times_alpha(other, alpha, "sub_"))

    def mul_(self, other: Tensor | float) -> Tensor:
        """self *= other, in place."""
        return inplace.arithmetic(self, _ops.Mul, other)

    def div_(self, other: Tensor | float) -> Tensor:
        """self /= other, in place."""
        return inplace.arithmetic(self, _ops.Div, other, floating=True)

    def __iadd__(self, other: Any) -> Tensor:
        return inplace.arithmetic(self, _ops.Add, other)

    def __isub__(self, other: Any) -> Tensor:
        return inplace.arithmetic(self, _ops.Sub, other)

    def __imul__(self, other: Any) -> Tensor:
        return inplace.arithmetic(self, _ops.Mul, other)

    def __itruediv__(self, other: Any) -> Tensor:
        return inplace.arithmetic(self, _ops.Div, other, floating=True)

    def __setitem__(self, key: Any, value: Any) -> None:
        inplace.setitem(self, key, value)

    def zero_(self) -> Tensor:
        """Set every element to 0, in place (``w.grad.zero_()``)."""
        return inplace.overwrite(self, "zero_", False)  # False: a zero every dtype can hold

    def fill_(self, value: float | Tensor) -> Tensor:
        """Set every element to ``value`` (a number or a 0-d tensor), in place."""
        return inplace.overwrite(self, "fill_", arguments.fill_value(value))

    def copy_(self, src: Tensor | np.ndarray) -> Tensor:
        """Copy ``src``'s values (broadcast to this shape) into this tensor, in place."""
        return inplace.overwrite(self, "copy_", arguments.copy_source(src))

    def normal_(self, mean: float = 0.0, std: float = 1.0, *, generator: Any = None) -> Tensor:
        """Fill with samples of N(mean, std²), in place."""
        return inplace.overwrite(self, "normal_", _random.normal_like(self, mean, std, generator))

    def uniform_(self, a: float = 0.0, b: float = 1.0, *, generator: Any = None) -> Tensor:
        """Fill with samples of U(a, b), in place."""
        return inplace.overwrite(self, "uniform_", _random.uniform_like(self, a, b, generator))


# The one import cycle of the core, closed here: the ops (through Function.apply), the engine,
# the argument checks, promotion, in-place changes and the random samplers all work on Tensors,
# and Tensor's methods call them. Imported last, they find Tensor defined.
from . import arguments, devices, inplace, promotion  # noqa: E402
from . import functions as _functions  # noqa: E402
from . import ops as _ops  # noqa: E402
from . import random as _random  # noqa: E402
from .autograd import engine as _engine  # noqa: E402
