"""The first demo: one tanh neuron, its gradients by the engine and by the chain rule by hand.

o = tanh(n) with n = x1*w1 + x2*w2 + b, at Karpathy's numbers (b is chosen so that n = atanh(1/√2)
and o = 0.7071). Each total derivative do/dv is printed as the chain rule writes it, the upstream
do/dn times the local derivative ∂n/∂v (do/dw1 = do/dn · ∂n/∂w1 = (1 - o²) · x1), evaluated in
plain floats next to what ``backward()`` left in ``.grad``; the graph goes to out/tanh_neuron.svg.
Run alone: ``python -m demos.tanh_neuron``.
"""

from __future__ import annotations

import math

from autograd import Value, to_svg
from autograd.notation import local_name, total_name
from demos.output import out_path, paragraph, record

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
    print()
    paragraph(f"Two kinds of derivative: {local_name('n', 'w1')} is a local one, how n moves with w1 alone "
              f"(here x1); {total_name('o', 'w1')} is a total one, how o moves with w1 through everything "
              "in between, and what backward() leaves in w1.grad. The chain rule makes each total the "
              f"upstream total {total_name('o', 'n')} times a local derivative. By hand, in plain floats:")
    print()

    # tanh'(n) = 1 - tanh(n)², then one more factor per edge: ∂n/∂w1 = x1, ∂n/∂x1 = w1, ∂n/∂b = 1.
    hand_o = math.tanh(INPUTS["x1"] * INPUTS["w1"] + INPUTS["x2"] * INPUTS["w2"] + INPUTS["b"])
    do_dn = 1.0 - hand_o**2
    upstream = total_name("o", "n")
    rows = [(f"{upstream:<6} = {local_name('o', 'n')} = 1 - o²", f"1 - {hand_o:.6g}²", do_dn, n)]
    for name, factor in (("b", "1"), ("w1", "x1"), ("x1", "w1"), ("w2", "x2"), ("x2", "w2")):
        total = f"{total_name('o', name):<6}"
        formula = f"{total} = {upstream} · {local_name('n', name):<6} = (1 - o²) · {factor}"
        value = 1.0 if factor == "1" else INPUTS[factor]
        rows.append((formula, f"{do_dn:.6g} · {_number(value)}", do_dn * value, leaves[name]))

    by_hand_width = max(len(f"{numbers} = {by_hand:.6g}") for _, numbers, by_hand, _ in rows)
    print(f"  {'chain rule':<43}{'by hand':<{by_hand_width}}{'.grad':>8}")
    for formula, numbers, by_hand, node in rows:
        print(f"  {formula:<43}{f'{numbers} = {by_hand:.6g}':<{by_hand_width}}{node.grad:>8.6g}")
    worst = max(abs(by_hand - node.grad) for _, _, by_hand, node in rows)
    print(f"\n  largest difference, engine vs by hand: {worst:.1e}")

    path = out_path("tanh_neuron.svg")
    to_svg(o, path=path)
    print()
    record(path, "the neuron's graph, with data, grad and ∂node/∂parent")


def _number(x: float) -> str:
    """A factor to 6 significant digits, in parentheses when negative: 0.5 · (-3)."""
    text = f"{x:.6g}"
    return f"({text})" if x < 0 else text


if __name__ == "__main__":
    main()
