"""In-place changes (``x.mul_(2)``, ``x += y``, ``x[i] = v``, ``x.zero_()``), as torch does them.

Every in-place change goes the same way (:func:`change`):

1. it is computed out of place, by the op's own Function (``Mul`` for ``mul_``), so the same
   dtype rules, broadcasting and gradients apply;
2. the result is written into the tensor's own memory, so its views, ``detach()`` and
   ``numpy()`` aliases see the change in every grad mode;
3. the tensor's version goes up by one. Views and ``detach()`` share the counter. An op that
   saved the tensor for backward remembered the version it saw, and backward refuses a tensor
   whose version has moved on (:attr:`Function.saved_tensors`) instead of silently using the
   new values;
4. when the change is recorded (grad mode, and a tensor that requires grad is involved), the
   tensor's history is rewritten: its ``grad_fn`` becomes the op's node, which was fed a copy of
   the old values. On a view, the base's ``grad_fn`` becomes ``CopySlices``: the gradient of the
   changed region flows through the op, the rest of the base's gradient around it.

A change that records nothing skips step 1: NumPy writes the values straight into the memory
(:func:`_write_with_numpy`, the one fork, with its measurement). A view's own ``grad_fn`` is made
anew from its base the next time it is used (:func:`catch_up`), as torch does.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable
from typing import Any

import numpy as np

from . import checks, indexing, ops, promotion
from .grad_mode import no_grad
from .grad_mode import state as grad_state
from .tensor import Tensor


def change(
    tensor: Tensor,
    what: str,
    compute: Callable[[Tensor], Any],
    operand: Any,
    numpy_write: tuple[Any, ...] = (),
) -> Any:
    """Replace ``tensor``'s values by ``compute(tensor)``, in place. ``operand`` is the other
    input of the change (a tensor that may require grad, or anything else); ``numpy_write``, a
    NumPy function and its arguments that write the same values, when there is one.

    Examples
    --------
    >>> import tinygrad_lr as tg
    >>> x = tg.tensor([1.0, 2.0])
    >>> change(x, "neg_", lambda old: -old, None)
    tensor([-1., -2.])
    >>> x._version
    1
    """
    if not grad_state.enabled and numpy_write and _write_with_numpy(tensor, *numpy_write):
        return tensor  # under no_grad nothing is recorded: NumPy wrote it (see the fork's note)
    recording = False
    if grad_state.enabled:
        catch_up(tensor)
        recording = tensor._data.dtype.kind == "f" and (  # integers carry no gradient
            tensor._requires_grad or (isinstance(operand, Tensor) and operand._requires_grad)
        )
    _check_allowed(tensor, what, recording)
    if not recording and grad_state.enabled and numpy_write:
        if _write_with_numpy(tensor, *numpy_write):  # data changed in place: nothing to record
            return tensor
    if recording:  # a recorded op may save its input for backward: it gets the old values
        result = compute(_old_values(tensor))
    else:
        with no_grad():
            result = compute(tensor)
    if result is NotImplemented:
        raise TypeError(
            f"{what}: the other operand must be a Tensor or a number, not {type(operand).__name__}"
        )
    _check_result(tensor, result)
    _copy_into(tensor, result)
    tensor._version_counter[0] += 1
    if recording:
        _rewrite_history(tensor, result)
    return tensor


def arithmetic(tensor: Tensor, function: type, other: Any, floating: bool = False) -> Tensor:
    """``tensor op= other``: add_, sub_, mul_, div_ and ``+=``, ``-=``, ``*=``, ``/=``.

    Examples
    --------
    >>> import tinygrad_lr as tg
    >>> x = tg.tensor([1.0, 2.0])
    >>> arithmetic(x, tg.ops.Mul, 10)  # x.mul_(10)
    tensor([10., 20.])
    """
    if isinstance(other, np.ndarray):
        other = Tensor._make(other)
    value = other._data if isinstance(other, Tensor) else other
    data = tensor._data
    numpy_write: tuple[Any, ...] = ()
    if data.dtype.kind == "f" and (
        type(value) in (int, float) or getattr(value, "dtype", None) == data.dtype
    ):  # no promotion to do: NumPy's in-place ufunc computes what the op computes
        numpy_write = (_UFUNCS[function], data, value, data)
    compute = lambda old: promotion.binary(function, old, other, floating=floating)  # noqa: E731
    return change(tensor, function.__name__.lower(), compute, other, numpy_write)


def overwrite(tensor: Tensor, what: str, values: Any) -> Tensor:
    """Replace every element: zero_, fill_, copy_ (gradients flow to a source tensor).

    Examples
    --------
    >>> import tinygrad_lr as tg
    >>> overwrite(tg.ones(2), "fill_", 7.0)  # x.fill_(7)
    tensor([7., 7.])
    """
    source = promotion.data_of(values)

    def copy(old: Tensor) -> Tensor:
        try:
            return ops.Copy.apply(old, values)
        except (ValueError, TypeError):
            shape, dtype = np.shape(source), np.asarray(source).dtype
            raise RuntimeError(
                f"{what}: cannot write values of shape {shape} and dtype {dtype} into a tensor "
                f"of shape {tuple(tensor.shape)} and dtype {tensor.dtype}"
            ) from None

    data = tensor._data
    if type(source) in (int, float, bool) and data.dtype.kind == "f":  # zero_(), fill_(1.5)
        numpy_write: tuple[Any, ...] = (data.fill, source)
    else:
        numpy_write = (np.copyto, data, source, "same_kind")
    return change(tensor, what, copy, values, numpy_write)


def setitem(tensor: Tensor, key: Any, value: Any) -> None:
    """``tensor[key] = value``: the selected elements take ``value`` (broadcast).

    Examples
    --------
    >>> import tinygrad_lr as tg
    >>> x = tg.zeros(3)
    >>> setitem(x, slice(0, 2), 5.0)  # x[0:2] = 5
    >>> x
    tensor([5., 5., 0.])
    """
    if value is None:  # NumPy would write NaN
        raise TypeError(f"can't assign a NoneType to a {tensor.dtype} tensor")
    if isinstance(key, Tensor) and key._data.dtype == np.uint8:
        raise RuntimeError(  # torch's words: assigning through a uint8 mask is refused
            "masked_fill_ only supports boolean masks, but got mask with dtype unsigned char; "
            "use a bool tensor, e.g. key.bool()"
        )
    key = indexing.numpy_key(key)
    steps = indexing.torch_index_steps(key, tensor.ndim)
    source = promotion.data_of(value)

    def put(old: Tensor) -> Tensor:
        try:
            return ops.IndexPut.apply(
                old, value if isinstance(value, Tensor) else source, steps, False
            )
        except (IndexError, ValueError, TypeError):
            try:
                target = tensor._data[key].shape
            except (IndexError, ValueError, TypeError):
                raise indexing.index_error(tensor._data.shape, key) from None
            checks.raise_if_not_assignable(target, np.shape(source))
            raise TypeError(
                f"index assignment: cannot write a {type(value).__name__} into a tensor of dtype "
                f"{tensor.dtype}"
            ) from None

    change(tensor, "index assignment", put, value, (ops.views.put, tensor._data, steps, source))


def mark_view(view: Tensor, source: Tensor, step: tuple[str, Any] | None) -> None:
    """Mark ``view`` as showing ``source``'s memory, made by ``step`` (a NumPy method and its
    argument; None outside grad mode, where a view only shares the memory and the version).

    Examples
    --------
    >>> import tinygrad_lr as tg
    >>> y = tg.ones(4)
    >>> v = y[1:3]  # Function.apply calls mark_view(v, y, ("__getitem__", slice(1, 3)))
    >>> v._base is y, v._view_steps, v._version_counter is y._version_counter
    (True, (('__getitem__', slice(1, 3, None)),), True)
    """
    view._version_counter = source._version_counter
    view._base = source if source._base is None else source._base
    if step is None or (source._base is not None and source._view_steps is None):
        view._view_steps = None
    else:
        view._view_steps = (step,) if source._base is None else (*source._view_steps, step)
    view._view_version = view._version_counter[0]


def catch_up(view: Tensor) -> None:
    """If ``view`` is a view (made in grad mode) whose ``grad_fn`` no longer tells how its values
    came about (its base changed in place since, or came to require grad), make it anew from the
    base, as torch does. Called by Function.apply, by backward and before an in-place change.

    Examples
    --------
    >>> import tinygrad_lr as tg
    >>> y = tg.tensor([1.0, 2.0], requires_grad=True) * 1
    >>> v = y[0:1]
    >>> y.mul_(3)  # v's memory shows 3, but v.grad_fn still reads the old y
    tensor([3., 6.], grad_fn=<MulBackward0>)
    >>> catch_up(v)  # what Function.apply does when v is next used
    >>> v.grad_fn
    <ViewBackward0>
    """
    base = view._base
    if base is None or view._view_steps is None or not grad_state.enabled:
        return
    if (
        view._view_version == view._version_counter[0]
        and view._requires_grad == base._requires_grad
    ):
        return
    fresh = ops.View.apply(base, view._view_steps)
    _take_history(view, fresh)
    view._view_version = view._version_counter[0]


def _copy_into(tensor: Tensor, result: Tensor) -> None:
    """Write an in-place change's values into the tensor's memory (float32 += float64 stays
    float32). A function of its own so that tinygrad_lr.compile can record it."""
    np.copyto(tensor._data, result._data, casting="same_kind")


def _write_with_numpy(tensor: Tensor, write: Callable[..., Any], *arguments: Any) -> bool:
    """Change ``tensor``'s memory with a NumPy call, ``write(*arguments)``; False if refused.

    The one fork of the in-place path: when nothing is recorded (an optimizer step, zeroing a
    gradient, writing into data), NumPy writes the same values straight into the memory instead
    of computing them out of place through the op and copying them in; that is 40% of the
    tutorial's SGD update (python benchmarks/profile_w1.py, "SGD update"), and x[i] = v no
    longer copies the whole tensor. What NumPy refuses (shapes, dtypes, read-only memory) goes
    the one way, whose errors say why in torch's words.
    """
    try:
        write(*arguments)
    except (IndexError, ValueError, TypeError):
        return False
    tensor._version_counter[0] += 1
    return True


# The NumPy ufunc of each op that in-place arithmetic uses, for changes that record nothing.
_UFUNCS = {ops.Add: np.add, ops.Sub: np.subtract, ops.Mul: np.multiply, ops.Div: np.true_divide}


def _old_values(tensor: Tensor) -> Tensor:
    """A copy of ``tensor`` standing where it stands in the graph: the input of a recorded op."""
    old = Tensor._make(tensor._data.copy(), tensor._requires_grad)
    old.grad_fn = tensor.grad_fn
    return old


def _rewrite_history(tensor: Tensor, result: Tensor) -> None:
    """Let ``tensor`` stand for ``result`` in the graph; on a view, its base too."""
    if result._data.dtype != tensor._data.dtype:  # float32 += float64 stays float32, as in torch
        result = result._cast(tensor.dtype)
    base = tensor._base
    if base is not None:
        copied = ops.CopySlices.apply(base, result, tensor._view_steps)
        base.grad_fn, base._requires_grad = copied.grad_fn, True
        tensor._view_version = tensor._version_counter[0]
    _take_history(tensor, result)


def _take_history(tensor: Tensor, result: Tensor) -> None:
    """``tensor`` now stands for ``result``; a retained gradient moves along (it is the gradient
    of the tensor's new value)."""
    retained = tensor.retains_grad
    if retained:
        tensor.grad_fn._retained = None
    tensor.grad_fn, tensor._requires_grad = result.grad_fn, result._requires_grad
    if retained:
        tensor.retain_grad()


def lend(tensor: Tensor) -> Tensor:
    """Mark ``tensor``, a read-only view of another's memory, as copied on its first in-place
    change: a DataLoader's unshuffled batch reads the dataset without copying it, and changing
    the batch (``xb.sub_(mean)``) changes a copy, never the dataset, as torch's batches do.

    Examples
    --------
    >>> import numpy as np
    >>> import tinygrad_lr as tg
    >>> data = np.arange(3.0)
    >>> view = data[:2].view()
    >>> view.flags.writeable = False
    >>> batch = lend(tg.from_numpy(view))
    >>> batch -= 1
    >>> batch.tolist(), data.tolist()
    ([-1.0, 0.0], [0.0, 1.0, 2.0])
    """
    _LENT[id(tensor)] = tensor
    return tensor


# Tensors whose read-only memory is copied on the first in-place change (``lend``), by id:
# a WeakSet would compare tensors with ==, which is elementwise.
_LENT: weakref.WeakValueDictionary[int, Tensor] = weakref.WeakValueDictionary()


def _check_allowed(tensor: Tensor, what: str, recording: bool) -> None:
    """torch's refusals: memory that cannot change, and changes that would break the graph."""
    if not tensor._data.flags.writeable and _LENT.get(id(tensor)) is tensor:
        tensor._data = tensor._data.copy()  # a lent batch: the change goes to its own copy
        del _LENT[id(tensor)]
    if not tensor._data.flags.writeable:
        raise RuntimeError(
            "this tensor's memory is read-only (it comes from a read-only NumPy array or a "
            "broadcast view) and cannot change in place; use .clone() first"
        )
    if not grad_state.enabled:
        return
    base = tensor._base
    if tensor.grad_fn is None and tensor._requires_grad and base is None:
        raise RuntimeError(
            f"a leaf Variable that requires grad is being used in an in-place operation "
            f"({what}). Update parameters inside `with tinygrad_lr.no_grad():`, or use "
            ".data / .detach() for the values."
        )
    if base is None:
        return
    if tensor._view_steps is None and (recording or base._requires_grad):
        raise RuntimeError(
            "A view was created in no_grad mode and is being modified inplace with grad mode "
            f"enabled ({what}). Create the view and change it both inside no_grad, or both "
            "outside it."
        )
    if base._requires_grad and base.grad_fn is None:
        raise RuntimeError(
            f"a view of a leaf Variable that requires grad is being used in an in-place "
            f"operation ({what}). Change the leaf inside `with tinygrad_lr.no_grad():`, or "
            "clone it first."
        )


def _check_result(tensor: Tensor, result: Tensor) -> None:
    """The result must fit the tensor: a dtype it can hold, and the tensor's own shape."""
    if result.dtype._rank > tensor.dtype._rank:
        raise RuntimeError(
            f"result type {result.dtype} can't be cast to the desired output type "
            f"{tensor.dtype}; convert the tensor first, e.g. x = x.float()"
        )
    if result._data.shape != tensor._data.shape:
        raise RuntimeError(
            f"output with shape {list(tensor._data.shape)} doesn't match the broadcast shape "
            f"{list(result._data.shape)}"
        )
