"""``Function``: the one mechanism behind every differentiable operation.

A ``Function`` subclass pairs a ``forward`` that computes a result from NumPy arrays with a
``backward`` that turns the gradient of that result into the gradients of its inputs. Calling
``MyOp.apply(x, y)`` runs ``forward`` and, when any input requires grad, records an instance of
``MyOp`` as the result's ``grad_fn``. That instance is at once the ``ctx`` that ``forward`` saved
arrays on and the node of the graph that ``backward`` walks, as in torch.

A node refers to its inputs' nodes (``next_functions``) and to the NumPy arrays it saved, never to
the tensor it produced, so a graph has no reference cycles: dropping the loss frees the graph at
once, without waiting for the cycle collector.
"""

from __future__ import annotations

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
    of that array and returns one gradient per argument of ``forward`` (``None`` for arguments
    that are not tensors or need no gradient). A gradient may keep a broadcast shape: the engine
    sums it back to its input's shape.

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
    _saved_versions: tuple[Any, ...] = ()
    _retained: weakref.ref[Tensor] | None = None

    @staticmethod
    def forward(ctx: Function, *args: Any) -> np.ndarray:
        """Compute the result from NumPy arrays; save what backward needs on ``ctx``."""
        raise NotImplementedError(
            "subclasses of Function must implement forward(ctx, *args) as a staticmethod"
        )

    @staticmethod
    def backward(ctx: Function, grad_output: np.ndarray) -> Any:
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
        """What forward saved; refused after backward freed it, or once changed in place."""
        if self._saved is None:
            raise RuntimeError(FREED_GRAPH_MESSAGE)
        for place, counter, version, which in self._saved_versions:
            if counter[0] != version:
                raise RuntimeError(_modified_message(self, place, counter, version, which))
        return self._saved

    @classmethod
    def apply(cls, *args: Any) -> Tensor:
        """Run forward on the arrays behind ``args`` and record the op when gradients are needed."""
        ctx = cls()
        recording = grad_state.enabled
        # One pass over the arguments collects everything forward and the graph need: a Python
        # loop here runs for every operation, so it is written once, without generators.
        arrays, needs_input_grad, parents, shapes = [], [], [], []
        needs_grad = has_data = False  # has_data: a tensor argument needing no gradient (X, y)
        for arg in args:
            if isinstance(arg, Tensor):
                if arg._base is not None and recording:
                    inplace.catch_up(arg)  # a view whose base changed in place since
                array = arg._data
                arrays.append(array)
                shapes.append(array.shape)
                if recording and arg._requires_grad:
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
            # NumPy points every view at the array that owns the memory.
            if output.base is arrays[0] or output.base is arrays[0].base:
                # The result shows its input's memory: it shares the input's version, and in
                # grad mode remembers how it was taken, so an in-place change can reach the base.
                step = (cls.view_method, args[1]) if recording else None
                inplace.mark_view(result, args[0], step)
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
                ctx._saved_versions = _versions(ctx._saved, args, arrays, result)
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


def _versions(
    saved: tuple[Any, ...], args: tuple[Any, ...], arrays: list[Any], result: Tensor
) -> tuple[Any, ...]:
    """For each saved array that is an input's or the result's: its place among the saved, that
    tensor's version counter and the version it has now, and which it is (input i, or -1 for the
    output). Other arrays (an intermediate, a view of an input made inside forward) and numbers
    are not checked: a Function should save its inputs or output as it received them."""
    versions = []
    for place, array in enumerate(saved):
        if type(array) is not np.ndarray:  # nothing (None) or a number
            continue
        if array is result._data:
            tensor, which = result, -1
        elif place < len(arrays) and arrays[place] is array:
            tensor, which = args[place], place  # ops save their inputs in argument order
        else:
            which = next((i for i, candidate in enumerate(arrays) if candidate is array), None)
            if which is None:
                continue
            tensor = args[which]
        if isinstance(tensor, Tensor):
            versions.append((place, tensor._version_counter, tensor._version_counter[0], which))
    return tuple(versions)


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
