"""``Adam``: gradient descent with per-element step sizes from running moment estimates.

For each parameter p with gradient g, at step t (counting from 1), torch's rule exactly:

    g ← g + weight_decay · p                  (L2 penalty, if weight_decay ≠ 0)
    p ← p − lr · weight_decay · p             (instead, with decoupled_weight_decay: AdamW)
    m ← m + (1 − β₁) · (g − m)                (= β₁·m + (1 − β₁)·g, the mean of g)
    v ← β₂ · v + (1 − β₂) · g²                (the mean of g²)
    v̂ ← max(v̂, v)                             (amsgrad only; then v̂ replaces v below)
    p ← p − (lr / (1 − β₁ᵗ)) · m / (√v / √(1 − β₂ᵗ) + ε)

m and v start at zero, so early on they are biased toward zero; dividing by 1 − βᵗ corrects
that (the "bias corrections").
"""

from __future__ import annotations

import math
from typing import Any

from ..creation import tensor, zeros_like
from ..functions import maximum
from ..tensor import Tensor
from .optimizer import OfStep, Optimizer, ParamsT, check_at_least_zero, check_supported


class Adam(Optimizer):
    """Adam (Kingma and Ba, 2014), optionally with the AMSGrad variant.

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
        L2 penalty added to the gradient.
    amsgrad : bool
        Divide by the largest second moment seen so far (AMSGrad).
    maximize : bool
        Maximize the objective instead of minimizing it.
    decoupled_weight_decay : bool
        Shrink the parameter by ``lr * weight_decay`` instead of adding the L2 penalty to the
        gradient (this is :class:`AdamW`).
    foreach, capturable, differentiable, fused
        torch's ways of running the step on GPUs or differentiably: only their defaults are
        accepted (anything else raises NotImplementedError).

    Examples
    --------
    >>> import tinygrad_lr as tg
    >>> from tinygrad_lr import optim
    >>> w = tg.tensor([1.0], requires_grad=True)
    >>> opt = optim.Adam([w], lr=0.1)
    >>> (w**2).sum().backward()
    >>> opt.step()  # the first step moves each element by about lr
    >>> w
    tensor([0.9000], requires_grad=True)
    """

    def __init__(
        self,
        params: ParamsT,
        lr: float = 1e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 0,
        amsgrad: bool = False,
        *,
        foreach: bool | None = None,
        maximize: bool = False,
        capturable: bool = False,
        differentiable: bool = False,
        fused: bool | None = None,
        decoupled_weight_decay: bool = False,
    ) -> None:
        options = {"foreach": foreach, "capturable": capturable, "fused": fused}
        check_supported(type(self).__name__, {**options, "differentiable": differentiable})
        check_adam_settings(lr, betas, eps, weight_decay)
        defaults = {
            "lr": lr,
            "betas": tuple(betas),
            "eps": eps,
            "weight_decay": weight_decay,
            "amsgrad": amsgrad,
            "maximize": maximize,
            "decoupled_weight_decay": decoupled_weight_decay,
        }
        super().__init__(params, defaults)

    def _update(self, param: Any, group: dict[str, Any]) -> None:
        """One step for one parameter, written with tensor operations as the formula reads.

        Examples
        --------
        >>> import tinygrad_lr as tg
        >>> from tinygrad_lr import optim
        >>> w = tg.tensor([1.0], requires_grad=True)
        >>> opt = optim.Adam([w])
        >>> (w**2).sum().backward()
        >>> opt.step()
        >>> sorted(opt.state[w])
        ['exp_avg', 'exp_avg_sq', 'step']
        """
        beta1, beta2 = group["betas"]
        state = self.state[param]
        if not state:
            # The step counter is a float32 0-d tensor, as in torch, so state dicts match.
            state["step"] = tensor(0.0)
            state["exp_avg"] = zeros_like(param)
            state["exp_avg_sq"] = zeros_like(param)
            if group["amsgrad"]:
                state["max_exp_avg_sq"] = zeros_like(param)
        exp_avg, exp_avg_sq = state["exp_avg"], state["exp_avg_sq"]

        decoupled = group["decoupled_weight_decay"]
        grad = self._gradient(param, group, l2_penalty=not decoupled)
        state["step"] += 1
        if decoupled and group["weight_decay"] != 0:
            param.mul_(1 - group["lr"] * group["weight_decay"])  # AdamW: shrink p itself
        exp_avg.add_(grad - exp_avg, alpha=1 - beta1)  # torch's exp_avg.lerp_(grad, 1 - beta1)
        exp_avg_sq.mul_(beta2).add_(grad * grad, alpha=1 - beta2)
        # -lr / (1 - β₁ᵗ) and √(1 - β₂ᵗ), from the step counter in double precision as torch,
        # then rounded to the parameter's dtype, as a Python number would be
        step_size = OfStep.apply(state["step"], lambda t: -group["lr"] / (1 - beta1**t))
        bias_correction2_sqrt = OfStep.apply(state["step"], lambda t: math.sqrt(1 - beta2**t))
        step_size, bias_correction2_sqrt = (
            step_size.to(param.dtype),
            bias_correction2_sqrt.to(param.dtype),
        )
        if group["amsgrad"]:
            max_exp_avg_sq = state["max_exp_avg_sq"]
            max_exp_avg_sq.copy_(maximum(max_exp_avg_sq, exp_avg_sq))
            exp_avg_sq = max_exp_avg_sq
        denominator = (exp_avg_sq.sqrt() / bias_correction2_sqrt).add_(group["eps"])
        param.add_(exp_avg / denominator * step_size)  # as add_(..., alpha=step_size)


def check_adam_settings(lr: Any, betas: Any, eps: Any, weight_decay: Any) -> None:
    """Raise torch's ValueError for Adam's and AdamW's settings, in torch's order.

    Examples
    --------
    >>> from tinygrad_lr.optim.adam import check_adam_settings
    >>> check_adam_settings(1e-3, (0.9, 1.0), 1e-8, 0)
    Traceback (most recent call last):
        ...
    ValueError: Invalid beta parameter at index 1: 1.0
    """
    check_at_least_zero(learning_rate=lr, epsilon=eps)
    for index, beta in enumerate(betas):
        if not 0.0 <= beta < 1.0:
            raise ValueError(f"Invalid beta parameter at index {index}: {beta}")
    check_at_least_zero(weight_decay=weight_decay)
    if not (
        all(isinstance(beta, float) for beta in betas)
        or all(isinstance(beta, Tensor) for beta in betas)
    ):
        raise ValueError("betas must be either both floats or both Tensors")
