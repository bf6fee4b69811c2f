"""Fill a tensor in place with initial values: constants, or random values scaled to the layer.

Every function works under ``no_grad`` (so it may fill a parameter that requires grad), changes
the tensor in place, and returns it, as ``torch.nn.init`` does.

The scaled initialisations keep the variance of activations steady from layer to layer. For a
weight of shape (out_features, in_features), ``fan_in`` is in_features and ``fan_out`` is
out_features; ``kaiming_uniform_`` draws from U(-bound, bound) with
bound = gain · √(3 / fan), since the variance of U(-b, b) is b² / 3.
"""

from __future__ import annotations

import math
import warnings
from typing import Any

from ..grad_mode import no_grad
from ..random import Generator
from ..tensor import Tensor

_LINEAR_LIKE = (
    "linear", "conv1d", "conv2d", "conv3d",
    "conv_transpose1d", "conv_transpose2d", "conv_transpose3d", "sigmoid",
)  # fmt: skip


def calculate_gain(nonlinearity: str, param: float | None = None) -> float:
    """The recommended scale of initial weights for a nonlinearity.

    Parameters
    ----------
    nonlinearity : str
        'linear', 'sigmoid', 'tanh' (5/3), 'relu' (√2), 'leaky_relu' (√(2 / (1 + slope²))),
        'selu' (3/4) or a convolution name (1).
    param : float, optional
        The negative slope of 'leaky_relu' (default 0.01).

    Examples
    --------
    >>> from tinygrad_lr import nn
    >>> nn.init.calculate_gain("relu")
    1.4142135623730951
    """
    if nonlinearity in _LINEAR_LIKE:
        return 1.0
    if nonlinearity == "tanh":
        return 5.0 / 3
    if nonlinearity == "relu":
        return math.sqrt(2.0)
    if nonlinearity == "leaky_relu":
        if param is None:
            negative_slope = 0.01
        elif isinstance(param, (int, float)) and not isinstance(param, bool):
            negative_slope = param
        else:
            raise ValueError(f"negative_slope {param} not a valid number")
        return math.sqrt(2.0 / (1 + negative_slope**2))
    if nonlinearity == "selu":
        return 3.0 / 4
    raise ValueError(
        f"Unsupported nonlinearity {nonlinearity}; use one of linear, sigmoid, tanh, relu, "
        "leaky_relu, selu"
    )


def _calculate_fan_in_and_fan_out(tensor: Tensor) -> tuple[int, int]:
    """(fan_in, fan_out) of a weight of shape (out, in, *kernel): in·k and out·k.

    Examples
    --------
    >>> import tinygrad_lr as tg
    >>> from tinygrad_lr.nn.init import _calculate_fan_in_and_fan_out
    >>> _calculate_fan_in_and_fan_out(tg.empty(3, 2))
    (2, 3)
    """
    if tensor.dim() < 2:
        raise ValueError(
            "Fan in and fan out can not be computed for tensor with fewer than 2 dimensions "
            f"(got shape {tuple(tensor.shape)})"
        )
    receptive_field = math.prod(tensor.shape[2:])
    return tensor.shape[1] * receptive_field, tensor.shape[0] * receptive_field


def _calculate_correct_fan(tensor: Tensor, mode: str) -> int:
    mode = mode.lower()
    if mode not in ("fan_in", "fan_out"):
        raise ValueError(f"Mode {mode} not supported, please use one of fan_in, fan_out")
    fan_in, fan_out = _calculate_fan_in_and_fan_out(tensor)
    return fan_in if mode == "fan_in" else fan_out


def _check_tensor(tensor: Any, function: str) -> None:
    if not isinstance(tensor, Tensor):
        raise TypeError(f"{function}() expects a Tensor, got {type(tensor).__name__}")


def zeros_(tensor: Tensor) -> Tensor:
    """Fill with 0, in place.

    Examples
    --------
    >>> import tinygrad_lr as tg
    >>> from tinygrad_lr import nn
    >>> nn.init.zeros_(tg.ones(2))
    tensor([0., 0.])
    """
    _check_tensor(tensor, "zeros_")
    with no_grad():
        return tensor.zero_()


def ones_(tensor: Tensor) -> Tensor:
    """Fill with 1, in place.

    Examples
    --------
    >>> import tinygrad_lr as tg
    >>> from tinygrad_lr import nn
    >>> nn.init.ones_(tg.zeros(2))
    tensor([1., 1.])
    """
    _check_tensor(tensor, "ones_")
    with no_grad():
        return tensor.fill_(1)


def constant_(tensor: Tensor, val: float) -> Tensor:
    """Fill with ``val``, in place.

    Examples
    --------
    >>> import tinygrad_lr as tg
    >>> from tinygrad_lr import nn
    >>> nn.init.constant_(tg.zeros(2), 0.5)
    tensor([0.5000, 0.5000])
    """
    _check_tensor(tensor, "constant_")
    with no_grad():
        return tensor.fill_(val)


def normal_(
    tensor: Tensor, mean: float = 0.0, std: float = 1.0, generator: Generator | None = None
) -> Tensor:
    """Fill with samples of N(mean, std²), in place.

    Examples
    --------
    >>> import tinygrad_lr as tg
    >>> from tinygrad_lr import nn
    >>> w = nn.init.normal_(tg.empty(1000), std=0.01)
    >>> bool(abs(w.numpy().std() - 0.01) < 0.002)
    True
    """
    _check_tensor(tensor, "normal_")
    with no_grad():
        return tensor.normal_(mean, std, generator=generator)


def uniform_(
    tensor: Tensor, a: float = 0.0, b: float = 1.0, generator: Generator | None = None
) -> Tensor:
    """Fill with samples of U(a, b), in place.

    Examples
    --------
    >>> import tinygrad_lr as tg
    >>> from tinygrad_lr import nn
    >>> w = nn.init.uniform_(tg.empty(100), -0.1, 0.1)
    >>> bool((w.abs() <= 0.1).all())
    True
    """
    _check_tensor(tensor, "uniform_")
    with no_grad():
        return tensor.uniform_(a, b, generator=generator)


def kaiming_uniform_(
    tensor: Tensor,
    a: float = 0,
    mode: str = "fan_in",
    nonlinearity: str = "leaky_relu",
    generator: Generator | None = None,
) -> Tensor:
    """Fill with U(-bound, bound), bound = gain · √(3 / fan) (He et al., 2015), in place.

    Parameters
    ----------
    tensor : Tensor
        At least 2-D, e.g. a Linear weight of shape (out_features, in_features).
    a : float
        The negative slope of the leaky ReLU that follows (used by its gain).
    mode : {'fan_in', 'fan_out'}
        Keep the variance of the forward ('fan_in') or of the backward pass.
    nonlinearity : str
        Passed to :func:`calculate_gain` (with ``a``).

    Examples
    --------
    >>> import math, tinygrad_lr as tg
    >>> from tinygrad_lr import nn
    >>> w = nn.init.kaiming_uniform_(tg.empty(3, 4), a=math.sqrt(5))  # nn.Linear's default
    >>> bool((w.abs() <= 1 / math.sqrt(4)).all())
    True
    """
    _check_tensor(tensor, "kaiming_uniform_")
    if 0 in tensor.shape:
        warnings.warn("Initializing zero-element tensors is a no-op", UserWarning, stacklevel=2)
        return tensor
    fan = _calculate_correct_fan(tensor, mode)
    std = calculate_gain(nonlinearity, a) / math.sqrt(fan)
    bound = math.sqrt(3.0) * std
    return uniform_(tensor, -bound, bound, generator=generator)


def kaiming_normal_(
    tensor: Tensor,
    a: float = 0,
    mode: str = "fan_in",
    nonlinearity: str = "leaky_relu",
    generator: Generator | None = None,
) -> Tensor:
    """Fill with N(0, std²), std = gain / √fan (He et al., 2015), in place.

    Examples
    --------
    >>> import tinygrad_lr as tg
    >>> from tinygrad_lr import nn
    >>> nn.init.kaiming_normal_(tg.empty(3, 4), nonlinearity="relu").shape
    tinygrad_lr.Size([3, 4])
    """
    _check_tensor(tensor, "kaiming_normal_")
    if 0 in tensor.shape:
        warnings.warn("Initializing zero-element tensors is a no-op", UserWarning, stacklevel=2)
        return tensor
    fan = _calculate_correct_fan(tensor, mode)
    std = calculate_gain(nonlinearity, a) / math.sqrt(fan)
    return normal_(tensor, 0.0, std, generator=generator)


def xavier_uniform_(
    tensor: Tensor, gain: float = 1.0, generator: Generator | None = None
) -> Tensor:
    """Fill with U(-bound, bound), bound = gain · √(6 / (fan_in + fan_out)) (Glorot), in place.

    Examples
    --------
    >>> import tinygrad_lr as tg
    >>> from tinygrad_lr import nn
    >>> w = nn.init.xavier_uniform_(tg.empty(3, 3))
    >>> bool((w.abs() <= 1).all())
    True
    """
    _check_tensor(tensor, "xavier_uniform_")
    fan_in, fan_out = _calculate_fan_in_and_fan_out(tensor)
    bound = gain * math.sqrt(6.0 / (fan_in + fan_out))
    return uniform_(tensor, -bound, bound, generator=generator)


def xavier_normal_(tensor: Tensor, gain: float = 1.0, generator: Generator | None = None) -> Tensor:
    """Fill with N(0, std²), std = gain · √(2 / (fan_in + fan_out)) (Glorot), in place.

    Examples
    --------
    >>> import tinygrad_lr as tg
    >>> from tinygrad_lr import nn
    >>> nn.init.xavier_normal_(tg.empty(2, 2)).dtype
    tinygrad_lr.float32
    """
    _check_tensor(tensor, "xavier_normal_")
    fan_in, fan_out = _calculate_fan_in_and_fan_out(tensor)
    std = gain * math.sqrt(2.0 / (fan_in + fan_out))
    return normal_(tensor, 0.0, std, generator=generator)


__all__ = [
    "calculate_gain", "constant_", "kaiming_normal_", "kaiming_uniform_", "normal_", "ones_",
    "uniform_", "xavier_normal_", "xavier_uniform_", "zeros_",
]  # fmt: skip
