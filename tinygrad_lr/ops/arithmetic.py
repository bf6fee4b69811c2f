"""Elementwise arithmetic. ``g`` is the gradient of the result; each backward applies the chain
rule: the gradient of an input is ``g`` times the derivative of the result with respect to it.

Operands may have different shapes: NumPy broadcasts them in forward, and the engine sums each
gradient back to its input's shape, so these backwards never deal with broadcasting.
The second operand may be a Python number, for which backward returns no gradient.

Examples
--------
>>> import tinygrad_lr as tg
>>> a, b = tg.tensor([1.0, 2.0], requires_grad=True), tg.tensor([3.0], requires_grad=True)
>>> Add.apply(a, b).sum().backward()  # a + b; b was broadcast, so its two gradients add up
>>> a.grad, b.grad
(tensor([1., 1.]), tensor([2.]))
>>> a, b = tg.tensor([5.0], requires_grad=True), tg.tensor([3.0], requires_grad=True)
>>> Sub.apply(a, b).backward()  # a - b
>>> a.grad, b.grad
(tensor([1.]), tensor([-1.]))
>>> a = tg.tensor([2.0], requires_grad=True)
>>> Neg.apply(a).backward()  # -a
>>> a.grad
tensor([-1.])
>>> a, b = tg.tensor([2.0], requires_grad=True), tg.tensor([3.0], requires_grad=True)
>>> Mul.apply(a, b).backward()  # a * b
>>> a.grad, b.grad
(tensor([3.]), tensor([2.]))
>>> a, b = tg.tensor([6.0], requires_grad=True), tg.tensor([3.0], requires_grad=True)
>>> Div.apply(a, b).backward()  # a / b = 2: da = 1/3, db = -2/3
>>> a.grad, b.grad
(tensor([0.3333]), tensor([-0.6667]))
>>> a = tg.tensor([3.0], requires_grad=True)
>>> Pow.apply(a, 2).backward()  # a ** 2
>>> a.grad
tensor([6.])
"""

from __future__ import annotations

import numpy as np

from ..autograd.function import Function
from ..tensor import Tensor


class Add(Function):
    """out = a + b;  da = g,  db = g."""

    @staticmethod
    def forward(ctx, a, b):
        return a + b

    @staticmethod
    def backward(ctx, g):
        return g, g


class Sub(Function):
    """out = a - b;  da = g,  db = -g."""

    @staticmethod
    def forward(ctx, a, b):
        return a - b

    @staticmethod
    def backward(ctx, g):
        return g, (-g if ctx.needs_input_grad[1] else None)


class Neg(Function):
    """out = -a;  da = -g."""

    @staticmethod
    def forward(ctx, a):
        return -a

    @staticmethod
    def backward(ctx, g):
        return -g


class Mul(Function):
    """out = a * b;  da = g * b,  db = g * a."""

    @staticmethod
    def forward(ctx, a, b):
        # Each gradient needs the other operand: keep only what a wanted gradient needs (as
        # torch does, so changing the other operand in place afterwards is allowed).
        ctx.save_for_backward(
            a if ctx.needs_input_grad[1] else None, b if ctx.needs_input_grad[0] else None
        )
        return a * b

    @staticmethod
    def backward(ctx, g):
        a, b = ctx.saved_tensors
        da = g * b if ctx.needs_input_grad[0] else None
        db = g * a if ctx.needs_input_grad[1] else None
        return da, db


class Div(Function):
    """out = a / b;  da = g / b,  db = -g * a / b²."""

    @staticmethod
    def forward(ctx, a, b):
        ctx.save_for_backward(a if ctx.needs_input_grad[1] else None, b)
        return a / b

    @staticmethod
    def backward(ctx, g):
        a, b = ctx.saved_tensors
        da = g / b if ctx.needs_input_grad[0] else None
        db = -g * a / (b * b) if ctx.needs_input_grad[1] else None
        return da, db


class Pow(Function):
    """out = a ** p for a number p;  da = g * p * a ** (p - 1)."""

    @staticmethod
    def forward(ctx, a, p):
        ctx.save_for_backward(a)
        ctx.p = p
        # NumPy's ** computes a * a for p = 2 (as torch does), twice as fast as np.power.
        return a**p

    @staticmethod
    def backward(ctx, g):
        (a,) = ctx.saved_tensors
        p = ctx.p
        # p = 0, 1, 2 written out: exact, and at a = 0 they cannot give 0 * inf = nan
        # (torch's derivative of a ** 0 is 0 everywhere).
        if p == 0:
            return Tensor._make(np.zeros_like(a._data)), None
        if p == 1:
            return g, None
        if p == 2:
            return g * a * 2, None
        return g * (p * a ** (p - 1)), None
