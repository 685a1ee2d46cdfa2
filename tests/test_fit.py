"""nn.fit: the loop, the history, the stopping rules, batches, accuracy and the progress report."""

from __future__ import annotations

import json
import math
import re
import sys
import time

import pytest

import nn
from autograd import Value


def _xor() -> tuple[list[list[float]], list[float]]:
    inputs, labels = nn.datasets.xor()
    return inputs, [float(label) for label in labels]


def _model() -> nn.MLP:
    return nn.MLP(2, [4, 1], activation="tanh", seed=3)


def test_fit_is_the_plain_training_loop() -> None:
    """Full-batch fit leaves the same weights as forward, loss, zero_grad, backward, step by hand."""
    inputs, targets = _xor()
    fitted, by_hand = _model(), _model()
    history = nn.fit(fitted, inputs, targets, nn.mse_loss, nn.SGD(fitted.parameters(), lr=0.1),
                     epochs=5, progress=False)
    optimizer = nn.SGD(by_hand.parameters(), lr=0.1)
    losses = []
    for _ in range(5):
        loss = nn.mse_loss([by_hand(x) for x in inputs], targets)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        losses.append(loss.data)
    assert fitted.state_dict() == by_hand.state_dict()
    assert history.losses == losses


def test_without_tol_it_runs_every_epoch_and_records_each() -> None:
    """tol=None: exactly `epochs` epochs, numbered from 1, stopped by "max epochs"."""
    inputs, targets = _xor()
    model = _model()
    history = nn.fit(model, inputs, targets, nn.mse_loss, nn.SGD(model.parameters(), lr=0.1),
                     epochs=30, progress=False)
    assert len(history) == 30 and [e.epoch for e in history.epochs] == list(range(1, 31))
    assert history.stopped_by == "max epochs"
    assert history[-1] is history.epochs[-1]
    assert history.losses[-1] < history.losses[0]


def test_the_loss_change_rule_stops_when_the_loss_stands_still() -> None:
    """With lr 0 the loss never changes: stopped after the second epoch by the loss-change rule."""
    inputs, targets = _xor()
    model = _model()
    history = nn.fit(model, inputs, targets, nn.mse_loss, nn.SGD(model.parameters(), lr=0.0),
                     epochs=50, tol=1e-9, progress=False)
    assert len(history) == 2 and history.stopped_by == "loss change below tol"
    assert history[-1].grad_norm > 1e-9


def test_the_gradient_norm_rule_stops_at_a_minimum() -> None:
    """A model that already fits y = 2x + 1 has zero gradient: stopped after one epoch by that rule."""
    model = nn.MLP(1, [1], seed=0)
    model.load_state_dict({"layers.0.weight": [[2.0]], "layers.0.bias": [1.0]})
    inputs = [[-1.0], [0.0], [2.0]]
    history = nn.fit(model, inputs, [2 * x + 1 for (x,) in inputs], nn.mse_loss,
                     nn.SGD(model.parameters(), lr=0.1), epochs=50, tol=1e-6, progress=False)
    assert len(history) == 1 and history.stopped_by == "gradient norm below tol"
    assert history[0].grad_norm == 0.0 and history[0].loss == 0.0


def test_grad_norm_is_the_norm_of_every_parameters_gradient() -> None:
    """grad_norm = sqrt(Σ grad²) over the model's parameters after the epoch's backward."""
    inputs, targets = _xor()
    model = _model()
    history = nn.fit(model, inputs, targets, nn.mse_loss, nn.SGD(model.parameters(), lr=0.0),
                     epochs=1, progress=False)
    assert math.isclose(history[0].grad_norm, math.sqrt(sum(p.grad**2 for p in model.parameters())))


def test_mini_batches_step_once_per_batch_in_order() -> None:
    """batch_size=3 on 4 samples: two steps per epoch, the same as a hand loop over [0:3] and [3:4]."""
    inputs, targets = _xor()
    fitted, by_hand = _model(), _model()
    nn.fit(fitted, inputs, targets, nn.mse_loss, nn.SGD(fitted.parameters(), lr=0.1), epochs=2,
           batch_size=3, progress=False)
    optimizer = nn.SGD(by_hand.parameters(), lr=0.1)
    for _ in range(2):
        for start in (0, 3):
            loss = nn.mse_loss([by_hand(x) for x in inputs[start : start + 3]], targets[start : start + 3])
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
    assert fitted.state_dict() == by_hand.state_dict()


def test_epoch_loss_is_the_batch_losses_weighted_by_size() -> None:
    """With nothing learnt (lr 0), the epoch loss over batches of 3 and 1 is the full-batch loss."""
    inputs, targets = _xor()
    model = _model()
    full = nn.mse_loss([model(x) for x in inputs], targets).data
    history = nn.fit(model, inputs, targets, nn.mse_loss, nn.SGD(model.parameters(), lr=0.0), epochs=1,
                     batch_size=3, progress=False)
    assert math.isclose(history[0].loss, full, rel_tol=1e-15)


def test_classification_reports_accuracy_and_regression_does_not() -> None:
    """Multi-class targets get an accuracy (here 100% on blobs); real-valued targets get None."""
    points, classes = nn.datasets.blobs(30, seed=0)
    model = nn.MLP(2, [8, 3], seed=0)
    history = nn.fit(model, points, classes, nn.cross_entropy, nn.SGD(model.parameters(), lr=0.5),
                     epochs=40, progress=False)
    assert history[-1].accuracy == 1.0
    regression = nn.MLP(1, [1], seed=0)
    history = nn.fit(regression, [[0.0], [1.0]], [0.3, 2.5], nn.mse_loss,
                     nn.SGD(regression.parameters(), lr=0.1), epochs=1, progress=False)
    assert history[0].accuracy is None


def test_epochs_default_to_100_and_are_keyword_only() -> None:
    """Without epochs, fit runs 100 epochs; epochs cannot be given by position."""
    inputs, targets = _xor()
    model = _model()
    optimizer = nn.SGD(model.parameters(), lr=0.1)
    assert len(nn.fit(model, inputs, targets, nn.mse_loss, optimizer, progress=False)) == 100
    with pytest.raises(TypeError):
        nn.fit(model, inputs, targets, nn.mse_loss, optimizer, 5)  # type: ignore[call-arg]


def test_a_diverging_run_says_in_which_epoch() -> None:
    """An engine OverflowError or a refused optimizer step propagates as is, with a note naming the epoch."""
    inputs, targets = _xor()
    model = _model()
    with pytest.raises(OverflowError, match=r"overflows a float") as overflow:
        nn.fit(model, inputs, targets, nn.mse_loss, nn.SGD(model.parameters(), lr=1e150), progress=False)
    assert overflow.value.__notes__ == ["fit: epoch 3"]
    line = nn.MLP(1, [1])
    line.load_state_dict({"layers.0.weight": [[1.0]], "layers.0.bias": [0.0]})
    with pytest.raises(ValueError, match=r"^SGD.step: parameter .* would become -inf") as refused:
        nn.fit(line, [[2.0]], [0.0], nn.mse_loss, nn.SGD(line.parameters(), lr=1e308), progress=False)
    assert refused.value.__notes__ == ["fit: epoch 1"]


class _NeedsACode(ValueError):
    """An exception whose constructor takes more than a message, as many library errors do."""

    def __init__(self, message: str, *, code: int) -> None:
        super().__init__(message)
        self.code = code


@pytest.mark.parametrize(
    "error",
    [json.JSONDecodeError("Expecting value", "{", 1), _NeedsACode("bad target", code=7), KeyError("label")],
    ids=["JSONDecodeError", "keyword-only argument", "KeyError"],
)
def test_a_losss_own_error_propagates_unchanged_with_the_epoch(error: Exception) -> None:
    """The loss's own exception comes out: its type, message and attributes, and a note naming the epoch."""
    inputs, targets = _xor()
    model = _model()
    calls = []

    def loss(predictions: list[Value], batch: object) -> Value:
        calls.append(1)
        if len(calls) == 2:
            raise error
        return nn.mse_loss(predictions, batch)  # type: ignore[arg-type]

    message = str(error)
    with pytest.raises(type(error)) as raised:
        nn.fit(model, inputs, targets, loss, nn.SGD(model.parameters(), lr=0.1), epochs=3, progress=False)
    assert raised.value is error and str(raised.value) == message
    assert raised.value.__notes__ == ["fit: epoch 2"]


@pytest.mark.parametrize(
    ("predictions", "targets", "expected"),
    [
        ([[0.1, 0.9, 0.0], [2.0, 1.0, 0.0], [0.0, 0.0, 5.0]], [1, 1, 2], 2 / 3),
        ([Value(0.9), Value(0.2), Value(0.4), Value(0.6)], [1, 0, 1, 1], 3 / 4),
        ([-0.5, 0.1, 2.0], [-1, -1, 1], 2 / 3),
        ([0.5, 0.1], [0.25, 3.0], None),
        ([[0.5, 0.1], [0.0, 1.0]], [[1.0, 0.0], [0.0, 1.0]], None),
    ],
    ids=["argmax", "0/1 above 0.5", "-1/1 above 0", "real targets", "row targets"],
)
def test_accuracy_by_kind_of_target(
    predictions: list[object], targets: list[object], expected: float | None
) -> None:
    """Argmax for class numbers, 0.5 for 0/1 labels, 0 for -1/1 labels, None for anything else."""
    assert nn.accuracy(predictions, targets) == expected  # type: ignore[arg-type]


def _in_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make the captured stderr say it is a terminal, as a console's is."""
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)


def test_in_a_terminal_the_progress_bar_shows_loss_and_accuracy(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """progress=True draws a tqdm bar on a terminal's stderr, the loss to 4 digits; False prints nothing."""
    pytest.importorskip("tqdm")
    _in_a_terminal(monkeypatch)
    inputs, targets = _xor()
    model = _model()
    history = nn.fit(model, inputs, targets, nn.mse_loss, nn.SGD(model.parameters(), lr=0.1), epochs=3)
    err = capsys.readouterr().err
    assert "3/3" in err and f"loss={history[-1].loss:.4g}" in err and "accuracy=" in err
    nn.fit(model, inputs, targets, nn.mse_loss, nn.SGD(model.parameters(), lr=0.1), epochs=3, progress=False)
    assert capsys.readouterr() == ("", "")


def test_in_a_log_there_is_no_bar_only_a_plain_line_at_the_end(capsys: pytest.CaptureFixture[str]) -> None:
    """stderr not a terminal (a log file, a pipe): one line when training stops; no bar, no \\r."""
    inputs, targets = _xor()
    model = _model()
    history = nn.fit(model, inputs, targets, nn.mse_loss, nn.SGD(model.parameters(), lr=0.1), epochs=3)
    out, err = capsys.readouterr()
    assert out == "" and "\r" not in err and "|" not in err
    loss = f"{history[-1].loss:.4g}"
    expected = rf"fit: stopped after 3 epochs \(max epochs\) in \d+\.\d s, loss {loss}, accuracy 50%\n"
    assert re.fullmatch(expected, err), err


def test_a_long_run_in_a_log_writes_a_line_every_30_seconds(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A clock moving 20 s per look: a line at epoch 2 (40 s), none for the last epoch, then the end."""
    clock = iter(range(0, 10**6, 20))
    monkeypatch.setattr(time, "perf_counter", lambda: float(next(clock)))
    inputs, targets = _xor()
    model = _model()
    nn.fit(model, inputs, targets, nn.mse_loss, nn.SGD(model.parameters(), lr=0.1), epochs=3)
    lines = capsys.readouterr().err.splitlines()
    assert [line.split(",")[0] for line in lines] == [
        "fit: epoch 2/3", "fit: stopped after 3 epochs (max epochs) in 80.0 s"
    ]


def test_the_last_line_says_1_epoch_and_shows_a_tiny_loss(capsys: pytest.CaptureFixture[str]) -> None:
    """One epoch is "1 epoch"; a loss of 1e-10 reads as 1e-10, not as 0.000000."""
    model = nn.MLP(1, [1], seed=0)
    model.load_state_dict({"layers.0.weight": [[2.0]], "layers.0.bias": [1.0 + 1e-5]})
    inputs = [[-1.0], [0.0], [2.0]]
    history = nn.fit(model, inputs, [2 * x + 1 for (x,) in inputs], nn.mse_loss,
                     nn.SGD(model.parameters(), lr=0.0), epochs=1)
    err = capsys.readouterr().err
    assert math.isclose(history[0].loss, 1e-10, rel_tol=1e-3)
    assert "stopped after 1 epoch (max epochs)" in err and "loss 1e-10\n" in err


def test_without_tqdm_progress_is_plain_lines_even_in_a_terminal(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """When tqdm cannot be imported, fit still trains and reports in plain lines."""
    monkeypatch.setitem(sys.modules, "tqdm.auto", None)
    _in_a_terminal(monkeypatch)
    inputs, targets = _xor()
    model = _model()
    history = nn.fit(model, inputs, targets, nn.mse_loss, nn.SGD(model.parameters(), lr=0.1), epochs=3)
    assert len(history) == 3
    out, err = capsys.readouterr()
    assert out == "" and err.startswith("fit: stopped after 3 epochs") and err.count("\n") == 1


def test_in_a_notebook_the_bar_is_drawn_though_stderr_is_no_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    """tqdm.auto picked its notebook bar (Jupyter's stderr is no terminal): fit uses it."""
    auto = pytest.importorskip("tqdm.auto")
    bars: list[dict[str, object]] = []

    class NotebookBar:
        def __init__(self, **options: object) -> None:
            bars.append(options)

        def set_postfix(self, shown: dict[str, str], refresh: bool) -> None:
            pass

        def update(self, n: int) -> None:
            pass

        def close(self) -> None:
            pass

    monkeypatch.setattr(auto, "notebook_tqdm", NotebookBar)
    monkeypatch.setattr(auto, "tqdm", NotebookBar)
    inputs, targets = _xor()
    model = _model()
    nn.fit(model, inputs, targets, nn.mse_loss, nn.SGD(model.parameters(), lr=0.1), epochs=3)
    assert bars == [{"total": 3, "desc": "fit", "unit": "epoch", "leave": True}]


@pytest.mark.parametrize(
    ("arguments", "error", "message"),
    [
        ({"y": [1.0]}, ValueError, "the same length, got 4 inputs and 1 targets"),
        ({"epochs": 0}, ValueError, "fit: epochs must be at least 1"),
        ({"epochs": 2.0}, TypeError, "fit: epochs must be an int"),
        ({"batch_size": 0}, ValueError, "fit: batch_size must be at least 1"),
        ({"tol": -1.0}, ValueError, "fit: tol must be a finite number >= 0"),
        ({"tol": "small"}, TypeError, "fit: tol must be a number or None"),
        ({"tol": math.nan}, ValueError, "fit: tol must be a finite number >= 0, got nan"),
        ({"tol": 10**400}, OverflowError, "fit: tol is too large for a float"),
        ({"batch_size": 2.5}, TypeError, "fit: batch_size must be an int, got float"),
    ],
)
def test_bad_arguments_are_refused_before_training(
    arguments: dict[str, object], error: type[Exception], message: str
) -> None:
    """Mismatched data, non-positive epochs or batch sizes and bad tol: an error naming fit, no step taken."""
    inputs, targets = _xor()
    model = _model()
    before = model.state_dict()
    call: dict[str, object] = {"y": targets, "epochs": 5, "progress": False, **arguments}
    with pytest.raises(error) as raised:
        nn.fit(model, X=inputs, loss=nn.mse_loss, optimizer=nn.SGD(model.parameters(), lr=0.1),
               **call)  # type: ignore[arg-type]
    assert message in str(raised.value)
    assert model.state_dict() == before
