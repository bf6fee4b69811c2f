"""``Sequential``: a chain of modules, each fed the previous one's output."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterator
from typing import Any, overload

from .module import Module


class Sequential(Module):
    """Modules applied one after another; ``net[0]`` is the first, ``len(net)`` their number.

    The modules are registered under the names "0", "1", ... (or the keys of an OrderedDict),
    which become the prefixes of their parameters' names.

    Examples
    --------
    >>> import tinygrad_lr as tg
    >>> from tinygrad_lr import nn
    >>> net = nn.Sequential(nn.Linear(2, 3), nn.ReLU(), nn.Linear(3, 1))
    >>> net
    Sequential(
      (0): Linear(in_features=2, out_features=3, bias=True)
      (1): ReLU()
      (2): Linear(in_features=3, out_features=1, bias=True)
    )
    >>> net(tg.ones(4, 2)).shape, len(net), net[-1]
    (tinygrad_lr.Size([4, 1]), 3, Linear(in_features=3, out_features=1, bias=True))
    """

    def __init__(self, *modules: Module | OrderedDict[str, Module]) -> None:
        super().__init__()
        if len(modules) == 1 and isinstance(modules[0], OrderedDict):
            for name, module in modules[0].items():
                self.add_module(name, module)
        else:
            for index, module in enumerate(modules):
                self.add_module(str(index), module)

    def forward(self, input: Any) -> Any:
        """Feed ``input`` through every module in order."""
        for module in self:
            input = module(input)
        return input

    @overload
    def __getitem__(self, index: int) -> Module: ...

    @overload
    def __getitem__(self, index: slice) -> Sequential: ...

    def __getitem__(self, index: int | slice) -> Module | Sequential:
        items = list(self._modules.items())
        if isinstance(index, slice):
            return Sequential(OrderedDict(items[index]))
        if isinstance(index, bool) or not isinstance(index, int):
            raise TypeError(f"Sequential indices must be integers or slices, not {type(index)}")
        if not -len(items) <= index < len(items):
            raise IndexError(f"index {index} is out of range for a Sequential of {len(items)}")
        return items[index][1]

    def __len__(self) -> int:
        return len(self._modules)

    def __iter__(self) -> Iterator[Module]:
        return iter(self._modules.values())

    def append(self, module: Module) -> Sequential:
        """Add a module at the end.

        Examples
        --------
        >>> from tinygrad_lr import nn
        >>> len(nn.Sequential(nn.Linear(2, 1)).append(nn.Sigmoid()))
        2
        """
        self.add_module(str(len(self)), module)
        return self
