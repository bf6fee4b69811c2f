"""The core's files in reading order with their size, and the import cycles of tinygrad_lr.

    python docs/core_map.py            # print the map as Markdown
    python docs/core_map.py --write    # rewrite the map in README.md and docs/index.md
    python docs/core_map.py --check    # change nothing; exit 1 if a page's map is stale

The pages show the map between ``<!-- core-map:start -->`` and ``<!-- core-map:end -->``: every
number they give about the size of the source comes from here, never typed by hand
(tests/test_core_map.py fails when a page is stale). Only ``ast`` and ``pathlib`` are needed, and
the package is read, never imported, so the map can be drawn while the package is broken.
"""

from __future__ import annotations

import argparse
import ast
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = "tinygrad_lr"

# The core in reading order. A pattern stands for its files: ``ops/*.py`` reads ops/__init__.py,
# then the modules it imports, in the order it imports them. Missing files are skipped.
CORE = [
    "tinygrad_lr/dtypes.py",
    "tinygrad_lr/grad_mode.py",
    "tinygrad_lr/autograd/function.py",
    "tinygrad_lr/autograd/engine.py",
    "tinygrad_lr/ops/*.py",
    "tinygrad_lr/tensor.py",
]
# Modules that exist to serve the core, read after it; add new ones here (missing ones are skipped).
CORE_HELPERS = [
    "tinygrad_lr/arguments.py",
    "tinygrad_lr/checks.py",
    "tinygrad_lr/indexing.py",
    "tinygrad_lr/promotion.py",
    "tinygrad_lr/inplace.py",
    "tinygrad_lr/formatting.py",
    "tinygrad_lr/random.py",
]
# The pages that show the map, and which of its parts each needs.
PAGES = {
    "README.md": ("sizes",),
    "docs/index.md": ("sizes", "imports"),
}
START, END = "<!-- core-map:start -->", "<!-- core-map:end -->"
GENERATED = "<!-- written by python docs/core_map.py --write: do not edit by hand -->"


# ---------------------------------------------------------------------------------- the files
def _rel(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def core_files() -> list[str]:
    """The core's files that exist, in reading order, each once.

    Returns
    -------
    list of str
        Paths relative to the repository root, such as ``"tinygrad_lr/tensor.py"``.
    """
    files: list[str] = []
    for entry in [*CORE, *CORE_HELPERS]:
        if "*" not in entry:
            found = [entry] if (ROOT / entry).is_file() else []
        else:
            folder = (ROOT / entry).parent
            init = folder / "__init__.py"
            imported = [i.target for i in imports(_rel(init))] if init.is_file() else []
            everything = sorted(_rel(p) for p in folder.glob(Path(entry).name))
            # __init__.py, the modules it imports in its order, then any others it does not import
            found = [f for f in [_rel(init), *imported] if f in everything] + everything
        files += [f for f in dict.fromkeys(found) if f not in files]
    return files


def package_files() -> list[str]:
    """Every ``.py`` file of the package, sorted."""
    return sorted(_rel(p) for p in (ROOT / PACKAGE).rglob("*.py"))


@dataclass
class Size:
    """The size of one file, or of several added up."""

    lines: int = 0
    code: int = 0  # lines that are not blank, not comments and not inside docstrings
    files: int = 0

    def __add__(self, other: Size) -> Size:
        return Size(self.lines + other.lines, self.code + other.code, self.files + other.files)


def size(file: str) -> Size:
    """Count a file's lines, and its lines of code.

    A docstring is any string standing alone as a statement (a module's, class's or function's
    docstring, or an attribute's just below it).

    Parameters
    ----------
    file : str
        Path relative to the repository root.

    Returns
    -------
    Size
        Its total lines and code lines (``files`` is 1).
    """
    text = (ROOT / file).read_text(encoding="utf-8")
    docstrings: set[int] = set()
    in_strings: set[int] = set()  # lines inside a string after its first: a "#" there is text
    for node in ast.walk(ast.parse(text)):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            in_strings.update(range(node.lineno + 1, node.end_lineno + 1))
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant):
            if isinstance(node.value.value, str):
                docstrings.update(range(node.lineno, node.end_lineno + 1))
    lines = text.splitlines()
    code = [
        number
        for number, line in enumerate(lines, start=1)
        if line.strip()
        and number not in docstrings
        and (number in in_strings or not line.strip().startswith("#"))
    ]
    return Size(len(lines), len(code), 1)


def total(files: list[str]) -> Size:
    """The sizes of several files added up."""
    return sum((size(f) for f in files), Size())


# ---------------------------------------------------------------------------------- the imports
@dataclass
class Import:
    """One import of a module of the package by another."""

    source: str  # the importing file
    line: int
    target: str  # the imported file (a package is its __init__.py)
    statement: str
    late: str = ""  # why it is late: "in a function", "after other code", or "" if it is not


def _module_file(dotted: str) -> str | None:
    """The file of a module of the package, given its dotted name."""
    base = ROOT.joinpath(*dotted.split("."))
    for path in (base.with_name(base.name + ".py"), base / "__init__.py"):
        if path.is_file():
            return _rel(path)
    return None


def _targets(file: str, node: ast.Import | ast.ImportFrom) -> list[str]:
    """The package's files an import statement of ``file`` loads."""
    if isinstance(node, ast.Import):
        names = [alias.name for alias in node.names]
    else:
        if node.level:  # relative: from the file's package, one level up per extra dot
            parts = Path(file).parent.parts
            base = ".".join([*parts[: len(parts) - node.level + 1], *filter(None, [node.module])])
        else:
            base = node.module or ""
        # ``from x import y`` loads the module x.y if there is one, else it takes y from x.
        names = [
            f"{base}.{a.name}" if _module_file(f"{base}.{a.name}") else base for a in node.names
        ]
    found = [_module_file(n) for n in names if n.split(".")[0] == PACKAGE]
    return list(dict.fromkeys(f for f in found if f))


def _is_type_checking(node: ast.AST) -> bool:
    """Whether a node is ``if TYPE_CHECKING:``, whose imports never run."""
    test = getattr(node, "test", None)
    name = getattr(test, "id", getattr(test, "attr", None))
    return isinstance(node, ast.If) and name == "TYPE_CHECKING"


def _imports_in(node: ast.AST, in_function: bool = False):
    """The import statements in a node, each with whether it is inside a function."""
    if isinstance(node, (ast.Import, ast.ImportFrom)):
        yield node, in_function
    elif not _is_type_checking(node):
        in_function = in_function or isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
        for child in ast.iter_child_nodes(node):
            yield from _imports_in(child, in_function)


_CODE = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Assign, ast.AnnAssign, ast.Expr)


def imports(file: str) -> list[Import]:
    """The imports of other modules of the package in one file, in the order of the file.

    Imports under ``if TYPE_CHECKING:`` are left out: they never run.

    Parameters
    ----------
    file : str
        Path relative to the repository root.

    Returns
    -------
    list of Import
        One per imported file; ``late`` says why an import is late: inside a function, or at
        module level below a definition, an assignment or an expression.
    """
    tree = ast.parse((ROOT / file).read_text(encoding="utf-8"))
    found: list[Import] = []
    after_code = False
    for index, statement in enumerate(tree.body):
        for node, in_function in _imports_in(statement):
            late = "in a function" if in_function else "after other code" if after_code else ""
            for target in _targets(file, node):
                found.append(Import(file, node.lineno, target, ast.unparse(node), late))
        docstring = index == 0 and isinstance(statement, ast.Expr)
        after_code = after_code or (isinstance(statement, _CODE) and not docstring)
    return found


def cycles(files: list[str]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan's algorithm).

    Parameters
    ----------
    files : list of str
        The graph's modules; only imports between them count.

    Returns
    -------
    list of list of str
        Each component's files, sorted; the components in the order of their first file.
    """
    graph = {f: sorted({i.target for i in imports(f)} & set(files)) for f in files}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    components: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for successor in graph[node]:
            if successor not in index:
                visit(successor)
                low[node] = min(low[node], low[successor])
            elif successor in stack:
                low[node] = min(low[node], index[successor])
        if low[node] == index[node]:  # node is the root of a component: pop it
            component = []
            while not component or component[-1] != node:
                component.append(stack.pop())
            components.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return sorted(c for c in components if len(c) > 1)


# ---------------------------------------------------------------------------------- the Markdown
def _n(number: int) -> str:
    return f"{number:,}"


def sizes_markdown() -> list[str]:
    """The core's files in reading order with their size, then the package's size."""
    core, package = core_files(), package_files()
    rows = [
        f"| {i} | `{f}` | {_n(size(f).lines)} | {_n(size(f).code)} |" for i, f in enumerate(core, 1)
    ]
    core_size, package_size = total(core), total(package)
    return [
        "**The core in reading order**, with its size (code lines: not blank, not comments, not "
        "docstrings):",
        "",
        "| | File | Lines | Code lines |",
        "| ---: | --- | ---: | ---: |",
        *rows,
        f"| | **the core: {core_size.files} files** | **{_n(core_size.lines)}** "
        f"| **{_n(core_size.code)}** |",
        "",
        f"**The whole package**, `{PACKAGE}/`: {_n(package_size.files)} files, "
        f"{_n(package_size.lines)} lines, {_n(package_size.code)} of them code; the core is "
        f"{_n(core_size.lines)} of these lines ({_n(core_size.code)} code).",
    ]


def imports_markdown() -> list[str]:
    """The import cycles among the package's modules, and its late imports."""
    package = package_files()
    every = [i for f in package for i in imports(f)]
    lines = [
        f"**Import cycles** among `{PACKAGE}`'s modules: each group is a strongly connected "
        "component of the import graph, listed with the imports that tie it together:",
        "",
    ]
    found = cycles(package)
    for number, component in enumerate(found, 1):
        lines.append(f"{number}. {len(component)} modules:")
        for module in component:
            inside = [i for i in every if i.source == module and i.target in component]
            targets = {i.target: [j for j in inside if j.target == i.target] for i in inside}
            described = []
            for target, edges in targets.items():
                numbers = ", ".join(str(i.line) for i in edges)
                late = ", late" if any(i.late for i in edges) else ""
                described.append(f"`{target}` (line{'s' * (len(edges) > 1)} {numbers}{late})")
            lines.append(f"   - `{module}` imports " + ", ".join(described))
    if not found:
        lines.append("None.")
    late = dict.fromkeys((i.source, i.line, i.statement, i.late) for i in every if i.late)
    lines += ["", "**Late imports** (inside a function, or at module level after other code):", ""]
    lines += [f"- `{f}:{n}` `{statement}` ({why})" for f, n, statement, why in late] or ["None."]
    return lines


PARTS = {"sizes": sizes_markdown, "imports": imports_markdown}


def markdown(parts: tuple[str, ...] = tuple(PARTS)) -> str:
    """The map as Markdown.

    Parameters
    ----------
    parts : tuple of str
        Which parts, in this order: keys of ``PARTS``.

    Returns
    -------
    str
        The Markdown, without a final newline.
    """
    return "\n\n".join("\n".join(PARTS[part]()) for part in parts)


# ---------------------------------------------------------------------------------- the pages
def updated(text: str, page: str, parts: tuple[str, ...]) -> str:
    """A page's text with its map block rewritten.

    Raises
    ------
    ValueError
        If the page has not exactly one start marker followed by one end marker.
    """
    if text.count(START) != 1 or text.count(END) != 1 or text.index(START) > text.index(END):
        raise ValueError(f"{page}: needs one {START} line and, below it, one {END} line")
    head, rest = text.split(START)
    _, tail = rest.split(END)
    return f"{head}{START}\n{GENERATED}\n\n{markdown(parts)}\n\n{END}{tail}"


def stale_pages() -> list[str]:
    """What is wrong with the pages' maps, one message per page; empty when all are current."""
    problems = []
    for page, parts in PAGES.items():
        text = (ROOT / page).read_text(encoding="utf-8")
        try:
            if updated(text, page, parts) != text:
                problems.append(f"{page}: the core map is stale")
        except ValueError as error:
            problems.append(str(error))
    return problems


def write_pages() -> list[str]:
    """Rewrite the pages' maps; return the pages that changed."""
    changed = []
    for page, parts in PAGES.items():
        path = ROOT / page
        text = path.read_text(encoding="utf-8")
        new = updated(text, page, parts)
        if new != text:
            path.write_text(new, encoding="utf-8")
            changed.append(page)
    return changed


def main(argv: list[str] | None = None) -> int:
    """Print, write or check the map; the exit status is 1 when ``--check`` finds a stale page."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--write", action="store_true", help="rewrite the pages' map blocks")
    group.add_argument("--check", action="store_true", help="exit 1 if a page's map is stale")
    args = parser.parse_args(argv)
    if args.check:
        problems = stale_pages()
        for problem in problems:
            print(f"{problem}: run python docs/core_map.py --write", file=sys.stderr)
        return 1 if problems else 0
    if args.write:
        for page in write_pages():
            print(f"rewrote {page}")
        return 0
    print(markdown())
    return 0


if __name__ == "__main__":
    sys.exit(main())
