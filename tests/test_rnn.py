"""nn.RNNCell: forward, one step by hand, its state dict, BPTT against finite differences, truncation."""

from __future__ import annotations

import math
import random
from collections.abc import Callable

import pytest
from hypothesis import given
from hypothesis import strategies as st

import nn
from autograd import Value, numerical_grad


def test_one_step_by_hand() -> None:
    """h_new[j] = tanh(Σ_i W_ih[j][i]·x_i + Σ_k W_hh[j][k]·h_k + b[j])."""
    cell = nn.RNNCell(2, 2)
    weight_ih, weight_hh, bias = [[0.5, -1.0], [0.25, 2.0]], [[0.1, 0.2], [-0.3, 0.4]], [0.05, -0.05]
    cell.load_state_dict({"weight_ih": weight_ih, "weight_hh": weight_hh, "bias": bias})
    x, h = [0.3, -0.6], [0.7, -0.2]
    new = cell(x, h)
    for j in range(2):
        from_input = sum(w * xi for w, xi in zip(weight_ih[j], x))
        z = from_input + sum(w * hk for w, hk in zip(weight_hh[j], h)) + bias[j]
        assert math.isclose(new[j].data, math.tanh(z), rel_tol=1e-15)


def test_no_hidden_state_means_zeros() -> None:
    """The first step, called without a hidden state, is the step from h = 0."""
    cell = nn.RNNCell(1, 3, seed=0)
    assert [h.data for h in cell([0.4])] == [h.data for h in cell([0.4], [0.0, 0.0, 0.0])]


def test_forward_is_what_a_call_runs() -> None:
    """cell(x, h) is cell.forward(x, h), the hidden state given by keyword or left out."""
    cell = nn.RNNCell(2, 2, seed=0)
    called, forwarded = cell([0.3, -0.6], hidden=[0.7, -0.2]), cell.forward([0.3, -0.6], [0.7, -0.2])
    assert [h.data for h in called] == [h.data for h in forwarded]
    assert [h.data for h in cell.forward([0.3, -0.6])] == [h.data for h in cell([0.3, -0.6], [0.0, 0.0])]


def test_random_seed_repeats_a_cell_built_without_a_seed() -> None:
    """seed=None draws from the random module, so random.seed(0) before each build repeats the weights."""
    random.seed(0)
    first = nn.RNNCell(2, 3).state_dict()
    random.seed(0)
    assert nn.RNNCell(2, 3).state_dict() == first


def test_state_dict_keys_shapes_and_labels() -> None:
    """weight_ih is [hidden][input], weight_hh [hidden][hidden], bias [hidden]; labels say which."""
    cell = nn.RNNCell(2, 3, seed=0)
    state = cell.state_dict()
    assert list(state) == ["weight_ih", "weight_hh", "bias"]
    assert [len(row) for row in state["weight_ih"]] == [2, 2, 2]  # type: ignore[arg-type, union-attr]
    assert [len(row) for row in state["weight_hh"]] == [3, 3, 3]  # type: ignore[arg-type, union-attr]
    assert len(state["bias"]) == 3  # type: ignore[arg-type]
    assert cell.weight_hh[2][1].label == "w_hh_2_1"
    bound = 1 / math.sqrt(3)
    assert all(-bound <= p.data <= bound for p in cell.parameters())
    assert nn.RNNCell(2, 3, seed=0).state_dict() == state


def _unrolled_loss(cell: nn.RNNCell, xs: list[float], truncate: int | None = None) -> Value:
    """Sum of the first hidden unit's square over the steps, cutting the history every `truncate` steps."""
    hidden: list[Value] | None = None
    total: Value | None = None
    for t, x in enumerate(xs):
        if truncate is not None and hidden is not None and t % truncate == 0:
            hidden = [Value(h.data) for h in hidden]
        hidden = cell([x], hidden)
        total = hidden[0] ** 2 if total is None else total + hidden[0] ** 2
    assert total is not None
    return total


def _window(cell: nn.RNNCell, xs: list[float], hidden: list[Value] | None) -> tuple[Value, list[Value]]:
    """The same loss over a few steps from a given hidden state, and the last hidden state."""
    total: Value | None = None
    for x in xs:
        hidden = cell([x], hidden)
        total = hidden[0] ** 2 if total is None else total + hidden[0] ** 2
    assert total is not None and hidden is not None
    return total, hidden


@given(st.lists(st.floats(-1.5, 1.5), min_size=1, max_size=6), st.integers(0, 2**32))
def test_bptt_gradients_match_finite_differences(xs: list[float], seed: int) -> None:
    """Backprop through the unrolled steps gives every shared weight's gradient, as central differences do."""
    cell = nn.RNNCell(1, 3, seed=seed)
    parameters = cell.parameters()

    def loss_at(*values: Value) -> Value:
        for p, value in zip(parameters, values):
            p.data = value.data
        return _unrolled_loss(cell, xs)

    start = [p.data for p in parameters]
    loss_at(*[Value(x) for x in start]).backward()
    analytic = [p.grad for p in parameters]
    for a, n in zip(analytic, numerical_grad(loss_at, start)):
        assert math.isclose(a, n, rel_tol=1e-6, abs_tol=1e-8)


def test_truncation_stops_gradients_at_the_cut() -> None:
    """Cut every 3 steps, each window's gradient is that of the window run alone from the cut's numbers."""
    xs = [0.5, -0.2, 0.9, 0.3, -0.7, 0.1]
    cell = nn.RNNCell(1, 2, seed=1)
    _unrolled_loss(cell, xs, truncate=3).backward()
    truncated = [p.grad for p in cell.parameters()]

    cell.zero_grad()
    first, hidden = _window(cell, xs[:3], None)
    second, _ = _window(cell, xs[3:], [Value(h.data) for h in hidden])
    (first + second).backward()
    assert [p.grad for p in cell.parameters()] == pytest.approx(truncated, rel=1e-14, abs=1e-15)

    cell.zero_grad()
    _unrolled_loss(cell, xs).backward()
    assert [p.grad for p in cell.parameters()] != pytest.approx(truncated)


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda: nn.RNNCell(1, 2, seed=0)([1.0, 2.0]), ValueError, "RNNCell: expected 1 inputs, got 2"),
        (lambda: nn.RNNCell(1, 2)([1.0], [0.0]), ValueError, "RNNCell hidden state: expected 2 inputs"),
        (lambda: nn.RNNCell(0, 2), ValueError, "RNNCell: input_size must be at least 1"),
        (lambda: nn.RNNCell(1, 2.5), TypeError, "RNNCell: hidden_size must be an int"),  # type: ignore[arg-type]
    ],
)
def test_user_errors_name_the_cell(call: Callable[[], object], error: type[Exception], message: str) -> None:
    """Wrong input or hidden sizes raise an error naming the RNN cell."""
    with pytest.raises(error) as raised:
        call()
    assert message in str(raised.value)
