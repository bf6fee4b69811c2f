"""``Parameter``: a tensor that a :class:`~tinygrad_lr.nn.Module` learns.

A Parameter is an ordinary leaf tensor that requires grad. Its one extra meaning is for
``Module``: assigning a Parameter as an attribute (``self.weight = Parameter(...)``) registers it,
so that ``module.parameters()`` finds it and an optimizer can update it. A plain tensor assigned
the same way is just an attribute.
"""

from __future__ import annotations

from .. import formatting
from ..creation import empty
from ..tensor import Tensor


class Parameter(Tensor):
    """A tensor that requires grad and registers with the Module it is assigned to.

    The Parameter shares memory with ``data`` (no copy) and keeps its dtype.

    Parameters
    ----------
    data : Tensor, optional
        The initial values; an empty float32 tensor if omitted.
    requires_grad : bool
        Default True; False gives a parameter that ``backward`` leaves alone.

    Examples
    --------
    >>> import tinygrad_lr as tg
    >>> from tinygrad_lr import nn
    >>> nn.Parameter(tg.zeros(2))
    Parameter containing:
    tensor([0., 0.], requires_grad=True)
    """

    # No per-instance __dict__: a Parameter stores exactly what a Tensor stores.
    __slots__ = ()

    def __init__(self, data: Tensor | None = None, requires_grad: bool = True) -> None:
        if data is None:
            data = empty(0)
        if not isinstance(data, Tensor):
            raise TypeError(
                f"Parameter(data) expects a Tensor, got {type(data).__name__}; "
                "wrap the values first, e.g. nn.Parameter(tinygrad_lr.tensor(values))"
            )
        self._data = data._data
        self._grad = None
        self._requires_grad = False
        self.grad_fn = self._backward_hooks = None
        # Shares the memory, hence the version, as torch's Parameter does.
        self._version_counter, self._base = data._version_counter, None
        self.requires_grad_(requires_grad)

    def __repr__(self) -> str:
        return "Parameter containing:\n" + formatting.format_tensor(self)
