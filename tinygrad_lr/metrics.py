"""Regression metrics with scikit-learn's argument order: ``metric(y_true, y_pred)``.

- mean squared error      mse = mean((y - ŷ)²)
- mean absolute error     mae = mean(|y - ŷ|)
- coefficient of determination  R² = 1 - Σ(y - ŷ)² / Σ(y - ȳ)²

They take tensors (with or without grad), NumPy arrays or lists, compute in float64 and return
a Python float: they report a fit, they are not losses to backpropagate through (use
``tinygrad_lr.nn.functional.mse_loss`` for that). Not part of torch, so they live in this
submodule: ``from tinygrad_lr import metrics`` or ``from tinygrad_lr.metrics import r2_score``.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .tensor import Tensor


def _as_columns(values: Any, name: str) -> np.ndarray:
    """``values`` as a float64 array of shape (samples, outputs)."""
    if isinstance(values, Tensor):
        values = values.detach().numpy()
    try:
        array = np.asarray(values, dtype=np.float64)
    except (TypeError, ValueError):
        raise ValueError(
            f"{name} must hold numbers (a tensor, an array or a list of numbers), got "
            f"{values!r:.60}"
        ) from None
    if array.ndim == 1:
        array = array.reshape(-1, 1)
    if array.ndim != 2:
        raise ValueError(
            f"{name} must be 1-D (samples,) or 2-D (samples, outputs), got shape {array.shape}"
        )
    if array.shape[0] == 0:
        raise ValueError(f"{name} is empty: at least one sample is needed")
    if not np.all(np.isfinite(array)):
        raise ValueError(f"{name} contains NaN or infinity")
    return array


def _check_pair(y_true: Any, y_pred: Any) -> tuple[np.ndarray, np.ndarray]:
    """Both as (samples, outputs) arrays of one shape.

    A (n,) vector and a (n, 1) column are the same thing here: comparing them elementwise
    would otherwise broadcast to an (n, n) matrix and give a wrong number without an error.
    """
    true, pred = _as_columns(y_true, "y_true"), _as_columns(y_pred, "y_pred")
    if true.shape != pred.shape:
        raise ValueError(
            f"y_true and y_pred have different shapes {true.shape} and {pred.shape} (as "
            "(samples, outputs)); they need one prediction per target"
        )
    return true, pred


def mse(y_true: Any, y_pred: Any) -> float:
    """Mean squared error, mean((y_true - y_pred)²).

    Examples
    --------
    >>> from tinygrad_lr.metrics import mse
    >>> mse([3.0, -0.5, 2.0, 7.0], [2.5, 0.0, 2.0, 8.0])
    0.375
    """
    true, pred = _check_pair(y_true, y_pred)
    return float(np.mean((true - pred) ** 2))


def mae(y_true: Any, y_pred: Any) -> float:
    """Mean absolute error, mean(|y_true - y_pred|).

    Examples
    --------
    >>> from tinygrad_lr.metrics import mae
    >>> mae([3.0, -0.5, 2.0, 7.0], [2.5, 0.0, 2.0, 8.0])
    0.5
    """
    true, pred = _check_pair(y_true, y_pred)
    return float(np.mean(np.abs(true - pred)))


def r2_score(y_true: Any, y_pred: Any) -> float:
    """Coefficient of determination, R² = 1 - Σ(y - ŷ)² / Σ(y - ȳ)².

    1 is a perfect fit, 0 is no better than predicting the mean, and it is negative for worse.
    For several outputs (columns), the average of their R². When y_true is constant (Σ(y - ȳ)²
    is 0), R² is 1 for a perfect prediction and 0 otherwise, as in scikit-learn.

    Examples
    --------
    >>> from tinygrad_lr.metrics import r2_score
    >>> r2_score([3.0, -0.5, 2.0, 7.0], [2.5, 0.0, 2.0, 8.0])
    0.9486081370449679
    """
    true, pred = _check_pair(y_true, y_pred)
    if true.shape[0] < 2:
        raise ValueError("r2_score needs at least two samples (R² is not defined for one)")
    residual = np.sum((true - pred) ** 2, axis=0)
    total = np.sum((true - true.mean(axis=0)) ** 2, axis=0)
    per_output = np.where(
        total > 0, 1 - residual / np.where(total > 0, total, 1), np.where(residual == 0, 1.0, 0.0)
    )
    return float(per_output.mean())
