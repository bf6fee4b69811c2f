"""The benchmark scripts run, and every implementation trains to the same loss.

Nothing here measures time (the machine running the tests may be busy); ``benchmarks/run.py
--quick`` runs each implementation once at small sizes, and the test checks what it computed.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
IMPLEMENTATIONS = (
    "numpy",
    "bare autograd",
    "tinygrad_lr scratch",
    "torch scratch",
    "tinygrad_lr builtins",
    "torch builtins",
    "tinygrad_lr compiled scratch",
    "tinygrad_lr compiled builtins",
)
WORKLOADS = ("W1", "W2", "W3")


@pytest.fixture(scope="module")
def quick_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict, str]:
    pytest.importorskip("torch")
    out = tmp_path_factory.mktemp("benchmarks") / "quick.json"
    completed = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "run.py"), "--quick", "--json", str(out)],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=ROOT,
    )
    assert completed.returncode == 0, completed.stderr[-3000:]
    rows = {(r["workload"], r["implementation"]): r for r in json.loads(out.read_text())["summary"]}
    return rows, completed.stdout


def test_every_implementation_runs_every_workload(torch: Any, quick_run: tuple[dict, str]) -> None:
    rows, table = quick_run
    assert set(rows) == {(w, i) for w in WORKLOADS for i in IMPLEMENTATIONS}
    for (workload, name), row in rows.items():
        assert row["us_per_step"] > 0 and row["peak_mb"] >= 0, (workload, name)
        assert f"| {workload} | {name} |" in table
    assert "NOT met" not in table and "µs/step" not in table  # no verdicts at quick sizes


@pytest.mark.parametrize("workload", WORKLOADS)
def test_all_implementations_reach_the_same_final_loss(
    torch: Any, quick_run: tuple[dict, str], workload: str
) -> None:
    rows, _ = quick_run
    reference = rows[(workload, "numpy")]
    for name in IMPLEMENTATIONS:
        row = rows[(workload, name)]
        # From scratch: same data, start and batch order as NumPy, so only float32 rounding
        # differs. The builtins' DataLoaders shuffle with their own generators: as close as two
        # shuffles of the same data get (unshuffled W3 visits the same single batch).
        shuffled_elsewhere = name.endswith("builtins") and workload != "W3"
        rel = 0.02 if shuffled_elsewhere else 1e-4
        assert row["final_loss"] == pytest.approx(reference["final_loss"], rel=rel), name
        # Training got close to the parameters that generated the data (noise std 0.01).
        assert row["param_error"] < 0.01, name


@pytest.mark.parametrize("workload", WORKLOADS)
def test_compiled_training_ends_exactly_where_eager_training_does(
    torch: Any, quick_run: tuple[dict, str], workload: str
) -> None:
    """The same arithmetic in the same order: the same parameters, so the same final loss."""
    rows, _ = quick_run
    for path in ("scratch", "builtins"):
        compiled = rows[(workload, f"tinygrad_lr compiled {path}")]
        eager = rows[(workload, f"tinygrad_lr {path}")]
        assert compiled["final_loss"] == eager["final_loss"], path
        assert compiled["param_error"] == eager["param_error"], path
