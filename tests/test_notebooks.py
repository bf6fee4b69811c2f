"""notebooks/*.ipynb: generated from the docs pages, current, and run top to bottom by a real
Jupyter kernel (nbclient); and the docs build into a site with ``mkdocs build --strict``."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "docs"))
import make_notebooks  # noqa: E402

PAGES = make_notebooks.pages()


def test_every_page_has_a_current_notebook():
    assert make_notebooks.main(["--check"]) == 0, "run: python docs/make_notebooks.py"
    assert sorted(p.stem for p in (ROOT / "notebooks").glob("*.ipynb")) == [p.stem for p in PAGES]


def test_a_notebook_has_the_pages_code_and_text_and_not_its_printed_output():
    cells = make_notebooks.notebook(ROOT / "docs" / "graphs.md")["cells"]
    code = [cell["source"] for cell in cells if cell["cell_type"] == "code"]
    text = "\n".join(cell["source"] for cell in cells if cell["cell_type"] == "markdown")
    assert code[0].startswith("import tinygrad_lr as torch")
    assert "# Computation graphs" in text and "<!-- output -->" not in text
    assert "loss | () float32 | value 124.3" not in text  # printed when the cell runs
    assert "python -m tinygrad_lr.viz --out graph.svg" in text  # shell blocks stay as text
    assert "](../docs/figures/linear_regression_graph.svg)" in text  # links work from notebooks/
    assert "](../tinygrad_lr/viz/dot.py#L" in text


@pytest.mark.parametrize("page", [p.stem for p in PAGES])
def test_the_notebook_runs(page):
    nbclient = pytest.importorskip("nbclient")
    nbformat = pytest.importorskip("nbformat")
    pytest.importorskip("ipykernel")
    notebook = nbformat.reads((ROOT / "notebooks" / f"{page}.ipynb").read_text(), as_version=4)
    needs = " ".join(c.source for c in notebook.cells if c.cell_type == "markdown")
    if "needs torch installed" in needs:
        pytest.importorskip("torch")
    if "needs dot installed" in needs and shutil.which("dot") is None:
        pytest.skip("needs Graphviz's `dot` program, a system package")
    client = nbclient.NotebookClient(
        notebook,
        timeout=600,
        kernel_name="python3",
        resources={"metadata": {"path": str(ROOT / "notebooks")}},
    )
    client.execute()  # raises CellExecutionError, with the cell and its traceback, on an error
    outputs = [
        output for cell in notebook.cells if cell.cell_type == "code" for output in cell.outputs
    ]
    errors = [o for o in outputs if o.output_type == "error"]
    assert errors == []
    if page == "graphs":  # the graph and the step-by-step page show inline
        kinds = {kind for o in outputs for kind in o.get("data", {})}
        assert "image/svg+xml" in kinds
        pages = [o["data"]["text/html"] for o in outputs if "text/html" in o.get("data", {})]
        assert any(html.startswith("<iframe srcdoc=") and "step-label" in html for html in pages)


def test_the_site_builds_strictly(tmp_path):
    pytest.importorskip("mkdocs")
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-d", str(tmp_path / "site")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    site = tmp_path / "site"
    page = (site / "figures" / "backward_steps.html").read_text()
    assert 'id="step-label"' in page
    assert (site / "figures" / "loss_landscape.png").exists()
    graphs = (site / "graphs" / "index.html").read_text()
    assert "figures/backward_steps.html" in graphs and "backward_step_7.svg" in graphs
