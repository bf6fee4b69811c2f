"""nn.utils against torch: clip_grad_norm_, clip_grad_value_, parameters_to_vector."""

import math

import numpy as np
import pytest

import tinygrad_lr as tg
from tinygrad_lr.nn.utils import clip_grad_norm_, clip_grad_value_

torch = pytest.importorskip("torch")  # every test here compares with torch


def _pair(seed):
    rng = np.random.default_rng(seed)
    grads = [
        rng.standard_normal((3, 4)).astype(np.float32),
        rng.standard_normal(5).astype(np.float32),
    ]
    ours, theirs = [], []
    for g in grads:
        p = tg.zeros(*g.shape, requires_grad=True)
        p.grad = tg.tensor(g)
        q = torch.zeros(*g.shape, requires_grad=True)
        q.grad = torch.tensor(g)
        ours.append(p)
        theirs.append(q)
    return ours, theirs


@pytest.mark.parametrize("norm_type", [2.0, 1.0, math.inf])
@pytest.mark.parametrize("max_norm", [0.5, 100.0])
def test_clip_grad_norm_matches_torch(norm_type, max_norm):
    ours, theirs = _pair(0)
    total = tg.nn.utils.clip_grad_norm_(ours, max_norm, norm_type=norm_type)
    expected = torch.nn.utils.clip_grad_norm_(theirs, max_norm, norm_type=norm_type)
    assert isinstance(total, tg.Tensor)
    np.testing.assert_allclose(total.numpy(), expected.numpy(), rtol=1e-5)
    for p, q in zip(ours, theirs):
        np.testing.assert_allclose(p.grad.numpy(), q.grad.numpy(), rtol=1e-5, atol=1e-7)


def test_clip_grad_norm_nonfinite_raises():
    p = tg.zeros(2, requires_grad=True)
    p.grad = tg.tensor([math.inf, 1.0])
    with pytest.raises(RuntimeError):
        clip_grad_norm_([p], 1.0, error_if_nonfinite=True)


def test_clip_grad_value_matches_torch():
    ours, theirs = _pair(1)
    clip_grad_value_(ours, 0.3)
    torch.nn.utils.clip_grad_value_(theirs, 0.3)
    for p, q in zip(ours, theirs):
        np.testing.assert_array_equal(p.grad.numpy(), q.grad.numpy())


def test_vector_round_trip_matches_torch():
    a, b = tg.tensor([[1.0, 2.0], [3.0, 4.0]]), tg.tensor([5.0])
    vec = tg.nn.utils.parameters_to_vector([a, b])
    expected = torch.nn.utils.parameters_to_vector(
        [torch.tensor([[1.0, 2.0], [3.0, 4.0]]), torch.tensor([5.0])]
    )
    np.testing.assert_array_equal(vec.numpy(), expected.numpy())
    tg.nn.utils.vector_to_parameters(vec * 2, [a, b])
    np.testing.assert_array_equal(a.numpy(), [[2.0, 4.0], [6.0, 8.0]])
    np.testing.assert_array_equal(b.numpy(), [10.0])
