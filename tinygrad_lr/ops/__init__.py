"""The built-in differentiable operations, each a :class:`~tinygrad_lr.autograd.Function`.

Read them in this order: ``arithmetic`` (+ - * / and powers), ``unary`` (exp, log, activations),
``reduce`` (sums, means, maxima, norms, and summing a gradient back to a shape), ``linalg``
(matmul, and the linear layer as one op), ``decompositions`` (solve, inverse, determinant,
factorizations), ``loss`` (the losses, one op each), ``shape`` (reshape, transpose, expand,
indexing, copies), ``views`` (what an in-place change of a view records).
Every forward works on NumPy arrays; every backward returns one gradient per argument, computed
with Tensor operations, so that it can be recorded and differentiated again. Each op's examples
are in its module's docstring.
"""

from .arithmetic import Add, Clamp, Div, Lerp, Maximum, Minimum, Mul, Neg, Pow, Sub, Where
from .decompositions import Cholesky, Det, Inv, Pinv, Solve, SvdFactors, Svdvals
from .linalg import Linear, MatMul
from .loss import HuberLoss, MseLoss, SmoothL1Loss
from .reduce import Amax, Amin, Cumsum, Mean, Norm, Prod, Std, Sum, SumToSize
from .shape import (
    Cast,
    Cat,
    Clone,
    Copy,
    Einsum,
    Expand,
    Flip,
    Gather,
    Index,
    MaskedFill,
    Repeat,
    Reshape,
    ScatterAdd,
    Stack,
    Transpose,
    Tril,
    Triu,
)
from .unary import (
    ELU,
    GELU,
    Abs,
    Ceil,
    Cos,
    Erf,
    Exp,
    Expm1,
    Floor,
    LeakyReLU,
    Log,
    Log1p,
    Log2,
    Log10,
    LogSigmoid,
    Reciprocal,
    ReLU,
    Round,
    Rsqrt,
    Sigmoid,
    Sign,
    Sin,
    Softplus,
    Sqrt,
    Tan,
    Tanh,
)
from .views import CopySlices, IndexPut, View

__all__ = [
    "Abs", "Add", "Amax", "Amin", "Cast", "Cat", "Ceil", "Cholesky", "Clamp", "Clone", "Copy",
    "CopySlices", "Cos", "Cumsum", "Det", "Div", "Einsum", "ELU", "Erf", "Exp", "Expand", "Expm1",
    "Flip", "Floor", "Gather", "GELU", "HuberLoss", "Index", "IndexPut", "Inv", "LeakyReLU",
    "Lerp", "Linear", "Log", "Log10", "Log1p", "Log2", "LogSigmoid", "MaskedFill", "MatMul",
    "Maximum", "Mean", "Minimum", "MseLoss", "Mul", "Neg", "Norm", "Pinv", "Pow", "Prod",
    "Reciprocal", "ReLU", "Repeat", "Reshape", "Round", "Rsqrt", "ScatterAdd", "Sigmoid", "Sign",
    "Sin", "SmoothL1Loss", "Softplus", "Solve", "Sqrt", "Stack", "Std", "Sub", "Sum", "SumToSize",
    "SvdFactors", "Svdvals", "Tan", "Tanh", "Transpose", "Tril", "Triu", "View", "Where",
]  # fmt: skip
