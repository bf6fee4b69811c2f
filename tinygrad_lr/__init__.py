"""tinygrad_lr: a reverse-mode autograd framework on NumPy with PyTorch's names.

``import tinygrad_lr as torch`` lets linear-regression tutorial code written for PyTorch run
unchanged. Start reading at :mod:`tinygrad_lr.tensor`, then :mod:`tinygrad_lr.autograd`.
"""

# Subpackages reachable as attributes after ``import tinygrad_lr``, as with torch.
from . import (
    accelerator,
    autograd,  # noqa: E402,I001
    backends,
    cuda,
    dtypes,
    linalg,
    nn,  # noqa: E402
    optim,  # noqa: E402
    utils,  # noqa: E402
)
from .arguments import Size
from .compiled import CompileError, compile  # noqa: A004  (torch.compile)
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
from .devices import device, get_default_device, set_default_device
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
    amax,
    amin,
    argmax,
    argmin,
    cat,
    ceil,
    chunk,
    clamp,
    clip,
    clone,
    cos,
    cumsum,
    diag,
    div,
    einsum,
    erf,
    exp,
    expm1,
    flatten,
    flip,
    floor,
    gather,
    index_select,
    is_tensor,
    lerp,
    log,
    log1p,
    log2,
    log10,
    logsumexp,
    masked_fill,
    matmul,
    max,
    maximum,
    mean,
    min,
    minimum,
    mm,
    movedim,
    mul,
    narrow,
    neg,
    norm,
    numel,
    outer,
    pow,
    prod,
    reciprocal,
    relu,
    reshape,
    round,
    rsqrt,
    sigmoid,
    sign,
    sin,
    split,
    sqrt,
    square,
    squeeze,
    stack,
    std,
    std_mean,
    sub,
    sum,
    t,
    tan,
    tanh,
    transpose,
    tril,
    triu,
    unsqueeze,
    var,
    var_mean,
    where,
)
from .grad_mode import enable_grad, is_grad_enabled, no_grad, set_grad_enabled
from .linalg import inv as inverse
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
