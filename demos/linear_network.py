"""A 2-2-1 linear network's twelve partial derivatives, each beside its formula; a tanh MLP, fixed.

For h1 = w11*x1 + w12*x2 + b1, h2 = w21*x1 + w22*x2 + b2, y = w31*h1 + w32*h2 + b3 and a loss
L, the chain rule gives every dL/dw as an upstream total times a local derivative
(dL/dw11 = dL/dh1 · ∂h1/∂w11 = dL/dh1 · x1), and the update w -= alpha * dL/dw. Here the engine
computes every one of them and the formula is evaluated by hand next to it. Then a numpy tanh
network whose ``backward`` cannot run (it uses an undefined ``h``) is written correctly and
trained with ``nn``. Run alone: ``python -m demos.linear_network``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import nn
from autograd import Value
from demos.output import paragraph, print_losses
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
    """One derivative of the loss: its name, its chain-rule formula, that formula by hand, the engine's."""

    name: str
    formula: str
    by_hand: float
    engine: float


def partials(numbers: dict[str, float]) -> list[Partial]:
    """dL/dv for L = (y - t)**2 / 2 and each of the twelve nodes v, by the engine and by its formula."""
    v = {name: Value(number, name) for name, number in numbers.items()}
    h1 = v["w11"] * v["x1"] + v["w12"] * v["x2"] + v["b1"]
    h2 = v["w21"] * v["x1"] + v["w22"] * v["x2"] + v["b2"]
    y = v["w31"] * h1 + v["w32"] * h2 + v["b3"]
    h1.label, h2.label, y.label = "h1", "h2", "y"
    loss = (y - v["t"]) ** 2 / 2
    loss.backward()

    # The same quantities again in plain floats, each as its formula says.
    n = numbers
    hand_h1 = n["w11"] * n["x1"] + n["w12"] * n["x2"] + n["b1"]
    hand_h2 = n["w21"] * n["x1"] + n["w22"] * n["x2"] + n["b2"]
    hand_y = n["w31"] * hand_h1 + n["w32"] * hand_h2 + n["b3"]
    dl_dy = hand_y - n["t"]  # dL/dy for L = (y - t)**2 / 2
    dl_dh1 = dl_dy * n["w31"]
    dl_dh2 = dl_dy * n["w32"]
    rows = [
        ("y", "dL/dy   = y - t", dl_dy),
        ("w31", "dL/dw31 = dL/dy  · ∂y/∂w31  = dL/dy · h1", dl_dy * hand_h1),
        ("w32", "dL/dw32 = dL/dy  · ∂y/∂w32  = dL/dy · h2", dl_dy * hand_h2),
        ("b3", "dL/db3  = dL/dy  · ∂y/∂b3   = dL/dy", dl_dy),
        ("h1", "dL/dh1  = dL/dy  · ∂y/∂h1   = dL/dy · w31", dl_dh1),
        ("h2", "dL/dh2  = dL/dy  · ∂y/∂h2   = dL/dy · w32", dl_dh2),
        ("w11", "dL/dw11 = dL/dh1 · ∂h1/∂w11 = dL/dh1 · x1", dl_dh1 * n["x1"]),
        ("w12", "dL/dw12 = dL/dh1 · ∂h1/∂w12 = dL/dh1 · x2", dl_dh1 * n["x2"]),
        ("w21", "dL/dw21 = dL/dh2 · ∂h2/∂w21 = dL/dh2 · x1", dl_dh2 * n["x1"]),
        ("w22", "dL/dw22 = dL/dh2 · ∂h2/∂w22 = dL/dh2 · x2", dl_dh2 * n["x2"]),
        ("b1", "dL/db1  = dL/dh1 · ∂h1/∂b1  = dL/dh1", dl_dh1),
        ("b2", "dL/db2  = dL/dh2 · ∂h2/∂b2  = dL/dh2", dl_dh2),
    ]
    nodes = {**v, "h1": h1, "h2": h2, "y": y}
    return [Partial(name, formula, by_hand, nodes[name].grad) for name, formula, by_hand in rows]


def hand_backward(model: nn.MLP, inputs: list[list[float]], targets: list[float]) -> dict[str, StateValue]:
    """A numpy-style ``backward`` for a one-output tanh MLP, as the article wrote it but corrected.

    Gradients of L = sum over samples of (y - t)**2 / 2, keyed like ``state_dict()``; only
    numbers are read from ``model``. The three fixes are marked; the article's version fails
    at its first use of ``h``.
    """
    (w1, b1), (w2, b2) = layer_weights(model)
    grad_w1 = [[0.0] * len(row) for row in w1]
    grad_b1 = [0.0] * len(b1)
    grad_w2 = [[0.0] * len(w2[0])]
    grad_b2 = [0.0]
    for x, t in zip(inputs, targets):
        # Fix 1: keep the hidden activations of *this* forward pass (the article's h is undefined).
        h = [math.tanh(sum(w * xi for w, xi in zip(row, x)) + b) for row, b in zip(w1, b1)]
        y = sum(w * hj for w, hj in zip(w2[0], h)) + b2[0]
        # Fix 2: prediction minus *target* (the article computes y_pred - X, never using y).
        d_y = y - t
        # Fix 3: sum each bias gradient over the samples (the article sums over units, axis=0).
        grad_b2[0] += d_y
        for j, hj in enumerate(h):
            grad_w2[0][j] += d_y * hj
            d_h = w2[0][j] * d_y * (1.0 - hj**2)  # ∂h/∂z = tanh'(z) = 1 - tanh(z)**2
            grad_b1[j] += d_h
            for i, xi in enumerate(x):
                grad_w1[j][i] += d_h * xi
    return {
        "layers.0.weight": grad_w1, "layers.0.bias": grad_b1,
        "layers.1.weight": grad_w2, "layers.1.bias": grad_b2,
    }


def train_tanh_mlp(epochs: int = 300, lr: float = 0.1, seed: int = 1) -> list[float]:
    """The article's NeuralNetwork(2, 4, 1) trained on XOR by full-batch SGD; the loss of each epoch."""
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
    """Print every derivative beside its formula, one update step, then train the fixed tanh MLP."""
    print("A 2-2-1 linear network, L = (y - t)**2 / 2, at")
    print("  " + ", ".join(f"{name}={number:g}" for name, number in EXAMPLE.items()))
    print()
    paragraph("Each total derivative dL/dv (what v.grad holds) is the upstream total times a local "
              "derivative, one node's slope in one operand (∂y/∂w31 = h1). The article writes all of "
              "them with ∂, and ∂y/∂w31 where it means dL/dw31. By hand, beside the engine:")
    print()
    rows = partials(EXAMPLE)
    width = max(len(row.formula) for row in rows)
    print(f"  {'chain rule':<{width}}{'by hand':>11}{'.grad':>11}")
    for row in rows:
        print(f"  {row.formula:<{width}}{row.by_hand:>11.6g}{row.engine:>11.6g}")
    worst = max(abs(row.by_hand - row.engine) for row in rows)
    print(f"  largest difference: {worst:.1e}\n")

    alpha = 0.1
    print(f"One update, w = w - alpha · dL/dw with alpha = {alpha}:")
    grads = {row.name: row.engine for row in rows}
    print(f"  {'param':<5}{'w':>8}{'dL/dw':>10}{'new w':>10}")
    for name in PARAMETERS:
        new = EXAMPLE[name] - alpha * grads[name]
        print(f"  {name:<5}{EXAMPLE[name]:>8.6g}{grads[name]:>10.6g}{new:>10.6g}")

    print()
    paragraph("The article's numpy NeuralNetwork cannot train: its backward uses h, which only forward "
              "defines; it compares the prediction with the input X instead of the target; and it sums "
              "the bias gradients over units instead of samples. The corrected backward (hand_backward) "
              "agrees with the engine on a 2-4-1 tanh MLP:")
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
    losses = train_tanh_mlp(epochs)
    print_losses(losses, rows=6)
    print()
    paragraph(f"No straight line separates XOR's classes; the tanh hidden layer bends the boundary, and "
              f"the loss falls from {losses[0]:.3g} to {losses[-1]:.2g}: the four points are fitted all "
              "but exactly.")


def _xor_loss(model: nn.MLP, inputs: list[list[float]], targets: list[float]) -> Value:
    """L = sum over samples of (y - t)**2 / 2: the loss whose gradient hand_backward takes."""
    errors = []
    for x, t in zip(inputs, targets):
        y = model(x)
        assert isinstance(y, Value)  # one output
        errors.append((y - t) ** 2 / 2)
    return sum(errors[1:], errors[0])


if __name__ == "__main__":
    main()
