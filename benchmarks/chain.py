"""Workload 3: a 1,000,000-node chain, built and then differentiated.

``y = w*y + b``, 500,000 times (a linear recurrence: each step a ``*`` node and a ``+`` node,
each using the one before), under Python's default recursion limit. The forward time is
the loop that builds the graph; the backward time is ``y.backward()``, the topological
order included. Their ratio is the target: backward should cost about what building did.

Worker: ``python -m benchmarks.chain on|off`` prints both times.
"""

from __future__ import annotations

import math
import sys
import time
from collections.abc import Sequence

from autograd import Value
from benchmarks.harness import emit, set_gc

__all__ = ["STEPS", "main"]

STEPS = 500_000  # two nodes each


def main(argv: Sequence[str]) -> None:
    """Worker: build the chain and run backward once, with the collector ``on`` or ``off``."""
    (gc_mode,) = argv
    set_gc(gc_mode)
    x, w, b = Value(1.0, "x"), Value(0.5, "w"), Value(0.25, "b")
    started = time.perf_counter()
    y = x
    for _ in range(STEPS):
        y = w * y + b
    built = time.perf_counter()
    y.backward()
    finished = time.perf_counter()
    assert math.isfinite(w.grad) and w.grad > 0  # the pass really ran
    emit({
        "forward": built - started,
        "backward": finished - built,
        "nodes": 2 * STEPS,
        "recursion_limit": sys.getrecursionlimit(),
    })


if __name__ == "__main__":
    main(sys.argv[1:])
