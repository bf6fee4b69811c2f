"""The ops behind in-place changes of views: what torch records when ``y[0:2].mul_(10)`` changes
``y``, or ``y[0:2] = v`` writes into it (see :mod:`tinygrad_lr.inplace`).

A view remembers how it was taken from its base as ``steps``: NumPy methods and their arguments,
such as ``("__getitem__", slice(0, 2))`` or ``("reshape", (3,))``. Replaying them on any array of
the base's shape finds the same region, in the base, in its gradient, or in a copy.

Examples
--------
>>> import tinygrad_lr as tg
>>> x = tg.tensor([1.0, 2.0, 3.0], requires_grad=True)
>>> y = x * 1
>>> y[0:2].mul_(10)  # the view's change reaches y: y's node becomes CopySlices
tensor([10., 20.], grad_fn=<MulBackward0>)
>>> y.grad_fn
<CopySlices>
>>> y.sum().backward()  # dy/dx is 10 in the changed region, 1 elsewhere
>>> x.grad
tensor([10., 10.,  1.])
>>> v = y[1:]
>>> _ = y.mul_(2)  # y changed after v was taken: v's node is made anew from y's
>>> (v * 1).grad_fn.next_functions[0]
<ViewBackward0>
>>> z = tg.tensor([5.0], requires_grad=True)
>>> y[0] = z  # IndexPut: y[0] no longer depends on x, and its gradient goes to z
>>> y.grad_fn
<IndexPutBackward0>
"""

from __future__ import annotations

import numpy as np

from ..autograd.function import Function
from ..tensor import Tensor


def replay(array: np.ndarray, steps: tuple) -> np.ndarray:
    """The view of ``array`` that ``steps`` made: each is a NumPy method and its argument, e.g.
    ``("__getitem__", slice(0, 2))`` or ``("reshape", (3,))``, in the order they were taken.

    Examples
    --------
    >>> replay(np.arange(6), [("reshape", (2, 3)), ("__getitem__", 1)])
    array([3, 4, 5])
    """
    for method, argument in steps:
        array = getattr(array, method)(argument)
    return array


def assign(array: np.ndarray, steps: tuple, value: object) -> None:
    """Write ``value`` into the region of ``array`` that ``steps`` select, in place; the last
    step may be an index array (whose region ``replay`` would give as a copy).

    Examples
    --------
    >>> a = np.zeros(4)
    >>> assign(a, [("__getitem__", [0, 2])], 5.0)
    >>> a
    array([5., 0., 5., 0.])
    """
    *path, (method, argument) = steps
    region = replay(array, path)
    if method == "__getitem__":
        region[argument] = value
    else:
        getattr(region, method)(argument)[...] = value


def put(array: np.ndarray, steps: tuple, value: object) -> None:
    """``array[key] = value``, in place, for a key taken in ``steps`` (one NumPy key, or two in
    turn: see :func:`tinygrad_lr.indexing.torch_index_steps`).

    Examples
    --------
    >>> a = np.zeros(3)
    >>> put(a, (slice(0, 2),), 5.0)
    >>> a
    array([5., 5., 0.])
    """
    replay(array, _getitems(steps[:-1]))[steps[-1]] = value


class View(Function):
    """out = the region of base that ``steps`` select (a view);  dbase = zeros, g in that region.

    What a view of a tensor stands for after its base changed in place: its values now come from
    the base's new history (torch regenerates a view's grad_fn the same way).
    """

    @staticmethod
    def forward(ctx, base, steps):
        ctx.shape, ctx.dtype, ctx.steps = base.shape, base.dtype, steps
        return replay(base, steps)

    @staticmethod
    def backward(ctx, g):
        zeros = Tensor._make(np.zeros(ctx.shape, dtype=ctx.dtype))
        return CopySlices.apply(zeros, g, ctx.steps), None


class CopySlices(Function):
    """out = base with the region ``steps`` select replaced by src;
    dbase = g with that region zeroed,  dsrc = g's region.

    Recorded when an in-place op changes a view: the base's history becomes this node, so the
    gradient of the changed region flows to the in-place op and the rest around it (torch's
    CopySlices).
    """

    def name(self) -> str:
        return "CopySlices"  # torch's name for this node, without "Backward0"

    @staticmethod
    def forward(ctx, base, src, steps):
        ctx.steps = steps
        out = base.copy()
        assign(out, steps, src)
        return out

    @staticmethod
    def backward(ctx, g):
        return CopySlices.apply(g, 0, ctx.steps), View.apply(g, ctx.steps), None


class IndexPut(Function):
    """out = a with a[key] = value (or a[key] += value, repeated positions adding up, when
    ``accumulate``);  da = g with a[key] zeroed (g itself when accumulating),  dvalue = g[key].

    ``steps`` is the key as one NumPy key, or two taken in turn (see
    :func:`tinygrad_lr.indexing.torch_index_steps`). Accumulating is also the backward of
    indexing: the gradient of ``a[key]`` is ``g`` added into zeros at ``key``.
    """

    @staticmethod
    def forward(ctx, a, value, steps, accumulate):
        ctx.steps, ctx.accumulate = steps, accumulate
        out = a.copy()
        if accumulate:
            # np.add.at adds every repeat of a position, where ``out[key] += value`` would keep
            # only the last one.
            np.add.at(replay(out, _getitems(steps[:-1])), steps[-1], value)
        else:
            put(out, steps, value)
        return out

    @staticmethod
    def backward(ctx, g):
        da = g if ctx.accumulate else IndexPut.apply(g, 0, ctx.steps, False)
        return da, View.apply(g, _getitems(ctx.steps)), None, None


def _getitems(keys):
    return [("__getitem__", key) for key in keys]
