"""The source's numbers on the pages are current, and the core stays small and nearly acyclic.

docs/core_map.py computes the core's files in reading order, their sizes and the package's import
cycles; README.md and docs/index.md show its output between ``<!-- core-map:start -->`` and
``<!-- core-map:end -->``. ``python docs/core_map.py --write`` brings the pages up to date.
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("core_map", ROOT / "docs" / "core_map.py")
core_map = importlib.util.module_from_spec(_spec)
sys.modules["core_map"] = core_map
_spec.loader.exec_module(core_map)

TENSOR = "tinygrad_lr/tensor.py"
TENSOR_MAX_LINES = 900  # state, autograd, conversion and one-line methods: torch has hundreds


# ---------------------------------------------------------------------------------- the pages
def test_the_pages_show_the_current_core_map() -> None:
    problems = core_map.stale_pages()
    if problems:
        pytest.fail(
            "\n".join(problems) + "\nrun `python docs/core_map.py --write` to rewrite the blocks",
            pytrace=False,
        )


def test_check_fails_on_a_stale_page_until_write_rewrites_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    page = tmp_path / "page.md"
    page.write_text(f"# Page\n\n{core_map.START}\n| 2,000 lines |\n{core_map.END}\n\nAfter.\n")
    monkeypatch.setattr(core_map, "PAGES", {str(page): ("sizes",)})
    sizes = core_map.sizes_markdown()  # computed once: the package may change while this runs
    monkeypatch.setitem(core_map.PARTS, "sizes", lambda: sizes)
    assert core_map.main(["--check"]) == 1
    assert "stale: run python docs/core_map.py --write" in capsys.readouterr().err
    assert core_map.main(["--write"]) == 0
    text = page.read_text()
    assert "2,000" not in text and "**The core in reading order**" in text
    assert text.startswith("# Page\n\n") and text.endswith(f"{core_map.END}\n\nAfter.\n")
    assert core_map.main(["--check"]) == 0


def test_a_page_without_markers_is_reported(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    page = tmp_path / "page.md"
    page.write_text("# No map here\n")
    monkeypatch.setattr(core_map, "PAGES", {str(page): ("sizes",)})
    [problem] = core_map.stale_pages()
    assert f"needs one {core_map.START} line" in problem


def test_the_script_runs_from_any_directory(tmp_path: Path) -> None:
    script = ROOT / "docs" / "core_map.py"
    result = subprocess.run(
        [sys.executable, str(script)], cwd=tmp_path, capture_output=True, text=True, check=True
    )
    assert result.stdout.startswith("**The core in reading order**")
    assert f"`{TENSOR}`" in result.stdout


# ---------------------------------------------------------------------------------- the counting
def test_imports_are_resolved_and_late_ones_marked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    files = {
        "__init__.py": "from . import a\n",
        "a.py": '"""Doc."""\n\nfrom . import sub\nfrom .sub import b\n\nX = 1\n\n'
        "from .c import Y\n",
        "c.py": "from typing import TYPE_CHECKING\n\nif TYPE_CHECKING:\n    from .a import X\n"
        "\n\ndef f():\n    from .sub.b import Z\n\n\nY = 2\n",
        "sub/__init__.py": "",
        "sub/b.py": "import numpy\nfrom ..a import X  # a comment\n\nZ = '''\n# in a string\n'''\n",
    }
    (tmp_path / "tinygrad_lr" / "sub").mkdir(parents=True)
    for name, text in files.items():
        (tmp_path / "tinygrad_lr" / name).write_text(text)
    monkeypatch.setattr(core_map, "ROOT", tmp_path)

    found = {
        (i.source, i.line, i.target, i.late)
        for name in files
        for i in core_map.imports(f"tinygrad_lr/{name}")
    }
    assert {(s[12:], line, t[12:], late) for s, line, t, late in found} == {
        ("__init__.py", 1, "a.py", ""),
        ("a.py", 3, "sub/__init__.py", ""),
        ("a.py", 4, "sub/b.py", ""),
        ("a.py", 8, "c.py", "after other code"),
        ("c.py", 8, "sub/b.py", "in a function"),  # the TYPE_CHECKING import never runs
        ("sub/b.py", 2, "a.py", ""),
    }
    cycles = core_map.cycles(core_map.package_files())
    assert cycles == [["tinygrad_lr/a.py", "tinygrad_lr/c.py", "tinygrad_lr/sub/b.py"]]
    size = core_map.size("tinygrad_lr/sub/b.py")
    assert (size.lines, size.code) == (6, 5)  # the blank line alone is not code


# ---------------------------------------------------------------------------------- the core
def test_the_core_has_at_most_one_import_cycle() -> None:
    core = set(core_map.core_files())
    # Cycles are found in the whole package's graph, so one that leaves the core counts too.
    found = [c for c in core_map.cycles(core_map.package_files()) if core & set(c)]
    if len(found) > 1:
        described = "\n".join(
            f"  {number}. " + ", ".join(component) for number, component in enumerate(found, 1)
        )
        pytest.fail(
            f"the core's imports form {len(found)} cycles (strongly connected components), at "
            f"most 1 is allowed:\n{described}\n(python docs/core_map.py shows the imports in each)",
            pytrace=False,
        )


def test_tensor_py_stays_short() -> None:
    assert (ROOT / TENSOR).is_file(), f"{TENSOR} is gone: update CORE in docs/core_map.py"
    lines = core_map.size(TENSOR).lines
    if lines > TENSOR_MAX_LINES:
        pytest.fail(
            f"{TENSOR} has {lines} lines, more than {TENSOR_MAX_LINES}: move code out of it into "
            "the core's helper modules (CORE_HELPERS in docs/core_map.py)",
            pytrace=False,
        )


def test_the_core_imports_late_only_where_it_closes_its_cycle() -> None:
    """The one import cycle is closed at the bottom of tensor.py; no other core file imports
    late (inside a function, or after other code)."""
    late = [
        f"{i.source}:{i.line} {i.statement} ({i.late})"
        for file in core_map.core_files()
        for i in core_map.imports(file)
        if i.late and i.source != TENSOR
    ]
    assert not late, "late imports in the core:\n  " + "\n  ".join(late)


def test_no_private_name_is_imported_from_another_package() -> None:
    """``from ..autograd.engine import _name`` reaches into another package's privates: a name
    used across packages is public (sibling modules of one package may share private names)."""
    import ast

    found = []
    for file in core_map.package_files():
        tree = ast.parse((ROOT / file).read_text(encoding="utf-8"))
        package = Path(file).parent
        for node in ast.walk(tree):
            if not isinstance(node, ast.ImportFrom) or not node.level:
                continue
            target = package
            for _ in range(node.level - 1):
                target = target.parent
            if node.module:
                target = target.joinpath(*node.module.split(".")[:-1])
            if target == package:
                continue  # the same package
            private = [alias.name for alias in node.names if alias.name.startswith("_")]
            found += [f"{file}:{node.lineno} {name}" for name in private]
    assert not found, "private names imported across packages:\n  " + "\n  ".join(found)
