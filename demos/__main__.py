"""Run every demo in teaching order: ``python -m demos`` (what ``make demo`` runs)."""

from __future__ import annotations

import gc
import importlib
import time

from demos.output import print_written

DEMOS = [
    "tanh_neuron",
    "linear_network",
    "sigmoid_network",
    "sigmoid_mlp",
    "losses_and_stopping",
    "finite_differences",
    "rnn_bptt",
    "moons",
]


def main() -> None:
    """Run each demo's main() under a banner, with its time; then list the files they wrote."""
    try:
        seconds = [_run(name) for name in DEMOS]
    finally:
        gc.unfreeze()
    print(f"\n{len(DEMOS)} demos in {sum(seconds):.1f} s.\n")
    print_written()


def _run(name: str) -> float:
    """One demo: its banner, its output, its time in seconds."""
    print(f"\n{'=' * 20} demos/{name}.py {'=' * 20}\n", flush=True)
    # What earlier demos left alive (matplotlib, the drawing engine) is frozen out of the
    # collector, so that the collections the next demo's graphs trigger do not scan it again.
    gc.collect()
    gc.freeze()
    started = time.perf_counter()
    importlib.import_module(f"demos.{name}").main()
    elapsed = time.perf_counter() - started
    print(f"\n({name}: {elapsed:.1f} s)", flush=True)
    return elapsed


if __name__ == "__main__":
    main()
