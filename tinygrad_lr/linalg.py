"""``torch.linalg``: solving, inverting and factoring matrices, and norms, with gradients where
torch has them.

Each function checks its arguments in torch's words and applies an op of
:mod:`tinygrad_lr.ops.decompositions` (or is Tensor code over them: ``lstsq`` is ``pinv(A) @ B``,
the matrix norms are reductions of ``svdvals`` or of sums). Batches of matrices ``(..., m, n)``
work as in torch. A singular or not positive-definite matrix raises :class:`LinAlgError`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np

from . import ops
from .arguments import normalize_dims
from .functions import return_type
from .tensor import Tensor

__all__ = [
    "LinAlgError", "cholesky", "det", "inv", "lstsq", "matrix_norm", "pinv", "qr", "solve",
    "svd", "svdvals", "vector_norm",
]  # fmt: skip


class LinAlgError(RuntimeError):
    """A matrix that the operation cannot handle: singular, or not positive-definite."""


_TORCH_NAMES = {"int64": "Long", "int32": "Int", "int16": "Short", "int8": "Char",
                "uint8": "Byte", "bool": "Bool", "float16": "Half"}  # fmt: skip


def _matrix(A: Any, name: str, square: bool = True) -> Tensor:
    """A float32 or float64 tensor of at least 2 dimensions (square ones if ``square``)."""
    if not isinstance(A, Tensor):
        raise TypeError(f"{name}(): argument 'A' must be Tensor, not {type(A).__name__}")
    kind = A._data.dtype
    if kind.kind != "f":
        raise RuntimeError(
            f"{name}: Expected a floating point or complex tensor as input. Got "
            f"{_TORCH_NAMES[kind.name]}"
        )
    if kind == np.float16:  # torch's type: its CPU kernels have no Half version
        raise NotImplementedError(f"{name}: Low precision dtypes not supported. Got Half")
    if A.ndim < 2:
        raise RuntimeError(
            f"{name}: The input tensor A must have at least 2 dimensions; got {A.ndim}"
        )
    if square and A.shape[-1] != A.shape[-2]:
        raise RuntimeError(
            f"{name}: A must be batches of square matrices, but they are {A.shape[-2]} by "
            f"{A.shape[-1]} matrices"
        )
    return A


def _apply(op: Any, name: str, problem: str, *args: Any) -> Tensor:
    """``op.apply(*args)``, NumPy's LinAlgError turned into ours with ``problem`` named."""
    try:
        return op.apply(*args)
    except np.linalg.LinAlgError:
        raise LinAlgError(f"{name}: {problem}") from None


_NO_SVD = "The algorithm failed to converge because the input matrix contained non-finite values."


# ------------------------------------------------------------------ solving and inverting
def inv(A: Tensor) -> Tensor:
    """The inverse of a square matrix (or of each in a batch).

    Examples
    --------
    >>> import tinygrad_lr as tg
    >>> tg.linalg.inv(tg.tensor([[2.0, 0.0], [0.0, 4.0]]))
    tensor([[0.5000, 0.0000],
            [0.0000, 0.2500]])
    """
    singular = "The input matrix is singular, so it has no inverse; see linalg.pinv"
    return _apply(ops.Inv, "linalg.inv", singular, _matrix(A, "linalg.inv"))


def det(A: Tensor) -> Tensor:
    """The determinant of a square matrix (or of each in a batch).

    Examples
    --------
    >>> import tinygrad_lr as tg
    >>> tg.linalg.det(tg.tensor([[1.0, 2.0], [3.0, 4.0]]))
    tensor(-2.)
    """
    return ops.Det.apply(_matrix(A, "linalg.det"))


def solve(A: Tensor, B: Tensor, *, left: bool = True) -> Tensor:
    """X with ``A X = B`` (``X A = B`` when ``left=False``); B a matrix, a batch, or a vector.

    Examples
    --------
    >>> import tinygrad_lr as tg
    >>> tg.linalg.solve(tg.tensor([[2.0, 0.0], [0.0, 4.0]]), tg.tensor([2.0, 4.0]))
    tensor([1., 1.])
    """
    A = _matrix(A, "torch.linalg.solve")
    if not isinstance(B, Tensor):
        raise TypeError(f"linalg.solve(): argument 'B' must be Tensor, not {type(B).__name__}")
    if B._data.dtype != A._data.dtype:
        raise RuntimeError(
            f"linalg.solve: Expected A and B to have the same dtype, but found A of type "
            f"{A.dtype} and B of type {B.dtype} instead"
        )
    if B.ndim == 0 or (not left and B.ndim < 2):
        raise RuntimeError(
            f"linalg.solve: Expected B to have at least {1 if left else 2} dimensions, but it "
            f"has {B.ndim}"
        )
    if not left:  # X A = B  <=>  Aᵀ Xᵀ = Bᵀ
        return solve(A.transpose(-1, -2), B.transpose(-1, -2)).transpose(-1, -2)
    # torch's rule: B is a vector when it is 1-D, or a batch of vectors of A's batch shape.
    vector = B.ndim == 1 or (B.ndim == A.ndim - 1 and tuple(B.shape) == tuple(A.shape[:-1]))
    B = B.unsqueeze(-1) if vector else B
    if B.shape[-2] != A.shape[-1]:
        raise RuntimeError(
            f"linalg.solve: Incompatible shapes of A and B for the equation AX = B "
            f"({A.shape[-2]}x{A.shape[-1]} and {B.shape[-2]}x{B.shape[-1]})"
        )
    singular = "The solver failed because the input matrix is singular."
    X = _apply(ops.Solve, "torch.linalg.solve", singular, *_broadcast_batches(A, B))
    return X.squeeze(-1) if vector else X


def _broadcast_batches(A: Tensor, B: Tensor) -> tuple[Tensor, Tensor]:
    """A and B with their batch dimensions broadcast to one shape (NumPy's solve wants it)."""
    try:
        batch = np.broadcast_shapes(tuple(A.shape[:-2]), tuple(B.shape[:-2]))
    except ValueError:
        raise RuntimeError(
            f"linalg.solve: the batch dimensions of A {tuple(A.shape[:-2])} and B "
            f"{tuple(B.shape[:-2])} do not broadcast"
        ) from None
    return A.expand(*batch, *A.shape[-2:]), B.expand(*batch, *B.shape[-2:])


def pinv(A: Tensor) -> Tensor:
    """The Moore-Penrose pseudo-inverse: the least-squares inverse of any matrix.

    Examples
    --------
    >>> import tinygrad_lr as tg
    >>> tg.linalg.pinv(tg.tensor([[1.0], [1.0]]))
    tensor([[0.5000, 0.5000]])
    """
    return _apply(ops.Pinv, "linalg.pinv", _NO_SVD, _matrix(A, "linalg.pinv", square=False))


_Lstsq = return_type("linalg_lstsq", ("solution", "residuals", "rank", "singular_values"))


def lstsq(A: Tensor, B: Tensor, rcond: float | None = None, *, driver: str | None = None) -> Any:
    """The least-squares solution of ``A X = B``, as ``pinv(A) @ B``; a named tuple
    ``(solution, residuals, rank, singular_values)`` as torch's default driver fills it (only
    ``solution`` and ``rank``; the others are empty).

    Examples
    --------
    >>> import tinygrad_lr as tg
    >>> X = tg.tensor([[1.0, 0.0], [1.0, 1.0], [1.0, 2.0]])  # intercept and slope
    >>> tg.linalg.lstsq(X, tg.tensor([[1.0], [3.0], [5.0]])).solution
    tensor([[1.0000],
            [2.0000]])
    """
    A = _matrix(A, "torch.linalg.lstsq", square=False)
    if driver not in (None, "gelsy", "gelsd", "gelss", "gels"):
        raise RuntimeError(
            f"torch.linalg.lstsq: parameter `driver` should be one of (gels, gelsy, gelsd, "
            f"gelss), got {driver}"
        )
    if rcond is not None:
        raise NotImplementedError("linalg.lstsq: rcond is not supported; leave it None")
    if not isinstance(B, Tensor) or B._data.dtype != A._data.dtype:
        raise RuntimeError(
            "torch.linalg.lstsq: Expected input and other to have the same dtype, but got "
            f"input's dtype {A.dtype} and other's dtype {getattr(B, 'dtype', type(B).__name__)}"
        )
    vector = B.ndim == A.ndim - 1
    if (B.shape[-1] if vector else B.shape[-2]) != A.shape[-2]:
        raise RuntimeError(
            "torch.linalg.lstsq: input.size(-2) should match other.size(-2)"
            if not vector
            else "torch.linalg.lstsq: input.size(-2) should match other.size(-1)"
        )
    solution = pinv(A) @ (B.unsqueeze(-1) if vector else B)
    rank = Tensor._make(np.asarray(np.linalg.matrix_rank(A._data), dtype=np.int64))
    empty = Tensor._make(np.zeros(0, A._data.dtype))
    return _Lstsq(solution.squeeze(-1) if vector else solution, empty, rank, empty)


# ------------------------------------------------------------------ factorizations
def cholesky(A: Tensor, *, upper: bool = False) -> Tensor:
    """L, lower triangular with ``L Lᵀ = A``, for A symmetric positive-definite (Lᵀ if
    ``upper``). Only A's lower triangle is read, as torch does.

    Examples
    --------
    >>> import tinygrad_lr as tg
    >>> tg.linalg.cholesky(tg.tensor([[4.0, 2.0], [2.0, 5.0]]))
    tensor([[2., 0.],
            [1., 2.]])
    """
    if not isinstance(upper, bool):
        raise TypeError(
            f"linalg_cholesky(): argument 'upper' must be bool, not {type(upper).__name__}"
        )
    A = _matrix(A, "linalg.cholesky")
    problem = "The factorization could not be completed because the input is not positive-definite."
    if not np.isfinite(A._data).all():  # NumPy would return NaNs or infs
        raise LinAlgError(f"linalg.cholesky: {problem} (it holds NaN or inf)")
    L = _apply(ops.Cholesky, "linalg.cholesky", problem, A)
    return L.transpose(-1, -2) if upper else L


_Svd = return_type("linalg_svd", ("U", "S", "Vh"))
_Qr = return_type("linalg_qr", ("Q", "R"))


def svdvals(A: Tensor) -> Tensor:
    """The singular values of A (of each matrix in a batch), largest first.

    Examples
    --------
    >>> import tinygrad_lr as tg
    >>> tg.linalg.svdvals(tg.tensor([[3.0, 0.0], [0.0, -4.0]]))
    tensor([4., 3.])
    """
    A = _matrix(A, "linalg.svdvals", square=False)
    return _apply(ops.Svdvals, "linalg.svdvals", _NO_SVD, A)


def svd(A: Tensor, full_matrices: bool = True) -> Any:
    """``A = U diag(S) Vh``: a named tuple ``(U, S, Vh)``. Gradients reach A through S only;
    a backward through U or Vh raises NotImplementedError.

    Examples
    --------
    >>> import tinygrad_lr as tg
    >>> U, S, Vh = tg.linalg.svd(tg.tensor([[3.0, 0.0], [0.0, -4.0]]))
    >>> S
    tensor([4., 3.])
    """
    A = _matrix(A, "linalg.svd", square=False)
    U = _apply(ops.SvdFactors, "linalg.svd", _NO_SVD, A, bool(full_matrices), "U")
    Vh = _apply(ops.SvdFactors, "linalg.svd", _NO_SVD, A, bool(full_matrices), "Vh")
    return _Svd(U, svdvals(A), Vh)


def qr(A: Tensor, mode: str = "reduced") -> Any:
    """``A = Q R``, Q with orthonormal columns and R upper triangular: a named tuple ``(Q, R)``.
    Not differentiable here (torch's is): a tensor that requires grad raises.

    Examples
    --------
    >>> import tinygrad_lr as tg
    >>> Q, R = tg.linalg.qr(tg.tensor([[3.0, 1.0], [4.0, 2.0]]))
    >>> (Q @ R).round(decimals=4)
    tensor([[3., 1.],
            [4., 2.]])
    """
    A = _matrix(A, "linalg.qr", square=False)
    if mode not in ("reduced", "complete", "r"):
        raise RuntimeError(
            f"qr received unrecognized mode '{mode}' but expected one of 'reduced' (default), "
            "'r', or 'complete'"
        )
    if A.requires_grad:
        raise NotImplementedError(
            "linalg.qr: gradients are not implemented; pass A.detach(), or use linalg.lstsq or "
            "linalg.solve, which are differentiable"
        )
    q, r = np.linalg.qr(A._data, mode="complete" if mode == "complete" else "reduced")
    Q = Tensor._make(np.zeros((*A.shape[:-2], 0, 0), q.dtype) if mode == "r" else q)
    return _Qr(Q, Tensor._make(r))


# ------------------------------------------------------------------ norms
def vector_norm(
    x: Tensor,
    ord: float = 2,
    dim: int | Sequence[int] | None = None,
    keepdim: bool = False,
    *,
    dtype: Any = None,
) -> Tensor:
    """``(Σ |x|ᵒʳᵈ)^(1/ord)`` over ``dim`` (every element by default); ``ord`` = inf and -inf
    give the largest and smallest ``|x|``, 0 the number of non-zeros.

    Examples
    --------
    >>> import tinygrad_lr as tg
    >>> x = tg.tensor([3.0, -4.0])
    >>> norm = tg.linalg.vector_norm
    >>> norm(x), norm(x, 1), norm(x, float("inf"))
    (tensor(5.), tensor(7.), tensor(4.))
    """
    if not isinstance(x, Tensor):
        raise TypeError(
            f"linalg.vector_norm(): argument 'x' must be Tensor, not {type(x).__name__}"
        )
    if x._data.dtype.kind != "f":  # even with a float dtype=, as torch
        raise RuntimeError(
            "linalg.vector_norm: Expected a floating point or complex tensor as input. Got "
            f"{_TORCH_NAMES[x._data.dtype.name]}"
        )
    if dtype is not None:
        x = x.to(dtype)
    if isinstance(ord, bool) or not isinstance(ord, (int, float)):
        raise TypeError(f"linalg.vector_norm(): argument 'ord' must be a number, not {ord!r}")
    dims = None if dim is None else normalize_dims(dim, x.ndim)
    if ord in (math.inf, -math.inf) and x._data.size == 0:
        raise RuntimeError(
            "linalg.vector_norm cannot compute the inf norm on an empty tensor because the "
            "operation does not have an identity"
        )
    if x._data.dtype == np.float16 and ord not in (0, math.inf, -math.inf):
        # Powers of float16 overflow at 65504 (300² already): computed in float32, as torch
        return vector_norm(x.float(), ord, dim, keepdim).to(x.dtype)
    if ord in (math.inf, -math.inf):  # the largest or smallest |x|
        every = dims if dims is not None else tuple(range(x.ndim))
        return x.abs().amax(every, keepdim) if ord > 0 else x.abs().amin(every, keepdim)
    if ord == 0:  # a count: no gradient, as torch's is 0
        return (x != 0).sum(dims, keepdim).to(x.dtype).detach()
    return ops.Norm.apply(x, ord, dims, keepdim)


def matrix_norm(
    A: Tensor, ord: Any = "fro", dim: tuple[int, int] = (-2, -1), keepdim: bool = False
) -> Tensor:
    """A matrix norm over the two dimensions ``dim``: ``'fro'`` (Frobenius), ``'nuc'`` (sum of
    singular values), 2 and -2 (largest and smallest singular value), 1, -1, inf, -inf
    (largest and smallest column or row sum of ``|A|``).

    Examples
    --------
    >>> import tinygrad_lr as tg
    >>> A = tg.tensor([[3.0, 0.0], [0.0, -4.0]])
    >>> tg.linalg.matrix_norm(A), tg.linalg.matrix_norm(A, "nuc"), tg.linalg.matrix_norm(A, 1)
    (tensor(5.), tensor(7.), tensor(4.))
    """
    A = _matrix(A, "linalg.matrix_norm", square=False)
    rows, cols = normalize_dims(dim, A.ndim)
    if ord == "fro":
        return vector_norm(A, 2, (rows, cols), keepdim)
    if ord in ("nuc", 2, -2):
        S = svdvals(A.movedim((rows, cols), (-2, -1)))
        out = S.sum(-1) if ord == "nuc" else S.amax(-1) if ord == 2 else S.amin(-1)
    elif ord in (1, -1, math.inf, -math.inf):
        summed, across = (rows, cols) if ord in (1, -1) else (cols, rows)
        sums = A.abs().sum(summed, keepdim=True)
        out = sums.amax(across, True) if ord > 0 else sums.amin(across, True)
        out = out.squeeze((rows, cols))
    else:
        raise RuntimeError(f"linalg.matrix_norm: Order {ord} not supported.")
    if keepdim:
        for d in sorted((rows, cols)):
            out = out.unsqueeze(d)
    return out
