"""Seed 001: a 2-4-1 sigmoid MLP fitted by MSE and plain SGD to random data.

As in the seed: weights uniform in [-1, 1], biases zero, 100 random inputs in [0, 1)^2 with
random targets in [0, 1), loss = mean((y_true - y_pred)**2), SGD at lr 0.01 for 1000 epochs
(here seeded, so the run repeats). Random targets cannot be learnt: the best a model can do is
predict their mean, so the loss falls towards their variance (about 1/12) and no lower.
Run alone: ``python -m demos.seed001_mlp``.
"""

from __future__ import annotations

import random
import statistics

import nn
from demos.output import print_losses

__all__ = ["seed_init", "random_data", "train", "main"]


def seed_init(
    n_input: int, n_hidden: int, n_output: int, seed: int
) -> dict[str, list[list[float]] | list[float]]:
    """The seed's initial state: weights uniform in [-1, 1], biases zero, as [out][in] rows."""
    rng = random.Random(seed)
    return {
        "layers.0.weight": [[rng.uniform(-1, 1) for _ in range(n_input)] for _ in range(n_hidden)],
        "layers.0.bias": [0.0] * n_hidden,
        "layers.1.weight": [[rng.uniform(-1, 1) for _ in range(n_hidden)] for _ in range(n_output)],
        "layers.1.bias": [0.0] * n_output,
    }


def random_data(n: int, seed: int) -> tuple[list[list[float]], list[float]]:
    """n inputs uniform in [0, 1)^2 and n targets uniform in [0, 1), like np.random.rand."""
    rng = random.Random(seed)
    inputs = [[rng.random(), rng.random()] for _ in range(n)]
    return inputs, [rng.random() for _ in range(n)]


def train(epochs: int = 1000, lr: float = 0.01, n: int = 100, seed: int = 0) -> list[float]:
    """Full-batch SGD on the seed's model and data; the loss before each epoch's step."""
    model = nn.MLP(2, [4, 1], activation="sigmoid", out_activation="sigmoid")
    model.load_state_dict(seed_init(2, 4, 1, seed))
    inputs, targets = random_data(n, seed)
    optimizer = nn.SGD(model.parameters(), lr=lr)
    losses = []
    for _ in range(epochs):
        predictions = [model(x) for x in inputs]
        loss = nn.mse_loss(predictions, targets)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        losses.append(loss.data)
    return losses


def main(epochs: int = 1000, lr: float = 0.01, n: int = 100) -> None:
    """Train and print the loss every tenth of the run."""
    print(f"2-4-1 sigmoid MLP, MSE, SGD lr={lr}, {n} random samples, {epochs} epochs")
    print("(the seed's hand-written backward_pass is never called: its d_pred = 2*(y_true - y_pred)")
    print(" is minus the gradient and lacks the 1/N of the mean; backward computes the real one)")
    losses = train(epochs, lr, n)
    print_losses(losses, rows=10)
    _, targets = random_data(n, 0)
    print(f"  the floor, the targets' variance: {statistics.pvariance(targets):.6f}")
    print(f"  the loss fell by {losses[0] - losses[-1]:.6f}" + (f": lr {lr:g} is slow" if lr <= 0.01 else ""))


if __name__ == "__main__":
    main()
