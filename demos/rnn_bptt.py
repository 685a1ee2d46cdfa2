"""An RNN's gradient: backpropagation through time (BPTT), whole and truncated.

An RNN is a weight-shared network unrolled over time, h_t = tanh(W_x·x_t + W_h·h_(t-1) + b), so
its gradient is plain backprop through the unrolled graph (BPTT). Truncating it every k steps
("regular truncation") keeps memory and cost bounded but only sees k steps back. Here:
full BPTT checked against finite differences on a short sequence, what truncation changes, and a
tanh RNN learning to predict the next point of a sine wave with truncated BPTT.
Run alone: ``python -m demos.rnn_bptt``.
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence

import nn
from autograd import Value, numerical_grad
from demos.output import paragraph, print_losses

__all__ = ["Model", "sequence_loss", "finite_difference_check", "train", "main"]

HIDDEN = 6


class Model(nn.Module):
    """A tanh RNN cell with a linear readout: reads x_t, predicts x_(t+1)."""

    def __init__(self, hidden: int = HIDDEN, seed: int = 0) -> None:
        rng = random.Random(seed)
        self.cell = nn.RNNCell(1, hidden, seed=rng)
        self.readout = nn.Layer(hidden, 1, activation="linear", seed=rng)
        self.label_parameters()  # cell_w_ih_0_0, ..., readout_w_0_5, readout_b_0

    def forward(self, x: float, hidden: Sequence[Value] | None) -> tuple[Value, list[Value]]:
        """One time step, ``model(x, hidden)``: the prediction and the new hidden state (None: zeros)."""
        new_hidden = self.cell([x], hidden)
        return self.readout(new_hidden)[0], new_hidden


def sequence_loss(model: Model, xs: Sequence[float], truncate: int | None = None) -> Value:
    """Mean squared error of predicting xs[t+1] from xs[:t+1], over one sequence.

    With ``truncate=k`` the hidden state is cut from its history every k steps (new leaves
    with the same numbers), so gradients flow back at most k steps: truncated BPTT.
    """
    hidden: list[Value] | None = None
    errors: list[Value] = []
    for t in range(len(xs) - 1):
        if truncate is not None and hidden is not None and t % truncate == 0:
            hidden = [Value(h.data) for h in hidden]
        prediction, hidden = model(xs[t], hidden)
        errors.append((prediction - xs[t + 1]) ** 2)
    return sum(errors[1:], errors[0]) / len(errors)


def finite_difference_check(xs: Sequence[float]) -> tuple[float, float]:
    """Largest |backprop - central difference| over every parameter, and |truncated - full|."""
    model = Model()
    parameters = model.parameters()
    model.zero_grad()
    sequence_loss(model, xs).backward()
    full = [p.grad for p in parameters]

    def loss_at(*values: Value) -> Value:
        for p, value in zip(parameters, values):
            p.data = value.data
        return sequence_loss(model, xs)

    originals = [p.data for p in parameters]
    numeric = numerical_grad(loss_at, originals)
    for p, original in zip(parameters, originals):
        p.data = original
    worst = max(abs(a - b) for a, b in zip(full, numeric))
    model.zero_grad()
    sequence_loss(model, xs, truncate=2).backward()
    truncation_error = max(abs(p.grad - g) for p, g in zip(parameters, full))
    return worst, truncation_error


def sine_wave(n: int, step: float = 0.4) -> list[float]:
    """n points of sin, the sequence to continue."""
    return [math.sin(step * t) for t in range(n)]


def train(epochs: int = 100, length: int = 24, truncate: int = 6, lr: float = 0.01) -> list[float]:
    """Truncated BPTT with Adam: one update per k-step window, carrying the hidden state's numbers."""
    xs = sine_wave(length + 1)
    model = Model()
    optimizer = nn.Adam(model.parameters(), lr=lr)
    losses = []
    for _ in range(epochs):
        hidden: list[Value] | None = None
        total = 0.0
        for start in range(0, length, truncate):
            window = xs[start : start + truncate + 1]
            errors = []
            for t in range(len(window) - 1):
                prediction, hidden = model(window[t], hidden)
                errors.append((prediction - window[t + 1]) ** 2)
            loss = sum(errors[1:], errors[0]) / len(errors)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            total += loss.data * len(errors)
            assert hidden is not None  # every window has at least one step
            hidden = [Value(h.data) for h in hidden]  # the cut: later windows keep the numbers only
        losses.append(total / length)
    return losses


def main(epochs: int = 100) -> None:
    """Check full BPTT against finite differences, show truncation's effect, then train."""
    xs = sine_wave(5)
    worst, truncation_error = finite_difference_check(xs)
    print(f"Full BPTT over {len(xs) - 1} steps, every parameter against central differences:")
    print(f"  largest |backprop - finite difference| = {worst:.2e}")
    print("Truncated every 2 steps, the same loss's gradient only sees 2 steps back:")
    print(f"  largest |truncated - full| = {truncation_error:.2e} (a biased, cheaper gradient)")

    print(f"\nPredicting the next point of a sine wave, truncated BPTT (k=6), Adam, {epochs} epochs:")
    losses = train(epochs)
    print_losses(losses, rows=8)
    print()
    paragraph(
        "Unrolled, an RNN is an ordinary graph in which every time step reuses the same weights, so "
        "backward() gives its exact gradient, summed over the steps (it matches finite differences). "
        "Cutting the graph every k steps gives a different, biased gradient, but a cheaper one: memory "
        "and cost per update do not grow with the sequence. It is enough here, as the next point of a "
        f"sine wave depends on the last few: the loss falls from {losses[0]:.3g} to {losses[-1]:.2g}."
    )

if __name__ == "__main__":
    main()
