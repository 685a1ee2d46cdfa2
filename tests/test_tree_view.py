"""tree: the graph as indented text, shared nodes written once, long trees cut."""

from __future__ import annotations

import pytest

from autograd import Value, dot, tree


def test_leaf_is_one_line() -> None:
    """A leaf prints as its name, data and grad."""
    assert tree(Value(2.0, "x")) == "x  data 2  grad 0"


def test_method_and_function_agree() -> None:
    """Value.tree() is tree(value)."""
    x = Value(3.0, "x")
    y = (x * x).exp()
    assert y.tree() == tree(y)
    assert y.tree(max_lines=1) == tree(y, max_lines=1)


def test_each_line_shows_the_local_derivative_from_above() -> None:
    """Below the root, each line ends with ∂(node above)/∂(this node); a constant has no grad."""
    x = Value(3.0, "x")
    y = x * 2
    y.label = "y"
    lines = tree(y).splitlines()
    assert lines[0].startswith("y = x*2")
    assert lines[1].startswith("├─ x") and lines[1].endswith("∂y/∂x = 2")
    assert lines[2].startswith("└─ 2") and lines[2].endswith("∂y/∂(2) = 3") and "grad" not in lines[2]


def test_shared_node_is_written_out_once() -> None:
    """b = a + a; c = b * b: b's parents appear once, its second use reads "(see above)"."""
    a = Value(2.0, "a")
    b = a + a
    b.label = "b"
    c = b * b
    c.label = "c"
    c.backward()
    lines = tree(c).splitlines()
    assert len(lines) == 5
    assert lines[1].startswith("├─ b = a + a ") and "grad 8" in lines[1]
    assert lines[4].startswith("└─ b = a + a (see above)")
    assert sum(line.lstrip("│ ├└─").startswith("a ") for line in lines) == 2


def test_long_tree_is_cut() -> None:
    """Past max_lines the tree stops with a line saying how to see it all."""
    total = Value(0.0, "t0")
    for i in range(100):
        total = total + Value(float(i), f"a{i}")
    lines = tree(total, max_lines=10).splitlines()
    assert len(lines) == 11
    assert lines[-1] == "… cut at 10 lines; tree(root, max_lines=None) prints them all"
    assert len(tree(total, max_lines=None).splitlines()) == 201


def test_deep_chain_does_not_recurse() -> None:
    """A chain deeper than Python's recursion limit prints without RecursionError."""
    x = Value(1.0, "x")
    for _ in range(1500):
        x = x.sin()
    assert len(tree(x, max_lines=None).splitlines()) == 1501


def test_deep_lines_say_their_depth_instead_of_drawing_every_guide() -> None:
    """Up to depth 16 the guides are drawn as ever; deeper lines start "[depth n]" and stay short."""
    t = Value(0.0, "t0")
    for i in range(20):
        t = t + Value(float(i), f"a{i}")
    lines = tree(t, max_lines=None).splitlines()
    assert lines[16].startswith("│  " * 15 + "├─ v4 = v3 + a3")
    assert lines[17].startswith("[depth 17] ├─ v3 = v2 + a2")
    assert lines[21].startswith("[depth 20] └─ a0")
    assert lines[22].startswith("[depth 19] └─ a1")
    assert lines[25].startswith("│  " * 15 + "└─ a4")
    assert len(lines) == 41


def test_a_deep_chain_prints_in_linear_size() -> None:
    """20,000 nested sins print 20,001 short lines (drawing every guide took 600 MB of text)."""
    x = Value(1.0, "x")
    for _ in range(20_000):
        x = x.sin()
    lines = tree(x, max_lines=None).splitlines()
    assert len(lines) == 20_001
    assert max(len(line) for line in lines) < 120
    assert lines[-1].startswith("[depth 20000] └─ x ")


def test_a_huge_dot_shows_its_first_lines_only() -> None:
    """A 100,000-input dot: a bounded formula on the first line and 40 lines in all."""
    n = 100_000
    y = dot([Value(2.0, f"w{i}") for i in range(n)], [Value(1.0, f"x{i}") for i in range(n)])
    lines = tree(y).splitlines()
    assert len(lines) == 41 and lines[-1].startswith("… cut at 40 lines")
    assert lines[0].startswith("v1 = w0*x0 + w1*x1 + ") and " more terms)  data 2e+05  grad 0" in lines[0]
    assert lines[1].startswith("├─ w0 ") and lines[39].startswith("├─ w19 ")
    assert max(len(line) for line in lines) < 300  # the whole formula was 1.7 million characters


def test_bad_arguments_are_refused() -> None:
    """A root that is not a Value is a TypeError; max_lines below 1 a ValueError."""
    with pytest.raises(TypeError, match="root must be a Value"):
        tree(2.0)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="max_lines must be at least 1"):
        tree(Value(1.0), max_lines=0)
