"""Losses as single operations, as torch computes ``F.mse_loss``, ``F.huber_loss`` and
``F.smooth_l1_loss``.

Written with tensor operations, ``((x - y) ** 2).mean()`` records three nodes and, in backward,
builds the gradient of the square and then of the subtraction. As one op the gradient is one
expression: 2 (x - y) g / N. ``F.mse_loss`` checks the arguments and gives both one floating
dtype; a target of another shape broadcasts (the engine sums its gradient back), and N counts
the broadcast elements, as in torch.

Examples
--------
>>> import tinygrad_lr as tg
>>> x, y = tg.tensor([1.0, 3.0], requires_grad=True), tg.tensor([1.0, 1.0])
>>> MseLoss.apply(x, y, "mean").backward()  # F.mse_loss(x, y): dx = 2 (x - y) / 2
>>> x.grad
tensor([0., 2.])

Huber and smooth L1 are quadratic near 0 and linear beyond δ (β): the gradient of each element
is the error clamped to ±δ (for smooth L1, the error over β clamped to ±1).

>>> x = tg.tensor([0.5, 3.0], requires_grad=True)
>>> HuberLoss.apply(x, tg.zeros(2), 1.0, "sum").backward()  # F.huber_loss(x, 0, "sum")
>>> x.grad
tensor([0.5000, 1.0000])
>>> x = tg.tensor([0.5, 3.0], requires_grad=True)
>>> SmoothL1Loss.apply(x, tg.zeros(2), 2.0, "sum").backward()  # beta=2: dx = clamp(x / 2, ±1)
>>> x.grad
tensor([0.2500, 1.0000])
"""

from __future__ import annotations

import math

import numpy as np

from ..autograd.function import Function


def _reduce(squares, reduction):
    """Σ squares, or their mean, in their dtype; float16 is summed in float32, as in torch."""
    accumulate = np.float32 if squares.dtype == np.float16 else None
    total = np.add.reduce(squares, axis=None, dtype=accumulate)
    if reduction == "mean":
        total = total / (squares.size or np.nan)  # empty: nan, as torch (0/nan, not 0/0's warning)
    return np.asarray(total, squares.dtype)


class MseLoss(Function):
    """out = mean((x - y)²), Σ (x - y)² or each (x - y)²;  dx = 2 (x - y) g / N,  dy = -dx."""

    @staticmethod
    def forward(ctx, x, y, reduction):
        ctx.save_for_backward(x, y)  # as torch: changing either in place before backward is refused
        ctx.reduction = reduction
        squares = np.square(x - y)
        return squares if reduction == "none" else _reduce(squares, reduction)

    @staticmethod
    def backward(ctx, g):
        x, y = ctx.saved_tensors
        diff = x - y
        count = diff.numel() if ctx.reduction == "mean" else 1
        # 2/N as a number, as in torch (N itself can overflow float16); an empty mean's is nan.
        dx = diff * (g * (2 / count if count else math.nan))
        return dx, (-dx if ctx.needs_input_grad[1] else None), None


class HuberLoss(Function):
    """out = ½ d² if |d| < δ else δ (|d| - ½ δ), d = x - y;  dx = clamp(d, -δ, δ) g / N."""

    @staticmethod
    def forward(ctx, x, y, delta, reduction):
        ctx.save_for_backward(x, y)
        ctx.delta, ctx.reduction = delta, reduction
        diff = x - y
        size = np.abs(diff)
        losses = np.where(size < delta, 0.5 * diff * diff, delta * (size - 0.5 * delta))
        losses = losses.astype(diff.dtype, copy=False)
        return losses if reduction == "none" else _reduce(losses, reduction)

    @staticmethod
    def backward(ctx, g):
        x, y = ctx.saved_tensors
        dx = (x - y).clamp(-ctx.delta, ctx.delta) * _scaled(g, x, y, ctx.reduction)
        return dx, (-dx if ctx.needs_input_grad[1] else None), None, None


class SmoothL1Loss(Function):
    """out = ½ d² / β if |d| < β else |d| - ½ β, d = x - y;  dx = clamp(d / β, -1, 1) g / N."""

    @staticmethod
    def forward(ctx, x, y, beta, reduction):
        ctx.save_for_backward(x, y)
        ctx.beta, ctx.reduction = beta, reduction
        diff = x - y
        size = np.abs(diff)
        losses = np.where(size < beta, 0.5 * diff * diff / beta, size - 0.5 * beta)
        losses = losses.astype(diff.dtype, copy=False)
        return losses if reduction == "none" else _reduce(losses, reduction)

    @staticmethod
    def backward(ctx, g):
        x, y = ctx.saved_tensors
        dx = ((x - y) / ctx.beta).clamp(-1, 1) * _scaled(g, x, y, ctx.reduction)
        return dx, (-dx if ctx.needs_input_grad[1] else None), None, None


def _scaled(g, x, y, reduction):
    """g / N for a mean over the N broadcast elements (nan for none), else g."""
    if reduction != "mean":
        return g
    count = math.prod(np.broadcast_shapes(tuple(x.shape), tuple(y.shape)))
    return g * (1 / count if count else math.nan)
