"""A scalar reverse-mode autograd engine you can watch."""

from autograd.backward import grad, topological_order
from autograd.expression import node_names
from autograd.functions import abs, cos, dot, exp, leaky_relu, log, relu, sigmoid, sin, softplus, sqrt, tanh
from autograd.grad_mode import is_grad_enabled, no_grad
from autograd.numerical import numerical_grad
from autograd.ops import OPS, Op
from autograd.primitive import primitive
from autograd.stepping import Edge, Step
from autograd.value import Value

__all__ = [
    "Value", "grad", "topological_order", "no_grad", "is_grad_enabled", "primitive", "Op", "OPS",
    "exp", "log", "tanh", "sigmoid", "relu", "sqrt", "abs", "sin", "cos", "softplus", "leaky_relu", "dot",
    "Step", "Edge", "node_names", "numerical_grad",
]
