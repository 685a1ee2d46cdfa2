"""demos/tanh_neuron.py: every gradient it prints agrees by hand and by the engine, at the known values."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from demos import tanh_neuron

# Karpathy's neuron: o = tanh(0.8814) = 0.7071, so 1 - o² = 0.5 and each gradient is 0.5 times a factor.
EXPECTED = {"n": 0.5, "b": 0.5, "w1": 1.0, "x1": -1.5, "w2": 0.0, "x2": 0.5}


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The demo writes its picture to out/ under the current folder: keep it out of the repo."""
    monkeypatch.chdir(tmp_path)


def test_each_gradient_by_hand_matches_the_engine(capsys: pytest.CaptureFixture[str]) -> None:
    """Each do/dv line is a total: do/dn times a local ∂n/∂v, the same number by hand and by the engine."""
    tanh_neuron.main()
    out = capsys.readouterr().out
    assert "o = 0.707107" in out
    rows = re.findall(r"^  do/d(\w+) += (.*?) = (-?[\d.e+-]+) +(-?[\d.e+-]+)$", out, re.MULTILINE)
    assert {name for name, *_ in rows} == set(EXPECTED)
    for name, formula, by_hand, engine in rows:
        assert f"do/dn · ∂n/∂{name}" in formula or (name == "n" and "∂o/∂n" in formula), formula
        assert float(by_hand) == float(engine) == pytest.approx(EXPECTED[name], abs=1e-12), name
    assert "do/dw1 = do/dn · ∂n/∂w1 = (1 - o²) · x1" in out
    assert "∂o/∂w1" not in out  # a total is written with d, a local derivative with ∂
    worst = re.search(r"largest difference, engine vs by hand: (\S+)", out)
    assert worst is not None and float(worst.group(1)) < 1e-12


def test_the_graph_is_drawn_and_recorded(capsys: pytest.CaptureFixture[str]) -> None:
    """out/tanh_neuron.svg holds the neuron's graph with its leaves' names, and says what it shows."""
    tanh_neuron.main()
    assert "Wrote out/tanh_neuron.svg (open in a browser: " in capsys.readouterr().out
    svg = Path("out/tanh_neuron.svg").read_text(encoding="utf-8")
    assert all(f">{name}<" in svg for name in ("x1", "w1", "x2", "w2", "b", "n", "o"))
