"""The strategies users import: what they draw, what they promise, and how they shrink."""

from __future__ import annotations

import importlib
import inspect
import math
import re
import sys
from typing import Any

import pytest
from hypothesis import assume, find, given, settings
from hypothesis import strategies as st

import autograd
from autograd import GradcheckError, Value, gradcheck, topological_order
from autograd.ops import OPS, Op
from autograd.testing import DEFAULT_OPS, RandomFunction, functions_and_inputs, values

Case = tuple[RandomFunction, list[float]]
_SEARCH = settings(database=None, derandomize=True, max_examples=500)


def _bad_square_rule(m: Any, x: Any) -> tuple[Any, tuple[Any, ...]]:
    return x * x, (3 * x,)  # the derivative should be 2x


BAD_SQUARE = Op("bad_square", _bad_square_rule, 1)


@given(functions_and_inputs(max_inputs=3, max_ops=6))
def test_draws_respect_the_limits_and_evaluate(case: Case) -> None:
    """Up to 3 inputs and 6 ops, inputs in values()' range; f(*xs) is a finite Value."""
    f, xs = case
    assert 1 <= len(xs) == f.n_inputs <= 3 and 1 <= f.n_ops <= 6
    assert all(-5.0 <= x <= 5.0 for x in xs)
    result = f(*xs)
    assert isinstance(result, Value) and math.isfinite(result.data)
    assert len([node for node in topological_order(result) if node.parents]) == f.n_ops


@given(functions_and_inputs(max_inputs=2, max_ops=8))
def test_draws_keep_clear_of_kinks_and_stay_small(case: Case) -> None:
    """At xs no node is within 1000 steps of a kink, and values and gradients stay under 1e3."""
    f, xs = case
    inputs = [Value(x) for x in xs]
    root = f(*inputs)
    for node in topological_order(root):
        assert abs(node.data) <= 1e3
        op = node._op
        if op is not None and op.smooth_distance is not None:
            assert op.smooth_distance(*[p.data for p in node.parents]) > 0
    root.backward()
    assert all(abs(x.grad) <= 1e3 for x in inputs)
    assert gradcheck(f, xs)  # never NondifferentiableError


@given(functions_and_inputs())
def test_repr_is_the_formula(case: Case) -> None:
    """Read back as Python, the repr (shared subterms first) computes what f computes."""
    f, xs = case
    text = repr(f)
    assume("…" not in text)
    head, _, where = text.partition(" where ")
    names: dict[str, Any] = {name: getattr(autograd, name) for name in autograd.__all__}
    names |= {f"x{i}": Value(x) for i, x in enumerate(xs)}
    for definition in re.split(r", (?=t\d+ = )", where) if where else []:
        name, _, formula = definition.partition(" = ")
        names[name] = eval(formula, names)
    signature, _, formula = head.partition(" = ")
    assert signature == f"f({', '.join(f'x{i}' for i in range(len(xs)))})"
    assert eval(formula, names).data == pytest.approx(f(*xs).data, rel=1e-6, abs=1e-9)


def test_shared_subterms_are_drawn_and_named() -> None:
    """A subterm used twice is one node with two users, written once as t1."""
    f, xs = find(
        functions_and_inputs(max_ops=4), lambda case: "where t1 = " in repr(case[0]), settings=_SEARCH
    )
    nodes = topological_order(f(*xs))
    [shared] = [node for node in nodes if node.label == "t1"]
    assert sum(parent is shared for node in nodes for parent in node.parents) >= 2


def test_a_wrong_op_is_found_and_blamed() -> None:
    """Among the default ops, gradcheck finds a bad_square and its blame names that op."""

    def fails(case: Case) -> bool:
        try:
            gradcheck(*case)
        except GradcheckError:
            return True
        return False

    strategy = functions_and_inputs(ops=[*DEFAULT_OPS, BAD_SQUARE])
    f, xs = find(strategy, fails, settings=_SEARCH)
    assert "bad_square(" in repr(f)
    with pytest.raises(GradcheckError, match=r"blame: bad_square at \w+ = bad_square"):
        gradcheck(f, xs)


@given(functions_and_inputs(max_ops=3, ops=[OPS["+"], OPS["*"]]))
def test_ops_restricts_what_is_drawn(case: Case) -> None:
    """With ops=[+, *] only sums and products appear."""
    f, xs = case
    assert {node.op for node in topological_order(f(*xs)) if node.parents} <= {"+", "*"}


def test_random_functions_take_their_own_number_of_inputs() -> None:
    """f has a signature (x0, x1, ...) that gradcheck reads, and refuses other counts."""
    f, _ = find(functions_and_inputs(), lambda case: case[0].n_inputs == 2, settings=_SEARCH)
    assert list(inspect.signature(f).parameters) == ["x0", "x1"]
    with pytest.raises(TypeError, match="takes 2 input"):
        f(1.0)


@given(values())
def test_values_are_finite_and_in_range(x: float) -> None:
    """values() gives finite floats in [-5, 5]."""
    assert math.isfinite(x) and -5.0 <= x <= 5.0


@given(values(0.5, 2.0))
def test_values_takes_a_range(x: float) -> None:
    """values(lo, hi) stays in [lo, hi]."""
    assert 0.5 <= x <= 2.0


@pytest.mark.parametrize(
    ("arguments", "error", "match"),
    [
        ({"max_inputs": 0}, ValueError, "must be >= 1"),
        ({"max_ops": 0}, ValueError, "must be >= 1"),
        ({"ops": []}, TypeError, "non-empty sequence of Op"),
        ({"ops": ["tanh"]}, TypeError, "non-empty sequence of Op"),
    ],
)
def test_bad_arguments_are_refused_at_once(
    arguments: dict[str, Any], error: type[Exception], match: str
) -> None:
    """Misuse fails when the strategy is made, not deep inside a test run."""
    with pytest.raises(error, match=match):
        functions_and_inputs(**arguments)


def test_importing_without_hypothesis_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    """With hypothesis missing, the ImportError names the extra to install."""
    monkeypatch.setitem(sys.modules, "hypothesis", None)
    monkeypatch.delitem(sys.modules, "autograd.testing")
    with pytest.raises(ImportError, match=r"pip install 'glassgrad\[testing\]'"):
        importlib.import_module("autograd.testing")


@given(st.data())
def test_draws_are_reproducible_from_the_same_choices(data: st.DataObject) -> None:
    """Drawing twice with hypothesis' data gives working functions whose repr matches their graph."""
    f, xs = data.draw(functions_and_inputs(max_ops=5))
    labelled = [Value(x, f"x{i}") for i, x in enumerate(xs)]
    assert repr(f).startswith(f"f({', '.join(v.label for v in labelled)}) = {f(*labelled).expr(500)}")
