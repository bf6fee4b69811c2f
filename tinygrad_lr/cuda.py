"""``tinygrad_lr.cuda``: torch's ``torch.cuda`` on a machine without a GPU.

tinygrad_lr computes with NumPy on the CPU, so there is never a CUDA device: ``is_available()``
is False and ``device_count()`` is 0, which is what torch says on a computer without one. The
usual tutorial line therefore picks the CPU:

>>> import tinygrad_lr as torch
>>> device = "cuda" if torch.cuda.is_available() else "cpu"
>>> torch.zeros(2, device=device).device
device(type='cpu')
"""

from __future__ import annotations

from typing import Any

import numpy as np


def is_available() -> bool:
    """Whether a CUDA device can be used: never here (tinygrad_lr runs on the CPU).

    Examples
    --------
    >>> import tinygrad_lr as tg
    >>> tg.cuda.is_available()
    False
    """
    return False


def device_count() -> int:
    """The number of CUDA devices: 0.

    Examples
    --------
    >>> import tinygrad_lr as tg
    >>> tg.cuda.device_count()
    0
    """
    return 0


def _check_seed(seed: Any, function: str) -> None:
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)):
        raise TypeError(f"cuda.{function} expects an int seed, got {type(seed).__name__}")


def manual_seed(seed: int) -> None:
    """Seed the random numbers of the current CUDA device: with none, there is nothing to seed.

    torch does the same without a GPU (nothing); the CPU's numbers are seeded by
    :func:`tinygrad_lr.manual_seed`, which reproducibility code calls as well.

    Examples
    --------
    >>> import tinygrad_lr as tg
    >>> tg.cuda.manual_seed(0)
    """
    _check_seed(seed, "manual_seed")


def manual_seed_all(seed: int) -> None:
    """Seed the random numbers of every CUDA device: there are none (see :func:`manual_seed`).

    Examples
    --------
    >>> import tinygrad_lr as tg
    >>> tg.cuda.manual_seed_all(0)
    """
    _check_seed(seed, "manual_seed_all")


__all__ = ["device_count", "is_available", "manual_seed", "manual_seed_all"]
