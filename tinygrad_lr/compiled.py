"""``tinygrad_lr.compile``: record a training step once, then replay it as a list of NumPy calls.

An eager step pays Python for every operation: a Tensor object, the graph, dtype rules. The
step's arithmetic, though, is the same every time: the same NumPy calls on arrays of the same
shapes. So :func:`compile` runs the step eagerly once to warm up (optimizers create their state
on the first step), records the second call, and from then on replays the recording: each
entry calls an op's ``forward`` (the NumPy code) on the current arrays, with no Tensor, no
graph and no checks.

Recording watches the few places where arrays are computed or written: ``Function.apply`` (every
op, forward and the backward rules alike), the engine adding a gradient into ``.grad``, in-place
writes, and comparisons. The hooks are put in place for the recording only, so an eager step
costs nothing more. A step that does what a replay cannot repeat is refused while recording:
reading a value into Python (``.item()``, ``bool()``, ``.tolist()``, ``.numpy()``), drawing
random numbers, or computing an array some other way. What the step creates from Python values
(``tensor(2.0)``, ``zeros(3)``) is a constant of the program.

**The check.** The third call replays and then, from the same starting state, runs eagerly, and
compares every result, gradient and updated array exactly. A difference raises
:class:`CompileError` naming the first entry that differed, and that signature runs eagerly
from then on. ``check="always"`` compares on every call. What no check can see: a Python value
the step reads (a global learning rate) that changes after the checked call; the recording
keeps the value it saw.

Programs are kept per signature (each tensor argument's shape and dtype, other arguments'
values), so the shorter last batch of an epoch gets its own.
"""

from __future__ import annotations

import builtins
import functools
import keyword
import linecache
import math
import re
import sys
import warnings
from collections.abc import Callable
from typing import Any

import numpy as np

from . import creation, inplace, promotion
from . import random as _random
from .autograd import engine
from .autograd.function import Function
from .optim.optimizer import Optimizer
from .tensor import Tensor

__all__ = ["CompileError", "CompiledFunction", "Program", "compile"]


class CompileError(RuntimeError):
    """A compiled step that cannot be replayed safely; the message says why and where."""


_SLOT, _CONSTANT = 0, 1

# Functions of the package that wrap new arrays made from Python values, not computed from
# the step's arrays: what they make is a constant of the program (backward's seed of 1).
_CONSTANT_MAKERS = {"_seed"}


class Program:
    """A recorded step: numbered entries, each a NumPy call on numbered arrays, and the Python
    function made from them that a replay calls.

    ``inputs`` are the slots of the tensor arguments; ``state`` the arrays used by reference
    (parameters, gradients, optimizer buffers from outside the step, and ``constants``: arrays
    the step makes from Python values, or computes from those alone); ``bindings`` the leaves
    whose ``.grad`` the step creates anew; ``result`` how to rebuild the return value.

    Examples
    --------
    >>> import tinygrad_lr as tg
    >>> halve = tg.compile(lambda x: x / 2)
    >>> for _ in range(3):
    ...     _ = halve(tg.ones(2))
    >>> print(halve.program(tg.ones(2)))
      1  b1 = Div(x0, 2)
    >>> print(halve.program(tg.ones(2)).source)
    def replay(x0):
        b1 = Div(x0, 2)
        return make(b1)
    """

    def __init__(self) -> None:
        self.entries: list[tuple[Callable[..., Any], str, list[tuple[int, Any]], int | None]] = []
        self.slots: list[Any] = []  # slot -> the array it held while recording
        self.inputs: list[int] = []
        self.state: dict[int, int] = {}  # slot -> index of an array used by reference
        self.constants: set[int] = set()
        self.zero_d: set[int] = set()  # results NumPy may hand back as scalars, not arrays
        self.bindings: list[tuple[Tensor, int | None]] = []
        self.result: Any = None
        self.written: set[int] = set()  # slots written in place
        self.resets: list[tuple[int, np.ndarray]] = []
        # Optimizers the step used, with their settings then: a scheduler that changes lr
        # between steps makes the program stale, and the step is recorded again.
        self.guards: list[tuple[Any, list[dict[str, Any]]]] = []
        self.functions: tuple[Callable[..., Any], Callable[..., Any]] | None = None

    def holds(self) -> bool:
        """Whether every optimizer the step uses still has the settings it was recorded with."""
        return all(_settings(optimizer) == settings for optimizer, settings in self.guards)

    def run(self, arrays: list[np.ndarray]) -> Any:
        """Replay on ``arrays`` (the tensor arguments' data); returns the step's result."""
        if self.functions is None:
            self.functions = self._build()
        return self.functions[0](*arrays)

    def run_keeping(self, arrays: list[np.ndarray]) -> tuple[Any, dict[int, Any]]:
        """Replay as :meth:`run` does, with the same lines, and also return every slot's value
        (for the check, which names the first entry that differed)."""
        if self.functions is None:
            self.functions = self._build()
        result, values = self.functions[1](*arrays)
        return result, {slot: values[name] for slot, name in self.names().items() if name in values}

    def names(self) -> dict[int, str]:
        """Each array's name: ``x0``, ``x1``... the arguments, ``s0``... the arrays from outside
        the step, ``c0``... the constants, ``b1``... the entries' results, in order of use."""
        names = {slot: f"x{i}" for i, slot in enumerate(self.inputs)}
        outside = [slot for slot in self.state if slot not in self.constants]
        names.update({slot: f"s{i}" for i, slot in enumerate(outside)})
        constants = [slot for slot in self.state if slot in self.constants]
        names.update({slot: f"c{i}" for i, slot in enumerate(constants)})
        results = [out for _, _, _, out in self.entries if out is not None]
        names.update({slot: f"b{i}" for i, slot in enumerate(results, start=1)})
        return names

    def lines(self) -> list[str]:
        """The entries as numbered lines, e.g. ``  3  b3 = MatMul(x0, s0)``: the statements of
        :attr:`source`, which a replay runs."""
        return [f"{n:3d}  {line}" for n, line in enumerate(self._statements()[0], start=1)]

    @property
    def source(self) -> str:
        """The Python function a replay calls: one statement per entry, ``del`` where an array
        is used for the last time (so a replay holds no more memory than the eager step), the
        ``.grad`` the step binds, and the result."""
        return self._source(keep=False)

    def __str__(self) -> str:
        return "\n".join(self.lines())

    def _statements(self) -> tuple[list[str], dict[str, Any]]:
        """One statement per entry, and the objects its names stand for."""
        names = self.names()
        namespace: dict[str, Any] = {names[slot]: self.slots[slot] for slot in self.state}
        called: dict[int, str] = {}  # id(callable) -> its name in the namespace
        statements = []
        for call, label, spec, out in self.entries:
            if id(call) not in called:
                called[id(call)] = _fresh_name(label, namespace)
                namespace[called[id(call)]] = call
            arguments = []
            for kind, value in spec:
                text = names[value] if kind == _SLOT else _literal(value)
                if text is None:  # not written as a literal: a name bound to the value
                    text = _fresh_name("k", namespace)
                    namespace[text] = value
                arguments.append(text)
            expression = f"{called[id(call)]}({', '.join(arguments)})"
            if out in self.zero_d:  # NumPy returns 0-d results as scalars; eager has arrays
                expression = f"asarray({expression})"
            statements.append(expression if out is None else f"{names[out]} = {expression}")
        return statements, namespace

    def _source(self, keep: bool) -> str:
        names = self.names()
        statements, namespace = self._statements()
        kept = {slot for _, slot in self.bindings} | set(_result_slots(self.result))
        last: dict[int, int] = {}  # slot -> the entry that reads it last
        for number, (_, _, spec, out) in enumerate(self.entries):
            last.update({value: number for kind, value in spec if kind == _SLOT})
            if out is not None:
                last.setdefault(out, number)
        made = {out for *_, out in self.entries if out is not None}
        body = [f"copyto({names[slot]}, {names[slot]}_start)" for slot, _ in self.resets]
        for number, statement in enumerate(statements):
            body.append(statement)
            done = [names[s] for s, n in last.items() if n == number and s in made - kept]
            if done and not keep:
                body.append(f"del {', '.join(sorted(done, key=lambda n: int(n[1:])))}")
        for index, (_, slot) in enumerate(self.bindings):
            body.append(f"leaf{index}._grad = {'None' if slot is None else f'make({names[slot]})'}")
        result = _result_code(self.result, names)
        body.append(f"return {result}, locals()" if keep else f"return {result}")
        arguments = ", ".join(names[slot] for slot in self.inputs)
        return "\n".join([f"def replay({arguments}):", *[f"    {line}" for line in body]])

    def _build(self) -> tuple[Callable[..., Any], Callable[..., Any]]:
        """Compile :attr:`source` (and its twin that keeps every value, for the check)."""
        _, namespace = self._statements()
        names = self.names()
        namespace.update({f"{names[slot]}_start": start for slot, start in self.resets})
        namespace.update({f"leaf{i}": leaf for i, (leaf, _) in enumerate(self.bindings)})
        namespace.update(make=Tensor._make, asarray=np.asarray, copyto=np.copyto)
        functions = []
        for keep in (False, True):
            source = self._source(keep)
            filename = f"<compiled step {id(self):x}{' (checked)' if keep else ''}>"
            linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
            exec(builtins.compile(source, filename, "exec"), namespace)  # our own source
            functions.append(namespace.pop("replay"))
        return functions[0], functions[1]


_RESERVED = {"make", "asarray", "copyto", "replay", "locals", "None"}


def _fresh_name(label: str, namespace: dict[str, Any]) -> str:
    """A Python name for ``label`` not yet in ``namespace``: ``Mul``, then ``Mul_2``..."""
    base = re.sub(r"\W", "_", label).strip("_") or "call"
    if base[0].isdigit() or keyword.iskeyword(base):
        base = f"f_{base}"
    name, n = base, 1
    while name in namespace or name in _RESERVED or re.fullmatch(r"[xscb]\d+|leaf\d+", name):
        n += 1
        name = f"{base}_{n}"
    return name


def _literal(value: Any) -> str | None:
    """``value`` as Python source that evaluates to an equal value of the same type, or None."""
    if value is None or type(value) in (bool, int, str):
        return repr(value)
    if type(value) is float and math.isfinite(value):
        return repr(value)  # repr gives back the same double
    if type(value) is tuple:
        parts = [_literal(v) for v in value]
        if all(part is not None for part in parts):
            return f"({', '.join(parts)}{',' if len(parts) == 1 else ''})"
    return None


def _result_slots(spec: Any) -> list[int]:
    if spec is None or spec[0] == "none":
        return []
    if spec[0] == "tensor":
        return [spec[1]]
    return [slot for part in spec[1] for slot in _result_slots(part)]


def _result_code(spec: Any, names: dict[int, str]) -> str:
    if spec[0] == "none":
        return "None"
    if spec[0] == "tensor":
        return f"make({names[spec[1]]})"
    parts = [_result_code(part, names) for part in spec[1]]
    return f"({', '.join(parts)}{',' if len(parts) == 1 else ''})"


class _Recorder:
    """Builds a :class:`Program` while the step runs eagerly, through temporary hooks."""

    def __init__(self, arguments: list[Tensor]) -> None:
        self.program = Program()
        self.known: dict[int, int] = {}  # id(array) -> slot
        self.born: dict[int, str] = {}  # id(array) -> who made it outside the recording
        self.constants: set[int] = set()
        self.initial: dict[int, np.ndarray] = {}  # constant slot -> its value when first used
        self.fresh: list[Tensor] = []  # leaves whose .grad the step made anew
        self.forwards: dict[type[Function], Callable[..., Any]] = {}  # op class -> its call
        self.refused: str | None = None  # why this step cannot be replayed, if it cannot
        self.keep: list[Any] = []  # every array seen stays alive, so ids stay unique
        for tensor in arguments:
            self.program.inputs.append(self.new_slot(tensor._data))

    def new_slot(self, array: Any) -> int:
        self.keep.append(array)
        self.program.slots.append(array)
        slot = len(self.program.slots) - 1
        self.known[id(array)] = slot
        return slot

    def slot_of(self, array: np.ndarray, where: str) -> int:
        slot = self.known.get(id(array))
        if slot is not None:
            return slot
        maker = self.born.get(id(array))
        if maker is not None and id(array) not in self.constants:
            self.refuse(
                f"{where} uses an array that {maker} computed, which a replay cannot repeat "
                "(only ops, gradients, comparisons and in-place writes are recorded)"
            )
        constant = id(array) in self.constants
        slot = self.new_slot(array)  # from outside the step, or a constant: by reference
        self.program.state[slot] = len(self.program.state)
        if constant:
            self.program.constants.add(slot)
            self.initial[slot] = np.array(array, copy=True)
        return slot

    def refuse(self, reason: str) -> None:
        """Note the first reason the step cannot be replayed; the step itself runs on."""
        if self.refused is None:
            self.refused = reason

    def finish(self, result: Any) -> Program | None:
        """The program, once the step has returned ``result``; None if it cannot replay."""
        program = self.program
        for leaf in self.fresh:  # the .grad a replay must leave on each leaf, as eager does
            grad = leaf._grad
            slot = None if grad is None else self.known.get(id(grad._data))
            if grad is not None and slot is None:
                self.refuse("a leaf's .grad was replaced by an array the step did not compute")
            program.bindings.append((leaf, slot))
        # Constants the step writes into start again from their first value on every replay.
        program.resets = [
            (s, self.initial[s]) for s in sorted(program.written) if s in self.initial
        ]
        program.result = _result_spec(result, self)
        if program.result is None:
            self.refuse("it returns something other than tensors, tuples of them or None")
        else:
            _fold_constants(program)
        # Only state and constants are used by reference; the rest is made anew by each replay.
        program.slots = [
            a if slot in program.state else None for slot, a in enumerate(program.slots)
        ]
        return None if self.refused else program

    def spec(self, values: tuple[Any, ...], where: str) -> list[tuple[int, Any]]:
        spec = []
        for value in values:
            if isinstance(value, Tensor):
                value = value._data
            if isinstance(value, np.ndarray):
                spec.append((_SLOT, self.slot_of(value, where)))
            else:
                spec.append((_CONSTANT, value))
        return spec

    def entry(
        self, call: Callable[..., Any], label: str, values: tuple[Any, ...], output: Any
    ) -> None:
        """A NumPy call that returns a new array, ``output``."""
        spec = self.spec(values, label)
        out = None if output is None else self.new_slot(output)
        if out is not None and np.ndim(output) == 0:
            self.program.zero_d.add(out)
        self.program.entries.append((call, label, spec, out))

    def write(self, call: Callable[..., Any], label: str, values: tuple[Any, ...]) -> Callable:
        """An in-place NumPy call; its first argument is the array written. Called before the
        write happens (a constant's first value is kept for the replays to start from); the
        caller calls what this returns once the write is done."""
        spec = self.spec(values, label)

        def done() -> None:
            if spec[0][0] != _SLOT:
                self.refuse(f"an in-place write ({label}) whose target is not an array")
                return
            self.program.written.add(spec[0][1])
            self.program.entries.append((call, label, spec, None))

        return done


def _fold_constants(program: Program) -> None:
    """Rewrite: an entry that reads only constants computes the same array on every replay, so
    the array it computed while recording becomes a constant and the entry goes (backward's
    seed of 1 divided by the batch size, spread to the batch's shape). Exact: the value is the
    one the eager step computed. Not folded: what the step writes into or returns, a new
    ``.grad`` (each replay makes its own), and arrays sharing memory with a written one."""
    written = [program.slots[slot] for slot in program.written]
    kept = {slot for _, slot in program.bindings} | set(_result_slots(program.result))
    constant = program.constants - program.written
    entries = []
    for entry in program.entries:
        _, label, spec, out = entry
        array = None if out is None else program.slots[out]
        if (
            out is not None
            and label != "copy"
            and out not in kept | program.written
            and all(slot in constant for kind, slot in spec if kind == _SLOT)
            and not any(np.may_share_memory(array, target) for target in written)
        ):
            constant.add(out)
            program.constants.add(out)
            program.state[out] = len(program.state)
            continue
        entries.append(entry)
    program.entries = entries
    used = {slot for *_, spec, _ in entries for kind, slot in spec if kind == _SLOT}
    for slot in program.constants - used - {slot for slot, _ in program.resets}:
        program.constants.discard(slot)  # folded into the constants that use it
        del program.state[slot]


def _forward_call(cls: type[Function]) -> Callable[..., Any]:
    """``cls.forward`` on one context per op class: a replay needs its arithmetic, not its
    graph, so the context asks for no gradients and keeps nothing it is given to save."""
    ctx = cls()
    ctx.needs_input_grad = (False,) * 64
    ctx.save_for_backward = lambda *arrays: None
    return functools.partial(cls.forward, ctx)


class _Hooks:
    """Puts the recording hooks in place, and takes them out again."""

    def __init__(self, recorder: _Recorder) -> None:
        self.recorder = recorder
        self.saved: list[tuple[Any, str, Any]] = []

    def patch(self, owner: Any, name: str, replacement: Any) -> None:
        self.saved.append((owner, name, owner.__dict__[name] if isinstance(owner, type) else
                           getattr(owner, name)))  # fmt: skip
        setattr(owner, name, replacement)

    def __enter__(self) -> _Hooks:
        recorder = self.recorder
        apply = Function.__dict__["apply"].__func__

        def recording_apply(cls: type[Function], *args: Any) -> Tensor:
            result = apply(cls, *args)
            if cls not in recorder.forwards:
                recorder.forwards[cls] = _forward_call(cls)
            recorder.entry(recorder.forwards[cls], cls.__name__, args, result._data)
            return result

        accumulate = engine._accumulate

        def recording_accumulate(tensor: Tensor, grad: Tensor) -> None:
            if engine.grad_state.enabled:
                recorder.refuse("it calls backward(create_graph=True)")
            fresh = tensor._grad is None
            if not fresh:  # before the write, as every write is noted
                note = recorder.write(_add_into, "add_into", (tensor._grad._data, grad._data))
            accumulate(tensor, grad)
            if fresh:  # .grad made anew: a copy, bound to the leaf after each replay
                copy = functools.partial(np.array, dtype=tensor._grad._data.dtype, copy=True)
                recorder.entry(copy, "copy", (grad._data,), tensor._grad._data)
                recorder.fresh.append(tensor)
            else:
                note()

        write_with_numpy = inplace._write_with_numpy

        def recording_write(tensor: Tensor, write: Callable[..., Any], *arguments: Any) -> bool:
            call, values = write, arguments
            owner = getattr(write, "__self__", None)
            if isinstance(owner, np.ndarray):  # data.fill(0): the array becomes an argument
                call, values = getattr(np.ndarray, write.__name__), (owner, *arguments)
            note = recorder.write(call, getattr(call, "__name__", "write"), values)
            done = write_with_numpy(tensor, write, *arguments)
            if done:
                note()
            return done

        copy_into = inplace._copy_into

        def recording_copy_into(tensor: Tensor, result: Tensor) -> None:
            note = recorder.write(_copy_same_kind, "copy_into", (tensor._data, result._data))
            copy_into(tensor, result)
            note()

        compare = promotion.compare

        def recording_compare(ufunc: np.ufunc, a: Tensor, b: Any, *rest: Any) -> Any:
            result = compare(ufunc, a, b, *rest)
            if isinstance(result, Tensor):
                call = functools.partial(_compare_arrays, ufunc, rest)
                recorder.entry(call, ufunc.__name__, (a, b), result._data)
            return result

        make = Tensor.__dict__["_make"].__func__

        def recording_make(cls: type[Tensor], array: Any, requires_grad: bool = False) -> Tensor:
            if id(array) not in recorder.known and id(array) not in recorder.born:
                code = sys._getframe(1).f_code
                recorder.born[id(array)] = f"{code.co_name}() ({code.co_filename})"
                recorder.keep.append(array)
                if code.co_name in _CONSTANT_MAKERS:
                    recorder.constants.add(id(array))
            return make(cls, array, requires_grad)

        new = creation._new

        def recording_new(array: np.ndarray, requires_grad: bool) -> Tensor:
            result = new(array, requires_grad)
            recorder.constants.add(id(result._data))  # made from Python values: a constant
            return result

        step = Optimizer.step

        def recording_step(optimizer: Optimizer, closure: Any = None) -> Any:
            if closure is not None:
                recorder.refuse("optimizer.step(closure) re-evaluates the loss inside the step")
            if all(optimizer is not known for known, _ in recorder.program.guards):
                recorder.program.guards.append((optimizer, _settings(optimizer)))
            return step(optimizer, closure)

        self.patch(Optimizer, "step", recording_step)
        self.patch(Function, "apply", classmethod(recording_apply))
        self.patch(engine, "_accumulate", recording_accumulate)
        self.patch(inplace, "_write_with_numpy", recording_write)
        self.patch(inplace, "_copy_into", recording_copy_into)
        self.patch(promotion, "compare", recording_compare)
        self.patch(Tensor, "_make", classmethod(recording_make))
        self.patch(creation, "_new", recording_new)
        for name in ("item", "tolist", "numpy", "__bool__", "__float__", "__int__", "__index__"):
            self.patch(Tensor, name, _refusing(recorder, name, Tensor.__dict__[name]))
        rng = _random._rng

        def recording_rng(*args: Any) -> Any:
            recorder.refuse(
                "it draws random numbers, which a replay would repeat identically; draw them "
                "outside the step and pass them in"
            )
            return rng(*args)

        self.patch(_random, "_rng", recording_rng)
        return self

    def __exit__(self, *exc: Any) -> None:
        for owner, name, value in reversed(self.saved):
            setattr(owner, name, value)


def _refusing(recorder: _Recorder, name: str, method: Callable[..., Any]) -> Callable[..., Any]:
    """``Tensor.<name>`` that works, and marks the recording as one a replay cannot repeat."""

    def read(self: Tensor, *args: Any, **kwargs: Any) -> Any:
        recorder.refuse(
            f"it calls Tensor.{name}(), which reads a value into Python: a replay would reuse "
            "the value read while recording; move it out of the step"
        )
        return method(self, *args, **kwargs)

    return read


def _settings(optimizer: Optimizer) -> list[dict[str, Any]]:
    """An optimizer's settings (lr, betas, ...) per group, without the parameters."""
    return [{k: v for k, v in group.items() if k != "params"} for group in optimizer.param_groups]


def _add_into(target: np.ndarray, grad: np.ndarray) -> None:
    target += grad


def _copy_same_kind(target: np.ndarray, source: np.ndarray) -> None:
    np.copyto(target, source, casting="same_kind")


def _compare_arrays(ufunc: np.ufunc, rest: tuple[Any, ...], a: Any, b: Any) -> np.ndarray:
    """A recorded comparison, computed again as promotion.compare does."""
    result = promotion.compare(ufunc, Tensor._make(a), Tensor._make(b) if isinstance(b, np.ndarray)
                               else b, *rest)  # fmt: skip
    return result._data


MAX_SIGNATURES = 32
"""Programs a compiled step keeps at most; arguments that change more often (a Python float
that differs on every call) make it run eagerly, with a warning."""


def _arguments(args: tuple[Any, ...], kwargs: dict[str, Any]) -> list[Any]:
    """The arguments in one order: positional, then keywords sorted by name."""
    return [*args, *[value for _, value in sorted(kwargs.items())]]


def _signature(args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
    """What a program is recorded for: each tensor argument's shape, dtype and requires_grad,
    the other arguments' values; None when an argument is neither (a list holding tensors)."""
    parts: list[Any] = sorted(kwargs)
    for value in _arguments(args, kwargs):
        if isinstance(value, Tensor):
            parts.append(("tensor", value._data.shape, value._data.dtype, value._requires_grad))
        elif isinstance(value, (type(None), bool, int, float, str)) or callable(value):
            parts.append((type(value), value))
        elif hasattr(value, "parameters") or hasattr(value, "param_groups"):
            parts.append(("object", id(value)))  # a module or optimizer: the same object
        else:
            return None
    return tuple(parts)


class CompiledFunction:
    """``fn`` compiled: call it as ``fn``; ``program(*args)`` shows what replays.

    Examples
    --------
    >>> import tinygrad_lr as tg
    >>> w = tg.zeros(2, requires_grad=True)
    >>> @tg.compile
    ... def step(X, y):
    ...     loss = ((X @ w - y) ** 2).mean()
    ...     loss.backward()
    ...     with tg.no_grad():
    ...         w.sub_(0.1 * w.grad)
    ...         w.grad.zero_()
    ...     return loss
    >>> X, y = tg.ones(4, 2), tg.ones(4)
    >>> losses = [round(step(X, y).item(), 4) for _ in range(5)]
    >>> losses
    [1.0, 0.36, 0.1296, 0.0467, 0.0168]
    """

    def __init__(self, fn: Callable[..., Any], check: str = "once") -> None:
        if check not in ("once", "always"):
            raise ValueError(f"check must be 'once' or 'always', not {check!r}")
        self.fn = fn
        self.check = check
        self.calls: dict[Any, int] = {}
        self.programs: dict[Any, Program] = {}
        self.eager: dict[Any, str] = {}  # signatures that run eagerly, and why
        functools.update_wrapper(self, fn)

    def program(self, *args: Any, **kwargs: Any) -> Program | None:
        """The recorded program for these arguments' signature (None before it is recorded)."""
        return self.programs.get(_signature(args, kwargs))

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        signature = _signature(args, kwargs)
        if signature is not None and signature not in self.calls:
            if len(self.calls) >= MAX_SIGNATURES:
                self.eager[signature] = (
                    f"its arguments changed {MAX_SIGNATURES} times (pass values that change on "
                    "every call as tensors)"
                )
                self.calls[signature] = 0
        if signature is None:
            warnings.warn(
                "compiled step runs eagerly: pass tensors, numbers or strings as its arguments "
                "(not lists or tuples of tensors)",
                stacklevel=2,
            )
            return self.fn(*args, **kwargs)
        if signature in self.eager:
            warnings.warn(f"compiled step runs eagerly: {self.eager[signature]}", stacklevel=2)
            return self.fn(*args, **kwargs)
        count = self.calls.get(signature, 0) + 1
        self.calls[signature] = count
        if count == 1:  # warm-up: optimizers make their state on the first step
            return self.fn(*args, **kwargs)
        tensors = [a for a in _arguments(args, kwargs) if isinstance(a, Tensor)]
        if count == 2:
            try:
                program, result = self.record(tensors, args, kwargs)
            except BaseException:
                self.calls[signature] = 1  # the step raised: record again on the next call
                raise
            if program is None:
                self.eager[signature] = result[1]
                return result[0]
            self.programs[signature] = program
            return result
        program = self.programs[signature]
        if not program.holds():  # an optimizer's settings changed (a scheduler): record again
            del self.programs[signature]
            self.calls[signature] = 1
            return self.fn(*args, **kwargs)
        if count == 3 or self.check == "always":
            return self.checked(signature, program, tensors, args, kwargs)
        return program.run([t._data for t in tensors])

    def record(self, tensors: list[Tensor], args: tuple, kwargs: dict) -> tuple[Any, Any]:
        """Run the step eagerly with the hooks in place; its program, or None and why not."""
        recorder = _Recorder(tensors)
        with _Hooks(recorder):
            result = self.fn(*args, **kwargs)
        program = recorder.finish(result)
        if program is None:
            warnings.warn(
                f"compile: this step runs eagerly, because {recorder.refused}", stacklevel=3
            )
            return None, (result, recorder.refused)
        return program, result

    def checked(
        self, signature: Any, program: Program, tensors: list[Tensor], args: tuple, kwargs: dict
    ) -> Any:
        """Replay, then run eagerly from the same state, and compare everything exactly."""
        reset = {slot for slot, _ in program.resets}
        current = dict(zip(program.inputs, [t._data for t in tensors]))
        written = [  # what the step writes into, as it stands before this call
            current.get(slot, program.slots[slot])
            for slot in sorted(program.written)
            if (slot in program.state and slot not in reset) or slot in current
        ]
        leaves = [leaf for leaf, _ in program.bindings]
        before = [array.copy() for array in written]
        grads_before = [leaf._grad for leaf in leaves]
        replayed_result, values = program.run_keeping([t._data for t in tensors])
        replayed = [array.copy() for array in _arrays(replayed_result)]
        replayed_state = [array.copy() for array in written]
        replayed_grads = [_grad_array(leaf) for leaf in leaves]
        for array, value in zip(written, before):  # back to where the step started
            np.copyto(array, value)
        for leaf, grad in zip(leaves, grads_before):
            leaf._grad = grad
        again = _Recorder(tensors)
        with _Hooks(again):
            result = self.fn(*args, **kwargs)
        eager_values = list(again.program.slots)  # before finish() lets go of them
        again.finish(result)  # rewritten as the program was, so that entries line up
        compared = [
            *[("an array the step updates", a, b) for a, b in zip(replayed_state, written)],
            *[("a leaf's .grad", a, _grad_array(leaf)) for a, leaf in zip(replayed_grads, leaves)],
            *[("the returned value", a, b) for a, b in zip(replayed, _arrays(result))],
        ]
        differing = [what for what, a, b in compared if not _same(a, b)]
        if len(replayed) != len(_arrays(result)):
            differing.append("the returned value")
        if differing:
            first = _first_difference(program, values, again.program, eager_values)
            self.eager[signature] = f"a replay differed from the eager step at {first}"
            raise CompileError(
                f"the replayed step differs from the eager one in {differing[0]}; the first "
                f"entry that differed: {first}. This signature runs eagerly from now on; the "
                "eager step's results are in place"
            )
        return result


def _grad_array(leaf: Tensor) -> np.ndarray | None:
    return None if leaf._grad is None else leaf._grad._data.copy()


def _same(a: Any, b: Any) -> bool:
    if a is None or b is None:
        return a is None and b is None
    a, b = np.asarray(a), np.asarray(b)
    return a.shape == b.shape and a.dtype == b.dtype and np.array_equal(a, b, equal_nan=True)


def _first_difference(
    program: Program, values: dict[int, Any], eager: Program, eager_values: list[Any]
) -> str:
    lines = program.lines()
    for number, (entry, other) in enumerate(zip(program.entries, eager.entries)):
        if entry[1] != other[1]:
            return f"entry {number + 1}, {lines[number].split(None, 1)[1]} (eager: {other[1]})"
        out, eager_out = entry[3], other[3]
        if out is not None and not _same(values.get(out), eager_values[eager_out]):
            return f"entry {number + 1}, {lines[number].split(None, 1)[1]}"
    if len(program.entries) != len(eager.entries):
        return (
            f"entry {min(len(program.entries), len(eager.entries)) + 1} (the steps' lengths differ)"
        )
    return "no single entry (the state the step reads from outside changed)"


def _result_spec(result: Any, recorder: _Recorder) -> Any:
    if result is None:
        return ("none",)
    if isinstance(result, Tensor):
        slot = recorder.known.get(id(result._data))
        return None if slot is None else ("tensor", slot)
    if isinstance(result, tuple):
        parts = [_result_spec(r, recorder) for r in result]
        return None if any(p is None for p in parts) else ("tuple", parts)
    return None


def _arrays(result: Any) -> list[np.ndarray]:
    if isinstance(result, Tensor):
        return [result._data]
    if isinstance(result, tuple):
        return [a for r in result for a in _arrays(r)]
    return []


def compile(fn: Callable[..., Any] | None = None, *, check: str = "once", **options: Any) -> Any:
    """Compile a training step: record it once, replay it as NumPy calls (``torch.compile``).

    Usable as ``step = compile(step)`` or ``@compile``; torch.compile's tuning options
    (``mode``, ``fullgraph``, ``dynamic``, ``backend``) are accepted and change nothing, and
    ``disable=True`` returns ``fn`` itself.
    ``check="always"`` compares each replay with an eager run (slow; for debugging).

    Examples
    --------
    >>> import tinygrad_lr as tg
    >>> double = tg.compile(lambda x: x * 2)
    >>> [double(tg.tensor([1.0, 2.0])).tolist() for _ in range(4)][-1]
    [2.0, 4.0]
    """
    unknown = set(options) - {"mode", "fullgraph", "dynamic", "backend", "options", "disable"}
    if unknown:
        raise TypeError(f"compile() got unexpected keyword arguments: {sorted(unknown)}")
    if options.get("disable"):  # as torch.compile(disable=True): the function itself
        return fn if fn is not None else (lambda f: f)
    if fn is None:
        return lambda f: CompiledFunction(f, check)
    return CompiledFunction(fn, check)
