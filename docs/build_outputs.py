"""Run the code in README.md and docs/, and rewrite what the pages show from what it printed.

    python docs/build_outputs.py           # rewrite output blocks and source-line anchors
    python docs/build_outputs.py --check   # change nothing; exit 1 if a page is stale
    python docs/build_outputs.py docs/math.md   # one page

The conventions it enforces (tests/test_docs.py checks them on every page):

- Every fenced block whose language is ``python`` is run, in page order, in one namespace per
  page, in a fresh interpreter started in an empty folder: what a reader gets by pasting the
  page's blocks into ``python`` one after the other, from any directory.
- A ``text`` block right after a ``python`` block, with the comment ``<!-- output -->`` on the
  line just above its fence, shows what that python block prints. Nobody writes it by hand: this
  script fills it in, and the tests fail when it differs from what the code prints.
- ``<!-- requires: torch -->`` on the line just above a python block runs it only where torch is
  installed (``requires: dot``: where Graphviz's program ``dot`` is); the tests skip it
  elsewhere, and a skip fails in CI. The text just above it must say so where readers see it
  ("this block needs PyTorch").
- ``<!-- source: ../tinygrad_lr/ops/arithmetic.py#Mul -->`` on the line just above a python
  block quotes that definition: the block must be its source, verbatim (this script copies it).
- A link to source whose text is a code span naming a definition, like
  ``[`Tensor.backward`](../tinygrad_lr/tensor.py#L252)``, must point at the line of that ``def``
  or ``class``; this script rewrites the line numbers when the source moves. Other links to
  ``#L<n>`` lines must lie within the file, and every relative link must reach an existing file
  (and heading).
"""

from __future__ import annotations

import argparse
import ast
import contextlib
import difflib
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import textwrap
import traceback
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUTPUT_MARKER = "output"
REQUIRES_MARKER = "requires:"
SOURCE_MARKER = "source:"
# Languages that look like Python but would not be run: refused, so no Python goes unchecked.
UNRUN_PYTHON = {"py", "python3", "pycon", "ipython", "python-repl"}
PAGE_TIMEOUT = 600  # seconds for all the blocks of one page

_FENCE = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})(?P<info>.*)$")
_COMMENT = re.compile(r"^\s*<!--\s*(?P<text>.*?)\s*-->\s*$")
_LINK = re.compile(r"(?P<image>!?)\[(?P<text>(?:[^\[\]]|\[[^\]]*\])*)\]\((?P<target>[^)\s]+)\)")
_LINE_ANCHOR = re.compile(r"^L(?P<start>\d+)(?:-L(?P<end>\d+))?$")
_SYMBOL_TEXT = re.compile(r"^`(?P<name>[A-Za-z_][\w.]*)(?:\(\))?`$")


@dataclass
class Block:
    """A fenced code block of a page. Lines are 1-based line numbers in the page."""

    language: str
    start: int  # the opening fence
    end: int  # the closing fence
    code: str
    indent: str
    marker: str | None = None  # the <!-- ... --> comment on the line above the fence
    output_of: int | None = None  # for an output block: the index of its python block
    requires: list[str] = field(default_factory=list)


@dataclass
class Problem:
    """Something wrong with a page, at a line of it."""

    page: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.page}:{self.line}: {self.message}"


def display_name(path: Path) -> str:
    """The page's path relative to the repository root when it is inside it."""
    try:
        return Path(path).resolve().relative_to(ROOT).as_posix()
    except ValueError:
        return str(path)


def doc_pages() -> list[Path]:
    """README.md and every Markdown page under docs/, in a stable order."""
    return [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]


# ---------------------------------------------------------------------------------- parsing
def parse_blocks(text: str, page: str) -> tuple[list[Block], list[Problem]]:
    """The fenced blocks of a page, and the problems with how they are marked."""
    lines = text.split("\n")
    blocks: list[Block] = []
    problems: list[Problem] = []
    i = 0
    while i < len(lines):
        opening = _FENCE.match(lines[i])
        if not opening:
            i += 1
            continue
        indent, fence = opening["indent"], opening["fence"]
        info = opening["info"].strip()
        language = info.split()[0].lower() if info else ""
        body: list[str] = []
        j = i + 1
        while j < len(lines):
            closing = _FENCE.match(lines[j])
            if (
                closing
                and closing["fence"][0] == fence[0]
                and len(closing["fence"]) >= len(fence)
                and not closing["info"].strip()
            ):
                break
            line = lines[j]
            body.append(line[len(indent) :] if line.startswith(indent) else line.lstrip())
            j += 1
        else:
            problems.append(Problem(page, i + 1, f"code block opened with {fence} is never closed"))
        comment = _COMMENT.match(lines[i - 1]) if i > 0 else None
        block = Block(
            language=language,
            start=i + 1,
            end=j + 1,
            code="\n".join(body),
            indent=indent,
            marker=comment["text"] if comment else None,
        )
        blocks.append(block)
        i = j + 1

    for index, block in enumerate(blocks):
        marker = block.marker or ""
        if block.language in UNRUN_PYTHON:
            problems.append(
                Problem(
                    page,
                    block.start,
                    f"a ```{block.language} block is not run by the tests; write ```python "
                    "(one namespace per page, as a reader pastes it)",
                )
            )
        if marker.startswith(REQUIRES_MARKER):
            if block.language != "python":
                problems.append(
                    Problem(page, block.start, "<!-- requires: ... --> must mark a python block")
                )
            block.requires = [m.strip() for m in marker[len(REQUIRES_MARKER) :].split(",")]
            block.requires = [m for m in block.requires if m]
            # The comment is invisible on the rendered page: the text above must say it too.
            above = [line for line in lines[max(0, block.start - 6) : block.start - 2] if line]
            said = " ".join(above[-3:]).lower()
            for module in block.requires:
                if "needs" not in said or module.lower() not in said:
                    problems.append(
                        Problem(
                            page,
                            block.start,
                            f"the text just above a block that needs {module} must say so for "
                            f"readers, e.g. '(this block needs {module}: pip install ...)'",
                        )
                    )
        if marker.startswith(SOURCE_MARKER) and block.language != "python":
            problems.append(
                Problem(page, block.start, "<!-- source: ... --> must mark a python block")
            )
        if marker == OUTPUT_MARKER:
            previous = blocks[index - 1] if index else None
            between = lines[previous.end : block.start - 2] if previous else []
            if block.language != "text":
                problems.append(
                    Problem(page, block.start, "an <!-- output --> block must be a ```text block")
                )
            elif (
                previous is None
                or previous.language != "python"
                or any(line.strip() for line in between)
            ):
                problems.append(
                    Problem(
                        page,
                        block.start,
                        "an <!-- output --> block must follow a ```python block directly (only "
                        "blank lines between its closing fence and the marker)",
                    )
                )
            else:
                block.output_of = index - 1
    return blocks, problems


# ---------------------------------------------------------------------------------- running
def _execute(page: str, blocks: list[dict]) -> list[dict]:
    """Run python blocks in one namespace, as ``python`` would; called in a fresh interpreter."""
    namespace: dict = {"__name__": "__main__", "__builtins__": __builtins__}
    sys.argv = [""]
    results = []
    for block in blocks:
        missing = []
        for module in block["requires"]:
            if module == "dot":  # Graphviz's program, not a module
                if shutil.which("dot") is None:
                    missing.append("Graphviz's dot program")
                continue
            try:
                __import__(module)
            except ImportError:
                missing.append(module)
        if missing:
            results.append({"skipped": f"needs {', '.join(missing)}, which is not installed"})
            continue
        # Padding with newlines makes line numbers in tracebacks the page's own line numbers.
        source = "\n" * block["start"] + block["code"] + "\n"
        captured = io.StringIO()
        try:
            # dont_inherit: this file's `from __future__` imports must not leak into the page.
            code = compile(source, page, "exec", dont_inherit=True)
            with contextlib.redirect_stdout(captured):
                exec(code, namespace)
        except BaseException as error:  # noqa: BLE001  (a page may raise anything, SystemExit too)
            tb = error.__traceback__
            # Drop this function's own frame: the reader's traceback starts in the page.
            frames = traceback.extract_tb(tb)
            skip = 1 if frames and frames[0].filename == __file__ else 0
            for _ in range(skip):
                tb = tb.tb_next if tb is not None else None
            message = "".join(traceback.format_exception(type(error), error, tb))
            results.append({"stdout": captured.getvalue(), "error": message})
            break
        results.append({"stdout": captured.getvalue(), "error": None})
    return results


@dataclass
class BlockRun:
    """What running one python block gave."""

    block: Block
    stdout: str = ""
    error: str | None = None
    skipped: str | None = None


def run_page(path: Path, blocks: list[Block]) -> list[BlockRun]:
    """Run the page's python blocks in a fresh interpreter, in an empty folder: a page's code
    must work pasted from any directory, so it may not open files by relative paths.

    Blocks after a failing one are not run (they would fail for the wrong reason).
    """
    python_blocks = [b for b in blocks if b.language == "python"]
    if not python_blocks:
        return []
    payload = [{"start": b.start, "code": b.code, "requires": b.requires} for b in python_blocks]
    with tempfile.TemporaryDirectory() as tmp:
        request, response = Path(tmp) / "blocks.json", Path(tmp) / "results.json"
        request.write_text(json.dumps({"page": display_name(path), "blocks": payload}))
        env = {**os.environ, "MPLBACKEND": "Agg", "PYTHONIOENCODING": "utf-8"}
        elsewhere = Path(tmp) / "elsewhere"
        elsewhere.mkdir()
        process = subprocess.run(
            [
                sys.executable,
                str(Path(__file__).resolve()),
                "--execute",
                str(request),
                str(response),
            ],
            cwd=elsewhere,
            env=env,
            capture_output=True,
            text=True,
            timeout=PAGE_TIMEOUT,
        )
        if not response.exists():
            raise RuntimeError(
                f"{display_name(path)}: the interpreter running its blocks died "
                f"(exit {process.returncode}):\n{process.stdout}\n{process.stderr}"
            )
        results = json.loads(response.read_text())
    return [
        BlockRun(block, r.get("stdout", ""), r.get("error"), r.get("skipped"))
        for block, r in zip(python_blocks, results)
    ]


def _normalize(output: str) -> list[str]:
    lines = [line.rstrip() for line in output.split("\n")]
    while lines and not lines[-1]:
        lines.pop()
    return lines


def run_problems(page: str, blocks: list[Block], runs: list[BlockRun]) -> list[Problem]:
    """Failing blocks, and output blocks that differ from what their python block printed."""
    problems = []
    by_start = {run.block.start: run for run in runs}
    for run in runs:
        if run.error is not None:
            problems.append(Problem(page, run.block.start, f"this block raised:\n{run.error}"))
    for block in blocks:
        if block.output_of is None:
            continue
        run = by_start.get(blocks[block.output_of].start)
        if run is None or run.error is not None or run.skipped:
            continue  # not run: reported above or as a skip
        expected, actual = _normalize(block.code), _normalize(run.stdout)
        if expected != actual:
            diff = "\n".join(
                difflib.unified_diff(expected, actual, "shown in the page", "printed", lineterm="")
            )
            problems.append(
                Problem(
                    page,
                    block.start,
                    "the output shown differs from what the block above prints; regenerate it "
                    f"with `python docs/build_outputs.py {page}`:\n{diff}",
                )
            )
    return problems


def rewrite_outputs(text: str, blocks: list[Block], runs: list[BlockRun]) -> str:
    """The page with every output block replaced by what its python block printed."""
    lines = text.split("\n")
    by_start = {run.block.start: run for run in runs}
    # From the bottom up, so earlier line numbers stay valid.
    for block in reversed(blocks):
        if block.output_of is None:
            continue
        run = by_start.get(blocks[block.output_of].start)
        if run is None or run.error is not None or run.skipped:
            continue
        new_body = [block.indent + line if line else "" for line in _normalize(run.stdout)]
        lines[block.start : block.end - 1] = new_body
    return "\n".join(lines)


# ---------------------------------------------------------------------------------- links
def _outside_code(text: str, blocks: list[Block]) -> list[tuple[int, str]]:
    """(line number, line) of the lines that are not inside a fenced block."""
    inside = set()
    for block in blocks:
        inside.update(range(block.start, block.end + 1))
    return [(n, line) for n, line in enumerate(text.split("\n"), 1) if n not in inside]


def _strip_code_spans(line: str) -> str:
    """Blank out inline code that is not a whole link text, so `[x](y)` in code is no link."""

    def blank(match: re.Match[str]) -> str:
        start, end = match.start(), match.end()
        if line[start - 1 : start] == "[" and line[end : end + 1] == "]":
            return match.group()
        return " " * (end - start)

    # Spans pair up left to right: a run of backticks ends at the next run of the same length.
    return re.sub(r"(`+)(.+?)(?<!`)\1(?!`)", blank, line)


def github_slug(heading: str) -> str:
    """The anchor a code host gives a heading: lower case, punctuation dropped, spaces to '-'."""
    text = re.sub(r"[^\w\- ]", "", heading.strip().lower())
    return text.replace(" ", "-")


def mkdocs_slug(heading: str) -> str:
    """The anchor mkdocs (Python-Markdown's toc) gives a heading."""
    text = unicodedata.normalize("NFKD", heading).encode("ascii", "ignore").decode("ascii")
    text = re.sub(r"[^\w\s-]", "", text).strip().lower()
    return re.sub(r"[-\s]+", "-", text)


def heading_anchors(text: str) -> tuple[set[str], set[str]]:
    """The anchors of a Markdown page's headings, as a code host and as mkdocs make them."""
    blocks, _ = parse_blocks(text, "")
    github, mkdocs = set(), set()
    seen: dict[str, int] = {}
    for _, line in _outside_code(text, blocks):
        match = re.match(r"^#{1,6}\s+(.*?)\s*#*\s*$", line)
        if not match:
            continue
        heading = re.sub(r"`([^`]*)`", r"\1", match[1])  # code spans keep their text
        heading = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", heading)  # links keep their text
        slug = github_slug(heading)
        count = seen.get(slug, 0)
        seen[slug] = count + 1
        github.add(slug if count == 0 else f"{slug}-{count}")
        mkdocs.add(mkdocs_slug(heading))
    return github, mkdocs


def python_symbols(path: Path) -> dict[str, int]:
    """Qualified names of a Python file's definitions and assignments -> their line."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    symbols: dict[str, int] = {}

    def visit(body: list[ast.stmt], prefix: str) -> None:
        for node in body:
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                symbols.setdefault(prefix + node.name, node.lineno)
                if isinstance(node, ast.ClassDef):
                    visit(node.body, f"{prefix}{node.name}.")
            elif isinstance(node, (ast.Assign, ast.AnnAssign)):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                for target in targets:
                    if isinstance(target, ast.Name):
                        symbols.setdefault(prefix + target.id, node.lineno)

    visit(tree.body, "")
    return symbols


def find_symbol(name: str, symbols: dict[str, int]) -> tuple[str | None, str]:
    """The qualified name that ``name`` (possibly prefixed: ``engine.sum_to_shape``) means.

    Returns (qualified name, "") or (None, the reason).
    """
    parts = name.split(".")
    for k in range(len(parts)):
        suffix = ".".join(parts[k:])
        if suffix in symbols:
            return suffix, ""
        candidates = [q for q in symbols if q.endswith("." + suffix)]
        if len(candidates) == 1:
            return candidates[0], ""
        if candidates:
            return None, f"`{name}` is ambiguous ({', '.join(sorted(candidates))}); qualify it"
    return None, f"no def, class or assignment named `{name}`"


def link_problems(path: Path, text: str, fix: bool = False) -> tuple[list[Problem], str]:
    """Check a page's relative links; with ``fix``, also return the page with anchors fixed."""
    page = display_name(path)
    blocks, _ = parse_blocks(text, page)
    problems: list[Problem] = []
    lines = text.split("\n")
    symbol_cache: dict[Path, dict[str, int]] = {}
    for number, raw in _outside_code(text, blocks):
        for match in _LINK.finditer(_strip_code_spans(raw)):
            target = match["target"]
            if re.match(r"^[a-z][a-z0-9+.-]*:", target) or target.startswith("//"):
                continue  # http:, https:, mailto: ...
            file_part, _, anchor = target.partition("#")
            destination = (path.parent / file_part).resolve() if file_part else path.resolve()
            if not destination.exists():
                problems.append(Problem(page, number, f"link to {target}: no such file"))
                continue
            inside = ROOT in path.resolve().parents
            if inside and ROOT not in destination.parents and destination != ROOT:
                problems.append(Problem(page, number, f"link to {target} leaves the repository"))
                continue
            if not anchor:
                continue
            if destination.suffix == ".md":
                github, mkdocs = heading_anchors(destination.read_text(encoding="utf-8"))
                if anchor not in github or anchor not in mkdocs:
                    problems.append(
                        Problem(page, number, f"link to {target}: no heading with that anchor")
                    )
                continue
            line_anchor = _LINE_ANCHOR.match(anchor)
            if not line_anchor or destination.is_dir():
                problems.append(
                    Problem(page, number, f"link to {target}: a file anchor must be #L<n>[-L<m>]")
                )
                continue
            length = len(destination.read_text(encoding="utf-8").splitlines())
            start = int(line_anchor["start"])
            end = int(line_anchor["end"] or start)
            if not 1 <= start <= end <= length:
                problems.append(
                    Problem(page, number, f"link to {target}: {file_part} has {length} lines")
                )
                continue
            symbol = _SYMBOL_TEXT.match(match["text"])
            if not symbol or destination.suffix != ".py":
                continue
            if destination not in symbol_cache:
                symbol_cache[destination] = python_symbols(destination)
            qualified, reason = find_symbol(symbol["name"], symbol_cache[destination])
            if qualified is None:
                problems.append(
                    Problem(
                        page,
                        number,
                        f"link to {target}: {reason} in {file_part}; a link whose text is code "
                        "must name the definition it points at",
                    )
                )
                continue
            expected = symbol_cache[destination][qualified]
            if start != expected or line_anchor["end"]:
                if fix:
                    new_target = f"{file_part}#L{expected}"
                    lines[number - 1] = lines[number - 1].replace(
                        f"]({target})", f"]({new_target})", 1
                    )
                else:
                    problems.append(
                        Problem(
                            page,
                            number,
                            f"link to {target}: `{qualified}` is defined at line {expected}; "
                            f"run `python docs/build_outputs.py {page}` to update the anchors",
                        )
                    )
    return problems, "\n".join(lines)


def definition_source(path: Path, qualified: str) -> str:
    """The source of a definition, decorators included, dedented."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    body: list[ast.stmt] = tree.body
    node: ast.stmt | None = None
    for part in qualified.split("."):
        node = next(n for n in body if getattr(n, "name", None) == part or _assigns(n, part))
        body = getattr(node, "body", [])
    assert node is not None and node.end_lineno is not None
    start = min([node.lineno] + [d.lineno for d in getattr(node, "decorator_list", [])])
    lines = path.read_text(encoding="utf-8").splitlines()[start - 1 : node.end_lineno]
    return textwrap.dedent("\n".join(lines))


def _assigns(node: ast.stmt, name: str) -> bool:
    targets = node.targets if isinstance(node, ast.Assign) else []
    if isinstance(node, ast.AnnAssign):
        targets = [node.target]
    return any(isinstance(t, ast.Name) and t.id == name for t in targets)


def quote_problems(path: Path, text: str, fix: bool = False) -> tuple[list[Problem], str]:
    """Check that each <!-- source: file#Name --> block is that definition's source, verbatim;
    with ``fix``, also return the page with the quotes copied afresh."""
    page = display_name(path)
    blocks, _ = parse_blocks(text, page)
    lines = text.split("\n")
    problems = []
    for block in reversed(blocks):  # bottom up: rewriting keeps earlier line numbers valid
        marker = block.marker or ""
        if not marker.startswith(SOURCE_MARKER) or block.language != "python":
            continue
        target = marker[len(SOURCE_MARKER) :].strip()
        file_part, _, name = target.partition("#")
        source_file = (path.parent / file_part).resolve()
        if not name or source_file.suffix != ".py" or not source_file.exists():
            problems.append(
                Problem(page, block.start - 1, f"source: {target} is not an existing file.py#Name")
            )
            continue
        qualified, reason = find_symbol(name, python_symbols(source_file))
        if qualified is None:
            problems.append(Problem(page, block.start - 1, f"source: {target}: {reason}"))
            continue
        source = definition_source(source_file, qualified)
        if _normalize(source) == _normalize(block.code):
            continue
        if fix:
            new_body = [block.indent + line if line else "" for line in _normalize(source)]
            lines[block.start : block.end - 1] = new_body
        else:
            problems.append(
                Problem(
                    page,
                    block.start,
                    f"this quote of {target} differs from the source; copy it afresh with "
                    f"`python docs/build_outputs.py {page}`",
                )
            )
    return problems, "\n".join(lines)


# ---------------------------------------------------------------------------------- driver
def check_page(path: Path, run: bool = True) -> tuple[list[Problem], list[BlockRun]]:
    """Every problem with a page: its block markers, links, failing blocks and stale outputs."""
    page = display_name(path)
    text = path.read_text(encoding="utf-8")
    blocks, problems = parse_blocks(text, page)
    runs = run_page(path, blocks) if run and not problems else []
    problems += link_problems(path, text)[0]
    problems += quote_problems(path, text)[0]
    problems += run_problems(page, blocks, runs)
    return problems, runs


def update_page(path: Path) -> tuple[bool, list[Problem]]:
    """Rewrite a page's output blocks and symbol-link anchors; returns (changed, problems left)."""
    page = display_name(path)
    text = path.read_text(encoding="utf-8")
    problems, new_text = link_problems(path, text, fix=True)
    more, new_text = quote_problems(path, new_text, fix=True)
    problems += more
    blocks, structure = parse_blocks(new_text, page)
    problems += structure
    if not structure:
        runs = run_page(path, blocks)
        new_text = rewrite_outputs(new_text, blocks, runs)
        problems += [p for p in run_problems(page, blocks, runs) if "raised" in p.message]
    changed = new_text != text
    if changed:
        path.write_text(new_text, encoding="utf-8")
    return changed, problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pages", nargs="*", type=Path, help="pages (default: README and docs/)")
    parser.add_argument("--check", action="store_true", help="report stale pages, change none")
    parser.add_argument("--execute", nargs=2, type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.execute:  # the fresh interpreter that runs one page's blocks
        request, response = args.execute
        job = json.loads(request.read_text())
        response.write_text(json.dumps(_execute(job["page"], job["blocks"])))
        return 0
    pages = [p.resolve() for p in args.pages] or doc_pages()
    failed = False
    for path in pages:
        if args.check:
            problems, _ = check_page(path)
            status = "ok" if not problems else "STALE OR FAILING"
        else:
            changed, problems = update_page(path)
            status = "updated" if changed else "unchanged"
        print(f"{display_name(path)}: {status}")
        for problem in problems:
            print(f"  {problem}")
        failed = failed or bool(problems)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
