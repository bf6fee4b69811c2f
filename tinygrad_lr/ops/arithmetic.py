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
>>> a, p = tg.tensor([2.0], requires_grad=True), tg.tensor([3.0], requires_grad=True)
>>> Pow.apply(a, p).backward()  # a ** p: da = p a², dp = a³ ln a
>>> a.grad, p.grad
(tensor([12.]), tensor([5.5452]))
>>> a, b = tg.tensor([1.0, 2.0], requires_grad=True), tg.tensor([2.0, 2.0], requires_grad=True)
>>> Maximum.apply(a, b).sum().backward()  # a tie (2 = 2) gives each half
>>> a.grad, b.grad
(tensor([0.0000, 0.5000]), tensor([1.0000, 0.5000]))
>>> a, b = tg.tensor([1.0, 2.0], requires_grad=True), tg.tensor([3.0, 0.0], requires_grad=True)
>>> Minimum.apply(a, b).sum().backward()
>>> a.grad, b.grad
(tensor([1., 0.]), tensor([0., 1.]))
>>> x, y = tg.tensor([1.0, 2.0], requires_grad=True), tg.tensor([3.0, 4.0], requires_grad=True)
>>> Where.apply(tg.tensor([True, False]), x, y).sum().backward()  # where(cond, x, y)
>>> x.grad, y.grad
(tensor([1., 0.]), tensor([0., 1.]))
>>> a = tg.tensor([-1.0, 0.5, 1.0, 3.0], requires_grad=True)
>>> Clamp.apply(a, 0.0, 1.0).sum().backward()  # a.clamp(0, 1): the bounds pass g on
>>> a.grad
tensor([0., 1., 1., 0.])
>>> a, b = tg.tensor([0.0], requires_grad=True), tg.tensor([10.0], requires_grad=True)
>>> w = tg.tensor([0.25], requires_grad=True)
>>> Lerp.apply(a, b, w).backward()  # a.lerp(b, w) = 2.5
>>> a.grad, b.grad, w.grad
(tensor([0.7500]), tensor([0.2500]), tensor([10.]))
"""

from __future__ import annotations

import math

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
    """out = a ** p;  da = g * p * a ** (p - 1),  dp = g * out * ln a.

    Either operand may be a number (``x ** 2``, ``2 ** x``). torch's conventions: da = 0 where
    p = 0, and dp = 0 where a = 0 and p >= 0 (there ln a = -inf, and 0 ** p is flat or a kink).
    """

    @staticmethod
    def forward(ctx, a, p):
        # NumPy's ** computes a * a for p = 2 (as torch does), twice as fast as np.power.
        out = a**p
        ctx.save_for_backward(a, p, out if ctx.needs_input_grad[1] else None)
        ctx.number = p if not isinstance(p, np.ndarray) else a  # drawn in graphs: "input ** 2"
        return out

    @staticmethod
    def backward(ctx, g):
        a, p, out = ctx.saved_tensors
        da = dp = None
        if ctx.needs_input_grad[0]:
            da = _pow_base_gradient(g, a, p)
        if ctx.needs_input_grad[1]:
            if isinstance(a, Tensor):
                dp = (g * out * a.log()).where(~((a == 0) & (p >= 0)), 0.0)
            else:  # a number base: 2 ** x
                log_a = math.log(a) if a > 0 else -math.inf if a == 0 else math.nan
                dp = g * out * log_a
                dp = dp.where(p < 0, 0.0) if a == 0 else dp
        return da, dp


def _pow_base_gradient(g, a, p):
    """g * p * a ** (p - 1); 0 where p = 0, as torch (not 0 * inf = nan at a = 0)."""
    if isinstance(p, Tensor):
        return (g * p * a ** (p - 1)).where(p != 0, 0.0)
    # p = 0, 1, 2 written out: exact, and at a = 0 they cannot give 0 * inf = nan.
    if p == 0:
        return Tensor._make(np.zeros_like(a._data))
    if p == 1:
        return g
    if p == 2:
        return g * a * 2
    return g * (p * a ** (p - 1))


class Maximum(Function):
    """out = max(a, b);  da = g where a > b, db = g where b > a; a tie gives each g / 2."""

    @staticmethod
    def forward(ctx, a, b):
        ctx.save_for_backward(a, b)
        return np.maximum(a, b)

    @staticmethod
    def backward(ctx, g):
        a, b = ctx.saved_tensors
        half = (g * 0.5).where(a == b, 0.0)
        return g.where(a > b, half), g.where(b > a, half)


class Minimum(Function):
    """out = min(a, b);  da = g where a < b, db = g where b < a; a tie gives each g / 2."""

    @staticmethod
    def forward(ctx, a, b):
        ctx.save_for_backward(a, b)
        return np.minimum(a, b)

    @staticmethod
    def backward(ctx, g):
        a, b = ctx.saved_tensors
        half = (g * 0.5).where(a == b, 0.0)
        return g.where(a < b, half), g.where(b < a, half)


class Where(Function):
    """out = x where cond, else y;  dx = g where cond (0 elsewhere),  dy = g elsewhere."""

    @staticmethod
    def forward(ctx, cond, x, y):
        ctx.save_for_backward(cond)
        return np.where(cond, x, y)

    @staticmethod
    def backward(ctx, g):
        (cond,) = ctx.saved_tensors
        dx = Where.apply(cond, g, 0.0) if ctx.needs_input_grad[1] else None
        dy = Where.apply(cond, 0.0, g) if ctx.needs_input_grad[2] else None
        return None, dx, dy


class Clamp(Function):
    """out = min(max(a, lo), hi), a bound None for none;  da = g where lo <= a <= hi,
    dlo = g where a < lo (and lo < hi),  dhi = g where a > hi (or hi < lo): torch's rules."""

    @staticmethod
    def forward(ctx, a, lo, hi):
        ctx.save_for_backward(a, lo, hi)
        out = a if lo is None else np.maximum(a, lo)
        return out if hi is None else np.minimum(out, hi)

    @staticmethod
    def backward(ctx, g):
        a, lo, hi = ctx.saved_tensors
        da = dlo = dhi = None
        if ctx.needs_input_grad[0]:
            inside = a >= lo if hi is None else a <= hi if lo is None else (a >= lo) & (a <= hi)
            da = g.where(inside, 0.0)
        if ctx.needs_input_grad[1]:
            dlo = g.where(a < lo if hi is None else (a < lo) & (lo < hi), 0.0)
        if ctx.needs_input_grad[2]:
            dhi = g.where(a > hi if lo is None else (a > hi) | (hi < lo), 0.0)
        return da, dlo, dhi


class Lerp(Function):
    """out = a + w (b - a);  da = g (1 - w),  db = g w,  dw = g (b - a)."""

    @staticmethod
    def forward(ctx, a, b, w):
        ctx.save_for_backward(a, b, w)
        diff = b - a
        # torch's two forms: each is exact at its end (w = 0 gives a, w = 1 gives b).
        return np.where(np.abs(w) < 0.5, a + w * diff, b - diff * (1 - w))

    @staticmethod
    def backward(ctx, g):
        a, b, w = ctx.saved_tensors
        da = g * (1 - w) if ctx.needs_input_grad[0] else None
        db = g * w if ctx.needs_input_grad[1] else None
        dw = g * (b - a) if ctx.needs_input_grad[2] else None
        return da, db, dw
