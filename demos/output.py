"""Where demos leave their pictures: ``out/`` under the current folder, each file written whole."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from autograd.files import write_atomic

__all__ = ["out_path", "pyplot", "save_figure"]


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
