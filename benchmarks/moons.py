"""Workload 1: one training step of micrograd's demo, in four implementations.

The step, as in micrograd's demo notebook: the scores of an MLP 2-16-16-1 (relu hidden
layers, linear output) for 100 two-moon points, the loss mean(relu(1 - y*score)) plus
1e-4 * sum(p*p) over the 337 parameters, zero_grad, backward, and an SGD step with the
demo's decaying rate. Every implementation starts from the same weights (the seeded
``nn.MLP``'s) and the same points (``nn.datasets.moons``), so their losses must agree:

- ``ours``: ``nn.MLP`` (each neuron's w·x + b one fused ``dot`` node), ``nn.hinge_loss``, ``nn.SGD``.
- ``elementwise``: glassgrad's ``Value`` on micrograd's exact graph, a ``*`` and a ``+`` node
  per weight, to show how much of the speed is the engine and how much the fused neuron.
- ``micrograd``: micrograd 0.1.0's own ``MLP`` and ``Value``.
- ``torch``: PyTorch 0-d float64 tensors on micrograd's graph again.
- ``compiled``: ``ours``' graph through ``autograd.compile``, traced once (the trace's time is
  reported apart): the step runs the generated straight-line Python, then the same SGD.

Worker: ``python -m benchmarks.moons VARIANT on|off`` prints the seconds per step, the
first step's loss and, for ``compiled``, the seconds the trace took.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Sequence
from typing import Any

import nn
from autograd import Value, compile
from benchmarks.harness import emit, set_gc, time_calls
from demos.state import layer_weights

__all__ = ["VARIANTS", "SEED", "ALPHA", "step_function", "main"]

VARIANTS = ("ours", "elementwise", "micrograd", "torch", "compiled")
SEED = 1
ALPHA = 1e-4  # the L2 strength of micrograd's demo
SIZES = [16, 16, 1]
BUDGET = 2.0  # seconds of timed steps per process (at least 3 steps)

Step = Callable[[int], float]
"""One training step; takes the step number k (for the learning rate), returns the loss."""

Layers = list[tuple[list[list[float]], list[float]]]
"""Each layer's weight rows and biases, as floats."""


def _learning_rate(k: int) -> float:
    return 1.0 - 0.9 * k / 100  # the demo's schedule


def _data() -> tuple[list[list[float]], list[int]]:
    inputs, labels = nn.datasets.moons(100, noise=0.1, seed=SEED)
    return inputs, [2 * label - 1 for label in labels]  # hinge loss wants -1 and 1


def _model() -> nn.MLP:
    return nn.MLP(2, SIZES, activation="relu", seed=SEED)


def _initial_weights() -> Layers:
    return layer_weights(_model())


def _ours() -> Step:
    model = _model()
    parameters = model.parameters()
    optimizer = nn.SGD(parameters, lr=1.0)
    inputs, labels = _data()

    def step(k: int) -> float:
        loss = _loss(model, inputs, labels)
        optimizer.zero_grad()
        loss.backward()
        optimizer.lr = _learning_rate(k)
        optimizer.step()
        return loss.data

    return step


def _loss(model: nn.MLP, inputs: list[list[float]], labels: list[int]) -> Value:
    scores = [model(x) for x in inputs]
    return nn.hinge_loss(scores, labels) + ALPHA * sum(p * p for p in model.parameters())


def _compiled() -> Step:
    model = _model()
    parameters = model.parameters()
    optimizer = nn.SGD(parameters, lr=1.0)
    inputs, labels = _data()
    compiled = compile(lambda: _loss(model, inputs, labels), inputs=parameters)

    def step(k: int) -> float:
        loss, grads = compiled()
        for p, g in zip(parameters, grads):
            p.grad = g
        optimizer.lr = _learning_rate(k)
        optimizer.step()
        return loss

    return step


def _micrograd() -> Step:
    from micrograd.engine import Value as MicrogradValue
    from micrograd.nn import MLP

    model = MLP(2, SIZES)
    for layer, (rows, biases) in zip(model.layers, _initial_weights()):
        for neuron, row, bias in zip(layer.neurons, rows, biases):
            for w, data in zip(neuron.w, row):
                w.data = data
            neuron.b.data = bias
    inputs, labels = _data()

    def step(k: int) -> float:
        scores = [model(list(map(MicrogradValue, x))) for x in inputs]
        losses = [(1 + -y * score).relu() for y, score in zip(labels, scores)]
        data_loss = sum(losses) * (1.0 / len(losses))
        reg_loss = ALPHA * sum(p * p for p in model.parameters())
        total_loss = data_loss + reg_loss
        model.zero_grad()
        total_loss.backward()
        rate = _learning_rate(k)
        for p in model.parameters():
            p.data -= rate * p.grad
        return float(total_loss.data)

    return step


def _micrograd_graph(parameter: Callable[[float], Any], constant: Callable[[float], Any], zero: Any) -> Step:
    """micrograd's demo step for any engine whose scalars have ``* + relu backward .data .grad``.

    The forward is micrograd's neuron, ``sum(w_i * x_i, start=b)``, then relu on hidden layers.
    ``parameter`` and ``constant`` make the engine's scalars; ``zero`` is what a zeroed
    ``.grad`` holds.
    """
    layers = [
        ([[parameter(w) for w in row] for row in rows], [parameter(b) for b in biases])
        for rows, biases in _initial_weights()
    ]
    parameters = [p for rows, biases in layers for row, b in zip(rows, biases) for p in (*row, b)]
    inputs, labels = _data()

    def score(x: Sequence[Any]) -> Any:
        for depth, (rows, biases) in enumerate(layers):
            x = [sum((w * xi for w, xi in zip(row, x)), b) for row, b in zip(rows, biases)]
            if depth < len(layers) - 1:
                x = [a.relu() for a in x]
        return x[0]

    def step(k: int) -> float:
        scores = [score([constant(v) for v in x]) for x in inputs]
        losses = [(1 + -y * s).relu() for y, s in zip(labels, scores)]
        data_loss = sum(losses) * (1.0 / len(losses))
        reg_loss = ALPHA * sum(p * p for p in parameters)
        total_loss = data_loss + reg_loss
        for p in parameters:
            p.grad = zero
        total_loss.backward()
        rate = _learning_rate(k)
        for p in parameters:
            p.data -= rate * p.grad
        return float(total_loss.data)

    return step


def _elementwise() -> Step:
    return _micrograd_graph(Value, Value, 0.0)


def _torch() -> Step:
    import torch

    def parameter(x: float) -> Any:
        return torch.tensor(x, dtype=torch.float64, requires_grad=True)

    def constant(x: float) -> Any:
        return torch.tensor(x, dtype=torch.float64)

    return _micrograd_graph(parameter, constant, None)


def step_function(variant: str) -> Step:
    """The training step of ``variant`` (one of ``VARIANTS``), its model built and ready."""
    builders: dict[str, Callable[[], Step]] = {
        "ours": _ours, "elementwise": _elementwise, "micrograd": _micrograd, "torch": _torch,
        "compiled": _compiled,
    }
    return builders[variant]()


def main(argv: Sequence[str]) -> None:
    """Worker: time ``variant``'s step with the collector ``on`` or ``off``; print seconds and loss."""
    variant, gc_mode = argv
    set_gc(gc_mode)
    if variant == "torch":
        try:
            import torch  # noqa: F401
        except ImportError:
            emit({"skipped": "PyTorch is not installed"})
            return
    started = time.perf_counter()
    step = step_function(variant)
    built = time.perf_counter() - started  # for compiled: the trace and the code generation
    first_loss = step(0)  # also a warm-up: imports, caches, the first allocation of every kind
    seconds = time_calls(lambda k: step(k + 1), BUDGET)
    emit({"seconds": seconds, "first_loss": first_loss, "setup": built})


if __name__ == "__main__":
    main(sys.argv[1:])
