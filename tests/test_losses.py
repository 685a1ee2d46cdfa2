"""nn losses and softmax: values and gradients by hand and by finite differences, shapes, errors."""

from __future__ import annotations

import functools
import math
from collections.abc import Callable

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

import nn
from autograd import Value, numerical_grad

_floats = st.floats(-3, 3, allow_nan=False)
_probabilities = st.floats(0.02, 0.98)


def _grads(loss: Callable[[list[Value]], Value], xs: list[float]) -> list[float]:
    values = [Value(x) for x in xs]
    loss(values).backward()
    return [v.grad for v in values]


def _check_against_finite_differences(loss: Callable[[list[Value]], Value], xs: list[float]) -> list[float]:
    analytic = _grads(loss, xs)
    numeric = numerical_grad(lambda *values: loss(list(values)), xs)
    for a, n in zip(analytic, numeric):  # central differences err by about 1e-8 here
        assert math.isclose(a, n, rel_tol=1e-6, abs_tol=1e-6)
    return analytic


@given(st.lists(st.tuples(_floats, _floats), min_size=1, max_size=5))
def test_mse_value_and_gradient_by_hand(pairs: list[tuple[float, float]]) -> None:
    """mse = (1/N)·Σ(p - y)², d/dp_i = 2·(p_i - y_i)/N, matching finite differences."""
    predictions, targets = [p for p, _ in pairs], [t for _, t in pairs]
    n = len(pairs)
    loss = nn.mse_loss([Value(p) for p in predictions], targets)
    assert math.isclose(loss.data, sum((p - t) ** 2 for p, t in pairs) / n, rel_tol=1e-12, abs_tol=1e-15)
    grads = _check_against_finite_differences(lambda ps: nn.mse_loss(ps, targets), predictions)
    for g, (p, t) in zip(grads, pairs):
        assert math.isclose(g, 2 * (p - t) / n, rel_tol=1e-12, abs_tol=1e-15)


@given(st.lists(st.tuples(_floats, _floats), min_size=1, max_size=5))
def test_mae_value_and_gradient_by_hand(pairs: list[tuple[float, float]]) -> None:
    """mae = (1/N)·Σ|p - y|, d/dp_i = sign(p_i - y_i)/N away from the kink."""
    assume(all(abs(p - t) > 1e-3 for p, t in pairs))
    predictions, targets = [p for p, _ in pairs], [t for _, t in pairs]
    n = len(pairs)
    loss = nn.mae_loss([Value(p) for p in predictions], targets)
    assert math.isclose(loss.data, sum(abs(p - t) for p, t in pairs) / n, rel_tol=1e-12)
    grads = _check_against_finite_differences(lambda ps: nn.mae_loss(ps, targets), predictions)
    for g, (p, t) in zip(grads, pairs):
        assert g == math.copysign(1.0, p - t) / n


@given(st.lists(st.tuples(_probabilities, st.floats(0, 1)), min_size=1, max_size=5))
def test_bce_value_and_gradient_by_hand(pairs: list[tuple[float, float]]) -> None:
    """bce = -(1/N)·Σ(y·log p + (1 - y)·log(1 - p)), d/dp = (p - y)/(p·(1 - p))/N."""
    probabilities, targets = [p for p, _ in pairs], [t for _, t in pairs]
    n = len(pairs)
    loss = nn.bce_loss([Value(p) for p in probabilities], targets)
    by_hand = -sum(t * math.log(p) + (1 - t) * math.log(1 - p) for p, t in pairs) / n
    assert math.isclose(loss.data, by_hand, rel_tol=1e-12, abs_tol=1e-15)
    grads = _check_against_finite_differences(lambda ps: nn.bce_loss(ps, targets), probabilities)
    for g, (p, t) in zip(grads, pairs):
        assert math.isclose(g, (p - t) / (p * (1 - p)) / n, rel_tol=1e-10, abs_tol=1e-12)


def test_bce_of_certain_right_answers_is_positive_zero() -> None:
    """p = 1 for y = 1 and p = 0 for y = 0 cost exactly 0.0, never -0.0."""
    for loss in (nn.bce_loss([Value(1.0), Value(0.0)], [1, 0]), nn.bce_loss(Value(1.0), 1.0)):
        assert loss.data == 0.0 and math.copysign(1.0, loss.data) == 1.0


def test_bce_clamps_each_log_at_minus_100_as_pytorch_does() -> None:
    """A certain wrong answer costs 100, not infinity; the clamped term is a constant with zero gradient."""
    probabilities = [Value(0.0), Value(1.0), Value(1e-50)]  # log(1e-50) = -115 is clamped too
    loss = nn.bce_loss(probabilities, [1, 0, 1])
    assert loss.data == 100.0
    loss.backward()
    assert [p.grad for p in probabilities] == [0.0, 0.0, 0.0]
    half = nn.bce_loss([Value(0.0)], [0.5])
    assert half.data == 0.5 * 100.0 - 0.5 * math.log(1.0)


def test_a_saturated_sigmoid_does_not_stop_training() -> None:
    """fit with bce_loss runs on when a sigmoid output is exactly 1.0 for a target of 0."""
    model = nn.MLP(1, [1], out_activation="sigmoid")
    model.load_state_dict({"layers.0.weight": [[1000.0]], "layers.0.bias": [0.0]})
    saturated = model([1.0])
    assert isinstance(saturated, Value) and saturated.data == 1.0
    history = nn.fit(model, [[1.0], [0.001]], [0.0, 0.0], nn.bce_loss, nn.SGD(model.parameters(), lr=0.1),
                     epochs=5, progress=False)
    assert len(history) == 5 and all(math.isfinite(loss) for loss in history.losses)


@given(st.lists(st.tuples(_floats, st.sampled_from([-1, 1])), min_size=1, max_size=5))
def test_hinge_value_and_gradient_by_hand(pairs: list[tuple[float, int]]) -> None:
    """hinge = (1/N)·Σ max(0, 1 - y·s), d/ds = -y/N inside the margin and 0 outside it."""
    assume(all(abs(1 - y * s) > 1e-3 for s, y in pairs))
    scores, labels = [s for s, _ in pairs], [y for _, y in pairs]
    n = len(pairs)
    loss = nn.hinge_loss([Value(s) for s in scores], labels)
    assert math.isclose(loss.data, sum(max(0.0, 1 - y * s) for s, y in pairs) / n, rel_tol=1e-12)
    grads = _check_against_finite_differences(lambda ss: nn.hinge_loss(ss, labels), scores)
    for g, (s, y) in zip(grads, pairs):
        assert g == (-y / n if 1 - y * s > 0 else 0.0)


@given(st.lists(_floats, min_size=1, max_size=5))
def test_softmax_is_exp_over_sum_and_adds_up_to_one(logits: list[float]) -> None:
    """softmax(z)_i = e^z_i / Σ e^z_j, summing to 1; its Jacobian matches finite differences."""
    probabilities = nn.softmax(logits)
    total = sum(math.exp(z) for z in logits)
    for p, z in zip(probabilities, logits):
        assert math.isclose(p.data, math.exp(z) / total, rel_tol=1e-12)
    assert math.isclose(sum(p.data for p in probabilities), 1.0, rel_tol=1e-12)
    for i in range(len(logits)):
        _check_against_finite_differences(functools.partial(_softmax_at, i), logits)


def _softmax_at(i: int, logits: list[Value]) -> Value:
    return nn.softmax(logits)[i]


@given(st.lists(_floats, min_size=2, max_size=5), st.data())
def test_cross_entropy_value_and_gradient_by_hand(logits: list[float], data: st.DataObject) -> None:
    """cross_entropy = -log softmax(z)[t] = -Σ y·log(softmax) with y one-hot; d/dz = softmax - y."""
    target = data.draw(st.integers(0, len(logits) - 1))
    total = sum(math.exp(z) for z in logits)
    probabilities = [math.exp(z) / total for z in logits]
    loss = nn.cross_entropy([Value(z) for z in logits], target)
    assert math.isclose(loss.data, -math.log(probabilities[target]), rel_tol=1e-12, abs_tol=1e-14)
    grads = _check_against_finite_differences(lambda zs: nn.cross_entropy(zs, target), logits)
    for i, (g, p) in enumerate(zip(grads, probabilities)):
        assert math.isclose(g, p - (i == target), rel_tol=1e-12, abs_tol=1e-14)


def test_softmax_and_cross_entropy_do_not_overflow_on_large_logits() -> None:
    """Logits of 1000 would overflow exp; subtracting the largest first keeps everything finite."""
    assert [p.data for p in nn.softmax([1000.0, 1000.0, -1000.0])] == [0.5, 0.5, 0.0]
    assert nn.cross_entropy([1000.0, 0.0], 1).data == 1000.0
    assert nn.cross_entropy([1000.0, 0.0], 0).data == 0.0


def test_cross_entropy_of_a_batch_is_the_mean() -> None:
    """Rows of logits with one target each: the mean of the per-row losses."""
    rows, targets = [[1.0, 2.0, 0.5], [0.0, -1.0, 3.0]], [1, 0]
    expected = sum(nn.cross_entropy(row, t).data for row, t in zip(rows, targets)) / 2
    assert nn.cross_entropy(rows, targets).data == expected


def test_batches_of_lists_are_flattened_alike() -> None:
    """A batch of multi-output predictions against rows of targets: the mean over every element."""
    predictions = [[Value(1.0), Value(2.0)], [Value(3.0), Value(5.0)]]
    assert nn.mse_loss(predictions, [[1.0, 1.0], [1.0, 1.0]]).data == (0 + 1 + 4 + 16) / 4


def test_one_sample_without_lists_and_value_targets() -> None:
    """A single prediction and target need no list; targets may be Values and receive gradients."""
    prediction, target = Value(3.0), Value(1.0)
    loss = nn.mse_loss(prediction, target)
    assert loss.data == 4.0
    loss.backward()
    assert (prediction.grad, target.grad) == (4.0, -4.0)


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda: nn.mse_loss([1.0, 2.0], [1.0]), ValueError, "mse_loss: predictions has 2 items but targets"),
        (lambda: nn.mae_loss([[1.0], [2.0]], [1.0, [2.0]]), ValueError, "predictions[0] has 1 items"),
        (lambda: nn.mse_loss([], []), ValueError, "mse_loss: no predictions"),
        (lambda: nn.mse_loss(["a"], [1.0]), TypeError, "mse_loss: expected a number or a Value, got str"),
        (lambda: nn.mse_loss([1.0], [None]), TypeError, "mse_loss: targets[0] must be a number"),  # type: ignore[list-item]
        (lambda: nn.mse_loss([1.0], [math.nan]), ValueError, "mse_loss: targets[0] must be finite"),
        (lambda: nn.mse_loss([1.0], [10**400]), OverflowError, "mse_loss: targets[0] is too large"),
        (lambda: nn.mse_loss(1.0, math.inf), ValueError, "mse_loss: targets must be finite, got inf"),
        (lambda: nn.mae_loss([[1.0], [math.inf]], [[1.0], [2.0]]), ValueError,
         "mae_loss: predictions[1][0] must be finite, got inf"),
        (lambda: nn.mse_loss([10**400], [1.0]), OverflowError, "mse_loss: predictions[0] is too large"),
        (lambda: nn.softmax([math.inf, 1]), ValueError, "softmax: logit 0 must be finite, got inf"),
        (lambda: nn.softmax([1.0, 10**400]), OverflowError, "softmax: logit 1 is too large for a float"),
        (lambda: nn.cross_entropy([1.0, math.nan], 0), ValueError, "cross_entropy: logit 1 must be finite"),
        (lambda: nn.bce_loss([0.5], [2.0]), ValueError, "bce_loss: target 0 must be in [0, 1], got 2.0"),
        (lambda: nn.bce_loss([1.5], [1.0]), ValueError, "bce_loss: prediction 0 must be a probability"),
        (lambda: nn.hinge_loss([0.5, 0.5], [1, 0]), ValueError, "hinge_loss: label 1 must be -1 or 1, got 0"),
        (lambda: nn.cross_entropy([1.0, 2.0], 2), ValueError, "cross_entropy: target 2 is not a class of 2"),
        (lambda: nn.cross_entropy([1.0, 2.0], -1), ValueError, "cross_entropy: target -1 is not a class"),
        (lambda: nn.cross_entropy([1.0, 2.0], 1.0), TypeError, "the target must be a class"),  # type: ignore[arg-type]
        (lambda: nn.cross_entropy([1.0, 2.0], True), TypeError, "cross_entropy: the target must be a class"),
        (lambda: nn.cross_entropy([[1.0, 2.0]], [0, 1]), ValueError, "cross_entropy: a batch of 1 rows"),
        (lambda: nn.cross_entropy([], 0), TypeError, "cross_entropy: logits must be a non-empty list"),
        (lambda: nn.cross_entropy(Value(1.0), 0), TypeError,  # type: ignore[arg-type]
         "cross_entropy: logits must be a non-empty list of Values or numbers (one per class), got Value("),
        (lambda: nn.softmax("abc"), TypeError, "softmax: logits must be a non-empty list"),  # type: ignore[arg-type]
    ],
)
def test_user_errors_name_the_loss_and_the_operand(
    call: Callable[[], object], error: type[Exception], message: str
) -> None:
    """Mismatched shapes, bad targets and out-of-range probabilities raise an error naming the loss."""
    with pytest.raises(error) as raised:
        call()
    assert message in str(raised.value)
