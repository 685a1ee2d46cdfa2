"""The op table: every op's forward value and local derivatives, written once, side by side.

A rule takes a math namespace ``m`` and the op's inputs and returns ``(out, local_grads)``,
where ``local_grads[i]`` is ∂out/∂(input i), a local derivative. The engine calls each rule
twice in its life: with ``m = FLOAT_MATH`` and floats when a node is built (the fast path, so
a node stores plain floats), and with the autograd functions and Values under
``grad(..., create_graph=True)``, so that the derivatives themselves carry history and can be
differentiated again.
"""

from __future__ import annotations

import dataclasses
import functools
import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

__all__ = ["FLOAT_MATH", "Op", "Rule", "OPS", "power", "leaky_relu_op", "DEFAULT_LEAKY_SLOPE"]

Rule = Callable[..., tuple[Any, tuple[Any, ...]]]


@dataclass(frozen=True, eq=False)
class Op:
    """One differentiable operation: its name, its rule and where it stops being smooth."""

    name: str
    rule: Rule
    arity: int | None  # None: any number of operands (dot)
    # Distance from the inputs to the nearest kink, pole or domain edge (None: smooth
    # everywhere). Gradient checkers use it to keep finite differences off those points.
    smooth_distance: Callable[..., float] | None = None
    param: float | None = None  # the constant of a parametric op: the n of x**n, a slope
    first_order: bool = False  # True for user primitives whose derivative takes floats only
    # True where the local derivative can be infinite while the value is not (1/x at 1e-200,
    # sqrt at 0): such nodes check their local derivatives when recorded. Other ops skip it.
    slope_can_overflow: bool = False
    scope: str = ""  # where the node was built (see autograd.scope); one twin Op per op and scope

    def __repr__(self) -> str:
        return f"Op({self.name!r})"


# --- float math with the checks Python's math module does not make, or words them poorly ---


def _log(x: float) -> float:
    if x <= 0:
        raise ValueError("log is defined only for x > 0")
    return math.log(x)


def _sqrt(x: float) -> float:
    if x < 0:
        raise ValueError("sqrt is defined only for x >= 0")
    return math.sqrt(x)


def _exp(x: float) -> float:
    try:
        return math.exp(x)
    except OverflowError:
        raise OverflowError("the result overflows a float (exp needs x <= 709.78)") from None


def _pow(base: float, exponent: float) -> float:
    if base < 0 and exponent != int(exponent):
        raise ValueError("a negative base to a fractional power is not a real number")
    if base == 0 and exponent < 0:
        raise ZeroDivisionError("zero to a negative power is infinite")
    try:
        return float(base**exponent)
    except OverflowError:
        raise OverflowError("the result overflows a float") from None


def _sigmoid(x: float) -> float:
    # Two branches so that exp never overflows: both are 1 / (1 + e^-x).
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    e = math.exp(x)
    return e / (1.0 + e)


def _softplus(x: float) -> float:
    # log(1 + e^x) without overflow for large x.
    return math.log1p(math.exp(-abs(x))) + max(x, 0.0)


def _sign(x: float) -> float:
    return 1.0 if x > 0 else -1.0 if x < 0 else 0.0


class _FloatMath:
    """The namespace rules see on the fast path: checked scalar functions on floats."""

    exp = staticmethod(_exp)
    log = staticmethod(_log)
    sqrt = staticmethod(_sqrt)
    pow = staticmethod(_pow)
    tanh = staticmethod(math.tanh)
    sigmoid = staticmethod(_sigmoid)
    softplus = staticmethod(_softplus)
    sin = staticmethod(math.sin)
    cos = staticmethod(math.cos)
    sign = staticmethod(_sign)

    @staticmethod
    def data(x: float) -> float:
        """The plain number behind x (for piecewise rules that branch on it)."""
        return x


FLOAT_MATH = _FloatMath()


# --- the rules: forward value and local derivatives side by side ---


def _add(m: Any, a: Any, b: Any) -> tuple[Any, tuple[Any, ...]]:
    return a + b, (1.0, 1.0)


def _sub(m: Any, a: Any, b: Any) -> tuple[Any, tuple[Any, ...]]:
    return a - b, (1.0, -1.0)


def _mul(m: Any, a: Any, b: Any) -> tuple[Any, tuple[Any, ...]]:
    return a * b, (b, a)


def _div(m: Any, a: Any, b: Any) -> tuple[Any, tuple[Any, ...]]:
    out = a / b
    return out, (1.0 / b, -out / b)


def _pow_value(m: Any, a: Any, b: Any) -> tuple[Any, tuple[Any, ...]]:
    base, exponent = m.data(a), m.data(b)
    out = m.pow(a, b)  # refuses 0 to a negative power and a negative base to a fractional one
    if base == 0 and exponent < 1:  # b * x**(b-1) at x = 0: infinite, or 0 when b = 0
        slope_base: Any = 0.0 if exponent == 0 else math.inf
    else:
        slope_base = b * m.pow(a, b - 1.0)
    # ∂/∂y x**y = x**y * log(x) is real only for x > 0, and tends to 0 as x -> 0.
    slope_exponent = out * m.log(a) if base > 0 else 0.0 if base == 0 else math.nan
    return out, (slope_base, slope_exponent)


def _neg(m: Any, x: Any) -> tuple[Any, tuple[Any, ...]]:
    return -x, (-1.0,)


def _exp_rule(m: Any, x: Any) -> tuple[Any, tuple[Any, ...]]:
    out = m.exp(x)
    return out, (out,)


def _log_rule(m: Any, x: Any) -> tuple[Any, tuple[Any, ...]]:
    return m.log(x), (1.0 / x,)


def _tanh(m: Any, x: Any) -> tuple[Any, tuple[Any, ...]]:
    out = m.tanh(x)
    return out, (1.0 - out * out,)


def _sigmoid_rule(m: Any, x: Any) -> tuple[Any, tuple[Any, ...]]:
    out = m.sigmoid(x)
    return out, (out * (1.0 - out),)


def _relu(m: Any, x: Any) -> tuple[Any, tuple[Any, ...]]:
    # The derivative at the kink x = 0 is taken as 0, as PyTorch does.
    if m.data(x) > 0:
        return x, (1.0,)
    return 0.0, (0.0,)


def _sqrt_rule(m: Any, x: Any) -> tuple[Any, tuple[Any, ...]]:
    out = m.sqrt(x)
    return out, (0.5 / out if m.data(x) > 0 else math.inf,)  # the slope is infinite at 0


def _abs(m: Any, x: Any) -> tuple[Any, tuple[Any, ...]]:
    sign = m.sign(m.data(x))  # a constant: the derivative of |x| is piecewise constant
    return sign * x, (sign,)


def _sin(m: Any, x: Any) -> tuple[Any, tuple[Any, ...]]:
    return m.sin(x), (m.cos(x),)


def _cos(m: Any, x: Any) -> tuple[Any, tuple[Any, ...]]:
    return m.cos(x), (-m.sin(x),)


def _softplus_rule(m: Any, x: Any) -> tuple[Any, tuple[Any, ...]]:
    return m.softplus(x), (m.sigmoid(x),)


def _dot(m: Any, *operands: Any) -> tuple[Any, tuple[Any, ...]]:
    # operands = (w1, x1, w2, x2, ..., bias): one node for a whole neuron's w.x + b, which is
    # what makes an MLP cheap; each ∂/∂w_i is x_i and each ∂/∂x_i is w_i, so the pairs swap.
    weights, inputs, out = operands[0:-1:2], operands[1:-1:2], operands[-1]
    for w, x in zip(weights, inputs):
        out = out + w * x
    local_grads = list(operands)
    local_grads[0:-1:2] = inputs  # ∂/∂w_i = x_i
    local_grads[1:-1:2] = weights  # ∂/∂x_i = w_i
    local_grads[-1] = 1.0  # ∂/∂bias
    return out, tuple(local_grads)


def _distance_to_zero(x: float) -> float:
    return abs(x)


def _distance_to_nonpositive(x: float) -> float:
    return x


OPS: dict[str, Op] = {
    op.name: op
    for op in (
        Op("+", _add, 2),
        Op("-", _sub, 2),
        Op("*", _mul, 2),
        Op("/", _div, 2, lambda a, b: abs(b), slope_can_overflow=True),
        Op("**", _pow_value, 2, lambda a, b: a, slope_can_overflow=True),
        Op("neg", _neg, 1),
        Op("exp", _exp_rule, 1),
        Op("log", _log_rule, 1, _distance_to_nonpositive, slope_can_overflow=True),
        Op("tanh", _tanh, 1),
        Op("sigmoid", _sigmoid_rule, 1),
        Op("relu", _relu, 1, _distance_to_zero),
        Op("sqrt", _sqrt_rule, 1, _distance_to_nonpositive, slope_can_overflow=True),
        Op("abs", _abs, 1, _distance_to_zero),
        Op("sin", _sin, 1),
        Op("cos", _cos, 1),
        Op("softplus", _softplus_rule, 1),
        Op("dot", _dot, None),
    )
}


@functools.lru_cache(maxsize=256)
def power(n: float) -> Op:
    """The op x -> x**n for a constant exponent n (cached: one Op per exponent)."""

    def rule(m: Any, x: Any) -> tuple[Any, tuple[Any, ...]]:
        if n == 0:
            return 1.0, (0.0,)
        if 0 < n < 1 and m.data(x) == 0:  # x**n itself is 0 there; its slope is infinite
            return 0.0, (math.inf,)
        return m.pow(x, n), (n * m.pow(x, n - 1),)

    is_integer = n == int(n)
    smooth_everywhere = is_integer and (n >= 0)
    distance: Callable[..., float] | None = None
    if not smooth_everywhere:
        distance = _distance_to_zero if is_integer else _distance_to_nonpositive
    return Op("**", rule, 1, distance, param=n, slope_can_overflow=True)


_SCOPED: dict[tuple[Op, str], Op] = {}


def scoped(op: Op, name: str) -> Op:
    """``op`` marked as built in scope ``name`` (inside the scope it already has), cached.

    The mark rides on the op, so a node carries its scope at no cost in bytes.
    """
    twin = _SCOPED.get((op, name))
    if twin is None:
        twin = _SCOPED[op, name] = dataclasses.replace(op, scope=f"{op.scope}.{name}" if op.scope else name)
    return twin


DEFAULT_LEAKY_SLOPE = 0.01
"""leaky_relu's slope for x <= 0 when none is given (PyTorch's default too)."""


@functools.lru_cache(maxsize=64)
def leaky_relu_op(slope: float) -> Op:
    """The op x -> x if x > 0 else slope * x (cached: one Op per slope)."""

    def rule(m: Any, x: Any) -> tuple[Any, tuple[Any, ...]]:
        derivative = 1.0 if m.data(x) > 0 else slope
        return derivative * x, (derivative,)

    return Op("leaky_relu", rule, 1, _distance_to_zero, param=slope)
