"""The backward pass one node at a time: ``for step in loss.backward_steps(): print(step)``.

It is the loop of :func:`autograd.backward.backward`, paused after each node, with what
happened at that node recorded in a :class:`Step`. Printed, a step reads like a worked
example: the node's formula, the upstream gradient d root/d node arriving from above, and for
each parent the chain rule written out, ``parent.grad += ∂node/∂parent · d root/d node``: the
local derivative times the upstream gradient.
"""

from __future__ import annotations

import math
from collections.abc import Generator
from dataclasses import dataclass

from autograd.backward import BackwardPass, accumulated_overflow, overflowed
from autograd.expression import definition, node_names
from autograd.notation import as_operand, local_name, product, short_number, signed_sum, total_name
from autograd.value import Constant, Value

__all__ = ["Edge", "Step", "backward_steps"]


@dataclass(frozen=True)
class Edge:
    """The chain rule along one edge: ``parent.grad += local_grad * upstream``."""

    parent: Value
    parent_name: str
    local_grad: float  # ∂node/∂parent
    contribution: float  # local_grad * upstream
    grad: float  # the parent's .grad after this step: what it held before the pass + pass_grad
    previous_grad: float  # the parent's sum in this pass before this step
    held: float = 0.0  # what a leaf's .grad held before this pass (earlier passes), else 0

    @property
    def pass_grad(self) -> float:
        """This pass's running sum at the parent after this step: d root/d parent so far."""
        return self.previous_grad + self.contribution

    def __repr__(self) -> str:
        return (
            f"Edge({self.parent_name!r}, local_grad={self.local_grad!r}, "
            f"contribution={self.contribution!r}, grad={self.grad!r})"
        )


@dataclass(frozen=True)
class Step:
    """What one ``next()`` did: the node, d root/d node, and each parent's share of it.

    >>> x, w, b = Value(0.5, "x"), Value(-1.25, "w"), Value(0.2, "b")
    >>> n = x*w + b
    >>> n.label = "n"
    >>> steps = n.backward_steps()
    >>> print(next(steps))
    step 1: n = v1 + b    upstream dn/dn = 1
        v1.grad += ∂n/∂v1 · dn/dn = 1 · 1 = 1
        b.grad  += ∂n/∂b  · dn/dn = 1 · 1 = 1
    >>> print(next(steps))
    step 2: v1 = x*w    upstream dn/dv1 = 1
        x.grad += ∂v1/∂x · dn/dv1 = -1.25 · 1 = -1.25
        w.grad += ∂v1/∂w · dn/dv1 = 0.5 · 1   = 0.5
    >>> list(steps)  # nothing left: the pass is complete
    []
    >>> x.grad, w.grad, b.grad
    (-1.25, 0.5, 1.0)
    """

    index: int  # 1 for the root
    node: Value
    name: str
    root_name: str
    formula: str  # the node's definition over its parents' names, e.g. "n = h + b"
    upstream: float  # d root/d node, complete when the node's turn comes
    edges: tuple[Edge, ...]

    @property
    def parents(self) -> tuple[Value, ...]:
        """The node's parents, in operand order (a parent used twice appears twice)."""
        return tuple(edge.parent for edge in self.edges)

    def __str__(self) -> str:
        upstream = total_name(self.root_name, self.name)
        header = f"step {self.index}: {self.formula}    upstream {upstream} = {short_number(self.upstream)}"
        # Columns line up within a step, so the parents' shares read as a small table.
        rows = [
            (
                f"{as_operand(edge.parent_name)}.grad",
                local_name(self.name, edge.parent_name),
                product([edge.local_grad, self.upstream]),
                short_number(edge.contribution),
                _running_sum(edge),
            )
            for edge in self.edges
            if not isinstance(edge.parent, Constant)  # a constant takes no gradient
        ]
        widths = [max((len(row[column]) for row in rows), default=0) for column in range(4)]
        lines = [header]
        for target, local, chain, contribution, running_sum in rows:
            if running_sum:
                contribution = f"{contribution:<{widths[3]}}   {running_sum}"
            line = (
                f"    {target:<{widths[0]}} += {local:<{widths[1]}} · {upstream} = "
                f"{chain:<{widths[2]}} = {contribution}"
            )
            lines.append(line)
        if not rows:
            lines.append("    (every operand is a constant: the gradient goes no further)")
        return "\n".join(lines)

    def __repr__(self) -> str:
        parents = ", ".join(edge.parent_name for edge in self.edges)
        return f"Step({self.index}, {self.formula!r}, upstream={self.upstream!r}, parents=[{parents}])"


def backward_steps(root: Value, grad: float = 1.0) -> Generator[Step, None, None]:
    """Apply the chain rule at one interior node per ``next()``, root first.

    The order is ``backward``'s, and exhausting the iterator leaves exactly what
    ``root.backward(grad)`` leaves. While it runs, a leaf's grad is what it held before the
    pass plus this pass's running sum, and each step says both. Stopping early (``close()``,
    or ``break`` out of a ``for`` loop) puts every leaf's grad back as it was before the pass,
    so a half-finished walk-through never leaks into training. A ``backward()`` (or another
    walk) over the same graph while this one is paused overtakes it: it then has the grads,
    and resuming this walk raises ``RuntimeError``.
    """
    backward_pass = BackwardPass(root, grad, "backward_steps")
    names = node_names(root, backward_pass.order)
    with backward_pass as order:
        held, sums = backward_pass.held, backward_pass.sums
        for leaf, before in held.items():  # show what a leaf held until this pass reaches it
            sums[leaf] = leaf._grad  # 0, or the seed for a leaf that is the root
            leaf._grad = before + sums[leaf]
        index = 0
        for node in order:
            upstream = node._grad
            if not math.isfinite(upstream):  # as backward does: stop where the gradient overflows
                raise overflowed(root, node, upstream, "backward_steps")
            if not node.parents:
                continue
            index += 1
            edges = []
            for parent, local in zip(node.parents, node.local_grads):
                contribution = local * upstream
                if parent in held:  # its pass sum kept apart, so the end adds exactly as backward does
                    previous = sums[parent]
                    sums[parent] = previous + contribution
                    parent._grad = held[parent] + sums[parent]
                    if not math.isfinite(parent._grad):
                        raise accumulated_overflow(parent, "backward_steps")
                else:
                    previous = parent._grad
                    parent._grad += contribution
                edge = Edge(
                    parent, names[parent], local, contribution, parent.grad, previous, held.get(parent, 0.0)
                )
                edges.append(edge)
            backward_pass.pause()
            yield Step(index, node, names[node], names[root], definition(node, names), upstream, tuple(edges))
            backward_pass.resume()


def _running_sum(edge: Edge) -> str:
    """How a parent's grad adds up, when it is more than this step's share; else nothing to add."""
    terms = [term for term in (edge.held, edge.previous_grad) if term] + [edge.contribution]
    if len(terms) == 1:
        return ""
    running_sum = f"now {signed_sum([short_number(term) for term in terms])} = {short_number(edge.grad)}"
    if not edge.held:
        return f"({running_sum})"
    held = f"{as_operand(edge.parent_name)}.grad was {short_number(edge.held)} before this pass"
    return f"({held}; {running_sum})"
