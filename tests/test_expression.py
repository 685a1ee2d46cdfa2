"""Writing nodes as text: expression's parentheses, node_names' numbering, definition, truncation."""

from __future__ import annotations

import operator
import tracemalloc
from collections.abc import Callable

import pytest
from hypothesis import given
from hypothesis import strategies as st

import autograd
from autograd import Value, dot, leaky_relu, node_names
from autograd.backward import topological_order
from autograd.expression import ATOM, NEGATION, SUM, binary, definition, expression
from autograd.notation import format_number
from autograd.ops import DEFAULT_LEAKY_SLOPE
from autograd.testing import RandomFunction, functions_and_inputs


def _xy() -> tuple[Value, Value]:
    return Value(2.0, "x"), Value(3.0, "y")


# (the text expected, the graph): Python's precedence with the fewest parentheses it allows.
PRECEDENCE: list[tuple[str, Callable[[Value, Value], Value]]] = [
    ("x - (y - 1)", lambda x, y: x - (y - 1)),
    ("x - y - 1", lambda x, y: (x - y) - 1),
    ("x/(y*2)", lambda x, y: x / (y * 2)),
    ("x*y/2", lambda x, y: x * y / 2),
    ("x/(y/x)", lambda x, y: x / (y / x)),
    ("(x + y)*(x - y)", lambda x, y: (x + y) * (x - y)),
    ("x*y*(x + y)", lambda x, y: (x * y) * (x + y)),
    ("x - y - (x - y)", lambda x, y: x - y - (x - y)),
    ("-x**2", lambda x, y: -(x**2)),
    ("(-x)**2", lambda x, y: (-x) ** 2),
    ("x**y**2", lambda x, y: x ** (y**2)),
    ("(x**y)**2", lambda x, y: (x**y) ** 2),
    ("x**(-1)", lambda x, y: x**-1),
    ("-x**(-2)", lambda x, y: -(x**-2)),
    ("2**(-x)", lambda x, y: 2**-x),
    ("(x + 1)**2", lambda x, y: (x + 1) ** 2),
    ("-(-x)", lambda x, y: operator.neg(-x)),
    ("x*(-y)", lambda x, y: x * -y),
    ("x/(-y)", lambda x, y: x / -y),
    ("x - (-y)", lambda x, y: x - -y),
    ("-x*y", lambda x, y: -x * y),
    ("-(x*y)", lambda x, y: -(x * y)),
    ("-(x + y)", lambda x, y: -(x + y)),
    ("-2*x", lambda x, y: -2.0 * x),
    ("x - (-2)", lambda x, y: x - (-2.0)),
    ("(-2)**2", lambda x, y: Value(-2.0) ** 2),
    ("0.5**x", lambda x, y: 0.5**x),
    ("x**0.5", lambda x, y: x**0.5),
    ("log(exp(x))", lambda x, y: x.exp().log()),
    ("tanh(x*y + 1)", lambda x, y: (x * y + 1).tanh()),
    ("sigmoid(-x)*relu(y)", lambda x, y: (-x).sigmoid() * y.relu()),
    ("abs(x - y)", lambda x, y: abs(x - y)),
    ("leaky_relu(x)", lambda x, y: leaky_relu(x)),
    ("leaky_relu(x, 0.2)", lambda x, y: leaky_relu(x, 0.2)),
    ("x*y + y*2 - 1", lambda x, y: dot([x, y], [y, 2.0], -1.0)),
    ("x - (x*y + 1)", lambda x, y: x - dot([x], [y], 1.0)),
    ("(x*y + 0)**2", lambda x, y: dot([x], [y]) ** 2),
    ("x*1e-08", lambda x, y: x * 1e-8),
    ("1e+20*x", lambda x, y: 1e20 * x),
    ("x", lambda x, y: x),
    ("-3", lambda x, y: Value(-3.0)),
]


@pytest.mark.parametrize(("text", "f"), PRECEDENCE, ids=[row[0] for row in PRECEDENCE])
def test_expression_text(text: str, f: Callable[[Value, Value], Value]) -> None:
    """Each graph is written with exactly the parentheses Python's precedence needs."""
    assert expression(f(*_xy())) == text


@pytest.mark.parametrize(("text", "f"), PRECEDENCE, ids=[row[0] for row in PRECEDENCE])
def test_expression_reads_back_as_the_same_value(text: str, f: Callable[[Value, Value], Value]) -> None:
    """Python evaluating the text, with the autograd functions in scope, gives the node's value."""
    x, y = _xy()
    node = f(x, y)
    scope = {name: getattr(autograd, name) for name in autograd.__all__} | {"x": x, "y": y}
    assert float(eval(expression(node), scope)) == node.data


def test_expr_method_is_expression() -> None:
    """v.expr() is expression(v)."""
    x, y = _xy()
    node = (x * y + 1).tanh()
    assert node.expr() == expression(node) == "tanh(x*y + 1)"


def test_labelled_interior_nodes_appear_by_label_but_the_root_is_written_out() -> None:
    """A labelled node stands for its whole subgraph, except the root, which shows its formula."""
    x, _ = _xy()
    h = x * 2
    h.label = "h"
    out = (h + 1) * h
    assert expression(out) == "(h + 1)*h"
    out.label = "out"
    assert expression(out) == "(h + 1)*h"
    assert expression(h) == "x*2"


def test_constants_are_written_as_their_shortest_number() -> None:
    """Unlabelled leaves are constants: 2 not 2.0, 0.1 not 0.1000000000000000055."""
    numbers = (2.0, -2.0, 0.1, 1e-8, 1e20, 0.0)
    assert [format_number(n) for n in numbers] == ["2", "-2", "0.1", "1e-08", "1e+20", "0"]
    x, _ = _xy()
    assert expression(x * 2.0 + 0.1) == "x*2 + 0.1"


def test_long_text_is_cut_with_an_ellipsis() -> None:
    """Text over max_length is cut to exactly max_length, ending in "…"."""
    x, _ = _xy()
    node = x
    for i in range(100):
        node = node * (x + i)
    text = expression(node, max_length=50)
    assert len(text) == 50 and text.endswith("…")
    assert len(node.expr()) == 200


Case = tuple[RandomFunction, list[float]]


def _peak_memory(f: Callable[[], object]) -> int:
    """The most memory, in bytes, ``f()`` holds at once beyond what exists before the call."""
    tracemalloc.start()
    try:
        f()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def _chain(steps: int) -> tuple[Value, Value]:
    """x, and y = x*1.0001 + 0.5 repeated: a graph twice ``steps`` deep."""
    x = Value(1.0, "x")
    y = x
    for _ in range(steps):
        y = y * 1.0001 + 0.5
    return x, y


@given(functions_and_inputs(max_inputs=3, max_ops=12), st.integers(1, 40))
def test_cut_text_is_the_start_of_the_whole_text(case: Case, length: int) -> None:
    """Cut at any length, the text is the whole formula's first characters, then "…"."""
    f, xs = case
    node = f(*[Value(x, f"x{i}") for i, x in enumerate(xs)])
    whole = expression(node, max_length=10**9)
    cut = whole if len(whole) <= length else whole[: length - 1] + "…"
    assert expression(node, max_length=length) == cut


def test_a_cut_subterm_keeps_its_parentheses() -> None:
    """x*(a0 + a1 + ...) cut short reads x*(a0 + ..., never x*a0 + ... (a different formula)."""
    x = Value(2.0, "x")
    total = Value(0.0, "a0")
    for i in range(1, 50):
        total = total + Value(float(i), f"a{i}")
    assert expression(x * total, max_length=20) == "x*(a0 + a1 + a2 + a…"


@pytest.mark.slow
def test_a_long_chain_costs_what_it_prints() -> None:
    """expr() of a 200,000-node chain writes only its first 200 characters, in little memory."""
    _, y = _chain(100_000)
    assert y.expr() == "(" * 199 + "…"  # the chain nests to the left, 100,000 brackets deep
    assert _peak_memory(y.expr) < 1_000_000  # writing every node first took over 100 MB


def test_a_long_left_spine_is_written_from_its_bottom() -> None:
    """x + 1 + 1 + ... 100,000 times: the text starts at the deepest node, and stays small."""
    x = Value(1.0, "x")
    y = x
    for _ in range(100_000):
        y = y + 1
    assert y.expr(max_length=20) == "x + 1 + 1 + 1 + 1 +…"
    assert _peak_memory(y.expr) < 2_000_000  # one list of the 100,000 nodes down to x


def test_a_huge_dot_is_written_only_as_far_as_shown() -> None:
    """expression and definition of a 100,000-input dot: 200 characters each, little memory."""
    n = 100_000
    y = dot([Value(2.0, f"w{i}") for i in range(n)], [Value(1.0, f"x{i}") for i in range(n)], -0.5)
    names = node_names(y)
    text = expression(y)
    assert len(text) == 200 and text.startswith("w0*x0 + w1*x1 + ") and text.endswith("…")
    formula = definition(y, names)
    assert len(formula) <= 200 and formula.startswith("v1 = w0*x0 + w1*x1 + ")
    assert formula.endswith(" more terms)")
    assert _peak_memory(lambda: (expression(y), definition(y, names))) < 100_000  # the full texts: 1.7 MB


def test_a_definition_cut_says_how_many_terms_it_leaves_out() -> None:
    """A dot is cut after a whole term and counts the rest (bias included); short ones are whole."""
    w = [Value(1.0, f"w{i}") for i in range(5)]
    x = [Value(2.0, f"x{i}") for i in range(5)]
    y = dot(w, x, -0.5)
    names = node_names(y)
    assert definition(y, names) == "v1 = w0*x0 + w1*x1 + w2*x2 + w3*x3 + w4*x4 - 0.5"
    assert definition(y, names, max_length=45) == "v1 = w0*x0 + w1*x1 + w2*x2 … (3 more terms)"
    assert definition(y, names, max_length=40) == "v1 = w0*x0 + w1*x1 … (4 more terms)"
    assert definition(y, names, max_length=12) == "v1 = w0*x0 …"  # no room for a count


def test_a_long_label_is_cut_like_any_text() -> None:
    """A label longer than max_length, as a leaf or an operand, is cut with "…"."""
    long = Value(1.0, "a" * 1000)
    double = long * 2
    names = node_names(double)
    assert expression(long, max_length=10) == expression(double, max_length=10) == "aaaaaaaaa…"
    assert definition(double, names, max_length=10) == "v1 = aaaa…"
    assert definition(long, names, max_length=10) == "aaaaaaaaa…"


def test_max_length_below_one_is_refused() -> None:
    """A max_length of 0 or less is a ValueError naming the function."""
    x, _ = _xy()
    with pytest.raises(ValueError, match="expression: max_length must be at least 1"):
        expression(x * 2, max_length=0)
    with pytest.raises(ValueError, match="definition: max_length must be at least 1"):
        definition(x * 2, node_names(x * 2), max_length=0)


def test_a_dag_with_two_to_the_forty_paths_is_written_quickly() -> None:
    """b = a + a forty times: the full text would have 2**40 x's; the cut keeps the work linear."""
    x = Value(1.0, "x")
    node = x
    for _ in range(40):
        node = node + node
    text = expression(node)
    assert len(text) == 200 and text.startswith("x + x + (x + x)") and text.endswith("…")


# --- node_names and definition ---


def test_node_names_use_labels_numbers_and_v_numbers_in_computed_order() -> None:
    """Labels for labelled nodes, numbers for constants, v1, v2, ... in the order Python computes."""
    x, y = _xy()
    product = x * y
    total = x + 1
    out = product * total
    names = node_names(out)
    assert names[x] == "x" and names[y] == "y"
    assert names[out.parents[1].parents[1]] == "1"
    assert (names[product], names[total], names[out]) == ("v1", "v2", "v3")
    assert len(names) == 6


def test_a_repeated_label_gets_hash_numbers() -> None:
    """Two different nodes both labelled "w" are "w" and "w#2", in computed order."""
    first, second = Value(1.0, "w"), Value(2.0, "w")
    out = first * second
    names = node_names(out)
    assert (names[first], names[second]) == ("w", "w#2")


def test_v_numbers_skip_names_already_used_as_labels() -> None:
    """A node labelled "v1" keeps it; the unnamed nodes become v2, v3."""
    v1 = Value(3.0, "v1")
    a = v1 * 2
    b = a + 1
    names = node_names(b)
    assert (names[v1], names[a], names[b]) == ("v1", "v2", "v3")


def test_definition_writes_one_node_over_its_parents_names() -> None:
    """n = h + b over the names, a leaf as name = number, negative constants in parentheses."""
    x, w, b = Value(0.5, "x"), Value(-1.25, "w"), Value(0.2, "b")
    h = x * w
    h.label = "h"
    n = h + b
    n.label = "n"
    out = n.tanh() * -2.0
    names = node_names(out)
    assert definition(n, names) == "n = h + b"
    assert definition(h, names) == "h = x*w"
    assert definition(x, names) == "x = 0.5"
    assert definition(out, names) == "v2 = v1*(-2)"
    assert definition(out.parents[0], names) == "v1 = tanh(n)"


def test_a_dot_subtracts_negative_terms() -> None:
    """dot's terms and bias with a leading minus are subtracted: w*x - 0.5, not w*x + -0.5."""
    w, x = Value(2.0, "w"), Value(3.0, "x")
    assert expression(dot([w, -2.0], [x, x], -0.5)) == "w*x - 2*x - 0.5"
    assert expression(dot([w], [x], -w)) == "w*x - w"


def test_node_names_reuse_a_given_order() -> None:
    """Passing the topological order the caller has gives the same names as walking the graph."""
    x, y = _xy()
    out = (x * y + x * 2).tanh() * (x + 1)
    assert node_names(out, topological_order(out)) == node_names(out)


def test_binary_writes_for_readers_or_as_source() -> None:
    """Tight products and x*(-y) for a reader; as_source spaces every operator and adds no parentheses."""
    x, minus_y, total = ("x", ATOM), ("-y", NEGATION), ("a + b", SUM)
    assert binary("*", x, minus_y) == ("x*(-y)", 2)
    assert binary("*", x, minus_y, as_source=True) == ("x * -y", 2)
    assert binary("-", x, total, as_source=True) == ("x - (a + b)", SUM)
    assert binary("**", minus_y, x, as_source=True)[0] == "(-y) ** x"


def test_the_default_leaky_slope_is_left_unwritten() -> None:
    """leaky_relu(x) at the default slope reads leaky_relu(x); any other slope is written out."""
    x, _ = _xy()
    assert expression(leaky_relu(x)) == expression(x.leaky_relu(DEFAULT_LEAKY_SLOPE)) == "leaky_relu(x)"
    assert expression(leaky_relu(x, 0.02)) == "leaky_relu(x, 0.02)"
