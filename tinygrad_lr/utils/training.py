"""Stop training at the first loss that is not a finite number, and say what to change.

When the learning rate is too large for the scale of the features, each gradient step
overshoots the minimum by more than the last: the loss grows, overflows to ``inf``, and
``inf - inf`` then gives ``nan``, after which every number is ``nan``. A training loop that calls
:func:`check_finite` on each loss stops at the step where this happened, instead of finishing
and printing ``nan`` as its result.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..tensor import Tensor


class TrainingDiverged(FloatingPointError):
    """Raised by :func:`check_finite`: the loss became NaN or infinite during training.

    A ``FloatingPointError``, so ``except FloatingPointError`` catches it too. The attributes
    say where: ``epoch`` and ``step`` (None when not given), ``lr`` and ``loss`` (the first value
    that is not finite, as a float).

    Examples
    --------
    >>> from tinygrad_lr.utils import TrainingDiverged
    >>> issubclass(TrainingDiverged, FloatingPointError)
    True
    """

    def __init__(
        self, message: str, *, loss: float, lr: float, epoch: int | None, step: int | None
    ) -> None:
        super().__init__(message)
        self.loss, self.lr, self.epoch, self.step = loss, lr, epoch, step


def _where(epoch: int | None, step: int | None) -> str:
    if epoch is not None and step is not None:
        return f"at epoch {epoch}, step {step}"
    if epoch is not None:
        return f"at the end of epoch {epoch}"
    if step is not None:
        return f"at step {step}"
    return "during training"


def check_finite(
    loss: Any,
    *,
    lr: float,
    epoch: int | None = None,
    step: int | None = None,
    standardized: bool = False,
) -> None:
    """Raise :class:`TrainingDiverged` if ``loss`` holds a NaN or an infinity.

    Call it on each loss of a training loop, before ``backward()``; it does not touch the graph.

    Parameters
    ----------
    loss : Tensor, number or NumPy array
        The loss (any shape: a per-example loss is checked element by element).
    lr : float
        The learning rate, named in the message.
    epoch, step : int, optional
        Where the loop is (counting from 1), named in the message.
    standardized : bool
        The features are on one scale already: the advice is then only to lower ``lr``.

    Raises
    ------
    TrainingDiverged
        Naming the epoch and step, the loss and the learning rate, with what to change.

    Examples
    --------
    >>> import tinygrad_lr as tg
    >>> from tinygrad_lr.utils import TrainingDiverged, check_finite
    >>> check_finite(tg.tensor(0.25), lr=0.03, epoch=1, step=5)  # finite: nothing happens
    >>> try:
    ...     check_finite(tg.tensor(float("inf")), lr=100.0, epoch=2, step=3)
    ... except TrainingDiverged as error:
    ...     print(error.epoch, error.step, error.loss, error.lr)
    2 3 inf 100.0
    """
    values = loss.detach()._data if isinstance(loss, Tensor) else np.asarray(loss)
    finite = np.isfinite(values)
    if finite.all():
        return
    first = float(values[~finite].flat[0])
    if not (np.isfinite(lr) and lr > 0):
        advice = "A learning rate must be a positive, finite number, such as lr=0.03."
    elif standardized:
        advice = (
            "The features are on one scale already, so the learning rate is too large for "
            f"them: lower it (e.g. lr={lr / 10:g})."
        )
    else:
        advice = (
            "Gradient descent overshoots when the learning rate is too large for the scale of "
            f"the features: lower the learning rate (e.g. lr={lr / 10:g}), or standardise the "
            "features ((X - mean) / std, column by column) so that one learning rate suits "
            "every weight."
        )
    raise TrainingDiverged(
        f"training diverged {_where(epoch, step)}: the loss is {first} with lr={lr:g}. {advice}",
        loss=first,
        lr=lr,
        epoch=epoch,
        step=step,
    )


__all__ = ["TrainingDiverged", "check_finite"]
