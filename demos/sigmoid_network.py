"""A 2-2-2 sigmoid network worked by hand: forward, backward step by step, one SGD step at lr 0.5.

The worked example's PyTorch code sets w1..w4 = [[.15, .20], [.25, .30]], w5..w8 =
[[.40, .45], [.50, .55]], biases .35 .35 and .60 .60, feeds [.05, .10] with target [.01, .99]
and uses loss = sum((out - target)**2) / 2. Every number it prints is reproduced here beside
it, and the delta rule (δ = dE/dz, passed back one layer at a time), worked by hand on this
network, gives the same gradients. Run alone: ``python -m demos.sigmoid_network``.
"""

from __future__ import annotations

import math

import autograd
import nn
from autograd import Value
from autograd.notation import local_name, total_name
from demos.output import out_path, paragraph, record
from demos.state import flat, layer_weights
from nn.module import StateValue

__all__ = ["STATE", "INPUTS", "TARGET", "LR", "PRINTED", "build", "loss_of", "delta_rule", "main"]

# The example's code, in PyTorch's state-dict layout: weight rows are [out][in].
STATE: dict[str, StateValue] = {
    "layers.0.weight": [[0.15, 0.20], [0.25, 0.30]],
    "layers.0.bias": [0.35, 0.35],
    "layers.1.weight": [[0.40, 0.45], [0.50, 0.55]],
    "layers.1.bias": [0.60, 0.60],
}
INPUTS = [0.05, 0.10]
TARGET = [0.01, 0.99]
LR = 0.5

# What the example's code prints (PyTorch shows 4 digits), keyed like ours.
PRINTED: dict[str, StateValue] = {
    "output": [0.7514, 0.7729],
    "loss": 0.2984,
    "layers.0.weight.grad": [[0.0004, 0.0009], [0.0005, 0.0010]],
    "layers.1.weight.grad": [[0.0822, 0.0827], [-0.0226, -0.0227]],
    "layers.0.weight": [[0.1498, 0.1996], [0.2498, 0.2995]],
    "layers.0.bias": [0.3456, 0.3450],
    "layers.1.weight": [[0.3589, 0.4087], [0.5113, 0.5614]],
    "layers.1.bias": [0.5308, 0.6190],
}


def build() -> nn.MLP:
    """The example's Net: Linear(2, 2), sigmoid, Linear(2, 2), sigmoid, with its fixed weights."""
    model = nn.MLP(2, [2, 2], activation="sigmoid", out_activation="sigmoid")
    model.load_state_dict(STATE)
    return model


def loss_of(model: nn.MLP) -> tuple[list[Value], Value]:
    """The outputs on the example's input, and loss = sum((out - target)**2) / 2.

    The layers are run one by one (which is what ``model(INPUTS)`` does) so that each
    neuron's ``z = w·x + b`` and ``a = sigmoid(z)`` can be named, as the delta rule names them,
    for the step-by-step backward: z1_0 is layer 1's neuron 0 before its sigmoid, a1_0 after it,
    and the inputs are x0 and x1.
    """
    hidden = model.layers[0]([Value(x, f"x{i}") for i, x in enumerate(INPUTS)])
    outputs = model.layers[1](hidden)
    for layer, activations in enumerate((hidden, outputs)):
        for j, a in enumerate(activations):
            a.label = f"a{layer}_{j}"
            a.parents[0].label = f"z{layer}_{j}"
    errors = [(out - t) ** 2 for out, t in zip(outputs, TARGET)]
    loss = (errors[0] + errors[1]) / 2
    loss.label = "loss"
    return outputs, loss


def delta_rule(model: nn.MLP, inputs: list[float], target: list[float]) -> dict[str, StateValue]:
    """The gradients of a 2-layer sigmoid network by the delta rule, in plain floats.

    With E = sum((a - t)**2) / 2 and δ_j = dE/dz_j, the output layer's delta is
    (a - t)·∂a/∂z, where ∂a/∂z = sigmoid'(z) = a·(1 - a); one layer down,
    δ_i = Σ_j δ_j·w_ji·sigmoid'(z_i); and dE/dw_ji = δ_j·a_i, dE/db_j = δ_j, a_i being the
    layer's input. Only numbers are read from ``model``: no graph is involved.
    """
    (w0, b0), (w1, b1) = layer_weights(model)
    hidden = [_sigmoid(_weighted(row, inputs) + b) for row, b in zip(w0, b0)]
    output = [_sigmoid(_weighted(row, hidden) + b) for row, b in zip(w1, b1)]
    delta_out = [(a - t) * a * (1 - a) for a, t in zip(output, target)]
    delta_hidden = [
        sum(delta * row[i] for delta, row in zip(delta_out, w1)) * a * (1 - a) for i, a in enumerate(hidden)
    ]
    return {
        "layers.0.weight": [[d * x for x in inputs] for d in delta_hidden],
        "layers.0.bias": delta_hidden,
        "layers.1.weight": [[d * a for a in hidden] for d in delta_out],
        "layers.1.bias": delta_out,
    }


def main(steps: bool = True, pictures: bool = True) -> None:
    """Print the forward pass, the backward steps, the gradients and the updated state dict."""
    paragraph("The article's text lists different weights (w5..w8 = .30 .35 .55 .60, loss 0.2988) than "
              "its code (.40 .45 .50 .55, printing 0.2984); we follow the code, whose printed numbers we "
              "reproduce.")
    print("Its w1..w8 are our layers.0.weight = [[w1, w2], [w3, w4]] and "
          "layers.1.weight = [[w5, w6], [w7, w8]].")
    paragraph("Parameters are labelled by where they live: w0_1_0 is layers.0.weight[1][0] (= w3), b1_0 "
              "is layers.1.bias[0]; the inputs are x0 and x1. Below, 'ours' to 6 places, and 'printed', "
              "what the article's code prints (4 places).")
    print()
    model = build()
    outputs, loss = loss_of(model)
    _compare("output", [out.data for out in outputs])
    _compare("loss", loss.data)

    optimizer = nn.SGD(model.parameters(), lr=LR)
    optimizer.zero_grad()
    if steps:
        print(f"\nBackward, one node at a time (root first): {loss.expr()}")
        paragraph(f"Each step takes the upstream total {total_name('loss', 'node')} and, per parent, adds "
                  f"the local derivative {local_name('node', 'parent')} times it to the parent's grad:")
        for step in loss.backward_steps():
            print(_indent(str(step)))
    else:
        loss.backward()

    print()
    grads = model.grad_dict()
    _compare("layers.0.weight.grad", grads["layers.0.weight"])
    _compare("layers.1.weight.grad", grads["layers.1.weight"])
    for key in ("layers.0.bias", "layers.1.bias"):
        print(f"  {key + '.grad':<{_KEY_WIDTH}} ours    {_fmt(grads[key], 6)}  (not printed)")

    print("\nThe delta rule by hand, δ_j = dE/dz_j for each neuron's z = w·x + b (E is the loss):")
    print("  output layer    δ_j = (a_j - t_j) · ∂a_j/∂z_j, with ∂a/∂z = sigmoid'(z) = a·(1 - a)")
    print("  one layer down  δ_i = Σ_j δ_j · w_ji · sigmoid'(z_i)    (as matrices: δ = Wᵀδ' ⊙ sigmoid'(z))")
    print("  every layer     dE/dw_ji = δ_j · a_i, dE/db_j = δ_j     (dE/dW = δ·aᵀ, row j of W is neuron j)")
    by_hand = delta_rule(model, INPUTS, TARGET)
    print(f"  {'':<{_KEY_WIDTH}} {'|by hand - .grad|':>17}  by hand")
    for key, value in by_hand.items():
        worst = max(abs(a - b) for a, b in zip(flat(value), flat(grads[key])))
        print(f"  {key:<{_KEY_WIDTH}} {worst:>17.1e}  {_fmt(value, 6)}")

    optimizer.step()
    print(f"\nState dict after one SGD step at lr={LR} (w = w - lr · dE/dw):")
    for key, value in model.state_dict().items():
        _compare(key, value)

    print()
    paragraph("Three routes, one gradient: backward() one node at a time, the delta rule one layer at a "
              "time (the same products, grouped), and the article's PyTorch printout agree to every digit "
              "it shows. A hidden activation feeds both outputs, so its gradient is a sum over two paths: "
              "in the steps above, a0_0.grad gets one share at the output neuron z1_1 and another at z1_0 "
              "(the 'now' sums), and only then passes its total on, through z0_0, to w1 and w2.")
    if pictures:
        _draw()


def _weighted(row: list[float], inputs: list[float]) -> float:
    return sum(w * x for w, x in zip(row, inputs))


def _sigmoid(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-z))


_KEY_WIDTH = len("layers.0.weight.grad")


def _compare(key: str, ours: StateValue) -> None:
    """Print our numbers to 6 places above the 4 places the example's code printed."""
    print(f"  {key:<{_KEY_WIDTH}} ours    {_fmt(ours, 6)}")
    print(f"  {'':<{_KEY_WIDTH}} printed {_fmt(PRINTED[key], 4)}")


def _fmt(x: StateValue, places: int) -> str:
    if isinstance(x, list):
        return "[" + ", ".join(_fmt(item, places) for item in x) + "]"
    return f"{x:.{places}f}"


def _indent(text: str) -> str:
    return "\n".join("  " + line for line in text.splitlines())


def _draw() -> None:
    """Save the loss graph as an SVG, and as an HTML page that replays the backward pass."""
    _, loss = loss_of(build())
    loss.backward()
    svg, html = out_path("sigmoid_network_graph.svg"), out_path("sigmoid_network_replay.html")
    autograd.to_svg(loss, path=svg)
    autograd.to_html(loss, path=html)
    print()
    record(svg, "the loss graph, with data, grad and ∂node/∂parent")
    record(html, "the backward pass one step per frame")


if __name__ == "__main__":
    main()
