"""User-defined ops: give a forward function and its partial derivatives, get an op."""

from __future__ import annotations

import inspect
import keyword
import numbers
from collections.abc import Callable
from typing import Any

from autograd.ops import OPS, Op
from autograd.value import Value, apply

__all__ = ["primitive", "positional_names"]

# The table's ops, plus the parametric one whose name is not a key of the table.
_BUILT_IN_NAMES = frozenset(OPS) | {"leaky_relu"}


def primitive(
    name: str,
    forward: Callable[..., float],
    derivative: Callable[..., Any],
) -> Callable[..., Value]:
    """A new op: ``forward(*floats) -> float`` and ``derivative(*floats)`` -> one partial per input.

    The result is a function taking Values or numbers. Derivatives are first order: they
    are evaluated on floats, so ``grad(..., create_graph=True)`` refuses to go through them.

    >>> square = primitive("square", lambda x: x * x, lambda x: (2 * x,))
    >>> y = square(Value(3.0))
    >>> y.backward()
    >>> y.data, y.parents[0].grad
    (9.0, 6.0)
    """
    if not isinstance(name, str):
        raise TypeError(f"primitive name must be a str, got {type(name).__name__}: {name!r}")
    if not name.isidentifier() or keyword.iskeyword(name):
        raise ValueError(f"primitive name must be a Python identifier (like 'cube'), got {name!r}")
    if name in _BUILT_IN_NAMES:
        raise ValueError(f"primitive name {name!r} is already a built-in op; choose another")
    if not callable(forward) or not callable(derivative):
        raise TypeError(f"primitive {name!r}: forward and derivative must be callable")
    inputs = positional_names(forward)
    if not inputs:
        raise TypeError(
            f"primitive {name!r}: forward must take a fixed number (>= 1) of inputs; "
            "wrap it in a def that names them"
        )
    arity = len(inputs)

    def rule(m: Any, *inputs: float) -> tuple[float, tuple[float, ...]]:
        out = forward(*inputs)
        if not isinstance(out, numbers.Real):
            raise TypeError(f"primitive {name!r}: forward must return a real number, got {out!r}")
        partials = derivative(*inputs)
        if isinstance(partials, numbers.Real):
            partials = (partials,)
        if not isinstance(partials, tuple | list):
            raise TypeError(
                f"primitive {name!r}: derivative must return a tuple with one partial per input, "
                f"got {partials!r}"
            )
        if len(partials) != len(inputs):
            raise TypeError(
                f"primitive {name!r}: derivative returned {len(partials)} partial(s) "
                f"for {len(inputs)} input(s)"
            )
        for partial in partials:
            if not isinstance(partial, numbers.Real):
                raise TypeError(f"primitive {name!r}: derivative must return real numbers, got {partial!r}")
        return float(out), tuple(float(p) for p in partials)

    op = Op(name, rule, arity, first_order=True, slope_can_overflow=True)

    def call(*operands: Value | float) -> Value:
        return apply(op, *operands)

    call.__name__ = call.__qualname__ = name
    call.__doc__ = f"The user-defined primitive {name!r} (forward and derivative given by the user)."
    return call


def positional_names(f: Callable[..., object]) -> list[str] | None:
    """The names of the inputs a call ``f(*inputs)`` fills: f's positional parameters, in order.

    None when they are not a fixed list: f takes ``*args``, or its signature cannot be read
    (as for some builtins). Keyword-only parameters and ``**kwargs`` are not inputs.

    >>> positional_names(lambda x, w, b=0.0: x * w + b)
    ['x', 'w', 'b']
    >>> positional_names(lambda *xs: sum(xs)) is None
    True
    """
    try:
        parameters = inspect.signature(f).parameters.values()
    except (TypeError, ValueError):
        return None
    if any(p.kind == p.VAR_POSITIONAL for p in parameters):
        return None
    return [p.name for p in parameters if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
