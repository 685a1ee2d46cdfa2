"""The command line: ``glassgrad "tanh(x*w + b)" x=0.5 w=-1.25 b=0.2 [--steps] [--svg/--png/--html PATH]``.

It prints the expression, its value and its gradient with respect to every variable;
``--steps`` adds the backward pass one node at a time; ``--svg``, ``--png`` and ``--html``
write the picture and the replay. The expression is read with
:mod:`ast` and built into Values by walking the tree against a whitelist: numbers,
variables, ``+ - * / **``, unary ``-`` and ``+``, and calls of the ops in the op table by
name. Nothing typed is ever run by Python (no eval, exec or compile): anything outside the
whitelist, an expression past the size limits, a bad variable, a math error, a drawing that
cannot be written or output that cannot be written is one line on stderr and exit status 2.
Every check comes before any output, so a refusal prints nothing on stdout; a reader that
stops reading (``| head``) ends the command quietly, with status 0.
"""

from __future__ import annotations

import argparse
import ast
import keyword
import math
import os
import sys
import unicodedata
from collections.abc import Callable, Sequence
from typing import NoReturn, TextIO

from autograd.drawing import to_png, to_svg
from autograd.files import check_suffix, write_atomic
from autograd.notation import format_number
from autograd.ops import OPS
from autograd.render import GraphvizFailed, GraphvizNotFound
from autograd.replay import to_html
from autograd.value import Constant, Value, apply

__all__ = ["main", "MAX_LENGTH", "MAX_OPERATIONS", "FUNCTIONS"]

MAX_LENGTH = 1000
"""The longest expression accepted, in characters: Python's parser recurses on nesting."""

MAX_OPERATIONS = 500
"""The most operations (Values built by an operator or a call) an expression may have: what
building, stepping, printing and drawing cost grows with, whatever the characters are spent on
(drawing 500, even ``x*x*...*x``, Graphviz's worst case, takes about a second)."""


_EXTENSIONS = {"--svg": (".svg",), "--html": (".html", ".htm"), "--png": (".png",)}
_DRAWERS: dict[str, Callable[[Value], str | bytes]] = {"--svg": to_svg, "--html": to_html, "--png": to_png}

# The notation's characters as a learner would type them, for a terminal that cannot show
# them (PYTHONIOENCODING=ascii, an old Windows console); anything else becomes its escape.
_ASCII_SPELLINGS = str.maketrans({"·": "*", "∂": "d", "…": "..."})


class _Refused(Exception):
    """Something the command refuses or cannot do; its message is one line."""


class _Help(Exception):
    """--help was asked for; the message is the help text, for main to write like any output."""


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
        drawings = {"--svg": options.svg, "--html": options.html, "--png": options.png}
        output = _run(options.expression, options.assignments, options.steps, drawings)
    except _Help as shown:
        output = str(shown)
    except _Refused as refusal:
        return _error(prog, str(refusal))
    except KeyboardInterrupt:  # Ctrl-C while a big expression builds or draws: no traceback
        _write(sys.stderr, f"{prog}: interrupted\n")
        return 130  # 128 + SIGINT, as a shell reports it
    try:
        _write(sys.stdout, output)
        sys.stdout.flush()
    except BrokenPipeError:  # the reader has all it wanted, as `| head` does
        _discard_stdout()
        return 0
    except OSError as error:  # a full disk, a closed terminal
        _discard_stdout()
        return _error(prog, f"cannot write the output: {error.strerror or error}")
    return 0


def _error(prog: str, message: str) -> int:
    """Write ``message`` on stderr as one line; return 2, the exit status of every failure."""
    _write(sys.stderr, f"{prog}: error: {' '.join(message.split())}\n")
    return 2


def _write(stream: TextIO, text: str) -> None:
    """Write ``text`` to ``stream``, spelled in ASCII where its encoding cannot show the notation.

    Checked here rather than by reconfiguring the stream, which would outlast an in-process
    ``main()``; and ``0.5 * 2`` reads better than the ``0.5 \\xb7 2`` of backslashreplace.
    """
    encoding = getattr(stream, "encoding", None) or "utf-8"
    try:
        text.encode(encoding)
    except UnicodeEncodeError:
        text = text.translate(_ASCII_SPELLINGS).encode(encoding, "backslashreplace").decode(encoding)
    stream.write(text)


def _discard_stdout() -> None:
    """Point stdout at the null device, so Python's flush at exit cannot fail on what is left.

    Otherwise that flush fails too, and prints "Exception ignored ... BrokenPipeError" (the
    note on SIGPIPE in the signal module's documentation).
    """
    try:
        descriptor = sys.stdout.fileno()
    except (OSError, ValueError):  # not a file (captured in process): nothing flushes it at exit
        return
    null = os.open(os.devnull, os.O_WRONLY)
    os.dup2(null, descriptor)
    os.close(null)


def _parser(prog: str) -> argparse.ArgumentParser:
    """The options: EXPR, then NAME=VALUE pairs, --steps, --svg PATH and --html PATH."""
    parser = _OneLineParser(
        prog=prog,
        description="Print an expression's value and its gradient with respect to each variable.",
        epilog=(
            f"Functions: {', '.join(sorted(FUNCTIONS))}. "
            f"Example: {prog} 'tanh(x*w + b)' x=0.5 w=-1.25 b=0.2. "
            "Put -- before an expression that starts with a minus sign. "
            "Anything refused or not written: one line on stderr, exit status 2."
        ),
    )
    parser.add_argument("expression", metavar="EXPR", help="e.g. 'tanh(x*w + b)'")
    parser.add_argument("assignments", metavar="NAME=VALUE", nargs="*", help="a value for each variable")
    parser.add_argument("--steps", action="store_true", help="also print the backward pass, node by node")
    parser.add_argument(
        "--svg", metavar="PATH", help="draw the graph, with data and grads, to a .svg file"
    )
    parser.add_argument(
        "--html", metavar="PATH", help="write a .html page that replays the backward pass"
    )
    parser.add_argument("--png", metavar="PATH", help="draw the graph to a .png image")
    return parser


class _OneLineParser(argparse.ArgumentParser):
    """argparse, but a usage mistake is one line (not the usage block) and no exit from here."""

    def error(self, message: str) -> NoReturn:
        if message.startswith("unrecognized arguments: -"):
            message += "; an expression that starts with - goes after --, as in -- '-x*2' x=1"
        raise _Refused(f"{message} (see --help)")

    def print_help(self, file: object = None) -> NoReturn:
        """Hand the help text to main, which writes it as it writes results."""
        raise _Help(self.format_help())


def _run(expression: str, assignments: list[str], steps: bool, paths: dict[str, str | None]) -> str:
    """Build, differentiate and draw; return the text to print. Every check comes first."""
    variables = _variables(assignments)
    root = _build(expression, variables)
    drawings = {option: path for option, path in paths.items() if path is not None}
    for option, path in drawings.items():
        _check_path(option, path)
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
    pictures: dict[str, str | bytes] = {}
    for option, path in drawings.items():  # all drawn before any is written
        try:
            pictures[path] = _DRAWERS[option](root)
        except (GraphvizNotFound, GraphvizFailed) as error:
            raise _Refused(f"cannot draw {_quote(path)}: {error}") from None
    for path, picture in pictures.items():
        try:
            write_atomic(path, picture)
        except OSError as error:
            raise _Refused(f"cannot write {_quote(path)}: {error.strerror or error}") from None
        except ValueError as error:  # a NUL in a path given in process, which no system call takes
            raise _Refused(f"cannot write {_quote(path)}: {error}") from None
    return "\n".join(lines) + "\n"


def _check_path(option: str, path: str) -> None:
    """Refuse a drawing's path before any work: the wrong extension, or nowhere to write it.

    The extension, since a picture saved as ``out.png`` would be SVG text under a PNG's name.
    """
    try:
        check_suffix(path, _EXTENSIONS[option], option)
    except ValueError as error:
        raise _Refused(str(error)) from None
    problem = _unwritable(path)
    if problem is not None:
        raise _Refused(f"cannot write {_quote(path)}: {problem}")


def _unwritable(path: str) -> str | None:
    """Why no file can be written at ``path``, as far as can be told without writing; else None."""
    folder = os.path.dirname(path) or os.curdir
    if os.path.isdir(path):
        return "it is a folder"
    if os.path.exists(path) and not os.path.isfile(path):
        return "it is not a regular file"
    if not os.path.isdir(folder):
        return f"there is no folder {_quote(folder)}"
    if not os.access(folder, os.W_OK | os.X_OK):
        return f"the folder {_quote(folder)} is not writable"
    return None


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
    used, operations = _check(tree, expression, variables)
    if operations > MAX_OPERATIONS:
        raise _Refused(f"the expression has {operations} operations; the limit is {MAX_OPERATIONS}")
    unused = [name for name in variables if name not in used]
    if unused:
        raise _Refused(f"{', '.join(unused)} given but not used in {_quote(expression)}")
    try:
        return _evaluate(tree, variables)
    except (ArithmeticError, ValueError) as error:  # the engine names the op and its operands
        raise _Refused(str(error)) from None


def _check(tree: ast.expr, expression: str, variables: dict[str, Value]) -> tuple[set[str], int]:
    """Refuse the first node, outermost and leftmost first, that the whitelist leaves out.

    Returns the variables used and the number of operations (the Values that ``_node`` will
    build with an op). An explicit stack, not recursion: deep nesting is fine.
    """
    used: set[str] = set()
    operations = 0
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
            operations += _is_operation(node)
        elif isinstance(node, ast.Call):
            _check_call(node, expression, variables)
            operations += 1
        else:
            what = _REFUSED.get(type(node), type(node).__name__)
            raise _Refused(f"{what} not allowed: {_snippet(expression, node)}")
        to_check.extend(reversed(_operands(node)))
    return used, operations


def _is_operation(node: ast.BinOp | ast.UnaryOp) -> bool:
    """Whether ``_node`` builds ``node`` with an op: not ``+x`` (x itself), nor ``-2`` (a number)."""
    return isinstance(node, ast.BinOp) or (isinstance(node.op, ast.USub) and not _is_folded(node))


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
        return Constant(_number(node, "")), True  # checked already, so no message will need the text
    if isinstance(node, ast.UnaryOp):
        if isinstance(node.op, ast.UAdd):
            return operands[0]
        if _is_folded(node):
            return Constant(-values[0].data), True
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


def _is_folded(node: ast.UnaryOp) -> bool:
    """``-2`` is the number -2, not the op neg applied to 2."""
    return isinstance(node.operand, ast.Constant)


def _snippet(expression: str, node: ast.expr) -> str:
    """The part of ``expression`` that ``node`` was parsed from, quoted for a message."""
    return _quote(ast.get_source_segment(expression, node) or expression)


def _quote(text: str, limit: int = 60) -> str:
    """``text`` quoted for a message, cut to ``limit`` characters."""
    return repr(text if len(text) <= limit else text[: limit - 1] + "…")
