"""notation: numbers to four digits, derivative names, written products and signed sums."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from autograd.notation import (
    as_operand,
    factor,
    factors,
    format_number,
    local_name,
    product,
    product_text,
    short_number,
    signed_sum,
    total_name,
)


@pytest.mark.parametrize(
    ("x", "short", "as_factor"),
    [(0.8390912854393002, "0.8391", "0.8391"), (-1.0488641, "-1.049", "(-1.049)"), (1.0, "1", "1"),
     (-0.0, "0", "0"), (1048576.0, "1.049e+06", "1.049e+06"), (2e-5, "2e-05", "2e-05")],
)
def test_numbers_are_written_to_four_digits(x: float, short: str, as_factor: str) -> None:
    """Printed numbers keep four significant digits; negative factors get parentheses."""
    assert (short_number(x), factor(x)) == (short, as_factor)


def test_exact_numbers_drop_a_trailing_point_zero() -> None:
    """format_number reads back as the float it was given, with no ".0" on whole numbers."""
    numbers = (2.0, -2.0, 0.1, 1e-8, 1e20, 0.8390912854393002)
    written = ["2", "-2", "0.1", "1e-08", "1e+20", "0.8390912854393002"]
    assert [format_number(n) for n in numbers] == written
    assert all(float(format_number(n)) == n for n in numbers)


def test_local_derivatives_are_partials_and_totals_are_ds() -> None:
    """∂n/∂x for a local derivative, dn/dx for a total; constants in parentheses, a #-suffix as it is."""
    assert local_name("n", "x") == "∂n/∂x"
    assert local_name("v1", "-0.5") == "∂v1/∂(-0.5)"
    assert total_name("n", "x") == "dn/dx"
    assert total_name("x#2", "x") == "dx#2/dx"
    assert [as_operand(name) for name in ("x", "2", "-0.5", "x#2")] == ["x", "(2)", "(-0.5)", "x#2"]


def test_products_parenthesize_negative_factors_after_the_first() -> None:
    """The first factor is written as it is; later negative ones go in parentheses."""
    assert factors([-1.25, 1.0, -0.8390912854393002]) == ["-1.25", "1", "(-0.8391)"]
    assert product([0.5, -2.0]) == "0.5 · (-2)"
    assert product([-3.0]) == "-3"
    assert product_text(0.5, -2.0, -1.0) == "0.5 · (-2) = -1"


def test_negative_terms_are_subtracted() -> None:
    """A term with a leading minus is subtracted; the first term keeps its sign."""
    assert signed_sum(["1"]) == "1"
    assert signed_sum(["-1", "0.5", "-3"]) == "-1 + 0.5 - 3"
    assert signed_sum(["w*x", "-0.5"]) == "w*x - 0.5"


@given(st.lists(st.floats(allow_nan=False, allow_infinity=False, width=32), min_size=1, max_size=6))
def test_a_written_sum_reads_back_as_the_sum_of_its_terms(terms: list[float]) -> None:
    """Exact terms written with signed_sum evaluate to the sum of the terms."""
    text = signed_sum([format_number(term) for term in terms])
    assert " + -" not in text and " - -" not in text
    assert eval(text) == sum(terms)  # the text holds only numbers, + and -
