"""Programs written for PyTorch run on tinygrad_lr with only their imports changed, and agree.

Each file in tests/pytorch_programs/ is a PyTorch program (see the README there). It runs once
as written, with torch, and once with its imports rewritten by ``as_tinygrad_lr``; the numbers
its ``main()`` returns must agree to float32 rounding over a few hundred training steps.
"""

from __future__ import annotations

import re
import types
from pathlib import Path
from typing import Any

import numpy as np
import pytest

PROGRAMS = Path(__file__).parent / "pytorch_programs"

# `import torch` -> `import tinygrad_lr as torch`; `import torch.nn as nn` and
# `from torch.x import y` -> the same names from tinygrad_lr.
_IMPORT = re.compile(r"^import torch$", re.MULTILINE)
_IMPORT_AS = re.compile(r"^import torch\.([\w.]+) as (\w+)$", re.MULTILINE)
_FROM = re.compile(r"^from torch(\.[\w.]+)? import ", re.MULTILINE)


def as_tinygrad_lr(source: str) -> str:
    """The program with only its imports changed."""
    source = _IMPORT.sub("import tinygrad_lr as torch", source)
    source = _IMPORT_AS.sub(r"import tinygrad_lr.\1 as \2", source)
    return _FROM.sub(lambda m: f"from tinygrad_lr{m.group(1) or ''} import ", source)


def run(source: str, name: str) -> dict[str, Any]:
    module = types.ModuleType(name)
    exec(compile(source, str(PROGRAMS / f"{name}.py"), "exec"), module.__dict__)
    return module.main()


def test_the_rewrite_changes_only_import_lines() -> None:
    source = (
        "import torch\nimport torch.nn as nn\nfrom torch import nn\n"
        "from torch.utils.data import DataLoader\nx = torch.zeros(1)  # import torch\n"
    )
    assert as_tinygrad_lr(source) == (
        "import tinygrad_lr as torch\nimport tinygrad_lr.nn as nn\nfrom tinygrad_lr import nn\n"
        "from tinygrad_lr.utils.data import DataLoader\nx = torch.zeros(1)  # import torch\n"
    )


@pytest.mark.parametrize("path", sorted(PROGRAMS.glob("*.py")), ids=lambda p: p.stem)
def test_program_agrees_with_torch(torch: Any, path: Path, capsys: Any) -> None:
    source = path.read_text()
    theirs = run(source, path.stem)
    ours = run(as_tinygrad_lr(source), path.stem)
    capsys.readouterr()
    assert ours.keys() == theirs.keys()
    for key, expected in theirs.items():
        np.testing.assert_allclose(ours[key], expected, rtol=2e-4, atol=1e-6, err_msg=key)
