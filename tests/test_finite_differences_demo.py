"""The finite-differences demo: its table, its cost model (two passes per weight), its agreement."""

from __future__ import annotations

from pathlib import Path

import pytest

from autograd import Value
from autograd.numerical import numerical_grad
from demos import finite_differences


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The demo draws to out/ under the current directory: keep it out of the repo."""
    monkeypatch.chdir(tmp_path)


def test_table_has_a_row_per_size_and_the_gradients_agree(capsys: pytest.CaptureFixture[str]) -> None:
    """Small sizes: the header, one row per width with its parameter count, FD equal to backprop."""
    measurements = finite_differences.main(sizes=(1, 3, 6), picture=False)
    lines = capsys.readouterr().out.splitlines()
    header_line = next(line for line in lines if "params" in line)
    header = header_line.split()
    assert header[:8] == ["w", "params", "forward", "backward", "bwd/fwd", "passes", "FD", "FD/bwd"]
    row_lines = [line for line in lines if line.split()[:1] in (["1"], ["3"], ["6"])]
    rows = [line.split() for line in row_lines]
    assert [row[1] for row in rows] == ["9", "31", "79"]  # w**2 + 7w + 1 for MLP(4, [w, w, 1])
    assert [row[5] for row in rows] == ["18", "62", "158"]  # two forward passes per parameter
    assert all(len(line) == len(header_line) for line in row_lines)  # the columns line up
    assert any(line.startswith("From 9 to 79 parameters") for line in lines)
    assert [m.params for m in measurements] == [9, 31, 79]
    assert all(m.max_difference < 1e-8 for m in measurements)


def test_finite_differences_run_the_network_twice_per_parameter() -> None:
    """The cost in the argument for backprop, counted: 2 forward passes per parameter, whatever the net."""
    parameters = [Value(0.1 * k) for k in range(7)]
    calls = []

    def loss() -> Value:
        calls.append(1)
        return sum((p * p for p in parameters), Value(0.0))

    finite_differences.finite_difference_gradient(loss, parameters)
    assert len(calls) == 2 * len(parameters)


def test_finite_difference_gradient_matches_numerical_grad() -> None:
    """Nudging parameters in place gives numerical_grad's answer and leaves them as they were."""
    w, b = Value(0.3), Value(-0.2)
    gradient = finite_differences.finite_difference_gradient(lambda: (w * 2.0 + b).tanh(), [w, b])
    assert gradient == pytest.approx(
        numerical_grad(lambda v, c: (v * 2.0 + c).tanh(), [0.3, -0.2]), abs=1e-12
    )
    assert (w.data, b.data) == (0.3, -0.2)


def test_the_default_sizes_make_the_point_quickly() -> None:
    """The demo's widths span a 10x range of parameter counts, small enough to time in a few seconds."""
    params = [width**2 + 7 * width + 1 for width in finite_differences.SIZES]
    assert params[-1] >= 10 * params[0] and params[-1] < 500


def test_the_plot_is_written_when_matplotlib_is_installed(capsys: pytest.CaptureFixture[str]) -> None:
    """With matplotlib, out/finite_differences.png is a PNG, recorded with what it shows."""
    pytest.importorskip("matplotlib")
    finite_differences.main(sizes=(1, 2))
    assert "Wrote out/finite_differences.png (open in an image viewer: " in capsys.readouterr().out
    assert Path("out/finite_differences.png").read_bytes().startswith(b"\x89PNG")
