"""Gradients by central differences: the slow, independent answer that backward is checked against.

How far to trust that answer decides both the step and the tolerances, so both live here.
A central difference at step h errs by about h**2 * |f'''| / 6 (truncation: the Taylor terms
the formula drops) plus eps * |f| / h (rounding: f(x + h) and f(x - h) each carry a relative
error of eps ~ 2.2e-16, and their difference is divided by 2h). The sum is smallest at
h ~ cbrt(eps) ~ 6e-6 for a function of order one, where the estimate is good to ~1e-10.
"""

from __future__ import annotations

import math
import numbers
import sys
from collections.abc import Callable, Sequence

from autograd.grad_mode import no_grad
from autograd.value import Value, as_float

__all__ = [
    "ATOL", "RTOL", "numerical_grad", "as_point", "as_setting", "as_step", "central_difference", "check_step",
    "step_size", "within_tolerance",
]

_CBRT_EPS: float = sys.float_info.epsilon ** (1 / 3)  # about 6.06e-6

ATOL = 1e-5
RTOL = 1e-3
"""Default tolerances: a derivative passes when |analytic - numeric| <= ATOL + RTOL * |numeric|.

They are PyTorch's gradcheck defaults, so they mean what users of PyTorch expect. Our step
makes the numeric estimate good to ~1e-10 for well-scaled functions, so these leave about six
orders of magnitude for badly scaled ones (steep, large, near a pole) while still failing any
derivative that is wrong in its third significant digit.
"""


def step_size(x: float) -> float:
    """The central-difference step for an input ``x``: cbrt(machine eps) * max(1, |x|).

    cbrt(eps) balances truncation against rounding (see the module docstring). Scaling with
    |x| keeps that balance for large inputs, where f varies on the scale of |x| and a fixed
    step would be lost to rounding x itself: 1e20 + 1e-6 == 1e20.

    >>> step_size(0.5) == step_size(1.0) == step_size(-1.0)
    True
    >>> round(step_size(1000.0) / step_size(1.0))
    1000
    """
    return _CBRT_EPS * max(1.0, abs(x))


def central_difference(fn: Callable[[list[float]], float], point: Sequence[float], i: int, h: float) -> float:
    """d fn / d point[i] as (fn(point + h e_i) - fn(point - h e_i)) / (2h), for any float function.

    The divisor is the step actually taken: x + h and x - h are rounded to floats, and dividing
    by their exact difference removes that rounding from the estimate.

    >>> round(central_difference(lambda p: p[0] ** 3, [2.0], 0, 1e-3), 9)  # 3x**2 + h**2
    12.000001
    """
    if not (h > 0 and math.isfinite(h)):
        raise ValueError(f"central_difference: the step must be a positive finite number, got {h!r}")
    x = point[i]
    above, below = list(point), list(point)
    above[i], below[i] = x + h, x - h
    if above[i] == below[i]:
        raise ValueError(
            f"central_difference: the step {h!r} is lost to rounding at {x!r}; take a larger one"
        )
    return (fn(above) - fn(below)) / (above[i] - below[i])


def numerical_grad(
    f: Callable[..., Value], xs: Sequence[float | Value], eps: float | None = None
) -> list[float]:
    """d f / d x_i for each input by central differences: (f(x + h e_i) - f(x - h e_i)) / 2h.

    ``f`` takes one Value per input and returns a Value; it is evaluated under ``no_grad``,
    two evaluations per input. The step is ``eps`` when given, else ``step_size(x_i)``.

    >>> [round(g, 6) for g in numerical_grad(lambda x, y: x * y + y, [3.0, 2.0])]
    [2.0, 4.0]
    """
    step = as_step(eps, "numerical_grad")
    point = as_point(xs, "numerical_grad")
    steps = [step_size(x) if step is None else step for x in point]
    for i, (x, h) in enumerate(zip(point, steps)):
        check_step(x, h, "numerical_grad", f"input {i}")
    return [central_difference(lambda p: _evaluate(f, p), point, i, h) for i, h in enumerate(steps)]


def as_setting(value: object, what: str) -> float:
    """A numeric option (a step, a tolerance) as a finite float, or an error naming ``what``.

    Checked as ``Value`` data is, except that a bool is refused: ``eps=True`` is a mistake, not 1.
    """
    if isinstance(value, bool):
        raise TypeError(f"{what} must be a real number, got bool: {value!r}")
    return as_float(value, what)


def as_step(eps: object, who: str) -> float | None:
    """``eps`` checked as a finite-difference step: None (the default, ``step_size`` per input) or > 0."""
    if eps is None:
        return None
    step = as_setting(eps, f"{who}: eps")
    if not step > 0:
        raise ValueError(f"{who}: eps must be a positive finite number, got {eps!r}")
    return step


def check_step(x: float, h: float, who: str, name: str, *, halved: bool = False) -> None:
    """Refuse a step that floating point cannot take at ``x``: x - h and x + h must be two finite floats.

    Below about ulp(x)/2 both round to x itself, and the difference would divide by zero.
    ``halved`` asks the same of h/2, for a checker that refines its difference there.
    """
    if not (math.isfinite(x - h) and math.isfinite(x + h)):
        raise ValueError(
            f"{who}: the step h = {h!r} at {name} = {x!r} is too large: x ± h is beyond the largest float; "
            "take a smaller eps"
        )
    smallest = h / 2 if halved else h
    if x - smallest == x + smallest:
        written = "h" if x - h == x + h else "h/2"
        raise ValueError(
            f"{who}: the step h = {h!r} is lost to rounding at {name} = {x!r} (x - {written} and "
            f"x + {written} are the same float there, so no difference can be taken); take a larger "
            f"eps, such as the default step_size({x!r}) = {step_size(x):.3g}"
        )


def as_point(xs: object, who: str) -> list[float]:
    """``xs`` (a sequence of numbers or Values) as finite floats, or an error naming ``who``."""
    if isinstance(xs, Value | numbers.Number | str) or not isinstance(xs, Sequence):
        raise TypeError(f"{who}: xs must be a list of numbers or Values, one per input of f, got {xs!r}")
    point = []
    for i, x in enumerate(xs):
        if isinstance(x, Value):
            point.append(x.data)
        elif isinstance(x, numbers.Real):
            point.append(as_float(x, f"{who}: input {i}"))
        else:
            raise TypeError(f"{who}: input {i} must be a number or a Value, got {type(x).__name__}: {x!r}")
    return point


def within_tolerance(analytic: float, numeric: float, atol: float = ATOL, rtol: float = RTOL) -> bool:
    """Whether an analytic derivative agrees with its numeric estimate: |a - n| <= atol + rtol*|n|.

    >>> within_tolerance(3.0001, 3.0), within_tolerance(4.5, 3.0)
    (True, False)
    """
    return abs(analytic - numeric) <= atol + rtol * abs(numeric)


def _evaluate(f: Callable[..., Value], point: list[float]) -> float:
    with no_grad():
        result = f(*[Value(x) for x in point])
    if isinstance(result, Value):
        return result.data
    if isinstance(result, numbers.Real):  # f ignored its inputs
        return float(result)
    raise TypeError(f"numerical_grad: f must return a Value, got {type(result).__name__}: {result!r}")
