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
"""

from __future__ import annotations

import numpy as np

from ..autograd.function import Function


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
        return a.sum(axis=dim, keepdims=keepdim)

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
        if a.dtype == np.float16:  # NumPy sums float16 in float32 for a mean, as torch does
            return a.mean(axis=dim, keepdims=keepdim)
        # np.mean is this sum and division plus a few microseconds of Python around them
        # (np.add.reduce is what a.sum calls).
        return np.add.reduce(a, axis=dim, keepdims=keepdim) / ctx.count

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
        # np.add.reduce is what a.sum calls, without the Python wrapper around it.
        return np.add.reduce(a, axis=axes, keepdims=True).reshape(shape)

    @staticmethod
    def backward(ctx, g):
        return g.expand(ctx.shape), None
