"""How nodes are written: short names for reports, and a node's expression as text.

``node_names`` gives every node of a graph a name (its label, else ``v1``, ``v2``, ... in the
order the nodes were computed); ``definition`` writes one node over its parents' names
(``n = h + b``); ``expression`` writes a node as a whole formula such as ``tanh(x*w + b)``.
Both use the fewest parentheses Python's precedence allows, and both are cut at a length:
they write a formula piece by piece, from the left, and stop once they have enough, so a
million-operand ``dot`` or a million-step chain costs what the shown text costs.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import NamedTuple, TypeVar

from autograd.backward import topological_order
from autograd.notation import format_number, visible
from autograd.ops import DEFAULT_LEAKY_SLOPE
from autograd.value import Constant, Value

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

    A labelled node is its label (a label used twice gets ``#2``, ``#3``, ...); a constant is
    written as its number; an unlabelled input is ``x1``, ``x2``, ... and other nodes are
    ``v1``, ``v2``, ..., numbered in a forward order (operands left to right, which is the order
    Python computes a graph written as one expression in), so the names read naturally in a
    forward listing.
    ``order`` is ``topological_order(root)``, for a caller that has it already (it saves a walk).
    """
    if order is None:
        order = topological_order(root)
    names: dict[Value, str] = {}
    uses: dict[str, int] = {}  # each label, and how many nodes carry it so far
    unnamed: list[Value] = []
    for node in reversed(order):
        if node.label:
            label = visible(node.label)
            count = uses[label] = uses.get(label, 0) + 1
            names[node] = label if count == 1 else f"{label}#{count}"
        elif isinstance(node, Constant):
            names[node] = format_number(node.data)
        else:
            unnamed.append(node)
            names[node] = ""  # numbered below, once every label is known; this keeps the order
    numbers = {"v": 0, "x": 0}
    for node in unnamed:
        prefix = "v" if node.parents else "x"
        numbers[prefix] += 1
        while f"{prefix}{numbers[prefix]}" in uses:  # a node labelled "v2" keeps it; the unnamed skip it
            numbers[prefix] += 1
        names[node] = f"{prefix}{numbers[prefix]}"
    return names


def definition(node: Value, names: dict[Value, str], max_length: int = 200) -> str:
    """One node's formula over its parents' names, e.g. ``"n = h + b"`` (from ``node_names``).

    Past ``max_length`` characters the formula is cut with "…"; a long ``dot`` or call is cut
    after a whole term or argument and says how many it leaves out.

    >>> from autograd import dot
    >>> y = dot([Value(2.0, f"w{i}") for i in range(1000)], [Value(1.0, f"x{i}") for i in range(1000)])
    >>> definition(y, node_names(y), max_length=60)
    'v1 = w0*x0 + w1*x1 + w2*x2 + w3*x3 … (997 more terms)'
    """
    _check_length("definition", max_length)
    head = f"{names[node]} = "
    if not node.parents:
        return _cut(head + format_number(node.data), max_length)
    writer = _Writer(lambda parent: (names[parent], _name_strength(names[parent])))
    gaps: list[tuple[int, _Gap]] = []
    text = head + _write(writer, node, max_length - len(head), gaps)
    if len(text) <= max_length:
        return text
    for at, gap in reversed(gaps):
        left = gap.items_left
        tail = f" … ({left:,} more {gap.item}{'' if left == 1 else 's'})"
        if len(head) + at + len(tail) <= max_length:
            return text[: len(head) + at] + tail
    return _cut(text, max_length)


def expression(node: Value, max_length: int = 200, names: Mapping[Value, str] | None = None) -> str:
    """``node`` as a formula over its parents, down to leaves and labelled nodes.

    Leaves appear as their label, or their number when unlabelled (by their name in ``names``
    instead, when given, as a view that calls an input ``x1`` writes it; constants stay
    numbers); a labelled interior node appears by its label (the root is always written out). Text longer than
    ``max_length`` is cut with "…": it is written from the left and the writing stops there,
    so the time taken follows the text shown, not the size of the graph.

    >>> x, w, b = Value(0.5, "x"), Value(-1.25, "w"), Value(0.2, "b")
    >>> expression((x * w + b).tanh())
    'tanh(x*w + b)'
    >>> expression((x + 1) * -x / 2)
    '(x + 1)*(-x)/2'
    """
    _check_length("expression", max_length)
    if not node.parents:  # a leaf is its label, or its number
        return _cut(_operand_text(node)[0], max_length)

    def atom(parent: Value) -> tuple[str, int] | None:
        if parent.parents and not parent.label:
            return None
        if names is not None and not parent.parents and not isinstance(parent, Constant):
            return names[parent], _name_strength(names[parent])
        return _operand_text(parent)

    return _cut(_write(_Writer(atom), node, max_length), max_length)


def binary(
    symbol: str, left: tuple[str, int], right: tuple[str, int], *, as_source: bool = False
) -> tuple[str, int]:
    """``left symbol right`` with the parentheses precedence needs, and how tightly it binds.

    Each operand is its text and binding strength. Written for a reader: ``x*w + b``, with a
    negative right operand in parentheses, ``x*(-y)``. ``as_source`` writes Python source the
    way ``compile`` shows it: spaces around every operator and no parentheses Python does not need.
    """
    return "".join(_binary_pieces(symbol, left, right, as_source)), BINARY[symbol]


def wrap(operand: tuple[str, int], needed: int) -> str:
    """An operand's text, in parentheses if it binds less tightly than ``needed``."""
    text, strength = operand
    return text if strength >= needed else f"({text})"


_Operand = TypeVar("_Operand", str, "str | Value")


def _binary_pieces(
    symbol: str, left: tuple[_Operand, int], right: tuple[_Operand, int], as_source: bool = False
) -> list[str | _Operand]:
    """``binary``'s text in pieces, each operand a piece of its own (so it can be written later)."""
    strength = BINARY[symbol]
    if symbol == "**":  # right-associative, and binds tighter than a unary minus on its left
        left_needed, right_needed = strength + 1, strength
    else:  # left-associative: a - (b - c) and a/(b*c) keep their parentheses
        left_needed, right_needed = strength, strength + 1
    left_wrapped = left[1] < left_needed
    right_wrapped = right[1] < right_needed or (right[1] == NEGATION and not as_source)  # x*(-y), not x*-y
    spaced = f" {symbol} " if strength == SUM or as_source else symbol
    pieces: list[str | _Operand] = ["("] if left_wrapped else []
    pieces += [left[0], (")" if left_wrapped else "") + spaced + ("(" if right_wrapped else ""), right[0]]
    if right_wrapped:
        pieces.append(")")
    return pieces


class _Gap(NamedTuple):
    """The text between two terms of a sum or two arguments of a call: a place to cut it short."""

    text: str
    drops_sign: bool  # " - " before a term written without its leading minus: w*x - 2*x
    items_left: int  # how many terms or arguments follow
    item: str  # what one is called: "term", "argument"


_STRENGTH = {**BINARY, "neg": NEGATION, "dot": SUM}  # how tightly each op's text binds; calls are atoms
# How tightly a left operand must bind to go unbracketed, by op; ops missing here start with
# text of their own ("-", "tanh(").
_LEFT_NEEDS = {**BINARY, "**": POWER + 1, "dot": PRODUCT}

_Piece = str | Value | _Gap  # text, an operand written in its place, or a gap between items


class _Writer:
    """Writes formulas as pieces of text from the left, so a caller can stop where it likes.

    ``atom`` gives an operand's text and binding strength when it is written as a name, or
    None when its own formula is written in its place.
    """

    def __init__(self, atom: Callable[[Value], tuple[str, int] | None]) -> None:
        self.atom = atom

    def strength(self, node: Value) -> int:
        """How tightly ``node``'s text binds, known from its op without writing it."""
        atom = self.atom(node)
        if atom is not None:
            return atom[1]
        op = node._op
        assert op is not None  # an operand without a name is an interior node
        return _STRENGTH.get(op.name, ATOM)

    def pieces(self, node: Value) -> Iterator[_Piece]:
        """The formula for one interior node, its operands as Values, made as they are taken."""
        op, parents = node._op, node.parents
        assert op is not None  # only interior nodes are written out
        if op.name in BINARY and len(parents) == 2:
            yield from self._binary(op.name, parents[0], parents[1])
        elif op.name == "**":  # a constant exponent, held by the op
            assert op.param is not None
            base: tuple[str | Value, int] = (parents[0], self.strength(parents[0]))
            exponent = format_number(op.param), ATOM if op.param >= 0 else NEGATION
            yield from _binary_pieces("**", base, exponent)
        elif op.name == "neg":
            yield "-"  # -(-x), but -x**2
            yield from self._wrapped(parents[0], POWER)
        elif op.name == "dot":
            last = len(parents) - 1  # w1, x1, w2, x2, ..., bias: indexed, not copied (it can be huge)
            for index in range(0, last, 2):
                term = self._binary("*", parents[index], parents[index + 1])
                if index:
                    yield self._plus_or_minus(term[0], last // 2 + 1 - index // 2)
                yield from term
            yield self._plus_or_minus(parents[last], 1)  # a bias needs no parentheses: w*x + a - b
            yield parents[last]
        else:
            arguments: list[Value | str] = list(parents)
            if op.name == "leaky_relu" and op.param != DEFAULT_LEAKY_SLOPE:
                assert op.param is not None
                arguments.append(format_number(op.param))
            yield f"{op.name}("
            for index, argument in enumerate(arguments):
                if index:
                    yield _Gap(", ", False, len(arguments) - index, "argument")
                yield argument
            yield ")"

    def spine(self, node: Value) -> Iterator[_Piece]:
        """``node``'s pieces, with the operands its text begins with written out in their place.

        In ``x + 1 + 1 + ...`` the first character is at the bottom of a chain of leading left
        operands; following that chain here, with one list, keeps a deep graph from opening one
        iterator per level before any text is written.
        """
        chain = [node]
        while (operand := self._leading_operand(chain[-1])) is not None:
            chain.append(operand)
        yield from self.pieces(chain[-1])
        for index in range(len(chain) - 2, -1, -1):
            rest = self.pieces(chain[index])
            skipped = next(rest)
            assert skipped is chain[index + 1]  # the operand below, written just now
            yield from rest

    def _leading_operand(self, node: Value) -> Value | None:
        """The operand ``node``'s text begins with, if written out there unbracketed, else None.

        The same as ``pieces``' first piece, decided from binding strengths alone, because a
        deep chain asks it of every node.
        """
        op = node._op
        assert op is not None
        needed = _LEFT_NEEDS.get(op.name)
        if needed is None:
            return None
        first = node.parents[0]
        return first if self.atom(first) is None and self.strength(first) >= needed else None

    def _first(self, node: Value) -> str | Value:
        """The first piece of ``node``'s formula: some text, or an operand it begins with."""
        first = next(self.pieces(node))
        assert not isinstance(first, _Gap)  # a formula starts with text or an operand, not a gap
        return first

    def _binary(self, symbol: str, left: Value, right: Value) -> list[str | Value]:
        return _binary_pieces(symbol, (left, self.strength(left)), (right, self.strength(right)))

    def _wrapped(self, operand: Value, needed: int) -> list[str | Value]:
        return [operand] if self.strength(operand) >= needed else ["(", operand, ")"]

    def _plus_or_minus(self, start: str | Value, items_left: int) -> _Gap:
        """The gap before a term that starts with ``start``: " - " if the term begins with a minus."""
        while isinstance(start, Value):
            atom = self.atom(start)
            start = self._first(start) if atom is None else atom[0]
        if start.startswith("-"):
            return _Gap(" - ", True, items_left, "term")  # w*x - 0.5, not w*x + -0.5
        return _Gap(" + ", False, items_left, "term")


def _write(writer: _Writer, node: Value, budget: int, gaps: list[tuple[int, _Gap]] | None = None) -> str:
    """``node``'s formula from the left, stopping once it is longer than ``budget`` characters.

    ``gaps``, if given, gets each gap met, with how much text comes before it.
    """
    # Each open node's remaining pieces, innermost last. Every entry writes some text before
    # the next is opened (see _Writer.spine), so the stack stays within the budget.
    open_nodes: list[Iterator[_Piece]] = [writer.spine(node)]
    parts: list[str] = []
    length = 0
    drop_sign = False
    while open_nodes and length <= budget:
        piece = next(open_nodes[-1], None)
        if piece is None:
            open_nodes.pop()
            continue
        if isinstance(piece, _Gap):
            if gaps is not None:
                gaps.append((length, piece))
            text, drop_sign = piece.text, piece.drops_sign
        else:
            if isinstance(piece, Value):
                atom = writer.atom(piece)
                if atom is None:
                    open_nodes.append(writer.spine(piece))
                    continue
                piece = atom[0]
            text = piece
            if drop_sign:
                text, drop_sign = text[1:], False
        parts.append(text)
        length += len(text)
    return "".join(parts)


def _operand_text(parent: Value) -> tuple[str, int]:
    """A leaf or labelled operand's text in an expression: its label, or its number."""
    if parent.label:
        return visible(parent.label), ATOM
    number = format_number(parent.data)
    return number, _name_strength(number)


def _name_strength(name: str) -> int:
    return NEGATION if name.startswith("-") else ATOM


def _cut(text: str, max_length: int) -> str:
    """``text``, or its first ``max_length - 1`` characters and "…" when it is longer."""
    return text if len(text) <= max_length else text[: max_length - 1] + "…"


def _check_length(caller: str, max_length: int) -> None:
    if max_length < 1:
        raise ValueError(f"{caller}: max_length must be at least 1, got {max_length}")
