"""``RNNCell``: one time step of a tanh recurrent network, h_t = tanh(W_ih·x_t + W_hh·h_(t-1) + b).

Calling the cell once per time step with the hidden state it returned unrolls the network
into one graph whose weights are shared across the steps; ``backward`` through it is
backpropagation through time (BPTT). Cutting the hidden state from its history (``Value(h.data)``
for each h) every k steps truncates BPTT to k steps, as the backprop-through-time article does.
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence

from autograd import Value, dot
from nn.checks import as_rng, check_count
from nn.layers import as_inputs
from nn.module import Module

__all__ = ["RNNCell"]


class RNNCell(Module):
    """A tanh RNN cell with tensors ``weight_ih`` and ``weight_hh`` (``[hidden][in]`` rows) and ``bias``.

    PyTorch's ``nn.RNNCell`` has the same weights and two biases, ``bias_ih`` and ``bias_hh``,
    that are only ever added; one ``bias`` (their sum) does the same job. Initial values are
    uniform in ±1/sqrt(hidden_size), as in PyTorch.

    >>> cell = RNNCell(1, 2, seed=0)
    >>> h = cell([0.5])          # the first step starts from h = 0
    >>> h = cell([0.1], h)       # the next one reads the last hidden state
    >>> len(h), sorted(cell.state_dict())
    (2, ['bias', 'weight_hh', 'weight_ih'])
    """

    def __init__(self, input_size: int, hidden_size: int, seed: int | random.Random | None = None) -> None:
        self.input_size = check_count("RNNCell", "input_size", input_size)
        self.hidden_size = check_count("RNNCell", "hidden_size", hidden_size)
        rng = as_rng("RNNCell", seed)
        bound = 1.0 / math.sqrt(hidden_size)

        def uniform() -> Value:
            return Value(rng.uniform(-bound, bound))

        self.weight_ih = [[uniform() for _ in range(input_size)] for _ in range(hidden_size)]
        self.weight_hh = [[uniform() for _ in range(hidden_size)] for _ in range(hidden_size)]
        self.bias = [uniform() for _ in range(hidden_size)]
        self.label_parameters()

    def forward(
        self, inputs: Sequence[Value | float], hidden: Sequence[Value | float] | None = None
    ) -> list[Value]:
        """The next hidden state from this step's ``inputs`` and the last ``hidden`` (None: zeros)."""
        x = as_inputs("RNNCell", inputs, self.input_size)
        h = as_inputs("RNNCell hidden state", [0.0] * self.hidden_size if hidden is None else hidden,
                      self.hidden_size)
        return [
            dot([*w_x, *w_h], [*x, *h], b).tanh()
            for w_x, w_h, b in zip(self.weight_ih, self.weight_hh, self.bias)
        ]

    def __repr__(self) -> str:
        return f"RNNCell({self.input_size}, {self.hidden_size})"
