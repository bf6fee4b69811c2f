"""The op table's entries for the shape ops: see tests/op_table.py for what an entry holds
and tests/test_tensor_ops.py for the tests that run every table."""

from __future__ import annotations

from op_table import Op  # noqa: F401

OPS: list = []
