"""Each demo's main() runs (shortened where it trains) and prints what it promises."""

from __future__ import annotations

import importlib
import re
import types
from pathlib import Path

import pytest

import demos
import nn
from demos import __main__ as run_all
from demos import moons, rnn_bptt, seed000_network, seed001_mlp, seed003_backprop, seed004_losses
from demos.output import print_losses
from demos.state import flat, layer_weights


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Demos write pictures to out/ under the current directory: keep them out of the repo."""
    monkeypatch.chdir(tmp_path)


def _numbers_after(label: str, text: str) -> list[float]:
    line = next(line for line in text.splitlines() if label in line)
    return [float(x) for x in re.findall(r"-?\d+\.\d+(?:e[-+]\d+)?", line.split(label, 1)[1])]


def test_seed003_prints_the_seeds_numbers_and_its_steps(capsys: pytest.CaptureFixture[str]) -> None:
    """Ours and the seed's lines agree to the seed's 4 digits; the backward is shown step by step."""
    seed003_backprop.main(pictures=False)
    out = capsys.readouterr().out
    assert "The code is the oracle" in out
    assert "step 14: z0_0 = w0_0_0*0.05 + w0_0_1*0.1 + b0_0" in out
    ours_lines = [line for line in out.splitlines() if re.match(r"\s+\S+\s+ours ", line)]
    seed_lines = [line for line in out.splitlines() if re.match(r"\s+seed ", line)]
    assert len(ours_lines) == len(seed_lines) == 8
    for ours, seed in zip(ours_lines, seed_lines):
        rounded = [round(x, 4) for x in _numbers_after(" ours ", ours)]
        assert rounded == _numbers_after(" seed ", seed), (ours, seed)
    differences = [float(x) for x in re.findall(r"largest difference from backward (\S+)", out)]
    assert len(differences) == 4 and max(differences) < 1e-12


def test_seed003_draws_its_graph(capsys: pytest.CaptureFixture[str]) -> None:
    """With pictures on, the SVG and the HTML replay land in out/."""
    seed003_backprop.main(steps=False)
    assert "<svg" in Path("out/seed003_graph.svg").read_text(encoding="utf-8")
    assert "<html" in Path("out/seed003_replay.html").read_text(encoding="utf-8").lower()
    assert "Wrote out/seed003_graph.svg and out/seed003_replay.html" in capsys.readouterr().out


def test_seed000_prints_every_partial_and_trains(capsys: pytest.CaptureFixture[str]) -> None:
    """Twelve formulas with matching numbers, the corrected backward agreeing, then a falling XOR loss."""
    seed000_network.main(epochs=60)
    out = capsys.readouterr().out
    assert out.count("∂L/∂") >= 12
    differences = [float(x) for x in re.findall(r"largest difference:? (\S+)", out)]
    assert len(differences) == 5 and max(differences) < 1e-12
    losses = [float(x) for x in re.findall(r"loss (\d+\.\d+)", out)]
    assert losses[-1] < losses[0]


def test_seed001_loss_falls(capsys: pytest.CaptureFixture[str]) -> None:
    """A short run of the 2-4-1 sigmoid MLP still lowers the MSE."""
    seed001_mlp.main(epochs=20, lr=0.5, n=20)
    losses = [float(x) for x in re.findall(r"loss (\d+\.\d+)", capsys.readouterr().out)]
    assert len(losses) >= 2 and losses[-1] < losses[0]


def test_seed004_prints_each_loss_and_every_stopping_rule(capsys: pytest.CaptureFixture[str]) -> None:
    """Every loss line shows equal numbers; the runs stop by max epochs, loss change and gradient norm."""
    seed004_losses.main()
    out = capsys.readouterr().out
    pairs = re.findall(r"= (-?\d+\.\d+) \| (-?\d+\.\d+)", out)
    assert len(pairs) == 5 and all(by_hand == value for by_hand, value in pairs)
    stops = re.findall(r"stopped after\s+(\d+) epochs \(([a-z ]+)\)", out)
    assert {rule for _, rule in stops} == {"max epochs", "loss change below tol", "gradient norm below tol"}
    assert stops[0] == ("1000", "max epochs")


def test_moons_trains_and_draws(capsys: pytest.CaptureFixture[str]) -> None:
    """A few epochs of the moons demo run, report accuracy and leave out/moons.png."""
    moons.main(epochs=3)
    out = capsys.readouterr().out
    assert "Final training accuracy" in out
    pytest.importorskip("matplotlib")
    assert Path("out/moons.png").read_bytes().startswith(b"\x89PNG")


def test_rnn_bptt_gradients_match_finite_differences(capsys: pytest.CaptureFixture[str]) -> None:
    """The RNN demo's full-BPTT gradients agree with central differences, and training runs."""
    rnn_bptt.main(epochs=5)
    out = capsys.readouterr().out
    assert _numbers_after("largest |backprop - finite difference| =", out)[0] < 1e-6
    assert _numbers_after("largest |truncated - full| =", out)[0] > 1e-3
    losses = [float(x) for x in re.findall(r"loss (\d+\.\d+)", out)]
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
    run_all.main()
    assert ran == [f"demos.{name}" for name in run_all.DEMOS]
    assert capsys.readouterr().out.count("demos/") == len(run_all.DEMOS)


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
    """Every (n // rows)-th epoch, then the last, with epoch numbers right-aligned to the widest."""
    print_losses([1.0 / 2**k for k in range(10)] + [0.0005], rows=5)
    lines = capsys.readouterr().out.splitlines()
    assert [line.split()[1] for line in lines] == ["0", "2", "4", "6", "8", "10"]
    assert lines[0] == "  epoch  0  loss 1.000000" and lines[-1] == "  epoch 10  loss 0.000500"
