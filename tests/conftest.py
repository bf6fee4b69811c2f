"""Shared fixtures. With CI=true, a skipped test is a failure: torch, graphviz, scipy,
statsmodels, safetensors, matplotlib, pillow, mkdocs, nbclient, selenium and Chromium must be
there."""

from __future__ import annotations

import os
import shutil

import pytest

# Programs written for PyTorch, run by tests/test_pytorch_programs.py, not collected themselves.
collect_ignore = ["pytorch_programs"]

IN_CI = os.environ.get("CI", "").lower() == "true"


def pytest_sessionstart(session: pytest.Session) -> None:
    if not IN_CI:
        return
    missing = []
    try:
        import torch  # noqa: F401
    except ImportError:
        missing.append("torch (pip install torch==2.13.0)")
    try:
        import graphviz  # noqa: F401
    except ImportError:
        missing.append("the graphviz Python package (pip install -e '.[dev]')")
    try:
        import scipy.stats  # noqa: F401
        import statsmodels.api  # noqa: F401
    except ImportError:
        missing.append("scipy and statsmodels (pip install scipy statsmodels)")
    try:
        import safetensors.numpy  # noqa: F401
    except ImportError:
        missing.append('safetensors (pip install -e ".[safetensors]")')
    try:
        import matplotlib  # noqa: F401
        import PIL  # noqa: F401
    except ImportError:
        missing.append('matplotlib and pillow (pip install -e ".[plot]")')
    try:
        import ipykernel  # noqa: F401
        import mkdocs  # noqa: F401
        import nbclient  # noqa: F401
    except ImportError:
        missing.append('mkdocs, nbclient and ipykernel (pip install -e ".[docs]")')
    try:
        import selenium  # noqa: F401
    except ImportError:
        missing.append('selenium (pip install -e ".[dev]")')
    if shutil.which("dot") is None:
        missing.append("the graphviz program `dot` (apt-get install -y graphviz)")
    if shutil.which("chromium") is None or shutil.which("chromedriver") is None:
        missing.append("Chromium and ChromeDriver (apt-get install -y chromium chromium-driver)")
    if missing:
        raise pytest.UsageError("CI=true but these are missing: " + "; ".join(missing))


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """One line per reason tests were skipped, with how many and how to include them, instead
    of a line per test (pyproject's -rfE leaves skips out of pytest's own summary)."""
    reasons: dict[str, int] = {}
    for report in terminalreporter.stats.get("skipped", []):
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
        reason = reason.removeprefix("Skipped: ")
        reasons[reason] = reasons.get(reason, 0) + 1
    for reason, count in sorted(reasons.items(), key=lambda item: -item[1]):
        hint = next((h for missing, h in _INSTALL_HINTS.items() if missing in reason), "")
        tests = "test" if count == 1 else "tests"
        terminalreporter.write_line(f"{count} {tests} skipped: {reason}{hint}")


_INSTALL_HINTS = {
    "torch": ' (pip install -e ".[torch]" runs them)',
    "statsmodels": " (pip install scipy statsmodels runs them)",
    "scipy": " (pip install scipy statsmodels runs them)",
    "matplotlib": ' (pip install -e ".[plot]" runs them)',
    "PIL": ' (pip install -e ".[plot]" runs them)',
    "nbclient": ' (pip install -e ".[docs]" runs them)',
    "ipykernel": ' (pip install -e ".[docs]" runs them)',
    "mkdocs": ' (pip install -e ".[docs]" runs them)',
    "selenium": ' (pip install -e ".[dev]" runs them)',
    "Chromium": " (apt-get install chromium chromium-driver runs them)",
    "Graphviz": " (apt-get install graphviz runs them)",
}


NO_DOT = "needs Graphviz's `dot` program, a system package"


def _missing_dot(excinfo: pytest.ExceptionInfo | None) -> bool:
    """Whether a test failed only because the Graphviz program is not installed (a doctest
    wraps the error in its own exception)."""
    if excinfo is None or shutil.which("dot") is not None:
        return False
    errors = getattr(excinfo.value, "failures", [excinfo.value])  # doctest's failures
    errors = [getattr(e, "exc_info", (None, e))[1] for e in errors]  # doctest's wrapping
    return bool(errors) and all(type(e).__name__ == "GraphvizNotFoundError" for e in errors)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo) -> object:
    outcome = yield
    report = outcome.get_result()
    if report.failed and call.when == "call" and _missing_dot(call.excinfo):
        report.outcome = "skipped"  # outside CI: the picture needs a system package
        report.longrepr = (str(item.path), None, f"Skipped: {NO_DOT}")
    if IN_CI and report.skipped and not hasattr(report, "wasxfail"):
        report.outcome = "failed"
        report.longrepr = f"skipped in CI, where every test must run: {report.longrepr}"


@pytest.fixture
def torch():
    """The torch module; the test is skipped when torch is not installed (outside CI)."""
    return pytest.importorskip("torch")


@pytest.fixture
def dot() -> None:
    """Graphviz's ``dot`` program; the test is skipped without it (outside CI)."""
    if shutil.which("dot") is None:
        pytest.skip(NO_DOT)


@pytest.fixture
def statsmodels():
    """statsmodels.api; the test is skipped when statsmodels is not installed (outside CI)."""
    return pytest.importorskip("statsmodels.api")
