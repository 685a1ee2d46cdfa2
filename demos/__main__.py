"""Run every demo in teaching order: ``python -m demos`` (what ``make demo`` runs)."""

from __future__ import annotations

import importlib
import time

DEMOS = [
    "tanh_neuron",
    "seed000_network",
    "seed003_backprop",
    "seed001_mlp",
    "seed004_losses",
    "finite_differences",
    "rnn_bptt",
    "moons",
]


def main() -> None:
    """Import and run each demo's main(), with a banner and its time."""
    for name in DEMOS:
        print(f"\n{'=' * 20} demos/{name}.py {'=' * 20}\n", flush=True)
        started = time.perf_counter()
        importlib.import_module(f"demos.{name}").main()
        print(f"\n({name}: {time.perf_counter() - started:.1f} s)", flush=True)
    print("\nPictures are in out/.")


if __name__ == "__main__":
    main()
