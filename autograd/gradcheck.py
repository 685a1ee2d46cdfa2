"""gradcheck: analytic gradients against central differences, with a report that says why they differ.

Each derivative is compared with a central difference at step h; one that disagrees is given
a second chance with Richardson extrapolation from h and h/2, which cancels the difference's
h**2 error, so that only a gap better differences cannot close fails the check. A failure
raises :class:`GradcheckError`, whose message is a table of every derivative both ways and two
diagnoses. The step-size test compares the worst error at h and at h/2: finite differences'
own error shrinks ~4x (truncation) or is within rounding noise, while a wrong derivative leaves
a gap that does not move. Blame (:func:`autograd.blame.blame`) checks every node's local
derivative on its own and names the op whose rule is wrong.

Where f is not differentiable, no answer is right: when x - h and x + h put some node's
inputs on two sides of its op's kink (relu at 0, 1/x at 0, ...), or outside f's domain,
gradcheck raises :class:`NondifferentiableError` instead of reporting a false mismatch. So it
does where f jumps (``x*2 if x.data > 1 else x*3`` at 1): a failing difference is taken again
at ever smaller steps, and a change across the step that never shrinks is a jump. A steep but
smooth f is resolved by some smaller step instead, which the report then suggests.
"""

from __future__ import annotations

import math
import numbers
import sys
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from typing import Literal

from autograd.backward import grad, topological_order
from autograd.blame import LocalMismatch, blame
from autograd.expression import definition, node_names
from autograd.numerical import (
    ATOL,
    RTOL,
    as_point,
    as_setting,
    as_step,
    central_difference,
    check_step,
    step_size,
)
from autograd.primitive import positional_names
from autograd.value import Value

__all__ = ["Comparison", "GradcheckError", "NondifferentiableError", "gradcheck"]

# Walking a segment in steps of the distance to the nearest kink: a step so short that it
# means the walk has run into a kink, and a count beyond which it is taken to have.
_STALLED = 1e-9
_MAX_WALK_STEPS = 1000
# How often a failing difference's step is halved (to ~1e-6 of it, or of the default step) to
# tell a jump, which no step resolves, from a steep stretch, which a small enough step does; and
# a change within this many of f's rounding errors is noise, never a jump.
_HALVINGS = 20
_NOISE_MARGIN = 100


@dataclass(frozen=True)
class Comparison:
    """One derivative computed both ways: a row of gradcheck's table."""

    name: str  # "df/dx", or "d2f/dx dw" for a second derivative
    analytic: float
    at_step: float  # the central difference at step h
    step: float  # h
    at_half_step: float | None = None  # the central difference at h/2, taken if the one at h disagreed

    @property
    def numeric(self) -> float:
        """The estimate compared: the difference at h, or, once refined, Richardson's extrapolation.

        (4 D(h/2) - D(h)) / 3 cancels the h**2 term of a central difference's error, so a check
        fails only on a gap that a better finite difference does not close.
        """
        if self.at_half_step is None:
            return self.at_step
        return (4 * self.at_half_step - self.at_step) / 3

    @property
    def abs_error(self) -> float:
        """|analytic - numeric|."""
        return abs(self.analytic - self.numeric)

    @property
    def rel_error(self) -> float:
        """|analytic - numeric| / |numeric| (inf when only numeric is 0)."""
        if self.numeric == 0:
            return 0.0 if self.analytic == 0 else math.inf
        return self.abs_error / abs(self.numeric)

    def excess(self, atol: float, rtol: float) -> float:
        """The error over its allowance atol + rtol*|numeric|: above 1 fails."""
        allowance = atol + rtol * abs(self.numeric)
        if allowance == 0:
            return 0.0 if self.abs_error == 0 else math.inf
        return self.abs_error / allowance


class GradcheckError(AssertionError):
    """Analytic and numeric derivatives disagree; the message is the table and its diagnosis.

    An AssertionError because it is a failed check, not bad input: pytest and unittest report
    it as a test failure. ``comparisons`` holds the table's rows, ``root`` the graph f built
    at the inputs (None for a NondifferentiableError), ``blamed`` the local derivatives found
    wrong in it, so that ``autograd.draw(error.root, highlight=error.nodes)`` shows where.
    """

    def __init__(
        self, message: str, comparisons: list[Comparison], root: Value | None, blamed: list[LocalMismatch]
    ) -> None:
        super().__init__(message)
        self.comparisons = comparisons
        self.root = root
        self.blamed = blamed

    @property
    def nodes(self) -> list[Value]:
        """The nodes whose local derivatives blame found wrong."""
        return [mismatch.node for mismatch in self.blamed]


class NondifferentiableError(GradcheckError):
    """f has no derivative at the point checked: finite differences would straddle a kink.

    A kind of GradcheckError, so ``pytest.raises(GradcheckError)`` catches every way a check
    can fail, with no table: no answer is right here, so pick another point. ``node`` is the
    node at its kink in the graph f built at the inputs (None when f's graph itself changes
    between x - h and x + h, f is undefined at one of them, or f jumps).
    """

    def __init__(self, message: str, node: Value | None = None) -> None:
        super().__init__(message, [], None, [])
        self.node = node


@dataclass(frozen=True)
class _Graph:
    """f evaluated at one point: its root and the input leaves it was built from."""

    root: Value
    inputs: list[Value]


@dataclass(frozen=True)
class _Neighbours:
    """f evaluated at x - h e_i and x + h e_i: what a central difference along input i needs."""

    below: _Graph
    above: _Graph
    i: int

    def difference(self, quantity: Callable[[_Graph], float]) -> float:
        """d quantity / d x_i, dividing by the step actually taken (as ``central_difference``)."""
        taken = self.above.inputs[self.i].data - self.below.inputs[self.i].data
        return (quantity(self.above) - quantity(self.below)) / taken


@dataclass(frozen=True)
class _Row:
    """A comparison and what it differentiates: ``quantity`` (f, or df/dx_j) along input ``i``."""

    comparison: Comparison
    i: int
    j: int | None  # None: the quantity is f itself
    quantity: Value  # its value at the inputs, with the graph that computed it


def gradcheck(
    f: Callable[..., Value],
    xs: Sequence[float | Value],
    *,
    eps: float | None = None,
    atol: float = ATOL,
    rtol: float = RTOL,
    order: int = 1,
) -> Literal[True]:
    """True when f's gradient at ``xs`` matches central differences, else ``GradcheckError``.

    ``f`` takes one Value per input and returns a Value. Each derivative passes when
    |analytic - numeric| <= atol + rtol*|numeric| (PyTorch's defaults; see
    :data:`autograd.numerical.ATOL`). The step is ``eps``, or ``step_size(x)`` per input
    when None; a derivative that disagrees is looked at again with Richardson extrapolation
    from h and h/2 before it counts as a failure. ``order=2`` also checks every second
    derivative, computed by ``grad(grad(f), create_graph=True)``, against differences of the
    analytic gradient. Raises ``NondifferentiableError`` where f has a kink within one step of
    ``xs``, or jumps at ``xs``.

    >>> from autograd import primitive
    >>> gradcheck(lambda x, w: (x * w).tanh(), [0.5, -1.25], order=2)
    True
    >>> bad_square = primitive("bad_square", lambda x: x * x, lambda x: (3 * x,))
    >>> gradcheck(lambda x: bad_square(x), [1.5])
    Traceback (most recent call last):
    ...
    autograd.gradcheck.GradcheckError: gradcheck failed: f(x) = bad_square(x) at x = 1.5
    input  value  analytic  numeric  abs err  rel err
    x        1.5       4.5        3      1.5      0.5  <- worst
    worst: df/dx, |analytic - numeric| = 1.5 > atol + rtol*|numeric| = 0.00301
    step size: error 1.5 at h = 9.08e-06, 1.5 at h/2: flat, so the analytic derivative is wrong
    blame: bad_square at v1 = bad_square(x): local ∂v1/∂x analytic 4.5, numeric 3
    """
    if isinstance(order, bool) or not isinstance(order, numbers.Integral):
        raise TypeError(f"gradcheck: order must be an int, 1 or 2, got {type(order).__name__}: {order!r}")
    if order not in (1, 2):
        raise ValueError(f"gradcheck: order must be 1 or 2, got {order!r}")
    step = as_step(eps, "gradcheck")
    for name, tolerance in (("atol", atol), ("rtol", rtol)):
        if not as_setting(tolerance, f"gradcheck: {name}") >= 0:
            raise ValueError(f"gradcheck: {name} must be finite and >= 0, got {tolerance!r}")
    point = as_point(xs, "gradcheck")
    if not point:
        raise ValueError("gradcheck: f needs at least one input to differentiate with respect to")
    names = _input_names(f, xs)
    steps = [step_size(x) if step is None else step for x in point]
    for name, x, h in zip(names, point, steps):
        check_step(x, h, "gradcheck", name, halved=True)  # a failing difference is refined at h/2
    center = _build(f, point, names)
    neighbours = [_neighbours(f, point, names, i, h) for i, h in enumerate(steps)]
    center_order = topological_order(center.root)
    for pair in neighbours:
        _refuse_kinks(center, center_order, pair, names[pair.i], point[pair.i], steps[pair.i])

    analytic = grad(center.root, center.inputs)
    rows = [
        _Row(Comparison(f"df/d{names[i]}", g.data, pair.difference(_output), steps[i]), i, None, center.root)
        for i, (g, pair) in enumerate(zip(analytic, neighbours))
    ]
    _check(f, center, names, rows, atol, rtol)
    if order == 2:
        _check(f, center, names, _second_order_rows(f, center, names, neighbours, steps), atol, rtol)
    return True


def _second_order_rows(
    f: Callable[..., Value],
    center: _Graph,
    names: list[str],
    neighbours: list[_Neighbours],
    steps: list[float],
) -> list[_Row]:
    """d/dx_i of df/dx_j by grad of grad, against central differences of the analytic df/dx_j."""
    # A fresh graph: create_graph adds the gradient's own nodes, which must not show in the report's root.
    fresh = _build(f, [x.data for x in center.inputs], names)
    first = grad(fresh.root, fresh.inputs, create_graph=True)
    gradients = {
        id(graph): [g.data for g in grad(graph.root, graph.inputs)]
        for pair in neighbours
        for graph in (pair.below, pair.above)
    }
    rows = []
    for j, first_j in enumerate(first):
        second = grad(first_j, fresh.inputs)
        for i, pair in enumerate(neighbours):
            numeric = pair.difference(lambda graph: gradients[id(graph)][j])  # noqa: B023 - called at once
            name = f"d2f/d{names[j]}2" if i == j else f"d2f/d{names[j]} d{names[i]}"
            rows.append(_Row(Comparison(name, second[i].data, numeric, steps[i]), i, j, first_j))
    return rows


def _output(graph: _Graph) -> float:
    return graph.root.data


def _quantity(f: Callable[..., Value], names: list[str], j: int | None) -> Callable[[list[float]], float]:
    """What a row differentiates, as a function of the inputs: f, or the analytic df/dx_j."""

    def evaluate(point: list[float]) -> float:
        graph = _build(f, point, names)
        return graph.root.data if j is None else grad(graph.root, graph.inputs)[j].data

    return evaluate


def _check(
    f: Callable[..., Value], center: _Graph, names: list[str], rows: list[_Row], atol: float, rtol: float
) -> None:
    """Refine the rows that disagree at h; raise GradcheckError, table and diagnoses, if any still does."""
    point = [x.data for x in center.inputs]
    rows = [row if row.comparison.excess(atol, rtol) <= 1 else _refined(f, names, point, row) for row in rows]
    for row in rows:
        if row.comparison.excess(atol, rtol) > 1:
            _refuse_jump(f, names, point, row)
    comparisons = [row.comparison for row in rows]
    worst_index = max(range(len(rows)), key=lambda k: comparisons[k].excess(atol, rtol))
    worst = rows[worst_index]
    if worst.comparison.excess(atol, rtol) <= 1:
        return
    second_order = worst.j is not None
    blamed = blame(center.root, atol=atol, rtol=rtol, order=2 if second_order else 1)
    header = f"gradcheck failed: f({', '.join(names)}) = {center.root.expr()} at " + ", ".join(
        f"{name} = {x!r}" for name, x in zip(names, point)
    )
    allowance = atol + rtol * abs(worst.comparison.numeric)
    diagnosis, derivative_is_wrong = _step_diagnosis(
        worst, lambda: _passing_step(f, names, point, worst, atol, rtol)
    )
    lines = [
        header,
        *_table(comparisons, None if second_order else list(zip(names, point)), worst_index),
        f"worst: {worst.comparison.name}, |analytic - numeric| = {_number(worst.comparison.abs_error)} "
        f"> atol + rtol*|numeric| = {_number(allowance)}",
        diagnosis,
    ]
    lines += [f"blame: {mismatch}" for mismatch in blamed]
    if not blamed:
        lines.append("blame: every local derivative agrees with its op's forward")
        if derivative_is_wrong:
            lines.append(
                "so the error is in how they combine: does f build its result from its inputs by "
                "ops alone? (float(x), x.data or Value(...) inside f cut the graph)"
            )
    raise GradcheckError("\n".join(lines), comparisons, center.root, blamed)


def _refined(f: Callable[..., Value], names: list[str], point: list[float], row: _Row) -> _Row:
    """The row with its central difference at h/2 too, so its numeric value is Richardson's."""
    h = row.comparison.step
    try:
        half = central_difference(_quantity(f, names, row.j), point, row.i, h / 2)
    except (ArithmeticError, ValueError) as error:  # f is defined at x - h and x + h, not between
        name = names[row.i]
        raise NondifferentiableError(
            f"f is not differentiable at {name} = {point[row.i]!r} by finite differences: "
            f"at {name} ± h/2 (h = {h:.3g}) it fails: {error}"
        ) from error
    return replace(row, comparison=replace(row.comparison, at_half_step=half))


def _table(
    comparisons: list[Comparison], inputs: list[tuple[str, float]] | None, worst_index: int
) -> list[str]:
    """The comparisons as aligned columns, led by each input and its value for first derivatives."""
    header = ["input", "value"] if inputs is not None else ["derivative"]
    header += ["analytic", "numeric", "abs err", "rel err"]
    rows = []
    for k, row in enumerate(comparisons):
        first = [inputs[k][0], _number(inputs[k][1])] if inputs is not None else [row.name]
        rows.append(
            [*first, *(_number(x) for x in (row.analytic, row.numeric, row.abs_error, row.rel_error))]
        )
    widths = [max(len(line[c]) for line in [header, *rows]) for c in range(len(header))]

    def line(cells: list[str]) -> str:
        return "  ".join(
            cell.ljust(w) if c == 0 else cell.rjust(w) for c, (cell, w) in enumerate(zip(cells, widths))
        )

    return [line(header)] + [
        line(row) + ("  <- worst" if k == worst_index else "") for k, row in enumerate(rows)
    ]


def _step_diagnosis(row: _Row, passing_step: Callable[[], float | None]) -> tuple[str, bool]:
    """The worst row's error at h and h/2, what the change says, and whether it says "a wrong derivative".

    ``passing_step`` finds a smaller step at which the row passes, if any: a flat error that a
    small enough step still closes is f varying on a scale below h, not a wrong derivative.
    """
    comparison = row.comparison
    assert comparison.at_half_step is not None  # a failing row has been refined
    full = abs(comparison.analytic - comparison.at_step)
    half = abs(comparison.analytic - comparison.at_half_step)
    noise = _rounding_error(row.quantity) / comparison.step
    said = f"step size: error {_number(full)} at h = {comparison.step:.3g}, {_number(half)} at h/2: "
    ratio = full / half if half else math.inf
    flat = 0.75 <= ratio <= 1.33 and full > noise
    smaller = passing_step() if flat else None
    if smaller is not None:
        flat = False
        verdict = (
            f"flat, yet at eps = {smaller:.3g} the check passes, so the analytic derivative is right: "
            f"f changes sharply on a scale below h here, try eps={smaller:.3g}"
        )
    elif flat:
        verdict = "flat, so the analytic derivative is wrong"
    elif full <= noise:
        verdict = (
            f"within what rounding in f's evaluation can do to a difference at this step "
            f"(~{_number(noise)}), so it is noise: try a larger eps"
        )
    elif ratio >= 3:
        verdict = (
            f"it shrinks {ratio:.2g}x as a step error does (~4x), so the analytic derivative is "
            "probably right: f curves sharply here, try a smaller eps"
        )
    elif ratio < 0.75 and half <= _NOISE_MARGIN * 2 * noise:  # rounding's share doubles at h/2
        verdict = "it grows as h shrinks, so rounding dominates (f is large next to h): try a larger eps"
    elif ratio < 0.75:
        verdict = (
            f"it grows as h shrinks, far beyond what rounding can do (~{_number(2 * noise)} at h/2), so f "
            "changes abruptly within h of this point (a jump, or a very steep stretch): try a smaller eps"
        )
    else:
        verdict = f"it shrinks {ratio:.2g}x, between flat (a wrong derivative) and ~4x: inconclusive"
    return said + verdict, flat


def _rounding_error(root: Value) -> float:
    """A bound on the rounding error in ``root.data``: eps * sum of |node| * |d root/d node|.

    Each op rounds its result by up to eps relative, and that error reaches the root scaled by
    the root's derivative with respect to the node (leaves are exact: they are the inputs).
    """
    nodes = [node for node in topological_order(root) if node.parents]
    sensitivities = grad(root, nodes)
    return sys.float_info.epsilon * sum(abs(node.data * g.data) for node, g in zip(nodes, sensitivities))


def _refuse_kinks(
    center: _Graph, center_order: list[Value], pair: _Neighbours, name: str, x: float, h: float
) -> None:
    """Raise NondifferentiableError if any node's inputs meet its op's kink between x - h and x + h.

    ``center_order`` is ``topological_order(center.root)``, computed once for every input.
    """
    orders = [topological_order(pair.below.root), center_order, topological_order(pair.above.root)]
    shapes = [[(node._op, len(node.parents)) for node in order] for order in orders]
    if not shapes[0] == shapes[1] == shapes[2]:
        raise NondifferentiableError(
            f"f builds different graphs at {name} - h, {name} and {name} + h ({name} = {x!r}, "
            f"h = {h:.3g}): it branches on its inputs' values, so it may not be differentiable there"
        )
    for low, middle, high in zip(*orders):
        op = middle._op
        if op is None or op.smooth_distance is None:
            continue
        inputs = [[parent.data for parent in node.parents] for node in (low, middle, high)]
        if _meets_kink(op.smooth_distance, inputs[0], inputs[1]) or _meets_kink(
            op.smooth_distance, inputs[1], inputs[2]
        ):
            names = node_names(center.root, center_order)
            raise NondifferentiableError(
                f"f is not differentiable at {name} = {x!r}: between {name} - h and {name} + h "
                f"(h = {h:.3g}), {definition(middle, names)} meets a point where {op.name} has no "
                "derivative, so finite differences there mean nothing",
                middle,
            )


def _halvings(h: float, x: float) -> list[float]:
    """h, h/2, h/4, ... down to 2**-_HALVINGS of h or of x's default step, whichever is smaller.

    So a coarse eps is followed down as far as the default step would be, and a fine one further.
    """
    finest = min(h, step_size(x)) / 2**_HALVINGS
    steps = []
    while h >= finest:
        steps.append(h)
        h /= 2
    return steps


def _smaller_steps(
    f: Callable[..., Value], names: list[str], point: list[float], row: _Row, steps: list[float]
) -> Iterator[tuple[float, float, float, float]]:
    """``(h, q(x - h), q(x + h), the step taken)`` for the row's quantity q at each of ``steps``.

    Stops early where x - h and x + h round to one float, or q fails between them: nothing more
    can be learnt from smaller steps.
    """
    quantity = _quantity(f, names, row.j)
    for h in steps:
        below, above = list(point), list(point)
        below[row.i] -= h
        above[row.i] += h
        if below[row.i] == above[row.i]:
            return
        try:
            low, high = quantity(below), quantity(above)
        except (ArithmeticError, ValueError):
            return
        yield h, low, high, above[row.i] - below[row.i]


def _refuse_jump(f: Callable[..., Value], names: list[str], point: list[float], row: _Row) -> None:
    """Raise NondifferentiableError if the row's quantity jumps at its input: no step is small enough.

    Over [x - h, x + h] a differentiable quantity q changes by 2h q'(x) plus a remainder that
    shrinks with h (~h**3, or ~h on a steep stretch that x is inside), down to rounding noise.
    A jump leaves a remainder the size of the jump at every h. The analytic q'(x) gives the
    slope, so a steep but smooth q through x is explained by it, not taken for a jump; one
    steep a little way off x is left behind once h is smaller than that way.
    """
    rounding = _rounding_error(row.quantity)
    steps = _halvings(row.comparison.step, point[row.i])
    remainders: list[float] = []
    for _, low, high, taken in _smaller_steps(f, names, point, row, steps):
        remainder = abs(high - low - row.comparison.analytic * taken)
        noise = 2 * rounding + sys.float_info.epsilon * max(abs(low), abs(high))
        if remainder <= _NOISE_MARGIN * noise or (remainders and remainder < remainders[0] / 4):
            return
        remainders.append(remainder)
    if len(remainders) < len(steps):
        return  # the steps ran out before the question was settled
    what = "f" if row.j is None else f"df/d{names[row.j]}"
    name, x = names[row.i], point[row.i]
    raise NondifferentiableError(
        f"{what} is not differentiable at {name} = {x!r}: it jumps there, by about {_number(high - low)} "
        f"({what}({name} + h) - {what}({name} - h) stays near that as h shrinks from "
        f"{row.comparison.step:.3g} to {steps[-1]:.3g}, where a derivative would make it shrink with h). "
        f"Does f branch on {name}.data? No derivative is right there: pick another point"
    )


def _passing_step(
    f: Callable[..., Value], names: list[str], point: list[float], row: _Row, atol: float, rtol: float
) -> float | None:
    """The first of h/2, h/4, ... at which the row's check passes, refined at half of it as gradcheck does."""
    larger: tuple[float, float] | None = None  # the step before, and the difference there
    steps = _halvings(row.comparison.step, point[row.i])[1:]  # (h, h/2) is the check that failed
    for h, low, high, taken in _smaller_steps(f, names, point, row, steps):
        difference = (high - low) / taken
        if larger is not None:
            step, at_step = larger
            check = replace(row.comparison, at_step=at_step, step=step, at_half_step=difference)
            if check.excess(atol, rtol) <= 1:
                return step
        larger = (h, difference)
    return None


def _meets_kink(distance: Callable[..., float], start: list[float], end: list[float]) -> bool:
    """Whether the segment from ``start`` to ``end`` touches a point where ``distance`` is 0.

    ``distance`` is how far the nearest kink is (moving any coordinate by less never reaches
    one), so stepping that far along the segment cannot jump over a kink: the walk either
    arrives at ``end`` or stalls against a kink.
    """
    length = max(abs(b - a) for a, b in zip(start, end))
    if length == 0:
        return False  # the op's inputs do not move: this input's differences never see its kink
    travelled = 0.0
    for _ in range(_MAX_WALK_STEPS):
        t = travelled / length
        gap = distance(*[a + t * (b - a) for a, b in zip(start, end)])
        if gap <= _STALLED * length:
            return True
        travelled += gap
        if travelled >= length:
            return False
    return True


def _neighbours(
    f: Callable[..., Value], point: list[float], names: list[str], i: int, h: float
) -> _Neighbours:
    """f built at x - h e_i and x + h e_i; an error there means x is too near f's domain edge."""
    graphs = []
    for sign in (-1, 1):
        moved = list(point)
        moved[i] += sign * h
        try:
            graphs.append(_build(f, moved, names))
        except (ArithmeticError, ValueError) as error:
            side = "-" if sign < 0 else "+"
            raise NondifferentiableError(
                f"f is not differentiable at {names[i]} = {point[i]!r} by finite differences: "
                f"at {names[i]} {side} h = {moved[i]!r} (h = {h:.3g}) it fails: {error}"
            ) from error
    return _Neighbours(graphs[0], graphs[1], i)


def _build(f: Callable[..., Value], point: list[float], names: list[str]) -> _Graph:
    inputs = [Value(x, name) for x, name in zip(point, names)]
    root = f(*inputs)
    if not isinstance(root, Value):
        raise TypeError(f"gradcheck: f must return a Value, got {type(root).__name__}: {root!r}")
    return _Graph(root, inputs)


def _input_names(f: Callable[..., Value], xs: Sequence[object]) -> list[str]:
    """Each input's name: its label, else f's parameter name, else x1, x2, ... by position (as
    every view names unlabelled inputs); a name given twice says which input it is."""
    parameters = positional_names(f)
    if parameters is None or len(parameters) != len(xs):
        parameters = [f"x{i + 1}" for i in range(len(xs))]
    names = [x.label if isinstance(x, Value) and x.label else p for x, p in zip(xs, parameters)]
    twice = {name for name in names if names.count(name) > 1}
    return [f"{name} (input {i + 1})" if name in twice else name for i, name in enumerate(names)]


def _number(x: float) -> str:
    """Six significant digits: enough to see where analytic and numeric part."""
    return f"{x:.6g}"
