"""Elementwise functions of one tensor: out = f(a), so da = g * f'(a).

Where f'(a) is cheaper from the result than from the input (exp, sqrt, sigmoid, tanh), forward
saves the result and backward reuses it instead of computing f again.

Examples
--------
>>> import tinygrad_lr as tg
>>> a = tg.zeros(1, requires_grad=True)
>>> Exp.apply(a).backward()  # a.exp()
>>> a.grad
tensor([1.])
>>> a = tg.tensor([2.0], requires_grad=True)
>>> Log.apply(a).backward()  # a.log()
>>> a.grad
tensor([0.5000])
>>> a = tg.tensor([-2.0, 0.0, 3.0], requires_grad=True)
>>> Abs.apply(a).sum().backward()  # a.abs()
>>> a.grad
tensor([-1.,  0.,  1.])
>>> a = tg.tensor([-2.0, 3.0], requires_grad=True)
>>> Sign.apply(a).sum().backward()  # a.sign()
>>> a.grad
tensor([0., 0.])
>>> a = tg.tensor([4.0], requires_grad=True)
>>> Sqrt.apply(a).backward()  # a.sqrt()
>>> a.grad
tensor([0.2500])
>>> a = tg.tensor([-1.0, 2.0], requires_grad=True)
>>> ReLU.apply(a).sum().backward()  # a.relu()
>>> a.grad
tensor([0., 1.])
>>> a = tg.zeros(1, requires_grad=True)
>>> Sigmoid.apply(a).backward()  # a.sigmoid(): out = 0.5
>>> a.grad
tensor([0.2500])
>>> a = tg.zeros(1, requires_grad=True)
>>> Tanh.apply(a).backward()  # a.tanh()
>>> a.grad
tensor([1.])
"""

from __future__ import annotations

import numpy as np

from ..autograd.function import Function
from ..tensor import Tensor


class Exp(Function):
    """out = eˣ;  da = g * eˣ = g * out."""

    @staticmethod
    def forward(ctx, a):
        out = np.exp(a)
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, g):
        (out,) = ctx.saved_tensors
        return g * out


class Log(Function):
    """out = ln a;  da = g / a."""

    @staticmethod
    def forward(ctx, a):
        ctx.save_for_backward(a)
        return np.log(a)

    @staticmethod
    def backward(ctx, g):
        (a,) = ctx.saved_tensors
        return g / a


class Abs(Function):
    """out = |a|;  da = g * sign(a)  (0 at a = 0, as in torch)."""

    @staticmethod
    def forward(ctx, a):
        ctx.save_for_backward(a)
        return np.abs(a)

    @staticmethod
    def backward(ctx, g):
        (a,) = ctx.saved_tensors
        return g * a.sign()


class Sign(Function):
    """out = sign(a): -1, 0 or 1;  da = 0 (a step function: flat wherever it is differentiable)."""

    @staticmethod
    def forward(ctx, a):
        return np.sign(a)

    @staticmethod
    def backward(ctx, g):
        return Tensor._make(np.zeros_like(g._data))


class Sqrt(Function):
    """out = √a;  da = g / (2√a) = g / (2 * out)."""

    @staticmethod
    def forward(ctx, a):
        out = np.sqrt(a)
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, g):
        (out,) = ctx.saved_tensors
        return g / (2 * out)


class ReLU(Function):
    """out = max(a, 0);  da = g where a > 0, else 0  (0 at a = 0, as in torch)."""

    @staticmethod
    def forward(ctx, a):
        out = np.maximum(a, 0)
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, g):
        (out,) = ctx.saved_tensors
        return g * (out > 0)


class Sigmoid(Function):
    """out = 1 / (1 + e⁻ᵃ);  da = g * out * (1 - out)."""

    @staticmethod
    def forward(ctx, a):
        # The same function written with tanh: exp(-a) would overflow for large negative a.
        out = 0.5 * (1 + np.tanh(0.5 * a))
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, g):
        (out,) = ctx.saved_tensors
        return g * out * (1 - out)


class Tanh(Function):
    """out = tanh a;  da = g * (1 - out²)."""

    @staticmethod
    def forward(ctx, a):
        out = np.tanh(a)
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, g):
        (out,) = ctx.saved_tensors
        return g * (1 - out * out)
