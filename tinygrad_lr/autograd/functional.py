"""Derivatives of whole functions: ``jacobian``, ``hessian``, ``vjp``, ``jvp``, ``hvp``, ``vhp``.

Each takes a function of tensors and the point to differentiate it at, as
``torch.autograd.functional`` does, and is built from :func:`~tinygrad_lr.autograd.grad`:

- ``vjp``: one backward pass, vᵀJ.
- ``jacobian``: one backward pass per output element, each giving one row of J.
- ``hessian``: the Jacobian of the gradient, the gradient computed with ``create_graph=True``.
- ``jvp``, ``hvp``: J v and H v by the "double backward" trick: the vjp u ↦ uᵀJ is linear in
  ``u``, so differentiating it with respect to ``u`` (seeded with ``v``) gives J v.
- ``vhp``: vᵀH, the gradient of the gradient's dot product with ``v``.

``inputs`` is a tensor or a tuple of tensors, and the results keep that structure: a tensor for a
tensor, a tuple for a tuple (a tuple of tuples for a Hessian of several inputs).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from ..grad_mode import enable_grad
from ..ops import Stack
from ..tensor import Tensor
from .engine import grad


def _as_tuple(value: Any, argument: str, function: str) -> tuple[bool, tuple[Tensor, ...]]:
    """``(was it a tuple, the tensors as a tuple)``; refuses anything but tensors."""
    is_tuple = isinstance(value, tuple)  # a tuple, as torch: a list is refused
    values = tuple(value) if is_tuple else (value,)
    for item in values:
        if not isinstance(item, Tensor):
            raise TypeError(
                f"The {argument} given to {function} must be either a Tensor or a tuple of "
                f"Tensors but the value at index {values.index(item)} has type "
                f"{type(item).__name__}."
            )
    return is_tuple, values


def _prepare(inputs: tuple[Tensor, ...], create_graph: bool) -> tuple[Tensor, ...]:
    """Fresh leaves that require grad at the same values; with ``create_graph``, inputs that
    require grad stay connected to their graph (through a view), as in torch."""
    prepared = []
    for tensor in inputs:
        if create_graph and tensor.requires_grad:
            prepared.append(tensor.view_as(tensor))
        else:
            prepared.append(tensor.detach().requires_grad_(tensor.is_floating_point()))
    return tuple(prepared)


def _finish(values: Any, create_graph: bool) -> Any:
    """Results given back: detached unless ``create_graph``, in the same nesting."""
    if isinstance(values, tuple):
        return tuple(_finish(value, create_graph) for value in values)
    if values is None or create_graph:
        return values
    return values.detach()


def _grads(
    outputs: tuple[Tensor, ...],
    inputs: tuple[Tensor, ...],
    grad_outputs: tuple[Tensor, ...],
    create_graph: bool,
    strict: bool,
    what: str,
) -> tuple[Tensor, ...]:
    """The gradients of ``outputs`` (seeded with ``grad_outputs``) with respect to each input;
    zeros for an input they do not depend on (an error with ``strict``)."""
    pairs = [(o, g) for o, g in zip(outputs, grad_outputs) if o.requires_grad]
    if pairs:
        found = grad(
            [o for o, _ in pairs],
            inputs,
            [g for _, g in pairs],
            retain_graph=True,
            create_graph=create_graph,
            allow_unused=True,
        )
    else:
        found = (None,) * len(inputs)
    result = []
    for index, (tensor, value) in enumerate(zip(inputs, found)):
        if value is None:
            if strict:
                raise RuntimeError(
                    f"The output of the user-provided function is independent of input {index}. "
                    f"This is not allowed in strict mode{what}."
                )
            value = Tensor._make(np.zeros_like(tensor._data))
        result.append(value)
    return tuple(result)


def _check_v(v: Any, like: tuple[Tensor, ...], argument: str, function: str) -> tuple[Tensor, ...]:
    _, values = _as_tuple(v, argument, function)
    if len(values) != len(like):
        raise RuntimeError(
            f"{function}: the given {argument} should contain {len(like)} Tensors, "
            f"not {len(values)}."
        )
    for index, (value, tensor) in enumerate(zip(values, like)):
        if value.shape != tensor.shape:
            raise RuntimeError(
                f"{function}: entry {index} in {argument} has shape {tuple(value.shape)}, "
                f"but the matching tensor has shape {tuple(tensor.shape)}."
            )
    return values


def _default_v(v: Any, inputs: tuple[Tensor, ...]) -> Any:
    """``v``, or 1 when it is left out for a one-element input (torch's rule)."""
    if v is not None:
        return v
    if len(inputs) != 1 or inputs[0].numel() != 1:
        raise RuntimeError(
            "The vector v can only be None if the input to the user-provided function is a "
            "single Tensor with a single element."
        )
    return (Tensor._make(np.ones_like(inputs[0]._data)),)


def _call(func: Callable[..., Any], inputs: tuple[Tensor, ...], function: str) -> Any:
    with enable_grad():
        return func(*inputs)


def vjp(
    func: Callable[..., Any],
    inputs: Tensor | tuple[Tensor, ...],
    v: Tensor | tuple[Tensor, ...] | None = None,
    create_graph: bool = False,
    strict: bool = False,
) -> tuple[Any, Any]:
    """``(func(inputs), vᵀJ)``: the vector-Jacobian product, one backward pass.

    ``v`` has the output's shape (it may be left out for a one-element output).

    Examples
    --------
    >>> import tinygrad_lr as tg
    >>> from tinygrad_lr.autograd.functional import vjp
    >>> vjp(lambda x: x**2, tg.tensor([1.0, 2.0]), tg.tensor([1.0, 1.0]))[1]
    tensor([2., 4.])
    """
    inputs_tuple, inputs = _as_tuple(inputs, "inputs", "vjp")
    inputs = _prepare(inputs, create_graph)
    outputs_tuple, outputs = _as_tuple(_call(func, inputs, "vjp"), "outputs of the function", "vjp")
    if v is None:
        if len(outputs) != 1 or outputs[0].numel() != 1:
            raise RuntimeError(
                "The vector v can only be None if the user-provided function returns a single "
                "Tensor with a single element."
            )
        seeds = (Tensor._make(np.ones_like(outputs[0]._data)),)
    else:
        seeds = _check_v(v, outputs, "v", "vjp")
    result = _grads(outputs, inputs, seeds, create_graph, strict, "")
    output = outputs if outputs_tuple else outputs[0]
    return _finish(output, create_graph), _finish(
        result if inputs_tuple else result[0], create_graph
    )


def jvp(
    func: Callable[..., Any],
    inputs: Tensor | tuple[Tensor, ...],
    v: Tensor | tuple[Tensor, ...] | None = None,
    create_graph: bool = False,
    strict: bool = False,
) -> tuple[Any, Any]:
    """``(func(inputs), J v)``: the Jacobian-vector product, by the double backward trick.

    ``v`` has the inputs' shapes (it may be left out for a one-element input).

    Examples
    --------
    >>> import tinygrad_lr as tg
    >>> from tinygrad_lr.autograd.functional import jvp
    >>> jvp(lambda x: x**2, tg.tensor([1.0, 2.0]), tg.tensor([1.0, 0.0]))[1]
    tensor([2., 0.])
    """
    inputs_tuple, inputs = _as_tuple(inputs, "inputs", "jvp")
    inputs = _prepare(inputs, create_graph)
    v = _check_v(_default_v(v, inputs), inputs, "v", "jvp")
    outputs_tuple, outputs = _as_tuple(_call(func, inputs, "jvp"), "outputs of the function", "jvp")
    # u ↦ uᵀJ is linear in u: its gradient with respect to u, seeded with v, is J v.
    dummies = tuple(Tensor._make(np.zeros_like(o._data), o.is_floating_point()) for o in outputs)
    with enable_grad():
        vjps = _grads(outputs, inputs, dummies, True, strict, "")
    result = _grads(vjps, dummies, v, create_graph, strict, " (the Jacobian is zero)")
    output = outputs if outputs_tuple else outputs[0]
    return _finish(output, create_graph), _finish(
        result if outputs_tuple else result[0], create_graph
    )


def jacobian(
    func: Callable[..., Any],
    inputs: Tensor | tuple[Tensor, ...],
    create_graph: bool = False,
    strict: bool = False,
    vectorize: bool = False,
    strategy: str = "reverse-mode",
) -> Any:
    """The Jacobian of ``func`` at ``inputs``: for an output of shape ``O`` and an input of shape
    ``I``, a tensor of shape ``O + I`` whose entry ``[o, i]`` is ∂out[o]/∂in[i].

    One backward pass per output element (``vectorize`` and ``strategy`` choose how torch
    computes the same numbers; here both give these passes).

    Examples
    --------
    >>> import tinygrad_lr as tg
    >>> from tinygrad_lr.autograd.functional import jacobian
    >>> jacobian(lambda x: x**2, tg.tensor([1.0, 2.0]))
    tensor([[2., 0.],
            [0., 4.]])
    """
    if strategy not in ("reverse-mode", "forward-mode"):
        raise ValueError(
            'Expected strategy to be either "forward-mode" or "reverse-mode". Hint: If your '
            'function has more outputs than inputs, "forward-mode" tends to be more performant. '
            'Otherwise, prefer to use "reverse-mode".'
        )
    if strategy == "forward-mode" and not vectorize:
        raise NotImplementedError(
            "Computing Jacobian using forward-AD or forward-over-reverse Hessian is only "
            "implemented for `vectorize=True`."
        )
    inputs_tuple, inputs = _as_tuple(inputs, "inputs", "jacobian")
    inputs = _prepare(inputs, create_graph)
    outputs_tuple, outputs = _as_tuple(
        _call(func, inputs, "jacobian"), "outputs of the function", "jacobian"
    )
    rows = []
    for index, output in enumerate(outputs):
        per_input: list[list[Tensor]] = [[] for _ in inputs]
        flat = output.reshape(-1)
        for element in range(flat.shape[0]):
            seed = Tensor._make(np.zeros(flat.shape, dtype=flat._data.dtype))
            seed._data[element] = 1
            what = f" (output {index})"
            if flat.requires_grad:
                found = _grads((flat,), inputs, (seed,), create_graph, strict, what)
            else:
                found = _grads((), inputs, (), create_graph, strict, what)
            for slot, value in enumerate(found):
                if strict and create_graph and not value.requires_grad:
                    raise RuntimeError(
                        f"The jacobian of the user-provided function is independent of input "
                        f"{slot}. This is not allowed in strict mode when create_graph=True."
                    )
                per_input[slot].append(value)
        blocks = []
        for tensor, values in zip(inputs, per_input):
            shape = (*output.shape, *tensor.shape)
            if values:
                blocks.append(Stack.apply(0, *values).reshape(shape))
            else:
                blocks.append(Tensor._make(np.zeros(shape, dtype=tensor._data.dtype)))
        rows.append(tuple(blocks) if inputs_tuple else blocks[0])
    result = tuple(rows) if outputs_tuple else rows[0]
    return _finish(result, create_graph)


def hessian(
    func: Callable[..., Any],
    inputs: Tensor | tuple[Tensor, ...],
    create_graph: bool = False,
    strict: bool = False,
    vectorize: bool = False,
    outer_jacobian_strategy: str = "reverse-mode",
) -> Any:
    """The Hessian of a function with one-element output: for an input of shape ``I``, a
    tensor of shape ``I + I`` of second derivatives; for a tuple of inputs, a tuple of tuples
    (block ``[i][j]`` is ∂²f/∂inᵢ∂inⱼ). It is the Jacobian of the gradient, which is computed
    with ``create_graph=True``.

    Examples
    --------
    >>> import tinygrad_lr as tg
    >>> from tinygrad_lr.autograd.functional import hessian
    >>> hessian(lambda x: (x**3).sum(), tg.tensor([1.0, 2.0]))
    tensor([[ 6.,  0.],
            [ 0., 12.]])
    """
    inputs_tuple, inputs = _as_tuple(inputs, "inputs", "hessian")

    def gradient(*point: Tensor) -> tuple[Tensor, ...]:
        output = func(*point)
        _, outputs = _as_tuple(output, "outputs of the function", "hessian")
        if len(outputs) != 1 or outputs[0].numel() != 1:
            raise RuntimeError(
                "The function given to hessian should return a single Tensor with a single "
                f"element, not {len(outputs)} Tensors of shapes "
                f"{[tuple(o.shape) for o in outputs]}"
            )
        out = outputs[0].reshape(())
        seed = (Tensor._make(np.ones((), dtype=out._data.dtype)),)
        if not out.requires_grad:
            return _grads((), point, (), True, strict, "")
        return _grads((out,), point, seed, True, strict, "")

    point = inputs if inputs_tuple else inputs[0]
    result = jacobian(gradient, point, create_graph, strict, vectorize, outer_jacobian_strategy)
    return result if inputs_tuple else result[0]


def vhp(
    func: Callable[..., Any],
    inputs: Tensor | tuple[Tensor, ...],
    v: Tensor | tuple[Tensor, ...] | None = None,
    create_graph: bool = False,
    strict: bool = False,
) -> tuple[Any, Any]:
    """``(func(inputs), vᵀH)``: the gradient of ``∇f · v``, for a function with one-element
    output.

    Examples
    --------
    >>> import tinygrad_lr as tg
    >>> from tinygrad_lr.autograd.functional import vhp
    >>> vhp(lambda x: (x**3).sum(), tg.tensor([1.0, 2.0]), tg.tensor([1.0, 1.0]))[1]
    tensor([ 6., 12.])
    """
    return _hessian_product(func, inputs, v, create_graph, strict, "vhp")


def hvp(
    func: Callable[..., Any],
    inputs: Tensor | tuple[Tensor, ...],
    v: Tensor | tuple[Tensor, ...] | None = None,
    create_graph: bool = False,
    strict: bool = False,
) -> tuple[Any, Any]:
    """``(func(inputs), H v)``: for the twice-differentiable functions here H is symmetric, so
    H v is vᵀH (torch computes it with the double backward trick; the numbers agree).

    Examples
    --------
    >>> import tinygrad_lr as tg
    >>> from tinygrad_lr.autograd.functional import hvp
    >>> hvp(lambda x: (x**3).sum(), tg.tensor([1.0, 2.0]), tg.tensor([1.0, 0.0]))[1]
    tensor([6., 0.])
    """
    return _hessian_product(func, inputs, v, create_graph, strict, "hvp")


def _hessian_product(
    func: Callable[..., Any],
    inputs: Any,
    v: Any,
    create_graph: bool,
    strict: bool,
    function: str,
) -> tuple[Any, Any]:
    inputs_tuple, inputs = _as_tuple(inputs, "inputs", function)
    inputs = _prepare(inputs, create_graph)
    v = _check_v(_default_v(v, inputs), inputs, "v", function)
    _, outputs = _as_tuple(_call(func, inputs, function), "outputs of the function", function)
    if len(outputs) != 1 or outputs[0].numel() != 1:
        raise RuntimeError(
            f"The function given to {function} should return a single Tensor with a single element"
        )
    out = outputs[0]
    seed = (Tensor._make(np.ones_like(out._data)),)
    with enable_grad():
        grads = _grads((out,) if out.requires_grad else (), inputs, seed, True, strict, "")
    result = _grads(grads, inputs, v, create_graph, strict, " (the Hessian is zero)")
    return _finish(out, create_graph), _finish(result if inputs_tuple else result[0], create_graph)
