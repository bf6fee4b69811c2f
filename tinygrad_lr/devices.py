"""``device``: where a tensor lives. Here that is always the CPU, where NumPy computes.

``tinygrad_lr.device("cpu")`` is torch's ``torch.device``: it has a ``type`` and an optional
``index``, prints as torch's does (``device(type='cpu')``; ``str`` gives ``"cpu"``), compares
and hashes by both. As in torch, a device of any type torch knows can be *named*
(``device("cuda")`` is a valid object, so ``device = torch.device("cuda" if
torch.cuda.is_available() else "cpu")`` runs either way), but asking for a tensor on it
(``zeros(2, device="cuda")``, ``x.to("cuda")``, ``x.cuda()``, ``model.to("mps")``) raises a
``RuntimeError`` that says this framework runs on the CPU through NumPy.

:func:`require_cpu` is the one check every ``device=`` argument goes through, and :func:`to`
does the work of ``Tensor.to`` once :func:`~tinygrad_lr.arguments.parse_to_arguments` has read
its arguments.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .dtypes import DType
    from .tensor import Tensor

# The device types torch.device accepts (torch 2.13), in torch's order: naming one is valid,
# using any but "cpu" raises.
DEVICE_TYPES = (
    "cpu", "cuda", "ipu", "xpu", "mkldnn", "opengl", "opencl", "ideep", "hip", "ve", "fpga",
    "maia", "xla", "lazy", "vulkan", "mps", "meta", "hpu", "mtia", "privateuseone",
)  # fmt: skip
# "type" or "type:index", the index a non-negative int without leading zeros.
_DEVICE_STRING = re.compile(r"([a-zA-Z_]+)(?::(0|[1-9][0-9]*))?")


class device:  # noqa: N801  (torch.device is lower case)
    """A device, named by a type (``"cpu"``) and an optional index; torch's ``torch.device``.

    Parameters
    ----------
    type : str or device
        ``"cpu"``, ``"cpu:0"``, or another of torch's device types (which can be named but not
        used: tensors live on the CPU), or a device to copy.
    index : int, optional
        The device's index (``device("cpu", 0)``); not allowed with a ``"type:index"`` string.

    Raises
    ------
    RuntimeError
        For a string that is not a device (``"gpu"``, ``"cpu:x"``) or a negative index, with
        torch's message.
    TypeError
        For a type that is neither a str nor a device, or an index that is not an int.

    Examples
    --------
    >>> import tinygrad_lr as tg
    >>> tg.device("cpu"), tg.device("cpu", 0), str(tg.device("cpu:0"))
    (device(type='cpu'), device(type='cpu', index=0), 'cpu:0')
    >>> tg.zeros(2).device == tg.device("cpu")
    True
    """

    __slots__ = ("_type", "_index")

    def __init__(self, type: str | device, index: int | None = None) -> None:  # noqa: A002
        if isinstance(type, device) and index is None:
            self._type, self._index = type.type, type.index
            return
        if not isinstance(type, str):
            if isinstance(type, int) and not isinstance(type, bool) and index is None:
                raise RuntimeError(_NO_ACCELERATOR)
            raise TypeError(
                f"device(): argument 'type' must be str, not {_type_name(type)}; "
                "e.g. tinygrad_lr.device('cpu') or tinygrad_lr.device('cpu', 0)"
            )
        if index is not None and (isinstance(index, bool) or not isinstance(index, int)):
            raise TypeError(f"device(): argument 'index' must be int, not {_type_name(index)}")
        if not type:
            raise RuntimeError("Device string must not be empty")
        match = _DEVICE_STRING.fullmatch(type)
        if match is None:
            raise RuntimeError(f"Invalid device string: '{type}'")
        if match[1] not in DEVICE_TYPES:
            raise RuntimeError(
                f"Expected one of {', '.join(DEVICE_TYPES)} device type at start of device "
                f"string: {type}"
            )
        if match[2] is not None and index is not None:
            raise RuntimeError(
                "type (string) must not include an index because index was passed "
                f"explicitly: {type}"
            )
        if index is not None and index < 0:
            raise RuntimeError("Device index must not be negative")
        self._type = match[1]
        self._index = int(match[2]) if match[2] is not None else index

    @property
    def type(self) -> str:  # noqa: A003
        """The device type, such as ``"cpu"``."""
        return self._type

    @property
    def index(self) -> int | None:
        """The device index, or None when none was given."""
        return self._index

    def __repr__(self) -> str:
        index = "" if self._index is None else f", index={self._index}"
        return f"device(type='{self._type}'{index})"

    def __str__(self) -> str:
        return self._type if self._index is None else f"{self._type}:{self._index}"

    def __eq__(self, other: object) -> bool:
        # Like torch, a device equals only a device: device("cpu") == "cpu" is False.
        if not isinstance(other, device):
            return NotImplemented
        return (self._type, self._index) == (other._type, other._index)

    def __hash__(self) -> int:
        return hash((self._type, self._index))

    def __reduce__(self) -> tuple[Any, ...]:
        return (device, (self._type, self._index))


CPU = device("cpu")
_NO_ACCELERATOR = (
    "Cannot access accelerator device when none is available: tinygrad_lr runs on the CPU "
    "through NumPy; use device='cpu' instead of a device number"
)


def _type_name(value: Any) -> str:
    return type(value).__name__


def require_cpu(requested: Any, function: str, argument: str = "device") -> None:
    """Check a ``device=`` argument: return if it names the CPU, raise otherwise.

    None, ``"cpu"``, ``"cpu:0"`` and a CPU :class:`device` pass.

    Parameters
    ----------
    requested : str, device, int or None
        The ``device=`` argument as given.
    function : str
        The function it was given to, for the message (``"zeros"``, ``"Tensor.to"``).
    argument : str
        The argument's name, for the message.

    Raises
    ------
    RuntimeError
        For another device (``"cuda"``, ``"meta"``), a device number (there is no accelerator),
        or a string that is not a device (torch's message).
    TypeError
        For a value that is neither a str, a device nor an int.

    Examples
    --------
    >>> require_cpu("cpu:0", "zeros")
    >>> require_cpu("cuda", "zeros")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
        ...
    RuntimeError: zeros(): device 'cuda' is not available: ...NumPy...
    """
    if requested is None:
        return
    if isinstance(requested, int) and not isinstance(requested, bool):
        raise RuntimeError(_NO_ACCELERATOR)
    if not isinstance(requested, (str, device)):
        raise TypeError(
            f"{function}(): argument '{argument}' must be tinygrad_lr.device or a str such as "
            f"'cpu', not {_type_name(requested)}"
        )
    named = device(requested)
    if named.type != "cpu":
        raise RuntimeError(
            f"{function}(): device '{named}' is not available: tinygrad_lr runs on the CPU "
            f"through NumPy and has no {named.type} support; use device='cpu', or choose as "
            "portable code does: device = 'cuda' if torch.cuda.is_available() else 'cpu'"
        )


def refuse_cuda(function: str, requested: Any = None) -> Any:
    """Raise the error of ``x.cuda()`` and ``model.cuda()``: there is no GPU here.

    Parameters
    ----------
    function : str
        The method called, for the message (``"cuda"``, ``"Module.cuda"``).
    requested : int, str, device or None
        Its ``device`` argument; another type is a TypeError, as in torch.

    Raises
    ------
    RuntimeError
        Always, for a valid argument: this framework runs on the CPU through NumPy.

    Examples
    --------
    >>> import tinygrad_lr as tg
    >>> tg.zeros(1).cuda()  # doctest: +ELLIPSIS
    Traceback (most recent call last):
        ...
    RuntimeError: cuda(): device 'cuda' is not available: ...NumPy...
    """
    if requested is not None and not isinstance(requested, (int, str, device)):
        raise TypeError(
            f"{function}(): argument 'device' must be an int, a str or tinygrad_lr.device, "
            f"not {_type_name(requested)}"
        )
    require_cpu("cuda", function)


def set_default_device(device: str | device | None) -> None:
    """Set the device new tensors are made on: torch's ``torch.set_default_device``.

    Parameters
    ----------
    device : str, device or None
        Only the CPU (or None, torch's way of going back to the CPU) is accepted; another
        device raises a RuntimeError, as :func:`require_cpu` does.

    Examples
    --------
    >>> import tinygrad_lr as tg
    >>> tg.set_default_device("cpu")
    >>> tg.set_default_device("cuda")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
        ...
    RuntimeError: set_default_device(): device 'cuda' is not available: ...NumPy...
    """
    require_cpu(device, "set_default_device")


def get_default_device() -> device:
    """The device new tensors are made on: always ``device(type='cpu')``.

    Examples
    --------
    >>> import tinygrad_lr as tg
    >>> tg.get_default_device()
    device(type='cpu')
    """
    return CPU


def to(tensor: Tensor, dtype: DType | None, copy: bool, named: device | None = None) -> Tensor:
    """Do the work of ``tensor.to(...)`` once its arguments are read.

    Parameters
    ----------
    tensor : Tensor
        The tensor converted.
    dtype : DType or None
        The dtype asked for; None keeps the tensor's.
    copy : bool
        ``copy=True``: a new tensor even when nothing changes.
    named : device or None
        The (CPU) device asked for, already checked by :func:`require_cpu`.

    Returns
    -------
    Tensor
        The tensor itself when nothing changes (as torch), a recorded cast for a new dtype, a
        recorded copy for ``copy=True`` or, as in torch, for a device with an index
        (``"cpu:0"`` is not the tensor's ``device("cpu")``).

    Examples
    --------
    >>> import tinygrad_lr as tg
    >>> x = tg.ones(2)
    >>> to(x, None, False) is x, to(x, tg.float64, False).dtype, to(x, None, True) is x
    (True, tinygrad_lr.float64, False)
    """
    if dtype is not None and dtype is not tensor.dtype:
        return tensor._cast(dtype)  # a new tensor already: copy=True asks for nothing more
    indexed = named is not None and named.index is not None
    return tensor.clone() if copy or indexed else tensor


__all__ = [
    "CPU",
    "DEVICE_TYPES",
    "device",
    "get_default_device",
    "refuse_cuda",
    "require_cpu",
    "set_default_device",
    "to",
]
