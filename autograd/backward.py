"""Reverse mode: the topological order, the backward loop and ``grad``.

The chain rule is one line, ``parent.grad += local * node.grad``, applied to every node
once all the nodes that use it have passed their gradient back.
"""

from __future__ import annotations

from collections.abc import Iterable

from autograd.value import VALUE_MATH, Value, as_float

__all__ = ["topological_order", "start_pass", "finish_pass", "abandon_pass", "backward", "grad"]

_INF = float("inf")


def topological_order(root: Value) -> list[Value]:
    """Every node ``root`` depends on, root first, each node before its parents.

    Depth first, without recursion (so million-node chains are fine): a node is listed once
    all its parents are, which lists every node after its parents; reversed, before them.
    """
    parents_first: list[Value] = []
    visited = set()
    # Two stacks kept in step, the node and whether its parents are listed already: a stack
    # of (node, flag) pairs would allocate a pair per visit, and on a million-node graph the
    # garbage collections those allocations set off cost more than the walk itself.
    to_visit, parents_listed = [root], [False]
    while to_visit:
        node, listed = to_visit.pop(), parents_listed.pop()
        if listed:
            parents_first.append(node)
        elif node not in visited:
            visited.add(node)
            to_visit.append(node)  # again, to be listed after the parents pushed above it
            parents_listed.append(True)
            for parent in reversed(node.parents):  # reversed: the first parent is listed first
                if parent not in visited:
                    to_visit.append(parent)
                    parents_listed.append(False)
    parents_first.reverse()
    return parents_first


def start_pass(root: Value, grad: float) -> tuple[list[Value], list[tuple[Value, float]]]:
    """Begin a backward pass: the order, and the leaf grads held from earlier passes.

    Every node's grad is set to 0 and the root's to ``grad``. Leaves get their earlier grads
    back in ``finish_pass``, only after this pass, so that two passes give exactly twice one.
    """
    seed = as_float(grad, "backward: grad")
    order = topological_order(root)
    accumulated = [(node, node.grad) for node in order if not node.parents and node.grad]
    for node in order:
        node.grad = 0.0
    root.grad = seed
    return order, accumulated


def finish_pass(accumulated: list[tuple[Value, float]], who: str = "backward") -> None:
    """End a backward pass: add back what leaves held before it (all of it, or none on overflow)."""
    totals = [leaf.grad + previous for leaf, previous in accumulated]
    for (leaf, _), total in zip(accumulated, totals):
        if not -_INF < total < _INF:
            message = f"{who}: the accumulated grad of {_name(leaf)} overflows a float; zero it first"
            raise OverflowError(message)
    for (leaf, _), total in zip(accumulated, totals):
        leaf.grad = total


def abandon_pass(order: list[Value], accumulated: list[tuple[Value, float]]) -> None:
    """Undo a pass that stopped early: every leaf gets back the grad it held before it."""
    for node in order:
        if not node.parents:
            node.grad = 0.0
    for leaf, previous in accumulated:
        leaf.grad = previous


def backward(root: Value, grad: float = 1.0) -> None:
    """Set ``node.grad`` = d(root)/d(node) for interior nodes and add it to leaves' grads.

    A gradient too large for a float (a long product of large local derivatives) raises
    ``OverflowError`` at the first node it reaches, rather than spreading inf and nan; leaves
    then keep the grads they had, as after any pass that stops early (Ctrl-C, say).
    """
    order, accumulated = start_pass(root, grad)
    try:
        for node in order:
            upstream = node.grad  # complete: every node that uses this one came earlier
            if not -_INF < upstream < _INF:  # also false for nan
                raise _overflowed(root, node, upstream)
            for parent, local in zip(node.parents, node.local_grads):
                parent.grad += local * upstream
        finish_pass(accumulated)
    except BaseException:
        abandon_pass(order, accumulated)
        raise


def _overflowed(root: Value, node: Value, gradient: float, who: str = "backward") -> OverflowError:
    """The error for d(root)/d(node) = ``gradient`` when that is not a finite float."""
    return OverflowError(
        f"{who}: the gradient at {_name(node)} is {gradient!r}, too large for a float "
        f"(a product of large local derivatives on the way from {_name(root)})"
    )


def _name(node: Value) -> str:
    """A node as an error message names it: its label, else what it is and its data."""
    if node.label:
        return node.label
    what = f"{node.op!r} node" if node.parents else "leaf"
    return f"the {what} holding {node.data!r}"


def grad(output: Value, inputs: Iterable[Value], create_graph: bool = False) -> list[Value]:
    """d(output)/d(input) for each input, leaving every ``.grad`` untouched.

    With ``create_graph=True`` the gradients are Values with history (built by the ops' rules
    evaluated on Values), so they can be differentiated again: grad of grad works.
    """
    if not isinstance(output, Value):
        raise TypeError(f"grad: output must be a Value, got {type(output).__name__}: {output!r}")
    if isinstance(inputs, Value):
        raise TypeError("grad: inputs must be a list of Values; for one input write grad(output, [x])")
    inputs = list(inputs)  # a generator would be used up by this check
    for x in inputs:
        if not isinstance(x, Value):
            raise TypeError(f"grad: inputs must be Values, got {type(x).__name__}: {x!r}")
    grads: dict[Value, Value | float] = {output: Value(1.0) if create_graph else 1.0}
    for node in topological_order(output):
        upstream = grads.get(node)
        if upstream is None or not node.parents:
            continue
        local_grads = _local_grads_as_values(node) if create_graph else node.local_grads
        for parent, local in zip(node.parents, local_grads):
            contribution = local * upstream
            previous = grads.get(parent)
            grads[parent] = contribution if previous is None else previous + contribution
    results = []
    for x in inputs:
        g = grads.get(x, 0.0)
        if not isinstance(g, Value) and not -_INF < g < _INF:
            raise _overflowed(output, x, g, "grad")
        results.append(g if isinstance(g, Value) else Value(g))
    return results


def _local_grads_as_values(node: Value) -> tuple[Value | float, ...]:
    op = node._op
    assert op is not None  # interior nodes always have an op
    if op.first_order:
        raise TypeError(
            f"primitive {op.name!r} has a first-order derivative (it takes floats), "
            "so grad(..., create_graph=True) cannot differentiate through it again"
        )
    local_grads: tuple[Value | float, ...] = op.rule(VALUE_MATH, *node.parents)[1]
    return local_grads

