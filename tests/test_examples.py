"""Every example runs as a subprocess, at a small size, and its result is checked.

Each example ends with a line "summary: key=value ..."; the tests parse it and compare the
numbers with the truth the data were made from or with the closed-form least-squares fit.
"""

from __future__ import annotations

import importlib.util
import os
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import tinygrad_lr as tg
from tinygrad_lr.datasets import load_csv

ROOT = Path(__file__).parents[1]
EXAMPLES = ROOT / "examples"
ADVERTISING = Path(__file__).parents[2] / "shared/data/Advertising.csv"
PLOT_HINT = 'pip install -e ".[plot]"'


def run(script: str, *args: str, cwd: Path, env: dict | None = None, check: bool = True):
    """Run ``examples/<script>`` with ``args`` in ``cwd``; fail with its output if it fails."""
    environment = {**os.environ, **(env or {})}
    environment["PYTHONPATH"] = os.pathsep.join(
        p for p in (environment.get("PYTHONPATH"), str(ROOT)) if p
    )
    result = subprocess.run(
        [sys.executable, str(EXAMPLES / script), *args],
        cwd=cwd,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    if check and result.returncode != 0:
        pytest.fail(
            f"{script} {' '.join(args)} exited with {result.returncode}\n"
            f"stdout:\n{result.stdout}\nstderr:\n{result.stderr}"
        )
    return result


def summary(stdout: str) -> dict:
    """The key=value pairs of the last line, which must start with 'summary:'."""
    last = stdout.strip().splitlines()[-1]
    assert last.startswith("summary:"), f"the last line is not a summary: {last!r}"
    values = {}
    for token in last.removeprefix("summary:").split():
        key, _, value = token.partition("=")
        if value.startswith("["):
            values[key] = [float(v) for v in value.strip("[]").split(",")]
        else:
            try:
                values[key] = float(value)
            except ValueError:
                values[key] = value
    return values


@pytest.mark.parametrize("script", sorted(p.name for p in EXAMPLES.glob("*.py")))
def test_every_example_has_help(script, tmp_path):
    result = run(script, "--help", cwd=tmp_path)
    assert result.stdout.startswith("usage:")


# ---------------------------------------------------------------------------- linear_regression
def test_linear_regression_recovers_the_true_parameters(tmp_path):
    result = run("linear_regression.py", cwd=tmp_path)  # the tutorial's defaults: 3 epochs
    out = summary(result.stdout)
    assert out["data"] == "synthetic" and out["epochs"] == 3
    assert result.stdout.count("epoch ") == 3  # the loss of each epoch, as the tutorial prints
    np.testing.assert_allclose(out["w"], [3.0, -1.2], atol=0.01)
    assert out["b"] == pytest.approx(2.0, abs=0.01)
    np.testing.assert_allclose(out["w"], out["lstsq_w"], atol=0.01)
    assert out["b"] == pytest.approx(out["lstsq_b"], abs=0.01)
    assert out["true_w"] == [3.0, -1.2] and out["true_b"] == 2.0
    assert out["loss"] < 2e-4  # noise variance / 2 = 5e-5
    assert "least squares" in result.stdout


def test_linear_regression_flags_and_seed(tmp_path):
    args = ["--samples", "300", "--epochs", "2", "--batch-size", "5", "--lr", "0.1"]
    first = summary(run("linear_regression.py", *args, "--seed", "3", cwd=tmp_path).stdout)
    again = summary(run("linear_regression.py", *args, "--seed", "3", cwd=tmp_path).stdout)
    other = summary(run("linear_regression.py", *args, "--seed", "4", cwd=tmp_path).stdout)
    assert first == again
    assert first["w"] != other["w"]
    assert first["epochs"] == 2
    np.testing.assert_allclose(first["w"], first["lstsq_w"], atol=0.01)


def test_linear_regression_save_writes_what_it_learned(tmp_path):
    result = run("linear_regression.py", "--save", "model.npz", "--epochs", "2", cwd=tmp_path)
    out = summary(result.stdout)
    state = tg.load(tmp_path / "model.npz")
    assert sorted(state) == ["b", "w"]
    assert state["w"].shape == (2, 1) and state["b"].shape == (1,)
    np.testing.assert_allclose(state["w"].numpy()[:, 0], out["w"], atol=1e-4)
    assert state["b"].item() == pytest.approx(out["b"], abs=1e-4)


def test_linear_regression_plot(tmp_path):
    """A PNG when matplotlib is installed; otherwise a message naming the `plot` extra."""
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        result = run("linear_regression.py", "--plot", "fit.png", cwd=tmp_path, check=False)
        assert result.returncode == 2 and PLOT_HINT in result.stderr
        assert not (tmp_path / "fit.png").exists()
        return
    run("linear_regression.py", "--plot", "fit.png", "--epochs", "2", cwd=tmp_path)
    assert (tmp_path / "fit.png").read_bytes().startswith(b"\x89PNG\r\n\x1a\n")


def test_linear_regression_plot_is_readable():
    """Residuals (not a diagonal), the target's name on the axes, a title naming the data, and
    plain numbers on the log axis."""
    pytest.importorskip("matplotlib")
    example = load_example("linear_regression")
    actual, fitted = np.array([1.0, 2.0, 4.0]), np.array([1.5, 2.0, 3.0])
    fig = example.plot_figure([32.0, 11.0, 4.2, 2.2, 1.4], actual, fitted, "ads.csv", "sales")
    ax_loss, ax_residual = fig.axes
    assert fig._suptitle.get_text() == "ads.csv"
    assert ax_residual.get_xlabel() == "fitted sales" and "sales - fitted sales" in (
        ax_residual.get_ylabel()
    )
    np.testing.assert_array_equal(ax_residual.collections[0].get_offsets()[:, 1], actual - fitted)
    fig.canvas.draw()
    ticks = [t.get_text() for t in ax_loss.get_yticklabels(minor=True) if t.get_text()]
    ticks += [t.get_text() for t in ax_loss.get_yticklabels() if t.get_text()]
    assert ticks and all(re.fullmatch(r"[0-9.]+", text) for text in ticks), ticks
    assert set(ticks) >= {"2", "3", "5", "10", "20", "30"}


def test_linear_regression_plot_wants_a_png(tmp_path):
    result = run("linear_regression.py", "--plot", "fit", cwd=tmp_path, check=False)
    assert result.returncode == 2 and "--plot writes a .png file, not 'fit'" in result.stderr


def test_linear_regression_plot_without_matplotlib_says_how_to_install_it(tmp_path):
    hidden = tmp_path / "no_matplotlib"
    (hidden / "matplotlib").mkdir(parents=True)
    (hidden / "matplotlib" / "__init__.py").write_text(
        "raise ImportError('No module named matplotlib')\n"
    )
    result = run(
        "linear_regression.py",
        "--plot",
        "fit.png",
        cwd=tmp_path,
        env={"PYTHONPATH": str(hidden)},
        check=False,
    )
    assert result.returncode == 2
    assert "--plot needs matplotlib" in result.stderr and PLOT_HINT in result.stderr
    assert "epoch" not in result.stdout  # refused before training, not after


def write_table(path: Path, n: int = 120) -> tuple[np.ndarray, float]:
    """A CSV with an unnamed index column and features on very different scales."""
    rng = np.random.default_rng(0)
    a = rng.uniform(0, 300, n)
    c = rng.uniform(0, 1, n)
    true_w, true_b = np.array([0.05, 4.0]), 3.0
    y = true_w[0] * a + true_w[1] * c + true_b + rng.normal(0, 0.1, n)
    rows = [",a,c,y"] + [f"{i + 1},{a[i]:.4f},{c[i]:.5f},{y[i]:.5f}" for i in range(n)]
    path.write_text("\n".join(rows) + "\n")
    return true_w, true_b


def test_linear_regression_csv_fits_the_table_in_its_own_units(tmp_path):
    true_w, true_b = write_table(tmp_path / "table.csv")
    result = run("linear_regression.py", "--csv", "table.csv", "--target", "y", cwd=tmp_path)
    out = summary(result.stdout)
    assert out["data"] == "table.csv" and out["epochs"] == 20
    assert "true_w" not in out  # a real table has no known truth
    np.testing.assert_allclose(out["lstsq_w"], true_w, rtol=0.05)
    np.testing.assert_allclose(out["w"], out["lstsq_w"], atol=0.01, rtol=0.05)
    assert out["b"] == pytest.approx(out["lstsq_b"], abs=0.1)
    assert out["rmse"] <= out["lstsq_rmse"] * 1.02


def test_linear_regression_on_the_shipped_norris_table_reaches_nists_values(tmp_path):
    """examples/data/norris.csv, as the README runs it: the least-squares line is NIST's
    certified one (to the float32 the table is read in), and SGD gets close to it."""
    table = EXAMPLES / "data" / "norris.csv"
    args = ["--csv", str(table), "--target", "y", "--lr", "0.1", "--epochs", "100"]
    result = run("linear_regression.py", *args, cwd=tmp_path)
    assert result.stderr == ""
    out = summary(result.stdout)
    b0, b1 = -0.262323073774029, 1.00211681802045  # NIST StRD, examples/data/SOURCES.md
    assert out["lstsq_w"][0] == pytest.approx(b1, abs=1e-4)
    assert out["lstsq_b"] == pytest.approx(b0, abs=1e-4)
    assert out["w"][0] == pytest.approx(b1, abs=1e-3) and out["b"] == pytest.approx(b0, abs=0.05)
    assert out["rmse"] <= out["lstsq_rmse"] * 1.01


def test_linear_regression_refuses_bad_learning_rates_and_outputs_before_training(tmp_path):
    for lr in ("0", "-0.1", "nan", "inf"):
        result = run("linear_regression.py", "--lr", lr, cwd=tmp_path, check=False)
        assert result.returncode == 2 and "--lr must be a positive, finite number" in result.stderr
    result = run("linear_regression.py", "--save", ".", cwd=tmp_path, check=False)
    assert result.returncode == 2 and "e.g. model.npz" in result.stderr
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o500)
    if os.access(locked, os.W_OK):  # root writes anywhere: a path under a file instead
        locked = tmp_path / "a_file"
        locked.write_text("")
    result = run("linear_regression.py", "--save", str(locked / "m.npz"), cwd=tmp_path, check=False)
    assert result.returncode == 2 and "--save" in result.stderr and "epoch" not in result.stdout


def test_linear_regression_divergence_says_why_without_numpy_warnings(tmp_path):
    result = run("linear_regression.py", "--lr", "10", cwd=tmp_path, check=False)
    assert result.returncode == 1
    assert "RuntimeWarning" not in result.stderr and "Traceback" not in result.stderr
    assert "on one scale already" in result.stderr and "lr=1)" in result.stderr


def test_linear_regression_constant_column_is_refused_without_warnings(tmp_path):
    (tmp_path / "t.csv").write_text("a,b,y\n1,5,2\n2,5,3\n3,5,4\n")
    result = run(
        "linear_regression.py", "--csv", "t.csv", "--target", "y", cwd=tmp_path, check=False
    )
    assert result.returncode == 1 and result.stderr.strip().endswith("standardised: ['b']")
    assert "RuntimeWarning" not in result.stderr


def test_linear_regression_table_stays_aligned_for_huge_values():
    example = load_example("linear_regression")
    assert len(example.cell(3.25)) == len(example.cell(-4.4e13)) == 12


def test_linear_regression_save_in_table_units(tmp_path):
    """With --csv the saved w and b predict from the raw table, as the printed fit does."""
    write_table(tmp_path / "table.csv")
    run(
        "linear_regression.py",
        "--csv",
        "table.csv",
        "--target",
        "y",
        "--save",
        "m.npz",
        cwd=tmp_path,
    )
    state = tg.load(tmp_path / "m.npz")
    X, y, _ = load_csv(tmp_path / "table.csv", "y")
    rmse = float(((X @ state["w"] + state["b"] - y) ** 2).mean().sqrt())
    assert rmse < 0.12  # the noise is N(0, 0.1²)


@pytest.mark.skipif(not ADVERTISING.exists(), reason=f"{ADVERTISING} is not on this machine")
def test_linear_regression_on_the_advertising_table(tmp_path):
    result = run(
        "linear_regression.py", "--csv", str(ADVERTISING), "--target", "sales", cwd=tmp_path
    )
    out = summary(result.stdout)
    # ISLR, Table 3.9: sales = 2.939 + 0.046 TV + 0.189 radio - 0.001 newspaper.
    np.testing.assert_allclose(out["lstsq_w"], [0.0458, 0.1885, -0.0010], atol=2e-4)
    assert out["lstsq_b"] == pytest.approx(2.9389, abs=2e-3)
    np.testing.assert_allclose(out["w"], out["lstsq_w"], atol=0.01)
    assert out["b"] == pytest.approx(out["lstsq_b"], abs=0.3)
    assert out["rmse"] <= out["lstsq_rmse"] * 1.005
    assert "TV" in result.stdout and "newspaper" in result.stdout


def summary_rows(stdout: str) -> dict[str, list[float]]:
    """The coefficient rows of the OLS table an example printed: name -> its numbers."""
    lines = stdout.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("-" * 20)) + 1
    end = next(i for i in range(start, len(lines)) if lines[i].startswith("=" * 20))
    return {line.split()[0]: [float(v) for v in line.split()[1:]] for line in lines[start:end]}


def test_linear_regression_summary_on_synthetic_data(tmp_path):
    result = run("linear_regression.py", "--summary", cwd=tmp_path)
    out = summary(result.stdout)
    assert "OLS summary at the learned parameters refined by one Newton step" in result.stdout
    assert "refined by 1 Newton step to the least-squares optimum" in result.stdout
    rows = summary_rows(result.stdout)
    assert list(rows) == ["Intercept", "x1", "x2"]
    # The table is at the least-squares optimum, not at SGD's parameters.
    assert rows["Intercept"][0] == pytest.approx(out["lstsq_b"], abs=1e-4)
    np.testing.assert_allclose([rows["x1"][0], rows["x2"][0]], out["lstsq_w"], atol=1e-4)
    # The noise is N(0, 0.01²) over 1000 rows of N(0, 1) features: std errors near 0.01/√1000.
    assert all(0.0002 < row[1] < 0.0005 for row in rows.values())


@pytest.mark.skipif(not ADVERTISING.exists(), reason=f"{ADVERTISING} is not on this machine")
def test_linear_regression_summary_on_the_advertising_table(tmp_path):
    pytest.importorskip("scipy.stats")  # the P>|t| column
    args = ["--csv", str(ADVERTISING), "--target", "sales", "--summary"]
    result = run("linear_regression.py", *args, cwd=tmp_path)
    rows = summary_rows(result.stdout)
    assert list(rows) == ["Intercept", "TV", "radio", "newspaper"]
    # ISLR's Table 3.9, as statsmodels prints it: coef, std err, t, P>|t|.
    assert rows["TV"][:4] == [0.0458, 0.0014, 32.81, 0.0]
    assert rows["radio"][0] == 0.1885 and rows["newspaper"][:4] == [-0.0010, 0.0059, -0.18, 0.86]
    assert rows["Intercept"][:2] == [2.9389, 0.3119]
    assert "R-squared:                      0.897" in result.stdout
    assert "F-statistic:                    570.3   on 3 and 196 DF" in result.stdout
    assert summary(result.stdout)["data"] == "Advertising.csv"  # still the last line


def test_linear_regression_csv_errors_are_clear(tmp_path):
    write_table(tmp_path / "table.csv")
    result = run(
        "linear_regression.py", "--csv", "table.csv", "--target", "z", cwd=tmp_path, check=False
    )
    assert result.returncode != 0 and "no column 'z'; available columns: a, c, y" in result.stderr
    result = run(
        "linear_regression.py", "--csv", "none.csv", "--target", "y", cwd=tmp_path, check=False
    )
    assert result.returncode != 0 and "no such file: 'none.csv'" in result.stderr
    result = run("linear_regression.py", "--csv", "table.csv", cwd=tmp_path, check=False)
    assert result.returncode == 2 and "--csv PATH and --target COL go together" in result.stderr


# ---------------------------------------------------------------------------- simple_regression
def test_simple_regression_reaches_the_least_squares_fit_quality(tmp_path):
    out = summary(run("simple_regression.py", "--epochs", "400", cwd=tmp_path).stdout)
    # y = 3.5 x + 10 + N(0, 25²) on [0, 100]: R² is about 1 - 625 / (625 + 3.5² 100² / 12) = 0.94.
    assert out["test_r2"] > 0.9
    assert out["test_r2"] == pytest.approx(out["lstsq_test_r2"], abs=0.02)
    assert out["lstsq_slope"] == pytest.approx(3.5, abs=0.2)
    assert out["slope"] == pytest.approx(out["lstsq_slope"], abs=0.3)
    assert out["epochs"] == 400


def test_simple_regression_default_run_reaches_the_least_squares_line(tmp_path):
    # The default steps are enough for the slow intercept direction too (see the example's
    # comment on the condition number), not only for R².
    out = summary(run("simple_regression.py", cwd=tmp_path).stdout)
    assert out["slope"] == pytest.approx(out["lstsq_slope"], abs=0.02)
    assert out["intercept"] == pytest.approx(out["lstsq_intercept"], abs=0.5)


def test_simple_regression_reports_divergence(tmp_path):
    result = run("simple_regression.py", "--lr", "1e-3", cwd=tmp_path, check=False)
    assert result.returncode == 1
    assert "diverged" in result.stderr and "3e-4" in result.stderr


# ---------------------------------------------------------------------------- manual_vs_autograd
def test_manual_and_autograd_gradients_agree(tmp_path):
    result = run("manual_vs_autograd.py", "--steps", "10", "--grad-check", cwd=tmp_path)
    out = summary(result.stdout)
    assert out["steps"] == 10
    assert out["max_grad_diff"] < 1e-5 and out["max_param_diff"] < 1e-5  # float32 rounding
    assert out["loss_hand"] == pytest.approx(out["loss_autograd"], rel=1e-5)
    assert out["gradcheck"] == "passed"
    assert out["float64_grad_diff"] < 1e-12
    assert sum(line.strip()[:1].isdigit() for line in result.stdout.splitlines()) == 10


# ---------------------------------------------------------------------------- newton_vs_sgd
def test_one_newton_step_lands_on_least_squares(tmp_path):
    result = run("newton_vs_sgd.py", cwd=tmp_path)
    out = summary(result.stdout)
    assert out["newton_lstsq_diff"] < 1e-10  # float64 rounding: one step is exact
    np.testing.assert_allclose(out["newton_w"], out["lstsq_w"], atol=1e-10)
    assert out["newton_b"] == pytest.approx(out["lstsq_b"], abs=1e-10)
    assert out["newton_loss"] == pytest.approx(out["lstsq_loss"], rel=1e-9)
    # SGD gets near, not there: its noise keeps it about 1e-3 away.
    assert 1e-6 < out["sgd_lstsq_diff"] < 0.01 and out["sgd_loss"] >= out["lstsq_loss"]
    np.testing.assert_allclose(out["lstsq_w"], [3.0, -1.2], atol=0.01)
    assert out["epochs"] == 10 and result.stdout.count("SGD epoch") == 5  # every 2 epochs
    assert "H against X̃ᵀX̃/N: max difference" in result.stdout


def test_newton_vs_sgd_flags(tmp_path):
    args = ["--epochs", "3", "--print-every", "1", "--samples", "200", "--seed", "2"]
    result = run("newton_vs_sgd.py", *args, cwd=tmp_path)
    out = summary(result.stdout)
    assert out["epochs"] == 3 and result.stdout.count("SGD epoch") == 3
    assert out["newton_lstsq_diff"] < 1e-10
    bad = run("newton_vs_sgd.py", "--samples", "3", cwd=tmp_path, check=False)
    assert bad.returncode == 2 and "--samples must be at least 4" in bad.stderr


# ---------------------------------------------------------------------------- builtins
def test_linear_regression_builtins_generalises_to_the_test_split(tmp_path):
    result = run("linear_regression_builtins.py", cwd=tmp_path)  # defaults: 3 epochs
    out = summary(result.stdout)
    assert "800 training and 200 test examples" in result.stdout
    assert out["epochs"] == 3 and result.stdout.count("epoch ") == 3
    np.testing.assert_allclose(out["w"], out["true_w"], atol=0.01)
    assert out["b"] == pytest.approx(out["true_b"], abs=0.01)
    # The noise is N(0, 0.01²): a good fit's test MSE is near 1e-4, its MAE near 0.008.
    assert out["test_mse"] < 3e-4 and out["test_mae"] < 0.015
    assert out["test_r2"] > 0.999


def test_linear_regression_builtins_saves_a_loadable_state_dict(tmp_path):
    from tinygrad_lr import nn

    out = summary(run("linear_regression_builtins.py", "--save", "net.npz", cwd=tmp_path).stdout)
    net = nn.Linear(2, 1)
    net.load_state_dict(tg.load(tmp_path / "net.npz"))
    np.testing.assert_allclose(net.weight.detach().numpy()[0], out["w"], atol=1e-4)
    assert net.bias.item() == pytest.approx(out["b"], abs=1e-4)


# ---------------------------------------------------------------------------- polynomial fit
def _polynomial_lstsq(points: int) -> np.ndarray:
    """The least-squares cubic in t = x/π, computed here with NumPy alone."""
    x = np.linspace(-np.pi, np.pi, points, dtype=np.float32).astype(np.float64)
    t = (x.astype(np.float32) / np.float32(np.pi)).astype(np.float64)
    A = np.stack([np.ones_like(t), t, t**2, t**3], axis=1)
    return np.linalg.lstsq(A, np.sin(x.astype(np.float32)).astype(np.float64), rcond=None)[0]


def test_polynomial_fit_every_method_reaches_the_least_squares_cubic(tmp_path):
    out = summary(run("polynomial_fit.py", cwd=tmp_path).stdout)
    np.testing.assert_allclose(out["lstsq"], _polynomial_lstsq(2000), atol=1e-5)
    for method in ("manual", "autograd", "function", "nn", "optim", "module"):
        assert out[f"{method}_gap"] < 0.02, method  # 2,000 steps of gradient descent
        assert out[f"{method}_loss"] < 1.05 * out["lstsq_loss"], method
    assert out["lbfgs_gap"] < 1e-3
    assert out["lbfgs_loss"] == pytest.approx(out["lstsq_loss"], rel=1e-3)


def test_polynomial_fit_runs_unchanged_on_torch_and_agrees(torch, tmp_path):
    """The same file with its import changed to torch's gives the same numbers."""
    source = (EXAMPLES / "polynomial_fit.py").read_text()
    assert "import tinygrad_lr as torch\n" in source
    (tmp_path / "polynomial_fit_torch.py").write_text(
        source.replace("import tinygrad_lr as torch\n", "import torch\n")
    )
    args = ["--steps", "300"]
    ours = summary(run("polynomial_fit.py", *args, cwd=tmp_path).stdout)
    theirs = summary(
        subprocess.run(
            [sys.executable, str(tmp_path / "polynomial_fit_torch.py"), *args],
            capture_output=True, text=True, timeout=300, check=True,
        ).stdout
    )  # fmt: skip
    assert ours.keys() == theirs.keys()
    np.testing.assert_allclose(ours["lstsq"], theirs["lstsq"], rtol=1e-9, atol=1e-12)
    for key in ours:
        if key.endswith(("_loss", "_gap")):
            assert ours[key] == pytest.approx(theirs[key], rel=2e-3, abs=1e-6), key


# ---------------------------------------------------------------------------- loss_landscape
def load_example(name: str):
    """An example imported as a module, to look at what it draws."""
    spec = importlib.util.spec_from_file_location(name, EXAMPLES / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_loss_landscape_newton_lands_and_scaling_lets_sgd_land(tmp_path):
    out = summary(run("loss_landscape.py", cwd=tmp_path).stdout)
    assert out["steps"] == 50
    for scale in ("raw", "std"):
        assert out[f"{scale}_newton"] < 1e-9  # a quadratic bowl: one Newton step is the bottom
    assert out["std_sgd"] < 1e-9  # round bowl: lr = 1/λ_max lands in one step
    assert out["raw_sgd"] > 0.5  # the valley: the intercept has hardly moved after 50 steps
    assert out["raw_adam"] < out["raw_sgd"] and out["raw_momentum"] < out["raw_sgd"]
    for name in ("sgd", "momentum", "adam"):
        assert out[f"std_{name}"] < out[f"raw_{name}"]


def test_loss_landscape_draws_two_panels_of_four_paths(tmp_path):
    pytest.importorskip("matplotlib")
    pytest.importorskip("PIL")
    landscape = load_example("loss_landscape")
    panels = landscape.main(["--steps", "20"])
    fig, _ = landscape.draw(panels, 20)
    assert len(fig.axes) == 2
    for ax, panel in zip(fig.axes, panels):
        labels = [line.get_label() for line in ax.get_lines()]
        names = [label.split(",")[0] for label in labels if "away" in label]
        assert names == ["SGD", "momentum", "Adam", "Newton"]
        assert "least squares" in labels
        sgd = ax.get_lines()[0].get_xydata()
        np.testing.assert_array_equal(sgd, panel["paths"]["SGD"])
        assert len(sgd) == 21  # the start and 20 steps
    assert "raw x" in fig.axes[0].get_title() and "standardised" in fig.axes[1].get_title()
    run("loss_landscape.py", "--steps", "5", "--out", "l.png", "--gif", "l.gif", cwd=tmp_path)
    assert (tmp_path / "l.png").read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
    assert (tmp_path / "l.gif").read_bytes()[:6] in (b"GIF87a", b"GIF89a")


def test_loss_landscape_paths_are_the_optimisers_own(tmp_path):
    """The SGD path is optim.SGD's: each step is θ - lr ∇L, checked by hand in NumPy."""
    landscape = load_example("loss_landscape")
    x, y = landscape.simple_regression_data(0)
    panel = landscape.panel("raw x", x, y, 5)
    xs, ys = x.numpy()[:, 0], y.numpy()[:, 0]
    theta = np.zeros(2)
    for step in range(1, 6):
        residual = theta[0] * xs + theta[1] - ys
        gradient = np.array([2 * np.mean(residual * xs), 2 * np.mean(residual)])
        theta = theta - panel["lr"] * gradient
        np.testing.assert_allclose(panel["paths"]["SGD"][step], theta, rtol=1e-12)
    design = np.stack([xs, np.ones_like(xs)], axis=1)
    hessian = 2 * design.T @ design / len(xs)
    assert panel["lr"] == pytest.approx(1 / np.linalg.eigvalsh(hessian).max(), rel=1e-12)


def test_loss_landscape_refuses_bad_paths_before_computing(tmp_path):
    result = run("loss_landscape.py", "--out", "landscape.jpg", cwd=tmp_path, check=False)
    assert result.returncode == 2 and "writes a .png file" in result.stderr
    result = run("loss_landscape.py", "--gif", "missing/l.gif", cwd=tmp_path, check=False)
    assert result.returncode == 2 and "does not exist" in result.stderr
    assert result.stdout == ""


def test_the_docs_landscape_figure_is_the_examples_picture():
    """docs/figures/loss_landscape.png is what docs/make_landscape_figure.py writes (pixels
    depend on the matplotlib version, so its format and size are compared)."""
    pytest.importorskip("matplotlib")
    from PIL import Image

    figure = ROOT / "docs" / "figures" / "loss_landscape.png"
    with Image.open(figure) as image:
        assert image.format == "PNG" and image.size == (1200, 520)


def test_linear_regression_graph_with_csv_draws_the_standardised_step(tmp_path, monkeypatch):
    """--graph draws a step as training took it: on the standardised features, with w and b on
    their scale, not the raw table's."""
    pytest.importorskip("graphviz")
    example = load_example("linear_regression")
    write_table(tmp_path / "table.csv")
    drawn = {}
    monkeypatch.setattr(
        example, "draw_training_step", lambda path, X, y, w, b: drawn.update(X=X, w=w)
    )
    monkeypatch.setattr(example, "check_graphviz", lambda parser: None)
    graph = str(tmp_path / "g.svg")
    example.main(["--csv", str(tmp_path / "table.csv"), "--target", "y", "--graph", graph])
    X = drawn["X"].numpy()
    features, _, _ = load_csv(tmp_path / "table.csv", "y")
    raw = features.numpy()[: len(X)]
    assert not np.allclose(X, raw)  # not the raw table
    scaled = (raw - features.numpy().mean(0)) / features.numpy().std(0)
    np.testing.assert_allclose(X, scaled, rtol=1e-4, atol=1e-5)
