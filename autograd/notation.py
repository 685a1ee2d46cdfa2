"""How numbers, derivatives and sums are written, the same in every report.

Steps, explanations, trees, pictures and the command line all write a number with
``short_number`` (or ``format_number`` where it must read back exactly), a chain-rule product
with ``product`` (``0.5 · (-2)``) and a sum with ``signed_sum`` (``1 + 0.5 - 3``). Derivatives
are written as a textbook writes them: ``local_name`` for a local derivative, the slope of
one node in one operand (``∂n/∂x``), and ``total_name`` for a total, the sum over every path
from a node to the root, which is what ``.grad`` holds (``do/dx``).
"""

from __future__ import annotations

from collections.abc import Sequence

__all__ = [
    "format_number", "short_number", "factor", "factors", "product", "product_text", "signed_sum",
    "as_operand", "local_name", "total_name", "visible",
]

_SIGNIFICANT_DIGITS = 4
"""How many significant digits printed steps and explanations show (the data keeps them all)."""


def format_number(x: float) -> str:
    """The shortest text that reads back as ``x``, without a trailing ``.0``: 2, 0.5, 1e-08."""
    text = repr(x)
    return text[:-2] if text.endswith(".0") else text


def short_number(x: float) -> str:
    """``x`` to four significant digits, as a person would write it: 0.8391, -1.049, 1, 2e-05."""
    return f"{x + 0.0:.{_SIGNIFICANT_DIGITS}g}"  # + 0.0 turns -0.0 into 0.0


def factor(x: float) -> str:
    """``x`` as a factor in a written product: ``short_number``, in parentheses when negative."""
    text = short_number(x)
    return f"({text})" if text.startswith("-") else text


def factors(numbers: Sequence[float]) -> list[str]:
    """The factors of a written product: the first as it is, the others as ``factor`` writes them."""
    return [short_number(numbers[0]), *(factor(x) for x in numbers[1:])]


def product(numbers: Sequence[float]) -> str:
    """A product written out: ``product([0.5, -2])`` is ``0.5 · (-2)``."""
    return " · ".join(factors(numbers))


def product_text(local: float, upstream: float, contribution: float) -> str:
    """The chain rule along one edge, local · upstream = contribution: ``0.5 · (-2) = -1``."""
    return f"{product([local, upstream])} = {short_number(contribution)}"


def signed_sum(terms: Sequence[str]) -> str:
    """Written terms added up, a term with a leading minus subtracted: ``a + b - c``, not ``a + b + -c``."""
    rest = (f" - {term[1:]}" if term.startswith("-") else f" + {term}" for term in terms[1:])
    return terms[0] + "".join(rest)


def as_operand(name: str) -> str:
    """``name`` as it follows a d (or comes before ``.grad``): constants in parentheses, d(2) not d2."""
    return name if name.isidentifier() or "#" in name else f"({name})"


def local_name(of: str, wrt: str) -> str:
    """A local derivative, ∂of/∂wrt: how one node changes with one of its operands, the others fixed.

    >>> local_name("n", "x"), local_name("v1", "2")
    ('∂n/∂x', '∂v1/∂(2)')
    """
    return f"∂{as_operand(of)}/∂{as_operand(wrt)}"


def total_name(of: str, wrt: str) -> str:
    """A total derivative, d of/d wrt: the sum over every path from ``wrt`` to ``of``.

    >>> total_name("o", "x")
    'do/dx'
    """
    return f"d{as_operand(of)}/d{as_operand(wrt)}"


def visible(text: str) -> str:
    r"""``text`` with every character that does not print (controls, line separators, invisible
    formatting) written as its Python escape, so a label can neither hide nor break a report.

    >>> print(visible("red\x1b[0m, two\nlines"))
    red\x1b[0m, two\nlines
    """
    if text.isprintable():  # nearly every label: nothing to do
        return text
    return "".join(character if character.isprintable() else repr(character)[1:-1] for character in text)
