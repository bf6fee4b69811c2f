"""Statistical inference for a fitted linear regression: statsmodels' OLS summary for ``nn.Linear``.

``summary(model, X, y)`` takes a trained ``nn.Linear`` with one output and returns the
coefficients (intercept first, as statsmodels orders a constant column), their standard errors,
t statistics, p-values and 95% intervals, R², adjusted R², the residual standard error and the
F statistic; printing the result shows them in the layout of statsmodels'
``OLS(y, add_constant(X)).fit().summary()``.

The curvature comes from autograd: the standard errors are √diag(σ̂² (ZᵀZ)⁻¹), with Z = [1 X]
and σ̂² = RSS / (n − p), and ZᵀZ is read off the Hessian of the residual sum of squares,
H = ∂²RSS/∂β² = 2ZᵀZ, computed by ``tinygrad_lr.autograd.functional.hessian``. So
cov(β̂) = σ̂² (ZᵀZ)⁻¹ = 2σ̂² H⁻¹. With ``refine=True`` (the default) the parameters are first
moved to the least-squares optimum by Newton steps β ← β − H⁻¹∇RSS (one lands there from
anywhere, because RSS is quadratic); SGD stops near the optimum, not on it.

All of it is computed in float64 on centred and scaled columns, where the Hessian is well
conditioned, and mapped back to the table's units exactly: a column of calendar years beside the
constant makes the raw ZᵀZ nearly singular in floating point, while its scaled version is not.

p-values, intervals and the F test's p-value need scipy (``pip install "tinygrad_lr[stats]"``);
without it they are None and the table leaves their columns out. Not part of torch, so this is a
submodule: ``from tinygrad_lr.stats import summary``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from . import dtypes
from .autograd import grad
from .autograd.functional import hessian
from .creation import from_numpy, tensor
from .functions import matmul
from .nn import Linear
from .tensor import Tensor

__all__ = ["RegressionSummary", "summary"]

SCIPY_HINT = 'pip install "tinygrad_lr[stats]"'
_MAX_NEWTON_STEPS = 5
# A Newton step smaller than this (relative to the scaled parameters, which are of order 1) is
# rounding: the parameters are at the optimum, and the steps stop.
_STEP_TOLERANCE = 1e-10
# Newton steps that move no parameter by this many standard errors are not counted as steps.
_VISIBLE_STEP = 1e-6
# Beyond this condition number of the scaled Hessian, float64 cannot separate the columns.
_MAX_CONDITION = 1e13


@dataclass(frozen=True, repr=False, eq=False)
class RegressionSummary:
    """The result of :func:`summary`: a least-squares fit's coefficients and their uncertainty.

    Arrays are ordered as ``names``: the intercept first, then one entry per feature.
    ``str()`` of it is the table in statsmodels' summary layout.

    Attributes
    ----------
    names : list of str
        ``"Intercept"``, then the feature names.
    coef, std_err, t : ndarray
        Shape (p,): coefficients, standard errors √diag(cov), and t = coef / std_err.
    p : ndarray or None
        Two-sided p-values of t under Student's t with ``df_resid`` degrees of freedom
        (None without scipy).
    conf_int : ndarray or None
        Shape (p, 2): the 95% intervals coef ± t₀.₉₇₅ · std_err (None without scipy).
    cov : ndarray
        Shape (p, p): σ̂² (ZᵀZ)⁻¹, the estimated covariance of the coefficients.
    r2, adj_r2 : float
        R² = 1 − RSS/TSS and 1 − (1 − R²)(n − 1)/(n − p).
    rse : float
        Residual standard error σ̂ = √(RSS / (n − p)).
    f : float
        F statistic of "every slope is 0": ((TSS − RSS)/(p − 1)) / (RSS/(n − p)).
    f_pvalue : float or None
        Its p-value under F(p − 1, n − p) (None without scipy).
    rss : float
        Residual sum of squares at ``coef``.
    n, df_model, df_resid : int
        Observations, slopes (p − 1) and residual degrees of freedom (n − p).
    refined : bool
        Whether the parameters were moved to the optimum by Newton steps (``refine=True``).
    newton_steps : int
        How many Newton steps moved them (0: the model was already at the optimum).
    model_coef : ndarray
        The model's own parameters, intercept first, before any refinement.

    Examples
    --------
    >>> import tinygrad_lr as tg
    >>> from tinygrad_lr import nn
    >>> from tinygrad_lr.stats import summary
    >>> X = tg.tensor([[1.0], [2.0], [3.0], [4.0], [5.0]], dtype=tg.float64)
    >>> y = tg.tensor([2.1, 3.9, 6.2, 7.8, 10.1], dtype=tg.float64)
    >>> result = summary(nn.Linear(1, 1), X, y, names=["x"])
    >>> result.names, result.coef.round(4).tolist(), result.df_resid
    (['Intercept', 'x'], [0.05, 1.99], 3)
    """

    names: list[str]
    coef: np.ndarray
    std_err: np.ndarray
    t: np.ndarray
    p: np.ndarray | None
    conf_int: np.ndarray | None
    cov: np.ndarray
    r2: float
    adj_r2: float
    rse: float
    f: float
    f_pvalue: float | None
    rss: float
    n: int
    df_model: int
    df_resid: int
    refined: bool
    newton_steps: int
    model_coef: np.ndarray

    def __repr__(self) -> str:
        coef = ", ".join(f"{name}={value:.4g}" for name, value in zip(self.names, self.coef))
        return f"RegressionSummary(n={self.n}, {coef}, r2={self.r2:.4f})"

    def __str__(self) -> str:
        return self.table()

    def table(self) -> str:
        """The summary as text, in the layout of statsmodels' ``OLS(...).fit().summary()``.

        Examples
        --------
        >>> import tinygrad_lr as tg
        >>> from tinygrad_lr import nn
        >>> from tinygrad_lr.stats import summary
        >>> X = tg.tensor([[1.0], [2.0], [3.0], [4.0], [5.0]], dtype=tg.float64)
        >>> y = tg.tensor([2.1, 3.9, 6.2, 7.8, 10.1], dtype=tg.float64)
        >>> print(summary(nn.Linear(1, 1), X, y).table().splitlines()[0].strip())
        OLS Regression Results
        """
        with_p = self.p is not None and self.conf_int is not None
        # statsmodels' widths: a name column, then 11 characters a number (12 for the interval).
        name_width = max(10, *(len(name) + 1 for name in self.names))
        columns = [("coef", 11), ("std err", 11), ("t", 11)]
        if with_p:
            columns += [("P>|t|", 11), ("[0.025", 12), ("0.975]", 12)]
        width = max(78, name_width + sum(w for _, w in columns))
        rule, thin = "=" * width, "-" * width
        left_width = width // 2 - 2  # "key:   value" pairs, two to a line, as statsmodels'

        def field(key: str, value: str, size: int = left_width) -> str:
            return f"{key}{value:>{size - len(key)}}"

        def pair(left: str, left_value: str, right: str, right_value: str) -> str:
            return (
                f"{field(left, left_value)}   {field(right, right_value, width - left_width - 3)}"
            )

        if not self.refined:
            origin = ["the model's own (refine=False); the standard errors assume they are the fit"]
        elif self.newton_steps == 0:
            origin = ["the model's, already at the least-squares optimum"]
        else:
            moved = float(np.max(np.abs(self.coef - self.model_coef) / self.std_err))
            steps = "1 Newton step" if self.newton_steps == 1 else f"{self.newton_steps} steps"
            origin = [
                f"the model's, refined by {steps} to the least-squares optimum",
                f"(the coefficients moved by up to {_count(moved)} of their standard errors)",
            ]
        lines = [
            "OLS Regression Results".center(width).rstrip(),
            rule,
            pair("No. Observations:", str(self.n), "Df Residuals:", str(self.df_resid)),
            pair("Df Model:", str(self.df_model), "Covariance Type:", "nonrobust"),
            f"Parameters: {origin[0]}",
            *(" " * len("Parameters: ") + line for line in origin[1:]),
            rule,
            " " * name_width + "".join(f"{c:>{w}}" for c, w in columns),
            thin,
        ]
        for i, name in enumerate(self.names):
            cells = [_number(self.coef[i]), _number(self.std_err[i]), _fixed(self.t[i], 2)]
            if with_p:
                low, high = self.conf_int[i]
                cells += [_fixed(self.p[i], 3), _number(low), _number(high)]
            lines.append(
                f"{name:<{name_width}}" + "".join(f"{c:>{w}}" for c, (_, w) in zip(cells, columns))
            )
        lines.append(rule)
        f_test = f"on {self.df_model} and {self.df_resid} DF"
        if self.f_pvalue is not None:
            f_test += f", Prob (F-statistic): {self.f_pvalue:.3g}"
        lines += [
            pair("R-squared:", f"{self.r2:.3f}", "Adj. R-squared:", f"{self.adj_r2:.3f}"),
            f"{field('Residual std. error:', f'{self.rse:#.4g}')}   on {self.df_resid} "
            "degrees of freedom",
            f"{field('F-statistic:', f'{self.f:#.4g}')}   {f_test}",
        ]
        if not with_p:
            lines.append(f"P>|t| and the 95% intervals need scipy: {SCIPY_HINT}")
        return "\n".join(lines)


def summary(
    model: Linear,
    X: Any,
    y: Any,
    names: Sequence[str] | None = None,
    refine: bool = True,
) -> RegressionSummary:
    """The OLS summary of a fitted ``nn.Linear(d, 1)``: coefficients, standard errors, tests.

    Parameters
    ----------
    model : nn.Linear
        With one output and a bias (the intercept). It is not changed.
    X : Tensor, ndarray or nested lists
        Shape (n, d): the features the model was fitted to, d = ``model.in_features``.
    y : Tensor, ndarray or nested lists
        Shape (n,) or (n, 1): the targets.
    names : sequence of str, optional
        One per feature, for the table; ``x1, x2, ...`` by default. The intercept is
        ``"Intercept"``.
    refine : bool
        Move the parameters to the least-squares optimum by Newton steps first (default True),
        as the standard errors assume; with False the model's parameters are used as they are.

    Returns
    -------
    RegressionSummary
        Arrays ordered intercept first; ``print()`` it for the table.

    Raises
    ------
    TypeError
        If ``model`` is not an ``nn.Linear``.
    ValueError
        If the model has several outputs or no bias, if the shapes disagree, if there are no
        more rows than parameters, if a value is not finite, or if the columns are collinear.

    Notes
    -----
    With Z = [1 X] (n × p, p = d + 1) and β = [b, w]: RSS(β) = ‖y − Zβ‖², its gradient is
    −2Zᵀ(y − Zβ) and its Hessian is H = 2ZᵀZ, for every β. The Newton step
    β − H⁻¹∇RSS(β) solves the normal equations ZᵀZβ = Zᵀy, so one step reaches the optimum
    (a second one only removes rounding). With σ̂² = RSS/(n − p), cov(β̂) = σ̂²(ZᵀZ)⁻¹ = 2σ̂²H⁻¹.

    Everything is computed on xⱼ' = (xⱼ − x̄ⱼ)/sⱼ and y' = (y − ȳ)/s_y in float64. Then
    β = c + Tθ for the scaled parameters θ, with c = (ȳ, 0, ..., 0) and
    T = s_y [[1, −x̄₁/s₁, ..., −x̄_d/s_d], [0, 1/s₁, 0, ...], ..., [0, ..., 1/s_d]], and
    cov(β̂) = T cov(θ̂) Tᵀ.

    Examples
    --------
    >>> import tinygrad_lr as tg
    >>> from tinygrad_lr import nn
    >>> from tinygrad_lr.stats import summary
    >>> X = tg.tensor([[1.0], [2.0], [3.0], [4.0], [5.0]], dtype=tg.float64)
    >>> y = tg.tensor([2.1, 3.9, 6.2, 7.8, 10.1], dtype=tg.float64)
    >>> result = summary(nn.Linear(1, 1), X, y)
    >>> result.coef.round(4).tolist(), result.std_err.round(4).tolist(), round(result.r2, 4)
    ([0.05, 1.99], [0.1981, 0.0597], 0.9973)
    """
    features, target, names = _check(model, X, y, names)
    n, d = features.shape
    p = d + 1

    # Centre and scale: the scaled columns are orthogonal to the constant and of unit length²/n,
    # so H = 2ZᵀZ there is 2n times [[1, 0], [0, correlation matrix]].
    mean, scale = features.mean(axis=0), features.std(axis=0)
    y_mean, y_scale = float(target.mean()), float(target.std())
    y_scale = y_scale if y_scale > 0 else 1.0
    Z = np.hstack([np.ones((n, 1)), (features - mean) / scale])
    y_scaled = (target - y_mean) / y_scale
    T = np.zeros((p, p))  # β = c + T θ
    T[0, 0] = 1.0
    T[0, 1:] = -mean / scale
    T[np.arange(1, p), np.arange(1, p)] = 1 / scale
    T *= y_scale
    c = np.zeros(p)
    c[0] = y_mean

    weight = model.weight.detach().numpy().astype(np.float64).reshape(-1)
    model_coef = np.concatenate([model.bias.detach().numpy().astype(np.float64), weight])
    theta = np.empty(p)  # θ = T⁻¹(β − c), written out
    theta[1:] = model_coef[1:] * scale / y_scale
    theta[0] = (model_coef[0] - y_mean + model_coef[1:] @ mean) / y_scale

    Z_t, y_t = from_numpy(Z), from_numpy(y_scaled)

    def rss(params: Tensor) -> Tensor:
        return ((matmul(Z_t, params) - y_t) ** 2).sum()

    H = hessian(rss, tensor(theta, dtype=dtypes.float64, requires_grad=True))
    H = H.detach().numpy()
    H = (H + H.T) / 2
    condition = np.linalg.cond(H)
    if not np.isfinite(condition) or condition > _MAX_CONDITION:
        raise ValueError(
            "summary: the columns of X are collinear (with each other or with the intercept): "
            f"the scaled Hessian's condition number is {condition:.3g}, so the coefficients are "
            "not determined; drop a column"
        )
    H_inv = np.linalg.inv(H)
    H_inv = (H_inv + H_inv.T) / 2

    steps: list[np.ndarray] = []
    if refine:
        for _ in range(_MAX_NEWTON_STEPS):
            params = tensor(theta, dtype=dtypes.float64, requires_grad=True)
            (gradient,) = grad(rss(params), params)
            step = np.linalg.solve(H, gradient.numpy())
            theta = theta - step
            steps.append(step)
            if np.max(np.abs(step)) <= _STEP_TOLERANCE * (1 + np.max(np.abs(theta))):
                break
        coef = c + T @ theta
    else:
        coef = model_coef

    residual = y_scaled - Z @ theta  # in y's units divided by s_y
    rss_scaled = float(residual @ residual)
    df_resid = n - p
    cov_scaled = 2 * (rss_scaled / df_resid) * H_inv  # σ̂² (ZᵀZ)⁻¹ = 2σ̂² H⁻¹, for θ
    cov = T @ cov_scaled @ T.T
    cov = (cov + cov.T) / 2
    std_err = np.sqrt(np.diag(cov))
    t = coef / std_err
    # A step counts when it moves a parameter by a visible fraction of its standard error; the
    # ones after it (at most a few) only remove the rounding of the first.
    visible = _VISIBLE_STEP * np.sqrt(np.diag(cov_scaled))
    if not np.all(visible > 0):
        visible = np.full(p, _STEP_TOLERANCE * (1 + np.max(np.abs(theta))))
    newton_steps = sum(bool(np.any(np.abs(step) > visible)) for step in steps)

    rss_value = y_scale**2 * rss_scaled
    tss = y_scale**2 * float(y_scaled @ y_scaled)
    r2 = 1 - rss_value / tss if tss > 0 else float("nan")
    adj_r2 = 1 - (1 - r2) * (n - 1) / df_resid
    f = ((tss - rss_value) / d) / (rss_value / df_resid) if rss_value > 0 else float("inf")

    p_values = conf_int = f_pvalue = None
    scipy_stats = _scipy_stats()
    if scipy_stats is not None:
        p_values = 2 * scipy_stats.t.sf(np.abs(t), df_resid)
        half_width = scipy_stats.t.ppf(0.975, df_resid) * std_err
        conf_int = np.column_stack([coef - half_width, coef + half_width])
        f_pvalue = float(scipy_stats.f.sf(f, d, df_resid))

    return RegressionSummary(
        names=["Intercept", *names],
        coef=coef,
        std_err=std_err,
        t=t,
        p=p_values,
        conf_int=conf_int,
        cov=cov,
        r2=float(r2),
        adj_r2=float(adj_r2),
        rse=float(np.sqrt(rss_value / df_resid)),
        f=float(f),
        f_pvalue=f_pvalue,
        rss=float(rss_value),
        n=n,
        df_model=d,
        df_resid=df_resid,
        refined=bool(refine),
        newton_steps=newton_steps,
        model_coef=model_coef,
    )


def _scipy_stats() -> Any:
    """``scipy.stats``, or None when scipy is not installed."""
    try:
        from scipy import stats
    except ImportError:
        return None
    return stats


def _as_array(values: Any, name: str) -> np.ndarray:
    """``values`` as a float64 NumPy array, with a clear error for what is not numbers."""
    if isinstance(values, Tensor):
        values = values.detach().numpy()
    try:
        array = np.asarray(values, dtype=np.float64)
    except (TypeError, ValueError):
        raise ValueError(
            f"summary: {name} must hold numbers (a tensor, an array or nested lists), got "
            f"{values!r:.60}"
        ) from None
    if not np.all(np.isfinite(array)):
        raise ValueError(f"summary: {name} contains NaN or infinity")
    return array


def _check(
    model: Any, X: Any, y: Any, names: Sequence[str] | None
) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """X as (n, d) and y as (n,) float64 arrays, and the d feature names; or a clear error."""
    if not isinstance(model, Linear):
        raise TypeError(
            f"summary: model must be a fitted nn.Linear with one output, got {type(model).__name__}"
        )
    if model.out_features != 1:
        raise ValueError(
            f"summary: the model has {model.out_features} outputs; a regression summary is for "
            "nn.Linear(d, 1), one target (summarise each output with its own Linear)"
        )
    if model.bias is None:
        raise ValueError(
            "summary: the model has no bias (bias=False); the summary's tests and R² assume an "
            "intercept"
        )
    d = model.in_features
    if d < 1:
        raise ValueError("summary: the model has no features (in_features=0)")
    features = _as_array(X, "X")
    if features.ndim != 2 or features.shape[1] != d:
        raise ValueError(
            f"summary: X must have shape (n, {d}) for nn.Linear({d}, 1), got shape {features.shape}"
        )
    target = _as_array(y, "y")
    if target.ndim == 2 and target.shape[1] == 1:
        target = target[:, 0]
    if target.shape != (features.shape[0],):
        raise ValueError(
            f"summary: y must have shape ({features.shape[0]},) or ({features.shape[0]}, 1), "
            f"one target per row of X, got shape {target.shape}"
        )
    n = features.shape[0]
    if n <= d + 1:
        raise ValueError(
            f"summary: {n} rows for {d + 1} parameters (the intercept and {d} weights): the "
            "residual degrees of freedom n - p must be at least 1"
        )
    if names is None:
        names = [f"x{i + 1}" for i in range(d)]
    else:
        if isinstance(names, str) or not all(isinstance(name, str) for name in names):
            raise TypeError(f"summary: names must be a sequence of str, got {names!r:.60}")
        names = list(names)
        if len(names) != d:
            raise ValueError(f"summary: {len(names)} names for {d} features")
    constant = [name for name, spread in zip(names, np.ptp(features, axis=0)) if spread == 0]
    if constant:
        raise ValueError(
            f"summary: constant columns are collinear with the intercept: {constant}; drop them"
        )
    return features, target, names


def _number(value: float) -> str:
    """A coefficient-like number: 4 decimals, or 4 significant digits when that shows nothing."""
    if not np.isfinite(value):
        return str(value)
    if value == 0 or 1e-4 <= abs(value) < 1e7:
        return f"{value:.4f}"
    return f"{value:.3e}"


def _count(value: float) -> str:
    """A size in standard errors: 260, 3.5, 0.0012."""
    return f"{value:,.0f}" if value >= 10 else f"{value:.2g}"


def _fixed(value: float, decimals: int) -> str:
    """A statistic with ``decimals`` decimals (scientific beyond 1e7)."""
    if not np.isfinite(value):
        return str(value)
    return f"{value:.{decimals}f}" if abs(value) < 1e7 else f"{value:.3e}"
