"""Reductions. Every element that went into a sum receives the sum's gradient unchanged, so
backward puts the reduced dimensions back and expands ``g`` over them (a view, no copy).

Examples
--------
>>> import tinygrad_lr as tg
>>> a = tg.ones(2, 3, requires_grad=True)
>>> Sum.apply(a, (1,), False).backward(tg.tensor([1.0, 2.0]))  # a.sum(dim=1)
>>> a.grad
tensor([[1., 1., 1.],
        [2., 2., 2.]])
>>> a = tg.ones(4, requires_grad=True)
>>> Mean.apply(a, None, False).backward()  # a.mean()
>>> a.grad
tensor([0.2500, 0.2500, 0.2500, 0.2500])
>>> a = tg.ones(3, 2, requires_grad=True)
>>> SumToSize.apply(a, (1, 2)).backward(tg.tensor([[1.0, 2.0]]))  # a.sum_to_size(1, 2)
>>> a.grad[0]
tensor([1., 2.])
>>> a = tg.tensor([1.0, 3.0, 3.0], requires_grad=True)
>>> Amax.apply(a, None, False).backward()  # a.amax(): the tie shares the gradient
>>> a.grad
tensor([0.0000, 0.5000, 0.5000])
>>> a = tg.tensor([2.0, 1.0, 1.0], requires_grad=True)
>>> Amin.apply(a, (0,), False).backward()  # a.amin(0)
>>> a.grad
tensor([0.0000, 0.5000, 0.5000])
>>> a = tg.tensor([0.0, 2.0, 3.0], requires_grad=True)
>>> Prod.apply(a, None, False).backward()  # a.prod(): one zero
>>> a.grad
tensor([6., 0., 0.])
>>> v = tg.tensor([4.0, 0.0], requires_grad=True)
>>> Std.apply(v).sum().backward()  # x.std() from its variance: no gradient at a constant
>>> v.grad
tensor([0.2500, 0.0000])
>>> a = tg.tensor([3.0, -4.0], requires_grad=True)
>>> Norm.apply(a, 2, None, False).backward()  # tg.linalg.vector_norm(a) = 5: da = a / 5
>>> a.grad
tensor([ 0.6000, -0.8000])
>>> a = tg.ones(3, requires_grad=True)
>>> Cumsum.apply(a, 0).backward(tg.tensor([1.0, 2.0, 3.0]))  # a.cumsum(0)
>>> a.grad
tensor([6., 5., 3.])
"""

from __future__ import annotations

import numpy as np

from ..autograd.function import Function
from ..promotion import where
from ..tensor import Tensor


def _spread(g, ctx):
    """A reduction's gradient expanded over the input's shape (a view, no copy): first with
    each summed dimension put back as 1, unless all were summed or ``keepdim`` kept them."""
    if ctx.dim is not None and not ctx.keepdim:
        g = g.reshape([1 if i in ctx.dim else size for i, size in enumerate(ctx.shape)])
    return g.expand(ctx.shape)


class Sum(Function):
    """out = Σᵢ aᵢ over ``dim`` (all by default);  daᵢ = g for every i."""

    @staticmethod
    def forward(ctx, a, dim, keepdim):
        ctx.shape, ctx.dim, ctx.keepdim = a.shape, dim, keepdim
        return add_reduce(a, dim, keepdim)

    @staticmethod
    def backward(ctx, g):
        return _spread(g, ctx), None, None


class Mean(Function):
    """out = (1/N) Σᵢ aᵢ over ``dim``;  daᵢ = g / N."""

    @staticmethod
    def forward(ctx, a, dim, keepdim):
        ctx.shape, ctx.dim, ctx.keepdim = a.shape, dim, keepdim
        if dim is None:
            ctx.count = a.size
        else:
            ctx.count = 1
            for d in dim:
                ctx.count *= a.shape[d]
        return add_reduce(a, dim, keepdim, ctx.count)

    @staticmethod
    def backward(ctx, g):
        return _spread(g / ctx.count, ctx), None, None


def broadcast_axes(shape, target):
    """The axes of an array of ``shape`` to sum for it to become ``target``: those broadcasting
    added in front and those it stretched from 1; None when ``shape`` is no broadcast of
    ``target``.

    Examples
    --------
    >>> broadcast_axes((10, 3), (1, 3)), broadcast_axes((10, 3), (3,)), broadcast_axes((3,), (2,))
    ((0,), (0,), None)
    """
    leading = len(shape) - len(target)
    if leading < 0:
        return None
    # A plain loop: this runs for every broadcast operand (a bias, at every step).
    axes = list(range(leading))
    for i, size in enumerate(target):
        if size != shape[leading + i]:
            if size != 1:
                return None
            axes.append(leading + i)
    return tuple(axes)


class SumToSize(Function):
    """out = a summed back to ``shape``, a shape that broadcasts to a's (what the engine does to
    the gradient of a broadcast operand);  da = g expanded to a's shape again.

    If ``b`` of shape (1,) was added to a (10, 1) tensor, ``b`` was used 10 times, so its
    gradient is the sum of the 10 gradients it contributed to. ``Expand`` is its mirror image.
    """

    @staticmethod
    def forward(ctx, a, shape):
        axes = broadcast_axes(a.shape, shape)
        if axes is None:
            raise ValueError(f"{a.shape} is not a broadcast of {shape}")
        ctx.shape = a.shape
        # A float16 bias gradient over 3000 rows must not stop at 2048: add_reduce widens.
        return add_reduce(a, axes, True).reshape(shape)

    @staticmethod
    def backward(ctx, g):
        return g.expand(ctx.shape), None


class Amax(Function):
    """out = max a over ``dim``;  da = g where a == out, shared evenly among ties."""

    reduce = staticmethod(np.max)

    @staticmethod
    def forward(ctx, a, dim, keepdim):
        ctx.shape, ctx.dim, ctx.keepdim = a.shape, dim, keepdim
        out = ctx.reduce(a, axis=dim, keepdims=keepdim)
        ctx.save_for_backward(a, out)
        return out

    @staticmethod
    def backward(ctx, g):
        a, out = ctx.saved_tensors
        top = _spread(out.detach(), ctx)._data
        # Where the result is NaN, the NaNs that made it are the ones that receive g, as torch.
        hit = (a._data == top) | (np.isnan(a._data) & np.isnan(top))
        mask = Tensor._make(np.asarray(hit, dtype=a._data.dtype))
        return _spread(g, ctx) * mask / mask.sum(ctx.dim, True), None, None


class Amin(Amax):
    """out = min a over ``dim``;  da = g where a == out, shared evenly among ties."""

    reduce = staticmethod(np.min)


class Prod(Function):
    """out = Πᵢ aᵢ over ``dim`` (an int or None);  daᵢ = g * Π_{j≠i} aⱼ (out / aᵢ without zeros)."""

    @staticmethod
    def forward(ctx, a, dim, keepdim):
        ctx.shape, ctx.dim, ctx.keepdim = a.shape, None if dim is None else (dim,), keepdim
        out = np.prod(a, axis=dim, keepdims=keepdim, dtype=a.dtype)  # NumPy widens small ints
        ctx.save_for_backward(a, out)
        return out

    @staticmethod
    def backward(ctx, g):
        a, out = ctx.saved_tensors
        if (a._data != 0).all():
            return _spread(g, ctx) * _spread(out, ctx) / a, None, None
        d = -1 if ctx.dim is None else ctx.dim[0]
        rows = (a.reshape(-1) if ctx.dim is None else a.movedim(d, -1)).unsqueeze(-2)
        eye = Tensor._make(np.eye(rows.shape[-1], dtype=bool))
        others = Prod.apply(where(eye, Tensor._make(np.ones((), a._data.dtype)), rows), -1, False)
        others = others.reshape(ctx.shape) if ctx.dim is None else others.movedim(-1, d)
        return _spread(g, ctx) * others, None, None


class Std(Function):
    """out = √v, v a variance;  dv = g / (2 out), and 0 where out = 0 (a constant), as torch."""

    @staticmethod
    def forward(ctx, v):
        out = np.sqrt(v)
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, g):
        (out,) = ctx.saved_tensors
        flat = out == 0
        return (g / (2 * out).where(~flat, 1.0)).where(~flat, 0.0)


class Norm(Function):
    """out = (Σᵢ |aᵢ|ᵖ)^(1/p) over ``dim``;  daᵢ = g · sign(aᵢ) |aᵢ|ᵖ⁻¹ / outᵖ⁻¹, and 0 where
    out = 0 (a zero vector), as torch."""

    @staticmethod
    def forward(ctx, a, p, dim, keepdim):
        ctx.shape, ctx.p, ctx.dim, ctx.keepdim = a.shape, p, dim, keepdim
        if p == 2:
            out = np.sqrt(add_reduce(a * a, dim, keepdim))
        else:
            out = add_reduce(np.abs(a) ** p, dim, keepdim) ** (1 / p)
        ctx.save_for_backward(a, out)
        return out

    @staticmethod
    def backward(ctx, g):
        a, out = ctx.saved_tensors
        out = _spread(out, ctx)
        zero = out == 0
        nonzero = a != 0  # |a|ᵖ⁻¹ at a = 0 would be inf for p < 1: the slope there is 0
        magnitude = a.abs().where(nonzero, 1.0) ** (ctx.p - 1)
        scale = a.sign() * magnitude / out.where(~zero, 1.0) ** (ctx.p - 1)
        return (_spread(g, ctx) * scale).where(~zero, 0.0), None, None, None


class Cumsum(Function):
    """out_i = Σ_{j≤i} a_j along ``dim``;  da = reverse cumulative sum of g along ``dim``."""

    @staticmethod
    def forward(ctx, a, dim):
        ctx.dim = dim
        # As torch: float16 accumulates in float32 and float32 in float64; ints keep their dtype.
        wide = {np.float16: np.float32, np.float32: np.float64}.get(a.dtype.type, a.dtype)
        return np.cumsum(a, axis=dim, dtype=wide).astype(a.dtype, copy=False)

    @staticmethod
    def backward(ctx, g):
        return Cumsum.apply(g.flip(ctx.dim), ctx.dim).flip(ctx.dim), None


def _pairwise(a, axis):
    """True when NumPy sums ``a`` over ``axis`` pairwise: the summed elements of each result
    lie in one contiguous run of memory (otherwise it adds one row at a time)."""
    if not a.flags.c_contiguous:
        return False
    if axis is None:
        return True
    # Contiguous: pairwise when every summed axis (of size > 1) comes after every kept one.
    kept_after = False
    for i in range(a.ndim - 1, -1, -1):  # a plain loop: this runs at every step
        if a.shape[i] != 1:
            if i not in axis:
                kept_after = True
            elif kept_after:
                return False
    return True


def add_reduce(a, axis, keepdims, count=1):
    """``np.add.reduce(a, axis) / count`` accumulated as torch does: float16 in float32, and
    float32 in float64 where NumPy would add row by row; rounded once.

    Examples
    --------
    >>> add_reduce(np.ones((3000, 3), np.float16), (0,), False).tolist()
    [3000.0, 3000.0, 3000.0]
    """
    if a.dtype == np.float16 or (a.dtype == np.float32 and not _pairwise(a, axis)):
        wide = np.float32 if a.dtype == np.float16 else np.float64
        out = np.add.reduce(a, axis=axis, dtype=wide, keepdims=keepdims)
        return (out / count if count != 1 else out).astype(a.dtype)
    out = np.add.reduce(a, axis=axis, keepdims=keepdims)
    return out / count if count != 1 else out
