"""primitive: user-defined ops from a forward function and its partials, and every misuse's error."""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from typing import Any

import pytest

from autograd import Value, grad, no_grad, primitive
from autograd.primitive import positional_names


def _cube(x: float) -> float:
    return x**3


def _cube_derivative(x: float) -> tuple[float]:
    return (3 * x**2,)


def test_forward_and_derivative_are_used() -> None:
    """The node's data comes from forward, its local derivative from derivative."""
    cube = primitive("cube", _cube, _cube_derivative)
    x = Value(2.0, "x")
    y = cube(x)
    y.backward()
    assert (y.data, y.op, y.local_grads, x.grad) == (8.0, "cube", (12.0,), 12.0)
    assert cube.__name__ == "cube"


def test_two_inputs_and_numbers() -> None:
    """A two-input primitive takes Values or numbers on either side; constants become leaves."""
    def hypot_forward(a: float, b: float) -> float:
        return math.hypot(a, b)

    hypot = primitive("hypot", hypot_forward, lambda a, b: (a / math.hypot(a, b), b / math.hypot(a, b)))
    a = Value(3.0)
    y = hypot(a, 4)
    y.backward()
    assert (y.data, a.grad) == (5.0, 0.6)
    assert y.parents[1].data == 4.0
    assert hypot(3.0, 4.0).data == 5.0


def test_a_bare_number_or_a_list_is_accepted_as_the_derivative() -> None:
    """For one input a bare number will do; a list is as good as a tuple."""
    double = primitive("double", lambda x: 2 * x, lambda x: 2)
    add = primitive("add", lambda a, b: a + b, lambda a, b: [1, 1])
    x = Value(1.0)
    (double(x) + add(x, x)).backward()
    assert x.grad == 4.0


def test_it_composes_with_the_built_in_ops() -> None:
    """A primitive inside a bigger expression gets the chain rule like any op."""
    square = primitive("square", lambda x: x * x, lambda x: (2 * x,))
    x = Value(0.5)
    y = square(x.tanh()) * 3
    y.backward()
    assert x.grad == pytest.approx(3 * 2 * math.tanh(0.5) * (1 - math.tanh(0.5) ** 2), rel=1e-15)


def test_first_order_grad_works_but_create_graph_is_refused() -> None:
    """grad() goes through it; grad(..., create_graph=True) is a TypeError that says why."""
    cube = primitive("cube", _cube, _cube_derivative)
    x = Value(2.0)
    assert grad(cube(x), [x])[0].data == 12.0
    with pytest.raises(TypeError, match=r"^primitive 'cube' has a first-order derivative .*create_graph"):
        grad(cube(x), [x], create_graph=True)


def test_under_no_grad_it_is_a_leaf() -> None:
    """no_grad applies to primitives like to any op."""
    cube = primitive("cube", _cube, _cube_derivative)
    with no_grad():
        y = cube(Value(2.0))
    assert y.data == 8.0 and y.is_leaf


# --- misuse: each a clear error ---


@pytest.mark.parametrize(
    ("name", "error", "message"),
    [
        ("my op", ValueError, r"^primitive name must be a Python identifier \(like 'cube'\), got 'my op'$"),
        ("", ValueError, r"^primitive name must be a Python identifier"),
        ("2x", ValueError, r"^primitive name must be a Python identifier"),
        ("lambda", ValueError, r"^primitive name must be a Python identifier .*got 'lambda'$"),
        (3, TypeError, r"^primitive name must be a str, got int: 3$"),
        ("tanh", ValueError, r"^primitive name 'tanh' is already a built-in op; choose another$"),
        ("dot", ValueError, r"^primitive name 'dot' is already a built-in op"),
        ("leaky_relu", ValueError, r"^primitive name 'leaky_relu' is already a built-in op"),
    ],
)
def test_bad_names(name: object, error: type[Exception], message: str) -> None:
    """Names must be identifiers that are not keywords and not a built-in op's name."""
    with pytest.raises(error, match=message):
        primitive(name, _cube, _cube_derivative)  # type: ignore[arg-type]


def test_forward_and_derivative_must_be_callable() -> None:
    """Passing a number where a function belongs is a TypeError naming the primitive."""
    with pytest.raises(TypeError, match=r"^primitive 'cube': forward and derivative must be callable$"):
        primitive("cube", 3.0, _cube_derivative)  # type: ignore[arg-type]


class _NoSignature:
    """A callable whose signature cannot be read (as some builtins')."""

    __signature__ = "not a signature"

    def __call__(self, x: float) -> float:
        return x


@pytest.mark.parametrize("forward", [lambda *xs: sum(xs), lambda: 1.0, lambda x, *rest: x, _NoSignature()])
def test_forward_needs_a_fixed_number_of_inputs(forward: Callable[..., float]) -> None:
    """*args, no inputs at all or an unreadable signature leave the arity unknown: TypeError."""
    with pytest.raises(TypeError, match=r"forward must take a fixed number \(>= 1\) of inputs"):
        primitive("f", forward, lambda *xs: ())


def test_wrong_number_of_operands_when_called() -> None:
    """Calling a one-input primitive with two operands says how many it takes."""
    cube = primitive("cube", _cube, _cube_derivative)
    with pytest.raises(TypeError, match=r"^cube takes 1 operand\(s\), got 2$"):
        cube(1.0, 2.0)


@pytest.mark.parametrize(
    ("derivative", "message"),
    [
        (lambda x: (1.0, 2.0), r"^primitive 'f': derivative returned 2 partial\(s\) for 1 input\(s\)$"),
        (lambda x: (), r"^primitive 'f': derivative returned 0 partial\(s\) for 1 input\(s\)$"),
        (lambda x: None, r"^primitive 'f': derivative must return a tuple with one partial per input"),
        (lambda x: ("1",), r"^primitive 'f': derivative must return real numbers, got '1'$"),
        (lambda x: (1j,), r"^primitive 'f': derivative must return real numbers, got 1j$"),
    ],
)
def test_a_bad_derivative_is_a_type_error(derivative: Callable[[float], Any], message: str) -> None:
    """Wrong partial count or non-numbers: a TypeError naming the primitive, when it is first used."""
    f = primitive("f", lambda x: x, derivative)
    with pytest.raises(TypeError, match=message):
        f(1.0)


@pytest.mark.parametrize(
    ("partial", "error", "what"),
    [(math.inf, OverflowError, "inf"), (math.nan, ValueError, "not a real number")],
)
def test_a_non_finite_derivative_is_refused(partial: float, error: type[Exception], what: str) -> None:
    """An inf or nan partial would poison every gradient behind it: refused, naming the operands."""
    f = primitive("f", lambda x: x, lambda x: partial)
    with pytest.raises(error, match=rf"^f\(2\.0\): the local derivative is {what}, so backward"):
        f(2.0)
    with no_grad():  # nothing recorded, nothing refused
        assert f(2.0).data == 2.0


def test_a_non_number_forward_is_a_type_error() -> None:
    """forward must give a real number."""
    f = primitive("f", lambda x: str(x), lambda x: 1.0)  # type: ignore[arg-type,return-value]
    with pytest.raises(TypeError, match=r"^primitive 'f': forward must return a real number, got '1\.0'$"):
        f(1.0)


@pytest.mark.parametrize(
    ("forward", "error", "message"),
    [
        (lambda x: math.inf, OverflowError, r"^f\(2\.0\) is inf: not a finite number$"),
        (lambda x: math.nan, ValueError, r"^f\(2\.0\) is nan: not a finite number$"),
        (lambda x: math.log(-x), ValueError, r"^f\(2\.0\): math domain error$"),
        (lambda x: 1 / (x - 2), ZeroDivisionError, r"^f\(2\.0\): float division by zero$"),
        (lambda x: json.loads("{"), ValueError, r"^f\(2\.0\): Expecting property name"),
    ],
)
def test_forward_errors_name_the_primitive_and_operands(
    forward: Callable[[float], float], error: type[Exception], message: str
) -> None:
    """A non-finite result, or an arithmetic error inside forward, comes back naming f and its input."""
    f = primitive("f", forward, lambda x: 1.0)
    with pytest.raises(error, match=message):
        f(2.0)


def test_non_number_operands_are_refused() -> None:
    """A string operand is a TypeError naming the primitive."""
    cube = primitive("cube", _cube, _cube_derivative)
    with pytest.raises(TypeError, match=r"^cube: operands must be Values or real numbers, got str: 'x'$"):
        cube("x")


def test_positional_names_are_the_inputs_a_call_fills() -> None:
    """Positional parameters in order; keyword-only and **kwargs are not inputs; *args has no fixed list."""

    def only_positional(a: float, /, b: float, c: float = 1.0) -> float:
        return a

    def with_keywords(a: float, b: float, *, scale: float = 1.0, **options: float) -> float:
        return a

    assert positional_names(only_positional) == ["a", "b", "c"]
    assert positional_names(with_keywords) == ["a", "b"]
    assert positional_names(lambda: 1.0) == []
    assert positional_names(lambda a, *rest: a) is None
    assert positional_names(_NoSignature()) is None
