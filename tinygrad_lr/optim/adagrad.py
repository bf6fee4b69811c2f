"""``Adagrad``: per-element step sizes that shrink with the sum of all past squared gradients.

For each parameter p with gradient g, at step t (counting from 1), torch's rule exactly:

    g ← g + weight_decay · p                  (L2 penalty, if weight_decay ≠ 0)
    lr_t ← lr / (1 + (t − 1) · lr_decay)
    s ← s + g²                                (s starts at initial_accumulator_value)
    p ← p − lr_t · g / (√s + ε)

Elements that have had large gradients take small steps from then on. ``maximize`` uses −g.
"""

from __future__ import annotations

from typing import Any

from ..creation import full_like, tensor
from .optimizer import OfStep, Optimizer, ParamsT, check_at_least_zero, check_supported


class Adagrad(Optimizer):
    """Adagrad (Duchi, Hazan and Singer, 2011).

    Parameters
    ----------
    params : iterable of Tensor or of dict
        ``model.parameters()``, or groups of parameters with their own settings.
    lr : float
        Learning rate (default 1e-2).
    lr_decay : float
        The rate at step t is ``lr / (1 + (t - 1) * lr_decay)``.
    weight_decay : float
        L2 penalty added to the gradient.
    initial_accumulator_value : float
        Where the sum of squared gradients starts (the optimizer's, not a group's, as in torch).
    eps : float
        Added to the denominator, so that it is never zero (default 1e-10).
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
    >>> opt = optim.Adagrad([w], lr=0.1)
    >>> (w**2).sum().backward()  # g = 2, s = 4
    >>> opt.step()               # w ← 1 - 0.1 · 2 / √4
    >>> w
    tensor([0.9000], requires_grad=True)
    """

    def __init__(
        self,
        params: ParamsT,
        lr: float = 1e-2,
        lr_decay: float = 0,
        weight_decay: float = 0,
        initial_accumulator_value: float = 0,
        eps: float = 1e-10,
        foreach: bool | None = None,
        *,
        maximize: bool = False,
        differentiable: bool = False,
        fused: bool | None = None,
    ) -> None:
        check_supported(
            "Adagrad", {"foreach": foreach, "differentiable": differentiable, "fused": fused}
        )
        check_at_least_zero(learning_rate=lr, lr_decay=lr_decay, weight_decay=weight_decay)
        check_at_least_zero(initial_accumulator_value=initial_accumulator_value, epsilon=eps)
        defaults = {
            "lr": lr,
            "lr_decay": lr_decay,
            "eps": eps,
            "weight_decay": weight_decay,
            "initial_accumulator_value": initial_accumulator_value,
            "maximize": maximize,
        }
        super().__init__(params, defaults)
        # torch makes the state of every parameter at once, so a state dict lists them all.
        for group in self.param_groups:
            for param in group["params"]:
                self._start_state(param)

    def _start_state(self, param: Any) -> dict[str, Any]:
        """The step counter and the sum of squared gradients, for a parameter without state."""
        state = self.state[param]
        if not state:
            state["step"] = tensor(0.0)  # float32 0-d, as in torch
            state["sum"] = full_like(param, self.defaults["initial_accumulator_value"])
        return state

    def _update(self, param: Any, group: dict[str, Any]) -> None:
        """One step for one parameter, written with tensor operations as the formula reads.

        Examples
        --------
        >>> import tinygrad_lr as tg
        >>> from tinygrad_lr import optim
        >>> w = tg.tensor([1.0], requires_grad=True)
        >>> opt = optim.Adagrad([w], initial_accumulator_value=0.5)
        >>> (w**2).sum().backward()
        >>> opt.step()
        >>> opt.state[w]["sum"]  # 0.5 + 2²
        tensor([4.5000])
        """
        state = self._start_state(param)
        state["step"] += 1
        grad = self._gradient(param, group)
        # -lr / (1 + (t - 1) · lr_decay), from the step counter in double precision as torch
        step_size = OfStep.apply(
            state["step"], lambda t: -(group["lr"] / (1 + (t - 1) * group["lr_decay"]))
        ).to(param.dtype)  # rounded to the parameter's dtype, as a Python number would be
        state["sum"].add_(grad * grad)
        param.add_(grad / state["sum"].sqrt().add_(group["eps"]) * step_size)
