"""Stateless functions behind the layers: ``linear``, activations, and losses.

Import it as torch users do: ``import tinygrad_lr.nn.functional as F``. Most functions are
written with tensor operations, so their gradients come from those operations' backward. Two are
single operations, as in torch, because training calls them at every step: ``linear``
(:class:`~tinygrad_lr.ops.Linear`) and ``mse_loss`` (:class:`~tinygrad_lr.ops.MseLoss`).
"""

from __future__ import annotations

import math
import warnings
from typing import Any

import numpy as np

from .. import dtypes
from .. import inplace as _inplace
from .. import ops as _ops
from ..tensor import Tensor

_REDUCTIONS = ("mean", "sum", "none")


def _check_tensor(value: object, function: str, argument: str) -> None:
    if not isinstance(value, Tensor):
        raise TypeError(
            f"{function}(): argument '{argument}' must be Tensor, not {type(value).__name__}"
        )


def linear(input: Tensor, weight: Tensor, bias: Tensor | None = None) -> Tensor:
    """y = x Wᵀ + b, with ``weight`` of shape (out_features, in_features).

    One op, :class:`~tinygrad_lr.ops.Linear`, whatever the shapes and dtype; the arguments are
    checked first, with torch's errors.

    Parameters
    ----------
    input : Tensor
        Shape (..., in_features), or (in_features,) for one sample.
    weight : Tensor
        Shape (out_features, in_features), or (in_features,) for one output feature, whose
        dimension the result then drops (as in torch).
    bias : Tensor, optional
        Shape (out_features,), or any shape that broadcasts to the output's.

    Examples
    --------
    >>> import tinygrad_lr as tg
    >>> import tinygrad_lr.nn.functional as F
    >>> F.linear(tg.tensor([[1.0, 2.0]]), tg.tensor([[3.0, -1.0]]), tg.tensor([0.5]))
    tensor([[1.5000]])
    >>> F.linear(tg.tensor([[1.0, 2.0]]), tg.tensor([3.0, -1.0]))  # a 1-D weight
    tensor([1.])
    """
    _check_tensor(input, "linear", "input")
    _check_tensor(weight, "linear", "weight")
    if bias is not None:
        _check_tensor(bias, "linear", "bias")
    _check_linear(input._data, weight._data, None if bias is None else bias._data)
    if input._data.ndim > 1 and weight._data.ndim == 2:  # nn.Linear's case: nothing to reshape
        return _ops.Linear.apply(input, weight, bias)
    # A 1-D input is one row and a 1-D weight one output feature, as in torch; the op sees them
    # as 2-D (the bias gains the weight's dimension too), and the result drops what they added.
    shape = input.shape[:-1] + weight.shape[:-1]
    if input._data.ndim == 1:
        input = input.reshape(1, -1)
    if weight._data.ndim == 1:
        weight = weight.reshape(1, -1)
        bias = None if bias is None else bias.reshape(*bias.shape, 1)
    return _ops.Linear.apply(input, weight, bias).reshape(shape)


# The methods that convert to each floating dtype, for the advice in a dtype error.
_CONVERSIONS = {
    np.dtype(np.float16): "half",
    np.dtype(np.float32): "float",
    np.dtype(np.float64): "double",
}


def _conversion(name: str, dtype: np.dtype) -> str:
    """How to convert tensor ``name`` to ``dtype``: ``input.float()``, or ``input.to(...)``."""
    method = _CONVERSIONS.get(dtype)
    return f"{name}.{method}()" if method else f"{name}.to(tinygrad_lr.{dtype})"


def _check_linear(x: np.ndarray, w: np.ndarray, b: np.ndarray | None) -> None:
    """torch's errors for ``linear``'s arguments: the op itself only does the math.

    torch's type for each: RuntimeError for shapes and mixed dtypes, NotImplementedError for bool.
    """
    if x.ndim == 0 or w.ndim == 0:
        raise RuntimeError(
            f"both arguments to linear need to be at least 1D, but they are {x.ndim}D and {w.ndim}D"
        )
    if w.ndim > 2:
        raise RuntimeError(
            "linear(): weight must have shape (out_features, in_features) or (in_features,), "
            f"but got shape {w.shape}"
        )
    if x.shape[-1] != w.shape[-1]:
        rows, outputs = math.prod(x.shape[:-1]), w.shape[0] if w.ndim == 2 else 1
        raise RuntimeError(
            f"mat1 and mat2 shapes cannot be multiplied ({rows}x{x.shape[-1]} and "
            f"{w.shape[-1]}x{outputs}): the input's last dimension ({x.shape[-1]}) must equal "
            f"the weight's in_features ({w.shape[-1]})"
        )
    if x.dtype != w.dtype:
        raise RuntimeError(
            f"linear(): input and weight must have the same dtype, but got tinygrad_lr.{x.dtype} "
            f"and tinygrad_lr.{w.dtype}; convert one of them, e.g. {_conversion('input', w.dtype)}"
        )
    if x.dtype.kind == "b":
        raise NotImplementedError(
            "linear(): not implemented for bool tensors; convert them, e.g. input.float()"
        )
    if b is None:
        return
    if b.dtype != x.dtype:
        raise RuntimeError(
            f"linear(): bias must have the dtype of input and weight, tinygrad_lr.{x.dtype}, but "
            f"got tinygrad_lr.{b.dtype}; convert it, e.g. {_conversion('bias', x.dtype)}"
        )
    if b.ndim == 1 and w.ndim == 2 and b.shape[0] == w.shape[0]:
        return  # the usual bias: one value per output feature
    # Any other bias is added into the output, so it must broadcast to the output's shape
    # without enlarging it. torch adds it to a 1-D input's product as to one row: (1, out).
    target = x.shape[:-1] + w.shape[:-1]
    if x.ndim == 1 and w.ndim == 2:
        target = (1, *target)
    try:
        fits = np.broadcast_shapes(b.shape, target) == target
    except ValueError:
        fits = False
    if not fits:
        raise RuntimeError(
            f"linear(): a bias of shape {b.shape} does not broadcast to the output's shape "
            f"{target}; give it shape {w.shape[:-1]} (one value per output feature)"
        )


# ------------------------------------------------------------------ activation functions
# Each is one op of tinygrad_lr.ops.unary. ``inplace=True`` is supported, as torch: the result is
# written into ``input`` (through tinygrad_lr.inplace, so versions and the graph stay right).


def _activation(input: Tensor, name: str, inplace: bool, compute: Any) -> Tensor:
    """``compute(input)``, or written into ``input`` when ``inplace``; floating inputs only."""
    _check_tensor(input, name, "input")
    if input._data.dtype.kind != "f":
        raise NotImplementedError(
            f"{name}(): not implemented for {input.dtype} tensors; convert first, e.g. x.float()"
        )
    if type(inplace) is not bool:
        raise TypeError(f"{name}(): argument 'inplace' must be bool, not {type(inplace).__name__}")
    return _inplace.change(input, f"{name}_", compute, None) if inplace else compute(input)


def relu(input: Tensor, inplace: bool = False) -> Tensor:
    """max(x, 0), elementwise (integer tensors too, as torch).

    Examples
    --------
    >>> import tinygrad_lr as tg
    >>> import tinygrad_lr.nn.functional as F
    >>> F.relu(tg.tensor([-1.0, 2.0]))
    tensor([0., 2.])
    """
    _check_tensor(input, "relu", "input")
    if input._data.dtype.kind in "iu" and not inplace:
        return input.relu()
    return _activation(input, "relu", inplace, Tensor.relu)


def leaky_relu(input: Tensor, negative_slope: float = 0.01, inplace: bool = False) -> Tensor:
    """x where x > 0, else ``negative_slope * x``.

    Examples
    --------
    >>> import tinygrad_lr as tg
    >>> import tinygrad_lr.nn.functional as F
    >>> F.leaky_relu(tg.tensor([-2.0, 3.0]), negative_slope=0.1)
    tensor([-0.2000,  3.0000])
    """
    slope = _number(negative_slope, "leaky_relu", "negative_slope")
    return _activation(input, "leaky_relu", inplace, lambda x: _ops.LeakyReLU.apply(x, slope))


def elu(input: Tensor, alpha: float = 1.0, inplace: bool = False) -> Tensor:
    """x where x > 0, else ``alpha * (eˣ - 1)``.

    Examples
    --------
    >>> import tinygrad_lr as tg
    >>> import tinygrad_lr.nn.functional as F
    >>> F.elu(tg.tensor([-1.0, 2.0]))
    tensor([-0.6321,  2.0000])
    """
    alpha = _number(alpha, "elu", "alpha")
    return _activation(input, "elu", inplace, lambda x: _ops.ELU.apply(x, alpha))


def gelu(input: Tensor, approximate: str = "none") -> Tensor:
    """x Φ(x), Φ the standard normal CDF (exact, with erf); ``approximate="tanh"``: torch's
    tanh approximation.

    Examples
    --------
    >>> import tinygrad_lr as tg
    >>> import tinygrad_lr.nn.functional as F
    >>> F.gelu(tg.tensor([-1.0, 1.0])), F.gelu(tg.tensor([1.0]), approximate="tanh")
    (tensor([-0.1587,  0.8413]), tensor([0.8412]))
    """
    if approximate not in ("none", "tanh"):
        raise RuntimeError(f"approximate argument must be either none or tanh, got {approximate!r}")
    return _activation(input, "gelu", False, lambda x: _ops.GELU.apply(x, approximate))


def softplus(input: Tensor, beta: float = 1.0, threshold: float = 20.0) -> Tensor:
    """ln(1 + e^(βx)) / β, and x itself where βx > threshold (where the two agree).

    Examples
    --------
    >>> import tinygrad_lr as tg
    >>> import tinygrad_lr.nn.functional as F
    >>> F.softplus(tg.tensor([0.0, 30.0]))
    tensor([ 0.6931, 30.0000])
    """
    beta = _number(beta, "softplus", "beta")
    threshold = _number(threshold, "softplus", "threshold")
    return _activation(input, "softplus", False, lambda x: _ops.Softplus.apply(x, beta, threshold))


def logsigmoid(input: Tensor) -> Tensor:
    """ln(1 / (1 + e⁻ˣ)), computed without overflow for large |x|.

    Examples
    --------
    >>> import tinygrad_lr as tg
    >>> import tinygrad_lr.nn.functional as F
    >>> F.logsigmoid(tg.tensor([0.0, -1000.0]))
    tensor([-6.9315e-01, -1.0000e+03])
    """
    return _activation(input, "logsigmoid", False, _ops.LogSigmoid.apply)


def _number(value: Any, function: str, argument: str) -> float:
    """A number argument of an activation (TypeError, as torch, for anything else)."""
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise TypeError(
            f"{function}(): argument '{argument}' must be a number, not {type(value).__name__}"
        )
    return float(value)


def sigmoid(input: Tensor) -> Tensor:
    """1 / (1 + e⁻ˣ), elementwise.

    Examples
    --------
    >>> import tinygrad_lr as tg
    >>> import tinygrad_lr.nn.functional as F
    >>> F.sigmoid(tg.zeros(2))
    tensor([0.5000, 0.5000])
    """
    _check_tensor(input, "sigmoid", "input")
    return input.sigmoid()


def tanh(input: Tensor) -> Tensor:
    """Hyperbolic tangent, elementwise.

    Examples
    --------
    >>> import tinygrad_lr as tg
    >>> import tinygrad_lr.nn.functional as F
    >>> F.tanh(tg.zeros(2))
    tensor([0., 0.])
    """
    _check_tensor(input, "tanh", "input")
    return input.tanh()


def _reduce(loss: Tensor, reduction: str) -> Tensor:
    if reduction == "mean":
        return loss.mean()
    if reduction == "sum":
        return loss.sum()
    return loss


def _check_reduction(reduction: str) -> None:
    """Refuse a ``reduction`` other than 'mean', 'sum' or 'none' (the loss modules use it too)."""
    if reduction not in _REDUCTIONS:
        raise ValueError(
            f"{reduction} is not a valid value for reduction; use one of {', '.join(_REDUCTIONS)}"
        )


def _check_loss_arguments(
    function: str, input: Tensor, target: Tensor, reduction: str, stacklevel: int
) -> None:
    """Refuse a bad ``reduction``; warn, as torch does, when the shapes differ.

    Different shapes broadcast: a (10, 1) prediction against a (10,) target gives a (10, 10)
    matrix of every prediction against every target, and a loss that is silently wrong.
    """
    _check_tensor(input, function, "input")
    _check_tensor(target, function, "target")
    _check_reduction(reduction)
    if target.shape != input.shape:
        warnings.warn(
            f"Using a target size ({target.shape}) that is different to the input size "
            f"({input.shape}). This will likely lead to incorrect results due to broadcasting. "
            "Please ensure they have the same size.",
            UserWarning,
            stacklevel=stacklevel + 1,
        )


def _mse_loss(input: Tensor, target: Tensor, reduction: str, stacklevel: int) -> Tensor:
    _check_loss_arguments("mse_loss", input, target, reduction, stacklevel + 1)
    if input._data.dtype != target._data.dtype:
        # torch's promotion: float32 with float64 is float64, float32 with int64 is float32.
        dtype = dtypes.result_type(input, target)
        input, target = input.to(dtype), target.to(dtype)
    if input._data.dtype.kind != "f":
        raise NotImplementedError(
            f"mse_loss(): not implemented for {input.dtype} tensors (torch has no integer or bool "
            "version either); convert them, e.g. input.float() and target.float()"
        )
    try:
        return _ops.MseLoss.apply(input, target, reduction)
    except ValueError:  # NumPy could not broadcast input - target
        raise RuntimeError(
            f"mse_loss(): input of shape {tuple(input.shape)} and target of shape "
            f"{tuple(target.shape)} cannot be broadcast together: each dimension, counted from "
            "the last, must match or be 1; give them the same shape"
        ) from None


def _l1_loss(input: Tensor, target: Tensor, reduction: str, stacklevel: int) -> Tensor:
    _check_loss_arguments("l1_loss", input, target, reduction, stacklevel + 1)
    return _reduce((input - target).abs(), reduction)


def mse_loss(input: Tensor, target: Tensor, reduction: str = "mean") -> Tensor:
    """Mean squared error: mean((input - target)²).

    Parameters
    ----------
    input, target : Tensor
        Prediction and truth; they should have the same shape (a warning says when not).
    reduction : {'mean', 'sum', 'none'}
        Average the squared errors, add them up, or return them elementwise.

    Examples
    --------
    >>> import tinygrad_lr as tg
    >>> import tinygrad_lr.nn.functional as F
    >>> F.mse_loss(tg.tensor([1.0, 2.0]), tg.tensor([1.0, 4.0]))
    tensor(2.)
    >>> F.mse_loss(tg.tensor([1.0, 2.0]), tg.tensor([1.0, 4.0]), reduction="none")
    tensor([0., 4.])
    """
    # stacklevel 2: the size warning points at the line that called mse_loss.
    return _mse_loss(input, target, reduction, stacklevel=2)


def l1_loss(input: Tensor, target: Tensor, reduction: str = "mean") -> Tensor:
    """Mean absolute error: mean(|input - target|).

    Parameters
    ----------
    input, target : Tensor
        Prediction and truth; they should have the same shape (a warning says when not).
    reduction : {'mean', 'sum', 'none'}
        Average the absolute errors, add them up, or return them elementwise.

    Examples
    --------
    >>> import tinygrad_lr as tg
    >>> import tinygrad_lr.nn.functional as F
    >>> F.l1_loss(tg.tensor([1.0, 2.0]), tg.tensor([1.0, 4.0]), reduction="sum")
    tensor(2.)
    """
    return _l1_loss(input, target, reduction, stacklevel=2)


def _elementwise_loss(
    op: Any, name: str, input: Tensor, target: Tensor, parameter: float, reduction: str
) -> Tensor:
    """Shared by ``huber_loss`` and ``smooth_l1_loss``: checks, one floating dtype, the op."""
    _check_loss_arguments(name, input, target, reduction, 3)
    if input._data.dtype != target._data.dtype:
        dtype = dtypes.result_type(input, target)
        input, target = input.to(dtype), target.to(dtype)
    if input._data.dtype.kind != "f":
        raise NotImplementedError(
            f"{name}(): not implemented for {input.dtype} tensors; convert them, e.g. "
            "input.float() and target.float()"
        )
    return op.apply(input, target, float(parameter), reduction)


def huber_loss(
    input: Tensor, target: Tensor, reduction: str = "mean", delta: float = 1.0
) -> Tensor:
    """Huber loss: ½ d² where |d| < delta, else delta (|d| - ½ delta), d = input - target.

    Examples
    --------
    >>> import tinygrad_lr as tg
    >>> import tinygrad_lr.nn.functional as F
    >>> F.huber_loss(tg.tensor([0.5, 3.0]), tg.zeros(2), reduction="none")
    tensor([0.1250, 2.5000])
    """
    if not delta > 0:
        raise RuntimeError(f"huber_loss does not support non-positive values for delta ({delta})")
    return _elementwise_loss(_ops.HuberLoss, "huber_loss", input, target, delta, reduction)


def smooth_l1_loss(
    input: Tensor, target: Tensor, reduction: str = "mean", beta: float = 1.0
) -> Tensor:
    """Smooth L1: ½ d² / beta where |d| < beta, else |d| - ½ beta, d = input - target.

    Examples
    --------
    >>> import tinygrad_lr as tg
    >>> import tinygrad_lr.nn.functional as F
    >>> F.smooth_l1_loss(tg.tensor([0.5, 3.0]), tg.zeros(2), reduction="sum")
    tensor(2.6250)
    """
    if beta < 0:
        raise RuntimeError(f"smooth_l1_loss does not support negative values for beta ({beta})")
    if beta == 0:  # torch: plain L1
        return _l1_loss(input, target, reduction, stacklevel=2)
    return _elementwise_loss(_ops.SmoothL1Loss, "smooth_l1_loss", input, target, beta, reduction)


def dropout(input: Tensor, p: float = 0.5, training: bool = True, inplace: bool = False) -> Tensor:
    """Zero each element with probability ``p`` and scale the rest by 1 / (1 - p) (training).

    Examples
    --------
    >>> import tinygrad_lr as tg
    >>> import tinygrad_lr.nn.functional as F
    >>> F.dropout(tg.ones(3), p=0.5, training=False)
    tensor([1., 1., 1.])
    """
    _check_tensor(input, "dropout", "input")
    if not 0.0 <= p <= 1.0:
        raise ValueError(f"dropout probability has to be between 0 and 1, but got {p}")
    if inplace:
        raise NotImplementedError("dropout(inplace=True) is not supported; use inplace=False")
    if not training or p == 0.0:
        return input
    if p == 1.0:
        return input * 0.0
    from .. import random as _random

    keep = (_random.rand(*input.shape) >= p).to(input.dtype)
    return input * keep * (1.0 / (1.0 - p))


__all__ = ["l1_loss", "linear", "mse_loss", "relu", "sigmoid", "tanh"]
__all__ += ["elu", "gelu", "leaky_relu", "logsigmoid", "softplus"]  # activation functions
__all__ += ["dropout", "huber_loss", "smooth_l1_loss"]
