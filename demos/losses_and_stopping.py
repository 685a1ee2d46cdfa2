"""Losses and stopping rules: each loss on one example beside its formula; when nn.fit stops.

The losses: MSE = (1/N)·Σ(y - y_pred)², MAE = (1/N)·Σ|y - y_pred|, binary cross-entropy
-(y·log(y_pred) + (1 - y)·log(1 - y_pred)) and, after a softmax, multi-class cross-entropy
-Σ y·log(y_pred) (and nn's hinge loss). The stopping rules of gradient descent: a maximum
number of iterations, or a change that has become very small (the loss's, or the gradient's
norm). Run alone: ``python -m demos.losses_and_stopping``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import nn
from autograd import Value
from demos.output import paragraph

__all__ = ["LossExample", "examples", "main"]


@dataclass(frozen=True)
class LossExample:
    """One loss on one example: what it is, its formula by hand and nn's value."""

    name: str
    formula: str
    by_hand: float
    value: float


def examples() -> list[LossExample]:
    """Each loss (MSE, MAE, binary and multi-class cross-entropy, hinge) on one small example."""
    y_pred, y_true = [2.5, 0.0, 2.0], [3.0, -0.5, 2.0]
    n = len(y_true)
    predictions = [Value(p) for p in y_pred]
    p, y = 0.8, 1.0  # a predicted probability for a positive example
    logits, target = [2.0, 1.0, 0.1], 0
    one_hot = [1.0 if k == target else 0.0 for k in range(len(logits))]
    exps = [math.exp(z) for z in logits]
    probabilities = [e / sum(exps) for e in exps]
    scores, labels = [0.3, -2.0, 1.5], [1, -1, -1]
    return [
        LossExample(
            "mse_loss", f"(1/{n})·Σ(y - y_pred)², y_pred={y_pred}, y={y_true}",
            sum((t - q) ** 2 for t, q in zip(y_true, y_pred)) / n,
            nn.mse_loss(predictions, y_true).data,
        ),
        LossExample(
            "mae_loss", f"(1/{n})·Σ|y - y_pred|, the same",
            sum(abs(t - q) for t, q in zip(y_true, y_pred)) / n,
            nn.mae_loss(predictions, y_true).data,
        ),
        LossExample(
            "bce_loss", f"-(y·log(y_pred) + (1 - y)·log(1 - y_pred)), y_pred={p}, y={y:g}",
            -(y * math.log(p) + (1 - y) * math.log(1 - p)),
            nn.bce_loss([Value(p)], [y]).data,
        ),
        LossExample(
            "cross_entropy", f"-Σ y·log(y_pred), y_pred=softmax({logits}), y={one_hot}",
            -sum(t * math.log(q) for t, q in zip(one_hot, probabilities)),
            nn.cross_entropy([Value(z) for z in logits], target).data,
        ),
        LossExample(
            "hinge_loss", f"(1/3)·Σ max(0, 1 - y·score), score={scores}, y={labels}",
            sum(max(0.0, 1 - label * s) for s, label in zip(scores, labels)) / len(scores),
            nn.hinge_loss([Value(s) for s in scores], labels).data,
        ),
    ]


def main(epochs: int = 1000) -> None:
    """Print each loss beside its formula, then stop training runs by each rule."""
    rows = examples()
    name_width = max(len(example.name) for example in rows)
    print("Each loss on one example, by hand (plain floats) and by nn:")
    print(f"  {'loss':<{name_width}}  {'by hand':>9}  {'nn':>9}  formula, example")
    for example in rows:
        numbers = f"{example.by_hand:>9.6f}  {example.value:>9.6f}"
        print(f"  {example.name:<{name_width}}  {numbers}  {example.formula}")
    probabilities = nn.softmax([2.0, 1.0, 0.1])
    print("  (softmax([2, 1, 0.1]) = [" + ", ".join(f"{p.data:.4f}" for p in probabilities) + "])")

    print()
    paragraph("Stopping rules: after a maximum number of epochs, or once the loss changes by less than "
              "tol from one epoch to the next, or once the gradient's norm falls below tol. On XOR with "
              "a 2-4-1 tanh MLP, MSE and SGD at lr 0.1:")
    _header()
    inputs, labels = nn.datasets.xor()
    targets = [float(label) for label in labels]
    runs = {}
    for tol in (None, 1e-5, 1e-3):
        model = nn.MLP(2, [4, 1], activation="tanh", seed=3)
        optimizer = nn.SGD(model.parameters(), lr=0.1)
        runs[tol] = model, nn.fit(model, inputs, targets, nn.mse_loss, optimizer, epochs=epochs, tol=tol,
                                  progress=False)
        _report(f"tol={tol}", runs[tol][1])
    converged, full = runs[None]
    optimizer = nn.SGD(converged.parameters(), lr=0.1)
    again = nn.fit(converged, inputs, targets, nn.mse_loss, optimizer, epochs=epochs, tol=1e-5,
                   progress=False)
    _report("again", again)
    print()
    settled, loose = runs[1e-5][1], runs[1e-3][1]
    paragraph(
        f"The first run uses all {len(full)} epochs and drives the loss to {full[-1].loss:.2g}. "
        f"tol=1e-05 stops after {len(settled)}, the points classified {settled[-1].accuracy:.0%} right "
        f"already. tol=0.001 is too loose: it stops after {len(loose)} epochs on the early plateau, "
        "where the loss barely moves although nothing is learnt yet (accuracy "
        f"{loose[-1].accuracy:.0%}). 'again' trains the first model on with tol=1e-05: its gradient's "
        f"norm is already below tol, so it stops after {_epochs(len(again))}. A loss that changes "
        "little is not always a model that is done; a gradient near zero is the surer sign."
    )

    print("\nCross-entropy training a 3-class classifier (nn.datasets.blobs, a 2-8-3 tanh MLP, SGD lr 0.5):")
    _header()
    points, classes = nn.datasets.blobs(60, classes=3, seed=0)
    model = nn.MLP(2, [8, 3], activation="tanh", seed=0)
    history = nn.fit(model, points, classes, nn.cross_entropy, nn.SGD(model.parameters(), lr=0.5),
                     epochs=min(epochs, 100), tol=1e-4, progress=False)
    _report("tol=0.0001", history)


_COLUMNS = "  {:<10}  {:>6}  {:<23}  {:>9}  {:>8}  {:>7}"


def _epochs(count: int) -> str:
    return f"{count} epoch" if count == 1 else f"{count} epochs"


def _header() -> None:
    print(_COLUMNS.format("rule", "epochs", "stopped by", "loss", "accuracy", "|grad|"))


def _report(rule: str, history: nn.History) -> None:
    last = history[-1]
    accuracy = "" if last.accuracy is None else f"{last.accuracy:.0%}"
    print(_COLUMNS.format(rule, len(history), history.stopped_by, f"{last.loss:.4g}", accuracy,
                          f"{last.grad_norm:.1e}"))


if __name__ == "__main__":
    main()
