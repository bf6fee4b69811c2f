"""``save_steps``: the frames of :func:`backward_steps` as one web page that works offline.

The page holds every frame's SVG, inline, and a few lines of plain JavaScript: Previous and
Next buttons, a slider, the left and right arrow keys, and ``#step=N`` in the address to open
(and to link to) one step. It loads nothing from the network and uses no library, so it opens
from a ``file://`` address anywhere.
"""

from __future__ import annotations

import html
import os
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

_STYLE = """
body { font-family: Helvetica, Arial, sans-serif; margin: 1.5em; color: #222; }
#controls { display: flex; gap: 0.8em; align-items: center; margin: 0.5em 0; }
#slider { flex: 1; max-width: 32em; }
#caption { min-height: 3.2em; max-width: 60em; font-size: 1.05em; line-height: 1.4; }
.frame svg { max-width: 100%; height: auto; }
.hint { color: #666; font-size: 0.9em; }
"""

_SCRIPT = """
(function () {
  var frames = document.querySelectorAll(".frame");
  var slider = document.getElementById("slider");
  var label = document.getElementById("step-label");
  var caption = document.getElementById("caption");
  var previous = document.getElementById("previous");
  var next = document.getElementById("next");
  var current = 0;
  function show(index) {
    current = Math.max(0, Math.min(frames.length - 1, index));
    for (var i = 0; i < frames.length; i++) { frames[i].hidden = i !== current; }
    slider.value = String(current + 1);
    label.textContent = "step " + (current + 1) + " of " + frames.length;
    caption.textContent = frames[current].getAttribute("data-caption");
    previous.disabled = current === 0;
    next.disabled = current === frames.length - 1;
    var hash = "#step=" + (current + 1);
    if (location.hash !== hash) { history.replaceState(null, "", hash); }
  }
  function fromAddress() {
    var match = /step=(\\d+)/.exec(location.hash);
    return match ? Number(match[1]) - 1 : 0;
  }
  previous.addEventListener("click", function () { show(current - 1); });
  next.addEventListener("click", function () { show(current + 1); });
  slider.addEventListener("input", function () { show(Number(slider.value) - 1); });
  document.addEventListener("keydown", function (event) {
    if (event.target === slider) { return; }  // the slider moves itself with the arrow keys
    if (event.key === "ArrowLeft") { show(current - 1); event.preventDefault(); }
    if (event.key === "ArrowRight") { show(current + 1); event.preventDefault(); }
  });
  window.addEventListener("hashchange", function () { show(fromAddress()); });
  show(fromAddress());
})();
"""


def steps_page(frames: Sequence[Any], title: str) -> str:
    """The HTML text of the page (:func:`save_steps` writes it): each frame's ``svg`` and
    ``caption``.

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> page = steps_page([SimpleNamespace(svg="<svg></svg>", caption="one")], "a title")
    >>> page.count('class="frame"'), "<h1>a title</h1>" in page
    (1, True)
    """
    if not frames:
        raise ValueError("no frames to show: pass what backward_steps returned")
    for frame in frames:
        if not (isinstance(getattr(frame, "svg", None), str) and hasattr(frame, "caption")):
            raise TypeError(
                f"save_steps expects the frames backward_steps returns, got a "
                f"{type(frame).__name__}"
            )
    count = len(frames)
    parts = []
    for index, frame in enumerate(frames):
        # Graphviz numbers the elements of every picture alike; ids must be unique in a page.
        svg = re.sub(r'id="', f'id="f{index + 1}-', frame.svg)
        caption = html.escape(frame.caption, quote=True)
        hidden = "" if index == 0 else " hidden"
        parts.append(f'<div class="frame" data-caption="{caption}"{hidden}>\n{svg}</div>')
    first = html.escape(frames[0].caption)
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{html.escape(title)}</title>
<style>{_STYLE}</style>
</head>
<body>
<h1>{html.escape(title)}</h1>
<div id="controls">
<button id="previous" type="button">Previous</button>
<input id="slider" type="range" min="1" max="{count}" value="1" aria-label="step">
<button id="next" type="button">Next</button>
<span id="step-label">step 1 of {count}</span>
</div>
<p class="hint">The left and right arrow keys step too; #step=N in the address opens step N.</p>
<p id="caption">{first}</p>
{chr(10).join(parts)}
<script>{_SCRIPT}</script>
</body>
</html>
"""


def save_steps(
    frames: Sequence[Any], path: str | os.PathLike[str], title: str = "backward, step by step"
) -> Path:
    """Write the frames of :func:`backward_steps` as one self-contained HTML page.

    Parameters
    ----------
    frames : sequence of Frame
        What :func:`backward_steps` returned.
    path : str or PathLike
        The page to write, ending in ``.html``.
    title : str
        The page's heading.

    Returns
    -------
    pathlib.Path
        The file written.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> import tinygrad_lr as tg
    >>> from tinygrad_lr.viz import backward_steps
    >>> w = tg.tensor([2.0], requires_grad=True)
    >>> frames = backward_steps((w * 3).sum(), {"w": w})
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     page = save_steps(frames, pathlib.Path(folder) / "backward.html").read_text()
    >>> '<span id="step-label">step 1 of 4</span>' in page
    True
    """
    path = Path(path)
    if path.suffix.lower() not in (".html", ".htm"):
        raise ValueError(
            f"save_steps writes a web page: choose a file ending in .html, not {str(path)!r}"
        )
    path.write_text(steps_page(frames, title), encoding="utf-8")
    return path
