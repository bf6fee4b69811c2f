"""Matrix multiplication with torch's (and NumPy's) rules for 1-D operands."""

from __future__ import annotations

import math

import numpy as np

from ..autograd.function import Function


class MatMul(Function):
    """out = a @ b;  da = g @ bᵀ,  db = aᵀ @ g.

    A 1-D ``a`` acts as a row (1, n) and a 1-D ``b`` as a column (n, 1), whose added dimension is
    dropped from the result; backward adds it back to ``g`` so that the 2-D rule serves all cases.
    Batch dimensions broadcast, and the engine sums their gradients back.

    Examples
    --------
    >>> import tinygrad_lr as tg
    >>> a, b = tg.ones(2, 3, requires_grad=True), tg.ones(3, 1, requires_grad=True)
    >>> MatMul.apply(a, b).sum().backward()  # a @ b; db = aᵀ @ ones(2, 1)
    >>> b.grad.reshape(-1)
    tensor([2., 2., 2.])
    """

    @staticmethod
    def forward(ctx, a, b):
        ctx.save_for_backward(a, b)
        return np.matmul(a, b)

    @staticmethod
    def backward(ctx, g):
        a, b = ctx.saved_tensors
        if b.ndim == 1:
            g = g[..., None]
        if a.ndim == 1:
            g = g[..., None, :]
        da = db = None
        if ctx.needs_input_grad[0]:
            b2 = b[:, None] if b.ndim == 1 else b
            da = g @ b2.swapaxes(-1, -2)
            if a.ndim == 1:
                da = da[..., 0, :]
        if ctx.needs_input_grad[1]:
            a2 = a[None, :] if a.ndim == 1 else a
            db = a2.swapaxes(-1, -2) @ g
            if b.ndim == 1:
                db = db[..., 0]
        return da, db


class Linear(Function):
    """out = x Wᵀ + b;  dx = g W,  dW = gᵀ x,  db = g (summed back over the batch by the engine).

    What ``nn.Linear`` computes, as one op (torch's ``addmm``): the bias is added in place into
    the fresh product, so the layer makes one array as large as its output, not two.

    Examples
    --------
    >>> import tinygrad_lr as tg
    >>> x, W = tg.ones(4, 3), tg.ones(2, 3, requires_grad=True)
    >>> b = tg.zeros(2, requires_grad=True)
    >>> Linear.apply(x, W, b).sum().backward()  # F.linear(x, W, b): db sums g over 4 rows
    >>> W.grad[0], b.grad
    (tensor([4., 4., 4.]), tensor([4., 4.]))
    """

    @staticmethod
    def forward(ctx, x, weight, bias):
        ctx.save_for_backward(x, weight)
        out = np.matmul(x, weight.T)
        if bias is not None:
            out += bias  # F.linear has checked that the bias broadcasts to the output's shape
        return out

    @staticmethod
    def backward(ctx, g):
        x, weight = ctx.saved_tensors
        dx = g @ weight if ctx.needs_input_grad[0] else None
        dweight = None
        if ctx.needs_input_grad[1]:
            # Every row of every batch dimension contributes: flatten them into one. The row
            # count is written out because reshape(-1, 0) cannot infer it for empty arrays.
            rows = math.prod(x.shape[:-1])
            dweight = g.reshape(rows, g.shape[-1]).T @ x.reshape(rows, x.shape[-1])
        return dx, dweight, g
