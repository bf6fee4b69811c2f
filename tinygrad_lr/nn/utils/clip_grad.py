"""Gradient clipping, as ``torch.nn.utils.clip_grad_norm_`` and ``clip_grad_value_``."""

from __future__ import annotations

import math
from collections.abc import Iterable

import numpy as np

from ...grad_mode import no_grad
from ...tensor import Tensor


def _grads(parameters: Tensor | Iterable[Tensor]) -> list[Tensor]:
    if isinstance(parameters, Tensor):
        parameters = [parameters]
    return [p.grad for p in parameters if p.grad is not None]


def clip_grad_norm_(
    parameters: Tensor | Iterable[Tensor],
    max_norm: float,
    norm_type: float = 2.0,
    error_if_nonfinite: bool = False,
    foreach: bool | None = None,
) -> Tensor:
    """Scale all gradients together so that their joint norm is at most ``max_norm``.

    The scale is max_norm / (total_norm + 1e-6), clamped to 1, as torch's. Returns the total
    norm of the gradients (before clipping) as a tensor.

    Examples
    --------
    >>> import tinygrad_lr as tg
    >>> p = tg.zeros(2, requires_grad=True)
    >>> p.grad = tg.tensor([3.0, 4.0])
    >>> clip_grad_norm_([p], 1.0)
    tensor(5.)
    """
    grads = _grads(parameters)
    norm_type = float(norm_type)
    if not grads:
        return Tensor(np.asarray(0.0, np.float32))
    with no_grad():
        # As torch: the norm of each gradient, then the norm of those norms.
        if norm_type == math.inf:
            norms = [np.abs(g._data).max(initial=0) for g in grads]
            total_data = np.max(norms)
        else:
            norms = [np.sum(np.abs(g._data) ** norm_type) ** (1 / norm_type) for g in grads]
            total_data = np.sum(np.asarray(norms) ** norm_type) ** (1 / norm_type)
        total = Tensor(np.asarray(total_data, grads[0]._data.dtype))
        value = float(total_data)
        if error_if_nonfinite and not math.isfinite(value):
            raise RuntimeError(
                f"The total norm of order {norm_type} for gradients from `parameters` is "
                "non-finite, so it cannot be clipped. To disable this error and scale the "
                "gradients by the non-finite norm anyway, set `error_if_nonfinite=False`"
            )
        coef = min(max_norm / (value + 1e-6), 1.0)
        for g in grads:
            g._data[...] = (g._data * np.asarray(coef, g._data.dtype)).astype(g._data.dtype)
    return total


def clip_grad_value_(
    parameters: Tensor | Iterable[Tensor], clip_value: float, foreach: bool | None = None
) -> None:
    """Clamp every gradient element into [-clip_value, clip_value], in place.

    Examples
    --------
    >>> import tinygrad_lr as tg
    >>> p = tg.zeros(2, requires_grad=True)
    >>> p.grad = tg.tensor([3.0, -0.5])
    >>> clip_grad_value_(p, 1.0)
    >>> p.grad
    tensor([ 1.0000, -0.5000])
    """
    clip_value = float(clip_value)
    for g in _grads(parameters):
        np.clip(g._data, -clip_value, clip_value, out=g._data)
