"""The module-level functions: same values and gradients as the methods, numbers accepted, dot."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

import autograd
from autograd import Value, dot, leaky_relu

# (function, x, value, derivative), each worked out by hand.
E = math.e
SPOT_VALUES: list[tuple[str, float, float, float]] = [
    ("exp", 0.0, 1.0, 1.0),
    ("exp", 1.0, E, E),
    ("log", 1.0, 0.0, 1.0),
    ("log", E, 1.0, 1 / E),
    ("tanh", 0.0, 0.0, 1.0),
    ("tanh", math.atanh(0.5), 0.5, 0.75),
    ("sigmoid", 0.0, 0.5, 0.25),
    ("sigmoid", math.log(3), 0.75, 0.1875),
    ("sigmoid", -800.0, 0.0, 0.0),  # no overflow in e**800
    ("relu", 2.5, 2.5, 1.0),
    ("relu", -2.5, 0.0, 0.0),
    ("relu", 0.0, 0.0, 0.0),  # the kink's derivative is taken as 0, as PyTorch does
    ("sqrt", 4.0, 2.0, 0.25),
    ("sqrt", 0.25, 0.5, 1.0),
    ("abs", -3.0, 3.0, -1.0),
    ("abs", 3.0, 3.0, 1.0),
    ("abs", 0.0, 0.0, 0.0),
    ("sin", 0.0, 0.0, 1.0),
    ("sin", math.pi / 2, 1.0, math.cos(math.pi / 2)),
    ("cos", 0.0, 1.0, 0.0),
    ("cos", math.pi / 2, math.cos(math.pi / 2), -1.0),
    ("softplus", 0.0, math.log(2), 0.5),
    ("softplus", 800.0, 800.0, 1.0),  # no overflow in e**800
    ("softplus", -800.0, 0.0, 0.0),
    ("leaky_relu", 2.0, 2.0, 1.0),
    ("leaky_relu", -2.0, -0.02, 0.01),
    ("leaky_relu", 0.0, 0.0, 0.01),
]


@pytest.mark.parametrize(
    ("name", "x", "value", "derivative"), SPOT_VALUES, ids=[f"{row[0]}({row[1]:g})" for row in SPOT_VALUES]
)
def test_method_value_and_derivative(name: str, x: float, value: float, derivative: float) -> None:
    """x.name() has the value and derivative worked out by hand."""
    leaf = Value(x)
    out = getattr(leaf, name)()
    out.backward()
    assert out.op == name
    assert out.data == pytest.approx(value, rel=1e-14, abs=1e-300)
    assert leaf.grad == pytest.approx(derivative, rel=1e-14, abs=1e-300)


@pytest.mark.parametrize(
    ("name", "x", "value", "derivative"), SPOT_VALUES, ids=[f"{row[0]}({row[1]:g})" for row in SPOT_VALUES]
)
def test_function_matches_the_method(name: str, x: float, value: float, derivative: float) -> None:
    """autograd.name(x) gives exactly what x.name() gives, on a Value and on a plain number."""
    by_method = getattr(Value(x), name)()
    leaf = Value(x)
    by_function = getattr(autograd, name)(leaf)
    by_function.backward()
    assert by_function.op == name
    assert by_function.data == by_method.data
    assert by_function.local_grads == by_method.local_grads
    assert by_function.parents == (leaf,)
    on_number = getattr(autograd, name)(x)
    assert isinstance(on_number, Value) and on_number.data == by_method.data


def test_builtin_abs_works_on_values() -> None:
    """abs(v) is the abs op too."""
    x = Value(-2.0)
    y = abs(x)
    y.backward()
    assert (y.data, y.op, x.grad) == (2.0, "abs", -1.0)


def test_leaky_relu_takes_a_slope() -> None:
    """leaky_relu(x, slope): the slope is the derivative for x < 0."""
    x = Value(-4.0)
    y = leaky_relu(x, 0.25)
    y.backward()
    assert (y.data, x.grad) == (-1.0, 0.25)
    assert x.leaky_relu(0.25).data == -1.0


def test_leaky_relu_refuses_a_bad_slope() -> None:
    """A non-number slope is a TypeError, a nan slope a ValueError, both naming the slope."""
    with pytest.raises(TypeError, match="leaky_relu slope must be a real number"):
        leaky_relu(1.0, "0.1")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="leaky_relu slope must be finite"):
        Value(1.0).leaky_relu(math.nan)


FUNCTIONS = ["exp", "log", "tanh", "sigmoid", "relu", "sqrt", "abs", "sin", "cos", "softplus", "leaky_relu"]


@pytest.mark.parametrize("name", FUNCTIONS)
def test_functions_refuse_non_numbers_by_name(name: str) -> None:
    """A string is a TypeError that names the function it was given to."""
    with pytest.raises(TypeError, match=rf"^{name}: operands must be Values or real numbers, got str: 'x'$"):
        getattr(autograd, name)("x")


@pytest.mark.parametrize("name", FUNCTIONS)
def test_functions_refuse_nan_by_name(name: str) -> None:
    """A nan number is a ValueError that names the function."""
    with pytest.raises(ValueError, match=rf"^{name}: the operand nan is not a finite number$"):
        getattr(autograd, name)(math.nan)


# --- dot ---


def _chain(weights: list[Value], inputs: list[Value], bias: Value) -> Value:
    out = bias
    for w, x in zip(weights, inputs):
        out = out + w * x
    return out


def test_dot_by_hand() -> None:
    """dot([w1, w2], [x1, x2], b) = w1*x1 + w2*x2 + b; d/dw_i = x_i, d/dx_i = w_i, d/db = 1."""
    w1, w2, x1, x2, b = (Value(v) for v in (2.0, -1.0, 3.0, 4.0, 0.5))
    y = dot([w1, w2], [x1, x2], b)
    y.backward()
    assert y.op == "dot"
    assert y.data == 2.5
    assert [w1.grad, w2.grad, x1.grad, x2.grad, b.grad] == [3.0, 4.0, 2.0, -1.0, 1.0]


finite = st.floats(-1e3, 1e3)


@given(st.lists(st.tuples(finite, finite), max_size=8), finite)
def test_dot_equals_the_chain_of_mul_and_add(pairs: list[tuple[float, float]], bias: float) -> None:
    """dot gives the value and every gradient that the chain of * and + gives."""
    weights = [Value(w) for w, _ in pairs]
    inputs = [Value(x) for _, x in pairs]
    b = Value(bias)
    fused = dot(weights, inputs, b)
    fused.backward()
    fused_grads = [v.grad for v in (*weights, *inputs, b)]
    for v in (*weights, *inputs, b):
        v.grad = 0.0
    chained = _chain(weights, inputs, b)
    chained.backward()
    assert fused.data == chained.data  # the same additions in the same order
    assert fused_grads == [v.grad for v in (*weights, *inputs, b)]


def test_dot_with_numbers_and_shared_operands() -> None:
    """Numbers become constants, the bias defaults to 0, and a Value used twice gets both shares."""
    x = Value(3.0)
    y = dot([x, 2.0], [x, x])  # x*x + 2*x
    y.backward()
    assert (y.data, x.grad) == (15.0, 8.0)
    assert dot([], []).data == 0.0


def test_dot_length_mismatch() -> None:
    """Different numbers of weights and inputs is a ValueError saying both counts."""
    with pytest.raises(ValueError, match=r"^dot: 2 weights for 3 inputs$"):
        dot([1.0, 2.0], [1.0, 2.0, 3.0])


def test_dot_overflow_names_the_op() -> None:
    """An overflowing sum is an OverflowError naming dot and its operands."""
    with pytest.raises(OverflowError, match=r"^dot\(1e\+300, 1e\+300, 0\.0\) is inf: not a finite number$"):
        dot([1e300], [1e300])


def test_dot_refuses_non_numbers() -> None:
    """A string operand is a TypeError naming dot."""
    with pytest.raises(TypeError, match=r"^dot: operands must be Values or real numbers, got str: 'w'$"):
        dot(["w"], [1.0])  # type: ignore[list-item]
    with pytest.raises(TypeError, match=r"^dot: operands must be Values or real numbers, got NoneType"):
        dot([1.0], [1.0], None)  # type: ignore[arg-type]
