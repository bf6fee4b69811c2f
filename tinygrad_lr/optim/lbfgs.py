"""``LBFGS``: a quasi-Newton method, torch's algorithm step for step.

Each ``step(closure)`` runs up to ``max_iter`` iterations. An iteration turns the gradient g
into a direction d ≈ −H⁻¹g with the two-loop recursion over the last ``history_size`` pairs
(s = the step taken, y = the change of gradient it caused), which stand in for the Hessian H:

    q ← −g;  for i newest to oldest:  aᵢ ← ρᵢ sᵢ·q,  q ← q − aᵢ yᵢ        (ρᵢ = 1 / yᵢ·sᵢ)
    r ← γ q  (γ = s·y / y·y of the newest pair);  for i oldest to newest:  r ← r + (aᵢ − ρᵢ yᵢ·r) sᵢ
    d ← r

then moves p ← p + t·d, with t = lr (on the very first iteration min(1, 1/‖g‖₁)·lr), or with
the t a strong-Wolfe line search finds (``line_search_fn="strong_wolfe"``). It stops early when
the gradient, the step or the change of loss falls below the tolerances. On a least-squares
loss it reaches the solution in a few iterations where SGD needs thousands of steps.

The vector arithmetic runs on the flattened parameters as NumPy arrays of their dtype (NumPy
scalars keep float32, as torch's 0-d tensors do); the state holds tensors, as torch's does.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from ..creation import from_numpy
from ..grad_mode import enable_grad, no_grad
from ..tensor import Tensor
from .optimizer import Optimizer, ParamsT, check_at_least_zero

Closure = Callable[[], Any]


class LBFGS(Optimizer):
    """L-BFGS (Nocedal, 1980), as torch.optim.LBFGS: one parameter group, ``step(closure)``.

    Parameters
    ----------
    params : iterable of Tensor
        The tensors to optimize, in one group (no per-group settings).
    lr : float
        Step length multiplier (default 1).
    max_iter : int
        Iterations per ``step`` (default 20).
    max_eval : int or None
        Loss evaluations per ``step`` (default ``max_iter * 5 // 4``).
    tolerance_grad : float
        Stop when every element of the gradient is at most this in size.
    tolerance_change : float
        Stop when the step or the change of loss is smaller than this.
    history_size : int
        How many (s, y) pairs the two-loop recursion remembers (default 100).
    line_search_fn : None or "strong_wolfe"
        Take the step length from a strong-Wolfe line search instead of ``lr``.

    Examples
    --------
    >>> import tinygrad_lr as tg
    >>> from tinygrad_lr import optim
    >>> X = tg.tensor([[1.0, 0.0], [1.0, 1.0], [1.0, 2.0]], dtype=tg.float64)
    >>> y = tg.tensor([[1.0], [3.0], [5.0]], dtype=tg.float64)
    >>> w = tg.zeros(2, 1, dtype=tg.float64, requires_grad=True)
    >>> opt = optim.LBFGS([w], line_search_fn="strong_wolfe")
    >>> def closure():
    ...     opt.zero_grad()
    ...     loss = ((X @ w - y) ** 2).mean()
    ...     loss.backward()
    ...     return loss
    >>> loss = opt.step(closure)
    >>> [round(v, 4) for v in w.flatten().tolist()]  # y = 1 + 2x, to tolerance_grad
    [1.0, 2.0]
    """

    def __init__(
        self,
        params: ParamsT,
        lr: float = 1,
        max_iter: int = 20,
        max_eval: int | None = None,
        tolerance_grad: float = 1e-7,
        tolerance_change: float = 1e-9,
        history_size: int = 100,
        line_search_fn: str | None = None,
    ) -> None:
        check_at_least_zero(learning_rate=lr)
        if max_eval is None:
            max_eval = max_iter * 5 // 4
        defaults = {
            "lr": lr,
            "max_iter": max_iter,
            "max_eval": max_eval,
            "tolerance_grad": tolerance_grad,
            "tolerance_change": tolerance_change,
            "history_size": history_size,
            "line_search_fn": line_search_fn,
        }
        super().__init__(params, defaults)
        if len(self.param_groups) != 1:
            raise ValueError("LBFGS doesn't support per-parameter options (parameter groups)")
        self._params: list[Tensor] = self.param_groups[0]["params"]

    # ------------------------------------------------------------ the flattened parameters
    def _flat_grad(self) -> np.ndarray:
        """Every parameter's gradient, flattened and joined (zeros where there is none)."""
        return np.concatenate(
            [
                np.zeros(p.numel(), p.detach().numpy().dtype)
                if p.grad is None
                else p.grad.numpy().reshape(-1)
                for p in self._params
            ]
        )

    def _add_grad(self, step_size: Any, direction: np.ndarray) -> None:
        """p ← p + step_size · d, for the slice of d that belongs to each parameter."""
        offset = 0
        for p in self._params:
            piece = direction[offset : offset + p.numel()].reshape(tuple(p.shape))
            p.add_(from_numpy(np.ascontiguousarray(piece)), alpha=float(step_size))
            offset += p.numel()

    def _directional_evaluate(
        self, closure: Closure, start: list[Tensor], t: Any, d: np.ndarray
    ) -> tuple[float, np.ndarray]:
        """Loss and gradient at start + t·d; the parameters are put back to start after."""
        self._add_grad(t, d)
        loss = float(_evaluate(closure))
        flat_grad = self._flat_grad()
        for p, value in zip(self._params, start):
            p.copy_(value)
        return loss, flat_grad

    # ------------------------------------------------------------------------------ step
    def step(self, closure: Closure) -> Any:  # type: ignore[override]
        """Run up to ``max_iter`` iterations; ``closure`` clears the gradients, computes the
        loss, calls ``backward()`` and returns the loss. Returns the first loss.

        Examples
        --------
        >>> import tinygrad_lr as tg
        >>> from tinygrad_lr import optim
        >>> w = tg.tensor([3.0], dtype=tg.float64, requires_grad=True)
        >>> opt = optim.LBFGS([w])
        >>> def closure():
        ...     opt.zero_grad()
        ...     loss = ((w - 1) ** 2).sum()
        ...     loss.backward()
        ...     return loss
        >>> opt.step(closure).item(), round(w.item(), 6)
        (4.0, 1.0)
        """
        self._opt_called = True  # read by lr_scheduler's warning about the order of steps
        with no_grad():
            return self._step(closure)

    def _step(self, closure: Closure) -> Any:
        group = self.param_groups[0]
        lr, max_iter, max_eval = group["lr"], group["max_iter"], group["max_eval"]
        tolerance_grad, tolerance_change = group["tolerance_grad"], group["tolerance_change"]
        line_search_fn, history_size = group["line_search_fn"], group["history_size"]

        state = self.state[self._params[0]]  # torch keeps all of it with the first parameter
        state.setdefault("func_evals", 0)
        state.setdefault("n_iter", 0)

        orig_loss = _evaluate(closure)
        loss = float(orig_loss)
        current_evals = 1
        state["func_evals"] += 1
        flat_grad = self._flat_grad()
        if np.abs(flat_grad).max() <= tolerance_grad:
            return orig_loss

        saved = {name: _to_arrays(value) for name, value in state.items()}
        d, t, H_diag = saved.get("d"), saved.get("t"), saved.get("H_diag")
        old_dirs, old_stps, ro = saved.get("old_dirs"), saved.get("old_stps"), saved.get("ro")
        prev_flat_grad, prev_loss = saved.get("prev_flat_grad"), saved.get("prev_loss")
        al = saved.get("al")

        n_iter = 0
        while n_iter < max_iter:
            n_iter += 1
            state["n_iter"] += 1
            if state["n_iter"] == 1:
                d = -flat_grad
                old_dirs, old_stps, ro = [], [], []
                H_diag = 1
            else:
                y = flat_grad - prev_flat_grad
                s = d * t
                ys = y.dot(s)
                if ys > 1e-10:  # keep the pair only where the curvature is positive
                    if len(old_dirs) == history_size:
                        old_dirs.pop(0)
                        old_stps.pop(0)
                        ro.pop(0)
                    old_dirs.append(y)
                    old_stps.append(s)
                    ro.append(1.0 / ys)
                    H_diag = ys / y.dot(y)
                if al is None:
                    al = [None] * history_size
                q = -flat_grad
                for i in range(len(old_dirs) - 1, -1, -1):
                    al[i] = old_stps[i].dot(q) * ro[i]
                    q += -al[i] * old_dirs[i]
                d = r = q * H_diag
                for i in range(len(old_dirs)):
                    be_i = old_dirs[i].dot(r) * ro[i]
                    r += (al[i] - be_i) * old_stps[i]
            prev_flat_grad = flat_grad.copy()
            prev_loss = loss
            if state["n_iter"] == 1:
                t = min(1.0, 1.0 / np.abs(flat_grad).sum()) * lr
            else:
                t = lr
            gtd = flat_grad.dot(d)
            if gtd > -tolerance_change:  # not a descent direction
                break

            ls_func_evals = 0
            if line_search_fn is not None:
                if line_search_fn != "strong_wolfe":
                    raise RuntimeError("only 'strong_wolfe' is supported")
                start = [p.clone() for p in self._params]

                def objective(
                    t: Any, d: np.ndarray, start: list[Tensor] = start
                ) -> tuple[float, np.ndarray]:
                    return self._directional_evaluate(closure, start, t, d)

                loss, flat_grad, t, ls_func_evals = strong_wolfe(
                    objective, t, d, loss, flat_grad, gtd, max_ls=max_eval - current_evals
                )
                self._add_grad(t, d)
                opt_cond = np.abs(flat_grad).max() <= tolerance_grad
            else:
                self._add_grad(t, d)
                if n_iter != max_iter:
                    loss = float(_evaluate(closure))
                    flat_grad = self._flat_grad()
                    opt_cond = np.abs(flat_grad).max() <= tolerance_grad
                    ls_func_evals = 1
            current_evals += ls_func_evals
            state["func_evals"] += ls_func_evals

            if n_iter == max_iter or current_evals >= max_eval or opt_cond:
                break
            if np.abs(d * t).max() <= tolerance_change or abs(loss - prev_loss) < tolerance_change:
                break

        found = {
            "d": d,
            "t": t,
            "old_dirs": old_dirs,
            "old_stps": old_stps,
            "ro": ro,
            "H_diag": H_diag,
            "prev_flat_grad": prev_flat_grad,
            "prev_loss": prev_loss,
        }
        if al is not None:
            found["al"] = al
        state.update({name: _to_tensors(value) for name, value in found.items()})
        return orig_loss


def _evaluate(closure: Closure) -> Any:
    """The closure's loss, computed with recording on (the step itself runs under no_grad)."""
    with enable_grad():
        return closure()


def _to_tensors(value: Any) -> Any:
    """State as torch stores it: arrays and NumPy scalars become tensors, lists element-wise."""
    if isinstance(value, list):
        return [_to_tensors(v) for v in value]
    if isinstance(value, (np.ndarray, np.generic)):
        return from_numpy(np.array(value))
    return value


def _to_arrays(value: Any) -> Any:
    """The reverse of _to_tensors: tensors become arrays (0-d ones NumPy scalars), copied."""
    if isinstance(value, list):
        return [_to_arrays(v) for v in value]
    if isinstance(value, Tensor):
        array = value.detach().numpy().copy()
        return array[()] if array.ndim == 0 else array
    return value


def cubic_interpolate(
    x1: Any, f1: Any, g1: Any, x2: Any, f2: Any, g2: Any, bounds: tuple[Any, Any] | None = None
) -> Any:
    """The minimizer, within ``bounds``, of the cubic through (x1, f1) and (x2, f2) with slopes
    g1 and g2 there; the middle of the bounds if the cubic has no minimum.

    Examples
    --------
    >>> from tinygrad_lr.optim.lbfgs import cubic_interpolate
    >>> float(cubic_interpolate(0.0, 1.0, -2.0, 2.0, 1.0, 2.0))  # (x - 1)² at 0 and 2
    1.0
    """
    xmin_bound, xmax_bound = bounds if bounds is not None else (min(x1, x2), max(x1, x2))
    d1 = g1 + g2 - 3 * (f1 - f2) / (x1 - x2)
    d2_square = d1**2 - g1 * g2
    if d2_square >= 0:
        d2 = np.sqrt(d2_square)
        if x1 <= x2:
            min_pos = x2 - (x2 - x1) * ((g2 + d2 - d1) / (g2 - g1 + 2 * d2))
        else:
            min_pos = x1 - (x1 - x2) * ((g1 + d2 - d1) / (g1 - g2 + 2 * d2))
        return min(max(min_pos, xmin_bound), xmax_bound)
    return (xmin_bound + xmax_bound) / 2.0


def strong_wolfe(
    objective: Callable[[Any, np.ndarray], tuple[float, np.ndarray]],
    t: Any,
    d: np.ndarray,
    f: float,
    g: np.ndarray,
    gtd: Any,
    c1: float = 1e-4,
    c2: float = 0.9,
    tolerance_change: float = 1e-9,
    max_ls: int = 25,
) -> tuple[float, np.ndarray, Any, int]:
    """A step length t along d meeting the strong Wolfe conditions (Nocedal and Wright,
    Algorithms 3.5 and 3.6, with cubic interpolation), as torch's LBFGS searches.

    ``objective(t, d)`` is (loss, flat gradient) at x + t·d; f, g and gtd = g·d are at t = 0.
    Returns (loss, gradient, t, number of evaluations).

    Examples
    --------
    >>> import numpy as np
    >>> from tinygrad_lr.optim.lbfgs import strong_wolfe
    >>> x = np.array([3.0])
    >>> def objective(t, d):  # (x + t·d - 1)², its gradient
    ...     z = x + t * d
    ...     return float(((z - 1) ** 2).sum()), 2 * (z - 1)
    >>> g = 2 * (x - 1)
    >>> loss, grad, t, evals = strong_wolfe(objective, 1.0, -g, 4.0, g, g.dot(-g))
    >>> float(t), loss
    (0.5, 0.0)
    """
    d_norm = np.abs(d).max()
    g = g.copy()
    f_new, g_new = objective(t, d)
    ls_func_evals = 1
    gtd_new = g_new.dot(d)

    # Bracketing: find an interval that contains a point meeting the conditions.
    t_prev, f_prev, g_prev, gtd_prev = 0, f, g, gtd
    done = False
    ls_iter = 0
    while ls_iter < max_ls:
        if f_new > (f + c1 * t * gtd) or (ls_iter > 1 and f_new >= f_prev):
            bracket, bracket_f = [t_prev, t], [f_prev, f_new]
            bracket_g, bracket_gtd = [g_prev, g_new.copy()], [gtd_prev, gtd_new]
            break
        if abs(gtd_new) <= -c2 * gtd:
            bracket, bracket_f, bracket_g = [t], [f_new], [g_new]
            done = True
            break
        if gtd_new >= 0:
            bracket, bracket_f = [t_prev, t], [f_prev, f_new]
            bracket_g, bracket_gtd = [g_prev, g_new.copy()], [gtd_prev, gtd_new]
            break
        # Extrapolate: try a longer step, between 1.01 t and 10 t.
        min_step, max_step = t + 0.01 * (t - t_prev), t * 10
        tmp = t
        t = cubic_interpolate(
            t_prev, f_prev, gtd_prev, t, f_new, gtd_new, bounds=(min_step, max_step)
        )
        t_prev, f_prev, g_prev, gtd_prev = tmp, f_new, g_new.copy(), gtd_new
        f_new, g_new = objective(t, d)
        ls_func_evals += 1
        gtd_new = g_new.dot(d)
        ls_iter += 1
    if ls_iter == max_ls:
        bracket, bracket_f, bracket_g = [0, t], [f, f_new], [g, g_new]

    # Zoom: shrink the bracket until a point meets the conditions.
    insuf_progress = False
    low_pos, high_pos = (0, 1) if bracket_f[0] <= bracket_f[-1] else (1, 0)
    while not done and ls_iter < max_ls:
        if abs(bracket[1] - bracket[0]) * d_norm < tolerance_change:
            break
        t = cubic_interpolate(
            bracket[0], bracket_f[0], bracket_gtd[0], bracket[1], bracket_f[1], bracket_gtd[1]
        )
        # Stay away from the bracket's ends: move 10% of its width inside if too close.
        eps = 0.1 * (max(bracket) - min(bracket))
        if min(max(bracket) - t, t - min(bracket)) < eps:
            if insuf_progress or t >= max(bracket) or t <= min(bracket):
                if abs(t - max(bracket)) < abs(t - min(bracket)):
                    t = max(bracket) - eps
                else:
                    t = min(bracket) + eps
                insuf_progress = False
            else:
                insuf_progress = True
        else:
            insuf_progress = False
        f_new, g_new = objective(t, d)
        ls_func_evals += 1
        gtd_new = g_new.dot(d)
        ls_iter += 1
        if f_new > (f + c1 * t * gtd) or f_new >= bracket_f[low_pos]:
            bracket[high_pos], bracket_f[high_pos] = t, f_new
            bracket_g[high_pos], bracket_gtd[high_pos] = g_new.copy(), gtd_new
            low_pos, high_pos = (0, 1) if bracket_f[0] <= bracket_f[1] else (1, 0)
        else:
            if abs(gtd_new) <= -c2 * gtd:
                done = True
            elif gtd_new * (bracket[high_pos] - bracket[low_pos]) >= 0:
                bracket[high_pos], bracket_f[high_pos] = bracket[low_pos], bracket_f[low_pos]
                bracket_g[high_pos] = bracket_g[low_pos]
                bracket_gtd[high_pos] = bracket_gtd[low_pos]
            bracket[low_pos], bracket_f[low_pos] = t, f_new
            bracket_g[low_pos], bracket_gtd[low_pos] = g_new.copy(), gtd_new

    return bracket_f[low_pos], bracket_g[low_pos], bracket[low_pos], ls_func_evals
