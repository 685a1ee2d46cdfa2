"""nn.checks: the shared argument checks say who was called, which argument, and what it must be."""

from __future__ import annotations

import math
import random

import pytest

from nn.checks import as_rng, check_count, check_nonnegative


@pytest.mark.parametrize(("n", "least"), [(1, 1), (5, 1), (4, 4), (2, 2)])
def test_check_count_returns_an_int_at_least_least(n: int, least: int) -> None:
    """An int >= least comes back unchanged."""
    assert check_count("f", "n", n, least=least) == n


@pytest.mark.parametrize(
    ("n", "least", "error", "message"),
    [
        (0, 1, ValueError, "f: n must be at least 1, got 0"),
        (3, 4, ValueError, "f: n must be at least 4, got 3"),
        (True, 1, TypeError, "f: n must be an int, got bool: True"),
        (2.0, 1, TypeError, "f: n must be an int, got float: 2.0"),
        (None, 1, TypeError, "f: n must be an int, got NoneType: None"),
    ],
)
def test_check_count_refuses_naming_who_and_what(
    n: object, least: int, error: type[Exception], message: str
) -> None:
    """Bools, non-ints and small ints are refused with the caller and argument in the message."""
    with pytest.raises(error, match=f"^{message}$"):
        check_count("f", "n", n, least=least)


@pytest.mark.parametrize(("x", "expected"), [(0, 0.0), (0.5, 0.5), (3, 3.0), (1e300, 1e300)])
def test_check_nonnegative_returns_a_float(x: float, expected: float) -> None:
    """A finite number >= 0 comes back as a float."""
    result = check_nonnegative("f", "lr", x)
    assert result == expected and type(result) is float


@pytest.mark.parametrize(
    ("x", "error", "message"),
    [
        (-0.1, ValueError, r"^f: lr must be a finite number >= 0, got -0\.1$"),
        (-1, ValueError, r"^f: lr must be a finite number >= 0, got -1$"),
        (math.inf, ValueError, r"^f: lr must be a finite number >= 0, got inf$"),
        (math.nan, ValueError, r"^f: lr must be a finite number >= 0, got nan$"),
        (10**400, OverflowError, r"^f: lr is too large for a float"),
        (False, TypeError, r"^f: lr must be a number, got bool: False$"),
        ("0.1", TypeError, r"^f: lr must be a number, got str: '0\.1'$"),
    ],
)
def test_check_nonnegative_refuses_naming_who_and_what(
    x: object, error: type[Exception], message: str
) -> None:
    """Negative, non-finite, huge and non-numbers are refused with the caller and argument named."""
    with pytest.raises(error, match=message):
        check_nonnegative("f", "lr", x)


def test_check_nonnegative_says_what_was_expected() -> None:
    """A caller that also takes None says so in the TypeError."""
    with pytest.raises(TypeError, match=r"^fit: tol must be a number or None, got str: 'x'$"):
        check_nonnegative("fit", "tol", "x", expected="a number or None")


def test_as_rng_passes_a_generator_through_and_seeds_an_int() -> None:
    """A random.Random is used as is; an int seeds a new one; None draws from the random module."""
    rng = random.Random(0)
    assert as_rng("f", rng) is rng
    assert as_rng("f", 3).random() == random.Random(3).random()
    random.seed(5)
    first = as_rng("f", None).random()
    random.seed(5)
    assert as_rng("f", None).random() == first
    with pytest.raises(TypeError, match=r"^f: seed must be an int, a random\.Random or None, got float"):
        as_rng("f", 1.5)  # type: ignore[arg-type]
