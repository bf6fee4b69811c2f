"""``Function``: the one mechanism behind every differentiable operation.

A ``Function`` subclass pairs a ``forward`` that computes a result from NumPy arrays with a
``backward`` that turns the gradient of that result into the gradients of its inputs, written
with Tensor operations (``g * b``, ``g @ b.T``), as torch's derivatives are. Calling
``MyOp.apply(x, y)`` runs ``forward`` and, when any input requires grad, records an instance of
``MyOp`` as the result's ``grad_fn``. That instance is at once the ``ctx`` that ``forward`` saved
arrays on and the node of the graph that ``backward`` walks, as in torch.

Because backward is Tensor code, the engine can record it too: ``backward(create_graph=True)``
makes each gradient a tensor with its own graph, which can be differentiated again (a Hessian is
the gradient of a gradient). Without ``create_graph`` backward runs under ``no_grad``.

A node refers to its inputs' nodes (``next_functions``) and to the NumPy arrays it saved, never to
the tensor it produced, so a graph has no reference cycles: dropping the loss frees the graph at
once, without waiting for the cycle collector.
"""

from __future__ import annotations

import functools
import itertools
import weakref
from typing import Any

import numpy as np

from .. import inplace
from ..grad_mode import state as grad_state
from ..tensor import Tensor

FREED_GRAPH_MESSAGE = (
    "Trying to backward through the graph a second time (or directly access saved tensors after "
    "they have already been freed). Saved intermediate values of the graph are freed when you call "
    ".backward() or autograd.grad(). Specify retain_graph=True if you need to backward through the "
    "graph a second time or if you need to access saved tensors after calling backward."
)


# Sequence numbers for recorded nodes. next() on itertools.count is one C call, so two threads
# recording at once never get the same number.
_sequence_numbers = itertools.count()


class Function:
    """Base class for differentiable operations; subclass it to write your own.

    ``forward(ctx, *args)`` receives NumPy arrays in place of tensors (other arguments as they
    were given) and returns one NumPy array. ``backward(ctx, grad_output)`` receives the gradient
    of that result as a tensor, and ``ctx.saved_tensors`` gives back as tensors the inputs or the
    output that forward saved; it returns one gradient per argument of ``forward`` (``None`` for
    arguments that are not tensors or need no gradient), computed with Tensor operations so that
    it can be differentiated again. A gradient may keep a broadcast shape: the engine sums it
    back to its input's shape. A backward that works on NumPy arrays instead (through
    ``.detach().numpy()``) is marked :func:`once_differentiable`.

    Examples
    --------
    >>> import numpy as np
    >>> import tinygrad_lr as tg
    >>> class Cube(tg.autograd.Function):
    ...     @staticmethod
    ...     def forward(ctx, x):  # y = x³
    ...         ctx.save_for_backward(x)
    ...         return x**3
    ...     @staticmethod
    ...     def backward(ctx, grad_output):  # dy/dx = 3x²
    ...         (x,) = ctx.saved_tensors
    ...         return grad_output * 3 * x**2
    >>> x = tg.tensor([2.0], requires_grad=True)
    >>> Cube.apply(x).sum().backward()
    >>> x.grad
    tensor([12.])
    """

    # Filled by ``apply`` when the result is recorded; read by the engine.
    next_functions: tuple[Any, ...] = ()
    """For each argument: its ``grad_fn`` node, the leaf tensor itself, or None (no gradient)."""
    needs_input_grad: tuple[bool, ...] = ()
    """For each argument: whether a gradient is wanted for it (backward may skip the others)."""
    input_shapes: tuple[Any, ...] = ()
    """For each tensor argument: its shape, to sum broadcast gradients back to (None otherwise)."""
    data_inputs: tuple[Any, ...] = ()
    """For each tensor argument that needs no gradient (data such as X and y), which
    ``next_functions`` leaves out: ``(weak reference to the tensor, weak reference to the NumPy
    array owning its memory, dtype)``, else None; empty when there is none. Only read to draw the
    graph (:mod:`tinygrad_lr.viz`); weak references keep no array alive and make no cycle."""
    sequence_nr: int = -1
    """When ``apply`` recorded the node: a number that grows with every recorded op. The inputs
    of a node are older than the node; the engine visits nodes newest first."""
    view_method: str | None = None
    """For ops whose result may share its input's memory (reshape, transpose, basic indexing):
    the NumPy method that makes that view, so an in-place change of the view can be replayed on
    its base (:mod:`tinygrad_lr.inplace`)."""
    _saved: tuple[np.ndarray, ...] | None = ()
    _saved_from: tuple[int | None, ...] = ()
    _saved_versions: tuple[Any, ...] = ()
    _retained: weakref.ref[Tensor] | None = None
    _hooks: list | None = None

    @staticmethod
    def forward(ctx: Function, *args: Any) -> np.ndarray:
        """Compute the result from NumPy arrays; save what backward needs on ``ctx``."""
        raise NotImplementedError(
            "subclasses of Function must implement forward(ctx, *args) as a staticmethod"
        )

    @staticmethod
    def backward(ctx: Function, grad_output: Tensor) -> Any:
        """Return the gradient of each argument of forward, given the result's gradient."""
        raise NotImplementedError(
            "subclasses of Function must implement backward(ctx, grad_output) as a staticmethod"
        )

    def save_for_backward(self, *arrays: Any) -> None:
        """Keep arrays for backward; the engine frees them after backward unless retain_graph.

        Save the arrays forward received, or the one it returns, as they are: ``apply`` then
        remembers their tensors' versions, and backward refuses one changed in place since.
        """
        self._saved = arrays

    @property
    def saved_tensors(self) -> tuple[Any, ...]:
        """What forward saved, as tensors; refused after backward freed it, or once changed in
        place. An input comes back with its place in the graph and the output with this node as
        its ``grad_fn``, so that backward's Tensor code, when recorded, reaches them."""
        if self._saved is None:
            raise RuntimeError(FREED_GRAPH_MESSAGE)
        for place, counter, version, which in self._saved_versions:
            if counter[0] != version:
                raise RuntimeError(_modified_message(self, place, counter, version, which))
        return tuple([self._tensor_of(v, w) for v, w in zip(self._saved, self._saved_from)])

    def _tensor_of(self, value: Any, which: int | None) -> Any:
        """A saved value as backward sees it: input ``which``, the output (-1), or neither."""
        if which is None:
            if type(value) is not np.ndarray:
                return value  # None, or a number
            if grad_state.enabled:
                raise RuntimeError(
                    f"{self.name()} saved an array that is neither one of its inputs nor its "
                    "output, so its gradient cannot be differentiated again (create_graph=True): "
                    "save inputs or the output and compute the rest in backward, or mark backward "
                    "@once_differentiable"
                )
            return Tensor._make(value)
        if which == -1:
            parent = self
        else:
            parent = self.next_functions[which]
            if parent is None:  # data, such as X: no gradient goes back to it
                return Tensor._make(value)
            if isinstance(parent, Tensor):  # a leaf stands for itself
                return parent if parent._data is value else Tensor._make(value)
        tensor = Tensor._make(value, True)
        tensor.grad_fn = parent
        return tensor

    @classmethod
    def apply(cls, *args: Any) -> Tensor:
        """Run forward on the arrays behind ``args`` and record the op when gradients are needed."""
        ctx = cls()
        if not grad_state.enabled:
            # Fork: with nothing to record (under no_grad, and in every backward rule the engine
            # runs without create_graph) only forward and the result are needed. Backward's
            # Tensor code makes about 12 such calls per step of the tutorial's loop: this halves
            # their cost (python benchmarks/profile_w1.py, "backward").
            ctx.needs_input_grad = (False,) * len(args)
            output = cls.forward(ctx, *[a._data if isinstance(a, Tensor) else a for a in args])
            if type(output) is not np.ndarray:
                output = np.asarray(output)
            result = Tensor._make(output)
            if cls.view_method is not None and output.base is not None:
                _tie_view(result, args[0], None)
            return result
        # One pass over the arguments collects everything forward and the graph need: a Python
        # loop here runs for every operation, so it is written once, without generators.
        arrays, needs_input_grad, parents, shapes = [], [], [], []
        needs_grad = has_data = False  # has_data: a tensor argument needing no gradient (X, y)
        for arg in args:
            if isinstance(arg, Tensor):
                if arg._base is not None:
                    inplace.catch_up(arg)  # a view whose base changed in place since
                array = arg._data
                arrays.append(array)
                shapes.append(array.shape)
                if arg._requires_grad:
                    needs_grad = True
                    needs_input_grad.append(True)
                    # A leaf stands for itself: the engine accumulates into its .grad.
                    parents.append(arg.grad_fn or arg)
                    continue
                has_data = True
            else:
                arrays.append(arg)
                shapes.append(None)
            needs_input_grad.append(False)
            parents.append(None)
        ctx.needs_input_grad = tuple(needs_input_grad)
        output = cls.forward(ctx, *arrays)
        if type(output) is not np.ndarray:
            # NumPy returns scalars, not 0-d arrays, from reductions and 0-d arithmetic; a saved
            # result is saved as the array the tensor holds, so its version can be checked.
            scalar, output = output, np.asarray(output)
            if ctx._saved:
                ctx._saved = tuple([output if saved is scalar else saved for saved in ctx._saved])
        result = Tensor._make(output, needs_grad)
        if cls.view_method is not None and output.base is not None:
            _tie_view(result, args[0], (cls.view_method, args[1]))
        if needs_grad:
            if output.dtype.kind != "f":
                raise RuntimeError(
                    f"{cls.__name__}.forward returned {output.dtype} data, but only floating-point "
                    "results can carry gradients"
                )
            ctx.sequence_nr = next(_sequence_numbers)
            ctx.next_functions = tuple(parents)
            ctx.input_shapes = tuple(shapes)
            if ctx._saved:
                ctx._saved_from, ctx._saved_versions = _sources(ctx._saved, args, arrays, result)
            if has_data:  # remembered for drawing the graph
                ctx.data_inputs = tuple(
                    [
                        None if parent is not None or shape is None else _remember_data(arg)
                        for arg, parent, shape in zip(args, parents, shapes)
                    ]
                )
            result.grad_fn = ctx
        return result

    def name(self) -> str:
        """The node's name as torch prints it, e.g. ``MulBackward0``."""
        return f"{type(self).__name__}Backward0"

    def __repr__(self) -> str:
        return f"<{self.name()}>"


def _tie_view(result: Tensor, source: Tensor, step: tuple[str, Any] | None) -> None:
    """If a view op's result shows its input's memory, it shares the input's version and
    remembers how it was taken (``step``; None when nothing records), so an in-place change can
    reach the base. NumPy points every view at the array that owns the memory."""
    base, array = result._data.base, source._data
    if base is array or base is array.base:
        inplace.mark_view(result, source, step)


def _sources(
    saved: tuple[Any, ...], args: tuple[Any, ...], arrays: list[Any], result: Tensor
) -> tuple[tuple[int | None, ...], tuple[Any, ...]]:
    """Where each saved value came from: input i, the output (-1), or neither (None: nothing, a
    number, or another array, such as an intermediate or a view of an input made inside
    forward); and, for those that are a tensor's, ``(place, version counter, version now,
    which)``, for ``saved_tensors`` to check. Ops save their inputs in argument order, so the
    place is tried first."""
    sources, versions = [], []
    for place, array in enumerate(saved):
        which = None
        if type(array) is np.ndarray:
            if array is result._data:
                which = -1
            elif place < len(arrays) and arrays[place] is array:
                which = place
            else:
                which = next((i for i, item in enumerate(arrays) if item is array), None)
        sources.append(which)
        tensor = result if which == -1 else None if which is None else args[which]
        if isinstance(tensor, Tensor):
            versions.append((place, tensor._version_counter, tensor._version_counter[0], which))
    return tuple(sources), tuple(versions)


def _modified_message(node: Function, place: int, counter: list, version: int, which: int) -> str:
    """torch's words for a saved tensor that an in-place op changed before backward needed it."""
    shape = list(node._saved[place].shape)
    which = "its output" if which == -1 else f"input {which}"
    return (
        "one of the variables needed for gradient computation has been modified by an inplace "
        f"operation: the tensor of shape {shape} that {node.name()} saved ({which}) is at "
        f"version {counter[0]}; expected version {version} instead. Hint: do the in-place change "
        "after backward, or use its out-of-place form (x = x * 2 instead of x.mul_(2)), or "
        ".clone() the tensor before changing it."
    )


def _remember_data(tensor: Tensor) -> tuple[weakref.ref, weakref.ref, np.dtype]:
    """Weak references to a data tensor and to the array owning its memory, and its dtype.

    The memory owner outlives a temporary view such as ``y.reshape(...)``, so the graph drawing
    can still say which named tensor the view's values came from.
    """
    array = tensor._data
    owner = array.base if isinstance(array.base, np.ndarray) else array
    return weakref.ref(tensor), weakref.ref(owner), array.dtype


def once_differentiable(backward: Any) -> Any:
    """Mark a ``Function``'s backward as computed outside autograd (on NumPy arrays, say).

    It then runs under ``no_grad`` with its gradient detached, and, when the engine records
    backward (``create_graph=True``), the gradients it returns refuse to be differentiated
    again, with an error, instead of silently giving a wrong second derivative (torch's
    ``torch.autograd.function.once_differentiable``).

    Examples
    --------
    >>> import numpy as np
    >>> import tinygrad_lr as tg
    >>> class Square(tg.autograd.Function):
    ...     @staticmethod
    ...     def forward(ctx, x):
    ...         ctx.save_for_backward(x)
    ...         return x * x
    ...     @staticmethod
    ...     @once_differentiable
    ...     def backward(ctx, grad_output):
    ...         (x,) = ctx.saved_tensors
    ...         return tg.from_numpy(2 * x.detach().numpy() * grad_output.numpy())
    >>> x = tg.tensor([3.0], requires_grad=True)
    >>> tg.autograd.grad(Square.apply(x).sum(), x)
    (tensor([6.]),)
    """

    @functools.wraps(backward)
    def wrapper(ctx: Function, *grad_outputs: Tensor) -> Any:
        recording = grad_state.enabled
        grad_state.enabled = False
        try:
            grads = backward(ctx, *[g.detach() for g in grad_outputs])
        finally:
            grad_state.enabled = recording
        if not recording:
            return grads
        if not isinstance(grads, tuple):
            grads = (grads,)
        # Each gradient, as a tensor that requires grad, goes through a node whose backward
        # raises: differentiating it again fails instead of finding no graph.
        return tuple([None if g is None else _refusing(g) for g in grads])

    return wrapper


def _refusing(grad: Any) -> Tensor:
    array = grad._data if isinstance(grad, Tensor) else np.asarray(grad)
    return OnceDifferentiable.apply(Tensor._make(array, True))


class OnceDifferentiable(Function):
    """out = a;  differentiating it raises: a gradient computed outside autograd.

    Examples
    --------
    >>> import tinygrad_lr as tg
    >>> g = OnceDifferentiable.apply(tg.ones(1, requires_grad=True))
    >>> tg.autograd.grad(g.sum(), g.grad_fn.next_functions[0])  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    RuntimeError: trying to differentiate twice a function that was marked with ...
    """

    @staticmethod
    def forward(ctx, a):
        return a.copy()

    @staticmethod
    def backward(ctx, g):
        raise RuntimeError(
            "trying to differentiate twice a function that was marked with @once_differentiable "
            "(its backward works outside autograd): write its backward with Tensor operations "
            "to take second derivatives"
        )
