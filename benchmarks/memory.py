"""Workload 2: live memory per graph node, measured with tracemalloc.

A chain of 100,000 nodes, alternately ``node * a`` and ``node + b`` with two leaves ``a`` and
``b`` (Values, not numbers, so that no constant leaf is counted with the node). The chain keeps
every node alive through its parents, so the bytes still allocated after building it, divided
by the node count, are what one live node costs: the object, its parents, its data and its
local derivatives (glassgrad), or its closure, set of children and dict (micrograd).

Worker: ``python -m benchmarks.memory ours|micrograd`` prints bytes per node.
"""

from __future__ import annotations

import sys
import tracemalloc
from collections.abc import Sequence
from typing import Any

from benchmarks.harness import emit

__all__ = ["NODES", "ENGINES", "bytes_per_node", "main"]

NODES = 100_000
ENGINES = ("ours", "micrograd")


def bytes_per_node(value_type: Any) -> float:
    """Bytes allocated and still live per node of a ``*``/``+`` chain built from ``value_type``."""
    a, b = value_type(0.5), value_type(1.0)  # |node| stays near 2: no overflow, no underflow
    node = value_type(1.0)
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    for _ in range(NODES // 2):
        node = node * a
        node = node + b
    after = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    return (after - before) / NODES


def main(argv: Sequence[str]) -> None:
    """Worker: bytes per live node for ``ours`` or ``micrograd``."""
    (engine,) = argv
    if engine == "ours":
        from autograd import Value

        value_type: Any = Value
    else:
        from micrograd.engine import Value as MicrogradValue

        value_type = MicrogradValue
    emit({"bytes_per_node": bytes_per_node(value_type), "nodes": NODES})


if __name__ == "__main__":
    main(sys.argv[1:])
