"""explain: every path from a leaf to the root, their products, and a sum equal to the gradient."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from autograd import Value, explain, grad, tanh, topological_order
from autograd.explain import _path_line, _paths, _sweep
from autograd.expression import node_names
from autograd.notation import short_number
from autograd.testing import RandomFunction, functions_and_inputs

Case = tuple[RandomFunction, list[float]]
cases = functions_and_inputs(max_inputs=4, max_ops=12)  # DAGs with shared subterms


def _root(case: Case) -> Value:
    f, xs = case
    return f(*[Value(x, f"x{i}") for i, x in enumerate(xs)])


def _all_paths(leaf: Value, root: Value) -> list[list[float]]:
    """Every path's local derivatives, by brute force from the root down (small graphs only)."""
    found: list[list[float]] = []
    to_walk: list[tuple[Value, list[float]]] = [(root, [])]
    while to_walk:
        node, locals_ = to_walk.pop()
        if node is leaf:
            found.append(locals_)
            continue
        for parent, local in zip(node.parents, node.local_grads):
            to_walk.append((parent, [local, *locals_]))
    return found


def _tour() -> tuple[Value, Value]:
    x, w, b = Value(0.5, "x"), Value(-1.25, "w"), Value(0.2, "b")
    n = x * w + b
    n.label = "n"
    o = tanh(n)
    o.label = "o"
    return o, x


# --- the paths and their sum ---


@given(cases, st.data())
def test_paths_are_all_found_and_sum_to_the_gradient(case: Case, data: st.DataObject) -> None:
    """Counted and listed paths match brute force; their products add up to grad()."""
    root = _root(case)
    leaf = data.draw(st.sampled_from(topological_order(root)))
    uses = _sweep(topological_order(root))
    brute = _all_paths(leaf, root)
    listed = list(_paths(leaf, root, uses, len(brute) + 1))
    assert uses.paths(leaf) == len(brute) == len(listed)
    assert len({(tuple(map(id, path)), tuple(positions)) for path, positions in listed}) == len(listed)
    products = [math.prod(locals_) for locals_ in brute]
    assert math.isclose(math.fsum(products), grad(root, [leaf])[0].data, rel_tol=1e-9, abs_tol=1e-12)


@given(cases)
def test_the_text_ends_with_the_gradient(case: Case) -> None:
    """The last line gives d(root)/d(leaf) as backward computes it, for every leaf in the graph."""
    root = _root(case)
    for leaf in topological_order(root):
        if leaf is root or leaf.parents:
            continue
        text = explain(root, leaf)
        assert f"= {short_number(grad(root, [leaf])[0].data)} (" in text.splitlines()[-1]


def test_the_tour_has_one_path() -> None:
    """tanh(x*w + b): one path from x, its local derivatives multiplied out."""
    o, x = _tour()
    assert explain(o, x) == (
        "every path from x to o, with the product of its local derivatives:\n"
        "  x -> v1 -> n -> o: ∂v1/∂x · ∂n/∂v1 · ∂o/∂n = -1.25 · 1 · 0.8391 = -1.049\n"
        "do/dx = -1.049 (1 path)"
    )


def test_fan_out_paths_are_told_apart_and_summed() -> None:
    """x*x + x: three paths, the two through x*x marked by operand, terms spelled out."""
    x = Value(3.0, "x")
    y = x * x + x
    y.label = "y"
    assert explain(y, x).splitlines()[1:] == [
        "  x -> y: ∂y/∂x = 1",
        "  x -(1)-> v1 -> y: ∂v1/∂x · ∂y/∂v1 = 3 · 1 = 3",
        "  x -(2)-> v1 -> y: ∂v1/∂x · ∂y/∂v1 = 3 · 1 = 3",
        "dy/dx = 1 + 3 + 3 = 7 (the sum over 3 paths)",
    ]


def test_negative_terms_are_subtracted() -> None:
    """A negative path product shows as a subtraction in the sum."""
    x = Value(2.0, "x")
    y = x - x * 3
    y.label = "y"
    assert explain(y, x).splitlines()[-1] == "dy/dx = 1 - 3 = -2 (the sum over 2 paths)"


def test_an_interior_node_can_be_the_leaf() -> None:
    """explain(o, n) follows the paths from an interior node n up to o."""
    o, _ = _tour()
    n = o.parents[0]
    assert explain(o, n).splitlines()[1:] == ["  n -> o: ∂o/∂n = 0.8391", "do/dn = 0.8391 (1 path)"]


# --- too many paths to list ---


def test_many_paths_are_counted_not_listed() -> None:
    """2**20 paths: the first few listed, the count and the sum exact, and quick."""
    x = Value(1.0, "x")
    y = x
    for _ in range(20):
        y = y + y
    lines = explain(y, x, max_paths=3).splitlines()
    assert len(lines) == 6
    assert lines[4] == "  … and 1,048,573 more paths"
    assert lines[5].startswith("dv20/dx = 1.049e+06 (the sum over 1,048,576 paths")


def test_astronomically_many_paths_saturate_the_count() -> None:
    """2**200 paths are 'more than 10^18'; the gradient is still the exact sum."""
    x = Value(1.0, "x")
    y = x
    for _ in range(200):
        y = y + y
    text = explain(y, x, max_paths=1)
    assert "… and more than 10^18 more paths" in text
    total = f"dv200/dx = {short_number(2.0**200)} (the sum over more than 10^18 paths"
    assert text.splitlines()[-1].startswith(total)


def test_long_paths_are_cut_in_the_middle() -> None:
    """A chain of 50 tanh shows its first and last three hops and how many are hidden."""
    x = Value(0.1, "x")
    y = x
    for _ in range(50):
        y = y.tanh()
    hops, factors = explain(y, x).splitlines()[1].split(": ")
    assert hops == "  x -> v1 -> v2 … (45 more) -> v48 -> v49 -> v50"
    assert factors.startswith("∂v1/∂x · ∂v2/∂v1 · ∂v3/∂v2 · … (44 more) · ∂v48/∂v47")


class _CountedNames(dict[Value, str]):
    """Node names that count how many are looked up."""

    looked_up = 0

    def __getitem__(self, node: Value) -> str:
        self.looked_up += 1
        return super().__getitem__(node)


@pytest.fixture(scope="module")
def long_chain() -> tuple[Value, Value]:
    """x, and y = x*1.0001 + 0.5 fifty thousand times: a path 100,000 hops long."""
    x = Value(1.0, "x")
    y = x
    for _ in range(50_000):
        y = y * 1.0001 + 0.5
    return x, y


def test_a_long_path_writes_only_the_hops_it_shows(long_chain: tuple[Value, Value]) -> None:
    """A 100,000-hop path: its line names a few nodes at each end; the rest are never written."""
    x, y = long_chain
    [(path, positions)] = _paths(x, y, _sweep(topological_order(y)), 1)
    names = _CountedNames(node_names(y))
    assert _path_line(path, positions, 2.0, names) == (
        "x -> v1 -> v2 … (99995 more) -> v99998 -> v99999 -> v100000: "
        "∂v1/∂x · ∂v2/∂v1 · ∂v3/∂v2 · … (99994 more) · ∂v99998/∂v99997 · ∂v99999/∂v99998 · "
        "∂v100000/∂v99999 = "
        "1 · 1 · 1 · … (99994 more) · 1 · 1 · 1 = 2"
    )
    assert names.looked_up <= 20  # writing every hop first looked up 300,000 names


def test_explain_on_a_long_chain_is_short_and_exact(long_chain: tuple[Value, Value]) -> None:
    """explain on a 100,000-node chain: three short lines, the path's product equal to grad()'s."""
    x, y = long_chain
    lines = explain(y, x).splitlines()
    assert len(lines) == 3 and max(len(line) for line in lines) < 250
    gradient = short_number(grad(y, [x])[0].data)
    assert lines[1].endswith(f" = {gradient}") and lines[2] == f"dv100000/dx = {gradient} (1 path)"


def test_max_paths_zero_lists_none() -> None:
    """max_paths=0 gives only the heading and the total."""
    o, x = _tour()
    assert explain(o, x, max_paths=0).splitlines()[1:] == [
        "do/dx = -1.049 (the sum over 1 path, added up node by node as backward does, not path by path)"
    ]


# --- edge cases and bad input ---


def test_a_leaf_outside_the_graph_has_gradient_zero() -> None:
    """A Value the root does not depend on: no path, and the gradient 0 is stated."""
    o, _ = _tour()
    assert explain(o, Value(1.0, "q")) == "o does not depend on q: no path leads from q to o, so do/dq = 0"


def test_the_root_itself() -> None:
    """explain(root, root): the empty path, gradient 1."""
    o, _ = _tour()
    assert explain(o, o) == "o is the root: the only path is the empty one, so do/do = 1"


def test_explain_changes_no_grad() -> None:
    """Explaining reads the graph only: every grad is as it was."""
    o, x = _tour()
    o.backward()
    before = [node.grad for node in topological_order(o)]
    explain(o, x)
    assert [node.grad for node in topological_order(o)] == before


def test_bad_arguments_are_refused() -> None:
    """Non-Values are a TypeError and a negative max_paths a ValueError, naming explain."""
    o, x = _tour()
    with pytest.raises(TypeError, match="explain"):
        explain(o, 1.0)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="max_paths"):
        explain(o, x, max_paths=-1)
