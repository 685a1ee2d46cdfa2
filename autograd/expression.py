"""How nodes are written: short names for reports, and a node's expression as text.

``node_names`` gives every node of a graph a name (its label, else ``v1``, ``v2``, ... in the
order the nodes were computed); ``definition`` writes one node over its parents' names
(``n = h + b``); ``expression`` writes a node as a whole formula such as ``tanh(x*w + b)``.
Both use the fewest parentheses Python's precedence allows.
"""

from __future__ import annotations

from collections.abc import Sequence

from autograd.backward import topological_order
from autograd.notation import format_number, signed_sum, visible
from autograd.ops import DEFAULT_LEAKY_SLOPE
from autograd.value import Value

__all__ = [
    "node_names", "definition", "expression", "SUM", "PRODUCT", "NEGATION", "POWER", "ATOM", "BINARY",
    "binary", "wrap",
]

# Python's binding strengths: a higher number binds tighter.
SUM, PRODUCT, NEGATION, POWER, ATOM = 1, 2, 3, 4, 5
BINARY = {"+": SUM, "-": SUM, "*": PRODUCT, "/": PRODUCT, "**": POWER}
"""Each binary operator's binding strength."""


def node_names(root: Value, order: Sequence[Value] | None = None) -> dict[Value, str]:
    """A name for every node ``root`` depends on, for reports and pictures.

    A labelled node is its label (a label used twice gets ``#2``, ``#3``, ...); an unlabelled
    leaf is a constant and is written as its number; other nodes are ``v1``, ``v2``, ...,
    numbered in a forward order (operands left to right, which is the order Python computes a
    graph written as one expression in), so the names read naturally in a forward listing.
    ``order`` is ``topological_order(root)``, for a caller that has it already (it saves a walk).
    """
    if order is None:
        order = topological_order(root)
    taken = {visible(node.label) for node in order if node.label}
    names: dict[Value, str] = {}
    uses: dict[str, int] = {}
    unnamed = 0
    for node in reversed(order):
        if node.label:
            label = visible(node.label)
            uses[label] = uses.get(label, 0) + 1
            count = uses[label]
            names[node] = label if count == 1 else f"{label}#{count}"
        elif not node.parents:
            names[node] = format_number(node.data)
        else:
            unnamed += 1
            while f"v{unnamed}" in taken:
                unnamed += 1
            names[node] = f"v{unnamed}"
    return names


def definition(node: Value, names: dict[Value, str]) -> str:
    """One node's formula over its parents' names, e.g. ``"n = h + b"`` (from ``node_names``)."""
    if not node.parents:
        return f"{names[node]} = {format_number(node.data)}"
    operands = [(names[parent], _name_strength(names[parent])) for parent in node.parents]
    return f"{names[node]} = {_write(node, operands)[0]}"


def expression(node: Value, max_length: int = 200) -> str:
    """``node`` as a formula over its parents, down to leaves and labelled nodes.

    Leaves appear as their label, or their number when unlabelled; a labelled interior node
    appears by its label (the root itself is always written out). Text longer than
    ``max_length`` is cut with "…", so huge graphs cost time linear in their size.

    >>> x, w, b = Value(0.5, "x"), Value(-1.25, "w"), Value(0.2, "b")
    >>> expression((x * w + b).tanh())
    'tanh(x*w + b)'
    >>> expression((x + 1) * -x / 2)
    '(x + 1)*(-x)/2'
    """
    written: dict[Value, tuple[str, int]] = {}
    if not node.parents:  # a leaf is its label, or its number
        return _operand_text(node, written)[0]
    for current in reversed(_to_write_out(node)):
        text, strength = _write(current, [_operand_text(parent, written) for parent in current.parents])
        if len(text) > max_length:
            text, strength = text[: max_length - 1] + "…", ATOM
        written[current] = (text, strength)
    return written[node][0]


def _to_write_out(root: Value) -> list[Value]:
    """The nodes whose formula appears in root's text, root first, each before its parents."""
    needed = topological_order(root)
    return [node for node in needed if node is root or (node.parents and not node.label)]


def _operand_text(parent: Value, written: dict[Value, tuple[str, int]]) -> tuple[str, int]:
    if parent in written:
        return written[parent]
    if parent.label:
        return visible(parent.label), ATOM
    number = format_number(parent.data)
    return number, _name_strength(number)


def _name_strength(name: str) -> int:
    return NEGATION if name.startswith("-") else ATOM


def _write(node: Value, operands: list[tuple[str, int]]) -> tuple[str, int]:
    """The formula for one node given its operands' text and binding strength."""
    op = node._op
    assert op is not None  # only interior nodes are written out
    if op.name in BINARY and len(operands) == 2:
        return binary(op.name, operands[0], operands[1])
    if op.name == "**":  # a constant exponent, held by the op
        assert op.param is not None
        return binary("**", operands[0], (format_number(op.param), ATOM if op.param >= 0 else NEGATION))
    if op.name == "neg":
        return "-" + wrap(operands[0], POWER), NEGATION  # -(-x), but -x**2
    if op.name == "dot":
        *pairs, bias = operands
        terms = [binary("*", w, x)[0] for w, x in zip(pairs[::2], pairs[1::2])] + [wrap(bias, SUM)]
        return signed_sum(terms), SUM  # w*x - 0.5, not w*x + -0.5
    arguments = [text for text, _ in operands]
    if op.name == "leaky_relu" and op.param != DEFAULT_LEAKY_SLOPE:
        assert op.param is not None
        arguments.append(format_number(op.param))
    return f"{op.name}({', '.join(arguments)})", ATOM


def binary(
    symbol: str, left: tuple[str, int], right: tuple[str, int], *, as_source: bool = False
) -> tuple[str, int]:
    """``left symbol right`` with the parentheses precedence needs, and how tightly it binds.

    Each operand is its text and binding strength. Written for a reader: ``x*w + b``, with a
    negative right operand in parentheses, ``x*(-y)``. ``as_source`` writes Python source the
    way ``compile`` shows it: spaces around every operator and no parentheses Python does not need.
    """
    strength = BINARY[symbol]
    if symbol == "**":  # right-associative, and binds tighter than a unary minus on its left
        left_text, right_text = wrap(left, strength + 1), wrap(right, strength)
    else:  # left-associative: a - (b - c) and a/(b*c) keep their parentheses
        left_text, right_text = wrap(left, strength), wrap(right, strength + 1)
    if right[1] == NEGATION and not as_source:  # x*(-y), not x*-y
        right_text = f"({right[0]})"
    spaced = f" {symbol} " if strength == SUM or as_source else symbol
    return f"{left_text}{spaced}{right_text}", strength


def wrap(operand: tuple[str, int], needed: int) -> str:
    """An operand's text, in parentheses if it binds less tightly than ``needed``."""
    text, strength = operand
    return text if strength >= needed else f"({text})"
