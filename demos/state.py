"""A model's numbers as plain floats, read from its ``state_dict()``, for math done by hand."""

from __future__ import annotations

from typing import cast

import nn
from nn.module import StateValue

__all__ = ["layer_weights", "flat"]


def layer_weights(model: nn.MLP) -> list[tuple[list[list[float]], list[float]]]:
    """Each layer's weight rows (``[out][in]``, row j is neuron j's) and biases, as floats."""
    state = model.state_dict()
    layers = []
    for i in range(len(model.layers)):  # an MLP's layer i: rows at "layers.i.weight", a vector at ".bias"
        rows = cast("list[list[float]]", state[f"layers.{i}.weight"])
        biases = cast("list[float]", state[f"layers.{i}.bias"])
        layers.append((rows, biases))
    return layers


def flat(x: StateValue) -> list[float]:
    """A state-dict entry's numbers in order, rows one after another.

    >>> flat([[1.0, 2.0], [3.0, 4.0]])
    [1.0, 2.0, 3.0, 4.0]
    """
    if isinstance(x, list):
        return [number for item in x for number in flat(item)]
    return [x]
