"""Two moons: an MLP(2, [16, 16, 1]) with relu learns a curved boundary, as in micrograd's demo.

Like micrograd's demo: 100 points, labels -1 and 1, max-margin (hinge) loss plus a little L2
on the parameters, full batch. Unlike it, ``nn.fit`` runs the loop (with its progress bar)
and Adam takes the steps, which reaches 100% training accuracy in fewer epochs than
micrograd's decaying-rate SGD. The decision boundary goes to out/moons.png when matplotlib
is installed (``pip install glassgrad[demo]``).
Run alone: ``python -m demos.moons``.
"""

from __future__ import annotations

import time
from collections.abc import Sequence

import nn
from autograd import Value, no_grad
from demos.output import pyplot, save_figure

__all__ = ["ALPHA", "train", "score", "main"]

ALPHA = 1e-4  # L2 strength


def score(model: nn.MLP, x: Sequence[float]) -> Value:
    """The model's one output: above 0 means the lower moon (label 1)."""
    output = model(x)
    assert isinstance(output, Value)  # an MLP whose last layer has one output
    return output


def train(
    epochs: int = 100, n: int = 100, seed: int = 1, progress: bool = True
) -> tuple[nn.MLP, list[list[float]], list[int], nn.History]:
    """Fit the moons; returns the model, the data (labels -1/1) and the training history."""
    inputs, raw_labels = nn.datasets.moons(n, noise=0.1, seed=seed)
    labels = [2 * label - 1 for label in raw_labels]  # hinge loss wants -1 and 1
    model = nn.MLP(2, [16, 16, 1], activation="relu", seed=seed)
    parameters = model.parameters()

    def loss(scores: list[Value], targets: Sequence[int]) -> Value:
        return nn.hinge_loss(scores, targets) + ALPHA * sum(p * p for p in parameters)

    optimizer = nn.Adam(parameters, lr=0.05)
    history = nn.fit(model, inputs, labels, loss, optimizer, epochs=epochs, progress=progress)
    return model, inputs, labels, history


def main(epochs: int = 100, picture: bool = True) -> None:
    """Train on 100 moons, print progress, accuracy and time, then draw the decision boundary."""
    started = time.perf_counter()
    model, inputs, labels, history = train(epochs)
    for record in history.epochs[:: max(1, epochs // 10)] + history.epochs[-1:]:
        print(f"  epoch {record.epoch:>3}  loss {record.loss:.4f}  accuracy {record.accuracy:.0%}")
    with no_grad():  # evaluation only: no graph needed
        right = sum((score(model, x).data > 0) == (y > 0) for x, y in zip(inputs, labels))
    print(f"Final training accuracy {right / len(labels):.0%} in {time.perf_counter() - started:.1f} s")
    if picture:
        _draw(model, inputs, labels)


def _draw(model: nn.MLP, inputs: list[list[float]], labels: list[int], steps: int = 60) -> None:
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
    save_figure(figure, "moons.png")


if __name__ == "__main__":
    main()
