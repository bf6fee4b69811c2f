"""Reductions. Every element that went into a sum receives the sum's gradient unchanged, so
backward puts the reduced dimensions back and broadcasts ``g`` over them (a view, no copy).

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
"""

from __future__ import annotations

import numpy as np

from ..autograd.function import Function


def _spread(g, ctx):
    """Broadcast a reduced gradient back over the input's shape (a read-only view, no copy)."""
    if ctx.dim is None:
        # One number for every element: a view whose strides are all 0, made directly because
        # np.broadcast_to spends several microseconds checking before making the same view.
        view = np.ndarray(ctx.shape, g.dtype, g, 0, (0,) * len(ctx.shape))
        view.flags.writeable = False
        return view
    if not ctx.keepdim:
        g = np.expand_dims(g, ctx.dim)
    return np.broadcast_to(g, ctx.shape)


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
