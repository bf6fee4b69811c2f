"""The op table's entries for the shape ops: see tests/op_table.py for what an entry holds
and tests/test_tensor_ops.py for the tests that run every table."""

from __future__ import annotations

from hypothesis import strategies as st
from op_table import Op, any_shape, grid2, matrix, nonscalar, rank3, rows3, same_pair  # noqa: F401

vector = st.integers(1, 4).map(lambda n: ((n,),))
two_vectors = st.tuples(st.integers(1, 4), st.integers(1, 4)).map(lambda t: ((t[0],), (t[1],)))

OPS: list = [
    Op("repeat", lambda m, a: a.repeat(2, *([1] * a.ndim))),
    Op("repeat 2 ways", lambda m, a: a.repeat(*([2] * a.ndim)), shapes=nonscalar),
    Op("flip", lambda m, a: a.flip(0), shapes=nonscalar),
    Op("m.flip dims", lambda m, a: m.flip(a, (0, -1)), shapes=grid2),
    Op("split", lambda m, a: m.cat([p * (i + 1) for i, p in enumerate(a.split(2))]), shapes=rows3),
    Op(
        "m.split sizes",
        lambda m, a: m.split(a, [1, 2], 1)[1],
        shapes=grid2.map(lambda s: ((s[0][0], 3),)),
    ),
    Op("chunk", lambda m, a: a.chunk(2)[-1], shapes=rows3),
    Op("m.chunk", lambda m, a: m.chunk(a, 3, -1)[0], shapes=nonscalar),
    Op("narrow", lambda m, a: a.narrow(0, 1, 2), shapes=rows3),
    Op("m.narrow", lambda m, a: m.narrow(a, -1, 0, 1), shapes=nonscalar),
    Op(
        "gather",
        lambda m, a: a.gather(0, m.tensor([[2, 0], [1, 1], [0, 2]])[:, : a.shape[1]]),
        shapes=grid2.map(lambda s: ((3, s[0][1]),)),
    ),
    Op("m.gather", lambda m, a: m.gather(a, 1, m.tensor([[1, 0]] * a.shape[0])), shapes=grid2),
    Op("index_select", lambda m, a: a.index_select(0, m.tensor([2, 0, 2])), shapes=rows3),
    Op("m.index_select", lambda m, a: m.index_select(a, -1, m.tensor([0, 0])), shapes=nonscalar),
    Op("masked_fill", lambda m, a: a.masked_fill(a > 0, 1.5)),
    Op(
        "m.masked_fill tensor value",
        lambda m, a, b: m.masked_fill(a, a > 0, b.sum()),
        shapes=same_pair,
    ),
    Op("tril", lambda m, a: a.tril(), shapes=rank3),
    Op("m.tril diagonal", lambda m, a: m.tril(a, -1), shapes=matrix),
    Op("triu", lambda m, a: a.triu(1), shapes=rank3),
    Op("m.triu", lambda m, a: m.triu(a, -1), shapes=matrix),
    Op("diag vector", lambda m, a: a.diag(), shapes=vector),
    Op("m.diag vector offset", lambda m, a: m.diag(a, -2), shapes=vector),
    Op("diag matrix", lambda m, a: a.diag(1), shapes=matrix),
    Op("m.diag matrix", lambda m, a: m.diag(a, -1), shapes=matrix),
    Op("outer", lambda m, a, b: a.outer(b), shapes=two_vectors),
    Op("m.outer", lambda m, a, b: m.outer(a, b), shapes=two_vectors),
    Op("movedim", lambda m, a: a.movedim(0, -1), shapes=rank3),
    Op("m.movedim", lambda m, a: m.movedim(a, (0, 2), (1, 0)), shapes=rank3),
    Op(
        "einsum matmul",
        lambda m, a, b: m.einsum("ij,jk->ik", a, b.T),
        shapes=same_pair.filter(lambda s: len(s[0]) == 2),
    ),
    Op("einsum outer", lambda m, a, b: m.einsum("i,j->ij", a, b), shapes=two_vectors),
    Op(
        "einsum batch, summed letter",
        lambda m, a, b: m.einsum("bij,bkj->bi", a, b),
        shapes=same_pair.filter(lambda s: len(s[0]) == 3),
    ),
    Op(
        "einsum implicit",
        lambda m, a, b: m.einsum("ij,kj", a, b),
        shapes=same_pair.filter(lambda s: len(s[0]) == 2),
    ),
    Op("einsum one operand", lambda m, a: m.einsum("ijk->ki", a), shapes=rank3),
    Op(
        "einsum list of operands",
        lambda m, a, b: m.einsum("i,i->", [a, b]),
        shapes=vector.map(lambda s: s * 2),
    ),
    Op("expand_as", lambda m, a, b: a.expand_as(b.expand(2, *b.shape)), shapes=same_pair),
]
