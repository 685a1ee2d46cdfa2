"""Blame: check every node's local derivatives on their own, to find the op whose rule is wrong.

When a whole gradient disagrees with finite differences, the wrong factor is somewhere in the
chain rule's product. Each node stores ∂node/∂parent as its op's rule computed it; here
each of those is set against a central difference of the op's forward alone, at the node's
own inputs. A node that disagrees is the culprit, whatever the rest of the graph does.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from autograd.backward import grad, topological_order
from autograd.expression import definition, node_names
from autograd.notation import as_operand, local_name, short_number
from autograd.numerical import ATOL, RTOL, central_difference, step_size, within_tolerance
from autograd.ops import FLOAT_MATH, Op
from autograd.value import VALUE_MATH, Value

__all__ = ["LocalMismatch", "blame"]

# Near a kink or pole the local step shrinks to this fraction of the distance to it, so the
# difference neither straddles it nor feels its curvature (truncation ~ (h / distance)**2).
_KINK_STEP_FRACTION = 0.01


@dataclass(frozen=True)
class LocalMismatch:
    """One local derivative that disagrees with the finite difference of its op's forward."""

    node: Value
    operand: int  # which parent (0-based): the edge along which the derivative is wrong
    analytic: float
    numeric: float
    description: str  # e.g. "bad_square at v1 = bad_square(x): local ∂v1/∂x analytic 6, numeric 3"

    def __str__(self) -> str:
        return self.description


def blame(root: Value, *, atol: float = ATOL, rtol: float = RTOL, order: int = 1) -> list[LocalMismatch]:
    """Every local derivative in ``root``'s graph that its op's forward contradicts, first computed first.

    ``order=1`` checks each stored ∂node/∂parent; ``order=2`` checks their derivatives in
    turn, as ``grad(..., create_graph=True)`` computes them from the op's rule on Values. A node
    sitting exactly on its op's kink is skipped: its derivative there is a convention. Pass
    the nodes to ``autograd.draw(root, highlight=[m.node for m in mismatches])`` to see them.

    >>> from autograd import primitive
    >>> bad_square = primitive("bad_square", lambda x: x * x, lambda x: (3 * x,))
    >>> x = Value(2.0, "x")
    >>> [str(m) for m in blame(bad_square(x) + 1)]
    ['bad_square at v1 = bad_square(x): local ∂v1/∂x analytic 6, numeric 4']
    """
    if order not in (1, 2):
        raise ValueError(f"blame: order must be 1 or 2, got {order!r}")
    nodes = topological_order(root)
    names = node_names(root, nodes)
    found = []
    for node in reversed(nodes):
        op = node._op
        if op is None or (order == 2 and op.first_order):
            continue  # leaves have nothing to check; user primitives have no second derivative
        point = [parent.data for parent in node.parents]
        steps = _local_steps(op, point)
        if steps is None:
            continue
        checks = _first_order_checks(node, op) if order == 1 else _second_order_checks(node, op)
        for operand, wrt, analytic, numeric_of in checks:
            try:
                numeric = central_difference(numeric_of, point, wrt, steps[wrt])
            except (ArithmeticError, ValueError):
                continue  # a user op's undeclared domain edge within the step: nothing to compare
            if not within_tolerance(analytic, numeric, atol, rtol):
                name = _local_name(node, operand, wrt, names, order)
                description = (
                    f"{op.name} at {definition(node, names)}: local {name} "
                    f"analytic {short_number(analytic)}, numeric {short_number(numeric)}"
                )
                found.append(LocalMismatch(node, operand, analytic, numeric, description))
    return found


_Check = tuple[int, int, float, Callable[[list[float]], float]]  # operand, wrt, analytic, function


def _first_order_checks(node: Value, op: Op) -> list[_Check]:
    """∂node/∂(parent j) as stored, against the op's forward differenced along parent j."""

    def forward(point: list[float]) -> float:
        return float(op.rule(FLOAT_MATH, *point)[0])

    return [(j, j, local, forward) for j, local in enumerate(node.local_grads)]


def _second_order_checks(node: Value, op: Op) -> list[_Check]:
    """∂/∂(parent k) of ∂node/∂(parent j) as the rule on Values gives it, against differences."""
    leaves = [Value(parent.data) for parent in node.parents]
    local_grads = op.rule(VALUE_MATH, *leaves)[1]
    checks: list[_Check] = []
    for j, local in enumerate(local_grads):
        # A constant local derivative (a float, as relu's) has zero derivatives of its own.
        second = [g.data for g in grad(local, leaves)] if isinstance(local, Value) else [0.0] * len(leaves)

        def local_grad(point: list[float], j: int = j) -> float:
            return float(op.rule(FLOAT_MATH, *point)[1][j])

        checks += [(j, k, derivative, local_grad) for k, derivative in enumerate(second)]
    return checks


def _local_steps(op: Op, point: list[float]) -> list[float] | None:
    """A step per operand that stays clear of the op's kinks; None when the node sits on one."""
    steps = [step_size(x) for x in point]
    if op.smooth_distance is None:
        return steps
    distance = op.smooth_distance(*point)
    if distance <= 0:
        return None
    return [min(h, distance * _KINK_STEP_FRACTION) for h in steps]


def _local_name(node: Value, operand: int, wrt: int, names: dict[Value, str], order: int) -> str:
    """``∂v1/∂x``, or ``∂²v1/∂x∂y`` for a second derivative; operand numbers added when names repeat."""
    parent_names = [names[parent] for parent in node.parents]
    repeated = len(set(parent_names)) < len(parent_names)
    if order == 1:
        name = local_name(names[node], parent_names[operand])
        return f"{name} (operand {operand + 1})" if repeated else name
    node_name, first, second = (
        as_operand(n) for n in (names[node], parent_names[operand], parent_names[wrt])
    )
    name = f"∂²{node_name}/∂{first}∂{second}"
    return f"{name} (operands {operand + 1}, {wrt + 1})" if repeated else name
