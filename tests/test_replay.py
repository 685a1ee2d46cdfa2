"""to_html: a self-contained page whose frames replay backward_steps, checked in headless Chromium."""

from __future__ import annotations

import contextlib
import json
import re
import xml.dom.minidom
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from autograd import Step, Value, tanh, to_html, to_svg, topological_order
from autograd.drawing import copy_class, edge_id, node_id
from autograd.notation import product_text, visible

CHROMIUM = Path("/usr/bin/chromium")
_CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]


@pytest.fixture(autouse=True)
def no_dot(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Pages are laid out with no `dot` on PATH, as after a plain pip install."""
    monkeypatch.setenv("PATH", str(tmp_path))


def _neuron() -> Value:
    """o = tanh(x*w + b)*x + x: x has three users, so its grad is a running sum."""
    x, w, b = Value(0.5, "x"), Value(-1.25, "w"), Value(0.2, "b")
    n = x * w + b
    n.label = "n"
    o = tanh(n) * x + x
    o.label = "o"
    return o


def _steps(root: Value) -> list[Step]:
    """The steps of a backward pass on a copy's worth of state (grads put back after)."""
    before = [(node, node.grad) for node in topological_order(root)]
    steps = list(root.backward_steps())
    for node, grad in before:
        node.grad = grad
    return steps


def _frames(page: str) -> list[dict[str, Any]]:
    found = re.search(r'<script type="application/json" id="frames">(.*?)</script>', page, re.S)
    assert found is not None
    frames: list[dict[str, Any]] = json.loads(found.group(1))
    return frames


def test_one_frame_per_step_plus_the_start() -> None:
    """Frame 0 is the start; frame k's text is str(step k)."""
    root = _neuron()
    steps = _steps(root)
    frames = _frames(to_html(root))
    assert len(frames) == len(steps) + 1
    assert frames[0]["text"].startswith("start: o.grad = 1")
    assert [frame["text"] for frame in frames[1:]] == [str(step) for step in steps]


def test_frames_light_the_step_and_its_edges() -> None:
    """Each frame lights its node and edges, and sets each edge to local · upstream = contribution."""
    root = _neuron()
    order = topological_order(root)
    frames = _frames(to_html(root))
    for step, frame in zip(_steps(root), frames[1:]):
        position = order.index(step.node)
        assert node_id(position) in frame["active"]
        for index, edge in enumerate(step.edges):
            assert edge_id(position, index) in frame["active"]
            assert frame["texts"][edge_id(position, index)] == product_text(
                edge.local_grad, step.upstream, edge.contribution
            )
            assert node_id(order.index(edge.parent)) in frame["receiving"]


def test_fan_out_grad_shows_the_running_sum() -> None:
    """x, used three times, shows "(1 of 3)" after its first share and a sum when the next arrives."""
    root = _neuron()
    x_id = node_id(topological_order(root).index(next(n for n in topological_order(root) if n.label == "x")))
    texts = [frame["texts"][x_id] for frame in _frames(to_html(root)) if x_id in frame["texts"]]
    assert texts[0] == "grad 0"
    assert texts[1].endswith("(1 of 3)")
    assert re.fullmatch(r"grad \S+ [+-] \S+ = \S+ \(2 of 3\)", texts[2])
    assert re.fullmatch(r"grad \S+ [+-] \S+ = \S+", texts[-1])


def test_page_is_self_contained(tmp_path: Path) -> None:
    """The page loads nothing: no external scripts, styles, images or links; it is written to path."""
    target = tmp_path / "replay.html"
    page = to_html(_neuron(), target)
    assert target.read_text(encoding="utf-8") == page
    assert page.startswith("<!DOCTYPE html>")
    assert not re.search(r"""(src|href)\s*=\s*["'](?!#)""", page)
    assert "<link" not in page and "@import" not in page


def test_grads_are_left_alone() -> None:
    """Making the page changes no grad, not even leaves' accumulated ones."""
    root = _neuron()
    root.backward()
    before = [node.grad for node in topological_order(root)]
    to_html(root)
    assert [node.grad for node in topological_order(root)] == before


def test_leaf_root_has_only_the_start() -> None:
    """A leaf has no steps: the page holds the start frame alone."""
    frames = _frames(to_html(Value(2.0, "x")))
    assert len(frames) == 1


def test_big_graph_is_refused() -> None:
    """A graph over max_nodes Values is a ValueError that names the limit."""
    total = Value(0.0)
    for i in range(20):
        total = total + i
    with pytest.raises(ValueError, match="up to max_nodes=10 Values; this one has 41"):
        to_html(total, max_nodes=10)
    with pytest.raises(TypeError, match="root must be a Value"):
        to_html(3.0)  # type: ignore[arg-type]


def test_title_is_escaped() -> None:
    """A label with HTML in it is escaped in the page title and in the frames' JSON."""
    x = Value(1.0, "<b>x</b>")
    page = to_html(x * 2)
    assert "<b>x</b>" not in page.split("<svg", 1)[0]
    assert "</b>" not in page.split('id="frames">', 1)[1].split("</script>", 1)[0]


def test_frames_cannot_end_their_script() -> None:
    """Labels with script markup reach the frames' JSON only as \\u escapes, and read back whole."""
    label = "</script><!--<script>&\u2028"
    x = Value(1.0, label)
    page = to_html(x * 2)
    frames_text = page.split('id="frames">', 1)[1].split("</script>", 1)[0]
    assert not re.search("[<>&\u2028\u2029]", frames_text)
    assert visible(label) in json.loads(frames_text)[1]["text"]
    assert "<script>" not in page.split("<svg", 1)[0]
    assert page.count("<script") == 2


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """One headless Chromium for the module's pages (each launch costs about a second)."""
    if not CHROMIUM.exists():
        pytest.skip("Chromium is not installed at /usr/bin/chromium")
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=_CHROMIUM_ARGS)
        try:
            yield launched
        finally:
            launched.close()


@contextlib.contextmanager
def _opened(browser: Any, address: str) -> Iterator[Any]:
    """A new page at ``address``; on leaving, it must have raised no script error."""
    page = browser.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        page.goto(address)
        yield page
        assert errors == []
    finally:
        page.close()


@pytest.mark.browser
def test_page_steps_in_chromium(browser: Any, tmp_path: Path) -> None:
    """From disk in headless Chromium: frame 1 is the start, and after k "next"s step k is shown."""
    root = _neuron()
    order = topological_order(root)
    steps = _steps(root)
    target = tmp_path / "replay.html"
    to_html(root, target)
    k = 3
    step = steps[k - 1]
    position = order.index(step.node)
    with _opened(browser, target.as_uri()) as page:
        assert page.inner_text("#step-text").startswith("start: o.grad = 1")
        assert page.is_disabled("#previous")
        assert page.locator(".active").count() == 0
        for _ in range(k):
            page.click("#next")
        assert page.inner_text("#step-text") == str(step)
        assert page.inner_text("#position") == f"step {k} of {len(steps)}"
        assert "active" in (page.get_attribute(f"#{node_id(position)}", "class") or "")
        for index, edge in enumerate(step.edges):
            edge_element = f"#{edge_id(position, index)}"
            assert "active" in (page.get_attribute(edge_element, "class") or "")
            label = product_text(edge.local_grad, step.upstream, edge.contribution)
            assert page.locator(f"{edge_element} text").last.text_content() == label
        page.keyboard.press("ArrowLeft")
        assert page.inner_text("#step-text") == str(steps[k - 2])
        page.eval_on_selector("#slider", "s => { s.value = '2'; s.dispatchEvent(new Event('input')); }")
        assert page.inner_text("#step-text") == str(steps[1])
        page.keyboard.press("End")
        assert page.inner_text("#step-text") == str(steps[-1])
        assert page.is_disabled("#next")
        page.keyboard.press("Home")
        assert page.inner_text("#step-text").startswith("start")
        assert page.locator(f"#{node_id(1)} text").last.text_content() == "grad 0"


_MOVE_SLIDER = "(slider, index) => { slider.value = String(index); slider.dispatchEvent(new Event('input')) }"
_COPIES_SHOWN = """name => Array.from(document.getElementsByClassName(name), copy => ({
  grad: Array.from(copy.querySelectorAll("text")).pop().textContent,
  receiving: copy.classList.contains("receiving"),
}))"""


@pytest.mark.browser
def test_every_copy_shows_its_grad_and_highlight(browser: Any, tmp_path: Path) -> None:
    """A leaf drawn once per use (x in x*x*...*x) shows, on every copy and in every frame going
    forward and back, the grad text of that frame, and every copy lights up while it receives."""
    x = Value(1.5, "x")
    root = x
    for _ in range(7):
        root = root * x
    position = topological_order(root).index(x)
    frames = _frames(to_html(root, tmp_path / "replay.html"))
    expected, grad = [], ""
    for frame in frames:
        grad = frame["texts"].get(node_id(position), grad)
        expected.append({"grad": grad, "receiving": node_id(position) in frame["receiving"]})
    assert any(shown["receiving"] for shown in expected)
    with _opened(browser, (tmp_path / "replay.html").as_uri()) as page:
        assert page.locator(f"#{node_id(position)}").count() == 0  # drawn only as copies
        for index in [*range(len(frames)), *reversed(range(len(frames) - 1))]:
            page.eval_on_selector("#slider", _MOVE_SLIDER, index)
            assert page.evaluate(_COPIES_SHOWN, copy_class(position)) == [expected[index]] * 8


@pytest.mark.browser
def test_copies_of_an_interior_node_light_up_with_its_step(browser: Any, tmp_path: Path) -> None:
    """c = tanh(x), used by every node of a long chain, is drawn again beside its farthest users;
    in the frame of c's step, its record and every copy are active."""
    c = tanh(Value(0.3, "x"))
    c.label = "c"
    root = c
    for _ in range(60):
        root = root * c
    position = topological_order(root).index(c)
    frames = _frames(to_html(root, tmp_path / "replay.html"))
    (step_frame,) = [index for index, frame in enumerate(frames) if node_id(position) in frame["active"]]
    with _opened(browser, (tmp_path / "replay.html").as_uri()) as page:
        copies = page.locator(f".{copy_class(position)}")
        assert copies.count() > 0
        page.eval_on_selector("#slider", _MOVE_SLIDER, step_frame)
        shown = f"#{node_id(position)}, .{copy_class(position)}"
        lit = page.eval_on_selector_all(shown, "all => all.map(e => e.classList.contains('active'))")
        assert lit == [True] * (copies.count() + 1)


_MARKUP = [
    "<!--<script>", "</script><script>window.injected=1</script>", "<img src=x onerror=window.injected=2>",
    "]]>", "<svg onload=window.injected=3>", "&amp; &#0; &lt;", "\"'", "\\", "x\\", "\u2028\u2029",
    "\x00\x1b[31m", "\ud800", "<!--", "-->", "{a|b}", "<b>",
]
_LABELS = st.lists(st.sampled_from(_MARKUP) | st.text(st.characters(exclude_categories=()), max_size=12),
                   min_size=3, max_size=5)


@pytest.mark.slow
@pytest.mark.browser
@settings(max_examples=12, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(labels=_LABELS)
def test_any_label_survives_every_format(browser: Any, labels: list[str]) -> None:
    """Random labels on leaves (one drawn as copies), an interior node and the root: the DOT
    renders, the SVG is well-formed XML, and the replay runs in Chromium, showing every step's
    text with no markup from a label taking effect."""
    leaves = [Value(0.5 + index, label) for index, label in enumerate(labels)]
    shared = leaves[0]
    middle = leaves[1] * leaves[2]
    middle.label = labels[-1]
    root = middle
    for other in [shared] * 5 + leaves[3:]:
        root = root + other
    root.label = labels[1]
    xml.dom.minidom.parseString(to_svg(root))
    steps = _steps(root)
    page_text = to_html(root)
    assert page_text.count("<script") == 2
    with _opened(browser, "about:blank") as page:
        page.set_content(page_text)
        assert page.text_content("#step-text").startswith("start: ")
        for step in steps:
            page.click("#next")
            assert page.text_content("#step-text") == str(step)
        assert page.evaluate("() => window.injected") is None
        assert page.locator("img").count() == 0
        assert page.locator("script").count() == 2
        assert page.locator("svg").count() == 1
