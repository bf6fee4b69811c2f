"""Activation layers: module forms of the elementwise functions in ``functional``."""

from __future__ import annotations

from ..tensor import Tensor
from . import functional as F
from .module import Module


class ReLU(Module):
    """max(x, 0), elementwise.

    Examples
    --------
    >>> import tinygrad_lr as tg
    >>> from tinygrad_lr import nn
    >>> nn.ReLU()(tg.tensor([-1.0, 2.0]))
    tensor([0., 2.])
    """

    def forward(self, input: Tensor) -> Tensor:
        """max(x, 0)."""
        return F.relu(input)


class Tanh(Module):
    """Hyperbolic tangent, elementwise.

    Examples
    --------
    >>> import tinygrad_lr as tg
    >>> from tinygrad_lr import nn
    >>> nn.Tanh()(tg.zeros(1))
    tensor([0.])
    """

    def forward(self, input: Tensor) -> Tensor:
        """tanh(x)."""
        return F.tanh(input)


class Sigmoid(Module):
    """1 / (1 + e⁻ˣ), elementwise.

    Examples
    --------
    >>> import tinygrad_lr as tg
    >>> from tinygrad_lr import nn
    >>> nn.Sigmoid()(tg.zeros(1))
    tensor([0.5000])
    """

    def forward(self, input: Tensor) -> Tensor:
        """1 / (1 + e⁻ˣ)."""
        return F.sigmoid(input)
