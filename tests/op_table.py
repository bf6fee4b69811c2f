"""The op table's parts, shared by the tables and the tests that run them.

An ``Op`` names a function ``fn(m, *tensors)``, written once and run with ``m = tinygrad_lr`` and
with ``m = torch``; the shape strategies draw one shape per input; ``arrays_for`` draws the input
values from each input's domain. The tables themselves are ``OPS`` in tests/test_tensor_ops.py
(the core's ops) and the ``OPS`` of each ``tests/table_*.py`` module (one per area of the API);
tests/test_tensor_ops.py, tests/test_double_backward.py and tests/test_dtypes.py run them all.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra.numpy import array_shapes, mutually_broadcastable_shapes

# ----------------------------------------------------------------------------- shape strategies
Shapes = st.SearchStrategy  # each strategy draws a tuple with one shape per input tensor

any_shape = array_shapes(min_dims=0, max_dims=3, min_side=1, max_side=3).map(lambda s: (s,))
zero_d = st.just(((),))
nonscalar = array_shapes(min_dims=1, max_dims=3, min_side=1, max_side=3).map(lambda s: (s,))
matrix = array_shapes(min_dims=2, max_dims=2, min_side=1, max_side=4).map(lambda s: (s,))
rank3 = array_shapes(min_dims=3, max_dims=3, min_side=1, max_side=3).map(lambda s: (s,))
# First dimension at least 3, so that x[2], x[-1], x[[0, 2, 0]] ... are in range.
rows3 = st.tuples(
    st.integers(3, 4), array_shapes(min_dims=0, max_dims=2, min_side=1, max_side=3)
).map(lambda t: ((t[0], *t[1]),))
# First dimension exactly 3, for masks and bool lists of length 3.
rows_exactly3 = rows3.map(lambda s: ((3, *s[0][1:]),))
# Two dimensions, each at least 2, for two-axis indexing.
grid2 = st.tuples(st.integers(2, 4), st.integers(2, 4)).map(lambda t: (t,))
broadcast_pair = mutually_broadcastable_shapes(
    num_shapes=2, min_dims=0, max_dims=3, max_side=3
).map(lambda b: b.input_shapes)
same_pair = array_shapes(min_dims=1, max_dims=3, min_side=1, max_side=3).map(lambda s: (s, s))


@st.composite
def matmul_shapes(draw: Any, a_dims: int, b_dims: int, batch: bool = False) -> tuple:
    """Shapes of a @ b with torch's rules: 1-D operands, and broadcast batch dimensions."""
    n, k, m = draw(st.integers(1, 4)), draw(st.integers(1, 4)), draw(st.integers(1, 4))
    a = {1: (k,), 2: (n, k)}.get(a_dims)
    b = {1: (k,), 2: (k, m)}.get(b_dims)
    if batch:  # batch dimensions that broadcast: e.g. (2, 1, n, k) @ (3, k, m)
        batch_a, batch_b = draw(
            mutually_broadcastable_shapes(num_shapes=2, min_dims=1, max_dims=2, max_side=3)
        ).input_shapes
        a = (*batch_a, n, k) if a is None else a
        b = (*batch_b, k, m) if b is None else b
    return (a, b)


def cat_shapes(count: int) -> Shapes:
    """``count`` shapes equal except along dimension 1, which each input sizes freely."""
    return st.tuples(
        st.integers(1, 3),
        st.lists(st.integers(1, 3), min_size=count, max_size=count),
        st.integers(1, 3),
    ).map(lambda t: tuple((t[0], size, t[2]) for size in t[1]))


# ----------------------------------------------------------------------------- the op table
# Values: "any" ~ N(0, 1); "positive" in [0.5, 2] (log, sqrt, fractional powers); "nonzero"
# has |x| in [0.5, 2] (away from the kinks of abs/relu and from division by zero); "unit" in
# (-0.9, 0.9); "distinct" has no two values within 0.1 of each other (max, min: no ties).
@dataclass
class Op:
    name: str
    fn: Callable[..., Any]
    shapes: Shapes = any_shape
    domains: tuple[str, ...] = ("any",)
    gradcheck_kwargs: dict[str, float] = field(default_factory=dict)
    # False where the op's second derivative is not checked against torch and gradgradcheck
    # (say why at the entry).
    second_order: bool = True

    def __repr__(self) -> str:
        return self.name


# A float32 result rounds away ~1e-7 of each value: finite differences need a larger step.
THROUGH_FLOAT32 = {"eps": 1e-3, "atol": 1e-3}


def arrays_for(op: Op, shapes: tuple, seed: int) -> list[np.ndarray]:
    """Float64 input arrays of the given shapes, drawn from each input's value domain."""
    rng = np.random.default_rng(seed)
    domains = op.domains if len(op.domains) == len(shapes) else op.domains * len(shapes)
    arrays = []
    for shape, domain in zip(shapes, domains):
        if domain == "any":
            arrays.append(rng.standard_normal(shape))
        elif domain == "positive":
            arrays.append(rng.uniform(0.5, 2.0, shape))
        elif domain == "unit":  # inside (-0.9, 0.9): arcsin, atanh, weights of lerp
            arrays.append(rng.uniform(-0.9, 0.9, shape))
        elif domain == "distinct":  # no two values within 0.1: max, min, sort have no ties
            count = int(np.prod(shape))
            values = (rng.permutation(count) - count / 2) * 0.3 + rng.uniform(-0.1, 0.1, count)
            arrays.append(values.reshape(shape))
        else:
            arrays.append(rng.uniform(0.5, 2.0, shape) * rng.choice([-1.0, 1.0], shape))
    return arrays
