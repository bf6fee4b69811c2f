"""Automatic differentiation: the ``Function`` mechanism, the engine, and ``gradcheck``.

Read ``function.py`` first (how an operation is recorded), then ``engine.py`` (how backward
walks the record), then ``gradcheck.py`` (how gradients are checked against finite differences),
then ``functional.py`` (Jacobians, Hessians and their products, built on ``grad``).
"""

from .engine import backward, grad
from .function import Function, once_differentiable
from .gradcheck import GradcheckError, gradcheck, gradgradcheck

# isort: split
# Last: it is built on the engine (and imported first, the ops would find the core half-loaded).
from . import functional

__all__ = [
    "Function", "GradcheckError", "backward", "functional", "grad", "gradcheck", "gradgradcheck",
    "once_differentiable",
]  # fmt: skip
