"""Text for the graph's labels: shapes, dtypes and a few values, short enough to read at a glance.

A label shows at most a handful of numbers; past that it says how many it left out, so a
(1000, 2) batch draws as one line instead of a wall of digits.
"""

from __future__ import annotations

from typing import Any

import numpy as np

MAX_VALUES = 4
"""How many numbers a label shows before eliding the rest."""


def format_shape(shape: tuple[int, ...]) -> str:
    """A shape as Python writes a tuple: ``(10, 1)``, ``(1,)``, ``()`` for a scalar.

    Examples
    --------
    >>> format_shape((10, 1)), format_shape((1,)), format_shape(())
    ('(10, 1)', '(1,)', '()')
    """
    return str(tuple(int(size) for size in shape))


def format_number(value: Any) -> str:
    """One number with 4 significant digits, as short as it can be written.

    Examples
    --------
    >>> format_number(0.012345678), format_number(-3.0), format_number(12345.6)
    ('0.01235', '-3', '1.235e+04')
    """
    return f"{float(value):.4g}"


def format_values(array: np.ndarray, max_values: int = MAX_VALUES) -> str:
    """The first ``max_values`` numbers of ``array`` (flattened), then how many were left out.

    Examples
    --------
    >>> import numpy as np
    >>> format_values(np.array(0.25))
    '0.25'
    >>> format_values(np.array([[0.01], [-0.02]]))
    '[0.01, -0.02]'
    >>> format_values(np.arange(12.0))
    '[0, 1, 2, 3, ... 8 more]'
    """
    array = np.asarray(array)
    if array.ndim == 0:
        return format_number(array)
    flat = array.reshape(-1)
    shown = ", ".join(format_number(value) for value in flat[:max_values])
    if flat.size > max_values:
        shown += f", ... {flat.size - max_values} more"
    return f"[{shown}]"
