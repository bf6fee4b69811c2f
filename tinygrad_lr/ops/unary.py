"""Elementwise functions of one tensor: out = f(a), so da = g * f'(a).

Where f'(a) is cheaper from the result than from the input (exp, sqrt, sigmoid, tanh), forward
saves the result and backward reuses it instead of computing f again.

Examples
--------
>>> import tinygrad_lr as tg
>>> a = tg.zeros(1, requires_grad=True)
>>> Exp.apply(a).backward()  # a.exp()
>>> a.grad
tensor([1.])
>>> a = tg.tensor([2.0], requires_grad=True)
>>> Log.apply(a).backward()  # a.log()
>>> a.grad
tensor([0.5000])
>>> a = tg.tensor([-2.0, 0.0, 3.0], requires_grad=True)
>>> Abs.apply(a).sum().backward()  # a.abs()
>>> a.grad
tensor([-1.,  0.,  1.])
>>> a = tg.tensor([-2.0, 3.0], requires_grad=True)
>>> Sign.apply(a).sum().backward()  # a.sign()
>>> a.grad
tensor([0., 0.])
>>> a = tg.tensor([4.0], requires_grad=True)
>>> Sqrt.apply(a).backward()  # a.sqrt()
>>> a.grad
tensor([0.2500])
>>> a = tg.tensor([-1.0, 2.0], requires_grad=True)
>>> ReLU.apply(a).sum().backward()  # a.relu()
>>> a.grad
tensor([0., 1.])
>>> a = tg.zeros(1, requires_grad=True)
>>> Sigmoid.apply(a).backward()  # a.sigmoid(): out = 0.5
>>> a.grad
tensor([0.2500])
>>> a = tg.zeros(1, requires_grad=True)
>>> Tanh.apply(a).backward()  # a.tanh()
>>> a.grad
tensor([1.])

The others, each applied to the same x, with the gradient of the sum of its result:

>>> def grad(op, *args):
...     x = tg.tensor([0.5, 2.0], requires_grad=True)
...     op.apply(x, *args).sum().backward()
...     return x.grad
>>> grad(Sin), grad(Cos), grad(Tan)  # cos x, -sin x, 1 + tan² x
(tensor([ 0.8776, -0.4161]), tensor([-0.4794, -0.9093]), tensor([1.2984, 5.7744]))
>>> grad(Expm1), grad(Log1p)  # eˣ, 1 / (1 + x)
(tensor([1.6487, 7.3891]), tensor([0.6667, 0.3333]))
>>> grad(Log2), grad(Log10)  # 1 / (x ln 2), 1 / (x ln 10)
(tensor([2.8854, 0.7213]), tensor([0.8686, 0.2171]))
>>> grad(Rsqrt), grad(Reciprocal), grad(Erf)
(tensor([-1.4142, -0.1768]), tensor([-4.0000, -0.2500]), tensor([0.8788, 0.0207]))
>>> grad(Floor), grad(Ceil), grad(Round, 0)  # step functions: flat
(tensor([0., 0.]), tensor([0., 0.]), tensor([0., 0.]))
>>> grad(Softplus, 1.0, 20.0), grad(LogSigmoid)  # sigmoid(x), sigmoid(-x)
(tensor([0.6225, 0.8808]), tensor([0.3775, 0.1192]))
>>> grad(LeakyReLU, 0.1), grad(ELU, 1.0)  # x > 0: slope 1
(tensor([1., 1.]), tensor([1., 1.]))
>>> grad(GELU, "none"), grad(GELU, "tanh")
(tensor([0.8675, 1.0852]), tensor([0.8674, 1.0861]))
"""

from __future__ import annotations

import math

import numpy as np

from ..autograd.function import Function
from ..tensor import Tensor

_SQRT_2_OVER_PI = math.sqrt(2 / math.pi)
_GELU_CUBIC = 0.044715  # the tanh approximation's coefficient, as torch's


class Exp(Function):
    """out = eˣ;  da = g * eˣ = g * out."""

    @staticmethod
    def forward(ctx, a):
        out = np.exp(a)
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, g):
        (out,) = ctx.saved_tensors
        return g * out


class Log(Function):
    """out = ln a;  da = g / a."""

    @staticmethod
    def forward(ctx, a):
        ctx.save_for_backward(a)
        return np.log(a)

    @staticmethod
    def backward(ctx, g):
        (a,) = ctx.saved_tensors
        return g / a


class Abs(Function):
    """out = |a|;  da = g * sign(a)  (0 at a = 0 and at NaN, as in torch)."""

    @staticmethod
    def forward(ctx, a):
        ctx.save_for_backward(a)
        return np.abs(a)

    @staticmethod
    def backward(ctx, g):
        (a,) = ctx.saved_tensors
        return g * a.sign()


class Sign(Function):
    """out = sign(a): -1, 0 or 1 (0 at NaN, as torch);  da = 0 (a step function: flat wherever
    it is differentiable)."""

    @staticmethod
    def forward(ctx, a):
        out = np.sign(a)
        if out.dtype.kind == "f":
            out = np.where(np.isnan(out), out.dtype.type(0), out)
        return out

    @staticmethod
    def backward(ctx, g):
        return Tensor._make(np.zeros_like(g._data))


class Sqrt(Function):
    """out = √a;  da = g / (2√a) = g / (2 * out)."""

    @staticmethod
    def forward(ctx, a):
        out = np.sqrt(a)
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, g):
        (out,) = ctx.saved_tensors
        return g / (2 * out)


class ReLU(Function):
    """out = max(a, 0);  da = 0 where out <= 0, else g  (0 at a = 0 and g at NaN, as torch)."""

    @staticmethod
    def forward(ctx, a):
        out = np.maximum(a, 0)
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, g):
        (out,) = ctx.saved_tensors
        return g.masked_fill(out <= 0, 0.0)


class Sigmoid(Function):
    """out = 1 / (1 + e⁻ᵃ);  da = g * out * (1 - out)."""

    @staticmethod
    def forward(ctx, a):
        # Written with e = exp(-|a|) <= 1, which never overflows: 1 / (1 + e) for a >= 0 and
        # e / (1 + e) for a < 0, so sigmoid(-20) is 2.06e-9 in float32, not 0.
        e = np.exp(-np.abs(a))
        out = np.where(a >= 0, 1, e) / (1 + e)
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, g):
        (out,) = ctx.saved_tensors
        return g * out * (1 - out)


class Tanh(Function):
    """out = tanh a;  da = g * (1 - out²)."""

    @staticmethod
    def forward(ctx, a):
        out = np.tanh(a)
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, g):
        (out,) = ctx.saved_tensors
        return g * (1 - out * out)


class Sin(Function):
    """out = sin a;  da = g * cos a."""

    @staticmethod
    def forward(ctx, a):
        ctx.save_for_backward(a)
        return np.sin(a)

    @staticmethod
    def backward(ctx, g):
        (a,) = ctx.saved_tensors
        return g * a.cos()


class Cos(Function):
    """out = cos a;  da = -g * sin a."""

    @staticmethod
    def forward(ctx, a):
        ctx.save_for_backward(a)
        return np.cos(a)

    @staticmethod
    def backward(ctx, g):
        (a,) = ctx.saved_tensors
        return -g * a.sin()


class Tan(Function):
    """out = tan a;  da = g * (1 + out²)."""

    @staticmethod
    def forward(ctx, a):
        out = np.tan(a)
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, g):
        (out,) = ctx.saved_tensors
        return g * (1 + out * out)


class Expm1(Function):
    """out = eᵃ - 1 (exact for small a);  da = g * (out + 1)."""

    @staticmethod
    def forward(ctx, a):
        out = np.expm1(a)
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, g):
        (out,) = ctx.saved_tensors
        return g * (out + 1)


class Log1p(Function):
    """out = ln(1 + a) (exact for small a);  da = g / (1 + a)."""

    @staticmethod
    def forward(ctx, a):
        ctx.save_for_backward(a)
        return np.log1p(a)

    @staticmethod
    def backward(ctx, g):
        (a,) = ctx.saved_tensors
        return g / (1 + a)


class Log2(Function):
    """out = log₂ a;  da = g / (a ln 2)."""

    @staticmethod
    def forward(ctx, a):
        ctx.save_for_backward(a)
        return np.log2(a)

    @staticmethod
    def backward(ctx, g):
        (a,) = ctx.saved_tensors
        return g / (a * math.log(2))


class Log10(Function):
    """out = log₁₀ a;  da = g / (a ln 10)."""

    @staticmethod
    def forward(ctx, a):
        ctx.save_for_backward(a)
        # In float64, then rounded: NumPy's float32 log10 is off by an ulp (log10(100) = 2.0000002).
        return np.log10(a.astype(np.float64)).astype(a.dtype)

    @staticmethod
    def backward(ctx, g):
        (a,) = ctx.saved_tensors
        return g / (a * math.log(10))


class Rsqrt(Function):
    """out = 1 / √a;  da = -g / (2 a√a) = -g * out³ / 2."""

    @staticmethod
    def forward(ctx, a):
        out = 1 / np.sqrt(a)
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, g):
        (out,) = ctx.saved_tensors
        return g * out * out * out * -0.5


class Reciprocal(Function):
    """out = 1 / a;  da = -g / a² = -g * out²."""

    @staticmethod
    def forward(ctx, a):
        out = 1 / a
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, g):
        (out,) = ctx.saved_tensors
        return -g * out * out


class Floor(Sign):
    """out = ⌊a⌋;  da = 0 (a step function, as sign)."""

    @staticmethod
    def forward(ctx, a):
        return np.floor(a)


class Ceil(Sign):
    """out = ⌈a⌉;  da = 0 (a step function, as sign)."""

    @staticmethod
    def forward(ctx, a):
        return np.ceil(a)


class Round(Sign):
    """out = a rounded to ``decimals`` places, halves to even;  da = 0 (a step function)."""

    @staticmethod
    def forward(ctx, a, decimals):
        return np.round(a, decimals)

    @staticmethod
    def backward(ctx, g):
        return Sign.backward(ctx, g), None


class Softplus(Function):
    """out = ln(1 + e^(βa)) / β, or a where βa > threshold;  da = g * sigmoid(βa) (g there)."""

    @staticmethod
    def forward(ctx, a, beta, threshold):
        ctx.save_for_backward(a)
        ctx.beta, ctx.threshold = beta, threshold
        scaled = a * beta
        # ln(1 + e^s) = max(s, 0) + ln(1 + e^-|s|): e^-|s| <= 1 cannot overflow, even in float16.
        soft = (np.maximum(scaled, 0) + np.log1p(np.exp(-np.abs(scaled)))) / beta
        return np.where(scaled > threshold, a, soft)

    @staticmethod
    def backward(ctx, g):
        (a,) = ctx.saved_tensors
        scaled = a * ctx.beta
        return g.where(scaled > ctx.threshold, g * scaled.sigmoid()), None, None


class LogSigmoid(Function):
    """out = ln sigmoid(a) = min(a, 0) - ln(1 + e^-|a|);  da = g * sigmoid(-a)."""

    @staticmethod
    def forward(ctx, a):
        ctx.save_for_backward(a)
        return np.minimum(a, 0) - np.log1p(np.exp(-np.abs(a)))

    @staticmethod
    def backward(ctx, g):
        (a,) = ctx.saved_tensors
        return g * (-a).sigmoid()


class LeakyReLU(Function):
    """out = a where a > 0, else slope * a;  da = g there, else g * slope (slope at 0, as torch)."""

    @staticmethod
    def forward(ctx, a, slope):
        ctx.save_for_backward(a)
        ctx.slope = slope
        return np.where(a > 0, a, a * slope)

    @staticmethod
    def backward(ctx, g):
        (a,) = ctx.saved_tensors
        return g.where(a > 0, g * ctx.slope), None


class ELU(Function):
    """out = a where a > 0, else α(eᵃ - 1);  da = g there, else g * α eᵃ."""

    @staticmethod
    def forward(ctx, a, alpha):
        ctx.save_for_backward(a)
        ctx.alpha = alpha
        return np.where(a > 0, a, alpha * np.expm1(np.minimum(a, 0)))

    @staticmethod
    def backward(ctx, g):
        (a,) = ctx.saved_tensors
        # eᵃ of min(a, 0): the branch not taken cannot overflow into an inf (0 * inf = nan).
        return g.where(a > 0, g * ctx.alpha * a.clamp(max=0).exp()), None


class GELU(Function):
    """out = a Φ(a), Φ the normal CDF;  da = g * (Φ(a) + a φ(a)), φ the normal density.

    ``approximate="tanh"`` uses Φ(a) ≈ (1 + tanh(√(2/π)(a + 0.044715 a³))) / 2, and its
    derivative.
    """

    @staticmethod
    def forward(ctx, a, approximate):
        ctx.save_for_backward(a)
        ctx.approximate = approximate
        if approximate == "tanh":
            inner = _SQRT_2_OVER_PI * (a + _GELU_CUBIC * a * a * a)
            return 0.5 * a * (1 + np.tanh(inner))
        return 0.5 * a * (1 + _erf(a / math.sqrt(2)))

    @staticmethod
    def backward(ctx, g):
        (a,) = ctx.saved_tensors
        if ctx.approximate == "tanh":
            t = ((a + a * a * a * _GELU_CUBIC) * _SQRT_2_OVER_PI).tanh()
            slope = (1 + a * a * (3 * _GELU_CUBIC)) * _SQRT_2_OVER_PI
            return g * ((1 + t) * 0.5 + a * 0.5 * (1 - t * t) * slope), None
        cdf = (Erf.apply(a * (1 / math.sqrt(2))) + 1) * 0.5
        density = (a * a * -0.5).exp() * (1 / math.sqrt(2 * math.pi))
        return g * (cdf + a * density), None


class Erf(Function):
    """out = erf a = (2/√π) ∫₀ᵃ e^(-t²) dt;  da = g * (2/√π) e^(-a²)."""

    @staticmethod
    def forward(ctx, a):
        ctx.save_for_backward(a)
        return _erf(a)

    @staticmethod
    def backward(ctx, g):
        (a,) = ctx.saved_tensors
        return g * (-a * a).exp() * (2 / math.sqrt(math.pi))


def _erf(x: np.ndarray) -> np.ndarray:
    """erf of an array, in its dtype, computed in float64 to within 1e-14 of ``math.erf``.

    NumPy has no erf. Below |x| = 2.5 its Taylor series, 2/√π Σ (-1)ⁿ x²ⁿ⁺¹ / (n! (2n + 1)),
    converges in 60 terms; above, 1 - erfc, with erfc's continued fraction
    erfc x = e^(-x²)/√π / (x + ½/(x + 1/(x + (3/2)/(x + ...)))) evaluated from 80 terms deep.

    Examples
    --------
    >>> abs(float(_erf(np.array(1.0))) - math.erf(1.0)) < 1e-15
    True
    """
    x64 = np.asarray(x, dtype=np.float64)
    size = np.abs(x64)
    small = np.minimum(size, 2.5)
    square, term = small * small, small.copy()
    series = small.copy()
    for n in range(1, 60):
        term = term * -square / n
        series += term / (2 * n + 1)
    large = np.maximum(size, 2.5)
    fraction = large.copy()
    for k in range(80, 0, -1):
        fraction = large + (k / 2) / fraction
    tail = 1 - np.exp(-large * large) / (math.sqrt(math.pi) * fraction)
    result = np.sign(x64) * np.where(size < 2.5, series * (2 / math.sqrt(math.pi)), tail)
    return result.astype(np.asarray(x).dtype, copy=False)
