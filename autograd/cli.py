"""The command line: ``glassgrad "tanh(x*w + b)" x=0.5 w=-1.25 b=0.2 [--steps] [--svg PATH] [--html PATH]``.

It prints the expression, its value and its gradient with respect to every variable;
``--steps`` adds the backward pass one node at a time. The expression is read with
:mod:`ast` and built into Values by walking the tree against a whitelist: numbers,
variables, ``+ - * / **``, unary ``-`` and ``+``, and calls of the ops in the op table by
name. Nothing typed is ever run by Python (no eval, exec or compile): anything outside the
whitelist, a bad variable or a math error is one line on stderr and exit status 2.
"""

from __future__ import annotations

import argparse
import ast
import keyword
import math
import sys
import unicodedata
from collections.abc import Callable, Sequence
from typing import NoReturn

from autograd.drawing import to_svg
from autograd.notation import format_number
from autograd.ops import OPS
from autograd.render import GraphvizFailed, GraphvizNotFound
from autograd.replay import to_html
from autograd.value import Value, apply

__all__ = ["main", "MAX_LENGTH", "FUNCTIONS"]

MAX_LENGTH = 1000
"""The longest expression accepted, in characters: Python's parser recurses on nesting."""


class _Refused(Exception):
    """Something the user typed that the command refuses; its message is one line."""

    status = 2


class _CannotWrite(_Refused):
    """A drawing could not be written: not the input's fault, so a different exit status."""

    status = 1


def _op_call(name: str) -> Callable[[list[Value], list[bool]], Value]:
    """The builder for a call of the table's op ``name``."""
    op = OPS[name]
    return lambda values, constant: apply(op, *values)


def _leaky_relu(values: list[Value], constant: list[bool]) -> Value:
    """leaky_relu(x) or leaky_relu(x, slope): the slope is the op's constant, not an operand."""
    if len(values) == 2 and not constant[1]:
        raise _Refused("leaky_relu: the slope must be a number, not depend on a variable")
    return values[0].leaky_relu(*(value.data for value in values[1:]))


# name -> (how many arguments it takes, how to build it from the argument Values and which
# of them are constants). Every op of the table callable by name, so new ops join by themselves.
FUNCTIONS: dict[str, tuple[tuple[int, ...], Callable[[list[Value], list[bool]], Value]]] = {
    **{
        op.name: ((op.arity,), _op_call(op.name))
        for op in OPS.values()
        if op.arity is not None and op.name.isidentifier() and op.name != "neg"  # -x says it
    },
    "leaky_relu": ((1, 2), _leaky_relu),
}

_OPERATORS: dict[type[ast.AST], str] = {
    ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.Pow: "**", ast.USub: "-", ast.UAdd: "+",
    ast.FloorDiv: "//", ast.Mod: "%", ast.MatMult: "@", ast.LShift: "<<", ast.RShift: ">>",
    ast.BitOr: "|", ast.BitXor: "^", ast.BitAnd: "&", ast.Not: "not", ast.Invert: "~",
}
_ALLOWED_OPERATORS = (ast.Add, ast.Sub, ast.Mult, ast.Div, ast.Pow, ast.USub, ast.UAdd)

# What to call each construct the whitelist leaves out, in the message refusing it.
_REFUSED: dict[type[ast.AST], str] = {
    ast.Attribute: "attribute access",
    ast.Subscript: "indexing",
    ast.Slice: "slices",
    ast.Lambda: "lambdas",
    ast.ListComp: "comprehensions",
    ast.SetComp: "comprehensions",
    ast.DictComp: "comprehensions",
    ast.GeneratorExp: "comprehensions",
    ast.IfExp: "conditional expressions",
    ast.Compare: "comparisons",
    ast.BoolOp: "and/or",
    ast.NamedExpr: "assignments",
    ast.Starred: "starred arguments",
    ast.List: "lists",
    ast.Tuple: "tuples",
    ast.Set: "sets",
    ast.Dict: "dicts",
    ast.JoinedStr: "f-strings",
    ast.Await: "await",
    ast.Yield: "yield",
    ast.YieldFrom: "yield",
}


def main(argv: Sequence[str] | None = None, prog: str = "glassgrad") -> int:
    """Run the command on ``argv`` (default: ``sys.argv[1:]``) and return its exit status.

    >>> main(["x*x + 1", "x=3"])
    f = x*x + 1 = 10
    df/dx = 6
    0
    """
    arguments = list(sys.argv[1:] if argv is None else argv)
    parser = _parser(prog)
    try:
        # Options may come between the variables; after "--" everything is positional
        # (for an expression that starts with "-"), which only parse_args understands.
        parse = parser.parse_args if "--" in arguments else parser.parse_intermixed_args
        options = parse(arguments)
        return _run(options.expression, options.assignments, options.steps, options.svg, options.html)
    except _Refused as refusal:
        print(f"{prog}: error: {' '.join(str(refusal).split())}", file=sys.stderr)
        return refusal.status
    except SystemExit as done:  # --help, printed by argparse
        return done.code if isinstance(done.code, int) else 0


def _parser(prog: str) -> argparse.ArgumentParser:
    """The options: EXPR, then NAME=VALUE pairs, --steps, --svg PATH and --html PATH."""
    parser = _OneLineParser(
        prog=prog,
        description="Print an expression's value and its gradient with respect to each variable.",
        epilog=(
            f"Functions: {', '.join(sorted(FUNCTIONS))}. "
            f"Example: {prog} 'tanh(x*w + b)' x=0.5 w=-1.25 b=0.2. "
            "Put -- before an expression that starts with a minus sign."
        ),
    )
    parser.add_argument("expression", metavar="EXPR", help="e.g. 'tanh(x*w + b)'")
    parser.add_argument("assignments", metavar="NAME=VALUE", nargs="*", help="a value for each variable")
    parser.add_argument("--steps", action="store_true", help="also print the backward pass, node by node")
    parser.add_argument("--svg", metavar="PATH", help="draw the graph, with data and grads, to an SVG file")
    parser.add_argument("--html", metavar="PATH", help="write a page that replays the backward pass")
    return parser


class _OneLineParser(argparse.ArgumentParser):
    """argparse, but a usage mistake is one line (not the usage block) and no exit from here."""

    def error(self, message: str) -> NoReturn:
        if message.startswith("unrecognized arguments: -"):
            message += "; an expression that starts with - goes after --, as in -- '-x*2' x=1"
        raise _Refused(f"{message} (see --help)")


def _run(expression: str, assignments: list[str], steps: bool, svg: str | None, html: str | None) -> int:
    """Build, differentiate, print; then draw. A refusal prints nothing on stdout."""
    variables = _variables(assignments)
    root = _build(expression, variables)
    root_name = "f"
    while root_name in variables:
        root_name += "_"
    if root.parents and not root.label:
        root.label = root_name
    lines = [f"{root_name} = {root.expr()} = {format_number(root.data)}"]
    try:
        if steps:
            lines += [str(step) for step in root.backward_steps()]
        else:
            root.backward()
    except OverflowError as error:  # a gradient too large for a float
        raise _Refused(str(error)) from None
    lines += [f"d{root_name}/d{name} = {format_number(leaf.grad)}" for name, leaf in variables.items()]
    print("\n".join(lines))
    for draw, path in ((to_svg, svg), (to_html, html)):
        if path is None:
            continue
        try:
            draw(root, path=path)
        except OSError as error:
            raise _CannotWrite(f"cannot write {path}: {error.strerror or error}") from None
        except (GraphvizNotFound, GraphvizFailed, ValueError) as error:  # no renderer; too big to lay out
            raise _CannotWrite(f"cannot draw {path}: {error}") from None
    return 0


def _variables(assignments: list[str]) -> dict[str, Value]:
    """``["x=0.5", ...]`` as leaves labelled with their names, in the order given."""
    variables: dict[str, Value] = {}
    for assignment in assignments:
        name, equals, text = assignment.partition("=")
        name = unicodedata.normalize("NFKC", name.strip())  # as Python's parser reads identifiers
        if not equals or not name.isidentifier() or keyword.iskeyword(name):
            raise _Refused(f"expected NAME=VALUE, got {_quote(assignment)}")
        if name in FUNCTIONS:
            raise _Refused(f"{name} is a function, so it cannot be a variable")
        if name in variables:
            raise _Refused(f"{name} is given twice")
        try:
            variables[name] = Value(float(text), name)
        except ValueError:
            raise _Refused(f"{name}={_quote(text)}: the value must be a finite number") from None
    return variables


def _build(expression: str, variables: dict[str, Value]) -> Value:
    """Parse, check every node against the whitelist, then build the Values bottom-up."""
    if len(expression) > MAX_LENGTH:
        raise _Refused(f"the expression is {len(expression)} characters long; the limit is {MAX_LENGTH}")
    try:
        tree = ast.parse(expression, mode="eval").body
    except SyntaxError as error:
        raise _Refused(f"cannot parse {_quote(expression)}: {error.msg}") from None
    except (ValueError, RecursionError, MemoryError):
        raise _Refused(f"cannot parse {_quote(expression)}: too deeply nested or malformed") from None
    used = _check(tree, expression, variables)
    unused = [name for name in variables if name not in used]
    if unused:
        raise _Refused(f"{', '.join(unused)} given but not used in {_quote(expression)}")
    try:
        return _evaluate(tree, variables)
    except (ArithmeticError, ValueError) as error:  # the engine names the op and its operands
        raise _Refused(str(error)) from None


def _check(tree: ast.expr, expression: str, variables: dict[str, Value]) -> set[str]:
    """Refuse the first node, outermost and leftmost first, that the whitelist leaves out.

    Returns the variables used. An explicit stack, not recursion: deep nesting is fine.
    """
    used: set[str] = set()
    to_check: list[ast.expr] = [tree]
    while to_check:
        node = to_check.pop()
        if isinstance(node, ast.Name):
            if node.id in variables:
                used.add(node.id)
            elif node.id in FUNCTIONS:
                raise _Refused(f"{node.id} is a function: call it, as in {node.id}(x)")
            else:
                given = ", ".join(variables) or "none"
                raise _Refused(f"unknown name {node.id} (variables given: {given})")
        elif isinstance(node, ast.Constant):
            _number(node, expression)
        elif isinstance(node, ast.BinOp | ast.UnaryOp):
            if not isinstance(node.op, _ALLOWED_OPERATORS):
                symbol = _OPERATORS.get(type(node.op), type(node.op).__name__)
                raise _Refused(f"the operator {symbol} is not supported: {_snippet(expression, node)}")
        elif isinstance(node, ast.Call):
            _check_call(node, expression, variables)
        else:
            what = _REFUSED.get(type(node), type(node).__name__)
            raise _Refused(f"{what} not allowed: {_snippet(expression, node)}")
        to_check.extend(reversed(_operands(node)))
    return used


def _check_call(node: ast.Call, expression: str, variables: dict[str, Value]) -> None:
    text = _snippet(expression, node)
    if not isinstance(node.func, ast.Name):
        raise _Refused(f"only functions named directly can be called, as in exp(x): {text}")
    name = node.func.id
    if name not in FUNCTIONS:
        what = "a variable, not a function" if name in variables else "not a known function"
        raise _Refused(f"{name} is {what} (functions: {', '.join(sorted(FUNCTIONS))})")
    if node.keywords:
        raise _Refused(f"keyword arguments not allowed: {text}")
    counts, _ = FUNCTIONS[name]
    if len(node.args) not in counts:
        expected = " or ".join(str(count) for count in counts)
        plural = "" if counts == (1,) else "s"
        raise _Refused(f"{name} takes {expected} argument{plural}, got {len(node.args)}: {text}")


def _number(node: ast.Constant, expression: str) -> float:
    """A numeric literal as a finite float; strings, booleans, None, complex... are refused."""
    value = node.value
    if isinstance(value, str | bytes):
        raise _Refused(f"strings not allowed: {_snippet(expression, node)}")
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise _Refused(f"{_snippet(expression, node)} is not a real number")
    try:
        number = float(value)
    except OverflowError:
        number = math.inf
    if math.isinf(number):
        raise _Refused(f"the number {_snippet(expression, node)} is too large for a float")
    return number


def _operands(node: ast.expr) -> list[ast.expr]:
    """The sub-expressions of a whitelisted node, left to right."""
    if isinstance(node, ast.BinOp):
        return [node.left, node.right]
    if isinstance(node, ast.UnaryOp):
        return [node.operand]
    if isinstance(node, ast.Call):
        return list(node.args)
    return []


def _evaluate(tree: ast.expr, variables: dict[str, Value]) -> Value:
    """Build the checked tree into Values, operands before the node that uses them.

    Alongside each Value goes whether it is a constant (no variable below it): a constant
    exponent becomes the op ``x**n``, which accepts negative bases (with a Value exponent,
    d/dy x**y = x**y * log(x) is not real for x < 0). Every step is a float op on Values, so
    ``9**9**9**9`` overflows a float at once instead of computing a giant integer.
    """
    built: dict[int, tuple[Value, bool]] = {}
    to_build: list[tuple[ast.expr, bool]] = [(tree, False)]
    while to_build:
        node, operands_built = to_build.pop()
        operands = _operands(node)
        if not operands_built and operands:
            to_build.append((node, True))
            to_build.extend((operand, False) for operand in reversed(operands))
            continue
        values = [built.pop(id(operand)) for operand in operands]
        built[id(node)] = _node(node, values, variables)
    return built[id(tree)][0]


def _node(
    node: ast.expr, operands: list[tuple[Value, bool]], variables: dict[str, Value]
) -> tuple[Value, bool]:
    """One checked node as a Value, and whether it is a constant."""
    values = [value for value, _ in operands]
    constant = [is_constant for _, is_constant in operands]
    if isinstance(node, ast.Name):
        return variables[node.id], False
    if isinstance(node, ast.Constant):
        return Value(_number(node, "")), True  # checked already, so no message will need the text
    if isinstance(node, ast.UnaryOp):
        if isinstance(node.op, ast.UAdd):
            return operands[0]
        if isinstance(node.operand, ast.Constant):  # -2 is a number, not the op neg applied to 2
            return Value(-values[0].data), True
        return -values[0], constant[0]
    if isinstance(node, ast.BinOp):
        left, right = values
        if isinstance(node.op, ast.Add):
            result = left + right
        elif isinstance(node.op, ast.Sub):
            result = left - right
        elif isinstance(node.op, ast.Mult):
            result = left * right
        elif isinstance(node.op, ast.Div):
            result = left / right
        else:
            result = left ** (right.data if constant[1] else right)
        return result, all(constant)
    assert isinstance(node, ast.Call) and isinstance(node.func, ast.Name)  # _check let nothing else by
    _, make = FUNCTIONS[node.func.id]
    return make(values, constant), all(constant)


def _snippet(expression: str, node: ast.expr) -> str:
    """The part of ``expression`` that ``node`` was parsed from, quoted for a message."""
    return _quote(ast.get_source_segment(expression, node) or expression)


def _quote(text: str, limit: int = 60) -> str:
    """``text`` quoted for a message, cut to ``limit`` characters."""
    return repr(text if len(text) <= limit else text[: limit - 1] + "…")
