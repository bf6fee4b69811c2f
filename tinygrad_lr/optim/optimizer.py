"""``Optimizer``: what every optimizer shares — parameter groups, per-parameter state, saving.

An optimizer holds ``param_groups``, a list of dicts: each has ``"params"`` (a list of tensors)
and that group's settings (``"lr"``, ``"momentum"``, ...), so that different parameters can use
different settings. ``state`` maps each parameter to what the update rule remembers between
steps (a momentum buffer, Adam's moment estimates). A subclass only writes ``_update``,
the rule for one parameter; ``step`` applies it to every parameter that has a gradient.
"""

from __future__ import annotations

import copy
import warnings
from collections import defaultdict
from collections.abc import Callable, Iterable
from typing import Any

import numpy as np

from ..autograd.engine import clear_grads
from ..autograd.function import Function
from ..grad_mode import enable_grad, no_grad
from ..tensor import Tensor

ParamsT = Iterable[Tensor] | Iterable[tuple[str, Tensor]] | Iterable[dict[str, Any]]


class Optimizer:
    """Base class of optimizers.

    Parameters
    ----------
    params : iterable of Tensor, of (name, Tensor) pairs, or of dict
        The tensors to optimize (``model.parameters()``, or ``model.named_parameters()`` to
        keep the names in ``"param_names"``), or groups: dicts with a ``"params"`` entry and
        settings that override ``defaults`` for that group.
    defaults : dict
        The settings of every group that does not set them itself.

    Examples
    --------
    >>> import tinygrad_lr as tg
    >>> from tinygrad_lr import nn, optim
    >>> model = nn.Linear(2, 1)
    >>> opt = optim.SGD([{"params": [model.weight]}, {"params": [model.bias], "lr": 0.1}], lr=0.01)
    >>> [group["lr"] for group in opt.param_groups]
    [0.01, 0.1]
    """

    def __init__(self, params: ParamsT, defaults: dict[str, Any]) -> None:
        self.defaults = defaults
        self.state: defaultdict[Tensor, dict[str, Any]] = defaultdict(dict)
        self.param_groups: list[dict[str, Any]] = []
        if isinstance(params, Tensor):
            raise TypeError(
                "params argument given to the optimizer should be an iterable of Tensors or "
                f"dicts, but got {type(params).__name__}; pass model.parameters() or [tensor]"
            )
        groups = list(params)
        if not groups:
            raise ValueError("optimizer got an empty parameter list")
        if not isinstance(groups[0], dict):
            groups = [{"params": groups}]
        for group in groups:
            self.add_param_group(group)

    def add_param_group(self, param_group: dict[str, Any]) -> None:
        """Add a group of parameters with its own settings (e.g. a layer to unfreeze).

        Examples
        --------
        >>> import tinygrad_lr as tg
        >>> from tinygrad_lr import optim
        >>> opt = optim.SGD([tg.zeros(1, requires_grad=True)], lr=0.1)
        >>> opt.add_param_group({"params": [tg.zeros(2, requires_grad=True)], "lr": 0.01})
        >>> len(opt.param_groups)
        2
        """
        if not isinstance(param_group, dict):
            raise TypeError(f"param_group must be a dict, but got {type(param_group).__name__}")
        params = param_group["params"]
        if isinstance(params, Tensor):
            params = [params]
        elif isinstance(params, set):
            raise TypeError(
                "optimizer parameters need to be organized in ordered collections, but the "
                "ordering of tensors in sets will change between runs. Please use a list instead."
            )
        else:
            params = list(params)
        group: dict[str, Any] = {}
        if params and all(isinstance(p, tuple) and len(p) == 2 for p in params):
            # Named parameters, as model.named_parameters() yields them: the names are kept.
            group["param_names"] = [name for name, _ in params]
            params = [param for _, param in params]
        if self.param_groups and ("param_names" in group) != (
            "param_names" in self.param_groups[0]
        ):
            raise ValueError("all optimizer param groups should be with/without names.")
        for param in params:
            if not isinstance(param, Tensor):
                raise TypeError(
                    "optimizer can only optimize Tensors, but one of the params is "
                    f"{type(param).__name__}"
                )
            if not param.is_leaf:
                raise ValueError(
                    "can't optimize a non-leaf Tensor; optimize the leaf it was computed from, "
                    "or detach it and call requires_grad_() to make a new leaf"
                )
        check_supported(type(self).__name__, param_group)
        group = {"params": params, **group}
        for name, default in self.defaults.items():
            group[name] = _as_number(param_group.get(name, default))
        # Settings the optimizer does not know are kept, as torch keeps them.
        for name, value in param_group.items():
            group.setdefault(name, value)
        if len({id(p) for p in params}) != len(params):
            warnings.warn(
                "optimizer contains a parameter group with duplicate parameters; each is "
                "updated once per step per occurrence",
                UserWarning,
                stacklevel=3,
            )
        existing = {id(p) for g in self.param_groups for p in g["params"]}
        if existing & {id(p) for p in params}:
            raise ValueError("some parameters appear in more than one parameter group")
        self.param_groups.append(group)

    def zero_grad(self, set_to_none: bool = True) -> None:
        """Clear the gradient of every parameter: set it to None (default) or to zeros.

        Gradients add up across ``backward()`` calls, so clear them before each one.

        Examples
        --------
        >>> import tinygrad_lr as tg
        >>> from tinygrad_lr import optim
        >>> w = tg.ones(2, requires_grad=True)
        >>> (w * w).sum().backward()
        >>> opt = optim.SGD([w], lr=0.1)
        >>> opt.zero_grad(set_to_none=False)
        >>> w.grad
        tensor([0., 0.])
        """
        for group in self.param_groups:
            clear_grads(group["params"], set_to_none)

    def step(self, closure: Callable[[], Any] | None = None) -> Any:
        """Update each parameter that has a gradient, in place; returns ``closure()``'s loss.

        ``closure``, if given, recomputes the loss and calls backward (with recording on) before
        the update. The update itself runs under ``no_grad``: it changes the parameters' values
        and records nothing.

        Examples
        --------
        >>> import tinygrad_lr as tg
        >>> from tinygrad_lr import optim
        >>> w = tg.tensor([1.0], requires_grad=True)
        >>> opt = optim.SGD([w], lr=0.1)
        >>> (w**2).sum().backward()
        >>> opt.step()
        >>> w  # 1 - 0.1 · 2
        tensor([0.8000], requires_grad=True)
        """
        self._opt_called = True  # read by lr_scheduler's warning about the order of steps
        loss = None
        if closure is not None:
            with enable_grad():
                loss = closure()
        with no_grad():
            for group in self.param_groups:
                for param in group["params"]:
                    if param.grad is not None:
                        self._update(param, group)
        return loss

    def _update(self, param: Tensor, group: dict[str, Any]) -> None:
        """The update rule for one parameter with the settings of its group."""
        raise NotImplementedError(f"{type(self).__name__} must implement _update(param, group)")

    @staticmethod
    def _gradient(param: Tensor, group: dict[str, Any], l2_penalty: bool = True) -> Tensor:
        """The gradient the update follows: negated to maximize, plus weight_decay · param (the
        L2 penalty's gradient, unless ``l2_penalty`` is False), as every update rule starts."""
        grad = -param.grad if group["maximize"] else param.grad
        if l2_penalty and group["weight_decay"] != 0:
            grad = grad.add(param, alpha=group["weight_decay"])
        return grad

    # ------------------------------------------------------------------ saving
    def state_dict(self) -> dict[str, Any]:
        """The settings and state, with each parameter replaced by its index (torch's layout).

        Parameters are numbered in the order of ``param_groups``, continuing from group to
        group; ``"state"`` is keyed by those numbers. Save it with :func:`tinygrad_lr.save`.

        Examples
        --------
        >>> import tinygrad_lr as tg
        >>> from tinygrad_lr import optim
        >>> opt = optim.SGD([tg.zeros(1, requires_grad=True)], lr=0.1)
        >>> opt.state_dict()["param_groups"][0]["params"]
        [0]
        """
        index_of: dict[int, int] = {}
        groups = []
        for group in self.param_groups:
            for param in group["params"]:
                index_of.setdefault(id(param), len(index_of))
            packed = {name: value for name, value in group.items() if name != "params"}
            packed["params"] = [index_of[id(param)] for param in group["params"]]
            groups.append(packed)
        state = {
            index_of[id(param)] if isinstance(param, Tensor) else param: values
            for param, values in self.state.items()
        }
        return {"state": state, "param_groups": groups}

    def load_state_dict(self, state_dict: dict[str, Any]) -> None:
        """Restore settings and state saved by :meth:`state_dict` (e.g. to resume training).

        The optimizer must have been built on parameters of the same groups and sizes. State
        tensors are copied and converted to their parameter's floating-point dtype.

        Examples
        --------
        >>> import tinygrad_lr as tg
        >>> from tinygrad_lr import optim
        >>> w = tg.zeros(1, requires_grad=True)
        >>> saved = optim.SGD([w], lr=0.5).state_dict()
        >>> opt = optim.SGD([w], lr=0.1)
        >>> opt.load_state_dict(saved)
        >>> opt.param_groups[0]["lr"]
        0.5
        """
        if not isinstance(state_dict, dict) or not {"state", "param_groups"} <= set(state_dict):
            raise ValueError(
                "optimizer state_dict must be a dict with 'state' and 'param_groups', as made by "
                "optimizer.state_dict()"
            )
        saved_groups = copy.deepcopy(state_dict["param_groups"])
        if len(saved_groups) != len(self.param_groups):
            raise ValueError(
                f"loaded state dict has a different number of parameter groups "
                f"({len(saved_groups)}) than the optimizer ({len(self.param_groups)})"
            )
        for index, (group, saved) in enumerate(zip(self.param_groups, saved_groups)):
            if len(group["params"]) != len(saved["params"]):
                raise ValueError(
                    f"loaded state dict contains a parameter group that doesn't match the size of "
                    f"optimizer's group: group {index} has {len(saved['params'])} parameters in "
                    f"the state dict and {len(group['params'])} in the optimizer"
                )
        param_of = {
            saved_index: param
            for group, saved in zip(self.param_groups, saved_groups)
            for saved_index, param in zip(saved["params"], group["params"])
        }
        state: defaultdict[Any, dict[str, Any]] = defaultdict(dict)
        for key, values in state_dict["state"].items():
            if key in param_of:
                param = param_of[key]
                state[param] = {
                    name: _copy_state_value(value, param, name) for name, value in values.items()
                }
            else:
                state[key] = copy.deepcopy(values)
        for group, saved in zip(self.param_groups, saved_groups):
            saved["params"] = group["params"]
            if "param_names" in group and "param_names" not in saved:
                saved["param_names"] = group["param_names"]
        self.param_groups = saved_groups
        self.state = state

    def __repr__(self) -> str:
        lines = [f"{type(self).__name__} ("]
        for index, group in enumerate(self.param_groups):
            if index:
                lines.append("")
            lines.append(f"Parameter Group {index}")
            lines.extend(f"    {name}: {group[name]}" for name in sorted(group) if name != "params")
        lines.append(")")
        return "\n".join(lines)


# torch's options that only choose how torch runs the step (on GPUs, or differentiably), with the
# values that mean "the plain step", which is the one tinygrad_lr has.
UNSUPPORTED_OPTIONS: dict[str, tuple[Any, ...]] = {
    "foreach": (None, False),
    "fused": (None, False),
    "capturable": (False,),
    "differentiable": (False,),
}


def check_supported(optimizer: str, options: dict[str, Any]) -> None:
    """Raise NotImplementedError for a torch option tinygrad_lr does not have, set to anything
    but its default; never ignore it silently.

    Examples
    --------
    >>> from tinygrad_lr.optim.optimizer import check_supported
    >>> check_supported("Adam", {"foreach": None, "lr": 0.1})
    >>> check_supported("Adam", {"fused": True})
    Traceback (most recent call last):
        ...
    NotImplementedError: Adam(fused=True) is not supported: tinygrad_lr has only the plain \
single-tensor step on the CPU; leave fused at its default (None)
    """
    for name, allowed in UNSUPPORTED_OPTIONS.items():
        if name in options and not any(options[name] is value for value in allowed):
            raise NotImplementedError(
                f"{optimizer}({name}={options[name]!r}) is not supported: tinygrad_lr has only "
                f"the plain single-tensor step on the CPU; leave {name} at its default "
                f"({allowed[0]})"
            )


def check_at_least_zero(**settings: Any) -> None:
    """Raise torch's ValueError ``Invalid <what>: <value>`` for a setting that is negative or NaN.

    Keywords name the setting as torch's message does: ``learning_rate`` reads "learning rate",
    ``epsilon`` reads "epsilon value", anything else "<name> value".

    Examples
    --------
    >>> from tinygrad_lr.optim.optimizer import check_at_least_zero
    >>> check_at_least_zero(learning_rate=0.1, weight_decay=0)
    >>> check_at_least_zero(learning_rate=float("nan"))
    Traceback (most recent call last):
        ...
    ValueError: Invalid learning rate: nan
    """
    for name, value in settings.items():
        if not 0.0 <= value:  # written so that NaN fails too
            what = "learning rate" if name == "learning_rate" else f"{name} value"
            raise ValueError(f"Invalid {what}: {value}")


def _copy_state_value(value: Any, param: Tensor, name: str) -> Any:
    """A copy of one saved state entry; floating tensors take the parameter's dtype.

    The step counter keeps its own dtype, as in torch.
    """
    if isinstance(value, Tensor):
        value = value.detach()
        if name != "step" and value.is_floating_point() and param.is_floating_point():
            value = value.to(param.dtype)
        return value.clone()
    return copy.deepcopy(value)


class OfStep(Function):
    """out = rule(step): a number an update rule computes from the step counter (a 0-d tensor),
    in Python's double arithmetic as torch's rules do (``lr / (1 - β₁ᵗ)``); no gradient.

    An op rather than ``step.item()``, so that a compiled training step records it and each
    replay computes it again from the counter (tinygrad_lr.compile).

    Examples
    --------
    >>> import tinygrad_lr as tg
    >>> OfStep.apply(tg.tensor(2.0), lambda t: 1 - 0.9**t)
    tensor(0.1900, dtype=tinygrad_lr.float64)
    """

    @staticmethod
    def forward(ctx, step, rule):
        return np.asarray(rule(float(step)), dtype=np.float64)


def _as_number(setting: Any) -> Any:
    """A one-element tensor given as a setting (``lr=tensor(0.01)``, as torch allows) becomes
    its Python number, which is what the update rules take; tuples (``betas``) element-wise."""
    if isinstance(setting, Tensor):
        return setting.item()
    if isinstance(setting, tuple):
        return tuple(_as_number(value) for value in setting)
    return setting
