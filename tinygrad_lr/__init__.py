"""tinygrad_lr: a reverse-mode autograd framework on NumPy with PyTorch's names.

``import tinygrad_lr as torch`` lets linear-regression tutorial code written for PyTorch run
unchanged. Start reading at :mod:`tinygrad_lr.tensor`, then :mod:`tinygrad_lr.autograd`.
"""

# Subpackages reachable as attributes after ``import tinygrad_lr``, as with torch.
from . import (
    autograd,  # noqa: E402,I001
    dtypes,
    nn,  # noqa: E402
    optim,  # noqa: E402
    utils,  # noqa: E402
)
from .arguments import Size
from .creation import (
    arange,
    as_tensor,
    empty,
    eye,
    from_numpy,
    full,
    full_like,
    linspace,
    ones,
    ones_like,
    tensor,
    zeros,
    zeros_like,
)
from .dtypes import (
    DType,
    float16,
    float32,
    float64,
    int8,
    int16,
    int32,
    int64,
    uint8,
)
from .dtypes import bool_ as bool  # noqa: A001  (torch.bool)
from .functions import (
    abs,
    add,
    allclose,
    argmax,
    cat,
    clone,
    div,
    exp,
    flatten,
    is_tensor,
    log,
    matmul,
    mean,
    mm,
    mul,
    neg,
    numel,
    pow,
    relu,
    reshape,
    sigmoid,
    sqrt,
    square,
    squeeze,
    stack,
    sub,
    sum,
    t,
    tanh,
    transpose,
    unsqueeze,
)
from .grad_mode import enable_grad, is_grad_enabled, no_grad, set_grad_enabled
from .random import (
    Generator,
    default_generator,
    initial_seed,
    manual_seed,
    normal,
    rand,
    randint,
    randn,
    randperm,
    seed,
)
from .serialization import load, save
from .tensor import Tensor

float = float32  # noqa: A001  (torch.float)
double = float64
long = int64
half = float16

__version__ = "0.1.0"
