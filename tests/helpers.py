"""Helpers shared by the tests: one way to compare an op with torch and with finite differences."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

import tinygrad_lr as tg

try:
    import torch
except ImportError:  # the torch checks skip (and fail in CI, see conftest.py)
    torch = None


def make_inputs(module: Any, arrays: Sequence[np.ndarray], requires_grad: bool = True) -> list[Any]:
    """The same arrays as leaf tensors of ``module`` (tinygrad_lr or torch)."""
    return [module.tensor(a.copy(), requires_grad=requires_grad) for a in arrays]


def compare_with_torch(
    fn: Callable[..., Any],
    arrays: Sequence[np.ndarray],
    rtol: float = 1e-6,
    atol: float = 1e-8,
    seed: int = 0,
) -> None:
    """Run ``fn(module, *tensors)`` in tinygrad_lr and in torch; compare values and gradients.

    The output's gradient is a random array (not ones), so a backward that ignores it fails.
    """
    assert torch is not None, "torch is not installed"
    ours = make_inputs(tg, arrays)
    theirs = make_inputs(torch, arrays)
    out_ours = fn(tg, *ours)
    out_theirs = fn(torch, *theirs)
    np.testing.assert_allclose(
        out_ours.detach().numpy(), out_theirs.detach().numpy(), rtol=rtol, atol=atol
    )
    assert tuple(out_ours.shape) == tuple(out_theirs.shape)
    assert out_ours.dtype.name == str(out_theirs.dtype).removeprefix("torch.")
    seed_grad = np.random.default_rng(seed).standard_normal(tuple(out_theirs.shape))
    out_ours.backward(tg.tensor(seed_grad).to(out_ours.dtype))
    out_theirs.backward(torch.tensor(seed_grad).to(out_theirs.dtype))
    for index, (a, b) in enumerate(zip(ours, theirs)):
        if b.grad is None:
            assert a.grad is None, f"input {index}: torch has no gradient, tinygrad_lr has one"
            continue
        assert a.grad is not None, f"input {index}: tinygrad_lr computed no gradient"
        assert a.grad.dtype is a.dtype, f"input {index}: grad dtype {a.grad.dtype} != {a.dtype}"
        np.testing.assert_allclose(a.grad.numpy(), b.grad.numpy(), rtol=rtol, atol=atol)


def check_gradients(fn: Callable[..., Any], arrays: Sequence[np.ndarray]) -> None:
    """gradcheck ``fn(tinygrad_lr, *tensors)`` in float64 at ``arrays``."""
    inputs = [tg.tensor(np.asarray(a, dtype=np.float64), requires_grad=True) for a in arrays]
    assert tg.autograd.gradcheck(lambda *xs: fn(tg, *xs), inputs)


# ---------------------------------------------------------------------------------- public API
# Shared by tests/test_docstrings.py (every public function and class is documented) and
# tests/test_docs.py (docs/pytorch.md names every public name).


def _is_private(dotted: str) -> bool:
    return any(part.startswith("_") for part in dotted.split("."))


def public_modules() -> list[Any]:
    """tinygrad_lr and every module under it whose dotted name has no part starting with '_'."""
    import importlib
    import pkgutil

    modules = [tg]
    for info in pkgutil.walk_packages(tg.__path__, "tinygrad_lr."):
        if not _is_private(info.name):
            modules.append(importlib.import_module(info.name))
    return modules


def _relative_imports(module: Any) -> tuple[set[str], set[str]]:
    """The tinygrad_lr modules a module imports: by name (``from . import nn``) and as a source of
    names (``from .tensor import Tensor``), as dotted names."""
    import ast
    import inspect

    by_name: set[str] = set()
    sources: set[str] = set()
    package = module.__name__ if hasattr(module, "__path__") else module.__name__.rpartition(".")[0]
    for node in ast.walk(ast.parse(inspect.getsource(module))):
        if not isinstance(node, ast.ImportFrom) or node.level == 0:
            continue
        base = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
        if node.module:
            sources.add(f"{base}.{node.module}")
        else:
            by_name.update(f"{base}.{alias.name}" for alias in node.names)
    return by_name, sources


def api_namespaces() -> list[Any]:
    """The namespaces users import from: tinygrad_lr, its subpackages, the modules a package
    imports by name (``tinygrad_lr.dtypes``), and modules nothing in tinygrad_lr imports
    (stand-alone modules such as ``tinygrad_lr.datasets``). Modules that the package's own code
    imports from (``tinygrad_lr.tensor``, ``tinygrad_lr.autograd.engine``) are implementation."""
    modules = public_modules()
    api: set[str] = set()
    imported: set[str] = set()
    for module in modules:
        by_name, sources = _relative_imports(module)
        if hasattr(module, "__path__"):
            api |= by_name
        imported |= by_name | sources
    return [
        m
        for m in modules
        if hasattr(m, "__path__") or m.__name__ in api or m.__name__ not in imported
    ]


def public_names(module: Any) -> dict[str, Any]:
    """A module's public names (``__all__``, or every name without a leading '_') -> object.

    Submodules are left out (they are namespaces of their own), and so are names brought in
    from outside tinygrad_lr (``np``, ``Any``)."""
    import types

    names = getattr(module, "__all__", None)
    listed = names is not None
    if names is None:
        names = [n for n in vars(module) if not n.startswith("_")]
    package = hasattr(module, "__path__")
    result = {}
    for name in names:
        obj = getattr(module, name)
        if isinstance(obj, types.ModuleType):
            continue
        home = getattr(obj, "__module__", None) if callable(obj) else type(obj).__module__
        if not isinstance(home, str) or home.split(".")[0] != "tinygrad_lr":
            continue
        # Without __all__, a plain module exports what it defines, not what it imports.
        if listed or package or home == module.__name__:
            result[name] = obj
    return result


def public_functions_and_classes() -> dict[str, Any]:
    """Every public function and class of tinygrad_lr, once each, by its shortest public name
    (``tinygrad_lr.zeros``, not ``tinygrad_lr.creation.zeros``)."""
    import inspect

    found: dict[int, tuple[str, Any]] = {}
    modules = sorted(public_modules(), key=lambda m: (m.__name__.count("."), m.__name__))
    for module in modules:
        for name, obj in public_names(module).items():
            if not (inspect.isfunction(obj) or inspect.isclass(obj)):
                continue
            if _is_private(getattr(obj, "__name__", name)) or id(obj) in found:
                continue
            found[id(obj)] = (f"{module.__name__}.{name}", obj)
    return dict(found.values())
