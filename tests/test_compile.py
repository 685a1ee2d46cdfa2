"""``autograd.compile``: the generated code gives the interpreter's numbers, and its errors."""

from __future__ import annotations

import functools
import inspect
import keyword
import math
import sys
import unicodedata
from collections.abc import Callable

import pytest
from hypothesis import given
from hypothesis import strategies as st

import nn
from autograd import Value, compile, grad, no_grad, primitive, topological_order
from autograd.compile import CompiledFunction
from autograd.testing import RandomFunction, functions_and_inputs, values

Case = tuple[RandomFunction, list[float]]


def _interpreted(f: RandomFunction, xs: list[float]) -> tuple[float, list[float]]:
    leaves = [Value(x) for x in xs]
    root = f(*leaves)
    root.backward()
    return root.data, [leaf.grad for leaf in leaves]


# --- the same numbers as the interpreter ---


@given(functions_and_inputs(max_inputs=3, max_ops=12))
def test_value_and_gradients_equal_the_interpreters(case: Case) -> None:
    """Every op, shared subterms, constants: the compiled numbers are backward's, exactly."""
    f, xs = case
    compiled = compile(f)
    value, grads = compiled(*xs)
    assert (value, list(grads)) == _interpreted(f, xs)
    assert compiled.function is not None and compiled.function(*xs) == (value, grads)  # not the fallback


@given(functions_and_inputs(max_inputs=2, max_ops=8), st.lists(values(-3.0, 3.0), min_size=2, max_size=2))
def test_a_trace_serves_other_inputs(case: Case, others: list[float]) -> None:
    """Traced at one point, called at another: the interpreter's numbers there, or its error."""
    f, xs = case
    compiled = compile(f)
    compiled(*xs)
    point = others[: len(xs)]
    try:
        expected = _interpreted(f, point)
    except (ArithmeticError, ValueError) as error:
        with pytest.raises(type(error)):
            compiled(*point)
        return
    value, grads = compiled(*point)
    assert (value, list(grads)) == expected


def test_branches_in_rules_are_taken_at_every_call() -> None:
    """relu and abs are traced on one side of their kink and still right on the other."""
    compiled = compile(lambda x: x.relu() + abs(x) * 3)
    assert compiled(2.0) == (8.0, (4.0,))
    assert compiled(-2.0) == (6.0, (-3.0,))


def test_user_primitives_are_called_as_they_are() -> None:
    """A first-order primitive runs its own forward and derivative on floats."""
    cube = primitive("cube", lambda x: x**3, lambda x: (3 * x**2,))
    compiled = compile(lambda x: cube(x) * 2)
    assert compiled(2.0) == (16.0, (24.0,))
    assert "cube(M, x)" in compiled.source


def test_an_mlp_loss_with_its_parameters_as_inputs() -> None:
    """inputs=: the model's own parameters, read afresh at each call, gradients in their order."""
    model = nn.MLP(2, [4, 1], activation="relu", seed=0)
    points, labels = nn.datasets.moons(10, seed=0)
    targets = [2 * y - 1 for y in labels]
    parameters = model.parameters()

    def loss() -> Value:
        return nn.hinge_loss([model(x) for x in points], targets)

    compiled = compile(loss, inputs=parameters)
    for _ in range(3):
        model.zero_grad()
        reference = loss()
        reference.backward()
        value, grads = compiled()
        assert value == reference.data
        assert list(grads) == [p.grad for p in parameters]
        for p in parameters:
            p.data -= 0.1 * p.grad


# --- what the code looks like ---


def test_the_source_is_the_chain_rule_written_out() -> None:
    """Labels name their nodes; one line per node forward and one per edge backward."""

    def neuron(x: Value, w: Value, b: Value) -> Value:
        n = x * w + b
        n.label = "n"
        return n.tanh()

    compiled = compile(neuron)
    compiled(0.5, -1.25, 0.2)
    lines = [line.strip() for line in compiled.source.splitlines()]
    assert lines[0] == "def neuron(x, w, b):"
    for line in ("n = v1 + b", "v2 = tanh(n)", "dv2_dn = 1.0 - v2 * v2", "grad_n = dv2_dn * grad_v2",
                 "grad_x = w * grad_v1", "return v2, (grad_x, grad_w, grad_b)"):
        assert line in lines


def test_formulas_keep_pythons_evaluation_order() -> None:
    """Written formulas parenthesise exactly where Python's order would otherwise change."""
    compiled = compile(lambda a, b, c: (a - (b - c)) / (b * c) - (-a) ** 2.0 + 2.0 ** (a - b))
    leaves = [Value(1.5), Value(-0.75), Value(2.25)]
    root = (leaves[0] - (leaves[1] - leaves[2])) / (leaves[1] * leaves[2]) - (-leaves[0]) ** 2.0
    root = root + 2.0 ** (leaves[0] - leaves[1])
    root.backward()
    assert compiled(1.5, -0.75, 2.25) == (root.data, tuple(leaf.grad for leaf in leaves))


def test_names_that_are_not_free_are_renamed() -> None:
    """A label that is a keyword, an op's name or taken already gets a name of its own."""

    def f(x: Value) -> Value:
        a, b, c = x * 2, x * 3, x * 4
        a.label, b.label, c.label = "lambda", "exp", "x"
        return a + b + c

    compiled = compile(f)
    assert compiled(1.0) == (9.0, (9.0,))
    assert "exp_2 = x * 3.0" in compiled.source


def _engine(f: Callable[..., Value], xs: list[float]) -> tuple[float, tuple[float, ...]]:
    leaves = [Value(x) for x in xs]
    root = f(*leaves)
    return root.data, tuple(g.data for g in grad(root, leaves))


_ITALIC_X = "\N{MATHEMATICAL ITALIC SMALL X}"


def _fullwidth(name: str) -> str:
    """``name`` in fullwidth forms (U+FF01 to U+FF5E), which Python reads as ``name``."""
    return "".join(chr(ord(c) + 0xFEE0) for c in name)


def test_a_label_python_reads_as_an_input_does_not_alias_it() -> None:
    """Python reads an italic x as x (NFKC): a node so labelled is not written so, and cannot overwrite x."""

    def f(x: Value) -> Value:
        h = x * 2.0
        h.label = _ITALIC_X
        return h * x

    compiled = compile(f)
    assert compiled(3.0) == (18.0, (12.0,))
    assert _ITALIC_X not in compiled.source


@pytest.mark.parametrize(
    "label",
    [
        *(_fullwidth(name) for name in ("tanh", "all_finite", "M", "grad_x", "dv1_dx")),
        "\N{MATHEMATICAL BOLD SMALL V}\N{MATHEMATICAL BOLD DIGIT ONE}",
    ],
)
def test_a_label_python_reads_as_a_name_of_the_code_does_not_shadow_it(label: str) -> None:
    """Fullwidth or mathematical spellings of tanh, all_finite, M (relu's rule), grad_x, v1, ...: not used."""

    def f(x: Value) -> Value:
        h = x * 2.0
        h.label = label
        return h.tanh() * x + (h * h).relu()

    compiled = compile(f)
    assert compiled(0.3) == _engine(f, [0.3])
    assert compiled.function is not None and compiled.function(0.3) == _engine(f, [0.3])
    assert label not in compiled.source


def test_names_from_outside_are_used_only_as_python_reads_them() -> None:
    """fn's name, a primitive's, input labels: a look-alike falls back to a name of the code's own."""

    def g(x: Value) -> Value:
        return x.tanh()

    g.__name__ = _fullwidth("tanh")  # as a def, it would replace tanh in the code's namespace
    compiled = compile(g)
    assert compiled(0.5) == _engine(g, [0.5])
    assert compiled.source.startswith("def compiled(x):")

    doubled = primitive(_fullwidth("tanh"), lambda a: 2 * a, lambda a: (2.0,))
    compiled = compile(lambda x: doubled(x).tanh())
    assert compiled(0.5) == _engine(lambda x: doubled(x).tanh(), [0.5])
    assert "rule(M, x)" in compiled.source

    a, b = Value(1.5, "x"), Value(2.0, _ITALIC_X)  # the same parameter name twice: a SyntaxError
    compiled = compile(lambda: a * b.tanh(), inputs=[a, b])
    assert compiled() == _engine(lambda u, v: u * v.tanh(), [1.5, 2.0])
    assert compiled.source.startswith("def compiled(x, x1):")


def test_an_input_called_underscore_is_not_overwritten() -> None:
    """_ is where a constant operand's unused derivative goes, so an input named _ gets another name."""
    scaled = primitive("scaled", lambda a, b: a * b, lambda a, b: (b, 7.0))

    def f(_: Value) -> Value:
        return scaled(_, 3.0) * _

    compiled = compile(f)
    assert compiled(2.0) == (12.0, (12.0,))
    assert compiled.function is not None and compiled.function(2.0) == (12.0, (12.0,))


def test_a_label_that_reads_as_itself_is_kept() -> None:
    """θ is its own NFKC form: the code names the node θ, as the learner did."""

    def f(x: Value) -> Value:
        theta = x * 2.0
        theta.label = "θ"
        return theta.sin()

    compiled = compile(f)
    assert compiled(0.25) == _engine(f, [0.25])
    assert "θ = x * 2.0" in compiled.source


# The names generated code uses (inputs, the math namespace, its own helpers, derived names),
# which labels spelled with look-alikes must never alias.
_CODE_NAMES = (
    "x", "x0", "x1", "x2", "v", "v1", "v2", "v3", "_", "M", "all_finite", "compiled", "rule",
    "tanh", "exp", "log", "sqrt", "pow", "sin", "cos", "sigmoid", "softplus", "relu", "abs",
    "grad_x0", "grad_v1", "dv1_dx0", "dv2_dv1", "x0_2", "v_2",
)


@functools.cache
def _spellings() -> dict[str, tuple[str, ...]]:
    """For each character of the names above, every character Python reads as it (NFKC)."""
    wanted = {c: [c] for c in "".join(_CODE_NAMES)}
    for code_point in range(0x80, sys.maxunicode + 1):
        character = chr(code_point)
        normal = unicodedata.normalize("NFKC", character)
        if normal in wanted:
            wanted[normal].append(character)
    return {c: tuple(found) for c, found in wanted.items()}


def _read_as(name: str) -> st.SearchStrategy[str]:
    """Spellings of ``name`` that Python reads as ``name``: in bold, fullwidth, italic letters..."""
    return st.tuples(*(st.sampled_from(_spellings()[c]) for c in name)).map("".join)


_LABELS = st.one_of(
    st.text(max_size=6),  # any Unicode: controls, combining marks, keywords' look-alikes...
    st.sampled_from(_CODE_NAMES),
    st.sampled_from(_CODE_NAMES).flatmap(_read_as),
)


def _parameters(names: list[str]) -> inspect.Signature:
    """A signature with these parameter names where inspect allows them (distinct identifiers), else p<i>."""
    chosen: list[str] = []
    for i, name in enumerate(names):
        usable = name.isidentifier() and not keyword.iskeyword(name) and name not in chosen
        chosen.append(name if usable else f"p{i}")
    return inspect.Signature([inspect.Parameter(name, inspect.Parameter.POSITIONAL_ONLY) for name in chosen])


@given(
    functions_and_inputs(max_inputs=3, max_ops=10),
    st.lists(_LABELS, min_size=1, max_size=6),
    st.lists(_LABELS, min_size=3, max_size=3),
    _LABELS,
    st.booleans(),
)
def test_no_label_or_name_changes_the_numbers(
    case: Case, node_labels: list[str], input_names: list[str], function_name: str, as_parameters: bool
) -> None:
    """Any text for labels, input names and fn's name, look-alikes of the code's too: the engine's numbers."""
    f, xs = case
    leaves = [Value(x, name) for x, name in zip(xs, input_names)]

    def labelled(*inputs: Value) -> Value:
        root = f(*inputs)
        interior = [node for node in reversed(topological_order(root)) if node.parents]
        for k, node in enumerate(interior):
            node.label = node_labels[k % len(node_labels)]
        return root

    def reads_leaves() -> Value:
        return labelled(*leaves)

    if as_parameters:  # names from fn's signature, as inspect reports them
        labelled.__signature__ = _parameters(input_names[: len(xs)])  # type: ignore[attr-defined]
        labelled.__name__ = function_name
        compiled = compile(labelled)
        value, grads = compiled(*xs)
    else:  # names from the labels of the inputs given
        reads_leaves.__name__ = function_name
        compiled = compile(reads_leaves, inputs=leaves)
        value, grads = compiled()
    root = labelled(*leaves)
    expected = (root.data, tuple(g.data for g in grad(root, leaves)))
    assert (value, grads) == expected
    assert compiled.function is not None and compiled.function(*xs) == expected


# --- edge cases ---


def test_unused_inputs_and_trivial_roots() -> None:
    """An input that does not reach the root has gradient 0; a root that is an input, 1."""
    assert compile(lambda x, y: x * 2)(3.0, 4.0) == (6.0, (2.0, 0.0))
    assert compile(lambda x: x)(3.0) == (3.0, (1.0,))
    assert compile(lambda x: Value(5.0))(3.0) == (5.0, (0.0,))


def test_tracing_works_inside_no_grad() -> None:
    """The trace needs the graph, so it records even inside no_grad()."""
    with no_grad():
        assert compile(lambda x: x * x)(3.0) == (9.0, (6.0,))


def test_values_as_arguments_are_read() -> None:
    """Values passed to a compiled function give their data."""
    compiled = compile(lambda x, y: x * y)
    assert compiled(Value(2.0), Value(5.0)) == (10.0, (5.0, 2.0))
    assert compiled(3.0, Value(4.0)) == (12.0, (4.0, 3.0))


# --- errors are the engine's ---


@pytest.mark.parametrize(
    ("f", "traced_at", "x", "error", "words"),
    [
        (lambda x: (x - 1.0).log(), 3.0, 0.5, ValueError, "log"),
        (lambda x: 1.0 / (x - 2.0), 3.0, 2.0, ZeroDivisionError, "/"),
        (lambda x: x.exp(), 3.0, 1000.0, OverflowError, "exp"),
        (lambda x: (x * 1e200) * (x * 1e200) * 0.0, 1e-100, 1.0, OverflowError, r"\*"),
    ],
)
def test_errors_are_the_interpreters(
    f: Callable[[Value], Value], traced_at: float, x: float, error: type[Exception], words: str
) -> None:
    """A pole, a domain edge, an overflow (even one that a later * 0 would hide): the engine's error."""
    compiled = compile(f)
    compiled(traced_at)
    with pytest.raises(error, match=words):
        compiled(x)


def test_bad_uses_are_refused_clearly() -> None:
    """Wrong arity, a non-Value result, an interior input, source before any trace."""
    compiled = compile(lambda x, y: x + y)
    with pytest.raises(RuntimeError, match="call the compiled function once"):
        _ = compiled.source
    compiled(1.0, 2.0)
    with pytest.raises(TypeError, match="traced with 2 input"):
        compiled(1.0)
    with pytest.raises(TypeError, match="must return a Value"):
        compile(lambda x: 3.0)(1.0)  # type: ignore[arg-type, return-value]
    with pytest.raises(TypeError, match="must be callable"):
        compile(3.0)  # type: ignore[arg-type]
    x = Value(1.0)
    with pytest.raises(ValueError, match="must be a leaf"):
        compile(lambda: x, inputs=[x * 2])
    with pytest.raises(ValueError, match="listed twice"):
        compile(lambda: x, inputs=[x, x])
    message = r"^compile: the same Value is listed twice as an input; each input must be its own leaf$"
    with pytest.raises(ValueError, match=message):
        compile(lambda a, b: a * b)(x, x)
    with pytest.raises(TypeError, match="no arguments"):
        compile(lambda: x * 2, inputs=[x])(1.0)


@pytest.mark.slow
def test_a_long_chain_compiles() -> None:
    """Ten thousand nodes: one line each, no recursion anywhere."""

    def chain(x: Value) -> Value:
        y = x
        for _ in range(10_000):
            y = (y * 0.5 + 1.0).tanh()
        return y

    compiled = compile(chain)
    assert isinstance(compiled, CompiledFunction)
    value, (dx,) = compiled(0.3)
    assert math.isfinite(value) and math.isfinite(dx)
