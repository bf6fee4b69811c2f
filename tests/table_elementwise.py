"""The op table's entries for the elementwise ops: see tests/op_table.py for what an entry holds
and tests/test_tensor_ops.py for the tests that run every table."""

from __future__ import annotations

from typing import Any

from hypothesis.extra.numpy import array_shapes, mutually_broadcastable_shapes
from op_table import Op, any_shape, broadcast_pair

# Three shapes that broadcast together: where(cond, x, y), clamp with two tensor bounds, lerp.
broadcast_triple = mutually_broadcastable_shapes(
    num_shapes=3, min_dims=0, max_dims=3, max_side=3
).map(lambda b: b.input_shapes)
# clamp's input and two bounds, the input of the full shape: torch's backward fails when a bound
# broadcasts the input to a larger shape (shapes (), (), (1,) raise in torch 2.13).
clamp_triple = mutually_broadcastable_shapes(num_shapes=3, min_dims=0, max_dims=3, max_side=3).map(
    lambda b: (b.result_shape, *b.input_shapes[1:])
)
# A tensor and a bound of the same shape, or one that broadcasts onto it.
bounded = array_shapes(min_dims=1, max_dims=3, min_side=1, max_side=3).map(lambda s: (s, s[1:]))


def _F(m: Any) -> Any:
    return m.nn.functional


def _where(m: Any, x: Any, y: Any) -> Any:
    return m.where(x > y, x, y * 2)


def _ramp(m: Any, a: Any) -> Any:
    # Values spread so that floor/ceil/round see several whole numbers; their gradient is 0.
    return (a * 3).floor() + (a * 3).ceil() + (a * 3).round() + a


OPS: list = [
    # --- trigonometric, exponential and logarithmic functions, methods and m.<name>
    Op("sin", lambda m, a: a.sin()),
    Op("m.sin", lambda m, a: m.sin(a)),
    Op("cos", lambda m, a: a.cos()),
    Op("m.cos", lambda m, a: m.cos(a)),
    Op("tan", lambda m, a: a.tan(), domains=("unit",)),
    Op("m.tan", lambda m, a: m.tan(a), domains=("unit",)),
    Op("expm1", lambda m, a: a.expm1()),
    Op("m.expm1", lambda m, a: m.expm1(a)),
    Op("log1p", lambda m, a: a.log1p(), domains=("positive",)),
    Op("m.log1p", lambda m, a: m.log1p(a), domains=("unit",)),
    Op("log2", lambda m, a: a.log2(), domains=("positive",)),
    Op("m.log2", lambda m, a: m.log2(a), domains=("positive",)),
    Op("log10", lambda m, a: a.log10(), domains=("positive",)),
    Op("m.log10", lambda m, a: m.log10(a), domains=("positive",)),
    Op("rsqrt", lambda m, a: a.rsqrt(), domains=("positive",)),
    Op("m.rsqrt", lambda m, a: m.rsqrt(a), domains=("positive",)),
    Op("reciprocal", lambda m, a: a.reciprocal(), domains=("nonzero",)),
    Op("m.reciprocal", lambda m, a: m.reciprocal(a), domains=("nonzero",)),
    Op("erf", lambda m, a: a.erf()),
    Op("m.erf", lambda m, a: m.erf(a)),
    Op("m.sign", lambda m, a: m.sign(a) * a, domains=("nonzero",)),
    # --- step functions: gradient 0 (plus a, so the sum has a gradient to compare)
    Op("floor_ceil_round", _ramp, domains=("unit",)),
    Op("m.floor", lambda m, a: m.floor(a * 3) * a, domains=("unit",)),
    Op("m.ceil", lambda m, a: m.ceil(a * 3) * a, domains=("unit",)),
    Op("m.round_decimals", lambda m, a: m.round(a, decimals=1) + a, domains=("unit",)),
    Op("round_decimals_neg", lambda m, a: (a * 100).round(decimals=-1) * a, domains=("unit",)),
    # --- clamp / clip: number bounds, tensor bounds (broadcast), one bound only
    Op("clamp", lambda m, a: a.clamp(-0.5, 0.5)),
    Op("clamp_min_kw", lambda m, a: a.clamp(min=0.1)),
    Op("clamp_max_kw", lambda m, a: a.clamp(max=-0.2)),
    Op("clip", lambda m, a: a.clip(-1, 1)),
    Op("m.clamp", lambda m, a: m.clamp(a, min=-0.3, max=0.7)),
    Op("m.clip", lambda m, a: m.clip(a, max=0.0)),
    Op("clamp_min_above_max", lambda m, a: a.clamp(0.5, -0.5) * a),
    Op("clamp_tensor_min", lambda m, a, lo: a.clamp(min=lo), bounded, ("any", "any")),
    Op("clamp_tensor_max", lambda m, a, hi: m.clamp(a, max=hi), broadcast_pair, ("any", "any")),
    Op(
        "clamp_tensor_both",
        lambda m, a, lo, hi: a.clamp(lo, hi),
        clamp_triple,
        ("any", "any", "any"),
    ),
    # --- maximum, minimum: broadcasting, and ties (a with itself) split the gradient
    Op("maximum", lambda m, a, b: a.maximum(b), broadcast_pair, ("any", "any")),
    Op("m.maximum", lambda m, a, b: m.maximum(a, b), broadcast_pair, ("any", "any")),
    Op("minimum", lambda m, a, b: a.minimum(b), broadcast_pair, ("any", "any")),
    Op("m.minimum", lambda m, a, b: m.minimum(a, b), broadcast_pair, ("any", "any")),
    Op("maximum_tie", lambda m, a: m.maximum(a, a * 1) * a),
    Op("minimum_tie", lambda m, a: m.minimum(a * 1, a) * a),
    # --- where: tensors, numbers, broadcasting
    Op("m.where", _where, broadcast_pair, ("distinct", "distinct")),
    Op("m.where_numbers", lambda m, a: m.where(a > 0, a, 0.5) + m.where(a < 0, 1, a)),
    Op("where_method", lambda m, a, b: a.where(a > 0, b), broadcast_pair, ("nonzero", "any")),
    Op(
        "m.where_three_shapes",
        lambda m, c, x, y: m.where(c > 0, x, y),
        broadcast_triple,
        ("nonzero", "any", "any"),
    ),
    # --- lerp: number and tensor weights
    Op("lerp", lambda m, a, b: a.lerp(b, 0.3), broadcast_pair, ("any", "any")),
    Op("lerp_weight_high", lambda m, a, b: m.lerp(a, b, 0.8), broadcast_pair, ("any", "any")),
    Op(
        "m.lerp_tensor_weight",
        lambda m, a, b, w: m.lerp(a, b, w),
        broadcast_triple,
        ("any", "any", "unit"),
    ),
    # --- powers with tensors: exponent, base, both
    Op("pow_tensor", lambda m, a, p: a**p, broadcast_pair, ("positive", "any")),
    Op("pow_tensor_method", lambda m, a, p: a.pow(p), broadcast_pair, ("positive", "any")),
    Op("m.pow_tensor", lambda m, a, p: m.pow(a, p), broadcast_pair, ("positive", "any")),
    Op("rpow_int", lambda m, a: 2**a),
    Op("rpow_float", lambda m, a: 0.5**a),
    Op("m.pow_number_base", lambda m, a: m.pow(3, a)),
    Op(
        "pow_0d_tensor",
        lambda m, a, p: a ** p.reshape(()),
        any_shape.map(lambda s: (s[0], (1,))),
        ("positive", "any"),
    ),  # fmt: skip
    # --- activations: sigmoid family, softplus, tanh and relu variants, gelu
    Op("F.softplus", lambda m, a: _F(m).softplus(a)),
    Op("F.softplus_beta", lambda m, a: _F(m).softplus(a * 4, beta=2.0, threshold=5.0)),
    Op("F.logsigmoid", lambda m, a: _F(m).logsigmoid(a)),
    Op("F.sigmoid_large", lambda m, a: _F(m).sigmoid(a * 10)),
    Op("F.leaky_relu", lambda m, a: _F(m).leaky_relu(a), domains=("nonzero",)),
    Op(
        "F.leaky_relu_slope",
        lambda m, a: _F(m).leaky_relu(a, negative_slope=0.2),
        domains=("nonzero",),
    ),
    Op("F.elu", lambda m, a: _F(m).elu(a), domains=("nonzero",)),
    Op("F.elu_alpha", lambda m, a: _F(m).elu(a, alpha=0.5), domains=("nonzero",)),
    Op("F.gelu", lambda m, a: _F(m).gelu(a)),
    Op("F.gelu_tanh", lambda m, a: _F(m).gelu(a, approximate="tanh")),
    # --- composites: a chain through several of them, in float32 and float64
    Op("chain", lambda m, a: (a.sin() * a.cos().exp()).clamp(-1, 1) + _F(m).softplus(a).log1p()),
    Op("sqrt_of_square_plus", lambda m, a: (a.square() + 1).rsqrt().reciprocal()),
    # --- nn.functional (nn helper)
    Op("F.huber_loss", lambda m, a: _F(m).huber_loss(a * 2, a * 0.5 + 0.1, delta=0.7)),
    Op("F.huber_loss_sum", lambda m, a: _F(m).huber_loss(a * 2, a * 0.5, reduction="sum")),
    Op("F.huber_loss_none", lambda m, a: _F(m).huber_loss(a * 2, -a, reduction="none")),
    Op("F.smooth_l1_loss", lambda m, a: _F(m).smooth_l1_loss(a * 2, a * 0.5 + 0.1, beta=0.7)),
    Op("F.smooth_l1_loss_none", lambda m, a: _F(m).smooth_l1_loss(a * 2, -a, reduction="none")),
]
