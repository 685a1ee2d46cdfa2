"""nn.SGD and nn.Adam: updates by hand and by the published rules, no graph, refused steps, errors, reprs."""

from __future__ import annotations

import functools
import math
from collections.abc import Callable

import pytest
from hypothesis import given
from hypothesis import strategies as st

import nn
from autograd import Value

_grads = st.lists(st.floats(-10, 10, allow_nan=False), min_size=1, max_size=4)


def _params(data: list[float], grads: list[float]) -> list[Value]:
    params = [Value(x) for x in data]
    for p, g in zip(params, grads):
        p.grad = g
    return params


def test_sgd_step_by_hand() -> None:
    """p -= lr * grad: 1.0 - 0.1 * 0.5 and -2.0 - 0.1 * (-3.0)."""
    params = _params([1.0, -2.0], [0.5, -3.0])
    nn.SGD(params, lr=0.1).step()
    assert [p.data for p in params] == [1.0 - 0.1 * 0.5, -2.0 - 0.1 * -3.0]


@given(st.lists(_grads.filter(lambda g: len(g) == 2), min_size=1, max_size=5), st.floats(0, 0.99))
def test_sgd_momentum_follows_pytorchs_heavy_ball(grad_steps: list[list[float]], momentum: float) -> None:
    """v = grad at the first step, then v = m*v + grad; p -= lr*v, for gradients that change each step."""
    params = _params([0.3, -0.4], [0.0, 0.0])
    optimizer = nn.SGD(params, lr=0.01, momentum=momentum)
    expected, velocity = [0.3, -0.4], None
    for grads in grad_steps:
        for p, g in zip(params, grads):
            p.grad = g
        optimizer.step()
        velocity = grads if velocity is None else [momentum * v + g for v, g in zip(velocity, grads)]
        expected = [x - 0.01 * v for x, v in zip(expected, velocity)]
        assert [p.data for p in params] == expected


def _adam_by_the_paper(
    data: list[float], grad_steps: list[list[float]], lr: float, b1: float, b2: float, eps: float
) -> list[float]:
    """Kingma & Ba's Algorithm 1, as PyTorch writes its last line: lr * m̂ / (sqrt(v̂) + eps)."""
    m, v = [0.0] * len(data), [0.0] * len(data)
    theta = list(data)
    for t, grads in enumerate(grad_steps, start=1):
        m = [b1 * m_i + (1 - b1) * g for m_i, g in zip(m, grads)]
        v = [b2 * v_i + (1 - b2) * g**2 for v_i, g in zip(v, grads)]
        m_hat = [m_i / (1 - b1**t) for m_i in m]
        v_hat = [v_i / (1 - b2**t) for v_i in v]
        theta = [x - lr * mh / (math.sqrt(vh) + eps) for x, mh, vh in zip(theta, m_hat, v_hat)]
    return theta


@given(st.lists(_grads.filter(lambda g: len(g) == 3), min_size=1, max_size=6))
def test_adam_follows_its_published_update_rule(grad_steps: list[list[float]]) -> None:
    """A few Adam steps with changing gradients land where the paper's algorithm does."""
    start = [0.5, -1.0, 2.0]
    params = _params(start, [0.0] * 3)
    optimizer = nn.Adam(params, lr=0.01, betas=(0.8, 0.99), eps=1e-6)
    for grads in grad_steps:
        for p, g in zip(params, grads):
            p.grad = g
        optimizer.step()
    expected = _adam_by_the_paper(start, grad_steps, 0.01, 0.8, 0.99, 1e-6)
    for p, x in zip(params, expected):
        assert math.isclose(p.data, x, rel_tol=1e-12, abs_tol=1e-15)
    assert optimizer.t == len(grad_steps)


def test_adams_first_step_moves_each_parameter_by_about_lr() -> None:
    """By hand: m̂ = g and v̂ = g² at t = 1, so the step is lr * g / (|g| + eps) whatever g's size."""
    params = _params([1.0, 1.0], [1000.0, -0.001])
    nn.Adam(params, lr=0.1).step()
    assert params[0].data == 1.0 - 0.1 * 1000.0 / (1000.0 + 1e-8)
    assert params[1].data == 1.0 - 0.1 * -0.001 / (0.001 + 1e-8)


@pytest.mark.parametrize("optimizer_class", [functools.partial(nn.SGD, momentum=0.9), nn.Adam])
def test_updates_build_no_graph_and_leave_grads(optimizer_class: Callable[..., nn.Optimizer]) -> None:
    """After step() parameters are the same leaf Values, still without parents, grads untouched."""
    model = nn.MLP(2, [3, 1], seed=0)
    output = model([1.0, -1.0])
    assert isinstance(output, Value)
    output.backward()
    params = model.parameters()
    grads = [p.grad for p in params]
    optimizer_class(params, lr=0.1).step()
    assert model.parameters() == params
    assert all(p.is_leaf and p.op == "" for p in params)
    assert [p.grad for p in params] == grads


def test_zero_grad_clears_the_optimizers_parameters() -> None:
    """zero_grad() sets each parameter's grad to 0."""
    params = _params([1.0, 2.0], [3.0, 4.0])
    nn.Adam(params).zero_grad()
    assert [p.grad for p in params] == [0.0, 0.0]


def test_a_parameter_listed_twice_is_updated_once() -> None:
    """Duplicates in params are dropped, so a shared weight is not stepped twice."""
    shared = _params([1.0], [1.0])[0]
    nn.SGD([shared, shared], lr=0.5).step()
    assert shared.data == 0.5


@pytest.mark.parametrize("optimizer_class", [functools.partial(nn.SGD, momentum=0.9), nn.Adam])
def test_a_step_to_infinity_is_refused_and_changes_nothing(
    optimizer_class: Callable[..., nn.Optimizer],
) -> None:
    """A step that would make a parameter inf is a ValueError naming it; no parameter or state moves."""
    params = _params([1.0, -1e308], [0.5, 2.0])
    params[1].label = "w_1"
    optimizer = optimizer_class(params, lr=1e308)
    with pytest.raises(ValueError, match=r"step: parameter w_1 would become -?inf"):
        optimizer.step()
    assert [p.data for p in params] == [1.0, -1e308]
    params[1].data, optimizer.lr = 0.0, 0.1
    optimizer.step()  # the refused step left no velocity or moment estimates behind
    fresh = _params([1.0, 0.0], [0.5, 2.0])
    optimizer_class(fresh, lr=0.1).step()
    assert [p.data for p in params] == [p.data for p in fresh]


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda: nn.SGD([], lr=0.1), ValueError, "SGD: got an empty list of parameters"),
        (lambda: nn.SGD([Value(1.0), 2.0], lr=0.1), TypeError, "SGD: parameter 1 must be a Value"),  # type: ignore[list-item]
        (lambda: nn.SGD(Value(1.0), lr=0.1), TypeError, "SGD: params must be an iterable"),  # type: ignore[arg-type]
        (lambda: nn.SGD(nn.MLP(2, [1]), 0.1), TypeError,  # type: ignore[arg-type]
         "SGD: params must be an iterable of Values; did you mean model.parameters()? (got MLP)"),
        (lambda: nn.Adam(nn.MLP(2, [1])), TypeError,  # type: ignore[arg-type]
         "Adam: params must be an iterable of Values; did you mean model.parameters()? (got MLP)"),
        (lambda: nn.SGD([Value(1.0)], lr=-0.1), ValueError, "SGD: lr must be a finite number >= 0"),
        (lambda: nn.SGD([Value(1.0)], lr="0.1"), TypeError, "SGD: lr must be a number"),  # type: ignore[arg-type]
        (lambda: nn.SGD([Value(1.0)], lr=0.1, momentum=-0.5), ValueError, "SGD: momentum must be a finite"),
        (lambda: nn.Adam([Value(1.0)], lr=math.nan), ValueError, "Adam: lr must be a finite number"),
        (lambda: nn.Adam([Value(1.0)], betas=(0.9, 1.0)), ValueError, "Adam: betas[1] must be in [0, 1)"),
        (lambda: nn.Adam([Value(1.0)], betas=(0.9,)), TypeError, "Adam: betas must be a pair"),  # type: ignore[arg-type]
        (lambda: nn.Adam([Value(1.0)], eps=0.0), ValueError, "Adam: eps must be > 0"),
        (lambda: nn.SGD([Value(1.0)], lr=10**400), OverflowError, "SGD: lr is too large for a float"),
        (lambda: nn.SGD([Value(1.0)], lr=True), TypeError, "SGD: lr must be a number, got bool"),
    ],
)
def test_user_errors_name_the_optimizer_and_the_argument(
    call: Callable[[], object], error: type[Exception], message: str
) -> None:
    """Bad parameters and hyperparameters raise TypeError or ValueError saying which."""
    with pytest.raises(error) as raised:
        call()
    assert message in str(raised.value)


def test_reprs_show_the_parameter_count_and_hyperparameters() -> None:
    """An optimizer's repr says how many parameters it updates and with which settings."""
    parameters = nn.MLP(3, [3, 1], seed=0).parameters()
    assert repr(nn.SGD(parameters, lr=0.1)) == "SGD(16 params, lr=0.1, momentum=0.0)"
    assert repr(nn.SGD([Value(1.0)], lr=0.5, momentum=0.9)) == "SGD(1 param, lr=0.5, momentum=0.9)"
    assert repr(nn.Adam(parameters)) == "Adam(16 params, lr=0.001, betas=(0.9, 0.999), eps=1e-08)"


def test_optimizer_is_abstract() -> None:
    """The base class has no update rule of its own."""
    with pytest.raises(TypeError):
        nn.Optimizer([Value(1.0)], lr=0.1)  # type: ignore[abstract]
