"""Automatic differentiation: the ``Function`` mechanism, the engine, and ``gradcheck``.

Read ``function.py`` first (how an operation is recorded), then ``engine.py`` (how backward
walks the record), then ``gradcheck.py`` (how gradients are checked against finite differences).
"""

from .engine import grad
from .function import Function
from .gradcheck import GradcheckError, gradcheck

__all__ = ["Function", "GradcheckError", "grad", "gradcheck"]
