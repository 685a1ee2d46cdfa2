"""Reverse mode: the topological order, the backward loop and ``grad``.

The chain rule is one line, ``parent.grad += local * node.grad``, applied to every node
once all the nodes that use it have passed their gradient back.
"""

from __future__ import annotations

from collections.abc import Sequence

from autograd.value import VALUE_MATH, Value

__all__ = ["topological_order", "start_pass", "finish_pass", "backward", "grad"]


def topological_order(root: Value) -> list[Value]:
    """Every node ``root`` depends on, root first, each node before its parents.

    Kahn's algorithm, without recursion: count how many users each node has in the graph,
    then emit a node once all its users have been emitted. Million-node chains are fine.
    """
    users: dict[Value, int] = {root: 0}
    to_visit = [root]
    while to_visit:
        node = to_visit.pop()
        for parent in node.parents:
            if parent in users:
                users[parent] += 1
            else:
                users[parent] = 1
                to_visit.append(parent)
    order = []
    ready = [root]
    while ready:
        node = ready.pop()
        order.append(node)
        for parent in node.parents:
            users[parent] -= 1
            if users[parent] == 0:
                ready.append(parent)
    return order


def start_pass(root: Value, grad: float) -> tuple[list[Value], list[tuple[Value, float]]]:
    """Begin a backward pass: the order, and the leaf grads held from earlier passes.

    Every node's grad is set to 0 and the root's to ``grad``. Leaves get their earlier grads
    back in ``finish_pass``, only after this pass, so that two passes give exactly twice one.
    """
    order = topological_order(root)
    accumulated = [(node, node.grad) for node in order if not node.parents and node.grad]
    for node in order:
        node.grad = 0.0
    root.grad = float(grad)
    return order, accumulated


def finish_pass(accumulated: list[tuple[Value, float]]) -> None:
    """End a backward pass: add back what leaves held before it."""
    for leaf, previous in accumulated:
        leaf.grad += previous


def backward(root: Value, grad: float = 1.0) -> None:
    """Set ``node.grad`` = d(root)/d(node) for interior nodes and add it to leaves' grads."""
    order, accumulated = start_pass(root, grad)
    for node in order:
        upstream = node.grad  # complete: every node that uses this one came earlier
        for parent, local in zip(node.parents, node.local_grads):
            parent.grad += local * upstream
    finish_pass(accumulated)


def grad(output: Value, inputs: Sequence[Value], create_graph: bool = False) -> list[Value]:
    """d(output)/d(input) for each input, leaving every ``.grad`` untouched.

    With ``create_graph=True`` the gradients are Values with history (built by the ops' rules
    evaluated on Values), so they can be differentiated again: grad of grad works.
    """
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
    return [_as_result(grads.get(x, 0.0)) for x in inputs]


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


def _as_result(g: Value | float) -> Value:
    return g if isinstance(g, Value) else Value(g)
