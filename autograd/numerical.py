"""Gradients by central differences: the slow, independent answer that backward is checked against."""

from __future__ import annotations

import math
import numbers
import sys
from collections.abc import Callable, Sequence

from autograd.grad_mode import no_grad
from autograd.value import Value

__all__ = ["numerical_grad", "step_size"]

# Central differences err by ~h**2 * f''' / 6 (truncation) plus ~eps * |f| / h (rounding);
# the sum is smallest near h = cbrt(eps) for values and derivatives of order one.
_CBRT_EPS: float = sys.float_info.epsilon ** (1 / 3)  # about 6.06e-6


def step_size(x: float) -> float:
    """The textbook central-difference step for an input ``x``: cbrt(machine eps) * max(1, |x|).

    Scaling with |x| keeps x + h distinct from x for large inputs, where a fixed step would
    be lost to rounding.
    """
    return _CBRT_EPS * max(1.0, abs(x))


def numerical_grad(
    f: Callable[..., Value], xs: Sequence[float | Value], eps: float | None = None
) -> list[float]:
    """d f / d x_i for each input by central differences: (f(x + h e_i) - f(x - h e_i)) / 2h.

    ``f`` takes one Value per input and returns a Value; it is evaluated under ``no_grad``.
    The step is ``eps`` when given, else ``step_size(x_i)`` for each input.

    >>> [round(g, 6) for g in numerical_grad(lambda x, y: x * y + y, [3.0, 2.0])]
    [2.0, 4.0]
    """
    point = [float(x) for x in xs]
    grads = []
    for i, x in enumerate(point):
        h = step_size(x) if eps is None else eps
        if not (h > 0 and math.isfinite(h)):
            raise ValueError(f"numerical_grad: the step must be a positive number, got {h!r}")
        above = _evaluate(f, [*point[:i], x + h, *point[i + 1 :]])
        below = _evaluate(f, [*point[:i], x - h, *point[i + 1 :]])
        # Divide by the step actually taken: x + h and x - h are rounded to floats.
        grads.append((above - below) / ((x + h) - (x - h)))
    return grads


def _evaluate(f: Callable[..., Value], point: list[float]) -> float:
    with no_grad():
        result = f(*[Value(x) for x in point])
    if isinstance(result, Value):
        return result.data
    if isinstance(result, numbers.Real):  # f ignored its inputs
        return float(result)
    raise TypeError(f"numerical_grad: f must return a Value, got {type(result).__name__}: {result!r}")
