"""A scalar reverse-mode autograd engine you can watch.

Reading order. The engine is four files: ``ops.py`` (each op's value and local derivatives, side
by side), ``value.py`` (a ``Value`` records the op and parents that made it), ``backward.py`` (the
topological order and the pass that applies the chain rule) and ``grad_mode.py`` (``no_grad``).
They import nothing else, so they can be read first and alone. Then the views of one pass:
``stepping.py`` (one node at a time), ``explain.py`` (the sum over paths), ``tree_view.py``,
``drawing.py`` with ``render.py``, and ``replay.py``; they share ``notation.py``, ``expression.py``
and ``escaping.py`` for how things are written. The checkers come last: ``numerical.py``,
``gradcheck.py``, ``blame.py`` and ``testing.py`` (hypothesis strategies). ``functions.py``,
``primitive.py`` and ``compile.py`` extend the engine; ``cli.py`` is the command line, and
``files.py`` writes every file whole or not at all.
"""

from autograd.backward import grad, topological_order
from autograd.blame import blame
from autograd.compile import CompiledFunction, compile
from autograd.drawing import Drawing, draw, to_png, to_svg
from autograd.explain import explain
from autograd.expression import node_names
from autograd.functions import abs, cos, dot, exp, leaky_relu, log, relu, sigmoid, sin, softplus, sqrt, tanh
from autograd.grad_mode import current_scope, enable_grad, is_grad_enabled, no_grad, scope
from autograd.gradcheck import GradcheckError, NondifferentiableError, gradcheck
from autograd.numerical import numerical_grad
from autograd.ops import OPS, Op
from autograd.primitive import primitive
from autograd.render import GraphvizFailed, GraphvizNotFound
from autograd.replay import to_html
from autograd.stepping import Edge, Step
from autograd.tree_view import tree
from autograd.value import Value

__all__ = [
    "Value", "grad", "topological_order", "no_grad", "enable_grad", "is_grad_enabled",
    "scope", "current_scope", "primitive",
    "Op", "OPS",
    "exp", "log", "tanh", "sigmoid", "relu", "sqrt", "abs", "sin", "cos", "softplus", "leaky_relu", "dot",
    "Step", "Edge", "explain", "node_names", "numerical_grad",
    "gradcheck", "GradcheckError", "NondifferentiableError", "blame",
    "draw", "Drawing", "to_svg", "to_png", "to_html", "tree", "GraphvizNotFound", "GraphvizFailed",
    "compile", "CompiledFunction",
]


def __getattr__(name: str) -> object:
    """``autograd.testing`` on first use: it needs hypothesis, an optional extra."""
    if name == "testing":
        import importlib

        return importlib.import_module("autograd.testing")
    raise AttributeError(f"module 'autograd' has no attribute {name!r}")
