"""Optimizers, named as in ``torch.optim``: they update parameters from their gradients.

Read ``optimizer.py`` first (what all optimizers share), then ``sgd.py`` and ``adam.py`` (the
update rules, each written out as a formula in its module's docstring).

Examples
--------
>>> import tinygrad_lr as tg
>>> from tinygrad_lr import nn, optim
>>> model = nn.Linear(1, 1)
>>> opt = optim.SGD(model.parameters(), lr=0.1)
>>> loss = ((model(tg.ones(4, 1)) - 1) ** 2).mean()
>>> opt.zero_grad(); loss.backward(); opt.step()
"""

from .adam import Adam
from .optimizer import Optimizer
from .sgd import SGD

__all__ = ["SGD", "Adam", "Optimizer"]
