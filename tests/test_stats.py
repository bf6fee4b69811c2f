"""tinygrad_lr.stats.summary against statsmodels' OLS, exact rational arithmetic and NIST's values.

The Advertising table (ISLR) is compared with ``statsmodels.api.OLS(y, add_constant(X)).fit()``;
a table of calendar years beside a nearly collinear column with the exact least-squares solution
computed in fractions; NIST's Norris data with its certified values. statsmodels is skipped when
missing, except in CI (see conftest.py).
"""

from __future__ import annotations

import math
import sys
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest

import tinygrad_lr as tg
from tinygrad_lr import nn
from tinygrad_lr.datasets import load_csv
from tinygrad_lr.stats import SCIPY_HINT, RegressionSummary, summary

DATA = Path(__file__).parents[2] / "shared/data"
ADVERTISING = DATA / "Advertising.csv"
NORRIS = DATA / "norris.csv"
needs_advertising = pytest.mark.skipif(
    not ADVERTISING.exists(), reason=f"{ADVERTISING} is not on this machine"
)


def advertising():
    X, y, names = load_csv(ADVERTISING, "sales", dtype=tg.float64)
    return X, y, names


def fitted_elsewhere(d: int, seed: int = 0) -> nn.Linear:
    """An nn.Linear(d, 1) at torch's random initialisation: far from the least-squares fit."""
    tg.manual_seed(seed)
    return nn.Linear(d, 1)


def rows(table: str) -> dict[str, list[str]]:
    """The coefficient rows of a printed summary: name -> its cells."""
    lines = table.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("-" * 20)) + 1
    end = next(i for i in range(start, len(lines)) if lines[i].startswith("=" * 20))
    return {line.split()[0]: line.split()[1:] for line in lines[start:end]}


def header(table: str) -> str:
    """The column names' line, above the rule before the coefficient rows."""
    lines = table.splitlines()
    return lines[next(i for i, line in enumerate(lines) if line.startswith("-" * 20)) - 1]


# ---------------------------------------------------------------------------------- Advertising
@needs_advertising
def test_advertising_equals_statsmodels(statsmodels):
    X, y, names = advertising()
    result = summary(fitted_elsewhere(3), X, y, names=names)
    ols = statsmodels.OLS(y.numpy()[:, 0], statsmodels.add_constant(X.numpy())).fit()

    assert result.names == ["Intercept", "TV", "radio", "newspaper"]
    np.testing.assert_allclose(result.coef, ols.params, rtol=1e-8)
    np.testing.assert_allclose(result.std_err, ols.bse, rtol=1e-8)
    np.testing.assert_allclose(result.t, ols.tvalues, rtol=1e-8)
    np.testing.assert_allclose(result.p, ols.pvalues, rtol=1e-6)
    np.testing.assert_allclose(result.conf_int, ols.conf_int(), rtol=1e-8)
    np.testing.assert_allclose(result.cov, ols.cov_params(), rtol=1e-8)
    assert result.r2 == pytest.approx(ols.rsquared, rel=1e-10)
    assert result.adj_r2 == pytest.approx(ols.rsquared_adj, rel=1e-10)
    assert result.rse == pytest.approx(math.sqrt(ols.scale), rel=1e-10)
    assert result.rss == pytest.approx(ols.ssr, rel=1e-10)
    assert result.f == pytest.approx(ols.fvalue, rel=1e-8)
    assert result.f_pvalue == pytest.approx(ols.f_pvalue, rel=1e-6)
    assert (result.n, result.df_model, result.df_resid) == (200, 3, 196)
    assert result.df_resid == ols.df_resid and result.df_model == ols.df_model

    # The table shows statsmodels' numbers to the digits it prints.
    table = str(result)
    cells = rows(table)
    for i, name in enumerate(result.names):
        coef, std_err, t, p, low, high = cells[name]
        assert coef == f"{ols.params[i]:.4f}" and std_err == f"{ols.bse[i]:.4f}"
        assert t == f"{ols.tvalues[i]:.2f}" and p == f"{ols.pvalues[i]:.3f}"
        assert [low, high] == [f"{v:.4f}" for v in ols.conf_int()[i]]
    assert f"{ols.rsquared:.3f}" in table and f"{ols.rsquared_adj:.3f}" in table
    assert f"{ols.fvalue:.1f}" in table and f"{ols.f_pvalue:.3g}" in table


@needs_advertising
def test_advertising_table_shows_the_issue_s_numbers():
    pytest.importorskip("scipy.stats")  # the P>|t| column
    X, y, names = advertising()
    table = str(summary(fitted_elsewhere(3), X, y, names=names))
    cells = rows(table)
    assert list(cells) == ["Intercept", "TV", "radio", "newspaper"]  # the intercept first
    assert cells["TV"][:3] == ["0.0458", "0.0014", "32.81"]
    assert cells["radio"][0] == "0.1885"
    assert cells["newspaper"][0] == "-0.0010" and cells["newspaper"][3] == "0.860"
    assert header(table).split() == ["coef", "std", "err", "t", "P>|t|", "[0.025", "0.975]"]
    assert "R-squared:                      0.897" in table
    assert "F-statistic:                    570.3   on 3 and 196 DF" in table
    assert "Residual std. error:            1.686   on 196 degrees of freedom" in table
    assert "refined by 1 Newton step to the least-squares optimum" in table


# ---------------------------------------------------------------------------------- without scipy
def small_table(n: int = 40, seed: int = 1) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, 2)) * [10.0, 0.1] + [100.0, 0.0]
    y = X @ [0.5, -3.0] + 7.0 + rng.normal(0, 1.0, n)
    return X, y


def test_without_scipy_the_table_leaves_out_p_and_says_how_to_install_it(monkeypatch):
    pytest.importorskip("scipy.stats")  # compared with the table scipy completes
    monkeypatch.setitem(sys.modules, "scipy", None)  # `from scipy import stats` now fails
    monkeypatch.setitem(sys.modules, "scipy.stats", None)
    X, y = small_table()
    result = summary(fitted_elsewhere(2), X, y, names=["a", "b"])
    assert result.p is None and result.conf_int is None and result.f_pvalue is None
    table = str(result)
    assert header(table).split() == ["coef", "std", "err", "t"]
    assert "[0.025" not in table and "Prob (F-statistic)" not in table
    assert table.splitlines()[-1] == f"P>|t| and the 95% intervals need scipy: {SCIPY_HINT}"
    assert SCIPY_HINT == 'pip install "tinygrad_lr[stats]"'
    assert [len(cells) for cells in rows(table).values()] == [3, 3, 3]  # coef, std err, t
    # Everything else is there, and the same as with scipy.
    monkeypatch.undo()
    full = summary(fitted_elsewhere(2), X, y, names=["a", "b"])
    assert full.p is not None and full.conf_int.shape == (3, 2)
    np.testing.assert_array_equal(result.coef, full.coef)
    np.testing.assert_array_equal(result.std_err, full.std_err)
    assert (result.r2, result.f, result.rse) == (full.r2, full.f, full.rse)
    assert SCIPY_HINT not in str(full)


# ---------------------------------------------------------------------------------- exact answer
def exact_least_squares(X: np.ndarray, y: np.ndarray) -> tuple[list[float], list[float]]:
    """Coefficients (intercept first) and standard errors of the float data, in exact fractions.

    Every float is a fraction, so Z = [1 X] and y are exact; the normal equations ZᵀZβ = Zᵀy are
    solved, and (ZᵀZ)⁻¹ found, by Gauss-Jordan elimination with no rounding; RSS and σ̂² are
    exact; only the final square roots and conversions to float round (once, correctly)."""
    n, d = X.shape
    p = d + 1
    Z = [[Fraction(1)] + [Fraction(float(v)) for v in row] for row in X]
    Y = [Fraction(float(v)) for v in y]
    gram = [[sum(Z[k][i] * Z[k][j] for k in range(n)) for j in range(p)] for i in range(p)]
    right = [sum(Z[k][i] * Y[k] for k in range(n)) for i in range(p)]
    rows_ = [gram[i] + [Fraction(int(i == j)) for j in range(p)] + [right[i]] for i in range(p)]
    for col in range(p):
        pivot = next(r for r in range(col, p) if rows_[r][col] != 0)
        rows_[col], rows_[pivot] = rows_[pivot], rows_[col]
        rows_[col] = [v / rows_[col][col] for v in rows_[col]]
        for r in range(p):
            if r != col and rows_[r][col] != 0:
                factor = rows_[r][col]
                rows_[r] = [a - factor * b for a, b in zip(rows_[r], rows_[col])]
    inverse = [row[p : 2 * p] for row in rows_]
    beta = [row[2 * p] for row in rows_]
    rss = sum((Y[k] - sum(Z[k][j] * beta[j] for j in range(p))) ** 2 for k in range(n))
    sigma2 = rss / (n - p)
    return [float(b) for b in beta], [math.sqrt(sigma2 * inverse[j][j]) for j in range(p)]


def years_table() -> tuple[np.ndarray, np.ndarray]:
    """Years 1990..2019, a second column within ±0.3 of the year (correlation 0.99995), noise."""
    rng = np.random.default_rng(2024)
    years = np.arange(1990.0, 2020.0)
    second = np.round(years + rng.normal(0, 0.1, len(years)), 3)
    y = 12.5 + 0.8 * (years - 1990) - 0.3 * (second - 1990) + rng.normal(0, 0.5, len(years))
    return np.column_stack([years, second]), np.round(y, 2)


def test_an_ill_conditioned_table_matches_the_exact_solution_to_9_digits():
    X, y = years_table()
    assert np.corrcoef(X.T)[0, 1] > 0.9999
    beta, std_err = exact_least_squares(X, y)
    result = summary(fitted_elsewhere(2), tg.from_numpy(X), tg.from_numpy(y))
    np.testing.assert_allclose(result.coef, beta, rtol=1e-9)
    np.testing.assert_allclose(result.std_err, std_err, rtol=1e-9)

    # The test can tell: the same formulas in raw units miss the 9 digits (2ZᵀZ has a condition
    # number near 5e11 there, and the collinear pair's coefficients lose 6 digits).
    Z = np.column_stack([np.ones(len(y)), X])
    raw = np.linalg.solve(Z.T @ Z, Z.T @ y)
    assert np.linalg.cond(2 * Z.T @ Z) > 1e11
    assert np.max(np.abs(raw / beta - 1)) > 1e-8


@pytest.mark.skipif(not NORRIS.exists(), reason=f"{NORRIS} is not on this machine")
def test_nist_norris_certified_values():
    """NIST StRD's certified values for the Norris data (see SOURCES.md beside the file)."""
    X, y, _ = load_csv(NORRIS, "y", dtype=tg.float64)
    result = summary(fitted_elsewhere(1), X, y)
    np.testing.assert_allclose(result.coef, [-0.262323073774029, 1.00211681802045], rtol=1e-10)
    np.testing.assert_allclose(
        result.std_err, [0.232818234301152, 0.429796848199937e-03], rtol=1e-10
    )
    assert result.rse == pytest.approx(0.884796396144373, rel=1e-10)
    assert result.r2 == pytest.approx(0.999993745883712, rel=1e-12)


# ---------------------------------------------------------------------------------- refinement
def test_the_model_is_not_changed():
    X, y = small_table()
    model = fitted_elsewhere(2)
    before = {name: p.detach().numpy().copy() for name, p in model.named_parameters()}
    result = summary(model, X, y, refine=True)
    assert result.refined and result.newton_steps == 1
    for name, p in model.named_parameters():
        np.testing.assert_array_equal(p.detach().numpy(), before[name])
        assert p.grad is None and p.requires_grad and p.dtype is tg.float32
    np.testing.assert_array_equal(
        result.model_coef, np.concatenate([before["bias"], before["weight"][0]])
    )
    assert not np.allclose(result.coef, result.model_coef)


def test_one_newton_step_from_anywhere_reaches_least_squares():
    X, y = small_table()
    Z = np.column_stack([np.ones(len(y)), X])
    lstsq = np.linalg.lstsq(Z, y, rcond=None)[0]
    for seed in range(3):
        result = summary(fitted_elsewhere(2, seed), X, y)
        assert result.newton_steps == 1
        np.testing.assert_allclose(result.coef, lstsq, rtol=1e-12)
    # Started at the optimum, no step is needed.
    model = nn.Linear(2, 1, dtype=tg.float64)
    with tg.no_grad():
        model.weight.copy_(tg.from_numpy(lstsq[1:].reshape(1, 2)))
        model.bias.copy_(tg.from_numpy(lstsq[:1]))
    result = summary(model, X, y)
    assert result.newton_steps == 0 and "already at the least-squares optimum" in str(result)


def test_refine_false_reports_the_model_s_own_parameters():
    X, y = small_table()
    model = fitted_elsewhere(2)
    result = summary(model, X, y, refine=False)
    assert not result.refined and result.newton_steps == 0
    np.testing.assert_array_equal(result.coef, result.model_coef)
    refined = summary(model, X, y)
    assert result.rss > refined.rss  # not at the optimum
    assert "refine=False" in str(result)


def test_float32_inputs_and_column_targets():
    X, y = small_table()
    X32, y32 = tg.tensor(X, dtype=tg.float32), tg.tensor(y, dtype=tg.float32).reshape(-1, 1)
    as_float32 = summary(fitted_elsewhere(2), X32, y32)
    exact = summary(fitted_elsewhere(2), X.astype(np.float32), y.astype(np.float32))
    np.testing.assert_allclose(as_float32.coef, exact.coef, rtol=1e-12)
    assert isinstance(as_float32, RegressionSummary) and as_float32.coef.dtype == np.float64
    assert as_float32.names == ["Intercept", "x1", "x2"]


# ---------------------------------------------------------------------------------- errors
def test_errors_are_clear():
    X, y = small_table()
    with pytest.raises(
        TypeError, match="must be a fitted nn.Linear with one output, got Sequential"
    ):
        summary(nn.Sequential(nn.Linear(2, 1)), X, y)
    with pytest.raises(ValueError, match="the model has 2 outputs"):
        summary(nn.Linear(2, 2), X, y)
    with pytest.raises(ValueError, match="no bias"):
        summary(nn.Linear(2, 1, bias=False), X, y)
    with pytest.raises(ValueError, match=r"X must have shape \(n, 2\) for nn.Linear\(2, 1\)"):
        summary(nn.Linear(2, 1), X[:, :1], y)
    with pytest.raises(ValueError, match=r"y must have shape \(40,\) or \(40, 1\)"):
        summary(nn.Linear(2, 1), X, y[:-1])
    with pytest.raises(ValueError, match="3 rows for 3 parameters"):
        summary(nn.Linear(2, 1), X[:3], y[:3])
    with pytest.raises(ValueError, match="1 names for 2 features"):
        summary(nn.Linear(2, 1), X, y, names=["a"])
    with pytest.raises(TypeError, match="names must be a sequence of str"):
        summary(nn.Linear(2, 1), X, y, names="ab")
    with pytest.raises(ValueError, match="X contains NaN or infinity"):
        summary(nn.Linear(2, 1), np.where(X > 105, np.nan, X), y)
    constant = X.copy()
    constant[:, 1] = 4.0
    with pytest.raises(
        ValueError, match=r"constant columns are collinear with the intercept: \['b'\]"
    ):
        summary(nn.Linear(2, 1), constant, y, names=["a", "b"])
    collinear = np.column_stack([X[:, 0], 2 * X[:, 0] - 1])
    with pytest.raises(ValueError, match="collinear"):
        summary(nn.Linear(2, 1), collinear, y)
