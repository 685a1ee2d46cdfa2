"""How demos show results: loss tables on screen, pictures in ``out/`` (each file written whole)."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from autograd.files import write_atomic

__all__ = ["print_losses", "out_path", "pyplot", "save_figure"]


def print_losses(losses: list[float], rows: int) -> None:
    """About ``rows`` evenly spaced epochs of a training run, and always the last one."""
    width = len(str(len(losses) - 1))
    for epoch in [*range(0, len(losses) - 1, max(1, len(losses) // rows)), len(losses) - 1]:
        print(f"  epoch {epoch:>{width}}  loss {losses[epoch]:.6f}")


def out_path(name: str) -> Path:
    """``out/name``, creating ``out/`` if needed."""
    folder = Path("out")
    folder.mkdir(exist_ok=True)
    return folder / name


def pyplot() -> Any | None:
    """matplotlib's pyplot drawing to files (no window), or None with a note when it is not installed."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print("(matplotlib is not installed: no picture; pip install 'glassgrad[demo]')")
        return None
    return plt


def save_figure(figure: Any, name: str) -> Path:
    """Save a matplotlib figure as ``out/name`` (PNG) in one piece, close it, and say where it went."""
    import matplotlib.pyplot as plt

    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=100)
    plt.close(figure)
    path = out_path(name)
    write_atomic(path, buffer.getvalue())
    print(f"Wrote {path}")
    return path
