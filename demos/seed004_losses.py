"""Seed 004: its losses on one example each, beside their formulas; its stopping rules in nn.fit.

The seed lists MSE = (1/N)·Σ(y - y_pred)², MAE = (1/N)·Σ|y - y_pred|, binary cross-entropy
-(y·log(y_pred) + (1 - y)·log(1 - y_pred)) and, after a softmax, multi-class cross-entropy
-Σ y·log(y_pred); and it stops gradient descent at a maximum number of iterations or when the
change becomes very small. Run alone: ``python -m demos.seed004_losses``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import nn
from autograd import Value

__all__ = ["LossExample", "examples", "main"]


@dataclass(frozen=True)
class LossExample:
    """One loss on one example: what it is, its formula by hand and nn's value."""

    name: str
    formula: str
    by_hand: float
    value: float


def examples() -> list[LossExample]:
    """Each of the seed's losses (and nn's hinge loss) on one small example."""
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
            "mse_loss", f"(1/{n})·Σ(y - y_pred)² for y_pred={y_pred}, y={y_true}",
            sum((t - q) ** 2 for t, q in zip(y_true, y_pred)) / n,
            nn.mse_loss(predictions, y_true).data,
        ),
        LossExample(
            "mae_loss", f"(1/{n})·Σ|y - y_pred| for the same",
            sum(abs(t - q) for t, q in zip(y_true, y_pred)) / n,
            nn.mae_loss(predictions, y_true).data,
        ),
        LossExample(
            "bce_loss", f"-(y·log(y_pred) + (1 - y)·log(1 - y_pred)) for y_pred={p}, y={y:g}",
            -(y * math.log(p) + (1 - y) * math.log(1 - p)),
            nn.bce_loss([Value(p)], [y]).data,
        ),
        LossExample(
            "cross_entropy", f"-Σ y·log(y_pred), y_pred = softmax({logits}), y = {one_hot} (class {target})",
            -sum(t * math.log(q) for t, q in zip(one_hot, probabilities)),
            nn.cross_entropy([Value(z) for z in logits], target).data,
        ),
        LossExample(
            "hinge_loss", f"(1/3)·Σ max(0, 1 - y·score) for score={scores}, y={labels}",
            sum(max(0.0, 1 - label * s) for s, label in zip(scores, labels)) / len(scores),
            nn.hinge_loss([Value(s) for s in scores], labels).data,
        ),
    ]


def main(epochs: int = 1000) -> None:
    """Print each loss beside its formula, then stop training runs by each of the seed's rules."""
    print("Each loss on one example (by hand | nn):")
    for example in examples():
        print(f"  {example.name:<14}{example.formula}")
        print(f"  {'':<14}= {example.by_hand:.6f} | {example.value:.6f}")
    probabilities = nn.softmax([2.0, 1.0, 0.1])
    print("  softmax([2, 1, 0.1]) = [" + ", ".join(f"{p.data:.4f}" for p in probabilities) + "]")

    print("\nStopping rules (seed: a maximum number of iterations, or when the change is very small),")
    print("on XOR with a 2-4-1 tanh MLP, MSE and SGD at lr 0.1:")
    inputs, labels = nn.datasets.xor()
    targets = [float(label) for label in labels]
    models = []
    for tol, remark in ((None, ""), (1e-5, ""), (1e-3, " <- too loose: a plateau")):
        model = nn.MLP(2, [4, 1], activation="tanh", seed=3)
        optimizer = nn.SGD(model.parameters(), lr=0.1)
        _report(f"tol={tol}", nn.fit(model, inputs, targets, nn.mse_loss, optimizer, epochs=epochs, tol=tol,
                                     progress=False), remark)
        models.append(model)
    print("  training the first model on, now that it has converged, with tol=1e-5:")
    converged = models[0]
    optimizer = nn.SGD(converged.parameters(), lr=0.1)
    _report("tol=1e-05", nn.fit(converged, inputs, targets, nn.mse_loss, optimizer, epochs=epochs, tol=1e-5,
                                progress=False), "")

    print("\nCross-entropy training a 3-class classifier (nn.datasets.blobs, a 2-8-3 tanh MLP):")
    points, classes = nn.datasets.blobs(60, classes=3, seed=0)
    model = nn.MLP(2, [8, 3], activation="tanh", seed=0)
    history = nn.fit(model, points, classes, nn.cross_entropy, nn.SGD(model.parameters(), lr=0.5),
                     epochs=min(epochs, 100), tol=1e-4, progress=False)
    _report("tol=0.0001", history, "")


def _report(rule: str, history: nn.History, remark: str) -> None:
    last = history[-1]
    accuracy = "" if last.accuracy is None else f", accuracy {last.accuracy:.0%}"
    print(f"  {rule:<11} stopped after {len(history):>4} epochs ({history.stopped_by}): "
          f"loss {last.loss:.6f}{accuracy}, |grad| {last.grad_norm:.1e}{remark}")


if __name__ == "__main__":
    main()
