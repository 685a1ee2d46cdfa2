"""``fit``: the training loop, with a progress report and the usual stopping rules.

Each epoch runs over the data in order, in batches: forward, loss, ``zero_grad``,
``backward``, ``step``. Training stops after ``epochs`` epochs, or earlier when ``tol`` is
given and the epoch loss changes by less than ``tol``, or the gradient's norm falls below it.
Progress is a tqdm bar in a terminal or a notebook, and plain lines anywhere else (a log file
is no place for a bar redrawn with carriage returns).
"""

from __future__ import annotations

import math
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from autograd import Value
from nn.checks import check_count, check_nonnegative
from nn.optim import Optimizer

__all__ = ["Model", "Epoch", "History", "fit", "accuracy"]

MAX_EPOCHS = "max epochs"
LOSS_CHANGE = "loss change below tol"
GRAD_NORM = "gradient norm below tol"


class Model(Protocol):
    """What ``fit`` trains: called on one sample, it returns a Value or a list of Values."""

    def __call__(self, inputs: Sequence[Value | float]) -> Value | list[Value]: ...

    def parameters(self) -> list[Value]: ...


@dataclass(frozen=True)
class Epoch:
    """One epoch's numbers: the mean loss over its batches, the accuracy, the gradient's norm."""

    epoch: int  # 1 for the first
    loss: float
    accuracy: float | None  # None where the targets are not class labels
    grad_norm: float  # sqrt(Σ grad²) over the parameters, after the epoch's last backward


@dataclass
class History:
    """What ``fit`` did: one ``Epoch`` per epoch run, and which rule stopped it."""

    epochs: list[Epoch] = field(default_factory=list)
    stopped_by: str = MAX_EPOCHS  # "max epochs", "loss change below tol" or "gradient norm below tol"

    @property
    def losses(self) -> list[float]:
        """The loss of each epoch, to plot."""
        return [epoch.loss for epoch in self.epochs]

    def __len__(self) -> int:
        return len(self.epochs)

    def __getitem__(self, index: int) -> Epoch:
        return self.epochs[index]


def accuracy(
    predictions: Sequence[Value | float | Sequence[Value | float]], targets: Sequence[Any]
) -> float | None:
    """The share of predictions that name the right class, or None for targets that are not classes.

    A list of outputs is right when its largest is at the target (an int class). One output
    is a yes or no: above 0.5 for 0/1 targets (a probability, or a regression onto 0 and 1),
    above 0 for -1/1 targets (a hinge score). Any other targets are values, not classes.

    >>> accuracy([Value(0.9), Value(0.2), Value(0.7)], [1, 0, 0])
    0.6666666666666666
    """
    if len(predictions) != len(targets) or not targets:
        raise ValueError(f"accuracy: {len(predictions)} predictions for {len(targets)} targets")
    if all(isinstance(p, Sequence) for p in predictions):
        if not all(isinstance(t, int) and not isinstance(t, bool) for t in targets):
            return None
        rows: Sequence[Sequence[Value | float]] = predictions  # type: ignore[assignment]
        hits = [max(range(len(row)), key=lambda i: float(row[i])) == t for row, t in zip(rows, targets)]
        return float(sum(hits)) / len(hits)
    if not all(isinstance(t, int | float) for t in targets):
        return None
    labels = {float(t) for t in targets}
    if labels <= {0.0, 1.0}:
        threshold = 0.5
    elif labels <= {-1.0, 1.0}:
        threshold = 0.0
    else:
        return None
    scores: Sequence[Value | float] = predictions  # type: ignore[assignment]
    hits = [(float(score) > threshold) == (t == 1) for score, t in zip(scores, targets)]
    return float(sum(hits)) / len(hits)


def fit(
    model: Model,
    X: Sequence[Sequence[Value | float]],
    y: Sequence[Any],
    loss: Callable[[list[Any], Sequence[Any]], Value],
    optimizer: Optimizer,
    *,
    epochs: int = 100,
    tol: float | None = None,
    batch_size: int | None = None,
    progress: bool = True,
) -> History:
    """Train ``model`` on inputs ``X`` and targets ``y``; returns the ``History``.

    ``loss(predictions, targets)`` gets a batch of the model's outputs and the matching
    targets (``nn.mse_loss``, ``nn.cross_entropy``...). ``batch_size`` None uses the whole
    set each step. With ``progress``, a tqdm bar on stderr shows the loss and accuracy in a
    terminal or a notebook when tqdm is installed (``pip install glassgrad[demo]``); anywhere
    else (stderr a file or a pipe, or no tqdm) fit writes plain lines to stderr instead: one
    every 30 seconds while it trains, and one when it stops. An error on
    the way (a diverging run: exp overflowing, a step to inf; or the loss's own) propagates
    unchanged, the same exception object, with a note naming the epoch (``fit: epoch 3``,
    shown under its traceback and kept in ``error.__notes__``).
    """
    _check_arguments(X, y, epochs, tol, batch_size)
    size = batch_size or len(X)
    batches = [(list(X[i : i + size]), list(y[i : i + size])) for i in range(0, len(X), size)]
    parameters = model.parameters()
    history = History()
    report = _progress(epochs) if progress else None
    try:
        for epoch in range(1, epochs + 1):
            total_loss, predictions = 0.0, []
            for inputs, targets in batches:
                try:
                    outputs = [model(x) for x in inputs]
                    batch_loss = loss(outputs, targets)
                    optimizer.zero_grad()
                    batch_loss.backward()
                    optimizer.step()
                except Exception as error:
                    # A note, not a new exception: rebuilding type(error) from a message breaks
                    # on constructors that take other arguments (json.JSONDecodeError).
                    error.add_note(f"fit: epoch {epoch}")
                    raise
                total_loss += batch_loss.data * len(inputs)
                predictions += [_numbers(output) for output in outputs]  # numbers only: the graph can go
            grad_norm = math.sqrt(sum(p.grad * p.grad for p in parameters))
            record = Epoch(epoch, total_loss / len(X), accuracy(predictions, y), grad_norm)
            history.epochs.append(record)
            if report is not None:
                report.update(record)
            stop = _stopping_rule(history, tol)
            if stop is not None:
                history.stopped_by = stop
                break
        if report is not None:
            report.finish(history)
    finally:
        if report is not None:
            report.close()
    return history


def _numbers(output: Value | list[Value]) -> float | list[float]:
    return output.data if isinstance(output, Value) else [value.data for value in output]


def _stopping_rule(history: History, tol: float | None) -> str | None:
    """Which stopping rule, if any, stops training after the last epoch."""
    if tol is None:
        return None
    last = history.epochs[-1]
    if last.grad_norm < tol:
        return GRAD_NORM
    if len(history.epochs) > 1 and abs(history.epochs[-2].loss - last.loss) < tol:
        return LOSS_CHANGE
    return None


def _summary(record: Epoch) -> str:
    """An epoch's loss to 4 significant digits (a tiny loss still shows) and its accuracy."""
    accuracy = "" if record.accuracy is None else f", accuracy {record.accuracy:.0%}"
    return f"loss {record.loss:.4g}{accuracy}"


def _epochs(count: int) -> str:
    return f"{count} epoch" if count == 1 else f"{count} epochs"


class _Progress(Protocol):
    def update(self, record: Epoch) -> None: ...

    def finish(self, history: History) -> None: ...

    def close(self) -> None: ...


class _Bar:
    """A tqdm bar over the epochs, with the loss and accuracy beside it."""

    def __init__(self, tqdm: Any, epochs: int) -> None:
        self._bar = tqdm(total=epochs, desc="fit", unit="epoch", leave=True)

    def update(self, record: Epoch) -> None:
        shown = {"loss": f"{record.loss:.4g}"}
        if record.accuracy is not None:
            shown["accuracy"] = f"{record.accuracy:.0%}"
        self._bar.set_postfix(shown, refresh=False)
        self._bar.update(1)

    def finish(self, history: History) -> None:
        pass  # the bar shows how far it got

    def close(self) -> None:
        self._bar.close()


class _Lines:
    """Plain lines for a log: one every ``interval`` seconds while training, one at the end."""

    def __init__(self, stream: Any, epochs: int, interval: float = 30.0) -> None:
        self._stream, self._epochs, self._interval = stream, epochs, interval
        self._started = self._written = time.perf_counter()

    def update(self, record: Epoch) -> None:
        now = time.perf_counter()
        if now - self._written >= self._interval and record.epoch < self._epochs:
            self._written = now
            self._write(f"fit: epoch {record.epoch}/{self._epochs}, {_summary(record)}")

    def finish(self, history: History) -> None:
        seconds = time.perf_counter() - self._started
        self._write(f"fit: stopped after {_epochs(len(history))} ({history.stopped_by}) in {seconds:.1f} s, "
                    f"{_summary(history[-1])}")

    def close(self) -> None:
        pass

    def _write(self, line: str) -> None:
        sys.stdout.flush()  # what was printed before comes first, in a log that holds both
        print(line, file=self._stream, flush=True)


def _progress(epochs: int) -> _Progress | None:
    """A tqdm bar in a terminal or notebook when tqdm is installed; else plain lines; None without stderr."""
    stream = sys.stderr
    if stream is None:  # pythonw, or a closed-off service: nowhere to report
        return None
    tqdm = _tqdm_for_display(stream)
    return _Bar(tqdm, epochs) if tqdm is not None else _Lines(stream, epochs)


def _tqdm_for_display(stream: Any) -> Any:
    """tqdm's class, when it is installed and ``stream`` is a terminal or we are in a notebook."""
    try:
        import tqdm.auto
    except ImportError:
        return None
    in_notebook = getattr(tqdm.auto, "notebook_tqdm", None) is not getattr(tqdm.auto, "std_tqdm", None)
    return tqdm.auto.tqdm if in_notebook or _is_terminal(stream) else None


def _is_terminal(stream: Any) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):  # no isatty, or a closed stream
        return False


def _check_arguments(
    X: Sequence[object], y: Sequence[object], epochs: object, tol: object, batch_size: object
) -> None:
    if not isinstance(X, Sequence) or not isinstance(y, Sequence) or len(X) != len(y) or not X:
        raise ValueError(f"fit: X and y must be non-empty sequences of the same length, got "
                         f"{_length(X)} inputs and {_length(y)} targets")
    check_count("fit", "epochs", epochs)
    if batch_size is not None:
        check_count("fit", "batch_size", batch_size)
    if tol is not None:
        check_nonnegative("fit", "tol", tol, expected="a number or None")


def _length(x: object) -> str:
    return str(len(x)) if isinstance(x, Sequence) else type(x).__name__
