"""``to_html``: one self-contained page that replays the backward pass, one step per frame.

The graph is laid out once, by Graphviz, with every grad field and edge label as wide as
the longest text it will ever show; the page's script then changes only texts and CSS
classes between frames, so nothing moves. A node that the picture draws several times (see
:mod:`autograd.drawing`) has the same text and highlight on every copy. Frame 0 is the start
(the root's grad seeded to 1), frame k the state after ``backward_steps()``'s k-th step. The
page loads nothing from the network, so it opens from disk.
"""

from __future__ import annotations

import os
import re
from collections import Counter
from collections.abc import Iterable

from autograd.drawing import build, edge_id, node_id, op_id, out_id, plan_drawing
from autograd.escaping import markup_text, script_json
from autograd.expression import expression
from autograd.files import check_suffix, write_atomic
from autograd.notation import product_text, short_number, signed_sum, total_name
from autograd.render import render_svg
from autograd.stepping import Step
from autograd.value import Constant, Value

__all__ = ["DEFAULT_MAX_REPLAY_NODES", "to_html"]

DEFAULT_MAX_REPLAY_NODES = 500
_SCREEN_WIDTH, _SCREEN_HEIGHT = 1300, 650  # CSS px left for the picture in a 1440 x 900 window
_SMALLEST_FITTED_SCALE = 0.7

Texts = dict[str, str]  # element id -> the text it shows: grad fields and edge labels


def to_html(
    root: Value,
    path: str | os.PathLike[str] | None = None,
    *,
    rankdir: str = "auto",
    max_nodes: int = DEFAULT_MAX_REPLAY_NODES,
) -> str:
    """A page replaying ``root``'s backward pass step by step; also written to ``path`` if given.

    Next / previous buttons, a slider and the arrow keys move between frames; under the
    picture is the step's text (``str(step)``). The active step's edges read local derivative
    · upstream = contribution, and a node used more than once shows its grad as a running
    sum. Every ``.grad`` is left as it was. ``rankdir="auto"`` lays the graph out both left
    to right and top to bottom and keeps the one that shows bigger on a screen. Graphs over
    ``max_nodes`` Values are refused: a page that big is slow to lay out and no help to read.
    """
    if not isinstance(root, Value):
        raise TypeError(f"to_html: root must be a Value, got {type(root).__name__}")
    if isinstance(max_nodes, bool) or not isinstance(max_nodes, int):
        raise TypeError(f"to_html: max_nodes must be an int, got {type(max_nodes).__name__}: {max_nodes!r}")
    if rankdir not in ("auto", "LR", "RL", "TB", "BT"):
        raise ValueError(f"rankdir must be one of 'auto', 'LR', 'RL', 'TB', 'BT', got {rankdir!r}")
    if path is not None:
        check_suffix(path, (".html", ".htm"), "to_html")
    plan = plan_drawing(root, max_nodes=None, max_edges=None)
    if len(plan.drawn) > max_nodes:
        raise ValueError(
            f"to_html replays graphs of up to max_nodes={max_nodes} Values; this one has "
            f"{len(plan.drawn):,}. Replay a smaller expression, or raise max_nodes."
        )
    steps = _steps_leaving_grads_alone(root, plan.positions)
    positions = plan.positions
    states = _texts_per_frame(positions, steps)
    widest_grads = {
        node: _widest(states, node_id(positions[node]))
        for node in plan.drawn
        if not isinstance(node, Constant)
    }
    widest_edges = {
        (node, index): _widest(states, edge_id(positions[node], index))
        for node in plan.drawn
        for index in range(len(node.parents))
    }
    directions = ("LR", "TB") if rankdir == "auto" else (rankdir,)
    layouts = [render_svg(build(plan, widest_grads, widest_edges, rankdir=way).source) for way in directions]
    svg = max(layouts, key=_scale_on_screen)
    frames = [_first_frame(plan.names[root], states[0])]
    for step, before, after in zip(steps, states, states[1:]):
        frames.append(_frame(positions, step, before, after))
    title = plan.names[root]
    if not root.is_leaf:  # written with the frames' names, so an input reads x1 everywhere
        title += f" = {expression(root, 120, plan.names)}"
    page = _page(title, svg, frames)
    if path is not None:
        write_atomic(path, page)
    return page


def _steps_leaving_grads_alone(root: Value, nodes: Iterable[Value]) -> list[Step]:
    """Every step of ``root``'s backward pass, with the grads of ``nodes`` (its whole graph) put back."""
    before = [(node, node.grad) for node in nodes]
    try:
        return list(root.backward_steps())
    finally:
        for node, grad in before:
            node.grad = grad


def _texts_per_frame(positions: dict[Value, int], steps: list[Step]) -> list[Texts]:
    """Every grad field's and edge label's text, for the start and after each step.

    An edge shows its local derivative until its step, then local · upstream = contribution.
    A node that gets gradient from several users shows, in the frame where a share arrives,
    the sum that makes its running grad ("0.3 + 0.2 = 0.5"), and "(2 of 3)" until all arrive.
    Grads are this pass's (what leaves held before it is not the replay's subject); constants
    have none.
    """
    uses = Counter(edge.parent for step in steps for edge in step.edges)
    received: Counter[Value] = Counter()
    running: dict[Value, float] = {}
    texts = {
        node_id(position): "grad 0" for node, position in positions.items() if not isinstance(node, Constant)
    }
    texts[node_id(0)] = f"grad {short_number(1.0)}"  # the root, seeded
    for step in steps:
        for index, local in enumerate(step.node.local_grads):
            texts[edge_id(positions[step.node], index)] = short_number(local)
    states = [dict(texts)]
    shown_as_sum: list[Value] = []
    for step in steps:
        for node in shown_as_sum:  # last frame's sum goes back to the plain running grad
            texts[node_id(positions[node])] = _grad_text(running[node], received[node], uses[node])
        terms: dict[Value, list[float]] = {}
        for index, edge in enumerate(step.edges):
            if isinstance(edge.parent, Constant):  # takes no grad: its edge keeps the local derivative
                continue
            texts[edge_id(positions[step.node], index)] = product_text(
                edge.local_grad, step.upstream, edge.contribution
            )
            terms.setdefault(edge.parent, [running[edge.parent]] if edge.parent in running else [])
            terms[edge.parent].append(edge.contribution)
            received[edge.parent] += 1
            running[edge.parent] = edge.pass_grad
        shown_as_sum = [parent for parent, parts in terms.items() if len(parts) > 1]
        for parent, parts in terms.items():
            text = _grad_text(running[parent], received[parent], uses[parent], parts)
            texts[node_id(positions[parent])] = text
        states.append(dict(texts))
    return states


def _grad_text(grad: float, received: int, uses: int, terms: list[float] | None = None) -> str:
    """A grad field: "grad 0.5", or as the sum that made it, with "(k of n)" while partial."""
    text = f"grad {short_number(grad)}"
    if terms is not None and len(terms) > 1:
        text = f"grad {signed_sum([short_number(term) for term in terms])} = {short_number(grad)}"
    return text if received >= uses else f"{text} ({received} of {uses})"


def _scale_on_screen(svg: str) -> float:
    """How much a picture must shrink (< 1) to fit a typical browser window beside the controls."""
    size = re.search(r'<svg width="([\d.]+)pt" height="([\d.]+)pt"', svg)
    assert size is not None  # Graphviz always writes the size
    width, height = (float(points) * 4 / 3 for points in size.groups())  # pt to CSS px
    return min(_SCREEN_WIDTH / width, _SCREEN_HEIGHT / height)


def _widest(states: list[Texts], element: str) -> str:
    return max((state[element] for state in states), key=len)


def _first_frame(root_name: str, texts: Texts) -> dict[str, object]:
    text = (
        f"start: {root_name}.grad = 1 ({total_name(root_name, root_name)}), every other grad is 0.\n"
        "Each step applies the chain rule at one node: parent.grad += local derivative · upstream."
    )
    return {"text": text, "active": [], "receiving": [], "texts": texts}


def _frame(positions: dict[Value, int], step: Step, before: Texts, after: Texts) -> dict[str, object]:
    """One step's frame: its text, the ids to light up and the texts that changed."""
    position = positions[step.node]
    active = [node_id(position), op_id(position), out_id(position)]
    active += [edge_id(position, index) for index in range(len(step.edges))]
    receiving = list(
        dict.fromkeys(node_id(positions[e.parent]) for e in step.edges if not isinstance(e.parent, Constant))
    )
    changed = {element: text for element, text in after.items() if before[element] != text}
    return {"text": str(step), "active": active, "receiving": receiving, "texts": changed}


def _page(title: str, svg: str, frames: list[dict[str, object]]) -> str:
    """The HTML page: the SVG inline, the frames as JSON, the script that steps through them."""
    picture = svg[svg.index("<svg") :]  # drop the XML prolog and doctype, which HTML does not take
    # Shrunk much more than this, the numbers are too small to read: show it full size and scroll.
    fit = _scale_on_screen(svg) >= _SMALLEST_FITTED_SCALE
    return _TEMPLATE.format(
        title=markup_text(title),
        svg=picture,
        frames=script_json(frames),
        last=len(frames) - 1,
        style=_STYLE,
        script=_SCRIPT,
        fit_class=' class="fit"' if fit else "",
        fit_checked=" checked" if fit else "",
    )


_STYLE = """
body { font-family: Helvetica, Arial, sans-serif; margin: 1em 2em; color: #1e293b; }
h1 { font-size: 1.15em; font-weight: normal; }
h1 code { font-size: 1.1em; }
#graph { overflow: auto; max-height: 75vh; border: 1px solid #e2e8f0; }
#graph.fit svg { width: auto; height: auto; max-width: 100%; max-height: 75vh; }
#controls { display: flex; align-items: center; gap: 0.8em; margin: 0.6em 0; }
#controls input { flex: 1; max-width: 40em; }
#position { min-width: 9em; font-variant-numeric: tabular-nums; }
#step-text { background: #f8fafc; border: 1px solid #e2e8f0; padding: 0.7em 1em; font-size: 0.95em;
  white-space: pre-wrap; min-height: 4.5em; }
.node.active path, .node.active polygon, .node.active ellipse {
  fill: #ffedd5; stroke: #ea580c; stroke-width: 2.5px; }
.node.active polyline { stroke: #ea580c; stroke-width: 2.5px; }
.node.receiving path, .node.receiving polygon { stroke: #ea580c; stroke-width: 2px; }
.node.receiving polyline { stroke: #ea580c; }
.node.receiving text:last-of-type { fill: #c2410c; }
.edge.active path { stroke: #ea580c; stroke-width: 2px; }
.edge.active polygon { fill: #ea580c; stroke: #ea580c; }
.edge.active text { fill: #c2410c; font-weight: bold; }
"""

_SCRIPT = """
"use strict";
const frames = JSON.parse(document.getElementById("frames").textContent);
const slider = document.getElementById("slider");
const previous = document.getElementById("previous");
const next = document.getElementById("next");
const graph = document.getElementById("graph");
let shown = 0;      // the frame on screen
let applied = -1;   // texts are those of this frame (-1: the layout's placeholders)
let lit = [];       // elements styled for the frame on screen
const drawnAs = new Map();  // a frame's element id -> the elements that show it

function elementsOf(id) {
  // The element with this id, if it is drawn, and every copy of it: a leaf drawn once per
  // use has copies only, with the class drawing.copy_class gives them.
  let found = drawnAs.get(id);
  if (found === undefined) {
    found = Array.from(document.querySelectorAll(`#${id}, .copy-of-${id}`));
    drawnAs.set(id, found);
  }
  return found;
}

function setText(id, text) {
  for (const element of elementsOf(id)) {
    const texts = element.querySelectorAll("text");
    texts[texts.length - 1].textContent = text;  // a record's grad is its last field
  }
}

function applyTexts(index) {
  for (const [id, text] of Object.entries(frames[index].texts)) setText(id, text);
}

function show(index) {
  index = Math.max(0, Math.min(frames.length - 1, index));
  if (applied < 0 || index < applied) { applied = 0; applyTexts(0); }
  while (applied < index) { applied += 1; applyTexts(applied); }
  for (const [element, name] of lit) element.classList.remove(name);
  lit = [];
  for (const name of ["active", "receiving"]) {
    for (const id of frames[index][name]) {
      for (const element of elementsOf(id)) {
        element.classList.add(name);
        lit.push([element, name]);
      }
    }
  }
  shown = index;
  slider.value = String(index);
  document.getElementById("position").textContent =
    index === 0 ? `start (${frames.length - 1} steps)` : `step ${index} of ${frames.length - 1}`;
  document.getElementById("step-text").textContent = frames[index].text;
  const active = frames[index].active;
  if (active.length > 1 && !graph.classList.contains("fit")) centre(document.getElementById(active[1]));
  previous.disabled = index === 0;
  next.disabled = index === frames.length - 1;
}

function centre(element) {
  // Scroll the picture (not the page) so the active op, between the node and its parents, is in the middle.
  const box = element.getBoundingClientRect();
  const view = graph.getBoundingClientRect();
  graph.scrollBy({
    left: box.left + box.width / 2 - (view.left + view.width / 2),
    top: box.top + box.height / 2 - (view.top + view.height / 2),
  });
}

previous.addEventListener("click", () => show(shown - 1));
next.addEventListener("click", () => show(shown + 1));
slider.addEventListener("input", () => show(Number(slider.value)));
document.getElementById("fit").addEventListener("change", (event) => {
  graph.classList.toggle("fit", event.target.checked);
});
document.addEventListener("keydown", (event) => {
  if (event.target === slider) return;  // the slider moves itself on arrow keys
  const moves = { ArrowRight: shown + 1, ArrowLeft: shown - 1, Home: 0, End: frames.length - 1 };
  if (event.key in moves) { event.preventDefault(); show(moves[event.key]); }
});
show(0);
"""

_TEMPLATE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>backward pass of {title}</title>
<style>{style}</style>
</head>
<body>
<h1>Backward pass of <code>{title}</code></h1>
<div id="graph"{fit_class}>
{svg}
</div>
<div id="controls">
<button id="previous" type="button" title="previous step (left arrow)">&#9664; previous</button>
<input id="slider" type="range" min="0" max="{last}" value="0" aria-label="step">
<button id="next" type="button" title="next step (right arrow)">next &#9654;</button>
<span id="position"></span>
<label><input id="fit" type="checkbox"{fit_checked}> fit to window</label>
</div>
<pre id="step-text"></pre>
<script type="application/json" id="frames">{frames}</script>
<script>{script}</script>
</body>
</html>
"""
