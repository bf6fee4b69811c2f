"""The backward pass: visit the graph from the output back to the leaves.

Every node gets a sequence number when forward records it (:attr:`Function.sequence_nr`), and an
op's inputs always exist before the op does. So visiting nodes from the highest number down
reaches each node only after every node that uses its result, which is the order backward needs
(a topological order), and it needs no pass over the graph beforehand. torch's engine also orders
ready nodes by these numbers (after a pass that counts each node's dependencies).

:func:`run_backward` keeps the nodes that have received a gradient in a heap, takes the newest,
calls its ``backward``, sums each input gradient back to the input's shape if the forward
broadcast it (the op ``SumToSize``), and passes it on: to the input's node, adding it to what
that node already received (a tensor used twice gets two contributions), or to a leaf, whose
contributions are added into ``.grad`` once the walk is done. It loops instead of recursing, so
a chain of 100,000 ops works (a recursive walk stops at Python's recursion limit of about
1,000). :func:`topological_order` lists the same order for a whole graph, for drawing it.

Gradients are tensors and backward rules are Tensor code. The walk runs under ``no_grad``, so
nothing it computes is recorded, unless ``create_graph=True``: then every gradient carries the
graph of how it was computed from the leaves, and can be differentiated in turn.
"""

from __future__ import annotations

import heapq
import warnings
import weakref
from collections.abc import Callable, Iterable, Sequence
from typing import Any

import numpy as np

from .. import inplace
from ..grad_mode import state as grad_state
from ..ops.reduce import SumToSize
from ..tensor import Tensor
from .function import Function, _refusing

OBSERVERS: list[Callable[..., None]] = []
"""Callbacks told of each step of every walk, as ``observer(event, *values)``: ``"visit"`` (a
node and the gradient it received), ``"sum"`` (a broadcast gradient before and after SumToSize),
``"send"`` (a gradient handed to an input; whether it adds to one already received) and
``"leaf"`` (the total a leaf receives). :func:`tinygrad_lr.viz.backward_steps` draws a walk
from these. While the list is empty, a step costs one check of it."""


def topological_order(*roots: Function) -> list[Function]:
    """Every node reachable from ``roots``, in the order backward visits them: newest first.

    Examples
    --------
    >>> import tinygrad_lr as tg
    >>> w = tg.ones(2, requires_grad=True)
    >>> loss = (w * 3).sum()
    >>> [node.name() for node in topological_order(loss.grad_fn)]
    ['SumBackward0', 'MulBackward0']
    """
    reachable = set(roots)
    stack = list(roots)  # an explicit stack, not recursion: a 100,000-op chain is fine
    while stack:
        for parent in stack.pop().next_functions:
            if isinstance(parent, Function) and parent not in reachable:
                reachable.add(parent)
                stack.append(parent)
    return sorted(reachable, key=_newest_first)


def _newest_first(node: Function) -> int:
    return -node.sequence_nr


def run_backward(
    outputs: Sequence[Tensor],
    grad_outputs: Sequence[Tensor],
    retain_graph: bool = False,
    create_graph: bool = False,
    inputs: Sequence[Tensor] | None = None,
) -> list[Tensor | None] | None:
    """Backpropagate ``grad_outputs`` from ``outputs`` through the recorded graph.

    Without ``inputs``, gradients are added into the ``.grad`` of every leaf (and of non-leaves
    that called ``retain_grad()``). With ``inputs``, nothing is accumulated: the gradients of
    those tensors are returned instead (this is :func:`tinygrad_lr.autograd.grad`).
    Unless ``retain_graph``, each node frees its saved arrays once used. With ``create_graph``
    the backward rules are recorded, so the gradients can be differentiated again.

    Examples
    --------
    >>> import tinygrad_lr as tg
    >>> w = tg.tensor([1.0, 2.0], requires_grad=True)
    >>> loss = (w * w).sum()
    >>> run_backward([loss], [tg.tensor(1.0)])  # what loss.backward() does
    >>> w.grad
    tensor([2., 4.])
    """
    recording = grad_state.enabled
    grad_state.enabled = create_graph
    try:
        return _walk(outputs, grad_outputs, retain_graph, inputs)
    finally:
        grad_state.enabled = recording


def _walk(
    outputs: Sequence[Tensor],
    grad_outputs: Sequence[Tensor],
    retain_graph: bool,
    inputs: Sequence[Tensor] | None,
) -> list[Tensor | None] | None:
    captured: list[Tensor | None] | None = None
    # With ``inputs``: where each input's gradient goes (a tensor given twice fills two slots).
    leaf_slots: dict[int, list[int]] = {}
    node_slots: dict[Function, list[int]] = {}
    if inputs is not None:
        captured = [None] * len(inputs)
        for slot, tensor in enumerate(inputs):
            if tensor.grad_fn is None:
                leaf_slots.setdefault(id(tensor), []).append(slot)
            else:
                node_slots.setdefault(tensor.grad_fn, []).append(slot)

    # The gradient each node has received so far, and the same nodes in a heap, newest on top
    # (heapq keeps the smallest first, hence the minus). Sequence numbers are unique, so two
    # entries never tie and nodes themselves are never compared. Leaves collect their
    # contributions apart and receive the sum at the end, so each leaf's hooks see it once.
    pending: dict[Function, Tensor] = {}
    heap: list[tuple[int, Function]] = []
    leaves: dict[int, list[Any]] = {}
    for output, seed in zip(outputs, grad_outputs):
        _send(output.grad_fn or output, seed, pending, heap, leaves)
    while heap:
        node = heapq.heappop(heap)[1]
        grad = pending.pop(node)
        if node_slots and node in node_slots:  # as torch: the gradient before its hooks
            for slot in node_slots[node]:
                captured[slot] = grad
        if node._hooks:
            grad = _run_hooks(node._hooks, grad)
        if OBSERVERS:
            _tell("visit", node, grad)
        if node._retained is not None:
            retained = node._retained()
            if retained is not None:
                _accumulate(retained, grad)

        input_grads = node.backward(node, grad)
        if not isinstance(input_grads, tuple):
            input_grads = (input_grads,)
        parents = node.next_functions
        if len(input_grads) != len(parents):
            raise RuntimeError(
                f"{node.name()}: backward returned {len(input_grads)} gradients, but forward "
                f"took {len(parents)} arguments; return one per argument (None for those that "
                "need none)"
            )
        for index, parent in enumerate(parents):
            input_grad = input_grads[index]
            if parent is None or input_grad is None:
                continue
            if type(input_grad) is not Tensor:
                input_grad = _from_numpy(input_grad)
            shape = node.input_shapes[index]
            if input_grad._data.shape != shape:  # only the gradient of a broadcast operand
                summed = _sum_to_shape(input_grad, shape, node, index)
                if OBSERVERS:
                    _tell("sum", node, index, input_grad, summed)
                input_grad = summed
            if OBSERVERS:
                added = parent in pending if isinstance(parent, Function) else id(parent) in leaves
                _tell("send", node, index, parent, input_grad, added)
            _send(parent, input_grad, pending, heap, leaves)
        if not retain_graph:
            node._saved = None

    for leaf, grad in leaves.values():
        if captured is not None and id(leaf) not in leaf_slots:
            continue  # a leaf that was not asked for: nothing happens to it, hooks included
        if leaf._backward_hooks:
            grad = _run_hooks(leaf._backward_hooks, grad)
        if OBSERVERS:
            _tell("leaf", leaf, grad)
        if captured is None:
            _accumulate(leaf, grad)
        else:
            for slot in leaf_slots[id(leaf)]:
                captured[slot] = grad
    return captured


def _tell(event: str, *values: Any) -> None:
    for observer in list(OBSERVERS):
        observer(event, *values)


def _send(
    parent: Function | Tensor,
    grad: Tensor,
    pending: dict[Function, Tensor],
    heap: list[tuple[int, Function]],
    leaves: dict[int, list[Any]],
) -> None:
    """Hand ``grad`` to a node, or to a leaf, adding it to what that one has received."""
    if isinstance(parent, Tensor):
        entry = leaves.get(id(parent))
        if entry is None:
            leaves[id(parent)] = [parent, grad]
        else:
            entry[1] = entry[1] + grad
    elif parent in pending:
        pending[parent] = pending[parent] + grad
    else:
        pending[parent] = grad
        heapq.heappush(heap, (-parent.sequence_nr, parent))


def _from_numpy(grad: Any) -> Tensor:
    """A gradient a user's backward returned as an array, not a tensor. Recorded backwards
    (``create_graph``) cannot see through NumPy, so differentiating it again raises."""
    if grad_state.enabled:
        return _refusing(grad)
    return Tensor._make(np.asarray(grad))


def _sum_to_shape(grad: Tensor, shape: tuple[int, ...], node: Function, index: int) -> Tensor:
    """Undo broadcasting: a gradient of a broadcast input, summed back to the input's shape."""
    try:
        return SumToSize.apply(grad, shape)
    except ValueError:
        raise RuntimeError(
            f"{node.name()} returned a gradient of shape {tuple(grad.shape)} for input {index}, "
            f"which has shape {shape}; a gradient must have the input's shape or a shape it "
            "broadcasts to"
        ) from None


def _run_hooks(hooks: list[Callable[[Tensor], Any]], grad: Tensor) -> Tensor:
    """Call each hook on the gradient in turn; one that returns a tensor replaces it."""
    for hook in list(hooks):
        result = hook(grad)
        if result is not None:
            name = getattr(hook, "__name__", repr(hook))
            if not isinstance(result, Tensor):
                raise TypeError(
                    f"hook '{name}' returned {type(result).__name__}, but a hook returns None or "
                    "a tensor that replaces the gradient"
                )
            if result._data.shape != grad._data.shape:
                raise RuntimeError(
                    f"hook '{name}' has changed the size of value: it returned a tensor of shape "
                    f"{tuple(result.shape)} for a gradient of shape {tuple(grad.shape)}"
                )
            grad = result
    return grad


def _accumulate(tensor: Tensor, grad: Tensor) -> None:
    """Add ``grad`` into ``tensor.grad``, as torch accumulates gradients on leaves: in place,
    or, when backward is recorded (``create_graph``), as a new tensor that keeps the graph."""
    dtype = tensor._data.dtype
    if grad_state.enabled:
        if grad._data.dtype != dtype:
            grad = grad.to(tensor.dtype)
        tensor._grad = grad.clone() if tensor._grad is None else tensor._grad + grad
    elif tensor._grad is None:
        # A copy the tensor owns: ``grad`` may be shared with another input (Add passes the same
        # gradient to both) or be a read-only broadcast view.
        tensor._grad = Tensor._make(np.array(grad._data, dtype=dtype, copy=True))
    elif tensor._grad._data.shape != grad._data.shape:  # .data was given another shape
        raise RuntimeError(
            f"cannot add a gradient of shape {tuple(grad.shape)} to .grad of shape "
            f"{tuple(tensor._grad.shape)}: the tensor's .data changed shape since its last "
            "backward; set .grad = None (or call zero_grad(set_to_none=True)) first"
        )
    else:
        tensor._grad._data += grad._data


def clear_grads(params: Iterable[Tensor], set_to_none: bool) -> None:
    """Undo the accumulation before the next backward: each ``.grad`` to None, or to zeros in
    place (``Module.zero_grad`` and ``Optimizer.zero_grad``).

    Examples
    --------
    >>> import tinygrad_lr as tg
    >>> w = tg.ones(2, requires_grad=True)
    >>> (w * 3).sum().backward()
    >>> clear_grads([w], set_to_none=False)
    >>> w.grad
    tensor([0., 0.])
    """
    for param in params:
        if param.grad is None:
            continue
        if set_to_none:
            param.grad = None
        else:
            param.grad.zero_()


def backward(
    tensors: Tensor | Sequence[Tensor],
    grad_tensors: Tensor | Sequence[Tensor | None] | None = None,
    retain_graph: bool | None = None,
    create_graph: bool = False,
    inputs: Tensor | Sequence[Tensor] | None = None,
) -> None:
    """Add the gradients of ``tensors`` into the leaves' ``.grad`` (``tensor.backward()``).

    ``grad_tensors`` seeds each output (needed for outputs with more than one element);
    ``retain_graph`` keeps the graph for another backward (by default: ``create_graph``);
    ``create_graph`` records backward, so ``.grad`` can be differentiated again; ``inputs``
    limits accumulation to those tensors. As ``torch.autograd.backward``.

    Examples
    --------
    >>> import tinygrad_lr as tg
    >>> x = tg.tensor([3.0], requires_grad=True)
    >>> backward((x**2).sum())
    >>> x.grad
    tensor([6.])
    """
    outputs, seeds = _outputs_and_seeds(tensors, grad_tensors, "grad_tensors")
    retain = _retain_graph_flag(retain_graph, create_graph, "backward")
    if create_graph:
        warnings.warn(
            "Using backward() with create_graph=True will create a reference cycle between the "
            "parameter and its gradient which can cause a memory leak. We recommend using "
            "autograd.grad when creating the graph to avoid this. If you have to use this "
            "function, make sure to reset the .grad fields of your parameters to None after use "
            "to break the cycle and avoid the leak.",
            UserWarning,
            stacklevel=3,
        )
    if inputs is None:
        run_backward(outputs, seeds, retain, create_graph)
        return
    inputs = _differentiated(inputs, "backward")
    grads = run_backward(outputs, seeds, retain, create_graph, inputs)
    recording = grad_state.enabled
    grad_state.enabled = create_graph
    try:
        for tensor, value in zip(inputs, grads):
            if value is not None:
                _accumulate(tensor, value)
    finally:
        grad_state.enabled = recording


def grad(
    outputs: Tensor | Sequence[Tensor],
    inputs: Tensor | Sequence[Tensor],
    grad_outputs: Tensor | Sequence[Tensor | None] | None = None,
    retain_graph: bool | None = None,
    create_graph: bool = False,
    allow_unused: bool | None = None,
) -> tuple[Tensor | None, ...]:
    """The gradients of ``outputs`` with respect to ``inputs``, returned, not accumulated.

    Unlike ``backward()``, no ``.grad`` changes. With ``create_graph=True`` the gradients are
    differentiable tensors (take the gradient of a gradient for second derivatives); the graph
    is then kept unless ``retain_graph=False``. An input the outputs do not depend on is an
    error unless ``allow_unused=True`` (its gradient is then None). As ``torch.autograd.grad``.

    Examples
    --------
    >>> import tinygrad_lr as tg
    >>> x = tg.tensor([2.0], requires_grad=True)
    >>> (dx,) = tg.autograd.grad((x**3).sum(), x, create_graph=True)  # 3x² = 12
    >>> dx
    tensor([12.], grad_fn=<MulBackward0>)
    >>> tg.autograd.grad(dx.sum(), x)  # 6x
    (tensor([12.]),)
    """
    outputs, seeds = _outputs_and_seeds(outputs, grad_outputs, "grad_outputs")
    inputs = _differentiated(inputs, "grad")
    retain = _retain_graph_flag(retain_graph, create_graph, "grad")
    captured = run_backward(outputs, seeds, retain, create_graph, inputs)
    results = []
    for tensor, value in zip(inputs, captured):
        if value is None:
            if not allow_unused:
                raise RuntimeError(
                    "One of the differentiated Tensors appears to not have been used in the "
                    "graph. Set allow_unused=True if this is the desired behavior."
                )
        elif not create_graph:
            # The caller owns the result: a copy in the input's dtype, never a shared array.
            value = Tensor._make(np.array(value._data, dtype=tensor._data.dtype))
        elif value._data.dtype != tensor._data.dtype:
            value = value.to(tensor.dtype)
        results.append(value)
    return tuple(results)


def _differentiated(inputs: Any, function: str) -> tuple[Tensor, ...]:
    """``inputs`` as a tuple of tensors that require grad (one tensor, or a sequence)."""
    inputs = (inputs,) if isinstance(inputs, Tensor) else tuple(inputs)
    for tensor in inputs:
        if not isinstance(tensor, Tensor) or not tensor.requires_grad:
            raise RuntimeError("One of the differentiated Tensors does not require grad")
    if not inputs:
        raise RuntimeError(f"{function}: 'inputs' is empty; pass the tensors to differentiate")
    return inputs


def _outputs_and_seeds(
    outputs: Any, gradients: Any, argument: str
) -> tuple[list[Tensor], list[Tensor]]:
    """The outputs as a list, each with the gradient backward starts from."""
    outputs = [outputs] if isinstance(outputs, Tensor) else list(outputs)
    if gradients is None or isinstance(gradients, Tensor):
        gradients = [gradients] * len(outputs) if gradients is None else [gradients]
    else:
        gradients = list(gradients)
    if len(gradients) != len(outputs):
        raise RuntimeError(
            f"{argument} should be a sequence of length {len(outputs)} (one per output), "
            f"not of length {len(gradients)}"
        )
    seeds = [_seed(output, gradient, argument) for output, gradient in zip(outputs, gradients)]
    return outputs, seeds


def _seed(output: Tensor, gradient: Any, argument: str) -> Tensor:
    """The gradient backward starts from: ``gradient`` (of the output's shape, in its dtype), or
    1 for a one-element output; the output must be part of a graph."""
    if not isinstance(output, Tensor):
        raise TypeError(f"outputs must be tensors, not {type(output).__name__}")
    inplace.catch_up(output)  # a view of a tensor changed in place since: its current history
    if not output._requires_grad:
        raise RuntimeError(
            "element 0 of tensors does not require grad and does not have a grad_fn; "
            "create the leaves with requires_grad=True, and do not compute the output "
            "under no_grad()"
        )
    if gradient is None:
        if output._data.size != 1:
            raise RuntimeError(
                f"grad can be implicitly created only for scalar outputs; this output has "
                f"shape {tuple(output.shape)}: reduce it first (loss.sum() or loss.mean()), "
                f"or pass {argument}=... of the same shape"
            )
        # One C call; np.ones_like wraps two of them in Python, on every training step.
        return Tensor._make(np.array(1, dtype=output._data.dtype).reshape(output._data.shape))
    seed = gradient if isinstance(gradient, Tensor) else Tensor._make(np.asarray(gradient))
    if seed._data.shape != output._data.shape:
        raise RuntimeError(
            f"Mismatch in shape: {argument} has a shape of {tuple(seed.shape)} and output has a "
            f"shape of {tuple(output.shape)}"
        )
    return seed if seed._data.dtype == output._data.dtype else seed.to(output.dtype)


def _retain_graph_flag(retain_graph: Any, create_graph: Any, function: str) -> bool:
    """``retain_graph`` as a bool: None means ``create_graph`` (False by default), as in torch;
    anything but a bool is refused.

    Examples
    --------
    >>> _retain_graph_flag(None, False, "backward"), _retain_graph_flag(None, True, "grad")
    (False, True)
    """
    for name, flag in (("create_graph", create_graph), ("retain_graph", retain_graph)):
        if flag is not None and not isinstance(flag, (bool, np.bool_)):
            raise TypeError(
                f"{function}(): argument '{name}' must be bool, not {type(flag).__name__}"
            )
    return bool(create_graph) if retain_graph is None else bool(retain_graph)


def retain_grad(tensor: Tensor) -> None:
    """``tensor.retain_grad()``: backward also fills ``.grad`` of this non-leaf (after its
    hooks, as in torch). A leaf has its ``.grad`` anyway.

    Examples
    --------
    >>> import tinygrad_lr as tg
    >>> w = tg.ones(2, requires_grad=True)
    >>> h = w * 2
    >>> retain_grad(h)
    >>> h.sum().backward()
    >>> h.grad
    tensor([1., 1.])
    """
    if not tensor._requires_grad:
        raise RuntimeError("can't retain_grad on Tensor that has requires_grad=False")
    if tensor.grad_fn is not None:
        # A weak reference: the node must not keep its own output alive (no cycle).
        tensor.grad_fn._retained = weakref.ref(tensor)


def register_hook(tensor: Tensor, hook: Callable[[Tensor], Tensor | None]) -> RemovableHandle:
    """``tensor.register_hook(hook)``: call ``hook(grad)`` whenever backward computes this
    tensor's gradient; a hook that returns a tensor replaces the gradient. On a leaf, hooks run
    before the gradient is added into ``.grad``.

    Examples
    --------
    >>> import tinygrad_lr as tg
    >>> w = tg.tensor([1.0, 2.0], requires_grad=True)
    >>> handle = w.register_hook(lambda g: g * 10)
    >>> (w * 3).sum().backward()
    >>> w.grad
    tensor([30., 30.])
    >>> handle.remove()
    """
    if not tensor._requires_grad:
        raise RuntimeError("cannot register a hook on a tensor that doesn't require gradient")
    if not callable(hook):
        raise TypeError(f"register_hook expects a function, not {type(hook).__name__}")
    inplace.catch_up(tensor)
    owner = tensor if tensor.grad_fn is None else tensor.grad_fn
    if owner is tensor:
        if tensor._backward_hooks is None:
            tensor._backward_hooks = []
        hooks = tensor._backward_hooks
    else:
        if owner._hooks is None:
            owner._hooks = []
        hooks = owner._hooks
    hooks.append(hook)
    return RemovableHandle(hooks, hook)


class RemovableHandle:
    """What ``register_hook`` returns: ``handle.remove()`` takes the hook off again (also on
    leaving a ``with handle:`` block).

    Examples
    --------
    >>> import tinygrad_lr as tg
    >>> w = tg.ones(2, requires_grad=True)
    >>> with w.register_hook(print):
    ...     (w * 2).sum().backward()
    tensor([2., 2.])
    >>> (w * 2).sum().backward()  # removed: nothing printed
    """

    def __init__(self, hooks: list, hook: Callable[..., Any]) -> None:
        self._hooks, self._hook = hooks, hook

    def remove(self) -> None:
        """Remove the hook; removing it twice does nothing."""
        for i, hook in enumerate(self._hooks):
            if hook is self._hook:
                del self._hooks[i]
                return

    def __enter__(self) -> RemovableHandle:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.remove()
