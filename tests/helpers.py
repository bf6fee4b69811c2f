"""Helpers shared by the tests: one way to compare an op with torch and with finite differences."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

import tinygrad_lr as tg

try:
    import torch
except ImportError:  # the torch checks skip (and fail in CI, see conftest.py)
    torch = None


def make_inputs(module: Any, arrays: Sequence[np.ndarray], requires_grad: bool = True) -> list[Any]:
    """The same arrays as leaf tensors of ``module`` (tinygrad_lr or torch)."""
    return [module.tensor(a.copy(), requires_grad=requires_grad) for a in arrays]


def compare_with_torch(
    fn: Callable[..., Any],
    arrays: Sequence[np.ndarray],
    rtol: float = 1e-6,
    atol: float = 1e-8,
    seed: int = 0,
) -> None:
    """Run ``fn(module, *tensors)`` in tinygrad_lr and in torch; compare values and gradients.

    The output's gradient is a random array (not ones), so a backward that ignores it fails.
    """
    assert torch is not None, "torch is not installed"
    ours = make_inputs(tg, arrays)
    theirs = make_inputs(torch, arrays)
    out_ours = fn(tg, *ours)
    out_theirs = fn(torch, *theirs)
    np.testing.assert_allclose(
        out_ours.detach().numpy(), out_theirs.detach().numpy(), rtol=rtol, atol=atol
    )
    assert tuple(out_ours.shape) == tuple(out_theirs.shape)
    assert out_ours.dtype.name == str(out_theirs.dtype).removeprefix("torch.")
    seed_grad = np.random.default_rng(seed).standard_normal(tuple(out_theirs.shape))
    out_ours.backward(tg.tensor(seed_grad).to(out_ours.dtype))
    out_theirs.backward(torch.tensor(seed_grad).to(out_theirs.dtype))
    for index, (a, b) in enumerate(zip(ours, theirs)):
        if b.grad is None:
            assert a.grad is None, f"input {index}: torch has no gradient, tinygrad_lr has one"
            continue
        assert a.grad is not None, f"input {index}: tinygrad_lr computed no gradient"
        assert a.grad.dtype is a.dtype, f"input {index}: grad dtype {a.grad.dtype} != {a.dtype}"
        np.testing.assert_allclose(a.grad.numpy(), b.grad.numpy(), rtol=rtol, atol=atol)


def check_gradients(fn: Callable[..., Any], arrays: Sequence[np.ndarray]) -> None:
    """gradcheck ``fn(tinygrad_lr, *tensors)`` in float64 at ``arrays``."""
    inputs = [tg.tensor(np.asarray(a, dtype=np.float64), requires_grad=True) for a in arrays]
    assert tg.autograd.gradcheck(lambda *xs: fn(tg, *xs), inputs)
