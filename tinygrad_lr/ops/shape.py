"""Operations that move, select or copy elements without arithmetic.

Their backward routes each gradient element back to where its input element came from: a
reshape is undone by reshaping, a transpose by the inverse transpose, an expand by summing, and
indexing by adding the gradient into a zero array at the indexed positions (repeated indices add
up: ``IndexPut`` with ``accumulate``).

Examples
--------
>>> import tinygrad_lr as tg
>>> a = tg.ones(4, requires_grad=True)
>>> Reshape.apply(a, (2, 2)).backward(tg.tensor([[1.0, 2.0], [3.0, 4.0]]))
>>> a.grad
tensor([1., 2., 3., 4.])
>>> a = tg.ones(2, 3, requires_grad=True)
>>> out = Transpose.apply(a, (1, 0))  # a.T
>>> out.backward(tg.ones(3, 2))
>>> out.shape, a.grad.shape
(tinygrad_lr.Size([3, 2]), tinygrad_lr.Size([2, 3]))
>>> a = tg.zeros(3, requires_grad=True)
>>> a[[0, 0, 2]].sum().backward()  # Index.apply(a, key): element 0 was taken twice
>>> a.grad
tensor([2., 0., 1.])
>>> a = tg.ones(1, 2, requires_grad=True)
>>> Expand.apply(a, (3, 2)).sum().backward()  # a.expand(3, 2): each element used 3 times
>>> a.grad
tensor([[3., 3.]])
>>> a, b = tg.ones(2, requires_grad=True), tg.ones(1, requires_grad=True)
>>> Cat.apply(0, a, b).backward(tg.tensor([1.0, 2.0, 3.0]))  # tg.cat([a, b])
>>> a.grad, b.grad
(tensor([1., 2.]), tensor([3.]))
>>> a, b = tg.ones(2, requires_grad=True), tg.ones(2, requires_grad=True)
>>> Stack.apply(0, a, b).backward(tg.tensor([[1.0, 2.0], [3.0, 4.0]]))  # tg.stack([a, b])
>>> a.grad, b.grad
(tensor([1., 2.]), tensor([3., 4.]))
>>> a = tg.ones(2, requires_grad=True)
>>> Clone.apply(a).sum().backward()  # a.clone()
>>> a.grad
tensor([1., 1.])
>>> src = tg.tensor([5.0], requires_grad=True)
>>> out = Copy.apply(tg.zeros(2), src)  # what a.copy_(src) records
>>> out
tensor([5., 5.], grad_fn=<CopyBackward0>)
>>> out.sum().backward()
>>> src.grad
tensor([2.])
>>> a = tg.tensor([1.5], requires_grad=True)
>>> out = Cast.apply(a, np.float64)  # a.double()
>>> out.backward(tg.ones(1, dtype=tg.float64))
>>> out.dtype, a.grad.dtype
(tinygrad_lr.float64, tinygrad_lr.float32)
"""

from __future__ import annotations

import numpy as np

from ..autograd.function import Function
from ..dtypes import from_numpy_dtype
from ..tensor import Tensor
from .views import IndexPut


class Reshape(Function):
    """out = a viewed with a new shape;  da = g reshaped to a's shape."""

    view_method = "reshape"

    @staticmethod
    def forward(ctx, a, shape):
        ctx.shape = a.shape
        return a.reshape(shape)

    @staticmethod
    def backward(ctx, g):
        return g.reshape(ctx.shape), None


class Transpose(Function):
    """out = a with its dimensions permuted by ``axes``;  da = g permuted back."""

    view_method = "transpose"

    @staticmethod
    def forward(ctx, a, axes):
        # The inverse permutation: axis axes[i] of the result came from axis i. (np.argsort
        # gives the same tuple, at several times the cost for a handful of axes.)
        inverse = [0] * len(axes)
        for i, axis in enumerate(axes):
            inverse[axis] = i
        ctx.inverse = tuple(inverse)
        return a.transpose(axes)

    @staticmethod
    def backward(ctx, g):
        return g.permute(ctx.inverse), None


class Index(Function):
    """out = a[key];  da = zeros like a, with g added at the positions key selected."""

    view_method = "__getitem__"

    @staticmethod
    def forward(ctx, a, key):
        ctx.shape, ctx.dtype, ctx.key = a.shape, a.dtype, key
        return a[key]

    @staticmethod
    def backward(ctx, g):
        zeros = Tensor._make(np.zeros(ctx.shape, dtype=ctx.dtype))
        return IndexPut.apply(zeros, g, (ctx.key,), True), None


class Expand(Function):
    """out = a broadcast to ``shape`` (a read-only view: no copy);  da = g summed back to a's
    shape. ``SumToSize`` is its mirror image."""

    @staticmethod
    def forward(ctx, a, shape):
        ctx.shape = a.shape
        if a.ndim == 0:
            # One number everywhere: a view whose strides are all 0, made directly because
            # np.broadcast_to spends microseconds checking before making the same view (this is
            # the gradient of every mean and sum of a whole tensor).
            view = np.ndarray(shape, a.dtype, a, 0, (0,) * len(shape))
            view.flags.writeable = False
            return view
        return np.broadcast_to(a, shape)

    @staticmethod
    def backward(ctx, g):
        return g.sum_to_size(ctx.shape), None


class Cat(Function):
    """out = the inputs joined along ``dim``;  each input's gradient is its slice of g."""

    @staticmethod
    def forward(ctx, dim, *arrays):
        ctx.dim = dim
        ctx.sizes = [array.shape[dim] for array in arrays]
        return np.concatenate(arrays, axis=dim)

    @staticmethod
    def backward(ctx, g):
        before, grads, start = (slice(None),) * ctx.dim, [None], 0
        for size in ctx.sizes:
            grads.append(g[(*before, slice(start, start + size))])
            start += size
        return tuple(grads)


class Stack(Function):
    """out = the inputs stacked along a new ``dim``;  each input's gradient is g[..., i, ...]."""

    @staticmethod
    def forward(ctx, dim, *arrays):
        ctx.dim = dim
        return np.stack(arrays, axis=dim)

    @staticmethod
    def backward(ctx, g):
        before = (slice(None),) * ctx.dim
        return (None, *[g[(*before, i)] for i in range(g.shape[ctx.dim])])


class Clone(Function):
    """out = a copy of a;  da = g."""

    @staticmethod
    def forward(ctx, a):
        return a.copy()

    @staticmethod
    def backward(ctx, g):
        return g


class Copy(Function):
    """out = src's values, broadcast to a's shape and dtype (``a.copy_(src)``, ``a.fill_(v)``);
    da = 0 (a's old values are overwritten),  dsrc = g (summed back to src's shape).
    """

    @staticmethod
    def forward(ctx, a, src):
        ctx.src_dtype = from_numpy_dtype(src.dtype) if isinstance(src, np.ndarray) else None
        out = np.empty_like(a)
        np.copyto(out, src, casting="same_kind")
        return out

    @staticmethod
    def backward(ctx, g):
        da = Tensor._make(np.zeros_like(g._data)) if ctx.needs_input_grad[0] else None
        dsrc = g.to(ctx.src_dtype) if ctx.needs_input_grad[1] else None
        return da, dsrc


class Cast(Function):
    """out = a converted to another dtype;  da = g converted back to a's dtype."""

    @staticmethod
    def forward(ctx, a, dtype):
        ctx.dtype = from_numpy_dtype(a.dtype)
        return a.astype(dtype)

    @staticmethod
    def backward(ctx, g):
        return g.to(ctx.dtype), None
