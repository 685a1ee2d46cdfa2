"""Each demo's main() runs (shortened where it trains) and prints what it promises."""

from __future__ import annotations

import importlib
import re
import statistics
import types
from pathlib import Path

import pytest

import demos
import nn
from demos import __main__ as run_all
from demos import linear_network, losses_and_stopping, moons, output, rnn_bptt, sigmoid_mlp, sigmoid_network
from demos.output import print_losses
from demos.state import flat, layer_weights


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Demos write pictures to out/ under the current directory: keep them out of the repo."""
    monkeypatch.chdir(tmp_path)


def _numbers_after(label: str, text: str) -> list[float]:
    line = next(line for line in text.splitlines() if label in line)
    return [float(x) for x in re.findall(r"-?\d+(?:\.\d+)?(?:e[-+]\d+)?", line.split(label, 1)[1])]


def _prose(text: str) -> str:
    """The text with every run of spaces and line breaks as one space: paragraphs are filled to a width."""
    return " ".join(text.split())


def _epoch_losses(text: str) -> list[float]:
    return [float(x) for x in re.findall(r"epoch +\d+  loss +(\S+)", text)]


def test_sigmoid_network_prints_the_printed_numbers_and_its_steps(capsys: pytest.CaptureFixture[str]) -> None:
    """Ours and the printed lines agree to the printout's 4 digits; the backward is shown step by step."""
    sigmoid_network.main(pictures=False)
    out = capsys.readouterr().out
    assert "we follow the code, whose printed numbers we reproduce" in _prose(out)
    assert "step 14: z0_0 = w0_0_0*x0 + w0_0_1*x1 + b0_0" in out
    lines = out.splitlines()
    pairs = [(lines[i - 1], line) for i, line in enumerate(lines) if re.match(r"\s+printed ", line)]
    assert len(pairs) == 8
    for ours, printed in pairs:
        assert re.match(r"\s+\S+\s+ours ", ours), ours
        assert ours.index("ours") == printed.index("printed")
        rounded = [round(x, 4) for x in _numbers_after(" ours ", ours)]
        assert rounded == _numbers_after(" printed ", printed), (ours, printed)
    differences = [float(x) for x in re.findall(r"^  layers\.\d\.\w+ +(\S+)  \[", out, re.MULTILINE)]
    assert len(differences) == 4 and max(differences) < 1e-12


def test_sigmoid_network_draws_its_graph_and_replay(capsys: pytest.CaptureFixture[str]) -> None:
    """With pictures on, the SVG and the HTML replay land in out/ and are recorded with what they show."""
    sigmoid_network.main(steps=False)
    assert "<svg" in Path("out/sigmoid_network_graph.svg").read_text(encoding="utf-8")
    assert "<html" in Path("out/sigmoid_network_replay.html").read_text(encoding="utf-8").lower()
    out = capsys.readouterr().out
    replay = "out/sigmoid_network_replay.html"
    assert f"Wrote {replay} (open in a browser: the backward pass one step per frame)" in out
    recorded = {str(entry.path): entry.how_to_open for entry in output.written()}
    assert recorded["out/sigmoid_network_graph.svg"] == recorded[replay] == "open in a browser"


def test_linear_network_prints_every_partial_and_trains(capsys: pytest.CaptureFixture[str]) -> None:
    """Twelve totals dL/d.. by the chain rule, by hand = engine; the fixed backward agrees; the loss falls."""
    linear_network.main(epochs=60)
    out = capsys.readouterr().out
    assert out.count("dL/d") >= 24 and "∂L/∂" not in out  # a total is d, never ∂
    rows = re.findall(r"^  (dL/d\w+) +=.* (\S+) +(\S+)$", out, re.MULTILINE)
    assert len(rows) == 12 and all(by_hand == engine for _, by_hand, engine in rows)
    differences = [float(x) for x in re.findall(r"largest difference:? (\S+)", out)]
    assert len(differences) == 5 and max(differences) < 1e-12
    losses = _epoch_losses(out)
    assert losses[0] == 1.234 and losses[-1] < losses[0]


@pytest.mark.slow
def test_sigmoid_mlp_learns_the_product_and_the_slow_rate_not(capsys: pytest.CaptureFixture[str]) -> None:
    """At lr 8 the loss ends far below the predict-the-mean floor; at lr 0.01 it stays above it."""
    sigmoid_mlp.main()
    out = capsys.readouterr().out
    losses = _epoch_losses(out)
    floor = _numbers_after("would score", out)[0]
    assert losses[-1] < floor / 10 < losses[0]
    assert "still worse than always predicting the mean" in _prose(out)
    predictions = re.findall(r"^ +(\d\.\d{3}) +(\d\.\d{3}) +(\d\.\d{4}) +(\d\.\d{4})$", out, re.MULTILINE)
    assert len(predictions) == 6
    assert all(abs(float(t) - float(p)) < 0.1 for *_, t, p in predictions)


def test_sigmoid_mlp_on_random_targets_reaches_their_variance_and_no_lower() -> None:
    """Random targets: the loss ends within 1% of their variance, all predictions near their mean."""
    model, inputs, targets, losses = sigmoid_mlp.train(50, random_targets=True)
    variance, mean = statistics.pvariance(targets), statistics.mean(targets)
    assert abs(losses[-1] - variance) < 0.01 * variance
    predictions = [float(model(x)) for x in inputs]
    assert all(abs(p - mean) < 0.02 for p in predictions)


@pytest.mark.slow
def test_losses_and_stopping_shows_each_loss_and_every_rule(capsys: pytest.CaptureFixture[str]) -> None:
    """Every loss line shows equal numbers; the runs stop by each rule, in a table whose columns line up."""
    losses_and_stopping.main()
    out = capsys.readouterr().out
    pairs = re.findall(r"^  \w+ +(-?\d+\.\d+) +(-?\d+\.\d+)  ", out, re.MULTILINE)
    assert len(pairs) == 5 and all(by_hand == value for by_hand, value in pairs)
    table = [line for line in out.splitlines() if re.match(r"  (tol=|again)", line)]
    stops = [re.split(r"\s{2,}", line.strip()) for line in table]
    assert {stop[2] for stop in stops} == {"max epochs", "loss change below tol", "gradient norm below tol"}
    assert stops[0][:3] == ["tol=None", "1000", "max epochs"]
    assert stops[3][:3] == ["again", "1", "gradient norm below tol"]
    assert "stops after 1 epoch." in _prose(out)
    assert float(stops[0][3]) < 1e-12  # a tiny loss shows in significant digits, not as 0.000000
    header = next(line for line in out.splitlines() if line.startswith("  rule"))
    assert all(len(line) == len(header) for line in table)  # the columns line up
    assert all(line.index("%") == header.index("accuracy") + len("accuracy") - 1 for line in table)


@pytest.mark.slow
def test_moons_trains_and_draws(capsys: pytest.CaptureFixture[str]) -> None:
    """A few epochs of the moons demo run, report accuracy and leave out/moons.png."""
    moons.main(epochs=3)
    out = capsys.readouterr().out
    assert "Final training accuracy" in out
    pytest.importorskip("matplotlib")
    assert Path("out/moons.png").read_bytes().startswith(b"\x89PNG")


@pytest.mark.slow
def test_moons_reaches_100_percent_training_accuracy() -> None:
    """The demo's own run, 50 epochs, classifies every training point right; a straight line cannot."""
    model, inputs, labels, history = moons.train(progress=False)
    assert len(history) == moons.EPOCHS
    assert moons.accuracy(model, inputs, labels) == 1.0
    assert moons.train_linear() < 0.95


def test_rnn_bptt_gradients_match_finite_differences(capsys: pytest.CaptureFixture[str]) -> None:
    """The RNN demo's full-BPTT gradients agree with central differences, and training runs."""
    rnn_bptt.main(epochs=5)
    out = capsys.readouterr().out
    assert _numbers_after("largest |backprop - finite difference| =", out)[0] < 1e-6
    assert _numbers_after("largest |truncated - full| =", out)[0] > 1e-3
    losses = _epoch_losses(out)
    assert losses[-1] < losses[0]


def test_every_demo_is_listed_once_and_run_in_order(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """DEMOS names each demo (not the helpers output and state) once; python -m demos runs them in order."""
    folder = Path(demos.__file__).parent
    files = {path.stem for path in folder.glob("*.py")} - {"__init__", "__main__", "output", "state"}
    assert sorted(run_all.DEMOS) == sorted(files)
    ran: list[str] = []

    def fake_import(name: str) -> types.SimpleNamespace:
        return types.SimpleNamespace(main=lambda: ran.append(name))

    monkeypatch.setattr(importlib, "import_module", fake_import)
    monkeypatch.setattr(output, "_WRITTEN", {})
    run_all.main()
    assert ran == [f"demos.{name}" for name in run_all.DEMOS]
    out = capsys.readouterr().out
    assert out.count("demos/") == len(run_all.DEMOS)
    assert re.search(rf"\n{len(run_all.DEMOS)} demos in \d+\.\d s\.\n", out)
    assert out.rstrip().endswith("No pictures or pages were written.")


def test_python_m_demos_ends_with_each_file_written_and_what_it_shows(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The files demos record (not whatever is in out/) are listed once each, aligned, with how to open."""
    monkeypatch.setattr(output, "_WRITTEN", {})
    monkeypatch.setattr(run_all, "DEMOS", ["one"])
    Path("out").mkdir()
    Path("out/stale.svg").write_text("<svg/>", encoding="utf-8")

    def demo() -> None:
        output.record(output.out_path("a_graph.svg"), "a graph")
        output.record(output.out_path("plot.png"), "a plot")
        output.record(output.out_path("a_graph.svg"), "a graph, drawn again")

    monkeypatch.setattr(importlib, "import_module", lambda name: types.SimpleNamespace(main=demo))
    run_all.main()
    listing = capsys.readouterr().out.split("Pictures and pages written:\n", 1)[1].splitlines()
    assert listing == [
        "  out/a_graph.svg  open in a browser: a graph, drawn again",
        "  out/plot.png     open in an image viewer: a plot",
    ]


def test_layer_weights_are_each_neurons_numbers_as_rows() -> None:
    """layer_weights reads the state dict: row j of layer i is neuron j's weights, then the biases."""
    model = nn.MLP(3, [4, 2], seed=0)
    by_neuron = [
        ([[w.data for w in n.weight] for n in layer.neurons], [n.bias.data for n in layer.neurons])
        for layer in model.layers
    ]
    assert layer_weights(model) == by_neuron


def test_flat_reads_numbers_rows_first() -> None:
    """A number, a vector and rows, flattened in state-dict order."""
    assert flat(2.0) == [2.0]
    assert flat([1.0, 2.0]) == [1.0, 2.0]
    assert flat([[1.0, 2.0], [3.0, 4.0]]) == [1.0, 2.0, 3.0, 4.0]


def test_print_losses_shows_spaced_epochs_and_always_the_last(capsys: pytest.CaptureFixture[str]) -> None:
    """Every (n // rows)-th epoch from 1, then the last, right-aligned; tiny losses in significant digits."""
    print_losses([1.0 / 2**k for k in range(10)] + [3e-9], rows=5)
    lines = capsys.readouterr().out.splitlines()
    assert [line.split()[1] for line in lines] == ["1", "3", "5", "7", "9", "11"]
    assert lines[0] == "  epoch  1  loss         1" and lines[1] == "  epoch  3  loss      0.25"
    assert lines[-1] == "  epoch 11  loss     3e-09"
    assert len({len(line) for line in lines}) == 1
