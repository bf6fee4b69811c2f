"""The op table's entries for the reductions ops: see tests/op_table.py for what an entry holds
and tests/test_tensor_ops.py for the tests that run every table."""

from __future__ import annotations

from op_table import Op, any_shape, matrix, nonscalar, rank3  # noqa: F401

OPS: list = [
    Op("max all", lambda m, a: a.max(), domains=("distinct",)),
    Op("m.max dim", lambda m, a: m.max(a, 0).values, nonscalar, ("distinct",)),
    Op("max dim keepdim", lambda m, a: a.max(-1, keepdim=True)[0], nonscalar, ("distinct",)),
    Op("min all", lambda m, a: a.min(), domains=("distinct",)),
    Op("m.min dim", lambda m, a: m.min(a, dim=-1).values, nonscalar, ("distinct",)),
    Op("amax", lambda m, a: a.amax((0, -1)), rank3, ("distinct",)),
    Op("m.amin keepdim", lambda m, a: m.amin(a, 1, keepdim=True), rank3, ("distinct",)),
    Op("prod", lambda m, a: a.prod()),
    Op("m.prod dim keepdim", lambda m, a: m.prod(a, 1, keepdim=True), rank3),
    Op("var", lambda m, a: a.var(), nonscalar.filter(lambda s: s[0] != (1,) * len(s[0]))),
    Op("m.var dim correction", lambda m, a: m.var(a, (0, 2), correction=0), rank3),
    # dim 0 longer than 1: a constant slice has std 0, whose sqrt has no finite derivative.
    Op(
        "std dim unbiased",
        lambda m, a: a.std(0, False, True),
        nonscalar.filter(lambda s: s[0][0] > 1),
    ),
    Op("logsumexp", lambda m, a: a.logsumexp(-1), nonscalar),
    Op("m.logsumexp dims", lambda m, a: m.logsumexp(a, (0, 1), keepdim=True), rank3),
    Op("cumsum", lambda m, a: a.cumsum(0), nonscalar),
    Op("m.cumsum", lambda m, a: m.cumsum(a, dim=-1), rank3),
]
