"""``compile(fn)``: trace a function once, then run its value and gradient as straight-line Python.

The engine builds a graph of ``Value`` objects every time a function runs and walks it
backward; when the graph has the same shape every time (a fixed network on a fixed batch,
say), that work can be done once. ``compile`` calls ``fn`` on Values, takes the graph it
built, and writes a Python function with one line per node for the forward pass and one
line per edge for the backward pass, on plain floats. ``print(f.source)`` shows it: it is
the chain rule written out, which is also a good way to read what ``backward`` does.

Each line comes from the op table, never from a second copy of the math: an op's rule is
run once on symbols to see the formula it computes (``tanh(v2)``, ``1.0 - v3 * v3``), and
the formula is written out. A rule that branches on its input's value (``relu``, ``abs``)
cannot be written as one formula, so the line calls the rule itself on floats, and the
branch is taken afresh on every call.

Nodes are named by their labels, inputs by fn's parameters (or, with ``inputs``, their labels),
wherever Python would read that text as exactly that name and it is free; other text (a
keyword, a label written in fullwidth or mathematical letters, which Python reads as plain
ones) gives way to a name of the code's own, so no label can alias an input or a helper.

What a trace cannot see: branches in ``fn``'s own Python code (``if x.data > 0``) are
frozen the way the first call took them, and Values ``fn`` reads from outside its
arguments are constants, baked in with the data they had then. Errors are the engine's: a
call whose numbers are not all finite, or whose rules raise, is run again by the engine,
which raises its usual error naming the op and operands.
"""

from __future__ import annotations

import builtins
import keyword
import linecache
import math
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from autograd.backward import grad, topological_order
from autograd.expression import ATOM, BINARY, NEGATION, binary, node_names, wrap
from autograd.grad_mode import enable_grad
from autograd.ops import FLOAT_MATH, Op
from autograd.primitive import positional_names
from autograd.value import Value, as_float

__all__ = ["CompiledFunction", "compile"]

Numbers = tuple[float, tuple[float, ...]]
"""What a compiled function returns: the value, and the gradient with respect to each input."""

# What a rule reads its input's value with, to branch on it: no formula can contain these.
_VALUE_READERS = ("data", "sign")
# Functions the generated code calls: the op table's float namespace, by the names it gives them.
_MATH_NAMES = tuple(name for name in vars(type(FLOAT_MATH)) if name[0] != "_" and name not in _VALUE_READERS)
# "_" is the target for a derivative nobody reads (a constant operand's), so no value may be called that.
_RESERVED = {*_MATH_NAMES, "M", "all_finite", "_"}


class _NotAFormula(Exception):
    """A rule asked for its input's value (to branch on it): no single formula describes it."""


@dataclass(frozen=True, eq=False)
class _Symbol:
    """A formula built by running a rule on symbols: a name, a number, an operator or a call.

    Compared by identity: a rule that reuses a result (``out`` in tanh's ``1 - out*out``)
    reuses the very same object, which is how the result's name is found in its derivative.
    """

    kind: str  # "name", "number", "call", or an operator: + - * / ** neg
    text: str = ""  # the name, the number's repr, or the called function's name
    args: tuple[_Symbol, ...] = ()

    def __add__(self, other: object) -> _Symbol:
        return _Symbol("+", args=(self, _symbol(other)))

    def __radd__(self, other: object) -> _Symbol:
        return _Symbol("+", args=(_symbol(other), self))

    def __sub__(self, other: object) -> _Symbol:
        return _Symbol("-", args=(self, _symbol(other)))

    def __rsub__(self, other: object) -> _Symbol:
        return _Symbol("-", args=(_symbol(other), self))

    def __mul__(self, other: object) -> _Symbol:
        return _Symbol("*", args=(self, _symbol(other)))

    def __rmul__(self, other: object) -> _Symbol:
        return _Symbol("*", args=(_symbol(other), self))

    def __truediv__(self, other: object) -> _Symbol:
        return _Symbol("/", args=(self, _symbol(other)))

    def __rtruediv__(self, other: object) -> _Symbol:
        return _Symbol("/", args=(_symbol(other), self))

    def __pow__(self, other: object) -> _Symbol:
        return _Symbol("**", args=(self, _symbol(other)))

    def __rpow__(self, other: object) -> _Symbol:
        return _Symbol("**", args=(_symbol(other), self))

    def __neg__(self) -> _Symbol:
        return _Symbol("neg", args=(self,))

    def __bool__(self) -> bool:  # a comparison or an `if` on a symbol: a branch
        raise _NotAFormula

    def __float__(self) -> float:
        raise _NotAFormula

    def __lt__(self, other: object) -> bool:
        raise _NotAFormula

    __le__ = __gt__ = __ge__ = __lt__


def _symbol(x: object) -> _Symbol:
    if isinstance(x, _Symbol):
        return x
    if type(x) is float:
        return _Symbol("number", repr(x))
    raise _NotAFormula  # ints, user objects: leave it to the rule at run time


class _SymbolicMath:
    """The namespace a rule sees when it is run on symbols: every function records a call."""

    def __getattr__(self, name: str) -> Callable[..., _Symbol]:
        if name in _VALUE_READERS:
            raise _NotAFormula  # the rule branches on its input's value
        if name not in _MATH_NAMES:
            raise AttributeError(name)
        return lambda *args: _Symbol("call", name, tuple(_symbol(a) for a in args))


_SYMBOLIC_MATH = _SymbolicMath()


def _strength(s: _Symbol) -> int:
    if s.kind in BINARY:
        return BINARY[s.kind]
    if s.kind == "neg" or (s.kind == "number" and s.text.startswith("-")):
        return NEGATION
    return ATOM


def _write(s: _Symbol, names: dict[_Symbol, str]) -> str:
    """``s`` as Python source, with the parentheses that keep Python's evaluation order its own."""
    if s in names:
        return names[s]
    if s.kind in ("name", "number"):
        return s.text
    if s.kind == "call":
        return f"{s.text}({', '.join(_write(a, names) for a in s.args)})"
    if s.kind == "neg":
        (operand,) = s.args
        return "-" + wrap(_written(operand, names), NEGATION)  # --x is -(-x) in Python
    left, right = s.args
    return binary(s.kind, _written(left, names), _written(right, names), as_source=True)[0]


def _written(s: _Symbol, names: dict[_Symbol, str]) -> tuple[str, int]:
    """``s`` as source and how tightly it binds as written: a named result is a plain name."""
    return _write(s, names), ATOM if s in names else _strength(s)


def _product(local: str, upstream: str) -> str:
    """``local * upstream`` as source, without the factors 1 and -1 (exact: x * 1.0 is x)."""
    if local == "1.0":
        return upstream
    if local == "-1.0":
        return f"-{upstream}"
    return f"{local} * {upstream}"


def _usable(text: str) -> bool:
    """Whether ``text`` can be written as a name in the generated code and mean exactly itself.

    Python reads identifiers in NFKC form: a mathematical italic x is ``x``, a fullwidth tanh is
    ``tanh``. Text not already in that form could silently be another name, so it is never used
    (``θ`` is its own form, so it is). Then every name in use is the very identifier Python
    binds, and comparing texts is enough.
    """
    return text.isidentifier() and not keyword.iskeyword(text) and unicodedata.normalize("NFKC", text) == text


def _all_finite(*numbers: float) -> bool:
    """False if any number is inf or nan, since their sum then is too.

    (A sum of huge finite numbers can overflow as well: then the engine reruns the call and
    finds all is well, which costs time, never a wrong answer.)
    """
    return -math.inf < sum(numbers) < math.inf


class _Writer:
    """Writes the straight-line function for one traced graph."""

    def __init__(
        self, root: Value, inputs: Sequence[Value], input_names: Sequence[str], function_name: str
    ) -> None:
        self.root = root
        self.inputs = list(inputs)
        self.taken = set(_RESERVED)
        self.function_name = self._fresh(function_name, "compiled")
        self.names: dict[Value, str] = {}
        for i, (x, name) in enumerate(zip(inputs, input_names)):
            self.names[x] = self._fresh(name, f"x{i}")
        self.order = topological_order(root)  # root first, every node before its parents
        suggested = node_names(root, self.order)
        for node in reversed(self.order):
            if node.parents:
                self.names[node] = self._fresh(suggested[node])
        self.rules: dict[Op, str] = {}
        self.namespace: dict[str, Any] = {name: getattr(FLOAT_MATH, name) for name in _MATH_NAMES}
        self.namespace.update(M=FLOAT_MATH, all_finite=_all_finite)
        # local_grads[node][i]: the source text of d(node)/d(parent i), or None for a constant parent
        self.local_grads: dict[Value, list[str | None]] = {}
        self.checked: list[str] = []  # every number computed, for the finiteness check

    def _fresh(self, name: str, fallback: str = "v") -> str:
        """``name`` if it is usable and free, else a free variant of it (of ``fallback`` if unusable).

        Every name in the generated code comes from here, labels and fn's name included.
        """
        base = name if _usable(name) else fallback
        candidate, k = base, 1
        while candidate in self.taken:
            k += 1
            candidate = f"{base}_{k}"
        self.taken.add(candidate)
        return candidate

    def _operand(self, node: Value) -> _Symbol:
        if node in self.names:
            return _Symbol("name", self.names[node])
        return _Symbol("number", repr(node.data))  # a constant: a leaf that is not an input

    def forward_lines(self, node: Value) -> list[str]:
        """The line computing ``node`` and the lines computing its local derivatives."""
        op = node._op
        assert op is not None  # only nodes with parents get here
        name = self.names[node]
        operands = [self._operand(parent) for parent in node.parents]
        self.checked.append(name)
        try:
            if op.first_order:  # a user primitive: its rule takes floats only
                raise _NotAFormula
            formula, formulas = op.rule(_SYMBOLIC_MATH, *operands)
            out, local_grads = _symbol(formula), [_symbol(local) for local in formulas]
        except Exception:  # a rule that cannot run on symbols is called as it is, on floats
            return [self._rule_call(node, op, operands)]
        lines = [f"{name} = {_write(out, {})}"]
        texts: list[str | None] = []
        for parent, local in zip(node.parents, local_grads):
            if parent not in self.names:
                texts.append(None)  # no gradient flows to a constant
            elif local.kind in ("name", "number") or local is out:
                texts.append(_write(local, {out: name}))
            else:
                variable = self._fresh(f"d{name}_d{self.names[parent]}")
                lines.append(f"{variable} = {_write(local, {out: name})}")
                self.checked.append(variable)
                texts.append(variable)
        self.local_grads[node] = texts
        return lines

    def _rule_call(self, node: Value, op: Op, operands: list[_Symbol]) -> str:
        if op not in self.rules:
            self.rules[op] = self._fresh(op.name, "rule")
            self.namespace[self.rules[op]] = op.rule
        name = self.names[node]
        texts: list[str | None] = []
        for parent in node.parents:
            if parent in self.names:
                variable = self._fresh(f"d{name}_d{self.names[parent]}")
                self.checked.append(variable)
                texts.append(variable)
            else:
                texts.append(None)
        self.local_grads[node] = texts
        targets = ", ".join(text or "_" for text in texts)
        arguments = ", ".join(_write(operand, {}) for operand in operands)
        return f"{name}, ({targets},) = {self.rules[op]}(M, {arguments})"

    def backward_lines(self) -> tuple[list[str], dict[Value, str]]:
        """One line per edge, root first: ``grad_parent += local * grad_node``."""
        if self.root not in self.names:  # a constant: no input reaches it
            return [], {}
        grads = {self.root: self._fresh(f"grad_{self.names[self.root]}")}
        lines = [f"{grads[self.root]} = 1.0"]
        for node in self.order:
            if not node.parents:
                continue
            upstream = grads[node]
            for parent, local in zip(node.parents, self.local_grads[node]):
                if local is None:
                    continue
                contribution = _product(local, upstream)
                if parent in grads:
                    lines.append(f"{grads[parent]} += {contribution}")
                else:
                    grads[parent] = self._fresh(f"grad_{self.names[parent]}")
                    lines.append(f"{grads[parent]} = {contribution}")
        self.checked += grads.values()
        return lines, grads

    def source(self) -> str:
        """The whole function: forward lines, backward lines, the check and the return."""
        arguments = ", ".join(self.names[x] for x in self.inputs)
        body = ["# forward: each node from its parents, then its local derivatives"]
        for node in reversed(self.order):
            if node.parents:
                body += self.forward_lines(node)
        root = self.names.get(self.root, repr(self.root.data))
        body.append("# backward: the chain rule, each edge adds local derivative * upstream gradient")
        backward, grads = self.backward_lines()
        body += backward
        checked = ", ".join(self.checked)
        body.append(f"if not all_finite({checked}):")
        body.append("    return None  # an inf or nan: the engine runs it again and says where")
        results = ", ".join(grads.get(x, "0.0") for x in self.inputs)
        body.append(f"return {root}, ({results}{',' if len(self.inputs) == 1 else ''})")
        return f"def {self.function_name}({arguments}):\n" + "".join(f"    {line}\n" for line in body)


class CompiledFunction:
    """``fn`` traced once and run as generated Python: a call returns ``(value, gradients)``.

    See :func:`compile`. ``source`` is the generated code and ``function`` the function it
    defines (step into it with a debugger: its lines are ``source``'s), ``fn`` the function
    traced. ``function`` returns None where the engine must take over (an inf or a nan).
    """

    def __init__(self, fn: Callable[..., Value], inputs: Sequence[Value] | None) -> None:
        self.fn = fn
        self.inputs = None if inputs is None else _leaves(inputs)
        self.function: Callable[..., Numbers | None] | None = None  # set by the trace
        self._source: str | None = None
        self._arity = 0
        if self.inputs is not None:
            self._trace(self.inputs)

    @property
    def source(self) -> str:
        """The generated Python function (after the first call, which traces ``fn``)."""
        if self._source is None:
            raise RuntimeError("compile: nothing is traced yet; call the compiled function once first")
        return self._source

    def __call__(self, *args: Value | float) -> Numbers:
        """The value of ``fn`` and its gradient with respect to each input, as floats."""
        if self.inputs is not None:
            if args:
                raise TypeError("compile: this function reads its inputs' data; call it with no arguments")
            numbers = [x.data for x in self.inputs]
        else:
            numbers = [x.data if isinstance(x, Value) else as_float(x, "compile: an argument") for x in args]
        if self.function is None:
            self._trace([x if isinstance(x, Value) else Value(x) for x in args])
        assert self.function is not None
        if len(numbers) != self._arity:
            message = f"compile: the function was traced with {self._arity} input(s), got {len(numbers)}"
            raise TypeError(message)
        try:
            result = self.function(*numbers)
        except (ArithmeticError, ValueError):
            result = None
        return self._interpret(numbers) if result is None else result

    def _trace(self, inputs: list[Value]) -> None:
        root = self._call_fn(inputs)
        writer = _Writer(root, inputs, self._input_names(len(inputs)), getattr(self.fn, "__name__", ""))
        source = writer.source()
        filename = f"<autograd.compile: {writer.function_name}>"
        linecache.cache[filename] = (len(source), None, source.splitlines(keepends=True), filename)
        namespace = dict(writer.namespace)
        exec(builtins.compile(source, filename, "exec"), namespace)
        self.function = namespace[writer.function_name]
        self._source = source
        self._arity = len(inputs)

    def _input_names(self, count: int) -> list[str]:
        """Names for the inputs: fn's parameter names, else the inputs' labels, else x0, x1, ..."""
        if self.inputs is not None:
            return [x.label or f"x{i}" for i, x in enumerate(self.inputs)]
        named = positional_names(self.fn) or []
        return [named[i] if i < len(named) else f"x{i}" for i in range(count)]

    def _call_fn(self, inputs: list[Value]) -> Value:
        with enable_grad():  # the trace needs the graph, even inside no_grad()
            root = self.fn() if self.inputs is not None else self.fn(*_leaves(inputs))
        if not isinstance(root, Value):
            raise TypeError(f"compile: the function must return a Value, got {type(root).__name__}: {root!r}")
        return root

    def _interpret(self, numbers: list[float]) -> Numbers:
        """The engine's answer: fn on Values and ``grad``; raises the engine's error if there is one."""
        inputs = self.inputs if self.inputs is not None else [Value(x) for x in numbers]
        root = self._call_fn(inputs)
        return root.data, tuple(g.data for g in grad(root, inputs))


def _leaves(inputs: Sequence[Value]) -> list[Value]:
    """``inputs`` as a list, checked to be leaves (Values with no parents), each once."""
    values = list(inputs)
    for i, x in enumerate(values):
        if not isinstance(x, Value):
            raise TypeError(f"compile: input {i} must be a Value, got {type(x).__name__}: {x!r}")
        if x.parents:
            raise ValueError(f"compile: input {i} ({x!r}) is computed from other Values; it must be a leaf")
    if len({id(x) for x in values}) != len(values):
        raise ValueError(
            "compile: the same Value is listed twice as an input; each input must be its own leaf"
        )
    return values


def compile(  # noqa: A001 - autograd.compile, like torch.compile; the builtin is builtins.compile
    fn: Callable[..., Value], inputs: Sequence[Value] | None = None
) -> CompiledFunction:
    """``fn`` as straight-line Python for its value and gradient, traced on its first call.

    ``fn`` takes Values and returns a Value; the compiled function takes numbers (or Values,
    whose data it reads) and returns ``(value, gradients)``, the gradients as ``grad`` would
    give them, with respect to each argument. With ``inputs`` (a model's parameters, say),
    ``fn`` takes no arguments and reads those leaves; each call then uses their current data.

    >>> def neuron(x, w, b):
    ...     return (x*w + b).tanh()
    >>> compiled = compile(neuron)
    >>> value, (dx, dw, db) = compiled(0.5, -1.25, 0.2)
    >>> round(value, 4), round(dx, 4), round(dw, 4), round(db, 4)
    (-0.4011, -1.0489, 0.4195, 0.8391)
    >>> print(compiled.source)
    def neuron(x, w, b):
        # forward: each node from its parents, then its local derivatives
        v1 = x * w
        v2 = v1 + b
        v3 = tanh(v2)
        dv3_dv2 = 1.0 - v3 * v3
        # backward: the chain rule, each edge adds local derivative * upstream gradient
        grad_v3 = 1.0
        grad_v2 = dv3_dv2 * grad_v3
        grad_v1 = grad_v2
        grad_b = grad_v2
        grad_x = w * grad_v1
        grad_w = x * grad_v1
        if not all_finite(v1, v2, v3, dv3_dv2, grad_v3, grad_v2, grad_v1, grad_b, grad_x, grad_w):
            return None  # an inf or nan: the engine runs it again and says where
        return v3, (grad_x, grad_w, grad_b)
    <BLANKLINE>
    """
    if not callable(fn):
        raise TypeError(f"compile: fn must be callable, got {type(fn).__name__}: {fn!r}")
    return CompiledFunction(fn, inputs)
