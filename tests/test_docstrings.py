"""Every public function and class is documented, with an example; every public method too.

"Public" is what a user can reach without a name that starts with '_': every function and class
of every module under tinygrad_lr whose dotted path has no '_' part (see
``helpers.public_functions_and_classes``). A failure lists each missing docstring with its file
and line. The examples themselves are run by pytest's --doctest-modules.
"""

from __future__ import annotations

import functools
import inspect
import re

import pytest
from helpers import public_functions_and_classes

import tinygrad_lr as tg

# A NumPy-style "Examples" heading, underlined, followed somewhere by a doctest line.
EXAMPLES = re.compile(r"^\s*Examples\s*\n\s*-{3,}\s*\n(?:.*\n)*?\s*>>> ", re.MULTILINE)


def where(obj: object) -> str:
    """``path/to/file.py:line`` of a function, class or method."""
    obj = inspect.unwrap(getattr(obj, "fget", obj))
    try:
        path = inspect.getsourcefile(obj) or "?"
        line = inspect.getsourcelines(obj)[1]
    except (TypeError, OSError):
        return "?"
    root = tg.__file__.rsplit("tinygrad_lr", 1)[0]
    return f"{path.removeprefix(root)}:{line}"


def public_methods(cls: type) -> dict[str, object]:
    """Methods and properties a class defines itself (not dunders), by ``Class.name``."""
    methods = {}
    for name, attr in vars(cls).items():
        if name.startswith("_"):
            continue
        if isinstance(attr, (staticmethod, classmethod)):
            attr = attr.__func__
        if inspect.isfunction(attr) or isinstance(attr, property):
            methods[f"{cls.__qualname__}.{name}"] = getattr(cls, name)
    return methods


def missing_docs() -> tuple[list[str], list[str], list[str]]:
    """(objects without a docstring, functions/classes without an example, methods without one)."""
    no_doc, no_example, no_method_doc = [], [], []
    for name, obj in sorted(public_functions_and_classes().items()):
        doc = obj.__doc__  # its own, not inherited: a subclass needs a docstring of its own
        if not doc or not doc.strip():
            no_doc.append(f"{name} ({where(obj)})")
            continue
        exempt = inspect.isclass(obj) and issubclass(obj, BaseException)
        if _is_builtin_op(obj):
            # An op reads as math line, forward, backward: its example is in its module's
            # docstring, whose Examples must show it (applied, or as the node it records).
            module_doc = inspect.getmodule(obj).__doc__ or ""
            examples = (
                module_doc.split("Examples\n--------", 1)[-1] if EXAMPLES.search(module_doc) else ""
            )
            if obj.__name__ not in examples:
                no_example.append(f"{name}: not shown in its module's Examples ({where(obj)})")
            exempt = True
        if not exempt and not EXAMPLES.search(doc):
            no_example.append(f"{name} ({where(obj)})")
        if inspect.isclass(obj):
            for method_name, method in public_methods(obj).items():
                # getdoc finds an overridden method's docstring on the base class, as help() does.
                if not inspect.getdoc(method):
                    no_method_doc.append(f"{obj.__module__}.{method_name} ({where(method)})")
    return no_doc, no_example, no_method_doc


def _is_builtin_op(obj: object) -> bool:
    """A Function subclass of tinygrad_lr.ops."""
    return (
        inspect.isclass(obj)
        and issubclass(obj, tg.autograd.Function)
        and obj.__module__.startswith("tinygrad_lr.ops.")
    )


@functools.cache
def _missing() -> tuple[list[str], list[str], list[str]]:
    return missing_docs()


def test_public_functions_and_classes_have_docstrings():
    no_doc = _missing()[0]
    if no_doc:
        pytest.fail("no docstring:\n  " + "\n  ".join(no_doc), pytrace=False)


def test_public_functions_and_classes_have_an_examples_section():
    no_example = _missing()[1]
    if no_example:
        pytest.fail(
            "no NumPy-style 'Examples' section with a '>>>' doctest (exceptions are exempt):\n  "
            + "\n  ".join(no_example),
            pytrace=False,
        )


def test_public_methods_have_docstrings():
    no_method_doc = _missing()[2]
    if no_method_doc:
        pytest.fail(
            "public method without a docstring:\n  " + "\n  ".join(no_method_doc), pytrace=False
        )


def test_the_check_finds_what_it_looks_for():
    """The checks above can fail: an undocumented function, class and method are all caught."""

    def documented():
        """Do it.

        Examples
        --------
        >>> documented()
        """

    def undocumented():
        pass

    class Thing:
        """A thing without an example."""

        def method(self):
            pass

        @property
        def prop(self):
            """Documented."""

    assert EXAMPLES.search(documented.__doc__)
    assert not EXAMPLES.search(Thing.__doc__)
    assert undocumented.__doc__ is None
    assert set(public_methods(Thing)) == {
        "test_the_check_finds_what_it_looks_for.<locals>.Thing.method",
        "test_the_check_finds_what_it_looks_for.<locals>.Thing.prop",
    }
    assert inspect.getdoc(Thing.method) is None and inspect.getdoc(Thing.prop) == "Documented."


@pytest.mark.parametrize("name", ["tinygrad_lr.Tensor", "tinygrad_lr.zeros", "tinygrad_lr.no_grad"])
def test_the_public_api_is_found(name):
    """A sanity check on the enumeration: well-known names are among those checked."""
    assert name in public_functions_and_classes()
