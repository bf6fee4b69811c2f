"""Write the loss-landscape figure of docs/math.md with the example that draws it.

    python docs/make_landscape_figure.py

runs examples/loss_landscape.py --out docs/figures/loss_landscape.png: the same data, paths and
picture as the example's own run.
"""

from __future__ import annotations

import runpy
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIGURE = ROOT / "docs" / "figures" / "loss_landscape.png"


def main() -> None:
    sys.argv = ["loss_landscape.py", "--out", str(FIGURE)]
    runpy.run_path(str(ROOT / "examples" / "loss_landscape.py"), run_name="__main__")


if __name__ == "__main__":
    main()
