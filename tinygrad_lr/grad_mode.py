"""Whether operations record a graph: ``no_grad``, ``enable_grad``, ``set_grad_enabled``.

The flag is thread-local, as in torch: ``no_grad`` in one thread never switches recording off in
another. Each of the three works as a context manager and as a function decorator.
"""

from __future__ import annotations

import functools
import inspect
import threading
from collections.abc import Callable
from typing import Any, TypeVar

F = TypeVar("F", bound=Callable[..., Any])


class _GradState(threading.local):
    # A class attribute is every thread's starting value: recording is on.
    enabled = True


# The flag itself: ``state.enabled`` is what Function.apply reads before recording an op.
state = _GradState()


def is_grad_enabled() -> bool:
    """True when operations on tensors that require grad are being recorded.

    Examples
    --------
    >>> import tinygrad_lr as tg
    >>> with tg.no_grad():
    ...     tg.is_grad_enabled()
    False
    """
    return state.enabled


class _GradModeContext:
    """Sets the grad mode on entry and restores the previous one on exit."""

    mode: bool

    def __enter__(self) -> None:
        self._previous = state.enabled
        state.enabled = self.mode

    def __exit__(self, *exc_info: object) -> None:
        state.enabled = self._previous

    def __call__(self, func: F) -> F:
        """Use as a decorator: ``@no_grad()`` (or ``@no_grad``) on a function."""
        mode = self.mode
        if inspect.isgeneratorfunction(func):
            return _generator_in_mode(func, mode)  # type: ignore[return-value]

        @functools.wraps(func)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            previous = state.enabled
            state.enabled = mode
            try:
                return func(*args, **kwargs)
            finally:
                state.enabled = previous

        return wrapper  # type: ignore[return-value]


def _generator_in_mode(func: Callable[..., Any], mode: bool) -> Callable[..., Any]:
    """A generator function whose body runs with recording ``mode`` each time it resumes, and
    the caller's mode between its yields, as torch does for a decorated generator."""

    @functools.wraps(func)
    def generator(*args: Any, **kwargs: Any) -> Any:
        inner = func(*args, **kwargs)
        resume, argument = inner.send, None
        while True:
            previous, state.enabled = state.enabled, mode
            try:
                value = resume(argument)
            except StopIteration as stop:
                return stop.value
            finally:
                state.enabled = previous
            try:
                resume, argument = inner.send, (yield value)
            except GeneratorExit:
                inner.close()
                raise
            except BaseException as error:  # thrown in by the caller: into the body, in mode
                resume, argument = inner.throw, error

    return generator


class no_grad(_GradModeContext):
    """Context manager and decorator that stops recording the graph.

    Inside it, results never require grad, and in-place updates of parameters are allowed;
    this is where an optimizer step belongs.

    Examples
    --------
    >>> import tinygrad_lr as tg
    >>> w = tg.ones(2, requires_grad=True)
    >>> with tg.no_grad():
    ...     y = w * 2
    >>> y.requires_grad
    False
    """

    mode = False

    def __new__(cls, func: Callable[..., Any] | None = None) -> Any:
        # ``@no_grad`` without parentheses passes the function itself, as torch allows.
        instance = super().__new__(cls)
        if func is not None and callable(func):
            return instance(func)
        return instance

    def __init__(self, func: Callable[..., Any] | None = None) -> None:
        pass


class enable_grad(no_grad):
    """Context manager and decorator that turns recording back on inside ``no_grad``.

    Examples
    --------
    >>> import tinygrad_lr as tg
    >>> with tg.no_grad():
    ...     with tg.enable_grad():
    ...         tg.is_grad_enabled()
    True
    """

    mode = True


class set_grad_enabled(_GradModeContext):
    """Switch recording on or off: at once when called, or for a ``with`` block.

    Parameters
    ----------
    mode : bool
        True to record, False to stop.

    Examples
    --------
    >>> import tinygrad_lr as tg
    >>> with tg.set_grad_enabled(False):
    ...     tg.is_grad_enabled()
    False
    >>> tg.is_grad_enabled()
    True
    """

    def __init__(self, mode: bool) -> None:
        if not isinstance(mode, bool):
            raise TypeError(f"set_grad_enabled(mode) expects a bool, got {type(mode).__name__}")
        self.mode = mode
        # Calling it as a plain function switches the mode at once, as in torch;
        # the previous mode is remembered so that ``with`` restores it on exit.
        self._previous = state.enabled
        state.enabled = mode

    def __enter__(self) -> None:
        pass

    def __exit__(self, *exc_info: object) -> None:
        state.enabled = self._previous

    def __call__(self, func: F) -> F:
        # As a decorator the switch belongs to each call, not to the moment of decoration.
        state.enabled = self._previous
        return super().__call__(func)
