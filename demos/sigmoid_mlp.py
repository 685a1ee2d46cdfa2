"""A 2-4-1 sigmoid MLP fitted by MSE and plain SGD: what it learns, and what the learning rate does.

The model and the training are the article's TensorFlow example: weights uniform in [-1, 1],
biases zero, 100 inputs uniform in [0, 1)², loss = mean((y_true - y_pred)**2), full-batch SGD
(here seeded, so the run repeats). The main run fits t = x1·x2, a curved surface, at lr 8; the
article's lr 0.01 barely moves in the same number of epochs. The article's own targets are
random numbers, which no model can learn: the loss falls to their variance, by predicting
their mean, and no lower. Run alone: ``python -m demos.sigmoid_mlp``.
"""

from __future__ import annotations

import random
import statistics

import nn
from autograd import Value
from demos.output import paragraph, print_losses

__all__ = ["uniform_init", "random_inputs", "train", "main"]


def uniform_init(
    n_input: int, n_hidden: int, n_output: int, seed: int
) -> dict[str, list[list[float]] | list[float]]:
    """The example's initial state: weights uniform in [-1, 1], biases zero, as [out][in] rows."""
    rng = random.Random(seed)
    return {
        "layers.0.weight": [[rng.uniform(-1, 1) for _ in range(n_input)] for _ in range(n_hidden)],
        "layers.0.bias": [0.0] * n_hidden,
        "layers.1.weight": [[rng.uniform(-1, 1) for _ in range(n_hidden)] for _ in range(n_output)],
        "layers.1.bias": [0.0] * n_output,
    }


def random_inputs(n: int, seed: int) -> tuple[list[list[float]], list[float]]:
    """n inputs uniform in [0, 1)² and n random targets uniform in [0, 1), like np.random.rand."""
    rng = random.Random(seed)
    inputs = [[rng.random(), rng.random()] for _ in range(n)]
    return inputs, [rng.random() for _ in range(n)]


def train(
    epochs: int = 150, lr: float = 8.0, n: int = 100, seed: int = 0, random_targets: bool = False
) -> tuple[nn.MLP, list[list[float]], list[float], list[float]]:
    """Full-batch SGD on the example's model; the model, inputs, targets and each epoch's loss.

    The targets are x1·x2, or with ``random_targets`` the example's random numbers.
    """
    model = nn.MLP(2, [4, 1], activation="sigmoid", out_activation="sigmoid")
    model.load_state_dict(uniform_init(2, 4, 1, seed))
    inputs, noise = random_inputs(n, seed)
    targets = noise if random_targets else [x1 * x2 for x1, x2 in inputs]
    optimizer = nn.SGD(model.parameters(), lr=lr)
    losses = []
    for _ in range(epochs):
        loss = nn.mse_loss([model(x) for x in inputs], targets)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        losses.append(loss.data)
    return model, inputs, targets, losses


def main(epochs: int = 150, lr: float = 8.0, n: int = 100, slow_lr: float = 0.01) -> None:
    """Fit x1·x2 and print the loss and some predictions; then the slow rate; then random targets."""
    paragraph(f"A 2-4-1 sigmoid MLP, MSE, full-batch SGD at lr {lr:g}, on {n} inputs uniform in "
              f"[0, 1)², fitting t = x1·x2 for {epochs} epochs:")
    model, inputs, targets, losses = train(epochs, lr, n)
    print_losses(losses, rows=6)
    print()
    floor = statistics.pvariance(targets)
    paragraph(f"Always predicting the targets' mean would score {floor:.4g} (their variance); the "
              f"network's {losses[-1]:.4g} is {floor / losses[-1]:.0f} times lower: it has learnt the "
              "surface. Some training points:")
    print(f"  {'x1':>6}  {'x2':>6}  {'t = x1·x2':>9}  {'prediction':>10}")
    for x in inputs[:6]:
        print(f"  {x[0]:>6.3f}  {x[1]:>6.3f}  {x[0] * x[1]:>9.4f}  {_predict(model, x):>10.4f}")

    _, _, _, slow = train(epochs, slow_lr, n)
    still = ", still worse than always predicting the mean" if slow[-1] > floor else ""
    print()
    paragraph(
        f"At the article's lr {slow_lr:g}, the same {epochs} epochs take the loss from {slow[0]:.4g} only "
        f"to {slow[-1]:.4g}{still}. Each sigmoid multiplies the gradient passing back through it by "
        "∂a/∂z = a·(1 - a) <= 1/4, so this network's gradients are small, and a small rate takes tiny "
        "steps: pick the rate for the gradients you have."
    )

    short = max(1, epochs // 3)
    guesser, points, noise, noisy = train(short, lr, n, random_targets=True)
    guesses = [_predict(guesser, x) for x in points]
    print()
    paragraph(
        "The article's own targets are random numbers, which nothing in the inputs predicts. In "
        f"{short} epochs the loss goes from {noisy[0]:.4g} to {noisy[-1]:.4g}, next to their variance "
        f"{statistics.pvariance(noise):.4g}, and every prediction lies between {min(guesses):.3f} and "
        f"{max(guesses):.3f}, close to their mean {statistics.mean(noise):.3f}: with nothing to learn, "
        "the best a model can do is predict the mean, and a loss that stops at the variance says so."
    )
    print()
    paragraph("(The article's hand-written backward_pass is never called: its d_pred = 2*(y_true - y_pred) "
              "is minus dL/dy_pred and lacks the 1/N of the mean; backward() computes the real one.)")

def _predict(model: nn.MLP, x: list[float]) -> float:
    output = model(x)
    assert isinstance(output, Value)  # one output neuron
    return output.data


if __name__ == "__main__":
    main()
