"""Solving, inverting and factoring matrices (``torch.linalg``), batched over leading dimensions.

Each backward is written with the ops themselves (``Inv`` inside the rules of ``Det`` and
``Cholesky``, ``Solve`` inside its own), so second derivatives come for free. ``ᵀ`` is the
transpose of the last two dimensions (``_T``).

Examples
--------
>>> import tinygrad_lr as tg
>>> A = tg.tensor([[2.0, 0.0], [0.0, 4.0]], requires_grad=True)
>>> Inv.apply(A).sum().backward()  # tg.linalg.inv(A): dA = -A⁻ᵀ g A⁻ᵀ
>>> A.grad
tensor([[-0.2500, -0.1250],
        [-0.1250, -0.0625]])
>>> A.grad = None
>>> Det.apply(A).backward()  # tg.linalg.det(A) = 8: dA = det(A) A⁻ᵀ
>>> A.grad
tensor([[4., 0.],
        [0., 2.]])
>>> Solve.apply(A, tg.tensor([[2.0], [4.0]]))  # tg.linalg.solve(A, b)
tensor([[1.],
        [1.]], grad_fn=<SolveBackward0>)
>>> Svdvals.apply(A)  # tg.linalg.svdvals(A), largest first
tensor([4., 2.], grad_fn=<SvdvalsBackward0>)
>>> L = Cholesky.apply(tg.tensor([[4.0, 2.0], [2.0, 5.0]]))  # tg.linalg.cholesky
>>> L
tensor([[2., 0.],
        [1., 2.]])
>>> Pinv.apply(tg.tensor([[1.0], [1.0]]))  # tg.linalg.pinv: the least-squares inverse
tensor([[0.5000, 0.5000]])
>>> SvdFactors.apply(tg.tensor([[0.0, 2.0], [1.0, 0.0]]), True, "U").abs()  # U of svd, up to signs
tensor([[1., 0.],
        [0., 1.]])
"""

from __future__ import annotations

import numpy as np

from ..autograd.function import Function
from ..grad_mode import state as grad_state
from ..tensor import Tensor


def _T(x):
    """The transpose of the last two dimensions."""
    return x.transpose(-1, -2)


class Inv(Function):
    """out = A⁻¹;  dA = -outᵀ g outᵀ."""

    @staticmethod
    def forward(ctx, a):
        out = np.linalg.inv(a)
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, g):
        (out,) = ctx.saved_tensors
        return -(_T(out) @ g @ _T(out))


class Solve(Function):
    """out = X with A X = B (B a matrix, or a batch of them);
    dB = A⁻ᵀ g (a solve with Aᵀ),  dA = -dB Xᵀ."""

    @staticmethod
    def forward(ctx, a, b):
        out = np.linalg.solve(a, b)
        ctx.save_for_backward(a, out)
        return out

    @staticmethod
    def backward(ctx, g):
        a, out = ctx.saved_tensors
        db = Solve.apply(_T(a), g)
        return -(db @ _T(out)) if ctx.needs_input_grad[0] else None, db


class Det(Function):
    """out = det A;  dA = g · out · A⁻ᵀ (A invertible)."""

    @staticmethod
    def forward(ctx, a):
        with np.errstate(invalid="ignore"):
            out = np.linalg.det(a)
        # NumPy's det of a matrix holding NaN can be 0; torch's is NaN.
        out = np.where(np.isnan(a).any(axis=(-2, -1)), np.nan, out).astype(a.dtype)
        ctx.save_for_backward(a, out)
        return out

    @staticmethod
    def backward(ctx, g):
        a, out = ctx.saved_tensors
        if (out._data != 0).all():
            return (g * out).unsqueeze(-1).unsqueeze(-1) * _T(Inv.apply(a))
        # Fork: a singular matrix has no inverse; the gradient is then its cofactor matrix,
        # from the SVD, as a constant (refused under create_graph, which would need more).
        if grad_state.enabled:
            raise NotImplementedError(
                "the second derivative of linalg.det at a singular matrix is not implemented"
            )
        return g.unsqueeze(-1).unsqueeze(-1) * Tensor._make(_cofactors(a._data))


def _cofactors(a):
    """The cofactor matrices det(A) A⁻ᵀ, also for singular A: with A = U diag(s) Vᴴ, they are
    det(U) det(Vᴴ) U diag(Π_{j≠i} s_j) Vᴴ."""
    u, s, vh = np.linalg.svd(a)
    others = np.stack([np.prod(np.delete(s, i, axis=-1), axis=-1) for i in range(s.shape[-1])], -1)
    sign = np.linalg.det(u) * np.linalg.det(vh)
    return sign[..., None, None] * (u * others[..., None, :]) @ vh


class Cholesky(Function):
    """out = L, lower triangular with L Lᵀ = A;  dA = ½(S + Sᵀ), S = L⁻ᵀ Φ(Lᵀ g) L⁻¹,
    Φ keeping the lower triangle with its diagonal halved."""

    @staticmethod
    def forward(ctx, a):
        out = np.linalg.cholesky(a)
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, g):
        (L,) = ctx.saved_tensors
        half_diagonal = Tensor._make(1 - 0.5 * np.eye(L.shape[-1], dtype=L._data.dtype))
        phi = (_T(L) @ g).tril() * half_diagonal
        L_inv = Inv.apply(L)
        s = _T(L_inv) @ phi @ L_inv
        return 0.5 * (s + _T(s))


class Svdvals(Function):
    """out = the singular values of A, largest first;  dA = U diag(g) Vᵀ (the reduced SVD)."""

    @staticmethod
    def forward(ctx, a):
        u, s, vh = np.linalg.svd(a, full_matrices=False)
        ctx.save_for_backward(u, vh)  # neither input nor output: arrays of the factorization
        return s

    @staticmethod
    def backward(ctx, g):
        u, vh = ctx.saved_tensors
        return (u * g.unsqueeze(-2)) @ vh


class Pinv(Function):
    """out = A⁺, the pseudo-inverse;  dA = -outᵀ g outᵀ + (I - A out) gᵀ out outᵀ
    + outᵀ out gᵀ (I - out A), for A of constant rank (Golub and Pereyra)."""

    @staticmethod
    def forward(ctx, a):
        # torch's cutoff: singular values below eps · max(m, n) · the largest are taken as 0.
        out = np.linalg.pinv(a, rcond=np.finfo(a.dtype).eps * max(a.shape[-2:]))
        ctx.save_for_backward(a, out)
        return out

    @staticmethod
    def backward(ctx, g):
        a, p = ctx.saved_tensors
        m, n = a.shape[-2], a.shape[-1]
        eye_m = Tensor._make(np.eye(m, dtype=a._data.dtype))
        eye_n = Tensor._make(np.eye(n, dtype=a._data.dtype))
        da = -(_T(p) @ g @ _T(p))
        da = da + (eye_m - a @ p) @ _T(g) @ p @ _T(p)
        return da + _T(p) @ p @ _T(g) @ (eye_n - p @ a)


class SvdFactors(Function):
    """out = U or Vᴴ of the SVD of A (``which``);  no gradient: backward raises, so that a loss
    built on them never receives a silent zero (their gradient is not implemented)."""

    @staticmethod
    def forward(ctx, a, full_matrices, which):
        u, _, vh = np.linalg.svd(a, full_matrices=full_matrices)
        return u if which == "U" else vh

    @staticmethod
    def backward(ctx, g):
        raise NotImplementedError(
            "the gradient through U or Vh of linalg.svd is not implemented; differentiate "
            "linalg.svdvals (the singular values), or detach U and Vh"
        )
