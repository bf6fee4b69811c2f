"""Activation layers: module forms of the elementwise functions in ``functional``."""

from __future__ import annotations

from ..tensor import Tensor
from . import functional as F
from .module import Module


class ReLU(Module):
    """max(x, 0), elementwise.

    Examples
    --------
    >>> import tinygrad_lr as tg
    >>> from tinygrad_lr import nn
    >>> nn.ReLU()(tg.tensor([-1.0, 2.0]))
    tensor([0., 2.])
    """

    def forward(self, input: Tensor) -> Tensor:
        """max(x, 0)."""
        return F.relu(input)


class Tanh(Module):
    """Hyperbolic tangent, elementwise.

    Examples
    --------
    >>> import tinygrad_lr as tg
    >>> from tinygrad_lr import nn
    >>> nn.Tanh()(tg.zeros(1))
    tensor([0.])
    """

    def forward(self, input: Tensor) -> Tensor:
        """tanh(x)."""
        return F.tanh(input)


class Sigmoid(Module):
    """1 / (1 + e⁻ˣ), elementwise.

    Examples
    --------
    >>> import tinygrad_lr as tg
    >>> from tinygrad_lr import nn
    >>> nn.Sigmoid()(tg.zeros(1))
    tensor([0.5000])
    """

    def forward(self, input: Tensor) -> Tensor:
        """1 / (1 + e⁻ˣ)."""
        return F.sigmoid(input)


class LeakyReLU(Module):
    """x where x ≥ 0, else negative_slope · x.

    Examples
    --------
    >>> from tinygrad_lr import nn
    >>> nn.LeakyReLU()
    LeakyReLU(negative_slope=0.01)
    """

    def __init__(self, negative_slope: float = 0.01, inplace: bool = False) -> None:
        super().__init__()
        self.negative_slope, self.inplace = negative_slope, inplace

    def forward(self, input: Tensor) -> Tensor:
        """leaky_relu(x)."""
        return F.leaky_relu(input, self.negative_slope, self.inplace)

    def extra_repr(self) -> str:
        """As torch's."""
        return f"negative_slope={self.negative_slope}" + (", inplace=True" if self.inplace else "")


class ELU(Module):
    """x where x > 0, else alpha (eˣ - 1).

    Examples
    --------
    >>> from tinygrad_lr import nn
    >>> nn.ELU()
    ELU(alpha=1.0)
    """

    def __init__(self, alpha: float = 1.0, inplace: bool = False) -> None:
        super().__init__()
        self.alpha, self.inplace = alpha, inplace

    def forward(self, input: Tensor) -> Tensor:
        """elu(x)."""
        return F.elu(input, self.alpha, self.inplace)

    def extra_repr(self) -> str:
        """As torch's."""
        return f"alpha={self.alpha}" + (", inplace=True" if self.inplace else "")


class GELU(Module):
    """x Φ(x), or its tanh approximation.

    Examples
    --------
    >>> from tinygrad_lr import nn
    >>> nn.GELU()
    GELU(approximate='none')
    """

    def __init__(self, approximate: str = "none") -> None:
        super().__init__()
        self.approximate = approximate

    def forward(self, input: Tensor) -> Tensor:
        """gelu(x)."""
        return F.gelu(input, self.approximate)

    def extra_repr(self) -> str:
        """As torch's."""
        return f"approximate={self.approximate!r}"


class Softplus(Module):
    """log(1 + e^(beta x)) / beta, linear above threshold.

    Examples
    --------
    >>> from tinygrad_lr import nn
    >>> nn.Softplus()
    Softplus(beta=1.0, threshold=20.0)
    """

    def __init__(self, beta: float = 1.0, threshold: float = 20.0) -> None:
        super().__init__()
        self.beta, self.threshold = beta, threshold

    def forward(self, input: Tensor) -> Tensor:
        """softplus(x)."""
        return F.softplus(input, self.beta, self.threshold)

    def extra_repr(self) -> str:
        """As torch's."""
        return f"beta={self.beta}, threshold={self.threshold}"


class Identity(Module):
    """Returns its input; arguments are accepted and ignored, as torch's.

    Examples
    --------
    >>> import tinygrad_lr as tg
    >>> from tinygrad_lr import nn
    >>> nn.Identity()(tg.ones(2))
    tensor([1., 1.])
    """

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__()

    def forward(self, input: Tensor) -> Tensor:
        """input."""
        return input


class Dropout(Module):
    """Training: zero each element with probability p, scale the rest by 1/(1-p). Eval: identity.

    Examples
    --------
    >>> from tinygrad_lr import nn
    >>> nn.Dropout()
    Dropout(p=0.5, inplace=False)
    """

    def __init__(self, p: float = 0.5, inplace: bool = False) -> None:
        super().__init__()
        if not 0.0 <= p <= 1.0:
            raise ValueError(f"dropout probability has to be between 0 and 1, but got {p}")
        self.p, self.inplace = p, inplace

    def forward(self, input: Tensor) -> Tensor:
        """dropout(x) while training, x in eval mode."""
        return F.dropout(input, self.p, self.training, self.inplace)

    def extra_repr(self) -> str:
        """As torch's."""
        return f"p={self.p}, inplace={self.inplace}"


class Flatten(Module):
    """Flatten dims start_dim..end_dim into one.

    Examples
    --------
    >>> import tinygrad_lr as tg
    >>> from tinygrad_lr import nn
    >>> nn.Flatten()(tg.ones(2, 3, 4)).shape
    tinygrad_lr.Size([2, 12])
    """

    def __init__(self, start_dim: int = 1, end_dim: int = -1) -> None:
        super().__init__()
        self.start_dim, self.end_dim = start_dim, end_dim

    def forward(self, input: Tensor) -> Tensor:
        """input.flatten(start_dim, end_dim)."""
        return input.flatten(self.start_dim, self.end_dim)

    def extra_repr(self) -> str:
        """As torch's."""
        return f"start_dim={self.start_dim}, end_dim={self.end_dim}"


class Unflatten(Module):
    """Split dim ``dim`` into ``unflattened_size``.

    Examples
    --------
    >>> import tinygrad_lr as tg
    >>> from tinygrad_lr import nn
    >>> nn.Unflatten(1, (2, 3))(tg.ones(4, 6)).shape
    tinygrad_lr.Size([4, 2, 3])
    """

    def __init__(self, dim: int, unflattened_size: tuple[int, ...]) -> None:
        super().__init__()
        self.dim, self.unflattened_size = dim, tuple(unflattened_size)

    def forward(self, input: Tensor) -> Tensor:
        """input reshaped with dim split."""
        dim = self.dim % input.dim()
        shape = tuple(input.shape)
        return input.reshape(shape[:dim] + self.unflattened_size + shape[dim + 1 :])

    def extra_repr(self) -> str:
        """As torch's."""
        return f"dim={self.dim}, unflattened_size={self.unflattened_size}"
