"""``SGD``: stochastic gradient descent, with momentum, Nesterov momentum and weight decay.

For each parameter p with gradient g, one step is (torch's rule, exactly):

    g ← g + weight_decay · p                          (L2 penalty, if weight_decay ≠ 0)
    b ← g                     on the first step        (momentum buffer, if momentum ≠ 0)
    b ← momentum · b + (1 − dampening) · g   later
    g ← g + momentum · b      with nesterov, else  g ← b
    p ← p − lr · g

``maximize`` uses −g, to climb an objective instead.
"""

from __future__ import annotations

from typing import Any

from .optimizer import Optimizer, ParamsT, check_supported


class SGD(Optimizer):
    """Stochastic gradient descent (optionally with momentum).

    Parameters
    ----------
    params : iterable of Tensor or of dict
        ``model.parameters()``, or groups of parameters with their own settings.
    lr : float
        Learning rate (default 1e-3).
    momentum : float
        Momentum factor (default 0: plain gradient descent).
    dampening : float
        Dampening for momentum: the new gradient enters the buffer scaled by 1 − dampening.
    weight_decay : float
        L2 penalty added to the gradient.
    nesterov : bool
        Use Nesterov momentum (needs momentum > 0 and dampening = 0).
    maximize : bool
        Maximize the objective instead of minimizing it.
    foreach, differentiable, fused
        torch's ways of running the step on GPUs or differentiably: only their defaults are
        accepted (anything else raises NotImplementedError).

    Examples
    --------
    >>> import tinygrad_lr as tg
    >>> from tinygrad_lr import optim
    >>> w = tg.tensor([1.0], requires_grad=True)
    >>> opt = optim.SGD([w], lr=0.1)
    >>> (w**2).sum().backward()  # dL/dw = 2w = 2
    >>> opt.step()               # w ← 1 - 0.1 · 2
    >>> w
    tensor([0.8000], requires_grad=True)
    """

    def __init__(
        self,
        params: ParamsT,
        lr: float = 1e-3,
        momentum: float = 0,
        dampening: float = 0,
        weight_decay: float = 0,
        nesterov: bool = False,
        *,
        maximize: bool = False,
        foreach: bool | None = None,
        differentiable: bool = False,
        fused: bool | None = None,
    ) -> None:
        check_supported(
            "SGD", {"foreach": foreach, "differentiable": differentiable, "fused": fused}
        )
        # not 0 <= x, where torch's SGD writes x < 0: NaN is refused too (torch trains to NaN)
        if not 0.0 <= lr:
            raise ValueError(f"Invalid learning rate: {lr}")
        if not 0.0 <= momentum:
            raise ValueError(f"Invalid momentum value: {momentum}")
        if not 0.0 <= weight_decay:
            raise ValueError(f"Invalid weight_decay value: {weight_decay}")
        if nesterov and (momentum <= 0 or dampening != 0):
            raise ValueError("Nesterov momentum requires a momentum and zero dampening")
        defaults = {
            "lr": lr,
            "momentum": momentum,
            "dampening": dampening,
            "weight_decay": weight_decay,
            "nesterov": nesterov,
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
        >>> opt = optim.SGD([w], lr=0.1, momentum=0.9)
        >>> for _ in range(2):
        ...     opt.zero_grad()
        ...     (w**2).sum().backward()
        ...     opt.step()
        >>> opt.state[w]["momentum_buffer"]  # 0.9 · 2 + 2 · 0.8
        tensor([3.4000])
        """
        grad = self._gradient(param, group)
        momentum = group["momentum"]
        if momentum != 0:
            state = self.state[param]
            buffer = state.get("momentum_buffer")
            if buffer is None:
                # The first step starts the buffer at the gradient itself (no dampening).
                buffer = state["momentum_buffer"] = grad.detach().clone()
            else:
                buffer.mul_(momentum).add_(grad, alpha=1 - group["dampening"])
            grad = grad.add(buffer, alpha=momentum) if group["nesterov"] else buffer
        param.add_(grad, alpha=-group["lr"])
