"""Seed 000: the 2-2-1 network's partial derivatives, each beside its formula; its tanh MLP, fixed.

The seed lists, for h1 = w11*x1 + w12*x2 + b1, h2 = w21*x1 + w22*x2 + b2, y = w31*h1 + w32*h2 + b3
and a loss L, the partials dL/dw.. by the chain rule and the update w -= alpha * dL/dw. Here the
engine computes every one of them and the formula is evaluated by hand next to it. Then the seed's
numpy tanh network, whose ``backward`` cannot run, is written correctly and trained with ``nn``.
Run alone: ``python -m demos.seed000_network``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import nn
from autograd import Value
from demos.output import print_losses
from demos.state import flat, layer_weights
from nn.module import StateValue

__all__ = ["Partial", "EXAMPLE", "partials", "hand_backward", "train_tanh_mlp", "main"]

# One worked example: the inputs, the target and the nine parameters.
EXAMPLE: dict[str, float] = {
    "x1": 0.5, "x2": -1.0, "t": 1.0,
    "w11": 0.1, "w12": 0.2, "b1": 0.05,
    "w21": -0.3, "w22": 0.4, "b2": -0.05,
    "w31": 0.7, "w32": -0.6, "b3": 0.1,
}
PARAMETERS = ("w31", "w32", "b3", "w11", "w12", "w21", "w22", "b1", "b2")


@dataclass(frozen=True)
class Partial:
    """One partial derivative: its name, the seed's formula, that formula by hand, the engine's."""

    name: str
    formula: str
    by_hand: float
    engine: float


def partials(numbers: dict[str, float]) -> list[Partial]:
    """Every partial the seed lists, for L = (y - t)**2 / 2, by the engine and by its formula."""
    v = {name: Value(number, name) for name, number in numbers.items()}
    h1 = v["w11"] * v["x1"] + v["w12"] * v["x2"] + v["b1"]
    h2 = v["w21"] * v["x1"] + v["w22"] * v["x2"] + v["b2"]
    y = v["w31"] * h1 + v["w32"] * h2 + v["b3"]
    h1.label, h2.label, y.label = "h1", "h2", "y"
    loss = (y - v["t"]) ** 2 / 2
    loss.backward()

    # The same quantities again in plain floats, each exactly as the seed writes it.
    n = numbers
    hand_h1 = n["w11"] * n["x1"] + n["w12"] * n["x2"] + n["b1"]
    hand_h2 = n["w21"] * n["x1"] + n["w22"] * n["x2"] + n["b2"]
    hand_y = n["w31"] * hand_h1 + n["w32"] * hand_h2 + n["b3"]
    dl_dy = hand_y - n["t"]  # dL/dy for L = (y - t)**2 / 2
    dl_dh1 = dl_dy * n["w31"]
    dl_dh2 = dl_dy * n["w32"]
    rows = [
        ("y", "∂L/∂y = y - t", dl_dy),
        ("w31", "∂L/∂w31 = ∂L/∂y · h1", dl_dy * hand_h1),
        ("w32", "∂L/∂w32 = ∂L/∂y · h2", dl_dy * hand_h2),
        ("b3", "∂L/∂b3 = ∂L/∂y", dl_dy),
        ("h1", "∂L/∂h1 = ∂L/∂y · w31", dl_dh1),
        ("h2", "∂L/∂h2 = ∂L/∂y · w32", dl_dh2),
        ("w11", "∂L/∂w11 = ∂L/∂h1 · x1", dl_dh1 * n["x1"]),
        ("w12", "∂L/∂w12 = ∂L/∂h1 · x2", dl_dh1 * n["x2"]),
        ("w21", "∂L/∂w21 = ∂L/∂h2 · x1", dl_dh2 * n["x1"]),
        ("w22", "∂L/∂w22 = ∂L/∂h2 · x2", dl_dh2 * n["x2"]),
        ("b1", "∂L/∂b1 = ∂L/∂h1", dl_dh1),
        ("b2", "∂L/∂b2 = ∂L/∂h2", dl_dh2),
    ]
    nodes = {**v, "h1": h1, "h2": h2, "y": y}
    return [Partial(name, formula, by_hand, nodes[name].grad) for name, formula, by_hand in rows]


def hand_backward(model: nn.MLP, inputs: list[list[float]], targets: list[float]) -> dict[str, StateValue]:
    """The seed's numpy ``backward`` for a one-output tanh MLP, corrected, in plain Python.

    Gradients of L = sum over samples of (y - t)**2 / 2, keyed like ``state_dict()``; only
    numbers are read from ``model``. The three fixes are marked; the seed's version fails at
    its first use of ``h``.
    """
    (w1, b1), (w2, b2) = layer_weights(model)
    grad_w1 = [[0.0] * len(row) for row in w1]
    grad_b1 = [0.0] * len(b1)
    grad_w2 = [[0.0] * len(w2[0])]
    grad_b2 = [0.0]
    for x, t in zip(inputs, targets):
        # Fix 1: keep the hidden activations of *this* forward pass (the seed's h is undefined).
        h = [math.tanh(sum(w * xi for w, xi in zip(row, x)) + b) for row, b in zip(w1, b1)]
        y = sum(w * hj for w, hj in zip(w2[0], h)) + b2[0]
        # Fix 2: prediction minus *target* (the seed computes y_pred - X, never using y).
        d_y = y - t
        # Fix 3: sum each bias gradient over the samples (the seed sums over units, axis=0).
        grad_b2[0] += d_y
        for j, hj in enumerate(h):
            grad_w2[0][j] += d_y * hj
            d_h = w2[0][j] * d_y * (1.0 - hj**2)  # tanh'(z) = 1 - tanh(z)**2
            grad_b1[j] += d_h
            for i, xi in enumerate(x):
                grad_w1[j][i] += d_h * xi
    return {
        "layers.0.weight": grad_w1, "layers.0.bias": grad_b1,
        "layers.1.weight": grad_w2, "layers.1.bias": grad_b2,
    }


def train_tanh_mlp(epochs: int = 300, lr: float = 0.1, seed: int = 1) -> list[float]:
    """The seed's NeuralNetwork(2, 4, 1) trained on XOR with the corrected backward; losses per epoch."""
    inputs, labels = nn.datasets.xor()
    targets = [float(label) for label in labels]
    model = nn.MLP(2, [4, 1], activation="tanh", seed=seed)  # tanh hidden layer, linear output
    optimizer = nn.SGD(model.parameters(), lr=lr)
    losses = []
    for _ in range(epochs):
        loss = _xor_loss(model, inputs, targets)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        losses.append(loss.data)
    return losses


def main(epochs: int = 300) -> None:
    """Print every partial beside its formula, one update step, then train the fixed tanh MLP."""
    print("A 2-2-1 linear network, L = (y - t)**2 / 2, at")
    print("  " + ", ".join(f"{name}={number:g}" for name, number in EXAMPLE.items()))
    print("(the seed writes ∂y/∂w31 for the first three; it means ∂L/∂w31)\n")
    print(f"  {'formula':<26}{'by hand':>14}{'engine':>14}")
    rows = partials(EXAMPLE)
    for row in rows:
        print(f"  {row.formula:<26}{row.by_hand:>14.6f}{row.engine:>14.6f}")
    worst = max(abs(row.by_hand - row.engine) for row in rows)
    print(f"  largest difference: {worst:.1e}\n")

    alpha = 0.1
    print(f"Update rule w = w - alpha·∂L/∂w with alpha = {alpha}:")
    grads = {row.name: row.engine for row in rows}
    for name in PARAMETERS:
        new = EXAMPLE[name] - alpha * grads[name]
        print(f"  {name:>3} = {EXAMPLE[name]:g} - {alpha}·({grads[name]:.6f}) = {new:.6f}")

    print("\nThe seed's numpy NeuralNetwork cannot train: its backward uses h, which only forward")
    print("defines; it compares the prediction with the input X instead of the target; and it sums")
    print("the bias gradients over units instead of samples. The corrected backward (hand_backward)")
    print("agrees with the engine on a 2-4-1 tanh MLP:")
    inputs, labels = nn.datasets.xor()
    targets = [float(label) for label in labels]
    model = nn.MLP(2, [4, 1], activation="tanh", seed=1)
    loss = _xor_loss(model, inputs, targets)
    loss.backward()
    by_hand = hand_backward(model, inputs, targets)
    engine = model.grad_dict()
    for key, hand_grads in by_hand.items():
        difference = max(abs(a - b) for a, b in zip(flat(hand_grads), flat(engine[key])))
        print(f"  {key:<16} largest difference {difference:.1e}")

    print(f"\nTraining it on XOR, {epochs} epochs of full-batch SGD (lr 0.1):")
    print_losses(train_tanh_mlp(epochs), rows=6)


def _xor_loss(model: nn.MLP, inputs: list[list[float]], targets: list[float]) -> Value:
    """L = sum over samples of (y - t)**2 / 2: the loss whose gradient the seed's backward takes."""
    errors = []
    for x, t in zip(inputs, targets):
        y = model(x)
        assert isinstance(y, Value)  # one output
        errors.append((y - t) ** 2 / 2)
    return sum(errors[1:], errors[0])


if __name__ == "__main__":
    main()
