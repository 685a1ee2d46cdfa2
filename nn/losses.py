"""Loss functions: one number that says how wrong the predictions are, to call ``backward`` on.

Each takes predictions (Values or numbers) and targets, for one sample or a batch, and
returns the mean over all of them as a Value, as PyTorch's default ``reduction="mean"`` does.
Predictions and targets may be nested alike: a batch of a multi-output model's lists.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Sequence
from typing import TypeAlias, TypeGuard

from autograd import Value
from autograd.value import as_float

__all__ = ["mse_loss", "mae_loss", "bce_loss", "hinge_loss", "cross_entropy", "softmax"]

Predictions: TypeAlias = "Value | float | Sequence[Predictions]"
Targets: TypeAlias = "Value | float | Sequence[Targets]"

_LOG_FLOOR = -100.0
"""Where ``bce_loss`` clamps each log, as PyTorch's ``BCELoss`` does."""


def mse_loss(predictions: Predictions, targets: Targets) -> Value:
    """Mean squared error, (1/N)·Σ(y_pred - y)².

    >>> mse_loss([Value(2.5), Value(0.0)], [3.0, -0.5]).data
    0.25
    """
    return _mean([(p - t) ** 2 for p, t in _pairs("mse_loss", predictions, targets)])


def mae_loss(predictions: Predictions, targets: Targets) -> Value:
    """Mean absolute error, (1/N)·Σ|y_pred - y| (its derivative at a perfect prediction is taken as 0)."""
    return _mean([abs(p - t) for p, t in _pairs("mae_loss", predictions, targets)])


def bce_loss(probabilities: Predictions, targets: Targets) -> Value:
    """Binary cross-entropy, -(1/N)·Σ(y·log(p) + (1 - y)·log(1 - p)), for probabilities p in [0, 1].

    A term whose weight y or 1 - y is 0 is left out, so a confident right answer (p = 1 for
    y = 1) costs nothing. As in PyTorch's ``BCELoss``, each log is clamped at -100, so a
    confident wrong answer (a saturated sigmoid, p = 0 for y = 1) costs 100 rather than
    infinity and training goes on; a clamped log is the constant -100, with zero gradient.

    >>> bce_loss([Value(0.0)], [1.0]).data
    100.0
    """
    terms = []
    for i, (p, y) in enumerate(_pairs("bce_loss", probabilities, targets)):
        target = float(y)
        if not 0.0 <= target <= 1.0:
            raise ValueError(f"bce_loss: target {i} must be in [0, 1], got {target!r}")
        if not 0.0 <= p.data <= 1.0:
            raise ValueError(f"bce_loss: prediction {i} must be a probability in [0, 1], got {p.data!r}")
        parts = []
        if target > 0:
            parts.append(y * _clamped_log(p))
        if target < 1:
            parts.append((1 - y) * _clamped_log(1 - p))
        terms.append(0.0 - _sum(parts))  # not -sum: -(0.0) is -0.0, and a perfect loss reads 0.0
    return _mean(terms)


def _clamped_log(x: Value) -> Value:
    """log(x), or the constant ``_LOG_FLOOR`` where log(x) would be below it (x = 0 included)."""
    if x.data > 0.0 and math.log(x.data) >= _LOG_FLOOR:
        return x.log()
    return Value(_LOG_FLOOR)


def hinge_loss(scores: Predictions, labels: Targets) -> Value:
    """Max-margin loss for labels -1 and 1, (1/N)·Σ max(0, 1 - y·score), as in micrograd's demo."""
    terms = []
    for i, (score, label) in enumerate(_pairs("hinge_loss", scores, labels)):
        if float(label) not in (-1.0, 1.0):
            hint = "(for 0/1 labels, use 2*y - 1)"
            raise ValueError(f"hinge_loss: label {i} must be -1 or 1, got {label!r} {hint}")
        terms.append((1 - label * score).relu())
    return _mean(terms)


def softmax(logits: Sequence[Value | float]) -> list[Value]:
    """e^z_i / Σ_j e^z_j: scores made into probabilities that add up to 1.

    The largest logit is subtracted first (a constant, so the result and its gradients are
    unchanged), which keeps every exp at most 1: no overflow for large logits.

    >>> [round(p.data, 4) for p in softmax([1000.0, 1000.0])]
    [0.5, 0.5]
    """
    values = _logits("softmax", logits)
    largest = max(z.data for z in values)
    exps = [(z - largest).exp() for z in values]
    total = _sum(exps)
    return [e / total for e in exps]


def cross_entropy(logits: Sequence[Value | float] | Sequence[Sequence[Value | float]],
                  targets: int | Sequence[int]) -> Value:
    """-log(softmax(logits)[target]): the multi-class loss, from raw scores and a class number.

    Computed as log(Σ_j e^(z_j - m)) + m - z_target with m the largest logit, so it never
    overflows. Give one sample's logits and its class, or a batch of each (the mean).
    Equal to the textbook's -Σ y·log(y_pred) with y one-hot and y_pred = softmax(logits).

    >>> round(cross_entropy([2.0, 1.0, 0.1], 0).data, 4)
    0.417
    """
    if _is_sequence(logits) and logits and all(_is_sequence(row) for row in logits):
        if isinstance(targets, int) or not isinstance(targets, Sequence) or len(targets) != len(logits):
            raise ValueError(f"cross_entropy: a batch of {len(logits)} rows of logits needs as many targets, "
                             f"got {targets!r}")
        rows: Sequence[Sequence[Value | float]] = logits  # type: ignore[assignment]
        return _mean([_cross_entropy(row, target) for row, target in zip(rows, targets)])
    return _cross_entropy(logits, targets)  # type: ignore[arg-type]


def _cross_entropy(logits: Sequence[Value | float], target: object) -> Value:
    values = _logits("cross_entropy", logits)
    if isinstance(target, bool) or not isinstance(target, int):
        raise TypeError(f"cross_entropy: the target must be a class number (int), got {target!r}")
    if not 0 <= target < len(values):
        raise ValueError(f"cross_entropy: target {target} is not a class of {len(values)} logits")
    largest = max(z.data for z in values)
    log_sum_exp = _sum([(z - largest).exp() for z in values]).log() + largest
    return log_sum_exp - values[target]


def _logits(op: str, logits: object) -> list[Value]:
    if not _is_sequence(logits) or not logits:
        raise TypeError(f"{op}: logits must be a non-empty list of Values or numbers (one per class), "
                        f"got {logits!r}")
    return [_value(op, f"logit {i}", z) for i, z in enumerate(logits)]


def _is_sequence(x: object) -> TypeGuard[Sequence[object]]:
    return isinstance(x, Sequence) and not isinstance(x, str)


def _value(op: str, what: str, x: object) -> Value:
    """``x`` as a Value (a number becomes a constant leaf); errors name ``op`` and ``what`` x is."""
    if isinstance(x, Value):
        return x
    if isinstance(x, numbers.Real):
        return Value(as_float(x, f"{op}: {what}"))
    raise TypeError(f"{op}: expected a number or a Value, got {type(x).__name__}: {x!r}")


def _pairs(op: str, predictions: object, targets: object) -> list[tuple[Value, Value | float]]:
    """Predictions and targets side by side, checked to have the same shape; never empty."""
    pairs: list[tuple[Value, Value | float]] = []
    stack = [(predictions, targets, "")]
    while stack:
        prediction, target, where = stack.pop()
        if isinstance(prediction, Sequence) and not isinstance(prediction, str):
            if not isinstance(target, Sequence) or isinstance(target, str) or len(target) != len(prediction):
                raise ValueError(f"{op}: predictions{where} has {len(prediction)} items but targets{where} "
                                 f"is {target!r}")
            items = [(p, t, f"{where}[{i}]") for i, (p, t) in enumerate(zip(prediction, target))]
            stack += reversed(items)
            continue
        predicted = _value(op, f"predictions{where}", prediction)
        if isinstance(target, Value):
            pairs.append((predicted, target))
        elif isinstance(target, numbers.Real):
            pairs.append((predicted, as_float(target, f"{op}: targets{where}")))
        else:
            raise TypeError(f"{op}: targets{where} must be a number or a Value, got {type(target).__name__}: "
                            f"{target!r}")
    if not pairs:
        raise ValueError(f"{op}: no predictions to compare")
    return pairs


def _sum(terms: list[Value]) -> Value:
    """t1 + t2 + ...: no leading 0 node, so a one-term sum is the term itself."""
    total = terms[0]
    for term in terms[1:]:
        total = total + term
    return total


def _mean(terms: list[Value]) -> Value:
    return _sum(terms) / len(terms) if len(terms) > 1 else terms[0]
