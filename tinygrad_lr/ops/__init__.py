"""The built-in differentiable operations, each a :class:`~tinygrad_lr.autograd.Function`.

Read them in this order: ``arithmetic`` (+ - * / and powers), ``unary`` (exp, log, activations),
``reduce`` (sum, mean), ``linalg`` (matmul, and the linear layer as one op), ``loss`` (the mean
squared error as one op), ``shape`` (reshape, transpose, indexing, copies), ``views`` (what an
in-place change of a view records). Every forward works on NumPy arrays; every backward returns
one gradient per argument. Each op's examples are in its module's docstring.
"""

from .arithmetic import Add, Div, Mul, Neg, Pow, Sub
from .linalg import Linear, MatMul
from .loss import MseLoss
from .reduce import Mean, Sum
from .shape import Cast, Cat, Clone, Copy, Index, Reshape, Stack, Transpose
from .unary import Abs, Exp, Log, ReLU, Sigmoid, Sqrt, Tanh
from .views import CopySlices, IndexPut, View

__all__ = [
    "Abs", "Add", "Cast", "Cat", "Clone", "Copy", "CopySlices", "Div", "Exp", "Index", "IndexPut",
    "Linear", "Log", "MatMul", "Mean", "MseLoss", "Mul", "Neg", "Pow", "ReLU", "Reshape",
    "Sigmoid", "Sqrt", "Stack", "Sub", "Sum", "Tanh", "Transpose", "View",
]  # fmt: skip
