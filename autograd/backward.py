"""Reverse mode: the topological order, the backward pass and ``grad``.

The chain rule is one line, ``parent.grad += local * node.grad``, applied to every node
once all the nodes that use it have passed their gradient back. ``BackwardPass`` is what
``backward`` and ``backward_steps`` share: it claims the graph's grads for the pass, seeds the
root, and at the end adds back what leaves held before (or, if the pass stops early, puts
it back). Two passes over graphs that share nodes never interleave: a pass in another thread
waits for a running one to finish, and a pass overtakes a paused ``backward_steps()`` walk.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from types import TracebackType

from autograd.value import VALUE_MATH, Value, as_float

__all__ = [
    "topological_order", "BackwardPass", "backward", "grad", "overflowed", "accumulated_overflow", "name_of",
]

_INF = float("inf")


def topological_order(root: Value) -> list[Value]:
    """Every node ``root`` depends on, root first, each node before its parents.

    Depth first, without recursion (so million-node chains are fine): a node is listed once
    all its parents are, which lists every node after its parents; reversed, before them.
    """
    return _order_and_nodes(root)[0]


def _order_and_nodes(root: Value) -> tuple[list[Value], set[Value]]:
    """``topological_order(root)`` and the same nodes as a set (the walk builds it anyway)."""
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
    return parents_first, visited


# The passes under way, and the lock that guards them and every pass's claim on its grads.
_passes: list[BackwardPass] = []
_lock = threading.Lock()
_pass_ended = threading.Condition(_lock)


class BackwardPass:
    """One backward pass over ``root``'s graph, as a context manager that yields the order.

    On entry every node's grad is set to 0 and the root's to ``grad``; what leaves held before
    is kept in ``held``. On a normal exit the leaves get it added back (all of them, or none
    if a sum overflows), so two passes give exactly twice one; on an exception they get it
    back unchanged, as if the pass had not started. A caller that keeps a leaf's pass-only
    sum apart from its grad (``backward_steps`` shows held + running sum) puts it in ``sums``.
    """

    def __init__(self, root: Value, grad: float, who: str = "backward") -> None:
        self.root = root
        self.seed = as_float(grad, f"{who}: grad")
        self.who = who
        self.order, self.nodes = _order_and_nodes(root)
        self.held: dict[Value, float] = {}
        self.sums: dict[Value, float] = {}
        self.thread = threading.get_ident()
        self.running = True  # False while a stepper is paused between steps
        self.overtaken = False  # set when a later pass took this one's graph while it was paused

    def __enter__(self) -> list[Value]:
        with _lock:
            self._wait_for_running_passes()
            for other in [p for p in _passes if not p.nodes.isdisjoint(self.order)]:
                other._overtake()
            self.held = {node: node._grad for node in self.order if not node.parents and node._grad}
            for node in self.order:
                node._grad = 0.0
            self.root._grad = self.seed
            _passes.append(self)
        return self.order

    def _wait_for_running_passes(self) -> None:
        """Wait (the lock held) until no running pass in another thread shares a node with this one."""
        while True:
            running = [p for p in _passes if p.running and not p.nodes.isdisjoint(self.order)]
            if not running:
                return
            if any(p.thread == self.thread for p in running):  # cannot happen from the engine's own loops
                raise RuntimeError(f"{self.who}: a backward pass over this graph is already running here")
            _pass_ended.wait()

    def _overtake(self) -> None:
        """Give up a paused pass's claim (the lock held): its leaves get back what they held before."""
        self._restore()
        self.overtaken = True
        _passes.remove(self)

    def _restore(self) -> None:
        for node in self.order:
            if not node.parents:
                node._grad = 0.0
        for leaf, before in self.held.items():
            leaf._grad = before

    def pause(self) -> None:
        """Mark the pass paused (a stepper about to yield): a later pass may overtake it."""
        with _lock:
            self.running = False
            _pass_ended.notify_all()

    def resume(self) -> None:
        """Mark the pass running again, or raise if a later pass has overtaken it meanwhile."""
        with _lock:
            if self.overtaken:
                raise RuntimeError(
                    f"{self.who}: a later backward pass over the same graph (a backward() call, or "
                    "another backward_steps()) overtook this paused walk and has its gradients; "
                    "start a new walk with backward_steps()"
                )
            self._wait_for_running_passes()
            self.running = True

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, traceback: TracebackType | None
    ) -> None:
        with _lock:
            if self.overtaken:
                return  # the graph is another pass's now: nothing here is ours to add or put back
            try:
                if kind is None:
                    self._add_back_held()
                else:
                    self._restore()
            except BaseException:
                self._restore()
                raise
            finally:
                _passes.remove(self)
                _pass_ended.notify_all()

    def _add_back_held(self) -> None:
        totals = [(leaf, self.sums.get(leaf, leaf._grad) + before) for leaf, before in self.held.items()]
        for leaf, total in totals:
            if not -_INF < total < _INF:
                raise accumulated_overflow(leaf, self.who)
        for leaf, total in totals:
            leaf._grad = total


def backward(root: Value, grad: float = 1.0) -> None:
    """Set ``node.grad`` = d root/d node for interior nodes and add it to leaves' grads.

    A gradient too large for a float (a long product of large local derivatives) raises
    ``OverflowError`` at the first node it reaches, rather than spreading inf and nan; leaves
    then keep the grads they had, as after any pass that stops early (Ctrl-C, say).
    """
    with BackwardPass(root, grad) as order:
        for node in order:
            upstream = node._grad  # complete: every node that uses this one came earlier
            if not -_INF < upstream < _INF:  # also false for nan
                raise overflowed(root, node, upstream)
            for parent, local in zip(node.parents, node.local_grads):
                parent._grad += local * upstream


def overflowed(root: Value, node: Value, gradient: float, who: str = "backward") -> OverflowError:
    """The error for d root/d node = ``gradient`` when that is not a finite float."""
    return OverflowError(
        f"{who}: the gradient at {name_of(node)} is {gradient!r}, too large for a float "
        f"(a product of large local derivatives on the way from {name_of(root)})"
    )


def accumulated_overflow(leaf: Value, who: str) -> OverflowError:
    """The error for a leaf whose grad, added to what it held before the pass, is not a finite float."""
    return OverflowError(f"{who}: the accumulated grad of {name_of(leaf)} overflows a float; zero it first")


def name_of(node: Value) -> str:
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
            raise overflowed(output, x, g, "grad")
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
