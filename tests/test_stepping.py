"""backward_steps: the same order and end state as backward, early stops, and what a step prints."""

from __future__ import annotations

import gc

import pytest
from hypothesis import given
from hypothesis import strategies as st

from autograd import Edge, Step, Value, grad, tanh, topological_order
from autograd.stepping import backward_steps
from autograd.testing import RandomFunction, functions_and_inputs
from autograd.value import Constant

Case = tuple[RandomFunction, list[float]]
cases = functions_and_inputs(max_inputs=4, max_ops=12)  # DAGs with shared subterms


def _graph(case: Case) -> tuple[list[Value], Value]:
    """A fresh copy of the case's graph: its inputs, labelled x0, x1, ..., and its root."""
    f, xs = case
    inputs = [Value(x, f"x{i}") for i, x in enumerate(xs)]
    return inputs, f(*inputs)


def _tour() -> tuple[Value, Value, Value, Value]:
    """The README's neuron: o = tanh(n), n = x*w + b, with labels on x, w, b, n and o."""
    x, w, b = Value(0.5, "x"), Value(-1.25, "w"), Value(0.2, "b")
    n = x * w + b
    n.label = "n"
    o = tanh(n)
    o.label = "o"
    return o, x, w, b


# --- the order and the end state are backward's ---


@given(cases)
def test_order_is_backwards_order(case: Case) -> None:
    """Steps visit the interior nodes in backward's topological order, root first."""
    _, root = _graph(case)
    expected = [node for node in topological_order(root) if node.parents]
    assert [step.node for step in root.backward_steps()] == expected


@given(cases, st.lists(st.floats(-3.0, 3.0), min_size=1), st.floats(-2.0, 2.0))
def test_exhausting_leaves_what_backward_leaves(case: Case, earlier: list[float], seed: float) -> None:
    """Every node's grad equals backward's exactly, leaves holding earlier grads included."""
    stepped, reference = (topological_order(_graph(case)[1]) for _ in range(2))
    for nodes in (stepped, reference):
        for leaf, previous in zip((node for node in nodes if not node.parents), earlier):
            leaf.grad = previous
    for _ in stepped[0].backward_steps(seed):
        pass
    reference[0].backward(seed)
    assert [node.grad for node in stepped] == [node.grad for node in reference]


@given(cases)
def test_each_step_applies_the_chain_rule(case: Case) -> None:
    """upstream is d(root)/d(node); each edge adds local * upstream to the parent's running sum."""
    _, root = _graph(case)
    for step in root.backward_steps():
        assert step.upstream == grad(root, [step.node])[0].data
        assert step.parents == step.node.parents
        for edge, local in zip(step.edges, step.node.local_grads):
            assert edge.local_grad == local
            assert edge.contribution == local * step.upstream
            assert edge.pass_grad == edge.previous_grad + edge.contribution
            expected = 0.0 if isinstance(edge.parent, Constant) else edge.held + edge.pass_grad
            assert edge.grad == expected


@given(cases, st.integers(0, 12), st.lists(st.floats(-3.0, 3.0), min_size=1))
def test_closing_early_restores_leaves(case: Case, taken: int, earlier: list[float]) -> None:
    """close() after any number of steps short of the end puts every leaf's grad back as it was."""
    _, root = _graph(case)
    nodes = topological_order(root)
    leaves = [node for node in nodes if not node.parents]
    for leaf, previous in zip(leaves, earlier):
        leaf.grad = previous
    before = [leaf.grad for leaf in leaves]
    interior = len(nodes) - len(leaves)
    steps = backward_steps(root)  # the generator itself, which has close()
    for _ in range(taken % interior):  # at least one step is left, so the pass is unfinished
        next(steps)
    steps.close()
    assert [leaf.grad for leaf in leaves] == before


def test_breaking_out_of_a_for_loop_restores_leaves() -> None:
    """A ``break`` drops the iterator, which closes it: the half pass leaves no trace on leaves."""
    o, x, w, b = _tour()
    x.grad = 0.25
    for step in o.backward_steps():
        if step.node is not o:
            break
    assert (x.grad, w.grad, b.grad) == (0.25, 0.0, 0.0)


def test_leaves_show_what_they_held_plus_this_pass_while_stepping() -> None:
    """Mid-pass a leaf's grad is what it held before plus this pass's sum so far."""
    a = Value(3.0, "a")
    a.grad = 100.0
    y = a * a + a
    steps = y.backward_steps()
    assert a.grad == 100.0  # nothing happens before the first next()
    first = next(steps)  # y = v1 + a
    assert a.grad == 101.0
    assert (first.edges[1].held, first.edges[1].pass_grad, first.edges[1].grad) == (100.0, 1.0, 101.0)
    next(steps)  # v1 = a*a
    assert a.grad == 107.0
    assert list(steps) == []
    assert a.grad == 107.0


def test_a_second_pass_says_what_the_leaf_held_before_it() -> None:
    """After one backward(), a walk writes the earlier grad and the new total beside each leaf's share."""
    o, x, _, _ = _tour()
    o.backward()
    lines = "\n".join(str(step) for step in o.backward_steps()).splitlines()
    assert lines[-2] == (
        "    x.grad += ∂v1/∂x · do/dv1 = -1.25 · 0.8391 = -1.049   "
        "(x.grad was -1.049 before this pass; now -1.049 - 1.049 = -2.098)"
    )
    assert x.grad == 2 * -1.0488641067991253


def test_a_leaf_root_takes_no_step_and_accumulates() -> None:
    """A leaf as the root: no steps, and its grad grows by the seed as with backward."""
    x = Value(2.0, "x")
    x.grad = 1.5
    assert list(x.backward_steps(2.0)) == []
    assert x.grad == 3.5


def test_nothing_happens_until_the_first_next() -> None:
    """Making the iterator changes no grad: the pass starts at the first next()."""
    o, x, _, _ = _tour()
    x.grad = 0.25
    o.backward_steps()
    assert (o.grad, x.grad) == (0.0, 0.25)


def test_an_overflowing_gradient_stops_like_backward() -> None:
    """A gradient too large for a float raises OverflowError, as backward does, and restores leaves."""
    x = Value(1e-300, "x")
    f = x.sqrt() * 1e200
    with pytest.raises(OverflowError, match="backward_steps"):
        list(f.backward_steps())
    assert x.grad == 0.0


# --- what a step says ---


def test_the_tour_prints_like_a_worked_example() -> None:
    """str(step) for tanh(x*w + b): formula, upstream, and the chain rule per parent, aligned."""
    o, *_ = _tour()
    assert "\n".join(str(step) for step in o.backward_steps()) == (
        "step 1: o = tanh(n)    upstream do/do = 1\n"
        "    n.grad += ∂o/∂n · do/do = 0.8391 · 1 = 0.8391\n"
        "step 2: n = v1 + b    upstream do/dn = 0.8391\n"
        "    v1.grad += ∂n/∂v1 · do/dn = 1 · 0.8391 = 0.8391\n"
        "    b.grad  += ∂n/∂b  · do/dn = 1 · 0.8391 = 0.8391\n"
        "step 3: v1 = x*w    upstream do/dv1 = 0.8391\n"
        "    x.grad += ∂v1/∂x · do/dv1 = -1.25 · 0.8391 = -1.049\n"
        "    w.grad += ∂v1/∂w · do/dv1 = 0.5 · 0.8391   = 0.4195"
    )


def test_a_parent_reached_twice_shows_its_running_sum() -> None:
    """Fan-out: the second contribution to a grad says what it adds to."""
    a = Value(3.0, "a")
    y = a * a
    y.label = "y"
    assert str(next(y.backward_steps())) == (
        "step 1: y = a*a    upstream dy/dy = 1\n"
        "    a.grad += ∂y/∂a · dy/dy = 3 · 1 = 3\n"
        "    a.grad += ∂y/∂a · dy/dy = 3 · 1 = 3   (now 3 + 3 = 6)"
    )


def test_constants_take_no_gradient_and_negative_factors_are_written_clearly() -> None:
    """A constant operand gets no row (it has no grad); a negative factor goes in parentheses."""
    x = Value(2.0, "x")
    y = (x - 3) * -2
    y.label = "y"
    steps = list(y.backward_steps())
    assert str(steps[0]).splitlines() == [
        "step 1: y = v1*(-2)    upstream dy/dy = 1",
        "    v1.grad += ∂y/∂v1 · dy/dy = -2 · 1 = -2",
    ]
    assert str(steps[1]).splitlines() == [
        "step 2: v1 = x - 3    upstream dy/dv1 = -2",
        "    x.grad += ∂v1/∂x · dy/dv1 = 1 · (-2) = -2",
    ]
    assert [edge.grad for edge in steps[0].edges] == [-2.0, 0.0]  # the constant's is always 0


def test_a_node_of_constants_only_says_the_gradient_stops() -> None:
    """tanh(0.5) has only a constant operand: its step says so instead of showing no rows."""
    y = tanh(0.5) * Value(2.0, "w")
    step = list(y.backward_steps())[1]
    assert str(step).splitlines()[1] == "    (every operand is a constant: the gradient goes no further)"


def test_unlabelled_nodes_get_short_names() -> None:
    """Unlabelled interior nodes are v1, v2, ... in the order they were computed."""
    x = Value(1.0, "x")
    y = (x * 2).exp()
    assert [step.formula for step in y.backward_steps()] == ["v2 = exp(v1)", "v1 = x*2"]


def test_reprs_are_one_line() -> None:
    """repr of a Step and of an Edge is one short line naming the node and its parents."""
    o, *_ = _tour()
    steps = list(o.backward_steps())
    assert repr(steps[2]) == "Step(3, 'v1 = x*w', upstream=0.8390912854393002, parents=[x, w])"
    edge = steps[2].edges[1]
    assert isinstance(edge, Edge) and isinstance(steps[2], Step)
    assert repr(edge) == "Edge('w', local_grad=0.5, contribution=0.4195456427196501, grad=0.4195456427196501)"
    assert "\n" not in repr(steps[0]) + repr(steps[0].node)


def test_an_accumulated_grad_that_overflows_leaves_the_grads_backward_leaves() -> None:
    """Adding the earlier grad back overflows: stepping raises as backward does, leaving the same grads."""
    results = []
    for run in ("backward", "steps"):
        x = Value(1.0, "x")
        x.grad = 1.7e308
        y = x * 1e308
        with pytest.raises(OverflowError, match="accumulated grad of x overflows"):
            if run == "backward":
                y.backward()
            else:
                list(y.backward_steps())
        results.append(x.grad)
    assert results == [1.7e308, 1.7e308]


def _product() -> tuple[Value, Value, Value]:
    w, x = Value(3.0, "w"), Value(2.0, "x")
    y = w * x + w
    y.label = "y"
    return y, w, x


def test_an_abandoned_walk_does_not_undo_a_later_backward() -> None:
    """A paused walk dropped after backward() (a notebook cell run again) leaves backward's grads."""
    y, w, x = _product()
    steps = y.backward_steps()
    next(steps)
    y.backward()
    del steps
    gc.collect()
    assert (w.grad, x.grad) == (3.0, 3.0)


def test_backward_overtakes_a_paused_walk_and_resuming_it_raises() -> None:
    """backward() over a paused walk's graph gives what it gives alone; the walk then refuses to go on."""
    y, w, x = _product()
    w.grad = 0.5
    steps = y.backward_steps()
    next(steps)
    y.backward()
    assert (w.grad, x.grad) == (3.5, 3.0)  # 0.5 held before, plus one pass: not two passes, not three
    with pytest.raises(RuntimeError, match=r"^backward_steps: a later backward pass over the same graph"):
        next(steps)
    assert (w.grad, x.grad) == (3.5, 3.0)


def test_a_second_walk_overtakes_a_paused_one() -> None:
    """Two walks over one graph: the newer one has the grads; the older one raises if resumed."""
    y, w, _ = _product()
    older = y.backward_steps()
    next(older)
    newer = list(y.backward_steps())
    assert len(newer) == 2 and w.grad == 3.0
    with pytest.raises(RuntimeError, match="overtook this paused walk"):
        next(older)


def test_a_walk_over_a_separate_graph_is_left_alone() -> None:
    """Only a pass that shares nodes with a paused walk overtakes it."""
    y, w, _ = _product()
    steps = y.backward_steps()
    next(steps)
    other = Value(1.0, "other") * 2
    other.backward()
    assert len(list(steps)) == 1 and w.grad == 3.0
