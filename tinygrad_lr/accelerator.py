"""``tinygrad_lr.accelerator``: torch's ``torch.accelerator`` on a machine without one.

Newer PyTorch tutorials choose their device with ``torch.accelerator``: ::

    device = torch.accelerator.current_accelerator().type if torch.accelerator.is_available() \\
        else "cpu"

tinygrad_lr computes with NumPy on the CPU, so there is never an accelerator: ``is_available()``
is False, ``current_accelerator()`` is None and ``device_count()`` is 0, what torch answers on a
computer without a GPU. The line above therefore picks ``"cpu"``.

>>> import tinygrad_lr as torch
>>> torch.accelerator.current_accelerator().type if torch.accelerator.is_available() else "cpu"
'cpu'
"""

from __future__ import annotations

from .devices import device


def is_available() -> bool:
    """Whether an accelerator (a GPU, ...) can be used: never here.

    Examples
    --------
    >>> import tinygrad_lr as tg
    >>> tg.accelerator.is_available()
    False
    """
    return False


def current_accelerator(check_available: bool = False) -> device | None:
    """The accelerator's device type, or None when there is none: always None here.

    Parameters
    ----------
    check_available : bool
        torch's flag (return None unless the accelerator is available); None either way, and,
        as in torch, any value is taken.

    Examples
    --------
    >>> import tinygrad_lr as tg
    >>> print(tg.accelerator.current_accelerator())
    None
    """
    return None


def device_count() -> int:
    """The number of accelerator devices: 0.

    Examples
    --------
    >>> import tinygrad_lr as tg
    >>> tg.accelerator.device_count()
    0
    """
    return 0


__all__ = ["current_accelerator", "device_count", "is_available"]
