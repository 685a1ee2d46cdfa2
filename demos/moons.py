"""Two moons: an MLP(2, [16, 16, 1]) with relu learns a curved boundary, as in micrograd's demo.

Like micrograd's demo: 100 points, labels -1 and 1, max-margin (hinge) loss plus a little L2
on the parameters, full batch. Unlike it, ``nn.fit`` runs the loop (with its progress bar)
and Adam takes the steps, which reaches 100% training accuracy in 50 epochs, fewer than
micrograd's decaying-rate SGD takes. A model with no hidden layer, trained the same way,
shows what a straight boundary can do. The decision boundary goes to out/moons.png when
matplotlib is installed (``pip install glassgrad[demo]``).
Run alone: ``python -m demos.moons``.
"""

from __future__ import annotations

import time
from collections.abc import Sequence

import nn
from autograd import Value, no_grad
from demos.output import paragraph, pyplot, save_figure

__all__ = ["ALPHA", "EPOCHS", "train", "train_linear", "accuracy", "score", "main"]

ALPHA = 1e-4  # L2 strength
EPOCHS = 50  # 100% training accuracy from about epoch 36 on


def score(model: nn.MLP, x: Sequence[float]) -> Value:
    """The model's one output: above 0 means the lower moon (label 1)."""
    output = model(x)
    assert isinstance(output, Value)  # an MLP whose last layer has one output
    return output


def train(
    epochs: int = EPOCHS,
    n: int = 100,
    seed: int = 1,
    progress: bool = True,
    sizes: Sequence[int] = (16, 16, 1),
) -> tuple[nn.MLP, list[list[float]], list[int], nn.History]:
    """Fit the moons; returns the model, the data (labels -1/1) and the training history."""
    inputs, raw_labels = nn.datasets.moons(n, noise=0.1, seed=seed)
    labels = [2 * label - 1 for label in raw_labels]  # hinge loss wants -1 and 1
    model = nn.MLP(2, list(sizes), activation="relu", seed=seed)
    parameters = model.parameters()

    def loss(scores: list[Value], targets: Sequence[int]) -> Value:
        return nn.hinge_loss(scores, targets) + ALPHA * sum(p * p for p in parameters)

    optimizer = nn.Adam(parameters, lr=0.05)
    history = nn.fit(model, inputs, labels, loss, optimizer, epochs=epochs, progress=progress)
    return model, inputs, labels, history


def train_linear(epochs: int = 100, n: int = 100, seed: int = 1) -> float:
    """The same data, loss and optimizer with no hidden layer (a straight boundary); its accuracy."""
    model, inputs, labels, _ = train(epochs, n, seed, progress=False, sizes=(1,))
    return accuracy(model, inputs, labels)


def accuracy(model: nn.MLP, inputs: list[list[float]], labels: list[int]) -> float:
    """The share of points on the right side of the model's boundary."""
    with no_grad():  # evaluation only: no graph needed
        right = sum((score(model, x).data > 0) == (y > 0) for x, y in zip(inputs, labels))
    return right / len(labels)


def main(epochs: int = EPOCHS, picture: bool = True) -> None:
    """Train on 100 moons, print progress, accuracy and time, then draw the decision boundary."""
    paragraph("100 points in two interleaved moons; MLP(2, [16, 16, 1]), relu, hinge loss + L2, Adam "
              f"lr 0.05, {epochs} epochs (the accuracy column is measured before each epoch's step):")
    started = time.perf_counter()
    model, inputs, labels, history = train(epochs)
    print(f"  {'epoch':>5}  {'loss':>8}  {'accuracy':>8}")
    for record in history.epochs[:: max(1, epochs // 10)] + history.epochs[-1:]:
        print(f"  {record.epoch:>5}  {record.loss:>8.4g}  {record.accuracy:>8.0%}")
    final = accuracy(model, inputs, labels)
    print(f"Final training accuracy {final:.0%}, in {time.perf_counter() - started:.1f} s.")
    straight = train_linear()
    with no_grad():
        hinge = nn.hinge_loss([score(model, x) for x in inputs], labels).data
        l2 = ALPHA * sum(p.data * p.data for p in model.parameters())
    print()
    paragraph(
        "No straight line separates the moons: the same training with no hidden layer reaches "
        f"{straight:.0%}. The two relu layers bend the boundary around the points. The hinge loss "
        "stops pushing a point once it is past the margin: after the last step its part of the loss "
        f"is {hinge:.4g}"
        + (f", so the L2 term ({l2:.4g}) is all that is left" if hinge == 0 else f", the L2 term's {l2:.4g}")
        + ". That term keeps the weights small, and with them the boundary smooth."
    )
    if picture:
        print()
        _draw(model, inputs, labels)


def _draw(model: nn.MLP, inputs: list[list[float]], labels: list[int], steps: int = 40) -> None:
    """Colour the plane by the model's sign and plot the points over it: out/moons.png."""
    plt = pyplot()
    if plt is None:
        return
    xs = [x for x, _ in inputs]
    ys = [y for _, y in inputs]
    x_min, x_max, y_min, y_max = min(xs) - 1, max(xs) + 1, min(ys) - 1, max(ys) + 1
    grid_x = [x_min + (x_max - x_min) * i / (steps - 1) for i in range(steps)]
    grid_y = [y_min + (y_max - y_min) * j / (steps - 1) for j in range(steps)]
    with no_grad():
        sign = [[1.0 if score(model, [x, y]).data > 0 else -1.0 for x in grid_x] for y in grid_y]
    figure, axes = plt.subplots(figsize=(6, 5))
    axes.contourf(grid_x, grid_y, sign, levels=[-2, 0, 2], cmap="Spectral", alpha=0.8)
    axes.scatter(xs, ys, c=labels, s=40, cmap="Spectral", edgecolors="black")
    axes.set_title("moons: MLP(2, [16, 16, 1]), hinge loss + L2, Adam")
    save_figure(figure, "moons.png", "the learnt decision boundary over the points")


if __name__ == "__main__":
    main()
