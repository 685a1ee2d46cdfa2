"""gradcheck and blame: agreement, readable failures, the step diagnosis, and kinks."""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import autograd
from autograd import (
    GradcheckError,
    NondifferentiableError,
    Value,
    blame,
    dot,
    draw,
    gradcheck,
    primitive,
    relu,
)
from autograd.ops import OPS, Op, power
from autograd.testing import RandomFunction, functions_and_inputs
from autograd.value import apply

bad_square = primitive("bad_square", lambda x: x * x, lambda x: (3 * x,))
nearly_square = primitive("nearly_square", lambda x: x * x, lambda x: (2 * x * (1 + 1e-4),))


def _frozen_sin_rule(m: Any, x: Any) -> tuple[Any, tuple[Any, ...]]:
    # Right first derivative, but computed from the plain number: on Values it is a constant,
    # so its own derivative (the second derivative of sin) comes out 0.
    return m.sin(x), (math.cos(m.data(x)),)


FROZEN_SIN = Op("frozen_sin", _frozen_sin_rule, 1)


def _message(f: Callable[..., Value], xs: Sequence[float | Value], **options: Any) -> str:
    with pytest.raises(GradcheckError) as caught:
        gradcheck(f, xs, **options)
    return str(caught.value)


@pytest.mark.parametrize(
    ("f", "xs"),
    [
        (lambda x, w, b: (x * w + b).tanh(), [0.5, -1.25, 0.2]),
        (lambda a: a + a, [3.0]),
        (lambda a: (a * a) * (a * a), [-1.5]),
        (lambda x, y: (x / y).log() + (x**y).sigmoid(), [2.0, 0.7]),
        (lambda w1, w2, x: dot([w1, w2], [x, x], 0.5).softplus(), [0.3, -0.4, 2.0]),
    ],
)
def test_correct_gradients_pass_to_second_order(f: Callable[..., Value], xs: list[float]) -> None:
    """Smooth functions, fan-out included, pass at first and second order."""
    assert gradcheck(f, xs) is True
    assert gradcheck(f, xs, order=2) is True


def test_a_wrong_primitive_fails_with_a_table_naming_the_worst_input() -> None:
    """Only y feeds the bad op: the table marks y's row, and blame names the op and its edge."""
    message = _message(lambda x, y: x * 2 + bad_square(y), [0.5, 1.5])
    lines = message.splitlines()
    assert lines[0] == "gradcheck failed: f(x, y) = x*2 + bad_square(y) at x = 0.5, y = 1.5"
    assert lines[1].split() == ["input", "value", "analytic", "numeric", "abs", "err", "rel", "err"]
    assert lines[2].split() == ["x", "0.5", "2", "2", *lines[2].split()[4:6]]
    assert lines[3].split() == ["y", "1.5", "4.5", "3", "1.5", "0.5", "<-", "worst"]
    assert lines[4] == "worst: df/dy, |analytic - numeric| = 1.5 > atol + rtol*|numeric| = 0.00301"
    assert "flat, so the analytic derivative is wrong" in lines[5]
    assert lines[6] == "blame: bad_square at v2 = bad_square(y): local ∂v2/∂y analytic 4.5, numeric 3"


def test_the_error_is_an_assertion_and_carries_what_it_found() -> None:
    """GradcheckError is an AssertionError with the rows, the graph and the blamed node, ready to draw."""
    with pytest.raises(AssertionError) as caught:
        gradcheck(lambda x: bad_square(x).tanh(), [0.5])
    error = caught.value
    assert isinstance(error, autograd.GradcheckError)
    assert [row.name for row in error.comparisons] == ["df/dx"]
    assert error.comparisons[0].rel_error == pytest.approx(0.5)
    assert [node.op for node in error.nodes] == ["bad_square"]
    assert error.root is not None and error.root.op == "tanh" and error.root.parents[0] is error.nodes[0]
    assert "bad_square" in draw(error.root, highlight=error.nodes).source


def test_tolerances_decide_a_near_miss() -> None:
    """A derivative off by 1e-4 relative passes the default rtol=1e-3 and fails rtol=1e-6."""
    assert gradcheck(lambda x: nearly_square(x), [2.0])
    assert "<- worst" in _message(lambda x: nearly_square(x), [2.0], atol=0.0, rtol=1e-6)


def test_zero_tolerances_demand_exact_agreement() -> None:
    """With atol = rtol = 0, -x passes (negation is exact, so is its difference) and any gap fails."""
    assert gradcheck(lambda x: -x, [0.5], atol=0.0, rtol=0.0)
    assert "<- worst" in _message(lambda x: nearly_square(x), [2.0], atol=0.0, rtol=0.0)


def test_second_order_catches_a_rule_whose_derivative_is_wrong_on_values() -> None:
    """frozen_sin passes at first order; order=2 finds d2/dx2 = 0 instead of -sin, and blames it."""

    def f(x: Value) -> Value:
        return apply(FROZEN_SIN, x) * 3

    assert gradcheck(f, [0.8])
    message = _message(f, [0.8], order=2)
    assert message.splitlines()[1].split()[0] == "derivative"
    assert "d2f/dx2" in message and "<- worst" in message
    assert "blame: frozen_sin at v1 = frozen_sin(x): local ∂²v1/∂x∂x analytic 0, numeric -0.7174" in message


def test_second_order_through_a_first_order_primitive_is_refused() -> None:
    """User primitives take floats, so grad of grad through them is a TypeError naming them."""
    cube = primitive("cube", lambda x: x**3, lambda x: (3 * x * x,))
    assert gradcheck(lambda x: cube(x), [1.0])
    with pytest.raises(TypeError, match="primitive 'cube' has a first-order derivative"):
        gradcheck(lambda x: cube(x), [1.0], order=2)


def test_step_diagnosis_tells_truncation_from_a_bug() -> None:
    """With too big a step, sin(1000x)'s error shrinks ~4x per halving: said to be step error, no blame."""
    message = _message(lambda x: (x * 1000).sin(), [0.3], eps=1e-3)
    assert "shrinks 3.9x as a step error does" in message
    assert "blame: every local derivative agrees with its op's forward" in message
    assert "cut the graph" not in message


def test_step_diagnosis_recognises_rounding_noise() -> None:
    """With h = 1e-12 on a function near 1e4, the gap is within f's rounding error: said to be noise."""
    message = _message(lambda x: x * x + 1e4, [0.3], eps=1e-12)
    assert "so it is noise: try a larger eps" in message


def test_a_cut_graph_is_diagnosed_when_no_op_is_to_blame() -> None:
    """x * Value(x.data) hides one factor from the chain rule: no op is wrong, and the report says why."""
    message = _message(lambda x: x * Value(x.data), [1.5])
    assert "flat, so the analytic derivative is wrong" in message
    assert "float(x), x.data or Value(...) inside f cut the graph" in message


@pytest.mark.parametrize(
    ("f", "xs", "op"),
    [
        (lambda x: relu(x), [0.0], "relu"),
        (lambda x: relu(x), [1e-7], "relu"),
        (lambda x: (x - 1).abs() * 2, [1.0], "abs"),
        (lambda x: x.leaky_relu(0.2), [-2e-6], "leaky_relu"),
        (lambda x: x**-1, [3e-6], "**"),
        (lambda a, b: a / b, [1.0, -1e-7], "/"),
        (lambda x, y: relu(x * y), [2.0, 0.0], "relu"),
    ],
)
def test_a_kink_within_one_step_is_nondifferentiable(
    f: Callable[..., Value], xs: list[float], op: str
) -> None:
    """Two sides of a kink or pole: NondifferentiableError (a GradcheckError) naming the node."""
    with pytest.raises(NondifferentiableError, match="is not differentiable at") as caught:
        gradcheck(f, xs)
    assert isinstance(caught.value, GradcheckError)
    assert caught.value.node is not None and caught.value.node.op == op
    assert f"where {op} has no derivative" in str(caught.value)


def test_a_kink_further_than_one_step_is_fine() -> None:
    """relu at 1e-4 and a/1e-6 (the denominator does not move) are smooth enough to check."""
    assert gradcheck(lambda x: relu(x), [1e-4])
    assert gradcheck(lambda a: a / 1e-6, [1.0])


def test_leaving_the_domain_within_one_step_is_nondifferentiable() -> None:
    """log at 1e-7: x - h < 0 is outside its domain, said as such."""
    with pytest.raises(
        NondifferentiableError, match=r"at x - h = -5\.9\d*e-06 .* log is defined only for x > 0"
    ):
        gradcheck(lambda x: x.log(), [1e-7])


def test_leaving_the_domain_only_at_half_a_step_is_nondifferentiable() -> None:
    """sqrt(cos x) is defined at 0 and ±6, not at ±3 where a failing row is refined: said, not f's error."""
    with pytest.raises(NondifferentiableError, match=r"at x ± h/2 \(h = 6\) it fails: sqrt\(-0\.98\d*\)"):
        gradcheck(lambda x: x.cos().sqrt() + x * x * x, [0.0], eps=6.0)


def test_a_function_that_branches_on_values_is_nondifferentiable_there() -> None:
    """A hand-written |x| builds different graphs at 0 - h and 0 + h: refused, not mismatched."""
    with pytest.raises(NondifferentiableError, match="branches on its inputs' values"):
        gradcheck(lambda x: x if x.data > 0 else -x, [0.0])


def test_inputs_are_named_from_labels_parameters_or_positions() -> None:
    """Each row is named by its Value's label, else f's parameter, else x1, x2, ... as in every view."""
    assert "f(a, b) = a*bad_square(b)" in _message(
        lambda x, y: x * bad_square(y), [Value(1.0, "a"), Value(2.0, "b")]
    )
    assert "f(x, y) = x*bad_square(y)" in _message(lambda x, y: x * bad_square(y), [1.0, 2.0])
    assert "f(x1, x2) = x1*bad_square(x2)" in _message(lambda *v: v[0] * bad_square(v[1]), [1.0, 2.0])
    labelled_first = _message(lambda *v: v[0] * bad_square(v[1]), [Value(1.0, "w"), 2.0])
    assert "f(w, x2) = w*bad_square(x2)" in labelled_first
    assert "f(a, y) = a*bad_square(y)" in _message(lambda x, y: x * bad_square(y), [Value(1.0, "a"), 2.0])
    twice = _message(lambda x, y: x * bad_square(y), [Value(1.0, "a"), Value(2.0, "a")])
    assert "f(a (input 1), a (input 2))" in twice


def test_values_passed_in_are_left_alone() -> None:
    """gradcheck builds its own leaves: the caller's grads stay as they were."""
    x = Value(0.5, "x")
    x.grad = 7.0
    assert gradcheck(lambda v: v.tanh(), [x], order=2)
    assert (x.grad, x.parents) == (7.0, ())


@pytest.mark.parametrize(
    ("f", "xs", "options", "error", "match"),
    [
        (lambda x: x, [1.0], {"order": 3}, ValueError, "order must be 1 or 2"),
        (lambda x: x, [1.0], {"eps": 0.0}, ValueError, "eps must be a positive finite number"),
        (lambda: Value(1.0), [], {}, ValueError, "at least one input"),
        (lambda x: x, ["1"], {}, TypeError, "input 0 must be a number or a Value, got str"),
        (lambda x: x, [math.nan], {}, ValueError, "input 0 must be finite"),
        (lambda x: 2.0, [1.0], {}, TypeError, "f must return a Value, got float"),
    ],
)
def test_bad_arguments_are_refused(
    f: Callable[..., Any], xs: list[Any], options: dict[str, Any], error: type[Exception], match: str
) -> None:
    """Each misuse is a TypeError or ValueError that says what is wrong."""
    with pytest.raises(error, match=match):
        gradcheck(f, xs, **options)


@pytest.mark.parametrize(
    ("option", "given", "error", "message"),
    [
        ("order", 2.0, TypeError, "order must be an int, 1 or 2, got float: 2.0"),
        ("order", "2", TypeError, "order must be an int, 1 or 2, got str: '2'"),
        ("order", True, TypeError, "order must be an int, 1 or 2, got bool: True"),
        ("eps", "1e-6", TypeError, "eps must be a real number, got str: '1e-6'"),
        ("eps", True, TypeError, "eps must be a real number, got bool: True"),
        ("eps", math.inf, ValueError, "eps must be finite, got inf"),
        ("atol", "0", TypeError, "atol must be a real number, got str: '0'"),
        ("atol", math.nan, ValueError, "atol must be finite, got nan"),
        ("rtol", None, TypeError, "rtol must be a real number, got NoneType: None"),
        ("rtol", -1e-3, ValueError, "rtol must be finite and >= 0, got -0.001"),
    ],
)
def test_settings_of_the_wrong_type_or_value_are_refused(
    option: str, given: Any, error: type[Exception], message: str
) -> None:
    """eps, atol, rtol and order: a TypeError or ValueError naming gradcheck's option and what it got."""
    with pytest.raises(error, match=f"^{re.escape('gradcheck: ' + message)}$"):
        gradcheck(lambda x: x * x, [1.0], **{option: given})


@pytest.mark.parametrize(
    ("x", "eps", "steps", "default"),
    [(1.0, 1e-17, "h", "6.06e-06"), (1e8, 1e-9, "h", "606"), (1.0, 1e-16, "h/2", "6.06e-06")],
)
def test_a_step_lost_to_rounding_is_refused(x: float, eps: float, steps: str, default: str) -> None:
    """x + h == x - h as floats (or x ± h/2, where failing rows are refined): said, with a step that works."""
    message = (
        rf"^gradcheck: the step h = {eps!r} is lost to rounding at w = {x!r} \(x - {steps} and x \+ {steps} "
        rf"are the same float there, .*\); take a larger eps, such as the default "
        rf"step_size\({x!r}\) = {default}$"
    )
    with pytest.raises(ValueError, match=message):
        gradcheck(lambda v, w: v * w * w, [0.0, x], eps=eps)
    assert gradcheck(lambda v, w: v * w * w, [0.0, x], eps=float(default))


def test_a_step_beyond_the_largest_float_is_refused() -> None:
    """x + h = inf cannot be evaluated: a ValueError saying the step is too large."""
    with pytest.raises(ValueError, match=r"^gradcheck: the step h = 1e\+308 at x = 1e\+308 is too large"):
        gradcheck(lambda x: x * 2, [1e308], eps=1e308)


@pytest.mark.parametrize(
    ("f", "xs", "options", "words"),
    [
        (lambda x: x * 2 if x.data > 1 else x * 3, [1.0], {}, "f is not differentiable at x = 1.0: it jumps"),
        (lambda x: x + (1.0 if x.data > 0 else 0.0), [0.0], {}, "x = 0.0: it jumps there, by about 1 "),
        (lambda x: x * 1e6 + (1.0 if x.data > 0 else 0.0), [0.0], {}, "x = 0.0: it jumps there"),
        (lambda x, y: x * y + (1.0 if y.data > 2 else 0.0), [1.0, 2.0], {}, "at y = 2.0: it jumps there"),
        (lambda x: x * (1.0 if x.data > 0 else 1.001), [0.0], {"order": 2}, "df/dx is not differentiable"),
    ],
)
def test_a_jump_is_nondifferentiable(
    f: Callable[..., Value], xs: list[float], options: dict[str, Any], words: str
) -> None:
    """f (or df/dx, at order 2) branches on a value and jumps: NondifferentiableError naming the input."""
    with pytest.raises(NondifferentiableError, match=re.escape(words)) as caught:
        gradcheck(f, xs, **options)
    assert caught.value.node is None
    assert str(caught.value).endswith("No derivative is right there: pick another point")
    assert "try a larger eps" not in str(caught.value)


@pytest.mark.parametrize(
    ("f", "x"),
    [
        (lambda x: (x * 1e6).tanh(), 0.0),
        (lambda x: ((x - 3e-6) * 1e6).tanh(), 0.0),
        (lambda x: ((x - 2e-9) * 1e9).tanh(), 0.0),
        (lambda x: (x * 1e9).sin(), 0.3),
    ],
)
def test_a_steep_smooth_function_is_neither_a_jump_nor_a_wrong_derivative(
    f: Callable[[Value], Value], x: float
) -> None:
    """Steep at or near x on a scale below h: a plain failure whose advice, a smaller step, then passes."""
    message = _message(f, [x])
    assert "the check passes, so the analytic derivative is right" in message
    assert "cut the graph" not in message
    suggested = re.search(r"try eps=(\S+)$", message.splitlines()[4])
    assert suggested is not None
    assert gradcheck(f, [x], eps=float(suggested.group(1)))


def test_a_jump_near_but_not_at_x_asks_for_a_smaller_step() -> None:
    """A jump at x - 2e-6, inside h/2 but not h/4: f is differentiable at x, and rounding is not to blame."""
    message = _message(lambda x: x * 2 if x.data > 1 - 2e-6 else x * 3, [1.0])
    assert "it grows as h shrinks, far beyond what rounding can do" in message
    assert "try a smaller eps" in message and "try a larger eps" not in message
    assert gradcheck(lambda x: x * 2 if x.data > 1 - 2e-6 else x * 3, [1.0], eps=1e-7)


# Ops smooth everywhere, so that a failure below comes from steepness alone.
_SMOOTH_OPS = [
    *(OPS[name] for name in ("+", "*", "-", "neg", "tanh", "sigmoid", "softplus", "sin", "cos", "dot")),
    power(2.0),
    power(3.0),
]


@given(
    functions_and_inputs(max_inputs=2, max_ops=8, ops=_SMOOTH_OPS),
    st.sampled_from([1e2, 1e4, 1e6, 1e8]),
    st.sampled_from([None, 1e-2, 1e-4]),
)
def test_smooth_functions_are_never_said_to_jump(
    case: tuple[RandomFunction, list[float]], scale: float, eps: float | None
) -> None:
    """Random smooth functions, made steep and checked with coarse steps: they often fail, never as a jump."""
    f, xs = case

    def steep(*inputs: Value) -> Value:
        return f(*[x * scale for x in inputs])

    try:
        gradcheck(steep, [x / scale for x in xs], eps=eps)
    except GradcheckError as error:
        assert "jumps there" not in str(error)


def test_blame_names_every_wrong_edge_in_computation_order() -> None:
    """Two bad nodes are both found, first computed first, with the edge along which each is wrong."""
    x = Value(1.0, "x")
    y = bad_square(bad_square(x) + 1)
    found = blame(y)
    assert [str(m) for m in found] == [
        "bad_square at v1 = bad_square(x): local ∂v1/∂x analytic 3, numeric 2",
        "bad_square at v3 = bad_square(v2): local ∂v3/∂v2 analytic 6, numeric 4",
    ]
    assert [(m.node.op, m.operand) for m in found] == [("bad_square", 0), ("bad_square", 0)]


def test_blame_finds_the_wrong_operand_of_a_many_input_op() -> None:
    """An op wrong only along its second operand is blamed on that edge, numbered when names repeat."""
    wrong_second = primitive("wrong_second", lambda a, b: a * b, lambda a, b: (b, a + 1))
    x = Value(2.0, "x")
    [mismatch] = blame(wrong_second(x, x))
    assert mismatch.operand == 1
    assert (
        str(mismatch)
        == "wrong_second at v1 = wrong_second(x, x): local ∂v1/∂x (operand 2) analytic 3, numeric 2"
    )


def test_blame_skips_a_node_on_its_kink_and_passes_correct_graphs() -> None:
    """relu's derivative at exactly 0 is a convention, so not blamed; a correct graph has no culprit."""
    assert blame(relu(Value(0.0))) == []
    x, w = Value(0.5, "x"), Value(-2.0, "w")
    assert blame((x * w + 1).tanh() / x) == []
    assert blame((x * w + 1).tanh() / x, order=2) == []


def test_blame_checks_near_a_pole_with_a_step_that_fits() -> None:
    """log at 1e-7 is checked with a step under its distance to 0, so its right rule is not blamed."""
    assert blame(Value(1e-7).log()) == []


def test_blame_order_must_be_one_or_two() -> None:
    """Any other order is a ValueError."""
    with pytest.raises(ValueError, match="order must be 1 or 2"):
        blame(Value(1.0), order=0)
