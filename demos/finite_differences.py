"""Why backprop: finite differences cost a forward pass per weight; backprop costs about one.

From the definition of a derivative, dC/dw_j ~ (C(w + eps e_j) - C(w)) / eps, so a gradient by
differences needs one full forward pass per weight (ten million weights: ten million passes),
while backpropagation gets every dC/dw_j from one backward pass, which costs about as much as
the forward pass. Here both are timed on a tanh MLP(4, [w, w, 1]) with an MSE loss over a
small batch, for growing w: central differences (two passes per weight, and more accurate than
one-sided ones) against one forward and one backward pass.
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
from demos.output import paragraph, pyplot, save_figure

__all__ = ["SIZES", "Measurement", "measure", "finite_difference_gradient", "main"]

NIN = 4
BATCH = 4
SIZES = (2, 4, 8, 12, 16)  # hidden widths: 19 to 369 parameters, about a second in all


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
        """backward / forward: "about the cost of a forward pass", a small constant."""
        return self.backward / self.forward

    @property
    def finite_differences_per_backward(self) -> float:
        """FD / backward: grows with the parameter count."""
        return self.finite_differences / self.backward


def finite_difference_gradient(loss: Callable[[], Value], parameters: Sequence[Value]) -> list[float]:
    """dC/dw for each parameter by central differences: nudge one weight, rerun the whole network.

    This is the definition of a derivative, one weight at a time; with ``n`` parameters it runs the
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


def main(sizes: Sequence[int] = SIZES, picture: bool = True) -> list[Measurement]:
    """Measure each hidden width in ``sizes``, print the table and a conclusion, and draw it."""
    paragraph("A gradient by finite differences needs two forward passes per weight (central "
              "differences); backprop needs one backward pass, which costs about as much as one forward "
              f"pass. One gradient of MLP({NIN}, [w, w, 1]) (tanh, MSE over {BATCH} samples) both ways; "
              "times in milliseconds.")
    print()
    columns = "{:>4} {:>7} {:>9} {:>9} {:>8} {:>7} {:>10} {:>8} {:>20}"
    print(columns.format("w", "params", "forward", "backward", "bwd/fwd", "passes", "FD", "FD/bwd",
                         "max |FD - backprop|"))
    measurements = []
    for width in sizes:
        m = measure(width)
        measurements.append(m)
        print(
            columns.format(
                width, m.params, f"{m.forward * 1e3:.3f}", f"{m.backward * 1e3:.3f}",
                f"{m.backward_per_forward:.2f}", 2 * m.params, f"{m.finite_differences * 1e3:.1f}",
                f"{m.finite_differences_per_backward:.0f}", f"{m.max_difference:.1e}",
            ),
            flush=True,
        )
    first, last = measurements[0], measurements[-1]
    ratios = [m.backward_per_forward for m in measurements]
    print()
    paragraph(
        f"From {first.params} to {last.params} parameters, one backward pass costs about one forward "
        f"pass ({min(ratios):.2f} to {max(ratios):.2f}) at every size. Finite differences cost two "
        "forward passes per parameter (the passes column), so their time grows with the parameter "
        "count, and faster still, since each pass grows with the network too: from "
        f"{first.finite_differences_per_backward:.0f} to {last.finite_differences_per_backward:.0f} "
        "backward passes' worth. Ten million weights would need twenty million forward passes per "
        "gradient. Both ways give the same gradient (last column): differences are far too slow to "
        "train with, and just right to check backprop."
    )
    if picture:
        print()
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
    save_figure(figure, "finite_differences.png", "time per gradient against parameter count")


if __name__ == "__main__":
    main()
