"""Workload 5: drawing 2,000-node graphs to SVG, and small graphs whose edges span many ranks.

Two graphs of 2,000 Values. The loss of a small model, an MLP(2, [4, 4, 1]) with tanh and the
MSE over enough points: dense (a neuron's ``dot`` node has a parent per weight and input), so
``draw``'s default cut (3,000 edges) keeps the part nearest the loss and says so in the
picture. And a sparse graph drawn whole: ``tanh(w_i*x)`` terms summed pairwise. Timed separately:
``draw`` (our code: the graph description, DOT source) and ``to_svg`` (that plus Graphviz's
layout, by the ``dot`` executable or the WebAssembly build, whichever this machine has).

Then ``CASES``, each with default options, once: graphs of one value used by every node of a
chain (``x + x + ... + x``, ``x*x*...*x``, an RNN's shared weight, a shared interior node),
which dot would lay out with a hidden point per rank each edge skips, and which took minutes
before such uses were drawn from copies.

Worker: ``python -m benchmarks.rendering`` prints the times and the renderer used.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Sequence

import nn
from autograd import Value, tanh, topological_order
from benchmarks.harness import emit

__all__ = ["NODES", "CASES", "graph", "tree", "repeated", "rnn", "shared_interior", "main"]

NODES = 2_000
REPEATS = 3


def graph() -> Value:
    """The MSE of an MLP(2, [4, 4, 1]) over as many points as fit in ``NODES`` Values, made
    exactly ``NODES`` by ``abs`` nodes at the root (a loss is >= 0: they leave it as it is)."""
    model = nn.MLP(2, [4, 4, 1], seed=0)
    points, labels = nn.datasets.moons(200, noise=0.1, seed=0)
    n = 1
    while len(topological_order(_loss(model, points[: n + 1], labels))) <= NODES:
        n += 1
    root = _loss(model, points[:n], labels)
    while len(topological_order(root)) < NODES:
        root = root.abs()
    return root


def tree() -> Value:
    """``NODES`` Values: terms ``tanh(w_i*x)`` added up pairwise (4 Values a term, with its sum)."""
    x = Value(0.5, "x")
    terms = [(Value(0.1 * (i % 7), f"w{i}") * x).tanh() for i in range((NODES - 1) // 4)]
    while len(terms) > 1:
        pairs = [a + b for a, b in zip(terms[::2], terms[1::2])]
        terms = pairs + terms[len(pairs) * 2 :]
    root = terms[0]
    while len(topological_order(root)) < NODES:
        root = root.tanh()
    return root


def repeated(operation: str, count: int) -> Value:
    """``x + x + ... + x`` or ``x*x*...*x`` with ``count`` operands, all the one leaf x."""
    x = Value(1.0, "x")
    total = x
    for _ in range(count - 1):
        total = total + x if operation == "+" else total * x
    return total


def rnn(steps: int) -> Value:
    """``h = tanh(w*h + x_t)`` unrolled ``steps`` times: the weight w is used by every step."""
    w, h = Value(0.5, "w"), Value(0.0, "h0")
    for t in range(steps):
        h = tanh(w * h + Value(0.1 * (t % 5), f"x{t}"))
    return h


def shared_interior(count: int) -> Value:
    """``c*c*...*c`` for c = tanh(x): an interior node (not a leaf) used by every node of a chain."""
    c = tanh(Value(0.3, "x"))
    c.label = "c"
    total = c
    for _ in range(count - 1):
        total = total * c
    return total


CASES: dict[str, tuple[Callable[[], Value], str]] = {
    "x + x + ... + x, 1,000 terms, to_svg": (lambda: repeated("+", 1_000), "to_svg"),
    "x*x*...*x, 60 factors, to_svg": (lambda: repeated("*", 60), "to_svg"),
    "x*x*...*x, 100 factors, to_svg": (lambda: repeated("*", 100), "to_svg"),
    "x*x*...*x, 100 factors, to_html": (lambda: repeated("*", 100), "to_html"),
    "x*x*...*x, 500 factors, to_svg": (lambda: repeated("*", 500), "to_svg"),
    "x*x*...*x, 500 factors, to_html": (lambda: repeated("*", 500), "to_html"),
    "tanh(w*h + x_t), 200 steps, to_svg": (lambda: rnn(200), "to_svg"),
    "tanh(w*h + x_t), 100 steps, to_html": (lambda: rnn(100), "to_html"),
    "c*c*...*c for c = tanh(x), 500 factors, to_svg": (lambda: shared_interior(500), "to_svg"),
}
"""Name: (the graph, which function draws it with its default options)."""


def _loss(model: nn.MLP, points: list[list[float]], labels: list[int]) -> Value:
    return nn.mse_loss([model(x) for x in points], [float(y) for y in labels[: len(points)]])


def main(argv: Sequence[str]) -> None:
    """Worker: time ``draw`` (best of a few) and ``to_svg`` (once) on the 2,000-node graph, then
    each of ``CASES`` once."""
    if argv:
        raise SystemExit("usage: python -m benchmarks.rendering")
    try:
        from autograd.drawing import draw, to_svg
        from autograd.render import renderer
        from autograd.replay import to_html
    except ImportError as error:
        emit({"skipped": f"drawing is not available ({error})"})
        return
    root = graph()
    assert len(topological_order(root)) == NODES
    root.backward()
    drawing = []
    for _ in range(REPEATS):
        started = time.perf_counter()
        draw(root)
        drawing.append(time.perf_counter() - started)
    started = time.perf_counter()
    svg = to_svg(root)  # once: even cut, the WebAssembly layout takes seconds
    rendering = time.perf_counter() - started
    sparse = tree()
    assert len(topological_order(sparse)) == NODES
    sparse.backward()
    started = time.perf_counter()
    to_svg(sparse, max_nodes=None, max_edges=None)
    sparse_rendering = time.perf_counter() - started
    cases = {}
    for name, (make, way) in CASES.items():
        root = make()
        root.backward()
        started = time.perf_counter()
        (to_svg if way == "to_svg" else to_html)(root)
        cases[name] = time.perf_counter() - started
    emit({
        "draw": min(drawing), "to_svg": rendering, "drawn": svg.count('class="node"'),
        "tree_to_svg": sparse_rendering, "renderer": renderer(), "nodes": NODES, "cases": cases,
    })


if __name__ == "__main__":
    main(sys.argv[1:])
