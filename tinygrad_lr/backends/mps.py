"""``tinygrad_lr.backends.mps``: torch's ``torch.backends.mps``, Apple's GPUs; never here.

>>> import tinygrad_lr as torch
>>> "mps" if torch.backends.mps.is_available() else "cpu"
'cpu'
"""

from __future__ import annotations


def is_available() -> bool:
    """Whether an Apple GPU (MPS) can be used: never here (tinygrad_lr runs on the CPU).

    Examples
    --------
    >>> import tinygrad_lr as tg
    >>> tg.backends.mps.is_available()
    False
    """
    return False


def is_built() -> bool:
    """Whether MPS support is built in: no.

    Examples
    --------
    >>> import tinygrad_lr as tg
    >>> tg.backends.mps.is_built()
    False
    """
    return False


__all__ = ["is_available", "is_built"]
