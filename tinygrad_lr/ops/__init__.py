"""The built-in differentiable operations, each a :class:`~tinygrad_lr.autograd.Function`.

Read them in this order: ``arithmetic`` (+ - * / and powers), ``unary`` (exp, log, activations),
``reduce`` (sum, mean), ``linalg`` (matmul, and the linear layer as one op), ``loss`` (the mean
squared error as one op), ``shape`` (reshape, transpose, indexing, copies).
Every forward works on NumPy arrays; every backward returns one gradient per argument.
"""

from .arithmetic import Add, Div, Mul, Neg, Pow, Sub
from .linalg import Linear, MatMul
from .loss import MseLoss
from .reduce import Mean, Sum
from .shape import Cast, Cat, Clone, Copy, Index, Reshape, Stack, Transpose
from .unary import Abs, Exp, Log, ReLU, Sigmoid, Sqrt, Tanh

__all__ = [
    "Abs", "Add", "Cast", "Cat", "Clone", "Copy", "Div", "Exp", "Index", "Linear", "Log", "MatMul",
    "Mean", "MseLoss", "Mul", "Neg", "Pow", "ReLU", "Reshape", "Sigmoid", "Sqrt", "Stack", "Sub",
    "Sum", "Tanh", "Transpose",
]  # fmt: skip
