"""``torch.linalg``: solving, inverting and factoring matrices, with gradients where torch has them.

Each function checks its arguments and applies an op of :mod:`tinygrad_lr.ops.linalg`; batches of
matrices (``(..., m, n)``) are handled as torch does.
"""

from __future__ import annotations

# ------------------------------------------------------------------ norms

# ------------------------------------------------------------------ solving and inverting

# ------------------------------------------------------------------ factorizations
