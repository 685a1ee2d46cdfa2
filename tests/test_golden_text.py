"""Golden outputs of the text views: str(step), explain, tree, the command line's --steps, gradcheck.

These are snapshots (syrupy): an intended change to what a learner reads is one reviewed
``pytest --snapshot-update``, and an unintended one fails here. Every graph is built from fixed
numbers; only +, -, *, / and a few smooth functions printed to four digits are involved, so the
texts are the same on every platform.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import pytest
from syrupy.assertion import SnapshotAssertion

from autograd import GradcheckError, Value, dot, explain, gradcheck, primitive, tree
from autograd.cli import main


def _canonical() -> Value:
    """The drawing tests' graph: a power, a constant, fan-out (x used twice), - and /, labelled and
    unlabelled nodes, and a root label holding a newline."""
    x = Value(1.5, "x")
    w = Value(-0.5)
    e = x**3 - 2 * x
    e.label = "e"
    loss = e / w
    loss.label = "loss\nsum"
    return loss


def _shared_weight() -> Value:
    """y = x*weight + weight: weight has two users (its grad is a running sum), and the names,
    locals and contributions in one step have different widths, so every column is padded."""
    x, weight = Value(0.5, "x"), Value(-1.25, "weight")
    y = x * weight + weight
    y.label = "y"
    return y


def _steps(root: Value) -> str:
    return "\n".join(str(step) for step in root.backward_steps())


def test_steps_running_sum(snapshot: SnapshotAssertion) -> None:
    """Guards str(step): aligned columns, the running sum of a node used twice, a step per node."""
    assert _steps(_shared_weight()) == snapshot


def test_steps_second_pass(snapshot: SnapshotAssertion) -> None:
    """Guards how a step tells what leaves held before the pass (backward once, then step through)."""
    y = _shared_weight()
    y.backward()
    assert _steps(y) == snapshot


def test_steps_canonical(snapshot: SnapshotAssertion) -> None:
    """Guards steps through a power, a constant operand (no row), - and /, and a newline in a label."""
    assert _steps(_canonical()) == snapshot


def test_tree(snapshot: SnapshotAssertion) -> None:
    """Guards tree(): guides, aligned columns, a constant without a grad, a leaf listed under each user."""
    root = _canonical()
    root.backward()
    assert tree(root) == snapshot


def _fan(paths: int) -> tuple[Value, Value]:
    """y = 1*x + 2*x + ... (one dot node): exactly ``paths`` one-hop paths from x, products 1, 2, ..."""
    x = Value(2.0, "x")
    y = dot([x] * paths, list(range(1, paths + 1)))
    y.label = "y"
    return y, x


def _chain(hops: int) -> tuple[Value, Value]:
    """One path of exactly ``hops`` hops from x to y, through ops with different local derivatives."""
    x = Value(0.5, "x")
    ops: list[Callable[[Value], Value]] = [
        lambda v: v * 3, lambda v: v.tanh(), lambda v: v + 1, lambda v: v.sin(),
        lambda v: v**2, lambda v: v.exp(), lambda v: 2 - v, lambda v: v.sigmoid(),
    ]
    v = x
    for k in range(hops):
        v = ops[k % len(ops)](v)
    v.label = "y"
    return v, x


def _doubling(times: int) -> tuple[Value, Value]:
    """y = v + v, ``times`` over, from x: 2**times paths, each ``times`` hops long."""
    x = Value(1.0, "x")
    v = x
    for _ in range(times):
        v = v + v
    v.label = "y"
    return v, x


@pytest.mark.parametrize(
    ("graph", "max_paths"),
    [  # None: explain's default max_paths, 10
        pytest.param(lambda: _fan(10), None, id="exactly-max-paths"),  # every path and the sum spelled out
        pytest.param(lambda: _fan(11), None, id="one-path-over-max-paths"),  # "… and 1 more path"
        pytest.param(lambda: _fan(11), 11, id="eleven-paths-all-listed"),  # past 10 terms: sum not spelled
        pytest.param(lambda: _chain(6), None, id="six-hops"),  # 7 nodes: every node and factor written
        pytest.param(lambda: _chain(7), None, id="seven-hops"),  # 8 nodes cut, 7 factors still written
        pytest.param(lambda: _chain(8), None, id="eight-hops"),  # nodes and factors both cut
        pytest.param(lambda: _doubling(12), None, id="many-paths"),  # 4,096, with thousands separators
        pytest.param(lambda: _doubling(60), 2, id="saturated-path-count"),  # over 10^18: not counted exactly
    ],
)
def test_explain(
    graph: Callable[[], tuple[Value, Value]], max_paths: int | None, snapshot: SnapshotAssertion
) -> None:
    """Guards explain() at its limits: the path count (10) and the hops written in full (7)."""
    root, leaf = graph()
    text = explain(root, leaf) if max_paths is None else explain(root, leaf, max_paths=max_paths)
    assert text == snapshot


def test_explain_without_paths(snapshot: SnapshotAssertion) -> None:
    """Guards explain()'s two answers without a path list: the leaf is the root, or unrelated to it."""
    root = _canonical()
    assert [explain(root, root), explain(root, Value(3.0, "z"))] == snapshot


@pytest.mark.parametrize(
    "argv",
    [
        pytest.param(["--steps", "--", "-2*x", "x=3"], id="negative-constant"),  # -2 is a number, not neg(2)
        pytest.param(["--steps", "-2*x", "x=3"], id="negative-constant-without-dashes"),
        pytest.param(["--steps", "exp(x, y=1)", "x=1"], id="keyword-argument"),  # refused, not ignored
    ],
)
def test_cli_steps(argv: list[str], snapshot: SnapshotAssertion, capsys: pytest.CaptureFixture[str]) -> None:
    """Guards the command line's --steps output, and its one-line refusals: stdout, stderr, exit status."""
    status = main(argv)
    out, err = capsys.readouterr()
    assert {"exit status": status, "stdout": out, "stderr": err} == snapshot


# A cube whose derivative is 10% too large, and a slope of 1000 reported as 999 or 998.9999.
_bad_cube = primitive("bad_cube", lambda x: x**3, lambda x: (3.3 * x * x,))
_slope_999 = primitive("slope_999", lambda x: 1000 * x, lambda x: (999.0,))
_slope_998_9999 = primitive("slope_998_9999", lambda x: 1000 * x, lambda x: (998.9999,))
_bad_square = primitive("bad_square", lambda x: x * x, lambda x: (3 * x,))


def _report(f: Callable[..., Value], xs: Sequence[float | Value], eps: float | None) -> str:
    """What gradcheck says: "passed", or its error's message (the table and the diagnoses)."""
    try:
        gradcheck(f, xs, eps=eps)
    except GradcheckError as error:
        return str(error)
    return "passed"


@pytest.mark.parametrize(
    ("f", "xs", "eps"),
    [
        # At eps = 0.1 the plain difference of x**3 is 3.01, Richardson's (from h and h/2) exactly 3.
        pytest.param(lambda x: x**3, [1.0], 0.1, id="right-only-after-richardson"),
        pytest.param(lambda x: _bad_cube(x), [1.0], 0.1, id="wrong-with-richardson"),
        # |999 - 1000| = 1 <= 1e-5 + 1e-3*|numeric| = 1.00001 (but > 1e-5 + 1e-3*|analytic| = 0.99901).
        pytest.param(lambda x: _slope_999(x), [0.5], None, id="just-inside-tolerance"),
        pytest.param(lambda x: _slope_998_9999(x), [0.5], None, id="just-outside-tolerance"),
        # Some inputs labelled, some not: the rows are named after f's parameters, else x0, x1, ...
        pytest.param(
            lambda a, b: _bad_square(a) * b, [Value(1.5, "a"), 2.0], None, id="mixed-labels-parameters"
        ),
        pytest.param(
            lambda *xs: _bad_square(xs[0]) * xs[1], [Value(1.5, "w"), 2.0], None, id="mixed-labels-args"
        ),
    ],
)
def test_gradcheck_report(
    f: Callable[..., Value],
    xs: Sequence[float | Value],
    eps: float | None,
    snapshot: SnapshotAssertion,
) -> None:
    """Guards gradcheck's verdict and report: Richardson's estimate, the tolerance's scale, row names."""
    assert _report(f, xs, eps) == snapshot
