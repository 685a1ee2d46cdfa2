"""The command line under generated input: whatever is typed, it answers (exit 0) or refuses in
one line (exit 2), without a traceback and without touching a file.

Expressions come from a grammar of what the whitelist allows and what it must refuse (attribute
access, lambdas, comprehensions, strings, calls of unknown functions, deep nesting, huge numbers,
attacks on a canary file), plus raw text. Many examples run in process through ``main``; a few
run as real processes, which also shows what Python does at exit (a flush, an encoding).
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import subprocess
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from autograd.cli import FUNCTIONS, main

CANARY = "CANARY"
"""Stands for the canary file's path, quoted, in generated text."""

# A test's tmp_path serves all its examples: the canary is checked after every one of them.
_SHARED_DIRECTORY = [HealthCheck.function_scoped_fixture, HealthCheck.too_slow]

_VARIABLES = ["x", "y", "z"]
_ALLOWED_ATOMS = st.one_of(
    st.sampled_from(_VARIABLES), st.integers(0, 9).map(str), st.floats(0, 10, allow_subnormal=False).map(repr)
)
_NAMES = st.sampled_from([
    "f", "θ", "unknown", "os", "open", "eval", "exec", "__import__", "__builtins__", "print", "True", "None",
    "nan", "inf", "lambda", *sorted(FUNCTIONS),
])
_NUMBERS = st.one_of(
    st.integers().map(str),
    st.floats().map(repr),
    st.sampled_from([
        "1e400", "1e-400", "9" * 400, "0x1F", "0o17", "1_000", "1j", ".5", "5.", "2**1024", "10**10**10",
        "9**9**9**9", "(-8)**(1/3)", "0**-1", "1/0", "exp(1000)", "log(0)",
    ]),
)
_STRINGS = st.text(max_size=8).map(repr) | st.binary(max_size=8).map(repr)
_ATTACKS = st.sampled_from([
    f"__import__('os').remove({CANARY})",
    f"open({CANARY}, 'w')",
    f"open({CANARY}, 'w').write('pwned')",
    f"exec(\"open({CANARY}, 'w')\")",
    f"eval(\"__import__('os').remove({CANARY})\")",
    f"(lambda: __import__('os').remove({CANARY}))()",
    f"[__import__('os').remove({CANARY}) for x in [1]]",
    f"f'{{__import__(\"os\").remove({CANARY})}}'",
    "__import__('os').system('touch PWNED')",
    "x.__class__.__mro__[1].__subclasses__()",
    "().__class__.__base__.__subclasses__()",
    "globals()['__builtins__']",
    "breakpoint()",
])
# An undecodable byte as Python passes it on, a lone surrogate, a NUL, a fullwidth x (NFKC: x)...
_ODD = st.sampled_from(["x\udcff", "\ud800", "x\0", "...", "x\n", "\t x", "\uff58"])
# Allowed atoms twice over (one_of picks its branches evenly), so that many expressions build.
_ATOMS = st.one_of(_ALLOWED_ATOMS, _ALLOWED_ATOMS, _NAMES, _NUMBERS, _STRINGS, _ATTACKS, _ODD)
_ALLOWED_BINARY = st.sampled_from(["+", "-", "*", "/", "**"])
_BINARY = st.sampled_from([
    "//", "%", "@", "<<", ">>", "|", "^", "&", "<", "==", "is", "in", "and", "or", "if x else", ",", ":=",
    "=", ";", "",
])
_UNARY = st.sampled_from(["~", "not ", "*", "**", "await ", "yield ", "lambda: "])
_CALLED = st.one_of(
    _NAMES, st.sampled_from(["os.system", "x.exp", "(exp)", "exp.__call__", "(lambda x: x)", "x", "exp()"])
)


def _call(function: str, arguments: Sequence[str], keywords: Sequence[tuple[str, str]] = ()) -> str:
    return f"{function}({', '.join([*arguments, *(f'{name}={value}' for name, value in keywords)])})"


def _known_call(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    """A call of a known function with a number of arguments it takes."""
    return st.sampled_from(sorted(FUNCTIONS)).flatmap(
        lambda name: st.sampled_from(FUNCTIONS[name][0]).flatmap(
            lambda count: st.lists(inner, min_size=count, max_size=count).map(lambda args: _call(name, args))
        )
    )


def _allowed(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    """One construct the whitelist allows around generated operands."""
    return st.one_of(
        st.tuples(inner, _ALLOWED_BINARY, inner).map(" ".join),
        st.tuples(st.sampled_from(["-", "+"]), inner).map("".join),
        inner.map("({})".format),
        _known_call(inner),
    )


def _compound(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    """One construct around generated operands: allowed (half the time) or not."""
    pairs = st.tuples(inner, inner)
    refused = st.one_of(
        st.tuples(inner, _BINARY, inner).map(" ".join),
        st.tuples(_UNARY, inner).map("".join),
        st.tuples(_CALLED, st.lists(inner, max_size=3), st.lists(st.tuples(_NAMES, inner), max_size=2)).map(
            lambda parts: _call(*parts)
        ),
        st.tuples(inner, _NAMES).map(".".join),
        pairs.map(lambda pair: f"{pair[0]}[{pair[1]}]"),
        pairs.map(lambda pair: f"{pair[0]}[{pair[1]}:]"),
        inner.map("(lambda x: {})(1)".format),
        pairs.map(lambda pair: f"[{pair[0]} for x in {pair[1]}]"),
        pairs.map(lambda pair: f"({pair[0]} for x in {pair[1]} if x)"),
        pairs.map(lambda pair: f"{{{pair[0]}: {pair[1]}}}"),
        inner.map("[{}]".format),
        inner.map("{{{}}}".format),
        inner.map("f'{{{}}}'".format),
    )
    return _allowed(inner) | refused


_NESTINGS = [
    ("(", ")"), ("-", ""), ("+", ""), ("~", ""), ("not ", ""), ("exp(", ")"), ("-(", ")"), ("[", "]"),
    ("{", "}"), ("x*", ""), ("x**", ""), ("x+", ""), ("lambda:", ""), ("x.", "a"), ("tanh(x*", ")"),
]
_DEEP = st.tuples(st.sampled_from(_NESTINGS), st.integers(1, 1200)).map(
    lambda nesting: nesting[0][0] * nesting[1] + "x" + nesting[0][1] * nesting[1]
)
_RAW = st.text(max_size=120) | st.text(alphabet="()[]{}+-*/%.,:=<>!~'\"_ xyz19e\\", max_size=200)
EXPRESSIONS = st.one_of(
    st.recursive(_ALLOWED_ATOMS, _allowed, max_leaves=12),
    st.recursive(_ATOMS, _compound, max_leaves=12),
    _DEEP,
    _RAW,
    _ATTACKS,
)

_VALUES = st.one_of(
    st.floats(-3, 3).map(repr),
    st.floats(-3, 3).map(repr),
    st.floats().map(repr),
    st.integers().map(str),
    st.text(max_size=10),
    st.sampled_from(["nan", "-inf", "1e999", "-0", "1e-320", " 2 ", "0x10", "1_0", "½", "٣"]),
)
_NOISE = st.one_of(
    st.tuples(st.sampled_from([*_VARIABLES, "θ", "exp", "class", "1x", "", " x ", "x y"]), _VALUES).map(
        "=".join
    ),
    st.text(max_size=20),
    st.sampled_from(["--steps", "--", "-h", "--bogus", "-x", "-1", "--st", "x==1", "="]),
)


def _command_line(expression: str) -> st.SearchStrategy[list[str]]:
    """``expression``, a value for each variable it mentions, and now and then --steps or noise."""
    mentioned = [name for name in _VARIABLES if re.search(rf"\b{name}\b", expression)]
    return st.tuples(
        st.tuples(*(_VALUES.map(f"{name}={{}}".format) for name in mentioned)),
        st.lists(st.just("--steps"), max_size=1),
        st.lists(_NOISE, max_size=1) | st.just([]) | st.just([]) | st.just([]),
    ).flatmap(lambda parts: st.permutations([*parts[0], *parts[1], *parts[2]])).map(
        lambda rest: [expression, *rest]
    )


ARGUMENTS = EXPRESSIONS.flatmap(_command_line)
"""Command lines: an expression, then variables and options (never --svg or --html: no files)."""


@contextlib.contextmanager
def _canary(directory: Path) -> Iterator[None]:
    """Run the body in ``directory``, beside a canary file; then check that nothing was touched."""
    canary = directory / "canary.txt"
    if not canary.exists():
        canary.write_text("untouched\n")
    before = os.stat(canary).st_mtime_ns
    with contextlib.chdir(directory):
        yield
    assert canary.read_text() == "untouched\n" and os.stat(canary).st_mtime_ns == before
    assert os.listdir(directory) == ["canary.txt"]


def _with_canary(argv: list[str], directory: Path) -> list[str]:
    return [argument.replace(CANARY, repr(str(directory / "canary.txt"))) for argument in argv]


def _check_answer(status: int, out: str, err: str, prog: str) -> None:
    """Exit 0 with nothing on stderr, or exit 2 with one line there and nothing on stdout."""
    assert "Traceback" not in err
    if status == 0:
        assert err == ""
    else:
        assert status == 2
        assert out == ""
        assert err.startswith(f"{prog}: error: ") and err.endswith("\n") and err.count("\n") == 1


def _in_process(argv: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = main(argv)
    return status, out.getvalue(), err.getvalue()


# Ten times the profile's examples: 1000 in CI, 100 in the fast tier.
@settings(max_examples=10 * settings().max_examples, suppress_health_check=_SHARED_DIRECTORY)
@given(argv=ARGUMENTS)
def test_main_answers_or_refuses_in_one_line(tmp_path: Path, argv: list[str]) -> None:
    """In process: no exception escapes main, and it answers, or refuses in one line."""
    with _canary(tmp_path):
        status, out, err = _in_process(_with_canary(argv, tmp_path))
    _check_answer(status, out, err, "glassgrad")


_EXTENSIONS = st.sampled_from([".svg", ".SVG", ".png", ".html", ".htm", ""])
_PATHS = st.one_of(
    st.text(max_size=30),
    st.tuples(st.text(max_size=12), _EXTENSIONS).map("".join),
    st.sampled_from([
        "", ".", "..", "/", ".svg", "/dev/null", "/proc/g.svg", "no/such/g.svg", "a\0.svg", "\udcff.svg",
    ]),
)


@settings(max_examples=200, suppress_health_check=_SHARED_DIRECTORY)
@given(option=st.sampled_from(["--svg", "--html"]), path=_PATHS)
def test_a_drawing_path_is_written_or_refused_in_one_line(tmp_path: Path, option: str, path: str) -> None:
    """Any --svg or --html path: the drawing is written, or one line says why not."""
    directory = tmp_path / "drawings"
    directory.mkdir(exist_ok=True)
    with contextlib.chdir(directory):
        status, out, err = _in_process(["x*2", "x=1", option, path])
    _check_answer(status, out, err, "glassgrad")


def _passable(argument: str) -> bool:
    """Whether a real process can be given ``argument``: no NUL, and encodable as a file name."""
    try:
        return b"\0" not in os.fsencode(argument)
    except UnicodeEncodeError:
        return False


@pytest.mark.slow
@settings(max_examples=30, suppress_health_check=_SHARED_DIRECTORY)
@given(argv=ARGUMENTS, encoding=st.sampled_from([None, "ascii", "latin-1"]))
def test_the_program_answers_or_refuses_in_one_line(
    tmp_path: Path, argv: list[str], encoding: str | None
) -> None:
    """As a real process, in whatever encoding the terminal has: exit 0 or 2 within 10 s, no traceback."""
    argv = _with_canary(argv, tmp_path)
    assume(all(_passable(argument) for argument in argv))
    environment = {key: value for key, value in os.environ.items() if key != "PYTHONIOENCODING"}
    if encoding is not None:
        environment["PYTHONIOENCODING"] = encoding
    with _canary(tmp_path):
        done = subprocess.run(
            [sys.executable, "-m", "autograd", *argv],
            capture_output=True, env=environment, timeout=10, check=False,
        )
    # Decoding checks that the output fits the encoding (spelled in ASCII where it had to be).
    out, err = (stream.decode(encoding or "utf-8") for stream in (done.stdout, done.stderr))
    _check_answer(done.returncode, out, err, "python -m autograd")
