"""The built-in differentiable operations, each a :class:`~tinygrad_lr.autograd.Function`.

Read them in this order: ``arithmetic`` (+ - * / and powers), ``unary`` (exp, log, activations),
``reduce`` (sum, mean, and summing a gradient back to a shape), ``linalg`` (matmul, and the
linear layer as one op), ``loss`` (the mean squared error as one op), ``shape`` (reshape,
transpose, expand, indexing, copies), ``views`` (what an in-place change of a view records).
Every forward works on NumPy arrays; every backward returns one gradient per argument, computed
with Tensor operations, so that it can be recorded and differentiated again. Each op's examples
are in its module's docstring.
"""

from .arithmetic import Add, Div, Mul, Neg, Pow, Sub
from .linalg import Linear, MatMul
from .loss import MseLoss
from .reduce import Mean, Sum, SumToSize
from .shape import Cast, Cat, Clone, Copy, Expand, Index, Reshape, Stack, Transpose
from .unary import Abs, Exp, Log, ReLU, Sigmoid, Sign, Sqrt, Tanh
from .views import CopySlices, IndexPut, View

__all__ = [
    "Abs", "Add", "Cast", "Cat", "Clone", "Copy", "CopySlices", "Div", "Exp", "Expand", "Index",
    "IndexPut", "Linear", "Log", "MatMul", "Mean", "MseLoss", "Mul", "Neg", "Pow", "ReLU",
    "Reshape", "Sigmoid", "Sign", "Sqrt", "Stack", "Sub", "Sum", "SumToSize", "Tanh", "Transpose",
    "View",
]  # fmt: skip
