"""Losses as single operations, as torch computes ``F.mse_loss``.

Written with tensor operations, ``((x - y) ** 2).mean()`` records three nodes and, in backward,
builds the gradient of the square and then of the subtraction. As one op the gradient is one
expression: 2 (x - y) g / N.
"""

from __future__ import annotations

import numpy as np

from ..autograd.function import Function


class MseLoss(Function):
    """out = mean((x - y)²) (or the sum, or each (x - y)²);  dx = 2 (x - y) g / N,  dy = -dx.

    Examples
    --------
    >>> import tinygrad_lr as tg
    >>> x, y = tg.tensor([1.0, 3.0], requires_grad=True), tg.tensor([1.0, 1.0])
    >>> MseLoss.apply(x, y, "mean").backward()  # F.mse_loss(x, y): dx = 2 (x - y) / 2
    >>> x.grad
    tensor([0., 2.])
    """

    @staticmethod
    def forward(ctx, x, y, reduction):
        diff = x - y
        ctx.save_for_backward(diff)
        ctx.reduction = reduction
        squares = np.square(diff)
        if reduction == "none":
            return squares
        total = np.add.reduce(squares, axis=None)
        return total / squares.size if reduction == "mean" else total

    @staticmethod
    def backward(ctx, g):
        (diff,) = ctx.saved_tensors
        if ctx.reduction == "mean":
            g = g / diff.size
        dx = diff * (g + g)  # 2 g (x - y); g + g doubles exactly, a number or an array
        dy = -dx if ctx.needs_input_grad[1] else None
        return (dx if ctx.needs_input_grad[0] else None), dy, None
