"""Random numbers: one default generator behind every random function, as in torch.

``manual_seed(s)`` reseeds it, so the same seed gives the same numbers. A :class:`Generator`
can be passed to a function (``generator=g``) to keep a separate stream.
The numbers come from NumPy's PCG64 generator, so they differ from torch's for the same seed.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from . import devices, dtypes
from .arguments import parse_shape, uniform_range
from .dtypes import DType
from .tensor import Tensor


class Generator:
    """A seeded source of random numbers (wraps ``numpy.random.Generator``).

    Examples
    --------
    >>> import tinygrad_lr as tg
    >>> g = tg.Generator().manual_seed(0)
    >>> a = tg.rand(2, generator=g)
    >>> b = tg.rand(2, generator=tg.Generator().manual_seed(0))
    >>> bool((a == b).all())
    True
    """

    def __init__(self, device: str | devices.device = "cpu") -> None:
        devices.require_cpu(device, "Generator")
        self.seed()

    def manual_seed(self, seed: int) -> Generator:
        """Reset the generator to a seed; returns the generator itself."""
        if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)):
            raise TypeError(f"manual_seed expects an int seed, got {type(seed).__name__}")
        if seed < 0:
            raise RuntimeError(f"seed must be non-negative, got {seed}")
        self._seed = int(seed)
        self.rng = np.random.default_rng(self._seed)
        return self

    def seed(self) -> int:
        """Reseed from the operating system's entropy; returns the new seed."""
        return self.manual_seed(int(np.random.SeedSequence().entropy) % 2**64).initial_seed()

    def initial_seed(self) -> int:
        """The seed the generator was last set to."""
        return self._seed


default_generator = Generator()


def manual_seed(seed: int) -> Generator:
    """Seed the default generator: the same seed gives the same random tensors.

    Examples
    --------
    >>> import tinygrad_lr as tg
    >>> _ = tg.manual_seed(42); a = tg.randn(3)
    >>> _ = tg.manual_seed(42); b = tg.randn(3)
    >>> bool((a == b).all())
    True
    """
    return default_generator.manual_seed(seed)


def initial_seed() -> int:
    """The seed of the default generator.

    Examples
    --------
    >>> import tinygrad_lr as tg
    >>> _ = tg.manual_seed(7)
    >>> tg.initial_seed()
    7
    """
    return default_generator.initial_seed()


def seed() -> int:
    """Reseed the default generator from the operating system's entropy.

    Examples
    --------
    >>> import tinygrad_lr as tg
    >>> new_seed = tg.seed()
    >>> tg.initial_seed() == new_seed
    True
    """
    return default_generator.seed()


def _rng(generator: Generator | None) -> np.random.Generator:
    if generator is None:
        return default_generator.rng
    if not isinstance(generator, Generator):
        raise TypeError(
            f"generator must be a tinygrad_lr.Generator, got {type(generator).__name__}"
        )
    return generator.rng


def _float_dtype(dtype: Any, what: str) -> DType:
    dtype = dtypes.to_dtype(dtype) or dtypes.DEFAULT_FLOAT
    if not dtype.is_floating_point:
        raise TypeError(f"{what} needs a floating-point dtype, got {dtype}")
    return dtype


def _finish(array: np.ndarray, dtype: DType, requires_grad: bool) -> Any:
    return Tensor._make(array.astype(dtype.numpy, copy=False)).requires_grad_(requires_grad)


def _shape(size: tuple[Any, ...]) -> tuple[int, ...]:
    shape = parse_shape(size, "size")
    if any(s < 0 for s in shape):
        raise RuntimeError(f"Trying to create tensor with negative dimension: {list(shape)}")
    return shape


def randn(
    *size: Any,
    generator: Generator | None = None,
    dtype: Any = None,
    device: str | devices.device | None = None,
    requires_grad: bool = False,
) -> Any:
    """Samples of the standard normal N(0, 1).

    Examples
    --------
    >>> import tinygrad_lr as tg
    >>> tg.randn(2, 3).shape
    tinygrad_lr.Size([2, 3])
    """
    devices.require_cpu(device, "randn")
    dtype = _float_dtype(dtype, "randn")
    sample_dtype = np.float64 if dtype is dtypes.float64 else np.float32
    array = _rng(generator).standard_normal(_shape(size), dtype=sample_dtype)
    return _finish(array, dtype, requires_grad)


def rand(
    *size: Any,
    generator: Generator | None = None,
    dtype: Any = None,
    device: str | devices.device | None = None,
    requires_grad: bool = False,
) -> Any:
    """Samples of the uniform distribution on [0, 1).

    Examples
    --------
    >>> import tinygrad_lr as tg
    >>> bool(((tg.rand(100) >= 0) & (tg.rand(100) < 1)).all())
    True
    """
    devices.require_cpu(device, "rand")
    dtype = _float_dtype(dtype, "rand")
    sample_dtype = np.float64 if dtype is dtypes.float64 else np.float32
    array = _rng(generator).random(_shape(size), dtype=sample_dtype)
    return _finish(array, dtype, requires_grad)


def normal(
    mean: Any = 0.0,
    std: Any = 1.0,
    size: Any = None,
    *,
    generator: Generator | None = None,
    dtype: Any = None,
    device: str | devices.device | None = None,
    requires_grad: bool = False,
) -> Any:
    """Samples of N(mean, std²); ``mean`` and ``std`` are numbers (with ``size``) or tensors.

    Examples
    --------
    >>> import tinygrad_lr as tg
    >>> tg.normal(0, 0.01, size=(2, 1)).shape
    tinygrad_lr.Size([2, 1])
    """
    devices.require_cpu(device, "normal")
    if isinstance(mean, Tensor) or isinstance(std, Tensor):
        mean_array = mean._data if isinstance(mean, Tensor) else np.asarray(mean)
        std_array = std._data if isinstance(std, Tensor) else np.asarray(std)
        if np.any(std_array < 0):
            raise RuntimeError("normal expects all elements of std >= 0.0")
        shape = np.broadcast_shapes(mean_array.shape, std_array.shape)
        float_dtype = [t.dtype for t in (mean, std) if isinstance(t, Tensor)][0]
        sample = randn(shape, generator=generator, dtype=dtype or float_dtype)._data
        return _finish(
            mean_array + std_array * sample, dtypes.to_dtype(dtype) or float_dtype, requires_grad
        )
    if size is None:
        raise TypeError("normal(mean, std) with number arguments needs size=, e.g. size=(3, 1)")
    if std < 0:
        raise RuntimeError(f"normal expects std >= 0.0, but found std {std}")
    sample = randn(size, generator=generator, dtype=dtype)._data
    # Scaled in place: the sample array is fresh and already of the requested dtype.
    sample *= std
    sample += mean
    return _finish(sample, _float_dtype(dtype, "normal"), requires_grad)


def normal_like(tensor: Tensor, mean: float, std: float, generator: Any) -> np.ndarray:
    """Samples of N(mean, std²) of ``tensor``'s shape and dtype, for ``tensor.normal_``.

    Examples
    --------
    >>> import tinygrad_lr as tg
    >>> normal_like(tg.zeros(2, 3), 0.0, 1.0, None).shape
    (2, 3)
    """
    return normal(mean, std, tensor._data.shape, generator=generator, dtype=tensor.dtype)._data


def uniform_like(tensor: Tensor, a: float, b: float, generator: Any) -> np.ndarray:
    """Samples of U(a, b) of ``tensor``'s shape and dtype, for ``tensor.uniform_``.

    Examples
    --------
    >>> import tinygrad_lr as tg
    >>> bool((uniform_like(tg.zeros(100), 2.0, 3.0, None) >= 2).all())
    True
    """
    low, high = uniform_range(a, b)
    values = rand(tensor._data.shape, generator=generator, dtype=tensor.dtype)._data
    return values * (high - low) + low


def randint(
    *args: Any,
    size: Any = None,
    generator: Generator | None = None,
    dtype: Any = None,
    device: str | devices.device | None = None,
    requires_grad: bool = False,
) -> Any:
    """Random integers in [low, high): ``randint(high, size)`` or ``randint(low, high, size)``.

    Examples
    --------
    >>> import tinygrad_lr as tg
    >>> tg.randint(0, 10, (3,)).dtype
    tinygrad_lr.int64
    """
    devices.require_cpu(device, "randint")
    if size is None and args and isinstance(args[-1], (tuple, list)):
        args, size = args[:-1], args[-1]
    if len(args) == 1:
        low, high = 0, args[0]
    elif len(args) == 2:
        low, high = args
    else:
        raise TypeError("randint expects (high, size) or (low, high, size)")
    if size is None:
        raise TypeError("randint needs a size, e.g. randint(0, 10, (3,))")
    dtype = dtypes.to_dtype(dtype) or dtypes.int64
    if not low < high:
        raise RuntimeError(
            f"random_ expects 'from' to be less than 'to', but got from={low} >= to={high}"
        )
    if not dtype.is_floating_point:  # drawn as int64 and cast: an out-of-range bound would wrap
        info = np.iinfo(dtype.numpy) if dtype is not dtypes.bool_ else np.iinfo(np.uint8)
        top = 1 if dtype is dtypes.bool_ else info.max
        for name, value in (("from", low), ("to - 1", high - 1)):
            if not info.min <= value <= top:
                raise RuntimeError(
                    f"randint: {name} = {value} is out of bounds for {dtype} "
                    f"([{info.min}, {top}]); choose bounds inside it or a wider dtype"
                )
    array = _rng(generator).integers(low, high, _shape((size,)))
    return _finish(array, dtype, requires_grad)


def randperm(
    n: int,
    *,
    generator: Generator | None = None,
    dtype: Any = None,
    device: str | devices.device | None = None,
    requires_grad: bool = False,
) -> Any:
    """A random permutation of 0 .. n-1 (int64).

    Examples
    --------
    >>> import tinygrad_lr as tg
    >>> sorted(tg.randperm(4).tolist())
    [0, 1, 2, 3]
    """
    devices.require_cpu(device, "randperm")
    dtype = dtypes.to_dtype(dtype) or dtypes.int64
    if n < 0:
        raise RuntimeError(f"randperm: n must be non-negative, got {n}")
    if dtype is dtypes.bool_:
        raise NotImplementedError("\"randperm\" not implemented for 'Bool'")
    numpy_dtype = np.dtype(dtype.numpy)
    # The largest n - 1 the dtype holds exactly; a larger n would not be a permutation.
    if numpy_dtype.kind == "f":
        largest = 2 ** (np.finfo(numpy_dtype).nmant + 1)
    else:
        largest = np.iinfo(numpy_dtype).max
    if n - 1 > largest:
        raise RuntimeError(
            f"randperm: n cannot be greater than {largest + 1} for {dtype}: larger values are "
            "not all representable; use dtype=tinygrad_lr.int64"
        )
    return _finish(_rng(generator).permutation(int(n)), dtype, requires_grad)
