"""autograd.scope and nn's marks: every node knows where it was built, at no cost in bytes."""

from __future__ import annotations

import threading

import pytest

from autograd import Value, current_scope, enable_grad, grad, no_grad, scope, topological_order
from nn import MLP, Layer, Neuron


def test_nodes_built_in_a_scope_carry_its_path() -> None:
    """Nested scopes join with dots; leaves and nodes built outside have no scope."""
    x = Value(1.0)
    with scope("model") as outer:
        a = x * 2
        with scope("head.1") as inner:
            b = a + 1
        c = b * a
    d = c - 1
    assert (outer, inner) == ("model", "model.head.1")
    assert [n.scope for n in (x, a, b, c, d)] == ["", "model", "model.head.1", "model", ""]
    assert current_scope() == ""


def test_a_scope_changes_no_number() -> None:
    """Marked and unmarked graphs give the same value and gradients; the op keeps its name."""
    x = Value(0.7)
    with scope("s"):
        marked = (x * x).tanh() + x.exp()
    assert marked.op == "+" and marked.parents[0].op == "tanh"
    plain = (x * x).tanh() + x.exp()
    assert marked.data == plain.data
    assert [g.data for g in grad(marked, [x])] == [g.data for g in grad(plain, [x])]


def test_no_grad_inside_a_scope_and_enable_grad_inside_that() -> None:
    """no_grad builds leaves (no scope); enable_grad inside it records into the scope again."""
    with scope("outer"), no_grad():
        leaf = Value(1.0) * 2
        with enable_grad():
            node = Value(1.0) * 2
        assert current_scope() == "outer"
    assert leaf.is_leaf and leaf.scope == ""
    assert node.scope == "outer"


def test_a_scope_opened_under_no_grad_records_nothing() -> None:
    """Under no_grad a scope changes the path but not whether ops record."""
    with no_grad(), scope("s"):
        assert (Value(1.0) * 2).is_leaf and current_scope() == "s"


def test_a_scope_is_per_thread() -> None:
    """Another thread's nodes are outside this thread's scope."""
    seen: list[str] = []
    with scope("main"):
        thread = threading.Thread(target=lambda: seen.append((Value(1.0) * 2).scope))
        thread.start()
        thread.join()
        assert (Value(1.0) * 2).scope == "main"
    assert seen == [""]


@pytest.mark.parametrize("name", ["", ".", "a..b", "a.", 3, None])
def test_bad_names_are_refused(name: object) -> None:
    """A scope name is a non-empty str without empty parts; the scope is not entered."""
    with pytest.raises(ValueError, match="scope: the name must be"), scope(name):  # type: ignore[arg-type]
        pass
    assert current_scope() == ""


def test_a_scope_left_by_an_exception_is_closed() -> None:
    """The path is restored however the block ends."""
    with pytest.raises(KeyError), scope("s"):
        raise KeyError("x")
    assert current_scope() == "" and (Value(1.0) * 2).scope == ""


def test_an_mlp_marks_each_neuron() -> None:
    """Both nodes of neuron j in layer i (w·x+b and its activation) carry ``layers.i.j``."""
    model = MLP(2, [3, 1], seed=0)
    out = model([0.5, -1.0])
    assert isinstance(out, Value)
    marks = {(n.op, n.scope) for n in topological_order(out) if not n.is_leaf}
    hidden = {(op, f"layers.0.{j}") for j in range(3) for op in ("dot", "tanh")}
    assert marks == hidden | {("dot", "layers.1.0")}  # the last layer is linear: one node


def test_a_model_called_in_a_scope_nests_its_marks() -> None:
    """Called inside ``scope("critic")``, an MLP's neurons are ``critic.layers.i.j``."""
    model = MLP(2, [1], seed=0)
    with scope("critic"):
        out = model([1.0, 2.0])
    assert isinstance(out, Value) and out.scope == "critic.layers.0.0"
    assert model([1.0, 2.0]).scope == "layers.0.0"


def test_named_modules_are_the_scope_paths() -> None:
    """named_modules keys are the state-dict paths; a layer's neurons are numbered."""
    model = MLP(2, [2, 1], seed=0)
    paths = ["", "layers.0", "layers.0.0", "layers.0.1", "layers.1", "layers.1.0"]
    assert list(model.named_modules()) == paths
    keys = ["layers.0.weight", "layers.0.bias", "layers.1.weight", "layers.1.bias"]
    assert list(model.state_dict()) == keys


def test_a_neuron_or_layer_on_its_own() -> None:
    """A lone neuron marks its nodes ``neuron``; a lone layer numbers its neurons."""
    assert Neuron(2, seed=0)([1.0, 2.0]).scope == "neuron"
    assert [v.scope for v in Layer(2, 2, seed=0)([1.0, 2.0])] == ["0", "1"]


def test_a_model_under_no_grad_marks_nothing() -> None:
    """Under no_grad a model's output is a plain leaf."""
    with no_grad():
        out = MLP(2, [1], seed=0)([1.0, 2.0])
    assert isinstance(out, Value) and out.is_leaf and out.scope == ""
