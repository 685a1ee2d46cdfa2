"""The ops as plain functions: ``tanh(x)`` for ``x.tanh()``, accepting Values or numbers."""

from __future__ import annotations

from collections.abc import Sequence

from autograd.ops import DEFAULT_LEAKY_SLOPE, OPS
from autograd.value import Value, _as_value, apply

__all__ = [
    "exp", "log", "tanh", "sigmoid", "relu", "sqrt", "abs", "sin", "cos", "softplus", "leaky_relu", "dot",
]


def exp(x: Value | float) -> Value:
    """e**x."""
    return _as_value(x, "exp").exp()


def log(x: Value | float) -> Value:
    """Natural log; x must be > 0."""
    return _as_value(x, "log").log()


def tanh(x: Value | float) -> Value:
    """Hyperbolic tangent."""
    return _as_value(x, "tanh").tanh()


def sigmoid(x: Value | float) -> Value:
    """1 / (1 + e**-x)."""
    return _as_value(x, "sigmoid").sigmoid()


def relu(x: Value | float) -> Value:
    """max(x, 0)."""
    return _as_value(x, "relu").relu()


def sqrt(x: Value | float) -> Value:
    """Square root; x >= 0, and > 0 unless under ``no_grad`` (the slope is infinite at 0)."""
    return _as_value(x, "sqrt").sqrt()


def abs(x: Value | float) -> Value:  # noqa: A001 - same name as the method, on purpose
    """|x|."""
    return _as_value(x, "abs").abs()


def sin(x: Value | float) -> Value:
    """Sine (radians)."""
    return _as_value(x, "sin").sin()


def cos(x: Value | float) -> Value:
    """Cosine (radians)."""
    return _as_value(x, "cos").cos()


def softplus(x: Value | float) -> Value:
    """log(1 + e**x)."""
    return _as_value(x, "softplus").softplus()


def leaky_relu(x: Value | float, slope: float = DEFAULT_LEAKY_SLOPE) -> Value:
    """x if x > 0 else slope * x."""
    return _as_value(x, "leaky_relu").leaky_relu(slope)


def dot(
    weights: Sequence[Value | float], inputs: Sequence[Value | float], bias: Value | float = 0.0
) -> Value:
    """w1*x1 + w2*x2 + ... + bias as one node (a neuron's pre-activation).

    Same value and gradients as the chain of ``*`` and ``+`` it replaces, with one node
    instead of 2n: the local derivative along each weight is its input, and vice versa.

    >>> w, x = Value(2.0), Value(3.0)
    >>> y = dot([w], [x], 1.0)
    >>> y.backward()
    >>> y.data, w.grad, x.grad
    (7.0, 3.0, 2.0)
    """
    if len(weights) != len(inputs):
        raise ValueError(f"dot: {len(weights)} weights for {len(inputs)} inputs")
    interleaved = [operand for pair in zip(weights, inputs) for operand in pair]
    return apply(OPS["dot"], *interleaved, bias)
