"""The first demo: one tanh neuron, its gradients by the engine and by the chain rule by hand.

o = tanh(n) with n = x1*w1 + x2*w2 + b, at Karpathy's numbers (b is chosen so that n = atanh(1/√2)
and o = 0.7071). Each gradient is printed beside its chain-rule formula, in the style of seed 000's
list (∂o/∂w1 = ∂o/∂n · x1), evaluated in plain floats next to what ``backward()`` found; the graph
goes to out/tanh_neuron.svg.
Run alone: ``python -m demos.tanh_neuron``.
"""

from __future__ import annotations

import math

from autograd import Value, to_svg
from demos.output import out_path

__all__ = ["INPUTS", "main"]

INPUTS: dict[str, float] = {"x1": 2.0, "x2": 0.0, "w1": -3.0, "w2": 1.0, "b": 6.8813735870195432}


def main() -> None:
    """Build the neuron, run backward(), print each gradient by the engine and by hand."""
    leaves = {name: Value(number, name) for name, number in INPUTS.items()}
    n = leaves["x1"] * leaves["w1"] + leaves["x2"] * leaves["w2"] + leaves["b"]
    n.label = "n"
    o = n.tanh()
    o.label = "o"
    o.backward()

    print("A tanh neuron:  o = tanh(n),  n = x1*w1 + x2*w2 + b")
    print("  " + "   ".join(f"{name} = {number:g}" for name, number in INPUTS.items()))
    print(f"  n = {n.data:.6g}   o = {o.data:.6g}")
    print("o.backward() fills every .grad; beside each, the chain rule by hand in plain floats:\n")

    # tanh'(n) = 1 - tanh(n)², then one more factor per edge: ∂n/∂w1 = x1, ∂n/∂x1 = w1, ∂n/∂b = 1.
    hand_o = math.tanh(INPUTS["x1"] * INPUTS["w1"] + INPUTS["x2"] * INPUTS["w2"] + INPUTS["b"])
    do_dn = 1.0 - hand_o**2
    rows = [
        ("∂o/∂n  = 1 - o²", f"1 - {hand_o:.6g}²", do_dn, n),
        ("∂o/∂b  = ∂o/∂n · 1 = 1 - o²", f"{do_dn:.6g} · 1", do_dn, leaves["b"]),
    ]
    for name, factor in (("w1", "x1"), ("x1", "w1"), ("w2", "x2"), ("x2", "w2")):
        formula = f"∂o/∂{name} = ∂o/∂n · {factor} = (1 - o²) · {factor}"
        numbers = f"{do_dn:.6g} · {_number(INPUTS[factor])}"
        rows.append((formula, numbers, do_dn * INPUTS[factor], leaves[name]))

    print(f"  {'chain rule':<40}{'by hand':<25}{'engine':>8}")
    for formula, numbers, by_hand, node in rows:
        print(f"  {formula:<40}{f'{numbers} = {by_hand:.6g}':<25}{node.grad:>8.6g}")
    worst = max(abs(by_hand - node.grad) for _, _, by_hand, node in rows)
    print(f"\n  largest difference, engine vs by hand: {worst:.1e}")

    path = out_path("tanh_neuron.svg")
    to_svg(o, path=path)
    print(f"\nThe graph, with data and grad on every node and local derivatives on the edges: {path}")


def _number(x: float) -> str:
    """A factor to 6 significant digits, in parentheses when negative: 0.5 · (-3)."""
    text = f"{x:.6g}"
    return f"({text})" if x < 0 else text


if __name__ == "__main__":
    main()
