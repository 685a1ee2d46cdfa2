"""``Module``: what every model has: a ``forward``, its parameters, their gradients and saved state.

Calling a module runs its ``forward``, as in PyTorch: a subclass defines ``forward`` and is
then called like a function.

A module finds its parameters the way PyTorch registers them, from its attributes: a
``Value``, a list of Values (a vector) or a list of lists (``[out][in]`` rows) is a tensor named
after the attribute; a ``Module``, or a list of Modules, is a child whose tensors are named
``child.name`` or ``child.0.name``. Attributes starting with ``_`` are private and skipped.
So ``MLP.layers[0]`` holds the tensors ``"layers.0.weight"`` and ``"layers.0.bias"``.
"""

from __future__ import annotations

import json
import math
import numbers
import os
import reprlib
from collections.abc import Callable, Mapping
from typing import Any, TypeAlias, TypeGuard

from autograd import Value
from autograd.files import FileTooLargeError, read_regular, write_atomic
from autograd.ops import Op
from autograd.value import as_float

__all__ = ["Module", "Tensor", "StateValue"]

Tensor: TypeAlias = Value | list[Value] | list[list[Value]]
"""A parameter tensor: a scalar, a vector, or a matrix as rows."""

StateValue: TypeAlias = float | list[float] | list[list[float]]
"""A tensor's numbers, shaped like the tensor: what ``state_dict()`` holds per key."""

_SHORT = {"weight": "w", "bias": "b"}

# How much of a file ``load`` reads: ``save`` writes a number in at most 24 characters and
# ", "; a state file pretty-printed by hand, a number a line, stays under 50. 256 bytes a
# parameter and 1 MiB for keys and spacing is generous for any real file, and still stops
# ``/dev/zero``-sized mistakes long before memory runs out.
_FILE_BYTES_PER_PARAMETER = 256
_FILE_BYTES_SLACK = 1 << 20

# Tensors nest at most two deep (rows); deeper lists are described, not walked, so that a
# hostile state nested thousands deep is refused long before Python's recursion limit.
_MAX_NESTING = 8

# An integer literal longer than this is far beyond a float (1.8e308 has 309 digits), and
# Python refuses to convert ones over 4300 digits at all.
_MAX_INT_DIGITS = 400


class Module:
    """The base of every model: ``forward``, parameters, ``zero_grad`` and PyTorch-style state dicts.

    >>> class Scale(Module):
    ...     def __init__(self) -> None:
    ...         self.factor = Value(2.0)
    ...     def forward(self, x: Value | float) -> Value:
    ...         return self.factor * x
    >>> Scale()(3.0)
    Value(6.0, grad=0.0, op='*')
    >>> Scale().state_dict()
    {'factor': 2.0}
    """

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        """``self.forward(*args, **kwargs)``: calling a model runs its forward pass."""
        return self.forward(*args, **kwargs)

    def forward(self, *args: Any, **kwargs: Any) -> Any:
        """What calling the module computes; each subclass defines its own."""
        raise NotImplementedError(
            f"{type(self).__name__} has no forward(): define forward(self, ...) to say what a call computes"
        )

    def named_tensors(self) -> dict[str, Tensor]:
        """Every tensor of this module and its children, keyed like ``state_dict()``."""
        tensors: dict[str, Tensor] = {}
        for name, attribute in vars(self).items():
            if name.startswith("_"):
                continue
            if _is_tensor(attribute):
                tensors[name] = attribute
            for prefix, child in _children_in(name, attribute).items():
                tensors |= {f"{prefix}.{key}": tensor for key, tensor in child.named_tensors().items()}
        return tensors

    def named_modules(self) -> dict[str, Module]:
        """This module (key "") and every module inside it, keyed by path as ``state_dict()`` keys
        are: ``{"": mlp, "layers.0": layer, "layers.0.3": its neuron 3, ...}``."""
        modules: dict[str, Module] = {"": self}
        for prefix, child in self._children().items():
            modules |= {f"{prefix}.{key}" if key else prefix: m for key, m in child.named_modules().items()}
        return modules

    def _children(self) -> dict[str, Module]:
        """The modules this one holds directly, by name: an attribute, or ``name.i`` in a list."""
        children: dict[str, Module] = {}
        for name, attribute in vars(self).items():
            if not name.startswith("_"):
                children |= _children_in(name, attribute)
        return children

    def named_parameters(self) -> list[tuple[str, Value]]:
        """Each parameter with its address: its key and index, e.g. ``"layers.0.weight[1][0]"``."""
        named = []
        for key, tensor in self.named_tensors().items():
            named += [(key + "".join(f"[{i}]" for i in index), value) for index, value in _elements(tensor)]
        return named

    def parameters(self) -> list[Value]:
        """Every parameter once, in ``state_dict()`` order (a Value shared by two tensors counts once)."""
        tensors = self.named_tensors().values()
        return list(dict.fromkeys(value for tensor in tensors for _, value in _elements(tensor)))

    def zero_grad(self) -> None:
        """Set every parameter's ``.grad`` to 0: leaves accumulate gradients across backward calls."""
        for parameter in self.parameters():
            parameter.grad = 0.0

    def label_parameters(self) -> None:
        """Label each parameter with a short name that says where it lives in ``state_dict()``.

        The tensor's name shortened (weight -> w, bias -> b) followed by its positions in
        lists of children, then its index, joined by ``_``, with the names of attribute
        children in front: ``"layers.0.weight"[1][0]`` is ``w0_1_0``, ``"layers.1.bias"[0]``
        is ``b1_0`` and ``"cell.weight_ih"[2][0]`` is ``cell_w_ih_2_0``. Step-by-step output
        and drawings show labels, and an identifier reads well there: ``dloss/dw0_1_0``.
        """
        for key, tensor in self.named_tensors().items():
            stem = _label_stem(key)
            for index, value in _elements(tensor):
                value.label = "_".join([stem, *map(str, index)])
        for path, module in self.named_modules().items():
            module._path = path
            module._marked = {}

    _path = ""
    """Where this module sits in the model that built it (see ``named_modules``); a neuron marks
    the nodes it builds with it, as ``autograd.scope`` does."""

    _marked: dict[Op, Op]
    """The ops marked with ``_path`` so far (a cache, emptied whenever the path is set)."""

    def state_dict(self) -> dict[str, StateValue]:
        """Every tensor's numbers, keyed and shaped as in PyTorch: ``{"layers.0.weight": [[...]], ...}``."""
        return {key: _read(tensor, _data) for key, tensor in self.named_tensors().items()}

    def grad_dict(self) -> dict[str, StateValue]:
        """Every tensor's gradients, keyed and shaped like ``state_dict()``."""
        return {key: _read(tensor, _grad) for key, tensor in self.named_tensors().items()}

    def load_state_dict(self, state: Mapping[str, object]) -> None:
        """Set every parameter from ``state``; nothing changes unless all of it fits.

        Keys must be exactly this module's, each with its tensor's shape, holding finite
        numbers; anything else is a ``ValueError`` (``TypeError`` for a non-number) naming the key.
        """
        if not isinstance(state, Mapping):
            kind = type(state).__name__
            raise TypeError(f"load_state_dict: expected a mapping of keys to numbers, got {kind}")
        tensors = self.named_tensors()
        problems = []
        missing = [key for key in tensors if key not in state]
        unexpected = [key for key in state if key not in tensors]
        if missing:
            problems.append("missing " + ", ".join(map(repr, missing)))
        if unexpected:
            problems.append("unexpected " + ", ".join(map(repr, unexpected)))
        if problems:
            raise ValueError(f"load_state_dict: wrong keys: {'; '.join(problems)}")
        updates: list[tuple[Value, float]] = []
        for key, tensor in tensors.items():
            _check_shape(key, tensor, state[key])
            updates += [(value, _number(key, index, state[key])) for index, value in _elements(tensor)]
        for value, number in updates:
            value.data = number

    def save(self, path: str | os.PathLike[str]) -> None:
        """Write ``state_dict()`` to ``path`` as JSON, one key per line, all at once or not at all.

        A state holding inf or nan is refused (``ValueError`` naming the key and index) and the
        file left as it was: ``load`` would refuse the file, and the save would have replaced a
        good checkpoint with one that cannot be loaded.
        """
        state = self.state_dict()
        for key, value in state.items():
            for index, number in _indexed(value):
                if isinstance(number, float) and not math.isfinite(number):
                    raise ValueError(f"save {os.fspath(path)!r}: {_where(key, index)} is {number!r}, "
                                     f"not a finite number; nothing written (load would refuse it)")
        lines = [f"  {json.dumps(key)}: {json.dumps(value)}" for key, value in state.items()]
        write_atomic(path, "{\n" + ",\n".join(lines) + "\n}\n")

    def load(self, path: str | os.PathLike[str]) -> None:
        """Set the parameters from a file written by ``save``; a damaged file changes nothing.

        Only a regular file is read (a FIFO or device is a ``NotRegularFileError``, an OSError
        and ValueError), and only as much of it as a state file of this model could need. A
        key given twice, absurd nesting or integer literals are ValueErrors naming the file.
        """
        where = f"load {os.fspath(path)!r}"
        count = len(self.named_parameters())
        limit = _FILE_BYTES_SLACK + _FILE_BYTES_PER_PARAMETER * count
        try:
            text = read_regular(path, limit, "load").decode("utf-8")
            state = json.loads(text, object_pairs_hook=_refusing_duplicates, parse_int=_bounded_int)
        except FileTooLargeError:
            raise ValueError(f"{where}: larger than {limit} bytes, far more than a state file of "
                             f"this model's {count} parameters needs") from None
        except UnicodeDecodeError:
            raise ValueError(f"{where}: not a text file (not UTF-8): truncated or damaged?") from None
        except json.JSONDecodeError as error:
            problem = f"{error.msg} at line {error.lineno} column {error.colno}"
            raise ValueError(f"{where}: not valid JSON ({problem}): truncated or damaged?") from None
        except _BadStateFile as error:
            raise ValueError(f"{where}: {error}") from None
        except RecursionError:
            raise ValueError(f"{where}: lists or objects nested too deep to read (a state file "
                             f"nests three deep)") from None
        if not isinstance(state, dict):
            raise ValueError(f"{where}: expected a JSON object of keys, got {type(state).__name__}")
        try:
            self.load_state_dict(state)
        except TypeError as error:
            raise TypeError(f"{where}: {error}") from None
        except ValueError as error:
            raise ValueError(f"{where}: {error}") from None


def _is_module_list(x: object) -> TypeGuard[list[Module] | tuple[Module, ...]]:
    return isinstance(x, list | tuple) and bool(x) and all(isinstance(item, Module) for item in x)


def _children_in(name: str, attribute: object) -> dict[str, Module]:
    """The modules an attribute holds: itself as ``name``, or a list's as ``name.0``, ``name.1``..."""
    if isinstance(attribute, Module):
        return {name: attribute}
    if _is_module_list(attribute):
        return {f"{name}.{i}": child for i, child in enumerate(attribute)}
    return {}


def _is_tensor(x: object) -> bool:
    if isinstance(x, Value):
        return True
    if not isinstance(x, list) or not x:
        return False
    if all(isinstance(item, Value) for item in x):
        return True
    rows_of_values = all(isinstance(row, list) and all(isinstance(v, Value) for v in row) for row in x)
    return rows_of_values and len({len(row) for row in x}) == 1 and bool(x[0])


def _elements(tensor: Tensor) -> list[tuple[tuple[int, ...], Value]]:
    """Each Value of a tensor with its index: () for a scalar, (i,) in a vector, (i, j) in rows."""
    if isinstance(tensor, Value):
        return [((), tensor)]
    elements: list[tuple[tuple[int, ...], Value]] = []
    for i, item in enumerate(tensor):
        if isinstance(item, Value):
            elements.append(((i,), item))
        elif isinstance(item, list):
            elements += [((i, j), value) for j, value in enumerate(item)]
    return elements


def _read(tensor: Tensor, read: Callable[[Value], float]) -> StateValue:
    """``read`` of each Value, in the tensor's shape."""
    if isinstance(tensor, Value):
        return read(tensor)
    vector = [read(item) for item in tensor if isinstance(item, Value)]
    rows = [[read(value) for value in item] for item in tensor if isinstance(item, list)]
    return rows or vector


def _data(value: Value) -> float:
    return value.data


def _grad(value: Value) -> float:
    return value.grad


def _label_stem(key: str) -> str:
    *path, name = key.split(".")
    short = name
    for word, letter in _SHORT.items():
        short = short.replace(word, letter)
    # A name followed by a number is a list of children (MLP's "layers"): the number says enough.
    following = [*path[1:], ""]
    names = [part for part, after in zip(path, following) if not part.isdigit() and not after.isdigit()]
    numbers_ = "_".join(part for part in path if part.isdigit())
    return "_".join([*names, short + numbers_])


def _shape(key: str, given: object, index: tuple[int, ...] = ()) -> tuple[int, ...] | str:
    """The shape of nested lists of numbers (``()`` for a number), or what is wrong with them.

    Anything but a number or a list is a ``TypeError`` naming its key and index. Lists deeper
    than ``_MAX_NESTING`` are not walked: hostile input may nest thousands deep.
    """
    if isinstance(given, list | tuple):
        if len(index) == _MAX_NESTING:
            return f"lists nested more than {_MAX_NESTING} deep"
        shapes = {_shape(key, item, (*index, i)) for i, item in enumerate(given)}
        if len(shapes) > 1:
            return "ragged lists"
        inner = shapes.pop() if shapes else ()
        return inner if isinstance(inner, str) else (len(given), *inner)
    if isinstance(given, numbers.Real) and not isinstance(given, bool):
        return ()
    raise TypeError(f"load_state_dict: {_where(key, index)} must be a number or a list of numbers, "
                    f"got {_kind(given)}")


def _kind(x: object) -> str:
    """What ``x`` is, for an error message: its type, with a hint for arrays and tensors."""
    kind = type(x)
    name = kind.__qualname__ if kind.__module__ == "builtins" else f"{kind.__module__}.{kind.__qualname__}"
    if hasattr(x, "tolist"):  # a numpy array or a torch tensor
        return f"a {name} (convert it with .tolist() first)"
    if isinstance(x, str | bytes):
        return f"{name}: {reprlib.repr(x)}"
    return "None" if x is None else name


def _tensor_shape(tensor: Tensor) -> tuple[int, ...]:
    if isinstance(tensor, Value):
        return ()
    first = tensor[0]
    return (len(tensor),) if isinstance(first, Value) else (len(tensor), len(first))


def _check_shape(key: str, tensor: Tensor, given: object) -> None:
    expected, shape = _tensor_shape(tensor), _shape(key, given)
    if shape != expected:
        got = shape if isinstance(shape, str) else _describe_shape(shape)
        raise ValueError(f"load_state_dict: {key!r} has the wrong shape: the model's is "
                         f"{_describe_shape(expected)}, got {got}")


def _describe_shape(shape: tuple[int, ...]) -> str:
    return "a number" if not shape else f"shape {list(shape)}"


def _number(key: str, index: tuple[int, ...], given: object) -> float:
    """The number at ``index`` in ``given`` (a real number, as ``_shape`` checked) as a finite float."""
    item = given
    for i in index:
        item = item[i]  # type: ignore[index]
    where = _where(key, index)
    try:
        return as_float(item, f"load_state_dict: {where}")
    except (ValueError, OverflowError):  # inf, nan or an int beyond a float: all ValueError here, as promised
        # repr of an int over 4300 digits would itself be refused by Python, so say how long it is.
        shown = f"an integer of about {_digits(item)} digits" if isinstance(item, int) else repr(item)
        raise ValueError(f"load_state_dict: {where} must be a finite number, got {shown}") from None


def _digits(integer: int) -> int:
    return math.floor(abs(integer).bit_length() * math.log10(2)) + 1


def _where(key: str, index: tuple[int, ...]) -> str:
    """A key and index as a message shows them: ``'layers.0.weight'[1][0]``."""
    return repr(key) + "".join(f"[{i}]" for i in index)


def _indexed(numbers_: object) -> list[tuple[tuple[int, ...], object]]:
    """Each number of a state value with its index, as ``_elements`` gives a tensor's Values."""
    if isinstance(numbers_, list):
        return [((i, *inner), x) for i, item in enumerate(numbers_) for inner, x in _indexed(item)]
    return [((), numbers_)]


class _BadStateFile(ValueError):
    """Raised while parsing a state file, for ``load`` to restate naming the file."""


def _refusing_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """A JSON object as a dict; a key given twice is refused (json keeps the last, silently)."""
    state: dict[str, Any] = {}
    for key, value in pairs:
        if key in state:
            raise _BadStateFile(f"the key {key!r} appears more than once")
        state[key] = value
    return state


def _bounded_int(literal: str) -> int:
    """An integer literal as an int, unless it is too long for any float (or for Python's int())."""
    digits = len(literal.lstrip("-"))
    if digits > _MAX_INT_DIGITS:
        raise _BadStateFile(f"an integer of {digits} digits ({literal[:12]}...), far beyond a float")
    return int(literal)
