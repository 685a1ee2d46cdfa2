"""Central differences: the step, its accuracy, and the tolerance they justify."""

from __future__ import annotations

import math
import sys

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from autograd import Value, numerical_grad
from autograd.numerical import ATOL, RTOL, central_difference, step_size, within_tolerance

finite = st.floats(-1e6, 1e6, allow_nan=False, allow_infinity=False)


def test_step_is_cbrt_eps_near_zero_and_relative_beyond_one() -> None:
    """Up to |x| = 1 the step is cbrt(eps); past it, it grows with |x|."""
    cbrt_eps = sys.float_info.epsilon ** (1 / 3)
    assert step_size(0.0) == step_size(0.3) == step_size(-1.0) == cbrt_eps
    assert step_size(-250.0) == pytest.approx(250 * cbrt_eps)


def test_numerical_grad_matches_known_derivatives() -> None:
    """d/dx and d/dy of x*y + sin(x) + exp(y) agree with the formulas to ~1e-9."""
    x, y = 0.7, -1.3
    numeric = numerical_grad(lambda a, b: a * b + a.sin() + b.exp(), [x, y])
    assert numeric == pytest.approx([y + math.cos(x), x + math.exp(y)], abs=1e-9)


def test_the_default_step_beats_larger_and_smaller_ones() -> None:
    """For exp at 1, cbrt(eps) is more accurate than 1e-3 (truncation) and 1e-11 (rounding)."""
    exact = math.e

    def error(eps: float | None) -> float:
        return abs(numerical_grad(lambda x: x.exp(), [1.0], eps=eps)[0] - exact)

    assert error(None) < 1e-9
    assert error(None) < error(1e-3) / 100
    assert error(None) < error(1e-11) / 100


def test_relative_step_keeps_large_inputs_accurate() -> None:
    """At x = 1e8 a fixed small step drowns in rounding; the scaled step gives 2x to 1e-9."""
    assert numerical_grad(lambda x: x * x, [1e8])[0] == pytest.approx(2e8, rel=1e-9)
    assert numerical_grad(lambda x: x * x, [1e8], eps=1e-7)[0] != pytest.approx(2e8, rel=1e-2)


@pytest.mark.parametrize(("x", "eps", "default"), [(1e8, 1e-9, "606"), (1.0, 1e-17, "6.06e-06")])
def test_a_step_lost_to_rounding_is_refused(x: float, eps: float, default: str) -> None:
    """1e8 + 1e-9 == 1e8 - 1e-9: a ValueError naming the input and the step, and a step that works there."""
    message = (
        rf"^numerical_grad: the step h = {eps!r} is lost to rounding at input 1 = {x!r} \(x - h and x \+ h "
        rf"are the same float there, .*\); take a larger eps, such as the default "
        rf"step_size\({x!r}\) = {default}$"
    )
    with pytest.raises(ValueError, match=message):
        numerical_grad(lambda a, b: a * b, [0.0, x], eps=eps)
    numerical_grad(lambda a, b: a * b, [0.0, x], eps=float(default))


def test_a_step_beyond_the_largest_float_is_refused() -> None:
    """x + h = inf cannot be evaluated: a ValueError saying the step is too large, even the default one."""
    with pytest.raises(ValueError, match=r"^numerical_grad: the step h = 1e\+308 at input 0 = 1e\+308 is"):
        numerical_grad(lambda x: x, [1e308], eps=1e308)
    with pytest.raises(ValueError, match="too large: x ± h is beyond the largest float; take a smaller eps"):
        numerical_grad(lambda x: x, [1.79769e308])


def test_explicit_eps_is_the_step_used() -> None:
    """For x**3 at 0 the central difference is exactly h**2, so it shows the step taken."""
    assert numerical_grad(lambda x: x**3, [0.0], eps=0.1)[0] == pytest.approx(0.01, rel=1e-12)


@pytest.mark.parametrize(
    ("eps", "message"),
    [
        (0.0, "eps must be a positive finite number, got 0.0"),
        (-1e-6, "eps must be a positive finite number, got -1e-06"),
        (math.nan, "eps must be finite, got nan"),
        (math.inf, "eps must be finite, got inf"),
    ],
)
def test_a_step_that_is_not_a_positive_number_is_refused(eps: float, message: str) -> None:
    """eps must be positive and finite: ValueError naming numerical_grad's eps."""
    with pytest.raises(ValueError, match=f"^numerical_grad: {message}$"):
        numerical_grad(lambda x: x * x, [1.0], eps=eps)


@pytest.mark.parametrize(
    ("eps", "given"), [("1e-6", "str: '1e-6'"), (True, "bool: True"), ([1e-6], r"list: \[1e-06\]")]
)
def test_a_step_that_is_not_a_number_is_a_type_error(eps: object, given: str) -> None:
    """A string, a bool or a list for eps: a TypeError naming numerical_grad's eps and what it got."""
    with pytest.raises(TypeError, match=f"^numerical_grad: eps must be a real number, got {given}$"):
        numerical_grad(lambda x: x * x, [1.0], eps=eps)  # type: ignore[arg-type]


def test_f_must_return_a_value() -> None:
    """A function returning a string is a TypeError; one returning a number has zero gradient."""
    with pytest.raises(TypeError, match="f must return a Value, got str"):
        numerical_grad(lambda x: "oops", [1.0])  # type: ignore[arg-type,return-value]
    assert numerical_grad(lambda x: 3.0, [1.0]) == [0.0]  # type: ignore[arg-type,return-value]


def test_values_passed_in_are_left_alone() -> None:
    """Inputs given as Values are read, never modified, and no graph is recorded."""
    x = Value(2.0, "x")
    x.grad = 5.0
    assert numerical_grad(lambda a: a * a, [x]) == pytest.approx([4.0])
    assert (x.data, x.grad, x.parents) == (2.0, 5.0, ())


@given(finite, st.floats(1e-12, 1e3))
def test_central_difference_divides_by_the_step_actually_taken(x: float, h: float) -> None:
    """The identity's difference is exactly 1 for any x and h that survive rounding, however they round."""
    assume(x + h != x - h)
    assert central_difference(lambda p: p[0], [x], 0, h) == 1.0


@given(st.floats(-10, 10), st.floats(-10, 10), st.floats(-10, 10), st.floats(-100, 100))
def test_central_differences_are_exact_for_quadratics(a: float, b: float, c: float, x: float) -> None:
    """a*x**2 + b*x + c has no third derivative: only rounding separates the estimate from 2ax + b."""
    numeric = numerical_grad(lambda v: a * v * v + b * v + c, [x])[0]
    assert within_tolerance(numeric, 2 * a * x + b, atol=1e-6, rtol=1e-8)


def test_within_tolerance_is_atol_plus_rtol_times_numeric() -> None:
    """The allowance is atol + rtol*|numeric|, with PyTorch's defaults."""
    assert (ATOL, RTOL) == (1e-5, 1e-3)
    assert within_tolerance(1000.9, 1000.0)  # 0.9 <= 1e-5 + 1.0
    assert not within_tolerance(1001.1, 1000.0)
    assert within_tolerance(0.5, 0.0, atol=0.5, rtol=0.0)
    assert not within_tolerance(0.50001, 0.0, atol=0.5, rtol=0.0)


@pytest.mark.parametrize("xs", [1.0, Value(1.0), "12", None])
def test_xs_must_be_a_list(xs: object) -> None:
    """A bare number, Value or string for xs: a TypeError saying xs is a list, one per input."""
    with pytest.raises(TypeError, match="numerical_grad: xs must be a list of numbers or Values"):
        numerical_grad(lambda x: x, xs)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("xs", "error"), [(["a"], TypeError), ([math.nan], ValueError), ([math.inf], ValueError)]
)
def test_inputs_must_be_finite_numbers(xs: list[object], error: type[Exception]) -> None:
    """Each input is a finite number or a Value; the message names its position."""
    with pytest.raises(error, match="numerical_grad: input 0 must be"):
        numerical_grad(lambda x: x, xs)  # type: ignore[arg-type]


@pytest.mark.parametrize("x", [10**400, -(10**400)])
def test_an_int_too_large_for_a_float_is_an_overflow_naming_the_input(x: int) -> None:
    """A huge int input is an OverflowError naming numerical_grad and the input, not Python's bare one."""
    with pytest.raises(OverflowError, match=r"^numerical_grad: input 1 is too large for a float"):
        numerical_grad(lambda a, b: a * b, [1.0, x])
