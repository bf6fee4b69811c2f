"""The docs cannot rot: their code runs, their outputs are what the code prints, their links hold.

Every ```python block of README.md and docs/**/*.md runs, in order, one fresh interpreter per
page, with the repository root as the working directory (docs/build_outputs.py does the work;
``python docs/build_outputs.py`` regenerates the outputs and the source-line anchors).
"""

from __future__ import annotations

import importlib.util
import re
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("build_outputs", ROOT / "docs" / "build_outputs.py")
build = importlib.util.module_from_spec(_spec)
sys.modules["build_outputs"] = build
_spec.loader.exec_module(build)

PAGES = build.doc_pages()


def _ids(paths):
    return [build.display_name(p) for p in paths]


# ---------------------------------------------------------------------------------- every page
@pytest.mark.parametrize("page", PAGES, ids=_ids(PAGES))
def test_code_blocks_run_and_shown_outputs_match(page):
    text = page.read_text(encoding="utf-8")
    blocks, problems = build.parse_blocks(text, build.display_name(page))
    if problems:
        pytest.fail("\n".join(map(str, problems)), pytrace=False)
    runs = build.run_page(page, blocks)
    problems = build.run_problems(build.display_name(page), blocks, runs)
    if problems:
        pytest.fail("\n\n".join(map(str, problems)), pytrace=False)
    skipped = [f"line {r.block.start}: {r.skipped}" for r in runs if r.skipped]
    if skipped:
        pytest.skip("; ".join(skipped))


@pytest.mark.parametrize("page", PAGES, ids=_ids(PAGES))
def test_links_and_quoted_source_are_current(page):
    text = page.read_text(encoding="utf-8")
    problems = build.link_problems(page, text)[0] + build.quote_problems(page, text)[0]
    if problems:
        pytest.fail("\n".join(map(str, problems)), pytrace=False)


# ---------------------------------------------------------------------------------- the machinery
def _page(tmp_path: Path, text: str, name: str = "page.md") -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


def _check(path: Path) -> list[str]:
    problems, _ = build.check_page(path)
    return [str(p) for p in problems]


def test_a_failing_block_is_reported_with_its_file_and_line(tmp_path):
    path = _page(
        tmp_path,
        """
        # Title

        ```python
        x = 1
        ```

        ```python
        y = x + 1
        z = y / 0
        ```
        """,
    )
    [problem] = _check(path)
    assert problem.startswith(f"{path}:7: this block raised")
    # The traceback points at the page's own line of the failing statement.
    assert f'File "{path}", line 9' in problem and "ZeroDivisionError" in problem


def test_blocks_share_one_namespace_per_page_but_not_across_pages(tmp_path):
    first = _page(tmp_path, "```python\nshared = 41\n```\n", "a.md")
    second = _page(tmp_path, "```python\nprint(shared + 1)\n```\n", "b.md")
    assert _check(first) == []
    [problem] = _check(second)
    assert "NameError" in problem


def test_pages_run_without_this_tool_s_future_imports(tmp_path):
    """Annotations in a page are evaluated, as in a reader's interpreter (no leaked __future__)."""
    path = _page(tmp_path, "```python\ndef f(x: UndefinedName):\n    pass\n```\n")
    [problem] = _check(path)
    assert "NameError" in problem


def test_an_output_block_must_match_and_is_regenerated(tmp_path):
    path = _page(
        tmp_path,
        """
        ```python
        print("a")
        print(1 + 1)
        ```

        <!-- output -->
        ```text
        written by hand
        ```
        """,
    )
    [problem] = _check(path)
    assert ":7: the output shown differs" in problem and "+2" in problem
    changed, problems = build.update_page(path)
    assert changed and problems == []
    assert "```text\na\n2\n```" in path.read_text()
    assert _check(path) == []
    assert build.update_page(path) == (False, [])


def test_the_output_of_each_block_is_captured_separately(tmp_path):
    path = _page(
        tmp_path,
        """
        ```python
        print("one")
        ```

        <!-- output -->
        ```text
        one
        ```

        ```python
        print("two")
        ```

        <!-- output -->
        ```text
        one
        ```
        """,
    )
    [problem] = _check(path)
    assert ":15: the output shown differs" in problem


def test_misplaced_output_markers_and_unrun_python_are_refused(tmp_path):
    path = _page(
        tmp_path,
        """
        ```python
        print(1)
        ```

        Some prose between the code and its output.

        <!-- output -->
        ```text
        1
        ```

        <!-- output -->
        ```python
        print(2)
        ```

        ```py
        print(3)
        ```
        """,
    )
    problems = _check(path)
    assert any(":8: an <!-- output --> block must follow" in p for p in problems)
    assert any(":13: an <!-- output --> block must be a ```text block" in p for p in problems)
    assert any(":17: a ```py block is not run" in p for p in problems)


def test_a_block_that_needs_a_module_must_say_so_where_readers_see_it(tmp_path):
    path = _page(
        tmp_path,
        """
        Some text.

        <!-- requires: torch -->
        ```python
        import torch
        ```
        """,
    )
    _, problems = build.parse_blocks(path.read_text(), "page.md")
    assert any("a block that needs torch must say so for readers" in str(p) for p in problems)


def test_a_block_that_needs_a_missing_module_is_skipped(tmp_path):
    path = _page(
        tmp_path,
        """
        This block needs no_such_module_here:

        <!-- requires: no_such_module_here -->
        ```python
        import no_such_module_here
        ```

        ```python
        print("still run")
        ```
        """,
    )
    blocks, problems = build.parse_blocks(path.read_text(), "page.md")
    runs = build.run_page(path, blocks)
    assert problems == [] and blocks[0].requires == ["no_such_module_here"]
    assert "not installed" in runs[0].skipped
    assert runs[1].stdout == "still run\n" and runs[1].error is None


def test_source_links_are_checked_against_the_definitions_they_name(tmp_path):
    (tmp_path / "code.py").write_text(
        "import os\n\n\nclass A:\n    def run(self):\n        pass\n\n\n"
        "class B:\n    def run(self):\n        pass\n\n\ndef helper():\n    pass\n"
    )
    path = _page(
        tmp_path,
        """
        [`helper`](code.py#L14) is right, [`A.run`](code.py#L4) is off by one,
        [`run`](code.py#L5) is ambiguous, [`nothing`](code.py#L1) does not exist,
        [plain text](code.py#L99) is past the end, [a file](missing.py) is missing,
        [a heading](#the-heading) exists, [another](#no-such-heading) does not.

        ## The heading
        """,
    )
    problems = _check(path)
    assert len(problems) == 6, problems
    assert any("`A.run` is defined at line 5" in p for p in problems)
    assert any("`run` is ambiguous (A.run, B.run)" in p for p in problems)
    assert any("no def, class or assignment named `nothing`" in p for p in problems)
    assert any("code.py has 15 lines" in p for p in problems)
    assert any("missing.py: no such file" in p for p in problems)
    assert any("#no-such-heading: no heading" in p for p in problems)
    build.update_page(path)
    assert "[`A.run`](code.py#L5)" in path.read_text()


def test_quoted_source_must_be_verbatim_and_is_copied_afresh(tmp_path):
    (tmp_path / "code.py").write_text(
        "class A:\n    @staticmethod\n    def run(x):\n        return x + 1\n"
    )
    path = _page(
        tmp_path,
        """
        <!-- source: code.py#A.run -->
        ```python
        def run(x):
            return x + 2
        ```
        """,
    )
    [problem] = _check(path)
    assert ":2: this quote of code.py#A.run differs from the source" in problem
    build.update_page(path)
    assert "```python\n@staticmethod\ndef run(x):\n    return x + 1\n```" in path.read_text()
    assert _check(path) == []


def test_code_inside_blocks_and_code_spans_is_not_read_as_links(tmp_path):
    path = _page(
        tmp_path,
        """
        Write `[text](missing.md)` for a link.

        ```text
        [text](missing.md)
        ```
        """,
    )
    assert _check(path) == []


def test_slugs_follow_the_code_host_and_mkdocs():
    assert build.github_slug("Mean vs sum: the learning rate") == "mean-vs-sum-the-learning-rate"
    assert build.mkdocs_slug("Mean vs sum: the learning rate") == "mean-vs-sum-the-learning-rate"


# ---------------------------------------------------------------------------------- the pages
DOCS = ROOT / "docs"


def _section(text: str, heading: str) -> str:
    """The part of a page from a '## heading' line to the next '## ' heading."""
    start = text.index(f"\n## {heading}\n")
    end = text.find("\n## ", start + 1)
    return text[start : end if end != -1 else len(text)]


def _link_targets(page: Path, text: str) -> set[Path]:
    return {
        (page.parent / m["target"].partition("#")[0]).resolve()
        for m in build._LINK.finditer(text)
        if not re.match(r"^[a-z]+:", m["target"])
    }


def test_the_source_map_lists_every_module_file_and_no_other():
    index = DOCS / "index.md"
    mapped = {
        p
        for p in _link_targets(index, _section(index.read_text(), "Map of the source"))
        if (ROOT / "tinygrad_lr") in p.parents and p.suffix == ".py"
    }
    files = {p.resolve() for p in (ROOT / "tinygrad_lr").rglob("*.py")}
    names = lambda paths: sorted(p.relative_to(ROOT).as_posix() for p in paths)  # noqa: E731
    if files - mapped:
        pytest.fail(f"docs/index.md's map does not list {names(files - mapped)}", pytrace=False)
    if mapped - files:
        pytest.fail(f"docs/index.md's map lists missing files {names(mapped - files)}")


def _bash_blocks(page: Path) -> list[str]:
    blocks, _ = build.parse_blocks(page.read_text(), build.display_name(page))
    return [b.code for b in blocks if b.language == "bash"]


def test_the_index_shows_the_readme_s_two_commands():
    assert _bash_blocks(DOCS / "index.md")[0] == _bash_blocks(ROOT / "README.md")[0]


def _nav_pages() -> list[str]:
    text = (ROOT / "mkdocs.yml").read_text()
    nav = text[text.index("\nnav:") : text.index("\nhooks:")]
    return re.findall(r":\s*([\w/.-]+\.md)\s*$", nav, re.MULTILINE)


def test_every_page_is_in_the_index_and_the_site_navigation():
    pages = {p.relative_to(DOCS).as_posix() for p in DOCS.rglob("*.md")}
    nav = _nav_pages()
    # source/<path> is a Markdown file from outside docs/, brought in by docs/mkdocs_hooks.py.
    brought_in = [n for n in nav if n.startswith("source/")]
    missing = [n for n in brought_in if not (ROOT / n.removeprefix("source/")).is_file()]
    if missing:
        pytest.fail(f"mkdocs.yml's nav names files that do not exist: {missing}", pytrace=False)
    nav = [n for n in nav if n not in brought_in]
    if sorted(nav) != sorted(pages):
        pytest.fail(
            f"mkdocs.yml's nav must list exactly the pages of docs/: missing "
            f"{sorted(set(pages) - set(nav))}, not found {sorted(set(nav) - set(pages))}",
            pytrace=False,
        )
    linked = {
        p.relative_to(DOCS).as_posix()
        for p in _link_targets(DOCS / "index.md", (DOCS / "index.md").read_text())
        if DOCS in p.parents
    }
    assert not pages - linked - {"index.md"}, f"docs/index.md links to none of {pages - linked}"
    assert "docs/index.md" in (ROOT / "README.md").read_text(), "README.md links to the docs"


def test_the_math_page_gives_every_op_s_backward_rule():
    import tinygrad_lr.ops

    text = _section((DOCS / "math.md").read_text(), "Every built-in operation's backward rule")
    rows = set(re.findall(r"^\| \[`(\w+)`\]", text, re.MULTILINE))
    ops = set(tinygrad_lr.ops.__all__)
    if ops - rows:
        pytest.fail(f"docs/math.md has no backward rule for {sorted(ops - rows)}", pytrace=False)
    if rows - ops:
        pytest.fail(f"docs/math.md has rules for unknown ops {sorted(rows - ops)}", pytrace=False)


def _pytorch_tables() -> dict[str, dict[str, str]]:
    """docs/pytorch.md's tables: namespace -> {name: torch cell}."""
    text = _section((DOCS / "pytorch.md").read_text(), "Every public name")
    tables: dict[str, dict[str, str]] = {}
    namespace = None
    for line in text.splitlines():
        heading = re.match(r"^### `([\w.]+)`", line)
        if heading:
            namespace = heading[1]
            tables[namespace] = {}
        row = re.match(r"^\| `(\w+)` \| ([^|]*) \|", line)
        if row and namespace:
            tables[namespace][row[1]] = row[2].strip()
    return tables


def test_the_pytorch_page_lists_every_public_name():
    from helpers import api_namespaces, public_names

    import tinygrad_lr as tg

    tables = _pytorch_tables()
    expected = {m.__name__: set(public_names(m)) for m in api_namespaces() if public_names(m)}
    expected["tinygrad_lr.Tensor"] = {n for n in dir(tg.Tensor) if not n.startswith("_")}
    problems = []
    for namespace, names in sorted(expected.items()):
        listed = set(tables.get(namespace, {}))
        if names - listed:
            problems.append(f"{namespace}: not in docs/pytorch.md: {sorted(names - listed)}")
        if listed - names:
            problems.append(f"{namespace}: listed but not public: {sorted(listed - names)}")
    for namespace in sorted(set(tables) - set(expected)):
        problems.append(f"docs/pytorch.md has a table for {namespace}, which has no public names")
    if problems:
        pytest.fail("\n".join(problems), pytrace=False)


def _torch_object(dotted: str) -> object:
    """``torch.a.b.C`` as an attribute chain, importing the longest module prefix first
    (``torch.autograd.gradcheck`` is a function attribute but also a module)."""
    parts = dotted.split(".")
    for split in range(len(parts), 0, -1):
        try:
            obj = importlib.import_module(".".join(parts[:split]))
        except ImportError:
            continue
        for part in parts[split:]:
            obj = getattr(obj, part, None)
        if obj is not None:
            return obj
    return None


def test_the_pytorch_page_names_torch_counterparts_that_exist(torch):
    problems = []
    for namespace, rows in _pytorch_tables().items():
        for name, cell in rows.items():
            if cell == "—":
                continue
            match = re.fullmatch(r"`(torch(?:\.\w+)*)`", cell)
            if not match:
                problems.append(f"{namespace}.{name}: torch cell {cell!r} is not `torch.x` or —")
                continue
            if _torch_object(match[1]) is None:
                problems.append(f"{namespace}.{name}: {match[1]} does not exist in torch")
    if problems:
        pytest.fail("\n".join(problems), pytrace=False)
