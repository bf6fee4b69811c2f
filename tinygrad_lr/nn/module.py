"""``Module``: the base class of every layer and model.

A module keeps three ordered registries, filled by plain attribute assignment
(``__setattr__``): its parameters (``self.weight = Parameter(...)``), its buffers (tensors that
belong to the model's state but are not learned, added with :meth:`Module.register_buffer`), and
its sub-modules (``self.layer = Linear(...)``). Everything else a module does walks those
registries: ``parameters()`` for the optimizer, ``state_dict()`` to save, ``float()`` to convert,
``repr`` to print the tree.
"""

from __future__ import annotations

from collections import OrderedDict, namedtuple
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from .. import dtypes
from ..arguments import parse_to_arguments
from ..autograd.engine import clear_grads
from ..devices import refuse_cuda
from ..grad_mode import no_grad
from ..tensor import Tensor
from .parameter import Parameter


class _IncompatibleKeys(namedtuple("_IncompatibleKeys", ["missing_keys", "unexpected_keys"])):
    """What ``load_state_dict`` returns: the keys it did not find, and those it did not use."""

    __slots__ = ()

    def __repr__(self) -> str:
        if not self.missing_keys and not self.unexpected_keys:
            return "<All keys matched successfully>"
        return super().__repr__()


def _indent(text: str, spaces: int) -> str:
    """Indent every line of ``text`` but the first (for a child's repr inside its parent's)."""
    lines = text.split("\n")
    return "\n".join([lines[0]] + [" " * spaces + line for line in lines[1:]])


class Module:
    """Base class for layers and models: subclass it, assign layers and parameters in
    ``__init__``, and compute the output in ``forward``.

    Calling the module (``model(x)``) calls ``forward``.

    Examples
    --------
    >>> import tinygrad_lr as tg
    >>> from tinygrad_lr import nn
    >>> class Affine(nn.Module):
    ...     def __init__(self):
    ...         super().__init__()
    ...         self.scale = nn.Parameter(tg.ones(1))
    ...         self.shift = nn.Parameter(tg.zeros(1))
    ...     def forward(self, x):
    ...         return x * self.scale + self.shift
    >>> model = Affine()
    >>> [name for name, _ in model.named_parameters()]
    ['scale', 'shift']
    >>> model(tg.tensor([2.0]))
    tensor([2.], grad_fn=<AddBackward0>)
    """

    training: bool
    _parameters: dict[str, Parameter | None]
    _buffers: dict[str, Tensor | None]
    _non_persistent_buffers: set[str]
    _modules: dict[str, Module | None]

    def __init__(self) -> None:
        # Set through object.__setattr__: our own __setattr__ needs these registries to exist.
        object.__setattr__(self, "training", True)
        object.__setattr__(self, "_parameters", {})
        object.__setattr__(self, "_buffers", {})
        object.__setattr__(self, "_non_persistent_buffers", set())
        object.__setattr__(self, "_modules", {})

    def forward(self, *args: Any, **kwargs: Any) -> Any:
        """Compute the module's output; every subclass defines it."""
        raise NotImplementedError(
            f'Module [{type(self).__name__}] is missing the required "forward" function'
        )

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self.forward(*args, **kwargs)

    # ------------------------------------------------------------------ registration
    def _registries(self) -> tuple[dict[str, Any], ...]:
        if "_parameters" not in self.__dict__:
            raise AttributeError(
                f"cannot assign parameters, buffers or modules to {type(self).__name__} before "
                "Module.__init__() call; call super().__init__() first in __init__"
            )
        return self._parameters, self._buffers, self._modules

    def _forget(self, name: str) -> None:
        """Remove ``name`` from every registry and from the plain attributes."""
        for registry in self._registries():
            registry.pop(name, None)
        self._non_persistent_buffers.discard(name)
        self.__dict__.pop(name, None)

    @staticmethod
    def _check_name(name: Any, what: str) -> None:
        if not isinstance(name, str):
            raise TypeError(f"{what} name should be a string, got {type(name).__name__}")
        if not name or "." in name:
            raise KeyError(f'{what} name must not be empty or contain ".", got {name!r}')

    def register_parameter(self, name: str, param: Parameter | None) -> None:
        """Add a parameter (or a None placeholder) under ``name``; same as assigning it.

        Examples
        --------
        >>> import tinygrad_lr as tg
        >>> from tinygrad_lr import nn
        >>> m = nn.Module()
        >>> m.register_parameter("w", nn.Parameter(tg.ones(1)))
        >>> list(m.state_dict())
        ['w']
        """
        self._check_name(name, "parameter")
        if param is not None and not isinstance(param, Parameter):
            raise TypeError(
                f"cannot assign '{type(param).__name__}' as parameter '{name}' "
                "(tinygrad_lr.nn.Parameter or None expected); wrap it: nn.Parameter(tensor)"
            )
        self._forget(name)
        self._parameters[name] = param

    def register_buffer(self, name: str, tensor: Tensor | None, persistent: bool = True) -> None:
        """Add a tensor that is part of the state but not learned (saved unless not persistent).

        Examples
        --------
        >>> import tinygrad_lr as tg
        >>> from tinygrad_lr import nn
        >>> m = nn.Module()
        >>> m.register_buffer("mean", tg.zeros(2))
        >>> m.mean, list(m.state_dict()), list(m.parameters())
        (tensor([0., 0.]), ['mean'], [])
        """
        self._check_name(name, "buffer")
        if tensor is not None and not isinstance(tensor, Tensor):
            raise TypeError(
                f"cannot assign '{type(tensor).__name__}' as buffer '{name}' "
                "(tinygrad_lr.Tensor or None expected)"
            )
        self._forget(name)
        self._buffers[name] = tensor
        if not persistent:
            self._non_persistent_buffers.add(name)

    def add_module(self, name: str, module: Module | None) -> None:
        """Add a sub-module under ``name``; same as assigning it.

        Examples
        --------
        >>> from tinygrad_lr import nn
        >>> m = nn.Module()
        >>> m.add_module("act", nn.ReLU())
        >>> m
        Module(
          (act): ReLU()
        )
        """
        self._check_name(name, "module")
        if module is not None and not isinstance(module, Module):
            raise TypeError(f"{type(module).__name__} is not a Module subclass")
        self._forget(name)
        self._modules[name] = module

    register_module = add_module

    def __setattr__(self, name: str, value: Any) -> None:
        registries = self.__dict__.get("_parameters"), self.__dict__.get("_modules")
        if isinstance(value, Parameter):
            self.register_parameter(name, value)
        elif isinstance(value, Module):
            self.add_module(name, value)
        elif registries[0] is not None and name in self._parameters:
            # A registered parameter can only be replaced by a Parameter, or by None.
            self.register_parameter(name, value)
        elif registries[1] is not None and name in self._modules:
            if value is not None:
                raise TypeError(
                    f"cannot assign '{type(value).__name__}' as child module '{name}' "
                    "(tinygrad_lr.nn.Module or None expected)"
                )
            self._modules[name] = None
        elif registries[0] is not None and name in self._buffers:
            if value is not None and not isinstance(value, Tensor):
                raise TypeError(
                    f"cannot assign '{type(value).__name__}' as buffer '{name}' "
                    "(tinygrad_lr.Tensor or None expected)"
                )
            self._buffers[name] = value
        else:
            object.__setattr__(self, name, value)

    def __getattr__(self, name: str) -> Any:
        # Called only when normal lookup fails: registered objects live in the registries.
        for registry in ("_parameters", "_buffers", "_modules"):
            entries = self.__dict__.get(registry)
            if entries is not None and name in entries:
                return entries[name]
        raise AttributeError(f"'{type(self).__name__}' object has no attribute '{name}'")

    def __delattr__(self, name: str) -> None:
        if any(name in registry for registry in self._registries()):
            self._forget(name)
        else:
            object.__delattr__(self, name)

    def __dir__(self) -> list[str]:
        names = set(super().__dir__())
        for registry in self._registries():
            names.update(registry)
        return sorted(names)

    # ------------------------------------------------------------------ traversal
    def named_modules(
        self, memo: set[int] | None = None, prefix: str = "", remove_duplicate: bool = True
    ) -> Iterator[tuple[str, Module]]:
        """This module and every module below it, with dotted names ("" for this one).

        Examples
        --------
        >>> from tinygrad_lr import nn
        >>> [name for name, _ in nn.Sequential(nn.Linear(1, 1), nn.ReLU()).named_modules()]
        ['', '0', '1']
        """
        if memo is None:
            memo = set()
        if remove_duplicate:
            if id(self) in memo:
                return
            memo.add(id(self))
        yield prefix, self
        for name, module in self._modules.items():
            if module is not None:
                child_prefix = f"{prefix}.{name}" if prefix else name
                yield from module.named_modules(memo, child_prefix, remove_duplicate)

    def modules(self) -> Iterator[Module]:
        """This module and every module below it (each once).

        Examples
        --------
        >>> from tinygrad_lr import nn
        >>> len(list(nn.Sequential(nn.Linear(1, 1), nn.ReLU()).modules()))
        3
        """
        for _, module in self.named_modules():
            yield module

    def named_children(self) -> Iterator[tuple[str, Module]]:
        """The direct sub-modules with their names (each once).

        Examples
        --------
        >>> from tinygrad_lr import nn
        >>> [name for name, _ in nn.Sequential(nn.Linear(1, 1), nn.ReLU()).named_children()]
        ['0', '1']
        """
        seen: set[int] = set()
        for name, module in self._modules.items():
            if module is not None and id(module) not in seen:
                seen.add(id(module))
                yield name, module

    def children(self) -> Iterator[Module]:
        """The direct sub-modules (each once).

        Examples
        --------
        >>> from tinygrad_lr import nn
        >>> list(nn.Sequential(nn.ReLU()).children())
        [ReLU()]
        """
        for _, module in self.named_children():
            yield module

    def _named_members(
        self, registry: str, prefix: str, recurse: bool, remove_duplicate: bool = True
    ) -> Iterator[tuple[str, Any]]:
        """Entries of one registry over this module (and, if ``recurse``, those below it)."""
        modules = (
            self.named_modules(prefix=prefix, remove_duplicate=remove_duplicate)
            if recurse
            else [(prefix, self)]
        )
        seen: set[int] = set()
        for module_prefix, module in modules:
            for name, value in getattr(module, registry).items():
                if value is None or (remove_duplicate and id(value) in seen):
                    continue
                seen.add(id(value))
                yield (f"{module_prefix}.{name}" if module_prefix else name), value

    def named_parameters(
        self, prefix: str = "", recurse: bool = True, remove_duplicate: bool = True
    ) -> Iterator[tuple[str, Parameter]]:
        """Every parameter with its dotted name, as used in ``state_dict()``.

        Examples
        --------
        >>> from tinygrad_lr import nn
        >>> net = nn.Sequential(nn.Linear(2, 3), nn.ReLU(), nn.Linear(3, 1))
        >>> [name for name, _ in net.named_parameters()]
        ['0.weight', '0.bias', '2.weight', '2.bias']
        """
        return self._named_members("_parameters", prefix, recurse, remove_duplicate)

    def parameters(self, recurse: bool = True) -> Iterator[Parameter]:
        """Every parameter (each once): what an optimizer updates.

        Examples
        --------
        >>> from tinygrad_lr import nn
        >>> [tuple(p.shape) for p in nn.Linear(2, 1).parameters()]
        [(1, 2), (1,)]
        """
        for _, param in self.named_parameters(recurse=recurse):
            yield param

    def named_buffers(
        self, prefix: str = "", recurse: bool = True, remove_duplicate: bool = True
    ) -> Iterator[tuple[str, Tensor]]:
        """Every buffer with its dotted name.

        Examples
        --------
        >>> import tinygrad_lr as tg
        >>> from tinygrad_lr import nn
        >>> m = nn.Sequential(nn.Module())
        >>> m[0].register_buffer("count", tg.zeros(1))
        >>> [name for name, _ in m.named_buffers()]
        ['0.count']
        """
        return self._named_members("_buffers", prefix, recurse, remove_duplicate)

    def buffers(self, recurse: bool = True) -> Iterator[Tensor]:
        """Every buffer (each once).

        Examples
        --------
        >>> from tinygrad_lr import nn
        >>> list(nn.Linear(1, 1).buffers())
        []
        """
        for _, buffer in self.named_buffers(recurse=recurse):
            yield buffer

    def apply(self, fn: Callable[[Module], Any]) -> Module:
        """Call ``fn`` on every sub-module, then on this module (e.g. to initialise weights).

        Examples
        --------
        >>> from tinygrad_lr import nn
        >>> def init(m):
        ...     if isinstance(m, nn.Linear):
        ...         nn.init.zeros_(m.weight)
        >>> net = nn.Sequential(nn.Linear(2, 1)).apply(init)
        >>> net[0].weight
        Parameter containing:
        tensor([[0., 0.]], requires_grad=True)
        """
        for module in self.children():
            module.apply(fn)
        fn(self)
        return self

    # ------------------------------------------------------------------ training
    def train(self, mode: bool = True) -> Module:
        """Set training mode (``training = mode``) on this module and every one below it.

        Examples
        --------
        >>> from tinygrad_lr import nn
        >>> net = nn.Sequential(nn.Linear(1, 1))
        >>> net.train(False)[0].training
        False
        """
        if not isinstance(mode, bool):
            raise ValueError("training mode is expected to be boolean")
        for module in self.modules():
            object.__setattr__(module, "training", mode)
        return self

    def eval(self) -> Module:
        """Set evaluation mode: ``train(False)``.

        Examples
        --------
        >>> from tinygrad_lr import nn
        >>> nn.Linear(1, 1).eval().training
        False
        """
        return self.train(False)

    def requires_grad_(self, requires_grad: bool = True) -> Module:
        """Switch gradient recording on or off for every parameter (e.g. to freeze a layer).

        Examples
        --------
        >>> from tinygrad_lr import nn
        >>> [p.requires_grad for p in nn.Linear(1, 1).requires_grad_(False).parameters()]
        [False, False]
        """
        for param in self.parameters():
            param.requires_grad_(requires_grad)
        return self

    def zero_grad(self, set_to_none: bool = True) -> None:
        """Clear the gradients of every parameter: set them to None (default) or to zeros.

        Examples
        --------
        >>> import tinygrad_lr as tg
        >>> from tinygrad_lr import nn
        >>> layer = nn.Linear(2, 1)
        >>> layer(tg.ones(1, 2)).sum().backward()
        >>> layer.zero_grad()
        >>> layer.weight.grad is None
        True
        """
        clear_grads(self.parameters(), set_to_none)

    # ------------------------------------------------------------------ dtype conversion
    def _convert_floating(self, dtype: dtypes.DType) -> Module:
        """Convert every floating-point parameter and buffer in place (the objects stay the
        same, so an optimizer built on them keeps working); gradients follow their parameter.
        """
        for module in self.modules():
            for registry in (module._parameters, module._buffers):
                for tensor in registry.values():
                    if tensor is None or not tensor.is_floating_point():
                        continue
                    tensor.data = tensor.data.to(dtype)
                    if tensor.grad is not None:
                        tensor.grad = tensor.grad.to(dtype)
        return self

    def float(self) -> Module:
        """Convert floating-point parameters and buffers to float32, in place.

        Examples
        --------
        >>> import tinygrad_lr as tg
        >>> from tinygrad_lr import nn
        >>> nn.Linear(1, 1).double().float().weight.dtype
        tinygrad_lr.float32
        """
        return self._convert_floating(dtypes.float32)

    def double(self) -> Module:
        """Convert floating-point parameters and buffers to float64, in place.

        Examples
        --------
        >>> from tinygrad_lr import nn
        >>> nn.Linear(1, 1).double().weight.dtype
        tinygrad_lr.float64
        """
        return self._convert_floating(dtypes.float64)

    def half(self) -> Module:
        """Convert floating-point parameters and buffers to float16, in place.

        Examples
        --------
        >>> from tinygrad_lr import nn
        >>> nn.Linear(1, 1).half().bias.dtype
        tinygrad_lr.float16
        """
        return self._convert_floating(dtypes.float16)

    def to(self, *args: Any, **kwargs: Any) -> Module:
        """Convert to a floating-point dtype (``model.to(tinygrad_lr.float64)``); the device
        ``"cpu"`` is accepted and changes nothing.

        Examples
        --------
        >>> import tinygrad_lr as tg
        >>> from tinygrad_lr import nn
        >>> nn.Linear(1, 1).to("cpu", dtype=tg.float64).weight.dtype
        tinygrad_lr.float64
        """
        dtype, copy, _ = parse_to_arguments(args, kwargs, "Module.to")
        if copy or "copy" in kwargs:
            raise RuntimeError(".to() does not accept copy argument; copy.deepcopy(model) copies")
        if dtype is None:
            return self
        if not dtype.is_floating_point:
            raise TypeError(
                f"nn.Module.to only accepts floating point dtypes, but got desired dtype={dtype}"
            )
        return self._convert_floating(dtype)

    def cuda(self, device: Any = None) -> Module:
        """Refused with a RuntimeError: there is no GPU here (tinygrad_lr runs on NumPy).

        Examples
        --------
        >>> from tinygrad_lr import nn
        >>> nn.Linear(1, 1).cuda()  # doctest: +ELLIPSIS
        Traceback (most recent call last):
            ...
        RuntimeError: Module.cuda(): device 'cuda' is not available: ...NumPy...
        """
        return refuse_cuda("Module.cuda", device)

    def cpu(self) -> Module:
        """Return the module itself: tensors always live on the CPU.

        Examples
        --------
        >>> from tinygrad_lr import nn
        >>> layer = nn.Linear(1, 1)
        >>> layer.cpu() is layer
        True
        """
        return self

    # ------------------------------------------------------------------ state
    def _saved_tensors(self) -> Iterator[tuple[str, Tensor]]:
        """This module's own entries of a state dict: its parameters, then its persistent
        buffers (None entries left out); :meth:`state_dict` and :meth:`load_state_dict` agree
        on them because both read them here."""
        for name, param in self._parameters.items():
            if param is not None:
                yield name, param
        for name, buffer in self._buffers.items():
            if buffer is not None and name not in self._non_persistent_buffers:
                yield name, buffer

    def state_dict(
        self, destination: dict[str, Any] | None = None, prefix: str = "", keep_vars: bool = False
    ) -> OrderedDict[str, Tensor]:
        """Every parameter and persistent buffer by dotted name, detached (sharing memory).

        Save it with :func:`tinygrad_lr.save`; restore it with :meth:`load_state_dict`.

        Examples
        --------
        >>> from tinygrad_lr import nn
        >>> list(nn.Linear(2, 1).state_dict())
        ['weight', 'bias']
        """
        if destination is None:
            destination = OrderedDict()
        for name, tensor in self._saved_tensors():
            destination[prefix + name] = tensor if keep_vars else tensor.detach()
        for name, module in self._modules.items():
            if module is not None:
                module.state_dict(destination, prefix + name + ".", keep_vars)
        return destination

    def _load_into(
        self,
        state_dict: Mapping[str, Any],
        prefix: str,
        expected: set[str],
        missing: list[str],
        errors: list[str],
    ) -> None:
        """Copy this module's entries of ``state_dict`` into its tensors, then recurse."""
        for name, tensor in self._saved_tensors():
            key = prefix + name
            expected.add(key)
            if key not in state_dict:
                missing.append(key)
                continue
            value = state_dict[key]
            if not isinstance(value, Tensor):
                errors.append(
                    f'While copying the parameter named "{key}", expected a tinygrad_lr.Tensor '
                    f"from checkpoint but received {type(value)}"
                )
                continue
            if value.shape != tensor.shape:
                errors.append(
                    f"size mismatch for {key}: copying a param with shape {value.shape} from "
                    f"checkpoint, the shape in current model is {tensor.shape}."
                )
                continue
            try:
                with no_grad():
                    tensor.copy_(value)
            except Exception as error:
                errors.append(
                    f'While copying the parameter named "{key}", whose dimensions in the model '
                    f"are {tensor.shape} and whose dimensions in the checkpoint are "
                    f"{value.shape}, an exception occurred : {error.args}."
                )
        for name, module in self._modules.items():
            if module is not None:
                module._load_into(state_dict, prefix + name + ".", expected, missing, errors)

    def load_state_dict(
        self, state_dict: Mapping[str, Any], strict: bool = True
    ) -> _IncompatibleKeys:
        """Copy values from ``state_dict`` into this module's parameters and buffers, in place.

        Parameters
        ----------
        state_dict : mapping
            Dotted names to tensors, as made by :meth:`state_dict`.
        strict : bool
            If True (default), a missing or unexpected key is an error. A wrong shape is always
            an error. All problems are reported together, each naming its key.

        Returns
        -------
        NamedTuple
            ``missing_keys`` and ``unexpected_keys``.

        Examples
        --------
        >>> import tinygrad_lr as tg
        >>> from tinygrad_lr import nn
        >>> layer = nn.Linear(2, 1)
        >>> layer.load_state_dict({"weight": tg.ones(1, 2), "bias": tg.zeros(1)})
        <All keys matched successfully>
        >>> try:
        ...     layer.load_state_dict({"weight": tg.ones(1, 3)})
        ... except RuntimeError as error:
        ...     print(error)  # doctest: +NORMALIZE_WHITESPACE
        Error(s) in loading state_dict for Linear:
            Missing key(s) in state_dict: "bias".
            size mismatch for weight: copying a param with shape tinygrad_lr.Size([1, 3]) from
            checkpoint, the shape in current model is tinygrad_lr.Size([1, 2]).
        """
        if not isinstance(state_dict, Mapping):
            raise TypeError(f"Expected state_dict to be dict-like, got {type(state_dict)}.")
        expected: set[str] = set()
        missing: list[str] = []
        errors: list[str] = []
        self._load_into(state_dict, "", expected, missing, errors)
        unexpected = [key for key in state_dict if key not in expected]
        if strict:
            # torch's order: missing keys first, then unexpected ones, then the shape errors.
            if unexpected:
                names = ", ".join(f'"{key}"' for key in unexpected)
                errors.insert(0, f"Unexpected key(s) in state_dict: {names}. ")
            if missing:
                names = ", ".join(f'"{key}"' for key in missing)
                errors.insert(0, f"Missing key(s) in state_dict: {names}. ")
        if errors:
            raise RuntimeError(
                f"Error(s) in loading state_dict for {type(self).__name__}:\n\t"
                + "\n\t".join(errors)
            )
        return _IncompatibleKeys(missing, unexpected)

    # ------------------------------------------------------------------ printing
    def extra_repr(self) -> str:
        """The text inside the parentheses of this module's repr; subclasses override it.

        Examples
        --------
        >>> from tinygrad_lr import nn
        >>> nn.Linear(2, 1).extra_repr()
        'in_features=2, out_features=1, bias=True'
        """
        return ""

    def __repr__(self) -> str:
        extra = self.extra_repr()
        extra_lines = extra.split("\n") if extra else []
        child_lines = [
            f"({name}): {_indent(repr(module), 2)}" for name, module in self._modules.items()
        ]
        lines = extra_lines + child_lines
        if not lines:
            body = ""
        elif len(extra_lines) == 1 and not child_lines:
            body = extra_lines[0]
        else:
            body = "\n  " + "\n  ".join(lines) + "\n"
        return f"{type(self).__name__}({body})"
