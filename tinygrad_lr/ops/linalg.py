"""Matrix multiplication with torch's (and NumPy's) rules for 1-D operands, and the linear layer.

``Linear`` is what ``nn.Linear`` and ``F.linear`` compute, as one op (torch's ``addmm``): the
bias is added in place into the fresh product, so the layer makes one array as large as its
output, not two. ``F.linear`` checks the arguments and shapes them for it (a 2-D weight, a bias
that broadcasts to the output), so the op is only the math. float16 products are summed in
float32 and rounded once, the bias included, as torch does.

Examples
--------
>>> import tinygrad_lr as tg
>>> x, W = tg.ones(4, 3), tg.ones(2, 3, requires_grad=True)
>>> b = tg.zeros(2, requires_grad=True)
>>> Linear.apply(x, W, b).sum().backward()  # F.linear(x, W, b): db sums g over 4 rows
>>> W.grad[0], b.grad
(tensor([4., 4., 4.]), tensor([4., 4.]))
>>> a, b = tg.ones(2, 3, requires_grad=True), tg.ones(3, 1, requires_grad=True)
>>> MatMul.apply(a, b).sum().backward()  # a @ b; db = aᵀ @ ones(2, 1)
>>> b.grad.reshape(-1)
tensor([2., 2., 2.])
"""

from __future__ import annotations

import math

import numpy as np

from ..autograd.function import Function


class MatMul(Function):
    """out = a @ b;  da = g @ bᵀ,  db = aᵀ @ g.

    A 1-D ``a`` acts as a row (1, n) and a 1-D ``b`` as a column (n, 1), whose added dimension is
    dropped from the result; backward adds it back to ``g`` so that the 2-D rule serves all cases.
    Batch dimensions broadcast, and the engine sums their gradients back.
    """

    @staticmethod
    def forward(ctx, a, b):
        # da needs b and db needs a: keep only what a wanted gradient needs, as torch does.
        ctx.save_for_backward(
            a if ctx.needs_input_grad[1] else None, b if ctx.needs_input_grad[0] else None
        )
        ctx.ndims = a.ndim, b.ndim
        return _addmm(None, a, b)

    @staticmethod
    def backward(ctx, g):
        a, b = ctx.saved_tensors
        a_ndim, b_ndim = ctx.ndims
        if b_ndim == 1:
            g = g.unsqueeze(-1)
        if a_ndim == 1:
            g = g.unsqueeze(-2)
        da = db = None
        if ctx.needs_input_grad[0]:
            b2 = b.unsqueeze(-1) if b_ndim == 1 else b
            da = g @ b2.transpose(-1, -2)
            if a_ndim == 1:
                da = da.squeeze(-2)
        if ctx.needs_input_grad[1]:
            a2 = a.unsqueeze(0) if a_ndim == 1 else a
            db = a2.transpose(-1, -2) @ g
            if b_ndim == 1:
                db = db.squeeze(-1)
        return da, db


def _addmm(c, a, b):
    """a @ b + c (c may be None); float16 is summed in float32 and rounded once, as in torch."""
    half = a.dtype == np.float16
    out = np.matmul(a, b, dtype=np.float32) if half else np.matmul(a, b)
    if c is not None:
        out += c  # in place into the fresh product: no second array as large as the output
    return out.astype(np.float16) if half else out


class Linear(Function):
    """out = x Wᵀ + b;  dx = g W,  dW = gᵀ x over every row of the batch,  db = g."""

    @staticmethod
    def forward(ctx, x, weight, bias):
        # dx needs W and dW needs x: keep only what a wanted gradient needs, as torch does.
        ctx.save_for_backward(
            x if ctx.needs_input_grad[1] else None, weight if ctx.needs_input_grad[0] else None
        )
        return _addmm(bias, x, weight.T)

    @staticmethod
    def backward(ctx, g):
        x, weight = ctx.saved_tensors
        dx = g @ weight if ctx.needs_input_grad[0] else None
        dweight = None
        if ctx.needs_input_grad[1]:  # rows written out: reshape(-1, 0) fails for empty arrays
            rows = math.prod(x.shape[:-1])
            dweight = g.reshape(rows, g.shape[-1]).T @ x.reshape(rows, x.shape[-1])
        return dx, dweight, g
