"""Loss layers: module forms of ``functional.mse_loss`` and ``functional.l1_loss``."""

from __future__ import annotations

from ..tensor import Tensor
from . import functional as F
from .module import Module


class _Loss(Module):
    """Shared by the losses: the ``reduction`` ('mean', 'sum' or 'none'), checked at once."""

    def __init__(self, reduction: str = "mean") -> None:
        super().__init__()
        F._check_reduction(reduction)
        self.reduction = reduction


class MSELoss(_Loss):
    """Mean squared error between prediction and target; see :func:`functional.mse_loss`.

    Examples
    --------
    >>> import tinygrad_lr as tg
    >>> from tinygrad_lr import nn
    >>> loss = nn.MSELoss()
    >>> loss(tg.tensor([1.0, 2.0]), tg.tensor([1.0, 4.0]))
    tensor(2.)
    """

    def forward(self, input: Tensor, target: Tensor) -> Tensor:
        """The loss of ``input`` against ``target``."""
        # stacklevel 3: a size warning points at the user's line that called the loss module.
        return F._mse_loss(input, target, self.reduction, stacklevel=3)


class L1Loss(_Loss):
    """Mean absolute error between prediction and target; see :func:`functional.l1_loss`.

    Examples
    --------
    >>> import tinygrad_lr as tg
    >>> from tinygrad_lr import nn
    >>> nn.L1Loss(reduction="none")(tg.tensor([1.0, 2.0]), tg.tensor([1.0, 4.0]))
    tensor([0., 2.])
    """

    def forward(self, input: Tensor, target: Tensor) -> Tensor:
        """The loss of ``input`` against ``target``."""
        return F._l1_loss(input, target, self.reduction, stacklevel=3)


class HuberLoss(_Loss):
    """Huber loss; see :func:`functional.huber_loss`.

    Examples
    --------
    >>> import tinygrad_lr as tg
    >>> from tinygrad_lr import nn
    >>> nn.HuberLoss(reduction="sum")(tg.tensor([0.5, 3.0]), tg.zeros(2))
    tensor(2.6250)
    """

    def __init__(self, reduction: str = "mean", delta: float = 1.0) -> None:
        super().__init__(reduction)
        self.delta = delta

    def forward(self, input: Tensor, target: Tensor) -> Tensor:
        """The loss of ``input`` against ``target``."""
        return F.huber_loss(input, target, self.reduction, self.delta)


class SmoothL1Loss(_Loss):
    """Smooth L1 loss; see :func:`functional.smooth_l1_loss`.

    Examples
    --------
    >>> import tinygrad_lr as tg
    >>> from tinygrad_lr import nn
    >>> nn.SmoothL1Loss(reduction="sum")(tg.tensor([0.5, 3.0]), tg.zeros(2))
    tensor(2.6250)
    """

    def __init__(self, reduction: str = "mean", beta: float = 1.0) -> None:
        super().__init__(reduction)
        self.beta = beta

    def forward(self, input: Tensor, target: Tensor) -> Tensor:
        """The loss of ``input`` against ``target``."""
        return F.smooth_l1_loss(input, target, self.reduction, self.beta)
