"""The backward pass one node at a time: ``for step in loss.backward_steps(): print(step)``.

It is the loop of :func:`autograd.backward.backward`, paused after each node, with what
happened at that node recorded in a :class:`Step`.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from autograd.backward import finish_pass, start_pass
from autograd.expression import definition, format_number, node_names
from autograd.value import Value

__all__ = ["Edge", "Step", "backward_steps"]


@dataclass(frozen=True)
class Edge:
    """The chain rule along one edge: ``parent.grad += local_grad * upstream``."""

    parent: Value
    parent_name: str
    local_grad: float  # d(node)/d(parent)
    contribution: float  # local_grad * upstream
    grad: float  # the parent's grad after this step: the sum over the users seen so far


@dataclass(frozen=True)
class Step:
    """What one ``next()`` did: the node, d(root)/d(node), and each parent's share of it."""

    index: int  # 1 for the root
    node: Value
    name: str
    root_name: str
    formula: str  # the node's definition over its parents' names, e.g. "n = h + b"
    upstream: float  # d(root)/d(node), complete when the node's turn comes
    edges: tuple[Edge, ...]

    @property
    def parents(self) -> tuple[Value, ...]:
        return tuple(edge.parent for edge in self.edges)

    def __str__(self) -> str:
        upstream = f"d{_d(self.root_name)}/d{_d(self.name)}"
        lines = [f"step {self.index}: {self.formula}    upstream {upstream} = {_number(self.upstream)}"]
        for edge in self.edges:
            local = f"d{_d(self.name)}/d{_d(edge.parent_name)}"
            product = f"{_number(edge.local_grad)} * {_number(self.upstream)} = {_number(edge.contribution)}"
            lines.append(
                f"    {_d(edge.parent_name)}.grad += {local} * {upstream} = {product}"
                f"   (now {_number(edge.grad)})"
            )
        return "\n".join(lines)

    def __repr__(self) -> str:
        parents = ", ".join(edge.parent_name for edge in self.edges)
        return f"Step({self.index}, {self.formula!r}, upstream={self.upstream!r}, parents=[{parents}])"


def backward_steps(root: Value, grad: float = 1.0) -> Iterator[Step]:
    """Apply the chain rule at one interior node per ``next()``, root first.

    Exhausting the iterator leaves exactly what ``root.backward(grad)`` leaves. While it is
    running, a leaf's grad is this pass's running sum; what it held before is added back at
    the end, or when the iterator is closed early.
    """
    order, accumulated = start_pass(root, grad)
    names = node_names(root)
    try:
        index = 0
        for node in order:
            if not node.parents:
                continue
            index += 1
            upstream = node.grad
            edges = []
            for parent, local in zip(node.parents, node.local_grads):
                contribution = local * upstream
                parent.grad += contribution
                edges.append(Edge(parent, names[parent], local, contribution, parent.grad))
            yield Step(index, node, names[node], names[root], definition(node, names), upstream, tuple(edges))
    finally:
        finish_pass(accumulated)


def _d(name: str) -> str:
    """``name`` as it follows a d in dy/dx: constants go in parentheses, d(2) not d2."""
    return name if name.isidentifier() or "#" in name else f"({name})"


def _number(x: float) -> str:
    return format_number(float(f"{x:.6g}"))
