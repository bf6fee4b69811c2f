"""``gradcheck``: compare backward's gradients with central finite differences.

For an input element x and each output element y, the numerical derivative is

    dy/dx ≈ (f(x + eps) - f(x - eps)) / (2 eps),

whose error shrinks with eps², so in float64 with eps = 1e-6 it agrees with an exact gradient to
about 1e-9. The analytical derivatives come from backward, one output element at a time, giving
the full Jacobian. Float32 has too few digits for this test, so gradcheck asks for float64 inputs.

``gradgradcheck`` checks second derivatives the same way: the gradient of ``fn`` (computed with
``create_graph=True``, as a function of the inputs and of the output's gradient) is itself a
function, and its own backward is checked against its finite differences.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from ..ops import Cat
from ..tensor import Tensor
from .engine import grad, run_backward


class GradcheckError(RuntimeError):
    """Raised by :func:`gradcheck` when an analytical gradient disagrees with the numerical one."""


def _as_output(value: Any) -> Tensor:
    if isinstance(value, (tuple, list)):
        if len(value) != 1:
            raise TypeError("gradcheck: fn must return one tensor")
        value = value[0]
    if not isinstance(value, Tensor):
        raise TypeError(f"gradcheck: fn must return a Tensor, got {type(value).__name__}")
    return value


def _numerical_jacobian(
    fn: Callable[..., Any], inputs: Sequence[Tensor], index: int, eps: float, n_out: int
) -> np.ndarray:
    """Rows: elements of input ``index``; columns: output elements."""
    x = inputs[index]._data
    jacobian = np.zeros((x.size, n_out))
    # Perturb x itself, element by element (np.ndindex also works for non-contiguous arrays,
    # where x.reshape(-1) would silently perturb a copy). Grad mode stays as it is: fn may take
    # gradients itself (gradgradcheck's does).
    for row, position in enumerate(np.ndindex(x.shape)):
        original = x[position]
        x[position] = original + eps
        plus = _as_output(fn(*inputs))._data.astype(np.float64).reshape(-1)
        x[position] = original - eps
        minus = _as_output(fn(*inputs))._data.astype(np.float64).reshape(-1)
        x[position] = original
        jacobian[row] = (plus - minus) / (2 * eps)
    return jacobian


def _analytical_jacobian(output: Tensor, inputs: Sequence[Tensor]) -> list[np.ndarray]:
    """For each input, rows: its elements; columns: output elements (one backward per column)."""
    n_out = output.numel()
    jacobians = [np.zeros((t.numel(), n_out)) for t in inputs]
    for j in range(n_out):
        seed = np.zeros(output._data.size, dtype=output._data.dtype)
        seed[j] = 1
        seed = Tensor._make(seed.reshape(output._data.shape))
        grads = run_backward([output], [seed], True, False, tuple(inputs))
        for jacobian, g in zip(jacobians, grads):
            if g is not None:
                jacobian[:, j] = np.asarray(g._data, dtype=np.float64).reshape(-1)
    return jacobians


def gradcheck(
    fn: Callable[..., Any],
    inputs: Tensor | Sequence[Any],
    eps: float = 1e-6,
    atol: float = 1e-5,
    rtol: float = 1e-3,
    raise_exception: bool = True,
) -> bool:
    """Check the gradients of ``fn`` at ``inputs`` against central finite differences.

    Every input that requires grad must be float64. Passes when, for every element,
    ``|analytical - numerical| <= atol + rtol * |numerical|``.

    Parameters
    ----------
    fn : callable
        Takes the inputs, returns one tensor (of any shape).
    inputs : Tensor or sequence
        The arguments of ``fn``; those that require grad are checked.
    eps, atol, rtol : float
        Step of the finite difference, and the tolerances.
    raise_exception : bool
        On failure, raise :class:`GradcheckError` (default) or return False.

    Returns
    -------
    bool
        True when all gradients agree.

    Raises
    ------
    GradcheckError
        Naming the input, the element's index, and the numerical and analytical values.

    Examples
    --------
    >>> import tinygrad_lr as tg
    >>> x = tg.randn(3, dtype=tg.float64, requires_grad=True)
    >>> tg.autograd.gradcheck(lambda x: (x * x).sum(), (x,))
    True
    """
    inputs = (inputs,) if isinstance(inputs, Tensor) else tuple(inputs)
    checked = _checked_inputs(inputs, "gradcheck")
    return _check(fn, inputs, checked, eps, atol, rtol, raise_exception, constant_ok=False)


def _checked_inputs(inputs: tuple[Any, ...], function: str) -> list[int]:
    """The places of the inputs that require grad: leaves in float64, at least one."""
    checked = [i for i, x in enumerate(inputs) if isinstance(x, Tensor) and x.requires_grad]
    if not checked:
        raise ValueError(
            f"{function}: no input requires grad; pass tensors with requires_grad=True"
        )
    for i in checked:
        if inputs[i].dtype.name != "float64":
            raise TypeError(
                f"{function}: input {i} is {inputs[i].dtype}, but finite differences need float64 "
                "to be accurate; pass x.double() (created with requires_grad=True)"
            )
        if not inputs[i].is_leaf:
            raise ValueError(f"{function}: input {i} must be a leaf tensor (create it directly)")
    return checked


def _check(
    fn: Callable[..., Any],
    inputs: tuple[Any, ...],
    checked: list[int],
    eps: float,
    atol: float,
    rtol: float,
    raise_exception: bool,
    constant_ok: bool,
) -> bool:
    """gradcheck's comparison; ``constant_ok``: an output outside the graph has a zero
    Jacobian (gradgradcheck's gradients of a linear or piecewise constant function)."""
    output = _as_output(fn(*inputs))
    if output.requires_grad:
        analytical = _analytical_jacobian(output, [inputs[i] for i in checked])
    elif constant_ok:
        analytical = [np.zeros((inputs[i].numel(), output.numel())) for i in checked]
    else:
        raise GradcheckError("gradcheck: the output does not require grad; is fn differentiable?")
    for i, jac_a in zip(checked, analytical):
        jac_n = _numerical_jacobian(fn, inputs, i, eps, output.numel())
        # |analytical - numerical| <= atol + rtol * |numerical|; equal infinities agree, and
        # nan never does (a nan gradient is a bug even where the numerical one is nan too).
        mismatch = ~np.isclose(jac_a, jac_n, rtol=rtol, atol=atol)
        if np.any(mismatch):
            excess = np.abs(jac_a - jac_n) - (atol + rtol * np.abs(jac_n))
            excess = np.nan_to_num(excess, nan=np.inf, posinf=np.inf)  # nan counts as worst
            bad = np.unravel_index(np.argmax(np.where(mismatch, excess, -np.inf)), excess.shape)
            element = np.unravel_index(bad[0], inputs[i].shape) if inputs[i].ndim else ()
            message = (
                f"Jacobian mismatch for output element {bad[1]} with respect to input {i}, "
                f"element {tuple(int(e) for e in element)}:\n"
                f"numerical: {float(jac_n[bad])!r}\nanalytical: {float(jac_a[bad])!r}\n"
                f"(atol={atol}, rtol={rtol}, eps={eps})"
            )
            if raise_exception:
                raise GradcheckError(message)
            return False
    return True


def gradgradcheck(
    fn: Callable[..., Any],
    inputs: Tensor | Sequence[Any],
    grad_outputs: Tensor | Sequence[Tensor] | None = None,
    *,
    eps: float = 1e-6,
    atol: float = 1e-5,
    rtol: float = 1e-3,
    raise_exception: bool = True,
) -> bool:
    """Check the second derivatives of ``fn`` at ``inputs`` against finite differences of its
    gradient, as ``torch.autograd.gradgradcheck``.

    The function checked is ``(inputs, v) ↦ grad(fn(inputs), inputs, v, create_graph=True)``:
    its backward is the backward of backward. ``v`` (``grad_outputs``) is random, float64 and
    requires grad unless given.

    Examples
    --------
    >>> import tinygrad_lr as tg
    >>> x = tg.randn(3, dtype=tg.float64, requires_grad=True)
    >>> tg.autograd.gradgradcheck(lambda x: (x**3).sum(), (x,))
    True
    """
    inputs = (inputs,) if isinstance(inputs, Tensor) else tuple(inputs)
    differentiated = _checked_inputs(inputs, "gradgradcheck")
    output = _as_output(fn(*inputs))
    if grad_outputs is None:
        rng = np.random.default_rng(0)
        grad_outputs = (Tensor._make(rng.standard_normal(output._data.shape), True),)
    elif isinstance(grad_outputs, Tensor):
        grad_outputs = (grad_outputs,)
    grad_outputs = tuple(grad_outputs)
    count = len(inputs)

    def gradient(*values: Any) -> Tensor:
        point, seeds = values[:count], values[count:]
        found = grad(
            _as_output(fn(*point)),
            [point[i] for i in differentiated],
            list(seeds),
            create_graph=True,
            allow_unused=True,
        )
        parts = [
            Tensor._make(np.zeros(point[i]._data.shape)) if g is None else g
            for i, g in zip(differentiated, found)
        ]
        parts = [part.reshape(-1) for part in parts]
        return parts[0] if len(parts) == 1 else Cat.apply(0, *parts)

    values = (*inputs, *grad_outputs)
    checked = [i for i, x in enumerate(values) if isinstance(x, Tensor) and x.requires_grad]
    return _check(gradient, values, checked, eps, atol, rtol, raise_exception, constant_ok=True)
