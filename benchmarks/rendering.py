"""Workload 5: drawing 2,000-node graphs to SVG.

Two graphs of 2,000 Values. The loss of a small model, an MLP(2, [4, 4, 1]) with tanh and the
MSE over enough points: dense (a neuron's ``dot`` node has a parent per weight and input), so
``draw``'s default cut (3,000 edges) keeps the part nearest the loss and says so in the
picture. And a sparse graph drawn whole: ``tanh(w_i*x)`` terms summed pairwise. Timed separately:
``draw`` (our code: the graph description, DOT source) and ``to_svg`` (that plus Graphviz's
layout, by the ``dot`` executable or the WebAssembly build, whichever this machine has).

Worker: ``python -m benchmarks.rendering`` prints the times and the renderer used.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Sequence

import nn
from autograd import Value, topological_order
from benchmarks.harness import emit

__all__ = ["NODES", "graph", "tree", "main"]

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


def _loss(model: nn.MLP, points: list[list[float]], labels: list[int]) -> Value:
    return nn.mse_loss([model(x) for x in points], [float(y) for y in labels[: len(points)]])


def main(argv: Sequence[str]) -> None:
    """Worker: time ``draw`` (best of a few) and ``to_svg`` (once) on the 2,000-node graph."""
    if argv:
        raise SystemExit("usage: python -m benchmarks.rendering")
    try:
        from autograd.drawing import draw, to_svg
        from autograd.render import renderer
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
    emit({
        "draw": min(drawing), "to_svg": rendering, "drawn": svg.count('class="node"'),
        "tree_to_svg": sparse_rendering, "renderer": renderer(), "nodes": NODES,
    })


if __name__ == "__main__":
    main(sys.argv[1:])
