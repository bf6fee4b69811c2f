"""Parameters to one flat vector and back, as ``torch.nn.utils``."""

from __future__ import annotations

from collections.abc import Iterable

from ...grad_mode import no_grad
from ...tensor import Tensor


def parameters_to_vector(parameters: Iterable[Tensor]) -> Tensor:
    """Concatenate the flattened parameters into one vector.

    Examples
    --------
    >>> import tinygrad_lr as tg
    >>> parameters_to_vector([tg.ones(2), tg.zeros(1, 1)])
    tensor([1., 1., 0.])
    """
    from ... import cat

    if isinstance(parameters, Tensor):
        raise TypeError(f"expected an iterable of Tensors, but got: {type(parameters).__name__}")
    return cat([p.reshape(-1) for p in parameters])


def vector_to_parameters(vec: Tensor, parameters: Iterable[Tensor]) -> None:
    """Copy consecutive slices of ``vec`` into the parameters, in place.

    Examples
    --------
    >>> import tinygrad_lr as tg
    >>> a, b = tg.zeros(2), tg.zeros(1)
    >>> vector_to_parameters(tg.tensor([1.0, 2.0, 3.0]), [a, b])
    >>> b
    tensor([3.])
    """
    if not isinstance(vec, Tensor):
        raise TypeError(f"expected torch.Tensor, but got: {type(vec).__name__}")
    offset = 0
    with no_grad():
        for p in parameters:
            n = p.numel()
            p._data[...] = vec._data[offset : offset + n].reshape(p._data.shape)
            offset += n
