"""Optimizers, named as in ``torch.optim``: they update parameters from their gradients.

Read ``optimizer.py`` first (what all optimizers share), then ``sgd.py`` and ``adam.py`` (the
update rules, each written out as a formula in its module's docstring), then ``rmsprop.py``,
``adagrad.py``, ``adamw.py`` and ``lbfgs.py``. ``lr_scheduler`` changes the learning rates
between steps.

Examples
--------
>>> import tinygrad_lr as tg
>>> from tinygrad_lr import nn, optim
>>> model = nn.Linear(1, 1)
>>> opt = optim.SGD(model.parameters(), lr=0.1)
>>> scheduler = optim.lr_scheduler.StepLR(opt, step_size=10)
>>> loss = ((model(tg.ones(4, 1)) - 1) ** 2).mean()
>>> opt.zero_grad(); loss.backward(); opt.step(); scheduler.step()
"""

from . import lr_scheduler
from .adagrad import Adagrad
from .adam import Adam
from .adamw import AdamW
from .lbfgs import LBFGS
from .optimizer import Optimizer
from .rmsprop import RMSprop
from .sgd import SGD

__all__ = ["LBFGS", "SGD", "Adagrad", "Adam", "AdamW", "Optimizer", "RMSprop", "lr_scheduler"]
