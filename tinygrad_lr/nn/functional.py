"""Stateless functions behind the layers: ``linear``, activations, and losses.

Import it as torch users do: ``import tinygrad_lr.nn.functional as F``. Most functions are
written with tensor operations, so their gradients come from those operations' backward. Two are
single operations, as in torch, because training calls them at every step: ``linear``
(:class:`~tinygrad_lr.ops.Linear`) and ``mse_loss`` (:class:`~tinygrad_lr.ops.MseLoss`).
"""

from __future__ import annotations

import warnings

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

    Parameters
    ----------
    input : Tensor
        Shape (..., in_features).
    weight : Tensor
        Shape (out_features, in_features).
    bias : Tensor, optional
        Shape (out_features,).

    Examples
    --------
    >>> import tinygrad_lr as tg
    >>> import tinygrad_lr.nn.functional as F
    >>> F.linear(tg.tensor([[1.0, 2.0]]), tg.tensor([[3.0, -1.0]]), tg.tensor([0.5]))
    tensor([[1.5000]])
    """
    _check_tensor(input, "linear", "input")
    _check_tensor(weight, "linear", "weight")
    if bias is not None:
        _check_tensor(bias, "linear", "bias")
    if _is_plain_linear(input, weight, bias):
        return _ops.Linear.apply(input, weight, bias)
    # Anything else (a 1-D weight, mixed dtypes, a bias of another shape) is matmul and +,
    # which give torch's result, or torch's error.
    output = input.matmul(weight.t())
    return output if bias is None else output + bias


def _is_plain_linear(input: Tensor, weight: Tensor, bias: Tensor | None) -> bool:
    """The layer's case: floating tensors of one dtype, x (..., in), W (out, in), b (out,)."""
    x, w = input._data, weight._data
    if w.ndim != 2 or x.ndim == 0 or x.shape[-1] != w.shape[1]:
        return False
    if x.dtype != w.dtype or x.dtype.kind != "f":
        return False
    return bias is None or (bias._data.dtype == x.dtype and bias._data.shape == w.shape[:1])


def relu(input: Tensor) -> Tensor:
    """max(x, 0), elementwise.

    Examples
    --------
    >>> import tinygrad_lr as tg
    >>> import tinygrad_lr.nn.functional as F
    >>> F.relu(tg.tensor([-1.0, 2.0]))
    tensor([0., 2.])
    """
    _check_tensor(input, "relu", "input")
    return input.relu()


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
    x, y = input._data, target._data
    if x.shape == y.shape and x.dtype == y.dtype and x.dtype.kind == "f" and x.itemsize >= 4:
        return _ops.MseLoss.apply(input, target, reduction)
    # Other shapes or dtypes: the tensor operations broadcast (or refuse to) and promote, and
    # their mean sums float16 in float32, as torch does.
    return _reduce((input - target) ** 2, reduction)


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


__all__ = ["l1_loss", "linear", "mse_loss", "relu", "sigmoid", "tanh"]
