"""``tinygrad_lr.backends``: the part of torch's ``torch.backends`` that tutorials query.

``torch.backends.mps.is_available()`` (Apple's GPUs) is False here, as on any machine
without one: tinygrad_lr computes with NumPy on the CPU.
"""

from . import mps
