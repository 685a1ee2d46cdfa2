"""Every op's derivative rule against central differences, at first and second order.

One row per op (and per parameter of the parametric ones) says where its inputs live; each is
checked by gradcheck at points hypothesis draws there, kept clear of the op's declared kinks.
Random graphs of up to 50 ops, drawn by autograd.testing, check the rules working together.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from hypothesis import assume, given, reject
from hypothesis import strategies as st

import autograd
from autograd import GradcheckError, Value, gradcheck, primitive
from autograd.numerical import step_size
from autograd.ops import OPS
from autograd.testing import RandomFunction, functions_and_inputs

# Far enough from a kink or pole that finite differences neither straddle it nor feel its curvature.
_KINK_MARGIN = 1000

scale_by_exp = primitive(
    "scale_by_exp", lambda x, y: x * math.exp(y), lambda x, y: (math.exp(y), x * math.exp(y))
)


@dataclass(frozen=True)
class Case:
    """An op to check: a function building one node, and an interval for each of its inputs."""

    name: str
    function: Callable[..., Value]
    domain: tuple[tuple[float, float], ...]
    second_order: bool = True  # user primitives are first order only

    def __str__(self) -> str:
        return self.name


ANY = (-5.0, 5.0)
POSITIVE = (0.01, 5.0)

CASES = [
    Case("+", lambda a, b: a + b, (ANY, ANY)),
    Case("-", lambda a, b: a - b, (ANY, ANY)),
    Case("*", lambda a, b: a * b, (ANY, ANY)),
    Case("/", lambda a, b: a / b, (ANY, ANY)),
    Case("** (Value exponent)", lambda a, b: a**b, (POSITIVE, (-3.0, 3.0))),
    Case("neg", lambda a: -a, (ANY,)),
    Case("exp", lambda a: a.exp(), (ANY,)),
    Case("log", lambda a: a.log(), (POSITIVE,)),
    Case("tanh", lambda a: a.tanh(), (ANY,)),
    Case("sigmoid", lambda a: a.sigmoid(), ((-20.0, 20.0),)),
    Case("relu", lambda a: a.relu(), (ANY,)),
    Case("sqrt", lambda a: a.sqrt(), (POSITIVE,)),
    Case("abs", lambda a: a.abs(), (ANY,)),
    Case("sin", lambda a: a.sin(), ((-10.0, 10.0),)),
    Case("cos", lambda a: a.cos(), ((-10.0, 10.0),)),
    Case("softplus", lambda a: a.softplus(), ((-20.0, 20.0),)),
    Case("dot (1 pair)", lambda w, x, b: autograd.dot([w], [x], b), (ANY, ANY, ANY)),
    Case("dot (3 pairs)", lambda *v: autograd.dot(v[0:3], v[3:6], v[6]), (ANY,) * 7),
    *(Case(f"x**{n:g}", lambda a, n=n: a**n, (ANY,)) for n in (0.0, 1.0, 2.0, 3.0, -1.0, -2.0)),
    *(Case(f"x**{n:g}", lambda a, n=n: a**n, (POSITIVE,)) for n in (0.5, 1.5, -0.5, 2.7)),
    *(Case(f"leaky_relu({s:g})", lambda a, s=s: a.leaky_relu(s), (ANY,)) for s in (0.01, 0.2, -0.5)),
    Case("primitive scale_by_exp", scale_by_exp, (ANY, (-3.0, 3.0)), second_order=False),
]


@st.composite
def _points(draw: st.DrawFn, case: Case) -> list[float]:
    """A point in the case's domain, at least _KINK_MARGIN steps from the op's kinks and poles."""
    xs = [draw(st.floats(low, high)) for low, high in case.domain]
    try:
        node = case.function(*[Value(x) for x in xs])
    except (ArithmeticError, ValueError):  # a pole itself, or an overflow next to one
        reject()
    op = node._op
    assert op is not None  # every case builds one op node
    if op.smooth_distance is not None:
        assume(op.smooth_distance(*xs) > _KINK_MARGIN * max(step_size(x) for x in xs))
    return xs


def test_every_op_has_a_case() -> None:
    """A new op in the table needs a row here before its rule counts as checked."""
    covered = {case.function(*[Value(high) for _, high in case.domain]).op for case in CASES}
    assert set(OPS) <= covered
    assert {"**", "leaky_relu", "scale_by_exp"} <= covered


@pytest.mark.parametrize("case", CASES, ids=str)
@given(data=st.data())
def test_first_derivative(case: Case, data: st.DataObject) -> None:
    """The rule's d(node)/d(input) matches central differences across the op's domain."""
    assert gradcheck(case.function, data.draw(_points(case)))


@pytest.mark.parametrize("case", [case for case in CASES if case.second_order], ids=str)
@given(data=st.data())
def test_second_derivative(case: Case, data: st.DataObject) -> None:
    """The rule evaluated on Values differentiates again: grad of grad matches differences of grad."""
    assert gradcheck(case.function, data.draw(_points(case)), order=2)


@given(functions_and_inputs(max_inputs=4, max_ops=50))
def test_random_graphs_of_up_to_50_ops(case: tuple[RandomFunction, list[float]]) -> None:
    """Rules composed at random, shared subterms included, pass at first and second order."""
    f, xs = case
    assert gradcheck(f, xs, order=2)


bad_cube = primitive("bad_cube", lambda x: x**3, lambda x: (2 * x * x,))


@pytest.mark.parametrize(
    ("build", "culprit"),
    [
        (lambda x, w, b: (bad_cube(x * w) + b).tanh(), "bad_cube at v2 = bad_cube(v1): local ∂v2/∂v1"),
        (
            lambda x, w, b: autograd.dot([w, bad_cube(b)], [x, x], b),
            "bad_cube at v1 = bad_cube(b): local ∂v1/∂b",
        ),
    ],
)
def test_a_wrong_primitive_derivative_is_caught_and_named(build: Callable[..., Value], culprit: str) -> None:
    """Inside a neuron, a primitive whose derivative is 2x**2 instead of 3x**2 fails, blamed by name."""
    with pytest.raises(GradcheckError) as caught:
        gradcheck(build, [0.5, -1.25, 0.7])
    assert culprit in str(caught.value)
    assert [node.op for node in caught.value.nodes] == ["bad_cube"]
