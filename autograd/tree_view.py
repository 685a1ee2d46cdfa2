"""The graph as indented text, for a REPL with no pictures: ``print(tree(loss))``.

Each line is a node (its formula over its parents' names, or a leaf's name), its data and
grad, and the local derivative of the node above it with respect to it. A node used twice
is written out once; later it reads "(see above)", so shared subgraphs print once.
"""

from __future__ import annotations

from autograd.expression import definition, node_names
from autograd.notation import derivative_name, short_number
from autograd.value import Value

__all__ = ["tree"]

_Row = tuple[str, str, str, str]  # branch and formula, data, grad, local derivative


def tree(root: Value, max_lines: int | None = 40) -> str:
    """``root`` and what it was computed from, one node per line, parents indented below.

    >>> x, w, b = Value(0.5, "x"), Value(-1.25, "w"), Value(0.2, "b")
    >>> y = (x * w + b).tanh()
    >>> y.label = "y"
    >>> y.backward()
    >>> print(tree(y))
    y = tanh(v2)    data -0.4011  grad 1
    └─ v2 = v1 + b  data -0.425   grad 0.8391  dy/dv2 = 0.8391
       ├─ v1 = x*w  data -0.625   grad 0.8391  dv2/dv1 = 1
       │  ├─ x      data 0.5      grad -1.049  dv1/dx = -1.25
       │  └─ w      data -1.25    grad 0.4195  dv1/dw = 0.5
       └─ b         data 0.2      grad 0.8391  dv2/db = 1
    """
    if not isinstance(root, Value):
        raise TypeError(f"tree: root must be a Value, got {type(root).__name__}")
    if max_lines is not None and max_lines < 1:
        raise ValueError(f"tree: max_lines must be at least 1 (or None for all), got {max_lines}")
    names = node_names(root)
    rows: list[_Row] = []
    written_out: set[Value] = set()
    # (node, its line's branch, its children's indent, the node above it, which operand it is there)
    to_write: list[tuple[Value, str, str, Value | None, int]] = [(root, "", "", None, 0)]
    while to_write and (max_lines is None or len(rows) < max_lines):
        node, branch, indent, user, operand = to_write.pop()
        seen = node in written_out
        formula = definition(node, names) if node.parents else names[node]
        local = ""
        if user is not None:
            local = f"{derivative_name(names[user], names[node])} = {short_number(user.local_grads[operand])}"
        rows.append((
            branch + formula + (" (see above)" if seen else ""),
            f"data {short_number(node.data)}",
            f"grad {short_number(node.grad)}",
            local,
        ))
        if node.parents and not seen:
            written_out.add(node)
            last = len(node.parents) - 1
            for index in range(last, -1, -1):  # pushed in reverse so the first parent comes out first
                more = index < last
                to_write.append((
                    node.parents[index],
                    indent + ("├─ " if more else "└─ "),
                    indent + ("│  " if more else "   "),
                    node,
                    index,
                ))
    lines = _columns(rows)
    if to_write:
        lines.append(f"… cut at {max_lines} lines; tree(root, max_lines=None) prints them all")
    return "\n".join(lines)


def _columns(rows: list[_Row]) -> list[str]:
    """The rows with their columns lined up, trailing spaces dropped."""
    widths = [max(len(row[column]) for row in rows) for column in range(3)]
    return [
        "  ".join(text.ljust(width) for text, width in zip(row, [*widths, 0])).rstrip()
        for row in rows
    ]
