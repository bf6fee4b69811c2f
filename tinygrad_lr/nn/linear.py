"""``Linear``: the affine layer y = x Wᵀ + b, the whole model of linear regression."""

from __future__ import annotations

import math

from .. import dtypes
from ..creation import empty
from ..devices import device as device_type
from ..devices import require_cpu
from ..tensor import Tensor
from . import functional as F
from . import init
from .module import Module
from .parameter import Parameter


class Linear(Module):
    """y = x Wᵀ + b, with W of shape (out_features, in_features).

    Initialised as torch does: W and b from U(-1/√in_features, 1/√in_features). For W this is
    ``kaiming_uniform_(W, a=√5)``: gain √(2 / (1 + 5)) = √(1/3) times √(3 / in_features).

    Parameters
    ----------
    in_features, out_features : int
        Sizes of each input and output sample.
    bias : bool
        Learn an additive bias (default True).
    device : str, optional
        Only "cpu" (accepted so that torch code runs unchanged).
    dtype : DType, optional
        Of the parameters; float32 by default.

    Attributes
    ----------
    weight : Parameter
        Shape (out_features, in_features).
    bias : Parameter or None
        Shape (out_features,).

    Examples
    --------
    >>> import tinygrad_lr as tg
    >>> from tinygrad_lr import nn
    >>> layer = nn.Linear(2, 1)
    >>> layer
    Linear(in_features=2, out_features=1, bias=True)
    >>> layer(tg.ones(5, 2)).shape
    tinygrad_lr.Size([5, 1])
    """

    def __init__(
        self,
        in_features: int,
        out_features: int,
        bias: bool = True,
        device: str | device_type | None = None,
        dtype: dtypes.DType | None = None,
    ) -> None:
        super().__init__()
        for name, size in (("in_features", in_features), ("out_features", out_features)):
            if isinstance(size, bool) or not isinstance(size, int) or size < 0:
                raise ValueError(f"Linear: {name} must be a non-negative int, got {size!r}")
        require_cpu(device, "Linear")
        dtype = dtypes.to_dtype(dtype) or dtypes.DEFAULT_FLOAT
        if not dtype.is_floating_point:
            raise TypeError(f"Linear: dtype must be a floating-point dtype, got {dtype}")
        self.in_features = in_features
        self.out_features = out_features
        self.weight = Parameter(empty(out_features, in_features, dtype=dtype))
        if bias:
            self.bias = Parameter(empty(out_features, dtype=dtype))
        else:
            self.register_parameter("bias", None)
        self.reset_parameters()

    def reset_parameters(self) -> None:
        """Draw new initial values (torch's default initialisation).

        Examples
        --------
        >>> from tinygrad_lr import nn
        >>> layer = nn.Linear(4, 1)
        >>> layer.reset_parameters()
        >>> bool((layer.bias.abs() <= 0.5).all())
        True
        """
        init.kaiming_uniform_(self.weight, a=math.sqrt(5))
        if self.bias is not None:
            fan_in = self.in_features
            bound = 1 / math.sqrt(fan_in) if fan_in > 0 else 0
            init.uniform_(self.bias, -bound, bound)

    def forward(self, input: Tensor) -> Tensor:
        """x Wᵀ + b for an input of shape (..., in_features).

        Examples
        --------
        >>> import tinygrad_lr as tg
        >>> from tinygrad_lr import nn
        >>> nn.Linear(3, 2)(tg.ones(3)).shape
        tinygrad_lr.Size([2])
        """
        if not isinstance(input, Tensor):
            raise TypeError(
                f"Linear expects a Tensor input, got {type(input).__name__}; convert it with "
                "tinygrad_lr.tensor(...) or tinygrad_lr.from_numpy(...)"
            )
        if input.ndim == 0 or input.shape[-1] != self.in_features:
            raise RuntimeError(
                f"Linear(in_features={self.in_features}) got an input of shape "
                f"{tuple(input.shape)}: its last dimension must be {self.in_features}"
            )
        return F.linear(input, self.weight, self.bias)

    def extra_repr(self) -> str:
        """in_features, out_features, and whether there is a bias."""
        return (
            f"in_features={self.in_features}, out_features={self.out_features}, "
            f"bias={self.bias is not None}"
        )
