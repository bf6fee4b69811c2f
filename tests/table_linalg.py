"""The op table's entries for the linalg ops: see tests/op_table.py for what an entry holds
and tests/test_tensor_ops.py for the tests that run every table.

Matrices that must be invertible or positive-definite are made so inside ``fn``: ``_spd(m, a)``
is ``a aᵀ + 2I``, whose eigenvalues are at least 2, so finite differences stay well inside the
set where the op is smooth."""

from __future__ import annotations

import math

from hypothesis import strategies as st
from op_table import Op, matrix

size = st.integers(1, 3)
square = size.map(lambda n: ((n, n),))
batched_square = size.map(lambda n: ((2, n, n),))
square_and_rhs = st.tuples(size, size).map(lambda t: ((t[0], t[0]), (t[0], t[1])))
square_and_vector = size.map(lambda n: ((n, n), (n,)))
batch_and_rhs = st.tuples(size, size).map(lambda t: ((2, t[0], t[0]), (t[0], t[1])))
tall = st.tuples(st.integers(2, 4), st.integers(1, 2)).map(lambda t: ((t[0] + t[1], t[1]),))
wide = tall.map(lambda s: (s[0][::-1],))
tall_and_rhs = tall.map(lambda s: (s[0], (s[0][0], 2)))
vector_shapes = st.integers(1, 4).map(lambda n: ((n,),))


def _spd(m, a):
    """a aᵀ + 2I: symmetric positive-definite, well conditioned."""
    return a @ a.transpose(-1, -2) + 2 * m.eye(a.shape[-1], dtype=a.dtype)


# svdvals saves U and V, which are neither input nor output, so its gradient is not
# differentiable again (second_order=False; create_graph raises), as are the norms built on it.
OPS: list = [
    Op("linalg.inv", lambda m, a: m.linalg.inv(_spd(m, a)), square),
    Op("linalg.inv batch", lambda m, a: m.linalg.inv(_spd(m, a)), batched_square),
    Op("m.inverse", lambda m, a: m.inverse(a + 3 * m.eye(a.shape[-1], dtype=a.dtype)), square),
    Op("linalg.det", lambda m, a: m.linalg.det(a + 3 * m.eye(a.shape[-1], dtype=a.dtype)), square),
    Op("linalg.det batch", lambda m, a: m.linalg.det(_spd(m, a)), batched_square),
    Op("linalg.solve", lambda m, a, b: m.linalg.solve(_spd(m, a), b), square_and_rhs),
    Op("linalg.solve vector", lambda m, a, b: m.linalg.solve(_spd(m, a), b), square_and_vector),
    Op("linalg.solve batch", lambda m, a, b: m.linalg.solve(_spd(m, a), b), batch_and_rhs),
    Op(
        "linalg.solve left=False",
        lambda m, a, b: m.linalg.solve(_spd(m, a), b.transpose(0, 1), left=False),
        square_and_rhs,
    ),
    Op("linalg.cholesky", lambda m, a: m.linalg.cholesky(_spd(m, a)), square),
    Op("linalg.cholesky upper", lambda m, a: m.linalg.cholesky(_spd(m, a), upper=True), square),
    Op("linalg.cholesky batch", lambda m, a: m.linalg.cholesky(_spd(m, a)), batched_square),
    Op("linalg.svdvals", lambda m, a: m.linalg.svdvals(a), tall, second_order=False),
    Op("linalg.svdvals wide", lambda m, a: m.linalg.svdvals(a), wide, second_order=False),
    Op("linalg.svd S", lambda m, a: m.linalg.svd(a)[1], tall, second_order=False),
    Op("linalg.pinv", lambda m, a: m.linalg.pinv(a), tall),
    Op("linalg.pinv wide", lambda m, a: m.linalg.pinv(a), wide),
    Op("linalg.lstsq", lambda m, a, b: m.linalg.lstsq(a, b).solution, tall_and_rhs),
    Op("linalg.matrix_norm fro", lambda m, a: m.linalg.matrix_norm(a), matrix),
    Op(
        "linalg.matrix_norm nuc",
        lambda m, a: m.linalg.matrix_norm(a, "nuc"),
        tall,
        second_order=False,
    ),
    Op("linalg.matrix_norm 2", lambda m, a: m.linalg.matrix_norm(a, 2), tall, second_order=False),
    Op("linalg.matrix_norm 1", lambda m, a: m.linalg.matrix_norm(a, 1), matrix, ("distinct",)),
    Op(
        "linalg.matrix_norm inf keepdim",
        lambda m, a: m.linalg.matrix_norm(a, math.inf, keepdim=True),
        matrix,
        ("distinct",),
    ),
    Op("linalg.vector_norm", lambda m, a: m.linalg.vector_norm(a), vector_shapes),
    Op(
        "linalg.vector_norm 1", lambda m, a: m.linalg.vector_norm(a, 1), vector_shapes, ("nonzero",)
    ),
    Op(
        "linalg.vector_norm 3 dim", lambda m, a: m.linalg.vector_norm(a, 3, 1), matrix, ("nonzero",)
    ),
    Op(
        "linalg.vector_norm inf",
        lambda m, a: m.linalg.vector_norm(a, math.inf),
        matrix,
        ("distinct",),
    ),
    Op("norm", lambda m, a: a.norm(), matrix),
    Op("m.norm p dim keepdim", lambda m, a: m.norm(a, 2, 0, True), matrix),
]
