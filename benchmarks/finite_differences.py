"""Workload 4: a gradient by finite differences against one by backward, for growing MLPs.

The measurement is the demo's (:mod:`demos.finite_differences`, the finite-differences
article's argument): one gradient of a tanh MLP(4, [w, w, 1])'s MSE loss, by central
differences (two forward passes per parameter) and by one forward and one backward pass.
Finite differences grow with the parameter count; backward stays a small multiple of the
forward pass.

Worker: ``python -m benchmarks.finite_differences`` prints one row per width.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

from benchmarks.harness import emit
from demos.finite_differences import measure

__all__ = ["WIDTHS", "main"]

WIDTHS = (2, 4, 8, 16, 32)


def main(argv: Sequence[str]) -> None:
    """Worker: the demo's measurement for each hidden width (no arguments)."""
    if argv:
        raise SystemExit("usage: python -m benchmarks.finite_differences")
    rows = []
    for width in WIDTHS:
        m = measure(width)
        rows.append({
            "width": width,
            "params": m.params,
            "forward": m.forward,
            "backward": m.backward,
            "finite_differences": m.finite_differences,
            "max_difference": m.max_difference,
        })
    emit({"rows": rows})


if __name__ == "__main__":
    main(sys.argv[1:])
