"""Golden outputs of the pictures: the DOT source (with its tooltips), the SVG's texts, the replay's frames.

These are snapshots (syrupy): an intended change to what a learner sees is one reviewed
``pytest --snapshot-update``, and an unintended one fails here. The SVG is reduced to its texts
(labels, titles, tooltips), never coordinates, since the layout comes from the WebAssembly
Graphviz here and may come from a system ``dot`` elsewhere.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ElementTree

from syrupy.assertion import SnapshotAssertion

from autograd import Value, draw, to_html, to_svg

_SVG = "{http://www.w3.org/2000/svg}"
_XLINK_TITLE = "{http://www.w3.org/1999/xlink}title"


def _canonical() -> Value:
    """One small graph with every feature the pictures draw differently.

    ``x**3`` (a power: the op shows its exponent), ``2*x`` (a constant, and x used twice: fan-out),
    ``-`` and ``/`` (non-commutative: each operand has its own local derivative), labelled nodes
    (x, e), unlabelled ones (an input named x1, interior nodes v1, v2) and a root whose label holds
    a newline.
    """
    x = Value(1.5, "x")
    w = Value(-0.5)
    e = x**3 - 2 * x
    e.label = "e"
    loss = e / w
    loss.label = "loss\nsum"
    return loss


def _svg_texts(svg: str) -> dict[str, object]:
    """What a reader can see or hover in an SVG, element by element: no coordinates, no styling.

    Each node and edge (keyed by its id) gives its class, its title, its texts (stripped: the
    padding of edge labels is pinned by the DOT source) and its tooltips (each once, in order).
    """
    graph = ElementTree.fromstring(svg.encode("utf-8")).find(f"{_SVG}g")
    assert graph is not None, "an SVG from Graphviz has its graph in a top-level <g>"
    elements: dict[str, object] = {
        "graph": {
            "title": graph.findtext(f"{_SVG}title"),
            "texts": ["".join(text.itertext()).strip() for text in graph.findall(f"{_SVG}text")],
        }
    }
    for group in graph.findall(f"{_SVG}g"):
        tooltips = [anchor.get(_XLINK_TITLE, "") for anchor in group.iter(f"{_SVG}a")]
        elements[group.get("id", "")] = {
            "class": group.get("class"),
            "title": group.findtext(f"{_SVG}title"),
            "texts": ["".join(text.itertext()).strip() for text in group.iter(f"{_SVG}text")],
            "tooltips": list(dict.fromkeys(tooltips)),
        }
    return elements


def _frames(page: str) -> object:
    """The frame data a replay page embeds (the JSON its script steps through)."""
    found = re.search(r'<script type="application/json" id="frames">(.*?)</script>', page, re.DOTALL)
    assert found is not None, "the page embeds its frames as JSON"
    return json.loads(found.group(1))


def test_dot_source(snapshot: SnapshotAssertion) -> None:
    """Guards every record, op label (``**3``, not ``**``), edge label, tooltip and fill colour of the DOT."""
    root = _canonical()
    root.backward()
    assert draw(root).source == snapshot


def test_dot_source_highlighting_a_step(snapshot: SnapshotAssertion) -> None:
    """Guards how a step is drawn: the active node and its parents lit, its edges as local · upstream."""
    root = _canonical()
    subtraction = list(root.backward_steps())[1]
    assert subtraction.formula == "e = v1 - v2"
    assert draw(root, highlight=subtraction).source == snapshot


def test_svg_texts(snapshot: SnapshotAssertion) -> None:
    """Guards the texts and tooltips Graphviz writes into the SVG (not its layout)."""
    root = _canonical()
    root.backward()
    assert _svg_texts(to_svg(root)) == snapshot


def test_replay_frames(snapshot: SnapshotAssertion) -> None:
    """Guards the replay's frames: frame 0 seeds the root's grad with 1, then one step per frame."""
    page = to_html(_canonical())
    heading = re.search(r"<h1>(.*?)</h1>", page)
    assert heading is not None
    assert {"heading": heading.group(1), "frames": _frames(page)} == snapshot
