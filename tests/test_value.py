"""Value: construction, identity, display, the arithmetic operators, and every bad input's error."""

from __future__ import annotations

import math
from collections.abc import Callable
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from autograd import OPS, Value, no_grad
from autograd.value import Constant, apply

# --- construction ---


@pytest.mark.parametrize(("data", "expected"), [(3, 3.0), (-7, -7.0), (True, 1.0), (False, 0.0), (2.5, 2.5)])
def test_ints_and_bools_become_floats(data: float, expected: float) -> None:
    """Ints and bools are coerced to float; data is always a float."""
    v = Value(data)
    assert v.data == expected
    assert type(v.data) is float


def test_fractions_are_accepted() -> None:
    """Any numbers.Real works, e.g. a Fraction."""
    assert Value(Fraction(1, 4)).data == 0.25  # type: ignore[arg-type]


@pytest.mark.parametrize("data", ["1.0", None, 1 + 2j, Decimal("1.5"), [1.0], Value(1.0)])
def test_non_numbers_are_refused(data: object) -> None:
    """Strings, None, complex, Decimal, lists and Values are not real numbers: TypeError naming the type."""
    with pytest.raises(TypeError, match=rf"Value data must be a real number, got {type(data).__name__}"):
        Value(data)  # type: ignore[arg-type]


@pytest.mark.parametrize("data", [math.nan, math.inf, -math.inf])
def test_nan_and_infinities_are_refused(data: float) -> None:
    """nan and ±inf are ValueErrors that show the number."""
    with pytest.raises(ValueError, match=r"Value data must be finite, got (nan|inf|-inf)"):
        Value(data)


def test_an_int_too_large_for_a_float_is_an_overflow() -> None:
    """10**400 cannot be a float: OverflowError, not Python's bare message."""
    with pytest.raises(OverflowError, match="Value data is too large for a float"):
        Value(10**400)


def test_label_must_be_a_string() -> None:
    """A non-str label is a TypeError (it would break every printout later)."""
    with pytest.raises(TypeError, match="Value label must be a str, got int"):
        Value(1.0, 5)  # type: ignore[arg-type]


def test_a_new_leaf() -> None:
    """A leaf has grad 0.0, its label, op "" and no parents."""
    x = Value(2.0, "x")
    assert (x.grad, x.label, x.op, x.parents, x.local_grads) == (0.0, "x", "", (), ())
    assert x.is_leaf
    assert Value(1.0).label == ""


def test_a_computed_node_records_its_op_parents_and_local_grads() -> None:
    """c = a * b remembers "*", (a, b) as a tuple, and dc/da = b, dc/db = a."""
    a, b = Value(2.0), Value(3.0)
    c = a * b
    assert c.op == "*"
    assert type(c.parents) is tuple
    assert c.parents[0] is a and c.parents[1] is b
    assert c.local_grads == (3.0, 2.0)
    assert not c.is_leaf


def test_numbers_become_constant_leaves() -> None:
    """x + 2 makes a Constant holding 2.0 as its second parent: a leaf with no gradient."""
    x = Value(1.0)
    constant = (x + 2).parents[1]
    assert isinstance(constant, Constant) and constant.data == 2.0 and constant.is_leaf
    assert repr(constant) == "Constant(2.0)"


# --- identity and display ---


def test_values_hash_by_identity() -> None:
    """Two Values with equal data are different dict keys, and == is identity."""
    a, b = Value(1.0), Value(1.0)
    table = {a: "a", b: "b"}
    assert len(table) == 2 and table[a] == "a" and table[b] == "b"
    assert a == a and a != b


def test_values_compare_by_data_so_max_and_sorted_work() -> None:
    """< <= > >= compare data, with Values or numbers on either side; == stays identity."""
    a, b, c = Value(1.0, "a"), Value(2.0, "b"), Value(2.0, "c")
    assert a < b and b > a and b <= c and c >= b and not b < c
    assert a < 1.5 and 0 < a and 3 >= b and not b > 2  # noqa: SIM300  # the reflected forms
    assert max([a, b]) is b and sorted([b, a, c], key=None) == [a, b, c]
    with pytest.raises(TypeError):
        _ = a < "2"  # type: ignore[operator]


def test_truth_is_data_not_zero() -> None:
    """bool(v) is v.data != 0, PyTorch's rule for a one-element tensor."""
    assert not Value(0.0) and not Value(-0.0) and Value(0.5) and Value(-3)


@pytest.mark.parametrize(
    ("convert", "data", "expected"),
    [
        (round, 2.5, 2), (round, 2.71828, 3), (lambda v: round(v, 2), 2.71828, 2.72), (int, -2.7, -2),
        (math.trunc, -2.7, -2), (math.floor, -2.2, -3), (math.ceil, 2.2, 3),
    ],
)
def test_conversions_give_plain_numbers(
    convert: Callable[[Value], float], data: float, expected: float
) -> None:
    """round, int, math.trunc/floor/ceil of a Value are plain numbers: no gradient flows through them."""
    result = convert(Value(data))
    assert result == expected and not isinstance(result, Value) and type(result) is type(expected)


@pytest.mark.parametrize(
    ("attribute", "given", "error", "message"),
    [
        ("data", "foo", TypeError, r"^Value\.data must be a real number, got str: 'foo'$"),
        ("data", math.nan, ValueError, r"^Value\.data must be finite, got nan$"),
        ("grad", None, TypeError, r"^Value\.grad must be a real number, got NoneType: None$"),
        ("grad", math.inf, ValueError, r"^Value\.grad must be finite, got inf$"),
    ],
)
def test_setting_data_or_grad_is_checked(attribute: str, given: object, error: type, message: str) -> None:
    """Bad data or grad is refused where it is set, not deep inside a later op."""
    x = Value(1.0, "x")
    with pytest.raises(error, match=message):
        setattr(x, attribute, given)
    assert (x.data, x.grad) == (1.0, 0.0)
    x.data, x.grad = 3, True  # ints and bools become floats, as in the constructor
    assert (x.data, x.grad) == (3.0, 1.0) and type(x.data) is float


def test_sum_of_values_builds_no_zero_node() -> None:
    """sum([a, b]) is a + b: the 0 that sum() starts from is not added as a node."""
    a, b = Value(1.0, "a"), Value(2.0, "b")
    total = sum([a, b])
    assert isinstance(total, Value) and total.parents == (a, b)
    assert sum([a]) is a


def test_float_of_a_value_is_its_data() -> None:
    """float(v) gives v.data, so math functions accept Values."""
    v = Value(2.25)
    assert float(v) == 2.25
    assert math.sqrt(v) == 1.5


def test_format_spec_formats_the_data() -> None:
    """f"{v:.2f}" formats the number; a bare f"{v}" is the repr."""
    v = Value(3.14159, "pi")
    assert f"{v:.2f}" == "3.14"
    assert f"{v}" == repr(v)


def test_repr_is_short_and_shows_data_grad_label_op() -> None:
    """repr shows data and grad, plus label and op when there are any."""
    assert repr(Value(2.0)) == "Value(2.0, grad=0.0)"
    x = Value(2.0, "x")
    assert repr(x) == "Value(2.0, grad=0.0, label='x')"
    y = x * 3
    assert repr(y) == "Value(6.0, grad=0.0, op='*')"
    big = Value(1.0)
    for _ in range(100):
        big = big + 1
    assert len(repr(big)) < 60  # the history is never printed


# --- arithmetic with numbers on either side: values and gradients by hand ---

# (expression, value, d/dx, d/dy) at x = 3, y = -2.
ARITHMETIC: list[tuple[str, Callable[[Value, Value], Value], float, float, float]] = [
    ("x + y", lambda x, y: x + y, 1.0, 1.0, 1.0),
    ("x + 2", lambda x, y: x + 2, 5.0, 1.0, 0.0),
    ("2 + x", lambda x, y: 2 + x, 5.0, 1.0, 0.0),
    ("x - y", lambda x, y: x - y, 5.0, 1.0, -1.0),
    ("x - 2", lambda x, y: x - 2, 1.0, 1.0, 0.0),
    ("2 - x", lambda x, y: 2 - x, -1.0, -1.0, 0.0),
    ("x * y", lambda x, y: x * y, -6.0, -2.0, 3.0),
    ("x * 2", lambda x, y: x * 2, 6.0, 2.0, 0.0),
    ("2 * x", lambda x, y: 2 * x, 6.0, 2.0, 0.0),
    ("x / y", lambda x, y: x / y, -1.5, -0.5, -0.75),
    ("x / 2", lambda x, y: x / 2, 1.5, 0.5, 0.0),
    ("6 / x", lambda x, y: 6 / x, 2.0, -6 / 9, 0.0),
    ("-x", lambda x, y: -x, -3.0, -1.0, 0.0),
    ("x ** 2", lambda x, y: x**2, 9.0, 6.0, 0.0),
    ("x ** -1", lambda x, y: x**-1, 1 / 3, -1 / 9, 0.0),
    ("x ** 0.5", lambda x, y: x**0.5, math.sqrt(3), 0.5 / math.sqrt(3), 0.0),
    ("x ** 0", lambda x, y: x**0, 1.0, 0.0, 0.0),
    ("y ** 3", lambda x, y: y**3, -8.0, 0.0, 12.0),
    ("x ** y", lambda x, y: x**y, 1 / 9, -2 * 3.0**-3, math.log(3) / 9),
    ("2 ** x", lambda x, y: 2**x, 8.0, 8 * math.log(2), 0.0),
    ("x ** Fraction(1, 2)", lambda x, y: x ** Fraction(1, 2), math.sqrt(3), 0.5 / math.sqrt(3), 0.0),  # type: ignore[operator]
    ("x * True", lambda x, y: x * True, 3.0, 1.0, 0.0),
    ("abs(y)", lambda x, y: abs(y), 2.0, 0.0, -1.0),
]


@pytest.mark.parametrize(
    ("expression", "f", "value", "dx", "dy"), ARITHMETIC, ids=[row[0] for row in ARITHMETIC]
)
def test_operator_values_and_gradients(
    expression: str, f: Callable[[Value, Value], Value], value: float, dx: float, dy: float
) -> None:
    """Each operator, with Values or numbers on either side, has the right value and gradients."""
    x, y = Value(3.0, "x"), Value(-2.0, "y")
    out = f(x, y)
    out.backward()
    assert out.data == pytest.approx(value, rel=1e-15)
    assert x.grad == pytest.approx(dx, rel=1e-15)
    assert y.grad == pytest.approx(dy, rel=1e-15)


def test_a_negative_base_to_an_integer_power_is_fine() -> None:
    """(-2) ** 3 = -8 with slope 3 * 4 = 12: only fractional powers of negatives are refused."""
    x = Value(-2.0)
    y = x**3.0
    y.backward()
    assert (y.data, x.grad) == (-8.0, 12.0)


@pytest.mark.parametrize("other", ["2", None, [1.0], 1j])
def test_operators_refuse_non_numbers(other: object) -> None:
    """x + "2", "2" - x, x ** "2": Python's TypeError naming the operator and both types."""
    x = Value(1.0)
    with pytest.raises(TypeError, match=r"unsupported operand type\(s\) for \+"):
        x + other  # type: ignore[operator]
    with pytest.raises(TypeError, match=r"unsupported operand type\(s\) for -"):
        other - x  # type: ignore[operator]
    with pytest.raises(TypeError, match=r"unsupported operand type\(s\) for \*\* or pow\(\)"):
        x**other  # type: ignore[operator]


@pytest.mark.parametrize(("f", "message"), [
    (lambda x: x + math.nan, r"^\+: the operand nan is not a finite number$"),
    (lambda x: math.inf * x, r"^\*: the operand inf is not a finite number$"),
    (lambda x: x / -math.inf, r"^/: the operand -inf is not a finite number$"),
    (lambda x: math.nan ** x, r"^\*\*: the operand nan is not a finite number$"),
    (lambda x: x**math.inf, r"^\*\* exponent must be finite, got inf$"),
])
def test_a_nan_or_infinite_number_operand_is_refused(f: Callable[[Value], Value], message: str) -> None:
    """A nan or inf number on either side is a ValueError naming the op and the number."""
    with pytest.raises(ValueError, match=message):
        f(Value(2.0))


def test_a_huge_int_operand_is_an_overflow() -> None:
    """x * 10**400 names the op instead of Python's 'int too large to convert to float'."""
    with pytest.raises(OverflowError, match=r"^\*: an operand is too large for a float"):
        Value(1.0) * 10**400


# --- bad input: the error type and a message naming the op and operands ---

BAD: list[tuple[str, Callable[[], Value], type[Exception], str]] = [
    ("log(0)", lambda: Value(0.0).log(), ValueError, r"^log\(0\.0\): log is defined only for x > 0$"),
    ("log(-1)", lambda: Value(-1.0).log(), ValueError, r"^log\(-1\.0\): log is defined only for x > 0$"),
    ("x / 0", lambda: Value(1.0) / 0, ZeroDivisionError, r"^1\.0 / 0\.0: float division by zero$"),
    ("1 / x", lambda: 1 / Value(0.0), ZeroDivisionError, r"^1\.0 / 0\.0: float division by zero$"),
    ("x / y", lambda: Value(2.0) / Value(0.0), ZeroDivisionError, r"^2\.0 / 0\.0"),
    ("exp(710)", lambda: Value(710.0).exp(), OverflowError, r"^exp\(710\.0\): .*overflows.*709\.78"),
    ("(-8) ** (1/3)", lambda: Value(-8.0) ** (1 / 3), ValueError,
     r"^\(-8\.0\) \*\* 0\.333+: a negative base to a fractional power is not a real number$"),
    ("0 ** -1", lambda: Value(0.0) ** -1, ZeroDivisionError, r"^0\.0 \*\* -1\.0: zero to a negative power"),
    ("0 ** -0.5", lambda: Value(0.0) ** -0.5, ZeroDivisionError,
     r"^0\.0 \*\* -0\.5: zero to a negative power"),
    ("0 ** 0.5", lambda: Value(0.0) ** 0.5, OverflowError,
     r"^0\.0 \*\* 0\.5: the local derivative is inf, so backward could not go through this node"),
    ("(-2) ** y", lambda: (-2) ** Value(2.0), ValueError,
     r"^\(-2\.0\) \*\* 2\.0: the local derivative is not a real number"),
    ("0 ** y", lambda: Value(0.0) ** Value(0.5), OverflowError,
     r"^0\.0 \*\* 0\.5: the local derivative is inf"),
    ("sqrt(-1)", lambda: Value(-1.0).sqrt(), ValueError, r"^sqrt\(-1\.0\): sqrt is defined only for x >= 0$"),
    ("sqrt(0)", lambda: Value(0.0).sqrt(), OverflowError,
     r"^sqrt\(0\.0\): the local derivative is inf, .*\(under no_grad\(\) the value alone is fine\)$"),
    ("1e200 * 1e200", lambda: Value(1e200) * 1e200, OverflowError,
     r"^1e\+200 \* 1e\+200 is inf: not a finite number$"),
    ("1e308 + 1e308", lambda: Value(1e308) + 1e308, OverflowError, r"^1e\+308 \+ 1e\+308 is inf"),
    ("-1e308 - 1e308", lambda: Value(-1e308) - 1e308, OverflowError, r"^-1e\+308 - 1e\+308 is -inf"),
    ("1e300 / 1e-300", lambda: Value(1e300) / 1e-300, OverflowError, r"^1e\+300 / 1e-300 is inf"),
    ("1e200 ** 2", lambda: Value(1e200) ** 2, OverflowError,
     r"^1e\+200 \*\* 2\.0: the result overflows a float$"),
    ("2 ** x", lambda: 2 ** Value(1024.0), OverflowError,
     r"^2\.0 \*\* 1024\.0: the result overflows a float$"),
    ("1 / 1e-200", lambda: Value(1.0) / 1e-200, OverflowError,
     r"^1\.0 / 1e-200: the local derivative is -inf, so backward"),
    ("log(5e-324)", lambda: Value(5e-324).log(), OverflowError,
     r"^log\(5e-324\): the local derivative is inf, so backward"),
    ("2 ** 1023", lambda: Value(2.0) ** 1023, OverflowError,
     r"^2\.0 \*\* 1023\.0: the local derivative is inf, so backward"),
]


@pytest.mark.parametrize(("case", "f", "error", "message"), BAD, ids=[row[0] for row in BAD])
def test_bad_input_raises_an_error_naming_the_op_and_operands(
    case: str, f: Callable[[], Value], error: type[Exception], message: str
) -> None:
    """Each bad input raises its documented error type; the message shows the op on its numbers."""
    with pytest.raises(error, match=message) as caught:
        f()
    assert type(caught.value) is error


NO_GRAD_FINE: list[tuple[str, Callable[[], Value], float]] = [
    ("sqrt(0)", lambda: Value(0.0).sqrt(), 0.0),
    ("0 ** 0.5", lambda: Value(0.0) ** 0.5, 0.0),
    ("(-2) ** y", lambda: (-2) ** Value(2.0), 4.0),
    ("1 / 1e-200", lambda: Value(1.0) / 1e-200, 1e200),
]


@pytest.mark.parametrize(("case", "f", "expected"), NO_GRAD_FINE, ids=[row[0] for row in NO_GRAD_FINE])
def test_a_value_whose_slope_is_not_finite_is_fine_under_no_grad(
    case: str, f: Callable[[], Value], expected: float
) -> None:
    """Only recording a node with an infinite or undefined slope is refused; its value is computed."""
    with no_grad():
        assert f().data == expected


@pytest.mark.parametrize(("op", "operands"), [("/", (1.0, 1e-200)), ("sqrt", (0.0,)), ("log", (5e-324,))])
def test_apply_checks_slopes_as_the_operators_do(op: str, operands: tuple[float, ...]) -> None:
    """apply (what the CLI and the strategies build with) refuses an infinite slope just as x/y does."""
    with pytest.raises(OverflowError, match=r"the local derivative is -?inf, so backward"):
        apply(OPS[op], *operands)


def test_zero_to_a_value_power_has_zero_slope_in_the_exponent() -> None:
    """0 ** y for y >= 1 is recorded: d/dy x**y = x**y * log(x) tends to 0 at x = 0."""
    x, y = Value(0.0), Value(2.0)
    z = x**y
    z.backward()
    assert (z.data, x.grad, y.grad) == (0.0, 0.0, 0.0)


def test_a_refused_op_leaves_nothing_behind() -> None:
    """The error comes before any node is built: the operands are untouched."""
    x = Value(0.0, "x")
    with pytest.raises(ValueError):
        x.log()
    assert (x.data, x.grad, x.parents) == (0.0, 0.0, ())


# --- no silent nan or inf, ever ---

ALLOWED_ERRORS = (ValueError, ZeroDivisionError, OverflowError)
UNARY = ["exp", "log", "tanh", "sigmoid", "relu", "sqrt", "abs", "sin", "cos", "softplus", "leaky_relu"]
UNARY.append("neg")
BINARY: dict[str, Callable[[Value, Value], Value]] = {
    "+": lambda a, b: a + b,
    "-": lambda a, b: a - b,
    "*": lambda a, b: a * b,
    "/": lambda a, b: a / b,
    "**": lambda a, b: a**b,
    "** number": lambda a, b: a**b.data,
    "number ** ": lambda a, b: a.data**b,
}
def _signed_power_of_two(mantissa: float, exponent: int, negative: bool) -> float:
    magnitude = math.ldexp(mantissa, exponent)
    return -magnitude if negative else magnitude


# Any finite float, weighted towards the extremes where overflow and poles live: magnitudes
# 2**e spread over the whole exponent range, both signs, subnormals included.
EXPONENTS = [-1074, -1060, -1022, -700, -500, -300, -100, -1, 0, 1, 2, 10, 100, 300, 500, 700, 1000, 1024]
wide_floats = st.one_of(
    st.floats(allow_nan=False, allow_infinity=False),
    st.builds(
        _signed_power_of_two, st.floats(0.5, 1.0, exclude_max=True), st.sampled_from(EXPONENTS), st.booleans()
    ),
)


def _apply(name: str, *operands: Value) -> Value:
    if name == "neg":
        return -operands[0]
    if name in BINARY:
        return BINARY[name](*operands)
    result: Value = getattr(operands[0], name)()
    return result


def _assert_all_finite(nodes: list[Value]) -> None:
    assert all(math.isfinite(node.data) and math.isfinite(node.grad) for node in nodes)
    assert all(math.isfinite(local) for node in nodes for local in node.local_grads)


@pytest.mark.parametrize("op", UNARY + list(BINARY))
@given(x=wide_floats, y=wide_floats)
def test_one_op_is_finite_or_raises(op: str, x: float, y: float) -> None:
    """Each op over any finite floats: a ValueError/ZeroDivisionError/OverflowError, or all finite."""
    leaves = [Value(x), Value(y)]
    try:
        out = _apply(op, *leaves)
        out.backward()
    except ALLOWED_ERRORS:
        return
    _assert_all_finite([out, *leaves])


@pytest.mark.parametrize("second", ["*", "/"])
@pytest.mark.parametrize("first", ["*", "/"])
@given(x=wide_floats, y=wide_floats, z=wide_floats)
def test_a_chain_is_finite_or_raises(first: str, second: str, x: float, y: float, z: float) -> None:
    """(x op y) op z: gradients that overflow only along the chain are caught too."""
    leaves = [Value(x), Value(y), Value(z)]
    try:
        inner = _apply(first, *leaves[:2])
        out = _apply(second, inner, leaves[2])
        out.backward()
    except ALLOWED_ERRORS:
        return
    _assert_all_finite([out, inner, *leaves])
