"""``AdamW``: Adam with decoupled weight decay (Loshchilov and Hutter, 2019).

Adam's L2 penalty enters the moment estimates, so parameters with large gradients are barely
decayed. AdamW instead shrinks each parameter directly, before Adam's step (torch's rule):

    p ← p − lr · weight_decay · p
    p ← Adam's step with weight_decay = 0

It is ``Adam(..., decoupled_weight_decay=True)`` with a default ``weight_decay`` of 1e-2.
"""

from __future__ import annotations

from .adam import Adam
from .optimizer import ParamsT


class AdamW(Adam):
    """Adam with decoupled weight decay: ``Adam(decoupled_weight_decay=True)``.

    Parameters
    ----------
    params : iterable of Tensor or of dict
        ``model.parameters()``, or groups of parameters with their own settings.
    lr : float
        Learning rate (default 1e-3).
    betas : (float, float)
        Decay rates β₁, β₂ of the running means of the gradient and of its square.
    eps : float
        Added to the denominator, so that it is never zero.
    weight_decay : float
        Each step multiplies the parameter by ``1 - lr * weight_decay`` (default 1e-2).
    amsgrad : bool
        Divide by the largest second moment seen so far (AMSGrad).
    maximize : bool
        Maximize the objective instead of minimizing it.
    foreach, capturable, differentiable, fused
        Only their defaults are accepted, as in :class:`Adam`.

    Examples
    --------
    >>> import tinygrad_lr as tg
    >>> from tinygrad_lr import optim
    >>> w = tg.tensor([1.0], requires_grad=True)
    >>> opt = optim.AdamW([w], lr=0.1, weight_decay=0.5)
    >>> w.grad = tg.tensor([0.0])
    >>> opt.step()  # 1 · (1 - 0.1 · 0.5), then Adam's step of a zero gradient
    >>> w
    tensor([0.9500], requires_grad=True)
    """

    def __init__(
        self,
        params: ParamsT,
        lr: float = 1e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 1e-2,
        amsgrad: bool = False,
        *,
        maximize: bool = False,
        foreach: bool | None = None,
        capturable: bool = False,
        differentiable: bool = False,
        fused: bool | None = None,
    ) -> None:
        super().__init__(
            params,
            lr,
            betas,
            eps,
            weight_decay,
            amsgrad,
            maximize=maximize,
            foreach=foreach,
            capturable=capturable,
            differentiable=differentiable,
            fused=fused,
            decoupled_weight_decay=True,
        )
