"""``Neuron``, ``Layer`` and ``MLP``: fully connected networks of scalar Values.

A neuron is ``activation(w·x + b)`` with ``w·x + b`` built as one ``dot`` node, which is
what makes an MLP step cheap. Weights and biases start uniform in ±1/sqrt(nin), as in
PyTorch's ``nn.Linear``, drawn from ``random.Random(seed)`` so that a seed repeats a model.
Calling a model runs its ``forward``, which checks the inputs once and passes them on.
"""

from __future__ import annotations

import math
import numbers
import random
from collections.abc import Callable, Sequence
from itertools import pairwise
from typing import TypeAlias

from autograd import Value, dot
from autograd.ops import Op, scoped
from autograd.value import as_float
from nn.checks import as_rng, check_count
from nn.module import Module, Tensor

__all__ = ["ACTIVATIONS", "Activation", "Neuron", "Layer", "MLP", "as_inputs"]


def _linear(x: Value) -> Value:
    return x


ACTIVATIONS: dict[str, Callable[[Value], Value]] = {
    "tanh": Value.tanh,
    "relu": Value.relu,
    "sigmoid": Value.sigmoid,
    "linear": _linear,
    "leaky_relu": Value.leaky_relu,  # slope 0.01, PyTorch's default
    "softplus": Value.softplus,
}
"""The activations a layer can have, by name."""

Activation: TypeAlias = str | Callable[[Value], Value] | None
"""A name in ``ACTIVATIONS``, None (linear) or a function from a Value to a Value."""

_Function: TypeAlias = Callable[[Value], Value]
"""What an ``Activation`` resolves to: the function each neuron applies."""

_CHOICES = f"choose one of {', '.join(map(repr, ACTIVATIONS))}, None (linear) or a function Value -> Value"


def as_inputs(who: str, inputs: object, size: int) -> list[Value]:
    """``inputs`` as ``size`` Values (numbers become constant leaves), or an error naming ``who``."""
    if isinstance(inputs, Value | numbers.Number | str) or not isinstance(inputs, Sequence):
        raise TypeError(f"{who}: inputs must be a sequence of {size} numbers or Values, got {inputs!r}")
    if len(inputs) != size:
        raise ValueError(f"{who}: expected {size} inputs, got {len(inputs)}")
    values = []
    for i, x in enumerate(inputs):
        if isinstance(x, Value):
            values.append(x)
        elif isinstance(x, numbers.Real):
            values.append(Value(as_float(x, f"{who}: input {i}")))
        else:
            raise TypeError(f"{who}: input {i} must be a number or a Value, got {type(x).__name__}: {x!r}")
    return values


def _activation(who: str, activation: object) -> _Function:
    """The function an ``activation`` argument stands for; a user's function is checked on each call.

    Each model resolves its argument once, here, and hands the result to the layers and
    neurons it builds, so an error names the class the user called.
    """
    if activation is None:
        return _linear
    if isinstance(activation, str):
        if activation not in ACTIVATIONS:
            raise ValueError(f"{who}: unknown activation {activation!r}; {_CHOICES}")
        return ACTIVATIONS[activation]
    if not callable(activation):
        raise TypeError(f"{who}: activation must be a name, None or a function, got "
                        f"{type(activation).__name__}: {activation!r}; {_CHOICES}")
    function: Callable[[Value], object] = activation

    def activate(x: Value) -> Value:
        out = function(x)
        if not isinstance(out, Value):
            kind = type(out).__name__
            raise TypeError(f"{who}: activation {_name(function)} returned {kind}, not a Value: build it "
                            "from Value operations (autograd.tanh, not math.tanh) so that gradients flow")
        return out

    return activate


def _name(activation: object) -> str:
    """How a repr shows an activation: a name in quotes, None as None, a function by its name."""
    if activation is None or isinstance(activation, str):
        return repr(activation)
    return str(getattr(activation, "__name__", activation))


class Neuron(Module):
    """``activation(w·x + b)`` for ``nin`` inputs; state-dict keys ``weight`` (a vector) and ``bias``.

    ``activation`` is a name in ``ACTIVATIONS``, None (linear) or a function from a Value to a Value.

    >>> neuron = Neuron(2, activation="linear", seed=0)
    >>> neuron.load_state_dict({"weight": [2.0, -1.0], "bias": 0.5})
    >>> neuron([3.0, 1.0])
    Value(5.5, grad=0.0, op='dot')
    """

    def __init__(
        self, nin: int, activation: Activation = "tanh", seed: int | random.Random | None = None
    ) -> None:
        nin = check_count("Neuron", "nin", nin)
        self._build(nin, activation, _activation("Neuron", activation), as_rng("Neuron", seed))
        self.label_parameters()

    @classmethod
    def _checked(cls, nin: int, activation: Activation, activate: _Function, rng: random.Random) -> Neuron:
        """A neuron from arguments its ``Layer`` has checked, with the activation already resolved."""
        neuron = cls.__new__(cls)
        neuron._build(nin, activation, activate, rng)
        return neuron

    def _build(self, nin: int, activation: Activation, activate: _Function, rng: random.Random) -> None:
        """Draw the weights and bias from ``rng``; nothing is checked here."""
        self.nin = nin
        self.activation = activation  # as given, for the repr
        self._activate = activate
        bound = 1.0 / math.sqrt(nin)
        self.weight = [Value(rng.uniform(-bound, bound)) for _ in range(nin)]
        self.bias = Value(rng.uniform(-bound, bound))
        self._marked: dict[Op, Op] = {}

    def forward(self, inputs: Sequence[Value | float]) -> Value:
        """The neuron's output for ``nin`` inputs (floats or Values)."""
        return self._forward(as_inputs("Neuron", inputs, self.nin))

    def _forward(self, inputs: list[Value]) -> Value:
        """The output for inputs already checked and made Values (what ``Layer`` calls).

        Both nodes, ``w·x + b`` and its activation, are marked with the neuron's path as
        ``autograd.scope`` would mark them, through a cache of the marked ops (``_marked``).
        """
        z = dot(self.weight, inputs, self.bias)
        out = self._activate(z)
        op = z._op
        if op is not None:  # None under no_grad
            marked = self._marked
            z._op = marked.get(op) or self._mark(op)
            op = out._op
            if out is not z and op is not None:
                out._op = marked.get(op) or self._mark(op)
        return out

    def _mark(self, op: Op) -> Op:
        """``op`` marked with this neuron's path, remembered for the next call."""
        self._marked[op] = marked = scoped(op, self._path or "neuron")
        return marked

    def __repr__(self) -> str:
        return f"Neuron({self.nin}, activation={_name(self.activation)})"


class Layer(Module):
    """``nout`` neurons reading the same ``nin`` inputs; always returns a list of ``nout`` Values.

    Its tensors are PyTorch's: ``weight`` as ``[out][in]`` rows (row ``i`` is neuron ``i``'s
    weights) and ``bias`` as a vector.
    """

    def __init__(
        self, nin: int, nout: int, activation: Activation = "tanh", seed: int | random.Random | None = None
    ) -> None:
        nin, nout = check_count("Layer", "nin", nin), check_count("Layer", "nout", nout)
        self._build(nin, nout, activation, _activation("Layer", activation), as_rng("Layer", seed))
        self.label_parameters()

    @classmethod
    def _checked(
        cls, nin: int, nout: int, activation: Activation, activate: _Function, rng: random.Random
    ) -> Layer:
        """A layer from arguments its ``MLP`` has checked, with the activation already resolved."""
        layer = cls.__new__(cls)
        layer._build(nin, nout, activation, activate, rng)
        return layer

    def _build(
        self, nin: int, nout: int, activation: Activation, activate: _Function, rng: random.Random
    ) -> None:
        """Build the ``nout`` neurons, drawing from ``rng`` in order; nothing is checked here."""
        self.nin = nin
        self.nout = nout
        self.activation = activation
        self.neurons = [Neuron._checked(nin, activation, activate, rng) for _ in range(nout)]

    def _children(self) -> dict[str, Module]:
        """The neurons by index: neuron 3 of ``layers.1`` is ``layers.1.3``."""
        return {str(i): neuron for i, neuron in enumerate(self.neurons)}

    def named_tensors(self) -> dict[str, Tensor]:
        """``weight`` (the neurons' weights as rows) and ``bias`` (one per neuron)."""
        return {"weight": [n.weight for n in self.neurons], "bias": [n.bias for n in self.neurons]}

    def forward(self, inputs: Sequence[Value | float]) -> list[Value]:
        """The ``nout`` outputs for ``nin`` inputs (floats or Values), as a list."""
        return self._forward(as_inputs("Layer", inputs, self.nin))

    def _forward(self, inputs: list[Value]) -> list[Value]:
        """The outputs for inputs already checked and made Values (what ``MLP`` calls)."""
        return [neuron._forward(inputs) for neuron in self.neurons]

    def __repr__(self) -> str:
        return f"Layer({self.nin}, {self.nout}, activation={_name(self.activation)})"


class MLP(Module):
    """A multilayer perceptron: ``nin`` inputs, then one layer per entry of ``sizes``.

    Hidden layers use ``activation``; the last uses ``out_activation`` (None: linear, so the
    outputs are raw scores as from PyTorch's last ``nn.Linear``). A call returns a Value when
    the last layer has one output, else a list. ``seed`` makes the initial weights repeat.

    >>> model = MLP(2, [4, 1], seed=0)
    >>> list(model.state_dict())
    ['layers.0.weight', 'layers.0.bias', 'layers.1.weight', 'layers.1.bias']
    >>> model([0.5, -1.0]).data == MLP(2, [4, 1], seed=0)([0.5, -1.0]).data
    True
    """

    def __init__(
        self,
        nin: int,
        sizes: Sequence[int],
        activation: Activation = "tanh",
        out_activation: Activation = None,
        seed: int | random.Random | None = None,
    ) -> None:
        self.nin = check_count("MLP", "nin", nin)
        if isinstance(sizes, int) or not isinstance(sizes, Sequence) or not sizes:
            raise TypeError(f"MLP: sizes must be a non-empty list of layer sizes, got {sizes!r}")
        self.sizes = [check_count("MLP", "each layer size", size) for size in sizes]
        self.activation = activation
        self.out_activation = out_activation
        activate, activate_out = _activation("MLP", activation), _activation("MLP", out_activation)
        rng = as_rng("MLP", seed)
        widths = [nin, *self.sizes]
        hidden = [Layer._checked(a, b, activation, activate, rng) for a, b in pairwise(widths[:-1])]
        self.layers = [*hidden, Layer._checked(widths[-2], widths[-1], out_activation, activate_out, rng)]
        self.label_parameters()

    def forward(self, inputs: Sequence[Value | float]) -> Value | list[Value]:
        """The network's output for ``nin`` inputs: a Value if the last layer has one neuron, else a list."""
        values = as_inputs("MLP", inputs, self.nin)
        for layer in self.layers:
            values = layer._forward(values)
        return values[0] if len(values) == 1 else values

    def __repr__(self) -> str:
        extra = "" if self.out_activation is None else f", out_activation={_name(self.out_activation)}"
        return f"MLP({self.nin}, {self.sizes}, activation={_name(self.activation)}{extra})"
