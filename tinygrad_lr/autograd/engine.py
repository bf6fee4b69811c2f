"""The backward pass: visit the graph from the output back to the leaves.

Every node gets a sequence number when forward records it (:attr:`Function.sequence_nr`), and an
op's inputs always exist before the op does. So visiting nodes from the highest number down
reaches each node only after every node that uses its result, which is the order backward needs
(a topological order), and it needs no pass over the graph beforehand. torch's engine also orders
ready nodes by these numbers (after a pass that counts each node's dependencies).

:func:`run_backward` keeps the nodes that have received a gradient in a heap, takes the newest,
calls its ``backward``, sums each input gradient back to the input's shape if the forward
broadcast it (:func:`sum_to_shape`), and passes it on: to the input's node, adding it to what
that node already received (a tensor used twice gets two contributions), or, at a leaf, into
``.grad``. It loops instead of recursing, so a chain of 100,000 ops works (a recursive walk
stops at Python's recursion limit of about 1,000). :func:`topological_order` lists the same
order for a whole graph, for drawing it.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable
from typing import Any

import numpy as np

from .. import inplace
from ..tensor import Tensor
from .function import Function


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


def sum_to_shape(
    grad: np.ndarray, shape: tuple[int, ...], node: Function, index: int
) -> np.ndarray:
    """Undo broadcasting: sum ``grad`` over the dimensions that broadcasting added or stretched.

    If ``b`` of shape (1,) was added to a (10, 1) tensor, ``b`` was used 10 times, so its
    gradient is the sum of the 10 gradients it contributed to.

    Examples
    --------
    >>> import numpy as np
    >>> sum_to_shape(np.ones((10, 1)), (1,), None, 1)
    array([10.])
    """
    leading = grad.ndim - len(shape)
    # The dimensions to sum: those broadcasting added in front, and those it stretched from 1.
    # A plain loop, because this runs for every broadcast operand (a bias, at every step).
    axes = list(range(leading))
    for i, size in enumerate(shape if leading >= 0 else ()):
        if size != grad.shape[leading + i]:
            if size != 1:
                leading = -1  # not a broadcast of shape
                break
            axes.append(leading + i)
    if leading < 0:
        name = node.name() if node is not None else "backward"
        raise RuntimeError(
            f"{name} returned a gradient of shape {grad.shape} for input {index}, which has shape "
            f"{shape}; a gradient must have the input's shape or a shape it broadcasts to"
        )
    # np.add.reduce is what grad.sum calls, without the Python wrapper around it.
    return np.add.reduce(grad, axis=tuple(axes), keepdims=True).reshape(shape)


def _accumulate(tensor: Tensor, grad: np.ndarray) -> None:
    """Add ``grad`` into ``tensor.grad``, as torch accumulates gradients on leaves."""
    if tensor._grad is None:
        # A copy the tensor owns: ``grad`` may be shared with another input (Add passes the same
        # array to both) or be a read-only broadcast view.
        tensor._grad = Tensor._make(np.array(grad, dtype=tensor._data.dtype, copy=True))
    else:
        tensor._grad._data += grad


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


def run_backward(
    output: Tensor,
    grad_output: np.ndarray,
    retain_graph: bool = False,
    inputs: tuple[Tensor, ...] | None = None,
) -> list[np.ndarray | None] | None:
    """Backpropagate ``grad_output`` from ``output`` through the recorded graph.

    Without ``inputs``, gradients are added into the ``.grad`` of every leaf (and of non-leaves
    that called ``retain_grad()``). With ``inputs``, nothing is accumulated: the gradients of
    those tensors are returned instead (this is :func:`tinygrad_lr.autograd.grad`).
    Unless ``retain_graph``, each node frees its saved arrays once used.

    Examples
    --------
    >>> import numpy as np
    >>> import tinygrad_lr as tg
    >>> w = tg.tensor([1.0, 2.0], requires_grad=True)
    >>> loss = (w * w).sum()
    >>> run_backward(loss, np.ones((), dtype=np.float32))  # what loss.backward() does
    >>> w.grad
    tensor([2., 4.])
    """
    captured: list[np.ndarray | None] | None = None
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

    if output.grad_fn is None:  # backward() called on a leaf: its gradient is grad_output
        _deliver_to_leaf(output, grad_output, captured, leaf_slots)
        return captured

    # The gradient each node has received so far, and the same nodes in a heap, newest on top
    # (heapq keeps the smallest first, hence the minus). Sequence numbers are unique, so two
    # entries never tie and nodes themselves are never compared.
    root = output.grad_fn
    pending: dict[Function, Any] = {root: grad_output}
    heap = [(-root.sequence_nr, root)]
    while heap:
        node = heapq.heappop(heap)[1]
        grad = pending.pop(node)
        if node_slots and node in node_slots:
            for slot in node_slots[node]:
                captured[slot] = grad
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
            shape = node.input_shapes[index]
            if input_grad.shape != shape:  # only the gradient of a broadcast operand is summed
                input_grad = sum_to_shape(input_grad, shape, node, index)
            if isinstance(parent, Function):
                if parent in pending:
                    pending[parent] = pending[parent] + input_grad
                else:
                    pending[parent] = input_grad
                    heapq.heappush(heap, (-parent.sequence_nr, parent))
            elif captured is None:  # a leaf
                _accumulate(parent, input_grad)
            else:
                _deliver_to_leaf(parent, input_grad, captured, leaf_slots)
        if not retain_graph:
            node._saved = None
    return captured


def _deliver_to_leaf(
    leaf: Tensor, grad: np.ndarray, captured: list | None, leaf_slots: dict[int, list[int]]
) -> None:
    """A leaf's gradient: accumulated into ``.grad``, or kept for ``autograd.grad``'s inputs."""
    if captured is None:
        _accumulate(leaf, grad)
        return
    for slot in leaf_slots.get(id(leaf), ()):
        captured[slot] = grad if captured[slot] is None else captured[slot] + grad


def backward(output: Tensor, gradient: Any = None, retain_graph: bool | None = None) -> None:
    """``output.backward(gradient, retain_graph)``: check the arguments, seed, run the walk.

    Examples
    --------
    >>> import tinygrad_lr as tg
    >>> x = tg.tensor([3.0], requires_grad=True)
    >>> backward((x**2).sum())
    >>> x.grad
    tensor([6.])
    """
    seed = _seed(output, gradient, "gradient")
    run_backward(output, seed, _retain_graph_flag(retain_graph, "backward"))


def _seed(output: Tensor, gradient: Any, argument: str) -> np.ndarray:
    """The gradient backward starts from: ``gradient`` (of the output's shape, in its dtype), or
    1 for a one-element output; the output must be part of a graph."""
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
        return np.array(1, dtype=output._data.dtype).reshape(output._data.shape)
    seed = gradient._data if isinstance(gradient, Tensor) else np.asarray(gradient)
    if seed.shape != output._data.shape:
        raise RuntimeError(
            f"Mismatch in shape: {argument} has a shape of {tuple(seed.shape)} and output has a "
            f"shape of {tuple(output.shape)}"
        )
    return seed.astype(output._data.dtype, copy=False)


def _retain_graph_flag(retain_graph: Any, function: str) -> bool:
    """``retain_graph`` as a bool: None means False; anything but a bool is refused, as torch does.

    Examples
    --------
    >>> _retain_graph_flag(None, "backward"), _retain_graph_flag(True, "backward")
    (False, True)
    """
    if retain_graph is None:
        return False
    if not isinstance(retain_graph, (bool, np.bool_)):
        raise TypeError(
            f"{function}(): argument 'retain_graph' must be bool, not {type(retain_graph).__name__}"
        )
    return bool(retain_graph)


def grad(
    outputs: Tensor,
    inputs: Tensor | tuple[Tensor, ...] | list[Tensor],
    grad_outputs: Tensor | None = None,
    retain_graph: bool | None = None,
    allow_unused: bool = False,
) -> tuple[Tensor | None, ...]:
    """The gradients of ``outputs`` with respect to ``inputs``, returned, not accumulated.

    Unlike ``backward()``, no ``.grad`` changes. One output tensor is supported.

    Examples
    --------
    >>> import tinygrad_lr as tg
    >>> x = tg.tensor([2.0], requires_grad=True)
    >>> tg.autograd.grad((x**3).sum(), x)
    (tensor([12.]),)
    """
    if isinstance(outputs, (tuple, list)):
        if len(outputs) != 1:
            raise NotImplementedError("autograd.grad supports one output tensor; sum them first")
        outputs = outputs[0]
    single = isinstance(inputs, Tensor)
    inputs = (inputs,) if single else tuple(inputs)
    for tensor in inputs:
        if not isinstance(tensor, Tensor) or not tensor.requires_grad:
            raise RuntimeError("One of the differentiated Tensors does not require grad")
    seed = _seed(outputs, grad_outputs, "grad_outputs")
    captured = run_backward(outputs, seed, _retain_graph_flag(retain_graph, "grad"), inputs)
    results = []
    for tensor, value in zip(inputs, captured):
        if value is None and not allow_unused:
            raise RuntimeError(
                "One of the differentiated Tensors appears to not have been used in the graph. "
                "Set allow_unused=True if this is the desired behavior."
            )
        results.append(
            None if value is None else Tensor._make(np.array(value, dtype=tensor._data.dtype))
        )
    return tuple(results)
