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
>>> a = tg.ones(2, requires_grad=True)
>>> Repeat.apply(a, (3,)).sum().backward()  # a.repeat(3): each element used 3 times
>>> a.grad
tensor([3., 3.])
>>> a = tg.ones(3, requires_grad=True)
>>> Flip.apply(a, (0,)).backward(tg.tensor([1.0, 2.0, 3.0]))  # a.flip(0)
>>> a.grad
tensor([3., 2., 1.])
>>> a = tg.ones(3, requires_grad=True)
>>> out = Gather.apply(a, 0, np.array([2, 2, 0]))  # a.gather(0, tg.tensor([2, 2, 0]))
>>> out.backward(tg.tensor([1.0, 2.0, 3.0]))
>>> a.grad  # ScatterAdd: element 2 was taken twice
tensor([3., 0., 3.])
>>> ScatterAdd.apply(tg.zeros(3), 0, np.array([0, 0]), tg.tensor([1.0, 2.0]))
tensor([3., 0., 0.])
>>> a = tg.ones(3, requires_grad=True)
>>> MaskedFill.apply(a, np.array([True, False, True]), 0.0).sum().backward()
>>> a.grad  # a.masked_fill(mask, 0): the filled elements get no gradient
tensor([0., 1., 0.])
>>> a = tg.ones(2, 2, requires_grad=True)
>>> Tril.apply(a, 0).sum().backward()  # a.tril()
>>> a.grad
tensor([[1., 0.],
        [1., 1.]])
>>> a = tg.ones(2, 2, requires_grad=True)
>>> Triu.apply(a, 1).sum().backward()  # a.triu(1)
>>> a.grad
tensor([[0., 1.],
        [0., 0.]])
>>> a = tg.ones(2, 3, requires_grad=True)
>>> Einsum.apply("ij,j->i", a, tg.tensor([1.0, 2.0, 3.0])).sum().backward()  # a @ v
>>> a.grad  # the einsum "i,j->ij" of g = (1, 1) with v
tensor([[1., 2., 3.],
        [1., 2., 3.]])
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


class Repeat(Function):
    """out = a tiled ``repeats[i]`` times along dimension i (``repeats`` may add leading
    dimensions);  da = g cut into its tiles, summed over them."""

    @staticmethod
    def forward(ctx, a, repeats):
        ctx.shape, ctx.repeats = a.shape, repeats
        return np.tile(a, repeats)

    @staticmethod
    def backward(ctx, g):
        # Each dimension of g splits into (tile, size of a): sum over the tile axes.
        sizes = (1,) * (len(ctx.repeats) - len(ctx.shape)) + ctx.shape
        tiles = [n for pair in zip(ctx.repeats, sizes) for n in pair]
        summed = g.reshape(tiles).sum(tuple(range(0, len(tiles), 2))) if tiles else g
        return summed.reshape(ctx.shape), None


class Flip(Function):
    """out = a with the order of its elements reversed along ``dims`` (a copy, as in torch);
    da = g flipped back."""

    @staticmethod
    def forward(ctx, a, dims):
        ctx.dims = dims
        return np.flip(a, dims).copy()

    @staticmethod
    def backward(ctx, g):
        return Flip.apply(g, ctx.dims), None


def _positions(index, dim):
    """The NumPy key that picks, for every position of ``index``, the element whose position
    along ``dim`` is the index's value and whose other coordinates are the position's own."""
    key = list(np.indices(index.shape, sparse=True))
    key[dim] = index
    return tuple(key)


class Gather(Function):
    """out[..., i, ...] = a[..., index[..., i, ...], ...] along ``dim``;
    da = zeros with g added at the gathered positions (``ScatterAdd``)."""

    @staticmethod
    def forward(ctx, a, dim, index):
        ctx.shape, ctx.dtype, ctx.dim, ctx.index = a.shape, a.dtype, dim, index
        return a[_positions(index, dim)]

    @staticmethod
    def backward(ctx, g):
        zeros = Tensor._make(np.zeros(ctx.shape, dtype=ctx.dtype))
        return ScatterAdd.apply(zeros, ctx.dim, ctx.index, g), None, None


class ScatterAdd(Function):
    """out = a with src[..., i, ...] added at a[..., index[..., i, ...], ...] along ``dim``
    (repeated positions add up);  da = g,  dsrc = g gathered at those positions."""

    @staticmethod
    def forward(ctx, a, dim, index, src):
        ctx.dim, ctx.index = dim, index
        out = a.copy()
        np.add.at(out, _positions(index, dim), src[tuple(slice(n) for n in index.shape)])
        return out

    @staticmethod
    def backward(ctx, g):
        dsrc = Gather.apply(g, ctx.dim, ctx.index) if ctx.needs_input_grad[3] else None
        return g, None, None, dsrc


class MaskedFill(Function):
    """out = value where mask is True, a elsewhere (mask and a broadcast);
    da = g where mask is False (0 elsewhere),  dvalue = the sum of g where mask is True."""

    @staticmethod
    def forward(ctx, a, mask, value):
        ctx.mask = mask
        ctx.value_dtype = from_numpy_dtype(value.dtype) if isinstance(value, np.ndarray) else None
        return np.where(mask, np.asarray(value, dtype=a.dtype), a)

    @staticmethod
    def backward(ctx, g):
        da = MaskedFill.apply(g, ctx.mask, 0) if ctx.needs_input_grad[0] else None
        dvalue = None
        if ctx.needs_input_grad[2]:  # the engine sums it back to the value's shape, ()
            dvalue = MaskedFill.apply(g, ~ctx.mask, 0).to(ctx.value_dtype)
        return da, None, dvalue


class Tril(Function):
    """out = a with the elements above diagonal ``k`` of its last two dimensions zeroed;
    da = g with the same elements zeroed."""

    @staticmethod
    def forward(ctx, a, k):
        ctx.k = k
        return np.tril(a, k)

    @staticmethod
    def backward(ctx, g):
        return Tril.apply(g, ctx.k), None


class Triu(Function):
    """out = a with the elements below diagonal ``k`` of its last two dimensions zeroed;
    da = g with the same elements zeroed."""

    @staticmethod
    def forward(ctx, a, k):
        ctx.k = k
        return np.triu(a, k)

    @staticmethod
    def backward(ctx, g):
        return Triu.apply(g, ctx.k), None


class Einsum(Function):
    """out = np.einsum(spec, *operands) (explicit ``"ij,jk->ik"``, one letter per dimension);
    each operand's gradient is itself an einsum: g with the other operands, into its letters."""

    @staticmethod
    def forward(ctx, spec, *arrays):
        ctx.inputs, ctx.output = spec.split("->")[0].split(","), spec.split("->")[1]
        ctx.shapes = [a.shape for a in arrays]
        ctx.save_for_backward(*arrays)
        return np.einsum(spec, *arrays)

    @staticmethod
    def backward(ctx, g):
        operands, grads = ctx.saved_tensors, [None]
        for i, letters in enumerate(ctx.inputs):
            others = [(s, t) for j, (s, t) in enumerate(zip(ctx.inputs, operands)) if j != i]
            known = ctx.output + "".join(s for s, _ in others)
            kept = "".join(c for c in letters if c in known)  # letters only i has: expanded
            spec = ",".join([ctx.output, *(s for s, _ in others)]) + "->" + kept
            grad = Einsum.apply(spec, g, *(t for _, t in others))
            ones = [n if c in kept else 1 for c, n in zip(letters, ctx.shapes[i])]
            grads.append(grad.reshape(ones).expand(ctx.shapes[i]))
        return tuple(grads)
