"""Hypothesis strategies for property tests of gradients: random functions over the ops, and inputs.

::

    from hypothesis import given
    from autograd import gradcheck
    from autograd.testing import functions_and_inputs

    @given(functions_and_inputs(max_inputs=3, max_ops=10))
    def test_backward_agrees_with_finite_differences(case):
        f, xs = case
        assert gradcheck(f, xs, order=2)

A failing case shrinks to a small function whose repr is its formula, such as
``f(x0, x1) = tanh(x0*x1 + x0)``. Needs hypothesis: ``pip install glassgrad[testing]``.
"""

from __future__ import annotations

import inspect
import math
from collections.abc import Sequence
from dataclasses import dataclass

try:
    from hypothesis import reject
    from hypothesis import strategies as st
except ImportError as error:
    raise ImportError(
        "autograd.testing needs hypothesis: pip install 'glassgrad[testing]' (or pip install hypothesis)"
    ) from error

from autograd.expression import expression
from autograd.numerical import step_size
from autograd.ops import FLOAT_MATH, OPS, Op, leaky_relu_op, power
from autograd.value import Value, apply

__all__ = ["DEFAULT_OPS", "RandomFunction", "functions_and_inputs", "values"]

DEFAULT_OPS: tuple[Op, ...] = (
    *(OPS[name] for name in ("+", "*", "-", "neg", "/")),
    *(power(n) for n in (2.0, 3.0, -1.0, 0.5)),
    *(OPS[name] for name in ("**", "exp", "log", "sqrt", "tanh", "sigmoid", "softplus", "sin", "cos")),
    *(OPS[name] for name in ("relu", "abs")),
    leaky_relu_op(0.2),
    OPS["dot"],
)
"""The ops random functions are made of, simplest first: shrinking moves toward the front."""

# What a drawn function guarantees at its inputs, so that central differences at the default
# step (numerical.step_size) are accurate there: every node and every local and total first
# derivative is at most _BOUND in size (rounding error ~ eps * size / h stays near 1e-8), and
# every kink or pole is more than _KINK_MARGIN steps away from its op's inputs (so the
# differences never straddle one, and a pole's curvature costs at most ~(1/margin)**2).
_BOUND = 1e3
_KINK_MARGIN = 1000.0
_DOT_ARITY = 3  # (w, x, bias), the most operands a step takes: one pair is the whole rule
_REPR_LENGTH = 500
# An operand is one draw in range(_OPERAND_CHOICES): most pick a node, the top few a constant.
_CONSTANTS = (2.0, -1.0, 0.5, 3.0, -0.25, 1.5, -2.0, 0.1)
_OPERAND_CHOICES = 64

Operand = int | float  # an int is the index of an earlier node (inputs first), a float a constant


@dataclass(frozen=True)
class _Step:
    op: Op
    operands: tuple[Operand, ...]


class RandomFunction:
    """A function drawn by :func:`functions_and_inputs`: a straight-line program over the ops.

    Called with one Value (or number) per input, it builds its expression and returns the
    result's Value. Subterms used more than once are labelled ``t1``, ``t2``, ... so its
    formula stays short: ``f(x0) = t1*sin(t1) where t1 = tanh(x0)``.
    """

    __signature__: inspect.Signature

    def __init__(self, n_inputs: int, steps: Sequence[_Step], point: Sequence[float]) -> None:
        self.n_inputs = n_inputs
        self._steps = tuple(steps)
        self._point = tuple(point)  # where the strategy checked it: the repr is computed there
        uses = [0] * (n_inputs + len(self._steps))
        for step in self._steps:
            for operand in step.operands:
                if isinstance(operand, int):
                    uses[operand] += 1
        shared = [k for k in range(len(self._steps)) if uses[n_inputs + k] > 1]
        self._labels = {k: f"t{number}" for number, k in enumerate(shared, 1)}
        parameters = [inspect.Parameter(f"x{i}", inspect.Parameter.POSITIONAL_ONLY) for i in range(n_inputs)]
        self.__signature__ = inspect.Signature(parameters)

    @property
    def n_ops(self) -> int:
        """How many op nodes the function builds."""
        return len(self._steps)

    def __call__(self, *xs: Value | float) -> Value:
        return self._nodes(xs)[-1]

    def _nodes(self, xs: Sequence[Value | float]) -> list[Value]:
        if len(xs) != self.n_inputs:
            raise TypeError(f"{self!r} takes {self.n_inputs} input(s), got {len(xs)}")
        nodes = [x if isinstance(x, Value) else Value(x) for x in xs]
        for k, step in enumerate(self._steps):
            node = apply(step.op, *[nodes[o] if isinstance(o, int) else o for o in step.operands])
            node.label = self._labels.get(k, "")
            nodes.append(node)
        return nodes

    def __repr__(self) -> str:
        nodes = self._nodes([Value(x, f"x{i}") for i, x in enumerate(self._point)])
        names = ", ".join(f"x{i}" for i in range(self.n_inputs))
        text = f"f({names}) = {expression(nodes[-1], _REPR_LENGTH)}"
        shared = [nodes[self.n_inputs + k] for k in self._labels]
        if shared:
            text += " where " + ", ".join(
                f"{node.label} = {expression(node, _REPR_LENGTH)}" for node in shared
            )
        return text


def values(min_value: float = -5.0, max_value: float = 5.0) -> st.SearchStrategy[float]:
    """Finite floats in a range where every op stays finite and well scaled (no nan, inf or subnormals)."""
    return st.floats(min_value, max_value, allow_nan=False, allow_infinity=False, allow_subnormal=False)


def functions_and_inputs(
    max_inputs: int = 3, max_ops: int = 10, ops: Sequence[Op] | None = None
) -> st.SearchStrategy[tuple[RandomFunction, list[float]]]:
    """``(f, xs)``: a random expression DAG over ``ops`` (shared subterms included) and a point in its
    smooth domain.

    f has 1 to ``max_inputs`` inputs and 1 to ``max_ops`` op nodes; ``xs`` come from
    :func:`values`. At ``xs`` every node's value and first derivatives are at most 1e3 in size,
    and every kink, pole or domain edge is over 1000 finite-difference steps from its op's
    inputs: central differences are accurate there, so gradcheck should pass.
    """
    if max_inputs < 1 or max_ops < 1:
        raise ValueError(
            f"functions_and_inputs: max_inputs and max_ops must be >= 1, got {max_inputs}, {max_ops}"
        )
    chosen = tuple(DEFAULT_OPS if ops is None else ops)
    if not chosen or not all(isinstance(op, Op) for op in chosen):
        raise TypeError(f"functions_and_inputs: ops must be a non-empty sequence of Op, got {ops!r}")
    return _functions_and_inputs(max_inputs, max_ops, chosen)


@dataclass(frozen=True)
class _Node:
    """A node while drawing: its value, and its derivative with respect to each input."""

    value: float
    tangent: tuple[float, ...]


@st.composite
def _functions_and_inputs(
    draw: st.DrawFn, max_inputs: int, max_ops: int, ops: tuple[Op, ...]
) -> tuple[RandomFunction, list[float]]:
    xs = draw(st.lists(values(), min_size=1, max_size=max_inputs))
    n_inputs = len(xs)
    steps = [step_size(x) for x in xs]
    nodes = [_Node(x, tuple(float(i == j) for j in range(n_inputs))) for i, x in enumerate(xs)]
    program: list[_Step] = []
    more = True
    while more and len(program) < max_ops:
        step, node, more = draw(_next_step(nodes, steps, ops, max_ops))
        program.append(step)
        nodes.append(node)
    return RandomFunction(n_inputs, program, xs), xs


@st.composite
def _next_step(
    draw: st.DrawFn, nodes: list[_Node], steps: list[float], ops: tuple[Op, ...], max_ops: int
) -> tuple[_Step, _Node, bool]:
    """One more step, the node it makes, and whether another step follows.

    A step is four small integer draws, the same whatever came before it, so that shrinking
    can delete a step whole (Hypothesis deletes up to five choices at a time), and each shrinks
    toward something simpler: the latest node, the first op in ``ops``, stopping.
    """
    # The first operand is the latest node, so every step feeds the result; the others are
    # any earlier node (shared subterms) or now and then a constant.
    operands = [
        len(nodes) - 1,
        *(_operand(draw(st.integers(0, _OPERAND_CHOICES - 1)), len(nodes)) for _ in range(_DOT_ARITY - 1)),
    ]
    # Then an op: the one drawn if it is smooth and well scaled at these operands, else the next
    # one in the list that is. Filtering, not rejecting, keeps ops like log and sqrt in play,
    # and an op keeps its number while shrinking changes the operands.
    chosen = draw(st.integers(0, len(ops) - 1))
    more = draw(st.integers(0, max(1, max_ops // 2))) > 0
    for k in range(len(ops)):
        op = ops[(chosen + k) % len(ops)]
        step = _Step(op, tuple(operands[: _DOT_ARITY if op.arity is None else op.arity]))
        node = _try(step, nodes, steps)
        if node is not None:
            return step, node, more
    return reject()


def _operand(choice: int, n_nodes: int) -> Operand:
    """A drawn choice as an operand: a node counted back from the latest, or one of the constants.

    Nodes are counted modulo the nodes there are, so a choice keeps its meaning when shrinking
    deletes an earlier step.
    """
    if choice >= _OPERAND_CHOICES - len(_CONSTANTS):
        return _CONSTANTS[choice - (_OPERAND_CHOICES - len(_CONSTANTS))]
    return n_nodes - 1 - choice % n_nodes


def _try(step: _Step, nodes: list[_Node], steps: list[float]) -> _Node | None:
    """The node ``step`` would make, or None if it is undefined, too large or too near a kink there."""
    operands = [nodes[o] if isinstance(o, int) else _Node(o, (0.0,) * len(steps)) for o in step.operands]
    inputs = [operand.value for operand in operands]
    try:
        out, local_grads = step.op.rule(FLOAT_MATH, *inputs)
    except (ArithmeticError, ValueError):
        return None
    tangent = tuple(
        sum(local * operand.tangent[i] for local, operand in zip(local_grads, operands))
        for i in range(len(steps))
    )
    sizes = [abs(out), *(abs(g) for g in local_grads), *(abs(t) for t in tangent)]
    if not all(math.isfinite(size) and size <= _BOUND for size in sizes):
        return None
    if step.op.smooth_distance is not None:
        # How far one finite-difference step of any input moves this op's inputs: to first order,
        # plus an allowance for inputs that move only to second order (x*x at 0).
        linear = max(abs(t) * h for operand in operands for t, h in zip(operand.tangent, steps))
        reach = max(linear, _BOUND * max(steps) ** 2)
        if not step.op.smooth_distance(*inputs) > _KINK_MARGIN * reach:
            return None
    return _Node(float(out), tangent)
