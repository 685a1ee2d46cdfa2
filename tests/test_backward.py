"""backward and grad: the order, fan-out, accumulation, deep graphs, and higher derivatives."""

from __future__ import annotations

import math
import sys
import threading
from collections.abc import Callable

import pytest

from autograd import Value, dot, grad, leaky_relu, numerical_grad, topological_order
from autograd.backward import BackwardPass
from autograd.value import Constant

# --- topological order ---


def _diamond() -> tuple[Value, list[Value]]:
    """x feeds a and b, both feed c, and x feeds c directly too: shared subterms on every level."""
    x = Value(2.0, "x")
    a = x * 3
    b = x.exp()
    c = a * b + x
    return c, [x, a, b, c]


def test_topological_order_puts_each_node_before_its_parents_once() -> None:
    """Root first; every node appears once and after every node that uses it."""
    root, nodes = _diamond()
    order = topological_order(root)
    assert order[0] is root
    assert len(order) == len({id(node) for node in order})
    position = {node: i for i, node in enumerate(order)}
    assert all(position[node] < position[parent] for node in order for parent in node.parents)
    assert all(node in position for node in nodes)


def test_topological_order_lists_every_node_once_in_a_doubling_dag() -> None:
    """b = a + a, forty times over: 2**40 paths, but 41 nodes, each listed once."""
    x = Value(1.0)
    node = x
    for _ in range(40):
        node = node + node
    order = topological_order(node)
    assert len(order) == 41
    assert order[-1] is x


def test_topological_order_of_a_leaf_is_the_leaf() -> None:
    """A leaf's order is just itself."""
    x = Value(1.0)
    assert topological_order(x) == [x]


# --- the chain rule across fan-out ---

# (description, f, value, dx) at x = 3.
FAN_OUT: list[tuple[str, Callable[[Value], Value], float, float]] = [
    ("a + a", lambda a: a + a, 6.0, 2.0),
    ("a * a", lambda a: a * a, 9.0, 6.0),
    ("a - a", lambda a: a - a, 0.0, 0.0),
    ("a / a", lambda a: a / a, 1.0, 0.0),
    ("b = a + a; c = b + b", lambda a: (lambda b: b + b)(a + a), 12.0, 4.0),
    ("b = a * a; c = b * b", lambda a: (lambda b: b * b)(a * a), 81.0, 108.0),  # 4a**3
    ("reused intermediate: b = 2a; b*b + b", lambda a: (lambda b: b * b + b)(a * 2), 42.0, 26.0),
    ("dot(a, a) + a", lambda a: dot([a], [a], a), 12.0, 7.0),
    ("x used on two levels: a*exp(a) + a", lambda a: a * a.exp() + a, 3 * math.e**3 + 3, 4 * math.e**3 + 1),
]


@pytest.mark.parametrize(("case", "f", "value", "dx"), FAN_OUT, ids=[row[0] for row in FAN_OUT])
def test_fan_out_sums_every_path(case: str, f: Callable[[Value], Value], value: float, dx: float) -> None:
    """A Value used more than once gets the sum of the gradients along all its uses."""
    a = Value(3.0)
    out = f(a)
    out.backward()
    assert out.data == pytest.approx(value, rel=1e-15)
    assert a.grad == pytest.approx(dx, rel=1e-15)


def test_doubling_dag_gradient_is_exact() -> None:
    """Forty levels of b = a + a: d/dx = 2**40 exactly, from 41 nodes."""
    x = Value(1.0)
    node = x
    for _ in range(40):
        node = node + node
    node.backward()
    assert x.grad == 2.0**40


@pytest.mark.slow
def test_a_million_node_chain_under_the_default_recursion_limit() -> None:
    """backward has no recursion: 1,000,000 nested ops are fine at Python's default limit of 1000."""
    assert sys.getrecursionlimit() <= 10_000  # nobody raised it for us
    x = Value(0.5, "x")
    node = x
    for _ in range(1_000_000):
        node = -node
    node.backward()
    assert node.data == 0.5 and x.grad == 1.0  # an even number of negations
    assert len(topological_order(node)) == 1_000_001


# --- which grads hold what ---


def test_interior_nodes_hold_this_passes_gradient() -> None:
    """An interior node's grad is d(root)/d(node) for the latest pass: it never accumulates."""
    x = Value(2.0, "x")
    h = x * 3
    y = h * h
    y.backward()
    y.backward()
    assert h.grad == 2 * h.data  # dy/dh, not twice it
    assert y.grad == 1.0
    z = h + 1  # a different root that also uses h
    z.backward()
    assert h.grad == 1.0


def test_leaves_accumulate_until_zeroed() -> None:
    """Leaf grads add up across passes (as in PyTorch); zeroing starts afresh."""
    x = Value(2.0)
    (x * 5).backward()
    (x * x).backward()
    assert x.grad == 5.0 + 4.0
    x.grad = 0.0
    (x * x).backward()
    assert x.grad == 4.0


def test_backward_twice_doubles_leaf_grads_exactly() -> None:
    """Two passes over one graph give exactly 2x one pass (==), whatever the rounding."""
    x, w, b = Value(0.3, "x"), Value(-1.7, "w"), Value(0.1, "b")
    out = (x * w + b).tanh() * x.sigmoid() / (w * w + 1.3)
    out.backward()
    once = [x.grad, w.grad, b.grad]
    out.backward()
    assert [x.grad, w.grad, b.grad] == [2 * g for g in once]


def test_backward_grad_argument_scales() -> None:
    """backward(grad=g) seeds the root with g: every grad is g times the plain one."""
    x = Value(1.5)
    out = x.sin() * x
    out.backward()
    plain = x.grad
    x.grad = 0.0
    out.backward(grad=4.0)  # a power of two: exact
    assert x.grad == 4.0 * plain
    assert out.grad == 4.0
    x.grad = 0.0
    out.backward(grad=-0.3)
    assert x.grad == pytest.approx(-0.3 * plain, rel=1e-15)


def test_backward_on_a_leaf() -> None:
    """A leaf's gradient with respect to itself is 1, accumulated like any leaf grad."""
    x = Value(7.0)
    x.backward()
    x.backward()
    assert x.grad == 2.0


def test_constants_carry_no_grad() -> None:
    """A number in arithmetic becomes a Constant: a leaf whose grad is always 0."""
    x = Value(2.0)
    y = x * 5
    y.backward()
    constant = y.parents[1]
    assert isinstance(constant, Constant) and not isinstance(x, Constant)
    assert (x.grad, constant.grad) == (5.0, 0.0)
    constant.grad = 3.0  # accepted and dropped: there is no gradient to keep
    assert constant.grad == 0.0


@pytest.mark.parametrize(
    ("seed", "error", "message"),
    [
        (math.nan, ValueError, r"^backward: grad must be finite, got nan$"),
        (math.inf, ValueError, r"^backward: grad must be finite, got inf$"),
        ("1.0", TypeError, r"^backward: grad must be a real number, got str: '1\.0'$"),
    ],
)
def test_backward_refuses_a_bad_seed(seed: object, error: type[Exception], message: str) -> None:
    """The seed gradient must be a finite number, not a string or nan."""
    with pytest.raises(error, match=message):
        Value(1.0).backward(seed)  # type: ignore[arg-type]


def test_a_gradient_that_overflows_along_the_chain_raises() -> None:
    """Each local derivative is 1e300 and the data stays finite, but d/dx = 1e600: OverflowError."""
    x = Value(1e-300, "x")
    y = x * 1e300 * 1e300
    y.label = "y"
    with pytest.raises(OverflowError, match=r"^backward: the gradient at x is inf, too large .* from y\)$"):
        y.backward()


def test_an_overflowing_pass_leaves_leaf_grads_as_they_were() -> None:
    """A pass that raises does not leave half a pass in the leaves: they keep what they held."""
    x, c = Value(1e-300), Value(1e300)
    x.grad = 2.0
    with pytest.raises(OverflowError, match=r"the gradient at the leaf holding 1e-300 is inf"):
        (x * c * c).backward()
    assert (x.grad, c.grad) == (2.0, 0.0)


def test_an_accumulated_leaf_grad_that_overflows_raises() -> None:
    """Adding this pass to a huge earlier grad would give inf: OverflowError, saying to zero it."""
    x = Value(1.0, "x")
    x.grad = 1.5e308
    with pytest.raises(OverflowError, match=r"^backward: the accumulated grad of x overflows a float"):
        (x * 1e308).backward()
    assert x.grad == 1.5e308


# --- grad() ---


def test_grad_leaves_every_grad_untouched() -> None:
    """grad computes d(out)/d(inputs) without writing .grad anywhere."""
    x, y = Value(2.0), Value(3.0)
    h = x * y
    out = h * x
    x.grad = 0.5
    gx, gy = grad(out, [x, y])
    assert (gx.data, gy.data) == (12.0, 4.0)
    assert (x.grad, y.grad, h.grad, out.grad) == (0.5, 0.0, 0.0, 0.0)


def test_grad_of_inputs_outside_the_graph_is_zero() -> None:
    """An input the output does not depend on gets 0; the output itself gets 1."""
    x, unrelated = Value(2.0), Value(5.0)
    out = x * x
    g_unrelated, g_out, g_x = grad(out, [unrelated, out, x])
    assert (g_unrelated.data, g_out.data, g_x.data) == (0.0, 1.0, 4.0)


def test_grad_matches_backward() -> None:
    """grad gives exactly what backward leaves in fresh leaves."""
    x, w, b = Value(0.3), Value(-1.7), Value(0.1)
    out = (x * w + b).tanh() * x
    by_grad = [g.data for g in grad(out, [x, w, b])]
    out.backward()
    assert by_grad == [x.grad, w.grad, b.grad]


def test_grad_without_create_graph_returns_leaves() -> None:
    """By default the gradients are plain numbers wrapped as leaves: nothing to differentiate."""
    x = Value(2.0)
    (g,) = grad(x * x * x, [x])
    assert g.is_leaf and g.data == 12.0


def test_grad_with_create_graph_returns_values_with_history() -> None:
    """With create_graph=True, d/dx x**3 = 3x**2 is a graph over x, so it can be differentiated."""
    x = Value(2.0)
    (g,) = grad(x * x * x, [x], create_graph=True)
    assert g.data == 12.0 and not g.is_leaf
    assert x in topological_order(g)
    (gg,) = grad(g, [x])
    assert gg.data == 12.0  # 6x
    g.backward()
    assert x.grad == 12.0


@pytest.mark.parametrize(
    ("output", "inputs", "message"),
    [
        (2.0, [], r"^grad: output must be a Value, got float: 2\.0$"),
        (Value(1.0), Value(1.0), r"^grad: inputs must be a list of Values; .* write grad\(output, \[x\]\)$"),
        (Value(1.0), [1.0], r"^grad: inputs must be Values, got float: 1\.0$"),
    ],
)
def test_grad_refuses_bad_arguments(output: object, inputs: object, message: str) -> None:
    """A number output, a bare Value or numbers as inputs: TypeError saying what to write instead."""
    with pytest.raises(TypeError, match=message):
        grad(output, inputs)  # type: ignore[arg-type]


def test_grad_overflow_raises() -> None:
    """A gradient too large for a float is an OverflowError from grad too, not an inf."""
    x = Value(1e-300, "x")
    with pytest.raises(OverflowError, match=r"^grad: the gradient at x is inf, too large for a float"):
        grad(x * 1e300 * 1e300, [x])


# --- second and third derivatives ---

F = Callable[..., Value]

# (name, f, hand-written first partials of f, point). Second derivatives from grad of grad are
# checked against central differences of the hand-written first partials.
SECOND: list[tuple[str, F, list[F], list[float]]] = [
    ("+", lambda a, b: a + b, [lambda a, b: a * 0 + 1, lambda a, b: a * 0 + 1], [0.7, -1.3]),
    ("-", lambda a, b: a - b, [lambda a, b: a * 0 + 1, lambda a, b: a * 0 - 1], [0.7, -1.3]),
    ("*", lambda a, b: a * b, [lambda a, b: b, lambda a, b: a], [0.7, -1.3]),
    ("/", lambda a, b: a / b, [lambda a, b: 1 / b, lambda a, b: -a / b**2], [0.7, -1.3]),
    ("x ** y", lambda a, b: a**b, [lambda a, b: b * a ** (b - 1), lambda a, b: a**b * a.log()], [1.7, -1.3]),
    ("number ** y", lambda b: 2.5**b, [lambda b: 2.5**b * math.log(2.5)], [0.8]),
    ("x ** 3", lambda a: a**3, [lambda a: 3 * a**2], [-0.6]),
    ("x ** -2", lambda a: a**-2, [lambda a: -2 * a**-3], [0.9]),
    ("x ** 0.5", lambda a: a**0.5, [lambda a: 0.5 * a**-0.5], [1.3]),
    ("x ** 2.5", lambda a: a**2.5, [lambda a: 2.5 * a**1.5], [1.3]),
    ("neg", lambda a: -a, [lambda a: a * 0 - 1], [0.4]),
    ("exp", lambda a: a.exp(), [lambda a: a.exp()], [0.4]),
    ("log", lambda a: a.log(), [lambda a: 1 / a], [0.4]),
    ("tanh", lambda a: a.tanh(), [lambda a: 1 - a.tanh() ** 2], [0.4]),
    ("sigmoid", lambda a: a.sigmoid(), [lambda a: a.sigmoid() * (1 - a.sigmoid())], [-0.8]),
    ("relu", lambda a: a.relu(), [lambda a: a * 0 + 1], [0.4]),
    ("sqrt", lambda a: a.sqrt(), [lambda a: 0.5 / a.sqrt()], [0.4]),
    ("abs", lambda a: a.abs(), [lambda a: a * 0 - 1], [-0.4]),
    ("sin", lambda a: a.sin(), [lambda a: a.cos()], [0.4]),
    ("cos", lambda a: a.cos(), [lambda a: -a.sin()], [0.4]),
    ("softplus", lambda a: a.softplus(), [lambda a: a.sigmoid()], [0.4]),
    ("leaky_relu", lambda a: leaky_relu(a, 0.2), [lambda a: a * 0 + 0.2], [-0.4]),
    ("dot", lambda w, x, b: dot([w, w], [x, w], b), [lambda w, x, b: x + 2 * w, lambda w, x, b: w,
                                                      lambda w, x, b: w * 0 + 1], [0.3, -0.6, 0.9]),
    ("tanh neuron", lambda x, w, b: (x * w + b).tanh(),
     [lambda x, w, b: w * (1 - (x * w + b).tanh() ** 2), lambda x, w, b: x * (1 - (x * w + b).tanh() ** 2),
      lambda x, w, b: 1 - (x * w + b).tanh() ** 2], [0.5, -1.25, 0.2]),
    ("x * sin(x)", lambda a: a * a.sin(), [lambda a: a.sin() + a * a.cos()], [1.1]),
    ("exp(-x**2)", lambda a: (-(a**2)).exp(), [lambda a: -2 * a * (-(a**2)).exp()], [0.7]),
    ("log(sigmoid(x)) * y", lambda a, b: a.sigmoid().log() * b,
     [lambda a, b: (1 - a.sigmoid()) * b, lambda a, b: a.sigmoid().log()], [0.3, 1.7]),
    ("sqrt(x*x + y*y)", lambda a, b: (a * a + b * b).sqrt(),
     [lambda a, b: a / (a * a + b * b).sqrt(), lambda a, b: b / (a * a + b * b).sqrt()], [0.6, -0.8]),
]


@pytest.mark.parametrize(("name", "f", "first", "point"), SECOND, ids=[row[0] for row in SECOND])
def test_second_derivatives_against_finite_differences(
    name: str, f: F, first: list[F], point: list[float]
) -> None:
    """grad of grad (create_graph=True) = central differences of the analytic first derivative."""
    xs = [Value(p) for p in point]
    first_by_engine = grad(f(*xs), xs, create_graph=True)
    for i, g in enumerate(first_by_engine):
        assert g.data == pytest.approx(first[i](*xs).data, rel=1e-12, abs=1e-12)
        second_by_engine = [h.data for h in grad(g, xs)]
        second_by_differences = numerical_grad(first[i], point)
        assert second_by_engine == pytest.approx(second_by_differences, rel=1e-6, abs=1e-8), i


def test_mixed_second_derivatives_are_symmetric() -> None:
    """d²f/dxdy = d²f/dydx for a smooth f of two inputs."""
    x, y = Value(0.7), Value(1.9)
    gx, gy = grad((x * y).sin() * y.log() + x**y, [x, y], create_graph=True)
    (dxy,) = grad(gx, [y])
    (dyx,) = grad(gy, [x])
    assert dxy.data == pytest.approx(dyx.data, rel=1e-12)


@pytest.mark.parametrize(
    ("name", "f", "third"),
    [
        ("sin", lambda x: x.sin(), lambda x: -math.cos(x)),
        ("x ** 4", lambda x: x**4, lambda x: 24 * x),
        ("exp(2x)", lambda x: (2 * x).exp(), lambda x: 8 * math.exp(2 * x)),
        ("tanh", lambda x: x.tanh(), lambda x: -2 * (1 - math.tanh(x) ** 2) * (1 - 3 * math.tanh(x) ** 2)),
        ("log", lambda x: x.log(), lambda x: 2 / x**3),
    ],
)
def test_third_derivative(name: str, f: Callable[[Value], Value], third: Callable[[float], float]) -> None:
    """grad three times over matches the third derivative worked out by hand."""
    x = Value(0.8)
    (d1,) = grad(f(x), [x], create_graph=True)
    (d2,) = grad(d1, [x], create_graph=True)
    (d3,) = grad(d2, [x])
    assert d3.data == pytest.approx(third(0.8), rel=1e-12)


def test_second_derivative_at_relus_and_abs_kinks_is_zero() -> None:
    """Piecewise-linear ops have second derivative 0 on each piece."""
    x = Value(-1.5)
    for f in (lambda v: v.relu() * 3, lambda v: v.abs(), lambda v: leaky_relu(v, 0.3)):
        (g,) = grad(f(x), [x], create_graph=True)
        (gg,) = grad(g, [x])
        assert gg.data == 0.0


def test_grad_accepts_any_iterable_of_inputs() -> None:
    """A generator of inputs works (it is read once)."""
    x, y = Value(2.0), Value(5.0)
    assert [g.data for g in grad(x * y, (v for v in (x, y)))] == [5.0, 2.0]


def test_concurrent_passes_over_shared_leaves_lose_no_update() -> None:
    """Two threads' backward() over graphs sharing a leaf: each pass is added whole (they take turns)."""
    w = Value(1.0, "w")
    switch = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # switch threads as often as possible, to provoke interleaving
    try:
        for _ in range(100):
            w.grad = 0.0
            losses = [sum((w * 1.0 for _ in range(300)), Value(0.0)) for _ in range(2)]
            threads = [threading.Thread(target=loss.backward) for loss in losses]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            assert w.grad == 600.0
    finally:
        sys.setswitchinterval(switch)


def test_a_pass_waits_for_a_running_pass_in_another_thread() -> None:
    """While another thread's pass over shared nodes runs, a new pass waits for it instead of mixing in."""
    w = Value(2.0, "w")
    y = w * w
    backward_pass = BackwardPass(y, 1.0)
    finished = threading.Event()

    def second() -> None:
        y.backward()
        finished.set()

    with backward_pass:
        thread = threading.Thread(target=second)
        thread.start()
        assert not finished.wait(0.2)  # blocked while the first pass runs
        for parent, local in zip(y.parents, y.local_grads):
            parent._grad += local * y._grad
    thread.join(5)
    assert finished.is_set() and w.grad == 8.0
