"""Write each page of docs/ as a Jupyter notebook in notebooks/, generated from the page.

    python docs/make_notebooks.py           # rewrite notebooks/*.ipynb
    python docs/make_notebooks.py --check   # change nothing; exit 1 if a notebook is stale

Each ``python`` block of a page becomes a code cell, in page order; the text between blocks
becomes Markdown cells, with other blocks (shell commands) kept in them as code. The blocks
that show what a python block prints (``<!-- output -->``) are left out: running the notebook
prints it. Relative links are rewritten to work from notebooks/. A block marked
``<!-- requires: torch -->`` gets a line above it saying so. Notebooks are generated, never
edited by hand: tests/test_notebooks.py checks they are current and runs every one of them
in notebooks/, as Jupyter does.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from build_outputs import OUTPUT_MARKER, ROOT, parse_blocks  # noqa: E402

NOTEBOOKS = ROOT / "notebooks"
_LINK = re.compile(
    r"(?P<head>!?\[(?:[^\[\]]|\[[^\]]*\])*\]\()(?P<target>[^)\s#]+)(?P<rest>[^)]*\))"
)
_COMMENT_LINE = re.compile(r"^\s*<!--.*-->\s*$")


def pages() -> list[Path]:
    """The pages made into notebooks: every Markdown page of docs/."""
    return sorted((ROOT / "docs").glob("*.md"))


def _relink(text: str, page: Path) -> str:
    """Relative links of ``page``, rewritten to reach the same files from notebooks/."""

    def move(match: re.Match) -> str:
        target = match["target"]
        if re.match(r"^[a-z][a-z0-9+.-]*:", target) or target.startswith("/"):
            return match[0]
        moved = os.path.relpath((page.parent / target).resolve(), NOTEBOOKS).replace(os.sep, "/")
        return f"{match['head']}{moved}{match['rest']}"

    return _LINK.sub(move, text)


def _markdown(lines: list[str], page: Path) -> list[str]:
    """One Markdown cell's text, without the page's marker comments; none when it is empty."""
    kept = [line for line in lines if not _COMMENT_LINE.match(line)]
    text = "\n".join(kept).strip("\n")
    return [_relink(text, page)] if text.strip() else []


def notebook(page: Path) -> dict:
    """The notebook of one page, as nbformat 4 JSON."""
    text = page.read_text(encoding="utf-8")
    lines = text.split("\n")
    blocks, problems = parse_blocks(text, page.name)
    if problems:
        raise SystemExit("\n".join(str(problem) for problem in problems))
    cells: list[tuple[str, str]] = []
    pending: list[str] = []  # page lines of the Markdown cell being collected
    position = 0  # the next page line (0-based) not yet placed in a cell
    for block in blocks:
        if block.language != "python" and block.marker != OUTPUT_MARKER:
            continue  # stays in the Markdown text around it
        pending += lines[position : block.start - 1]
        position = block.end
        if block.marker == OUTPUT_MARKER:
            continue  # what the cell above prints; running the notebook shows it
        if block.requires:
            pending.append(f"*The next cell needs {', '.join(block.requires)} installed.*")
        cells += [("markdown", cell) for cell in _markdown(pending, page)]
        pending = []
        cells.append(("code", block.code))
    pending += lines[position:]
    cells += [("markdown", cell) for cell in _markdown(pending, page)]
    return {
        "cells": [_cell(kind, source, index) for index, (kind, source) in enumerate(cells)],
        "metadata": {
            "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
            "language_info": {"name": "python"},
            "generated_from": f"docs/{page.name}",
        },
        "nbformat": 4,
        "nbformat_minor": 5,
    }


def _cell(kind: str, source: str, index: int) -> dict:
    """A cell with a stable id, so that generating again changes nothing."""
    cell = {"cell_type": kind, "id": f"cell-{index}", "metadata": {}, "source": source}
    if kind == "code":
        cell.update(execution_count=None, outputs=[])
    return cell


def notebook_text(page: Path) -> str:
    return json.dumps(notebook(page), indent=1, ensure_ascii=False) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if a notebook is stale")
    args = parser.parse_args(argv)
    NOTEBOOKS.mkdir(exist_ok=True)
    expected = {NOTEBOOKS / f"{page.stem}.ipynb": notebook_text(page) for page in pages()}
    stale = [
        path for path, text in expected.items() if not path.exists() or path.read_text() != text
    ]
    extra = sorted(set(NOTEBOOKS.glob("*.ipynb")) - set(expected))
    if args.check:
        for path in [*stale, *extra]:
            print(f"{path.relative_to(ROOT)} is stale: run python docs/make_notebooks.py")
        return 1 if stale or extra else 0
    for path in stale:
        path.write_text(expected[path], encoding="utf-8")
        print(f"wrote {path.relative_to(ROOT)}")
    for path in extra:
        path.unlink()
        print(f"removed {path.relative_to(ROOT)} (no page of that name)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
