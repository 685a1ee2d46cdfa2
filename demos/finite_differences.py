"""Why backprop: seed 002's argument, measured. Finite differences cost a forward pass per weight.

The seed: from the definition of a derivative, dC/dw_j ~ (C(w + eps e_j) - C(w)) / eps, so a
gradient by differences needs one full forward pass per weight (ten million weights: ten
million passes), while backpropagation gets every dC/dw_j from one backward pass, which costs
about as much as the forward pass. Here both are timed on a tanh MLP(4, [w, w, 1]) with an MSE
loss over a small batch, for growing w: central differences (two passes per weight, and more
accurate than the seed's one-sided ones) against one forward and one backward pass.
The timings are drawn to out/finite_differences.png when matplotlib is installed
(``pip install glassgrad[demo]``). Run alone: ``python -m demos.finite_differences``.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import nn
from autograd import Value, no_grad
from autograd.numerical import step_size
from demos.output import pyplot, save_figure

__all__ = ["Measurement", "measure", "finite_difference_gradient", "main"]

NIN = 4
BATCH = 4


@dataclass(frozen=True)
class Measurement:
    """One network's timings, in seconds, and how far the two gradients are apart."""

    params: int
    forward: float  # one forward pass that records the graph
    backward: float  # one backward pass over it
    finite_differences: float  # 2 forward passes per parameter, without recording
    max_difference: float  # max over parameters of |finite difference - backprop|

    @property
    def backward_per_forward(self) -> float:
        """backward / forward: the seed's "comparable cost", a small constant."""
        return self.backward / self.forward

    @property
    def finite_differences_per_backward(self) -> float:
        """FD / backward: grows with the parameter count."""
        return self.finite_differences / self.backward


def finite_difference_gradient(loss: Callable[[], Value], parameters: Sequence[Value]) -> list[float]:
    """dC/dw for each parameter by central differences: nudge one weight, rerun the whole network.

    This is the seed's formula, one weight at a time; with ``n`` parameters it runs the
    forward pass ``2n`` times (under ``no_grad``: these passes need no graph).
    """
    grads = []
    with no_grad():
        for parameter in parameters:
            original = parameter.data
            h = step_size(original)
            parameter.data = original + h
            above = loss().data
            parameter.data = original - h
            below = loss().data
            parameter.data = original
            grads.append((above - below) / ((original + h) - (original - h)))
    return grads


def measure(width: int, repeats: int = 3, seed: int = 0) -> Measurement:
    """Time one gradient of MLP(4, [width, width, 1])'s loss both ways (best of ``repeats``)."""
    rng = random.Random(seed)
    model = nn.MLP(NIN, [width, width, 1], activation="tanh", seed=seed)
    inputs = [[rng.uniform(-1, 1) for _ in range(NIN)] for _ in range(BATCH)]
    targets = [rng.uniform(-1, 1) for _ in range(BATCH)]
    parameters = model.parameters()

    def loss() -> Value:
        return nn.mse_loss([_output(model, x) for x in inputs], targets)

    forward = backward = float("inf")
    for _ in range(repeats):
        started = time.perf_counter()
        graph = loss()
        built = time.perf_counter()
        model.zero_grad()
        graph.backward()
        forward = min(forward, built - started)
        backward = min(backward, time.perf_counter() - built)
    backprop = [p.grad for p in parameters]
    started = time.perf_counter()
    numeric = finite_difference_gradient(loss, parameters)
    finite_differences = time.perf_counter() - started
    difference = max(abs(a - b) for a, b in zip(numeric, backprop))
    return Measurement(len(parameters), forward, backward, finite_differences, difference)


def main(sizes: Sequence[int] = (2, 4, 8, 16, 32), picture: bool = True) -> list[Measurement]:
    """Measure each hidden width in ``sizes``, print the table, and draw it."""
    print("Seed 002: a gradient by differences needs a forward pass per weight; backprop needs one")
    print("backward pass, which costs about as much as the forward pass. One gradient of")
    print(f"MLP({NIN}, [w, w, 1]) (tanh, MSE over {BATCH} samples) both ways; times in milliseconds.\n")
    header = f"{'w':>4} {'params':>7} {'forward':>9} {'backward':>9} {'bwd/fwd':>8} {'FD':>10} {'FD/bwd':>8}"
    print(header + f" {'max |FD - backprop|':>20}")
    measurements = []
    for width in sizes:
        m = measure(width)
        measurements.append(m)
        print(
            f"{width:>4} {m.params:>7} {m.forward * 1e3:>9.3f} {m.backward * 1e3:>9.3f} "
            f"{m.backward_per_forward:>8.2f} {m.finite_differences * 1e3:>10.1f} "
            f"{m.finite_differences_per_backward:>8.0f} {m.max_difference:>20.1e}",
            flush=True,
        )
    print("\nBackward stays a small multiple of one forward pass. Finite differences cost two forward")
    print("passes per parameter, so FD/backward grows with the parameter count. Both give the same")
    print("gradient (last column): differences are too slow to train with, and just right to check backprop.")
    if picture:
        _draw(measurements)
    return measurements


def _output(model: nn.MLP, x: list[float]) -> Value:
    output = model(x)
    assert isinstance(output, Value)  # one output neuron
    return output


def _draw(measurements: list[Measurement]) -> None:
    """Time against parameter count, log-log: out/finite_differences.png."""
    plt = pyplot()
    if plt is None:
        return
    params = [m.params for m in measurements]
    figure, axes = plt.subplots(figsize=(6, 4.5))
    axes.loglog(params, [m.finite_differences * 1e3 for m in measurements], "o-", label="finite differences")
    axes.loglog(params, [m.forward * 1e3 for m in measurements], "s-", label="forward")
    axes.loglog(params, [m.backward * 1e3 for m in measurements], "^-", label="backward")
    axes.set_xlabel("parameters")
    axes.set_ylabel("time (ms)")
    axes.set_title("One gradient: finite differences vs backprop")
    axes.legend()
    axes.grid(True, which="both", alpha=0.3)
    save_figure(figure, "finite_differences.png")


if __name__ == "__main__":
    main()
