"""The graph as indented text, for a REPL with no pictures: ``print(tree(loss))``.

Each line is a node (its formula over its parents' names, or a leaf's name), its data and
grad, and the local derivative of the node above it with respect to it. A node used twice
is written out once; later it reads "(see above)", so shared subgraphs print once. Lines
deeper than a screen's width of guides start with their depth instead, so a deep graph
prints in time and space linear in its lines.
"""

from __future__ import annotations

from dataclasses import dataclass

from autograd.expression import definition, node_names
from autograd.notation import local_name, short_number
from autograd.value import Constant, Value

__all__ = ["tree"]

_Row = tuple[str, str, str, str]  # branch and formula, data, grad, local derivative

_DEEPEST_GUIDES = 16  # deeper lines say "[depth 17]" instead of drawing one guide per level


@dataclass(slots=True)
class _Open:
    """A node whose parents are being written below it."""

    node: Value
    depth: int  # the root is at depth 0
    guides: str  # the guides its parents' lines start with ("" past _DEEPEST_GUIDES)
    next_parent: int = 0


def tree(root: Value, max_lines: int | None = 40) -> str:
    """``root`` and what it was computed from, one node per line, parents indented below.

    >>> x, w, b = Value(0.5, "x"), Value(-1.25, "w"), Value(0.2, "b")
    >>> y = (x * w + b).tanh()
    >>> y.label = "y"
    >>> y.backward()
    >>> print(tree(y))
    y = tanh(v2)    data -0.4011  grad 1
    └─ v2 = v1 + b  data -0.425   grad 0.8391  ∂y/∂v2 = 0.8391
       ├─ v1 = x*w  data -0.625   grad 0.8391  ∂v2/∂v1 = 1
       │  ├─ x      data 0.5      grad -1.049  ∂v1/∂x = -1.25
       │  └─ w      data -1.25    grad 0.4195  ∂v1/∂w = 0.5
       └─ b         data 0.2      grad 0.8391  ∂v2/∂b = 1

    Past depth 16 a line starts with its depth, not with 16 or more guides:
    ``[depth 17] └─ v3 = sin(v2)``.
    """
    if not isinstance(root, Value):
        raise TypeError(f"tree: root must be a Value, got {type(root).__name__}")
    if max_lines is not None and max_lines < 1:
        raise ValueError(f"tree: max_lines must be at least 1 (or None for all), got {max_lines}")
    names = node_names(root)
    rows = [_row(root, "", names, None, 0, seen=False)]
    written_out = {root}
    # One entry per level, each taking its parents one at a time, so that a node with a million
    # operands costs only the lines shown.
    open_nodes = [_Open(root, 0, "")] if root.parents else []
    while open_nodes:
        above = open_nodes[-1]
        user, operand = above.node, above.next_parent
        if operand == len(user.parents):
            open_nodes.pop()
            continue
        if max_lines is not None and len(rows) == max_lines:
            break
        above.next_parent += 1
        node = user.parents[operand]
        more = operand < len(user.parents) - 1
        depth = above.depth + 1
        if depth <= _DEEPEST_GUIDES:
            branch = above.guides + ("├─ " if more else "└─ ")
            guides = above.guides + ("│  " if more else "   ")
        else:
            branch, guides = f"[depth {depth}] " + ("├─ " if more else "└─ "), ""
        seen = node in written_out
        rows.append(_row(node, branch, names, user, operand, seen))
        if node.parents and not seen:
            written_out.add(node)
            open_nodes.append(_Open(node, depth, guides))
    lines = _columns(rows)
    if open_nodes:
        lines.append(f"… cut at {max_lines} lines; tree(root, max_lines=None) prints them all")
    return "\n".join(lines)


def _row(
    node: Value, branch: str, names: dict[Value, str], user: Value | None, operand: int, seen: bool
) -> _Row:
    """One node's line: its branch and formula, data, grad (none for a constant), and ∂user/∂node."""
    formula = definition(node, names) if node.parents else names[node]
    local = ""
    if user is not None:
        local = f"{local_name(names[user], names[node])} = {short_number(user.local_grads[operand])}"
    return (
        branch + formula + (" (see above)" if seen else ""),
        f"data {short_number(node.data)}",
        "" if isinstance(node, Constant) else f"grad {short_number(node.grad)}",
        local,
    )


def _columns(rows: list[_Row]) -> list[str]:
    """The rows with their columns lined up, trailing spaces dropped."""
    widths = [max(len(row[column]) for row in rows) for column in range(3)]
    return [
        "  ".join(text.ljust(width) for text, width in zip(row, [*widths, 0])).rstrip()
        for row in rows
    ]
