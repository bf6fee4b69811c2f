"""Neural-network building blocks, named as in ``torch.nn``.

Read ``parameter.py`` and ``module.py`` first (how a model keeps track of what it learns), then
``linear.py``; ``functional.py`` holds the stateless functions the layers call, ``init.py`` the
initialisations.

Examples
--------
>>> import tinygrad_lr as tg
>>> from tinygrad_lr import nn
>>> import tinygrad_lr.nn.functional as F
>>> model = nn.Linear(2, 1)
>>> F.mse_loss(model(tg.ones(3, 2)), tg.zeros(3, 1)).shape
tinygrad_lr.Size([])
"""

from . import functional, init, utils
from .activation import (
    ELU,
    GELU,
    Dropout,
    Flatten,
    Identity,
    LeakyReLU,
    ReLU,
    Sigmoid,
    Softplus,
    Tanh,
    Unflatten,
)  # fmt: skip
from .container import Sequential
from .linear import Linear
from .loss import HuberLoss, L1Loss, MSELoss, SmoothL1Loss
from .module import Module
from .parameter import Parameter

__all__ = [
    "L1Loss", "Linear", "MSELoss", "Module", "Parameter", "ReLU", "Sequential", "Sigmoid",
    "Tanh", "functional", "init",
    "Dropout", "ELU", "Flatten", "GELU", "HuberLoss", "Identity", "LeakyReLU", "SmoothL1Loss",
    "Softplus", "Unflatten", "utils",
]  # fmt: skip
