"""``Adam``: gradient descent with per-element step sizes from running moment estimates.

For each parameter p with gradient g, at step t (counting from 1), torch's rule exactly:

    g ← g + weight_decay · p                  (L2 penalty, if weight_decay ≠ 0)
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

import numpy as np

from ..creation import tensor, zeros_like
from .optimizer import Optimizer, ParamsT


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
        maximize: bool = False,
    ) -> None:
        if lr < 0.0:
            raise ValueError(f"Invalid learning rate: {lr}")
        if eps < 0.0:
            raise ValueError(f"Invalid epsilon value: {eps}")
        for index, beta in enumerate(betas):
            if not 0.0 <= beta < 1.0:
                raise ValueError(f"Invalid beta parameter at index {index}: {beta}")
        if weight_decay < 0.0:
            raise ValueError(f"Invalid weight_decay value: {weight_decay}")
        defaults = {
            "lr": lr,
            "betas": tuple(betas),
            "eps": eps,
            "weight_decay": weight_decay,
            "amsgrad": amsgrad,
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

        grad = self._gradient(param, group)
        state["step"] += 1
        step = state["step"].item()

        exp_avg.add_(grad - exp_avg, alpha=1 - beta1)  # torch's exp_avg.lerp_(grad, 1 - beta1)
        exp_avg_sq.mul_(beta2).add_(grad * grad, alpha=1 - beta2)
        bias_correction1 = 1 - beta1**step
        bias_correction2_sqrt = math.sqrt(1 - beta2**step)
        if group["amsgrad"]:
            max_exp_avg_sq = state["max_exp_avg_sq"]
            np.maximum(max_exp_avg_sq.numpy(), exp_avg_sq.numpy(), out=max_exp_avg_sq.numpy())
            exp_avg_sq = max_exp_avg_sq
        denominator = (exp_avg_sq.sqrt() / bias_correction2_sqrt).add_(group["eps"])
        param.add_(exp_avg / denominator, alpha=-group["lr"] / bias_correction1)
