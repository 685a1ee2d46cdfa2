"""``Value``: a scalar that remembers how it was computed.

Each node holds its ``data``, its ``grad``, the ``parents`` it was computed from and the
``local_grads`` ∂node/∂parent, evaluated once when the node is built, by the op's rule in
:mod:`autograd.ops`. No node holds a function, so nodes form no reference cycles. A number
used in arithmetic (the 2 in ``2*x``) becomes a :class:`Constant`: a leaf with no gradient.

``data`` and ``grad`` are checked when set from outside (a float, finite); the engine's own
loops read and write the slots behind them, ``_data`` and ``_grad``, so the checks cost
nothing there.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Generator
from typing import TYPE_CHECKING

from autograd.grad_mode import RECORDING
from autograd.ops import DEFAULT_LEAKY_SLOPE, FLOAT_MATH, OPS, Op, leaky_relu_op, power, scoped

if TYPE_CHECKING:
    from autograd.stepping import Step

__all__ = ["Value", "Constant", "apply", "as_float"]

_INF = math.inf
# The real numbers an operand may be: float and int are checked first because they are nearly
# every operand, and a check against the abstract numbers.Real alone is several times slower.
_REAL = float | int | numbers.Real


def as_float(data: object, what: str) -> float:
    """``data`` as a finite float; ints and bools are coerced, anything else is refused.

    Errors name ``what`` (``"Value data"``, ``"MLP: input 0"``): TypeError for a non-number,
    ValueError for inf or nan, OverflowError for an int too large for a float.
    """
    if type(data) is not float:
        if not isinstance(data, _REAL):
            raise TypeError(f"{what} must be a real number, got {type(data).__name__}: {data!r}")
        try:
            data = float(data)
        except OverflowError:  # an int or Fraction beyond 1.8e308 (too long to print, too)
            raise OverflowError(f"{what} is too large for a float (beyond ±1.8e308)") from None
    if not -_INF < data < _INF:  # also false for nan
        raise ValueError(f"{what} must be finite, got {data!r}")
    return data


class Value:
    """A scalar node in a computation graph.

    >>> x = Value(2.0, "x")
    >>> y = x * x + 1
    >>> y.backward()
    >>> x.grad
    4.0
    """

    __slots__ = ("_data", "_grad", "label", "_op", "parents", "local_grads")

    _data: float
    _grad: float
    label: str
    _op: Op | None
    parents: tuple[Value, ...]
    local_grads: tuple[float, ...]

    def __init__(
        self,
        data: float,
        label: str = "",
        _op: Op | None = None,
        _parents: tuple[Value, ...] = (),
        _local_grads: tuple[float, ...] = (),
    ) -> None:
        # The one constructor of every node; the three private arguments are for op results,
        # whose data the engine has checked already (see _node).
        if _op is None:
            if type(data) is not float or not -_INF < data < _INF:
                data = as_float(data, "Value data")
            if type(label) is not str:
                raise TypeError(f"Value label must be a str, got {type(label).__name__}: {label!r}")
        self._data = data
        self._grad = 0.0
        self.label = label
        self._op = _op
        self.parents = _parents
        self.local_grads = _local_grads

    @property
    def data(self) -> float:
        """The number this node holds."""
        return self._data

    @data.setter
    def data(self, data: float) -> None:
        self._data = as_float(data, "Value.data")

    @property
    def grad(self) -> float:
        """d root/d node from the last backward pass (summed over passes for leaves)."""
        return self._grad

    @grad.setter
    def grad(self, grad: float) -> None:
        self._grad = as_float(grad, "Value.grad")

    @property
    def op(self) -> str:
        """The name of the op that made this node ("" for a leaf)."""
        return "" if self._op is None else self._op.name

    @property
    def scope(self) -> str:
        """Where this node was built: the path of the ``autograd.scope`` s around it ("" if none)."""
        return "" if self._op is None else self._op.scope

    @property
    def is_leaf(self) -> bool:
        """True for inputs, parameters and constants: nodes with no parents."""
        return not self.parents

    # --- arithmetic: numbers on either side become constant leaves ---

    def __add__(self, other: Value | float) -> Value:
        operand = _operand(other, "+")
        return NotImplemented if operand is None else _binary(_ADD, self, operand)

    def __radd__(self, other: float) -> Value:
        if type(other) is int and other == 0:  # sum(values) starts from 0: build no 0 + x node
            return self
        operand = _operand(other, "+")
        return NotImplemented if operand is None else _binary(_ADD, operand, self)

    def __sub__(self, other: Value | float) -> Value:
        operand = _operand(other, "-")
        return NotImplemented if operand is None else _binary(_SUB, self, operand)

    def __rsub__(self, other: float) -> Value:
        operand = _operand(other, "-")
        return NotImplemented if operand is None else _binary(_SUB, operand, self)

    def __mul__(self, other: Value | float) -> Value:
        operand = _operand(other, "*")
        return NotImplemented if operand is None else _binary(_MUL, self, operand)

    def __rmul__(self, other: float) -> Value:
        operand = _operand(other, "*")
        return NotImplemented if operand is None else _binary(_MUL, operand, self)

    def __truediv__(self, other: Value | float) -> Value:
        operand = _operand(other, "/")
        return NotImplemented if operand is None else _binary(_DIV, self, operand)

    def __rtruediv__(self, other: float) -> Value:
        operand = _operand(other, "/")
        return NotImplemented if operand is None else _binary(_DIV, operand, self)

    def __pow__(self, exponent: Value | float) -> Value:
        if isinstance(exponent, Value):
            return _binary(_POW, self, exponent)
        if isinstance(exponent, _REAL):
            return _unary(power(as_float(exponent, "** exponent")), self)
        return NotImplemented

    def __rpow__(self, base: float) -> Value:
        operand = _operand(base, "**")
        return NotImplemented if operand is None else _binary(_POW, operand, self)

    def __neg__(self) -> Value:
        return _unary(_NEG, self)

    # --- functions ---

    def exp(self) -> Value:
        """e**x."""
        return _unary(_EXP, self)

    def log(self) -> Value:
        """Natural log; x must be > 0."""
        return _unary(_LOG, self)

    def tanh(self) -> Value:
        """Hyperbolic tangent; d/dx = 1 - tanh(x)**2."""
        return _unary(_TANH, self)

    def sigmoid(self) -> Value:
        """1 / (1 + e**-x); d/dx = s * (1 - s)."""
        return _unary(_SIGMOID, self)

    def relu(self) -> Value:
        """max(x, 0); d/dx at 0 is taken as 0."""
        return _unary(_RELU, self)

    def sqrt(self) -> Value:
        """Square root; x >= 0, and > 0 unless under ``no_grad`` (the slope is infinite at 0)."""
        return _unary(_SQRT, self)

    def abs(self) -> Value:
        """|x|; d/dx at 0 is taken as 0."""
        return _unary(_ABS, self)

    def __abs__(self) -> Value:
        return _unary(_ABS, self)

    def sin(self) -> Value:
        """Sine (radians)."""
        return _unary(_SIN, self)

    def cos(self) -> Value:
        """Cosine (radians)."""
        return _unary(_COS, self)

    def softplus(self) -> Value:
        """log(1 + e**x), a smooth relu; d/dx = sigmoid(x)."""
        return _unary(_SOFTPLUS, self)

    def leaky_relu(self, slope: float = DEFAULT_LEAKY_SLOPE) -> Value:
        """x if x > 0 else slope * x."""
        return _unary(leaky_relu_op(as_float(slope, "leaky_relu slope")), self)

    # --- comparisons and conversions: on data, to plain numbers (no gradient flows through them) ---

    def __lt__(self, other: Value | float) -> bool:
        number = _compared(other)
        return NotImplemented if number is None else self._data < number

    def __le__(self, other: Value | float) -> bool:
        number = _compared(other)
        return NotImplemented if number is None else self._data <= number

    def __gt__(self, other: Value | float) -> bool:
        number = _compared(other)
        return NotImplemented if number is None else self._data > number

    def __ge__(self, other: Value | float) -> bool:
        number = _compared(other)
        return NotImplemented if number is None else self._data >= number

    def __bool__(self) -> bool:
        """``data != 0``, PyTorch's rule for a one-element tensor."""
        return self._data != 0.0

    def __float__(self) -> float:
        return self._data

    def __int__(self) -> int:
        return int(self._data)

    def __round__(self, ndigits: int | None = None) -> int | float:
        return round(self._data) if ndigits is None else round(self._data, ndigits)

    def __trunc__(self) -> int:
        return math.trunc(self._data)

    def __floor__(self) -> int:
        return math.floor(self._data)

    def __ceil__(self) -> int:
        return math.ceil(self._data)

    def __format__(self, spec: str) -> str:
        return format(self._data, spec) if spec else repr(self)

    def __repr__(self) -> str:
        parts = [repr(self._data), f"grad={self.grad!r}"]
        if self.label:
            parts.append(f"label={self.label!r}")
        if self._op is not None:
            parts.append(f"op={self._op.name!r}")
        return f"Value({', '.join(parts)})"

    # --- gradients ---

    def backward(self, grad: float = 1.0) -> None:
        """Fill ``.grad`` of every node this one depends on with d self/d node.

        Interior nodes get this pass's gradient; leaves accumulate across calls (as in
        PyTorch) until zeroed, so calling it twice doubles leaf grads exactly.
        """
        from autograd.backward import backward

        backward(self, grad)

    def backward_steps(self, grad: float = 1.0) -> Generator[Step, None, None]:
        """``backward`` one node per ``next()``, root first; each step says what it did.

        >>> x, w = Value(3.0, "x"), Value(-2.0, "w")
        >>> y = x * w
        >>> y.label = "y"
        >>> print(next(y.backward_steps()))
        step 1: y = x*w    upstream dy/dy = 1
            x.grad += ∂y/∂x · dy/dy = -2 · 1 = -2
            w.grad += ∂y/∂w · dy/dy = 3 · 1  = 3
        """
        from autograd.stepping import backward_steps

        return backward_steps(self, grad)

    def expr(self, max_length: int = 200) -> str:
        """This node as a formula over leaves and labelled nodes, e.g. ``'tanh(x*w + b)'``."""
        from autograd.expression import expression

        return expression(self, max_length)

    def tree(self, max_lines: int | None = 40) -> str:
        """This node and what it was computed from as indented text: ``print(loss.tree())``."""
        from autograd.tree_view import tree

        return tree(self, max_lines)


class Constant(Value):
    """A number lifted into the graph by arithmetic, the 2 in ``2*x``: a leaf that is no
    parameter, so it carries no gradient (its ``grad`` is always 0). No extra bytes per node.
    """

    __slots__ = ()

    @property
    def grad(self) -> float:
        """Always 0: nothing is learned about a constant."""
        return 0.0

    @grad.setter
    def grad(self, grad: float) -> None:
        as_float(grad, "Value.grad")  # checked as for any Value, then dropped: there is none to keep

    def __repr__(self) -> str:
        return f"Constant({self._data!r})"


def _compared(x: object) -> float | None:
    """What a Value is compared with, as a number, or None if it is neither a Value nor a number."""
    if isinstance(x, Value):
        return x._data
    if isinstance(x, _REAL):
        return float(x)
    return None


def _operand(x: object, op_name: str) -> Value | None:
    """x as a Value (numbers become Constants), or None if it is not a number."""
    if isinstance(x, Value):
        return x
    if isinstance(x, _REAL):
        try:
            return Constant(x)  # type: ignore[arg-type]
        except ValueError:
            raise ValueError(f"{op_name}: the operand {x!r} is not a finite number") from None
        except OverflowError:
            raise OverflowError(f"{op_name}: an operand is too large for a float (beyond ±1.8e308)") from None
    return None


def _as_value(x: object, op_name: str) -> Value:
    operand = _operand(x, op_name)
    if operand is None:
        raise TypeError(f"{op_name}: operands must be Values or real numbers, got {type(x).__name__}: {x!r}")
    return operand


def _describe(op: Op, operands: tuple[Value, ...]) -> str:
    """The op applied to its operands' numbers, as a person would write it."""
    numbers_ = [repr(x._data) for x in operands]
    if op.name == "**":  # a negative base in parentheses: -1.0 ** 0.5 would mean -(1.0 ** 0.5)
        base = f"({numbers_[0]})" if numbers_[0].startswith("-") else numbers_[0]
        return f"{base} ** {op.param!r}" if op.param is not None else f"{base} ** {numbers_[1]}"
    if len(numbers_) == 2 and not op.name.isidentifier():
        return f"{numbers_[0]} {op.name} {numbers_[1]}"
    return f"{op.name}({', '.join(numbers_)})"


def _failed(op: Op, operands: tuple[Value, ...], error: Exception) -> Exception:
    """The rule's error again, as its builtin type, with the op and its operands in front."""
    # The builtin type, not type(error): a user primitive may raise a subclass whose
    # constructor takes other arguments (json.JSONDecodeError, say).
    kind = next(kind for kind in _RULE_ERRORS if isinstance(error, kind))
    return kind(f"{_describe(op, operands)}: {error}")


def _node(op: Op, parents: tuple[Value, ...], data: float, local_grads: tuple[float, ...]) -> Value:
    """A new node holding an op's result; refuses results that are not finite, and, when it is
    recorded for backward, local derivatives that are not."""
    if not -_INF < data < _INF:  # also false for nan
        kind = OverflowError if data == data else ValueError
        raise kind(f"{_describe(op, parents)} is {data!r}: not a finite number")
    into = _recording()
    if into is None:
        return Value(data)
    if op.slope_can_overflow:
        _check_slopes(op, parents, local_grads)
    if into:
        op = scoped(op, into)
    return Value(data, "", op, parents, local_grads)


def _check_slopes(op: Op, parents: tuple[Value, ...], local_grads: tuple[float, ...]) -> None:
    """Refuse to record local derivatives that are not finite: an inf or nan would poison backward.

    The value itself may be fine (1/1e-200, sqrt(0)); only recording it for backward is
    refused, so under ``no_grad``, which records nothing, it goes through.
    """
    for local in local_grads:
        if not -_INF < local < _INF:  # also false for nan
            kind, what = (ValueError, "not a real number") if local != local else (OverflowError, repr(local))
            raise kind(
                f"{_describe(op, parents)}: the local derivative is {what}, so backward could "
                "not go through this node (under no_grad() the value alone is fine)"
            )


def _unary(op: Op, x: Value) -> Value:
    try:
        data, local_grads = op.rule(FLOAT_MATH, x._data)
    except (ArithmeticError, ValueError) as error:
        raise _failed(op, (x,), error) from None
    return _node(op, (x,), data, local_grads)


def _binary(op: Op, a: Value, b: Value) -> Value:
    try:
        data, local_grads = op.rule(FLOAT_MATH, a._data, b._data)
    except (ArithmeticError, ValueError) as error:
        raise _failed(op, (a, b), error) from None
    return _node(op, (a, b), data, local_grads)


def apply(op: Op, *operands: Value | float) -> Value:
    """Build the node ``op(*operands)``: run the op's rule on floats and record the result.

    Numbers become constant leaves. Errors from the rule (a pole, a domain edge, an
    overflow) are re-raised with the op and its operands in the message.
    """
    parents = tuple(x if isinstance(x, Value) else _as_value(x, op.name) for x in operands)
    if op.arity is not None and len(parents) != op.arity:
        raise TypeError(f"{op.name} takes {op.arity} operand(s), got {len(parents)}")
    try:
        data, local_grads = op.rule(FLOAT_MATH, *[x._data for x in parents])
    except (ArithmeticError, ValueError) as error:
        raise _failed(op, parents, error) from None
    return _node(op, parents, float(data), tuple(local_grads))


_recording = RECORDING.get
_RULE_ERRORS = (ZeroDivisionError, OverflowError, ValueError, ArithmeticError)  # the first that fits
_ADD, _SUB, _MUL, _DIV, _POW = OPS["+"], OPS["-"], OPS["*"], OPS["/"], OPS["**"]
_NEG, _EXP, _LOG, _TANH, _SIGMOID = OPS["neg"], OPS["exp"], OPS["log"], OPS["tanh"], OPS["sigmoid"]
_RELU, _SQRT, _ABS, _SIN, _COS = OPS["relu"], OPS["sqrt"], OPS["abs"], OPS["sin"], OPS["cos"]
_SOFTPLUS = OPS["softplus"]


class _ValueMath:
    """The namespace rules see under ``create_graph``: the same functions, on Values."""

    exp = staticmethod(Value.exp)
    log = staticmethod(Value.log)
    sqrt = staticmethod(Value.sqrt)
    tanh = staticmethod(Value.tanh)
    sigmoid = staticmethod(Value.sigmoid)
    softplus = staticmethod(Value.softplus)
    sin = staticmethod(Value.sin)
    cos = staticmethod(Value.cos)
    sign = staticmethod(FLOAT_MATH.sign)

    @staticmethod
    def pow(base: Value, exponent: Value | float) -> Value:
        return base**exponent

    @staticmethod
    def data(x: Value) -> float:
        """The plain number behind x (for piecewise rules that branch on it)."""
        return x._data


VALUE_MATH = _ValueMath()
