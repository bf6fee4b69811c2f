"""tinygrad_lr.metrics: mse, mae and r2_score against hand computation and the formulas."""

from __future__ import annotations

import numpy as np
import pytest

import tinygrad_lr as tg
from tinygrad_lr.metrics import mae, mse, r2_score

Y_TRUE = [3.0, -0.5, 2.0, 7.0]
Y_PRED = [2.5, 0.0, 2.0, 8.0]


def test_against_hand_computation():
    # errors: 0.5, -0.5, 0, -1  -> squares 0.25, 0.25, 0, 1; absolute 0.5, 0.5, 0, 1
    assert mse(Y_TRUE, Y_PRED) == pytest.approx(1.5 / 4)
    assert mae(Y_TRUE, Y_PRED) == pytest.approx(2.0 / 4)
    # mean 2.875; Σ(y - ȳ)² = 0.015625 + 11.390625 + 0.765625 + 17.015625 = 29.1875
    assert r2_score(Y_TRUE, Y_PRED) == pytest.approx(1 - 1.5 / 29.1875)


def test_against_the_formulas_on_random_data():
    rng = np.random.default_rng(0)
    y = rng.standard_normal(200)
    y_hat = y + 0.3 * rng.standard_normal(200)
    assert mse(y, y_hat) == pytest.approx(np.mean((y - y_hat) ** 2), rel=1e-12)
    assert mae(y, y_hat) == pytest.approx(np.mean(np.abs(y - y_hat)), rel=1e-12)
    expected_r2 = 1 - np.sum((y - y_hat) ** 2) / np.sum((y - y.mean()) ** 2)
    assert r2_score(y, y_hat) == pytest.approx(expected_r2, rel=1e-12)


def test_perfect_fit_mean_prediction_and_worse():
    y = np.array([1.0, 2.0, 4.0, 8.0])
    assert r2_score(y, y) == 1.0
    assert mse(y, y) == 0.0 and mae(y, y) == 0.0
    assert r2_score(y, np.full(4, y.mean())) == pytest.approx(0.0)
    assert r2_score(y, -y) < 0


def test_constant_target_as_scikit_learn():
    assert r2_score([2.0, 2.0, 2.0], [2.0, 2.0, 2.0]) == 1.0
    assert r2_score([2.0, 2.0, 2.0], [2.0, 2.5, 2.0]) == 0.0


def test_accepts_tensors_with_grad_arrays_and_lists_and_returns_floats():
    y_true = tg.tensor(Y_TRUE).reshape(-1, 1)
    y_pred = tg.tensor(Y_PRED, requires_grad=True) * 1.0
    for metric in (mse, mae, r2_score):
        value = metric(y_true, y_pred)
        assert type(value) is float
        assert value == pytest.approx(metric(np.array(Y_TRUE), Y_PRED), rel=1e-6)


def test_a_column_and_a_vector_are_compared_elementwise_not_broadcast():
    column = np.array(Y_TRUE).reshape(-1, 1)
    assert mse(column, np.array(Y_PRED)) == pytest.approx(0.375)


def test_several_outputs_average_their_scores():
    y = np.array([[0.5, 1.0], [-1.0, 1.0], [7.0, -6.0]])
    y_hat = np.array([[0.0, 2.0], [-1.0, 2.0], [8.0, -5.0]])
    per_column = [
        1 - np.sum((y[:, j] - y_hat[:, j]) ** 2) / np.sum((y[:, j] - y[:, j].mean()) ** 2)
        for j in range(2)
    ]
    assert r2_score(y, y_hat) == pytest.approx(np.mean(per_column))
    assert mse(y, y_hat) == pytest.approx(np.mean((y - y_hat) ** 2))


def test_bad_inputs_are_refused_with_the_shapes():
    with pytest.raises(ValueError, match=r"\(4, 1\) and \(3, 1\)"):
        mse(Y_TRUE, Y_PRED[:3])
    with pytest.raises(ValueError, match="empty"):
        mae([], [])
    with pytest.raises(ValueError, match="y_pred contains NaN"):
        mse(Y_TRUE, [1.0, np.nan, 2.0, 3.0])
    with pytest.raises(ValueError, match="1-D .* or 2-D"):
        mse(np.zeros((2, 2, 2)), np.zeros((2, 2, 2)))
    with pytest.raises(ValueError, match="two samples"):
        r2_score([1.0], [1.0])
