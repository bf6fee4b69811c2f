"""mkdocs hooks: make the pages' links to the source work on the built site too.

The pages link to source files with relative links such as ``../tinygrad_lr/tensor.py#L79``,
which a code host shows at that line. Those files are outside ``docs/`` (or, for the scripts in
``docs/``, excluded from the site), so mkdocs would not find them. These hooks add, for every
such file that a page links to, a generated page ``source/<path>.md`` showing the file with one
anchor per line (``#L79``), and point the links at it. A linked Markdown file outside ``docs/``
(``../benchmarks/README.md``) becomes a page of the site instead, at ``source/<path>``, with its
own links treated the same way. Nothing is written to disk.
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

# Repository path (posix, relative to the root) -> the generated file that stands for it.
_generated: dict[str, str] = {}


def _root(config) -> Path:
    return Path(config["docs_dir"]).resolve().parent


def _links(text: str):
    """The link matches of a Markdown text, outside fenced code."""
    inside_fence = False
    for line in text.splitlines():
        if _FENCE.match(line):
            inside_fence = not inside_fence
            continue
        if not inside_fence:
            yield from _LINK.finditer(line)


def _outside_targets(page: Path, text: str, root: Path, docs: Path) -> set[str]:
    """Repository paths of the files a page links to that need a generated stand-in."""
    found = set()
    for match in _links(text):
        target = match["target"]
        if re.match(r"^[a-z][a-z0-9+.-]*:", target) or target.startswith("/"):
            continue
        path = (page.parent / target).resolve()
        if _is_listed(path, root, docs):
            found.add(path.relative_to(root).as_posix())
    return found


def _is_listed(path: Path, root: Path, docs: Path) -> bool:
    """Files that need a stand-in: any file of the repository outside docs/, and its scripts."""
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
    """Add a stand-in for every file outside docs/ that a page links to: a Markdown file
    (``benchmarks/README.md``) becomes a page of its own, any other file a listing page."""
    root, docs = _root(config), Path(config["docs_dir"]).resolve()
    _generated.clear()
    queue = [Path(file.abs_src_path) for file in files.documentation_pages()]
    while queue:
        page = queue.pop()
        for relative in sorted(_outside_targets(page, page.read_text("utf-8"), root, docs)):
            if relative in _generated:
                continue
            if relative.endswith(".md"):
                _generated[relative] = f"{_SOURCE_DIR}/{relative}"
                path = str(root / relative)
                new = File.generated(config, _generated[relative], abs_src_path=path)
                queue.append(root / relative)  # its own links need stand-ins too
            else:
                _generated[relative] = f"{_SOURCE_DIR}/{relative}.md"
                new = File.generated(
                    config,
                    _generated[relative],
                    content=_listing(root, relative),
                    inclusion=InclusionLevel.NOT_IN_NAV,
                )
            files.append(new)
    return files


def on_page_markdown(markdown: str, page, config, files) -> str:
    """Point links at the stand-ins (``#L10-L20`` becomes ``#L10``); in a page brought in from
    outside docs/, also point links to docs/ pages at them as the site places them."""
    if page.file.abs_src_path is None:
        return markdown
    root, docs = _root(config), Path(config["docs_dir"]).resolve()
    source = Path(page.file.abs_src_path)
    here = posixpath.dirname(page.file.src_uri) or "."
    brought_in = docs not in source.parents

    def rewrite(match: re.Match[str]) -> str:
        target = match["target"]
        if re.match(r"^[a-z][a-z0-9+.-]*:", target) or target.startswith("/"):
            return match.group()
        path = (source.parent / target).resolve()
        relative = path.relative_to(root).as_posix() if root in path.parents else None
        anchor = match["anchor"] or ""
        if relative in _generated:
            new_target = posixpath.relpath(_generated[relative], here)
            if not relative.endswith(".md"):
                anchor = anchor.split("-")[0]
        elif brought_in and docs in path.parents:
            new_target = posixpath.relpath(path.relative_to(docs).as_posix(), here)
        else:
            return match.group()
        return f"{match['head']}{new_target}{anchor})"

    out, inside_fence = [], False
    for line in markdown.split("\n"):
        if _FENCE.match(line):
            inside_fence = not inside_fence
        out.append(line if inside_fence else _LINK.sub(rewrite, line))
    return "\n".join(out)
