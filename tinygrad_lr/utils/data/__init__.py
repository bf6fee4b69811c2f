"""Datasets and data loaders, as ``torch.utils.data``.

``from tinygrad_lr.utils.data import DataLoader, TensorDataset`` and
``from tinygrad_lr.utils import data`` work as they do with torch. Read ``dataset.py`` (what a
sample is), then ``dataloader.py`` (how samples become batches).
"""

from .dataloader import DataLoader, default_collate
from .dataset import Dataset, Subset, TensorDataset, random_split

__all__ = ["DataLoader", "Dataset", "Subset", "TensorDataset", "default_collate", "random_split"]
