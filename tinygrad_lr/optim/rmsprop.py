"""``RMSprop``: divide each gradient by a running root mean square of recent gradients.

For each parameter p with gradient g, one step is (torch's rule, exactly):

    g ← g + weight_decay · p                  (L2 penalty, if weight_decay ≠ 0)
    v ← α · v + (1 − α) · g²                  (the mean of g²)
    m ← m + (1 − α) · (g − m)                 (centered only: the mean of g)
    s ← √(v − m²) + ε  if centered, else  √v + ε
    b ← momentum · b + g / s,  p ← p − lr · b    if momentum > 0
    p ← p − lr · g / s                          otherwise

v, m and b start at zero. ``maximize`` uses −g.
"""

from __future__ import annotations

from typing import Any

from ..creation import tensor, zeros_like
from .optimizer import Optimizer, ParamsT, check_at_least_zero, check_supported


class RMSprop(Optimizer):
    """RMSprop (Hinton's lecture 6e), optionally centered and with momentum.

    Parameters
    ----------
    params : iterable of Tensor or of dict
        ``model.parameters()``, or groups of parameters with their own settings.
    lr : float
        Learning rate (default 1e-2).
    alpha : float
        Decay rate of the running mean of g² (default 0.99).
    eps : float
        Added to the denominator, so that it is never zero.
    weight_decay : float
        L2 penalty added to the gradient.
    momentum : float
        Momentum factor (default 0: none).
    centered : bool
        Divide by the running variance of g (mean of g² minus squared mean) instead.
    maximize : bool
        Maximize the objective instead of minimizing it.
    capturable, foreach, differentiable
        torch's ways of running the step on GPUs or differentiably: only their defaults are
        accepted (anything else raises NotImplementedError).

    Examples
    --------
    >>> import tinygrad_lr as tg
    >>> from tinygrad_lr import optim
    >>> w = tg.tensor([1.0], requires_grad=True)
    >>> opt = optim.RMSprop([w], lr=0.01, alpha=0.75)
    >>> (w**2).sum().backward()  # g = 2, v = 0.25 · 4 = 1
    >>> opt.step()               # w ← 1 - 0.01 · 2 / √1
    >>> w
    tensor([0.9800], requires_grad=True)
    """

    def __init__(
        self,
        params: ParamsT,
        lr: float = 1e-2,
        alpha: float = 0.99,
        eps: float = 1e-8,
        weight_decay: float = 0,
        momentum: float = 0,
        centered: bool = False,
        capturable: bool = False,
        foreach: bool | None = None,
        maximize: bool = False,
        differentiable: bool = False,
    ) -> None:
        check_supported(
            "RMSprop",
            {"capturable": capturable, "foreach": foreach, "differentiable": differentiable},
        )
        check_at_least_zero(
            learning_rate=lr, epsilon=eps, momentum=momentum, weight_decay=weight_decay
        )
        check_at_least_zero(alpha=alpha)
        defaults = {
            "lr": lr,
            "momentum": momentum,
            "alpha": alpha,
            "eps": eps,
            "centered": centered,
            "weight_decay": weight_decay,
            "maximize": maximize,
        }
        super().__init__(params, defaults)

    def _update(self, param: Any, group: dict[str, Any]) -> None:
        """One step for one parameter, written with tensor operations as the formula reads.

        Examples
        --------
        >>> import tinygrad_lr as tg
        >>> from tinygrad_lr import optim
        >>> w = tg.tensor([1.0], requires_grad=True)
        >>> opt = optim.RMSprop([w], momentum=0.9, centered=True)
        >>> (w**2).sum().backward()
        >>> opt.step()
        >>> list(opt.state[w])
        ['step', 'square_avg', 'momentum_buffer', 'grad_avg']
        """
        state = self.state[param]
        if not state:
            # The step counter is a float32 0-d tensor, as in torch, so state dicts match.
            state["step"] = tensor(0.0)
            state["square_avg"] = zeros_like(param)
            if group["momentum"] > 0:
                state["momentum_buffer"] = zeros_like(param)
            if group["centered"]:
                state["grad_avg"] = zeros_like(param)
        alpha = group["alpha"]
        grad = self._gradient(param, group)
        state["step"] += 1

        square_avg = state["square_avg"].mul_(alpha).add_(grad * grad, alpha=1 - alpha)
        if group["centered"]:
            grad_avg = state["grad_avg"]
            grad_avg.add_(grad - grad_avg, alpha=1 - alpha)  # torch's grad_avg.lerp_(grad, 1 - α)
            denominator = (square_avg - grad_avg * grad_avg).sqrt().add_(group["eps"])
        else:
            denominator = square_avg.sqrt().add_(group["eps"])
        if group["momentum"] > 0:
            buffer = state["momentum_buffer"].mul_(group["momentum"]).add_(grad / denominator)
            param.add_(buffer, alpha=-group["lr"])
        else:
            param.add_(grad / denominator, alpha=-group["lr"])
