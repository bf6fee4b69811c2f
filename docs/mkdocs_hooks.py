"""mkdocs hooks: make the pages' links to the source work on the built site too.

The pages link to source files with relative links such as ``../tinygrad_lr/tensor.py#L79``,
which a code host shows at that line. Those files are outside ``docs/`` (or, for the scripts in
``docs/``, excluded from the site), so mkdocs would not find them. These hooks add, for every
such file that a page links to, a generated page ``source/<path>.md`` showing the file with one
anchor per line (``#L79``), and point the links at it. Nothing is written to disk.
"""

from __future__ import annotations

import html
import posixpath
import re
from pathlib import Path

from mkdocs.structure.files import File, Files, InclusionLevel

_LINK = re.compile(
    r"(?P<head>!?\[(?:[^\[\]]|\[[^\]]*\])*\]\()(?P<target>[^)\s#]+)(?P<anchor>#[^)\s]*)?\)"
)
_FENCE = re.compile(r"^\s*(```|~~~)")
_SOURCE_DIR = "source"
_STYLE = (
    "<style>.source-listing pre{line-height:1.35;font-size:.85em}"
    ".source-listing a.n{display:inline-block;width:3.2em;color:#999;text-decoration:none}"
    ".source-listing span{scroll-margin-top:5em}"
    ".source-listing span:target{background:#fff3a8}</style>"
)

_outside: set[str] = set()


def _root(config) -> Path:
    return Path(config["docs_dir"]).resolve().parent


def _outside_targets(page: Path, text: str, root: Path, docs: Path) -> set[str]:
    """Repository paths (posix, relative to the root) of files outside docs/ the page links to."""
    found = set()
    inside_fence = False
    for line in text.splitlines():
        if _FENCE.match(line):
            inside_fence = not inside_fence
            continue
        if inside_fence:
            continue
        for match in _LINK.finditer(line):
            target = match["target"]
            if re.match(r"^[a-z][a-z0-9+.-]*:", target) or target.startswith("/"):
                continue
            path = (page.parent / target).resolve()
            if not _is_listed(path, root, docs):
                continue
            found.add(path.relative_to(root).as_posix())
    return found


def _is_listed(path: Path, root: Path, docs: Path) -> bool:
    """Files shown as listings: any file of the repository outside docs/, and scripts in it."""
    if not path.is_file() or root not in path.parents:
        return False
    return docs not in path.parents or path.suffix == ".py"


def _listing(root: Path, relative: str) -> str:
    lines = (root / relative).read_text(encoding="utf-8").splitlines()
    body = "".join(
        f'<span id="L{n}"><a class="n" href="#L{n}">{n}</a>{html.escape(line)}\n</span>'
        for n, line in enumerate(lines, 1)
    )
    return (
        f"# {relative}\n\n{_STYLE}\n\n"
        f'<div class="source-listing"><pre><code>{body}</code></pre></div>\n'
    )


def on_files(files: Files, config) -> Files:
    """Add a listing page for every source file outside docs/ that a page links to."""
    root, docs = _root(config), Path(config["docs_dir"]).resolve()
    _outside.clear()
    for file in files.documentation_pages():
        page = Path(file.abs_src_path)
        _outside.update(_outside_targets(page, page.read_text(encoding="utf-8"), root, docs))
    for relative in sorted(_outside):
        files.append(
            File.generated(
                config,
                f"{_SOURCE_DIR}/{relative}.md",
                content=_listing(root, relative),
                inclusion=InclusionLevel.NOT_IN_NAV,
            )
        )
    return files


def on_page_markdown(markdown: str, page, config, files) -> str:
    """Point links to files outside docs/ at their listing pages (``#L10-L20`` becomes ``#L10``)."""
    if page.file.abs_src_path is None:
        return markdown
    root, docs = _root(config), Path(config["docs_dir"]).resolve()
    source = Path(page.file.abs_src_path)

    def rewrite(match: re.Match[str]) -> str:
        target = match["target"]
        path = (source.parent / target).resolve()
        if not _is_listed(path, root, docs):
            return match.group()
        relative = path.relative_to(root).as_posix()
        if relative not in _outside:
            return match.group()
        listing = f"{_SOURCE_DIR}/{relative}.md"
        new_target = posixpath.relpath(listing, posixpath.dirname(page.file.src_uri) or ".")
        anchor = (match["anchor"] or "").split("-")[0]
        return f"{match['head']}{new_target}{anchor})"

    out, inside_fence = [], False
    for line in markdown.split("\n"):
        if _FENCE.match(line):
            inside_fence = not inside_fence
        out.append(line if inside_fence else _LINK.sub(rewrite, line))
    return "\n".join(out)
